"""Passwords that contain the username, repeat one character or are common are refused."""

from __future__ import annotations

import pytest

from tansiq.domain.errors import ErrorCollector
from tansiq.services.accounts.passwords import check_password, common_passwords


def _problems(password: str, username: str = "fed_liaison") -> list[str]:
    errors = ErrorCollector()
    check_password(errors, password=password, username=username)
    assert all(e.field == "password" for e in errors.errors)
    return [e.message for e in errors.errors]


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "at least 10"),
        ("x" * 1025, "at most"),
        ("aaaaaaaaaaaa", "repeated"),
        ("my-FED_LIAISON-pass", "username"),
        ("Password123", "common"),
        ("1234567890", "common"),
        ("QWERTYUIOP", "common"),
    ],
)
def test_weak_passwords_are_refused_naming_the_field(password: str, reason: str) -> None:
    [problem] = _problems(password)
    assert reason in problem


def test_a_good_password_passes() -> None:
    assert _problems("correct horse battery") == []


def test_the_shipped_list_is_read_without_its_comments() -> None:
    common = common_passwords()
    assert "password123" in common and len(common) > 50
    assert not any(p.startswith("#") for p in common)
