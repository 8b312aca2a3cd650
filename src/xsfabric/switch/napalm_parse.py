"""NAPALM getter results (``devices/<d>/napalm/<getter>.json``) → normalized switch records.

NAPALM already normalizes per getter; what is left is xsfabric's own conventions: canonical
interface names, lowercase colon MACs, int VLAN keys (``get_vlans`` keys are strings in JSON),
the bare OS version and model. What NAPALM lacks (switchport modes, allowed VLANs, LAG
members, ifIndex) stays "not available" and comes from the CLI method.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from xsfabric.names import canonical_interface, normalize_mac, short_interface
from xsfabric.switch.cli_neighbors import arp_interface, svi_vlan
from xsfabric.switch.cli_values import is_fdb_port
from xsfabric.switch.model import (
    ArpEntry,
    CollectionMethod,
    DeviceFacts,
    FdbEntry,
    FdbEntryType,
    LldpNeighbor,
    ParseWarning,
    SwitchFacts,
    SwitchPort,
    Vlan,
)


def has_napalm(device_dir: Path) -> bool:
    return (device_dir / "napalm").is_dir() and any((device_dir / "napalm").glob("*.json"))


def os_version(text: str) -> str:
    """``C2960X Software (…), Version 15.2(7)E4, RELEASE …`` → ``15.2(7)E4``."""
    match = re.search(r"Version\s+([^,\s]+)", text)
    return match.group(1) if match else text.strip()


def model_name(text: str) -> str:
    """``Nexus9000 C93180YC-EX chassis`` → ``C93180YC-EX``; others unchanged."""
    text = re.sub(r"\s+[cC]hassis$", "", text.strip())
    return re.sub(r"^Nexus\d+\s+", "", text)


def facts_from_napalm(data: dict[str, Any]) -> DeviceFacts:
    return DeviceFacts(
        hostname=str(data["hostname"]),
        vendor=data.get("vendor") or None,
        model=model_name(str(data.get("model") or "")) or None,
        os_version=os_version(str(data.get("os_version") or "")) or None,
        serial=str(data.get("serial_number") or "") or None,
    )


def ports_from_napalm(data: dict[str, Any]) -> list[SwitchPort]:
    ports = []
    for name, row in data.items():
        speed = row.get("speed")
        ports.append(
            SwitchPort(
                name=canonical_interface(name),
                short_name=short_interface(name),
                admin_up=bool(row["is_enabled"]),
                oper_up=bool(row["is_up"]),
                speed_mbps=int(speed) if isinstance(speed, int | float) and speed > 0 else None,
                description=str(row.get("description") or ""),
            )
        )
    return ports


def fdb_from_napalm(data: list[dict[str, Any]]) -> list[FdbEntry]:
    entries = []
    for row in data:
        port = str(row.get("interface") or "").strip()
        if not is_fdb_port(port):  # CPU, supervisor, router entries
            continue
        vlan = int(row["vlan"]) if row.get("vlan") else None
        kind = FdbEntryType.STATIC if row.get("static") else FdbEntryType.DYNAMIC
        entries.append(
            FdbEntry(normalize_mac(str(row["mac"])), vlan, canonical_interface(port), kind)
        )
    return entries


def lldp_from_napalm(data: dict[str, list[dict[str, Any]]]) -> list[LldpNeighbor]:
    neighbors = []
    for local, rows in data.items():
        for row in rows:
            caps = row.get("remote_system_enable_capab") or row.get("remote_system_capab") or []
            neighbors.append(
                LldpNeighbor(
                    local_port=canonical_interface(local),
                    chassis_id=normalize_mac(str(row.get("remote_chassis_id") or "")),
                    port_id=normalize_mac(str(row.get("remote_port") or "")),
                    port_description=str(row.get("remote_port_description") or ""),
                    system_name=str(row.get("remote_system_name") or ""),
                    capabilities=tuple(sorted(str(c) for c in caps)),
                )
            )
    return neighbors


def vlans_from_napalm(data: dict[str, Any]) -> list[Vlan]:
    return [
        Vlan(int(vid), str(row.get("name") or ""))
        for vid, row in sorted(data.items(), key=lambda item: int(item[0]))
    ]


def arp_from_napalm(data: list[dict[str, Any]]) -> list[ArpEntry]:
    """``get_arp_table`` rows. NAPALM ios returns ``{}`` instead of a list when ``show arp``
    has a blank line: it stops reading there, so the table is cut, not empty (TypeError →
    a parse warning, and ARP is not available)."""
    if not isinstance(data, list):
        raise TypeError(f"expected a list of ARP entries, got {type(data).__name__} {data!r:.40}")
    entries = []
    for row in data:
        interface = str(row.get("interface") or "").strip()
        entries.append(
            ArpEntry(
                ip=str(row["ip"]),
                mac=normalize_mac(str(row["mac"])),
                interface=arp_interface(interface) if interface else None,
                vlan=svi_vlan(interface) if interface else None,
            )
        )
    return entries


PARSERS: dict[str, tuple[str, Any]] = {
    "get_facts": ("facts", facts_from_napalm),
    "get_interfaces": ("ports", ports_from_napalm),
    "get_mac_address_table": ("fdb", fdb_from_napalm),
    "get_lldp_neighbors_detail": ("lldp", lldp_from_napalm),
    "get_vlans": ("vlans", vlans_from_napalm),
    "get_arp_table": ("arp", arp_from_napalm),
}


def parse_napalm_device(device_dir: Path, device: str) -> SwitchFacts:
    """Build the NAPALM :class:`SwitchFacts` of one device folder (reads files only)."""
    result = SwitchFacts(device=device, method=CollectionMethod.NAPALM)
    for getter, (attribute, parse) in PARSERS.items():
        path = device_dir / "napalm" / f"{getter}.json"
        if not path.is_file():
            continue
        source = f"napalm/{getter}.json"
        try:
            data = json.loads(path.read_text())
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            line = getattr(exc, "lineno", None)
            result.warnings.append(ParseWarning(device, source, line, f"not JSON: {exc}"))
            continue
        try:
            setattr(result, attribute, parse(data))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            result.warnings.append(
                ParseWarning(device, source, None, f"unexpected {getter} result: {exc!r}")
            )
    return result
