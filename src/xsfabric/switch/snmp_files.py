"""The two SNMP capture formats, read into one :class:`Walk`: net-snmp ``snmpwalk -On`` text
(as a user saves it, with or without MIBs loaded) and snmpsim's ``.snmprec``
(``OID|type|value``), which is what xsfabric's own collector stores.

Every line that is no varbind becomes an error (line number, message) of the walk; the device
parser turns those into :class:`~xsfabric.switch.model.ParseWarning` s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

Oid = tuple[int, ...]


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
_OID_PREFIXES = (
    ("SNMPv2-SMI::mib-2.", "1.3.6.1.2.1."),
    ("SNMPv2-SMI::enterprises.", "1.3.6.1.4.1."),
    ("iso.", "1."),
    (".iso.", "1."),
)
#: A record whose OID is a MIB name (``IF-MIB::ifName.1 = …``): not readable without MIBs.
_SYMBOLIC = re.compile(r"^\s*[A-Za-z][\w-]*::[A-Za-z][\w-]*\S*\s+=\s")


def _numeric_form(line: str) -> str:
    """``iso.3.6.1…`` and ``SNMPv2-SMI::mib-2.…`` → the numeric OID ``-On`` would print."""
    stripped = line.lstrip()
    for prefix, numeric in _OID_PREFIXES:
        if stripped.startswith(prefix):
            return numeric + stripped[len(prefix) :]
    return line


_TYPED = re.compile(r"^([A-Za-z][A-Za-z0-9 -]*?):\s?(.*)$", re.S)
_SKIP = ("No Such Object", "No Such Instance", "No more variables")
#: snmprec type tags (snmpsim): ASN.1 tag numbers; "x" = hex-encoded value.
_SNMPREC_KINDS = {
    "2": "INTEGER",
    "4": "STRING",
    "5": "NULL",
    "6": "OID",
    "64": "IpAddress",
    "65": "Counter32",
    "66": "Gauge32",
    "67": "Timeticks",
    "68": "Opaque",
    "70": "Counter64",
}


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
            value = Value(kind, octets, int(raw) if re.fullmatch(r"-?\d+", raw) else None, number)
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
            walk.errors.append(
                (number, "OID given as a MIB name; save walks with 'snmpwalk -On' (numeric OIDs)")
            )
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
        tokens = re.findall(r"\b[0-9A-Fa-f]{2}\b", rest.split("  ")[0] if kind == "BITS" else rest)
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
