"""CLI collection with netmiko: send the platform's allowlisted ``show`` commands and store
each raw output as ``devices/<name>/<command>.txt``. Nothing is parsed here.

The inventory's platform may be any library's name: netutils maps it to the command set
(``cisco_xe`` and ``cisco_iosxe`` send the IOS set) and to netmiko's ``device_type``.
"""

from __future__ import annotations

import logging
import ssl
from typing import Any

from xsfabric.collect import CollectOptions, register_transport
from xsfabric.errors import CollectionError
from xsfabric.inventory import InventoryHost
from xsfabric.platforms import netmiko_device_type, template_platform
from xsfabric.snapshot import SnapshotWriter
from xsfabric.switch.allowlist import (
    CLI_COMMANDS,
    check_command,
    guarded,
    install_library_guards,
)

log = logging.getLogger(__name__)


def enable_secret(host: InventoryHost) -> str | None:
    """The enable secret: Nornir's ``connection_options.netmiko.extras.secret``, else
    ``data.enable_secret``, else the login password (the common lab and AAA case)."""
    netmiko_opts = host.connection_options.get("netmiko") or {}
    extras = netmiko_opts.get("extras") or {}
    secret = extras.get("secret") or host.data.get("enable_secret") or host.password
    return str(secret) if secret else None


def host_key_args(host: InventoryHost, options: CollectOptions) -> dict[str, Any]:
    """Verify the device's SSH host key (see :mod:`xsfabric.switch.hostkeys`) and return the
    netmiko options that make paramiko check it again on the real connection."""
    from xsfabric.switch.hostkeys import netmiko_host_key_args, verify_host_key

    known = verify_host_key(host, options.timeout, options.trust_on_first_use)
    return netmiko_host_key_args(known)


def tls_context(host: InventoryHost) -> ssl.SSLContext:
    """The TLS context of an HTTPS device API (eAPI, NX-API): verified against
    ``data.ca_file`` or the system's CAs, exactly as for XAPI."""
    from xsfabric.xapi.collect import ssl_context

    return ssl_context(host)


def netmiko_params(host: InventoryHost, platform: str, options: CollectOptions) -> dict[str, Any]:
    """netmiko's ConnectHandler arguments for ``host``. The SSH host key is verified here,
    before the arguments (and so the password) exist: every collector that connects through
    these (CLI, SAN switches, wipe checks) checks the key (:mod:`xsfabric.switch.hostkeys`),
    and the allowlist guard is in netmiko before it connects."""
    install_library_guards()
    return {**_netmiko_base(host, platform, options), **host_key_args(host, options)}


def _netmiko_base(host: InventoryHost, platform: str, options: CollectOptions) -> dict[str, Any]:
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
        raise CollectionError(
            host.name,
            "error",
            f"platform {platform!r} has no CLI command "
            f"set (known: {', '.join(sorted(CLI_COMMANDS))})",
        )
    if host.data.get("reuse") is True:  # issue 11: a reuse candidate's wipe evidence too
        from xsfabric.switch.wipe import EVIDENCE

        extra = [e.command for e in EVIDENCE.get(platform, ()) if e.command not in commands]
        commands = (*commands, *extra)
    for command in commands:  # refuse before connecting, not halfway through
        check_command(platform, command)
    failed: list[str] = []
    device_type = netmiko_device_type(host.platform or "")
    params = netmiko_params(host, device_type, options)  # an unknown or changed key: refused
    conn = ConnectHandler(**params)
    # the orchestrator closes the SSH client when the device's budget runs out
    client = conn.remote_conn_pre
    if client is not None:
        register_transport(client.close)
    try:
        send = guarded(platform, conn.send_command)
        if platform in ("cisco_ios", "arista_eos") and not conn.check_enable_mode():
            conn.enable()
        if platform == "cisco_nxos":  # an MDS the inventory calls a switch: FC commands only
            from xsfabric.san.collect import collect_if_mds

            mds_failed = collect_if_mds(host, writer, send, options)
            if mds_failed is not None:
                return mds_failed
        for index, command in enumerate(commands):
            try:
                output = send(command, read_timeout=options.timeout)
            except ReadTimeout as exc:
                # the rest of that output may still arrive and would be read as the next
                # command's: the channel is out of step, so this device stops here
                log.debug("Host %r: %r timed out: %s", host.name, command, exc)
                failed.append(f"{command}: timed out after {options.timeout:g} s")
                failed += [
                    f"{c}: not sent (channel out of step after a timeout)"
                    for c in commands[index + 1 :]
                ]
                break
            writer.write_device_output(host.name, command, str(output))
    finally:
        conn.disconnect()
    return failed
