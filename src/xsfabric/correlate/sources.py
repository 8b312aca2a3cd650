"""Where each switch table of a snapshot was read from, for the evidence of a placement.

The normalized switch model keeps no file names; correlation names its evidence by the
capture the table came from (``devices/sw1/show mac address-table.txt``, a NAPALM getter
file, an SNMP walk). This module looks at the snapshot's folder listing only (no parsing),
preferring the method :func:`xsfabric.switch.facts.merged_facts` prefers (CLI, NAPALM, SNMP).
"""

from __future__ import annotations

import re
from pathlib import Path

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
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _MAC.finditer(line):
            found.setdefault(_colon_mac(match.group(0)), number)
    return found


#: The separators a :data:`_MAC` match may hold (the rest are hex digits).
_SEPARATORS = str.maketrans("", "", ".:-")


def _colon_mac(text: str) -> str:
    """A :data:`_MAC` match in lowercase colon form (run for every MAC row of every audit:
    ``str.translate`` instead of a regex substitution and a join)."""
    d = text.lower().translate(_SEPARATORS)
    return f"{d[0:2]}:{d[2:4]}:{d[4:6]}:{d[6:8]}:{d[8:10]}:{d[10:12]}"


def evidence_lines(
    snapshot: Snapshot, sources: dict[str, dict[str, str]]
) -> dict[str, dict[str, dict[str, int]]]:
    """Per switch, per table ("fdb", "lldp", "cdp"): MAC → line, for the text and JSON captures
    :func:`evidence_sources` named (SNMP walks carry MACs as OID numbers: no lines)."""
    lines: dict[str, dict[str, dict[str, int]]] = {}
    for switch, tables in sources.items():
        for table, where in tables.items():
            path = snapshot.path / where
            if table in ("fdb", "lldp", "cdp") and path.is_file():
                lines.setdefault(switch, {})[table] = mac_lines(path)
    return lines
