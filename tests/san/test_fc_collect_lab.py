"""FC switch collection against the SSH lab (Brocade FOS and an MDS driven as cisco_nxos):
the lab's own log proves only the read-only FC command set reached the switches, and the
collected snapshot gives the same fabrics and zoning findings the demo plants."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from xsfabric.collect import CollectOptions, collect_hosts
from xsfabric.inventory import InventoryHost
from xsfabric.lab.estate import load_estate as load_estate_spec
from xsfabric.lab.fc_gen import write_fabrics
from xsfabric.lab.ssh_server import LabConfig, LabSshServer
from xsfabric.model.estate import load_estate
from xsfabric.rules.engine import run_rules
from xsfabric.snapshot import DeviceKind, Snapshot, SnapshotWriter, command_filename
from xsfabric.switch.allowlist import FC_CLI_COMMANDS, allowed_commands

CONFIG = LabConfig(username="san", password="san-pass", enable_secret=None)
#: inventory platform of each lab FC switch and the netmiko type it is driven as
#: The running lab's host keys (the collector refuses an unknown key).
KNOWN_HOSTS: list[Path] = []
PLATFORMS = {
    "san-a": ("brocade_fos", "brocade_fos"),
    "san-b": ("cisco_mds", "cisco_nxos"),
    "san-lab": ("brocade_fos", "brocade_fos"),
}


def _host(name: str, platform: str, port: int, password: str = CONFIG.password) -> InventoryHost:
    return InventoryHost(
        name=name,
        hostname="127.0.0.1",
        kind=DeviceKind.FC_SWITCH,
        platform=platform,
        port=port,
        username=CONFIG.username,
        password=password,
        data={"kind": "fc-switch", "known_hosts": str(KNOWN_HOSTS[-1])},
        connection_options={},
        groups=(),
        source="test",
    )


@pytest.fixture(scope="module")
def fc_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabSshServer]:
    from xsfabric.audit import DEMO_ESTATE

    devices = tmp_path_factory.mktemp("fc-devices")
    write_fabrics(load_estate_spec(DEMO_ESTATE).fabrics, devices)
    log = tmp_path_factory.mktemp("fc-log") / "commands.jsonl"
    with LabSshServer(devices, CONFIG, log) as lab:
        assert lab.known_hosts is not None
        KNOWN_HOSTS.append(lab.known_hosts)
        yield lab
        KNOWN_HOSTS.remove(lab.known_hosts)


@pytest.fixture(scope="module")
def fc_snapshot(fc_lab: LabSshServer, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    hosts = [_host(name, platform, fc_lab.ports[name]) for name, (platform, _) in PLATFORMS.items()]
    target = tmp_path_factory.mktemp("fc-snap") / "snap"
    with SnapshotWriter(target) as writer:
        collect_hosts(hosts, writer, CollectOptions(timeout=15, workers=3))
        writer.commit()
    return Snapshot.open(target)


def test_only_the_fc_allowlist_was_sent(fc_snapshot: Snapshot, fc_lab: LabSshServer) -> None:
    entries = fc_lab.log.entries
    assert {e["device"] for e in entries} == set(PLATFORMS)
    for entry in entries:
        netmiko_type = PLATFORMS[entry["device"]][1]
        assert entry["command"] in allowed_commands(netmiko_type), entry
        assert entry["known"], entry
    for name, (_, netmiko_type) in PLATFORMS.items():
        sent = {e["command"] for e in entries if e["device"] == name}
        assert set(FC_CLI_COMMANDS[netmiko_type]) <= sent
        for command in FC_CLI_COMMANDS[netmiko_type]:
            assert (fc_snapshot.device_dir(name) / command_filename(command)).is_file()
        # the Ethernet tables are never asked of an FC switch
        assert "show mac address-table" not in sent and "show interface" not in sent


def test_collected_snapshot_gives_the_planted_zoning_findings(fc_snapshot: Snapshot) -> None:
    assert {d["name"]: (d["kind"], d["status"]) for d in fc_snapshot.devices()} == dict.fromkeys(
        PLATFORMS, ("fc-switch", "ok")
    )
    estate = load_estate(fc_snapshot)
    assert estate.switches == {}
    assert [f.name for f in estate.fabrics] == ["FAB_A", "LAB_FAB", "san-b VSAN 20"]
    results = run_rules(estate)
    found = sorted(
        (f.rule_id, ", ".join(f"{k}={v.name}" for k, v in sorted(f.subject.items())))
        for f in results.findings
    )
    assert found == sorted(
        [
            ("zoning-disabled", "device=LAB_FAB"),
            ("zoning-default-zone-access", "device=san-b VSAN 20"),
            ("zoning-multi-initiator-zone", "device=FAB_A, zone=z_xs_prod_03_a"),
            ("zoning-initiator-to-initiator", "device=san-b VSAN 20, zone=z_hosts_b"),
            ("zoning-port-members", "device=FAB_A, zone=z_legacy_ports"),
            ("zoning-defined-effective-drift", "device=FAB_A"),
            ("zoning-member-not-logged-in", "device=san-b VSAN 20, wwpn=21:00:00:24:ff:99:00:0b"),
            ("zoning-zone-no-online-member", "device=san-b VSAN 20, zone=z_decom_b"),
            ("zoning-empty-or-single-member-zone", "device=san-b VSAN 20, zone=z_placeholder_b"),
            ("zoning-unused-alias", "device=FAB_A, zone=alias old_esx_a"),
            ("zoning-login-not-zoned", "device=FAB_A, wwpn=10:00:00:10:9b:aa:00:09"),
            ("zoning-login-not-zoned", "device=san-b VSAN 20, wwpn=21:00:00:24:ff:10:02:0b"),
        ]
    )
    assert not [w for w in estate.warnings if "fc-switch" in w]
    # the peer zone came through zoneshow --peerzone all with its sides
    fab_a = next(f for f in estate.fabrics if f.name == "FAB_A")
    assert fab_a.effective_zones is not None
    peer = fab_a.effective_zones["pz_fas_0c"]
    assert peer.peer and [(m.role, m.value) for m in peer.device_members] == [
        ("principal", "50:0a:09:81:80:00:00:03"),
        ("peer", "21:00:00:24:ff:10:01:0a"),
        ("peer", "21:00:00:24:ff:10:02:0a"),
    ]


def test_wrong_password_is_auth_failed(fc_lab: LabSshServer, tmp_path: Path) -> None:
    with SnapshotWriter(tmp_path / "snap") as writer:
        collect_hosts(
            [
                _host("san-a", "brocade_fos", fc_lab.ports["san-a"], password="nope"),
                _host("odd", "qlogic_sanbox", fc_lab.ports["san-a"]),
            ],
            writer,
            CollectOptions(timeout=5),
        )
        writer.commit()
    status = {
        d["name"]: (d["status"], d["error"])
        for d in Snapshot.open(tmp_path / "snap").manifest["devices"]
    }
    assert status["san-a"][0] == "auth-failed"
    assert status["odd"][0] == "error" and "qlogic_sanbox" in str(status["odd"][1])


def test_mds_in_the_inventory_as_a_switch_is_collected_as_an_fc_switch(
    fc_lab: LabSshServer, tmp_path: Path
) -> None:
    """platform cisco_nxos, no data.kind: show version names an MDS, so the FC command set is
    sent instead of the Ethernet one, and the manifest records an fc-switch."""
    host = InventoryHost(
        name="san-b",
        hostname="127.0.0.1",
        kind=DeviceKind.SWITCH,
        platform="cisco_nxos",
        port=fc_lab.ports["san-b"],
        username=CONFIG.username,
        password=CONFIG.password,
        data={"collect": ["cli"], "known_hosts": str(KNOWN_HOSTS[-1])},
        connection_options={},
        groups=(),
        source="test",
    )
    before = len(fc_lab.log.entries)
    with SnapshotWriter(tmp_path / "snap") as writer:
        collect_hosts([host], writer, CollectOptions(timeout=15))
        writer.commit()
    snapshot = Snapshot.open(tmp_path / "snap")
    assert [(d["kind"], d["status"]) for d in snapshot.devices()] == [("fc-switch", "ok")]
    sent = [e["command"] for e in fc_lab.log.entries[before:]]
    assert set(sent) - {"terminal length 0", "terminal width 511", "exit"} == set(
        FC_CLI_COMMANDS["cisco_nxos"]
    )
    assert [f.name for f in load_estate(snapshot).fabrics] == ["san-b VSAN 20"]
