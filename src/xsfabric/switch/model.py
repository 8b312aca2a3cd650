"""The normalized switch model: the same records whatever the collection method.

Every collection method (SNMP, NAPALM, CLI) yields a :class:`SwitchFacts` per device, built by
pure parsers from the raw captures in the snapshot. A table a method cannot give is ``None``
("not available"); an empty list means the method looked and found nothing.

Conventions: MACs lowercase colon form (``00:1b:21:0a:ba:3c``); interface names canonical long
form (``GigabitEthernet1/0/1``, via netutils) with the short form kept for display (``Gi1/0/1``);
VLAN ids are ints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

#: A trunk that allows every VLAN: this one shared tuple (1 … 4094), so "all" compares equal
#: whichever method saw it (CLI "ALL", SNMP bitmaps with every bit set) and costs no memory
#: per port.
ALL_VLANS: tuple[int, ...] = tuple(range(1, 4095))


def vlan_tuple(vlans: Iterable[int]) -> tuple[int, ...]:
    """Sorted, unique VLAN ids; the shared :data:`ALL_VLANS` when it is every VLAN."""
    result = tuple(sorted(set(vlans)))
    return ALL_VLANS if result == ALL_VLANS else result


class CollectionMethod(StrEnum):
    SNMP = "snmp"
    NAPALM = "napalm"
    CLI = "cli"


class PortMode(StrEnum):
    ACCESS = "access"
    TRUNK = "trunk"
    ROUTED = "routed"
    UNKNOWN = "unknown"


class FdbEntryType(StrEnum):
    DYNAMIC = "dynamic"
    STATIC = "static"


@dataclass(frozen=True, slots=True)
class DeviceFacts:
    hostname: str
    vendor: str | None = None
    model: str | None = None
    os_version: str | None = None
    serial: str | None = None


@dataclass(frozen=True, slots=True)
class SwitchPort:
    name: str  # canonical long name
    short_name: str
    if_index: int | None = None
    admin_up: bool | None = None
    oper_up: bool | None = None
    speed_mbps: int | None = None
    description: str = ""
    mode: PortMode = PortMode.UNKNOWN
    access_vlan: int | None = None
    native_vlan: int | None = None
    #: VLANs allowed on a trunk; None = not known, () = none, :data:`ALL_VLANS` = all.
    allowed_vlans: tuple[int, ...] | None = None
    #: Canonical name of the LAG this port is a member of.
    lag: str | None = None
    #: For a LAG: canonical names of its members.
    lag_members: tuple[str, ...] = ()
    #: True for an MLAG / vPC peer link.
    is_peer_link: bool | None = None


@dataclass(frozen=True, slots=True)
class FdbEntry:
    mac: str
    vlan: int | None
    port: str  # canonical port or LAG name
    entry_type: FdbEntryType = FdbEntryType.DYNAMIC


@dataclass(frozen=True, slots=True)
class LldpNeighbor:
    local_port: str  # canonical
    chassis_id: str
    chassis_id_subtype: str | None = None  # "mac", "network-address", "local", ...
    port_id: str = ""
    port_id_subtype: str | None = None  # "mac", "interface-name", "local", ...
    port_description: str = ""
    system_name: str = ""
    management_address: str | None = None
    capabilities: tuple[str, ...] = ()
    #: The discovery protocol that reported it: "lldp" or "cdp" (same record for both, so
    #: correlation treats a CDP-only uplink like an LLDP one).
    protocol: str = "lldp"


@dataclass(frozen=True, slots=True)
class ArpEntry:
    """One IP-to-MAC binding a switch holds (ARP or IPv6 neighbour): the weakest placement
    evidence, and how ``locate`` resolves an IP."""

    ip: str
    mac: str
    interface: str | None = None  # canonical (an SVI such as ``Vlan10``, or a routed port)
    vlan: int | None = None


@dataclass(frozen=True, slots=True)
class MlagDomain:
    """An MLAG (Arista) or vPC (NX-OS) domain as one member switch sees it: the two switches
    of the pair and their shared port-channels form one logical endpoint."""

    domain_id: str
    peer_address: str | None = None
    peer_link: str | None = None  # canonical
    local_role: str | None = None  # "primary", "secondary", ...
    #: (canonical local LAG name, MLAG / vPC id shared with the peer), sorted by name.
    lag_ids: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Vlan:
    vlan_id: int
    name: str = ""
    state: str | None = None  # "active", "suspend", ...


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """A capture that could not be parsed: the facts it would have given are not available."""

    device: str
    source: str  # command text or file name
    line: int | None
    message: str


@dataclass(slots=True)
class SwitchFacts:
    """Everything one method gave for one device. ``None`` = not available."""

    device: str
    method: CollectionMethod
    facts: DeviceFacts | None = None
    ports: list[SwitchPort] | None = None
    fdb: list[FdbEntry] | None = None
    lldp: list[LldpNeighbor] | None = None
    vlans: list[Vlan] | None = None
    #: CDP neighbours (records with ``protocol="cdp"``); LLDP ones stay in ``lldp``.
    cdp: list[LldpNeighbor] | None = None
    arp: list[ArpEntry] | None = None
    #: MLAG / vPC domains; ``[]`` = looked, none configured.
    mlag: list[MlagDomain] | None = None
    warnings: list[ParseWarning] = field(default_factory=list)
