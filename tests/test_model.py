"""The model resolves bonds, VLANs, dom0 and SR targets, and infers roles with reasons."""

from __future__ import annotations

from xsfabric.model.build import build_pool
from xsfabric.model.xen import Role
from xsfabric.xapi.dbdump import XapiDatabase
from xsfabric.xapi.records import PoolRecords, records_from_dump


def _db() -> XapiDatabase:
    def pif(ref: str, device: str, mac: str, network: str, **extra: str) -> dict[str, str]:
        row = {
            "uuid": f"u-{ref}",
            "host": "h1",
            "device": device,
            "MAC": mac,
            "network": network,
            "VLAN": "-1",
            "physical": "true",
            "management": "false",
            "ip_configuration_mode": "None",
            "IP": "",
            "netmask": "",
            "bond_slave_of": "OpaqueRef:NULL",
            "VLAN_master_of": "OpaqueRef:NULL",
            "metrics": "OpaqueRef:NULL",
        }
        row.update(extra)
        return row

    return XapiDatabase(
        manifest={"schema_major_vsn": "5"},
        tables={
            "pool": {"p": {"uuid": "pool", "name_label": "lab", "master": "h1"}},
            "host": {
                "h1": {
                    "uuid": "host-1",
                    "name__label": "xs1",
                    "address": "10.0.0.11",
                    "control_domain": "dom0",
                    "https_only": "true",
                }
            },
            "network": {
                "nm": {"uuid": "net-mgmt", "name__label": "Management", "bridge": "xenbr0"},
                "nb": {"uuid": "net-bond", "name__label": "Bond 0+1", "bridge": "xapi1"},
                "nv": {
                    "uuid": "net-v100",
                    "name__label": "Guests 100",
                    "bridge": "xapi2",
                    "default_locking_mode": "disabled",
                },
                "ns": {"uuid": "net-stor", "name__label": "NFS", "bridge": "xenbr2"},
                "ni": {"uuid": "net-int", "name__label": "Private", "bridge": "xapi9"},
            },
            "PIF": {
                "e0": pif(
                    "e0",
                    "eth0",
                    "00:11:22:33:44:00",
                    "nm",
                    management="true",
                    ip_configuration_mode="Static",
                    IP="10.0.0.11",
                    netmask="255.255.255.0",
                ),
                "e1": pif("e1", "eth1", "00:11:22:33:44:01", "OpaqueRef:NULL", bond_slave_of="b0"),
                "e3": pif("e3", "eth3", "00:11:22:33:44:03", "OpaqueRef:NULL", bond_slave_of="b0"),
                "b0m": pif("b0m", "bond0", "00:11:22:33:44:01", "nb", physical="false"),
                "v100": pif(
                    "v100",
                    "bond0",
                    "fe:ff:ff:ff:ff:ff",
                    "nv",
                    physical="false",
                    VLAN="100",
                    VLAN_master_of="vl",
                ),
                "e2": pif(
                    "e2",
                    "eth2",
                    "00:11:22:33:44:02",
                    "ns",
                    ip_configuration_mode="Static",
                    IP="192.168.50.11",
                    netmask="255.255.255.0",
                ),
            },
            "Bond": {
                "b0": {
                    "uuid": "bond-0",
                    "master": "b0m",
                    "slaves": "('e1' 'e3')",
                    "mode": "active-backup",
                    "primary_slave": "e1",
                }
            },
            "VLAN": {
                "vl": {
                    "uuid": "vlan-100",
                    "tag": "100",
                    "tagged_PIF": "b0m",
                    "untagged_PIF": "v100",
                }
            },
            "VM": {
                "dom0": {
                    "uuid": "vm-dom0",
                    "name__label": "Control domain on host: xs1",
                    "is_control_domain": "true",
                    "resident_on": "h1",
                },
                "web": {"uuid": "vm-web", "name__label": "web-1", "resident_on": "h1"},
                "tpl": {
                    "uuid": "vm-tpl",
                    "name__label": "Debian template",
                    "is_a_template": "true",
                },
            },
            "VIF": {
                "w0": {
                    "uuid": "vif-w0",
                    "VM": "web",
                    "network": "nv",
                    "device": "0",
                    "MAC": "00:16:3E:AA:BB:01",
                    "locking_mode": "network_default",
                },
                "w1": {
                    "uuid": "vif-w1",
                    "VM": "web",
                    "network": "nm",
                    "device": "1",
                    "MAC": "00:16:3e:aa:bb:02",
                    "locking_mode": "locked",
                    "ipv4_allowed": "('10.0.0.99')",
                },
                "w2": {
                    "uuid": "vif-w2",
                    "VM": "web",
                    "network": "ni",
                    "device": "2",
                    "MAC": "00:16:3e:aa:bb:03",
                },
                "t0": {
                    "uuid": "vif-t0",
                    "VM": "tpl",
                    "network": "ns",
                    "device": "0",
                    "MAC": "00:16:3e:aa:bb:04",
                },
            },
            "SR": {
                "sr": {"uuid": "sr-nfs", "name__label": "NFS SR", "type": "nfs", "shared": "true"}
            },
            "PBD": {
                "pb": {
                    "uuid": "pbd-1",
                    "host": "h1",
                    "SR": "sr",
                    "device_config": "(('server' '192.168.50.5') ('serverpath' '/x'))",
                }
            },
        },
    )


def test_relationships_are_resolved() -> None:
    pool = build_pool("lab", PoolRecords(records_from_dump(_db()), "xapi-db"))
    assert pool.master_uuid == "host-1"
    pifs = pool.pifs
    assert pifs["u-b0m"].bond_master_of == "bond-0"
    assert pool.bonds["bond-0"].slave_uuids == ["u-e1", "u-e3"]
    assert pifs["u-v100"].tagged_pif_uuid == "u-b0m"
    # a VLAN on a bond sits on both bond members
    assert pifs["u-v100"].physical_pif_uuids == ("u-e1", "u-e3")
    assert pifs["u-e2"].physical_pif_uuids == ("u-e2",)
    assert pool.networks["net-v100"].vlan_tags == {100}
    assert pool.dom0_of("host-1") is not None
    assert pool.dom0_of("host-1").name_label.startswith("Control domain")  # type: ignore[union-attr]
    assert pool.https_only is True
    assert pool.vifs["vif-w0"].mac == "00:16:3e:aa:bb:01"
    # network_default resolves through the network's default_locking_mode
    assert pool.vifs["vif-w0"].effective_locking_mode == "disabled"
    assert pool.vifs["vif-w1"].effective_locking_mode == "locked"
    assert pool.vifs["vif-w2"].effective_locking_mode == "unlocked"
    assert pool.srs["sr-nfs"].pbd_uuids == ["pbd-1"]
    assert pool.hosts["host-1"].pbd_uuids == ["pbd-1"]


def test_roles_are_inferred_with_reasons() -> None:
    pool = build_pool("lab", PoolRecords(records_from_dump(_db()), "xapi-db"))
    nets = pool.networks
    assert nets["net-mgmt"].role is Role.MANAGEMENT
    assert nets["net-mgmt"].uses == {Role.MANAGEMENT, Role.GUEST}  # web-1 has a VIF there
    assert nets["net-stor"].role is Role.STORAGE
    assert "reaches SR target 192.168.50.5" in nets["net-stor"].role_reason
    assert nets["net-v100"].role is Role.GUEST
    assert nets["net-int"].role is Role.INTERNAL  # guest VIF, no PIF
    # a bond master without VIFs or IP carries nothing yet; templates are not guests
    assert nets["net-bond"].role is Role.UNUSED
    assert Role.GUEST not in nets["net-stor"].uses
