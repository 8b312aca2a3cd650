"""Parse time of the join tables at core-switch sizes: ARP and CDP from CLI captures (TextFSM)
and ARP from an SNMP walk (IP-MIB), for 1,000, 10,000 and 50,000 entries.

The captures are written by the lab renderers (:mod:`xsfabric.lab.render_join`) from a
generated truth, then parsed as an import would (:func:`parse_cli_device`,
:func:`parse_snmp_device`); the parsed tables are checked against the truth's size.

    .venv/bin/python bench/bench_join_tables.py [--sizes 1000 10000 50000]
"""

from __future__ import annotations

import argparse
import ipaddress
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from xsfabric.lab.render_cli import write_cli_device
from xsfabric.lab.render_snmprec import render_snmprec
from xsfabric.lab.switches import lab_switch
from xsfabric.switch.cli_parse import parse_cli_device
from xsfabric.switch.model import ArpEntry, LldpNeighbor, SwitchFacts
from xsfabric.switch.snmp_parse import parse_snmp_device


def _truth(device: str, size: int) -> SwitchFacts:
    base = lab_switch(device)
    network = ipaddress.IPv4Network("10.0.0.0/8")
    arp = [
        ArpEntry(
            str(network[n + 1]),
            f"02:00:{n >> 24 & 255:02x}:{n >> 16 & 255:02x}:{n >> 8 & 255:02x}:{n & 255:02x}",
            f"Vlan{10 + n % 40}",
            10 + n % 40,
        )
        for n in range(size)
    ]
    ports = [p.name for p in base.ports or [] if not p.lag_members]
    cdp = [
        LldpNeighbor(
            local_port=ports[n % len(ports)],
            chassis_id=f"sw{n}",
            port_id="GigabitEthernet1/0/1",
            port_id_subtype="interface-name",
            system_name=f"sw{n}",
            management_address=str(network[n + 1]),
            capabilities=("bridge",),
            protocol="cdp",
        )
        for n in range(size // 50)
    ]  # CDP tables are small: a neighbour per uplink
    return replace(base, arp=arp, cdp=cdp)


#: Parse cost per 1,000 ARP entries, CLI and SNMP alike (core switches hold tens of thousands).
TARGET_MS_PER_1K = 1000.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    args = parser.parse_args()
    print(f"{'entries':>8} {'CLI ios ARP+CDP s':>18} {'SNMP ARP s':>11} {'per 1k (CLI/SNMP)':>18}")
    worst = 0.0
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            truth = _truth("lab-sw1", size)
            write_cli_device(root / "cli", truth, "cisco_ios")
            start = time.perf_counter()
            cli = parse_cli_device(root / "cli" / "lab-sw1", "lab-sw1")
            cli_s = time.perf_counter() - start
            assert len(cli.arp or []) == size, cli.warnings[:3]
            assert len(cli.cdp or []) == size // 50, cli.warnings[:3]
            folder = root / "snmp"
            folder.mkdir()
            (folder / "snmp.snmprec").write_text(render_snmprec(truth, "cisco_ios")[None])
            start = time.perf_counter()
            snmp = parse_snmp_device(folder, "lab-sw1")
            snmp_s = time.perf_counter() - start
            assert len(snmp.arp or []) == size, snmp.warnings[:3]
        print(
            f"{size:>8} {cli_s:>18.2f} {snmp_s:>11.2f} "
            f"{cli_s / size * 1000:>8.3f}/{snmp_s / size * 1000:.3f}"
        )
        worst = max(worst, cli_s / size * 1e6, snmp_s / size * 1e6)
    met = worst <= TARGET_MS_PER_1K
    print(
        f"worst {worst:.0f} ms per 1,000 entries (target <= {TARGET_MS_PER_1K:.0f}: "
        f"{'OK' if met else 'MISSED'})"
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
