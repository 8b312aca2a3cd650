"""A non-editable install must carry the schemas, the lab data and the TextFSM templates."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_contains_package_data(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("xsfabric-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "xsfabric/schemas/manifest.schema.json",
        "xsfabric/schemas/policy.schema.json",
        "xsfabric/py.typed",
        "xsfabric/lab/data/demo-estate.yaml",
    ):
        assert required in names, required
    assert any(n.startswith("xsfabric/templates/") and n.endswith(".textfsm") for n in names)
    # no build debris or test files in the wheel
    assert not any(n.startswith("tests/") for n in names)


def _project() -> dict[str, Any]:
    import tomllib

    doc: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return doc


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!\[ ;]", r, maxsplit=1)[0].lower() for r in requirements}


def test_lab_only_libraries_are_an_extra_the_tests_pull_in() -> None:
    project = _project()["project"]
    base = _names(project["dependencies"])
    extras = project["optional-dependencies"]
    assert "asyncssh" in _names(extras["lab"])
    assert "asyncssh" not in base
    assert "cryptography" in base  # the fast SNMP path's v3 privacy imports it
    assert "xsfabric[lab]" in extras["test"]
    assert "pyyaml" in _names(extras["test"])  # tests import yaml


def test_product_code_outside_the_lab_imports_no_lab_only_library() -> None:
    lab_only = _names(_project()["project"]["optional-dependencies"]["lab"])
    for path in sorted((ROOT / "src" / "xsfabric").rglob("*.py")):
        if "lab" in path.relative_to(ROOT / "src" / "xsfabric").parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not {n.split(".")[0].lower() for n in names} & lab_only, path


def test_readme_first_command_installs_the_lab_extra_for_the_demo() -> None:
    readme = (ROOT / "README.md").read_text()
    demo_lines = [
        line for line in readme.splitlines() if "xsfabric demo" in line and "pip install" in line
    ]
    assert demo_lines, "README has no install-and-demo command"
    assert all("'.[lab]'" in line for line in demo_lines)


def test_demo_without_the_lab_extra_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import importlib.util

    from xsfabric.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "asyncssh" else real(name, *a)
    )
    assert main(["demo", "-o", str(tmp_path / "demo")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.splitlines() == [err.splitlines()[0]]
    assert "needs the 'lab' extra (missing: asyncssh)" in err
    assert "pip install 'xsfabric[lab]'" in err
    assert not (tmp_path / "demo").exists()
