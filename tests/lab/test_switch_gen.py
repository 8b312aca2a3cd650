"""Switches in the estate generator: the switch tables come from the same spec as the pools.

The expectations are read from the *written dumps* (parsed the way an import parses them),
and the switch side is read back through the CLI and NAPALM parsers from the written
captures: the generator's own data structures are never compared with themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.processes import run_python, tree

from xsfabric.importer import import_source
from xsfabric.lab.estate import EstateError, load_estate, parse_estate
from xsfabric.lab.switch_gen import main, write_switches
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.model.build import build_pool
from xsfabric.model.xen import Pool
from xsfabric.snapshot import Snapshot, SnapshotWriter
from xsfabric.switch.cli_parse import parse_cli_device
from xsfabric.switch.model import CollectionMethod, SwitchFacts
from xsfabric.switch.napalm_parse import parse_napalm_device
from xsfabric.switch.tables import lldp_table, macs_table
from xsfabric.xapi.dbdump import read_dump
from xsfabric.xapi.records import PoolRecords, records_from_dump

DATA = Path(__file__).resolve().parents[2] / "src" / "xsfabric" / "lab" / "data"


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("estate")
    spec = load_estate(DATA / "example.yaml")
    write_estate(spec, folder)
    write_switches(spec, folder)
    return folder


def _pool(folder: Path, name: str) -> Pool:
    records = records_from_dump(read_dump(folder / "xenserver" / f"{name}.xml"))
    return build_pool(name, PoolRecords(records, "xapi-db"))


def _nic(pool: Pool, host: str, device: str) -> Any:
    uuid = next(h.uuid for h in pool.hosts.values() if h.name_label == host)
    return next(
        p for p in pool.pifs.values() if p.host_uuid == uuid and p.device == device and p.physical
    )


def _cli(folder: Path, device: str) -> SwitchFacts:
    facts = parse_cli_device(folder / "devices" / device, device)
    assert facts.warnings == []
    return facts


def _fdb(facts: SwitchFacts) -> set[tuple[str, int | None, str]]:
    return {(e.mac, e.vlan, e.port) for e in facts.fdb or []}


def test_fdb_places_every_cabled_host_nic_on_its_port_and_vlans(estate: Path) -> None:
    prod = _pool(estate, "prod")
    tor_a, tor_b = _cli(estate, "tor-a"), _cli(estate, "tor-b")
    for i in (1, 2, 3):
        host = f"xs-prod-0{i}"
        eth0, eth1, eth2 = (_nic(prod, host, d) for d in ("eth0", "eth1", "eth2"))
        # eth0 (untagged Management, native VLAN 10) and eth1 (untagged Storage, VLAN 20)
        assert (eth0.mac, 10, f"Ethernet1/{i}") in _fdb(tor_a)
        assert (eth1.mac, 20, f"Ethernet{i}") in _fdb(tor_b)
        # the bond (eth2 primary, eth3) carries VLANs 100 and 200 and its untagged network
        tags = {(m, v) for m, v, p in _fdb(tor_a) if p == f"Ethernet1/1{i}" and m == eth2.mac}
        assert tags == {(eth2.mac, 1), (eth2.mac, 100), (eth2.mac, 200)}
        # the non-primary member shows no MAC of its own
        eth3 = _nic(prod, host, "eth3")
        assert not [e for e in _fdb(tor_b) if e[0] == eth3.mac]
    # host NIC MACs appear only on the ports they are cabled to
    host_macs = {p.mac for p in prod.pifs.values() if p.physical}
    ports_by_mac: dict[str, set[str]] = {}
    for mac, _vlan, port in _fdb(tor_a) | _fdb(tor_b):
        ports_by_mac.setdefault(mac, set()).add(port)
    assert all(len(ports_by_mac[m]) == 1 for m in host_macs if m in ports_by_mac)


def test_guest_vif_macs_are_on_their_hosts_port_and_network_vlan(estate: Path) -> None:
    prod = _pool(estate, "prod")
    fdb = _fdb(_cli(estate, "tor-a"))
    web = next(n for n in prod.networks.values() if n.name_label == "Guest Web")
    hosts = {h.uuid: h.name_label for h in prod.hosts.values()}
    running = [
        vm
        for vm in prod.vms.values()
        if vm.is_guest and vm.power_state == "Running" and vm.resident_on
    ]
    checked = 0
    for vm in running:
        for vif_uuid in vm.vif_uuids:
            vif = prod.vifs[vif_uuid]
            if vif.network_uuid != web.uuid:
                continue
            i = hosts[str(vm.resident_on)][-1]
            assert vif.mac.startswith("00:16:3e")
            assert (vif.mac, 100, f"Ethernet1/1{i}") in fdb
            checked += 1
    assert checked >= 1


def test_lldp_neighbours_name_the_hosts_with_nic_mac_port_ids(estate: Path) -> None:
    prod = _pool(estate, "prod")
    lldp = _cli(estate, "tor-a").lldp or []
    by_port = {n.local_port: n for n in lldp}
    for i in (1, 2, 3):
        host = next(h for h in prod.hosts.values() if h.name_label == f"xs-prod-0{i}")
        neighbour = by_port[f"Ethernet1/{i}"]
        assert neighbour.system_name in (host.hostname, host.name_label)
        assert neighbour.chassis_id == host.uuid
        assert neighbour.port_id == _nic(prod, host.name_label, "eth0").mac
    # the host side of the same spec names the same switch port
    eth0 = _nic(prod, "xs-prod-02", "eth0")
    assert eth0.lldp_neighbor["system_name"] == "tor-a"
    assert eth0.lldp_neighbor["port_id"] == "Ethernet1/2"


def test_cli_and_napalm_captures_agree(estate: Path) -> None:
    for device in ("tor-a", "tor-b"):
        cli = _cli(estate, device)
        napalm = parse_napalm_device(estate / "devices" / device, device)
        assert napalm.method is CollectionMethod.NAPALM and napalm.warnings == []
        assert _fdb(cli) == _fdb(napalm)
        assert {(n.local_port, n.chassis_id, n.port_id, n.system_name) for n in cli.lldp or []} == {
            (n.local_port, n.chassis_id, n.port_id, n.system_name) for n in napalm.lldp or []
        }
        assert [v.vlan_id for v in cli.vlans or []] == [v.vlan_id for v in napalm.vlans or []]


def test_switch_ports_modes_lags_and_peer_links(estate: Path) -> None:
    tor_a, access = _cli(estate, "tor-a"), _cli(estate, "access-1")
    ports = {p.name: p for p in tor_a.ports or []}
    assert ports["Ethernet1/1"].access_vlan == 10
    assert ports["Ethernet1/1"].description == "xs-prod-01 eth0"
    assert ports["Ethernet1/11"].allowed_vlans == (1, 100, 200)
    assert ports["Port-channel48"].lag_members == ("Ethernet1/47", "Ethernet1/48")
    assert [p.name for p in ports.values() if p.is_peer_link] == ["Port-channel48"]
    assert ports["Ethernet1/30"].oper_up is False  # not cabled
    # Junos: VLAN names in the FDB resolve to tags; the test pool's guests on VLAN 91
    guests = {m for m, v, p in _fdb(access) if m.startswith("00:16:3e")}
    assert guests and all((m, 91, "ge-0/0/11") in _fdb(access) for m in guests)


def test_snmprec_for_cisco_switches_collected_over_snmp(estate: Path) -> None:
    assert (estate / "snmpsim" / "tor-a.snmprec").is_file()
    assert sorted(p.name for p in (estate / "snmpsim").glob("tor-a@*.snmprec")) == [
        "tor-a@1.snmprec",
        "tor-a@10.snmprec",
        "tor-a@100.snmprec",
        "tor-a@20.snmprec",
        "tor-a@200.snmprec",
    ]
    assert not list((estate / "snmpsim").glob("tor-b*"))  # EOS: not collected over SNMP


def test_imported_estate_shows_switch_rows_per_device(estate: Path, tmp_path: Path) -> None:
    with SnapshotWriter(tmp_path / "snap") as writer:
        import_source(writer, estate)
        writer.commit()
    snapshot = Snapshot.open(tmp_path / "snap")
    macs = macs_table(snapshot)
    assert {r["device"] for r in macs.rows} == {"tor-a", "tor-b", "access-1"}
    assert macs.warnings == []
    systems = {r["system_name"] for r in lldp_table(snapshot).rows}
    assert systems == {"xs-prod-01", "xs-prod-02", "xs-prod-03", "test-host1"}


@pytest.mark.slow
def test_generation_is_the_same_in_two_processes(tmp_path: Path) -> None:
    """Two interpreters with different hash seeds write byte-identical switch captures."""
    for seed in (1, 2):
        run_python(
            [
                "-m",
                "xsfabric.lab.switch_gen",
                str(DATA / "example.yaml"),
                str(tmp_path / str(seed)),
            ],
            hash_seed=seed,
        )
    first, second = tree(tmp_path / "1"), tree(tmp_path / "2")
    assert any(name.startswith("devices/") for name in first)
    assert first == second


def _spec(**switch: object) -> dict[str, Any]:
    return {
        "pools": [{"name": "p", "hosts": 2, "nics": 2}],
        "switches": [{"name": "sw", "platform": "cisco_ios", "ports": 8, **switch}],
    }


@pytest.mark.parametrize(
    ("switch", "message"),
    [
        ({"platform": "hp_procurve"}, "platform 'hp_procurve' is not one the lab renders"),
        ({"cabling": [{"pool": "q", "nic": "eth0", "port": "Gi1/0/{i}"}]}, "pool 'q'"),
        ({"cabling": [{"pool": "p", "nic": "eth5", "port": "Gi1/0/{i}"}]}, "has no eth5"),
        ({"cabling": [{"pool": "p", "nic": "eth0", "port": "Gi1/0/9{i}"}]}, "no port"),
        (
            {
                "cabling": [
                    {"pool": "p", "nic": "eth0", "port": "Gi1/0/{i}"},
                    {"pool": "p", "nic": "eth0", "port": "Gi1/0/5", "host": 1},
                ]
            },
            "already cabled",
        ),
        (
            {"lags": [{"name": "Po1", "members": ["Gi1/0/1"], "peer_link": True}]},
            "no MLAG / vPC peer link",
        ),
        ({"collect": ["ssh"]}, "unknown collection method"),
    ],
)
def test_bad_switch_descriptions_name_the_switch(switch: dict[str, object], message: str) -> None:
    with pytest.raises(EstateError, match="switch sw") as info:
        parse_estate(_spec(**switch))
    assert message in str(info.value)


def test_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text(
        "pools:\n  - {name: p, hosts: 1}\nswitches:\n  - name: sw\n"
        "    platform: cisco_nxos\n    cabling:\n"
        "      - {pool: p, nic: eth0, port: Ethernet1/99}\n"
    )
    with pytest.raises(EstateError) as info:
        load_estate(path)
    assert str(path) in str(info.value) and ":7" in str(info.value)


def test_command_line_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(DATA / "example.yaml"), str(tmp_path)]) == 0
    assert (tmp_path / "devices" / "access-1" / "platform").read_text() == "juniper_junos\n"
    bad = tmp_path / "bad.yaml"
    bad.write_text("pools: []\n")
    assert main([str(bad), str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith("error: ")
