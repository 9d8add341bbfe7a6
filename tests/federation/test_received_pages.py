"""Every page marks a record received from another party's node, and only such a record.

On krg's node (``tests/federation/marked.py``), in English: the badge "received from fed
at …" beside fed's records in lists, cards and tables, the "Received" row on their
detail pages, a ``received_text`` in map popups; nothing beside krg's own records.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.helpers import TestClient
from tests.federation.marked import Marked
from tests.web.conftest import log_in

BADGE = 'class="badge badge-received" data-received-from="fed"'
ANY_BADGE = "badge-received"
# fed's records arrived at 09:00 UTC: 12:00 in Baghdad, the display time zone.
WORDS = "received from fed at 2020-02-20 12:00"
DETAIL_ROW = "from the node of"


@pytest.fixture(scope="module")
def krg_web(marked: Marked) -> Iterator[TestClient]:
    """krg's admin (who may also amend krg's decisions) logged in to krg's node."""
    with TestClient(marked.krg_node.app) as client:
        log_in(client, "krg_admin")
        yield client


def _page(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, f"{path}: {page.status_code}"
    return page.text


def _around(html: str, needle: str, tag: str) -> str:
    """The first ``<tag>…</tag>`` element of ``html`` that holds ``needle`` (not, say, the
    map's JSON beside it)."""
    at = html.find(needle)
    while at != -1:
        start = html.rfind(f"<{tag}", 0, at)
        if start != -1 and f"</{tag}>" not in html[start:at]:
            return html[start : html.index(f"</{tag}>", at)]
        at = html.find(needle, at + 1)
    raise AssertionError(f"no <{tag}> holds {needle!r}")


def _check(html: str, marked: Marked, kind: str, tag: str, needle: str = "{}") -> None:
    """fed's record of ``kind`` is badged in its ``tag`` element, krg's own is not."""
    remote = _around(html, needle.format(marked.fed[kind]), tag)
    assert BADGE in remote and WORDS in remote, f"fed's {kind} is marked"
    local = _around(html, needle.format(marked.krg[kind]), tag)
    assert ANY_BADGE not in local, f"krg's own {kind} is not"


@pytest.mark.parametrize(
    ("kind", "path", "tag", "needle"),
    [
        ("incident", "/incidents", "tr", "/incidents/{}"),
        ("sector", "/sectors", "tr", "/sectors/{}"),
        ("notice", "/notices", "tr", "/notices/{}"),
        ("meeting", "/centers/jcc-kirkuk/meetings", "tr", "/meetings/{}"),
        ("plan", "/operations", "li", 'data-plan-id="{}"'),
    ],
)
def test_lists_badge_the_remote_record_only(
    marked: Marked, krg_web: TestClient, kind: str, path: str, tag: str, needle: str
) -> None:
    _check(_page(krg_web, path), marked, kind, tag, needle)


def test_the_site_list_badges_the_remote_site(marked: Marked, krg_web: TestClient) -> None:
    html = _page(krg_web, "/protected-sites")
    assert BADGE in _around(html, "School of fed", "tr")
    assert ANY_BADGE not in _around(html, "School of krg", "tr")
    features = _map_data(html, "site-data")
    texts = {f["properties"]["label"]: f["properties"].get("received_text") for f in features}
    assert texts == {"School of fed": WORDS, "School of krg": None}


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("incident", "/incidents/{}"),
        ("sector", "/sectors/{}"),
        ("notice", "/notices/{}"),
        ("plan", "/operations/{}"),
    ],
)
def test_detail_pages_say_where_the_record_came_from(
    marked: Marked, krg_web: TestClient, kind: str, path: str
) -> None:
    remote = _page(krg_web, path.format(marked.fed[kind]))
    assert DETAIL_ROW in remote and "read-only here" in remote and BADGE in remote
    assert BADGE in _around(remote, 'class="badges"', "p")
    local = _page(krg_web, path.format(marked.krg[kind]))
    assert DETAIL_ROW not in local
    # krg's own record: no badge by its title (its answers or findings may have theirs).
    assert ANY_BADGE not in _around(local, 'class="badges"', "p")


def test_a_meeting_page_badges_its_remote_cards(marked: Marked, krg_web: TestClient) -> None:
    remote = _page(krg_web, f"/meetings/{marked.fed['meeting']}")
    assert BADGE in _around(remote, "page-header", "div")
    assert BADGE in _around(remote, f'id="decision-{marked.fed["decision"]}"', "article")
    assert BADGE in _around(remote, f'id="action-{marked.fed["action"]}"', "article")
    local = _page(krg_web, f"/meetings/{marked.krg['meeting']}")
    assert ANY_BADGE not in _around(local, f'id="decision-{marked.krg["decision"]}"', "article")
    card = _around(local, f'id="action-{marked.krg["action"]}"', "article")
    # krg's own item; fed's progress note on it came from fed's node.
    assert ANY_BADGE not in card.split("<h4>", 1)[0]
    assert BADGE in _around(card, "We sent our liaison.", "li")
    minutes = _page(krg_web, f"/meetings/{marked.fed['meeting']}/minutes")
    assert WORDS in minutes
    assert WORDS not in _page(krg_web, f"/meetings/{marked.krg['meeting']}/minutes")


def test_action_and_decision_pages_badge_remote_records(
    marked: Marked, krg_web: TestClient
) -> None:
    assert BADGE in _page(krg_web, f"/actions/{marked.fed['action']}")
    own = _page(krg_web, f"/actions/{marked.krg['action']}")
    assert own.count(ANY_BADGE) == 1, "only fed's note on krg's item"
    endorsements = _page(krg_web, f"/decisions/{marked.krg['decision']}/amend")
    assert BADGE in _around(endorsements, "counts for this version", "li")


def test_answers_and_assessments_are_badged(marked: Marked, krg_web: TestClient) -> None:
    own_notice = _page(krg_web, f"/notices/{marked.krg['notice']}")
    assert BADGE in _around(own_notice, "Keep us posted.", "li")
    their_notice = _page(krg_web, f"/notices/{marked.fed['notice']}")
    assert ANY_BADGE not in _around(their_notice, "badge-response-ack", "li"), "krg's answer"
    incident = _page(krg_web, f"/incidents/{marked.krg['incident']}")
    assert BADGE in _around(incident, "No blast was heard at our post.", "li")
    disputes = _page(krg_web, "/centers/jcc-kirkuk/disputes")
    row = _around(disputes, "No blast was heard at our post.", "tr")
    assert row.count(ANY_BADGE) == 1, "fed's contest is badged, krg's incident is not"


def test_the_plan_page_marks_remote_subjects_and_signatures(
    marked: Marked, krg_web: TestClient
) -> None:
    html = _page(krg_web, f"/operations/{marked.krg['plan']}")
    fed = marked.fed
    for needle in (f"/sectors/{fed['sector']}", "School of fed", f"/operations/{fed['plan']}"):
        assert BADGE in _around(html, needle, "li"), f"the finding on {needle}"
    assert BADGE in _around(html, 'data-party="fed"', "tr"), "fed's signature came from fed"
    assert ANY_BADGE not in _around(html, 'data-party="krg"', "tr")
    texts = [f["properties"].get("received_text") for f in _map_data(html, "plan-data")]
    assert texts[0] is None, "krg's own plan area"
    assert WORDS in texts[1:]


def test_the_dashboard_badges_each_remote_record(marked: Marked, krg_web: TestClient) -> None:
    html = _page(krg_web, "/centers/jcc-kirkuk")
    fed, krg = marked.fed, marked.krg
    shown = ("/actions/{}", "#decision-{}", "/operations/{}", "/meetings/{}")
    kinds = ("action", "decision", "plan", "meeting")
    for needle, kind in zip(shown, kinds, strict=True):
        assert BADGE in _around(html, needle.format(fed[kind]), "li"), kind
        assert ANY_BADGE not in _around(html, needle.format(krg[kind]), "li"), kind
    assert BADGE in _around(html, f"/notices/{fed['pending']}", "li"), "a pending notice"


def test_the_review_queue_badges_a_remote_duplicate(marked: Marked, krg_web: TestClient) -> None:
    for path in ("/review", f"/review/{marked.krg['candidate']}"):
        html = _page(krg_web, path)
        _check(html, marked, "incident", "li", "/incidents/{}")


@pytest.mark.parametrize(
    "path", ["/map/incidents.geojson", "/centers/jcc-kirkuk/incidents.geojson"]
)
def test_map_popups_say_where_a_remote_incident_came_from(
    marked: Marked, krg_web: TestClient, path: str
) -> None:
    answer = krg_web.get(path)
    assert answer.status_code == 200
    texts = {f["id"]: f["properties"].get("received_text") for f in answer.json()["features"]}
    assert texts[marked.fed["incident"]] == WORDS
    assert texts[marked.krg["incident"]] is None


def test_coverage_popups_mark_remote_incidents_in_gaps(
    marked: Marked, krg_web: TestClient
) -> None:
    html = _page(krg_web, "/coverage?area=Kirkuk&at=2020-02-20")
    placed = {
        f["properties"]["id"]: f["properties"].get("received_text")
        for f in _map_data(html, "coverage-data")
        if f["properties"]["layer"] == "incident"
    }
    assert placed == {marked.fed["incident"]: WORDS, marked.krg["incident"]: None}


def test_arabic_and_kurdish_pages_say_it_in_their_words(
    marked: Marked, krg_web: TestClient
) -> None:
    for lang, words in (("ar", "مستلم من fed"), ("ckb", "وەرگیراو لە fed")):
        krg_web.cookies.set("tansiq_lang", lang)
        try:
            html = _page(krg_web, "/incidents")
        finally:
            krg_web.cookies.delete("tansiq_lang")
        assert words in _around(html, f"/incidents/{marked.fed['incident']}", "tr"), lang


def _map_data(html: str, element_id: str) -> list[dict[str, Any]]:
    found = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html)
    assert found, element_id
    features: list[dict[str, Any]] = json.loads(found.group(1))["features"]
    return features
