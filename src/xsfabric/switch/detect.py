"""Platform detection: which platform's command set and templates read a device folder.

The folder's ``platform`` file wins (any library's spelling, mapped through netutils'
``lib_mapper`` by :func:`xsfabric.platforms.template_platform`); without it, the saved
``show version`` is matched against known signatures.
"""

from __future__ import annotations

import re
from pathlib import Path

from xsfabric.platforms import template_platform
from xsfabric.switch.commands import Captures

#: ``show version`` signatures, for captures imported without a ``platform`` file.
VERSION_SIGNATURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cisco_nxos", re.compile(r"Cisco Nexus Operating System|NX-OS", re.I)),
    (
        "cisco_ios",
        re.compile(
            r"Cisco IOS(?: XE)? Software|IOS \(tm\)|Cisco Internetwork "
            r"Operating System",
            re.I,
        ),
    ),
    ("arista_eos", re.compile(r"^Arista |Software image version:", re.M)),
    ("juniper_junos", re.compile(r"^(?:JUNOS|Junos:) ", re.M)),
)


def read_platform(device_dir: Path) -> str | None:
    """The device's ntc-templates platform: its ``platform`` file (any library's name, mapped
    by netutils), else what its saved ``show version`` says."""
    path = device_dir / "platform"
    if path.is_file():
        name = path.read_text().strip().lower()
        if name:
            return template_platform(name)
    found = Captures(device_dir).find("show version")
    if found is not None:
        text = found[1].read_text(errors="replace")
        for platform, signature in VERSION_SIGNATURES:
            if signature.search(text):
                return platform
    return None
