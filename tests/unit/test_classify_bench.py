"""bench/classify.py scores a CASE TSV and fails clearly without one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
BENCH = ROOT / "bench" / "classify.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, str(BENCH), *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    result = _run("--data", str(tmp_path / "absent.tsv"))
    assert result.returncode != 0
    assert "no such file" in result.stderr and "absent.tsv" in result.stderr


def test_unknown_class_names_the_line(tmp_path: Path) -> None:
    data = tmp_path / "bad.tsv"
    data.write_text("id\tEventSnippet\tSubType\n1\tA rocket hit the base.\tROCKETS\n")
    result = _run("--data", str(data))
    assert result.returncode != 0 and "bad.tsv:2: unknown SubType 'ROCKETS'" in result.stderr


def test_scores_a_small_file_and_prints_the_figure_last(tmp_path: Path) -> None:
    data = tmp_path / "small.tsv"
    data.write_text(
        "id\tEventSnippet\tSubType\n"
        "1\tTwo suicide bombers blew themselves up at a checkpoint in Tikrit.\tSUIC_BOMB\n"
        "2\tA flood swept away houses in the mountain villages of Zakho.\tNATURAL_DISASTER\n"
        "3\tThe ambassador was summoned to the foreign ministry over the shelling.\tDIPLO\n"
    )
    result = _run("--data", str(data))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "classify: weighted F1 1.000"
    assert lines[-2] == "macro F1 1.000"
