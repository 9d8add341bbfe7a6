"""Tools for the test suite that ship with the package (nothing in Tansiq imports them).

`lossy_proxy` puts a poor network link (latency, a bandwidth cap, drops, cuts, outages)
between two nodes, since the machines the tests run on have no ``tc netem``.
"""
