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
import contextlib
import functools
import importlib
import logging
import math
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from xsfabric.errors import CollectionError, SnapshotError
from xsfabric.inventory import InventoryHost, load_inventory
from xsfabric.kinds import DeviceKind
from xsfabric.redact import Redactor, install_log_filter
from xsfabric.snapshot import DeviceRecord, DeviceStatus, SnapshotWriter
from xsfabric.tables import escape_control

log = logging.getLogger(__name__)


#: Exit codes of ``collect`` (``run`` and ``audit`` use the same numbers).
EXIT_OK = 0
EXIT_USAGE = 2  # bad arguments or input, or no device could be collected
EXIT_PARTIAL = 3  # some device failed (``--allow-partial`` accepts it)
EXIT_SIGINT = 130
EXIT_SIGTERM = 143

#: Default wall-clock budget of one device (all its methods and commands together).
DEFAULT_DEVICE_TIMEOUT = 300.0


@dataclass(frozen=True, slots=True)
class CollectOptions:
    timeout: float = 30.0
    workers: int = 16
    #: wall-clock budget per device, enforced from outside the collector's thread
    device_timeout: float = DEFAULT_DEVICE_TIMEOUT
    #: where unknown SSH host keys are accepted and recorded (None: unknown keys refused)
    trust_on_first_use: Path | None = None
    #: SNMP client for every device, over each host's ``snmp.client`` (None: as the host says,
    #: "auto" by default; see xsfabric.switch.snmp_collect.choose_client)
    snmp_client: str | None = None


def positive_seconds(text: str) -> float:
    """argparse type for ``--timeout`` / ``--device-timeout``: a finite number above 0 (a
    timeout of 0, a negative one or ``nan`` would mean "never" or "at once" to the libraries
    below, which is never what was meant)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: must be a finite number of seconds > 0")
    return value


def positive_int(text: str) -> int:
    """argparse type for ``--workers``: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: must be at least 1")
    return value


def add_collect_arguments(p: argparse.ArgumentParser) -> None:
    """The options ``collect`` and ``run`` share (validated: bad values exit 2)."""
    p.add_argument("--workers", type=positive_int, default=16, help="devices collected at once")
    p.add_argument(
        "--timeout",
        type=positive_seconds,
        default=30.0,
        help="seconds per connection attempt and per command read",
    )
    p.add_argument(
        "--device-timeout",
        type=positive_seconds,
        default=DEFAULT_DEVICE_TIMEOUT,
        help="wall-clock seconds for one device in total; a device still busy "
        "then is abandoned and marked timeout "
        f"(default {DEFAULT_DEVICE_TIMEOUT:g})",
    )
    p.add_argument(
        "--trust-on-first-use",
        type=Path,
        metavar="FILE",
        help="accept SSH host keys not yet known and record them in FILE "
        "(a changed key is still refused); default: unknown keys are refused",
    )
    p.add_argument(
        "--snmp-client",
        choices=("auto", "fast", "pysnmp"),
        help="SNMP client for every device, over the inventory's snmp.client: fast (the "
        "built-in GETBULK codec, v2c and v3), pysnmp (any version), auto (fast for v2c and "
        "v3, pysnmp for v1)",
    )


def add_processes_argument(p: argparse.ArgumentParser) -> None:
    """``--processes`` (see :mod:`xsfabric.collect_pool`)."""
    p.add_argument(
        "--processes",
        type=positive_int,
        default=None,
        help="worker processes the devices are spread over (--workers stays the total of "
        "devices collected at once); default: 1 below 32 switches / FC switches / arrays, "
        "then one per 32 of them up to the number of cores",
    )


class Collector(Protocol):
    """Collects one inventory host of a kind into the snapshot (see the module docstring)."""

    def __call__(
        self, host: InventoryHost, writer: SnapshotWriter, options: CollectOptions, /
    ) -> None: ...


#: Collector per device kind, as "module:function" so a kind's libraries (netmiko, pysnmp,
#: XenAPI …) load only when a device of that kind is collected. A new kind (``fc-switch``,
#: ``array``) adds its row; the function must satisfy :class:`Collector`.
COLLECTORS: dict[DeviceKind, str] = {
    DeviceKind.XENSERVER_POOL: "xsfabric.xapi.collect:collect_pool",
    DeviceKind.SWITCH: "xsfabric.switch.collect:collect_switch",
    DeviceKind.ARRAY: "xsfabric.san.array_collect:collect_array",
    DeviceKind.FC_SWITCH: "xsfabric.san.collect:collect_fc_switch",
}


def _collector(kind: DeviceKind) -> Collector | None:
    """The registered collector of ``kind``, imported on first use; None when there is none."""
    target = COLLECTORS.get(kind)
    if target is None:
        return None
    module, _, func = target.partition(":")
    collector: Collector = getattr(importlib.import_module(module), func)
    return collector


# -- transports that can be closed from outside -------------------------------------------

_transports: dict[int, list[Callable[[], object]]] = {}
_transports_lock = threading.Lock()


def register_transport(close: Callable[[], object]) -> None:
    """A collector registers how to close the connection its thread is using, so that the
    orchestrator can abandon a device whose budget ran out (a blocked read then fails in the
    collector's thread instead of hanging it)."""
    with _transports_lock:
        _transports.setdefault(threading.get_ident(), []).append(close)


def _close_transports(thread_id: int | None) -> None:
    if thread_id is None:
        return
    with _transports_lock:
        closers = _transports.pop(thread_id, [])
    for close in closers:
        try:
            close()
        except Exception:  # closing a broken transport may fail in any way; it is abandoned
            log.debug("closing an abandoned transport failed", exc_info=True)


def _collect_one(host: InventoryHost, writer: SnapshotWriter, options: CollectOptions) -> None:
    if host.kind is DeviceKind.XENSERVER_POOL and host.data.get("wwpns"):
        _write_inventory_hbas(host, writer)
    collector = _collector(host.kind)
    if collector is None:
        writer.mark(
            host.name, DeviceStatus.ERROR, f"collection of {host.kind} devices is not supported yet"
        )
        return
    try:
        collector(host, writer, options)
    except CollectionError as exc:
        writer.mark(host.name, DeviceStatus(exc.status), exc.message)
    except Exception as exc:
        log.debug("Host %r: unexpected collector failure", host.name, exc_info=True)
        writer.mark(host.name, DeviceStatus.ERROR, f"{type(exc).__name__}: {exc}")
    finally:
        with _transports_lock:
            _transports.pop(threading.get_ident(), None)


@dataclass(slots=True)
class _Running:
    host: InventoryHost
    thread: threading.Thread
    deadline: float
    #: set by the thread as it starts: a thread still starting when the process exits
    #: prints an "Exception ignored in thread" traceback, so an interrupt waits for this
    ready: threading.Event


class CollectionInterrupted(Exception):  # noqa: N818 - a signal, not an error
    """Raised in the main thread by the SIGTERM handler (SIGINT raises KeyboardInterrupt)."""


def _write_inventory_hbas(host: InventoryHost, writer: SnapshotWriter) -> None:
    """A pool's ``data.wwpns`` (host name → WWPNs) stored as ``hba/<host>.txt``, the form an
    imported dom0 listing has, so the snapshot alone holds every host's initiators."""
    from xsfabric.san.hba import inventory_listings

    for name, text in inventory_listings(host.data).items():
        if "/" in name or name.startswith(".") or not name.strip():
            log.warning("Host %r: data.wwpns names an unusable host name %r", host.name, name)
            continue
        writer.write_text(None, f"hba/{name}.txt", text)


def register_hosts(
    hosts: list[InventoryHost], writer: SnapshotWriter
) -> tuple[list[InventoryHost], list[str]]:
    """Give every host its device record, in inventory order (the manifest's order), before
    any is collected. Returns the hosts that can be collected and the names of those that
    cannot (a name that cannot be a snapshot folder), each logged with its inventory file."""
    skipped: list[str] = []
    usable: list[InventoryHost] = []
    for host in hosts:
        try:
            writer.device(host.name, host.kind, host.platform, host.collect_methods)
        except SnapshotError as exc:
            # e.g. a host named "..": it cannot be a snapshot folder; the others go on
            log.error("%s: host %r not collected: %s", host.source, host.name, exc)
            skipped.append(host.name)
            continue
        usable.append(host)
    return usable, skipped


def collect_hosts(
    hosts: list[InventoryHost],
    writer: SnapshotWriter,
    options: CollectOptions,
    progress: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    *,
    on_start: Callable[[InventoryHost], None] | None = None,
    on_done: Callable[[InventoryHost, str, str | None], None] | None = None,
) -> list[str]:
    """Collect every host, at most ``options.workers`` at once, each in a daemon thread with
    a wall-clock budget (``options.device_timeout``) the main thread enforces: a device still
    running at its deadline is marked ``timeout``, its registered transports are closed, its
    later writes are refused, and its thread is left behind (a daemon thread cannot keep the
    process alive). On KeyboardInterrupt / SIGTERM no further device is started, the running
    and waiting ones are marked ``interrupted``, and the exception propagates so the caller
    can still commit what finished; ``stop`` (set by a signal handler) does the same at a
    safe point of the loop (an exception raised inside ``Thread.start`` breaks the thread
    being started). Returns the hosts that could not even be started
    (a name that cannot be a snapshot folder), each logged with its inventory file.
    ``on_start`` / ``on_done`` (host, status, error) feed a live display (called from the
    worker threads for the start, from this thread for the end)."""
    hosts, skipped = register_hosts(hosts, writer)
    by_name = {h.name: h for h in hosts}
    workers = max(1, min(options.workers, len(hosts) or 1))
    finished: queue.Queue[str] = queue.Queue()
    waiting = list(reversed(hosts))
    running: dict[str, _Running] = {}
    done = 0

    def report(name: str) -> None:
        nonlocal done
        done += 1
        record = writer.devices[name]
        if on_done is not None:
            on_done(by_name[name], str(record.status), record.error)
        if progress is not None:
            error = f" ({record.error})" if record.error else ""
            progress(escape_control(f"[{done}/{len(hosts)}] {name}: {record.status}{error}"))

    def body(host: InventoryHost, ready: threading.Event) -> None:
        ready.set()
        # an abandoned thread woken at shutdown (transport closed, interpreter finalizing)
        # has nobody to report to: its device is already marked timeout or interrupted, and a
        # traceback on the terminal would only be noise
        with contextlib.suppress(BaseException):
            try:
                if on_start is not None:
                    on_start(host)
                _collect_one(host, writer, options)
            except BaseException:
                log.debug("Host %r: collector thread ended abnormally", host.name, exc_info=True)
            finished.put(host.name)

    try:
        while waiting or running:
            if stop is not None and stop.is_set():
                raise CollectionInterrupted
            while waiting and len(running) < workers:
                host = waiting.pop()
                ready = threading.Event()
                thread = threading.Thread(
                    target=body, args=(host, ready), daemon=True, name=f"collect-{host.name}"
                )
                running[host.name] = _Running(
                    host, thread, time.monotonic() + options.device_timeout, ready
                )
                thread.start()
            now = time.monotonic()
            wait = max(0.0, min(r.deadline for r in running.values()) - now)
            try:
                name = finished.get(timeout=min(wait, 0.5))
            except queue.Empty:
                name = None
            if name is not None and name in running:
                running.pop(name)
                writer.finish_device(name)
                report(name)
            now = time.monotonic()
            for late in [r for r in running.values() if r.deadline <= now]:
                running.pop(late.host.name)
                writer.finish_device(
                    late.host.name,
                    DeviceStatus.TIMEOUT,
                    f"device budget of {options.device_timeout:g} s exceeded "
                    "(--device-timeout); collection abandoned",
                )
                _close_transports(late.thread.ident)
                report(late.host.name)
        return skipped
    except (KeyboardInterrupt, CollectionInterrupted):
        for started in running.values():
            started.ready.wait(1.0)
        for name in [*running, *(h.name for h in waiting)]:
            writer.finish_device(
                name, DeviceStatus.INTERRUPTED, "collection interrupted before this device finished"
            )
            if name in running:
                _close_transports(running[name].thread.ident)
        raise


class _StopOnSignal:
    """SIGINT / SIGTERM handler: the first one asks the collection to stop (it then writes
    what finished); a second one ends the process at once."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.signum: int | None = None

    def __call__(self, signum: int, frame: object) -> None:
        if self.stop.is_set():
            raise KeyboardInterrupt
        self.signum = signum
        self.stop.set()


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
    options = CollectOptions(
        timeout=args.timeout,
        workers=args.workers,
        device_timeout=getattr(args, "device_timeout", DEFAULT_DEVICE_TIMEOUT),
        trust_on_first_use=getattr(args, "trust_on_first_use", None),
        snmp_client=getattr(args, "snmp_client", None),
    )
    interrupted: int | None = None
    on_main = threading.current_thread() is threading.main_thread()
    handler = _StopOnSignal()
    previous = (
        {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
        if on_main
        else {}
    )
    # paramiko logs a peer's protocol garbage as an ERROR with a traceback; the device's
    # status says it in one line (-vv shows paramiko's own account)
    paramiko_log = logging.getLogger("paramiko")
    paramiko_level = paramiko_log.level
    if getattr(args, "verbose", 0) < 2:
        paramiko_log.setLevel(logging.CRITICAL)
    try:
        with SnapshotWriter(
            args.output, force=args.force, redactor=redactor, inventory_digest=inventory.digest
        ) as writer:
            if policy is not None:
                writer.copy_policy(policy)
            skipped: list[str] = []
            display = getattr(args, "progress_display", None)  # set by the command (a report)
            run = _orchestrator(hosts, getattr(args, "processes", None), options.workers)
            try:
                if display is None:
                    skipped = run(
                        hosts,
                        writer,
                        options,
                        progress=lambda line: print(line, file=sys.stderr, flush=True),
                        stop=handler.stop,
                    )
                else:
                    with display(hosts) as shown:
                        skipped = run(
                            hosts,
                            writer,
                            options,
                            stop=handler.stop,
                            on_start=shown.start,
                            on_done=shown.done,
                        )
            except (KeyboardInterrupt, CollectionInterrupted):
                interrupted = EXIT_SIGTERM if handler.signum == signal.SIGTERM else EXIT_SIGINT
            from xsfabric.switch.facts_store import store_facts

            if interrupted is None:  # stopped: commit what was collected, parse when read
                store_facts(writer)  # parse once: audit, show and cabling read the stored tables
            path = writer.commit()
    finally:
        paramiko_log.setLevel(paramiko_level)
        for sig, before in previous.items():
            if before is not None:  # None: a handler not installed from Python
                signal.signal(sig, before)
    failed = [d for d in writer.devices.values() if d.status != DeviceStatus.OK]
    print(f"snapshot written to {path} ({len(hosts)} devices, {len(failed)} not ok)")
    if interrupted is not None:
        print(
            f"xsfabric: interrupted; {path} holds the devices that finished, the others "
            "are marked interrupted",
            file=sys.stderr,
        )
        return interrupted
    code = collect_exit_code(list(writer.devices.values()), getattr(args, "allow_partial", False))
    if skipped and code == EXIT_OK and not getattr(args, "allow_partial", False):
        return EXIT_PARTIAL
    return code if writer.devices or not skipped else EXIT_USAGE


class _Orchestrator(Protocol):
    def __call__(
        self,
        hosts: list[InventoryHost],
        writer: SnapshotWriter,
        options: CollectOptions,
        progress: Callable[[str], None] | None = None,
        stop: threading.Event | None = None,
        *,
        on_start: Callable[[InventoryHost], None] | None = None,
        on_done: Callable[[InventoryHost, str, str | None], None] | None = None,
    ) -> list[str]: ...


def _orchestrator(hosts: list[InventoryHost], processes: int | None, workers: int) -> _Orchestrator:
    """:func:`collect_hosts` in this process, or spread over worker processes when
    ``--processes`` (or the automatic rule) asks for more than one."""
    from xsfabric.collect_pool import choose_processes, collect_in_processes

    count = choose_processes(hosts, processes, workers)
    if count <= 1:
        return collect_hosts
    log.info("collecting %d devices over %d worker processes", len(hosts), count)
    return functools.partial(collect_in_processes, processes=count)


def collect_exit_code(devices: list[DeviceRecord], allow_partial: bool) -> int:
    """0 when every device was collected; 2 when none gave any data (the snapshot is still
    written, for its error messages); 3 when some failed or are partial, unless
    ``allow_partial``."""
    nothing = [d for d in devices if d.status not in (DeviceStatus.OK, DeviceStatus.PARTIAL)]
    if devices and len(nothing) == len(devices):
        return EXIT_USAGE
    if any(d.status != DeviceStatus.OK for d in devices) and not allow_partial:
        return EXIT_PARTIAL
    return EXIT_OK
