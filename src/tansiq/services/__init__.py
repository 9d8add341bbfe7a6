"""Use cases: each checks policy, changes storage and journals, in one transaction."""
