"""Benchmark: hygiene rules and wipe-check over many large switch configurations.

Builds N Catalyst-style running configurations of P ports each (every other port a trunk
allowing every VLAN, the rest access ports — the worst case for VLAN-set work), writes them
through the snapshot writer (redaction + config facts), loads the estate and runs every
switch-hygiene rule; then wipe-checks one dirty spare M times. Prints the time of each step.
Target: under 5 s for 50 switches × 96 ports on a 2-core machine.

    .venv/bin/python bench/bench_hygiene.py [--switches 50] [--ports 96]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from xsfabric.kinds import DeviceKind
from xsfabric.model.estate import load_estate
from xsfabric.rules.engine import REGISTRY, Category, load_rules, run_rules
from xsfabric.snapshot import Snapshot, SnapshotWriter

TARGET_SECONDS = 5.0


def config(name: str, ports: int) -> str:
    lines = [
        f"hostname {name}",
        "enable secret 5 $1$abcd$0123456789abcdefABCDEF",
        "snmp-server community public RO",
        "ip dhcp snooping vlan 100",
    ]
    for vlan in range(100, 140):
        lines += [f"vlan {vlan}", f" name guest-{vlan}"]
    for i in range(1, ports + 1):
        lines.append(f"interface GigabitEthernet1/0/{i}")
        lines.append(f" description port {i}")
        if i % 2:
            lines += [" switchport mode trunk", " switchport trunk allowed vlan 1-4094"]
        else:
            lines += [f" switchport access vlan {100 + i % 40}", " switchport mode access"]
    lines += ["line vty 0 4", " transport input ssh", "end"]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--switches", type=int, default=50)
    parser.add_argument("--ports", type=int, default=96)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "snap"
        start = time.perf_counter()
        with SnapshotWriter(target) as writer:
            for n in range(args.switches):
                name = f"sw{n:03}"
                writer.device(name, DeviceKind.SWITCH, "cisco_ios", ["import"])
                writer.write_device_platform(name, "cisco_ios")
                writer.write_device_output(name, "show running-config", config(name, args.ports))
            writer.commit()
        written = time.perf_counter()
        estate = load_estate(Snapshot.open(target))
        loaded = time.perf_counter()
        load_rules()
        hygiene = [r for r, v in REGISTRY.items() if v.meta.category == Category.SWITCH_HYGIENE]
        results = run_rules(estate, hygiene)
        ran = time.perf_counter()
    print(
        f"{args.switches} switches x {args.ports} ports: write+facts "
        f"{written - start:.2f} s, parse {loaded - written:.2f} s, "
        f"{len(hygiene)} rules {ran - loaded:.2f} s, {len(results.findings)} findings"
    )
    total = ran - written
    print(
        f"parse + rules: {total:.2f} s (target {TARGET_SECONDS:.0f} s): "
        f"{'ok' if total < TARGET_SECONDS else 'SLOW'}"
    )
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
