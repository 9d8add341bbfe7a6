"""Factory functions for sectors and protected sites (Kirkuk, February 2020)."""

from __future__ import annotations

from typing import Any

# A ~9 x 11 km square south of Kirkuk city.
KIRKUK_SQUARE: dict[str, Any] = {
    "type": "Polygon",
    "coordinates": [[[44.3, 35.3], [44.4, 35.3], [44.4, 35.4], [44.3, 35.4], [44.3, 35.3]]],
}


def square(west: float, south: float, size: float = 0.1) -> dict[str, Any]:
    """A lon/lat square polygon with its south-west corner at (west, south)."""
    east, north = west + size, south + size
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def sector_data(**overrides: Any) -> dict[str, Any]:
    """A valid area of responsibility south of Kirkuk, releasable to all; override any field.

    ``occurred_at`` (used by the shared contract suite) becomes ``valid_from``.
    """
    data: dict[str, Any] = {
        "kind": "aor",
        "name": "Sector South",
        "unit_name": "8th Division, 2nd Brigade",
        "geometry": KIRKUK_SQUARE,
        "cross_border": False,
        "depth_m": None,
        "radius_m": None,
        # Sent in the server's own format so the contract suite can compare them as sent.
        "valid_from": "2020-02-01T00:00:00.000000Z",
        "valid_until": "2020-06-01T00:00:00.000000Z",
        "releasability": "all",
        "center_id": None,
    }
    if "occurred_at" in overrides:
        data["valid_from"] = overrides.pop("occurred_at").replace("Z", ".000000Z")
    data.update(overrides)
    return data


def line_data(**overrides: Any) -> dict[str, Any]:
    """A defensive line with a 500 m depth west of Kirkuk."""
    fields: dict[str, Any] = {
        "kind": "defensive_line",
        "geometry": {"type": "LineString", "coordinates": [[44.2, 35.4], [44.2, 35.6]]},
        "depth_m": 500.0,
    }
    return sector_data(**(fields | overrides))


def checkpoint_data(**overrides: Any) -> dict[str, Any]:
    """A checkpoint with a 1 km radius on the Kirkuk-Tuz road."""
    fields: dict[str, Any] = {
        "kind": "checkpoint",
        "name": "Checkpoint 12",
        "geometry": {"type": "Point", "coordinates": [44.45, 35.2]},
        "radius_m": 1000.0,
    }
    return sector_data(**(fields | overrides))


def site_data(**overrides: Any) -> dict[str, Any]:
    """A school in Kirkuk, shared with all; ``occurred_at`` (contract suite) is ignored."""
    overrides.pop("occurred_at", None)
    data: dict[str, Any] = {
        "kind": "school",
        "name": "Al-Noor primary school",
        "name_ar": "مدرسة النور الابتدائية",
        "name_ckb": "",
        "geometry": {"type": "Point", "coordinates": [44.392, 35.468]},
        "cross_border": False,
        "description": "",
        "releasability": "all",
        "center_id": None,
    }
    data.update(overrides)
    return data


def movement_data(**overrides: Any) -> dict[str, Any]:
    """A notified humanitarian convoy from Kirkuk towards Tuz Khurmatu on 21 February."""
    fields: dict[str, Any] = {
        "kind": "humanitarian_movement",
        "name": "WFP convoy 7",
        "name_ar": "",
        "geometry": {"type": "LineString", "coordinates": [[44.39, 35.46], [44.63, 34.88]]},
        "starts_at": "2020-02-21T06:00:00Z",
        "ends_at": "2020-02-21T14:00:00Z",
    }
    return site_data(**(fields | overrides))
