"""The read-only command allowlist: the only commands xsfabric ever sends to a switch.

Three groups per platform, all data:

* :data:`CLI_COMMANDS` — what the CLI method collects (stored as ``<command>.txt``);
* :data:`NAPALM_COMMANDS` — what NAPALM's SSH drivers send for the getters xsfabric calls
  (read from the drivers' source; NAPALM ios retries ``show mac-address-table`` as
  ``show mac address-table``, and reads ``show lldp neighbors`` when the detail lacks local
  ports);
* :data:`SESSION_COMMANDS` — what netmiko sends by itself: pager and width settings,
  ``enable``, ``exit``.

Collectors call :func:`check_command` before sending anything; a command outside the list
raises :class:`CommandRefusedError` and is never written to the device. Nothing here may ever
configure or write: :func:`_assert_read_only` checks that at import time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from xsfabric.errors import XsfabricError

CLI_COMMANDS: dict[str, tuple[str, ...]] = {
    "cisco_ios": (
        "show version",
        "show interfaces",
        "show interfaces switchport",
        "show etherchannel summary",
        "show vlan",
        "show mac address-table",
        "show lldp neighbors detail",
        "show lldp neighbors",
        "show running-config",
    ),
    "cisco_nxos": (
        "show version",
        "show interface",
        "show interface switchport",
        "show port-channel summary",
        "show vlan",
        "show mac address-table",
        "show lldp neighbors detail",
        "show vpc",
        "show running-config",
    ),
    "arista_eos": (
        "show version",
        "show interfaces status",
        "show interfaces switchport",
        "show port-channel summary",
        "show vlan",
        "show mac address-table",
        "show lldp neighbors detail",
        "show mlag",
        "show running-config",
    ),
    "juniper_junos": (
        "show version",
        "show chassis hardware",
        "show interfaces",
        "show ethernet-switching interfaces",
        "show lacp interfaces",
        "show vlans",
        "show ethernet-switching table",
        "show lldp neighbors detail",
        "show configuration",
    ),
}

NAPALM_COMMANDS: dict[str, frozenset[str]] = {
    "cisco_ios": frozenset({
        "show version", "show hosts", "show ip interface brief", "show interfaces",
        "show mac-address-table", "show mac address-table", "show lldp neighbors detail",
        "show lldp neighbors", "show vlan all-ports", "show vlan brief",
        "show running-config",
    }),
    "cisco_nxos": frozenset({
        "show version", "show hosts", "show interface status", "show hostname",
        "show inventory", "show inventory | json", "show interface", "show mac address-table",
        "show lldp neighbors detail", "show vlan brief | json", "show running-config",
    }),
}

#: What ``xsfabric wipe-check`` sends (its evidence set, :data:`xsfabric.switch.wipe.EVIDENCE`).
WIPE_COMMANDS: dict[str, frozenset[str]] = {
    "cisco_ios": frozenset({
        "show version", "show running-config", "show startup-config", "show vlan brief",
        "show vtp status", "show running-config | section username", "show snmp user",
        "show ip interface brief", "show ip route static", "show crypto key mypubkey rsa",
        "dir flash:",
    }),
    "cisco_nxos": frozenset({
        "show version", "show running-config", "show startup-config", "show vlan brief",
        "show user-account", "show snmp user", "show ip interface brief vrf all", "show vpc",
        "show ip route static",
        "show ssh key", "dir bootflash:", "show boot",
    }),
    "arista_eos": frozenset({
        "show version", "show running-config", "show startup-config", "show vlan brief",
        "show running-config section username", "show snmp user", "show ip interface brief",
        "show mlag", "dir flash:", "dir flash:/schedule/tech-support", "show boot-config",
        "show ip route static",
    }),
    "juniper_junos": frozenset({
        "show version", "show configuration", "show vlans", "show interfaces terse",
        "show route protocol static", "file list /config", "file list /var/tmp",
    }),
}

SESSION_COMMANDS: dict[str, frozenset[str]] = {
    "cisco_ios": frozenset({"terminal length 0", "terminal width 511", "enable", "exit"}),
    "cisco_nxos": frozenset({"terminal length 0", "terminal width 511", "exit"}),
    "arista_eos": frozenset({"terminal length 0", "terminal width 511", "enable", "exit"}),
    "juniper_junos": frozenset({"set cli screen-width 511", "set cli complete-on-space off",
                                "set cli screen-length 0", "exit"}),
}

#: Words that mark a command as changing something; none may appear in the allowlist.
_WRITE_WORDS = re.compile(
    r"^(conf|configure|copy|write|wr|delete|erase|reload|clear|debug|request|commit|"
    r"rollback|install|format|no|set(?! cli (screen-width|complete-on-space|screen-length)))\b"
)


class CommandRefusedError(XsfabricError):
    """A collector tried to send a command outside the read-only allowlist."""

    def __init__(self, platform: str, command: str) -> None:
        self.platform = platform
        self.command = command
        super().__init__(f"{platform}: refusing to send {command!r}: not in the read-only "
                         "allowlist")


def allowed_commands(platform: str) -> frozenset[str]:
    return (frozenset(CLI_COMMANDS.get(platform, ()))
            | NAPALM_COMMANDS.get(platform, frozenset())
            | WIPE_COMMANDS.get(platform, frozenset())
            | SESSION_COMMANDS.get(platform, frozenset()))


def is_allowed(platform: str, command: str) -> bool:
    return " ".join(command.split()) in allowed_commands(platform)


def check_command(platform: str, command: str) -> None:
    """Raise :class:`CommandRefusedError` unless ``command`` is allowlisted for ``platform``."""
    if not is_allowed(platform, command):
        raise CommandRefusedError(platform, command)


F = TypeVar("F", bound=Callable[..., Any])


def guarded(platform: str, send: F) -> F:
    """Wrap a ``send_command``-like callable so that it refuses non-allowlisted commands.

    NAPALM's drivers call their netmiko connection's ``send_command`` themselves; wrapping it
    keeps the allowlist in force for commands xsfabric does not write itself.
    """

    def wrapper(command_string: str, *args: Any, **kwargs: Any) -> Any:
        check_command(platform, command_string)
        return send(command_string, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _assert_read_only() -> None:
    for platform in (set(CLI_COMMANDS) | set(NAPALM_COMMANDS) | set(SESSION_COMMANDS)
                     | set(WIPE_COMMANDS)):
        for command in allowed_commands(platform):
            if _WRITE_WORDS.match(command):
                raise AssertionError(f"{platform}: allowlist holds a write command {command!r}")


_assert_read_only()
