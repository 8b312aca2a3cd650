"""Rule fixtures: a clean two-pool estate from the estate generator, and helpers to audit a
variant of it. Each rule test changes one thing in a copy of the clean spec."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from xsfabric.lab.estate import parse_estate
from xsfabric.lab.switch_gen import switch_truths
from xsfabric.lab.xapi_dump_gen import MacAllocator, pool_model
from xsfabric.model.estate import Estate
from xsfabric.policy import apply_policy
from xsfabric.rules.engine import RuleResults, run_rules

Spec = dict[str, Any]


def _pool(name: str, env: str, base: int, vlan: int, hosts: int) -> dict[str, Any]:
    """One clean pool: management on eth0, bonded storage, bonded guest VLANs."""
    return {
        "name": name,
        "tags": [f"xsfabric:environment={env}", "xsfabric:trust=trusted"],
        "hosts": hosts,
        "host_name": f"{name}-h{{i}}",
        "nics": 5,
        "multipathing": True,
        "bonds": [{"members": ["eth1", "eth2"]}, {"members": ["eth3", "eth4"], "mode": "lacp"}],
        "networks": [
            {
                "name": "Management",
                "on": "eth0",
                "management": True,
                "ip": {"subnet": f"10.{base}.0.0/24", "gateway": f"10.{base}.0.1"},
            },
            {
                "name": "Storage",
                "on": "bond0",
                "purpose": "Storage",
                "ip": {"subnet": f"10.{base + 1}.0.0/24"},
            },
            {
                "name": "Web",
                "on": "bond1",
                "vlan": vlan,
                "default_locking_mode": "disabled",
                "tags": ["xsfabric:internet-facing", "xsfabric:untrusted"],
            },
            {"name": "Internal", "on": "bond1", "vlan": vlan + 1},
        ],
        "vms": [
            {
                "name": "web-{i}",
                "count": 2,
                "vifs": [
                    {
                        "network": "Web",
                        "locking_mode": "locked",
                        "ipv4_allowed": "auto",
                        "ip": {"subnet": f"192.168.{vlan}.0/24", "start": 20},
                    }
                ],
            },
            {"name": "int-{i}", "count": 2, "vifs": ["Internal"], "tags": ["xsfabric:sensitive"]},
        ],
        "templates": [{"name": "Base template", "vifs": ["Internal"]}],
        "srs": [
            {
                "name": "Local storage",
                "type": "lvm",
                "per_host": True,
                "device_config": {"device": "/dev/sda3"},
            },
            {
                "name": "NFS",
                "type": "nfs",
                "device_config": {
                    "server": f"10.{base + 1}.0.5",
                    "serverpath": "/x",
                    "nfsversion": "4.1",
                },
            },
            {
                "name": "iSCSI",
                "type": "lvmoiscsi",
                "paths": [2, 2],
                "device_config": {
                    "target": f"10.{base + 1}.0.6",
                    "targetIQN": "iqn.x:t",
                    "SCSIid": f"3600140500000000000000000000000{base:02}",
                    "chapuser": "xs",
                    "chappassword_secret": "s3cret",
                },
            },
            {
                "name": "SMB",
                "type": "smb",
                "device_config": {
                    "server": f"//10.{base + 1}.0.8/share",
                    "username": "xs",
                    "password_secret": "s3cret",
                },
            },
        ],
    }


def _switches() -> list[dict[str, Any]]:
    """Where the clean pools are cabled: prod on an MLAG pair (sw-a, sw-b; bond members split
    across them), dev on its own switch. Untagged networks land in the port's native VLAN:
    prod management 100, storage 101; dev management 500, storage 501."""
    peer = [{"name": "Port-Channel48", "members": ["Ethernet47", "Ethernet48"], "peer_link": True}]
    return [
        {
            "name": "sw-a",
            "platform": "arista_eos",
            "ports": 48,
            "mlag_peer": "sw-b",
            "lags": copy.deepcopy(peer),
            "cabling": [
                {"pool": "prod", "nic": "eth0", "port": "Ethernet{i}", "native_vlan": 100},
                {"pool": "prod", "nic": "eth1", "port": "Ethernet1{i}", "native_vlan": 101},
                {"pool": "prod", "nic": "eth3", "port": "Ethernet2{i}"},
            ],
        },
        {
            "name": "sw-b",
            "platform": "arista_eos",
            "ports": 48,
            "mlag_peer": "sw-a",
            "lags": copy.deepcopy(peer),
            "cabling": [
                {"pool": "prod", "nic": "eth2", "port": "Ethernet1{i}", "native_vlan": 101},
                {"pool": "prod", "nic": "eth4", "port": "Ethernet2{i}"},
            ],
        },
        {
            "name": "sw-dev",
            "platform": "cisco_ios",
            "ports": 48,
            "cabling": [
                {
                    "pool": "dev",
                    "nic": "eth0",
                    "port": "GigabitEthernet1/0/{i}",
                    "native_vlan": 500,
                },
                {
                    "pool": "dev",
                    "nic": "eth1",
                    "port": "GigabitEthernet1/0/1{i}",
                    "native_vlan": 501,
                },
                {
                    "pool": "dev",
                    "nic": "eth2",
                    "port": "GigabitEthernet1/0/2{i}",
                    "native_vlan": 501,
                },
                {"pool": "dev", "nic": "eth3", "port": "GigabitEthernet1/0/3{i}"},
                {"pool": "dev", "nic": "eth4", "port": "GigabitEthernet1/0/4{i}"},
            ],
        },
    ]


def clean_spec() -> Spec:
    return {
        "seed": "fixture",
        "pools": [_pool("prod", "production", 10, 10, 2), _pool("dev", "development", 50, 50, 1)],
        "switches": _switches(),
    }


def cable(switch: str, nic: str, host: int, /, **changes: Any) -> Callable[[Spec], None]:
    """Change the cabling of one host's NIC: the row for every host is split into one row per
    host (ports filled in), and the host's row gets ``changes`` (``switch`` moves it)."""

    def apply(spec: Spec) -> None:
        sw = next(s for s in spec["switches"] if s["name"] == switch)
        row = next(r for r in sw["cabling"] if r["nic"] == nic and "host" not in r)
        sw["cabling"].remove(row)
        hosts = pool_of(spec, row["pool"])["hosts"]
        for i in range(1, hosts + 1):
            mine = {**row, "host": i, "port": row["port"].replace("{i}", str(i))}
            target = sw
            if i == host:
                moved = changes.get("switch")
                mine.update({k: v for k, v in changes.items() if k != "switch"})
                if moved:
                    target = next(s for s in spec["switches"] if s["name"] == moved)
            target["cabling"].append(mine)

    return apply


def pool_of(spec: Spec, name: str) -> dict[str, Any]:
    return next(p for p in spec["pools"] if p["name"] == name)


def network_of(spec: Spec, pool: str, name: str) -> dict[str, Any]:
    return next(n for n in pool_of(spec, pool)["networks"] if n["name"] == name)


def sr_of(spec: Spec, pool: str, name: str) -> dict[str, Any]:
    return next(s for s in pool_of(spec, pool)["srs"] if s["name"] == name)


def audit_spec(spec: Spec) -> RuleResults:
    """Generate the dumps, build the model the way an import does, apply intent, run rules."""
    estate_spec = parse_estate(copy.deepcopy(spec))
    macs = MacAllocator()
    for pool_spec in estate_spec.pools:
        macs.reserve_pool(pool_spec)
    pools = [pool_model(p, macs) for p in estate_spec.pools]
    apply_policy(pools, None)
    # the switches as the lab's truth (the demo and cabling tests read them back from captures)
    switches = {truth.device: truth for truth, _ in switch_truths(estate_spec)}
    return run_rules(
        Estate(
            snapshot=None,  # type: ignore[arg-type]
            pools=pools,
            policy=None,
            switches=switches,
        )
    )


def subjects(results: RuleResults, rule_id: str) -> list[dict[str, str]]:
    """The subjects (key → name) of one rule's findings."""
    return [
        {k: v.name for k, v in f.subject.items()} for f in results.findings if f.rule_id == rule_id
    ]


Mutation = Callable[[Spec], None]


@pytest.fixture(scope="session")
def clean_results() -> RuleResults:
    return audit_spec(clean_spec())
