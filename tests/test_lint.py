"""The project's own promise: ruff and mypy --strict clean, checked by the test suite so that
CI fails on a regression instead of a reviewer finding it later."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.mark.slow
def test_ruff_is_clean() -> None:
    result = _run("ruff", "check", "--output-format", "concise", "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_ruff_format_is_clean() -> None:
    """One layout for the whole tree (src, tests, bench): ``ruff format`` has nothing to do."""
    result = _run("ruff", "format", "--check", "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    """Strict over the package, the tests and the benchmarks (``[tool.mypy] files``)."""
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
    checked = re.search(r"in (\d+) source files", result.stdout)
    expected = sum(
        1 for top in ("src/xsfabric", "tests", "bench") for _ in (ROOT / top).rglob("*.py")
    )
    assert checked is not None and int(checked.group(1)) == expected, result.stdout


def test_mypy_covers_tests_and_bench() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["strict"] is True
    assert set(config["files"]) >= {"src/xsfabric", "tests", "bench"}
