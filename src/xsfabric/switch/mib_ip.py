"""IP-MIB (RFC 4293) over SNMP: ARP entries from ``ipNetToPhysicalTable``, else the deprecated
``ipNetToMediaTable`` that older agents still answer alone.

Pure functions of one base walk (anything with ``column(prefix)`` returning index → value, as
the SNMP parser's walk does) and the device's ifIndex → interface name map; the SNMP parser
calls :func:`arp_table`, and the collector adds :data:`ARP_COLUMNS` to its walk. ARP is
``None`` (not available) when neither table answered.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from typing import Protocol

from xsfabric.switch.cli_neighbors import arp_interface, svi_vlan
from xsfabric.switch.model import ArpEntry

Oid = tuple[int, ...]

IP_NET_TO_PHYSICAL = "1.3.6.1.2.1.4.35.1"
IP_NET_TO_MEDIA = "1.3.6.1.2.1.4.22.1"
#: ipNetToPhysicalPhysAddress, Type; ipNetToMediaPhysAddress, Type.
ARP_COLUMNS = (
    f"{IP_NET_TO_PHYSICAL}.4",
    f"{IP_NET_TO_PHYSICAL}.6",
    f"{IP_NET_TO_MEDIA}.2",
    f"{IP_NET_TO_MEDIA}.4",
)
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


def octet_text(value: SnmpValue | None) -> str:
    """A DisplayString's text (NULs dropped, ends stripped); "" when there is no value."""
    if value is None:
        return ""
    return value.octets.decode("utf-8", errors="replace").replace("\x00", "").strip()


def _mac(octets: bytes) -> str | None:
    """Six octets → lowercase colon MAC; also net-snmp's MIB text form ``0:1b:21:a:ba:3c``."""
    if len(octets) == 6:
        return ":".join(f"{b:02x}" for b in octets)
    parts = octets.decode("ascii", errors="replace").strip().split(":")
    if len(parts) == 6 and all(
        1 <= len(p) <= 2 and all(c in "0123456789abcdefABCDEF" for c in p) for p in parts
    ):
        return ":".join(p.lower().zfill(2) for p in parts)
    return None


def _entry(if_names: Mapping[int, str], if_index: int, ip: str, mac: str | None) -> ArpEntry | None:
    if mac is None or mac == "00:00:00:00:00:00":
        return None
    name = if_names.get(if_index)
    interface = arp_interface(name) if name else None
    return ArpEntry(
        ip=ip, mac=mac, interface=interface, vlan=svi_vlan(interface) if interface else None
    )


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

    def order(entry: ArpEntry) -> tuple[int, int, str]:
        address = ipaddress.ip_address(entry.ip)  # once per entry: 50,000-row tables
        return address.version, int(address), entry.interface or ""

    return sorted(entries.values(), key=order)
