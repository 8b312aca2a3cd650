"""Small SNMP value decoders: MACs, PortLists and VLAN bitmaps, display strings, LLDP ids and
addresses, BITS. Pure functions over :class:`~xsfabric.switch.snmp_files.Value` s, shared by the
MIB-family modules."""

from __future__ import annotations

import ipaddress
import re

from xsfabric.names import normalize_mac
from xsfabric.switch.snmp_files import Oid, Value


def mac_text(value: Value) -> str | None:
    """A MAC from raw octets, or from a MIB-formatted ``0:1b:21:a:ba:3c`` string; written by
    :func:`xsfabric.names.normalize_mac` like every other MAC in the project.

    >>> mac_text(Value("Hex-STRING", bytes.fromhex("001b210aba3c")))
    '00:1b:21:0a:ba:3c'
    >>> mac_text(Value("STRING", b"0:1b:21:a:ba:3c")), mac_text(Value("STRING", b""))
    ('00:1b:21:0a:ba:3c', None)
    """
    text = value.text.strip()
    parts = re.split(r"[:\-. ]", text)
    if len(parts) == 6 and all(re.fullmatch(r"[0-9A-Fa-f]{1,2}", p) for p in parts):
        return normalize_mac(":".join(p.zfill(2) for p in parts))
    if len(value.octets) == 6:
        return normalize_mac(value.octets.hex(":"))
    return None


def mac_from_index(index: Oid) -> str:
    """The MAC that the last six arcs of a table index spell (dot1dTpFdbTable and kin)."""
    return normalize_mac(bytes(index[-6:]).hex(":"))


def portlist_bits(octets: bytes) -> set[int]:
    """Bridge ports set in a PortList: the first bit of the first octet is port 1.

    >>> sorted(portlist_bits(bytes([0b10100000, 0b00000001])))
    [1, 3, 16]
    """
    return {
        i * 8 + bit + 1 for i, byte in enumerate(octets) for bit in range(8) if byte & (0x80 >> bit)
    }


def vlan_bitmap(octets: bytes, offset: int) -> set[int]:
    """Cisco's vlanTrunkPortVlansEnabled*: bit 0 of the first octet is VLAN ``offset``."""
    return {
        offset + i * 8 + bit
        for i, byte in enumerate(octets)
        for bit in range(8)
        if byte & (0x80 >> bit)
    }


def display_text(value: Value | None) -> str:
    if value is None:
        return ""
    text = value.text
    return text.replace("\x00", "").strip() if printable(value.octets) else text.strip()


def printable(data: bytes) -> bool:
    return all(0x20 <= b < 0x7F or b in b"\t\n\r\x00" or b >= 0x80 for b in data)


def id_text(subtype: int | None, value: Value, mac_subtype: int, addr_subtype: int) -> str:
    if subtype == mac_subtype:
        mac = mac_text(value)
        if mac:
            return mac
    if subtype == addr_subtype and value.octets:
        address = inet_address(value.octets[0], value.octets[1:])
        if address:
            return address
    if value.octets and not all(0x20 <= b < 0x7F for b in value.octets.rstrip(b"\x00")):
        return ":".join(f"{b:02x}" for b in value.octets)
    return display_text(value)


def inet_address(family: int, octets: bytes) -> str | None:
    if family == 1 and len(octets) == 4:
        return str(ipaddress.IPv4Address(octets))
    if family == 2 and len(octets) == 16:
        return str(ipaddress.IPv6Address(octets))
    return None


def bits_octets(value: Value) -> bytes:
    """The octets of a BITS value, also when a recording kept net-snmp's text of it.

    >>> bits_octets(Value("STRING", b"28 2 4")), bits_octets(Value("Hex-STRING", b"\x28"))
    (b'(', b'(')
    """
    text = value.text.strip()
    if value.kind == "STRING" and re.fullmatch(
        r"[0-9A-Fa-f]{2}( [0-9A-Fa-f]{2})*( \d{1,2})*", text
    ):
        leading = []
        for token in text.split(" "):
            if len(token) != 2:
                break  # the bit numbers net-snmp prints after the octets
            leading.append(int(token, 16))
        return bytes(leading)
    return value.octets
