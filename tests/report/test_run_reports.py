"""`xsfabric run` with report options: the waivers file beside the inventory is applied, SARIF
written, progress lines on a non-terminal stderr, nothing with --quiet (lab round trip)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xsfabric.cli import main
from xsfabric.demo import PASSWORD_ENV, demo_policy, running_lab, write_inventory

WAIVER = """\
waivers:
  - rule: xen-vm-on-management-network
    subject: {vm: legacy-admin}
    justification: isolated admin VM (CHG-1)
    owner: netops
    expires: 2099-12-31
"""


@pytest.mark.slow
def test_run_applies_waivers_beside_the_inventory_and_reports_progress(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "run-reports-Pa55word")
    with running_lab(tmp_path, "run-reports-Pa55word") as lab:
        inventory = write_inventory(tmp_path / "inventory", lab)
        policy = demo_policy(tmp_path)
        assert policy is not None
        (inventory / "policy.yaml").write_text(policy.read_text())
        (inventory / ".xsfabric-waivers.yaml").write_text(WAIVER)
        capsys.readouterr()
        code = main(
            [
                "run",
                "-i",
                str(inventory),
                "-o",
                str(tmp_path / "snap"),
                "--format",
                "sarif",
                "--output",
                str(tmp_path / "audit.sarif"),
            ]
        )
        err = capsys.readouterr().err
        assert (
            main(
                [
                    "run",
                    "-i",
                    str(inventory),
                    "-o",
                    str(tmp_path / "snap2"),
                    "--quiet",
                    "--format",
                    "json",
                    "--output",
                    str(tmp_path / "audit.json"),
                ]
            )
            == code
        )
        quiet_err = capsys.readouterr().err
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("[")]
    devices = json.loads((tmp_path / "snap" / "manifest.json").read_text())["devices"]
    assert len(lines) == len(devices) >= 5  # one line per device (pools and switches)
    assert lines[-1].startswith(f"[{len(devices)}/{len(devices)}] ")
    assert {line.split()[1] for line in lines} == {d["name"] for d in devices}
    assert not any(line.startswith("[") for line in quiet_err.splitlines())
    run = json.loads((tmp_path / "audit.sarif").read_text())["runs"][0]
    waived = [r for r in run["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in waived] == ["xen-vm-on-management-network"]
    doc = json.loads((tmp_path / "audit.json").read_text())
    assert doc["summary"]["suppressed"] == 1
    assert doc["waivers"] == str(inventory / ".xsfabric-waivers.yaml")
    # the workbook of a snapshot with switches has their tabs
    import openpyxl

    assert (
        main(
            [
                "audit",
                str(tmp_path / "snap"),
                "--format",
                "xlsx",
                "--output",
                str(tmp_path / "audit.xlsx"),
                "--fail-on",
                "none",
            ]
        )
        == 0
    )
    book = openpyxl.load_workbook(tmp_path / "audit.xlsx")
    assert {"Switch ports", "VLANs", "LLDP"} <= set(book.sheetnames)
    switches = {d["name"] for d in devices if d["kind"] == "switch" and d["status"] == "ok"}
    ports = book["Switch ports"]
    column = [c.value for c in ports[1]].index("device") + 1
    seen = {ports.cell(row=r, column=column).value for r in range(2, ports.max_row + 1)}
    assert {"prod-tor1", "prod-tor2", "test-sw1"} <= seen <= switches
