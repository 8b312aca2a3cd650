"""A positive and a negative (near-miss) fixture for every rule, built with the estate
generator: each case changes one thing in the clean two-pool estate of conftest.py."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from tests.rules.conftest import (
    Mutation,
    Spec,
    audit_spec,
    cable,
    clean_spec,
    network_of,
    pool_of,
    sr_of,
    subjects,
)

from xsfabric.rules.engine import RuleResults, load_rules


@dataclass(frozen=True)
class Case:
    rule_id: str
    positive: Mutation
    #: Exactly the subjects (key → name) the rule must report for the positive fixture.
    expected: list[dict[str, str]]
    negative: Mutation


def add_vm(pool: str, vm: dict[str, object]) -> Mutation:
    return lambda spec: pool_of(spec, pool)["vms"].append(vm)


def add_network(pool: str, net: dict[str, object]) -> Mutation:
    return lambda spec: pool_of(spec, pool)["networks"].append(net)


def add_sr(pool: str, sr: dict[str, object]) -> Mutation:
    return lambda spec: pool_of(spec, pool)["srs"].append(sr)


def override(pool: str, host: int, **values: object) -> Mutation:
    return lambda spec: (
        pool_of(spec, pool).setdefault("overrides", {}).setdefault(host, {}).update(values)
    )


def both(*mutations: Mutation) -> Mutation:
    def apply(spec: Spec) -> None:
        for mutation in mutations:
            mutation(spec)

    return apply


def _drop_mlag_peers(spec: Spec) -> None:
    for switch in spec["switches"]:
        switch.pop("mlag_peer", None)


def set_net(pool: str, net: str, /, **values: object) -> Mutation:
    return lambda spec: network_of(spec, pool, net).update(values)


def rename_net(pool: str, old: str, new: str) -> Mutation:
    """Rename a network and every VIF that names it."""

    def apply(spec: Spec) -> None:
        network_of(spec, pool, old)["name"] = new
        p = pool_of(spec, pool)
        for vm in [*p["vms"], *p.get("templates", [])]:
            vm["vifs"] = [new if v == old else v for v in vm["vifs"]]

    return apply


def set_dc(pool: str, sr: str, **values: object) -> Mutation:
    def apply(spec: Spec) -> None:
        config = sr_of(spec, pool, sr)["device_config"]
        for key, value in values.items():
            if value is None:
                config.pop(key, None)
            else:
                config[key] = value

    return apply


def no_bond_storage(spec: Spec) -> None:
    prod = pool_of(spec, "prod")
    prod["bonds"] = [{"members": ["eth3", "eth4"], "mode": "lacp", "device": "bond1"}]
    network_of(spec, "prod", "Storage")["on"] = "eth1"


def swap_dev_bonds(spec: Spec) -> None:
    network_of(spec, "dev", "Storage")["on"] = "bond1"
    for name in ("Web", "Internal"):
        network_of(spec, "dev", name)["on"] = "bond0"


P, H1, H2 = {"pool": "prod"}, {"host": "prod-h1"}, {"host": "prod-h2"}
WEB_LOCKED = {"network": "Web", "locking_mode": "locked", "ipv4_allowed": ["192.168.10.99"]}

CASES = [
    Case(
        "xen-vm-on-management-network",
        add_vm("prod", {"name": "admin", "vifs": ["Management"]}),
        [P | {"network": "Management", "vm": "admin", "vif": "0"}],
        add_vm("prod", {"name": "admin", "vifs": ["Internal"]}),
    ),
    Case(
        "xen-template-on-management-network",
        lambda s: pool_of(s, "prod")["templates"].append(
            {"name": "Old template", "vifs": ["Management"]}
        ),
        [P | {"network": "Management", "vm": "Old template", "vif": "0"}],
        add_vm("prod", {"name": "admin", "vifs": ["Management"]}),
    ),  # a VM, not a template
    Case(
        "xen-vm-on-storage-network",
        add_vm("prod", {"name": "backup", "vifs": ["Storage"]}),
        [P | {"network": "Storage", "vm": "backup", "vif": "0"}],
        add_vm("prod", {"name": "admin", "vifs": ["Management"]}),
    ),
    Case(
        "xen-dom0-ip-on-guest-network",
        override("prod", 1, ips={"Internal": "192.168.11.5/24"}),
        [P | H1 | {"network": "Internal", "pif": "bond1.11"}],
        # an IP on a network without guests is a storage-style interface, not G11
        both(
            add_network("prod", {"name": "Replication", "on": "bond1", "vlan": 12}),
            override("prod", 1, ips={"Replication": "192.168.12.5/24"}),
        ),
    ),
    Case(
        "xen-management-storage-share-nic",
        set_net("prod", "Storage", on="eth0", vlan=20),
        [P | H1 | {"pif": "eth0"}, P | H2 | {"pif": "eth0"}],
        set_net("prod", "Storage", on="bond1", vlan=20),
    ),
    Case(
        "xen-guest-on-infrastructure-nic",
        both(
            add_network("prod", {"name": "Lab", "on": "eth0", "vlan": 30}),
            add_vm("prod", {"name": "lab", "vifs": ["Lab"]}),
        ),
        [P | H1 | {"pif": "eth0"}, P | H2 | {"pif": "eth0"}],
        both(
            add_network("prod", {"name": "Lab", "on": "bond1", "vlan": 30}),
            add_vm("prod", {"name": "lab", "vifs": ["Lab"]}),
        ),
    ),
    Case(
        "xen-guest-networks-share-nic-untagged",
        both(
            add_network("prod", {"name": "Native", "on": "bond1"}),
            add_vm("prod", {"name": "native", "vifs": ["Native"]}),
        ),
        [
            P | H1 | {"network": "Native", "pif": "bond1"},
            P | H2 | {"network": "Native", "pif": "bond1"},
        ],
        both(
            add_network("prod", {"name": "Native", "on": "bond1", "vlan": 12}),
            add_vm("prod", {"name": "native", "vifs": ["Native"]}),
        ),
    ),
    Case(
        "xen-vm-bridges-internet-and-internal",
        add_vm("prod", {"name": "proxy", "vifs": [WEB_LOCKED, "Internal"]}),
        [P | {"vm": "proxy"}],
        add_vm("prod", {"name": "proxy", "vifs": [WEB_LOCKED, WEB_LOCKED]}),
    ),
    Case(
        "xen-internet-network-shares-vlan",
        both(
            add_network("prod", {"name": "Shadow", "on": "eth0", "vlan": 10}),
            add_vm("prod", {"name": "shadow", "vifs": ["Shadow"]}),
        ),
        [P | {"network": "Shadow", "vlan": "10"}],
        both(
            add_network("prod", {"name": "Shadow", "on": "eth0", "vlan": 13}),
            add_vm("prod", {"name": "shadow", "vifs": ["Shadow"]}),
        ),
    ),
    Case(
        "xen-storage-over-management",
        add_sr(
            "prod",
            {
                "name": "NFS2",
                "type": "nfs",
                "device_config": {"server": "10.10.0.50", "serverpath": "/y", "nfsversion": "4.1"},
            },
        ),
        [P | H1 | {"sr": "NFS2"}, P | H2 | {"sr": "NFS2"}],
        # the same SR with its target in the storage subnet next to the management one
        add_sr(
            "prod",
            {
                "name": "NFS2",
                "type": "nfs",
                "device_config": {"server": "10.11.0.50", "serverpath": "/y", "nfsversion": "4.1"},
            },
        ),
    ),
    Case(
        "xen-storage-target-via-gateway",
        add_sr(
            "prod",
            {
                "name": "Far",
                "type": "nfs",
                "device_config": {"server": "10.99.0.5", "serverpath": "/y", "nfsversion": "4.1"},
            },
        ),
        [P | H1 | {"sr": "Far"}, P | H2 | {"sr": "Far"}],
        # the same SR at the last address inside the storage subnet
        add_sr(
            "prod",
            {
                "name": "Far",
                "type": "nfs",
                "device_config": {"server": "10.11.0.254", "serverpath": "/y", "nfsversion": "4.1"},
            },
        ),
    ),
    Case(
        "xen-storage-subnet-overlaps-management",
        override("prod", 2, ips={"Storage": "10.11.0.12/8"}),
        [P | H2 | {"network": "Storage", "pif": "bond0"}],
        override("prod", 2, ips={"Storage": "10.11.0.12/16"}),
    ),
    Case(
        "xen-storage-not-redundant",
        no_bond_storage,  # iSCSI keeps 2 active paths with multipathing: only NFS and SMB
        [
            P | H1 | {"sr": "NFS"},
            P | H2 | {"sr": "NFS"},
            P | H1 | {"sr": "SMB"},
            P | H2 | {"sr": "SMB"},
        ],
        # one active iSCSI path of two, but over the bonded storage NICs: still redundant
        lambda s: sr_of(s, "prod", "iSCSI").update(paths=[1, 2]),
    ),
    Case(
        "xen-iscsi-without-chap",
        set_dc("prod", "iSCSI", chapuser=None, chappassword_secret=None),
        [P | {"sr": "iSCSI"}],
        # a block SR without CHAP that is no iSCSI (Fibre Channel has no CHAP)
        add_sr(
            "prod",
            {
                "name": "FC",
                "type": "lvmohba",
                "device_config": {"SCSIid": "3600a0b8000000000000000000000fc01"},
            },
        ),
    ),
    Case(
        "xen-storage-password-plaintext",
        set_dc("prod", "iSCSI", chappassword_secret=None, chappassword="plain"),
        [P | {"sr": "iSCSI"}],
        # mutual CHAP's password too, but in the secret form
        set_dc(
            "prod", "iSCSI", incoming_chapuser="target", incoming_chappassword_secret="s3cret-2"
        ),
    ),
    Case(
        "xen-smb-without-username",
        set_dc("prod", "SMB", username=None, password_secret=None),
        [P | {"sr": "SMB"}],
        set_dc("prod", "SMB", password_secret=None),
    ),  # username kept
    Case(
        "xen-nfs-not-v4",
        set_dc("prod", "NFS", nfsversion=None),
        [P | {"sr": "NFS"}],
        set_dc("prod", "NFS", nfsversion="4"),
    ),
    Case(
        "xen-https-only-disabled",
        override("prod", 2, https_only=False),
        [P | H2],
        # hosts older than the https_only field: not checked, never reported
        lambda s: pool_of(s, "dev").update(https_only=None),
    ),
    Case(
        "xen-management-without-ip",
        override("prod", 2, ips={"Management": None}),
        [P | H2 | {"pif": "eth0"}],
        lambda s: network_of(s, "prod", "Management")["ip"].update(mode="DHCP"),
    ),
    Case(
        "xen-vif-not-locked",
        add_vm("prod", {"name": "shop", "vifs": [{"network": "Web", "locking_mode": "unlocked"}]}),
        [P | {"network": "Web", "vm": "shop", "vif": "0"}],
        add_vm("prod", {"name": "shop", "vifs": [{"network": "Web", "locking_mode": "disabled"}]}),
    ),
    Case(
        "xen-untrusted-network-default-unlocked",
        set_net("prod", "Web", default_locking_mode="unlocked"),
        [P | {"network": "Web"}],
        set_net("prod", "Internal", default_locking_mode="unlocked"),
    ),  # trusted network
    Case(
        "xen-sensitive-and-untrusted-vms-share-network",
        add_vm(
            "prod",
            {
                "name": "guest",
                "tags": ["xsfabric:untrusted"],
                "vifs": [
                    {
                        "network": "Internal",
                        "locking_mode": "locked",
                        "ipv4_allowed": ["192.168.11.50"],
                    }
                ],
            },
        ),
        [P | {"network": "Internal"}],
        add_vm("prod", {"name": "guest", "tags": ["xsfabric:untrusted"], "vifs": [WEB_LOCKED]}),
    ),
    Case(
        "xen-nic-layout-inconsistent",
        override("prod", 2, nics=6, management="eth5"),
        [P | H2 | {"pif": "eth0"}],  # eth5 exists on host 2 only: nothing to compare
        override("prod", 2, nics=6),
    ),  # an extra unused NIC is no inconsistency
    Case(
        "xen-nic-layout-differs-across-pools",
        both(
            swap_dev_bonds,
            lambda s: pool_of(s, "dev").update(tags=["xsfabric:environment=production"]),
        ),
        [{"pool": "dev", "pif": d} for d in ("eth1", "eth2", "eth3", "eth4")],
        swap_dev_bonds,
    ),  # production and development differ on purpose: not compared
    Case(
        "xen-duplicate-mac",
        both(
            add_vm(
                "prod", {"name": "a", "vifs": [{"network": "Internal", "mac": "00:16:3e:00:00:01"}]}
            ),
            add_vm(
                "dev", {"name": "b", "vifs": [{"network": "Internal", "mac": "00:16:3e:00:00:01"}]}
            ),
        ),
        [{"mac": "00:16:3e:00:00:01"}],  # across pools: no single pool in the subject
        # one bit apart (VLAN PIFs' fe:ff:ff:ff:ff:ff and bond masters repeat MACs in the
        # clean estate already: not reported)
        both(
            add_vm(
                "prod", {"name": "a", "vifs": [{"network": "Internal", "mac": "00:16:3e:00:00:01"}]}
            ),
            add_vm(
                "dev", {"name": "b", "vifs": [{"network": "Internal", "mac": "00:16:3e:00:00:03"}]}
            ),
        ),
    ),
    Case(
        "xen-environments-share-network",
        set_net("dev", "Internal", vlan=11),
        [P | {"network": "Internal", "vlan": "11"}],
        both(
            set_net("dev", "Internal", vlan=11),
            lambda s: pool_of(s, "dev").update(tags=["xsfabric:environment=production"]),
        ),
    ),
    Case(
        "xen-environments-share-storage",
        set_dc("dev", "NFS", server="10.11.0.5"),
        [P | {"sr": "NFS"}],
        both(
            set_dc("dev", "NFS", server="10.11.0.5"),
            lambda s: pool_of(s, "dev").update(tags=["xsfabric:environment=production"]),
        ),
    ),
    Case(
        "xen-network-default-name",
        rename_net("prod", "Internal", "Pool-wide network 4"),
        [P | {"network": "Pool-wide network 4"}],
        # a default name on a VLAN network that carries nothing (no VIF, no IP): renaming
        # it changes nothing; with a VM on it, it is reported
        add_network("prod", {"name": "Network 5", "on": "bond1", "vlan": 30}),
    ),
    Case(
        "xen-network-name-misleading",
        rename_net("prod", "Internal", "Storage 2"),
        [P | {"network": "Storage 2"}],
        rename_net("prod", "Storage", "iSCSI storage"),
    ),
    # -- the wire (switch truths of conftest._switches) --------------------------------------
    Case(
        "wire-vlan-mismatch",
        cable("sw-a", "eth3", 2, missing_vlans=[10]),
        [
            P
            | H2
            | {
                "network": "Web",
                "pif": "eth3",
                "vlan": "10",
                "device": "sw-a",
                "interface": "Ethernet22",
            }
        ],
        cable("sw-a", "eth3", 2, missing_vlans=[12]),
    ),  # a VLAN the NIC does not use
    Case(
        "wire-guest-vlan-on-management-port",
        cable("sw-a", "eth0", 1, extra_vlans=[10]),
        [P | H1 | {"pif": "eth0", "device": "sw-a", "interface": "Ethernet1"}],
        cable("sw-a", "eth0", 1, extra_vlans=[101]),
    ),  # the storage VLAN: not a guest one
    Case(
        "wire-guest-vlan-on-storage-port",
        cable("sw-a", "eth1", 1, extra_vlans=[11]),
        [P | H1 | {"pif": "eth1", "device": "sw-a", "interface": "Ethernet11"}],
        cable("sw-a", "eth1", 1, extra_vlans=[100]),
    ),  # the management VLAN
    Case(
        "wire-infrastructure-vlan-on-guest-port",
        cable("sw-a", "eth3", 1, extra_vlans=[101]),
        [P | H1 | {"pif": "eth3", "device": "sw-a", "interface": "Ethernet21"}],
        cable("sw-a", "eth3", 1, extra_vlans=[12]),
    ),  # nobody's VLAN
    Case(
        "wire-nic-cabling-inconsistent",
        both(
            cable("sw-a", "eth1", 2, port="Ethernet22", configured_as="eth3"),
            cable("sw-a", "eth3", 2, port="Ethernet12", configured_as="eth1"),
        ),
        [
            P | H2 | {"pif": "eth1", "device": "sw-a", "interface": "Ethernet22"},
            P | H2 | {"pif": "eth3", "device": "sw-a", "interface": "Ethernet12"},
        ],
        cable("sw-b", "eth2", 2, switch="sw-a", port="Ethernet32"),
    ),  # the MLAG peer: same
    Case(
        "wire-bond-on-one-switch",
        cable("sw-b", "eth2", 2, switch="sw-a", port="Ethernet32"),
        [P | H2 | {"pif": "bond0", "device": "sw-a"}],
        both(cable("sw-b", "eth2", 2, switch="sw-a", port="Ethernet32"), _drop_mlag_peers),
    ),  # no MLAG
    Case(
        "wire-port-label-mismatch",
        cable("sw-a", "eth0", 1, description="prod-h2 eth0"),
        [P | H1 | {"pif": "eth0", "device": "sw-a", "interface": "Ethernet1"}],
        cable("sw-a", "eth0", 1, description="PROD-H1 eth0 (mgmt)"),
    ),
    Case(
        "wire-environments-share-port-vlan",
        cable("sw-dev", "eth0", 1, switch="sw-a", port="Ethernet40", native_vlan=100),
        [{"device": "sw-a+sw-b", "vlan": "100"}],
        both(
            cable("sw-dev", "eth0", 1, switch="sw-a", port="Ethernet40", native_vlan=100),
            lambda s: pool_of(s, "dev").update(tags=["xsfabric:environment=production"]),
        ),
    ),
]


def test_every_rule_has_a_case() -> None:
    # switch-hygiene and wipe rules read switch configurations and evidence, not the pool
    # spec: tests/rules/test_hygiene.py and tests/switch/test_wipe.py give each its cases;
    # array-* rules need an array (tests/san/test_array_rules.py), zoning rules fabrics
    # (tests/san/test_zoning_rules.py)
    pool_rules = [
        r
        for r, v in load_rules().items()
        if str(v.meta.category) not in ("switch-hygiene", "wipe", "zoning")
        and not r.startswith("array-")
    ]
    assert sorted(c.rule_id for c in CASES) == sorted(pool_rules)


def test_clean_estate_has_no_findings(clean_results: RuleResults) -> None:
    assert [f.rule_id for f in clean_results.findings] == []
    assert clean_results.not_checked == []


def _run(mutation: Mutation) -> RuleResults:
    spec = clean_spec()
    mutation(spec)
    return audit_spec(spec)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule_id)
def test_positive(case: Case) -> None:
    found = subjects(_run(case.positive), case.rule_id)
    key = lambda s: sorted(s.items())  # noqa: E731
    assert sorted(found, key=key) == sorted(case.expected, key=key)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule_id)
def test_negative(case: Case) -> None:
    assert subjects(_run(case.negative), case.rule_id) == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule_id)
def test_negative_is_a_near_miss_not_the_clean_estate(case: Case) -> None:
    """The clean estate passing is test_clean_estate_has_no_findings; a negative must change
    something (and so be able to fail)."""
    spec = clean_spec()
    case.negative(spec)
    assert spec != clean_spec()
