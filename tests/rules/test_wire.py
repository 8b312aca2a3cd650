"""Wire rules beyond the one positive / near-miss case each (test_rules.py): pools spread over
racks, labels written the way people write them, environments meeting on a VLAN."""

from __future__ import annotations

import copy

from tests.rules.conftest import Spec, audit_spec, cable, clean_spec, subjects


def _second_pair(spec: Spec) -> None:
    """sw-c / sw-d: another MLAG pair (another rack)."""
    for name, peer in (("sw-c", "sw-d"), ("sw-d", "sw-c")):
        spec["switches"].append(
            {
                "name": name,
                "platform": "arista_eos",
                "ports": 48,
                "mlag_peer": peer,
                "lags": [
                    {
                        "name": "Port-Channel48",
                        "members": ["Ethernet47", "Ethernet48"],
                        "peer_link": True,
                    }
                ],
                "cabling": [],
            }
        )


def _move(spec: Spec, nic: str, switch: str, to: str, port: str) -> None:
    cable(switch, nic, 2, switch=to, port=port)(spec)


def test_a_host_in_another_rack_is_not_reported_for_its_switches() -> None:
    spec = clean_spec()
    _second_pair(spec)
    for nic, switch, to in (
        ("eth0", "sw-a", "sw-c"),
        ("eth1", "sw-a", "sw-c"),
        ("eth3", "sw-a", "sw-c"),
        ("eth2", "sw-b", "sw-d"),
        ("eth4", "sw-b", "sw-d"),
    ):
        _move(spec, nic, switch, to, f"Ethernet3{nic[-1]}")
    assert subjects(audit_spec(spec), "wire-nic-cabling-inconsistent") == []


def test_one_nic_in_another_rack_is_reported() -> None:
    spec = clean_spec()
    _second_pair(spec)
    _move(spec, "eth0", "sw-a", "sw-c", "Ethernet30")
    assert subjects(audit_spec(spec), "wire-nic-cabling-inconsistent") == [
        {
            "pool": "prod",
            "host": "prod-h2",
            "pif": "eth0",
            "device": "sw-c",
            "interface": "Ethernet30",
        }
    ]


def test_labels_as_people_write_them() -> None:
    def label(text: str) -> list[dict[str, str]]:
        spec = copy.deepcopy(clean_spec())
        cable("sw-a", "eth0", 1, description=text)(spec)
        return subjects(audit_spec(spec), "wire-port-label-mismatch")

    assert label("prod-h2-eth0") != []  # host and NIC in one word: another host
    assert label("prod-h1-eth3 (mgmt)") != []  # the right host, another NIC
    assert label("prod-h1-eth0") == []
    assert label("prod-h1 NIC1 (iDRAC numbering)") == []  # NICn is not ethN
    assert label("uplink to core") == []


def test_environments_meet_on_a_vlan_only_where_one_has_traffic() -> None:
    """dev's management NIC moved onto prod's switch pair: in VLAN 1 it shares the native VLAN
    of prod's guest trunks (reported); in its own VLAN 500, which no prod port carries, it
    meets nothing."""
    spec = clean_spec()
    cable("sw-dev", "eth0", 1, switch="sw-a", port="Ethernet41", native_vlan=1)(spec)
    assert subjects(audit_spec(spec), "wire-environments-share-port-vlan") == [
        {"device": "sw-a+sw-b", "vlan": "1"}
    ]
    spec = clean_spec()
    cable("sw-dev", "eth0", 1, switch="sw-a", port="Ethernet41", native_vlan=500)(spec)
    assert subjects(audit_spec(spec), "wire-environments-share-port-vlan") == []


def test_an_uncabled_nic_makes_its_pool_not_checked_with_the_reason() -> None:
    spec = clean_spec()
    sw_b = next(s for s in spec["switches"] if s["name"] == "sw-b")
    sw_b["cabling"] = [r for r in sw_b["cabling"] if r["nic"] != "eth4"]
    results = audit_spec(spec)
    reasons = {
        n.reason
        for n in results.not_checked
        if n.rule_id == "wire-vlan-mismatch" and n.subject["pool"].name == "prod"
    }
    assert reasons == {
        "2 NIC(s) not placed or without port configuration: prod-h1/eth4 (member of bond1 "
        "(lacp): the bond sends with its primary member's MAC, not this NIC's, and no LLDP "
        "names its port), prod-h2/eth4 (member of bond1 (lacp): the bond sends with its "
        "primary member's MAC, not this NIC's, and no LLDP names its port)"
    }
    # the placed NICs are still checked: nothing fires on them
    assert [f for f in results.findings if f.rule_id.startswith("wire-")] == []
