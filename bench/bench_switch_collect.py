"""Collect 50 lab switches concurrently vs one after another, through ``collect_hosts``.

The SSH lab runs in its own process (``python -m xsfabric.lab.ssh_server``) so that its
asyncio loop does not compete with the collectors for this process's GIL. Prints both wall
times and the ratio; exits 1 when concurrent collection is not at least 10x faster (the target)
or when a switch did not collect completely.

    .venv/bin/python bench/bench_switch_collect.py [--switches 50] [--workers 50]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xsfabric.collect import CollectOptions, collect_hosts
from xsfabric.inventory import InventoryHost
from xsfabric.kinds import DeviceKind
from xsfabric.lab.render_cli import write_cli_device
from xsfabric.lab.switches import lab_switch, renamed
from xsfabric.snapshot import SnapshotWriter
from xsfabric.switch.allowlist import CLI_COMMANDS

PLATFORM = "cisco_ios"
TARGET_SPEEDUP = 10.0


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


def _run(hosts: list[InventoryHost], workers: int, target: Path) -> tuple[float, list[str]]:
    """Wall time of one collection, and what went wrong in it (devices not ok, devices with
    fewer captures than the platform's command set)."""
    start = time.perf_counter()
    with SnapshotWriter(target) as writer:
        collect_hosts(hosts, writer, CollectOptions(timeout=60, workers=workers))
        writer.commit()
        bad = [f"{d.name}: {d.status}" for d in writer.devices.values() if d.status != "ok"]
    elapsed = time.perf_counter() - start
    expected = len(CLI_COMMANDS[PLATFORM])
    for host in hosts:
        stored = len(list((target / "devices" / host.name).glob("*.txt")))
        if stored != expected:
            bad.append(f"{host.name}: {stored} captures, {expected} commands sent")
    return elapsed, bad


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--switches", type=int, default=50)
    parser.add_argument("--workers", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        truth = lab_switch("lab-sw1")
        for n in range(args.switches):
            write_cli_device(root / "devices", renamed(truth, f"bench-sw{n:02d}"), "cisco_ios")
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
            for _ in range(200):
                if ports_file.exists():
                    break
                time.sleep(0.05)
            hosts = _hosts(json.loads(ports_file.read_text()), root / "known_hosts")
            serial, serial_bad = _run(hosts, 1, root / "serial")
            concurrent, concurrent_bad = _run(hosts, args.workers, root / "concurrent")
        finally:
            lab.terminate()
            lab.wait(10)
    methods = sorted({m for h in hosts for m in h.data["collect"]})
    print(
        f"{args.switches} lab switches ({PLATFORM}, {len(methods)} method: "
        f"{', '.join(methods)}; {len(CLI_COMMANDS[PLATFORM])} commands each, from the "
        f"allowlist)"
    )
    print(f"one after another: {serial:6.2f} s")
    print(f"concurrent ({args.workers} workers): {concurrent:6.2f} s")
    speedup = serial / concurrent
    met = speedup >= TARGET_SPEEDUP
    print(
        f"speed-up: {speedup:5.1f}x (target >= {TARGET_SPEEDUP:.0f}x: {'OK' if met else 'MISSED'})"
    )
    for problem in serial_bad + concurrent_bad:
        print(f"  incomplete: {problem}", file=sys.stderr)
    return 0 if met and not serial_bad and not concurrent_bad else 1


if __name__ == "__main__":
    raise SystemExit(main())
