"""Collection feedback: one plain line per device when stderr is not a terminal, a live table
with a total bar on a terminal, nothing with --quiet, no colour with NO_COLOR / --no-color."""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path

import pytest

from xsfabric.collect import COLLECTORS, CollectOptions, collect_hosts
from xsfabric.errors import CollectionError
from xsfabric.inventory import InventoryHost
from xsfabric.kinds import DeviceKind
from xsfabric.report.progress import CollectProgress, collect_progress, progress_mode
from xsfabric.snapshot import SnapshotWriter

ANSI = re.compile(r"\x1b\[")
#: Set by the collector to prove the display showed "collecting" while it ran.
SEEN_WHILE_RUNNING: list[str] = []
DISPLAY: list[CollectProgress] = []
_LOCK = threading.Lock()


def _host(name: str) -> InventoryHost:
    return InventoryHost(
        name=name,
        hostname="192.0.2.1",
        kind=DeviceKind.ARRAY,
        platform="pure",
        port=443,
        username="audit",
        password="x",
        data={},
        connection_options={},
        groups=(),
        source="test",
    )


def fake_collect(host: InventoryHost, writer: SnapshotWriter, options: CollectOptions) -> None:
    """ok for array-ok, error for array-bad; records what the display showed meanwhile."""
    with _LOCK:
        table = io.StringIO()
        from rich.console import Console

        Console(file=table, width=200, no_color=True).print(DISPLAY[0].table())
        SEEN_WHILE_RUNNING.append(table.getvalue())
    if host.name == "array-bad":
        raise CollectionError(host.name, "unreachable", "connection refused")
    writer.write_text(host.name, f"devices/{host.name}/volumes.json", "{}")


def _collect(tmp_path: Path, display: CollectProgress) -> None:
    hosts = [_host("array-ok"), _host("array-bad")]
    DISPLAY[:] = [display]
    SEEN_WHILE_RUNNING.clear()
    tmp_path.mkdir(parents=True, exist_ok=True)
    with SnapshotWriter(tmp_path / "snap") as writer, display as shown:
        collect_hosts(
            hosts, writer, CollectOptions(workers=1), on_start=shown.start, on_done=shown.done
        )
        writer.commit()


@pytest.fixture(autouse=True)
def _fake_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(COLLECTORS, DeviceKind.ARRAY, f"{__name__}:fake_collect")


def test_plain_lines_one_per_device_when_not_a_terminal(tmp_path: Path) -> None:
    stream = io.StringIO()
    assert progress_mode(quiet=False, stream=stream) == "plain"
    hosts = [_host("array-ok"), _host("array-bad")]
    _collect(tmp_path, CollectProgress(hosts, mode="plain", stream=stream, color=True))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert re.fullmatch(r"\[1/2\] array-ok array default: ok \d+\.\ds", lines[0]), lines[0]
    assert lines[1].startswith("[2/2] array-bad array ")
    assert ": unreachable (connection refused) " in lines[1]
    assert not ANSI.search(stream.getvalue())
    # while a device ran, the display said so
    assert any("collecting" in seen for seen in SEEN_WHILE_RUNNING)


def test_live_display_shows_states_elapsed_and_total(tmp_path: Path) -> None:
    stream = io.StringIO()
    hosts = [_host("array-ok"), _host("array-bad")]
    display = CollectProgress(hosts, mode="live", stream=stream, color=True)
    _collect(tmp_path, display)
    out = stream.getvalue()
    assert ANSI.search(out)  # a terminal gets colours and cursor movement
    plain = ANSI.sub("", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out))
    assert "array-ok" in plain and "array-bad" in plain
    assert "unreachable: connection refused" in plain
    assert "2/2" in plain and "total" in plain
    assert re.search(r"\d+\.\ds", plain)


def test_no_color_and_quiet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    hosts = [_host("array-ok"), _host("array-bad")]
    display = CollectProgress(hosts, mode="live", stream=stream, color=False)
    _collect(tmp_path, display)
    out = stream.getvalue()
    assert not re.search(r"\x1b\[[0-9;]*m", out)  # cursor moves, but no colour codes
    monkeypatch.setenv("NO_COLOR", "1")
    assert collect_progress(hosts).console.no_color
    monkeypatch.delenv("NO_COLOR")
    assert collect_progress(hosts, no_color=True).console.no_color
    quiet = CollectProgress(hosts, mode="quiet", stream=(q := io.StringIO()))
    _collect(tmp_path / "q", quiet)
    assert q.getvalue() == ""
    assert progress_mode(quiet=True) == "quiet"


def test_hostile_device_name_is_inert_in_the_display() -> None:
    stream = io.StringIO()
    evil = _host("sw\x1b[31m[bold]red[/bold]\nforged")
    display = CollectProgress([evil], mode="plain", stream=stream)
    display.start(evil)
    display.done(evil, "ok")
    line = stream.getvalue()
    assert "\x1b" not in line and line.count("\n") == 1
    table = io.StringIO()
    from rich.console import Console

    Console(file=table, width=200, no_color=True).print(display.table())
    assert "[bold]red[/bold]" in table.getvalue()  # markup shown, not interpreted
