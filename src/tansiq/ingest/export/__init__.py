"""Exports: what a user may see, as GeoJSON, KML, GeoPackage or (incidents) ACLED CSV files.

``layers.py`` says what each dataset's layers and fields are; ``geojson.py``,
``kml.py``, ``gpkg.py`` and ``acled_csv.py`` are pure writers that take features as they come;
``request.py`` checks what is asked; ``produce.py`` reads the records through the
services' list queries (so releasability is decided where it always is) and hands
them to a writer. The CLI (``tansiq export``), the API (``/api/v1/exports/…``) and
the web pages' download buttons all call ``produce.py``.
"""
