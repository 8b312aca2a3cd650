"""Which saved command gives which table: command sets per device kind and platform, and the
lookup of a device folder's captures by the command they hold (exact, a known variant, or an
abbreviation as a CLI accepts it).

A device kind's command set is a subclass of :class:`CommandSet` (``SwitchCommands`` for
Ethernet switches); :data:`COMMAND_SETS` is keyed by kind, then by ntc-templates platform
name. A new kind (``fc-switch``, ``array``) adds its own subclass and a row here, and its table
builder in :data:`xsfabric.switch.cli_parse.CLI_BUILDERS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from xsfabric.kinds import DeviceKind
from xsfabric.snapshot import command_from_filename
from xsfabric.switch.cli_neighbors import JOIN_ALTERNATIVES


@dataclass(frozen=True, slots=True)
class CommandSet:
    """What every kind's CLI command set names: the command that identifies the device."""

    #: The device kind this set belongs to (a class constant of each subclass).
    kind: ClassVar[DeviceKind]
    version: str


@dataclass(frozen=True, slots=True)
class SwitchCommands(CommandSet):
    """Which stored command gives which table of an Ethernet switch."""

    kind: ClassVar[DeviceKind] = DeviceKind.SWITCH
    interfaces: str
    switchport: str
    lag: str
    vlans: str
    macs: str
    lldp: str
    #: MLAG / vPC state, where the platform has it: the peer link comes from it.
    peer_link: str | None = None
    #: Chassis inventory, where ``version`` lacks the serial number.
    hardware: str | None = None
    #: LLDP summary, where the detail output of older releases lacks the local port.
    lldp_summary: str | None = None


SWITCH_COMMANDS: dict[str, SwitchCommands] = {
    "cisco_ios": SwitchCommands(
        "show version",
        "show interfaces",
        "show interfaces switchport",
        "show etherchannel summary",
        "show vlan",
        "show mac address-table",
        "show lldp neighbors detail",
        lldp_summary="show lldp neighbors",
    ),
    "cisco_nxos": SwitchCommands(
        "show version",
        "show interface",
        "show interface switchport",
        "show port-channel summary",
        "show vlan",
        "show mac address-table",
        "show lldp neighbors detail",
        peer_link="show vpc",
    ),
    "arista_eos": SwitchCommands(
        "show version",
        "show interfaces status",
        "show interfaces switchport",
        "show port-channel summary",
        "show vlan",
        "show mac address-table",
        "show lldp neighbors detail",
        peer_link="show mlag",
    ),
    "juniper_junos": SwitchCommands(
        "show version",
        "show interfaces",
        "show ethernet-switching interfaces",
        "show lacp interfaces",
        "show vlans",
        "show ethernet-switching table",
        "show lldp neighbors detail",
        hardware="show chassis hardware",
    ),
}

#: Command sets per device kind, then per ntc-templates platform name
#: (:func:`xsfabric.platforms.template_platform`).
COMMAND_SETS: dict[DeviceKind, dict[str, CommandSet]] = {
    DeviceKind.SWITCH: dict(SWITCH_COMMANDS),
}


def command_set(kind: DeviceKind, platform: str) -> CommandSet | None:
    """The command set of ``platform`` for devices of ``kind``; None when there is none."""
    return COMMAND_SETS.get(kind, {}).get(platform)


#: What users save instead of the command xsfabric sends (older syntax, the ``brief`` or
#: ``dynamic`` forms). Abbreviations (``sh mac add``) are matched word by word on top of these.
ALTERNATIVE_COMMANDS: dict[str, tuple[str, ...]] = {
    "show mac address-table": (
        "show mac-address-table",
        "show mac address-table dynamic",
        "show mac-address-table dynamic",
    ),
    "show vlan": ("show vlan brief",),
    "show interfaces switchport": ("show interface switchport",),
    "show interface switchport": ("show interfaces switchport",),
    "show interface": ("show interfaces",),
    "show interfaces": ("show interface",),
    "show lldp neighbors detail": ("show lldp neighbor detail",),
    "show ethernet-switching table": ("show ethernet-switching table brief",),
    **JOIN_ALTERNATIVES,  # CDP, ARP, MLAG / vPC, interface status: switch/cli_neighbors.py
}


def abbreviates(saved: str, full: str) -> bool:
    """True when ``saved`` is ``full`` with words shortened, as a CLI accepts them.

    >>> abbreviates("sh mac address-table", "show mac address-table")
    True
    >>> abbreviates("sh int", "show interfaces status")
    False
    """
    saved_words, full_words = saved.lower().split(), full.lower().split()
    return len(saved_words) == len(full_words) and all(
        f.startswith(s) for s, f in zip(saved_words, full_words, strict=True)
    )


class Captures:
    """The ``<command>.txt`` files of one device folder, found by the command they hold."""

    def __init__(self, device_dir: Path) -> None:
        self.by_command = {
            command_from_filename(p.name).strip(): p for p in sorted(device_dir.glob("*.txt"))
        }

    def find(self, command: str) -> tuple[str, Path] | None:
        """The capture for ``command``: exact, then a known alternative, then an
        abbreviation of either. Returns the saved command and its file."""
        wanted = (command, *ALTERNATIVE_COMMANDS.get(command, ()))
        for candidate in wanted:
            if candidate in self.by_command:
                return candidate, self.by_command[candidate]
        for saved, path in self.by_command.items():
            if any(abbreviates(saved, candidate) for candidate in wanted):
                return saved, path
        return None
