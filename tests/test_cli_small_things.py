"""Small things that failed as documented (issue 14, item 7): -o / --output make missing
parents, rule selection on audit and run, bench scripts start as the README says."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from xsfabric.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def lab_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from xsfabric.lab.xapi_dump_gen import main as generate

    base = tmp_path_factory.mktemp("lab")
    assert generate([str(ROOT / "src/xsfabric/lab/data/example.yaml"), str(base / "raw")]) == 0
    # -o into folders that do not exist yet
    target = base / "snapshots" / "2026" / "today"
    assert main(["snapshot", "import", str(base / "raw"), "-o", str(target)]) == 0
    assert (target / "manifest.json").is_file()
    return target


def _audit(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["audit", *argv, "--format", "json", "--fail-on", "none"]) == 0
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    return document


def test_rule_and_skip_rule_select_what_runs(
    lab_snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    everything = _audit(capsys, str(lab_snapshot))
    fired = sorted({f["rule_id"] for f in everything["findings"]})
    assert len(fired) >= 3  # the example estate deviates on purpose
    first, second = fired[0], fired[1]
    only = _audit(capsys, str(lab_snapshot), "--rule", f"{first},{second}")
    assert only["rules_run"] == [r for r in everything["rules_run"] if r in (first, second)]
    assert {f["rule_id"] for f in only["findings"]} == {first, second}
    skipped = _audit(capsys, str(lab_snapshot), "--skip-rule", first)
    assert first not in skipped["rules_run"]
    assert {f["rule_id"] for f in skipped["findings"]} == set(fired) - {first}


def test_an_unknown_rule_is_refused_before_collecting(
    lab_snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", str(lab_snapshot), "--rule", "no-such-rule"]) == 2
    assert "unknown rule no-such-rule" in capsys.readouterr().err
    target = tmp_path / "snap"
    assert main(["run", "-i", str(tmp_path), "-o", str(target), "--skip-rule", "nope"]) == 2
    assert "unknown rule nope" in capsys.readouterr().err
    assert not target.exists()


def test_audit_output_makes_missing_parents(
    lab_snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "reports" / "2026" / "report.json"
    assert (
        main(
            [
                "audit",
                str(lab_snapshot),
                "--format",
                "json",
                "--output",
                str(report),
                "--fail-on",
                "none",
            ]
        )
        == 0
    )
    assert json.loads(report.read_text())["schema"]


def test_bench_scripts_start_as_the_readme_says() -> None:
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"\.venv/bin/python (bench/\w+\.py)", readme))
    assert documented == {f"bench/{p.name}" for p in (ROOT / "bench").glob("bench_*.py")}
    for script in sorted(documented):
        proc = subprocess.run(
            [sys.executable, str(ROOT / script), "--help"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert proc.returncode == 0 and "usage:" in proc.stdout, (script, proc.stderr)
