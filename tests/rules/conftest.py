"""Rule fixtures: a clean two-pool estate from the estate generator, and helpers to audit a
variant of it. Each rule test changes one thing in a copy of the clean spec."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from xsfabric.lab.estate import parse_estate
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
            {"name": "Management", "on": "eth0", "management": True,
             "ip": {"subnet": f"10.{base}.0.0/24", "gateway": f"10.{base}.0.1"}},
            {"name": "Storage", "on": "bond0", "purpose": "Storage",
             "ip": {"subnet": f"10.{base + 1}.0.0/24"}},
            {"name": "Web", "on": "bond1", "vlan": vlan, "default_locking_mode": "disabled",
             "tags": ["xsfabric:internet-facing", "xsfabric:untrusted"]},
            {"name": "Internal", "on": "bond1", "vlan": vlan + 1},
        ],
        "vms": [
            {"name": "web-{i}", "count": 2, "vifs": [{
                "network": "Web", "locking_mode": "locked", "ipv4_allowed": "auto",
                "ip": {"subnet": f"192.168.{vlan}.0/24", "start": 20}}]},
            {"name": "int-{i}", "count": 2, "vifs": ["Internal"], "tags": ["xsfabric:sensitive"]},
        ],
        "templates": [{"name": "Base template", "vifs": ["Internal"]}],
        "srs": [
            {"name": "Local storage", "type": "lvm", "per_host": True,
             "device_config": {"device": "/dev/sda3"}},
            {"name": "NFS", "type": "nfs",
             "device_config": {"server": f"10.{base + 1}.0.5", "serverpath": "/x",
                               "nfsversion": "4.1"}},
            {"name": "iSCSI", "type": "lvmoiscsi", "paths": [2, 2],
             "device_config": {"target": f"10.{base + 1}.0.6", "targetIQN": "iqn.x:t",
                               "SCSIid": f"3600140500000000000000000000000{base:02}",
                               "chapuser": "xs", "chappassword_secret": "s3cret"}},
            {"name": "SMB", "type": "smb",
             "device_config": {"server": f"//10.{base + 1}.0.8/share", "username": "xs",
                               "password_secret": "s3cret"}},
        ],
    }


def clean_spec() -> Spec:
    return {"seed": "fixture", "pools": [_pool("prod", "production", 10, 10, 2),
                                         _pool("dev", "development", 50, 50, 1)]}


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
    return run_rules(Estate(snapshot=None, pools=pools, policy=None))  # type: ignore[arg-type]


def subjects(results: RuleResults, rule_id: str) -> list[dict[str, str]]:
    """The subjects (key → name) of one rule's findings."""
    return [{k: v.name for k, v in f.subject.items()}
            for f in results.findings if f.rule_id == rule_id]


Mutation = Callable[[Spec], None]


@pytest.fixture(scope="session")
def clean_results() -> RuleResults:
    return audit_spec(clean_spec())
