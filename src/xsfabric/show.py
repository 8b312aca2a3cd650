"""``xsfabric show TABLE SNAPSHOT``: one table of a snapshot as a terminal table, JSON or CSV.

Pool tables are built here from the estate model; switch tables come from
:mod:`xsfabric.switch.tables` (loaded only when asked for).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys
from collections.abc import Callable, Mapping
from dataclasses import fields, replace
from pathlib import Path

from xsfabric.kinds import DeviceKind
from xsfabric.model.estate import Estate, load_estate
from xsfabric.model.storage import target_names
from xsfabric.model.xen import Pool
from xsfabric.snapshot import Snapshot
from xsfabric.tables import (
    OutputFormat,
    Table,
    cap_warnings,
    escape_control,
    filter_rows,
    render,
    select_columns,
    terminal,
)

PoolTable = Callable[[Estate], Table]


def _host_name(pool: Pool, uuid: str | None) -> str:
    host = pool.hosts.get(uuid or "")
    return host.name_label if host else ""


def pools_table(estate: Estate) -> Table:
    rows = [
        {
            "pool": p.name,
            "name_label": p.name_label,
            "uuid": p.uuid,
            "master": _host_name(p, p.master_uuid),
            "hosts": len(p.hosts),
            "environment": p.environment,
            "https_only": p.https_only,
            "source": p.source,
            "collected_at": p.collected_at,
        }
        for p in estate.pools
    ]
    return Table(
        "pools",
        [
            "pool",
            "name_label",
            "uuid",
            "master",
            "hosts",
            "environment",
            "https_only",
            "source",
            "collected_at",
        ],
        rows,
    )


def hosts_table(estate: Estate) -> Table:
    rows = []
    for pool in estate.pools:
        for host in sorted(pool.hosts.values(), key=lambda h: h.name_label):
            rows.append(
                {
                    "pool": pool.name,
                    "host": host.name_label,
                    "uuid": host.uuid,
                    "hostname": host.hostname,
                    "address": host.address,
                    "master": host.uuid == pool.master_uuid,
                    "https_only": host.https_only,
                    "dom0": host.control_domain_uuid,
                    "pifs": len(host.pif_uuids),
                    # a dump without software_version does not say: null, not ""
                    "version": host.software_version.get("product_version") or None,
                }
            )
    return Table(
        "hosts",
        [
            "pool",
            "host",
            "uuid",
            "hostname",
            "address",
            "master",
            "https_only",
            "dom0",
            "pifs",
            "version",
        ],
        rows,
        default_columns=[
            "pool",
            "host",
            "hostname",
            "address",
            "master",
            "https_only",
            "pifs",
            "version",
        ],
    )


def pifs_table(estate: Estate) -> Table:
    rows = []
    for pool in estate.pools:
        pifs = sorted(
            pool.pifs.values(), key=lambda p: (_host_name(pool, p.host_uuid), p.device, p.vlan)
        )
        for pif in pifs:
            network = pool.networks.get(pif.network_uuid or "")
            bond_master = ""
            bond_members: list[str] = []
            if pif.bond_slave_of and pif.bond_slave_of in pool.bonds:
                master = pool.pifs.get(pool.bonds[pif.bond_slave_of].master_uuid or "")
                bond_master = master.device if master else ""
            if pif.bond_master_of and pif.bond_master_of in pool.bonds:
                bond_members = [
                    pool.pifs[u].device
                    for u in pool.bonds[pif.bond_master_of].slave_uuids
                    if u in pool.pifs
                ]
            rows.append(
                {
                    "pool": pool.name,
                    "host": _host_name(pool, pif.host_uuid),
                    "device": pif.device,
                    "mac": pif.mac,
                    "vlan": pif.vlan if pif.vlan >= 0 else None,
                    "physical": pif.physical,
                    "bond_master": bond_master or None,
                    "bond_members": bond_members,
                    "network": network.name_label if network else None,
                    "role": str(network.role) if network else None,
                    "management": pif.management,
                    "ip_mode": pif.ip_mode,
                    "ip": pif.ip or None,
                    "netmask": pif.netmask or None,
                    "gateway": pif.gateway or None,
                    "ipv6": pif.ipv6,
                    "attached": pif.currently_attached,
                    "uuid": pif.uuid,
                    # null: the dump has no PIF_metrics.lldp_neighbor; {}: heard nothing
                    "lldp_neighbor": dict(sorted(pif.lldp_neighbor.items()))
                    if pif.lldp_known
                    else None,
                }
            )
    return Table(
        "pifs",
        [
            "pool",
            "host",
            "device",
            "mac",
            "vlan",
            "physical",
            "bond_master",
            "bond_members",
            "network",
            "role",
            "management",
            "ip_mode",
            "ip",
            "netmask",
            "gateway",
            "ipv6",
            "attached",
            "uuid",
            "lldp_neighbor",
        ],
        rows,
        default_columns=[
            "host",
            "device",
            "mac",
            "vlan",
            "bond_master",
            "network",
            "role",
            "management",
            "ip",
            "attached",
        ],
    )


def networks_table(estate: Estate) -> Table:
    rows = []
    for pool in estate.pools:
        for net in sorted(pool.networks.values(), key=lambda n: n.name_label):
            rows.append(
                {
                    "pool": pool.name,
                    "network": net.name_label,
                    "uuid": net.uuid,
                    "bridge": net.bridge,
                    "vlans": sorted(net.vlan_tags),
                    "role": str(net.role),
                    "uses": sorted(str(u) for u in net.uses),
                    "role_source": net.role_source,
                    "role_reason": net.role_reason,
                    "pifs": len(net.pif_uuids),
                    "vifs": len(net.vif_uuids),
                    "default_locking_mode": net.default_locking_mode or None,
                }
            )
    return Table(
        "networks",
        [
            "pool",
            "network",
            "uuid",
            "bridge",
            "vlans",
            "role",
            "uses",
            "role_source",
            "role_reason",
            "pifs",
            "vifs",
            "default_locking_mode",
        ],
        rows,
        default_columns=[
            "pool",
            "network",
            "bridge",
            "vlans",
            "role",
            "role_source",
            "pifs",
            "vifs",
            "default_locking_mode",
        ],
    )


def vms_table(estate: Estate) -> Table:
    rows = []
    for pool in estate.pools:
        for vm in sorted(pool.vms.values(), key=lambda v: v.name_label):
            kind = (
                "control-domain"
                if vm.is_control_domain
                else "template"
                if vm.is_a_template
                else "snapshot"
                if vm.is_a_snapshot
                else "vm"
            )
            rows.append(
                {
                    "pool": pool.name,
                    "vm": vm.name_label,
                    "uuid": vm.uuid,
                    "kind": kind,
                    "power_state": vm.power_state,
                    "host": _host_name(pool, vm.resident_on),
                    "vifs": len(vm.vif_uuids),
                    "tags": vm.tags,
                }
            )
    return Table("vms", ["pool", "vm", "uuid", "kind", "power_state", "host", "vifs", "tags"], rows)


def vifs_table(estate: Estate) -> Table:
    rows = []
    for pool in estate.pools:
        for vif in pool.vifs.values():
            vm = pool.vms.get(vif.vm_uuid or "")
            net = pool.networks.get(vif.network_uuid or "")
            rows.append(
                {
                    "pool": pool.name,
                    "vm": vm.name_label if vm else None,
                    "device": vif.device,
                    "mac": vif.mac,
                    "network": net.name_label if net else None,
                    "role": str(net.role) if net else None,
                    "locking_mode": vif.locking_mode or None,
                    "effective_locking_mode": vif.effective_locking_mode,
                    "ipv4_allowed": vif.ipv4_allowed,
                    "ipv6_allowed": vif.ipv6_allowed,
                    "attached": vif.currently_attached,
                    "uuid": vif.uuid,
                }
            )
    rows.sort(key=lambda r: (r["pool"], r["vm"] or "", r["device"]))
    return Table(
        "vifs",
        [
            "pool",
            "vm",
            "device",
            "mac",
            "network",
            "role",
            "locking_mode",
            "effective_locking_mode",
            "ipv4_allowed",
            "ipv6_allowed",
            "attached",
            "uuid",
        ],
        rows,
        default_columns=[
            "pool",
            "vm",
            "device",
            "mac",
            "network",
            "role",
            "effective_locking_mode",
            "attached",
        ],
    )


def srs_table(estate: Estate) -> Table:
    rows = []
    for pool in estate.pools:
        for sr in sorted(pool.srs.values(), key=lambda s: s.name_label):
            targets: list[str] = []
            for pbd_uuid in sr.pbd_uuids:
                for name in target_names(pool.pbds[pbd_uuid].device_config):
                    if name not in targets:
                        targets.append(name)
            rows.append(
                {
                    "pool": pool.name,
                    "sr": sr.name_label,
                    "uuid": sr.uuid,
                    "type": sr.type,
                    "content_type": sr.content_type,
                    "shared": sr.shared,
                    "pbds": len(sr.pbd_uuids),
                    "targets": targets,
                }
            )
    return Table(
        "srs", ["pool", "sr", "uuid", "type", "content_type", "shared", "pbds", "targets"], rows
    )


def pbds_table(estate: Estate) -> Table:
    rows = []
    for pool in estate.pools:
        for pbd in pool.pbds.values():
            sr = pool.srs.get(pbd.sr_uuid or "")
            rows.append(
                {
                    "pool": pool.name,
                    "sr": sr.name_label if sr else None,
                    "sr_type": sr.type if sr else None,
                    "host": _host_name(pool, pbd.host_uuid),
                    "attached": pbd.currently_attached,
                    "device_config": dict(sorted(pbd.device_config.items())),
                    "uuid": pbd.uuid,
                }
            )
    rows.sort(key=lambda r: (r["pool"], r["sr"] or "", r["host"]))
    return Table(
        "pbds",
        ["pool", "sr", "sr_type", "host", "attached", "device_config", "uuid"],
        rows,
        default_columns=["pool", "sr", "sr_type", "host", "attached", "device_config"],
    )


def host_lldp_table(estate: Estate) -> Table:
    """What each host's NICs hear over LLDP (``PIF_metrics.lldp_neighbor``, newer xapi): the
    switch and port at the other end of every cable, seen from the host side."""
    rows = []
    for pool in estate.pools:
        for pif in pool.pifs.values():
            heard = pif.lldp_neighbor
            if not pif.physical:
                continue
            rows.append(
                {
                    "pool": pool.name,
                    "host": _host_name(pool, pif.host_uuid),
                    "device": pif.device,
                    "mac": pif.mac,
                    "switch": heard.get("system_name") or None,
                    "switch_port": heard.get("port_id") or None,
                    "port_description": heard.get("port_description") or None,
                    "chassis_id": heard.get("chassis_id") or None,
                    "lldp_neighbor": dict(sorted(heard.items())) if pif.lldp_known else None,
                }
            )
    rows.sort(key=lambda r: (r["pool"], r["host"], r["device"]))
    return Table(
        "host-lldp",
        [
            "pool",
            "host",
            "device",
            "mac",
            "switch",
            "switch_port",
            "port_description",
            "chassis_id",
            "lldp_neighbor",
        ],
        rows,
        default_columns=[
            "pool",
            "host",
            "device",
            "mac",
            "switch",
            "switch_port",
            "port_description",
        ],
    )


POOL_TABLES: dict[str, PoolTable] = {
    "pools": pools_table,
    "hosts": hosts_table,
    "pifs": pifs_table,
    "networks": networks_table,
    "vms": vms_table,
    "vifs": vifs_table,
    "srs": srs_table,
    "pbds": pbds_table,
    "host-lldp": host_lldp_table,
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
    "facts": "xsfabric.show:facts_table",
}
TABLE_NAMES: list[str] = [*POOL_TABLES, *SWITCH_TABLES]


def build_table(
    name: str,
    snapshot: Snapshot,
    policy_path: Path | None = None,
    filters: Mapping[str, str | None] | None = None,
) -> Table:
    """One table of the snapshot; pool tables apply the policy (default: the stored one).
    ``filters`` go to a producer that takes them (the switch tables apply them while they
    build rows); the caller still filters the result, so a producer may ignore them."""
    if name in POOL_TABLES:
        estate = load_estate(snapshot, policy_path, with_switches=False)
        table = POOL_TABLES[name](estate)
        table.warnings.extend(estate.warnings)
        return table
    module, _, func = SWITCH_TABLES[name].partition(":")
    producer: Callable[..., Table] = getattr(importlib.import_module(module), func)
    if filters and "filters" in inspect.signature(producer).parameters:
        return producer(snapshot, filters=filters)
    return producer(snapshot)


def facts_table(snapshot: Snapshot) -> Table:
    """One row per device of the snapshot: what it is and runs (the identity facts every
    parser reads, from ``show version``, sysDescr or the pool's master), how it was collected
    and whether that worked. A fact no capture gave is null, never guessed."""
    from xsfabric.switch.facts import device_facts, get_parsers, merged_facts
    from xsfabric.switch.model import SwitchFacts

    table = Table(
        "facts",
        [
            "device",
            "kind",
            "platform",
            "vendor",
            "model",
            "os_version",
            "serial",
            "methods",
            "status",
        ],
        [],
    )
    pools = {}
    if snapshot.pool_names():
        pools = {p.name: p for p in load_estate(snapshot, with_switches=False).pools}
    for device in snapshot.devices():
        name, kind = str(device["name"]), DeviceKind(str(device["kind"]))
        row: dict[str, object] = {
            "device": name,
            "kind": str(kind),
            "platform": device.get("platform"),
            "vendor": None,
            "model": None,
            "os_version": None,
            "serial": None,
            "methods": list(device.get("methods") or []),
            "status": device.get("status"),
        }
        pool = pools.get(name)
        if pool is not None:
            master = pool.hosts.get(pool.master_uuid or "")
            version = master.software_version if master else {}
            row["vendor"] = version.get("product_brand") or None
            row["os_version"] = version.get("product_version") or None
        elif snapshot.device_dir(name).is_dir():
            device_dir = snapshot.device_dir(name)
            present = [p for p in get_parsers(kind) if p.present(device_dir)]
            per_method = device_facts(snapshot, name, kind) if present else []  # stored, or parsed
            facts = (
                merged_facts(name, per_method)
                if per_method and all(isinstance(f, SwitchFacts) for f in per_method)
                else per_method[0]
                if per_method
                else None
            )
            identity = getattr(facts, "facts", None)
            if identity is None and per_method:
                table.warnings.append(
                    f"{name}: device facts not available from "
                    # array and FC facts carry no method: the parsers that read them do
                    f"{', '.join(sorted({str(p.method) for p in present}))}"
                )
            for column in ("vendor", "model", "os_version", "serial"):
                row[column] = getattr(identity, column, None)
        table.rows.append(row)
    return table


#: Switch facts attribute → (show table, command-set fields whose captures give it).
_FACT_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "facts": ("facts", ("version", "hardware")),
    "ports": ("ports", ("interfaces", "switchport")),
    "fdb": ("macs", ("macs",)),
    "lldp": ("lldp", ("lldp",)),
    "vlans": ("vlans", ("vlans",)),
    "cdp": ("cdp", ("cdp",)),
    "arp": ("arp", ("arp",)),
    "mlag": ("mlag", ("peer_link",)),
}

#: Switch facts attribute → the SNMP subtree whose walk gives it (a device collected by SNMP).
_SNMP_SUBTREES: dict[str, str] = {
    "facts": "SNMPv2-MIB system 1.3.6.1.2.1.1",
    "ports": "IF-MIB 1.3.6.1.2.1.2 + .31",
    "fdb": "BRIDGE-MIB / Q-BRIDGE-MIB 1.3.6.1.2.1.17",
    "lldp": "LLDP-MIB 1.0.8802.1.1.2",
    "vlans": "Q-BRIDGE-MIB 1.3.6.1.2.1.17.7",
    "cdp": "CISCO-CDP-MIB 1.3.6.1.4.1.9.9.23",
    "arp": "IP-MIB 1.3.6.1.2.1.4.35",
}


def _size(value: object) -> str:
    return str(len(value)) if isinstance(value, list | tuple | dict) else ""


def _detected_platform(device_dir: Path) -> str | None:
    """The platform the saved ``show version`` names, whatever the ``platform`` file says."""
    from xsfabric.switch.commands import Captures
    from xsfabric.switch.detect import VERSION_SIGNATURES

    found = Captures(device_dir).find("show version")
    if found is None:
        return None
    text = found[1].read_text(errors="replace")
    return next((name for name, sig in VERSION_SIGNATURES if sig.search(text)), None)


def _platform_text(device_dir: Path, known: list[str]) -> tuple[str, str | None]:
    """What to say about the device's platform, and the ntc-templates platform to use."""
    from xsfabric.platforms import template_platform

    path = device_dir / "platform"
    given = path.read_text().strip() if path.is_file() else ""
    detected = _detected_platform(device_dir)
    if given:
        platform = template_platform(given)
        if platform in known or not known:  # a kind without command sets takes any name
            return platform, platform
        hint = f"show version says {detected}" if detected else f"known: {', '.join(known)}"
        return f"platform {given!r} unknown ({hint})", detected
    if detected:
        return f"{detected} (from show version)", detected
    if any(not p.name.startswith("snmpwalk") for p in device_dir.glob("*.txt")):
        return f"platform not given (write a platform file: {', '.join(known)})", None
    return "no platform (SNMP only)", None


def missing_capture(snapshot: Snapshot, device: str, attribute: str, methods: list[str]) -> str:
    """What would give a switch's ``attribute`` (``fdb``, ``lldp`` …) that its captures did
    not: the commands to save for its platform, or the SNMP subtree to walk; the methods
    read are named either way."""
    from xsfabric.switch.commands import COMMAND_SETS

    sets = COMMAND_SETS.get(DeviceKind.SWITCH, {})
    _, platform = _platform_text(snapshot.device_dir(device), sorted(sets))
    commands = sets.get(platform or "")
    _, command_fields = _FACT_TABLES.get(attribute, (attribute, ()))
    wanted = [str(c) for c in (getattr(commands, f, None) for f in command_fields) if c]
    read = f"(read: {', '.join(sorted(set(methods)))})"
    if wanted:
        return f"save {' + '.join(repr(c) for c in wanted)} {read}"
    if attribute in _SNMP_SUBTREES and "snmp" in methods:
        return f"walk {_SNMP_SUBTREES[attribute]} {read}"
    return f"no capture gives it {read}"


def _device_summary(snapshot: Snapshot, device: dict[str, object]) -> list[str]:
    """One line for a switch, FC switch or array: what its captures gave and what not."""
    from xsfabric.switch.commands import COMMAND_SETS
    from xsfabric.switch.facts import device_facts, get_parsers, merged_facts
    from xsfabric.switch.model import SwitchFacts

    name, kind = str(device["name"]), DeviceKind(str(device["kind"]))
    device_dir = snapshot.device_dir(name)
    sets = COMMAND_SETS.get(kind, {})
    platform_text, platform = _platform_text(device_dir, sorted(sets))
    present = [p for p in get_parsers(kind) if p.present(device_dir)]
    per_method = device_facts(snapshot, name, kind) if present else []  # stored, or parsed
    if not per_method:
        return [f"{name}: {kind}, {platform_text}: no captures it can read"]
    facts = (
        merged_facts(name, per_method)
        if all(isinstance(f, SwitchFacts) for f in per_method)
        else per_method[0]
    )
    # the parser says which method's captures it read (FC and array facts carry no method)
    methods = ", ".join(sorted({str(p.method) for p in present}))
    commands = sets.get(platform or "")
    built: list[str] = []
    missing: list[str] = []
    for attr in (f.name for f in fields(facts) if f.name not in ("device", "method", "warnings")):
        value = getattr(facts, attr)
        table, command_fields = _FACT_TABLES.get(attr, (attr, ()))
        if value is not None:
            built.append(f"{table} {_size(value)}".strip())
            continue
        wanted = [str(c) for c in (getattr(commands, f, None) for f in command_fields) if c]
        if wanted:
            missing.append(f"{table} (save {' + '.join(repr(c) for c in wanted)})")
        elif commands is None and attr in _SNMP_SUBTREES and "snmp" in methods:
            missing.append(f"{table} (walk {_SNMP_SUBTREES[attr]})")
        elif commands is None:
            missing.append(table)
    line = f"{name}: {kind}, {platform_text}, {methods}: tables {', '.join(built) or 'none'}"
    if missing:
        line += f"; missing {', '.join(missing)}"
    # switch and array warnings are records naming device, source and line; FC views keep
    # them as lines of text already naming them
    warnings = [
        w
        if isinstance(w, str)
        else f"{w.device}: {w.source}"
        + (f":{w.line}" if w.line is not None else "")
        + f": {w.message}"
        for w in getattr(facts, "warnings", [])
    ]
    return [line, *(f"  warning: {w}" for w in cap_warnings(warnings))]


def import_summary(snapshot: Snapshot) -> list[str]:
    """One line per device of a snapshot: kind, platform, the tables it could build and, for
    each one missing, the capture that would give it. Printed after ``snapshot import``,
    because an estate nobody has seen arrives as files whose names and formats are guesses."""
    lines: list[str] = []
    if snapshot.pool_names():
        estate = load_estate(snapshot, with_switches=False)
        for pool in estate.pools:
            counts = {
                "hosts": len(pool.hosts),
                "pifs": len(pool.pifs),
                "networks": len(pool.networks),
                "vms": len(pool.vms),
                "vifs": len(pool.vifs),
                "srs": len(pool.srs),
                "pbds": len(pool.pbds),
            }
            lines.append(
                f"{pool.name}: {DeviceKind.XENSERVER_POOL}, xenserver: tables "
                + ", ".join(f"{k} {v}" for k, v in counts.items())
            )
        lines.extend(f"  warning: {w}" for w in cap_warnings(estate.warnings))
    for device in snapshot.devices():
        if device["kind"] != DeviceKind.XENSERVER_POOL:
            lines.extend(_device_summary(snapshot, device))
    return lines


#: ``show`` filters: flag → help. Which columns each looks at: :data:`FILTER_COLUMNS`.
QUERY_FLAGS: dict[str, str] = {
    "pool": "only rows of these pools (comma-separated; * ? globs)",
    "host": "only rows of these XenServer hosts",
    "device": "only rows of these devices (switch, or PIF / VIF device such as eth0)",
    "port": "only these switch ports, in any spelling (Gi1/0/1 = GigabitEthernet1/0/1)",
    "vlan": "only rows on these VLANs (10 or 10,20-22; a trunk matches a VLAN it allows)",
    "mac": "only rows with a MAC starting with this, in any notation (3cfd.fee0.1234, "
    "3C-FD-FE-E0-12-34, 3c:fd:fe)",
    "network": "only rows on these pool networks (name label or bridge)",
    "vm": "only rows of these VMs",
}


def add_query_arguments(parser: argparse.ArgumentParser) -> None:
    """The questions every table takes: one flag per :data:`QUERY_FLAGS` entry, and
    ``--columns``."""
    group = parser.add_argument_group("questions (any table that has the column)")
    for name, text in QUERY_FLAGS.items():
        group.add_argument(f"--{name}", metavar=name.upper(), help=text)
    group.add_argument(
        "--columns",
        metavar="A,B,C",
        help="columns to print, or 'all' "
        "(default: a readable set on a terminal, every column in JSON and CSV)",
    )


def query_table(table: Table, args: argparse.Namespace, fmt: OutputFormat) -> Table:
    """Filters, then columns: the answer is the same rows in every format."""
    filters = {name: getattr(args, name, None) for name in QUERY_FLAGS}
    return select_columns(filter_rows(table, filters), getattr(args, "columns", None), fmt)


#: Rows a terminal table shows at most (``--all`` lifts it; a pipe, CSV and JSON get all).
ROW_CAP = 1_000


def run_show(args: argparse.Namespace) -> int:
    snapshot = Snapshot.open(args.snapshot)
    fmt: OutputFormat = args.format
    filters = {name: getattr(args, name, None) for name in QUERY_FLAGS}
    table = query_table(build_table(args.table, snapshot, args.policy, filters), args, fmt)
    for warning in cap_warnings(table.warnings):
        print(f"warning: {escape_control(warning)}", file=sys.stderr)
    term = terminal(getattr(args, "color", "auto"))
    left_out = 0
    if fmt == "table" and term.tty and not getattr(args, "all", False):
        # a terminal table of a million MACs helps nobody and costs minutes to lay out
        left_out = max(0, len(table.rows) - ROW_CAP)
        if left_out:
            table = replace(table, rows=table.rows[:ROW_CAP])
    sys.stdout.write(render(table, fmt, term))
    if left_out:
        print(
            f"... {left_out:,} more rows not shown (--all shows them; a question such as "
            "--device or --mac narrows them; --format csv and json are never cut)"
        )
    return 0
