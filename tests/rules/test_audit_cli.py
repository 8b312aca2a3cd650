"""``xsfabric audit`` / ``rules`` exit codes and bad input: 0 clean, 1 findings, 2 usage or
input error, 3 incomplete snapshot; 2 wins over 3 wins over 1."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.rules.conftest import clean_spec

from xsfabric.audit import DEMO_ESTATE, DEMO_POLICY
from xsfabric.cli import main
from xsfabric.lab.estate import load_estate, parse_estate
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.rules.engine import load_rules


def _import(src: Path, out: Path, *extra: str) -> Path:
    assert main(["snapshot", "import", str(src), "-o", str(out), *extra]) == 0
    return out


@pytest.fixture(scope="module")
def clean_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clean")
    write_estate(parse_estate(clean_spec()), root / "src")
    return _import(root / "src", root / "snapshot")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo-cli")
    write_estate(load_estate(DEMO_ESTATE), root / "src")
    return _import(root / "src", root / "snapshot", "--policy", str(DEMO_POLICY))


def _partial_copy(snapshot: Path, tmp_path: Path, status: str = "partial") -> Path:
    copy = tmp_path / "partial"
    shutil.copytree(snapshot, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["devices"][0]["status"] = status
    manifest["devices"][0]["error"] = "VIF.get_all_records timed out"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    return copy


def test_clean_snapshot_exits_0(clean_snapshot: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(clean_snapshot)]) == 0
    assert "No findings" in capsys.readouterr().out


def test_findings_exit_1_and_fail_on_thresholds(demo: Path) -> None:
    assert main(["audit", str(demo), "--format", "json"]) == 1
    assert main(["audit", str(demo), "--fail-on", "none"]) == 0
    assert main(["audit", str(demo), "--fail-on", "critical"]) == 0  # the demo has no critical
    assert main(["audit", str(demo), "--fail-on", "high"]) == 1


def test_filters_limit_report_and_exit(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["audit", str(demo), "--format", "json", "--min-severity", "high"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert {f["severity"] for f in doc["findings"]} == {"high"}
    assert doc["summary"]["findings_before_filters"] > doc["summary"]["findings"]
    assert (
        main(["audit", str(demo), "--format", "json", "--category", "storage-access,cabling"]) == 1
    )
    doc = json.loads(capsys.readouterr().out)
    assert {f["category"] for f in doc["findings"]} == {"storage-access", "cabling"}
    # Cabling findings are medium and low: reported, but below --fail-on high.
    assert (
        main(["audit", str(demo), "--format", "json", "--category", "cabling", "--fail-on", "high"])
        == 0
    )
    assert {f["severity"] for f in json.loads(capsys.readouterr().out)["findings"]} == {
        "medium",
        "low",
    }
    # no false green (issue 8): a category no rule checks is reported as not checked, exit 3
    from xsfabric.rules.engine import load_rules

    if not [r for r in load_rules().values() if r.meta.category == "wipe"]:
        capsys.readouterr()
        assert main(["audit", str(demo), "--category", "wipe"]) == 3
        assert "category wipe not checked: no rule checks this category yet" in (
            capsys.readouterr().err
        )


def test_missing_snapshot_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such snapshot folder" in err


def test_not_a_snapshot_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(tmp_path)]) == 2
    assert "not a snapshot (no manifest.json)" in capsys.readouterr().err


def test_newer_format_exits_2(
    clean_snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "newer"
    shutil.copytree(clean_snapshot, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["format_version"] = 99
    (copy / "manifest.json").write_text(json.dumps(manifest))
    assert main(["audit", str(copy)]) == 2
    assert "newer than this xsfabric reads" in capsys.readouterr().err


def test_partial_snapshot_exits_3_over_findings(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partial = _partial_copy(demo, tmp_path)
    assert main(["audit", str(partial)]) == 3  # findings too: 3 wins over 1
    captured = capsys.readouterr()
    assert "snapshot incomplete: prod (partial)" in captured.err
    assert "Snapshot incomplete" in captured.out
    assert main(["audit", str(partial), "--allow-partial"]) == 1
    assert main(["audit", str(partial), "--fail-on", "none"]) == 3


def test_partial_clean_snapshot_exits_3_then_0(clean_snapshot: Path, tmp_path: Path) -> None:
    partial = _partial_copy(clean_snapshot, tmp_path, status="timeout")
    assert main(["audit", str(partial)]) == 3
    assert main(["audit", str(partial), "--allow-partial"]) == 0


def test_usage_error_wins_over_partial(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partial = _partial_copy(demo, tmp_path)
    assert main(["audit", str(partial), "--category", "nonsense"]) == 2
    assert "unknown category nonsense" in capsys.readouterr().err
    bad_policy = tmp_path / "bad.yaml"
    bad_policy.write_text("pools:\n  prod:\n    environment: prodution\n")
    assert main(["audit", str(partial), "--policy", str(bad_policy)]) == 2
    assert f"{bad_policy}:3" in capsys.readouterr().err


def test_policy_naming_unknown_pool_warns(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "version: 1\npools:\n  prod: {environment: production}\n"
        "  ghost: {environment: staging}\n"
        "networks:\n  - match: {name: No Such Network}\n    untrusted: true\n"
    )
    assert main(["audit", str(demo), "--policy", str(policy), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert "pool 'ghost' matches no pool" in captured.err
    assert "matches no network" in captured.err
    doc = json.loads(captured.out)
    assert any("ghost" in w for w in doc["warnings"])
    assert doc["policy"] == str(policy)


def test_output_to_unwritable_file_exits_2(demo: Path, tmp_path: Path) -> None:
    # missing folders are made (issue 14); a file where a folder should be cannot be
    (tmp_path / "no").write_text("a file, not a folder")
    assert main(["audit", str(demo), "--output", str(tmp_path / "no" / "dir" / "x.txt")]) == 2


def test_rules_command_lists_rules_and_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in doc["rules"]] == list(load_rules())
    for r in doc["rules"]:
        assert r["guide"] or r["references"], r["id"]
        assert r["rationale"] and r["remediation"]
    status = {c["id"]: c["status"] for c in doc["coverage"]}
    assert list(status) == [f"G{n:02d}" for n in range(1, 32)]
    assert status["G04"] == "automated" and status["G03"] == "automated"
    assert status["G23"] == "manual" and status["G30"] == "automated"  # FC zoning + arrays
    assert status["G29"] == "automated"  # LUN masking read from the arrays
    assert status["G01"] == "automated"  # G02-G12 all read with the switch data
    assert main(["rules"]) == 0
    assert "Guide coverage" in capsys.readouterr().out


def test_run_refuses_bad_options_before_collecting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = tmp_path / "snap"
    assert main(["run", "-i", str(tmp_path), "-o", str(snapshot), "--category", "bogus"]) == 2
    assert "unknown category bogus" in capsys.readouterr().err
    assert not snapshot.exists()
    assert main(["run", "-i", str(tmp_path / "no-inventory"), "-o", str(snapshot)]) == 2
    assert not snapshot.exists()
