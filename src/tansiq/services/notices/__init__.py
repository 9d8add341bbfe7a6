"""Coordination notices between parties and their acknowledgements."""
