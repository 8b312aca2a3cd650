"""Value normalization shared by the CLI and NAPALM parsers: VLAN lists, speeds, LLDP
capability letters and id subtypes, pseudo-ports of MAC tables, Junos logical units.

Each function takes the text as the device prints it and returns the project's vocabulary, or
None when the text says nothing usable (never a guess).
"""

from __future__ import annotations

import re

from netutils.vlan import vlanconfig_to_list

from xsfabric.switch.model import ALL_VLANS, vlan_tuple


def is_fdb_port(port: str) -> bool:
    """False for the CPU, supervisor and router pseudo-ports MAC tables list."""
    text = port.strip().lower()
    return bool(text) and not (
        text in ("cpu", "drop", "router", "switch")
        or text.startswith(("sup-", "router"))
        or text.endswith("(r)")
    )


def vlan_ranges(values: list[str] | str) -> tuple[int, ...] | None:
    """``["10", "20-22"]`` or ``"10,20-22"`` → ``(10, 20, 21, 22)`` (netutils reads the
    ranges); ``ALL`` → :data:`ALL_VLANS`; ``NONE`` → ``()``; text that is no VLAN list → None
    (not known)."""
    text = ",".join(values) if isinstance(values, list) else values
    text = text.strip().strip(",")
    if text.upper() == "ALL":
        return ALL_VLANS
    if text.upper() in ("", "NONE"):
        return ()
    if not re.fullmatch(r"\d+(?:-\d+)?(?:\s*,\s*\d+(?:-\d+)?)*", text):
        return None
    return vlan_tuple(v for v in vlanconfig_to_list(text.replace(" ", "")) if 1 <= v <= 4094)


def speed_from_bandwidth(text: str) -> int | None:
    """``"1000000 Kbit"`` → 1000 (Mb/s)."""
    match = re.match(r"(\d+)\s*(\w*)", text or "")
    if not match:
        return None
    value, unit = int(match.group(1)), match.group(2).lower()
    if unit.startswith("kb"):
        return value // 1000
    if unit.startswith("gb"):
        return value * 1000
    return value


CAPABILITIES = {
    "B": "bridge",
    "R": "router",
    "S": "station",
    "T": "telephone",
    "W": "wlan-access-point",
    "P": "repeater",
    "C": "docsis-cable-device",
    "O": "other",
}


def capabilities(text: str) -> tuple[str, ...]:
    words = [w.strip() for w in re.split(r"[,\s]+", text or "") if w.strip()]
    return tuple(sorted({CAPABILITIES.get(w.upper(), w.lower()) for w in words}))


#: LLDP id subtypes as the CLIs print them (``MAC address (4)``, ``Mac address``,
#: ``Locally assigned`` …) → the names the SNMP method gives (LLDP-MIB's enumerations).
SUBTYPES = {
    "mac address": "mac",
    "locally assigned": "local",
    "local": "local",
    "interface name": "interface-name",
    "interface alias": "interface-alias",
    "network address": "network-address",
    "chassis component": "chassis-component",
    "port component": "port-component",
    "agent circuit id": "agent-circuit-id",
}


def subtype(text: str) -> str | None:
    """``"MAC address (4)"`` → ``"mac"``; empty or unknown → None (not available)."""
    key = re.sub(r"\s*\(\d+\)\s*$", "", text or "").strip().lower()
    return SUBTYPES.get(key)


def unit_port(name: str) -> str:
    """Junos logical unit 0 → its physical port (``ge-0/0/1.0`` → ``ge-0/0/1``)."""
    name = name.strip()
    if name.endswith(".0") and name.startswith(("ge-", "xe-", "et-", "mge-", "ae")):
        return name.removesuffix(".0")
    return name
