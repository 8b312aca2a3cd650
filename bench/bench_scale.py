"""Benchmark: the whole offline pipeline on generated estates of 10 to 1,000 switches (issue 12).

Each estate is made by the lab generator: P pools (8 to 64; 8 hosts of 4 NICs and 16 guest VMs
each) cabled to S switches of 48 ports that rotate the IOS, NX-OS, EOS and Junos capture
formats; every switch's MAC table is padded with foreign MACs to exactly 1,000 rows (on its
uncabled ports), so S switches hold S × 1,000 MAC rows — 1,000 switches are the 1 M-MAC,
64-pool estate. Then, each as its own ``xsfabric`` process (timed, peak RSS from ``wait4``)::

    snapshot import   (redaction, hashing, parsing every device once, stored facts)
    audit --format json
    show macs --format csv
    cabling --format csv

and one line per size, side by side: seconds per step, MAC rows, parse warnings (must be 0),
peak RSS of the largest step, audit seconds per 200,000 MAC rows. ``--baseline`` also audits a
copy of each snapshot with the stored facts removed (what every audit cost before parse-once)
and checks both audit reports are byte-identical; ``--profile`` prints where the audit of the
largest estate spends its time (cProfile, top functions by cumulative time).

Then SNMP: ``bench/bench_snmp_walk.py --json`` (a whole-agent walk on snmpsim, xsfabric's one
process against net-snmp's ``snmpbulkwalk``; its output is shown as it runs) gives the CPU per
1,000 varbinds of each; its figures are read from its JSON line (or, from a version of that
bench without ``--json``, from its text lines) and printed in the summary with the rest.
``--no-snmp`` skips it.

Targets, each printed OK or MISSED in the summary: audit ≤ 5 s per 200,000 MAC rows (growth
from the smallest size run, so the fixed start-up is not counted; checked from 200,000 rows
up); import + audit of the 1,000-switch, 1 M-MAC, 64-pool estate ≤ 180 s (when that size is
run); xsfabric's SNMP walk ≤ 1.5x net-snmp's CPU per varbind; no parse warnings, every MAC row
shown, and (``--baseline``) the audit report identical without stored facts. Exits 1 when a
target is missed. The default sizes (10, 100, 500, 1000) plus SNMP take ~15–20 min on 2 cores;
``--sizes 10,100 --no-snmp`` is a quick run.

    .venv/bin/python bench/bench_scale.py [--sizes 10,100,500,1000] [--baseline] [--profile]
        [--no-snmp] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from xsfabric.lab.estate import SWITCH_PLATFORMS, parse_estate
from xsfabric.lab.render_cli import write_cli_device
from xsfabric.lab.switch_gen import switch_truths
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.names import canonical_interface
from xsfabric.switch.model import FdbEntry

TARGET_PER_200K = 5.0
TARGET_BIG_SECONDS = 180.0
BIG = 1_000
MAC_ROWS = 1_000
PORTS = 48
HOSTS = 8
NICS = ("eth0", "eth1", "eth2", "eth3")
PLATFORMS = ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos")
#: Cabling slots of a switch: host i of a slot's pool lands on port ``<prefix>i``.
SLOTS = ("", "1", "2", "3", "4")
ROOT = Path(__file__).resolve().parents[1]


def pools_for(switches: int) -> int:
    """8 pools for small estates, 64 for 1,000 switches and more."""
    return max(8, min(64, switches * 64 // 1_000))


def estate_spec(switches: int, pools: int) -> dict[str, Any]:
    """The generator's description: pools, and switches cabled to their hosts' NICs."""
    pool_specs = []
    for p in range(pools):
        vlan = 100 + p % 50
        pool_specs.append(
            {
                "name": f"pool{p:02}",
                "hosts": HOSTS,
                "host_name": f"p{p:02}-xs{{i:02}}",
                "nics": len(NICS),
                "networks": [
                    {
                        "name": "Management",
                        "on": "eth0",
                        "management": True,
                        "ip": {"subnet": f"10.{p}.0.0/24", "start": 11, "gateway": f"10.{p}.0.1"},
                    },
                    {
                        "name": "Storage",
                        "on": "eth1",
                        "purpose": "Storage",
                        "ip": {"subnet": f"10.{p}.1.0/24", "start": 11},
                    },
                    {"name": f"Guest {vlan}", "on": "eth2", "vlan": vlan},
                    {"name": f"Guest {vlan + 50}", "on": "eth3", "vlan": vlan + 50},
                ],
                "vms": [
                    {"name": f"p{p:02}-vm{{i:03}}", "count": 16, "vifs": [f"Guest {vlan}"]},
                ],
            }
        )
    cabling: dict[int, list[dict[str, Any]]] = {s: [] for s in range(switches)}
    for j in range(pools * len(NICS)):
        p, nic = divmod(j, len(NICS))
        s, slot = j % switches, j // switches
        if slot >= len(SLOTS):
            break  # more NICs than ports: the rest stays uncabled
        platform = PLATFORMS[s % len(PLATFORMS)]
        port = SWITCH_PLATFORMS[platform].format(n=SLOTS[slot] + "{i}")
        cabling[s].append({"pool": f"pool{p:02}", "nic": NICS[nic], "port": port})
    switch_specs = []
    for s in range(switches):
        vlans = {1: "default"}
        for entry in cabling[s]:
            p = int(entry["pool"][4:])
            vlans[100 + p % 50] = f"guest-{100 + p % 50}"
            vlans[150 + p % 50] = f"guest-{150 + p % 50}"
        switch_specs.append(
            {
                "name": f"sw{s:04}",
                "platform": PLATFORMS[s % len(PLATFORMS)],
                "ports": PORTS,
                "vlans": vlans,
                "cabling": cabling[s],
            }
        )
    return {"seed": "bench-scale", "pools": pool_specs, "switches": switch_specs}


def _stranger(switch: int, k: int) -> str:
    """A foreign MAC (locally administered, unique per switch and row)."""
    return f"02:5c:{switch >> 8:02x}:{switch & 0xFF:02x}:{k >> 8:02x}:{k & 0xFF:02x}"


def generate(folder: Path, switches: int, pools: int) -> int:
    """Write the estate's raw captures into ``folder``; returns the MAC rows written."""
    spec = parse_estate(estate_spec(switches, pools))
    write_estate(spec, folder)
    rows = 0
    for s, (truth, platform) in enumerate(switch_truths(spec)):
        fdb = list(truth.fdb or [])
        busy = {e.port for e in fdb}
        free = [p.name for p in truth.ports or [] if p.name not in busy and p.lag is None]
        free = free or [canonical_interface(SWITCH_PLATFORMS[platform].format(n=PORTS))]
        fdb += [
            FdbEntry(_stranger(s, k), 1, free[k % len(free)]) for k in range(MAC_ROWS - len(fdb))
        ]
        rows += len(fdb)
        write_cli_device(folder / "devices", replace(truth, fdb=fdb), platform)
    return rows


@dataclass
class Step:
    seconds: float
    rss_mb: float
    code: int
    stdout: bytes = field(repr=False, default=b"")
    stderr: bytes = field(repr=False, default=b"")


def xsfabric(*argv: str | Path) -> Step:
    """One ``xsfabric`` command in its own process: wall time, peak RSS (its own and its
    pool workers'), exit code and output."""
    command = [
        sys.executable,
        "-c",
        "import sys; from xsfabric.cli import main; sys.exit(main(sys.argv[1:]))",
        *map(str, argv),
    ]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Step(seconds, usage.ru_maxrss / 1024, proc.returncode, out.read(), err.read())


def _check(step: Step, what: str, ok: tuple[int, ...] = (0,)) -> Step:
    if step.code not in ok:
        sys.stderr.write(step.stderr.decode(errors="replace")[-3000:])
        raise SystemExit(f"{what}: exit {step.code}")
    return step


def _parse_warnings(snapshot: Path) -> int:
    """Parse warnings in the stored facts (the import parsed every device)."""
    count = 0
    for facts in sorted((snapshot / "facts").glob("*/facts.json")):
        for doc in json.loads(facts.read_text())["facts"]:
            count += len(doc.get("warnings") or [])
    return count


def _without_facts(snapshot: Path, target: Path) -> None:
    shutil.copytree(snapshot, target)
    shutil.rmtree(target / "facts")
    manifest = json.loads((target / "manifest.json").read_text())
    manifest.pop("facts", None)
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


def _profile_audit(snapshot: Path) -> None:
    import cProfile
    import pstats

    from xsfabric.audit import audit_snapshot
    from xsfabric.snapshot import Snapshot

    profiler = cProfile.Profile()
    profiler.enable()
    audit_snapshot(Snapshot.open(snapshot))
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(25)
    print(f"\nprofile of the audit of {snapshot.name} (in-process, cumulative):")
    print("\n".join(stream.getvalue().splitlines()[:45]))


SNMP_BENCH = ROOT / "bench" / "bench_snmp_walk.py"
TARGET_SNMP_RATIO = 1.5
_PER_1000 = re.compile(r"([\d.]+)\s*ms/1,000")
_RATIO = re.compile(r"median[^:]*:\s*([\d.]+)x")
_VARBINDS = re.compile(r"(\d+)\s+varbinds")


def parse_snmp_output(text: str) -> dict[str, Any] | None:
    """The figures of ``bench_snmp_walk.py``'s output: its ``--json`` line when there is one
    (the last line that is a JSON object), else its text lines (``… N varbinds … X ms/1,000``
    for the xsfabric one-process walk and net-snmp's, the median ratio line). None when
    neither client's figure is there (net-snmp missing, the bench failed)."""
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            try:
                doc = json.loads(line)
            except ValueError:
                continue
            if isinstance(doc, dict) and "xsfabric_ms_per_1000" in doc:
                return doc
    figures: dict[str, Any] = {}
    for line in text.splitlines():
        per = _PER_1000.search(line)
        label = line.lower()
        if per is not None:
            value = float(per.group(1))
            if "net-snmp" in label or "snmpbulkwalk" in label:
                figures.setdefault("netsnmp_ms_per_1000", value)
            elif "xsfabric" in label and "in process" in label:
                figures.setdefault("xsfabric_in_process_ms_per_1000", value)
            elif "xsfabric" in label and "pysnmp" not in label:
                figures.setdefault("xsfabric_ms_per_1000", value)
                count = _VARBINDS.search(line)
                if count:
                    figures.setdefault("varbinds", int(count.group(1)))
        ratio = _RATIO.search(line)
        if ratio is not None:
            figures["ratio"] = float(ratio.group(1))
    if "xsfabric_ms_per_1000" not in figures or "netsnmp_ms_per_1000" not in figures:
        return None
    figures.setdefault("ratio", figures["xsfabric_ms_per_1000"] / figures["netsnmp_ms_per_1000"])
    return figures


def run_snmp_bench() -> tuple[dict[str, Any] | None, str]:
    """Run ``bench_snmp_walk.py --json`` (without ``--json`` if that bench does not take it),
    showing its output as it comes; its figures, or None and why not."""
    if not SNMP_BENCH.is_file():
        return None, f"{SNMP_BENCH.name} is not there"
    for extra in (["--json"], []):
        print(f"\n{SNMP_BENCH.name} {' '.join(extra)}:", flush=True)
        proc = subprocess.Popen(
            [sys.executable, str(SNMP_BENCH), *extra],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),  # its lines as they come
        )
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if not line.startswith("{"):
                print(f"  {line}", end="", flush=True)
        code = proc.wait()
        text = "".join(lines)
        if extra and code == 2 and "unrecognized arguments" in text:
            continue  # an older bench without --json: read its text
        figures = parse_snmp_output(text)
        if figures is not None:
            return figures, ""
        return None, f"{SNMP_BENCH.name} gave no figures (exit {code})"
    return None, f"{SNMP_BENCH.name} gave no figures"


def run_size(work: Path, switches: int, baseline: bool) -> dict[str, Any]:
    pools = pools_for(switches)
    src, snap = work / f"src-{switches}", work / f"snap-{switches}"
    started = time.perf_counter()
    rows = generate(src, switches, pools)
    generated = time.perf_counter() - started
    imported = _check(xsfabric("snapshot", "import", src, "-o", snap), "import")
    audit = _check(xsfabric("audit", snap, "--format", "json"), "audit", (0, 1, 3))
    macs = _check(xsfabric("show", "macs", snap, "--format", "csv"), "show macs")
    shown = sum(1 for _ in csv.reader(io.StringIO(macs.stdout.decode()))) - 1
    cabling = _check(xsfabric("cabling", snap, "--format", "csv"), "cabling", (0, 1, 3))
    result: dict[str, Any] = {
        "switches": switches,
        "pools": pools,
        "rows": rows,
        "shown": shown,
        "warnings": _parse_warnings(snap),
        "generate": generated,
        "import": imported.seconds,
        "audit": audit.seconds,
        "show": macs.seconds,
        "cabling": cabling.seconds,
        "rss": max(s.rss_mb for s in (imported, audit, macs, cabling)),
        "per200k": audit.seconds * 200_000 / rows,  # made marginal in main()
        "snapshot": snap,
    }
    if baseline:
        old = work / f"old-{switches}"
        _without_facts(snap, old)
        before = _check(xsfabric("audit", old, "--format", "json"), "audit (old)", (0, 1, 3))
        same = before.stdout.replace(str(old).encode(), b"S") == audit.stdout.replace(
            str(snap).encode(), b"S"
        )
        result.update(before=before.seconds, identical=same)
        shutil.rmtree(old)
    shutil.rmtree(src)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,500,1000", help="switch counts, comma-separated")
    parser.add_argument("--baseline", action="store_true", help="also audit without stored facts")
    parser.add_argument("--profile", action="store_true", help="profile the largest audit")
    parser.add_argument("--no-snmp", action="store_true", help="skip the SNMP walk bench")
    parser.add_argument("--snmp", action="store_true", help=argparse.SUPPRESS)  # the default now
    parser.add_argument("--keep", type=Path, help="keep the snapshots in this folder")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    print(
        f"{os.cpu_count()} cores; {PORTS} ports and {MAC_ROWS:,} MAC rows per switch, "
        f"platforms rotating {', '.join(PLATFORMS)}"
    )
    header = (
        f"{'switches':>8} {'pools':>5} {'MAC rows':>9} {'warn':>4} {'generate':>8} "
        f"{'import':>7} {'audit':>7} {'show macs':>9} {'cabling':>8} {'peak RSS':>9} "
        f"{'audit/200k':>10}"
    )
    results = []
    work = args.keep or Path(tempfile.mkdtemp(prefix="xsfabric-bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for size in sizes:
            r = run_size(work, size, args.baseline)
            results.append(r)
            print(_row(r), flush=True)
        # per 200k rows: the growth from the smallest size run (fixed start-up costs out);
        # a single size gives the plain ratio
        first = results[0]
        for r in results[1:]:
            grown = r["rows"] - first["rows"]
            r["per200k"] = (r["audit"] - first["audit"]) * 200_000 / grown if grown else 0.0
        if args.profile and results:
            _profile_audit(results[-1]["snapshot"])
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    snmp, snmp_missing = (None, "skipped (--no-snmp)") if args.no_snmp else run_snmp_bench()
    return summary(header, results, snmp, snmp_missing)


def _row(r: dict[str, Any]) -> str:
    return (
        f"{r['switches']:>8} {r['pools']:>5} {r['rows']:>9,} {r['warnings']:>4} "
        f"{r['generate']:>7.1f}s {r['import']:>6.1f}s {r['audit']:>6.1f}s "
        f"{r['show']:>8.1f}s {r['cabling']:>7.1f}s {r['rss']:>6.0f} MB "
        f"{r['per200k']:>9.2f}s"
        + (
            f"   (no stored facts: audit {r['before']:.1f}s, report "
            f"{'identical' if r['identical'] else 'DIFFERENT'})"
            if "before" in r
            else ""
        )
    )


def summary(
    header: str, results: list[dict[str, Any]], snmp: dict[str, Any] | None, snmp_missing: str
) -> int:
    """The final block: every size side by side, the SNMP figures, and each target OK or
    MISSED (exit 1 when one is missed)."""
    print(f"\nsummary ({os.cpu_count()} cores; audit/200k from the smallest size up):")
    print(header)
    for r in results:
        print(_row(r))
    if snmp is not None:
        varbinds = f"{snmp['varbinds']:,} varbinds, " if "varbinds" in snmp else ""
        print(
            f"SNMP whole-agent walk ({varbinds}CPU per 1,000 varbinds): xsfabric "
            f"{snmp['xsfabric_ms_per_1000']:.2f} ms (one process), snmpbulkwalk "
            f"{snmp['netsnmp_ms_per_1000']:.2f} ms; ratio {snmp['ratio']:.2f}x"
        )
    else:
        print(f"SNMP whole-agent walk: not measured: {snmp_missing}")

    targets: list[tuple[str, bool | None, str]] = []
    big = [r for r in results if r["rows"] >= 200_000]
    worst = max(big, key=lambda r: r["per200k"]) if big else None
    targets.append(
        (
            f"audit ≤ {TARGET_PER_200K:.0f} s per 200k MAC rows",
            None if worst is None else worst["per200k"] <= TARGET_PER_200K,
            "no size of 200k rows or more run"
            if worst is None
            else ", ".join(f"{r['switches']} switches {r['per200k']:.2f} s" for r in big),
        )
    )
    full = next((r for r in results if r["switches"] == BIG), None)
    targets.append(
        (
            f"{BIG} switches import + audit ≤ {TARGET_BIG_SECONDS:.0f} s",
            None if full is None else full["import"] + full["audit"] <= TARGET_BIG_SECONDS,
            "not run" if full is None else f"{full['import'] + full['audit']:.1f} s",
        )
    )
    ratio = snmp.get("target_ratio", TARGET_SNMP_RATIO) if snmp else TARGET_SNMP_RATIO
    targets.append(
        (
            f"SNMP xsfabric ≤ {ratio}x net-snmp per varbind",
            None if snmp is None else snmp["ratio"] <= ratio,
            snmp_missing if snmp is None else f"{snmp['ratio']:.2f}x",
        )
    )
    warned = [f"{r['switches']}: {r['warnings']}" for r in results if r["warnings"]]
    targets.append(("no parse warnings", not warned, "; ".join(warned) or "none"))
    short = [
        f"{r['switches']}: {r['shown']} of {r['rows']}" for r in results if r["shown"] != r["rows"]
    ]
    targets.append(("show macs gives every MAC row", not short, "; ".join(short) or "all"))
    compared = [r for r in results if "identical" in r]
    if compared:
        differ = [str(r["switches"]) for r in compared if not r["identical"]]
        targets.append(
            (
                "audit report identical without stored facts",
                not differ,
                f"differs at {', '.join(differ)} switches" if differ else "identical",
            )
        )
    print("targets:")
    for label, ok, detail in targets:
        verdict = "not checked" if ok is None else "OK" if ok else "MISSED"
        print(f"  {label}: {verdict} ({detail})")
    missed = [label for label, ok, _ in targets if ok is False]
    print("result: " + ("OK" if not missed else f"MISSED: {'; '.join(missed)}"))
    return 0 if not missed else 1


if __name__ == "__main__":
    raise SystemExit(main())
