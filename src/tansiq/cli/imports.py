"""``tansiq import``: datasets kept elsewhere into this node's records, all or nothing.

``tansiq import acled FILE --as USER`` reads an ACLED export into the user's party's
incidents (``tansiq.ingest.acled``); a re-import updates what it imported before.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

import click

from tansiq.cli.options import AS_USER, acting_as, node_options
from tansiq.config import Settings

# Below this size an import takes about a second: no bar unless asked for.
PROGRESS_FROM_BYTES = 1024 * 1024


class ProgressLine:
    """A percentage of the file read, redrawn in place on one line of ``stream``."""

    def __init__(self, total: int, label: str, stream: TextIO) -> None:
        self.total = max(total, 1)
        self.label = label
        self.stream = stream
        self.done = 0
        self.shown = -1
        self.started = time.monotonic()

    def advance(self, count: int) -> None:
        """Count ``count`` more bytes read; redraw when the whole percentage moved."""
        self.done += count
        percent = min(100, self.done * 100 // self.total)
        if percent != self.shown:
            self.shown = percent
            bar = "#" * (percent // 4)
            elapsed = time.monotonic() - self.started
            self.stream.write(f"\r{self.label} [{bar:<25}] {percent:3d}% {elapsed:5.1f} s")
            self.stream.flush()

    def close(self) -> None:
        """End the line (the summary goes to stdout)."""
        if self.shown >= 0:
            self.stream.write("\n")
            self.stream.flush()


@click.group("import")
def import_group() -> None:
    """Import records kept elsewhere (ACLED exports) as your party's, all or nothing."""


@import_group.command("acled")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--releasability",
    type=click.Choice(["party", "all"]),
    default="party",
    show_default=True,
    help="Who may see the incidents it creates; those it updates keep theirs.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar on stderr (default: for files over 1 MiB on a terminal).",
)
@AS_USER
@node_options
def import_acled(
    settings: Settings, file: Path, releasability: str, progress: bool | None, username: str
) -> None:
    """Import an ACLED CSV export (its 31 columns) as incidents of USERNAME's party.

    A row whose event_id_cnty was imported before updates that incident (a new version;
    nothing when unchanged). Any bad row and nothing is stored: the error names the row
    (the header is row 1) and the column.
    """
    from tansiq.ingest.acled import import_acled as run_import

    size = file.stat().st_size
    if progress is None:
        progress = sys.stderr.isatty() and size >= PROGRESS_FROM_BYTES
    bar = ProgressLine(size, f"importing {file.name}", sys.stderr) if progress else None
    try:
        with acting_as(settings, username) as (ctx, actor):
            summary = run_import(
                ctx,
                actor=actor,
                path=file,
                releasability=releasability,
                progress=bar.advance if bar else None,
            )
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror or exc}") from None
    finally:
        if bar is not None:
            bar.close()
    click.echo(
        f"imported {summary.total} rows for party {actor.party}: {summary.created} created, "
        f"{summary.updated} updated, {summary.unchanged} unchanged"
        + (f", {summary.retracted} retracted left as they are" if summary.retracted else "")
    )


COMMANDS: tuple[click.Command, ...] = (import_group,)
