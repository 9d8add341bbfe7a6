"""Copy the front-end files the web UI needs from node_modules/ into static/vendor/.

Run after ``npm ci`` (``make assets`` does both). Standard library only. The output
directory is generated and not committed; it is rebuilt from scratch on every run.
Exits 1 with a one-line message when node_modules/ or an expected file is missing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "src" / "tansiq" / "web" / "static" / "vendor"

FONT_PACKAGE = "@fontsource/noto-sans-arabic"
FONT_FAMILY = "Noto Sans Arabic"
FONT_SUBSET = "arabic"
FONT_WEIGHTS = (400, 700)

# (source under node_modules, destination under vendor/)
FILES: tuple[tuple[str, str], ...] = (
    ("leaflet/dist/leaflet.js", "leaflet.js"),
    ("leaflet/dist/leaflet.css", "leaflet.css"),
    ("leaflet/LICENSE", "LICENSE.leaflet.txt"),
    ("leaflet.markercluster/dist/leaflet.markercluster.js", "leaflet.markercluster.js"),
    ("leaflet.markercluster/dist/MarkerCluster.css", "MarkerCluster.css"),
    ("leaflet.markercluster/MIT-LICENCE.txt", "LICENSE.leaflet.markercluster.txt"),
    ("htmx.org/dist/htmx.min.js", "htmx.min.js"),
    ("htmx.org/LICENSE", "LICENSE.htmx.txt"),
    (f"{FONT_PACKAGE}/LICENSE", "fonts/LICENSE.noto-sans-arabic.txt"),
)
# leaflet.css refers to images/<name>, so they keep that relative place.
DIRECTORIES: tuple[tuple[str, str], ...] = (("leaflet/dist/images", "images"),)


class AssetError(Exception):
    """A file the UI needs is not where npm should have put it."""


def _require(path: Path, node_modules: Path) -> Path:
    """Return ``path``, or raise AssetError naming it relative to node_modules/."""
    if not path.exists():
        raise AssetError(f"missing {path.relative_to(node_modules)}; run `npm ci` first")
    return path


def _font_file(weight: int) -> str:
    return f"noto-sans-arabic-{FONT_SUBSET}-{weight}-normal.woff2"


def _font_unicode_range(node_modules: Path) -> str:
    """Return the unicode-range fontsource publishes for the Arabic subset.

    Raises AssetError when the package's unicode.json is missing or lacks the subset.
    """
    source = _require(node_modules / FONT_PACKAGE / "unicode.json", node_modules)
    ranges = json.loads(source.read_text(encoding="utf-8"))
    if not isinstance(ranges, dict) or not isinstance(ranges.get(FONT_SUBSET), str):
        raise AssetError(f"{FONT_PACKAGE}/unicode.json has no {FONT_SUBSET!r} subset")
    return str(ranges[FONT_SUBSET])


def fonts_css(unicode_range: str) -> str:
    """Return @font-face rules for the vendored Noto Sans Arabic weights."""
    rules = [f"/* {FONT_FAMILY} ({FONT_SUBSET} subset), SIL Open Font License 1.1. */"]
    for weight in FONT_WEIGHTS:
        rules.append(
            "@font-face {\n"
            f"  font-family: '{FONT_FAMILY}';\n"
            "  font-style: normal;\n"
            "  font-display: swap;\n"
            f"  font-weight: {weight};\n"
            f"  src: url(./fonts/{_font_file(weight)}) format('woff2');\n"
            f"  unicode-range: {unicode_range};\n"
            "}"
        )
    return "\n\n".join(rules) + "\n"


def build(node_modules: Path, vendor: Path) -> list[Path]:
    """Rebuild ``vendor`` from ``node_modules`` and return the files written.

    Raises AssetError when node_modules/ or any expected file is missing; ``vendor``
    is only replaced once every source has been found.
    """
    if not node_modules.is_dir():
        raise AssetError(f"{node_modules} not found; run `npm ci --no-audit --no-fund` first")
    fonts_dir = node_modules / FONT_PACKAGE / "files"
    copies = [(_require(node_modules / src, node_modules), vendor / dst) for src, dst in FILES]
    copies += [
        (_require(fonts_dir / _font_file(weight), node_modules), vendor / "fonts" / name)
        for weight in FONT_WEIGHTS
        for name in [_font_file(weight)]
    ]
    trees = [(_require(node_modules / src, node_modules), vendor / dst) for src, dst in DIRECTORIES]
    css = fonts_css(_font_unicode_range(node_modules))

    if vendor.exists():
        shutil.rmtree(vendor)
    written: list[Path] = []
    for source, target in copies:
        target.parent.mkdir(parents=True, exist_ok=True)
        written.append(Path(shutil.copy2(source, target)))
    for source, target in trees:
        shutil.copytree(source, target)
        written.extend(sorted(p for p in target.rglob("*") if p.is_file()))
    (vendor / "fonts.css").write_text(css, encoding="utf-8")
    written.append(vendor / "fonts.css")
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--node-modules", type=Path, default=NODE_MODULES)
    parser.add_argument("--out", type=Path, default=VENDOR)
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)
    try:
        written = build(args.node_modules.resolve(), args.out.resolve())
    except (AssetError, OSError) as err:
        print(f"build_assets: {err}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"build_assets: wrote {len(written)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
