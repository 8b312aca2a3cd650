"""The benchmarks say what they measured and fail when their target is missed (the figures
themselves are never asserted here: performance is measured by bench/, not by unit tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from xsfabric.switch.allowlist import CLI_COMMANDS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_switch_collect_bench_counts_commands_and_fails_below_target() -> None:
    """Two switches on two workers can never be 10x faster than one after another: the bench
    must say MISSED and exit 1; its label counts the commands the allowlist sends."""
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "bench_switch_collect.py"),
            "--switches",
            "2",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{len(CLI_COMMANDS['cisco_ios'])} commands each" in result.stdout
    assert "MISSED" in result.stdout
    assert "incomplete" not in result.stderr  # every switch stored every capture


@pytest.mark.parametrize("bench", sorted(p.name for p in (ROOT / "bench").glob("bench_*.py")))
def test_every_bench_states_and_checks_a_target(bench: str) -> None:
    text = (ROOT / "bench" / bench).read_text()
    assert "TARGET" in text and "return 0 if" in text, f"{bench}: no target checked"
