"""Every setting and every CLI command is documented in the README."""

from __future__ import annotations

from pathlib import Path

import click

from tansiq.cli import main
from tansiq.config import SETTINGS_HELP

README = (Path(__file__).parents[2] / "README.md").read_text()


def _commands(group: click.Group, prefix: str = "tansiq") -> list[str]:
    names = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            names.extend(_commands(command, path))
        else:
            names.append(path)
    return names


def test_every_setting_is_documented() -> None:
    missing = [env for env in SETTINGS_HELP if f"`{env}`" not in README]
    assert not missing, f"settings missing from README: {missing}"


def test_every_cli_command_is_documented() -> None:
    missing = [cmd for cmd in _commands(main) if f"`{cmd}" not in README]
    assert not missing, f"commands missing from README: {missing}"


def test_readme_starts_with_the_two_setup_commands() -> None:
    head = "\n".join(README.splitlines()[:6])
    assert "make run" in head and "make test" in head
