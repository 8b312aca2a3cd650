"""Parse once (issue 12): facts parsed at import time, stored in the snapshot (JSON + Parquet),
read back exactly, used by ``audit``, and never trusted when stale or tampered with."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from xsfabric.audit import DEMO_ESTATE, DEMO_POLICY
from xsfabric.cli import main
from xsfabric.errors import SnapshotError
from xsfabric.kinds import DeviceKind
from xsfabric.lab.estate import load_estate
from xsfabric.lab.switch_gen import write_switches
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.snapshot import Snapshot, SnapshotWriter
from xsfabric.switch import facts as facts_module
from xsfabric.switch import facts_store
from xsfabric.switch.facts import device_facts, parse_device
from xsfabric.switch.facts_store import (
    FACTS_FILE,
    StoredFactsError,
    deserialise,
    load_stored,
    serialise,
    store_facts,
)
from xsfabric.switch.model import ALL_VLANS, CollectionMethod, FdbEntry, SwitchFacts


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("facts-demo")
    spec = load_estate(DEMO_ESTATE)
    write_estate(spec, root / "src")
    write_switches(spec, root / "src")
    return root / "src"


def _import(source: Path, target: Path) -> Path:
    argv = ["snapshot", "import", str(source), "-o", str(target), "--policy", str(DEMO_POLICY)]
    assert main(argv) == 0
    return target


@pytest.fixture(scope="module")
def demo_snapshot(demo_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _import(demo_source, tmp_path_factory.mktemp("facts-snap") / "snap")


def _copy(snapshot: Path, target: Path) -> Path:
    shutil.copytree(snapshot, target)
    return target


def _without_facts(snapshot: Path, target: Path) -> Path:
    """The snapshot as an xsfabric without the facts store wrote it."""
    _copy(snapshot, target)
    shutil.rmtree(target / "facts")
    manifest = json.loads((target / "manifest.json").read_text())
    del manifest["facts"]
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return target


def test_import_stores_every_parsed_device(demo_snapshot: Path) -> None:
    snapshot = Snapshot.open(demo_snapshot)
    stored = snapshot.manifest["facts"]["devices"]
    expected = {
        "prod-tor1": "switch",
        "prod-tor2": "switch",
        "test-sw1": "switch",
        "san-a": "fc-switch",
        "san-b": "fc-switch",
        "san-lab": "fc-switch",
        "fas1": "array",
    }
    assert {name: entry["kind"] for name, entry in stored.items()} == expected
    # the big tables are Parquet files, readable by any Parquet reader
    import pyarrow.parquet as pq

    table = pq.read_table(demo_snapshot / "facts" / "prod-tor1" / "0.cli.fdb.parquet")
    assert table.column_names == ["mac", "vlan", "port", "entry_type"]
    assert table.num_rows == 77  # prod-tor1's MAC table (the import summary says 77 too)


def test_stored_facts_round_trip_on_the_demo_estate(demo_snapshot: Path) -> None:
    snapshot = Snapshot.open(demo_snapshot)
    for name, entry in snapshot.manifest["facts"]["devices"].items():
        kind = DeviceKind(entry["kind"])
        parsed = parse_device(snapshot.device_dir(name), name, kind)
        assert parsed, name
        assert load_stored(snapshot, name, kind) == parsed, name


def _corpus_devices(corpus_dir: Path, root: Path) -> list[tuple[Path, str, DeviceKind]]:
    """One device folder per corpus capture: ntc-templates raw outputs (by platform and
    command), LibreNMS SNMP recordings, Brocade FOS outputs."""
    found: list[tuple[Path, str, DeviceKind]] = []
    for raw in sorted((corpus_dir / "ntc-templates").glob("*/*/*.raw")):
        platform, command = raw.parent.parent.name, raw.parent.name.replace("_", " ")
        folder = root / raw.stem
        folder.mkdir()
        (folder / "platform").write_text(f"{platform}\n")
        (folder / f"{command}.txt").write_bytes(raw.read_bytes())
        found.append((folder, raw.stem, DeviceKind.SWITCH))
    for rec in sorted((corpus_dir / "snmp" / "librenms").glob("*.snmprec")):
        folder = root / f"snmp-{rec.stem}"
        folder.mkdir()
        (folder / "snmpwalk.snmprec").write_bytes(rec.read_bytes())
        found.append((folder, rec.stem, DeviceKind.SWITCH))
    brocade = {"cfgshow_1": "cfgshow", "ns_1": "nsshow", "switch_1": "switchshow"}
    folder = root / "brocade"
    folder.mkdir()
    (folder / "platform").write_text("brocade_fos\n")
    for stem, command in brocade.items():
        (folder / f"{command}.txt").write_bytes(
            (corpus_dir / "brocade-fos" / f"{stem}.txt").read_bytes()
        )
    found.append((folder, "brocade", DeviceKind.FC_SWITCH))
    # and a capture no parser reads: its warning must survive the store
    folder = root / "broken"
    folder.mkdir()
    (folder / "platform").write_text("cisco_ios\n")
    (folder / "show mac address-table.txt").write_text("% Invalid input detected at '^' marker.\n")
    found.append((folder, "broken", DeviceKind.SWITCH))
    return found


def test_stored_facts_round_trip_on_corpus_captures(corpus_dir: Path, tmp_path: Path) -> None:
    rows = warnings = 0
    for folder, name, kind in _corpus_devices(corpus_dir, tmp_path):
        parsed = parse_device(folder, name, kind)
        files = serialise(name, kind, parsed)
        assert deserialise(name, kind, files.__getitem__) == parsed, folder.name
        for facts in parsed:
            if isinstance(facts, SwitchFacts):
                rows += len(facts.fdb or []) + len(facts.arp or [])
            warnings += len(getattr(facts, "warnings", []))
    assert rows > 300  # the corpus MAC and ARP tables went through Parquet, not a trivial case
    assert warnings > 0  # and warnings went through the store too


def test_codec_keeps_none_empty_and_the_shared_all_vlans() -> None:
    from xsfabric.switch.model import PortMode, SwitchPort

    facts = SwitchFacts(
        device="sw",
        method=CollectionMethod.CLI,
        ports=[
            SwitchPort("Ethernet1", "Et1", mode=PortMode.TRUNK, allowed_vlans=ALL_VLANS),
            SwitchPort("Ethernet2", "Et2", allowed_vlans=()),
        ],
        fdb=[],
        lldp=None,
        arp=[],
    )
    back = deserialise(
        "sw", DeviceKind.SWITCH, serialise("sw", DeviceKind.SWITCH, [facts]).__getitem__
    )
    assert back == [facts]
    ports = back[0].ports
    assert ports is not None and ports[0].allowed_vlans is ALL_VLANS
    assert back[0].fdb == [] and back[0].lldp is None


def _audit_json(snapshot: Path, capsys: pytest.CaptureFixture[str]) -> str:
    main(["audit", str(snapshot), "--format", "json"])
    return capsys.readouterr().out.replace(str(snapshot), "SNAPSHOT")


def test_audit_is_byte_identical_with_and_without_stored_facts(
    demo_snapshot: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = _without_facts(demo_snapshot, tmp_path / "old")
    capsys.readouterr()
    without = _audit_json(old, capsys)

    # with stored facts, audit parses nothing: the parsers are not even reachable
    def refuse(*args: object) -> list[Any]:
        raise AssertionError(f"parsed although facts are stored: {args}")

    monkeypatch.setattr(facts_module, "parse_device", refuse)
    stored = _copy(demo_snapshot, tmp_path / "new")
    with_facts = _audit_json(stored, capsys)
    assert '"findings"' in with_facts and "prod-tor1" in with_facts
    assert with_facts == without


def test_facts_are_stale_when_the_parser_version_changes(
    demo_snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = Snapshot.open(demo_snapshot)
    expected = load_stored(snapshot, "prod-tor1", DeviceKind.SWITCH)
    monkeypatch.setattr(facts_store, "PARSER_VERSION", facts_store.PARSER_VERSION + 1)
    facts_store.parser_version.cache_clear()
    try:
        with pytest.raises(StoredFactsError, match="parser version"):
            load_stored(snapshot, "prod-tor1", DeviceKind.SWITCH)
        calls: list[str] = []
        real = facts_module.parse_device

        def counting(device_dir: Path, device: str, kind: DeviceKind) -> list[Any]:
            calls.append(device)
            return real(device_dir, device, kind)

        monkeypatch.setattr(facts_module, "parse_device", counting)
        assert device_facts(snapshot, "prod-tor1", DeviceKind.SWITCH) == expected
        assert calls == ["prod-tor1"]  # re-parsed from the raw captures
    finally:
        monkeypatch.undo()
        facts_store.parser_version.cache_clear()


def _tamper_fdb(snapshot: Path) -> FdbEntry:
    """Rewrite prod-tor1's stored MAC table with one MAC changed; return the forged row."""
    import pyarrow.parquet as pq

    path = snapshot / "facts" / "prod-tor1" / "0.cli.fdb.parquet"
    rows = facts_store.table_from_parquet(path.read_bytes(), FdbEntry)
    forged = FdbEntry("02:00:00:00:00:99", rows[0].vlan, rows[0].port, rows[0].entry_type)
    path.write_bytes(facts_store.table_to_parquet([forged, *rows[1:]], FdbEntry))
    assert pq.read_table(path).num_rows == len(rows)
    return forged


def test_a_tampered_facts_file_is_refused_at_open_and_by_verify(
    demo_snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _copy(demo_snapshot, tmp_path / "tampered")
    _tamper_fdb(copy)
    with pytest.raises(SnapshotError, match=r"facts/prod-tor1/0\.cli\.fdb\.parquet: edited"):
        Snapshot.open(copy)
    assert main(["snapshot", "verify", str(copy)]) == 2
    assert "facts/prod-tor1/0.cli.fdb.parquet: edited" in capsys.readouterr().err


def test_a_tampered_facts_file_read_unverified_is_reparsed_not_believed(
    demo_snapshot: Path, tmp_path: Path
) -> None:
    copy = _copy(demo_snapshot, tmp_path / "tampered")
    forged = _tamper_fdb(copy)
    snapshot = Snapshot.open(copy, verify=False)
    with pytest.raises(StoredFactsError, match="edited"):
        load_stored(snapshot, "prod-tor1", DeviceKind.SWITCH)
    macs = {
        e.mac for f in device_facts(snapshot, "prod-tor1", DeviceKind.SWITCH) for e in f.fdb or []
    }
    assert forged.mac not in macs and macs  # the raw captures' table, not the forged one


def test_facts_of_edited_raw_captures_are_stale(demo_snapshot: Path, tmp_path: Path) -> None:
    """Someone edits a capture and re-hashes it in the manifest: the facts stored from the
    old capture no longer match its sources, so the capture is parsed again."""
    copy = _copy(demo_snapshot, tmp_path / "edited")
    capture = copy / "devices" / "prod-tor1" / "show mac address-table.txt"
    lines = capture.read_text().splitlines(keepends=True)
    mac_line = next(i for i, line in enumerate(lines) if "dynamic" in line.lower())
    removed = lines.pop(mac_line)
    capture.write_text("".join(lines))
    manifest = json.loads((copy / "manifest.json").read_text())
    for device in manifest["devices"]:
        for artifact in device["artifacts"]:
            if artifact["path"] == "devices/prod-tor1/show mac address-table.txt":
                artifact["sha256"] = hashlib.sha256(capture.read_bytes()).hexdigest()
                artifact["size"] = capture.stat().st_size
    (copy / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    snapshot = Snapshot.open(copy)  # consistent again
    with pytest.raises(StoredFactsError, match="raw captures changed"):
        load_stored(snapshot, "prod-tor1", DeviceKind.SWITCH)
    before = Snapshot.open(demo_snapshot)
    old = sum(len(f.fdb or []) for f in load_stored(before, "prod-tor1", DeviceKind.SWITCH)[:1])
    new = device_facts(snapshot, "prod-tor1", DeviceKind.SWITCH)[0].fdb or []
    assert len(new) == old - 1, removed


def test_facts_written_in_a_process_pool_are_the_serial_ones(
    demo_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xsfabric.importer import import_source

    outputs: dict[int, dict[str, bytes]] = {}
    for workers in (1, 2):
        monkeypatch.setattr(facts_store, "POOL_MIN_DEVICES", 0)
        target = tmp_path / f"w{workers}"
        with SnapshotWriter(target, command="import") as writer:
            import_source(writer, demo_source, None)
            assert store_facts(writer, workers=workers) == 7
            writer.commit()
        outputs[workers] = {
            p.relative_to(target).as_posix(): p.read_bytes()
            for p in sorted((target / "facts").rglob("*"))
            if p.is_file()
        }
    assert len(outputs[1]) > 7 and f"facts/fas1/{FACTS_FILE}" in outputs[1]
    assert outputs[2] == outputs[1]


def test_a_parser_failure_at_import_keeps_the_snapshot_and_stores_the_rest(
    demo_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored facts are an optimisation: a parser bug met while storing them costs that
    device its stored facts (it is parsed when read), never the snapshot."""
    from xsfabric.importer import import_source

    real = facts_module.parse_device

    def failing(device_dir: Path, device: str, kind: DeviceKind) -> list[Any]:
        if device == "prod-tor2":
            raise RuntimeError("parser bug")
        return real(device_dir, device, kind)

    monkeypatch.setattr(facts_module, "parse_device", failing)
    target = tmp_path / "snap"
    with SnapshotWriter(target, command="import") as writer:
        import_source(writer, demo_source, None)
        assert store_facts(writer, workers=1) == 6
        writer.commit()
    monkeypatch.setattr(facts_module, "parse_device", real)
    snapshot = Snapshot.open(target)
    assert "prod-tor2" not in snapshot.manifest["facts"]["devices"]
    with pytest.raises(StoredFactsError, match="no stored facts"):
        load_stored(snapshot, "prod-tor2", DeviceKind.SWITCH)
    assert device_facts(snapshot, "prod-tor2", DeviceKind.SWITCH)[0].fdb  # parsed when read


def test_reading_an_old_snapshot_never_writes_into_it(
    demo_snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A snapshot without stored facts (older xsfabric) is parsed on every read and left as it
    is: snapshots may be read-only (``../shared`` in CI)."""
    old = _without_facts(demo_snapshot, tmp_path / "old")

    def state() -> dict[str, tuple[int, int]]:
        return {
            p.relative_to(old).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in old.rglob("*")
        }

    before = state()
    _audit_json(old, capsys)
    assert main(["show", "macs", str(old), "--format", "csv"]) == 0
    assert main(["cabling", str(old), "--format", "json"]) in (0, 1)
    assert state() == before
    assert not (old / "facts").exists()
