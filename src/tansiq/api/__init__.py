"""The HTTP API under /api/v1: thin schemas and routes over the services."""
