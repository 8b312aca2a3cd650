"""SNMP captures → :class:`SwitchFacts`. Pure: reads snapshot files, never the network.

Input, in one device folder: ``snmpwalk.snmprec`` (snmpsim's ``OID|type|value``, as the
collector writes it; ``snmp.snmprec`` too) or ``snmpwalk.txt`` (net-snmp ``snmpwalk -On`` text
as a user saved it, with or without MIBs loaded), plus Cisco per-VLAN bridge walks
``snmpwalk@<vlan>.snmprec`` / ``.txt``.

What SNMP cannot give is declared, not guessed: the MLAG / vPC peer link is never known
(``is_peer_link`` stays ``None``); a port's mode comes from Cisco's trunk tables, or is inferred
from Q-BRIDGE egress / untagged PortLists and the PVID.

Real agents differ, and the parser follows what the recordings show; each MIB family has its
module, and this one only assembles the device:

* PortLists: the first bit of the first octet is bridge port 1. Juniper ELS writes them as
  comma-separated bridge port numbers instead. Anything else is a :class:`ParseWarning` naming
  device, file and line, and that VLAN's membership is left out.
* Juniper FDB ids are not VLAN ids: they map through JUNIPER-L2ALD-MIB (``jnxL2aldVlanFdbId``,
  or the table index shifted left 16 bits, which is what the FDB ids of ELS switches are).
* Arista port-channels sit at ifIndex 1000000+N and learn MACs like any bridge port.
* LLDP local port numbers need not be ifIndexes: they map through ``lldpLocPortTable``
  (port id / description → ifName, ifDescr, ifAlias), then ifIndex, then bridge port.

Modules: the file formats (:mod:`~xsfabric.switch.snmp_files`), value decoders
(:mod:`~xsfabric.switch.snmp_values`), the shared ifIndex / bridge-port indexes
(:mod:`~xsfabric.switch.snmp_device`), and one per MIB family: IF-MIB
(:mod:`~xsfabric.switch.mib_if`), BRIDGE / Q-BRIDGE (:mod:`~xsfabric.switch.mib_bridge`),
LLDP (:mod:`~xsfabric.switch.mib_lldp`),
Cisco (:mod:`~xsfabric.switch.mib_cisco`), Juniper (:mod:`~xsfabric.switch.mib_juniper`),
system and ENTITY (:mod:`~xsfabric.switch.mib_system`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from xsfabric.platforms import vendor_of
from xsfabric.switch.mib_bridge import fdb_table, qbridge_memberships, qbridge_modes, qbridge_vlans
from xsfabric.switch.mib_cdp import cdp_table
from xsfabric.switch.mib_cisco import cisco_modes, cisco_vlans, has_cisco_vlans
from xsfabric.switch.mib_if import if_ports
from xsfabric.switch.mib_ip import arp_table
from xsfabric.switch.mib_juniper import juniper_vlans
from xsfabric.switch.mib_lldp import lldp_neighbors
from xsfabric.switch.mib_system import system_facts
from xsfabric.switch.model import CollectionMethod, ParseWarning, SwitchFacts, SwitchPort, Vlan
from xsfabric.switch.snmp_device import SnmpDevice
from xsfabric.switch.snmp_files import Walk, read_capture
from xsfabric.switch.snmp_values import bits_octets, mac_text, portlist_bits, vlan_bitmap

#: Names tests and other branches imported from here before the split.
__all__ = [
    "bits_octets",
    "mac_text",
    "parse_snmp_device",
    "portlist_bits",
    "read_capture",
    "vlan_bitmap",
    "vlan_memberships",
    "warnings_text",
]


def parse_snmp_device(device_dir: Path, device: str) -> SwitchFacts:
    """Build the normalized facts of one device from its SNMP captures."""
    base_path = _base_capture(device_dir)
    if base_path is None:
        return SwitchFacts(
            device=device,
            method=CollectionMethod.SNMP,
            warnings=[
                ParseWarning(device, "snmpwalk.txt", None, "no SNMP capture in " + str(device_dir))
            ],
        )
    walk = read_capture(base_path)
    dev = SnmpDevice(device, walk)
    for line, message in walk.errors:
        dev.warn(base_path, line, message)
    vlan_walks = _vlan_captures(device_dir, dev)
    vendor = _vendor(walk)
    ports = _ports(dev, vendor) if dev.if_names else None
    return SwitchFacts(
        device=device,
        method=CollectionMethod.SNMP,
        facts=system_facts(dev, vendor),
        ports=ports,
        fdb=fdb_table(dev, vlan_walks),
        lldp=lldp_neighbors(dev),
        vlans=_vlans(dev),
        cdp=cdp_table(walk, dev.if_names, lambda line, text: dev.warn(base_path, line, text)),
        arp=arp_table(walk, dev.if_names),
        warnings=dev.warnings,
    )


#: The base walk's file names, in the order they are looked for.
BASE_CAPTURES = ("snmpwalk.snmprec", "snmpwalk.txt", "snmp.snmprec")


def has_snmp(device_dir: Path) -> bool:
    """True when the folder holds an SNMP capture (a per-VLAN walk alone counts: its parse
    then says the base walk is missing)."""
    return _base_capture(device_dir) is not None or any(device_dir.glob("snmpwalk@*"))


def _base_capture(device_dir: Path) -> Path | None:
    for name in BASE_CAPTURES:
        if (device_dir / name).is_file():
            return device_dir / name
    return None


def _vlan_captures(device_dir: Path, dev: SnmpDevice) -> dict[int, Walk]:
    walks: dict[int, Walk] = {}
    for path in sorted(device_dir.glob("snmpwalk@*")):
        match = re.fullmatch(r"snmpwalk@(\d+)\.(txt|snmprec)", path.name)
        if not match:
            dev.warn(path, None, "per-VLAN capture name is not snmpwalk@<vlan>.snmprec or .txt")
            continue
        walk = read_capture(path)
        for line, message in walk.errors:
            dev.warn(path, line, message)
        walks[int(match.group(1))] = walk
    return walks


def _vendor(walk: Walk) -> str:
    oid = walk.scalar("1.3.6.1.2.1.1.2.0")
    descr = walk.scalar("1.3.6.1.2.1.1.1.0")
    return vendor_of(None, oid.text if oid else None, descr.text if descr else None)


def _ports(dev: SnmpDevice, vendor: str) -> list[SwitchPort]:
    """Ports with their mode: Cisco's trunk tables where the device has them, else inferred
    from Q-BRIDGE PortLists and the PVID."""
    modes = cisco_modes(dev) if has_cisco_vlans(dev.walk) else qbridge_modes(dev, vendor)
    return if_ports(dev, modes)


def _vlans(dev: SnmpDevice) -> list[Vlan] | None:
    """VLANs from the first family that has them: Cisco VTP, Juniper L2ALD, Q-BRIDGE."""
    for family in (cisco_vlans, juniper_vlans, qbridge_vlans):
        found = family(dev)
        if found is not None:
            return found
    return None


def vlan_memberships(facts_dir: Path, device: str) -> set[tuple[int, int, bool]]:
    """(VLAN, bridge port, untagged) as Q-BRIDGE states them: what LibreNMS calls ports_vlans."""
    base_path = _base_capture(facts_dir)
    if base_path is None:
        return set()
    dev = SnmpDevice(device, read_capture(base_path))
    rows = set()
    for port, member in qbridge_memberships(dev, _vendor(dev.walk)).items():
        rows |= {(v, port, False) for v in member.tagged}
        rows |= {(v, port, True) for v in member.untagged}
    return rows


def warnings_text(warnings: Iterable[ParseWarning]) -> list[str]:
    """One line per warning, the way ``show`` and the audit print them."""
    return [
        f"{w.device}: {w.source}" + (f":{w.line}" if w.line else "") + f": {w.message}"
        for w in warnings
    ]
