"""SNMPv2-MIB system group and ENTITY-MIB: host name, vendor, model, OS version, serial of the
first chassis. The OS version is read from sysDescr by each vendor's pattern."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from xsfabric.platforms import VENDOR_NAMES
from xsfabric.switch.model import DeviceFacts
from xsfabric.switch.snmp_values import display_text

if TYPE_CHECKING:
    from xsfabric.switch.snmp_device import SnmpDevice


ENT_CLASS, ENT_SOFTWARE, ENT_SERIAL, ENT_MODEL = (
    "1.3.6.1.2.1.47.1.1.1.1.5",
    "1.3.6.1.2.1.47.1.1.1.1.10",
    "1.3.6.1.2.1.47.1.1.1.1.11",
    "1.3.6.1.2.1.47.1.1.1.1.13",
)


_VERSIONS = {
    "cisco": re.compile(r"Version ([^\s,]+)"),
    "juniper": re.compile(r"JUNOS ([^\s,\]]+)"),
    "arista": re.compile(r"EOS version ([^\s,]+)"),
}


def system_facts(dev: SnmpDevice, vendor: str) -> DeviceFacts | None:
    walk = dev.walk
    name = walk.scalar("1.3.6.1.2.1.1.5.0")
    descr = walk.scalar("1.3.6.1.2.1.1.1.0")
    if name is None and descr is None:
        return None
    model = serial = software = None
    classes = walk.column(ENT_CLASS)
    chassis = sorted(i for i, v in classes.items() if v.integer == 3)  # chassis(3)
    if chassis:
        first = chassis[0]
        model = display_text(walk.column(ENT_MODEL).get(first)) or None
        serial = display_text(walk.column(ENT_SERIAL).get(first)) or None
        software = display_text(walk.column(ENT_SOFTWARE).get(first)) or None
    version_re = _VERSIONS.get(vendor)
    match = version_re.search(display_text(descr)) if version_re else None
    return DeviceFacts(
        hostname=display_text(name) or dev.device,
        vendor=VENDOR_NAMES.get(vendor),
        model=model,
        os_version=match.group(1) if match else software,
        serial=serial,
    )
