"""LLDP-MIB (v1, IEEE 802.1AB-2005) and LLDP-V2-MIB (802.1AB-2009): neighbours.

LLDP local port numbers need not be ifIndexes: they map through ``lldpLocPortTable`` (port id /
description → ifName, ifDescr, ifAlias), then ifIndex, then bridge port.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from xsfabric.names import canonical_interface
from xsfabric.switch.mib_if import IF_ALIAS, IF_DESCR, IF_NAME, IF_PHYS
from xsfabric.switch.model import LldpNeighbor
from xsfabric.switch.snmp_files import Oid, Value, Walk
from xsfabric.switch.snmp_values import (
    bits_octets,
    display_text,
    id_text,
    inet_address,
    mac_text,
    portlist_bits,
)

if TYPE_CHECKING:
    from xsfabric.switch.snmp_device import SnmpDevice


LLDP_LOC_PORT = "1.0.8802.1.1.2.1.3.7.1"
LLDP_REM = "1.0.8802.1.1.2.1.4.1.1"
LLDP_REM_MAN = "1.0.8802.1.1.2.1.4.2.1.3"
LLDP_V2_REM = "1.3.111.2.802.1.1.13.1.4.1.1"
LLDP_V2_REM_MAN = "1.3.111.2.802.1.1.13.1.4.2.1.3"


CHASSIS_SUBTYPES = {
    1: "chassis-component",
    2: "interface-alias",
    3: "port-component",
    4: "mac",
    5: "network-address",
    6: "interface-name",
    7: "local",
}
PORT_SUBTYPES = {
    1: "interface-alias",
    2: "port-component",
    3: "mac",
    4: "network-address",
    5: "interface-name",
    6: "agent-circuit-id",
    7: "local",
}
CAPABILITIES = (
    "other",
    "repeater",
    "bridge",
    "wlan-access-point",
    "router",
    "telephone",
    "docsis-cable-device",
    "station",
)


def _local_ports(dev: SnmpDevice) -> dict[int, str]:
    """lldpRemLocalPortNum → canonical interface name."""
    walk = dev.walk
    by_name: dict[str, int] = {}
    for if_index, name in dev.if_names.items():
        by_name.setdefault(name.lower(), if_index)
    for column in (IF_DESCR, IF_NAME, IF_ALIAS):
        for index, value in walk.column(column).items():
            text = display_text(value)
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
        for text in (display_text(value), display_text(descs.get(index))):
            if text:
                candidates.append(by_name.get(text.lower()))
                candidates.append(by_name.get(canonical_interface(text).lower()))
        found = next((c for c in candidates if c is not None), None)
        if found is not None and found in dev.if_names:
            result[port_num] = dev.if_names[found]
    return result


def _local_port_name(dev: SnmpDevice, mapped: dict[int, str], port_num: int) -> str | None:
    return mapped.get(port_num) or dev.if_names.get(port_num) or dev.port_of_bridge(port_num)


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
        octets = bytes(rest[2 : 2 + length]) if len(rest) == 2 + length else bytes(rest[1:])
        address = inet_address(family, octets)
        if address:
            found[key].append(address)
    return {k: sorted(v, key=lambda a: (":" in a, a))[0] for k, v in found.items()}


def lldp_neighbors(dev: SnmpDevice) -> list[LldpNeighbor] | None:
    walk = dev.walk
    v1 = _lldp_table(
        dev,
        walk.column(LLDP_REM + ".5"),
        LLDP_REM,
        4,
        _man_addresses(walk, LLDP_REM_MAN, 3),
        v2=False,
    )
    v2 = _lldp_table(
        dev,
        walk.column(LLDP_V2_REM + ".6"),
        LLDP_V2_REM,
        5,
        _man_addresses(walk, LLDP_V2_REM_MAN, 4),
        v2=True,
    )
    if v1 is None and v2 is None:
        loc = walk.column(LLDP_LOC_PORT + ".3") or walk.column("1.3.111.2.802.1.1.13.1.3.7")
        return [] if loc else None
    neighbours = {(n.local_port, n.chassis_id, n.port_id): n for n in (v2 or []) + (v1 or [])}
    return sorted(neighbours.values(), key=lambda n: (n.local_port, n.chassis_id, n.port_id))


def _lldp_table(
    dev: SnmpDevice,
    chassis_ids: dict[Oid, Value],
    table: str,
    first: int,
    addresses: dict[Oid, str],
    *,
    v2: bool,
) -> list[LldpNeighbor] | None:
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
            dev.warn(
                walk.path,
                chassis.line,
                f"LLDP neighbour on local port {port_num} that matches no interface",
            )
            continue
        c_sub = chassis_sub[index].integer if index in chassis_sub else None
        p_sub = port_sub[index].integer if index in port_sub else None
        port_id = port_ids.get(index)
        key_len = 4 if v2 else 3
        result.append(
            LldpNeighbor(
                local_port=local,
                chassis_id=id_text(c_sub, chassis, 4, 5),
                chassis_id_subtype=CHASSIS_SUBTYPES.get(c_sub or 0),
                port_id=id_text(p_sub, port_id, 3, 4) if port_id is not None else "",
                port_id_subtype=PORT_SUBTYPES.get(p_sub or 0),
                port_description=display_text(port_desc.get(index)),
                system_name=display_text(sys_name.get(index)),
                management_address=addresses.get(index[:key_len]),
                capabilities=_capabilities(caps.get(index)),
            )
        )
    return result
