from __future__ import annotations

import json
from pathlib import Path

import pytest

from xsfabric.errors import SnapshotError
from xsfabric.schemas import SchemaValidationError
from xsfabric.snapshot import (
    DeviceKind,
    DeviceStatus,
    Snapshot,
    SnapshotWriter,
    command_filename,
    command_from_filename,
)


def test_commit_writes_manifest_with_hashes(tmp_path: Path) -> None:
    target = tmp_path / "snap"
    with SnapshotWriter(target) as writer:
        writer.device("sw1", DeviceKind.SWITCH, "cisco_ios", ["cli"])
        writer.write_device_platform("sw1", "cisco_ios")
        writer.write_device_output("sw1", "show interfaces status | i 1/0/1", "Gi1/0/1 up\n")
        # before commit only the empty reservation is visible: nothing that looks complete
        assert target.is_dir() and not any(target.iterdir())
        writer.commit()
    snap = Snapshot.open(target)
    device = next(snap.devices())
    assert device["status"] == "ok"
    paths = {a["path"] for a in device["artifacts"]}
    assert "devices/sw1/show interfaces status | i 1%2F0%2F1.txt" in paths
    assert (target / "devices/sw1/show interfaces status | i 1%2F0%2F1.txt").is_file()
    assert not list(tmp_path.glob(".snap.partial-*"))


def test_interrupted_run_leaves_nothing_that_looks_complete(tmp_path: Path) -> None:
    target = tmp_path / "snap"
    with pytest.raises(RuntimeError), SnapshotWriter(target) as writer:
        writer.device("sw1", DeviceKind.SWITCH)
        writer.write_text("sw1", "devices/sw1/x.txt", "x")
        raise RuntimeError("interrupted")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_existing_target_refused_unless_force(tmp_path: Path) -> None:
    target = tmp_path / "snap"
    target.mkdir()
    (target / "keep.txt").write_text("old")
    with pytest.raises(SnapshotError, match="already exists"):
        SnapshotWriter(target)
    # --force replaces only an xsfabric snapshot: a folder of the user's is kept (issue 8)
    with pytest.raises(SnapshotError, match="not an xsfabric snapshot"):
        SnapshotWriter(target, force=True)
    assert (target / "keep.txt").read_text() == "old"
    (target / "keep.txt").unlink()
    with SnapshotWriter(target, force=True) as writer:  # an empty folder is no one's work
        writer.commit()
    (target / "devices").mkdir()
    (target / "devices" / "extra.txt").write_text("x")
    with SnapshotWriter(target, force=True) as writer:
        writer.commit()
    assert not (target / "devices").exists()
    assert (target / "manifest.json").is_file()


def test_failed_device_is_recorded_with_redacted_error(tmp_path: Path) -> None:
    writer = SnapshotWriter(tmp_path / "s")
    writer.redactor.add_secrets(["hunter2-password"])
    writer.device("pool1", DeviceKind.XENSERVER_POOL, "xenserver")
    writer.mark("pool1", DeviceStatus.AUTH_FAILED, "login with hunter2-password refused")
    writer.commit()
    snap = Snapshot.open(tmp_path / "s")
    failed = snap.failed_devices()
    assert [d["status"] for d in failed] == ["auth-failed"]
    assert "hunter2-password" not in (tmp_path / "s" / "manifest.json").read_text()


def test_path_escape_is_refused(tmp_path: Path) -> None:
    with SnapshotWriter(tmp_path / "s") as writer:
        writer.device("d", DeviceKind.SWITCH)
        with pytest.raises(SnapshotError):
            writer.write_text("d", "../outside.txt", "x")
        with pytest.raises(SnapshotError):
            writer.device("../d", DeviceKind.SWITCH)


def test_open_rejects_missing_non_snapshot_newer_and_invalid(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="no such snapshot"):
        Snapshot.open(tmp_path / "nope")
    (tmp_path / "plain").mkdir()
    with pytest.raises(SnapshotError, match="not a snapshot"):
        Snapshot.open(tmp_path / "plain")
    newer = tmp_path / "newer"
    newer.mkdir()
    (newer / "manifest.json").write_text(json.dumps({"format_version": 99}))
    with pytest.raises(SnapshotError, match="newer"):
        Snapshot.open(newer)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "manifest.json").write_text(json.dumps({"format_version": 1, "tool": "x"}))
    with pytest.raises(SchemaValidationError):
        Snapshot.open(bad)


def test_command_file_names_round_trip() -> None:
    for command in ("show mac address-table", "show int e1/1 | inc 100%", "a%2Fb"):
        assert command_from_filename(command_filename(command)) == command


def test_json_artifacts_are_redacted_value_by_value(tmp_path: Path) -> None:
    """A configuration inside a JSON string (NAPALM get_config) is redacted line by line."""
    config = "hostname sw1\nsnmp-server community Comm-In-Json RO\nenable secret 5 $1$x$yz\n"
    with SnapshotWriter(tmp_path / "s") as writer:
        writer.device("sw1", DeviceKind.SWITCH)
        writer.write_json(
            "sw1",
            "devices/sw1/napalm/get_config.json",
            {"running": config, "startup": "", "candidate": ""},
        )
        writer.commit()
    stored = json.loads((tmp_path / "s/devices/sw1/napalm/get_config.json").read_text())
    assert "Comm-In-Json" not in stored["running"] and "$1$x$yz" not in stored["running"]
    assert stored["running"].startswith("hostname sw1\n")


def test_pool_records_keep_names_that_look_like_config(tmp_path: Path) -> None:
    """xapi records are redacted by key and by the inventory's literal credentials, not by
    configuration patterns: a VM called 'secret 7 tools' stays readable and the JSON valid."""
    from xsfabric.xapi.records import PoolRecords

    records = {
        "VM": {
            "r": {
                "uuid": "u",
                "name_label": "secret 7 tools",
                "other_config": {"note": "uses pool-pw-123456"},
            }
        },
        "PBD": {"b": {"uuid": "b", "device_config": {"password": "smb-pw"}}},
    }
    writer = SnapshotWriter(tmp_path / "s")
    writer.redactor.add_secrets(["pool-pw-123456"])
    writer.device("p", DeviceKind.XENSERVER_POOL)
    writer.write_pool_records("p", PoolRecords(records, "xenapi"))
    writer.commit()
    doc = json.loads((tmp_path / "s/xenserver/p.json").read_text())
    assert doc["records"]["VM"]["r"]["name_label"] == "secret 7 tools"
    assert doc["records"]["VM"]["r"]["other_config"]["note"] == "uses REMOVED"
    assert doc["records"]["PBD"]["b"]["device_config"]["password"] == "REMOVED"
