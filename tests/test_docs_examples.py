"""The code blocks of ``README.md`` and ``docs/*.md`` that can run offline run as tests, so an
example cannot rot (a missing import, a renamed function) unnoticed.

- Every ```` ```python ```` block runs, unless the line before it says
  ``<!-- not runnable: <reason> -->``.
- A ```` ```sh ```` block runs where the line before it says ``<!-- runnable -->`` (the
  others need live devices, a fresh venv or an inventory), line by line under ``bash -e``
  with the project's venv first on ``PATH``.

Both run in a scratch folder that sees the checkout's ``src/`` (the docs name shipped files
by their path in a checkout), never in the checkout itself.
"""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^```\s*$", re.M | re.S)


@dataclass(frozen=True)
class Block:
    doc: Path
    line: int
    lang: str
    body: str
    marker: str  # the HTML comment on the line before the fence, or ""

    @property
    def id(self) -> str:
        return f"{self.doc.name}:{self.line}"


def blocks() -> list[Block]:
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
            found.append(
                Block(
                    doc,
                    text.count("\n", 0, match.start()) + 1,
                    match.group("lang"),
                    match.group("body"),
                    before if before.startswith("<!--") else "",
                )
            )
    return found


PYTHON = [
    b for b in blocks() if b.lang == "python" and not b.marker.startswith("<!-- not runnable:")
]
SHELL = [
    b for b in blocks() if b.lang in ("sh", "bash", "shell") and b.marker == "<!-- runnable -->"
]


def _scratch(tmp_path: Path) -> Path:
    (tmp_path / "src").symlink_to(ROOT / "src")
    return tmp_path


def test_examples_exist() -> None:
    """The collection itself works: a parsing slip cannot turn this file into zero tests."""
    assert any(b.doc.name == "estate-format.md" for b in PYTHON)
    assert SHELL
    assert all(b.lang for b in blocks() if b.marker == "<!-- runnable -->")


@pytest.mark.parametrize("block", PYTHON, ids=lambda b: b.id)
def test_python_block_runs(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_scratch(tmp_path))
    script = tmp_path / "example.py"
    script.write_text(block.body, encoding="utf-8")
    runpy.run_path(str(script), run_name="__main__")


@pytest.mark.slow
@pytest.mark.parametrize("block", SHELL, ids=lambda b: b.id)
def test_shell_block_runs(block: Block, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", block.body],
        cwd=_scratch(tmp_path),
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, f"{block.id}\n{result.stdout}\n{result.stderr}"
