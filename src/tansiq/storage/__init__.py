"""Storage: tables, engine set-up and migrations (SQLite and PostgreSQL)."""
