"""Tools for trying and testing federation on one machine (node pairs, a lossy link)."""
