"""Benchmark: load a generated 64-host, 4,000-VIF pool dump into the model.

Generates ``bench-64.yaml`` (shipped lab data) into a temporary folder, then times
``read_dump`` + ``records_from_dump`` + ``build_pool`` — best of N runs, with the time of each
step — and prints the figures. Target: under 2 s on a 2-core machine.

    .venv/bin/python bench/bench_model_load.py [--runs 5] [--spec FILE]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from importlib import resources
from pathlib import Path

from xsfabric.lab.estate import load_estate
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.model.build import build_pool
from xsfabric.xapi.dbdump import read_dump
from xsfabric.xapi.records import PoolRecords, records_from_dump

TARGET_SECONDS = 2.0


def _default_spec() -> Path:
    return Path(str(resources.files("xsfabric.lab").joinpath("data", "bench-64.yaml")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--spec", type=Path, default=_default_spec())
    args = parser.parse_args()

    spec = load_estate(args.spec)
    with tempfile.TemporaryDirectory(prefix="xsfabric-bench-") as tmp:
        started = time.perf_counter()
        dump = write_estate(spec, Path(tmp))[0]
        generated = time.perf_counter() - started
        size_mb = dump.stat().st_size / 1e6
        print(f"generated {dump.name}: {size_mb:.1f} MB in {generated:.2f} s")

        runs: list[tuple[float, float, float]] = []
        pool = None
        for _ in range(args.runs):
            t0 = time.perf_counter()
            db = read_dump(dump)
            t1 = time.perf_counter()
            records = records_from_dump(db, dump)
            t2 = time.perf_counter()
            pool = build_pool(
                spec.pools[0].name, PoolRecords(records, "xapi-db", names_unresolved=True)
            )
            t3 = time.perf_counter()
            runs.append((t1 - t0, t2 - t1, t3 - t2))

    assert pool is not None
    print(
        f"model: {len(pool.hosts)} hosts, {len(pool.pifs)} PIFs, {len(pool.networks)} "
        f"networks, {len(pool.vms)} VMs, {len(pool.vifs)} VIFs, {len(pool.srs)} SRs, "
        f"{len(pool.pbds)} PBDs"
    )
    best = min(runs, key=sum)
    print(
        f"best of {len(runs)}: {sum(best):.3f} s  (read_dump {best[0]:.3f} s, "
        f"records_from_dump {best[1]:.3f} s, build_pool {best[2]:.3f} s)"
    )
    print(f"all runs: {', '.join(f'{sum(r):.3f}' for r in runs)} s")
    verdict = "OK" if sum(best) < TARGET_SECONDS else "SLOWER THAN TARGET"
    print(f"target < {TARGET_SECONDS:.1f} s: {verdict}")
    return 0 if sum(best) < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
