"""FC switch collection over SSH with netmiko: the platform's read-only FC command set
(:data:`~xsfabric.switch.allowlist.FC_CLI_COMMANDS`), each raw output stored as
``devices/<name>/<command>.txt``. Nothing is parsed here.

Brocade FOS is ``brocade_fos``; a Cisco MDS is driven as ``cisco_nxos`` (netmiko has no MDS
type; the inventory may say ``cisco_mds``).
"""

from __future__ import annotations

import logging

from xsfabric.collect import CollectOptions
from xsfabric.errors import CollectionError
from xsfabric.inventory import InventoryHost
from xsfabric.snapshot import DeviceStatus, SnapshotWriter
from xsfabric.switch.allowlist import FC_CLI_COMMANDS, check_command, guarded

log = logging.getLogger(__name__)

#: Inventory platform → netmiko device_type.
NETMIKO_TYPE = {"brocade_fos": "brocade_fos", "cisco_mds": "cisco_nxos",
                "cisco_nxos": "cisco_nxos"}


def collect_fc_switch(host: InventoryHost, writer: SnapshotWriter,
                      options: CollectOptions) -> None:
    """The ``fc-switch`` collector registered in :data:`xsfabric.collect.COLLECTORS`."""
    from netmiko import ConnectHandler
    from netmiko.exceptions import ReadTimeout

    from xsfabric.switch.cli_collect import netmiko_params
    from xsfabric.switch.collect import classify

    platform = NETMIKO_TYPE.get(host.platform or "")
    if platform is None:
        raise CollectionError(host.name, DeviceStatus.ERROR,
                              f"fc-switch platform {host.platform!r} is not one xsfabric "
                              f"collects ({', '.join(sorted(NETMIKO_TYPE))})")
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
