"""Who is acting: the user, their party, roles and the centers their party sits on."""

from __future__ import annotations

from dataclasses import dataclass, field

from tansiq.domain.choices import RoleChoices


@dataclass(frozen=True)
class Actor:
    """The acting user as the services see them.

    ``centers`` are the ids of the centers the user's party is a member of; they
    decide what ``center``-releasable records the user may read.
    """

    user_id: str
    username: str
    party: str
    roles: frozenset[RoleChoices]
    centers: frozenset[str] = field(default_factory=frozenset)
    language: str = "en"

    def has_any_role(self, roles: frozenset[RoleChoices]) -> bool:
        """True when the user holds at least one of ``roles``."""
        return bool(self.roles & roles)


@dataclass(frozen=True)
class SystemActor:
    """The node itself acting from the command line (init, demo, user add)."""

    label: str = "system:cli"

    @property
    def user_id(self) -> str:
        """The journal's actor field for system changes."""
        return self.label
