"""Benchmark: the cabling in the reports on a large estate — the HTML cabling map, the
NICs↔Ports and VLANs per host port tables, and the estate diff of two cabling tables.

Builds a synthetic cabling table (``--hosts`` hosts, default 1,000, in pools of 64, four NICs
each: management and storage switches, an MLAG pair for the guest bond) and a findings
document of ``--findings`` findings (default 5,000) naming NICs and switch ports, then times
each step (the HTML page around the map is the demo estate's report); the diff compares the
table with a copy in which every tenth NIC moved port and every tenth port gained a VLAN.
The joins are hash lookups, so the time grows with NICs + findings, not their product.
Target: each step under 5 s on a 2-core machine.

    .venv/bin/python bench/bench_cabling_report.py [--hosts 1000] [--findings 5000]
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xsfabric.audit import DEMO_ESTATE, DEMO_POLICY, audit_snapshot
from xsfabric.cabling import CABLING_COLUMNS
from xsfabric.cli import main as cli
from xsfabric.lab.estate import load_estate
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.report.base import ReportOptions
from xsfabric.report.cabling_map import cabling_map, host_port_vlans_table, nics_ports_table
from xsfabric.report.changes import change_count, compare
from xsfabric.report.html import render_html
from xsfabric.report.json import findings_document
from xsfabric.snapshot import Snapshot
from xsfabric.tables import Table

TARGET_SECONDS = 5.0
SWITCHES = {"eth0": "mgmt-{p}", "eth1": "stor-{p}", "eth2": "leaf-{p}a", "eth3": "leaf-{p}b"}
ROLES = {"eth0": ["management"], "eth1": ["storage"], "eth2": ["guest"], "eth3": ["guest"]}


def cabling(hosts: int) -> Table:
    rows = []
    for h in range(hosts):
        pool, index = f"pool{h // 64:02}", h % 64 + 1
        for n, (pif, switch) in enumerate(SWITCHES.items()):
            rows.append(
                dict.fromkeys(CABLING_COLUMNS)
                | {
                    "pool": pool,
                    "host": f"{pool}-xs{index:02}",
                    "pif": pif,
                    "mac": f"3c:fd:fe:{h >> 8 & 255:02x}:{h & 255:02x}:{n:02x}",
                    "roles": ROLES[pif],
                    "bond": "bond0" if pif in ("eth2", "eth3") else None,
                    "switch": switch.format(p=pool),
                    "port": f"Ethernet1/{index}",
                    "mode": "trunk",
                    "native_vlan": 1,
                    "allowed_vlans": [1, 100 + n],
                    "learned_vlans": [],
                    "status": "placed",
                    "evidence": ["host-lldp"],
                }
            )
    return Table("cabling", CABLING_COLUMNS, rows)


def findings(table: Table, count: int) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        row = table.rows[(i * 7) % len(table.rows)]
        if i % 2:
            subject = {"pool": row["pool"], "host": row["host"], "pif": row["pif"]}
        else:
            subject = {"device": row["switch"], "interface": row["port"]}
        out.append(
            {
                "rule_id": f"bench-rule-{i % 20}",
                "fingerprint": f"{i:064x}",
                "subject": {k: {"name": v} for k, v in subject.items()},
            }
        )
    return out


def demo_document() -> dict[str, Any]:
    """A real findings document (the demo estate's) for the page around the map."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_estate(load_estate(DEMO_ESTATE), root / "src")
        argv = ["snapshot", "import", str(root / "src"), "-o", str(root / "snap")]
        with contextlib.redirect_stdout(io.StringIO()):
            assert cli([*argv, "--policy", str(DEMO_POLICY)]) == 0
        return findings_document(audit_snapshot(Snapshot.open(root / "snap")))


def timed(label: str, step: Callable[[], Any]) -> float:
    start = time.perf_counter()
    step()
    took = time.perf_counter() - start
    print(f"{label:34} {took:6.2f}s")
    return took


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=1000)
    parser.add_argument("--findings", type=int, default=5000)
    args = parser.parse_args()
    table = cabling(args.hosts)
    doc = {"findings": findings(table, args.findings)}
    pairs = {}
    for pool in {r["pool"] for r in table.rows}:
        pairs[f"leaf-{pool}a"], pairs[f"leaf-{pool}b"] = f"leaf-{pool}b", f"leaf-{pool}a"
    moved = copy.deepcopy(table)
    for i, row in enumerate(moved.rows):
        if i % 10 == 0:
            row["port"] = row["port"] + "0"
        if i % 10 == 5:
            row["allowed_vlans"] = [*row["allowed_vlans"], 999]
    print(f"{args.hosts} hosts, {len(table.rows)} NICs, {args.findings} findings")
    worst = max(
        timed("cabling map (layout)", lambda: cabling_map(table, doc, pairs)),
        timed("NICs↔Ports table", lambda: nics_ports_table(table, doc)),
        timed("VLANs per host port table", lambda: host_port_vlans_table(table)),
        timed(
            "estate diff of the cabling", lambda: compare({"cabling": table}, {"cabling": moved})
        ),
    )
    full = demo_document()
    html: list[str] = []
    worst = max(
        worst,
        timed(
            "HTML page with the map",
            lambda: html.append(
                render_html(full, ReportOptions(tables=(table,), mlag_pairs=pairs))
            ),
        ),
    )
    changes = compare({"cabling": table}, {"cabling": moved})
    print(f"changes found: {change_count(changes)}; HTML {len(html[0]) / 1e6:.1f} MB")
    print(f"slowest step {worst:.2f}s (target < {TARGET_SECONDS:.0f}s)")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
