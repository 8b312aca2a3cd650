"""SNMP tables the cabling join needs: CDP neighbours (CISCO-CDP-MIB ``cdpCacheTable``) and
ARP entries (IP-MIB ``ipNetToPhysicalTable``, else the deprecated ``ipNetToMediaTable`` that
older agents still answer alone).

Pure functions of one base walk (anything with ``column(prefix)`` returning index → value,
as :class:`xsfabric.switch.snmp_parse.Walk` does) and the device's ifIndex → interface name
map; :mod:`xsfabric.switch.snmp_parse` calls :func:`cdp_table` and :func:`arp_table`.
The OIDs walked for them are :data:`CDP_COLUMNS` and :data:`ARP_COLUMNS`, which the
collector adds to its walk.

"Not available" stays distinct from "none": CDP is ``[]`` only when the agent says CDP runs
(``cdpGlobalRun`` = true) and its cache is empty; ARP is ``None`` when neither table answered.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from typing import Protocol

from xsfabric.switch.cli_neighbors import arp_interface, cdp_neighbor, svi_vlan
from xsfabric.switch.model import ArpEntry, LldpNeighbor

Oid = tuple[int, ...]

CDP_CACHE = "1.3.6.1.4.1.9.9.23.1.2.1.1"
#: cdpCacheAddressType, Address, DeviceId, DevicePort, Platform, Capabilities (the Version
#: column, several hundred bytes per neighbour, is not needed).
CDP_COLUMNS = tuple(f"{CDP_CACHE}.{c}" for c in (3, 4, 6, 7, 8, 9))
CDP_GLOBAL_RUN = "1.3.6.1.4.1.9.9.23.1.3.1"
IP_NET_TO_PHYSICAL = "1.3.6.1.2.1.4.35.1"
IP_NET_TO_MEDIA = "1.3.6.1.2.1.4.22.1"
#: ipNetToPhysicalPhysAddress, Type; ipNetToMediaPhysAddress, Type.
ARP_COLUMNS = (f"{IP_NET_TO_PHYSICAL}.4", f"{IP_NET_TO_PHYSICAL}.6",
               f"{IP_NET_TO_MEDIA}.2", f"{IP_NET_TO_MEDIA}.4")

#: cdpCacheCapabilities bits (CISCO-CDP-MIB, from the CDP specification) → LLDP names.
CDP_CAPABILITY_BITS = ((0x01, "router"), (0x02, "bridge"), (0x04, "bridge"), (0x08, "bridge"),
                       (0x10, "station"), (0x40, "repeater"), (0x80, "telephone"))
#: ipNetToPhysicalType / ipNetToMediaType invalid(2): an entry being removed, no binding.
_INVALID = 2


class SnmpValue(Protocol):
    @property
    def octets(self) -> bytes: ...

    @property
    def integer(self) -> int | None: ...

    @property
    def line(self) -> int: ...


class SnmpWalk(Protocol):
    def column(self, prefix: str) -> Mapping[Oid, SnmpValue]: ...


Warn = Callable[[int | None, str], None]


def _text(value: SnmpValue | None) -> str:
    if value is None:
        return ""
    return value.octets.decode("utf-8", errors="replace").replace("\x00", "").strip()


def _mac(octets: bytes) -> str | None:
    """Six octets → lowercase colon MAC; also net-snmp's MIB text form ``0:1b:21:a:ba:3c``."""
    if len(octets) == 6:
        return ":".join(f"{b:02x}" for b in octets)
    parts = octets.decode("ascii", errors="replace").strip().split(":")
    if len(parts) == 6 and all(1 <= len(p) <= 2 and all(c in "0123456789abcdefABCDEF"
                                                         for c in p) for p in parts):
        return ":".join(p.lower().zfill(2) for p in parts)
    return None


def cdp_capability_names(octets: bytes) -> tuple[str, ...]:
    """>>> cdp_capability_names(bytes.fromhex("00000029"))
    ('bridge', 'router')
    """
    bits = int.from_bytes(octets[-4:], "big") if octets else 0
    return tuple(sorted({name for bit, name in CDP_CAPABILITY_BITS if bits & bit}))


def cdp_table(walk: SnmpWalk, if_names: Mapping[int, str], warn: Warn) -> list[LldpNeighbor] | None:
    """cdpCacheTable (index ifIndex.deviceIndex) → neighbour records with ``protocol="cdp"``."""
    device_ids = walk.column(f"{CDP_CACHE}.6")
    if not device_ids:
        running = walk.column(CDP_GLOBAL_RUN).get((0,))
        return [] if running is not None and running.integer == 1 else None
    types, addresses = walk.column(f"{CDP_CACHE}.3"), walk.column(f"{CDP_CACHE}.4")
    ports, caps = walk.column(f"{CDP_CACHE}.7"), walk.column(f"{CDP_CACHE}.9")
    neighbors = []
    for index, device_id in sorted(device_ids.items()):
        if len(index) != 2:
            continue
        local = if_names.get(index[0])
        if local is None:
            warn(device_id.line, f"CDP neighbour on ifIndex {index[0]} that matches no "
                                  "interface")
            continue
        address = addresses.get(index)
        kind = types.get(index)
        management = None
        if address is not None and (kind is None or kind.integer == 1) \
                and len(address.octets) == 4:
            management = str(ipaddress.IPv4Address(address.octets))
        cap = caps.get(index)
        neighbors.append(cdp_neighbor(
            local, _text(device_id), _text(ports.get(index)), management_address=management,
            capabilities=cdp_capability_names(cap.octets) if cap is not None else ()))
    return sorted(neighbors, key=lambda n: (n.local_port, n.chassis_id, n.port_id))


def _entry(if_names: Mapping[int, str], if_index: int, ip: str, mac: str | None) -> ArpEntry | None:
    if mac is None or mac == "00:00:00:00:00:00":
        return None
    name = if_names.get(if_index)
    interface = arp_interface(name) if name else None
    return ArpEntry(ip=ip, mac=mac, interface=interface,
                    vlan=svi_vlan(interface) if interface else None)


def _physical_address(index: Oid) -> tuple[int, str] | None:
    """ipNetToPhysicalTable index ifIndex.addressType.[length.]address → (ifIndex, IP)."""
    if len(index) < 3:
        return None
    if_index, family, rest = index[0], index[1], index[2:]
    if family == 1 and len(rest) in (4, 5):
        octets = bytes(rest[-4:])
        return if_index, str(ipaddress.IPv4Address(octets))
    if family == 2 and len(rest) in (16, 17):
        return if_index, str(ipaddress.IPv6Address(bytes(rest[-16:])))
    return None


def arp_table(walk: SnmpWalk, if_names: Mapping[int, str]) -> list[ArpEntry] | None:
    """IP → MAC bindings with their layer-3 interface (an SVI gives the VLAN)."""
    entries: dict[tuple[str, str | None], ArpEntry] = {}
    physical = walk.column(f"{IP_NET_TO_PHYSICAL}.4")
    types = walk.column(f"{IP_NET_TO_PHYSICAL}.6")
    for index, value in physical.items():
        key = _physical_address(index)
        kind = types.get(index)
        if key is None or (kind is not None and kind.integer == _INVALID):
            continue
        entry = _entry(if_names, key[0], key[1], _mac(value.octets))
        if entry is not None:
            entries[(entry.ip, entry.interface)] = entry
    media = walk.column(f"{IP_NET_TO_MEDIA}.2")
    media_types = walk.column(f"{IP_NET_TO_MEDIA}.4")
    if not physical:  # the deprecated table only where the current one gave nothing
        for index, value in media.items():
            kind = media_types.get(index)
            if len(index) != 5 or (kind is not None and kind.integer == _INVALID):
                continue
            ip = ".".join(str(x) for x in index[1:])
            entry = _entry(if_names, index[0], ip, _mac(value.octets))
            if entry is not None:
                entries[(entry.ip, entry.interface)] = entry
    if not physical and not media:
        return None
    return sorted(entries.values(), key=lambda e: (ipaddress.ip_address(e.ip).version,
                                                   ipaddress.ip_address(e.ip), e.interface or ""))
