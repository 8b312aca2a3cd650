"""Feedback while collecting: a live table on a terminal, one plain line per device elsewhere.

On a terminal (stderr is a TTY) a rich live display shows every device with its kind, collect
methods, state (waiting, collecting, ok, partial, error …) and elapsed time, above a total bar.
When stderr is a pipe or a CI log, each device that finishes is one plain line
(``[3/5] prod-tor1 switch cli: ok 1.2s``), so logs stay readable. ``--quiet`` prints nothing;
``NO_COLOR`` (https://no-color.org) and ``--no-color`` drop colours. Device names are made
inert (no escapes reach the terminal) and rich markup in them is escaped.

The collect layer knows nothing of this module: the command passes :meth:`start` and
:meth:`done` to :func:`xsfabric.collect.collect_hosts` as callbacks.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import IO, Protocol

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from xsfabric.report.base import inert

_STATE_STYLE = {"waiting": "dim", "collecting": "bold cyan", "ok": "green", "partial": "yellow"}


class HostLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def collect_methods(self) -> list[str]: ...


@dataclass(slots=True)
class _Row:
    name: str
    kind: str
    methods: str
    state: str = "waiting"
    error: str = ""
    started: float | None = None
    finished: float | None = None

    def elapsed(self, now: float) -> float:
        if self.started is None:
            return 0.0
        return (self.finished or now) - self.started


def _methods(host: HostLike) -> str:
    """How the device is read: its collect methods; a pool is always read through XenAPI."""
    kind = str(getattr(host, "kind", ""))
    return ", ".join(host.collect_methods) or ("xapi" if kind == "xenserver-pool" else "default")


class CollectProgress:
    """The progress display of one collection; use as a context manager."""

    def __init__(
        self,
        hosts: Iterable[HostLike],
        *,
        mode: str,
        stream: IO[str] | None = None,
        color: bool = True,
    ) -> None:
        self.mode = mode  # "live", "plain" or "quiet"
        self.stream = stream or sys.stderr
        self._rows = {
            h.name: _Row(inert(h.name), str(getattr(h, "kind", "")), _methods(h)) for h in hosts
        }
        self._done = 0
        self._lock = threading.Lock()
        self.console = Console(
            file=self.stream,
            no_color=not color,
            color_system="standard" if color else None,
            force_terminal=mode == "live",
            highlight=False,
        )
        self._bar = Progress(
            TextColumn("total"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
        )
        self._task = self._bar.add_task("devices", total=len(self._rows))
        self._live: Live | None = None

    # -- events from the collector threads ------------------------------------------------

    def start(self, host: HostLike) -> None:
        with self._lock:
            row = self._rows[host.name]
            row.state, row.started = "collecting", time.monotonic()
        self._refresh()

    def done(self, host: HostLike, status: str, error: str | None = None) -> None:
        with self._lock:
            row = self._rows[host.name]
            row.state, row.finished = str(status), time.monotonic()
            row.error = inert(error or "")
            self._done += 1
            number = self._done
        self._bar.update(self._task, completed=number)
        if self.mode == "plain":
            detail = f" ({row.error})" if row.error else ""
            self.stream.write(
                f"[{number}/{len(self._rows)}] {row.name} {row.kind} "
                f"{row.methods}: {row.state}{detail} "
                f"{row.elapsed(time.monotonic()):.1f}s\n"
            )
            self.stream.flush()
        self._refresh()

    # -- rendering ------------------------------------------------------------------------

    def table(self) -> Table:
        now = time.monotonic()
        table = Table(show_edge=False, pad_edge=False, box=None)
        for column in ("device", "kind", "method", "state", "elapsed"):
            table.add_column(column, justify="right" if column == "elapsed" else "left")
        with self._lock:
            rows = list(self._rows.values())
        for row in rows:
            style = _STATE_STYLE.get(row.state, "bold red")
            state = row.state + (f": {row.error}" if row.error else "")
            table.add_row(
                escape(row.name),
                row.kind,
                escape(row.methods),
                f"[{style}]{escape(state)}[/]",
                f"{row.elapsed(now):.1f}s",
            )
        return table

    def renderable(self) -> RenderableType:
        return Group(self.table(), self._bar)

    def _refresh(self) -> None:
        if self._live is not None:
            self._live.update(self.renderable())

    def __enter__(self) -> CollectProgress:
        if self.mode == "live":
            self._live = Live(
                self.renderable(), console=self.console, refresh_per_second=8, transient=False
            )
            self._live.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._live is not None:
            self._live.update(self.renderable())
            self._live.__exit__(exc_type, exc, tb)
            self._live = None


def progress_mode(*, quiet: bool, stream: IO[str] | None = None) -> str:
    """quiet → "quiet"; a terminal → "live"; anything else (pipe, file, CI) → "plain"."""
    if quiet:
        return "quiet"
    stream = stream or sys.stderr
    return "live" if stream.isatty() else "plain"


def wants_color(no_color: bool = False) -> bool:
    """Colours unless ``--no-color`` or the NO_COLOR variable (any non-empty value)."""
    return not no_color and not os.environ.get("NO_COLOR")


def collect_progress(
    hosts: Iterable[HostLike], *, quiet: bool = False, no_color: bool = False
) -> CollectProgress:
    return CollectProgress(hosts, mode=progress_mode(quiet=quiet), color=wants_color(no_color))
