"""Benchmark: render every report format for a large findings document.

Takes the bench-64 estate (one pool of 64 hosts, 2,000 VMs) and multiplies its findings to N
(default 5,000, about what 50 switches of unused ports give), with distinct subjects and
fingerprints, then times each renderer of ``audit.RENDERERS`` and prints the output size.
Target: every format under 5 s on a 2-core machine.

    .venv/bin/python bench/bench_reports.py [--findings 5000]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import tempfile
import time
from pathlib import Path

from xsfabric.audit import DEMO_DATA, RENDERERS, audit_snapshot, renderer, report_tables_for
from xsfabric.cli import main as cli
from xsfabric.lab.estate import load_estate
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.report.base import ReportOptions
from xsfabric.report.json import findings_document
from xsfabric.snapshot import Snapshot

TARGET_SECONDS = 5.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--findings", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_estate(load_estate(DEMO_DATA / "bench-64.yaml"), root / "src")
        assert cli(["snapshot", "import", str(root / "src"), "-o", str(root / "snap")]) == 0
        result = audit_snapshot(Snapshot.open(root / "snap"))
        doc = findings_document(result)
        seed = doc["findings"]
        findings = []
        for i in range(args.findings):
            f = copy.deepcopy(seed[i % len(seed)])
            f["subject"]["interface"] = {"name": f"Ethernet1/{i}"}
            f["fingerprint"] = hashlib.sha256(f"{f['fingerprint']}{i}".encode()).hexdigest()
            findings.append(f)
        doc["findings"] = findings
        options = ReportOptions(tables=report_tables_for(result, None))
        worst = 0.0
        for fmt in RENDERERS:
            start = time.perf_counter()
            files = renderer(fmt)(doc, options)
            took = time.perf_counter() - start
            worst = max(worst, took)
            size = sum(len(b) for b in files.values())
            print(f"{fmt:6} {took:6.2f}s {size / 1e6:7.2f} MB")
    print(f"{args.findings} findings; slowest format {worst:.2f}s (target < {TARGET_SECONDS:.0f}s)")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
