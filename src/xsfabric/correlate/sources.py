"""Where each switch table of a snapshot was read from, for the evidence of a placement.

The normalized switch model keeps no file names; correlation names its evidence by the
capture the table came from (``devices/sw1/show mac address-table.txt``, a NAPALM getter
file, an SNMP walk). This module looks at the snapshot's folder listing only (no parsing),
preferring the method :func:`xsfabric.switch.facts.merged_facts` prefers (CLI, NAPALM, SNMP).
"""

from __future__ import annotations

from pathlib import Path

from xsfabric.snapshot import DeviceKind, DeviceStatus, Snapshot

#: Per table: the CLI commands that give it (any platform), the NAPALM getter, the MIB.
_TABLES: dict[str, tuple[tuple[str, ...], str | None, str]] = {
    "fdb": (("show mac address-table", "show mac-address-table",
             "show mac address-table dynamic", "show ethernet-switching table"),
            "get_mac_address_table", "BRIDGE-MIB / Q-BRIDGE-MIB"),
    "lldp": (("show lldp neighbors detail", "show lldp neighbor detail", "show lldp neighbors"),
             "get_lldp_neighbors_detail", "LLDP-MIB"),
    "cdp": (("show cdp neighbors detail", "show cdp neighbor detail"), None, "CISCO-CDP-MIB"),
    "arp": (("show ip arp", "show arp", "show arp no-resolve"), "get_arp_table",
            "IP-MIB ipNetToPhysicalTable"),
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
    return {str(d["name"]): _device_sources(snapshot, snapshot.device_dir(str(d["name"])))
            for d in snapshot.devices(DeviceKind.SWITCH)}


def not_collected(snapshot: Snapshot) -> dict[str, str]:
    """Switches of the snapshot whose collection failed: name → status (and error)."""
    failed: dict[str, str] = {}
    for device in snapshot.devices(DeviceKind.SWITCH):
        status = str(device.get("status", DeviceStatus.OK))
        if status not in (DeviceStatus.OK, DeviceStatus.PARTIAL):
            error = device.get("error")
            failed[str(device["name"])] = f"{status}: {error}" if error else status
    return failed
