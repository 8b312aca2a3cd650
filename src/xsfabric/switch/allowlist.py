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
        # the cabling join's tables (switch/cli_neighbors.py)
        "show cdp neighbors detail",
        "show ip arp",
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
        "show cdp neighbors detail",
        "show ip arp",
        "show vpc peer-keepalive",  # the vPC peer's address
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
        "show mlag interfaces",
        "show mlag detail",  # show mlag and the role
        "show ip arp",
        "show interfaces description",  # status cuts descriptions to its Name column
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
        "show arp no-resolve",
    ),
}

# Storage arrays (kind ``array``, xsfabric.san.array_collect): read-only listings only.
CLI_COMMANDS["netapp_cdot"] = (
    "lun show -fields path,serial,ostype",
    "lun mapping show",
    "igroup show -instance",
    "portset show",
    "volume show -fields junction-path,policy",
    "vserver export-policy rule show -instance",
    "vserver iscsi security show",
    "network interface show",
    "network interface show -fields data-protocol",
)
CLI_COMMANDS["pure"] = (
    "purevol list",
    "purehost list",
    "purehost list --connect",
    "purehgroup list",
    "purehost list --chap",
)
CLI_COMMANDS["hp_3par"] = (
    "showvv -d",
    "showhost -d",
    "showhost -chap",
    "showvlun -a",
    "showvlun -t",
)

NAPALM_COMMANDS: dict[str, frozenset[str]] = {
    "cisco_ios": frozenset(
        {
            "show version",
            "show hosts",
            "show ip interface brief",
            "show interfaces",
            "show mac-address-table",
            "show mac address-table",
            "show lldp neighbors detail",
            "show lldp neighbors",
            "show vlan all-ports",
            "show vlan brief",
            "show running-config",
            "show arp | exclude Incomplete",  # get_arp_table
        }
    ),
    "cisco_nxos": frozenset(
        {
            "show version",
            "show hosts",
            "show interface status",
            "show hostname",
            "show inventory",
            "show inventory | json",
            "show interface",
            "show mac address-table",
            "show lldp neighbors detail",
            "show vlan brief | json",
            "show running-config",
            "show ip arp vrf all | exc INCOMPLETE",  # get_arp_table
        }
    ),
}

#: What NAPALM eos sends over eAPI for the getters xsfabric calls (read from the driver:
#: ``open`` reads ``show version``; ``get_config(sanitized=True)`` the sanitized running
#: configuration). Over ``transport: ssh`` the driver appends `` | json`` to each: those are
#: not listed, so that transport is refused command by command.
NAPALM_COMMANDS["arista_eos"] = frozenset(
    {
        "show version",
        "show hostname",
        "show interfaces",
        "show mac address-table",
        "show lldp neighbors detail",
        "show lldp neighbors",
        "show vlan",
        "show running-config sanitized",
        "show running-config",
    }
)

#: What ``xsfabric wipe-check`` sends (its evidence set, :data:`xsfabric.switch.wipe.EVIDENCE`).
WIPE_COMMANDS: dict[str, frozenset[str]] = {
    "cisco_ios": frozenset(
        {
            "show version",
            "show running-config",
            "show startup-config",
            "show vlan brief",
            "show vtp status",
            "show running-config | section username",
            "show snmp user",
            "show ip interface brief",
            "show ip route static",
            "show crypto key mypubkey rsa",
            "dir flash:",
        }
    ),
    "cisco_nxos": frozenset(
        {
            "show version",
            "show running-config",
            "show startup-config",
            "show vlan brief",
            "show user-account",
            "show snmp user",
            "show ip interface brief vrf all",
            "show vpc",
            "show ip route static",
            "show ssh key",
            "dir bootflash:",
            "show boot",
        }
    ),
    "arista_eos": frozenset(
        {
            "show version",
            "show running-config",
            "show startup-config",
            "show vlan brief",
            "show running-config section username",
            "show snmp user",
            "show ip interface brief",
            "show mlag",
            "dir flash:",
            "dir flash:/schedule/tech-support",
            "show boot-config",
            "show ip route static",
        }
    ),
    "juniper_junos": frozenset(
        {
            "show version",
            "show configuration",
            "show vlans",
            "show interfaces terse",
            "show route protocol static",
            "file list /config",
            "file list /var/tmp",
        }
    ),
}

SESSION_COMMANDS: dict[str, frozenset[str]] = {
    "cisco_ios": frozenset({"terminal length 0", "terminal width 511", "enable", "exit"}),
    "cisco_nxos": frozenset({"terminal length 0", "terminal width 511", "exit"}),
    "arista_eos": frozenset({"terminal length 0", "terminal width 511", "enable", "exit"}),
    "juniper_junos": frozenset(
        {
            "set cli screen-width 511",
            "set cli complete-on-space off",
            "set cli screen-length 0",
            "exit",
        }
    ),
}

# netmiko's netapp_cdot session preparation sends ``rows 0`` (no pager); ``exit`` on close.
SESSION_COMMANDS["netapp_cdot"] = frozenset({"rows 0", "exit"})
#: What the FC switch collector (``san/collect.py``) sends: zoning, name server, fabric. Kept
#: apart from :data:`CLI_COMMANDS` so that an Ethernet Nexus is never asked MDS commands.
FC_CLI_COMMANDS: dict[str, tuple[str, ...]] = {
    "brocade_fos": (
        "version",
        "switchshow",
        "fabricshow",
        "cfgshow",
        "cfgactvshow",
        "alishow",
        "zoneshow --peerzone all",
        "defzone --show",
        "nsshow",
        "nscamshow",
    ),
    "cisco_nxos": (
        "show version",
        "show zone status",
        "show zoneset active",
        "show zoneset",
        "show zone",
        "show fcalias",
        "show device-alias database",
        "show device-alias status",
        "show flogi database",
        "show fcns database",
    ),
}
#: netmiko brocade_fos sends no pager or width command (NOTES.md); only ``exit`` on close.
FC_SESSION_COMMANDS: dict[str, frozenset[str]] = {"brocade_fos": frozenset({"exit"})}

#: Words that mark a command as changing something; none may appear in the allowlist.
_WRITE_WORDS = re.compile(
    r"^(conf|configure|copy|write|wr|delete|erase|reload|clear|debug|request|commit|"
    r"rollback|install|format|no|set(?! cli (screen-width|complete-on-space|screen-length)))\b"
)


class CommandRefusedError(XsfabricError):
    """A collector tried to send a command outside the read-only allowlist."""

    def __init__(self, platform: str, command: str, reason: str | None = None) -> None:
        self.platform = platform
        self.command = command
        super().__init__(
            reason or f"{platform}: refusing to send {command!r}: not in the read-only allowlist"
        )


def command_platform(platform: str) -> str:
    """The command set a platform name uses (netutils' mapping, see
    :func:`xsfabric.platforms.template_platform`): IOS-XE is IOS for every show command
    xsfabric sends.

    >>> command_platform("cisco_xe"), command_platform("cisco_nxos_ssh")
    ('cisco_ios', 'cisco_nxos')
    """
    from xsfabric.platforms import template_platform

    return template_platform(platform)


def allowed_commands(platform: str) -> frozenset[str]:
    platform = command_platform(platform)
    return (
        frozenset(CLI_COMMANDS.get(platform, ()))
        | NAPALM_COMMANDS.get(platform, frozenset())
        | WIPE_COMMANDS.get(platform, frozenset())
        | SESSION_COMMANDS.get(platform, frozenset())
        | frozenset(FC_CLI_COMMANDS.get(platform, ()))
        | FC_SESSION_COMMANDS.get(platform, frozenset())
    )


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


#: Brocade FOS commands that only read: ``*show`` verbs, ``version``, ``defzone --show``.
_FOS_READ_ONLY = re.compile(r"^(\w*show(\s+--peerzone\s+all)?|version|defzone --show|exit)$")


#: Attribute a collector sets on a netmiko connection whose ``device_type`` is not the
#: platform whose allowlist applies (arrays driven as ``generic``).
XSFABRIC_PLATFORM_ATTR = "xsfabric_platform"


def _refuse(what: str) -> Callable[..., Any]:
    def refused(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise CommandRefusedError(
            str(getattr(self, "device_type", "") or "device"),
            f"{what} (configuration methods are never used)",
        )

    return refused


def _guard_method(
    cls: Any, name: str, platform_of: Callable[[Any], str], many: bool = False
) -> None:
    original = getattr(cls, name, None)
    if original is None or getattr(original, "_xsfabric_guard", False):
        return

    def wrapper(self: Any, commands: Any, *args: Any, **kwargs: Any) -> Any:
        platform = platform_of(self)
        items = [commands] if isinstance(commands, str) or not many else list(commands)
        for command in items:
            text = command.get("cmd", "") if isinstance(command, dict) else str(command)
            check_command(platform, text)
        return original(self, commands, *args, **kwargs)

    wrapper._xsfabric_guard = True  # type: ignore[attr-defined]
    setattr(cls, name, wrapper)


#: Methods of the transport libraries that change a device; replaced by a refusal.
_NETMIKO_WRITE_METHODS = (
    "send_config_set",
    "send_config_from_file",
    "config_mode",
    "save_config",
    "commit",
    "send_multiline_timing",
)
_installed: list[bool] = []


def install_library_guards() -> None:
    """Put the allowlist inside the transport libraries themselves, so that every driver
    (xsfabric's CLI collector, NAPALM ios / nxos_ssh / eos over SSH, which drive netmiko;
    NAPALM eos over eAPI, which drives pyeapi; NAPALM nxos over NX-API) checks each command
    before it is sent, whatever the transport, and the configuration methods refuse. Drivers
    that cannot be guarded this way (junos: NETCONF RPCs) are refused by the NAPALM collector
    (:data:`GUARDED_NAPALM_DRIVERS`). Idempotent."""
    if _installed:
        return
    from netmiko.base_connection import BaseConnection

    def netmiko_platform(conn: Any) -> str:
        # a device driven through a generic netmiko type (Pure, 3PAR as "generic") carries
        # its real platform, set by the collector, so its own allowlist applies
        tagged = getattr(conn, XSFABRIC_PLATFORM_ATTR, None)
        return command_platform(str(tagged or getattr(conn, "device_type", "") or ""))

    for name in ("send_command", "send_command_timing", "send_command_expect"):
        _guard_method(BaseConnection, name, netmiko_platform)
    _guard_method(BaseConnection, "send_multiline", netmiko_platform, many=True)
    for name in _NETMIKO_WRITE_METHODS:
        if hasattr(BaseConnection, name):
            setattr(BaseConnection, name, _refuse(name))
    try:
        from pyeapi.client import Node
    except ImportError:  # pragma: no cover - pyeapi comes with napalm
        pass
    else:
        _guard_method(Node, "run_commands", lambda _node: "arista_eos", many=True)
        _guard_method(Node, "enable", lambda _node: "arista_eos", many=True)
        for name in ("config", "configure_session", "section"):
            setattr(Node, name, _refuse(name))
    try:
        from napalm.nxapi_plumbing.device import Device as NxapiDevice
    except ImportError:  # pragma: no cover
        pass
    else:
        _guard_method(NxapiDevice, "show", lambda _dev: "cisco_nxos")
        _guard_method(NxapiDevice, "show_list", lambda _dev: "cisco_nxos", many=True)
        for name in ("config", "config_list", "save", "rollback", "checkpoint"):
            setattr(NxapiDevice, name, _refuse(name))
    _installed.append(True)


#: NAPALM drivers whose every command passes the allowlist (see
#: :func:`install_library_guards`); ``mock`` replays recorded results and sends nothing.
GUARDED_NAPALM_DRIVERS = frozenset({"ios", "nxos_ssh", "nxos", "eos", "mock"})


def check_napalm_driver(driver: str) -> None:
    """Refuse a NAPALM driver whose commands the allowlist cannot see."""
    if driver not in GUARDED_NAPALM_DRIVERS:
        raise CommandRefusedError(
            driver,
            "",
            f"refusing NAPALM driver {driver!r}: its requests cannot be checked "
            "against the read-only allowlist (guarded drivers: "
            f"{', '.join(sorted(GUARDED_NAPALM_DRIVERS))}); collect it with the cli method",
        )


def _assert_read_only() -> None:
    for platform in (
        set(CLI_COMMANDS)
        | set(NAPALM_COMMANDS)
        | set(SESSION_COMMANDS)
        | set(WIPE_COMMANDS)
        | set(FC_CLI_COMMANDS)
    ):
        for command in allowed_commands(platform):
            if _WRITE_WORDS.match(command):
                raise AssertionError(f"{platform}: allowlist holds a write command {command!r}")
            if platform == "brocade_fos" and not _FOS_READ_ONLY.match(command):
                # FOS verbs are one word (cfgenable, zonecreate, portdisable): only *show
                raise AssertionError(f"{platform}: allowlist holds a write command {command!r}")


_assert_read_only()
