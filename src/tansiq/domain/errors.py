"""Domain errors; every entry point maps them to its own error format."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field (``field`` is a dotted path)."""

    field: str
    message: str


class TansiqError(Exception):
    """Base of every error the services raise on purpose."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors: list[FieldError] = list(errors or [])


class ValidationFailed(TansiqError):
    """The input is invalid; ``errors`` names each bad field. Nothing was changed."""

    status = 422
    title = "Invalid input"

    @classmethod
    def single(cls, field_name: str, message: str) -> ValidationFailed:
        """Build the error for one bad field."""
        return cls(f"{field_name}: {message}", [FieldError(field_name, message)])


class NotFound(TansiqError):
    """The record does not exist or the user may not see it (never tell which)."""

    status = 404
    title = "Not found"


class PermissionDenied(TansiqError):
    """The user may see the record but their role or party may not do this."""

    status = 403
    title = "Forbidden"


class Conflict(TansiqError):
    """The change conflicts with the current state (e.g. a stale version)."""

    status = 409
    title = "Conflict"


class AuthenticationFailed(TansiqError):
    """Missing, unknown, revoked or expired credentials."""

    status = 401
    title = "Unauthorized"


class TooManyAttempts(TansiqError):
    """Too many failed logins: the account is locked or the client must wait."""

    status = 429
    title = "Too many requests"


@dataclass
class ErrorCollector:
    """Collects field errors and raises them together."""

    errors: list[FieldError] = field(default_factory=list)

    def add(self, field_name: str, message: str) -> None:
        """Record one bad field."""
        self.errors.append(FieldError(field_name, message))

    def raise_if_any(self, detail: str = "The input is invalid") -> None:
        """Raise ValidationFailed naming every collected field, if any."""
        if self.errors:
            names = ", ".join(e.field for e in self.errors)
            raise ValidationFailed(f"{detail}: {names}", self.errors)
