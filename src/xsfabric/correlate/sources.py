"""Where each switch table of a snapshot was read from, for the evidence of a placement.

The normalized switch model keeps no file names; correlation names its evidence by the
capture the table came from (``devices/sw1/show mac address-table.txt``, a NAPALM getter
file, an SNMP walk). This module looks at the snapshot's folder listing only (no parsing),
preferring the method :func:`xsfabric.switch.facts.merged_facts` prefers (CLI, NAPALM, SNMP).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from xsfabric.snapshot import DeviceKind, DeviceStatus, Snapshot

_MAC = re.compile(
    r"(?<![0-9A-Fa-f:.-])(?:[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}|"
    r"[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4})"
    r"(?![0-9A-Fa-f:.-])"
)

#: Per table: the CLI commands that give it (any platform), the NAPALM getter, the MIB.
_TABLES: dict[str, tuple[tuple[str, ...], str | None, str]] = {
    "fdb": (
        (
            "show mac address-table",
            "show mac-address-table",
            "show mac address-table dynamic",
            "show ethernet-switching table",
        ),
        "get_mac_address_table",
        "BRIDGE-MIB / Q-BRIDGE-MIB",
    ),
    "lldp": (
        ("show lldp neighbors detail", "show lldp neighbor detail", "show lldp neighbors"),
        "get_lldp_neighbors_detail",
        "LLDP-MIB",
    ),
    "cdp": (("show cdp neighbors detail", "show cdp neighbor detail"), None, "CISCO-CDP-MIB"),
    "arp": (
        ("show ip arp", "show arp", "show arp no-resolve"),
        "get_arp_table",
        "IP-MIB ipNetToPhysicalTable",
    ),
}


def _device_sources(snapshot: Snapshot, device_dir: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    files = {p.name: p for p in device_dir.glob("*.txt")} if device_dir.is_dir() else {}
    napalm = device_dir / "napalm"
    walks = sorted(n for n in files if n.startswith("snmpwalk"))
    if (device_dir / "snmp.snmprec").is_file():
        walks.append("snmp.snmprec")
    for table, (commands, getter, mib) in _TABLES.items():
        for command in commands:
            name = f"{command}.txt"
            if name in files:
                found[table] = str(files[name].relative_to(snapshot.path))
                break
        else:
            if getter and (napalm / f"{getter}.json").is_file():
                found[table] = str((napalm / f"{getter}.json").relative_to(snapshot.path))
            elif walks:
                found[table] = f"{device_dir.relative_to(snapshot.path)}/{walks[0]} ({mib})"
    return found


def evidence_sources(snapshot: Snapshot) -> dict[str, dict[str, str]]:
    """Per switch device: table → the capture it was read from (relative to the snapshot)."""
    return {
        str(d["name"]): _device_sources(snapshot, snapshot.device_dir(str(d["name"])))
        for d in snapshot.devices(DeviceKind.SWITCH)
    }


def not_collected(snapshot: Snapshot) -> dict[str, str]:
    """Switches of the snapshot whose collection failed: name → status (and error)."""
    failed: dict[str, str] = {}
    for device in snapshot.devices(DeviceKind.SWITCH):
        status = str(device.get("status", DeviceStatus.OK))
        if status not in (DeviceStatus.OK, DeviceStatus.PARTIAL):
            error = device.get("error")
            failed[str(device["name"])] = f"{status}: {error}" if error else status
    return failed


def mac_lines(path: Path) -> dict[str, int]:
    """MAC (lowercase colon form) → the first line of a text capture it appears on (1-based).

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = pathlib.Path(tmp) / "t.txt"
    ...     _ = f.write_text("Vlan Mac\\n 10 0019.D179.7510 Gi1/0/1\\n 20 00-1b-21-0a-ba-3c\\n")
    ...     sorted(mac_lines(f).items())
    [('00:19:d1:79:75:10', 2), ('00:1b:21:0a:ba:3c', 3)]
    """
    found: dict[str, int] = {}
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return found
    if _OTHER_BREAKS.search(text):  # line breaks besides "\n": splitlines' numbering
        for number, line in enumerate(text.splitlines(), start=1):
            for match in _MAC.finditer(line):
                found.setdefault(_colon_mac(match.group(0)), number)
        return found
    # one pass over the whole text, counting newlines between matches (no list of lines, no
    # per-line regex call: a third of the time on a 1,000-row MAC table); the same matches,
    # as "\n" is in neither of the pattern's look-arounds
    number, last = 1, 0
    for match in _MAC.finditer(text):
        start = match.start()
        number += text.count("\n", last, start)
        last = start
        mac = _colon_mac(match.group(0))
        if mac not in found:
            found[mac] = number
    return found


#: Line boundaries ``str.splitlines`` knows besides "\n" (a lone "\r", form feed …).
_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


class _CaptureLines(Mapping[str, int]):
    """:func:`mac_lines` of one capture, read on first use: correlation looks lines up only
    for the estate's own MACs, which most switches of a large estate never learn, and a few
    per capture at that: :meth:`get` finds one MAC's first line by searching the text for its
    three spellings (a few ``str.find`` calls) instead of listing every MAC of the capture."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lines: dict[str, int] | None = None
        self._loaded = False
        self._lowered: str | None = None
        self._found: dict[str, int | None] = {}

    def _read(self) -> dict[str, int]:
        if self._lines is None:
            self._lines = mac_lines(self._path)
        return self._lines

    def __getitem__(self, mac: str) -> int:
        line = self.get(mac)
        if line is None:
            raise KeyError(mac)
        return int(line)

    def get(self, mac: str, default: Any = None) -> Any:
        if self._lines is None and _COLON_MAC.fullmatch(mac):
            if mac not in self._found:
                text = self._text()
                if text is None:  # not plain ASCII with "\n" lines: the full listing
                    return self._read().get(mac, default)
                self._found[mac] = _first_line(text, mac)
            line = self._found[mac]
            return default if line is None else line
        return self._read().get(mac, default)

    def _text(self) -> str | None:
        """The capture in lowercase, when searching it finds what :func:`mac_lines` finds:
        ASCII (lowercasing keeps every offset) with "\n" line breaks only; else None."""
        if not self._loaded:
            self._loaded = True
            try:
                text = self._path.read_text(errors="replace")
            except OSError:
                text = ""  # mac_lines finds nothing either
            if text.isascii() and not _OTHER_BREAKS.search(text):
                self._lowered = text.lower()
        return self._lowered

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


_COLON_MAC = re.compile(r"[0-9a-f]{2}(?::[0-9a-f]{2}){5}")
#: What :data:`_MAC` allows on neither side of a MAC (lowercase).
_MAC_CHARS = frozenset("0123456789abcdef:.-")


def _first_line(text: str, mac: str) -> int | None:
    """The first line of lowercase ``text`` holding ``mac`` (lowercase colon form) in any of
    the spellings :data:`_MAC` matches, with the same boundaries; None when none does."""
    d = mac.replace(":", "")
    best = -1
    for form in (mac, mac.replace(":", "-"), f"{d[0:4]}.{d[4:8]}.{d[8:12]}"):
        pos = text.find(form)
        while pos >= 0:
            end = pos + len(form)
            if (pos == 0 or text[pos - 1] not in _MAC_CHARS) and (
                end == len(text) or text[end] not in _MAC_CHARS
            ):
                if best < 0 or pos < best:
                    best = pos
                break
            pos = text.find(form, pos + 1)
    return None if best < 0 else text.count("\n", 0, best) + 1


#: The separators a :data:`_MAC` match may hold (the rest are hex digits).
_SEPARATORS = str.maketrans("", "", ".:-")


def _colon_mac(text: str) -> str:
    """A :data:`_MAC` match in lowercase colon form (run for every MAC row of every audit:
    ``str.translate`` instead of a regex substitution and a join)."""
    d = text.lower().translate(_SEPARATORS)
    return f"{d[0:2]}:{d[2:4]}:{d[4:6]}:{d[6:8]}:{d[8:10]}:{d[10:12]}"


def evidence_lines(
    snapshot: Snapshot, sources: dict[str, dict[str, str]]
) -> dict[str, dict[str, Mapping[str, int]]]:
    """Per switch, per table ("fdb", "lldp", "cdp"): MAC → line, for the text and JSON captures
    :func:`evidence_sources` named (SNMP walks carry MACs as OID numbers: no lines)."""
    lines: dict[str, dict[str, Mapping[str, int]]] = {}
    for switch, tables in sources.items():
        for table, where in tables.items():
            path = snapshot.path / where
            if table in ("fdb", "lldp", "cdp") and path.is_file():
                lines.setdefault(switch, {})[table] = _CaptureLines(path)
    return lines
