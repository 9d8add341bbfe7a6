"""Tools to try and test federation on one machine; nothing in Tansiq imports them.

``pair`` runs federated nodes as real processes (``make run-pair``, the two-node
tests); ``lossy_proxy`` puts a poor network link (latency, a bandwidth cap, drops,
cuts, outages) between them, since these machines have no ``tc netem``.
"""
