"""CLI collection with netmiko: send the platform's allowlisted ``show`` commands and store
each raw output as ``devices/<name>/<command>.txt``. Nothing is parsed here.

The inventory's platform may be any library's name: netutils maps it to the command set
(``cisco_xe`` and ``cisco_iosxe`` send the IOS set) and to netmiko's ``device_type``.
"""

from __future__ import annotations

import logging
from typing import Any

from xsfabric.collect import CollectOptions
from xsfabric.errors import CollectionError
from xsfabric.inventory import InventoryHost
from xsfabric.platforms import netmiko_device_type, template_platform
from xsfabric.snapshot import SnapshotWriter
from xsfabric.switch.allowlist import CLI_COMMANDS, check_command, guarded

log = logging.getLogger(__name__)


def enable_secret(host: InventoryHost) -> str | None:
    """The enable secret: Nornir's ``connection_options.netmiko.extras.secret``, else
    ``data.enable_secret``, else the login password (the common lab and AAA case)."""
    netmiko_opts = host.connection_options.get("netmiko") or {}
    extras = netmiko_opts.get("extras") or {}
    secret = extras.get("secret") or host.data.get("enable_secret") or host.password
    return str(secret) if secret else None


def netmiko_params(host: InventoryHost, platform: str, options: CollectOptions) -> dict[str, Any]:
    return {
        "device_type": platform,
        "host": host.hostname,
        "port": host.port or 22,
        "username": host.username or "",
        "password": host.password or "",
        "secret": enable_secret(host) or "",
        "conn_timeout": options.timeout,
        "auth_timeout": options.timeout,
        "banner_timeout": options.timeout,
        "read_timeout_override": options.timeout,
        "allow_agent": False,
        "use_keys": False,
        "ssh_config_file": None,
    }


def collect_cli(host: InventoryHost, writer: SnapshotWriter, options: CollectOptions) -> list[str]:
    """Collect the CLI command set of ``host.platform``; returns the commands that failed.

    Connection failures propagate (the orchestrator maps them to a device status); a command
    that fails after connecting is reported back so the device can be marked ``partial``.
    """
    from netmiko import ConnectHandler
    from netmiko.exceptions import ReadTimeout

    platform = template_platform(host.platform or "")
    commands = CLI_COMMANDS.get(platform)
    if commands is None:
        raise CollectionError(host.name, "error", f"platform {platform!r} has no CLI command "
                              f"set (known: {', '.join(sorted(CLI_COMMANDS))})")
    if host.data.get("reuse") is True:  # issue 11: a reuse candidate's wipe evidence too
        from xsfabric.switch.wipe import EVIDENCE

        extra = [e.command for e in EVIDENCE.get(platform, ()) if e.command not in commands]
        commands = (*commands, *extra)
    for command in commands:  # refuse before connecting, not halfway through
        check_command(platform, command)
    failed: list[str] = []
    device_type = netmiko_device_type(host.platform or "")
    conn = ConnectHandler(**netmiko_params(host, device_type, options))
    try:
        send = guarded(platform, conn.send_command)
        if platform in ("cisco_ios", "arista_eos") and not conn.check_enable_mode():
            conn.enable()
        for command in commands:
            try:
                output = send(command, read_timeout=options.timeout)
            except ReadTimeout as exc:
                log.debug("Host %r: %r timed out: %s", host.name, command, exc)
                failed.append(f"{command}: timed out")
                continue
            writer.write_device_output(host.name, command, str(output))
    finally:
        conn.disconnect()
    return failed
