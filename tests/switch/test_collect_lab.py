"""Collection against the SSH lab: only allowlisted commands reach a device (proved from the
lab's own log), failures map to device statuses, raw captures land in the snapshot layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.switch.conftest import lab_host

from xsfabric.collect import CollectOptions, collect_hosts
from xsfabric.lab.ssh_server import LabSshServer
from xsfabric.lab.switches import CLI_LAB_PLATFORMS
from xsfabric.snapshot import Snapshot, SnapshotWriter, command_filename
from xsfabric.switch.allowlist import (
    CLI_COMMANDS,
    CommandRefusedError,
    allowed_commands,
    check_command,
    guarded,
)
from xsfabric.switch.tables import lldp_table, macs_table, ports_table, vlans_table


def test_only_allowlisted_commands_were_sent(lab_snapshot: Snapshot, ssh_lab: LabSshServer) -> None:
    entries = ssh_lab.log.entries
    assert {e["device"] for e in entries} >= set(CLI_LAB_PLATFORMS)
    for entry in entries:
        platform = CLI_LAB_PLATFORMS[entry["device"]]
        assert entry["command"] in allowed_commands(platform), entry
    # the log is also on disk, one JSON object per line
    assert ssh_lab.log_path is not None and ssh_lab.log_path.read_text().count("\n") >= len(entries)
    # and the CLI command set was really sent and stored
    for name, platform in CLI_LAB_PLATFORMS.items():
        sent = {e["command"] for e in entries if e["device"] == name}
        assert set(CLI_COMMANDS[platform]) <= sent
        for command in CLI_COMMANDS[platform]:
            assert (lab_snapshot.device_dir(name) / command_filename(command)).is_file()


def test_napalm_fallback_command_is_answered_with_the_vendor_error(
    lab_snapshot: Snapshot, ssh_lab: LabSshServer
) -> None:
    unknown = [e["command"] for e in ssh_lab.log.entries if not e["known"]]
    # NAPALM ios tries "show mac-address-table" first, gets "% Invalid input", falls back
    assert "show mac-address-table" in unknown


def test_guard_refuses_before_sending() -> None:
    sent: list[str] = []

    def record(command: str, **_: Any) -> None:
        sent.append(command)

    send = guarded("cisco_ios", record)
    send("show version")
    with pytest.raises(CommandRefusedError, match="configure terminal"):
        send("configure terminal")
    with pytest.raises(CommandRefusedError):
        check_command("cisco_ios", "write memory")
    assert sent == ["show version"]


def test_statuses_of_failed_devices(ssh_lab: LabSshServer, tmp_path: Path) -> None:
    port = ssh_lab.ports["lab-sw1"]
    hosts = [
        lab_host("good", "cisco_ios", port, ["cli"]),
        lab_host("bad-password", "cisco_ios", port, ["cli"], password="nope"),
        lab_host("closed-port", "cisco_ios", 1, ["cli"]),
        lab_host("no-platform-cli", None, port, ["cli"]),
        lab_host(
            "half",
            "cisco_ios",
            port,
            ["cli", "napalm"],
            napalm={"driver": "mock", "optional_args": {"path": str(tmp_path / "none")}},
        ),
    ]
    with SnapshotWriter(tmp_path / "snap") as writer:
        collect_hosts(hosts, writer, CollectOptions(timeout=5))
        writer.commit()
    status = {
        d["name"]: (d["status"], d["error"])
        for d in Snapshot.open(tmp_path / "snap").manifest["devices"]
    }
    assert status["good"] == ("ok", None)
    assert status["bad-password"][0] == "auth-failed"
    assert status["closed-port"][0] == "unreachable"
    assert status["no-platform-cli"][0] == "error"
    assert "need a platform" in str(status["no-platform-cli"][1])
    assert status["half"][0] == "partial"  # CLI worked, every NAPALM getter failed
    assert "napalm: get_facts" in str(status["half"][1])


def test_show_tables_name_every_device(lab_snapshot: Snapshot) -> None:
    for build in (ports_table, macs_table, lldp_table, vlans_table):
        table = build(lab_snapshot)
        assert table.rows
        assert {row["device"] for row in table.rows} == set(CLI_LAB_PLATFORMS)
        assert table.warnings == []
    lldp = lldp_table(lab_snapshot)
    host_rows = [r for r in lldp.rows if r["system_name"] == "xs-host1"]
    assert {r["port_id"] for r in host_rows} == {"00:1b:21:0a:ba:30"}


def test_unparseable_capture_becomes_a_warning_naming_device_command_line(
    lab_snapshot: Snapshot, tmp_path: Path
) -> None:
    import shutil

    copy = tmp_path / "snap"
    shutil.copytree(lab_snapshot.path, copy)
    capture = copy / "devices/lab-sw1" / command_filename("show mac address-table")
    lines = capture.read_text().splitlines()
    lines.insert(8, "garbage that no template knows")
    capture.write_text("\n".join(lines) + "\n")
    table = macs_table(Snapshot.open(copy, verify=False))  # edited on purpose
    assert any(
        "lab-sw1: show mac address-table:9:" in w and "row skipped" in w for w in table.warnings
    ), table.warnings
    # the bad line costs its row, not the table: no rows lost
    assert {r["device"] for r in table.rows} == set(CLI_LAB_PLATFORMS)
