"""Lab spare switches for ``xsfabric wipe-check``: one reused without a proper wipe, one
freshly reset.

``spare-sw1`` (cisco_ios) still carries what a reuse must not: keys labelled with its old
hostname (``acc-sw1.corp.example.com``), a local user, VTP domain and revision, VLAN 100 in the
VLAN database and ``vlan.dat`` on flash, an SVI address on ``Vlan100`` and a leftover config
backup (``acc-sw1-confg.bak``). ``spare-sw2`` shows what a reset 2960-X shows. Both are raw-
capture device folders (``lab/data/spares``) the SSH lab serves like any lab switch.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from xsfabric.switch.model import (
    CollectionMethod,
    DeviceFacts,
    PortMode,
    SwitchFacts,
    SwitchPort,
    Vlan,
)

SPARES: dict[str, str] = {"spare-sw1": "cisco_ios", "spare-sw2": "cisco_ios"}
DIRTY, CLEAN = "spare-sw1", "spare-sw2"


def _truth(name: str) -> SwitchFacts:
    """What the rest of a spare looks like to the collection commands: two idle ports, VLAN 1,
    no neighbours, no MACs (a switch on a shelf, cabled to nothing)."""
    ports = [
        SwitchPort(
            name=f"GigabitEthernet1/0/{i}",
            short_name=f"Gi1/0/{i}",
            if_index=i,
            admin_up=True,
            oper_up=False,
            speed_mbps=1000,
            mode=PortMode.ACCESS,
            access_vlan=1,
        )
        for i in (1, 2)
    ]
    return SwitchFacts(
        device=name,
        method=CollectionMethod.CLI,
        facts=DeviceFacts(
            hostname=name,
            vendor="Cisco",
            model="WS-C2960X-48FPD-L",
            os_version="15.2(7)E4",
            serial="FOC1234X0AB",
        ),
        ports=ports,
        fdb=[],
        lldp=[],
        vlans=[Vlan(1, "default", "active")],
        cdp=[],
        arp=[],
        mlag=[],
    )


def write_spare_devices(folder: Path) -> list[str]:
    """Copy the spare switches into ``folder`` (one device folder each); their names. The
    wipe evidence comes from the data files; the other collection commands are rendered by
    the lab renderer for an idle switch, so a collection of a spare parses cleanly."""
    from xsfabric.lab.render_cli import render_cli
    from xsfabric.snapshot import command_filename

    source = resources.files("xsfabric.lab").joinpath("data", "spares")
    for name, platform in SPARES.items():
        target = folder / name
        target.mkdir(parents=True, exist_ok=True)
        for entry in source.joinpath(name).iterdir():
            with resources.as_file(entry) as path:
                shutil.copyfile(path, target / entry.name)
        for command, text in render_cli(_truth(name), platform).items():
            path = target / command_filename(command)
            if not path.exists():
                path.write_text(text)
    return list(SPARES)
