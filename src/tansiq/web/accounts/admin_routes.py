"""The admin page of a party's users: roles, active and locked state, and the actions on them.

Every action is a CSRF-checked POST that calls one service of
``services/accounts/admin_commands.py`` and shows the page again with what was done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from starlette.exceptions import HTTPException
from starlette.responses import Response

from tansiq.domain.choices import RoleChoices
from tansiq.domain.errors import ValidationFailed
from tansiq.services.accounts.admin_commands import (
    change_roles,
    reset_password,
    set_user_active,
    unlock_user,
)
from tansiq.services.accounts.queries import party_users
from tansiq.web.common.deps import CheckedFormDep, Page, PageDep
from tansiq.web.common.i18n import N_

router = APIRouter()

ROLE_LABELS = {
    RoleChoices.ADMIN.value: N_("Admin"),
    RoleChoices.LIAISON.value: N_("Liaison officer"),
    RoleChoices.ANALYST.value: N_("Analyst"),
    RoleChoices.APPROVER.value: N_("Approver"),
    RoleChoices.SECRETARY.value: N_("Secretary"),
    RoleChoices.OBSERVER.value: N_("Observer"),
}
DONE = {
    "deactivate": N_("User deactivated; their sessions have ended."),
    "activate": N_("User activated."),
    "unlock": N_("User unlocked."),
    "roles": N_("Roles changed."),
    "reset-password": N_("Password reset; their sessions have ended. Give them this password:"),
}
# What the services refuse, as the page says it: the field a refusal names decides it.
REFUSED = {
    "username": N_("You cannot deactivate your own account."),
    "roles": N_("Choose one or more of the listed roles; you cannot remove your own admin role."),
}
REFUSED_OTHERWISE = N_("The change was refused.")


def _refusal(page: Page, exc: ValidationFailed) -> str:
    """The refusal's sentence in the page's language (services speak English)."""
    return " ".join(page.gettext(REFUSED.get(e.field, REFUSED_OTHERWISE)) for e in exc.errors)


def _render(page: Page, *, done: str = "", password: str = "", error: str = "") -> Response:
    context: dict[str, Any] = {
        "users": party_users(page.ctx, actor=page.actor),
        "role_labels": ROLE_LABELS,
        "done": page.gettext(done) if done else "",
        "new_password": password,
        "error": error,
    }
    return page.render("accounts/users.html", context, status_code=422 if error else 200)


@router.get("/admin/users")
def users_page(page: PageDep) -> Response:
    """The party's users; raises PermissionDenied (403) for anyone but an admin."""
    return _render(page)


@router.post("/admin/users/{username}/{action}")
def user_action(page: PageDep, form: CheckedFormDep, username: str, action: str) -> Response:
    """Deactivate, activate, unlock, reset the password of, or set the roles of ``username``.

    An unknown action or another party's user is a 404; a refused change a 422 page.
    """
    by = page.actor
    calls: dict[str, Callable[[], Any]] = {
        "deactivate": lambda: set_user_active(page.ctx, by=by, username=username, active=False),
        "activate": lambda: set_user_active(page.ctx, by=by, username=username, active=True),
        "unlock": lambda: unlock_user(page.ctx, by=by, username=username),
        "roles": lambda: change_roles(
            page.ctx, by=by, username=username, roles=[str(r) for r in form.getlist("roles")]
        ),
        "reset-password": lambda: reset_password(page.ctx, by=by, username=username)[1],
    }
    if action not in calls:
        raise HTTPException(status_code=404)
    try:
        result = calls[action]()
    except ValidationFailed as exc:
        return _render(page, error=_refusal(page, exc))
    password = result if action == "reset-password" else ""
    return _render(page, done=DONE[action], password=password)

