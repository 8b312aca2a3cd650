"""Port roles for hygiene rules: hypervisor-facing, uplink, unused, edge.

Why here and small: hygiene rules must judge a port by what is behind it (a XenServer NIC
carrying guest VLANs needs BPDU guard and DHCP-snooping "untrusted"; an uplink needs the
opposite). This module is the one seam: :func:`port_roles` takes the estate and a device and
returns a role per canonical interface, from the cabling correlation
(:mod:`xsfabric.correlate`): a port (or LAG) where a host NIC is placed is hypervisor-facing,
the correlation's uplinks (switch neighbours by LLDP/CDP, peer links, ports learning another
switch's MACs or many foreign MACs) are uplinks, and a port whose LLDP/CDP neighbour is a host
of the estate counts as hypervisor-facing even when its NIC cannot be told. Unused ports are
admin up, oper down, no MACs (or shut down in the configuration).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from xsfabric.correlate import Cabling, Placement, Status, correlate
from xsfabric.model.estate import Estate
from xsfabric.switch.config import SwitchConfig
from xsfabric.switch.model import SwitchFacts


class PortRole(StrEnum):
    HYPERVISOR = "hypervisor"
    UPLINK = "uplink"
    UNUSED = "unused"
    EDGE = "edge"  # an L2 port with no switch neighbour and no host NIC behind it
    UNKNOWN = "unknown"  # no LLDP / FDB data to tell


@dataclass(frozen=True, slots=True)
class HostNic:
    pool: str
    host: str
    nic: str  # device name (eth0)
    mac: str


@dataclass(frozen=True, slots=True)
class PortRoleEvidence:
    role: PortRole
    reason: str
    nics: tuple[HostNic, ...] = ()


def _host_nics(estate: Estate) -> tuple[dict[str, HostNic], dict[str, str]]:
    """Physical PIF MAC → NIC, and lowercase host name → pool name."""
    by_mac: dict[str, HostNic] = {}
    names: dict[str, str] = {}
    for pool in estate.pools:
        for host in pool.hosts.values():
            for name in (host.hostname, host.name_label):
                if name:
                    names[name.lower().split(".")[0]] = pool.name
        for pif in pool.pifs.values():
            if pif.physical and pif.mac:
                owner = pool.hosts.get(pif.host_uuid)
                label = owner.name_label if owner else pif.host_uuid
                by_mac[pif.mac.lower()] = HostNic(pool.name, label, pif.device, pif.mac.lower())
    return by_mac, names


@dataclass(frozen=True, slots=True)
class _EstateIndex:
    """What every device's :func:`port_roles` reads, indexed once per estate by switch (a
    scan of the whole estate's placements and uplinks per device was quadratic: 1,000
    switches × ~40,000 uplink ports)."""

    placements: dict[str, list[Placement]]
    uplinks: dict[str, list[tuple[str, str]]]
    by_mac: dict[str, HostNic]
    host_names: dict[str, str]


_LAST: list[tuple[Estate, _EstateIndex]] = []


def _index(estate: Estate) -> _EstateIndex:
    """The estate's cabling, correlated once however many devices ask (the last estate kept),
    and grouped by switch in the correlation's order."""
    if not _LAST or _LAST[0][0] is not estate:
        cabling: Cabling = correlate(estate)
        placements: dict[str, list[Placement]] = {}
        for placement in cabling.placements:
            endpoint = placement.endpoint
            if placement.status == Status.PLACED and endpoint is not None:
                placements.setdefault(endpoint.switch, []).append(placement)
        uplinks: dict[str, list[tuple[str, str]]] = {}
        for (switch, port), why in cabling.uplinks.items():
            uplinks.setdefault(switch, []).append((port, why))
        by_mac, host_names = _host_nics(estate)
        _LAST[:] = [(estate, _EstateIndex(placements, uplinks, by_mac, host_names))]
    return _LAST[0][1]


def port_roles(estate: Estate, device: str, config: SwitchConfig) -> dict[str, PortRoleEvidence]:
    """A role for every interface of ``config`` (canonical names)."""
    facts: SwitchFacts | None = estate.switches.get(device)
    index = _index(estate)
    by_mac, host_names = index.by_mac, index.host_names
    hyper: dict[str, list[HostNic]] = {}
    uplink: dict[str, str] = {}
    lag_of: dict[str, str] = {}
    for name, iface in config.interfaces.items():
        if iface.lag:
            lag_of[name] = iface.lag
    # host-side LLDP (PIF_metrics.lldp_neighbor) naming this device
    # The cabling correlation places every NIC (host LLDP, switch LLDP/CDP, the Netdisco-
    # filtered FDB) and names the uplinks (switch neighbours, peer links, switch MACs learned,
    # many foreign MACs): its placements and uplinks are this device's hypervisor ports and
    # uplinks.
    for placement in index.placements.get(device, ()):
        endpoint = placement.endpoint
        if endpoint is None:  # never: indexed by it
            continue
        nic = by_mac.get(placement.mac) or HostNic(
            placement.pool, placement.host, placement.device, placement.mac
        )
        hyper.setdefault(endpoint.port, []).append(nic)
        if endpoint.lag and endpoint.lag != endpoint.port:
            hyper.setdefault(endpoint.lag, []).append(nic)
    for port, why in index.uplinks.get(device, ()):
        uplink.setdefault(port, why)
    have_neighbour_data = False
    if facts is not None:
        have_neighbour_data = any(t is not None for t in (facts.lldp, facts.cdp, facts.fdb))
        for table in (facts.lldp, facts.cdp):
            for n in table or []:
                # a host neighbour whose NIC the correlation could not tell: still a host port
                if n.system_name.lower().split(".")[0] in host_names and n.local_port not in uplink:
                    hyper.setdefault(n.local_port, [])
    # MLAG / vPC peer links join two switches: uplinks, whatever LLDP says
    if facts is not None:
        for state in facts.ports or []:
            if state.is_peer_link:
                uplink.setdefault(state.name, "MLAG/vPC peer")
        for domain in facts.mlag or []:
            if domain.peer_link:
                uplink.setdefault(domain.peer_link, "MLAG/vPC peer")
    for name, iface in config.interfaces.items():
        if any(line.strip().lower() in ("vpc peer-link", "peer-link") for line in iface.lines):
            uplink.setdefault(name, "vPC peer")
    macs_on: set[str] = {e.port for e in facts.fdb} if facts and facts.fdb else set()
    ports = {p.name: p for p in (facts.ports or [])} if facts else {}
    roles: dict[str, PortRoleEvidence] = {}
    for name, iface in config.interfaces.items():
        lag = lag_of.get(name)
        nics = hyper.get(name) or (hyper.get(lag) if lag else None)
        if nics is not None and name not in uplink and (lag is None or lag not in uplink):
            unique = tuple(dict.fromkeys(nics))
            hosts = sorted({f"{n.host} {n.nic}" for n in unique})
            roles[name] = PortRoleEvidence(
                PortRole.HYPERVISOR,
                "XenServer NIC behind it: " + ", ".join(hosts)
                if hosts
                else "LLDP neighbour is a XenServer host",
                unique,
            )
            continue
        if name in uplink or (lag and lag in uplink):
            seen = uplink.get(name) or uplink[lag or ""]
            roles[name] = PortRoleEvidence(PortRole.UPLINK, f"switch neighbour {seen}")
            continue
        status = ports.get(name)
        if iface.shutdown or (
            status is not None
            and status.admin_up
            and status.oper_up is False
            and name not in macs_on
        ):
            roles[name] = PortRoleEvidence(
                PortRole.UNUSED, "shut down" if iface.shutdown else "admin up, oper down, no MACs"
            )
            continue
        if have_neighbour_data:
            roles[name] = PortRoleEvidence(PortRole.EDGE, "no switch neighbour, no XenServer NIC")
        else:
            roles[name] = PortRoleEvidence(PortRole.UNKNOWN, "no LLDP/CDP/FDB data for the device")
    # a LAG inherits the role its members have
    for name, iface in config.interfaces.items():
        if iface.is_lag and roles.get(name, PortRoleEvidence(PortRole.UNKNOWN, "")).role in (
            PortRole.EDGE,
            PortRole.UNKNOWN,
        ):
            members = [roles[m] for m, lag in lag_of.items() if lag == name and m in roles]
            for wanted in (PortRole.HYPERVISOR, PortRole.UPLINK):
                found = [m for m in members if m.role == wanted]
                if found:
                    roles[name] = PortRoleEvidence(
                        wanted, f"members: {found[0].reason}", found[0].nics
                    )
                    break
    return roles
