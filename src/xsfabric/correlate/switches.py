"""The switch side of correlation, indexed once: ports, LAGs, MLAG pairs, neighbours, uplinks,
and the FDB filtered the way Netdisco does it.

Everything here is one pass over each switch table (hash joins, never a scan inside a scan),
so correlation stays linear in the size of the estate: 2,000,000 FDB entries are read once.

Netdisco's filter, as applied here: a MAC learned on a port that has a switch neighbour (LLDP
or CDP), on an MLAG / vPC peer link, or on a port where another switch's own MACs are learned
does not place an end host there. LAG members fold into their LAG, and the two LAGs of an MLAG
pair that share an MLAG id are one endpoint. A port with many foreign MACs (more than
:data:`MANY_MACS` addresses that are neither a NIC nor a guest of the estate) is treated as an
uplink too: a host port sees its NIC MAC and its guests, not a building's worth of laptops.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from xsfabric.correlate.model import Endpoint
from xsfabric.switch.model import FdbEntry, FdbEntryType, LldpNeighbor, SwitchFacts, SwitchPort

#: Xen's OUI: every generated VIF MAC starts with it; it never identifies a host NIC.
XEN_OUI = "00:16:3e"
#: A port learning more foreign MACs than this is an uplink (or a hub), never a host NIC.
MANY_MACS = 16
#: A foreign MAC held static on one port in this many VLANs is a switch's own (router / MLAG
#: peer) MAC: the port leads to a switch.
STATIC_VLANS = 3
_LAG_NAME = re.compile(r"^(port-channel|bundle-ether|ae|bond|po|trk)\d+$", re.IGNORECASE)
_NO_MAC = {"", "00:00:00:00:00:00", "fe:ff:ff:ff:ff:ff", "ff:ff:ff:ff:ff:ff"}
_SWITCH_CAPS = {"bridge", "router", "switch", "b", "r", "s"}
_NUMBER = re.compile(r"(\d+)$")


def is_placeholder_mac(mac: str) -> bool:
    """All-zero, broadcast and the VLAN/bond placeholder never identify a NIC."""
    return mac in _NO_MAC


def name_keys(*names: str | None) -> set[str]:
    """Lowercase names and their first DNS label: how LLDP system names are compared.

    >>> sorted(name_keys("TOR-1.example.net"))
    ['tor-1', 'tor-1.example.net']
    """
    keys: set[str] = set()
    for name in names:
        if name:
            text = name.strip().lower()
            keys.add(text)
            keys.add(text.split(".", 1)[0])
    keys.discard("")
    return keys


@dataclass(slots=True)
class Sighting:
    """One FDB entry of a MAC the estate cares about, already folded to its endpoint."""

    endpoint: Endpoint
    vlan: int | None
    source: str
    line: int | None = None


@dataclass(slots=True)
class PortStats:
    """What the FDB shows on one (folded) port."""

    entries: int = 0
    foreign: set[str] = field(default_factory=set)
    vlans: set[int] = field(default_factory=set)
    guest_vlans: set[int] = field(default_factory=set)


@dataclass(slots=True)
class SwitchIndex:
    switches: Mapping[str, SwitchFacts]
    #: (switch, canonical port) → port record.
    ports: dict[tuple[str, str], SwitchPort] = field(default_factory=dict)
    #: switch → the name keys it answers to (device name, hostname).
    names: dict[str, str] = field(default_factory=dict)
    #: switch → its MLAG / vPC peer switch.
    mlag_peer: dict[str, str] = field(default_factory=dict)
    #: (switch, LAG) → MLAG id.
    mlag_id: dict[tuple[str, str], int] = field(default_factory=dict)
    #: (switch, port or LAG) → why it is an uplink.
    uplinks: dict[tuple[str, str], str] = field(default_factory=dict)
    #: Neighbours by the MAC in their port id or chassis id: mac → [(switch, neighbour)].
    neighbours_by_mac: dict[str, list[tuple[str, LldpNeighbor]]] = field(default_factory=dict)
    #: Neighbours by (system name or chassis id key) → [(switch, neighbour)].
    neighbours_by_name: dict[str, list[tuple[str, LldpNeighbor]]] = field(default_factory=dict)
    #: mac → every FDB sighting on a non-uplink port (the folded endpoint).
    fdb: dict[str, list[Sighting]] = field(default_factory=dict)
    #: mac → FDB sightings on uplinks (shown as evidence of why a MAC is not placed).
    fdb_uplink: dict[str, list[Sighting]] = field(default_factory=dict)
    #: (switch, folded port) → FDB statistics.
    stats: dict[tuple[str, str], PortStats] = field(default_factory=dict)
    #: mac → [(switch, interface, vlan)] from ARP tables.
    arp: dict[str, list[tuple[str, str | None, int | None, str]]] = field(default_factory=dict)
    #: ip → mac from every ARP table.
    arp_ip: dict[str, str] = field(default_factory=dict)
    #: switch → tables the snapshot lacks ("MAC table", "LLDP" …).
    missing: dict[str, list[str]] = field(default_factory=dict)

    # -- lookups ----------------------------------------------------------------------------

    def switch_named(self, name: str) -> str | None:
        """The switch an LLDP system name (or device name) designates, if collected."""
        for key in name_keys(name):
            if key in self.names:
                return self.names[key]
        return None

    def canonical_port(self, switch: str, name: str) -> str:
        from xsfabric.names import canonical_interface

        canonical = canonical_interface(name)
        if (switch, canonical) in self.ports or (switch, name) not in self.ports:
            return canonical
        return name

    def endpoint(self, switch: str, port: str) -> Endpoint:
        """The endpoint of a port (member or LAG), with its LAG and MLAG pair."""
        record = self.ports.get((switch, port))
        lag = record.lag if record is not None else None
        if (record is not None and record.lag_members) or (
            record is None and _LAG_NAME.match(port)
        ):
            lag = port
        mlag = self.mlag_id.get((switch, lag)) if lag else None
        peer = self.mlag_peer.get(switch) if mlag is not None else None
        return Endpoint(switch, port, lag, peer, mlag)

    def folded(self, switch: str, port: str) -> str:
        record = self.ports.get((switch, port))
        return record.lag if record is not None and record.lag else port


def _lag_number(name: str) -> int | None:
    match = _NUMBER.search(name)
    return int(match.group(1)) if match else None


def build_index(
    switches: Mapping[str, SwitchFacts],
    host_keys: set[str],
    host_macs: set[str],
    guest_macs: set[str],
    wanted: set[str],
    sources: Mapping[str, Mapping[str, str]] | None = None,
    lines: Mapping[str, Mapping[str, Mapping[str, int]]] | None = None,
) -> SwitchIndex:
    """Index every switch once.

    ``host_keys``: names and chassis ids the estate's hosts answer to (a neighbour matching
    one is a host, never a switch); ``host_macs``: the estate's NIC MACs; ``guest_macs``: its
    guest VIF MACs; ``wanted``: the MACs whose FDB sightings are kept.
    """
    index = SwitchIndex(switches)
    sources = sources or {}
    for name, facts in switches.items():
        for key in name_keys(name, facts.facts.hostname if facts.facts else None):
            index.names.setdefault(key, name)
        missing = [
            label
            for label, table in (
                ("MAC table", facts.fdb),
                ("ports", facts.ports),
                ("LLDP", facts.lldp),
            )
            if table is None
        ]
        if facts.fdb == []:
            missing.append("MAC table empty (aged out?)")
        if missing:
            index.missing[name] = missing
        for port in facts.ports or []:
            index.ports[(name, port.name)] = port
            if port.lag_members:
                for member in port.lag_members:
                    index.ports.setdefault(
                        (name, member), SwitchPort(member, member, lag=port.name)
                    )
    _index_mlag(index)
    switch_macs = _index_neighbours(index, host_keys, host_macs)
    for name, facts in switches.items():
        source = sources.get(name, {}).get("fdb", f"{name} MAC address table")
        _index_fdb(
            index,
            name,
            facts.fdb or [],
            switch_macs,
            host_macs,
            guest_macs,
            wanted,
            source,
            (lines or {}).get(name, {}).get("fdb", {}),
        )
        arp_source = sources.get(name, {}).get("arp", f"{name} ARP table")
        for entry in facts.arp or []:
            index.arp.setdefault(entry.mac, []).append(
                (name, entry.interface, entry.vlan, arp_source)
            )
            index.arp_ip.setdefault(entry.ip, entry.mac)
    return index


#: The last index :func:`shared_index` built: (what it was built from, the index). The
#: audit correlates the same estate twice (the wire rules with evidence sources, port roles
#: without): the FDB pass, most of a large audit's correlation, is then made once.
_SHARED: list[tuple[tuple[Any, ...], list[object], SwitchIndex]] = []


def _inputs(
    switches: Mapping[str, SwitchFacts],
    host_keys: set[str],
    host_macs: set[str],
    guest_macs: set[str],
    wanted: set[str],
) -> tuple[tuple[Any, ...], list[object]]:
    """What an index is built from, as a comparable key (the identities and sizes of every
    table, the host sets) and the objects those identities belong to (kept alive with the
    cached index, so an identity cannot be reused by another object meanwhile)."""
    refs: list[object] = [switches]
    key: list[Any] = [id(switches)]
    for name, facts in switches.items():
        tables = (facts.fdb, facts.ports, facts.lldp, facts.cdp, facts.arp, facts.mlag)
        refs.append(facts)
        refs.extend(tables)
        key.append((name, id(facts), facts.facts, *(id(t) for t in tables)))
        key.append(tuple(-1 if t is None else len(t) for t in tables))
    sets = (host_keys, host_macs, guest_macs, wanted)
    return (*key, *(frozenset(s) for s in sets)), refs


def shared_index(
    switches: Mapping[str, SwitchFacts],
    host_keys: set[str],
    host_macs: set[str],
    guest_macs: set[str],
    wanted: set[str],
    sources: Mapping[str, Mapping[str, str]] | None = None,
    lines: Mapping[str, Mapping[str, Mapping[str, int]]] | None = None,
) -> SwitchIndex:
    """:func:`build_index`, the same index, but the part that does not depend on ``sources``
    and ``lines`` (everything but the evidence labels) is built once for the same switch
    facts and hosts (the last ones kept) and only the sightings are labelled per call.

    The facts are records, never edited after loading; a table replaced or resized still
    builds a new index."""
    key, refs = _inputs(switches, host_keys, host_macs, guest_macs, wanted)
    if not _SHARED or _SHARED[0][0] != key:
        _SHARED[:] = [(key, refs, build_index(switches, host_keys, host_macs, guest_macs, wanted))]
    core = _SHARED[0][2]
    sources = sources or {}
    lines = lines or {}

    def relabel(table: dict[str, list[Sighting]]) -> dict[str, list[Sighting]]:
        result: dict[str, list[Sighting]] = {}
        for mac, sightings in table.items():
            labelled = result[mac] = []
            for s in sightings:
                switch = s.endpoint.switch
                source = sources.get(switch, {}).get("fdb", f"{switch} MAC address table")
                line = lines.get(switch, {}).get("fdb", {}).get(mac)
                labelled.append(Sighting(s.endpoint, s.vlan, source, line))
        return result

    arp = {
        mac: [
            (sw, interface, vlan, sources.get(sw, {}).get("arp", f"{sw} ARP table"))
            for sw, interface, vlan, _ in seen
        ]
        for mac, seen in core.arp.items()
    }
    return replace(core, fdb=relabel(core.fdb), fdb_uplink=relabel(core.fdb_uplink), arp=arp)


def _index_mlag(index: SwitchIndex) -> None:
    """Pair switches by MLAG / vPC domain id (two switches with the same id), else by an LLDP
    neighbour seen on a peer link; LAGs of a pair share MLAG ids (from the MLAG table, else by
    the port-channel number, the usual convention)."""
    by_domain: dict[str, list[str]] = {}
    for name, facts in index.switches.items():
        for domain in facts.mlag or []:
            by_domain.setdefault(domain.domain_id, []).append(name)
            for lag, mlag_id in domain.lag_ids:
                index.mlag_id[(name, lag)] = mlag_id
            if domain.peer_link:
                index.uplinks[(name, domain.peer_link)] = "MLAG / vPC peer link"
    for members in by_domain.values():
        if len(members) == 2:
            a, b = members
            index.mlag_peer[a], index.mlag_peer[b] = b, a
    for name, facts in index.switches.items():
        if name in index.mlag_peer:
            continue
        peer_ports = {p.name for p in facts.ports or [] if p.is_peer_link}
        peer_ports |= {m for p in facts.ports or [] if p.is_peer_link for m in p.lag_members}
        for neighbour in [*(facts.lldp or []), *(facts.cdp or [])]:
            if neighbour.local_port in peer_ports:
                other = index.switch_named(neighbour.system_name)
                if other and other != name:
                    index.mlag_peer[name] = other
                    index.mlag_peer.setdefault(other, name)
    for name, peer in index.mlag_peer.items():
        if any(sw == name for sw, _ in index.mlag_id):
            continue
        # no MLAG table: LAGs whose number the peer also has (and that are not the peer link)
        mine = {
            _lag_number(p.name): p.name
            for p in index.switches[name].ports or []
            if p.lag_members and not p.is_peer_link
        }
        theirs = {
            _lag_number(p.name)
            for p in index.switches[peer].ports or []
            if p.lag_members and not p.is_peer_link
        }
        for number, lag in mine.items():
            if number is not None and number in theirs:
                index.mlag_id[(name, lag)] = number
    for (name, port), record in list(index.ports.items()):
        if record.is_peer_link:
            index.uplinks[(name, port)] = "MLAG / vPC peer link"


def _index_neighbours(index: SwitchIndex, host_keys: set[str], host_macs: set[str]) -> set[str]:
    """Index LLDP / CDP neighbours; mark ports with a switch neighbour as uplinks. Returns the
    MACs known to belong to switches (for the 'another switch's MACs learned here' filter)."""
    from xsfabric.names import normalize_mac

    switch_macs: set[str] = set()
    for name, facts in index.switches.items():
        for neighbour in [*(facts.lldp or []), *(facts.cdp or [])]:
            port_mac = normalize_mac(neighbour.port_id)
            chassis_mac = normalize_mac(neighbour.chassis_id)
            is_host = (
                port_mac in host_macs
                or chassis_mac in host_macs
                or bool(name_keys(neighbour.system_name, neighbour.chassis_id) & host_keys)
            )
            if not is_host and _is_switch(index, neighbour):
                what = "CDP" if neighbour.protocol == "cdp" else "LLDP"
                who = neighbour.system_name or neighbour.chassis_id
                index.uplinks.setdefault(
                    (name, neighbour.local_port), f"switch neighbour {who} ({what})"
                )
                lag = index.folded(name, neighbour.local_port)
                index.uplinks.setdefault(
                    (name, lag), f"switch neighbour {who} ({what}) on a member"
                )
                switch_macs.update(m for m in (port_mac, chassis_mac) if ":" in m)
                continue
            for mac in {port_mac, chassis_mac}:
                if ":" in mac:
                    index.neighbours_by_mac.setdefault(mac, []).append((name, neighbour))
            for key in name_keys(neighbour.system_name, neighbour.chassis_id):
                index.neighbours_by_name.setdefault(key, []).append((name, neighbour))
    return switch_macs


def _is_switch(index: SwitchIndex, neighbour: LldpNeighbor) -> bool:
    if index.switch_named(neighbour.system_name):
        return True
    return bool({c.lower() for c in neighbour.capabilities} & _SWITCH_CAPS)


def _index_fdb(
    index: SwitchIndex,
    switch: str,
    entries: Iterable[FdbEntry],
    switch_macs: set[str],
    host_macs: set[str],
    guest_macs: set[str],
    wanted: set[str],
    source: str,
    lines: Mapping[str, int],
) -> None:
    """One pass over a switch's FDB: per-port statistics, the wanted MACs' sightings, and
    ports that learn another switch's MACs (marked as uplinks).

    The pass is the largest loop of a big audit (one iteration per MAC row of the estate),
    so what depends on the port alone (its LAG, its statistics record) is looked up once
    per port of the table, not once per row; the per-row work is set lookups."""
    ports = index.ports
    stats = index.stats
    uplinks = index.uplinks
    kept: list[tuple[str, str, int | None]] = []
    touched: set[tuple[str, str]] = set()
    static: dict[tuple[str, str], int] = {}
    #: port as written in the table → (folded port, stats key, its statistics)
    slots: dict[str, tuple[str, tuple[str, str], PortStats]] = {}
    static_type = FdbEntryType.STATIC
    for entry in entries:
        slot = slots.get(entry.port)
        if slot is None:
            port = entry.port
            record = ports.get((switch, port))
            if record is not None and record.lag:
                port = record.lag
            key = (switch, port)
            stat = stats.get(key)
            if stat is None:
                stat = stats[key] = PortStats()
                touched.add(key)
            slot = slots[entry.port] = (port, key, stat)
        port, key, stat = slot
        stat.entries += 1
        mac = entry.mac
        vlan = entry.vlan
        if vlan is not None:
            stat.vlans.add(vlan)
        if mac in guest_macs or mac.startswith(XEN_OUI):
            if vlan is not None:
                stat.guest_vlans.add(vlan)
        elif mac not in host_macs and len(stat.foreign) <= MANY_MACS:
            stat.foreign.add(mac)
        if mac in switch_macs:
            uplinks.setdefault(key, f"learns switch MAC {mac}")
        elif entry.entry_type == static_type and mac not in wanted:
            count = static[(port, mac)] = static.get((port, mac), 0) + 1
            if count == STATIC_VLANS:
                uplinks.setdefault(key, f"static MAC {mac} in {count}+ VLANs (a switch's own MAC)")
        if mac in wanted:
            kept.append((mac, port, vlan))
    for key in touched:
        if len(stats[key].foreign) > MANY_MACS:
            uplinks.setdefault(key, f"more than {MANY_MACS} foreign MACs learned")
    for mac, port, vlan in kept:
        sighting = Sighting(index.endpoint(switch, port), vlan, source, lines.get(mac))
        target = index.fdb_uplink if (switch, port) in uplinks else index.fdb
        target.setdefault(mac, []).append(sighting)
