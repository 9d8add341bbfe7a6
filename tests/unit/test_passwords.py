"""Passwords are hashed with argon2id at production strength."""

from __future__ import annotations

from argon2 import Type, extract_parameters

from tansiq.services.accounts import commands as accounts


def test_production_hashes_are_argon2id_with_rfc9106_strength() -> None:
    # The autouse test fixture swaps the hasher; the dummy hash was made at import time.
    params = extract_parameters(accounts._DUMMY_HASH)
    assert params.type is Type.ID
    assert params.time_cost >= 2 and params.memory_cost >= 19 * 1024


def test_dummy_hash_matches_the_production_hasher_parameters() -> None:
    # An unknown username must cost as much as a wrong password: same parameters.
    from argon2 import PasswordHasher

    production = PasswordHasher()
    params = extract_parameters(accounts._DUMMY_HASH)
    assert (params.time_cost, params.memory_cost, params.parallelism) == (
        production.time_cost,
        production.memory_cost,
        production.parallelism,
    )
    assert production.verify(accounts._DUMMY_HASH, "tansiq-dummy-password")
