"""Incident reports, other parties' assessments of them, and the disputes they make."""
