"""Run xsfabric in a process of its own: "the same across runs" means across two
interpreters (each with its own hash seed, so set and dict orders differ), not two calls in
one process that share every cache and every iteration order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_python(
    args: list[str], hash_seed: int, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``python <args>`` with ``PYTHONHASHSEED`` fixed; fails the test on a non-zero exit."""
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    result = subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return result


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
