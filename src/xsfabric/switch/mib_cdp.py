"""CISCO-CDP-MIB over SNMP: CDP neighbours from ``cdpCacheTable`` (Cisco agents), as the
shared neighbour record with ``protocol="cdp"``.

The SNMP parser calls :func:`cdp_table`; the collector adds :data:`CDP_COLUMNS` and
:data:`CDP_GLOBAL_RUN` to its walk of a Cisco agent. CDP is ``[]`` only when the agent says CDP
runs (``cdpGlobalRun`` = true) and its cache is empty; otherwise no cache is "not available".
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from xsfabric.switch.cli_neighbors import cdp_neighbor
from xsfabric.switch.mib_ip import SnmpWalk, Warn, octet_text
from xsfabric.switch.model import LldpNeighbor

CDP_CACHE = "1.3.6.1.4.1.9.9.23.1.2.1.1"
#: cdpCacheAddressType, Address, DeviceId, DevicePort, Platform, Capabilities (the Version
#: column, several hundred bytes per neighbour, is not needed).
CDP_COLUMNS = tuple(f"{CDP_CACHE}.{c}" for c in (3, 4, 6, 7, 8, 9))
CDP_GLOBAL_RUN = "1.3.6.1.4.1.9.9.23.1.3.1"
#: cdpCacheCapabilities bits (CISCO-CDP-MIB, from the CDP specification) → LLDP names.
CDP_CAPABILITY_BITS = (
    (0x01, "router"),
    (0x02, "bridge"),
    (0x04, "bridge"),
    (0x08, "bridge"),
    (0x10, "station"),
    (0x40, "repeater"),
    (0x80, "telephone"),
)


def cdp_capability_names(octets: bytes) -> tuple[str, ...]:
    """cdpCacheCapabilities bits as the LLDP capability names the model uses.

    >>> cdp_capability_names(bytes.fromhex("00000029"))
    ('bridge', 'router')
    """
    bits = int.from_bytes(octets[-4:], "big") if octets else 0
    return tuple(sorted({name for bit, name in CDP_CAPABILITY_BITS if bits & bit}))


def cdp_table(walk: SnmpWalk, if_names: Mapping[int, str], warn: Warn) -> list[LldpNeighbor] | None:
    """cdpCacheTable (index ifIndex.deviceIndex) → neighbour records with ``protocol="cdp"``."""
    device_ids = walk.column(f"{CDP_CACHE}.6")
    if not device_ids:
        running = walk.column(CDP_GLOBAL_RUN).get((0,))
        return [] if running is not None and running.integer == 1 else None
    types, addresses = walk.column(f"{CDP_CACHE}.3"), walk.column(f"{CDP_CACHE}.4")
    ports, caps = walk.column(f"{CDP_CACHE}.7"), walk.column(f"{CDP_CACHE}.9")
    neighbors = []
    for index, device_id in sorted(device_ids.items()):
        if len(index) != 2:
            continue
        local = if_names.get(index[0])
        if local is None:
            warn(device_id.line, f"CDP neighbour on ifIndex {index[0]} that matches no interface")
            continue
        address = addresses.get(index)
        kind = types.get(index)
        management = None
        if address is not None and (kind is None or kind.integer == 1) and len(address.octets) == 4:
            management = str(ipaddress.IPv4Address(address.octets))
        cap = caps.get(index)
        neighbors.append(
            cdp_neighbor(
                local,
                octet_text(device_id),
                octet_text(ports.get(index)),
                management_address=management,
                capabilities=cdp_capability_names(cap.octets) if cap is not None else (),
            )
        )
    return sorted(neighbors, key=lambda n: (n.local_port, n.chassis_id, n.port_id))
