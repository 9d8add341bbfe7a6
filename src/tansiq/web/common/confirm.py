"""The confirmation step of a final action: a page that says what cannot be undone and
asks for the reason the service journals (cancelling a plan, withdrawing a notice).

The record's page links to the step (a plain GET, so it works without JavaScript); the
step's form posts the action with ``reason``. A refused reason comes back on the same
page, 422, with nothing written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

from tansiq.domain.errors import ValidationFailed
from tansiq.web.common.deps import Page
from tansiq.web.common.fields import text
from tansiq.web.common.i18n import N_

REASON_LABEL = N_("Reason")
REASON_MISSING = N_("Say why: this step is final and cannot be undone.")
REASON_TOO_LONG = N_("Keep the reason to at most 1,000 characters.")


@dataclass(frozen=True)
class FinalStep:
    """One final action as its confirmation page shows it (texts already translated)."""

    heading: str  # "Cancel the plan"
    subject: str  # the record's title, as its owner wrote it
    action: str  # where the form posts
    submit: str  # the button that takes the step
    back: str  # the record's page
    hidden: Mapping[str, str] = field(default_factory=dict)  # e.g. status, version


def confirm_page(
    page: Page,
    step: FinalStep,
    *,
    reason: str = "",
    refused: ValidationFailed | None = None,
) -> Response:
    """The confirmation page; with ``refused`` (the service's error on ``reason``), 422."""
    errors: dict[str, list[str]] = {}
    if refused is not None:
        for error in refused.errors:
            if error.field == "reason":
                too_long = error.message.startswith("must be at most")
                errors["reason"] = [page.gettext(REASON_TOO_LONG if too_long else REASON_MISSING)]
    summary = [("reason", page.gettext(REASON_LABEL), errors["reason"][0])] if errors else []
    context = {"confirm": step, "reason": reason, "errors": errors, "summary": summary}
    return page.render("confirm_final.html", context, status_code=422 if errors else 200)


def refused_reason(exc: ValidationFailed) -> bool:
    """Whether the service refused the step for its reason (and nothing else)."""
    return bool(exc.errors) and all(e.field == "reason" for e in exc.errors)


def take_final_step(
    page: Page,
    form: Mapping[str, Any],
    act: Callable[[str], object],
    step: Callable[[], FinalStep],
    *,
    done: str,
    flash: str,
) -> Response:
    """Run ``act`` with the posted ``reason`` and go to ``done`` with ``flash``; when the
    service refuses the reason alone, the confirmation page of ``step()`` again (422),
    nothing written. Any other refusal propagates (the app answers it as usual)."""
    reason = text(form, "reason")
    try:
        act(reason)
    except ValidationFailed as exc:
        if not refused_reason(exc):
            raise
        return confirm_page(page, step(), reason=reason, refused=exc)
    return page.redirect(done, flash=flash)
