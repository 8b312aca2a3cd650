"""Place every physical host NIC on its switch port (the DESIGN's evidence precedence).

Per physical PIF, strongest first:

1. host-side LLDP (``PIF_metrics.lldp_neighbor``: the switch's system name and port id);
2. switch-side LLDP / CDP (the neighbour's port id or chassis id is the NIC MAC, or the
   system name is the host's and the port id / description is the NIC);
3. the FDB, filtered as Netdisco does (see :mod:`xsfabric.correlate.switches`);
4. ARP, when it names a port.

Evidence that names two different logical endpoints makes the placement ``contradicted`` with
each side shown; no evidence makes it ``unplaced`` with the reason. Bond members are placed
through their own MAC and LLDP; an active-backup bond's MAC moving to the active member's port
is not a contradiction, and the bond as a whole gets the LAG / MLAG endpoint its members share.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from xsfabric.correlate.model import (
    CONFIDENCE,
    BondPlacement,
    Cabling,
    Endpoint,
    Evidence,
    EvidenceKind,
    Placement,
    PortConfig,
    Status,
    VifSighting,
)
from xsfabric.correlate.switches import (
    XEN_OUI,
    SwitchIndex,
    is_placeholder_mac,
    name_keys,
    shared_index,
)
from xsfabric.model.estate import Estate
from xsfabric.model.xen import Pif, Pool
from xsfabric.names import normalize_mac
from xsfabric.switch.model import LldpNeighbor, SwitchFacts, vlan_tuple

#: Layer-3 interfaces an ARP entry may name that are no switch port (SVIs, loopbacks …).
_NOT_A_PORT = re.compile(r"^(vlan|irb|bvi|loopback|lo\d|mgmt|management|tunnel|nve)", re.IGNORECASE)
#: Keys under which xapi versions and lldpd spell the neighbour's fields.
_SYSTEM_KEYS = ("system_name", "sysname", "systemname", "system name", "chassis_name")
_PORT_KEYS = ("port_id", "portid", "port id", "port")
_PORT_DESCR_KEYS = (
    "port_description",
    "port_descr",
    "port description",
    "portdescr",
    "portdescription",
)


def _lldp_value(data: Mapping[str, str], keys: tuple[str, ...]) -> str:
    lowered = {k.lower().replace("-", "_"): v for k, v in data.items()}
    for key in keys:
        value = lowered.get(key)
        if value:
            return value.strip()
    return ""


def physical_nics(pool: Pool) -> list[Pif]:
    """The PIFs correlation places: physical, untagged (one per NIC), sorted by host/device."""
    hosts = pool.hosts
    nics = [p for p in pool.pifs.values() if p.physical and p.vlan < 0]
    return sorted(
        nics,
        key=lambda p: (
            hosts[p.host_uuid].name_label if p.host_uuid in hosts else p.host_uuid,
            p.device,
        ),
    )


Lines = Mapping[str, Mapping[str, Mapping[str, int]]]


def correlate(
    estate: Estate,
    sources: Mapping[str, Mapping[str, str]] | None = None,
    not_collected: Mapping[str, str] | None = None,
    lines: Lines | None = None,
) -> Cabling:
    """Correlate the estate's pools with its switches (pure; linear in the estate's size).

    ``sources``: per switch, per table ("fdb", "lldp", "cdp", "arp"), where the table was
    read from (see :func:`xsfabric.correlate.sources.evidence_sources`); ``not_collected``:
    switches of the snapshot whose collection failed, with their status; ``lines``: per
    switch, per table, MAC → the line of the capture it is first seen on
    (:func:`xsfabric.correlate.sources.evidence_lines`).
    """
    return correlate_pools(estate.pools, estate.switches, sources, not_collected, lines)


def correlate_pools(
    pools: list[Pool],
    switches: Mapping[str, SwitchFacts],
    sources: Mapping[str, Mapping[str, str]] | None = None,
    not_collected: Mapping[str, str] | None = None,
    lines: Lines | None = None,
) -> Cabling:
    sources = sources or {}
    host_keys: set[str] = set()
    host_macs: set[str] = set()
    guest_macs: set[str] = set()
    for pool in pools:
        for host in pool.hosts.values():
            host_keys |= name_keys(host.uuid, host.hostname, host.name_label)
        for pif in pool.pifs.values():
            if pif.physical and not is_placeholder_mac(pif.mac):
                host_macs.add(pif.mac)
        for vif in pool.vifs.values():
            vm = pool.vms.get(vif.vm_uuid or "")
            if vm is not None and not vm.is_control_domain and vif.mac:
                guest_macs.add(vif.mac)
    guest_macs -= host_macs
    index = shared_index(
        switches, host_keys, host_macs, guest_macs, host_macs | guest_macs, sources, lines
    )
    result = Cabling(
        uplinks=dict(index.uplinks),
        not_collected=dict(not_collected or {}),
        mlag_pairs=dict(index.mlag_peer),
    )
    for mac in guest_macs:
        for sighting in index.fdb.get(mac, ()):
            result.vifs.setdefault(mac, []).append(
                VifSighting(mac, sighting.endpoint.switch, sighting.endpoint.port, sighting.vlan)
            )
    placer = _Placer(index, sources, result, lines or {})
    for pool in pools:
        placer.place_pool(pool)
    return result


class _Placer:
    def __init__(
        self,
        index: SwitchIndex,
        sources: Mapping[str, Mapping[str, str]],
        result: Cabling,
        lines: Lines,
    ) -> None:
        self.index = index
        self.sources = sources
        self.result = result
        self.lines = lines
        #: PIF uuid → its position in ``result.placements``.
        self.position: dict[str, int] = {}
        #: NICs of the pool being placed that carry traffic (an IP, management, guests).
        self.active: set[str] = set()

    def source(self, switch: str, table: str, default: str) -> str:
        return self.sources.get(switch, {}).get(table, f"{switch} {default}")

    # -- evidence ---------------------------------------------------------------------------

    def host_lldp(self, pif: Pif) -> tuple[list[Evidence], str | None]:
        """Evidence from the host's own LLDP; or the name of a switch that is not collected."""
        if not pif.lldp_neighbor:
            return [], None
        system = _lldp_value(pif.lldp_neighbor, _SYSTEM_KEYS)
        port = _lldp_value(pif.lldp_neighbor, _PORT_KEYS)
        descr = _lldp_value(pif.lldp_neighbor, _PORT_DESCR_KEYS)
        if ":" in normalize_mac(port) and descr:
            port = descr  # a port id given as MAC: the description names the port
        if not system or not port:
            return [], None
        switch = self.index.switch_named(system)
        detail = f"{pif.device} hears {system} port {port}"
        if switch is None:
            for failed in self.result.not_collected:
                if name_keys(failed) & name_keys(system):
                    return [], failed
            return [], system
        canonical = self.index.canonical_port(switch, port)
        if (switch, canonical) not in self.index.ports and descr:
            # a port id that is an ifIndex or a locally assigned number (Junos): the
            # description names the port when it is one the switch has
            by_descr = self.index.canonical_port(switch, descr)
            if (switch, by_descr) in self.index.ports:
                canonical = by_descr
        return [
            Evidence(
                EvidenceKind.HOST_LLDP,
                self.index.endpoint(switch, canonical),
                "xapi PIF_metrics.lldp_neighbor",
                detail,
            )
        ], None

    def switch_lldp(self, pif: Pif, host_keys: set[str]) -> list[Evidence]:
        found: dict[tuple[str, str], LldpNeighbor] = {}
        for switch, neighbour in self.index.neighbours_by_mac.get(pif.mac, ()):
            found.setdefault((switch, neighbour.local_port), neighbour)
        for key in host_keys:
            for switch, neighbour in self.index.neighbours_by_name.get(key, ()):
                names = {
                    neighbour.port_id.strip().lower(),
                    neighbour.port_description.strip().lower(),
                }
                if pif.device.lower() in names:
                    found.setdefault((switch, neighbour.local_port), neighbour)
        evidence = []
        for (switch, port), neighbour in sorted(found.items()):
            cdp = neighbour.protocol == "cdp"
            kind = EvidenceKind.SWITCH_CDP if cdp else EvidenceKind.SWITCH_LLDP
            table = "cdp" if cdp else "lldp"
            evidence.append(
                Evidence(
                    kind,
                    self.index.endpoint(switch, port),
                    self.source(switch, table, "CDP neighbours" if cdp else "LLDP neighbours"),
                    f"{port} hears {neighbour.system_name or neighbour.chassis_id} "
                    f"port {neighbour.port_id or neighbour.port_description}",
                    self.lines.get(switch, {}).get(table, {}).get(pif.mac),
                )
            )
        return evidence

    def fdb(self, mac: str) -> list[Evidence]:
        evidence = []
        for sighting in self.index.fdb.get(mac, ()):
            vlan = f" VLAN {sighting.vlan}" if sighting.vlan is not None else ""
            evidence.append(
                Evidence(
                    EvidenceKind.FDB,
                    sighting.endpoint,
                    sighting.source,
                    f"{mac}{vlan} learned on {sighting.endpoint.port}",
                    sighting.line,
                )
            )
        return evidence

    def arp(self, mac: str) -> tuple[list[Evidence], list[str]]:
        evidence: list[Evidence] = []
        only_svi: list[str] = []
        for switch, interface, vlan, source in self.index.arp.get(mac, ()):
            if (
                interface
                and (switch, interface) in self.index.ports
                and not _NOT_A_PORT.match(interface)
            ):
                evidence.append(
                    Evidence(
                        EvidenceKind.ARP,
                        self.index.endpoint(switch, interface),
                        source,
                        f"{mac} in ARP on {interface}",
                    )
                )
            else:
                where = interface or (f"VLAN {vlan}" if vlan is not None else "no interface")
                only_svi.append(f"{switch} {where}")
        return evidence, only_svi

    # -- placement --------------------------------------------------------------------------

    def place_pool(self, pool: Pool) -> None:
        self.active = _active_nics(pool)
        pending_bonds: dict[str, list[Placement]] = {}
        for pif in physical_nics(pool):
            placement = self.place(pool, pif)
            self.position[pif.uuid] = len(self.result.placements)
            self.result.placements.append(placement)
            self.result.by_pif[pif.uuid] = placement
            if pif.bond_slave_of:
                pending_bonds.setdefault(pif.bond_slave_of, []).append(placement)
        for bond_uuid, members in pending_bonds.items():
            self.settle_bond(pool, bond_uuid, members)

    def place(self, pool: Pool, pif: Pif) -> Placement:
        host = pool.hosts.get(pif.host_uuid)
        host_name = (host.name_label or host.hostname) if host else pif.host_uuid
        bond = pool.bonds.get(pif.bond_slave_of or "")
        master = pool.pifs.get(bond.master_uuid or "") if bond else None
        base = Placement(
            pool=pool.name,
            host_uuid=pif.host_uuid,
            host=host_name,
            pif_uuid=pif.uuid,
            device=pif.device,
            mac=pif.mac,
            status=Status.UNPLACED,
            bond=master.device if master else None,
            bond_mode=bond.mode if bond else None,
            carrier=pif.carrier,
        )
        host_keys = name_keys(
            *((host.uuid, host.hostname, host.name_label) if host else (pif.host_uuid,))
        )
        lldp, uncollected = self.host_lldp(pif)
        lldp += self.switch_lldp(pif, host_keys)
        mac_usable = not is_placeholder_mac(pif.mac)
        fdb = self.fdb(pif.mac) if mac_usable and not pif.mac.startswith(XEN_OUI) else []
        arp, svi_only = self.arp(pif.mac) if mac_usable else ([], [])
        evidence = [*lldp, *fdb, *arp]
        if lldp:
            return self.decide(base, lldp, [*fdb, *arp], pool, pif)
        if fdb:
            return self.decide(base, fdb, arp, pool, pif)
        if arp:
            return self.decide(base, arp, [], pool, pif)
        return self._unplaced(base, pool, pif, evidence, uncollected, svi_only)

    def decide(
        self,
        base: Placement,
        strongest: list[Evidence],
        weaker: list[Evidence],
        pool: Pool,
        pif: Pif,
    ) -> Placement:
        groups: dict[tuple[str, ...], list[Evidence]] = {}
        for item in strongest:
            groups.setdefault(item.endpoint.logical, []).append(item)
        evidence = (*strongest, *weaker)
        paired = _unpaired_mlag(strongest) if len(groups) > 1 else None
        if paired is not None:
            # the same port-channel number on two switches, each learning the MAC: an MLAG /
            # vPC pair the snapshot does not describe (no MLAG table, no peer-link LLDP)
            strongest = [
                replace(e, endpoint=paired.get(e.endpoint.switch, e.endpoint)) for e in strongest
            ]
            weaker = [
                replace(e, endpoint=paired.get(e.endpoint.switch, e.endpoint))
                if e.endpoint.switch in paired and e.endpoint.lag is not None
                else e
                for e in weaker
            ]
            evidence = (*strongest, *weaker)
            groups = {strongest[0].endpoint.logical: strongest}
        if len(groups) > 1:
            return self._contradicted(
                base,
                evidence,
                groups,
                "the "
                + " and ".join(sorted({str(e.kind) for e in strongest}))
                + " evidence names several ports",
            )
        chosen = self._most_specific(strongest)
        disagree = [e for e in weaker if e.endpoint.logical != chosen.logical]
        if disagree and not self._bond_sibling_port(pool, pif, disagree):
            groups[chosen.logical] = list(strongest)
            for item in disagree:
                groups.setdefault(item.endpoint.logical, []).append(item)
            return self._contradicted(
                base,
                evidence,
                groups,
                f"{strongest[0].kind} names {chosen.label()}, "
                + ", ".join(f"{e.kind} names {e.endpoint.label()}" for e in disagree),
            )
        kind = min((e.kind for e in strongest), key=list(EvidenceKind).index)
        confidence, note = CONFIDENCE[kind], ""
        if (
            kind == EvidenceKind.FDB
            and pif.bond_slave_of in pool.bonds
            and chosen.lag is None
            and pool.bonds[pif.bond_slave_of].mode != "lacp"
        ):
            # the bond's MAC is learned where the active member is: after a failover that is
            # the other member's port
            confidence = CONFIDENCE[EvidenceKind.ARP]
            note = (
                "bond MAC: learned on the active member's port (the other member's after "
                "a failover)"
            )
        if paired is not None:
            note = "; ".join(
                filter(
                    None,
                    [
                        note,
                        "MLAG pair inferred from the same "
                        "port-channel on " + " and ".join(sorted(paired)),
                    ],
                )
            )
        return _with(
            base,
            status=Status.PLACED,
            endpoint=chosen,
            port=self.port_config(chosen),
            evidence=evidence,
            confidence=confidence,
            reason=note,
        )

    def _bond_sibling_port(self, pool: Pool, pif: Pif, disagree: list[Evidence]) -> bool:
        """A bond's MAC follows its active member: FDB / ARP sightings of a member's MAC on
        another port (a sibling member's) are expected, not a contradiction."""
        if pif.bond_slave_of not in pool.bonds:
            return False
        return all(e.kind in (EvidenceKind.FDB, EvidenceKind.ARP) for e in disagree)

    def _most_specific(self, evidence: list[Evidence]) -> Endpoint:
        """The endpoint naming a physical port (not only a LAG), strongest evidence first."""
        for item in evidence:
            if item.endpoint.port != item.endpoint.lag:
                return item.endpoint
        return evidence[0].endpoint

    def _contradicted(
        self,
        base: Placement,
        evidence: tuple[Evidence, ...],
        groups: dict[tuple[str, ...], list[Evidence]],
        reason: str,
    ) -> Placement:
        candidates = tuple(self._most_specific(items) for _, items in sorted(groups.items()))
        return _with(
            base,
            status=Status.CONTRADICTED,
            evidence=evidence,
            reason=reason,
            candidates=candidates,
        )

    @staticmethod
    def _is_primary(pool: Pool, pif: Pif) -> bool:
        bond = pool.bonds.get(pif.bond_slave_of or "")
        if bond is None:
            return True
        if bond.primary_slave_uuid:
            return bond.primary_slave_uuid == pif.uuid
        master = pool.pifs.get(bond.master_uuid or "")
        return master is not None and master.mac == pif.mac

    def _unplaced(
        self,
        base: Placement,
        pool: Pool,
        pif: Pif,
        evidence: list[Evidence],
        uncollected: str | None,
        svi_only: list[str],
    ) -> Placement:
        uplink = self.index.fdb_uplink.get(pif.mac, [])
        if is_placeholder_mac(pif.mac):
            reason = f"MAC {pif.mac or '(none)'} identifies no NIC"
        elif pif.mac.startswith(XEN_OUI):
            reason = (
                f"MAC {pif.mac} has the Xen OUI (a nested host?): the FDB cannot tell it "
                "from a guest VIF, and no LLDP names the port"
            )
        elif uncollected is not None and uncollected in self.result.not_collected:
            reason = (
                f"switch {uncollected} not collected ({self.result.not_collected[uncollected]})"
            )
        elif uncollected is not None:
            reason = f"host LLDP names {uncollected}, which is not in the snapshot"
        elif not self.index.switches:
            reason = "no switch in the snapshot"
        elif pif.carrier is False:
            reason = "NIC without carrier (no link)"
        elif base.bond is not None and not self._is_primary(pool, pif):
            reason = (
                f"member of {base.bond} ({base.bond_mode}): the bond sends with its "
                "primary member's MAC, not this NIC's, and no LLDP names its port"
            )
        elif uplink:
            where = ", ".join(
                sorted(
                    {
                        f"{s.endpoint.switch} {s.endpoint.port} "
                        + "("
                        + self.index.uplinks.get((s.endpoint.switch, s.endpoint.port), "uplink")
                        + ")"
                        for s in uplink
                    }
                )
            )
            reason = f"MAC learned only on uplinks: {where}"
        elif svi_only:
            reason = "only in ARP, without a port: " + ", ".join(sorted(svi_only))
        else:
            reason = "no switch in the snapshot sees the MAC"
            if pif.uuid not in self.active:
                reason += (
                    " (the NIC carries no IP, management or guest network: the host "
                    "sends nothing on it to learn)"
                )
            lacking = sorted(
                f"{sw} ({', '.join(t)})"
                for sw, t in self.index.missing.items()
                if any(x.startswith("MAC table") for x in t)
            )
            if lacking:
                reason += "; not available: " + ", ".join(lacking)
            if self.result.not_collected:
                reason += "; not collected: " + ", ".join(sorted(self.result.not_collected))
        uplink_evidence = [
            Evidence(
                EvidenceKind.FDB,
                s.endpoint,
                s.source,
                f"{pif.mac} learned on uplink {s.endpoint.port}",
            )
            for s in uplink
        ]
        return _with(
            base, status=Status.UNPLACED, reason=reason, evidence=(*evidence, *uplink_evidence)
        )

    def port_config(self, endpoint: Endpoint) -> PortConfig | None:
        record = self.index.ports.get((endpoint.switch, endpoint.port))
        lag_record = self.index.ports.get((endpoint.switch, endpoint.lag)) if endpoint.lag else None
        config = lag_record if lag_record is not None and lag_record.mode != "unknown" else record
        if config is None:
            return None
        folded = endpoint.lag or endpoint.port
        stats = self.index.stats.get((endpoint.switch, folded))
        return PortConfig(
            description=(
                record.description
                if record is not None and record.description
                else config.description
            ),
            mode=config.mode,
            access_vlan=config.access_vlan,
            native_vlan=config.native_vlan,
            allowed_vlans=config.allowed_vlans,
            admin_up=record.admin_up if record is not None else config.admin_up,
            oper_up=record.oper_up if record is not None else config.oper_up,
            learned_vlans=vlan_tuple(stats.vlans) if stats else (),
            guest_vlans=vlan_tuple(stats.guest_vlans) if stats else (),
        )

    def _replace(self, placement: Placement) -> None:
        """Swap a placement for its updated copy, in the list and the index."""
        self.result.placements[self.position[placement.pif_uuid]] = placement
        self.result.by_pif[placement.pif_uuid] = placement

    def settle_bond(self, pool: Pool, bond_uuid: str, members: list[Placement]) -> None:
        bond = pool.bonds[bond_uuid]
        master = pool.pifs.get(bond.master_uuid or "")
        placed = [m for m in members if m.status == Status.PLACED and m.endpoint is not None]
        endpoints = [m.endpoint for m in placed if m.endpoint is not None]
        logical = {e.logical for e in endpoints}
        shared = (
            endpoints[0]
            if endpoints and len(logical) == 1 and (endpoints[0].lag is not None)
            else None
        )
        first = members[0]
        if shared is not None:
            for member in members:
                if member.status == Status.UNPLACED and member.reason.startswith("member of"):
                    self._replace(
                        replace(
                            member,
                            reason=(
                                f"{member.reason}; the bond is on {shared.label()}, so this NIC is "
                                "one of its member ports"
                            ),
                        )
                    )
        self.result.bonds.append(
            BondPlacement(
                pool=pool.name,
                host_uuid=first.host_uuid,
                host=first.host,
                bond_uuid=bond_uuid,
                device=master.device if master else bond_uuid,
                mode=bond.mode,
                members=tuple(m.pif_uuid for m in members),
                endpoint=shared,
                switches=tuple(sorted({e.switch for e in endpoints})),
                unplaced_members=tuple(m.pif_uuid for m in members if m.status != Status.PLACED),
            )
        )


def _active_nics(pool: Pool) -> set[str]:
    """Physical NICs under a PIF with an IP, the management PIF, or a network guests use:
    the ones whose MAC (or bond MAC) the host actually sends."""
    guest_networks = {v.network_uuid for v in pool.vifs.values() if v.network_uuid}
    active: set[str] = set()
    for pif in pool.pifs.values():
        if pif.management or pif.has_ip or pif.network_uuid in guest_networks:
            active.update(pif.physical_pif_uuids)
    return active


def _with(base: Placement, **changes: object) -> Placement:
    return replace(base, **changes)  # type: ignore[arg-type]


def _lag_number(name: str) -> str | None:
    """The trailing number of a LAG name (``Port-channel10`` → ``10``)."""
    match = re.search(r"(\d+)$", name)
    return match.group(1) if match else None


def _unpaired_mlag(evidence: list[Evidence]) -> dict[str, Endpoint] | None:
    """Two switches, each with the evidence on a LAG of the same number (and no MLAG pair
    known): switch → its endpoint marked as one MLAG with the other; None otherwise."""
    endpoints = {e.endpoint.switch: e.endpoint for e in evidence}
    if len(endpoints) != 2 or any(ep.lag is None or ep.mlag_peer for ep in endpoints.values()):
        return None
    if len({e.endpoint.logical for e in evidence}) != 2:
        return None  # two endpoints on one switch: a real disagreement
    numbers = {_lag_number(ep.lag or "") for ep in endpoints.values()}
    if len(numbers) != 1 or None in numbers:
        return None
    number = int(next(iter(numbers)) or 0)
    a, b = sorted(endpoints)
    return {
        a: replace(endpoints[a], mlag_peer=b, mlag_id=number),
        b: replace(endpoints[b], mlag_peer=a, mlag_id=number),
    }
