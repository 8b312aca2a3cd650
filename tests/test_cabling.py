"""The demo estate's cabling: every physical NIC placed on the port the spec cables it to, every
planted wire violation found, nothing on the clean ports beside them.

The expected ports are written here from ``lab/data/demo-estate.yaml`` by hand (not computed
by the generator or the correlation): the generator writes dumps and captures, the import and
the product's parsers read them back, and :mod:`xsfabric.correlate` must land on these ports.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from xsfabric.audit import DEMO_ESTATE, DEMO_POLICY, audit_snapshot
from xsfabric.cabling import cabling_table, load_correlated, locate
from xsfabric.cli import main
from xsfabric.lab.estate import load_estate
from xsfabric.lab.switch_gen import write_switches
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.rules.engine import load_rules
from xsfabric.snapshot import Snapshot

#: (host, NIC) → (switch, port), from the demo spec's cabling block.
EXPECTED_PORTS = {
    ("xs-prod-01", "eth0"): ("prod-tor1", "Ethernet1/1"),
    ("xs-prod-02", "eth0"): ("prod-tor1", "Ethernet1/2"),
    ("xs-prod-03", "eth0"): ("prod-tor1", "Ethernet1/3"),
    ("xs-prod-01", "eth1"): ("prod-tor1", "Ethernet1/11"),
    ("xs-prod-02", "eth1"): ("prod-tor1", "Ethernet1/22"),  # swapped with eth3
    ("xs-prod-03", "eth1"): ("prod-tor1", "Ethernet1/13"),
    ("xs-prod-01", "eth3"): ("prod-tor1", "Ethernet1/21"),
    ("xs-prod-02", "eth3"): ("prod-tor1", "Ethernet1/12"),  # swapped with eth1
    ("xs-prod-03", "eth3"): ("prod-tor1", "Ethernet1/23"),
    ("xs-prod-01", "eth4"): ("prod-tor1", "Ethernet1/31"),
    ("xs-prod-01", "eth2"): ("prod-tor2", "Ethernet11"),
    ("xs-prod-02", "eth2"): ("prod-tor2", "Ethernet12"),
    ("xs-prod-03", "eth2"): ("prod-tor2", "Ethernet13"),
    ("xs-prod-02", "eth4"): ("prod-tor2", "Ethernet22"),
    ("xs-prod-03", "eth4"): ("prod-tor2", "Ethernet23"),
    ("xs-test-02", "eth2"): ("prod-tor2", "Ethernet40"),
    ("xs-test-01", "eth0"): ("test-sw1", "GigabitEthernet1/0/1"),
    ("xs-test-02", "eth0"): ("test-sw1", "GigabitEthernet1/0/2"),
    ("xs-test-01", "eth1"): ("test-sw1", "GigabitEthernet1/0/11"),
    ("xs-test-02", "eth1"): ("test-sw1", "GigabitEthernet1/0/12"),
    ("xs-test-01", "eth2"): ("test-sw1", "GigabitEthernet1/0/21"),
    ("xs-test-01", "eth3"): ("test-sw1", "GigabitEthernet1/0/31"),
    ("xs-test-02", "eth3"): ("test-sw1", "GigabitEthernet1/0/32"),
    ("xs-dr-01", "eth0"): ("prod-tor2", "Ethernet41"),
    ("xs-dr-01", "eth1"): ("prod-tor2", "Ethernet42"),
    ("xs-dr-01", "eth2"): ("prod-tor2", "Ethernet43"),
}

#: Every wire finding the demo plants (rule id, subject), from the cabling block's comments.
WIRE_PLANTED = {
    ("wire-environments-share-port-vlan", "device=prod-tor1+prod-tor2, vlan=20"),
    (
        "wire-guest-vlan-on-storage-port",
        "device=prod-tor2, host=xs-prod-01, interface=Ethernet11, pif=eth2, pool=prod",
    ),
    (
        "wire-guest-vlan-on-storage-port",
        "device=prod-tor1, host=xs-prod-02, interface=Ethernet1/22, pif=eth1, pool=prod",
    ),
    (
        "wire-infrastructure-vlan-on-guest-port",
        "device=prod-tor1, host=xs-prod-02, interface=Ethernet1/12, pif=eth3, pool=prod",
    ),
    *{
        (
            "wire-vlan-mismatch",
            f"device=prod-tor1, host=xs-prod-02, interface=Ethernet1/12, network={net}, pif=eth3, "
            f"pool=prod, vlan={vlan}",
        )
        for net, vlan in (("App", 200), ("DB", 300), ("Partner", 400), ("Web DMZ", 100))
    },
    (
        "wire-vlan-mismatch",
        "device=prod-tor1, host=xs-prod-02, interface=Ethernet1/22, "
        "network=Storage, pif=eth1, pool=prod, vlan=20",
    ),
    (
        "wire-vlan-mismatch",
        "device=prod-tor2, host=xs-prod-03, interface=Ethernet23, "
        "network=DB, pif=eth4, pool=prod, vlan=300",
    ),
    (
        "wire-guest-vlan-on-management-port",
        "device=test-sw1, host=xs-test-02, interface=GigabitEthernet1/0/32, pif=eth3, pool=test",
    ),
    ("wire-bond-on-one-switch", "device=prod-tor1, host=xs-prod-01, pif=bond1, pool=prod"),
    (
        "wire-nic-cabling-inconsistent",
        "device=prod-tor2, host=xs-prod-01, interface=Ethernet11, pif=eth2, pool=prod",
    ),
    (
        "wire-nic-cabling-inconsistent",
        "device=prod-tor1, host=xs-prod-02, interface=Ethernet1/22, pif=eth1, pool=prod",
    ),
    (
        "wire-nic-cabling-inconsistent",
        "device=prod-tor1, host=xs-prod-02, interface=Ethernet1/12, pif=eth3, pool=prod",
    ),
    (
        "wire-nic-cabling-inconsistent",
        "device=prod-tor2, host=xs-prod-03, interface=Ethernet23, pif=eth4, pool=prod",
    ),
    (
        "wire-nic-cabling-inconsistent",
        "device=prod-tor2, host=xs-test-02, interface=Ethernet40, pif=eth2, pool=test",
    ),
    (
        "wire-nic-cabling-inconsistent",
        "device=test-sw1, host=xs-test-02, interface=GigabitEthernet1/0/32, pif=eth3, pool=test",
    ),
    (
        "wire-port-label-mismatch",
        "device=prod-tor1, host=xs-prod-02, interface=Ethernet1/22, pif=eth1, pool=prod",
    ),
    (
        "wire-port-label-mismatch",
        "device=prod-tor1, host=xs-prod-02, interface=Ethernet1/12, pif=eth3, pool=prod",
    ),
    (
        "wire-port-label-mismatch",
        "device=prod-tor1, host=xs-prod-03, interface=Ethernet1/3, pif=eth0, pool=prod",
    ),
}

#: Ports cabled cleanly beside the planted ones (same switches, same kinds of NIC).
CLEAN_PORTS = {
    ("prod-tor1", "Ethernet1/1"),
    ("prod-tor1", "Ethernet1/2"),
    ("prod-tor1", "Ethernet1/11"),
    ("prod-tor1", "Ethernet1/13"),
    ("prod-tor1", "Ethernet1/21"),
    ("prod-tor1", "Ethernet1/23"),
    ("prod-tor2", "Ethernet12"),
    ("prod-tor2", "Ethernet13"),
    ("prod-tor2", "Ethernet22"),
    ("test-sw1", "GigabitEthernet1/0/1"),
    ("test-sw1", "GigabitEthernet1/0/11"),
    ("test-sw1", "GigabitEthernet1/0/31"),
}


@pytest.fixture(scope="module")
def demo_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cabling-demo")
    spec = load_estate(DEMO_ESTATE)
    write_estate(spec, root / "src")
    write_switches(spec, root / "src")
    snapshot = root / "snapshot"
    assert (
        main(
            [
                "snapshot",
                "import",
                str(root / "src"),
                "-o",
                str(snapshot),
                "--policy",
                str(DEMO_POLICY),
            ]
        )
        == 0
    )
    return snapshot


def _pairs(findings: list[dict[str, object]]) -> set[tuple[str, str]]:
    pairs = set()
    for finding in findings:
        subject = finding["subject"]
        assert isinstance(subject, dict)
        pairs.add(
            (
                str(finding["rule_id"]),
                ", ".join(f"{k}={v['name']}" for k, v in sorted(subject.items())),
            )
        )
    return pairs


def test_every_physical_nic_is_placed_on_its_generated_port(demo_snapshot: Path) -> None:
    data = load_correlated(Snapshot.open(demo_snapshot))
    placed = {
        (p.host, p.device): (p.endpoint.switch, p.endpoint.port)
        for p in data.cabling.placements
        if p.endpoint is not None
    }
    assert placed == EXPECTED_PORTS
    assert {str(p.status) for p in data.cabling.placements} == {"placed"}
    assert len(data.cabling.placements) == len(EXPECTED_PORTS)


def test_evidence_follows_the_switch_lldp_setting(demo_snapshot: Path) -> None:
    """test-sw1 runs no LLDP: its NICs are placed from the MAC table alone (medium); the prod
    switches are heard by both sides (high)."""
    data = load_correlated(Snapshot.open(demo_snapshot))
    for p in data.cabling.placements:
        assert p.endpoint is not None
        if p.endpoint.switch == "test-sw1":
            assert p.evidence_kinds == ("fdb",), p
            assert p.confidence == "medium"
            assert all(e.source.endswith("show mac address-table.txt") for e in p.evidence)
        else:
            assert p.evidence_kinds[:2] == ("host-lldp", "switch-lldp"), p
            assert p.confidence == "high"


def test_mlag_pair_and_bonds(demo_snapshot: Path) -> None:
    data = load_correlated(Snapshot.open(demo_snapshot))
    assert data.cabling.mlag_pairs == {"prod-tor1": "prod-tor2", "prod-tor2": "prod-tor1"}
    # peer-link members and LAGs are uplinks, never host ports
    assert ("prod-tor1", "Ethernet1/47") in data.cabling.uplinks
    assert ("prod-tor2", "Port-channel48") in data.cabling.uplinks
    spans = {(b.host, b.device): b.switches for b in data.cabling.bonds}
    assert spans[("xs-prod-01", "bond1")] == ("prod-tor1",)
    assert spans[("xs-prod-02", "bond1")] == ("prod-tor1", "prod-tor2")
    assert len(spans) == 6


def test_wire_findings_are_exactly_the_planted_ones(demo_snapshot: Path) -> None:
    result = audit_snapshot(Snapshot.open(demo_snapshot))
    wire = [f.to_json() for f in result.findings if f.rule_id.startswith("wire-")]
    assert _pairs(wire) == WIRE_PLANTED
    assert len(wire) == len(WIRE_PLANTED)
    assert not [n for n in result.not_checked if n.rule_id.startswith("wire-")]


def test_nothing_fires_on_the_clean_ports(demo_snapshot: Path) -> None:
    """No wire or pool finding (switch hygiene judges every port's configuration: its own
    demo test, tests/rules/test_demo_switches.py)."""
    result = audit_snapshot(
        Snapshot.open(demo_snapshot), categories=["segregation", "cabling", "xenserver"]
    )
    hit = {
        (f.subject["device"].name, f.subject["interface"].name)
        for f in result.findings
        if "interface" in f.subject
    }
    assert hit, "the planted ports must be reported"
    assert not hit & CLEAN_PORTS


def test_findings_name_both_ends_and_the_evidence(demo_snapshot: Path) -> None:
    result = audit_snapshot(Snapshot.open(demo_snapshot))
    swap = next(
        f
        for f in result.findings
        if f.rule_id == "wire-nic-cabling-inconsistent" and f.subject["pif"].name == "eth1"
    )
    assert "eth1 and eth3 of xs-prod-02 look swapped" in swap.message
    assert swap.evidence["switch"] == "prod-tor1" and swap.evidence["port"] == "Ethernet1/22"
    assert swap.evidence["swapped_with"] == "eth3"
    assert swap.evidence["placed_by"][0]["kind"] == "host-lldp"
    missing = next(
        f
        for f in result.findings
        if f.rule_id == "wire-vlan-mismatch" and f.subject["host"].name == "xs-prod-03"
    )
    assert missing.evidence["allowed_vlans"] == "1,100,200,400"
    env = next(f for f in result.findings if f.rule_id == "wire-environments-share-port-vlan")
    assert str(env.severity) == "critical"  # the production storage VLAN
    assert env.evidence["pools"]["test"]["ports"] == ["xs-test-02/eth2 (prod-tor2 Ethernet40)"]


def test_without_switches_the_wire_rules_are_not_checked(tmp_path: Path) -> None:
    write_estate(load_estate(DEMO_ESTATE), tmp_path / "src")
    assert (
        main(
            [
                "snapshot",
                "import",
                str(tmp_path / "src"),
                "-o",
                str(tmp_path / "s"),
                "--policy",
                str(DEMO_POLICY),
            ]
        )
        == 0
    )
    result = audit_snapshot(Snapshot.open(tmp_path / "s"))
    assert not [f for f in result.findings if f.rule_id.startswith("wire-")]
    # no switch at all: the engine does not run them and says why (a snapshot with switches
    # that miss some NICs gets the rules' own per-pool not-checked, tested above)
    wire = {r.meta.id for r in load_rules().values() if r.meta.id.startswith("wire-")}
    reasons = {
        n["rule_id"]: n["reason"] for n in result.rules_not_run if n["rule_id"].startswith("wire-")
    }
    assert set(reasons) == wire and len(wire) == 8
    assert all("switch" in reason for reason in reasons.values())


# -- commands -------------------------------------------------------------------------------


def test_cabling_command_json_and_filters(
    demo_snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cabling", str(demo_snapshot), "--format", "json", "--host", "xs-prod-03"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [(r["pif"], r["switch"], r["port"]) for r in rows] == [
        ("eth0", "prod-tor1", "Ethernet1/3"),
        ("eth1", "prod-tor1", "Ethernet1/13"),
        ("eth2", "prod-tor2", "Ethernet13"),
        ("eth3", "prod-tor1", "Ethernet1/23"),
        ("eth4", "prod-tor2", "Ethernet23"),
    ]
    eth0 = rows[0]
    assert eth0["mode"] == "access" and eth0["access_vlan"] == 10
    assert eth0["roles"] == ["management", "guest"]  # legacy-admin's VIF on Management
    assert eth0["mlag_peer"] is None and eth0["description"] == "xs-prod-02 eth0"
    assert rows[4]["allowed_vlans"] == [1, 100, 200, 400]
    assert main(["cabling", str(demo_snapshot), "--format", "csv", "--switch", "test-sw1"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    # CSV cells holding lists are JSON (issue 14)
    assert len(table) == 7 and {tuple(json.loads(r["evidence"])) for r in table} == {("fdb",)}
    assert main(["cabling", str(demo_snapshot), "--status", "unplaced"]) == 0
    assert "cabling (0)" in capsys.readouterr().out


def test_cabling_table_rows_match_placements(demo_snapshot: Path) -> None:
    table = cabling_table(load_correlated(Snapshot.open(demo_snapshot)), pool="test")
    assert {(r["host"], r["pif"]) for r in table.rows} == {
        k for k in EXPECTED_PORTS if k[0].startswith("xs-test")
    }


def test_locate_answers_every_query_form(demo_snapshot: Path) -> None:
    data = load_correlated(Snapshot.open(demo_snapshot))
    nic = next(p for p in data.cabling.placements if (p.host, p.device) == ("xs-test-01", "eth0"))
    cisco = nic.mac.replace(":", "")
    dotted = f"{cisco[:4]}.{cisco[4:8]}.{cisco[8:]}".upper()
    for query in (nic.mac, dotted, "xs-test-01/eth0"):
        rows = locate(data, query).rows
        assert [(r["switch"], r["port"]) for r in rows] == [("test-sw1", "GigabitEthernet1/0/1")]
    # an IP of a host: its management NIC
    rows = locate(data, "172.16.90.11").rows
    assert [(r["host"], r["nic"], r["port"]) for r in rows] == [
        ("xs-test-01", "eth0", "GigabitEthernet1/0/1")
    ]
    # a VM: its VIF's network, the host NIC carrying it and where the switch learns the MAC
    rows = locate(data, "restore-test").rows
    learned = [r for r in rows if r["what"] == "VIF MAC learned"]
    assert learned and all(r["network"] == "Storage Backup" for r in rows)
    assert {(r["switch"], r["port"]) for r in rows} <= {
        ("test-sw1", "GigabitEthernet1/0/21"),
        ("prod-tor2", "Ethernet40"),
    }
    # switch:port: the host NIC and the guests behind it
    rows = locate(data, "prod-tor1:Eth1/21").rows
    assert rows[0]["what"] == "host NIC" and rows[0]["name"] == "xs-prod-01/eth3"
    assert {r["what"] for r in rows} >= {"VIF MAC learned", "LLDP neighbour"}


def test_locate_unknown_query_is_one_line(
    demo_snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["locate", str(demo_snapshot), "no-such-thing"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nothing in the snapshot matches 'no-such-thing'" in err


def test_dom0_ip_on_a_guest_network_does_not_make_it_storage(demo_snapshot: Path) -> None:
    """xs-prod-01 has a dom0 IP on App (a guest network, reaching no SR target): App stays a
    guest network; Storage, whose IPs reach the NFS and iSCSI targets, stays storage; the test
    pool's Storage (IP, no guests, no target reached through it) is storage too."""
    from xsfabric.model.estate import load_estate as load_model

    estate = load_model(Snapshot.open(demo_snapshot), with_switches=False)
    roles = {
        (p.name, n.name_label): (str(n.role), {str(u) for u in n.uses})
        for p in estate.pools
        for n in p.networks.values()
    }
    assert roles[("prod", "App")] == ("guest", {"guest"})
    assert roles[("prod", "Storage")][0] == "storage"
    assert roles[("test", "Storage")][0] == "storage"
    assert roles[("recovery", "DR Storage")][0] == "storage"


def test_the_cdp_only_uplink_learns_the_other_side_but_places_nothing(demo_snapshot: Path) -> None:
    data = load_correlated(Snapshot.open(demo_snapshot))
    facts = data.estate.switches["test-sw1"]
    behind = {e.mac for e in facts.fdb or [] if e.port == "GigabitEthernet1/0/48"}
    prod_macs = {p.mac for p in data.cabling.placements if p.pool == "prod"}
    assert prod_macs & behind  # the prod hosts' MACs are learned on the uplink
    assert ("test-sw1", "GigabitEthernet1/0/48") in data.cabling.uplinks
    assert ("prod-tor1", "Ethernet1/46") in data.cabling.uplinks
    assert not [
        p
        for p in data.cabling.placements
        if p.endpoint and p.endpoint.port in ("GigabitEthernet1/0/48", "Ethernet1/46")
    ]


def test_lab_truth_cdp_arp_and_mlag_come_from_the_spec() -> None:
    """The demo spec: a CDP uplink test-sw1 Gi1/0/48 ↔ prod-tor1 Ethernet1/46; management
    addresses 10.10.0.11 + host (xs-prod-03 has none) in VLAN 10 (native of the eth0 ports)."""
    from xsfabric.lab.switch_gen import switch_truths

    truths = {t.device: t for t, _ in switch_truths(load_estate(DEMO_ESTATE))}
    cdp = truths["test-sw1"].cdp or []
    assert [(n.local_port, n.system_name, n.port_id, n.protocol) for n in cdp] == [
        ("GigabitEthernet1/0/48", "prod-tor1", "Ethernet1/46", "cdp")
    ]
    assert [(n.local_port, n.system_name) for n in truths["prod-tor1"].cdp or []] == [
        ("Ethernet1/46", "test-sw1")
    ]
    arp = {(e.ip, e.interface) for e in truths["prod-tor1"].arp or []}
    assert arp == {("10.10.0.11", "Vlan10"), ("10.10.0.12", "Vlan10")}
    assert {(e.ip, e.interface) for e in truths["prod-tor2"].arp or []} == {
        ("10.10.0.51", "Vlan10")
    }
    mlag = truths["prod-tor1"].mlag or []
    assert [(d.domain_id, d.peer_link) for d in mlag] == [("prod-tor1-prod-tor2", "Port-channel48")]


def test_evidence_names_the_capture_and_line(demo_snapshot: Path) -> None:
    data = load_correlated(Snapshot.open(demo_snapshot))
    nic = next(p for p in data.cabling.placements if (p.host, p.device) == ("xs-test-01", "eth1"))
    fdb = [e for e in nic.evidence if str(e.kind) == "fdb"]
    assert fdb and fdb[0].source == "devices/test-sw1/show mac address-table.txt"
    assert fdb[0].line is not None
    text = (demo_snapshot / fdb[0].source).read_text().splitlines()
    cisco = nic.mac.replace(":", "")
    assert f"{cisco[:4]}.{cisco[4:8]}.{cisco[8:]}" in text[fdb[0].line - 1]
    lldp = next(
        p for p in data.cabling.placements if (p.host, p.device) == ("xs-prod-01", "eth0")
    ).evidence[1]
    assert lldp.source == "devices/prod-tor1/show lldp neighbors detail.txt"
    assert lldp.line is not None


def test_hygiene_port_roles_come_from_the_cabling(demo_snapshot: Path) -> None:
    """The hygiene rules' port roles read the correlation: the CDP-only uplink, which learns
    every host MAC of the far side, is an uplink (not a hypervisor port); the swapped port is
    the hypervisor port of the NIC really cabled there."""
    from xsfabric.model.estate import load_estate as load_model
    from xsfabric.switch.port_roles import PortRole, port_roles

    estate = load_model(Snapshot.open(demo_snapshot))
    roles = port_roles(estate, "test-sw1", estate.configs["test-sw1"][0])
    assert roles["GigabitEthernet1/0/48"].role == PortRole.UPLINK
    assert roles["GigabitEthernet1/0/1"].role == PortRole.HYPERVISOR
    tor1 = port_roles(estate, "prod-tor1", estate.configs["prod-tor1"][0])
    assert [(n.host, n.nic) for n in tor1["Ethernet1/22"].nics] == [("xs-prod-02", "eth1")]
    assert tor1["Ethernet1/47"].role == PortRole.UPLINK  # vPC peer-link member
