"""Ingest: open-source reports in, standard formats out.

``ingest/reading/`` is pure (it reads articles and proposes candidates: text, dates,
places, actors, the event classifier) and imports nothing above ``domain`` and
``geo``. The modules beside it (ACLED import, exports) call the services, like the
API and the CLI do; the API, the web pages and the CLI call ingest.
"""
