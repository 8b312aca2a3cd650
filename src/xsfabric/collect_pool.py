"""Collection spread over worker processes (``collect --processes N``, issue 12).

Why: one switch costs 45–48 ms of CPU in the collecting process (paramiko's pure-Python
packet path a third of it), so at 1,000 switches one core is the ceiling however many
threads wait on the network. Here the inventory is dealt round-robin over N *spawn* worker
processes (not fork: the parent runs threads whose locks a forked child could inherit held);
each runs the ordinary threaded :func:`xsfabric.collect.collect_hosts` on its share, so the
concurrency inside each process stays, and ``--workers`` stays the number of devices
collected at once *in total* (a cap on the load put on the network and on AAA servers), split
over the processes.

The snapshot is written as in one process: a worker writes its devices' files itself, into
the parent's temporary snapshot folder, through a :class:`_WorkerWriter` (a
:class:`SnapshotWriter` over that folder, with the same redactor), and reports every file
it wrote, every device start and every device end over its own pipe. The parent stays the
single writer of everything shared: device records, the manifest, configuration facts,
stored facts, the commit. A pipe per worker, not one shared queue: a worker killed while
holding a shared queue's lock would block every other worker.

Failure: a worker that dies (killed, crashed, out of memory) or stops answering leaves its
unfinished devices marked ``error`` with the reason; files it wrote but never reported are
deleted, so the snapshot still verifies. On Ctrl-C / SIGTERM the parent asks every worker to
stop (they mark their running devices ``interrupted`` as one process does), waits a few
seconds, kills what is left and marks its devices ``interrupted``. Workers ignore SIGINT:
the terminal sends it to the whole process group and the parent decides.

Files outside the snapshot: ``--trust-on-first-use FILE`` may be appended to by several
workers; each records a key in one ``write`` of one line to a file opened for appending,
which the kernel does not interleave, and a device is collected by one worker only.

When (:func:`choose_processes`): one process below :data:`DEVICES_PER_PROCESS` CPU-bound
devices (switches, FC switches, arrays; a XenServer pool waits on XAPI and costs little
CPU), then one more process per :data:`DEVICES_PER_PROCESS` such devices, up to the cores
this process may run on and never more than ``--workers``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from xsfabric.collect import CollectionInterrupted, CollectOptions, collect_hosts, register_hosts
from xsfabric.inventory import InventoryHost
from xsfabric.kinds import DeviceKind
from xsfabric.redact import Redactor, install_log_filter
from xsfabric.snapshot import Artifact, DeviceRecord, DeviceStatus, SnapshotWriter
from xsfabric.tables import escape_control

log = logging.getLogger(__name__)

#: CPU-bound devices per worker process before another process pays for its start (a spawn
#: child imports netmiko / paramiko again: about a second of one core).
DEVICES_PER_PROCESS = 32
#: Seconds the workers get to stop on their own after Ctrl-C / SIGTERM before being killed.
STOP_GRACE = 5.0
#: Seconds past a device's own budget (``--device-timeout``, enforced inside its worker)
#: after which its worker is taken for hung and killed.
HUNG_SLACK = 60.0
#: The reason of a device a stop (Ctrl-C, SIGTERM) left unfinished, as in one process.
INTERRUPTED = "collection interrupted before this device finished"
NEVER_COLLECTED = "never collected (an internal error stopped the collection)"


def available_cpus() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def choose_processes(hosts: list[InventoryHost], requested: int | None, workers: int) -> int:
    """How many processes collect ``hosts``: ``requested`` when given, else the automatic
    rule of the module docstring; never more than there are hosts or ``workers`` (each
    process collects at least one device at a time).

    >>> choose_processes([], 4, 16)
    1
    """
    if requested is None:
        cpu_bound = sum(1 for h in hosts if h.kind is not DeviceKind.XENSERVER_POOL)
        requested = min(available_cpus(), cpu_bound // DEVICES_PER_PROCESS)
    return max(1, min(requested, len(hosts), workers))


# -- the worker side ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _WorkerSpec:
    """What one worker process is given (pickled to it: credentials stay in memory)."""

    index: int
    hosts: list[InventoryHost]
    #: the parent's temporary snapshot folder
    folder: str
    redactor: Redactor
    options: CollectOptions
    #: logger name ("" for root) → level, as the parent has them set
    log_levels: dict[str, int] = field(default_factory=dict)


class _WorkerWriter(SnapshotWriter):
    """A :class:`SnapshotWriter` over the parent's temporary folder that reports each file
    it writes, and never commits nor deletes: the parent owns the snapshot."""

    def __init__(self, folder: Path, redactor: Redactor, send: Callable[[Any], None]) -> None:
        # the base class reserves a target and makes a temporary folder: done in a scratch
        # folder (so every attribute the base class sets is set) and then pointed at the
        # parent's folder
        scratch = Path(tempfile.mkdtemp(prefix="xsfabric-worker-"))
        try:
            super().__init__(scratch / "snapshot", redactor=redactor)
        finally:
            for path in sorted(scratch.rglob("*"), key=lambda p: len(p.parts), reverse=True):
                path.rmdir()
            scratch.rmdir()
        self._reserved = False
        self.target = self.tmp = folder
        self._send = send

    def _write(
        self,
        device: str | None,
        relpath: str,
        data: bytes,
        *,
        final: bool = False,
        listed: bool = True,
    ) -> Artifact:
        artifact = super()._write(device, relpath, data, final=final, listed=listed)
        if listed:  # after the write: a reported file is complete
            self._send(("artifact", device, artifact))
        return artifact

    def commit(self) -> Path:
        raise AssertionError("a collection worker never commits: the parent does")

    def abort(self) -> None:
        """Nothing: the folder is the parent's."""


class _PipeLogHandler(logging.Handler):
    """Sends a worker's log records to the parent, which logs them through its own handlers
    (and their secret filter). Formatted here: arguments and tracebacks need not pickle."""

    def __init__(self, send: Callable[[Any], None]) -> None:
        super().__init__()
        self._send = send

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                message = f"{message}\n{record.exc_text}"
            fields = {
                "name": record.name,
                "levelno": record.levelno,
                "levelname": record.levelname,
                "msg": message,
                "created": record.created,
                "threadName": record.threadName,
                "processName": record.processName,
            }
            self._send(("log", fields))
        except Exception:  # a log record must never break a collection
            self.handleError(record)


def _worker_main(spec: _WorkerSpec, conn: Connection) -> None:
    """Entry point of a worker process: collect ``spec.hosts`` with the threaded
    orchestrator, reporting over ``conn``; stop when the parent says so or goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    send_lock = threading.Lock()
    stop = threading.Event()

    def send(message: Any) -> None:
        with send_lock:
            try:
                conn.send(message)
            except OSError:  # the parent is gone: nobody to collect for
                stop.set()

    root = logging.getLogger()
    root.handlers[:] = [_PipeLogHandler(send)]
    for name, level in spec.log_levels.items():
        logging.getLogger(name or None).setLevel(level)
    install_log_filter(spec.redactor)

    def listen() -> None:
        with contextlib.suppress(EOFError, OSError):
            while conn.recv() != "stop":
                pass
        stop.set()

    threading.Thread(target=listen, daemon=True, name="collect-listen").start()
    writer = _WorkerWriter(Path(spec.folder), spec.redactor, send)
    reported: set[str] = set()

    def done(host: InventoryHost, status: str, error: str | None) -> None:
        reported.add(host.name)
        record = writer.devices[host.name]
        send(("done", dataclasses.replace(record, artifacts=[]), _facts_of(writer, host.name)))

    try:
        collect_hosts(
            spec.hosts,
            writer,
            spec.options,
            stop=stop,
            on_start=lambda host: send(("start", host.name)),
            on_done=done,
        )
    except (CollectionInterrupted, KeyboardInterrupt):
        pass  # the running and waiting devices are marked interrupted
    finally:
        for host in spec.hosts:
            if host.name not in reported and host.name in writer.devices:
                writer.finish_device(host.name)
                done(host, "", None)
        send(("end",))
        conn.close()


def _share(total: int, parts: int, index: int) -> int:
    """Part ``index`` of ``total`` dealt over ``parts`` (the parts add up to ``total``).

    >>> [_share(16, 3, i) for i in range(3)]
    [6, 5, 5]
    """
    return total // parts + (index < total % parts)


def _facts_of(writer: SnapshotWriter, name: str) -> dict[str, Any]:
    # the configuration facts a writer derived from the device's unredacted configuration
    return dict(writer._config_facts.get(name, {}))


# -- the parent side ----------------------------------------------------------------------


@dataclass(slots=True)
class _Worker:
    index: int
    process: Any  # multiprocessing's SpawnProcess (no public type)
    conn: Connection | None
    #: its devices not yet finished, and when each started (None: waiting)
    pending: dict[str, float | None]
    #: why the parent killed it, for its unfinished devices
    killed_because: str | None = None
    ended: bool = False


def collect_in_processes(
    hosts: list[InventoryHost],
    writer: SnapshotWriter,
    options: CollectOptions,
    processes: int,
    progress: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    *,
    on_start: Callable[[InventoryHost], None] | None = None,
    on_done: Callable[[InventoryHost, str, str | None], None] | None = None,
) -> list[str]:
    """:func:`xsfabric.collect.collect_hosts` over ``processes`` worker processes: same
    arguments, same result, same snapshot (see the module docstring). Raises
    :class:`CollectionInterrupted` / ``KeyboardInterrupt`` as it does, after every device is
    finished in ``writer``."""
    usable, skipped = register_hosts(hosts, writer)
    by_name = {h.name: h for h in usable}
    processes = max(1, min(processes, len(usable) or 1, options.workers))
    shares = [usable[i::processes] for i in range(processes)]
    levels = {"": logging.getLogger().level, "paramiko": logging.getLogger("paramiko").level}
    context = get_context("spawn")
    workers: list[_Worker] = []
    done = 0
    reported: set[str] = set()

    def report(name: str) -> None:
        nonlocal done
        done += 1
        reported.add(name)
        record = writer.devices[name]
        if on_done is not None:
            on_done(by_name[name], str(record.status), record.error)
        if progress is not None:
            error = f" ({record.error})" if record.error else ""
            progress(escape_control(f"[{done}/{len(usable)}] {name}: {record.status}{error}"))

    def receive(worker: _Worker, message: Any) -> None:
        kind = message[0]
        if kind == "artifact":
            writer.adopt_artifact(message[1], message[2])
        elif kind == "start":
            if message[1] in worker.pending:
                worker.pending[message[1]] = time.monotonic()
                if on_start is not None:
                    on_start(by_name[message[1]])
        elif kind == "done":
            record: DeviceRecord = message[1]
            if record.name in worker.pending:
                del worker.pending[record.name]
                writer.adopt_device(record, message[2])
                report(record.name)
        elif kind == "log":
            entry = logging.makeLogRecord(message[1])
            logging.getLogger(entry.name).handle(entry)

    def drain(worker: _Worker) -> None:
        """Every message the worker's pipe holds now (all of them once it has exited)."""
        conn = worker.conn
        if conn is None:
            return
        try:
            while conn.poll():
                receive(worker, conn.recv())
        except (EOFError, OSError):
            conn.close()
            worker.conn = None
        except Exception:  # a message torn by a killed worker: the rest is lost
            log.debug("worker %d: unreadable message", worker.index, exc_info=True)
            conn.close()
            worker.conn = None

    def end(worker: _Worker, status: DeviceStatus, reason: str) -> None:
        """The worker is over: what it left unfinished gets ``status`` and ``reason``."""
        drain(worker)
        worker.process.join(1.0)
        if worker.conn is not None:
            worker.conn.close()
            worker.conn = None
        worker.ended = True
        for name in list(worker.pending):
            worker.pending.pop(name)
            writer.finish_device(name, status, reason)
            report(name)

    def why_ended(worker: _Worker) -> str:
        if worker.killed_because is not None:
            return worker.killed_because
        code = worker.process.exitcode
        how = (
            f"killed by {signal.Signals(-code).name}"
            if isinstance(code, int) and code < 0 and -code in signal.valid_signals()
            else f"exit code {code}"
            if code is not None
            else "exit status unknown"
        )
        return (
            f"collection worker process {worker.index} (pid {worker.process.pid}) ended "
            f"unexpectedly ({how}) before this device finished"
        )

    def pump(timeout: float, *, stopping: bool = False) -> None:
        live = [w for w in workers if not w.ended]
        handles: list[Any] = [w.conn for w in live if w.conn is not None]
        handles += [w.process.sentinel for w in live]
        ready = set(wait(handles, timeout))
        for worker in live:
            if worker.conn is not None and worker.conn in ready:
                drain(worker)
            if worker.process.sentinel in ready:
                worker.process.join(1.0)  # its exit code is read at the join
                if stopping:  # e.g. a SIGTERM sent to the whole process group
                    end(worker, DeviceStatus.INTERRUPTED, INTERRUPTED)
                else:
                    end(worker, DeviceStatus.ERROR, why_ended(worker))

    def watch_hung() -> None:
        now = time.monotonic()
        limit = options.device_timeout + HUNG_SLACK
        for worker in workers:
            started = [t for t in worker.pending.values() if t is not None]
            if not worker.ended and started and now - min(started) > limit:
                worker.killed_because = (
                    f"collection worker process {worker.index} stopped answering "
                    f"({limit:g} s after a device started); killed"
                )
                worker.process.kill()

    def stop_all() -> None:
        for worker in workers:
            if worker.conn is not None and not worker.ended:
                with contextlib.suppress(OSError):
                    worker.conn.send("stop")
        deadline = time.monotonic() + STOP_GRACE
        try:
            while any(not w.ended for w in workers) and time.monotonic() < deadline:
                pump(0.2, stopping=True)
        except KeyboardInterrupt:  # a second Ctrl-C: stop waiting
            pass
        for worker in workers:
            if not worker.ended:
                worker.process.kill()
            # a worker that ended on its own has finished all its devices; a killed one
            # leaves its running ones to be marked here
            end(worker, DeviceStatus.INTERRUPTED, INTERRUPTED)
        for host in usable:  # the shares of workers not started yet
            if host.name not in reported:
                writer.finish_device(host.name, DeviceStatus.INTERRUPTED, INTERRUPTED)

    try:
        for index, share in enumerate(shares):
            spec = _WorkerSpec(
                index=index,
                hosts=share,
                folder=str(writer.tmp),
                redactor=writer.redactor,
                options=dataclasses.replace(
                    options, workers=_share(options.workers, processes, index)
                ),
                log_levels=levels,
            )
            parent_end, child_end = context.Pipe(duplex=True)
            process = context.Process(
                target=_worker_main,
                args=(spec, child_end),
                name=f"xsfabric-collect-{index}",
                daemon=True,
            )
            pending: dict[str, float | None] = dict.fromkeys(h.name for h in share)
            try:
                process.start()
            except OSError as exc:  # no processes to be had (limits): its devices fail
                parent_end.close()
                for host in share:
                    writer.finish_device(
                        host.name,
                        DeviceStatus.ERROR,
                        f"collection worker process {index} could not be started: {exc}",
                    )
                    report(host.name)
                continue
            finally:
                child_end.close()
            workers.append(_Worker(index, process, parent_end, pending))
        while any(not w.ended for w in workers):
            if stop is not None and stop.is_set():
                raise CollectionInterrupted
            pump(0.5)
            watch_hung()
        return skipped
    except (KeyboardInterrupt, CollectionInterrupted):
        stop_all()
        raise
    finally:
        for worker in workers:
            if not worker.ended:  # an error of this loop itself: nothing may stay running
                worker.process.kill()
                end(worker, DeviceStatus.ERROR, "collection stopped by an internal error")
        for host in usable:
            if host.name not in reported:
                writer.finish_device(host.name, DeviceStatus.ERROR, NEVER_COLLECTED)
        if any(w.killed_because is not None or w.process.exitcode != 0 for w in workers):
            removed = writer.discard_unlisted()
            if removed:
                log.warning(
                    "%d unreported file(s) of stopped collection workers deleted: %s",
                    len(removed),
                    ", ".join(removed[:5]),
                )
