"""JUNIPER-L2ALD-MIB: Juniper's FDB ids are not VLAN ids; they map through
``jnxL2aldVlanFdbId``, or are the table index shifted left 16 bits (what the FDB ids of ELS
switches are). The same table names the VLANs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xsfabric.switch.model import Vlan
from xsfabric.switch.snmp_files import Walk
from xsfabric.switch.snmp_values import display_text

if TYPE_CHECKING:
    from xsfabric.switch.snmp_device import SnmpDevice


L2ALD = "1.3.6.1.4.1.2636.3.48.1.3.1.1"


def juniper_fdb_vlans(walk: Walk, mapping: dict[int, int]) -> None:
    """Add Juniper's FDB id → VLAN tag pairs to ``mapping``: a stated jnxL2aldVlanFdbId
    overrides dot1qVlanFdbId; the shifted table index only fills a gap."""
    tags = {
        i[0]: v.integer
        for i, v in walk.column(L2ALD + ".3").items()
        if len(i) == 1 and v.integer is not None
    }
    fdb_ids = {
        i[0]: v.integer
        for i, v in walk.column(L2ALD + ".5").items()
        if len(i) == 1 and v.integer is not None
    }
    for l2ald_index, tag in tags.items():
        if l2ald_index in fdb_ids:
            mapping[fdb_ids[l2ald_index]] = tag
        else:
            mapping.setdefault(l2ald_index << 16, tag)  # ELS FDB ids: index in the high bits


def juniper_vlans(dev: SnmpDevice) -> list[Vlan] | None:
    """VLANs named by jnxL2aldVlanTable; None when the device has no such table."""
    walk = dev.walk
    l2ald_tags = walk.column(L2ALD + ".3")
    if l2ald_tags:
        names = {i[0]: display_text(v) for i, v in walk.column(L2ALD + ".2").items()}
        found = {
            v.integer: Vlan(v.integer, names.get(i[0], ""), "active")
            for i, v in l2ald_tags.items()
            if v.integer is not None
        }
        return [found[k] for k in sorted(found)]
    return None
