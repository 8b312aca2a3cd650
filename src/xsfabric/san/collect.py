"""FC switch collection over SSH with netmiko: the platform's read-only FC command set
(:data:`~xsfabric.switch.allowlist.FC_CLI_COMMANDS`), each raw output stored as
``devices/<name>/<command>.txt``. Nothing is parsed here.

Brocade FOS is ``brocade_fos``; a Cisco MDS is driven as ``cisco_nxos`` (netmiko has no MDS
type; the inventory may say ``cisco_mds``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from xsfabric.collect import CollectOptions
from xsfabric.errors import CollectionError
from xsfabric.inventory import InventoryHost
from xsfabric.snapshot import DeviceKind, DeviceStatus, SnapshotWriter
from xsfabric.switch.allowlist import FC_CLI_COMMANDS, check_command, guarded

log = logging.getLogger(__name__)

#: Inventory platform → netmiko device_type.
NETMIKO_TYPE = {"brocade_fos": "brocade_fos", "cisco_mds": "cisco_nxos", "cisco_nxos": "cisco_nxos"}


def collect_fc_switch(host: InventoryHost, writer: SnapshotWriter, options: CollectOptions) -> None:
    """The ``fc-switch`` collector registered in :data:`xsfabric.collect.COLLECTORS`."""
    from netmiko import ConnectHandler
    from netmiko.exceptions import ReadTimeout

    from xsfabric.switch.cli_collect import netmiko_params
    from xsfabric.switch.collect import classify

    platform = NETMIKO_TYPE.get(host.platform or "")
    if platform is None:
        raise CollectionError(
            host.name,
            DeviceStatus.ERROR,
            f"fc-switch platform {host.platform!r} is not one xsfabric "
            f"collects ({', '.join(sorted(NETMIKO_TYPE))})",
        )
    commands = FC_CLI_COMMANDS[platform]
    for command in commands:  # refuse before connecting, not halfway through
        check_command(platform, command)
    writer.write_device_platform(host.name, platform)
    failed: list[str] = []
    try:
        conn = ConnectHandler(**netmiko_params(host, platform, options))
    except Exception as exc:
        raise classify(host.name, "cli", exc) from exc
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


def collect_if_mds(
    host: InventoryHost, writer: SnapshotWriter, send: Callable[..., Any], options: CollectOptions
) -> list[str] | None:
    """For a ``cisco_nxos`` device collected as a switch: ask ``show version`` first; if it
    is an MDS, record the device as an ``fc-switch`` and collect the FC command set instead
    of the Ethernet one (returns the commands that failed). None: not an MDS, go on."""
    from netmiko.exceptions import ReadTimeout

    from xsfabric.san.parse import MDS_VERSION

    version = str(send("show version", read_timeout=options.timeout))
    if not MDS_VERSION.search(version):
        return None
    log.debug("Host %r: show version names an MDS; collecting it as an FC switch", host.name)
    writer.devices[host.name].kind = DeviceKind.FC_SWITCH
    writer.write_device_output(host.name, "show version", version)
    failed: list[str] = []
    for command in FC_CLI_COMMANDS["cisco_nxos"]:
        if command == "show version":
            continue
        check_command("cisco_nxos", command)
        try:
            output = send(command, read_timeout=options.timeout)
        except ReadTimeout:
            failed.append(f"{command}: timed out")
            continue
        writer.write_device_output(host.name, command, str(output))
    return failed
