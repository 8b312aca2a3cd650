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

SPARES: dict[str, str] = {"spare-sw1": "cisco_ios", "spare-sw2": "cisco_ios"}
DIRTY, CLEAN = "spare-sw1", "spare-sw2"


def write_spare_devices(folder: Path) -> list[str]:
    """Copy the spare switches into ``folder`` (one device folder each); their names."""
    source = resources.files("xsfabric.lab").joinpath("data", "spares")
    for name in SPARES:
        target = folder / name
        target.mkdir(parents=True, exist_ok=True)
        for entry in source.joinpath(name).iterdir():
            with resources.as_file(entry) as path:
                shutil.copyfile(path, target / entry.name)
    return list(SPARES)
