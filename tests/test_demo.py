"""`xsfabric demo`: lab XAPI servers on loopback, collection through the SDK, audit."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from xsfabric.cli import main
from xsfabric.demo import PASSWORD_ENV


@pytest.mark.slow
def test_demo_collects_both_pools_and_never_writes_the_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    target = tmp_path / "demo-snapshot"
    assert main(["demo", "-o", str(target)]) == 0
    out = capsys.readouterr().out
    password = os.environ[PASSWORD_ENV]
    monkeypatch.delenv(PASSWORD_ENV)
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["command"] == "demo"
    pools = {d["name"]: d for d in manifest["devices"] if d["kind"] == "xenserver-pool"}
    assert set(pools) == {"prod", "recovery", "test"}
    assert all(d["status"] == "ok" for d in pools.values())
    switches = {d["name"]: d for d in manifest["devices"] if d["kind"] == "switch"}
    # the demo switches, and two spares waiting for reuse (issue 11: wipe-check)
    assert set(switches) == {"prod-tor1", "prod-tor2", "test-sw1", "spare-sw1", "spare-sw2"}
    assert all(d["status"] == "ok" for d in switches.values())
    fc_switches = {d["name"]: d for d in manifest["devices"] if d["kind"] == "fc-switch"}
    assert set(fc_switches) == {"san-a", "san-b", "san-lab"}
    assert all(d["status"] == "ok" for d in fc_switches.values())
    # the prod pool's inventory data.wwpns became HBA listings in the snapshot
    assert (target / "hba" / "xs-prod-01.txt").read_text() == (
        "0x21000024ff10010a\n0x21000024ff10010b\n"
    )
    assert "fabrics collected" in out
    spare = target / "devices" / "spare-sw1"
    assert (spare / "reuse-candidate").is_file()
    assert (spare / "dir flash:.txt").is_file()  # wipe evidence collected for a reuse candidate
    assert "wipe-residue" in out and "acc-sw1.corp.example.com" in out
    assert (target / "devices" / "test-sw1" / "napalm" / "get_mac_address_table.json").is_file()
    arrays = {d["name"]: d for d in manifest["devices"] if d["kind"] == "array"}
    assert {n: d["status"] for n, d in arrays.items()} == {"fas1": "ok"}
    assert (target / "devices" / "fas1" / "lun mapping show.txt").is_file()
    assert "arrays collected" in out
    assert "commands, all on the read-only allowlist" in out
    assert (target / "policy.yaml").is_file()
    assert "reached via member" in out  # the HOST_IS_SLAVE redirect was followed
    assert "xsfabric audit of" in out
    assert "cabling (26)" in out  # every physical NIC, placed (the demo prints the table)
    assert "unplaced" not in out and "contradicted" not in out
    report = tmp_path / "demo-snapshot-report.html"  # the HTML report, beside the snapshot
    assert f"HTML report: {report.resolve()}" in out
    assert report.read_text().startswith("<!DOCTYPE html>")
    assert password not in report.read_text()
    for path in target.rglob("*"):
        if path.is_file():
            assert password not in path.read_text(errors="replace"), path
    # a second run replaces its own demo snapshot
    assert main(["demo", "-o", str(target)]) == 0


def test_demo_refuses_to_replace_a_folder_that_is_not_a_demo_snapshot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    assert main(["demo", "-o", str(target)]) == 2
    assert "not a demo snapshot" in capsys.readouterr().err
    assert (target / "notes.txt").read_text() == "keep me"
