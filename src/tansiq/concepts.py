"""The concept registry: one entry a concept, in the order the layers register them.

A concept has one package (or module) of the same name in each layer it uses:
``services/<name>/`` (``records.py`` declares its record ``KINDS``),
``storage/tables/<name>.py``, ``api/<name>/`` and ``web/<name>/`` (each
``__init__.py`` has ``routers()``), ``cli/<name>.py`` (its ``COMMANDS``).
The app, the CLI, ``tansiq verify`` and the tests find the parts from here, so a
new concept is one entry below plus its packages; ``tests/unit/test_concepts.py``
checks that every entry's parts exist and that no package is left out.

This module imports nothing of Tansiq's: each layer loads its own parts by name,
which keeps the layer contract (``lint-imports``) intact.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

LAYERS = ("services", "storage", "api", "web", "cli")


@dataclass(frozen=True)
class Concept:
    """One concept: its package name and the layers it has a part in."""

    name: str
    summary: str
    layers: tuple[str, ...] = LAYERS

    def has(self, layer: str) -> bool:
        """True when the concept has a part in ``layer``."""
        return layer in self.layers

    def part(self, layer: str) -> ModuleType:
        """The concept's module in ``layer``; raises KeyError for a layer it does not use."""
        if not self.has(layer):
            raise KeyError(f"concept {self.name} has no {layer} part")
        return importlib.import_module(module_name(self.name, layer))


def module_name(concept: str, layer: str) -> str:
    """Where a concept's part lives: ``tansiq.api.notices``, ``tansiq.storage.tables.notices``…"""
    if layer == "storage":
        return f"tansiq.storage.tables.{concept}"
    if layer == "services":
        return f"tansiq.services.{concept}.records"
    return f"tansiq.{layer}.{concept}"


CONCEPTS: tuple[Concept, ...] = (
    Concept("directory", "parties and centers, health, the node", LAYERS[:4]),
    Concept("accounts", "users, API tokens, web sessions", ("services", "storage", "web", "cli")),
    Concept("incidents", "incident reports, assessments of them and disputes"),
    Concept("sectors", "sectors, protected sites and coverage"),
    Concept("notices", "coordination notices and their acknowledgements"),
    Concept("operations", "operation plans, approvals and deconfliction findings"),
    Concept("meetings", "meetings, decisions, endorsements, action items and notes"),
    Concept(
        "exports",
        "what a user may see as GeoJSON, KML, GeoPackage or ACLED CSV files (no records)",
        ("api", "web", "cli"),
    ),
    Concept(
        "federation",
        "this node's identity and peers, per-peer feeds, sync of what each released",
        ("services", "storage", "api", "web", "cli"),
    ),
    Concept("intake", "the review queue: news articles read into candidates an analyst accepts"),
)


def concepts_with(layer: str) -> tuple[Concept, ...]:
    """The concepts that have a part in ``layer``, in registry order."""
    return tuple(c for c in CONCEPTS if c.has(layer))
