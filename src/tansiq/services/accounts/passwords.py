"""What a password must not be, and how many may be hashed at once.

argon2id at RFC 9106 strength takes 64 MiB and about a third of a second per hash
or check; without a bound, 40 concurrent logins took a node to 1.09 GiB and its
/health to 5.4 s. Every hash and check therefore runs inside :func:`hashing_slot`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib.resources import files

from tansiq.domain.errors import ErrorCollector

MIN_PASSWORD = 10
MAX_PASSWORD = 1024

_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_guard = threading.Lock()


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of refused passwords (``data/common_passwords.txt``), lower-cased."""
    text = files("tansiq").joinpath("data/common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def check_password(errors: ErrorCollector, *, password: str, username: str) -> None:
    """Add an error naming ``password`` when it is too short, too long or too guessable."""
    if len(password) < MIN_PASSWORD:
        errors.add("password", f"must be at least {MIN_PASSWORD} characters")
    elif len(password) > MAX_PASSWORD:
        errors.add("password", f"must be at most {MAX_PASSWORD} characters")
    elif len(set(password)) == 1:
        errors.add("password", "must not be one character repeated")
    elif username and username.lower() in password.lower():
        errors.add("password", "must not contain the username")
    elif password.lower() in common_passwords():
        errors.add("password", "is too common; choose another")


def _semaphore(limit: int) -> threading.BoundedSemaphore:
    with _slots_guard:
        if limit not in _slots:
            _slots[limit] = threading.BoundedSemaphore(limit)
        return _slots[limit]


@contextmanager
def hashing_slot(limit: int) -> Iterator[None]:
    """Hold one of ``limit`` process-wide hashing slots (at least one) while hashing.

    Routes run in a thread pool, so a thread semaphore bounds the memory argon2id uses;
    callers beyond the bound wait their turn instead of all hashing at once.
    """
    slot = _semaphore(max(1, limit))
    with slot:
        yield
