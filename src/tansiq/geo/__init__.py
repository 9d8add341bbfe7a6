"""Pure geography of Iraq: administrative boundaries, point lookup and the place gazetteer.

Nothing here touches the database or the network. The shipped data files in
``tansiq/data`` (OCHA/CSO/ITOS boundaries, GeoNames places) are read once, lazily,
and cached for the life of the process.

- :mod:`tansiq.geo.boundaries` — which governorate/district a point is in, governorate
  names and shapes, boundary GeoJSON for the web map.
- :mod:`tansiq.geo.gazetteer` — place names in English, Arabic and Kurdish (Sorani).
- :mod:`tansiq.geo.precision` and :mod:`tansiq.geo.release` — reduced-precision release
  of a record to a peer (district point, grid cell, day/week); docs/release-precision.md.
"""
