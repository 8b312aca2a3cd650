"""Collection: inventory → snapshot. Devices are collected concurrently; one failure marks
that device in the manifest and the others go on.

Collectors are registered per device kind in :data:`COLLECTORS`, each behind the small
:class:`Collector` interface: it writes artifacts through the :class:`SnapshotWriter` (never to
files of its own), marks the device ``partial`` itself when some of its calls failed, and raises
:class:`CollectionError` with a status when the device could not be collected at all. A kind
without a collector is recorded as an error ("not supported yet"), never skipped silently.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from xsfabric.errors import CollectionError
from xsfabric.inventory import InventoryHost, load_inventory
from xsfabric.kinds import DeviceKind
from xsfabric.redact import Redactor, install_log_filter
from xsfabric.snapshot import DeviceStatus, SnapshotWriter

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CollectOptions:
    timeout: float = 30.0
    workers: int = 16


class Collector(Protocol):
    """Collects one inventory host of a kind into the snapshot (see the module docstring)."""

    def __call__(self, host: InventoryHost, writer: SnapshotWriter,
                 options: CollectOptions, /) -> None: ...


#: Collector per device kind, as "module:function" so a kind's libraries (netmiko, pysnmp,
#: XenAPI …) load only when a device of that kind is collected. A new kind (``fc-switch``,
#: ``array``) adds its row; the function must satisfy :class:`Collector`.
COLLECTORS: dict[DeviceKind, str] = {
    DeviceKind.XENSERVER_POOL: "xsfabric.xapi.collect:collect_pool",
    DeviceKind.SWITCH: "xsfabric.switch.collect:collect_switch",
}


def _collector(kind: DeviceKind) -> Collector | None:
    """The registered collector of ``kind``, imported on first use; None when there is none."""
    target = COLLECTORS.get(kind)
    if target is None:
        return None
    module, _, func = target.partition(":")
    collector: Collector = getattr(importlib.import_module(module), func)
    return collector


def _collect_one(host: InventoryHost, writer: SnapshotWriter, options: CollectOptions) -> None:
    writer.device(host.name, host.kind, host.platform, host.collect_methods)
    collector = _collector(host.kind)
    if collector is None:
        writer.mark(host.name, DeviceStatus.ERROR,
                    f"collection of {host.kind} devices is not supported yet")
        return
    try:
        collector(host, writer, options)
    except CollectionError as exc:
        writer.mark(host.name, DeviceStatus(exc.status), exc.message)
    except Exception as exc:
        log.debug("Host %r: unexpected collector failure", host.name, exc_info=True)
        writer.mark(host.name, DeviceStatus.ERROR, f"{type(exc).__name__}: {exc}")


def collect_hosts(
    hosts: list[InventoryHost], writer: SnapshotWriter, options: CollectOptions,
    progress: Callable[[str], None] | None = None,
    *,
    on_start: Callable[[InventoryHost], None] | None = None,
    on_done: Callable[[InventoryHost, str, str | None], None] | None = None,
) -> None:
    """Collect every host with a bounded thread pool; progress reports each finished one.
    ``on_start`` / ``on_done`` (host, status, error) feed a live display (called from the
    worker threads for the start, from this thread for the end)."""
    workers = max(1, min(options.workers, len(hosts) or 1))

    def one(host: InventoryHost) -> None:
        if on_start is not None:
            on_start(host)
        _collect_one(host, writer, options)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="collect") as pool:
        futures = {pool.submit(one, h): h for h in hosts}
        for done, future in enumerate(as_completed(futures), start=1):
            host = futures[future]
            future.result()
            record = writer.devices[host.name]
            if on_done is not None:
                on_done(host, str(record.status), record.error)
            if progress is not None:
                error = f" ({record.error})" if record.error else ""
                progress(f"[{done}/{len(hosts)}] {host.name}: {record.status}{error}")


def run_collect(args: argparse.Namespace) -> int:
    inventory = load_inventory(args.inventory, args.secrets)
    hosts = inventory.filter(args.limit)
    policy: Path | None = args.policy
    if policy is None and (args.inventory / "policy.yaml").is_file():
        policy = args.inventory / "policy.yaml"
    if policy is not None:
        from xsfabric.policy import load_policy

        load_policy(policy)  # refuse a bad policy before any device is contacted
    redactor = Redactor()
    redactor.add_secrets(inventory.secrets)
    install_log_filter(redactor)
    options = CollectOptions(timeout=args.timeout, workers=args.workers)
    with SnapshotWriter(args.output, force=args.force, redactor=redactor,
                        inventory_digest=inventory.digest) as writer:
        if policy is not None:
            writer.copy_policy(policy)
        display = getattr(args, "progress_display", None)  # set by the command (a report)
        if display is None:
            collect_hosts(hosts, writer, options,
                          progress=lambda line: print(line, file=sys.stderr, flush=True))
        else:
            with display(hosts) as shown:
                collect_hosts(hosts, writer, options, on_start=shown.start,
                              on_done=shown.done)
        path = writer.commit()
    failed = [d for d in writer.devices.values() if d.status != DeviceStatus.OK]
    print(f"snapshot written to {path} ({len(hosts)} devices, {len(failed)} not ok)")
    return 0
