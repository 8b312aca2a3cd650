"""Collect N lab switches in one process, then over worker processes (``collect
--processes``, issue 12): wall time and CPU per switch of the collecting processes (this one
plus its workers; the lab server is measured apart).

The SSH lab runs in its own process (``python -m xsfabric.lab.ssh_server``). On a machine
with few cores the lab competes with the collectors for them: the lab's CPU is printed so the
figures can be read against it, with the load average before each run (the machine may be
shared). Exits 1 when a switch did not collect completely, or when two processes are not at
least :data:`TARGET_SPEEDUP` times faster than one while two cores are available (it says
MISSED; on one core there is nothing to gain and nothing is asserted).

    .venv/bin/python bench/bench_collect_processes.py [--switches 200] [--workers 32]
        [--processes 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xsfabric.collect import CollectOptions, collect_hosts
from xsfabric.collect_pool import available_cpus, collect_in_processes
from xsfabric.inventory import InventoryHost
from xsfabric.kinds import DeviceKind
from xsfabric.lab.render_cli import write_cli_device
from xsfabric.lab.switches import lab_switch, renamed
from xsfabric.snapshot import SnapshotWriter
from xsfabric.switch.allowlist import CLI_COMMANDS

PLATFORM = "cisco_ios"
#: wall-time gain of two processes over one, with two cores free (the issue's aim: the
#: collecting CPU spread over both cores)
TARGET_SPEEDUP = 1.3


def _hosts(ports: dict[str, int], known_hosts: Path) -> list[InventoryHost]:
    return [
        InventoryHost(
            name=name,
            hostname="127.0.0.1",
            kind=DeviceKind.SWITCH,
            platform=PLATFORM,
            port=port,
            username="lab",
            password="lab",  # noqa: S106
            data={"kind": "switch", "collect": ["cli"], "known_hosts": str(known_hosts)},
            connection_options={"netmiko": {"extras": {"secret": "lab-enable"}}},
            groups=(),
            source="bench",
        )
        for name, port in sorted(ports.items())
    ]


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) of a running process, from /proc (0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(
    hosts: list[InventoryHost], workers: int, processes: int, target: Path, lab_pid: int
) -> tuple[float, float, float, list[str]]:
    """Wall time, CPU of the collecting processes, CPU of the lab, and what went wrong."""
    options = CollectOptions(timeout=60, workers=workers)
    lab_before, mine_before = _cpu_of(lab_pid), time.process_time()
    children_before = _children_cpu()
    start = time.perf_counter()
    with SnapshotWriter(target) as writer:
        if processes == 1:
            collect_hosts(hosts, writer, options)
        else:
            collect_in_processes(hosts, writer, options, processes)
        writer.commit()
        bad = [f"{d.name}: {d.status}" for d in writer.devices.values() if d.status != "ok"]
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - mine_before + _children_cpu() - children_before
    lab_cpu = _cpu_of(lab_pid) - lab_before
    expected = len(CLI_COMMANDS[PLATFORM])
    for host in hosts:
        stored = len(list((target / "devices" / host.name).glob("*.txt")))
        if stored != expected:
            bad.append(f"{host.name}: {stored} captures, {expected} commands sent")
    return elapsed, cpu, lab_cpu, bad


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--switches", type=int, default=200)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        truth = lab_switch("lab-sw1")
        for n in range(args.switches):
            write_cli_device(root / "devices", renamed(truth, f"bench-sw{n:03d}"), PLATFORM)
        ports_file = root / "ports.json"
        lab = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "xsfabric.lab.ssh_server",
                str(root / "devices"),
                "--ports-file",
                str(ports_file),
                "--known-hosts",
                str(root / "known_hosts"),
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            for _ in range(600):
                if ports_file.exists():
                    break
                time.sleep(0.05)
            hosts = _hosts(json.loads(ports_file.read_text()), root / "known_hosts")
            results = {}
            for processes in (1, args.processes):
                load = os.getloadavg()[0]
                results[processes] = (
                    load,
                    *_run(hosts, args.workers, processes, root / f"p{processes}", lab.pid),
                )
        finally:
            lab.terminate()
            lab.wait(10)
    cores = available_cpus()
    print(
        f"{args.switches} lab switches ({PLATFORM}, CLI, {len(CLI_COMMANDS[PLATFORM])} "
        f"commands each), --workers {args.workers} in total; {cores} cores available"
    )
    problems: list[str] = []
    for processes, (load, wall, cpu, lab_cpu, bad) in results.items():
        print(
            f"--processes {processes}: {wall:6.2f} s wall, collecting CPU "
            f"{1000 * cpu / args.switches:5.1f} ms/switch ({cpu:.1f} s), lab server CPU "
            f"{lab_cpu:.1f} s, load average before {load:.2f}"
        )
        problems += bad
    speedup = results[1][1] / results[args.processes][1]
    checked = cores >= 2 and args.processes >= 2
    met = speedup >= TARGET_SPEEDUP or not checked
    verdict = ("OK" if met else "MISSED") if checked else "not checked: one core"
    print(f"speed-up: {speedup:4.2f}x (target >= {TARGET_SPEEDUP}x: {verdict})")
    for problem in problems:
        print(f"  incomplete: {problem}", file=sys.stderr)
    return 0 if met and not problems else 1


if __name__ == "__main__":
    raise SystemExit(main())
