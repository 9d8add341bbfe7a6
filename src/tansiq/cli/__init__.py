"""The ``tansiq`` command line: the front door of a node.

This module holds the group: the node's own commands (``cli/node.py``), reading
articles (``cli/ingest.py``), the imports of datasets kept elsewhere
(``cli/imports.py``) and each concept's ``COMMANDS`` (``cli/<concept>.py``); all of
them share ``cli/options.py``.
"""

from __future__ import annotations

import click

from tansiq.cli import imports, ingest, node
from tansiq.concepts import concepts_with


@click.group()
@click.version_option(package_name="tansiq")
def main() -> None:
    """Tansiq: incidents, journal and coordination for a joint security mechanism."""


for command in (*node.COMMANDS, *ingest.COMMANDS, *imports.COMMANDS):
    main.add_command(command)
for concept in concepts_with("cli"):
    for command in concept.part("cli").COMMANDS:
        main.add_command(command)
