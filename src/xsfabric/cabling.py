"""``xsfabric cabling SNAPSHOT`` and ``xsfabric locate SNAPSHOT QUERY``: the network
engineer's questions, answered offline from a snapshot.

``cabling`` prints one row per physical host NIC: where it is cabled (switch, port, LAG, MLAG
peer), the port's VLAN configuration, the status (placed / contradicted / unplaced) and the
evidence. ``locate`` answers "where is this?" for a MAC (any notation), an IP, ``host/eth0``,
a VM name, or ``switch:port`` (who is behind it) — the Netdisco question. Rendering reuses
:mod:`xsfabric.tables`; the correlation itself is :mod:`xsfabric.correlate`.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xsfabric.correlate import Cabling, Placement, correlate
from xsfabric.correlate.sources import evidence_lines, evidence_sources, not_collected
from xsfabric.errors import XsfabricError
from xsfabric.model.estate import Estate, load_estate
from xsfabric.model.xen import Pool, Role
from xsfabric.names import canonical_interface, normalize_mac
from xsfabric.rules.facts import PoolFacts
from xsfabric.snapshot import Snapshot
from xsfabric.tables import OutputFormat, Table, render

CABLING_COLUMNS = [
    "pool",
    "host",
    "pif",
    "mac",
    "roles",
    "switch",
    "port",
    "lag",
    "mlag_peer",
    "mode",
    "access_vlan",
    "native_vlan",
    "allowed_vlans",
    "status",
    "evidence",
    "reason",
]
LOCATE_COLUMNS = [
    "what",
    "name",
    "pool",
    "host",
    "nic",
    "mac",
    "network",
    "vlan",
    "switch",
    "port",
    "lag",
    "status",
    "evidence",
]


class LocateError(XsfabricError):
    """A locate query that matches nothing the snapshot holds."""


@dataclass(slots=True)
class Correlated:
    """An estate with its cabling and the per-NIC roles, built once per command."""

    estate: Estate
    cabling: Cabling
    roles: dict[str, tuple[str, ...]]  # NIC PIF uuid → traffic roles


def load_correlated(snapshot: Snapshot, policy_path: Path | None = None) -> Correlated:
    estate = load_estate(snapshot, policy_path)
    sources = evidence_sources(snapshot)
    cabling = correlate(estate, sources, not_collected(snapshot), evidence_lines(snapshot, sources))
    roles: dict[str, tuple[str, ...]] = {}
    for pool in estate.pools:
        facts = PoolFacts(pool)
        for per_host in facts.nic_roles.values():
            for nic_uuid, by_role in per_host.items():
                roles[nic_uuid] = tuple(str(r) for r in sorted(by_role, key=list(Role).index))
    return Correlated(estate, cabling, roles)


def placement_row(placement: Placement, roles: tuple[str, ...] = ()) -> dict[str, Any]:
    endpoint, port = placement.endpoint, placement.port
    reason = placement.reason
    if placement.candidates:
        reason += " (" + "; ".join(c.label() for c in placement.candidates) + ")"
    return {
        "pool": placement.pool,
        "host": placement.host,
        "pif": placement.device,
        "mac": placement.mac,
        "roles": list(roles),
        "bond": placement.bond,
        "switch": endpoint.switch if endpoint else None,
        "port": endpoint.port if endpoint else None,
        "lag": endpoint.lag if endpoint else None,
        "mlag_peer": endpoint.mlag_peer if endpoint else None,
        "mode": str(port.mode) if port else None,
        "access_vlan": port.access_vlan if port else None,
        "native_vlan": port.native_vlan if port else None,
        "allowed_vlans": list(port.allowed_vlans)
        if port and port.allowed_vlans is not None
        else None,
        "description": port.description if port else None,
        "learned_vlans": list(port.learned_vlans) if port else [],
        "status": str(placement.status),
        "confidence": placement.confidence,
        "evidence": list(placement.evidence_kinds),
        "evidence_detail": [e.to_json() for e in placement.evidence],
        "evidence_where": sorted(
            {f"{e.source}:{e.line}" if e.line else e.source for e in placement.evidence}
        ),
        "reason": reason or None,
    }


def cabling_table(
    data: Correlated,
    pool: str | None = None,
    host: str | None = None,
    switch: str | None = None,
    status: str | None = None,
) -> Table:
    rows = []
    for placement in data.cabling.placements:
        if pool and placement.pool != pool:
            continue
        if host and placement.host != host:
            continue
        if switch and (placement.endpoint is None or placement.endpoint.switch != switch):
            continue
        if status and str(placement.status) != status:
            continue
        rows.append(placement_row(placement, data.roles.get(placement.pif_uuid, ())))
    table = Table("cabling", CABLING_COLUMNS, rows)
    table.warnings.extend(data.estate.warnings)
    return table


# -- locate ---------------------------------------------------------------------------------


def _row(what: str, name: str, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(LOCATE_COLUMNS)
    row.update(what=what, name=name, **values)
    return row


def _nic_row(what: str, name: str, placement: Placement, **values: Any) -> dict[str, Any]:
    endpoint = placement.endpoint
    fields: dict[str, Any] = {
        "pool": placement.pool,
        "host": placement.host,
        "nic": placement.device,
        "mac": placement.mac,
        "status": str(placement.status),
        "switch": endpoint.switch if endpoint else None,
        "port": endpoint.port if endpoint else None,
        "lag": endpoint.lag if endpoint else None,
        "evidence": list(placement.evidence_kinds) or placement.reason,
    }
    fields.update(values)
    return _row(what, name, **fields)


def _locate_mac(data: Correlated, mac: str) -> list[dict[str, Any]]:
    rows = [
        _nic_row("host NIC", f"{p.host}/{p.device}", p)
        for p in data.cabling.placements
        if p.mac == mac
    ]
    for pool in data.estate.pools:
        for vif in pool.vifs.values():
            if vif.mac == mac:
                vm = pool.vms.get(vif.vm_uuid or "")
                rows += _vif_rows(data, pool, vm.name_label if vm else vif.uuid, vif.uuid)
    if not rows:
        for name, facts in data.estate.switches.items():
            for entry in facts.fdb or []:
                if entry.mac == mac:
                    uplink = data.cabling.uplinks.get((name, entry.port))
                    rows.append(
                        _row(
                            "MAC table entry",
                            mac,
                            mac=mac,
                            vlan=entry.vlan,
                            switch=name,
                            port=entry.port,
                            evidence=[f"uplink: {uplink}" if uplink else "fdb"],
                        )
                    )
    return rows


def _vif_rows(data: Correlated, pool: Pool, vm_name: str, vif_uuid: str) -> list[dict[str, Any]]:
    """A VIF: its network and VLAN, the NIC of its host that carries the network, that NIC's
    switch port, and where the switches really learn the VIF's MAC."""
    vif = pool.vifs[vif_uuid]
    vm = pool.vms.get(vif.vm_uuid or "")
    network = pool.networks.get(vif.network_uuid or "")
    vlan = min(network.vlan_tags) if network and network.vlan_tags else None
    host_uuid = vm.resident_on if vm else None
    host = pool.hosts.get(host_uuid or "")
    base = {
        "pool": pool.name,
        "host": host.name_label if host else None,
        "mac": vif.mac,
        "network": network.name_label if network else None,
        "vlan": vlan,
    }
    rows = []
    nics: list[str] = []
    if host is not None and network is not None:
        for pif_uuid in network.pif_uuids:
            pif = pool.pifs[pif_uuid]
            if pif.host_uuid == host.uuid:
                nics.extend(pif.physical_pif_uuids)
    for nic in sorted(set(nics), key=lambda u: pool.pifs[u].device):
        placement = data.cabling.placement(nic)
        if placement is not None:
            rows.append(
                _nic_row("VIF via host NIC", f"{vm_name} VIF {vif.device}", placement, **base)
            )
    for sighting in data.cabling.vifs.get(vif.mac, []):
        rows.append(
            _row(
                "VIF MAC learned",
                f"{vm_name} VIF {vif.device}",
                **{
                    **base,
                    "vlan": sighting.vlan,
                    "switch": sighting.switch,
                    "port": sighting.port,
                    "evidence": ["fdb"],
                },
            )
        )
    if not rows:
        rows.append(
            _row(
                "VIF",
                f"{vm_name} VIF {vif.device}",
                **base,
                status="not running" if host is None else "unplaced",
                evidence="the VM runs on no host"
                if host is None
                else "no placed NIC of its host carries the network",
            )
        )
    return rows


def _locate_ip(data: Correlated, ip: str) -> list[dict[str, Any]]:
    rows = []
    for pool in data.estate.pools:
        for pif in pool.pifs.values():
            if pif.ip == ip or ip in pif.ipv6:
                host = pool.hosts.get(pif.host_uuid)
                network = pool.networks.get(pif.network_uuid or "")
                for nic in pif.physical_pif_uuids:
                    placement = data.cabling.placement(nic)
                    if placement is not None:
                        rows.append(
                            _nic_row(
                                "host IP",
                                f"{host.name_label if host else pif.host_uuid} "
                                f"{pif.device}{'.' + str(pif.vlan) if pif.vlan >= 0 else ''}",
                                placement,
                                network=network.name_label if network else None,
                                vlan=pif.vlan if pif.vlan >= 0 else None,
                            )
                        )
    if rows:  # a dom0 address: the pool records say which NIC; ARP would only repeat it
        return rows
    for facts in data.estate.switches.values():
        for entry in facts.arp or []:
            if entry.ip == ip:
                found = _locate_mac(data, entry.mac)
                rows += found or [
                    _row(
                        "ARP entry",
                        ip,
                        mac=entry.mac,
                        switch=facts.device,
                        port=entry.interface,
                        vlan=entry.vlan,
                        evidence=["arp"],
                    )
                ]
                break
    return rows


def _locate_port(data: Correlated, switch: str, port: str) -> list[dict[str, Any]]:
    facts = data.estate.switches[switch]
    canonical = canonical_interface(port)
    names = {canonical, port}
    lag = next((p.lag for p in facts.ports or [] if p.name in names and p.lag), None)
    rows = [
        _nic_row("host NIC", f"{p.host}/{p.device}", p)
        for p in data.cabling.placements
        if p.endpoint is not None
        and p.endpoint.switch == switch
        and (p.endpoint.port in names or (p.endpoint.lag is not None and p.endpoint.lag in names))
    ]
    macs = {e.mac: e.vlan for e in facts.fdb or [] if e.port in names or e.port == lag}
    known = {r["mac"] for r in rows}
    vif_owner = {vif.mac: (pool, vif) for pool in data.estate.pools for vif in pool.vifs.values()}
    for mac, vlan in sorted(macs.items()):
        if mac in known:
            continue
        owner = vif_owner.get(mac)
        if owner is not None:
            pool, vif = owner
            vm = pool.vms.get(vif.vm_uuid or "")
            rows.append(
                _row(
                    "VIF MAC learned",
                    f"{vm.name_label if vm else vif.uuid} VIF {vif.device}",
                    pool=pool.name,
                    mac=mac,
                    vlan=vlan,
                    switch=switch,
                    port=canonical,
                    evidence=["fdb"],
                )
            )
        else:
            rows.append(
                _row(
                    "MAC learned",
                    mac,
                    mac=mac,
                    vlan=vlan,
                    switch=switch,
                    port=canonical,
                    evidence=["fdb"],
                )
            )
    for neighbour in [*(facts.lldp or []), *(facts.cdp or [])]:
        if neighbour.local_port in names:
            rows.append(
                _row(
                    f"{neighbour.protocol.upper()} neighbour",
                    neighbour.system_name or neighbour.chassis_id,
                    switch=switch,
                    port=canonical,
                    nic=neighbour.port_id,
                    status=data.cabling.uplinks.get((switch, canonical)),
                    evidence=[neighbour.protocol],
                )
            )
    return rows


def locate(data: Correlated, query: str) -> Table:
    """Rows answering one query (see the module docstring for the forms)."""
    query = query.strip()
    rows: list[dict[str, Any]] = []
    mac = normalize_mac(query)
    if _is_mac(mac):
        rows = _locate_mac(data, mac)
    elif _is_ip(query):
        rows = _locate_ip(data, query)
    elif ":" in query and query.split(":", 1)[0] in data.estate.switches:
        switch, port = query.split(":", 1)
        rows = _locate_port(data, switch, port)
    elif "/" in query and _host_nic(data, query):
        rows = _host_nic(data, query)
    else:
        for pool in data.estate.pools:
            for vm in pool.vms.values():
                if vm.name_label == query and not vm.is_control_domain:
                    for vif_uuid in sorted(
                        vm.vif_uuids, key=lambda u: pool.vifs[u].device if u in pool.vifs else u
                    ):
                        if vif_uuid in pool.vifs:
                            rows += _vif_rows(data, pool, vm.name_label, vif_uuid)
    if not rows:
        raise LocateError(
            f"locate: nothing in the snapshot matches {query!r} (a MAC, an IP, "
            "host/ethN, a VM name, or switch:port)"
        )
    return Table("locate", LOCATE_COLUMNS, rows)


def _is_mac(text: str) -> bool:
    parts = text.split(":")
    return len(parts) == 6 and all(len(p) == 2 for p in parts)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _host_nic(data: Correlated, query: str) -> list[dict[str, Any]]:
    host, _, device = query.rpartition("/")
    return [
        _nic_row("host NIC", f"{p.host}/{p.device}", p)
        for p in data.cabling.placements
        if p.device == device and host in (p.host, p.host_uuid)
    ]


# -- command line ---------------------------------------------------------------------------


def register_cabling(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("cabling", help="where every host NIC is cabled (one row per NIC)")
    p.add_argument("snapshot", type=Path)
    p.add_argument("--pool")
    p.add_argument("--host")
    p.add_argument("--switch")
    p.add_argument("--status", choices=["placed", "contradicted", "unplaced"])
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument(
        "--policy", type=Path, help="policy file (default: the one stored in the snapshot)"
    )
    p.set_defaults(handler=run_cabling)


def register_locate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("locate", help="find a MAC, IP, host/ethN, VM or switch:port")
    p.add_argument("snapshot", type=Path)
    p.add_argument("query", help="MAC (any notation), IP, host/ethN, VM name, or switch:port")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument("--policy", type=Path)
    p.set_defaults(handler=run_locate)


def _print(table: Table, fmt: OutputFormat) -> None:
    for warning in table.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    sys.stdout.write(render(table, fmt))


def run_cabling(args: argparse.Namespace) -> int:
    data = load_correlated(Snapshot.open(args.snapshot), args.policy)
    _print(cabling_table(data, args.pool, args.host, args.switch, args.status), args.format)
    return 0


def run_locate(args: argparse.Namespace) -> int:
    data = load_correlated(Snapshot.open(args.snapshot), args.policy)
    _print(locate(data, args.query), args.format)
    return 0
