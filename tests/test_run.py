"""`xsfabric run`: collect from live (lab) pools, then audit, in one command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xsfabric.cli import main
from xsfabric.demo import PASSWORD_ENV, demo_policy, running_lab, write_inventory


@pytest.mark.slow
def test_run_collects_then_audits_with_the_policy_beside_the_inventory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    password = "run-test-Pa55word"
    monkeypatch.setenv(PASSWORD_ENV, password)
    with running_lab(tmp_path, password) as lab:
        inventory = write_inventory(tmp_path / "inventory", lab)
        policy = demo_policy(tmp_path)
        assert policy is not None
        (inventory / "policy.yaml").write_text(policy.read_text())
        snapshot = tmp_path / "snap"
        code = main(
            [
                "run",
                "-i",
                str(inventory),
                "-o",
                str(snapshot),
                "--format",
                "json",
                "--output",
                str(tmp_path / "report.json"),
            ]
        )
    assert code == 1  # the demo estate has planted findings at or above "low"
    report = json.loads((tmp_path / "report.json").read_text())
    pools = {f["subject"].get("pool", {}).get("name") for f in report["findings"]}
    assert pools >= {"prod", "test"}
    assert (snapshot / "policy.yaml").is_file()
    manifest = json.loads((snapshot / "manifest.json").read_text())
    # three pools, three switches, two spare switches, three FC switches, an array
    assert len(manifest["devices"]) == 12
    assert {d["status"] for d in manifest["devices"]} == {"ok"}
    assert password not in (tmp_path / "report.json").read_text()
    capsys.readouterr()


def test_run_hands_its_collection_options_to_collect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`run --processes 2 --snmp-client pysnmp` collects as `collect` would with them (both
    options were once accepted by `run` and silently dropped, or refused)."""
    import argparse

    import xsfabric.collect

    seen: list[argparse.Namespace] = []

    def fake_collect(args: argparse.Namespace) -> int:
        seen.append(args)
        return 2  # nothing collected: run stops before the audit

    monkeypatch.setattr(xsfabric.collect, "run_collect", fake_collect)
    argv = ["run", "-i", str(tmp_path), "--snapshot", str(tmp_path / "snap")]
    assert main([*argv, "--processes", "2", "--snmp-client", "pysnmp", "--workers", "3"]) == 2
    assert (seen[0].processes, seen[0].snmp_client, seen[0].workers) == (2, "pysnmp", 3)
    assert main(argv) == 2  # defaults: the automatic rule and the inventory's own choice
    assert (seen[1].processes, seen[1].snmp_client) == (None, None)
