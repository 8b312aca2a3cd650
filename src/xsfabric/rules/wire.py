"""Rules that need the wire: the host NICs placed on their switch ports by
:mod:`xsfabric.correlate`, joined with the ports' VLAN configuration.

Guide: G03, G05, G08, G09, G10, G19, G20, G21, G28, G31 (the switch-port halves; the xapi
halves are in :mod:`xsfabric.rules.segregation` and :mod:`xsfabric.rules.consistency`).

Every finding names both ends — pool / host / NIC and switch / port — and the evidence that
placed the NIC there. A pool whose NICs cannot be placed (no switch in the snapshot, a switch
not collected, a NIC the evidence does not place) is reported as not checked, never as clean.

The *wire VLAN* of a network on a NIC is its tag for a VLAN network, and the port's access or
native VLAN for an untagged one: that is the VLAN its frames travel in on the switch.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from xsfabric.correlate import Cabling, Placement, PortConfig, Status, correlate
from xsfabric.correlate.sources import evidence_lines, evidence_sources, not_collected
from xsfabric.model.estate import Estate
from xsfabric.model.xen import Network, Pif, Pool, Role
from xsfabric.rules.engine import (
    Category,
    RuleContext,
    Severity,
    Subject,
    SubjectRef,
    rule,
    subject,
)
from xsfabric.switch.model import ALL_VLANS

_DATA = ("xapi", "switch")


# -- shared derivations (one per audit) -----------------------------------------------------


@dataclass(slots=True)
class NicOnWire:
    """One placed physical NIC with what the host sends over it."""

    pool: Pool
    nic: Pif
    placement: Placement
    port: PortConfig
    #: PIFs with a network riding on the NIC (itself, its bond, VLANs on either).
    pifs: list[Pif]
    roles: set[Role]
    #: Wire VLANs the host's own networks use on this NIC.
    own_vlans: set[int] = field(default_factory=set)
    #: Wire VLAN → the traffic roles of the host's networks in it on this NIC.
    vlan_roles: dict[int, set[str]] = field(default_factory=dict)


@dataclass(slots=True)
class PoolWire:
    pool: Pool
    nics: list[NicOnWire]
    #: NICs the correlation could not place, with the reason.
    unplaced: list[Placement]
    #: Wire VLANs per role, pool-wide: role → VLAN → networks using it.
    role_vlans: dict[Role, dict[int, set[str]]]


def wire_vlan(pif: Pif, port: PortConfig) -> int | None:
    return pif.vlan if pif.vlan >= 0 else port.untagged_vlan


class Wire:
    """The cabling of an estate and, per pool, its NICs on the wire."""

    def __init__(self, ctx: RuleContext) -> None:
        estate = ctx.estate
        self.estate = estate
        snapshot = estate.snapshot
        sources = evidence_sources(snapshot) if snapshot is not None else None
        self.cabling: Cabling = correlate(
            estate,
            sources,
            not_collected(snapshot) if snapshot is not None else None,
            evidence_lines(snapshot, sources) if snapshot is not None and sources else None,
        )
        self.pools: dict[str, PoolWire] = {}
        for pool in estate.pools:
            self.pools[pool.name] = self._pool(ctx, pool)

    def _pool(self, ctx: RuleContext, pool: Pool) -> PoolWire:
        facts = ctx.facts(pool)
        carried: dict[str, list[Pif]] = {}
        for pif in pool.pifs.values():
            if pif.network_uuid is None:
                continue
            for nic_uuid in pif.physical_pif_uuids:
                carried.setdefault(nic_uuid, []).append(pif)
        nics: list[NicOnWire] = []
        unplaced: list[Placement] = []
        role_vlans: dict[Role, dict[int, set[str]]] = {r: {} for r in Role}
        for placement in self.cabling.placements:
            if placement.pool != pool.name:
                continue
            if placement.status != Status.PLACED or placement.port is None:
                unplaced.append(placement)
                continue
            nic = pool.pifs[placement.pif_uuid]
            roles = set(facts.nic_roles.get(nic.host_uuid, {}).get(nic.uuid, {}))
            on = NicOnWire(pool, nic, placement, placement.port, carried.get(nic.uuid, []), roles)
            for pif in on.pifs:
                vlan = wire_vlan(pif, on.port)
                network = pool.networks.get(pif.network_uuid or "")
                if vlan is None or network is None:
                    continue
                on.own_vlans.add(vlan)
                roles = facts.pif_roles(pif, network) or facts.roles(network)
                on.vlan_roles.setdefault(vlan, set()).update(str(r) for r in roles)
                for role in roles:
                    role_vlans[role].setdefault(vlan, set()).add(network.name_label)
            nics.append(on)
        return PoolWire(pool, nics, unplaced, role_vlans)


_CACHE: dict[int, tuple[Estate, Wire]] = {}


def wire(ctx: RuleContext) -> Wire:
    """The estate's wire, computed once per audit (the last estate is kept)."""
    key = id(ctx.estate)
    cached = _CACHE.get(key)
    if cached is None or cached[0] is not ctx.estate:
        _CACHE.clear()
        cached = _CACHE[key] = (ctx.estate, Wire(ctx))
    return cached[1]


def checked_pools(ctx: RuleContext) -> list[PoolWire]:
    """The pools a wire rule can look at; the others (and unplaced NICs) as not checked."""
    found = wire(ctx)
    result = []
    for pool in ctx.pools:
        pool_wire = found.pools[pool.name]
        if not ctx.estate.switches:
            failed = found.cabling.not_collected
            why = (
                "no switch in the snapshot"
                if not failed
                else "no switch collected (" + ", ".join(sorted(failed)) + ")"
            )
            ctx.not_checked(subject(pool), why)
            continue
        if pool_wire.unplaced:
            names = ", ".join(
                f"{p.host}/{p.device} ({p.reason or p.status})"
                if p.status != Status.PLACED
                else f"{p.host}/{p.device} (on {p.endpoint.label() if p.endpoint else '?'}, "
                "whose port configuration is not in the snapshot)"
                for p in pool_wire.unplaced[:5]
            )
            more = len(pool_wire.unplaced) - 5
            ctx.not_checked(
                subject(pool),
                f"{len(pool_wire.unplaced)} NIC(s) not placed "
                "or without port configuration: "
                + names
                + (f" and {more} more" if more > 0 else ""),
            )
        if pool_wire.nics:
            result.append(pool_wire)
    return result


def wire_subject(on: NicOnWire, network: Network | None = None, vlan: int | None = None) -> Subject:
    pool = on.pool
    found = subject(
        pool, host=pool.hosts.get(on.nic.host_uuid), network=network, pif=on.nic, vlan=vlan
    )
    endpoint = on.placement.endpoint
    if endpoint is not None:
        found["device"] = SubjectRef(endpoint.switch)
        found["interface"] = SubjectRef(endpoint.port)
    return found


def evidence(on: NicOnWire, **extra: object) -> dict[str, object]:
    endpoint = on.placement.endpoint
    port = on.port
    data: dict[str, object] = {
        "host": on.placement.host,
        "nic": on.nic.device,
        "mac": on.nic.mac,
        "switch": endpoint.switch if endpoint else None,
        "port": endpoint.port if endpoint else None,
        "lag": endpoint.lag if endpoint else None,
        "port_mode": str(port.mode),
        "access_vlan": port.access_vlan,
        "native_vlan": port.native_vlan,
        "allowed_vlans": _vlans_text(port.allowed_vlans),
        "port_description": port.description,
        "placed_by": [e.to_json() for e in on.placement.evidence[:4]],
    }
    data.update(extra)
    return data


def _vlans_text(vlans: Iterable[int] | None) -> str | None:
    if vlans is None:
        return None
    values = tuple(vlans)
    if values == ALL_VLANS:
        return "all"
    return ",".join(str(v) for v in values)


def _where(on: NicOnWire) -> str:
    endpoint = on.placement.endpoint
    where = f"{endpoint.switch} {endpoint.port}" if endpoint else "?"
    return f"{on.nic.device} of {on.placement.host} ({where})"


# -- VLAN mismatch --------------------------------------------------------------------------


@rule(
    "wire-vlan-mismatch",
    title="Host network's VLAN not carried by the switch port of its NIC",
    severity=Severity.HIGH,
    category=Category.CABLING,
    guide=("G10", "G03"),
    rationale="A VLAN network whose tag the switch port does not allow, or an untagged "
    "network landing in another VLAN than on the pool's other hosts, is cut off or, "
    "worse, bridged into the wrong segment on that host.",
    remediation="Allow the VLAN on the port (switchport trunk allowed vlan add <id>) or set "
    "the access / native VLAN the other hosts' ports use",
    data=_DATA,
)
def vlan_mismatch(ctx: RuleContext) -> None:
    for pool_wire in checked_pools(ctx):
        pool = pool_wire.pool
        untagged: dict[str, Counter[int]] = {}
        for on in pool_wire.nics:
            for pif in on.pifs:
                if pif.vlan < 0 and pif.network_uuid and on.port.untagged_vlan is not None:
                    untagged.setdefault(pif.network_uuid, Counter())[on.port.untagged_vlan] += 1
        for on in pool_wire.nics:
            for pif in sorted(on.pifs, key=lambda p: p.vlan):
                network = pool.networks.get(pif.network_uuid or "")
                if network is None:
                    continue
                if pif.vlan >= 0:
                    if on.port.carries(pif.vlan) is False:
                        ctx.finding(
                            wire_subject(on, network, pif.vlan),
                            f"network {network.name_label!r} (VLAN {pif.vlan}) rides "
                            f"{_where(on)}, whose {on.port.mode} port does not carry VLAN "
                            f"{pif.vlan}",
                            evidence(on, network_vlan=pif.vlan),
                        )
                    continue
                counts = untagged.get(network.uuid, Counter())
                lands = on.port.untagged_vlan
                if lands is None or len(counts) < 2:
                    continue
                best, top = counts.most_common(1)[0]
                if counts[lands] < top and best != lands:
                    ctx.finding(
                        wire_subject(on, network, lands),
                        f"untagged network {network.name_label!r} lands in VLAN {lands} on "
                        f"{_where(on)}; the pool's other hosts put it in VLAN {best}",
                        evidence(on, untagged_vlan=lands, expected_vlan=best),
                    )


# -- traffic roles on the wire --------------------------------------------------------------


def _guest_vlans(pool_wire: PoolWire) -> dict[int, set[str]]:
    return pool_wire.role_vlans[Role.GUEST]


def _infra_vlans(pool_wire: PoolWire) -> dict[int, set[str]]:
    merged: dict[int, set[str]] = {}
    for role in (Role.MANAGEMENT, Role.STORAGE):
        for vlan, names in pool_wire.role_vlans[role].items():
            merged.setdefault(vlan, set()).update(names)
    return merged


def _foreign_vlans(
    on: NicOnWire, wanted: dict[int, set[str]], exclude: set[int]
) -> dict[int, list[str]]:
    """VLANs of ``wanted`` the port carries or learns guests on, other than the NIC's own
    networks' VLANs and those of ``exclude``."""
    carried = on.port.vlan_set()
    found: dict[int, list[str]] = {}
    for vlan, names in wanted.items():
        if vlan in on.own_vlans or vlan in exclude:
            continue
        if (carried is not None and vlan in carried) or vlan in on.port.guest_vlans:
            found[vlan] = sorted(names)
    return dict(sorted(found.items()))


def _role_on_port(ctx: RuleContext, role: Role, offending: str) -> None:
    for pool_wire in checked_pools(ctx):
        wanted = _guest_vlans(pool_wire) if offending == "guest" else _infra_vlans(pool_wire)
        for on in pool_wire.nics:
            if role == Role.GUEST:
                if Role.GUEST not in on.roles or on.roles & {Role.MANAGEMENT, Role.STORAGE}:
                    continue
                exclude: set[int] = set()
            else:
                if role not in on.roles:
                    continue
                if role == Role.STORAGE and Role.MANAGEMENT in on.roles:
                    continue
                # VLANs that are also infrastructure VLANs of the pool are not "guest" here
                exclude = set(_infra_vlans(pool_wire)) if offending == "guest" else set()
            found = _foreign_vlans(on, wanted, exclude)
            if not found:
                continue
            learned = sorted(v for v in found if v in on.port.guest_vlans)
            all_vlans = on.port.vlan_set() == ALL_VLANS
            what = ", ".join(f"{v} ({', '.join(n)})" for v, n in found.items())
            how = " (the trunk allows every VLAN)" if all_vlans else ""
            ctx.finding(
                wire_subject(on),
                f"{role} NIC {_where(on)} carries {offending} VLAN(s) {what}{how}",
                evidence(
                    on,
                    nic_roles=sorted(str(r) for r in on.roles),
                    offending_vlans=sorted(found),
                    guest_macs_learned_on=learned,
                ),
            )


@rule(
    "wire-guest-vlan-on-management-port",
    title="Management NIC's switch port carries a guest VLAN",
    severity=Severity.HIGH,
    category=Category.SEGREGATION,
    guide=("G19", "G03"),
    rationale="The guide: do not cable the management interface into the guest network. A "
    "management port that is in, or trunks, a guest VLAN puts guests on layer 2 "
    "with every host's XAPI.",
    remediation="Remove the guest VLANs from the management port (switchport trunk allowed "
    "vlan remove <ids>, or make it an access port of the management VLAN)",
    data=_DATA,
)
def guest_vlan_on_management_port(ctx: RuleContext) -> None:
    _role_on_port(ctx, Role.MANAGEMENT, "guest")


@rule(
    "wire-guest-vlan-on-storage-port",
    title="Storage NIC's switch port carries a guest VLAN",
    severity=Severity.HIGH,
    category=Category.SEGREGATION,
    guide=("G08", "G03"),
    rationale="The storage network is used for nothing else: a guest VLAN on the storage "
    "NIC's port lets guests reach the storage targets at layer 2.",
    remediation="Allow only the storage VLANs on the storage ports (switchport trunk allowed "
    "vlan <storage VLANs>)",
    data=_DATA,
)
def guest_vlan_on_storage_port(ctx: RuleContext) -> None:
    _role_on_port(ctx, Role.STORAGE, "guest")


@rule(
    "wire-infrastructure-vlan-on-guest-port",
    title="Guest NIC's switch port carries the management or storage VLAN",
    severity=Severity.HIGH,
    category=Category.SEGREGATION,
    guide=("G09", "G03"),
    rationale="The guest NIC goes to a port used for VM traffic only: with the management or "
    "storage VLAN on it, one VLAN mistake on the host bridges guests into it.",
    remediation="Remove the management / storage VLANs from the guest ports",
    data=_DATA,
)
def infrastructure_vlan_on_guest_port(ctx: RuleContext) -> None:
    _role_on_port(ctx, Role.GUEST, "management/storage")


# -- cabling consistency (G20) --------------------------------------------------------------


def _switch_key(cabling: Cabling, switch: str) -> str:
    peer = cabling.mlag_pairs.get(switch)
    return "+".join(sorted((switch, peer))) if peer else switch


def _majority(values: dict[str, object], preferred: str | None) -> object:
    counts = Counter(values.values())
    top = max(counts.values())
    leaders = [v for v, c in counts.items() if c == top]
    if preferred in values and values[preferred] in leaders:
        return values[preferred]
    return sorted(leaders, key=str)[0]


@rule(
    "wire-nic-cabling-inconsistent",
    title="Same NIC cabled differently than on the pool's other hosts",
    severity=Severity.MEDIUM,
    category=Category.CABLING,
    guide=("G20",),
    rationale="The guide uses the same NIC for the same network on every host; that only "
    "holds if ethN of every host lands on the same switch (or MLAG pair) with the "
    "same VLANs. Swapped cables are the classic way storage ends up on a guest port.",
    remediation="Recable the NIC (or swap the two cables back), or align the port's VLANs "
    "with the other hosts' ports",
    data=_DATA,
)
def nic_cabling_inconsistent(ctx: RuleContext) -> None:
    found = wire(ctx)
    for pool_wire in checked_pools(ctx):
        pool = pool_wire.pool
        by_device: dict[str, dict[str, NicOnWire]] = {}
        for on in pool_wire.nics:
            by_device.setdefault(on.nic.device, {})[on.nic.host_uuid] = on
        expected: dict[str, tuple[object, object]] = {}
        for device, hosts in by_device.items():
            if len(hosts) < 2:
                continue
            switches = {
                h: _switch_key(found.cabling, on.placement.endpoint.switch)
                for h, on in hosts.items()
                if on.placement.endpoint
            }
            vlans = {h: on.port.vlan_set() for h, on in hosts.items()}
            expected[device] = (
                _majority(dict(switches), pool.master_uuid),
                _majority(dict(vlans), pool.master_uuid),
            )
        # A host whose NICs mostly land elsewhere than the others' is in another rack (pools
        # span racks on purpose): its switches are not compared, its VLAN sets still are.
        elsewhere: set[str] = set()
        for host_uuid in pool.hosts:
            mine = [
                (d, on)
                for d, hosts in by_device.items()
                if d in expected
                for h, on in hosts.items()
                if h == host_uuid and on.placement.endpoint
            ]
            same = sum(
                1
                for d, on in mine
                if on.placement.endpoint is not None
                and _switch_key(found.cabling, on.placement.endpoint.switch) == expected[d][0]
            )
            if mine and same * 2 < len(mine):
                elsewhere.add(host_uuid)
        for device, hosts in sorted(by_device.items()):
            if device not in expected:
                continue
            want_switch, want_vlans = expected[device]
            for host_uuid, on in sorted(hosts.items(), key=lambda i: i[1].placement.host):
                endpoint = on.placement.endpoint
                if endpoint is None:
                    continue
                got_switch = _switch_key(found.cabling, endpoint.switch)
                got_vlans = on.port.vlan_set()
                same_switch = got_switch == want_switch or host_uuid in elsewhere
                if same_switch and got_vlans == want_vlans:
                    continue
                swapped = [
                    other
                    for other, want in expected.items()
                    if other != device
                    and want == (got_switch, got_vlans)
                    and _looks_like(
                        found.cabling, by_device[other].get(host_uuid), want_switch, want_vlans
                    )
                ]
                if swapped:
                    message = (
                        f"{device} and {swapped[0]} of {on.placement.host} look swapped: "
                        f"{device} lands on {endpoint.switch} {endpoint.port}, a port "
                        f"set up like the other hosts' {swapped[0]} ports"
                    )
                elif not same_switch:
                    message = (
                        f"{_where(on)} lands on {got_switch}; the pool's other hosts' "
                        f"{device} land on {want_switch}"
                    )
                else:
                    have = set(got_vlans or ())
                    want = set(want_vlans) if isinstance(want_vlans, tuple) else set()
                    message = (
                        f"{_where(on)} carries VLANs {_vlans_text(sorted(have))}; the "
                        f"other hosts' {device} ports carry "
                        f"{_vlans_text(sorted(want))} (missing: "
                        f"{_vlans_text(sorted(want - have)) or 'none'}, extra: "
                        f"{_vlans_text(sorted(have - want)) or 'none'})"
                    )
                ctx.finding(
                    wire_subject(on),
                    message,
                    evidence(
                        on,
                        expected_switch=want_switch,
                        expected_vlans=_vlans_text(want_vlans)
                        if isinstance(want_vlans, tuple)
                        else None,
                        swapped_with=swapped[0] if swapped else None,
                    ),
                )


def _looks_like(cabling: Cabling, on: NicOnWire | None, switch: object, vlans: object) -> bool:
    """Whether a NIC lands on ``switch`` with ``vlans`` (the other half of a swap)."""
    if on is None or on.placement.endpoint is None:
        return False
    return (
        _switch_key(cabling, on.placement.endpoint.switch) == switch and on.port.vlan_set() == vlans
    )


@rule(
    "wire-bond-on-one-switch",
    title="Bond's members land on one switch of an MLAG pair",
    severity=Severity.MEDIUM,
    category=Category.CABLING,
    guide=("G20", "G07"),
    rationale="Where the switches form an MLAG / vPC pair, a bond split across both survives "
    "a switch failure; a bond whose members all land on one of them does not.",
    remediation="Move one member's cable to the peer switch (and its port into the MLAG "
    "port-channel)",
    data=_DATA,
)
def bond_on_one_switch(ctx: RuleContext) -> None:
    found = wire(ctx)
    for pool_wire in checked_pools(ctx):
        pool = pool_wire.pool
        for bond in found.cabling.bonds:
            if bond.pool != pool.name or len(bond.switches) != 1 or bond.unplaced_members:
                continue
            switch = bond.switches[0]
            peer = found.cabling.mlag_pairs.get(switch)
            if peer is None or len(bond.members) < 2:
                continue
            members = [found.cabling.by_pif[m] for m in bond.members]
            master = next(
                (p for p in pool.pifs.values() if p.bond_master_of == bond.bond_uuid), None
            )
            sub = subject(pool, host=pool.hosts.get(bond.host_uuid), pif=master)
            sub["device"] = SubjectRef(switch)
            ports = ", ".join(f"{m.device}→{m.endpoint.port}" for m in members if m.endpoint)
            ctx.finding(
                sub,
                f"{bond.device} ({bond.mode}) of {bond.host}: every member lands on "
                f"{switch} ({ports}) although {switch} has MLAG peer {peer}",
                {
                    "bond": bond.device,
                    "mode": bond.mode,
                    "switch": switch,
                    "mlag_peer": peer,
                    "members": ports,
                },
            )


# -- labels (G21) ---------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9.-]+")
_NIC = re.compile(r"^eth(\d+)$", re.IGNORECASE)
_HOST_NIC = re.compile(r"^(?P<host>.+?)[-.](?P<nic>eth\d+)$", re.IGNORECASE)


@rule(
    "wire-port-label-mismatch",
    title="Switch port description names another host or NIC than the one cabled there",
    severity=Severity.LOW,
    category=Category.CABLING,
    guide=("G21",),
    rationale="Labels are how people find the right cable: a port described as another "
    "host's NIC is the one someone will unplug by mistake.",
    remediation="Correct the port description (interface <port>; description <host> <nic>)",
    data=_DATA,
)
def port_label_mismatch(ctx: RuleContext) -> None:
    hosts: dict[str, str] = {}
    for pool in ctx.pools:
        for host in pool.hosts.values():
            for name in (host.name_label, host.hostname):
                if name:
                    hosts[name.lower()] = host.uuid
                    hosts[name.lower().split(".", 1)[0]] = host.uuid
    for pool_wire in checked_pools(ctx):
        for on in pool_wire.nics:
            tokens = [t.lower().strip(".-") for t in _TOKEN.findall(on.port.description)]
            for token in list(tokens):  # "xs01-eth1": host and NIC in one word
                joined = _HOST_NIC.match(token)
                if joined and joined.group("host") in hosts:
                    tokens += [joined.group("host"), joined.group("nic")]
            named_hosts = {hosts[t] for t in tokens if t in hosts}
            nics = {f"eth{m.group(1)}" for t in tokens if (m := _NIC.match(t))}
            wrong_host = bool(named_hosts) and on.nic.host_uuid not in named_hosts
            wrong_nic = (
                not wrong_host and bool(named_hosts) and bool(nics) and on.nic.device not in nics
            )
            if not (wrong_host or wrong_nic):
                continue
            ctx.finding(
                wire_subject(on),
                f"port {on.placement.endpoint.port if on.placement.endpoint else '?'} is "
                f"described {on.port.description!r} but {_where(on)} is cabled there",
                evidence(on, label_names_host=wrong_host, label_names_nic=sorted(nics)),
            )


# -- environments on the wire (G05, G28, G31) -----------------------------------------------


@rule(
    "wire-environments-share-port-vlan",
    title="Host port carries a VLAN of a pool from another environment",
    severity=Severity.HIGH,
    category=Category.SEGREGATION,
    guide=("G05", "G28", "G31"),
    rationale="Production is isolated from test and development: a production host's port "
    "that carries a test pool's VLAN (worse, its storage VLAN) joins the two on the "
    "switch.",
    remediation="Remove the other environment's VLAN from the port, or give the pools "
    "distinct VLANs",
    data=("xapi", "switch", "policy"),
)
def environments_share_port_vlan(ctx: RuleContext) -> None:
    found = wire(ctx)
    # (switch or MLAG pair, wire VLAN) → pool → (environment, roles, host ports)
    used: dict[tuple[str, int], dict[str, tuple[str, set[str], list[str]]]] = {}
    for pool_wire in checked_pools(ctx):
        env = pool_wire.pool.environment
        if env is None:
            ctx.not_checked(subject(pool_wire.pool), "no environment known for this pool")
            continue
        for on in pool_wire.nics:
            endpoint = on.placement.endpoint
            if endpoint is None:
                continue
            key = _switch_key(found.cabling, endpoint.switch)
            carried = on.port.vlan_set() or ()
            vlans = on.own_vlans | (set() if carried == ALL_VLANS else set(carried))
            for vlan in vlans:
                roles = on.vlan_roles.get(vlan, set())
                entry = used.setdefault((key, vlan), {}).setdefault(
                    pool_wire.pool.name, (env, set(), [])
                )
                entry[1].update(roles)
                entry[2].append(
                    f"{on.placement.host}/{on.nic.device} ({endpoint.switch} {endpoint.port})"
                )
    for (key, vlan), pools in sorted(used.items()):
        # a VLAN some pool uses for traffic (not an unused native VLAN 1), reaching ports of
        # another environment
        if len({env for env, _, _ in pools.values()}) < 2 or not any(
            roles for _, roles, _ in pools.values()
        ):
            continue
        storage = any("storage" in roles for _, roles, _ in pools.values())
        sub: Subject = {"device": SubjectRef(key), "vlan": SubjectRef(str(vlan))}
        users = "; ".join(
            f"{name} ({env}{', ' + '+'.join(sorted(roles)) if roles else ''})"
            for name, (env, roles, _) in sorted(pools.items())
        )
        ctx.finding(
            sub,
            f"VLAN {vlan} on {key} reaches host ports of pools in different environments: {users}",
            {
                "vlan": vlan,
                "switch": key,
                "storage_vlan": storage,
                "pools": {
                    name: {"environment": env, "roles": sorted(roles), "ports": sorted(ports)[:20]}
                    for name, (env, roles, ports) in sorted(pools.items())
                },
            },
            severity=Severity.CRITICAL if storage else None,
        )
