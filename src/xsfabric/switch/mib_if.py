"""IF-MIB (ifTable, ifXTable, ifStackTable): interfaces, their state and speed, and LAG
membership. Arista port-channels sit at ifIndex 1000000+N; a LAG is ``ieee8023adLag`` or, where
ifType was not walked, a name that looks like one."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from xsfabric.names import short_interface
from xsfabric.switch.model import PortMode, SwitchPort
from xsfabric.switch.snmp_values import display_text

if TYPE_CHECKING:
    from xsfabric.switch.snmp_device import SnmpDevice


PortModeInfo = tuple[PortMode, int | None, int | None, tuple[int, ...] | None]


IF_DESCR, IF_TYPE, IF_PHYS = "1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.3", "1.3.6.1.2.1.2.2.1.6"
IF_ADMIN, IF_OPER = "1.3.6.1.2.1.2.2.1.7", "1.3.6.1.2.1.2.2.1.8"
IF_NAME, IF_HIGH_SPEED, IF_ALIAS = (
    "1.3.6.1.2.1.31.1.1.1.1",
    "1.3.6.1.2.1.31.1.1.1.15",
    "1.3.6.1.2.1.31.1.1.1.18",
)
IF_STACK = "1.3.6.1.2.1.31.1.2.1.3"


LAG_IF_TYPE = 161  # ieee8023adLag


def lag_parents(dev: SnmpDevice) -> dict[int, int]:
    """member ifIndex → LAG ifIndex, from ifStackStatus (higher.lower = active)."""
    members: dict[int, int] = {}
    for index, value in dev.walk.column(IF_STACK).items():
        if len(index) != 2 or 0 in index or value.integer != 1:
            continue
        higher, lower = index
        if dev.if_types.get(higher) == LAG_IF_TYPE or (
            higher not in dev.if_types and _looks_like_lag(dev.if_names.get(higher, ""))
        ):
            members[lower] = higher
    return members


def _looks_like_lag(name: str) -> bool:
    return bool(re.match(r"(?i)(port-channel|ae\d|bundle-ether|po\d|trk\d|lag)", name))


def if_ports(dev: SnmpDevice, modes: dict[int, PortModeInfo]) -> list[SwitchPort]:
    """One port per interface; ``modes`` (ifIndex → mode and VLANs) come from the Cisco or the
    Q-BRIDGE tables, whichever the device has."""
    walk = dev.walk
    admin = {i[0]: v.integer for i, v in walk.column(IF_ADMIN).items() if len(i) == 1}
    oper = {i[0]: v.integer for i, v in walk.column(IF_OPER).items() if len(i) == 1}
    speed = {i[0]: v.integer for i, v in walk.column(IF_HIGH_SPEED).items() if len(i) == 1}
    alias = {i[0]: display_text(v) for i, v in walk.column(IF_ALIAS).items() if len(i) == 1}
    lag_of = lag_parents(dev)
    lag_members: dict[int, list[str]] = defaultdict(list)
    for member, lag in sorted(lag_of.items()):
        if member in dev.if_names:
            lag_members[lag].append(dev.if_names[member])
    ports: list[SwitchPort] = []
    for if_index, name in sorted(dev.if_names.items()):
        mode, access, native, allowed = modes.get(if_index, (PortMode.UNKNOWN, None, None, None))
        lag_index = lag_of.get(if_index)
        ports.append(
            SwitchPort(
                name=name,
                short_name=short_interface(name),
                if_index=if_index,
                admin_up=None if admin.get(if_index) is None else admin[if_index] == 1,
                oper_up=None if oper.get(if_index) is None else oper[if_index] == 1,
                speed_mbps=speed.get(if_index),
                description=alias.get(if_index, ""),
                mode=mode,
                access_vlan=access,
                native_vlan=native,
                allowed_vlans=allowed,
                lag=dev.if_names.get(lag_index) if lag_index is not None else None,
                lag_members=tuple(lag_members.get(if_index, ())),
                is_peer_link=None,  # SNMP cannot tell an MLAG / vPC peer link
            )
        )
    return ports
