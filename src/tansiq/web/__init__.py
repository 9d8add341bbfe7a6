"""Server-rendered web UI: pages, templates, static assets and translations (en, ar, ckb)."""
