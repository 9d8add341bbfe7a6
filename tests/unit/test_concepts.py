"""The concept registry: every entry's parts exist, and no concept package is left out."""

from __future__ import annotations

import pkgutil
from pathlib import Path

import click
import pytest
from fastapi import APIRouter

import tansiq
from tansiq.concepts import CONCEPTS, LAYERS, concepts_with
from tansiq.services.core.kinds import RecordKind
from tansiq.services.core.registry import RECORD_KINDS
from tansiq.storage.schema import TABLE_MODULES

PACKAGE = Path(tansiq.__file__).parent
SHARED = {
    "services": {"core"},
    "web": {"common"},
    "api": set(),
    "cli": {"options", "node", "ingest", "imports"},
}


@pytest.mark.parametrize("concept", CONCEPTS, ids=lambda c: c.name)
def test_every_declared_part_exists(concept: object) -> None:
    from tansiq.concepts import Concept

    assert isinstance(concept, Concept)
    for layer in concept.layers:
        part = concept.part(layer)
        if layer == "services":
            assert part.KINDS and all(isinstance(k, RecordKind) for k in part.KINDS)
        elif layer in ("api", "web"):
            routers = part.routers()
            assert routers and all(isinstance(r, APIRouter) for r in routers)
        elif layer == "cli":
            assert part.COMMANDS and all(isinstance(c, click.Command) for c in part.COMMANDS)
        else:
            assert part in TABLE_MODULES


@pytest.mark.parametrize("layer", ["services", "api", "web"])
def test_no_concept_package_is_left_out(layer: str) -> None:
    packages = {m.name for m in pkgutil.iter_modules([str(PACKAGE / layer)]) if m.ispkg}
    declared = {c.name for c in concepts_with(layer)}
    assert packages - SHARED[layer] == declared


def test_no_cli_module_or_table_module_is_left_out() -> None:
    cli = {m.name for m in pkgutil.iter_modules([str(PACKAGE / "cli")])} - SHARED["cli"]
    assert cli == {c.name for c in concepts_with("cli")}
    tables = {m.name for m in pkgutil.iter_modules([str(PACKAGE / "storage" / "tables")])}
    assert tables - {"base", "journal"} == {c.name for c in concepts_with("storage")}


def test_every_record_kind_is_registered_once() -> None:
    names = [k.name for k in RECORD_KINDS]
    assert len(names) == len(set(names))
    assert set(LAYERS) >= {layer for c in CONCEPTS for layer in c.layers}


def test_a_layer_a_concept_does_not_use_is_refused() -> None:
    directory = next(c for c in CONCEPTS if c.name == "directory")
    with pytest.raises(KeyError, match="no cli part"):
        directory.part("cli")
