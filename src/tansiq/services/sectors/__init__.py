"""Sectors, protected sites and coverage (who covers which ground, and the gaps)."""
