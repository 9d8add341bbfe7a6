"""GDAL's view of an export: ``ogrinfo`` and ``ogr2ogr`` from Debian's gdal-bin.

Tests that use it skip when ``ogrinfo`` is missing, unless TANSIQ_REQUIRE_GDAL=1
(``.ci/run`` installs gdal-bin and sets it), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest

VALIDATE_GPKG = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")
_LAYER = re.compile(r"^Layer name: (.+)$")
_FIELD = re.compile(r"^(\w+): (\w+(?:\(\w+\))?) \(")


@dataclass
class Layer:
    """One layer as ``ogrinfo -so`` tells it: geometry type, feature count, fields and types."""

    name: str
    geometry: str = ""
    count: int = -1
    fields: dict[str, str] = field(default_factory=dict)


def require_gdal() -> None:
    """Skip the test without gdal-bin (fail under TANSIQ_REQUIRE_GDAL=1)."""
    if shutil.which("ogrinfo") and shutil.which("ogr2ogr"):
        return
    if os.environ.get("TANSIQ_REQUIRE_GDAL", "") in ("1", "true", "yes"):
        pytest.fail("TANSIQ_REQUIRE_GDAL=1 but ogrinfo is missing (apt-get install gdal-bin)")
    pytest.skip("GDAL's ogrinfo is missing (apt-get install gdal-bin)")


def _run(args: list[str], env: Mapping[str, str] | None) -> str:
    done = subprocess.run(
        args, capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})}
    )
    assert done.returncode == 0, f"{args[0]} failed: {done.stderr}"
    # GDAL warns on stderr about what it had to guess or could not read: nothing may be.
    warnings = [line for line in done.stderr.splitlines() if "Warning" in line or "ERROR" in line]
    assert not warnings, warnings
    return done.stdout


def ogrinfo(
    source: str | Path,
    *,
    env: Mapping[str, str] | None = None,
    driver: str | None = None,
    options: Mapping[str, str] | None = None,
) -> dict[str, Layer]:
    """Every layer of ``source`` (a file or URL) by name, as GDAL opens it.

    ``driver`` forces one (``KML`` reads KML without LIBKML, which reports the
    geometry type of each folder but no ExtendedData); ``options`` are open options
    (``-oo NAME=VALUE``).
    """
    args = ["ogrinfo", "-ro", "-so", "-al", str(source)]
    for name, value in (options or {}).items():
        args += ["-oo", f"{name}={value}"]
    if driver == "KML":
        args[1:1] = ["--config", "GDAL_SKIP", "LIBKML"]
    layers: dict[str, Layer] = {}
    current: Layer | None = None
    out = _run(args, env)
    if driver is not None:
        assert f"using driver `{driver}' successful" in out, out[:300]
    for line in out.splitlines():
        if found := _LAYER.match(line):
            current = layers[found.group(1)] = Layer(found.group(1))
        elif current is None:
            continue
        elif line.startswith("Geometry: "):
            current.geometry = line.removeprefix("Geometry: ")
        elif line.startswith("Feature Count: "):
            current.count = int(line.removeprefix("Feature Count: "))
        elif found := _FIELD.match(line):
            current.fields[found.group(1)] = found.group(2)
    return layers


def features(
    source: str | Path, layer: str, *, env: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """The features of one layer as GDAL reads them (through ``ogr2ogr`` to GeoJSON)."""
    out = _run(["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", str(source), layer], env)
    found: list[dict[str, Any]] = orjson.loads(out)["features"]
    return found


def validate_geopackage(path: Path) -> None:
    """Run GDAL's GeoPackage validator (python3-gdal, which gdal-bin brings) on ``path``."""
    require_gdal()
    assert VALIDATE_GPKG.exists(), "gdal-bin without python3-gdal's validate_gpkg.py"
    done = subprocess.run(
        ["python3", str(VALIDATE_GPKG), str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr
