"""Array collection over SSH with netmiko: the platform's read-only listings, each stored as
``devices/<name>/<command>.txt``. Nothing is parsed here.

NetApp ONTAP is netmiko's ``netapp_cdot`` (its session preparation sends ``rows 0``, so no
pager interrupts a listing). Every command comes from the allowlist
(:data:`xsfabric.switch.allowlist.CLI_COMMANDS`) and is checked before the connection opens;
the connection's ``send_command`` is wrapped so nothing else can be sent through it.
"""

from __future__ import annotations

import logging

from xsfabric.collect import CollectOptions
from xsfabric.errors import CollectionError
from xsfabric.inventory import InventoryHost
from xsfabric.snapshot import DeviceStatus, SnapshotWriter
from xsfabric.switch.allowlist import (
    CLI_COMMANDS,
    XSFABRIC_PLATFORM_ATTR,
    check_command,
    guarded,
)

log = logging.getLogger(__name__)

#: Array platforms collected over SSH → the netmiko device type used. netmiko has no Purity or
#: 3PAR driver: its ``generic`` (terminal-server) type logs in and reads to the prompt without
#: session commands, which is all a read-only listing needs. Tested against the SSH lab only;
#: a listing cut short by a pager shows as a parse warning ("N total" / entry counts).
ARRAY_SSH_PLATFORMS: dict[str, str] = {
    "netapp_cdot": "netapp_cdot",
    "pure": "generic",
    "hp_3par": "generic",
}


def collect_array(host: InventoryHost, writer: SnapshotWriter, options: CollectOptions) -> None:
    """The ``array`` collector registered in :data:`xsfabric.collect.COLLECTORS`."""
    from netmiko import ConnectHandler
    from netmiko.exceptions import ReadTimeout

    from xsfabric.switch.cli_collect import netmiko_params
    from xsfabric.switch.collect import classify

    platform = host.platform or ""
    if platform not in ARRAY_SSH_PLATFORMS:
        raise CollectionError(
            host.name,
            DeviceStatus.ERROR,
            f"array platform {platform!r} is not collected over SSH (known: "
            f"{', '.join(sorted(ARRAY_SSH_PLATFORMS))}); import its captures",
        )
    commands = CLI_COMMANDS[platform]
    for command in commands:  # refuse before connecting, not halfway through
        check_command(platform, command)
    writer.write_device_platform(host.name, platform)
    failed: list[str] = []
    try:
        conn = ConnectHandler(**netmiko_params(host, ARRAY_SSH_PLATFORMS[platform], options))
    except Exception as exc:
        raise classify(host.name, "cli", exc) from exc
    setattr(conn, XSFABRIC_PLATFORM_ATTR, platform)
    try:
        send = guarded(platform, conn.send_command)
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
    if failed:
        writer.mark(host.name, DeviceStatus.PARTIAL, "; ".join(failed))
