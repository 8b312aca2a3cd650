"""Collection must end, and end cleanly (issue 8): the per-device budget is enforced from
outside a call blocked on a peer that dribbles bytes, Ctrl-C and SIGTERM keep what finished,
protocol garbage is a protocol error without tracebacks, bad option values are usage errors,
and ``collect`` exits 3 when some device failed, 2 when none could be collected."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.hostile import DribblingTlsServer, GarbageServer

from xsfabric.cli import main
from xsfabric.lab.xapi_server import LabPool, start_lab_pool
from xsfabric.xapi.dbdump import read_dump

PASSWORD = "bounds-Pa55-xyz"


@pytest.fixture(scope="module")
def healthy_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabPool]:
    from xsfabric.demo import DEMO_ESTATE, lab_data
    from xsfabric.lab.estate import load_estate
    from xsfabric.lab.xapi_dump_gen import write_estate

    work = tmp_path_factory.mktemp("healthy")
    write_estate(load_estate(lab_data(DEMO_ESTATE)), work / "estate")
    dump = sorted((work / "estate" / "xenserver").glob("*.xml"))[0]
    pool = start_lab_pool(
        read_dump(dump), ["127.0.41.1"], 0, "root", PASSWORD, cert_dir=work / "certs"
    )
    yield pool
    pool.stop()


@pytest.fixture
def dribbler(tmp_path: Path) -> Iterator[DribblingTlsServer]:
    with DribblingTlsServer(tmp_path / "dribble-certs") as server:
        assert isinstance(server, DribblingTlsServer)
        yield server


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pool_entry(name: str, address: str, port: int, ca_file: Path) -> list[str]:
    return [
        f"{name}:",
        f"  hostname: {address}",
        f"  port: {port}",
        "  platform: xenserver",
        "  username: root",
        "  password: ${BOUNDS_PW}",
        "  data:",
        "    kind: xenserver-pool",
        f"    ca_file: {ca_file}",
    ]


def _switch_entry(name: str, port: int) -> list[str]:
    return [
        f"{name}:",
        "  hostname: 127.0.0.1",
        f"  port: {port}",
        "  platform: cisco_ios",
        "  username: netops",
        "  password: ${BOUNDS_PW}",
        "  data:",
        "    kind: switch",
        "    collect: [cli]",
    ]


def _inventory(folder: Path, *entries: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hosts.yaml").write_text("\n".join(line for e in entries for line in e) + "\n")
    return folder


def _statuses(snapshot: Path) -> dict[str, str]:
    manifest = json.loads((snapshot / "manifest.json").read_text())
    return {d["name"]: d["status"] for d in manifest["devices"]}


def _env() -> dict[str, str]:
    return {**os.environ, "BOUNDS_PW": PASSWORD}


# -- usage errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["collect", "run"])
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--timeout", "0"),
        ("--timeout", "-5"),
        ("--timeout", "nan"),
        ("--timeout", "inf"),
        ("--device-timeout", "0"),
        ("--workers", "0"),
        ("--workers", "-1"),
    ],
)
def test_bad_timeouts_and_workers_are_usage_errors(
    command: str, option: str, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = _inventory(tmp_path / "inv", _switch_entry("sw", _closed_port()))
    out = "-o" if command == "collect" else "--snapshot"
    with pytest.raises(SystemExit) as exit_info:
        main([command, "-i", str(inventory), out, str(tmp_path / "snap"), option, value])
    assert exit_info.value.code == 2
    assert option in capsys.readouterr().err
    assert not (tmp_path / "snap").exists()


# -- exit codes -----------------------------------------------------------------------------


def test_collect_exits_2_when_no_device_could_be_collected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOUNDS_PW", PASSWORD)
    inventory = _inventory(tmp_path / "inv", _switch_entry("sw", _closed_port()))
    code = main(["collect", "-i", str(inventory), "-o", str(tmp_path / "snap"), "--timeout", "3"])
    assert code == 2
    assert _statuses(tmp_path / "snap") == {"sw": "unreachable"}


@pytest.mark.slow
def test_collect_exits_3_when_some_device_failed_and_0_with_allow_partial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, healthy_pool: LabPool
) -> None:
    monkeypatch.setenv("BOUNDS_PW", PASSWORD)
    inventory = _inventory(
        tmp_path / "inv",
        _pool_entry("good", "127.0.41.1", healthy_pool.port, healthy_pool.ca_file),
        _switch_entry("sw", _closed_port()),
    )
    args = ["collect", "-i", str(inventory), "--timeout", "5"]
    assert main([*args, "-o", str(tmp_path / "a")]) == 3
    assert main([*args, "-o", str(tmp_path / "b"), "--allow-partial"]) == 0
    assert _statuses(tmp_path / "b") == {"good": "ok", "sw": "unreachable"}


# -- the device budget ----------------------------------------------------------------------


@pytest.mark.slow
def test_a_dribbling_xapi_endpoint_is_abandoned_at_the_device_budget(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    healthy_pool: LabPool,
    dribbler: DribblingTlsServer,
) -> None:
    """The probe: one byte every half second after TLS; no socket timeout ever fires. The
    budget (3 s) ends it from outside, the healthy pool is kept, well before 5 × timeout."""
    monkeypatch.setenv("BOUNDS_PW", PASSWORD)
    inventory = _inventory(
        tmp_path / "inv",
        _pool_entry("good", "127.0.41.1", healthy_pool.port, healthy_pool.ca_file),
        _pool_entry("slow", "127.0.0.1", dribbler.port, dribbler.ca_file),
    )
    started = time.monotonic()
    code = main(
        [
            "collect",
            "-i",
            str(inventory),
            "-o",
            str(tmp_path / "snap"),
            "--timeout",
            "2",
            "--device-timeout",
            "3",
        ]
    )
    elapsed = time.monotonic() - started
    assert dribbler.connections >= 1
    assert elapsed < 15, elapsed
    assert code == 3
    assert _statuses(tmp_path / "snap") == {"good": "ok", "slow": "timeout"}
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text())
    slow = next(d for d in manifest["devices"] if d["name"] == "slow")
    assert "--device-timeout" in slow["error"]
    assert not list(tmp_path.glob(".snap.partial-*"))


# -- interruption ---------------------------------------------------------------------------


def _start_collect(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "xsfabric.cli", *args],
        cwd=cwd,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "expected"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_interrupt_keeps_finished_devices_and_marks_the_others(
    tmp_path: Path,
    healthy_pool: LabPool,
    dribbler: DribblingTlsServer,
    sig: signal.Signals,
    expected: int,
) -> None:
    inventory = _inventory(
        tmp_path / "inv",
        _pool_entry("good", "127.0.41.1", healthy_pool.port, healthy_pool.ca_file),
        _pool_entry("slow", "127.0.0.1", dribbler.port, dribbler.ca_file),
        _switch_entry("never-started", _closed_port()),
    )
    snapshot = tmp_path / "snap"
    proc = _start_collect(
        [
            "collect",
            "-i",
            str(inventory),
            "-o",
            str(snapshot),
            "--timeout",
            "2",
            "--workers",
            "1",
            "--device-timeout",
            "120",
        ],
        tmp_path,
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    line = ""
    # the progress line of a finished device: "[1/3] good xenserver-pool xapi: ok 0.4s"
    finished = re.compile(r"\bgood\b.*: ok\b")
    while not finished.search(line) and time.monotonic() < deadline:
        line = proc.stderr.readline()
    assert finished.search(line), line
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    assert proc.returncode == expected, err
    assert "Traceback" not in err, err
    assert _statuses(snapshot) == {
        "good": "ok",
        "slow": "interrupted",
        "never-started": "interrupted",
    }
    assert (snapshot / "xenserver" / "good.json").is_file()
    assert not list(tmp_path.glob(".snap.partial-*"))


# -- protocol garbage -------------------------------------------------------------------------


@pytest.mark.slow
def test_ssh_port_answering_garbage_is_a_protocol_error_without_traceback(tmp_path: Path) -> None:
    with GarbageServer() as garbage:
        inventory = _inventory(tmp_path / "inv", _switch_entry("noise", garbage.port))
        proc = _start_collect(
            ["collect", "-i", str(inventory), "-o", str(tmp_path / "snap"), "--timeout", "3"],
            tmp_path,
        )
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err
    assert "Traceback" not in err
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text())
    (device,) = manifest["devices"]
    assert device["status"] == "error"
    assert "protocol error" in device["error"]
