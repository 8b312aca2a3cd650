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
