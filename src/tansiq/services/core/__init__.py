"""Shared machinery of every concept: context, ids, record kinds, versioning,
journaling, history, pagination, the owned-record service, verify and node set-up.
"""
