"""``xsfabric show ports|macs|lldp|vlans|cdp|arp|mlag SNAPSHOT``: one row per record, naming
its device.

Each table merges the methods present per device (see :func:`merged_facts`). Parse warnings
go into ``Table.warnings`` as one line each, naming device, source and line; a device whose
table is not available from any method is listed there too, so "no rows" never hides
"could not tell".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from xsfabric.snapshot import Snapshot
from xsfabric.switch.facts import load_switch_facts, merged_facts, switch_devices
from xsfabric.switch.model import SwitchFacts
from xsfabric.tables import Table, row_filter


def _warning_lines(facts: SwitchFacts) -> list[str]:
    lines = []
    for w in facts.warnings:
        where = f"{w.source}:{w.line}" if w.line is not None else w.source
        lines.append(f"{w.device}: {where}: {w.message}")
    return lines


def _build(
    snapshot: Snapshot,
    name: str,
    attribute: str,
    columns: list[str],
    rows_of: Callable[[SwitchFacts], list[dict[str, Any]]],
    filters: Mapping[str, str | None] | None = None,
) -> Table:
    """The table over every switch. ``filters`` (``show``'s questions) are applied while the
    rows are made: a ``--device`` that names other switches skips loading this one at all (it
    is neither available nor unavailable: not asked about), and the other filters keep only
    matching rows of each device, so a question about one MAC never holds the whole estate's
    rows (``show`` filters the result again, unchanged)."""
    from xsfabric.show import missing_capture

    table = Table(name=name, columns=columns, rows=[], source_column="device")
    keep = row_filter(name, columns, filters or {})
    wanted_device = (filters or {}).get("device")
    device_ok = row_filter(name, ["device"], {"device": wanted_device}) if wanted_device else None
    for device in switch_devices(snapshot):
        if device_ok is not None and "switch" not in columns and not device_ok({"device": device}):
            continue
        per_method = load_switch_facts(snapshot, device)
        if not per_method:
            table.not_available(device, "no capture xsfabric can read")
            continue
        merged = merged_facts(device, per_method)
        table.warnings.extend(_warning_lines(merged))
        if getattr(merged, attribute) is None:
            methods = [str(f.method) for f in per_method]
            table.not_available(device, missing_capture(snapshot, device, attribute, methods))
            continue
        table.available.append(device)
        rows = rows_of(merged)
        table.rows.extend(rows if keep is None else [row for row in rows if keep(row)])
    return table


def ports_table(snapshot: Snapshot, filters: Mapping[str, str | None] | None = None) -> Table:
    def rows(f: SwitchFacts) -> list[dict[str, Any]]:
        return [
            {
                "device": f.device,
                "port": p.name,
                "short": p.short_name,
                "ifindex": p.if_index,
                "admin": p.admin_up,
                "oper": p.oper_up,
                "speed_mbps": p.speed_mbps,
                "mode": str(p.mode),
                "access_vlan": p.access_vlan,
                "native_vlan": p.native_vlan,
                "allowed_vlans": list(p.allowed_vlans) if p.allowed_vlans is not None else None,
                "lag": p.lag,
                "lag_members": list(p.lag_members),
                "peer_link": p.is_peer_link,
                "description": p.description,
            }
            for p in f.ports or []
        ]

    return _build(
        snapshot,
        "ports",
        "ports",
        [
            "device",
            "port",
            "short",
            "ifindex",
            "admin",
            "oper",
            "speed_mbps",
            "mode",
            "access_vlan",
            "native_vlan",
            "allowed_vlans",
            "lag",
            "lag_members",
            "peer_link",
            "description",
        ],
        rows,
        filters,
    )


def macs_table(snapshot: Snapshot, filters: Mapping[str, str | None] | None = None) -> Table:
    def rows(f: SwitchFacts) -> list[dict[str, Any]]:
        return [
            {
                "device": f.device,
                "mac": e.mac,
                "vlan": e.vlan,
                "port": e.port,
                "type": str(e.entry_type),
            }
            for e in f.fdb or []
        ]

    return _build(snapshot, "macs", "fdb", ["device", "mac", "vlan", "port", "type"], rows, filters)


def lldp_table(snapshot: Snapshot, filters: Mapping[str, str | None] | None = None) -> Table:
    def rows(f: SwitchFacts) -> list[dict[str, Any]]:
        return [
            {
                "device": f.device,
                "local_port": n.local_port,
                "chassis_id": n.chassis_id,
                "chassis_id_subtype": n.chassis_id_subtype,
                # a TLV the neighbour did not send is null, not ""
                "port_id": n.port_id or None,
                "port_id_subtype": n.port_id_subtype,
                "port_description": n.port_description or None,
                "system_name": n.system_name or None,
                "management_address": n.management_address,
                "capabilities": list(n.capabilities),
            }
            for n in f.lldp or []
        ]

    return _build(
        snapshot,
        "lldp",
        "lldp",
        [
            "device",
            "local_port",
            "chassis_id",
            "chassis_id_subtype",
            "port_id",
            "port_id_subtype",
            "port_description",
            "system_name",
            "management_address",
            "capabilities",
        ],
        rows,
        filters,
    )


def vlans_table(snapshot: Snapshot, filters: Mapping[str, str | None] | None = None) -> Table:
    def rows(f: SwitchFacts) -> list[dict[str, Any]]:
        return [
            {"device": f.device, "vlan": v.vlan_id, "name": v.name, "state": v.state}
            for v in f.vlans or []
        ]

    return _build(snapshot, "vlans", "vlans", ["device", "vlan", "name", "state"], rows, filters)


def cdp_table(snapshot: Snapshot, filters: Mapping[str, str | None] | None = None) -> Table:
    """CDP neighbours: the LLDP table's columns (CDP has no subtypes or port description)."""

    def rows(f: SwitchFacts) -> list[dict[str, Any]]:
        return [
            {
                "device": f.device,
                "local_port": n.local_port,
                "device_id": n.chassis_id,
                "port_id": n.port_id or None,
                "system_name": n.system_name or None,
                "management_address": n.management_address,
                "capabilities": list(n.capabilities),
            }
            for n in f.cdp or []
        ]

    return _build(
        snapshot,
        "cdp",
        "cdp",
        [
            "device",
            "local_port",
            "device_id",
            "port_id",
            "system_name",
            "management_address",
            "capabilities",
        ],
        rows,
        filters,
    )


def arp_table(snapshot: Snapshot, filters: Mapping[str, str | None] | None = None) -> Table:
    def rows(f: SwitchFacts) -> list[dict[str, Any]]:
        return [
            {"device": f.device, "ip": e.ip, "mac": e.mac, "interface": e.interface, "vlan": e.vlan}
            for e in f.arp or []
        ]

    return _build(
        snapshot, "arp", "arp", ["device", "ip", "mac", "interface", "vlan"], rows, filters
    )


def mlag_table(snapshot: Snapshot, filters: Mapping[str, str | None] | None = None) -> Table:
    """One row per MLAG / vPC domain a switch is in; its shared port-channels as
    ``Port-channel20=20`` (local LAG = id shared with the peer)."""

    def rows(f: SwitchFacts) -> list[dict[str, Any]]:
        return [
            {
                "device": f.device,
                "domain": m.domain_id,
                "peer_address": m.peer_address,
                "peer_link": m.peer_link,
                "role": m.local_role,
                "lag_ids": [f"{lag}={mlag_id}" for lag, mlag_id in m.lag_ids],
            }
            for m in f.mlag or []
        ]

    return _build(
        snapshot,
        "mlag",
        "mlag",
        ["device", "domain", "peer_address", "peer_link", "role", "lag_ids"],
        rows,
        filters,
    )
