"""The releasability rule agrees in its two forms: Python and SQL."""

from __future__ import annotations

import itertools

from sqlalchemy import Column, MetaData, String, Table, create_engine, insert, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import RoleChoices
from tansiq.domain.releasability import is_visible, reaches_within
from tansiq.storage.visibility import visible_to

PARTIES = ("fed", "krg", "un")
CENTERS = (None, "c1", "c2")
LEVELS = ("party", "center", "all")


def test_owner_all_center_rules() -> None:
    base = {"owner_party": "fed", "center_id": "c1"}
    assert is_visible(viewer_party="fed", viewer_centers=(), releasability="party", **base)
    assert not is_visible(viewer_party="krg", viewer_centers=("c1",), releasability="party", **base)
    assert is_visible(viewer_party="krg", viewer_centers=(), releasability="all", **base)
    assert is_visible(viewer_party="krg", viewer_centers=("c1",), releasability="center", **base)
    assert not is_visible(
        viewer_party="krg", viewer_centers=("c2",), releasability="center", **base
    )


def test_sql_form_matches_python_form_on_every_combination() -> None:
    engine = create_engine("sqlite://")
    meta = MetaData()
    table = Table(
        "records",
        meta,
        Column("id", String, primary_key=True),
        Column("party_id", String),
        Column("releasability", String),
        Column("center_id", String),
    )
    meta.create_all(engine)
    rows = [
        {"id": f"{p}-{lvl}-{c}", "party_id": p, "releasability": lvl, "center_id": c}
        for p, lvl, c in itertools.product(PARTIES, LEVELS, CENTERS)
    ]
    with engine.begin() as conn:
        conn.execute(insert(table), rows)
    viewer_center_sets = [frozenset(), frozenset({"c1"}), frozenset({"c1", "c2"})]
    for party, centers in itertools.product(PARTIES, viewer_center_sets):
        actor = Actor("u", "u", party, frozenset({RoleChoices.OBSERVER}), centers)
        with engine.connect() as conn:
            seen_sql = {
                r.id for r in conn.execute(select(table.c.id).where(visible_to(table, actor)))
            }
        seen_py = {
            r["id"]
            for r in rows
            if is_visible(
                viewer_party=party,
                viewer_centers=centers,
                owner_party=r["party_id"],
                releasability=r["releasability"],
                center_id=r["center_id"],
            )
        }
        assert seen_sql == seen_py, (party, centers)


def test_reaches_within() -> None:
    assert reaches_within(child="all", child_center=None, parent="all", parent_center=None)
    assert reaches_within(child="party", child_center=None, parent="party", parent_center=None)
    assert reaches_within(child="center", child_center="c1", parent="center", parent_center="c1")
    assert not reaches_within(
        child="center", child_center="c2", parent="center", parent_center="c1"
    )
    assert not reaches_within(child="all", child_center=None, parent="center", parent_center="c1")
    assert not reaches_within(child="center", child_center="c1", parent="party", parent_center=None)
