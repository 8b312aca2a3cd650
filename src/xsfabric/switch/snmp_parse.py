"""SNMP captures → :class:`SwitchFacts`. Pure: reads snapshot files, never the network.

Input, in one device folder: ``snmpwalk.txt`` (net-snmp ``snmpwalk -On`` text, as the collector
writes it or as a user saved it, with or without MIBs loaded) or ``snmp.snmprec`` (snmpsim's
``OID|type|value``), plus Cisco per-VLAN bridge walks ``snmpwalk@<vlan>.txt`` / ``.snmprec``.

What SNMP cannot give is declared, not guessed: the MLAG / vPC peer link is never known
(``is_peer_link`` stays ``None``); a port's mode comes from Cisco's trunk tables, or is inferred
from Q-BRIDGE egress / untagged PortLists and the PVID.

Real agents differ, and the parser follows what the recordings show:

* PortLists: the first bit of the first octet is bridge port 1. Juniper ELS writes them as
  comma-separated bridge port numbers instead. Anything else is a :class:`ParseWarning` naming
  device, file and line, and that VLAN's membership is left out.
* Juniper FDB ids are not VLAN ids: they map through JUNIPER-L2ALD-MIB (``jnxL2aldVlanFdbId``,
  or the table index shifted left 16 bits, which is what the FDB ids of ELS switches are).
* Arista port-channels sit at ifIndex 1000000+N and learn MACs like any bridge port.
* LLDP local port numbers need not be ifIndexes: they map through ``lldpLocPortTable``
  (port id / description → ifName, ifDescr, ifAlias), then ifIndex, then bridge port.
"""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from xsfabric.names import canonical_interface, short_interface
from xsfabric.switch.mib_cdp import cdp_table
from xsfabric.switch.mib_ip import arp_table
from xsfabric.switch.model import (
    CollectionMethod,
    DeviceFacts,
    FdbEntry,
    FdbEntryType,
    LldpNeighbor,
    ParseWarning,
    PortMode,
    SwitchFacts,
    SwitchPort,
    Vlan,
    vlan_tuple,
)

Oid = tuple[int, ...]

# -- reading the two file formats ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Value:
    """One varbind value: its type word (``STRING``, ``INTEGER`` …), octets, or number."""

    kind: str
    octets: bytes = b""
    number: int | None = None
    line: int = 0

    @property
    def text(self) -> str:
        return self.octets.decode("utf-8", errors="replace")

    @property
    def integer(self) -> int | None:
        if self.number is not None:
            return self.number
        text = self.text.strip()
        return int(text) if re.fullmatch(r"-?\d+", text) else None


@dataclass(slots=True)
class Walk:
    """All varbinds of one capture file, by OID."""

    path: Path
    values: dict[Oid, Value] = field(default_factory=dict)
    errors: list[tuple[int, str]] = field(default_factory=list)

    def column(self, prefix: str) -> dict[Oid, Value]:
        """Rows under a column OID, keyed by the index (the OID past the prefix)."""
        root = _oid(prefix)
        n = len(root)
        return {oid[n:]: v for oid, v in self.values.items() if oid[:n] == root and len(oid) > n}

    def scalar(self, oid: str) -> Value | None:
        return self.values.get(_oid(oid))


def _oid(text: str) -> Oid:
    return tuple(int(x) for x in text.strip().lstrip(".").split(".") if x)


_LINE = re.compile(r"^\s*\.?(\d+(?:\.\d+)+)\s+=\s+(.*)$")
#: Numeric forms net-snmp prints without ``-On`` when it has no MIB for an object.
_OID_PREFIXES = (("SNMPv2-SMI::mib-2.", "1.3.6.1.2.1."),
                 ("SNMPv2-SMI::enterprises.", "1.3.6.1.4.1."),
                 ("iso.", "1."), (".iso.", "1."))
#: A record whose OID is a MIB name (``IF-MIB::ifName.1 = …``): not readable without MIBs.
_SYMBOLIC = re.compile(r"^\s*[A-Za-z][\w-]*::[A-Za-z][\w-]*\S*\s+=\s")


def _numeric_form(line: str) -> str:
    """``iso.3.6.1…`` and ``SNMPv2-SMI::mib-2.…`` → the numeric OID ``-On`` would print."""
    stripped = line.lstrip()
    for prefix, numeric in _OID_PREFIXES:
        if stripped.startswith(prefix):
            return numeric + stripped[len(prefix):]
    return line
_TYPED = re.compile(r"^([A-Za-z][A-Za-z0-9 -]*?):\s?(.*)$", re.S)
_SKIP = ("No Such Object", "No Such Instance", "No more variables")
#: snmprec type tags (snmpsim): ASN.1 tag numbers; "x" = hex-encoded value.
_SNMPREC_KINDS = {"2": "INTEGER", "4": "STRING", "5": "NULL", "6": "OID", "64": "IpAddress",
                  "65": "Counter32", "66": "Gauge32", "67": "Timeticks", "68": "Opaque",
                  "70": "Counter64"}


def read_capture(path: Path) -> Walk:
    """Read ``snmpwalk -On`` text or an ``.snmprec`` file, whichever ``path`` is."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix == ".snmprec":
        return _read_snmprec(path, text)
    return _read_snmpwalk(path, text)


def _read_snmprec(path: Path, text: str) -> Walk:
    walk = Walk(path)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("|", 2)
        if len(parts) != 3 or not re.fullmatch(r"\d+(\.\d+)+", parts[0]):
            walk.errors.append((number, "not an OID|type|value record"))
            continue
        oid_text, tag, raw = parts
        tag = tag.split(":", 1)[0]
        hexed = tag.endswith("x")
        kind = _SNMPREC_KINDS.get(tag.rstrip("xe"))
        if kind is None:
            walk.errors.append((number, f"unknown snmprec type {tag!r}"))
            continue
        try:
            if hexed:
                octets = bytes.fromhex(raw)
            elif kind in ("STRING", "Opaque"):
                octets = raw.encode("utf-8")
            else:
                octets = raw.encode("ascii")
        except ValueError:
            walk.errors.append((number, f"bad hex value {raw[:40]!r}"))
            continue
        value = Value(kind, octets, line=number)
        if kind not in ("STRING", "Opaque", "IpAddress", "OID", "NULL"):
            value = Value(kind, octets, int(raw) if re.fullmatch(r"-?\d+", raw) else None,
                          number)
        elif kind == "IpAddress" and hexed and len(octets) == 4:
            value = Value(kind, ".".join(str(b) for b in octets).encode(), line=number)
        walk.values[_oid(oid_text)] = value
    return walk


def _read_snmpwalk(path: Path, text: str) -> Walk:
    walk = Walk(path)
    current: tuple[Oid, int, str] | None = None
    pieces: list[str] = []

    def flush() -> None:
        if current is not None:
            oid, number, first = current
            while pieces and not pieces[-1].strip():
                pieces.pop()  # blank lines between records, or the file's final newline
            value = _parse_value("\n".join([first, *pieces]), number)
            if isinstance(value, str):
                walk.errors.append((number, value))
            elif value is not None:
                walk.values[oid] = value

    lines = text.split("\n")
    # Split on "\n" only: a value may hold a bare "\r" (Cisco sysDescr). A file saved with
    # CRLF endings has "\r" on every line; that one is dropped.
    if all(line.endswith("\r") for line in lines if _LINE.match(line)) and any(lines):
        lines = [line.removesuffix("\r") for line in lines]
    for number, raw_line in enumerate(lines, start=1):
        line = _numeric_form(raw_line)
        match = _LINE.match(line)
        if match:
            flush()
            current, pieces = (_oid(match.group(1)), number, match.group(2)), []
        elif _SYMBOLIC.match(line):
            flush()
            current, pieces = None, []
            walk.errors.append((number, "OID given as a MIB name; save walks with "
                                        "'snmpwalk -On' (numeric OIDs)"))
        elif current is not None:
            pieces.append(line)
        elif line.strip():
            walk.errors.append((number, "not an 'OID = TYPE: value' line"))
    flush()
    return walk


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return re.sub(r"\\(.)", r"\1", text[1:-1], flags=re.S)
    return text


def _parse_value(body: str, line: int) -> Value | str | None:
    """One value after ``=``; a str is an error message, None a skipped non-value."""
    if body.startswith(_SKIP):
        return None
    if body.strip() == '""':
        return Value("STRING", b"", line=line)
    match = _TYPED.match(body)
    if match is None:
        return Value("STRING", _unquote(body.strip()).encode("utf-8"), line=line)
    kind, rest = match.group(1), match.group(2)
    if kind in {"Hex-STRING", "BITS"}:
        tokens = re.findall(r"\b[0-9A-Fa-f]{2}\b", rest.split("  ")[0] if kind == "BITS"
                            else rest)
        return Value(kind, bytes(int(t, 16) for t in tokens), line=line)
    if kind in ("STRING", "Opaque", "Network Address"):
        return Value("STRING", _unquote(rest).encode("utf-8"), line=line)
    if kind == "OID":
        return Value("OID", rest.strip().lstrip(".").encode(), line=line)
    if kind == "IpAddress":
        return Value("IpAddress", rest.strip().encode(), line=line)
    if kind == "Timeticks":
        ticks = re.match(r"\((\d+)\)", rest.strip())
        return Value(kind, b"", int(ticks.group(1)) if ticks else None, line)
    if kind in ("INTEGER", "Gauge32", "Counter32", "Counter64", "Unsigned32", "Integer32"):
        named = re.search(r"\((-?\d+)\)\s*$", rest)  # "up(1)" when MIBs were loaded
        digits = named.group(1) if named else rest.strip().split(" ")[0]
        if not re.fullmatch(r"-?\d+", digits):
            return f"{kind} value is not a number: {rest[:40]!r}"
        return Value(kind, b"", int(digits), line)
    if kind == "NULL":
        return None
    return Value("STRING", rest.encode("utf-8"), line=line)


# -- small decoders ------------------------------------------------------------------------------


def mac_text(value: Value) -> str | None:
    """A MAC from raw octets, or from a MIB-formatted ``0:1b:21:a:ba:3c`` string.

    >>> mac_text(Value("Hex-STRING", bytes.fromhex("001b210aba3c")))
    '00:1b:21:0a:ba:3c'
    >>> mac_text(Value("STRING", b"0:1b:21:a:ba:3c")), mac_text(Value("STRING", b""))
    ('00:1b:21:0a:ba:3c', None)
    """
    text = value.text.strip()
    parts = re.split(r"[:\-. ]", text)
    if len(parts) == 6 and all(re.fullmatch(r"[0-9A-Fa-f]{1,2}", p) for p in parts):
        return ":".join(p.lower().zfill(2) for p in parts)
    if len(value.octets) == 6:
        return ":".join(f"{b:02x}" for b in value.octets)
    return None


def mac_from_index(index: Oid) -> str:
    return ":".join(f"{b:02x}" for b in index[-6:])


def portlist_bits(octets: bytes) -> set[int]:
    """Bridge ports set in a PortList: the first bit of the first octet is port 1.

    >>> sorted(portlist_bits(bytes([0b10100000, 0b00000001])))
    [1, 3, 16]
    """
    return {i * 8 + bit + 1 for i, byte in enumerate(octets) for bit in range(8)
            if byte & (0x80 >> bit)}


def vlan_bitmap(octets: bytes, offset: int) -> set[int]:
    """Cisco's vlanTrunkPortVlansEnabled*: bit 0 of the first octet is VLAN ``offset``."""
    return {offset + i * 8 + bit for i, byte in enumerate(octets) for bit in range(8)
            if byte & (0x80 >> bit)}


def _display(value: Value | None) -> str:
    if value is None:
        return ""
    text = value.text
    return text.replace("\x00", "").strip() if _printable(value.octets) else text.strip()


def _printable(data: bytes) -> bool:
    return all(0x20 <= b < 0x7F or b in b"\t\n\r\x00" or b >= 0x80 for b in data)


def _id_text(subtype: int | None, value: Value, mac_subtype: int, addr_subtype: int) -> str:
    if subtype == mac_subtype:
        mac = mac_text(value)
        if mac:
            return mac
    if subtype == addr_subtype and value.octets:
        address = _address(value.octets[0], value.octets[1:])
        if address:
            return address
    if value.octets and not all(0x20 <= b < 0x7F for b in value.octets.rstrip(b"\x00")):
        return ":".join(f"{b:02x}" for b in value.octets)
    return _display(value)


def _address(family: int, octets: bytes) -> str | None:
    if family == 1 and len(octets) == 4:
        return str(ipaddress.IPv4Address(octets))
    if family == 2 and len(octets) == 16:
        return str(ipaddress.IPv6Address(octets))
    return None


CHASSIS_SUBTYPES = {1: "chassis-component", 2: "interface-alias", 3: "port-component",
                    4: "mac", 5: "network-address", 6: "interface-name", 7: "local"}
PORT_SUBTYPES = {1: "interface-alias", 2: "port-component", 3: "mac", 4: "network-address",
                 5: "interface-name", 6: "agent-circuit-id", 7: "local"}
CAPABILITIES = ("other", "repeater", "bridge", "wlan-access-point", "router", "telephone",
                "docsis-cable-device", "station")
VENDOR_NAMES = {"cisco": "Cisco", "juniper": "Juniper", "arista": "Arista"}

# -- the device model ----------------------------------------------------------------------------

IF_DESCR, IF_TYPE, IF_PHYS = "1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.3", "1.3.6.1.2.1.2.2.1.6"
IF_ADMIN, IF_OPER = "1.3.6.1.2.1.2.2.1.7", "1.3.6.1.2.1.2.2.1.8"
IF_NAME, IF_HIGH_SPEED, IF_ALIAS = ("1.3.6.1.2.1.31.1.1.1.1", "1.3.6.1.2.1.31.1.1.1.15",
                                    "1.3.6.1.2.1.31.1.1.1.18")
IF_STACK = "1.3.6.1.2.1.31.1.2.1.3"
BASE_PORT_IFINDEX = "1.3.6.1.2.1.17.1.4.1.2"
TP_FDB_PORT, TP_FDB_STATUS = "1.3.6.1.2.1.17.4.3.1.2", "1.3.6.1.2.1.17.4.3.1.3"
Q_FDB_PORT, Q_FDB_STATUS = "1.3.6.1.2.1.17.7.1.2.2.1.2", "1.3.6.1.2.1.17.7.1.2.2.1.3"
Q_VLAN_FDB_ID = "1.3.6.1.2.1.17.7.1.4.2.1.3"
Q_CUR_EGRESS, Q_CUR_UNTAGGED = "1.3.6.1.2.1.17.7.1.4.2.1.4", "1.3.6.1.2.1.17.7.1.4.2.1.5"
Q_STATIC_NAME, Q_STATIC_EGRESS, Q_STATIC_UNTAGGED = (
    "1.3.6.1.2.1.17.7.1.4.3.1.1", "1.3.6.1.2.1.17.7.1.4.3.1.2", "1.3.6.1.2.1.17.7.1.4.3.1.4")
Q_PVID = "1.3.6.1.2.1.17.7.1.4.5.1.1"
LLDP_LOC_PORT = "1.0.8802.1.1.2.1.3.7.1"
LLDP_REM = "1.0.8802.1.1.2.1.4.1.1"
LLDP_REM_MAN = "1.0.8802.1.1.2.1.4.2.1.3"
LLDP_V2_REM = "1.3.111.2.802.1.1.13.1.4.1.1"
LLDP_V2_REM_MAN = "1.3.111.2.802.1.1.13.1.4.2.1.3"
VTP_STATE, VTP_NAME = "1.3.6.1.4.1.9.9.46.1.3.1.1.2", "1.3.6.1.4.1.9.9.46.1.3.1.1.4"
TRUNK = "1.3.6.1.4.1.9.9.46.1.6.1.1"
VM_VLAN = "1.3.6.1.4.1.9.9.68.1.2.2.1.2"
L2ALD = "1.3.6.1.4.1.2636.3.48.1.3.1.1"
ENT_CLASS, ENT_SOFTWARE, ENT_SERIAL, ENT_MODEL = (
    "1.3.6.1.2.1.47.1.1.1.1.5", "1.3.6.1.2.1.47.1.1.1.1.10", "1.3.6.1.2.1.47.1.1.1.1.11",
    "1.3.6.1.2.1.47.1.1.1.1.13")
LAG_IF_TYPE = 161  # ieee8023adLag
VTP_STATES = {1: "active", 2: "suspend", 3: "mtu-too-big-for-device", 4: "mtu-too-big-for-trunk"}


class _Device:
    """Indexes of one device's base walk that the tables below share."""

    def __init__(self, device: str, walk: Walk) -> None:
        self.device = device
        self.walk = walk
        self.warnings: list[ParseWarning] = []
        descr, names = walk.column(IF_DESCR), walk.column(IF_NAME)
        self.if_names: dict[int, str] = {}
        self.if_types = {i[0]: v.integer for i, v in walk.column(IF_TYPE).items() if len(i) == 1}
        for index in sorted(set(descr) | set(names)):
            raw = _display(names.get(index)) or _display(descr.get(index))
            if len(index) == 1 and raw:
                self.if_names[index[0]] = canonical_interface(raw)
        self.bridge_ports = _bridge_ports(walk)

    def warn(self, path: Path, line: int | None, message: str) -> None:
        self.warnings.append(ParseWarning(self.device, path.name, line, message))

    def port_of_bridge(self, bridge_port: int, table: dict[int, int] | None = None) -> str | None:
        """Interface of a bridge port. Some agents (TP-Link JetStream) number the base port
        table by ifIndex but report FDB ports as positions 1..N in it: that is used only when
        the number is no key of the table."""
        ports = table if table is not None else self.bridge_ports
        if_index = ports.get(bridge_port)
        if if_index is None and 1 <= bridge_port <= len(ports) and min(ports) > len(ports):
            if_index = ports[sorted(ports)[bridge_port - 1]]
        return self.if_names.get(if_index) if if_index is not None else None


def _bridge_ports(walk: Walk) -> dict[int, int]:
    return {i[0]: v.integer for i, v in walk.column(BASE_PORT_IFINDEX).items()
            if len(i) == 1 and v.integer is not None}


def parse_snmp_device(device_dir: Path, device: str) -> SwitchFacts:
    """Build the normalized facts of one device from its SNMP captures."""
    base_path = _base_capture(device_dir)
    if base_path is None:
        return SwitchFacts(device=device, method=CollectionMethod.SNMP, warnings=[
            ParseWarning(device, "snmpwalk.txt", None, "no SNMP capture in " + str(device_dir))])
    walk = read_capture(base_path)
    dev = _Device(device, walk)
    for line, message in walk.errors:
        dev.warn(base_path, line, message)
    vlan_walks = _vlan_captures(device_dir, dev)
    vendor = _vendor(walk)
    ports = _ports(dev, vendor) if dev.if_names else None
    return SwitchFacts(
        device=device, method=CollectionMethod.SNMP,
        facts=_facts(dev, vendor),
        ports=ports,
        fdb=_fdb(dev, vlan_walks),
        lldp=_lldp(dev),
        vlans=_vlans(dev),
        cdp=cdp_table(walk, dev.if_names, lambda line, text: dev.warn(base_path, line, text)),
        arp=arp_table(walk, dev.if_names),
        warnings=dev.warnings,
    )


def _base_capture(device_dir: Path) -> Path | None:
    for name in ("snmpwalk.txt", "snmp.snmprec"):
        if (device_dir / name).is_file():
            return device_dir / name
    return None


def _vlan_captures(device_dir: Path, dev: _Device) -> dict[int, Walk]:
    walks: dict[int, Walk] = {}
    for path in sorted(device_dir.glob("snmpwalk@*")):
        match = re.fullmatch(r"snmpwalk@(\d+)\.(txt|snmprec)", path.name)
        if not match:
            dev.warn(path, None, "per-VLAN capture name is not snmpwalk@<vlan>.txt")
            continue
        walk = read_capture(path)
        for line, message in walk.errors:
            dev.warn(path, line, message)
        walks[int(match.group(1))] = walk
    return walks


def _vendor(walk: Walk) -> str:
    from xsfabric.switch.snmp_collect import vendor_of

    oid = walk.scalar("1.3.6.1.2.1.1.2.0")
    descr = walk.scalar("1.3.6.1.2.1.1.1.0")
    return vendor_of(None, oid.text if oid else None, descr.text if descr else None)


# -- facts ---------------------------------------------------------------------------------------

_VERSIONS = {
    "cisco": re.compile(r"Version ([^\s,]+)"),
    "juniper": re.compile(r"JUNOS ([^\s,\]]+)"),
    "arista": re.compile(r"EOS version ([^\s,]+)"),
}


def _facts(dev: _Device, vendor: str) -> DeviceFacts | None:
    walk = dev.walk
    name = walk.scalar("1.3.6.1.2.1.1.5.0")
    descr = walk.scalar("1.3.6.1.2.1.1.1.0")
    if name is None and descr is None:
        return None
    model = serial = software = None
    classes = walk.column(ENT_CLASS)
    chassis = sorted(i for i, v in classes.items() if v.integer == 3)  # chassis(3)
    if chassis:
        first = chassis[0]
        model = _display(walk.column(ENT_MODEL).get(first)) or None
        serial = _display(walk.column(ENT_SERIAL).get(first)) or None
        software = _display(walk.column(ENT_SOFTWARE).get(first)) or None
    version_re = _VERSIONS.get(vendor)
    match = version_re.search(_display(descr)) if version_re else None
    return DeviceFacts(
        hostname=_display(name) or dev.device,
        vendor=VENDOR_NAMES.get(vendor),
        model=model,
        os_version=match.group(1) if match else software,
        serial=serial,
    )


# -- ports ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Membership:
    """Q-BRIDGE VLAN membership of one bridge port."""

    tagged: set[int] = field(default_factory=set)
    untagged: set[int] = field(default_factory=set)


def _portlist(dev: _Device, value: Value, juniper: bool) -> set[int] | None:
    """Bridge ports of a PortList value; None (with a warning) when it is garbage."""
    text = value.text.strip()
    if value.kind not in ("STRING", "Hex-STRING", "BITS"):
        dev.warn(dev.walk.path, value.line, f"PortList is a {value.kind}, not an octet string")
        return None
    is_text = value.kind == "STRING" and _printable(value.octets) and value.octets
    if is_text and (juniper or "," in text):
        if re.fullmatch(r"\d+(\s*,\s*\d+)*", text):
            return {int(x) for x in text.split(",")}
        dev.warn(dev.walk.path, value.line,
                 f"PortList {text[:40]!r} is neither a bitmap nor comma-separated bridge ports")
        return None
    if not value.octets and juniper:
        return set()
    return portlist_bits(value.octets)


def _qbridge_memberships(dev: _Device, vendor: str) -> dict[int, _Membership]:
    walk = dev.walk
    juniper = vendor == "juniper"
    current_egress = walk.column(Q_CUR_EGRESS)
    if current_egress:
        egress = {i[-1]: v for i, v in current_egress.items()}
        untagged = {i[-1]: v for i, v in walk.column(Q_CUR_UNTAGGED).items()}
    else:
        egress = {i[-1]: v for i, v in walk.column(Q_STATIC_EGRESS).items()}
        untagged = {i[-1]: v for i, v in walk.column(Q_STATIC_UNTAGGED).items()}
    members: dict[int, _Membership] = defaultdict(_Membership)
    for vlan, value in egress.items():
        ports = _portlist(dev, value, juniper)
        if ports is None:
            continue
        plain_value = untagged.get(vlan)
        plain = _portlist(dev, plain_value, juniper) if plain_value is not None else set()
        if plain is None:
            continue
        for port in ports | plain:
            if port in plain:
                members[port].untagged.add(vlan)
            else:
                members[port].tagged.add(vlan)
    return members


def _lags(dev: _Device) -> dict[int, int]:
    """member ifIndex → LAG ifIndex, from ifStackStatus (higher.lower = active)."""
    members: dict[int, int] = {}
    for index, value in dev.walk.column(IF_STACK).items():
        if len(index) != 2 or 0 in index or value.integer != 1:
            continue
        higher, lower = index
        if dev.if_types.get(higher) == LAG_IF_TYPE or (
                higher not in dev.if_types and _looks_like_lag(dev.if_names.get(higher, ""))):
            members[lower] = higher
    return members


def _looks_like_lag(name: str) -> bool:
    return bool(re.match(r"(?i)(port-channel|ae\d|bundle-ether|po\d|trk\d|lag)", name))


def _ports(dev: _Device, vendor: str) -> list[SwitchPort]:
    walk = dev.walk
    admin = {i[0]: v.integer for i, v in walk.column(IF_ADMIN).items() if len(i) == 1}
    oper = {i[0]: v.integer for i, v in walk.column(IF_OPER).items() if len(i) == 1}
    speed = {i[0]: v.integer for i, v in walk.column(IF_HIGH_SPEED).items() if len(i) == 1}
    alias = {i[0]: _display(v) for i, v in walk.column(IF_ALIAS).items() if len(i) == 1}
    lag_of = _lags(dev)
    lag_members: dict[int, list[str]] = defaultdict(list)
    for member, lag in sorted(lag_of.items()):
        if member in dev.if_names:
            lag_members[lag].append(dev.if_names[member])
    modes = _cisco_modes(dev) if _has_cisco_vlans(walk) else _qbridge_modes(dev, vendor)
    ports: list[SwitchPort] = []
    for if_index, name in sorted(dev.if_names.items()):
        mode, access, native, allowed = modes.get(if_index, (PortMode.UNKNOWN, None, None, None))
        lag_index = lag_of.get(if_index)
        ports.append(SwitchPort(
            name=name, short_name=short_interface(name), if_index=if_index,
            admin_up=None if admin.get(if_index) is None else admin[if_index] == 1,
            oper_up=None if oper.get(if_index) is None else oper[if_index] == 1,
            speed_mbps=speed.get(if_index), description=alias.get(if_index, ""),
            mode=mode, access_vlan=access, native_vlan=native, allowed_vlans=allowed,
            lag=dev.if_names.get(lag_index) if lag_index is not None else None,
            lag_members=tuple(lag_members.get(if_index, ())),
            is_peer_link=None,  # SNMP cannot tell an MLAG / vPC peer link
        ))
    return ports


_Mode = tuple[PortMode, int | None, int | None, tuple[int, ...] | None]


def _has_cisco_vlans(walk: Walk) -> bool:
    return bool(walk.column(TRUNK + ".14") or walk.column(VM_VLAN))


def _cisco_modes(dev: _Device) -> dict[int, _Mode]:
    walk = dev.walk
    status = {i[0]: v.integer for i, v in walk.column(TRUNK + ".14").items() if len(i) == 1}
    native = {i[0]: v.integer for i, v in walk.column(TRUNK + ".5").items() if len(i) == 1}
    bitmaps: dict[int, set[int]] = defaultdict(set)
    for column, offset in ((4, 0), (17, 1024), (18, 2048), (19, 3072)):
        for index, value in walk.column(f"{TRUNK}.{column}").items():
            if len(index) == 1:
                bitmaps[index[0]] |= vlan_bitmap(value.octets, offset)
    access = {i[0]: v.integer for i, v in walk.column(VM_VLAN).items() if len(i) == 1}
    modes: dict[int, _Mode] = {}
    for if_index in set(status) | set(access):
        if status.get(if_index) == 1:  # trunking
            allowed = vlan_tuple(v for v in bitmaps.get(if_index, set()) if 1 <= v <= 4094)
            modes[if_index] = (PortMode.TRUNK, None, native.get(if_index), allowed)
        elif if_index in access:
            modes[if_index] = (PortMode.ACCESS, access[if_index], None, None)
    return modes


def _qbridge_modes(dev: _Device, vendor: str) -> dict[int, _Mode]:
    """Mode inferred from PortLists: tagged anywhere → trunk (native = PVID if untagged there);
    untagged only → access on the PVID."""
    pvid = {i[0]: v.integer for i, v in dev.walk.column(Q_PVID).items() if len(i) == 1}
    modes: dict[int, _Mode] = {}
    for bridge_port, member in _qbridge_memberships(dev, vendor).items():
        if_index = dev.bridge_ports.get(bridge_port)
        if if_index is None:
            continue
        port_pvid = pvid.get(bridge_port)
        if member.tagged:
            native = port_pvid if port_pvid in member.untagged else None
            allowed = tuple(sorted(member.tagged | member.untagged))
            modes[if_index] = (PortMode.TRUNK, None, native, allowed)
        elif member.untagged:
            vlan = port_pvid if port_pvid in member.untagged else min(member.untagged)
            modes[if_index] = (PortMode.ACCESS, vlan, None, None)
    return modes


def vlan_memberships(facts_dir: Path, device: str) -> set[tuple[int, int, bool]]:
    """(VLAN, bridge port, untagged) as Q-BRIDGE states them: what LibreNMS calls ports_vlans."""
    base_path = _base_capture(facts_dir)
    if base_path is None:
        return set()
    dev = _Device(device, read_capture(base_path))
    rows = set()
    for port, member in _qbridge_memberships(dev, _vendor(dev.walk)).items():
        rows |= {(v, port, False) for v in member.tagged}
        rows |= {(v, port, True) for v in member.untagged}
    return rows


# -- FDB -----------------------------------------------------------------------------------------

_FDB_TYPES = {3: FdbEntryType.DYNAMIC, 5: FdbEntryType.STATIC, 1: FdbEntryType.DYNAMIC}


def _fdb_vlans(dev: _Device) -> dict[int, int]:
    """FDB id → VLAN: dot1qVlanFdbId, then JUNIPER-L2ALD-MIB."""
    mapping: dict[int, int] = {}
    for index, value in dev.walk.column(Q_VLAN_FDB_ID).items():
        if value.integer is not None:
            mapping[value.integer] = index[-1]
    tags = {i[0]: v.integer for i, v in dev.walk.column(L2ALD + ".3").items()
            if len(i) == 1 and v.integer is not None}
    fdb_ids = {i[0]: v.integer for i, v in dev.walk.column(L2ALD + ".5").items()
               if len(i) == 1 and v.integer is not None}
    for l2ald_index, tag in tags.items():
        if l2ald_index in fdb_ids:
            mapping[fdb_ids[l2ald_index]] = tag
        else:
            mapping.setdefault(l2ald_index << 16, tag)  # ELS FDB ids: index in the high bits
    return mapping


def _fdb(dev: _Device, vlan_walks: dict[int, Walk]) -> list[FdbEntry] | None:
    walk = dev.walk
    q_ports = walk.column(Q_FDB_PORT)
    entries: dict[tuple[str, int | None], FdbEntry] = {}
    seen_table = bool(q_ports) or bool(walk.column(TP_FDB_PORT)) or bool(vlan_walks)
    if q_ports:
        statuses = walk.column(Q_FDB_STATUS)
        vlans = _fdb_vlans(dev)
        for index, value in q_ports.items():
            if len(index) != 7:
                continue
            entry = _fdb_entry(dev, index[0], index[1:], value, statuses.get(index), None)
            if entry is not None:
                vlan = vlans.get(index[0], index[0] if index[0] <= 4094 else None)
                entry = FdbEntry(entry.mac, vlan, entry.port, entry.entry_type)
                entries[(entry.mac, entry.vlan)] = entry
    elif vlan_walks:
        for vlan, vlan_walk in sorted(vlan_walks.items()):
            table = _bridge_ports(vlan_walk) or dev.bridge_ports
            statuses = vlan_walk.column(TP_FDB_STATUS)
            for index, value in vlan_walk.column(TP_FDB_PORT).items():
                entry = _fdb_entry(dev, vlan, index, value, statuses.get(index), table)
                if entry is not None:
                    entries[(entry.mac, vlan)] = entry
    else:
        statuses = walk.column(TP_FDB_STATUS)
        for index, value in walk.column(TP_FDB_PORT).items():
            entry = _fdb_entry(dev, None, index, value, statuses.get(index), None)
            if entry is not None:
                entries[(entry.mac, None)] = entry
    if not seen_table:
        return [] if walk.column(BASE_PORT_IFINDEX) else None
    return sorted(entries.values(), key=lambda e: (e.vlan or 0, e.mac))


def _fdb_entry(dev: _Device, vlan: int | None, mac_index: Oid, port: Value, status: Value | None,
               table: dict[int, int] | None) -> FdbEntry | None:
    if len(mac_index) != 6 or port.integer in (None, 0):
        return None
    state = status.integer if status is not None else 3
    if state not in _FDB_TYPES:  # invalid(2), self(4): not a learned station
        return None
    name = dev.port_of_bridge(port.integer or 0, table)
    if name is None:
        return None
    return FdbEntry(mac_from_index(mac_index), vlan, name, _FDB_TYPES[state or 3])


# -- LLDP ----------------------------------------------------------------------------------------


def _local_ports(dev: _Device) -> dict[int, str]:
    """lldpRemLocalPortNum → canonical interface name."""
    walk = dev.walk
    by_name: dict[str, int] = {}
    for if_index, name in dev.if_names.items():
        by_name.setdefault(name.lower(), if_index)
    for column in (IF_DESCR, IF_NAME, IF_ALIAS):
        for index, value in walk.column(column).items():
            text = _display(value)
            if len(index) == 1 and text:
                by_name.setdefault(text.lower(), index[0])
                by_name.setdefault(canonical_interface(text).lower(), index[0])
    macs = {mac_text(v): i[0] for i, v in walk.column(IF_PHYS).items() if len(i) == 1}
    result: dict[int, str] = {}
    ids = walk.column(LLDP_LOC_PORT + ".3")
    subtypes = walk.column(LLDP_LOC_PORT + ".2")
    descs = walk.column(LLDP_LOC_PORT + ".4")
    for index, value in ids.items():
        port_num = index[0]
        subtype = subtypes[index].integer if index in subtypes else None
        candidates = []
        if subtype == 3:
            candidates.append(macs.get(mac_text(value)))
        for text in (_display(value), _display(descs.get(index))):
            if text:
                candidates.append(by_name.get(text.lower()))
                candidates.append(by_name.get(canonical_interface(text).lower()))
        found = next((c for c in candidates if c is not None), None)
        if found is not None and found in dev.if_names:
            result[port_num] = dev.if_names[found]
    return result


def _local_port_name(dev: _Device, mapped: dict[int, str], port_num: int) -> str | None:
    return (mapped.get(port_num) or dev.if_names.get(port_num)
            or dev.port_of_bridge(port_num))


def bits_octets(value: Value) -> bytes:
    """The octets of a BITS value, also when a recording kept net-snmp's text of it.

    >>> bits_octets(Value("STRING", b"28 2 4")), bits_octets(Value("Hex-STRING", b"\x28"))
    (b'(', b'(')
    """
    text = value.text.strip()
    if value.kind == "STRING" and re.fullmatch(r"[0-9A-Fa-f]{2}( [0-9A-Fa-f]{2})*( \d{1,2})*",
                                               text):
        leading = []
        for token in text.split(" "):
            if len(token) != 2:
                break  # the bit numbers net-snmp prints after the octets
            leading.append(int(token, 16))
        return bytes(leading)
    return value.octets


def _capabilities(value: Value | None) -> tuple[str, ...]:
    if value is None or not value.octets:
        return ()
    bits = portlist_bits(bits_octets(value))  # first bit = capability 0 ("other")
    return tuple(CAPABILITIES[b - 1] for b in sorted(bits) if b - 1 < len(CAPABILITIES))


def _man_addresses(walk: Walk, column: str, key_len: int) -> dict[Oid, str]:
    """Remote key (timeMark, port, [dest,] index) → first IPv4 (else IPv6) address."""
    found: dict[Oid, list[str]] = defaultdict(list)
    for index in walk.column(column):
        key, rest = index[:key_len], index[key_len:]
        if len(rest) < 2:
            continue
        family, length = rest[0], rest[1]
        octets = bytes(rest[2:2 + length]) if len(rest) == 2 + length else bytes(rest[1:])
        address = _address(family, octets)
        if address:
            found[key].append(address)
    return {k: sorted(v, key=lambda a: (":" in a, a))[0] for k, v in found.items()}


def _lldp(dev: _Device) -> list[LldpNeighbor] | None:
    walk = dev.walk
    v1 = _lldp_table(dev, walk.column(LLDP_REM + ".5"), LLDP_REM, 4,
                     _man_addresses(walk, LLDP_REM_MAN, 3), v2=False)
    v2 = _lldp_table(dev, walk.column(LLDP_V2_REM + ".6"), LLDP_V2_REM, 5,
                     _man_addresses(walk, LLDP_V2_REM_MAN, 4), v2=True)
    if v1 is None and v2 is None:
        loc = walk.column(LLDP_LOC_PORT + ".3") or walk.column("1.3.111.2.802.1.1.13.1.3.7")
        return [] if loc else None
    neighbours = {(n.local_port, n.chassis_id, n.port_id): n for n in (v2 or []) + (v1 or [])}
    return sorted(neighbours.values(), key=lambda n: (n.local_port, n.chassis_id, n.port_id))


def _lldp_table(dev: _Device, chassis_ids: dict[Oid, Value], table: str, first: int,
                addresses: dict[Oid, str], *, v2: bool) -> list[LldpNeighbor] | None:
    """lldpRemTable (v1: columns 4-12, index t.port.i) or lldpV2RemTable (columns 5-13,
    index t.ifIndex.dest.i)."""
    if not chassis_ids:
        return None
    walk = dev.walk

    def col(offset: int) -> dict[Oid, Value]:
        return walk.column(f"{table}.{first + offset}")

    chassis_sub, port_sub, port_ids = col(0), col(2), col(3)
    port_desc, sys_name, caps = col(4), col(5), col(8)
    mapped = {} if v2 else _local_ports(dev)
    result = []
    for index, chassis in chassis_ids.items():
        if len(index) < 3:
            continue
        port_num = index[1]
        local = dev.if_names.get(port_num) if v2 else _local_port_name(dev, mapped, port_num)
        if local is None:
            dev.warn(walk.path, chassis.line,
                     f"LLDP neighbour on local port {port_num} that matches no interface")
            continue
        c_sub = chassis_sub[index].integer if index in chassis_sub else None
        p_sub = port_sub[index].integer if index in port_sub else None
        port_id = port_ids.get(index)
        key_len = 4 if v2 else 3
        result.append(LldpNeighbor(
            local_port=local,
            chassis_id=_id_text(c_sub, chassis, 4, 5),
            chassis_id_subtype=CHASSIS_SUBTYPES.get(c_sub or 0),
            port_id=_id_text(p_sub, port_id, 3, 4) if port_id is not None else "",
            port_id_subtype=PORT_SUBTYPES.get(p_sub or 0),
            port_description=_display(port_desc.get(index)),
            system_name=_display(sys_name.get(index)),
            management_address=addresses.get(index[:key_len]),
            capabilities=_capabilities(caps.get(index)),
        ))
    return result


# -- VLANs ---------------------------------------------------------------------------------------


def _vlans(dev: _Device) -> list[Vlan] | None:
    walk = dev.walk
    vtp_state = walk.column(VTP_STATE)
    if vtp_state:
        names = {i[-1]: _display(v) for i, v in walk.column(VTP_NAME).items()}
        return [Vlan(i[-1], names.get(i[-1], ""), VTP_STATES.get(v.integer or 0))
                for i, v in sorted(vtp_state.items(), key=lambda kv: kv[0][-1])]
    l2ald_tags = walk.column(L2ALD + ".3")
    if l2ald_tags:
        names = {i[0]: _display(v) for i, v in walk.column(L2ALD + ".2").items()}
        found = {v.integer: Vlan(v.integer, names.get(i[0], ""), "active")
                 for i, v in l2ald_tags.items() if v.integer is not None}
        return [found[k] for k in sorted(found)]
    static = walk.column(Q_STATIC_NAME)
    current = walk.column(Q_CUR_EGRESS) or walk.column(Q_STATIC_EGRESS)
    if not static and not current:
        return None
    ids = {i[-1] for i in static} | {i[-1] for i in current}
    names = {i[-1]: _display(v) for i, v in static.items()}
    return [Vlan(v, names.get(v, ""), "active") for v in sorted(ids)]


def warnings_text(warnings: Iterable[ParseWarning]) -> list[str]:
    """One line per warning, the way ``show`` and the audit print them."""
    return [f"{w.device}: {w.source}" + (f":{w.line}" if w.line else "") + f": {w.message}"
            for w in warnings]
