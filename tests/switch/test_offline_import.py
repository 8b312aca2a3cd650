"""Parsing reads only the snapshot: saved `show` outputs and an `snmpwalk -On` file, imported
with `xsfabric snapshot import`, give the same model as a live collection."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.switch.conftest_snmp import SnmpLab, snmp_host

from xsfabric.cli import main
from xsfabric.collect import CollectOptions, collect_hosts
from xsfabric.snapshot import Snapshot, SnapshotWriter
from xsfabric.switch.facts import load_switch_facts, merged_facts
from xsfabric.switch.model import CollectionMethod, SwitchFacts


def _import(source: Path, target: Path, capsys: pytest.CaptureFixture[str]) -> Snapshot:
    assert main(["snapshot", "import", str(source), "-o", str(target)]) == 0
    capsys.readouterr()
    return Snapshot.open(target)


def _by_method(facts: list[SwitchFacts]) -> dict[CollectionMethod, SwitchFacts]:
    return {f.method: f for f in facts}


def test_saved_show_outputs_give_the_live_cli_model(
    lab_snapshot: Snapshot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "captures"
    for device in ("lab-sw1", "lab-sw2"):
        live_dir = lab_snapshot.device_dir(device)
        saved = source / "devices" / device
        saved.mkdir(parents=True)
        # only what a user saves from a terminal: the platform and the show outputs
        for path in live_dir.iterdir():
            if path.is_file() and (path.suffix == ".txt" or path.name == "platform"):
                shutil.copy(path, saved / path.name)
    imported = _import(source, tmp_path / "snap", capsys)
    for device in ("lab-sw1", "lab-sw2"):
        live = _by_method(load_switch_facts(lab_snapshot, device))[CollectionMethod.CLI]
        offline = load_switch_facts(imported, device)
        assert [f.method for f in offline] == [CollectionMethod.CLI]
        assert offline[0] == live
        assert merged_facts(device, offline).fdb == live.fdb
        assert live.fdb  # the comparison is not between two empty tables


def test_saved_snmp_captures_give_the_live_snmp_model(
    snmp_lab: SnmpLab, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live_target = tmp_path / "live"
    with SnapshotWriter(live_target) as writer:
        collect_hosts(
            [snmp_host("lab-sw1", snmp_lab.port, platform="cisco_ios")],
            writer,
            CollectOptions(timeout=20, workers=1),
        )
        writer.commit()
    live_snapshot = Snapshot.open(live_target)
    walks = sorted(live_snapshot.device_dir("lab-sw1").glob("snmpwalk*.snmprec"))
    assert walks, "the live SNMP collection wrote no walk"
    source = tmp_path / "captures" / "devices" / "lab-sw1"
    source.mkdir(parents=True)
    for walk in walks:
        shutil.copy(walk, source / walk.name)
    imported = _import(tmp_path / "captures", tmp_path / "snap", capsys)
    live = load_switch_facts(live_snapshot, "lab-sw1")
    offline = load_switch_facts(imported, "lab-sw1")
    assert offline == live
    assert live[0].ports and live[0].fdb


def test_switch_tables_json_match_their_schema(
    lab_snapshot: Snapshot, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    import jsonschema

    from xsfabric.schemas import load_schema, show_rows_schema

    schema = load_schema("show")
    for table in ("ports", "macs", "lldp", "vlans", "cdp", "arp", "mlag"):
        assert main(["show", table, str(lab_snapshot.path), "--format", "json"]) == 0
        document = json.loads(capsys.readouterr().out)
        jsonschema.validate(document, schema)
        rows = document["rows"]
        assert rows, table
        jsonschema.validate(rows, show_rows_schema(table))


def test_collected_switch_snapshot_holds_no_secret(lab_snapshot: Snapshot) -> None:
    """The lab devices' running configurations carry password hashes and SNMP communities,
    and the collector logged in with a password and an enable secret: none of it may be in
    any file of the snapshot (CLI captures, NAPALM get_config JSON, manifest)."""
    planted = [
        "lab-community",
        "$1$lab0$",
        "$1$lab1$",
        "$5$LAB$",
        "$6$lab$",
        "lab-pass",
        "lab-enable",
    ]
    files = [p for p in lab_snapshot.path.rglob("*") if p.is_file()]
    configs = [
        p
        for p in files
        if "running-config" in p.name or "configuration" in p.name or p.name == "get_config.json"
    ]
    assert configs, "the lab collection stored no configuration to check"
    for path in files:
        text = path.read_text(errors="replace")
        leaked = [secret for secret in planted if secret in text]
        assert not leaked, f"{path}: {leaked}"
