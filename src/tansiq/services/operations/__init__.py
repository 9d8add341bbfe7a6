"""Operation plans (coordination, never targets), their approvals and deconfliction."""
