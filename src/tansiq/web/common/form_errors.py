"""One way to show a service's refusal of a form: 422 for bad input, 409 for a stale version.

A route calls the service inside ``try`` and hands what it raised to
:func:`refusal_page` with the parsed form and a callback that renders the page at a
status code. The form says how a service's field errors read on it
(:class:`ServiceForm`: ``ParsedForm``, ``GeoForm``, ``IncidentForm``, or
:class:`PageProblem` for pages that show one sentence instead of field messages).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from starlette.responses import Response

from tansiq.domain.errors import Conflict, FieldError, ValidationFailed

INVALID = 422
STALE = 409
# Renders the page (form values, field messages and ``problem`` taken from the form).
Render = Callable[[int], Response]


class ServiceForm(Protocol):
    """A parsed form that can show a service's field errors and a page-level problem."""

    problem: str

    def add_service_errors(self, errors: Sequence[FieldError]) -> None:
        """Attach the service's field errors as the form's messages."""

    def service_message(self, name: str, message: str) -> str:
        """The form's message id for a service's message on field ``name``."""


@dataclass
class PageProblem:
    """A page without field messages: the service's first message becomes its ``problem``.

    ``message_of`` maps that error to a message id; ``otherwise`` is the problem when
    the service named no field.
    """

    message_of: Callable[[FieldError], str]
    otherwise: str = ""
    problem: str = ""

    def add_service_errors(self, errors: Sequence[FieldError]) -> None:
        """Set ``problem`` from the first error (or to ``otherwise`` when there is none)."""
        self.problem = self.message_of(errors[0]) if errors else self.otherwise

    def service_message(self, name: str, message: str) -> str:
        """The message id ``message_of`` gives for an error on ``name``."""
        return self.message_of(FieldError(name, message))


def refusal_page(
    exc: ValidationFailed | Conflict,
    form: ServiceForm,
    render: Render,
    *,
    conflict: str | Callable[[Conflict], str] | None = None,
    problem_fields: Collection[str] = (),
) -> Response:
    """The page again with the service's refusal: 422 (ValidationFailed), 409 (Conflict).

    ValidationFailed: its field errors go onto the form; an error on one of
    ``problem_fields`` (no field of the form is at fault) also becomes the page's
    problem. Conflict: ``conflict`` (a message id, or one chosen from the exception)
    becomes the problem. Re-raises a Conflict when ``conflict`` is None, so the
    generic 409 page answers it, as for a route that does not expect one.
    """
    if isinstance(exc, Conflict):
        if conflict is None:
            raise exc
        form.problem = conflict if isinstance(conflict, str) else conflict(exc)
        return render(STALE)
    form.add_service_errors(exc.errors)
    for error in exc.errors:
        if error.field in problem_fields:
            form.problem = form.service_message(error.field, error.message)
    return render(INVALID)
