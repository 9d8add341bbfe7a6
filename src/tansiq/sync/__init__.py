"""Sync: the transport between nodes (HTTP pull, transfer files, the background loop).

It writes nothing itself: batches are verified and applied by
``services/federation``, like every other write, through the services.
"""
