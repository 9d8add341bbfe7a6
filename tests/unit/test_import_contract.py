"""The layer contract (``[tool.importlinter]`` in pyproject.toml) holds, and it bites.

The second half copies the package, plants one forbidden import in the copy and checks
that ``lint-imports`` fails naming the contract it breaks, so a contract that silently
stopped matching anything (a renamed package, a typo in a module name) cannot pass.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
PYPROJECT = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONFIG = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
CONTRACTS = {contract["id"]: contract["name"] for contract in CONFIG["contracts"]}


def _lint(config: Path, src: Path) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` on the ``tansiq`` package found in ``src``, uncached."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(config)],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _python_only(directory: str, names: list[str]) -> set[str]:
    """copytree filter: keep sub-directories and ``.py`` files, skip data, assets, caches."""
    return {
        n
        for n in names
        if n == "__pycache__" or (not n.endswith(".py") and not (Path(directory) / n).is_dir())
    }


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    """A copy of ``src/tansiq`` (Python files only) and pyproject.toml under ``tmp_path``."""
    shutil.copytree(ROOT / "src" / "tansiq", tmp_path / "src" / "tansiq", ignore=_python_only)
    shutil.copy(PYPROJECT, tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold_on_the_real_tree() -> None:
    result = _lint(PYPROJECT, ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    for name in CONTRACTS.values():
        assert f"{name} KEPT" in result.stdout


def test_the_copy_is_clean_before_a_violation_is_planted(tree_copy: Path) -> None:
    result = _lint(tree_copy / "pyproject.toml", tree_copy / "src")
    assert result.returncode == 0, result.stdout + result.stderr


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


@pytest.mark.parametrize(
    ("module", "bad_import", "broken"),
    [
        ("domain/choices.py", "import tansiq.storage.db", {"pure-core", "layers"}),
        ("geo/geometry.py", "from tansiq.services.core import ids", {"pure-core", "layers"}),
        ("api/problems.py", "import tansiq.storage.db", {"front-ends-use-services"}),
        ("web/common/i18n.py", "from tansiq.storage import db", {"front-ends-use-services"}),
        ("services/core/ids.py", "import tansiq.api.deps", {"services-below-front-ends", "layers"}),
        ("storage/db.py", "import tansiq.services.core.ids", {"storage-below-services", "layers"}),
        ("concepts.py", "import tansiq.config", {"registry-imports-nothing"}),
        ("cli/options.py", "import tansiq.testing.lossy_proxy", {"layers"}),
        ("ingest/reading/__init__.py", "import tansiq.services.core.ids", {"pure-reading"}),
        ("ingest/__init__.py", "import tansiq.storage.db", {"front-ends-use-services"}),
    ],
)
def test_a_planted_import_breaks_the_contract(
    tree_copy: Path, module: str, bad_import: str, broken: set[str]
) -> None:
    _append(tree_copy / "src" / "tansiq" / module, bad_import)
    result = _lint(tree_copy / "pyproject.toml", tree_copy / "src")
    assert result.returncode != 0, result.stdout
    for contract in broken:
        assert f"{CONTRACTS[contract]} BROKEN" in result.stdout, result.stdout
    dotted = module.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    assert f"tansiq.{dotted}" in result.stdout


def test_a_new_top_level_package_must_be_given_a_layer(tree_copy: Path) -> None:
    package = tree_copy / "src" / "tansiq" / "reports"
    package.mkdir()
    (package / "__init__.py").write_text('"""Not yet placed in the layers."""\n')
    result = _lint(tree_copy / "pyproject.toml", tree_copy / "src")
    assert result.returncode != 0, result.stdout
    assert f"{CONTRACTS['layers']} BROKEN" in result.stdout
    assert "tansiq.reports" in result.stdout
