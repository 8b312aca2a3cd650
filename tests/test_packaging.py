"""A non-editable install must carry the schemas, the lab data and the TextFSM templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_contains_package_data(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, check=False, timeout=300,
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
