"""Redaction throughput: netconan's regexes plus xsfabric's own on the text a collection
stores. Two inputs: a MAC table (most lines hold no keyword; the cheap pre-test skips them)
and a configuration (many lines go through every regex). Prints MB/s for each.

Run: ``python bench/bench_redact.py [--lines 200000]``.
"""

from __future__ import annotations

import argparse
import time

from xsfabric.redact import Redactor


def _fdb(lines: int) -> str:
    return "".join(
        f"  {10 + i % 400:4d}    0050.56{i % 256:02x}.{i % 65536:04x}    DYNAMIC"
        f"     Gi1/0/{i % 48 + 1}\n"
        for i in range(lines)
    )


def _config(lines: int) -> str:
    block = [
        "interface GigabitEthernet1/0/{n}",
        " description server {n} uplink",
        " switchport access vlan 10",
        " switchport mode access",
        " spanning-tree portfast",
        "username ops{n} privilege 15 secret 9 $9$abcdefgh$ijklmnop{n}",
        "snmp-server community ro{n} RO 10",
        "ntp authentication-key {n} md5 key{n} 7",
        "!",
    ]
    out: list[str] = []
    n = 0
    while len(out) < lines:
        out += [line.format(n=n) for line in block]
        n += 1
    return "\n".join(out[:lines]) + "\n"


#: Minimum throughput per input (MB/s): MAC tables are most of a large snapshot's bytes.
TARGET_MB_S = {"mac table": 20.0, "configuration": 0.5}


def _measure(name: str, text: str) -> bool:
    redactor = Redactor()
    start = time.perf_counter()
    out = redactor.text(text)
    elapsed = time.perf_counter() - start
    size = len(text.encode()) / 1e6
    print(
        f"{name:14s} {size:7.1f} MB  {elapsed:6.2f} s  {size / elapsed:7.1f} MB/s  "
        f"({out.count('REMOVED')} secrets removed; target >= {TARGET_MB_S[name]} MB/s)"
    )
    return size / elapsed >= TARGET_MB_S[name]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()
    met = [_measure("mac table", _fdb(args.lines)), _measure("configuration", _config(args.lines))]
    print("targets: " + ("OK" if all(met) else "MISSED"))
    return 0 if all(met) else 1


if __name__ == "__main__":
    raise SystemExit(main())
