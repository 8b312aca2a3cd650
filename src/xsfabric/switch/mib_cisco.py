"""CISCO-VTP-MIB and CISCO-VLAN-MEMBERSHIP-MIB: Cisco's VLAN list, trunk state, allowed-VLAN
bitmaps and native VLAN, and access VLANs; Cisco's bridge tables are per VLAN (community
``@VLAN`` walks, read by :mod:`~xsfabric.switch.mib_bridge`)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from xsfabric.switch.mib_if import PortModeInfo
from xsfabric.switch.model import PortMode, Vlan, vlan_tuple
from xsfabric.switch.snmp_files import Walk
from xsfabric.switch.snmp_values import display_text, vlan_bitmap

if TYPE_CHECKING:
    from xsfabric.switch.snmp_device import SnmpDevice


VTP_STATE, VTP_NAME = "1.3.6.1.4.1.9.9.46.1.3.1.1.2", "1.3.6.1.4.1.9.9.46.1.3.1.1.4"
TRUNK = "1.3.6.1.4.1.9.9.46.1.6.1.1"
VM_VLAN = "1.3.6.1.4.1.9.9.68.1.2.2.1.2"


VTP_STATES = {1: "active", 2: "suspend", 3: "mtu-too-big-for-device", 4: "mtu-too-big-for-trunk"}


def has_cisco_vlans(walk: Walk) -> bool:
    return bool(walk.column(TRUNK + ".14") or walk.column(VM_VLAN))


def cisco_modes(dev: SnmpDevice) -> dict[int, PortModeInfo]:
    walk = dev.walk
    status = {i[0]: v.integer for i, v in walk.column(TRUNK + ".14").items() if len(i) == 1}
    native = {i[0]: v.integer for i, v in walk.column(TRUNK + ".5").items() if len(i) == 1}
    bitmaps: dict[int, set[int]] = defaultdict(set)
    for column, offset in ((4, 0), (17, 1024), (18, 2048), (19, 3072)):
        for index, value in walk.column(f"{TRUNK}.{column}").items():
            if len(index) == 1:
                bitmaps[index[0]] |= vlan_bitmap(value.octets, offset)
    access = {i[0]: v.integer for i, v in walk.column(VM_VLAN).items() if len(i) == 1}
    modes: dict[int, PortModeInfo] = {}
    for if_index in set(status) | set(access):
        if status.get(if_index) == 1:  # trunking
            allowed = vlan_tuple(v for v in bitmaps.get(if_index, set()) if 1 <= v <= 4094)
            modes[if_index] = (PortMode.TRUNK, None, native.get(if_index), allowed)
        elif if_index in access:
            modes[if_index] = (PortMode.ACCESS, access[if_index], None, None)
    return modes


def cisco_vlans(dev: SnmpDevice) -> list[Vlan] | None:
    """VLANs of vtpVlanTable; None when the device has none."""
    walk = dev.walk
    vtp_state = walk.column(VTP_STATE)
    if vtp_state:
        names = {i[-1]: display_text(v) for i, v in walk.column(VTP_NAME).items()}
        return [
            Vlan(i[-1], names.get(i[-1], ""), VTP_STATES.get(v.integer or 0))
            for i, v in sorted(vtp_state.items(), key=lambda kv: kv[0][-1])
        ]
    return None
