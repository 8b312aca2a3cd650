"""Collection over worker processes (``collect --processes``, issue 12), against the SSH lab:
the same snapshot as one process (a lab round trip), only allowlisted commands sent from the
workers (the lab's own log), a worker killed mid-run (failed devices, a valid snapshot, the
partial exit code), Ctrl-C, and planted secrets kept out of every output."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import multiprocessing
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.planted import PLANTED_CONFIG
from tests.switch.conftest_snmp import snmp_host

from xsfabric import collect_pool
from xsfabric.collect import EXIT_PARTIAL, CollectOptions, collect_hosts, run_collect
from xsfabric.collect_pool import (
    DEVICES_PER_PROCESS,
    available_cpus,
    choose_processes,
    collect_in_processes,
)
from xsfabric.inventory import InventoryHost
from xsfabric.kinds import DeviceKind
from xsfabric.lab.render_cli import write_cli_device
from xsfabric.lab.render_snmprec import write_snmprec_device
from xsfabric.lab.snmpsim import Snmpsim
from xsfabric.lab.ssh_server import LabConfig, LabSshServer
from xsfabric.lab.switches import CLI_LAB_PLATFORMS, cli_lab_switches, lab_switch
from xsfabric.redact import Redactor
from xsfabric.snapshot import Snapshot, SnapshotWriter
from xsfabric.switch.allowlist import allowed_commands
from xsfabric.switch.facts_store import store_facts

pytestmark = pytest.mark.slow  # lab servers, worker processes, subprocesses

PASSWORD, ENABLE = "plPOOLa1x", "plPOOLb2x"
LAB = LabConfig(username="pool-user", password=PASSWORD, enable_secret=ENABLE)
#: planted in the lab's configurations (one per platform) and in a failing device's password
MARKERS = {
    platform: [marker for _, marker in lines[:4]] for platform, lines in PLANTED_CONFIG.items()
}
FAILED_PW = "plPOOLc3x"


def _plant(folder: Path) -> None:
    """The lab switches, each configuration carrying four planted secret lines."""
    for truth in cli_lab_switches():
        platform = CLI_LAB_PLATFORMS[truth.device]
        write_cli_device(folder, truth, platform)
        for name in ("show running-config.txt", "show configuration.txt"):
            path = folder / truth.device / name
            if path.is_file():
                planted = "\n".join(line for line, _ in PLANTED_CONFIG[platform][:4]) + "\n"
                text = path.read_text()
                if "\nend\n" in text:
                    text = text.replace("\nend\n", "\n" + planted + "end\n", 1)
                else:
                    text += planted
                path.write_text(text)


def _all_markers() -> list[str]:
    return [m for ms in MARKERS.values() for m in ms] + [LAB.password, ENABLE, FAILED_PW]


@dataclass
class Lab:
    server: LabSshServer
    work: Path
    #: snmpsim serving lab-sw2 under the community "lab-sw2"
    snmp_port: int


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    work = tmp_path_factory.mktemp("pool-lab")
    _plant(work / "devices")
    (work / "snmpsim").mkdir()
    write_snmprec_device(work / "snmpsim", lab_switch("lab-sw2"), "cisco_nxos")
    with (
        LabSshServer(work / "devices", LAB, work / "commands.jsonl") as server,
        Snmpsim(work / "snmpsim") as sim,
    ):
        yield Lab(server, work, sim.port)


def _host(lab: Lab, name: str, platform: str, port: int, methods: list[str]) -> InventoryHost:
    assert lab.server.known_hosts is not None
    return InventoryHost(
        name=name,
        hostname="127.0.0.1",
        kind=DeviceKind.SWITCH,
        platform=platform,
        port=port,
        username=LAB.username,
        password=LAB.password,
        data={"kind": "switch", "collect": methods, "known_hosts": str(lab.server.known_hosts)},
        connection_options={"netmiko": {"extras": {"secret": ENABLE}}},
        groups=(),
        source="test",
    )


#: The lab switches collected here: IOS (CLI and NAPALM), NX-OS and EOS (CLI). Not the Junos
#: one: netmiko spends 16 s on it, and two processes need no fourth device.
SWITCHES = {name: p for name, p in CLI_LAB_PLATFORMS.items() if p != "juniper_junos"}


def _lab_hosts(lab: Lab) -> list[InventoryHost]:
    return [
        _host(
            lab,
            name,
            platform,
            lab.server.ports[name],
            ["cli", "napalm"] if name == "lab-sw1" else ["cli"],
        )
        for name, platform in SWITCHES.items()
    ] + [
        snmp_host("snmp-sw2", lab.snmp_port, community="lab-sw2"),
        dataclasses.replace(
            _host(lab, "wrong-password", "cisco_ios", lab.server.ports["lab-sw1"], ["cli"]),
            password=FAILED_PW,
        ),
    ]


def _redactor() -> Redactor:
    redactor = Redactor()
    redactor.add_secrets([LAB.password, ENABLE, FAILED_PW])
    return redactor


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


def _manifest_without_times(folder: Path) -> dict[str, Any]:
    manifest = json.loads((folder / "manifest.json").read_text())
    for key in ("started_at", "finished_at"):
        manifest.pop(key)
    for device in manifest["devices"]:
        device.pop("collected_at")
    return dict(manifest)


@dataclass
class RoundTrip:
    one: Path
    two: Path
    #: the lab log entries of the two-process run only
    entries: list[dict[str, Any]]
    progress: list[str]


@pytest.fixture(scope="module")
def round_trip(lab: Lab) -> RoundTrip:
    hosts = _lab_hosts(lab)
    options = CollectOptions(timeout=15, workers=4)
    one, two = lab.work / "one", lab.work / "two"
    start = time.perf_counter()
    with SnapshotWriter(one, redactor=_redactor()) as writer:
        collect_hosts(hosts, writer, options)
        store_facts(writer)
        writer.commit()
    print(f"one process: {time.perf_counter() - start:.1f} s")
    before = len(lab.server.log.entries)
    progress: list[str] = []
    start = time.perf_counter()
    with SnapshotWriter(two, redactor=_redactor()) as writer:
        collect_in_processes(hosts, writer, options, 2, progress=progress.append)
        store_facts(writer)
        writer.commit()
    print(f"two processes: {time.perf_counter() - start:.1f} s")
    return RoundTrip(one, two, lab.server.log.entries[before:], progress)


def test_lab_round_trip_two_processes_write_the_same_snapshot_as_one(
    round_trip: RoundTrip,
) -> None:
    one, two = _files(round_trip.one), _files(round_trip.two)
    assert sorted(one) == sorted(two)
    assert [p for p in one if one[p] != two[p]] == []
    manifest_one = _manifest_without_times(round_trip.one)
    manifest_two = _manifest_without_times(round_trip.two)
    assert manifest_one == manifest_two
    # not vacuous: every lab switch was collected, with captures and stored facts
    statuses = {d["name"]: d["status"] for d in manifest_two["devices"]}
    assert statuses == {
        **dict.fromkeys([*SWITCHES, "snmp-sw2"], "ok"),
        "wrong-password": "auth-failed",
    }
    assert all(len(d["artifacts"]) > 5 for d in manifest_two["devices"] if d["name"] in SWITCHES)
    assert any(p.startswith("devices/snmp-sw2/") and p.endswith(".snmprec") for p in two)
    assert set(manifest_two["facts"]["devices"]) >= {*SWITCHES, "snmp-sw2"}
    assert any(p.endswith("config-facts.json") for p in two)
    Snapshot.open(round_trip.two)  # every artifact verifies against the manifest


def test_progress_shows_every_device_from_the_parent(round_trip: RoundTrip) -> None:
    count = len(SWITCHES) + 2
    assert [line.split("]")[0] for line in round_trip.progress] == [
        f"[{n}/{count}" for n in range(1, count + 1)
    ]
    names = {line.split()[1].rstrip(":") for line in round_trip.progress}
    assert names == {*SWITCHES, "snmp-sw2", "wrong-password"}


def test_worker_processes_sent_only_allowlisted_commands(round_trip: RoundTrip) -> None:
    entries = round_trip.entries
    assert {e["device"] for e in entries} == set(SWITCHES)
    for entry in entries:
        assert entry["command"] in allowed_commands(SWITCHES[entry["device"]]), entry


def test_planted_secrets_never_reach_the_snapshot(round_trip: RoundTrip) -> None:
    files = _files(round_trip.two)
    files["manifest.json"] = (round_trip.two / "manifest.json").read_bytes()
    configs = [p for p in files if "running-config" in p or "configuration" in p]
    assert configs  # the planted configurations were collected
    leaks = [(p, m) for p, data in files.items() for m in _all_markers() if m.encode() in data]
    assert leaks == []


# -- a worker killed mid-run ----------------------------------------------------------------


@contextlib.contextmanager
def _silent_port() -> Iterator[int]:
    """A port that accepts TCP connections and never says a word (no SSH banner): a device
    that hangs its collector until the killed worker takes it away."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield int(sock.getsockname()[1])


def _inventory(
    folder: Path,
    hosts: list[tuple[str, str, int]],
    known_hosts: Path,
    passwords: dict[str, str] | None = None,
) -> Path:
    """An inventory of lab switches collected over CLI; credentials from the environment
    (``POOL_PW``, ``POOL_ENABLE``, a host's own ``passwords`` variable)."""
    folder.mkdir()
    lines: list[str] = []
    for name, platform, port in hosts:
        lines += [
            f"{name}:",
            "  hostname: 127.0.0.1",
            f"  port: {port}",
            f"  platform: {platform}",
            "  groups: [switches]",
            "  data:",
            "    collect: [cli]",
        ]
        if passwords and name in passwords:
            lines.append(f"  password: ${{{passwords[name]}}}")
    (folder / "hosts.yaml").write_text("\n".join(lines) + "\n")
    (folder / "groups.yaml").write_text(
        "switches:\n"
        f"  username: {LAB.username}\n"
        "  password: ${POOL_PW}\n"
        f"  data: {{kind: switch, known_hosts: '{known_hosts}'}}\n"
        "  connection_options:\n"
        "    netmiko:\n"
        "      extras: {secret: '${POOL_ENABLE}'}\n"
    )
    return folder


class _KillOnStart:
    """A progress display that kills the worker process collecting ``victim`` as soon as
    that device starts, after planting a file in its folder as a write the worker did not
    live to report."""

    def __init__(self, victim: str, folder: Path) -> None:
        self.victim = victim
        self.folder = folder
        self.done_calls: dict[str, tuple[str, str | None]] = {}
        self.killed: int | None = None

    def __call__(self, hosts: object) -> contextlib.AbstractContextManager[_KillOnStart]:
        return contextlib.nullcontext(self)

    def start(self, host: InventoryHost) -> None:
        if host.name != self.victim:
            return
        (tmp,) = self.folder.parent.glob(f".{self.folder.name}.partial-*")
        torn = tmp / "devices" / host.name / "show version.txt"
        torn.parent.mkdir(parents=True, exist_ok=True)
        torn.write_text("Cisco IOS Software, half a captu")
        worker = next(
            p for p in multiprocessing.active_children() if p.name == "xsfabric-collect-1"
        )
        assert worker.pid is not None
        self.killed = worker.pid
        os.kill(worker.pid, signal.SIGKILL)

    def done(self, host: InventoryHost, status: str, error: str | None) -> None:
        self.done_calls[host.name] = (status, error)


def test_killed_worker_fails_its_devices_and_the_snapshot_stays_valid(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert lab.server.known_hosts is not None
    monkeypatch.setenv("POOL_PW", LAB.password)
    monkeypatch.setenv("POOL_ENABLE", ENABLE)
    ports = lab.server.ports
    with _silent_port() as silent:
        # dealt round-robin: worker 0 gets lab-sw1 and lab-sw2, worker 1 "hung" then lab-sw3
        inventory = _inventory(
            tmp_path / "inv",
            [
                ("lab-sw1", "cisco_ios", ports["lab-sw1"]),
                ("hung", "cisco_ios", silent),
                ("lab-sw2", "cisco_nxos", ports["lab-sw2"]),
                ("lab-sw3", "arista_eos", ports["lab-sw3"]),
            ],
            lab.server.known_hosts,
        )
        target = tmp_path / "snap"
        display = _KillOnStart("hung", target)
        args = argparse.Namespace(
            inventory=inventory,
            secrets=None,
            limit=[],
            policy=None,
            output=target,
            force=False,
            timeout=30.0,
            workers=2,
            processes=2,
            allow_partial=False,
            progress_display=display,
        )
        code = run_collect(args)
    assert display.killed is not None
    assert code == EXIT_PARTIAL
    snapshot = Snapshot.open(target)  # verifies: the torn file is gone, nothing is missing
    devices = {d["name"]: d for d in snapshot.manifest["devices"]}
    assert [d["name"] for d in snapshot.manifest["devices"]] == [
        "lab-sw1",
        "hung",
        "lab-sw2",
        "lab-sw3",
    ]
    assert devices["lab-sw1"]["status"] == devices["lab-sw2"]["status"] == "ok"
    for name in ("hung", "lab-sw3"):  # the running one and the one still waiting
        assert devices[name]["status"] == "error"
        assert f"pid {display.killed}" in devices[name]["error"]
        assert "killed by SIGKILL" in devices[name]["error"]
    # what the killed worker reported is kept (as for a device abandoned at its deadline)
    assert devices["lab-sw3"]["artifacts"] == []
    assert {a["path"] for a in devices["hung"]["artifacts"]} <= {"devices/hung/platform"}
    assert not (target / "devices" / "hung" / "show version.txt").exists()
    assert display.done_calls.keys() == devices.keys()  # every device reported
    # the finished devices' facts were stored as after any collection
    # ("hung" too when its platform file was reported before the kill)
    assert set(snapshot.manifest["facts"]["devices"]) - {"hung"} == {"lab-sw1", "lab-sw2"}
    assert not list(tmp_path.glob(".snap.partial-*"))


def test_a_worker_that_stops_answering_is_killed_and_its_devices_fail(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two devices that never answer, one per worker. The working worker abandons its device
    at ``--device-timeout`` itself (``timeout``, as in one process). The other worker is
    frozen (SIGSTOP here; a C call holding the GIL would do the same) and cannot: the parent
    kills it once its device is late by the budget plus :data:`HUNG_SLACK` (``error``)."""
    monkeypatch.setattr(collect_pool, "HUNG_SLACK", 1.0)
    frozen: list[int] = []

    def freeze(host: InventoryHost) -> None:
        if host.name == "frozen":
            worker = next(
                p for p in multiprocessing.active_children() if p.name == "xsfabric-collect-1"
            )
            assert worker.pid is not None
            frozen.append(worker.pid)
            os.kill(worker.pid, signal.SIGSTOP)

    with _silent_port() as silent:
        hosts = [
            _host(lab, "silent", "cisco_ios", silent, ["cli"]),
            _host(lab, "frozen", "cisco_ios", silent, ["cli"]),
        ]
        options = CollectOptions(timeout=30, workers=2, device_timeout=2.0)
        with SnapshotWriter(tmp_path / "snap", redactor=_redactor()) as writer:
            start = time.monotonic()
            collect_in_processes(hosts, writer, options, 2, on_start=freeze)
            elapsed = time.monotonic() - start
            writer.commit()
    assert frozen
    devices = {d["name"]: d for d in Snapshot.open(tmp_path / "snap").manifest["devices"]}
    assert devices["silent"]["status"] == "timeout"
    assert devices["frozen"]["status"] == "error"
    assert "collection worker process 1 stopped answering" in devices["frozen"]["error"]
    assert elapsed < 25  # the 30 s connection timeout was not waited for


# -- Ctrl-C ---------------------------------------------------------------------------------


def test_ctrl_c_stops_the_workers_and_writes_what_finished(lab: Lab, tmp_path: Path) -> None:
    """As a user runs it: ``xsfabric collect --processes 2`` in its own process group, SIGINT
    to the whole group (what a terminal does), once a lab switch has finished and two
    devices hang."""
    assert lab.server.known_hosts is not None
    ports = lab.server.ports
    with _silent_port() as silent:
        inventory = _inventory(
            tmp_path / "inv",
            [
                ("lab-sw1", "cisco_ios", ports["lab-sw1"]),
                ("hung-a", "cisco_ios", silent),
                ("hung-b", "cisco_ios", silent),
            ],
            lab.server.known_hosts,
        )
        target = tmp_path / "snap"
        env = {**os.environ, "POOL_PW": LAB.password, "POOL_ENABLE": ENABLE}
        command = [sys.executable, "-m", "xsfabric.cli", "collect", "-i", str(inventory)]
        command += ["-o", str(target), "--processes", "2", "--workers", "4", "--timeout", "60"]
        gone = False
        stderr = tmp_path / "stderr.txt"
        with stderr.open("w") as err_file:
            process = subprocess.Popen(
                command,
                env=env,
                stdout=subprocess.PIPE,
                stderr=err_file,
                text=True,
                start_new_session=True,
            )
        try:
            deadline = time.monotonic() + 120
            # the parent's progress line: lab-sw1 finished (the other two hang)
            while time.monotonic() < deadline and not re.search(
                r"lab-sw1 .*: ok", stderr.read_text()
            ):
                time.sleep(0.2)
            os.killpg(process.pid, signal.SIGINT)
            process.communicate(timeout=60)
            err = stderr.read_text()
            gone = _group_gone(process.pid)  # no worker process outlives the command
        finally:
            if process.poll() is None or not gone:  # the test failed: nothing may stay
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, err
    assert gone
    assert "interrupted" in err
    snapshot = Snapshot.open(target)
    statuses = {d["name"]: d["status"] for d in snapshot.manifest["devices"]}
    assert statuses == {"lab-sw1": "ok", "hung-a": "interrupted", "hung-b": "interrupted"}
    assert "Traceback" not in err


def _group_gone(group: int) -> bool:
    for _ in range(50):
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


# -- as a user runs it, at -vv ---------------------------------------------------------------


def test_vv_log_of_the_workers_reaches_the_parent_without_secrets(lab: Lab, tmp_path: Path) -> None:
    """``xsfabric -vv collect --processes 2``: the workers' log records (netmiko's channel
    debug, which prints whole configurations) are logged by the parent, through its secret
    filter; no planted secret, login, enable or failed password is in the output or in any
    file of the snapshot; a device refused for its password makes the exit code partial."""
    assert lab.server.known_hosts is not None
    ports = lab.server.ports
    hosts = [(name, platform, ports[name]) for name, platform in SWITCHES.items()]
    hosts.append(("wrong-password", "cisco_ios", ports["lab-sw1"]))
    inventory = _inventory(
        tmp_path / "inv", hosts, lab.server.known_hosts, {"wrong-password": "POOL_FAILED"}
    )
    target = tmp_path / "snap"
    env = {**os.environ, "POOL_PW": PASSWORD, "POOL_ENABLE": ENABLE, "POOL_FAILED": FAILED_PW}
    command = [sys.executable, "-m", "xsfabric.cli", "-vv", "collect", "-q", "-i", str(inventory)]
    command += ["-o", str(target), "--processes", "2", "--timeout", "15"]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    output = run.stdout + run.stderr
    assert run.returncode == EXIT_PARTIAL, output[-3000:]
    assert "over 2 worker processes" in output
    # the parent never connects to a switch here: netmiko's records came from the workers
    assert "DEBUG netmiko" in output
    assert "REMOVED" in output or "authentication-key" in output
    statuses = {d["name"]: d["status"] for d in Snapshot.open(target).manifest["devices"]}
    assert statuses == {**dict.fromkeys(SWITCHES, "ok"), "wrong-password": "auth-failed"}
    texts = {"output": output.encode()} | {
        p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()
    }
    markers = _all_markers()
    leaks = [(where, m) for where, data in texts.items() for m in markers if m.encode() in data]
    assert leaks == []


# -- the automatic rule ---------------------------------------------------------------------


def _fake(name: str, kind: DeviceKind) -> InventoryHost:
    return InventoryHost(
        name=name,
        hostname="192.0.2.1",
        kind=kind,
        platform=None,
        port=None,
        username=None,
        password=None,
        data={},
        connection_options={},
        groups=(),
        source="test",
    )


def test_automatic_processes_one_below_the_threshold_then_one_per_share() -> None:
    switches = [_fake(f"sw{n}", DeviceKind.SWITCH) for n in range(DEVICES_PER_PROCESS * 2)]
    pools = [_fake(f"pool{n}", DeviceKind.XENSERVER_POOL) for n in range(100)]
    cores = available_cpus()
    assert choose_processes(switches[: DEVICES_PER_PROCESS - 1], None, 16) == 1
    assert choose_processes(switches[:DEVICES_PER_PROCESS], None, 16) == 1
    assert choose_processes(switches, None, 16) == min(2, cores)
    # XenServer pools wait on XAPI: they never ask for another process
    assert choose_processes(pools + switches[:10], None, 16) == 1
    # given: used as given, but never more than --workers or the hosts
    assert choose_processes(switches, 3, 16) == 3
    assert choose_processes(switches, 3, 2) == 2
    assert choose_processes(switches[:1], 3, 16) == 1


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_bad_processes_is_a_usage_error(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from xsfabric.cli import main

    inventory = _inventory(tmp_path / "inv", [("sw", "cisco_ios", 22)], tmp_path / "known")
    with pytest.raises(SystemExit) as exit_info:
        main(["collect", "-i", str(inventory), "-o", str(tmp_path / "snap"), "--processes", value])
    assert exit_info.value.code == 2
    assert "--processes" in capsys.readouterr().err
    assert not (tmp_path / "snap").exists()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_lab_round_trip_pool_hba_listings_are_listed_by_the_parent(tmp_path: Path) -> None:
    """Files that belong to no collected device (a pool's ``data.wwpns`` stored as
    ``hba/<host>.txt``), written by a worker, land in the manifest's own artifacts as in one
    process; the pools themselves (a closed port) fail with the same status and error."""
    port = _closed_port()
    wwpns = {
        "pool-a": {"xs1": ["10:00:00:00:c9:aa:bb:01"], "xs2": ["10:00:00:00:c9:aa:bb:02"]},
        "pool-b": {"xs3": ["21:00:00:24:ff:00:00:03"]},
    }
    hosts = [
        dataclasses.replace(
            _fake(name, DeviceKind.XENSERVER_POOL),
            hostname="127.0.0.1",
            port=port,
            platform="xenserver",
            username="root",
            password=FAILED_PW,
            data={"kind": "xenserver-pool", "wwpns": listing},
        )
        for name, listing in wwpns.items()
    ]
    manifests = []
    for processes, target in ((1, tmp_path / "one"), (2, tmp_path / "two")):
        with SnapshotWriter(target, redactor=_redactor()) as writer:
            if processes == 1:
                collect_hosts(hosts, writer, CollectOptions(timeout=3, workers=2))
            else:
                collect_in_processes(hosts, writer, CollectOptions(timeout=3, workers=2), 2)
            writer.commit()
        Snapshot.open(target)
        manifests.append(_manifest_without_times(target))
    one, two = manifests
    assert sorted(two["artifacts"], key=str) == sorted(one["artifacts"], key=str)
    assert {a["path"] for a in two["artifacts"]} == {"hba/xs1.txt", "hba/xs2.txt", "hba/xs3.txt"}
    assert two["devices"] == one["devices"]
    assert [d["status"] for d in two["devices"]] == ["unreachable", "unreachable"]
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    assert (tmp_path / "two" / "hba" / "xs3.txt").read_text() == "0x21000024ff000003\n"
