"""``xsfabric show TABLE SNAPSHOT``: one table of a snapshot as a terminal table, JSON or CSV.

Pool tables are built here from the estate model; switch tables come from
:mod:`xsfabric.switch.tables` (loaded only when asked for).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path

from xsfabric.model.estate import Estate, load_estate
from xsfabric.model.storage import target_names
from xsfabric.model.xen import Pool
from xsfabric.snapshot import Snapshot
from xsfabric.tables import OutputFormat, Table, escape_control, render

PoolTable = Callable[[Estate], Table]


def _host_name(pool: Pool, uuid: str | None) -> str:
    host = pool.hosts.get(uuid or "")
    return host.name_label if host else ""


def pools_table(estate: Estate) -> Table:
    rows = [{
        "pool": p.name, "name_label": p.name_label, "uuid": p.uuid,
        "master": _host_name(p, p.master_uuid), "hosts": len(p.hosts),
        "environment": p.environment, "https_only": p.https_only, "source": p.source,
        "collected_at": p.collected_at,
    } for p in estate.pools]
    return Table("pools", ["pool", "name_label", "uuid", "master", "hosts", "environment",
                           "https_only", "source", "collected_at"], rows)


def hosts_table(estate: Estate) -> Table:
    rows = []
    for pool in estate.pools:
        for host in sorted(pool.hosts.values(), key=lambda h: h.name_label):
            rows.append({
                "pool": pool.name, "host": host.name_label, "uuid": host.uuid,
                "hostname": host.hostname, "address": host.address,
                "master": host.uuid == pool.master_uuid, "https_only": host.https_only,
                "dom0": host.control_domain_uuid, "pifs": len(host.pif_uuids),
                "version": host.software_version.get("product_version", ""),
            })
    return Table("hosts", ["pool", "host", "uuid", "hostname", "address", "master",
                           "https_only", "dom0", "pifs", "version"], rows)


def pifs_table(estate: Estate) -> Table:
    rows = []
    for pool in estate.pools:
        pifs = sorted(pool.pifs.values(),
                      key=lambda p: (_host_name(pool, p.host_uuid), p.device, p.vlan))
        for pif in pifs:
            network = pool.networks.get(pif.network_uuid or "")
            bond_master = ""
            bond_members: list[str] = []
            if pif.bond_slave_of and pif.bond_slave_of in pool.bonds:
                master = pool.pifs.get(pool.bonds[pif.bond_slave_of].master_uuid or "")
                bond_master = master.device if master else ""
            if pif.bond_master_of and pif.bond_master_of in pool.bonds:
                bond_members = [pool.pifs[u].device
                                for u in pool.bonds[pif.bond_master_of].slave_uuids
                                if u in pool.pifs]
            rows.append({
                "pool": pool.name, "host": _host_name(pool, pif.host_uuid),
                "device": pif.device, "mac": pif.mac,
                "vlan": pif.vlan if pif.vlan >= 0 else None, "physical": pif.physical,
                "bond_master": bond_master or None, "bond_members": bond_members,
                "network": network.name_label if network else None,
                "role": str(network.role) if network else None,
                "management": pif.management, "ip_mode": pif.ip_mode,
                "ip": pif.ip or None, "netmask": pif.netmask or None,
                "gateway": pif.gateway or None, "ipv6": pif.ipv6,
                "attached": pif.currently_attached, "uuid": pif.uuid,
            })
    return Table("pifs", ["pool", "host", "device", "mac", "vlan", "physical", "bond_master",
                          "bond_members", "network", "role", "management", "ip_mode", "ip",
                          "netmask", "gateway", "ipv6", "attached", "uuid"], rows)


def networks_table(estate: Estate) -> Table:
    rows = []
    for pool in estate.pools:
        for net in sorted(pool.networks.values(), key=lambda n: n.name_label):
            rows.append({
                "pool": pool.name, "network": net.name_label, "uuid": net.uuid,
                "bridge": net.bridge, "vlans": sorted(net.vlan_tags),
                "role": str(net.role), "uses": sorted(str(u) for u in net.uses),
                "role_source": net.role_source, "role_reason": net.role_reason,
                "pifs": len(net.pif_uuids), "vifs": len(net.vif_uuids),
                "default_locking_mode": net.default_locking_mode or None,
            })
    return Table("networks", ["pool", "network", "uuid", "bridge", "vlans", "role", "uses",
                              "role_source", "role_reason", "pifs", "vifs",
                              "default_locking_mode"], rows)


def vms_table(estate: Estate) -> Table:
    rows = []
    for pool in estate.pools:
        for vm in sorted(pool.vms.values(), key=lambda v: v.name_label):
            kind = ("control-domain" if vm.is_control_domain else "template"
                    if vm.is_a_template else "snapshot" if vm.is_a_snapshot else "vm")
            rows.append({
                "pool": pool.name, "vm": vm.name_label, "uuid": vm.uuid, "kind": kind,
                "power_state": vm.power_state, "host": _host_name(pool, vm.resident_on),
                "vifs": len(vm.vif_uuids), "tags": vm.tags,
            })
    return Table("vms", ["pool", "vm", "uuid", "kind", "power_state", "host", "vifs", "tags"],
                 rows)


def vifs_table(estate: Estate) -> Table:
    rows = []
    for pool in estate.pools:
        for vif in pool.vifs.values():
            vm = pool.vms.get(vif.vm_uuid or "")
            net = pool.networks.get(vif.network_uuid or "")
            rows.append({
                "pool": pool.name, "vm": vm.name_label if vm else None,
                "device": vif.device, "mac": vif.mac,
                "network": net.name_label if net else None,
                "role": str(net.role) if net else None,
                "locking_mode": vif.locking_mode or None,
                "effective_locking_mode": vif.effective_locking_mode,
                "ipv4_allowed": vif.ipv4_allowed, "ipv6_allowed": vif.ipv6_allowed,
                "attached": vif.currently_attached, "uuid": vif.uuid,
            })
    rows.sort(key=lambda r: (r["pool"], r["vm"] or "", r["device"]))
    return Table("vifs", ["pool", "vm", "device", "mac", "network", "role", "locking_mode",
                          "effective_locking_mode", "ipv4_allowed", "ipv6_allowed", "attached",
                          "uuid"], rows)


def srs_table(estate: Estate) -> Table:
    rows = []
    for pool in estate.pools:
        for sr in sorted(pool.srs.values(), key=lambda s: s.name_label):
            targets: list[str] = []
            for pbd_uuid in sr.pbd_uuids:
                for name in target_names(pool.pbds[pbd_uuid].device_config):
                    if name not in targets:
                        targets.append(name)
            rows.append({
                "pool": pool.name, "sr": sr.name_label, "uuid": sr.uuid, "type": sr.type,
                "content_type": sr.content_type, "shared": sr.shared,
                "pbds": len(sr.pbd_uuids), "targets": targets,
            })
    return Table("srs", ["pool", "sr", "uuid", "type", "content_type", "shared", "pbds",
                         "targets"], rows)


def pbds_table(estate: Estate) -> Table:
    rows = []
    for pool in estate.pools:
        for pbd in pool.pbds.values():
            sr = pool.srs.get(pbd.sr_uuid or "")
            rows.append({
                "pool": pool.name, "sr": sr.name_label if sr else None,
                "sr_type": sr.type if sr else None, "host": _host_name(pool, pbd.host_uuid),
                "attached": pbd.currently_attached,
                "device_config": dict(sorted(pbd.device_config.items())), "uuid": pbd.uuid,
            })
    rows.sort(key=lambda r: (r["pool"], r["sr"] or "", r["host"]))
    return Table("pbds", ["pool", "sr", "sr_type", "host", "attached", "device_config",
                          "uuid"], rows)


POOL_TABLES: dict[str, PoolTable] = {
    "pools": pools_table, "hosts": hosts_table, "pifs": pifs_table,
    "networks": networks_table, "vms": vms_table, "vifs": vifs_table, "srs": srs_table,
    "pbds": pbds_table,
}
#: Switch tables, as "module:function" taking a Snapshot.
SWITCH_TABLES: dict[str, str] = {
    "ports": "xsfabric.switch.tables:ports_table",
    "macs": "xsfabric.switch.tables:macs_table",
    "lldp": "xsfabric.switch.tables:lldp_table",
    "vlans": "xsfabric.switch.tables:vlans_table",
    "cdp": "xsfabric.switch.tables:cdp_table",
    "arp": "xsfabric.switch.tables:arp_table",
    "mlag": "xsfabric.switch.tables:mlag_table",
    "luns": "xsfabric.san.array_tables:luns_table",
    "maps": "xsfabric.san.array_tables:maps_table",
    "exports": "xsfabric.san.array_tables:exports_table",
    "zones": "xsfabric.san.tables:zones_table",
    "logins": "xsfabric.san.tables:logins_table",
}
TABLE_NAMES: list[str] = [*POOL_TABLES, *SWITCH_TABLES]


def build_table(name: str, snapshot: Snapshot, policy_path: Path | None = None) -> Table:
    """One table of the snapshot; pool tables apply the policy (default: the stored one)."""
    if name in POOL_TABLES:
        estate = load_estate(snapshot, policy_path, with_switches=False)
        table = POOL_TABLES[name](estate)
        table.warnings.extend(estate.warnings)
        return table
    module, _, func = SWITCH_TABLES[name].partition(":")
    producer: Callable[[Snapshot], Table] = getattr(importlib.import_module(module), func)
    return producer(snapshot)


def run_show(args: argparse.Namespace) -> int:
    snapshot = Snapshot.open(args.snapshot)
    table = build_table(args.table, snapshot, args.policy)
    fmt: OutputFormat = args.format
    for warning in table.warnings:
        print(f"warning: {escape_control(warning)}", file=sys.stderr)
    sys.stdout.write(render(table, fmt))
    return 0
