"""One way to post a form: 422 for bad input, 409 for a stale version, else a 303 redirect.

A form is read into a :class:`FieldForm` (``ParsedForm``, ``GeoForm``,
``IncidentForm``); a route hands it to :func:`save_form` with a callback that renders
the page at a status code and one that saves it. What the service raised goes to
:func:`refusal_page`; the form says how a service's field errors read on it
(:class:`ServiceForm`, or :class:`PageProblem` for pages that show one sentence
instead of field messages).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from starlette.responses import Response

from tansiq.domain.errors import Conflict, FieldError, ValidationFailed
from tansiq.web.common.deps import Page
from tansiq.web.common.fields import text

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
class FieldForm:
    """Form values as typed (strings), the service's dict, per-field messages and a problem.

    Messages and ``problem`` are message ids, translated when the page renders.
    """

    values: dict[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    # A page-level message id (say, a concurrent change), shown above the form.
    problem: str = ""

    def add(self, name: str, message: str) -> None:
        """Attach a message (id) to a field."""
        self.errors.setdefault(name, []).append(message)

    def label(self, name: str, labels: Mapping[str, str]) -> str:
        """The message id of field ``name``'s label in the error summary (else ``name``)."""
        return labels.get(name, name)

    def translated(
        self, gettext: Callable[[str], str], labels: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        """Template variables ``v``, ``errors``, ``error_summary`` and ``problem``, translated.

        ``labels`` maps field names to the message ids the summary calls them by.
        """
        errors = {
            name: [gettext(message) for message in messages]
            for name, messages in self.errors.items()
        }
        summary = [
            (name, gettext(self.label(name, labels or {})), message)
            for name, messages in errors.items()
            for message in messages
        ]
        return {
            "v": self.values,
            "errors": errors,
            "error_summary": summary,
            "problem": gettext(self.problem) if self.problem else "",
        }


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


class ProblemRender(Protocol):
    """Renders a page at a status code with a page-level ``problem`` (a message id)."""

    def __call__(self, status_code: int, *, problem: str) -> Response:
        """The page."""


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


def problem_page(
    exc: ValidationFailed | Conflict,
    render: ProblemRender,
    message_of: Callable[[FieldError], str],
    *,
    otherwise: str = "",
    conflict: str | Callable[[Conflict], str] | None = None,
) -> Response:
    """:func:`refusal_page` for a page that says one sentence instead of field messages.

    The problem is ``message_of`` the service's first error (``otherwise`` when it named
    none) or ``conflict``; re-raises a Conflict when ``conflict`` is None.
    """
    shown = PageProblem(message_of, otherwise=otherwise)
    return refusal_page(
        exc, shown, lambda status: render(status, problem=shown.problem), conflict=conflict
    )


def expected_version(form: Mapping[str, Any]) -> int | None:
    """The record version a form was read at (its ``version`` field), or None when not given."""
    version = text(form, "version")
    return int(version) if version.isdigit() else None


class PostedForm(ServiceForm, Protocol):
    """A parsed form with its own messages (bad input found before any service is asked)."""

    errors: dict[str, list[str]]


def save_form(
    page: Page,
    form: PostedForm,
    render: Render,
    save: Callable[[], str],
    *,
    flash: str,
    conflict: str | Callable[[Conflict], str] | None = None,
    problem_fields: Collection[str] = (),
) -> Response:
    """Save a posted form and redirect (303) to the address ``save`` returns, with ``flash``.

    A form with messages is shown again with 422 and ``save`` is not called; a service's
    refusal is answered by :func:`refusal_page` (``conflict`` and ``problem_fields`` as
    there; re-raises a Conflict when ``conflict`` is None).
    """
    if form.errors:
        return render(INVALID)
    try:
        target = save()
    except (ValidationFailed, Conflict) as exc:
        return refusal_page(exc, form, render, conflict=conflict, problem_fields=problem_fields)
    return page.redirect(target, flash=flash)
