"""bench_scale.py's summary: the SNMP bench's figures read from its output (its ``--json``
line, or its text lines from a version without it) and each target said OK or MISSED. The
figures below are made up; no timing is asserted."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]

TEXT = """agent: snmpsim on 127.0.0.1:57910, max-repetitions 50 on both sides
xsfabric fast path, one process                 89547 varbinds      654 ms CPU    7.30 ms/1,000
xsfabric fast path, in process                  89547 varbinds      435 ms CPU    4.86 ms/1,000
net-snmp snmpbulkwalk -Cr50, one process        89547 varbinds      353 ms CPU    3.94 ms/1,000
per-round ratios: 1.54, 2.02; ratio of the least CPUs: 1.85x
ratio xsfabric / net-snmp (median of 2 rounds): 1.78x (target <= 1.5x: MISSED)
"""


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "bench_scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_scale"] = module
    spec.loader.exec_module(module)
    return module


def test_figures_from_the_json_line(bench: ModuleType) -> None:
    line = (
        '{"varbinds": 100, "xsfabric_ms_per_1000": 5.0, "xsfabric_in_process_ms_per_1000": 4.0,'
        ' "netsnmp_ms_per_1000": 4.0, "ratio": 1.25, "target_ratio": 1.5, "ok": true}'
    )
    figures = bench.parse_snmp_output(TEXT + line + "\n")
    assert figures["xsfabric_ms_per_1000"] == 5.0  # the JSON, not the text above it
    assert (figures["ratio"], figures["varbinds"]) == (1.25, 100)


def test_figures_from_the_text_lines(bench: ModuleType) -> None:
    figures = bench.parse_snmp_output(TEXT)
    assert figures == {
        "xsfabric_ms_per_1000": 7.30,
        "varbinds": 89547,
        "xsfabric_in_process_ms_per_1000": 4.86,
        "netsnmp_ms_per_1000": 3.94,
        "ratio": 1.78,
    }


def test_no_figures_without_net_snmp(bench: ModuleType) -> None:
    lines = [line for line in TEXT.splitlines() if "net-snmp" not in line and "ratio" not in line]
    text = "\n".join(lines) + "\nnet-snmp: snmpbulkwalk not found and not installable here\n"
    assert bench.parse_snmp_output(text) is None


def _result(switches: int, rows: int, audit: float, per200k: float) -> dict[str, Any]:
    return {
        "switches": switches,
        "pools": 8,
        "rows": rows,
        "shown": rows,
        "warnings": 0,
        "generate": 1.0,
        "import": 10.0,
        "audit": audit,
        "show": 1.0,
        "cabling": 1.0,
        "rss": 100.0,
        "per200k": per200k,
    }


def test_summary_says_each_target(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    results = [_result(10, 10_000, 2.0, 40.0), _result(1000, 1_000_000, 14.0, 2.4)]
    snmp = bench.parse_snmp_output(TEXT)
    assert bench.summary("header", results, snmp, "") == 1
    out = capsys.readouterr().out
    assert "xsfabric 7.30 ms (one process), snmpbulkwalk 3.94 ms; ratio 1.78x" in out
    assert "audit ≤ 5 s per 200k MAC rows: OK (1000 switches 2.40 s)" in out
    assert "1000 switches import + audit ≤ 180 s: OK (24.0 s)" in out
    assert "SNMP xsfabric ≤ 1.5x net-snmp per varbind: MISSED (1.78x)" in out
    assert out.rstrip().endswith("result: MISSED: SNMP xsfabric ≤ 1.5x net-snmp per varbind")

    good = dict(snmp, ratio=1.4)
    assert bench.summary("header", results, good, "") == 0
    assert capsys.readouterr().out.rstrip().endswith("result: OK")


def test_summary_without_snmp_checks_the_rest(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    slow = [_result(10, 10_000, 2.0, 40.0), _result(100, 200_000, 40.0, 6.0)]
    slow[1]["warnings"] = 3
    assert bench.summary("header", slow, None, "skipped (--no-snmp)") == 1
    out = capsys.readouterr().out
    assert "SNMP whole-agent walk: not measured: skipped (--no-snmp)" in out
    assert "SNMP xsfabric ≤ 1.5x net-snmp per varbind: not checked (skipped (--no-snmp))" in out
    assert "audit ≤ 5 s per 200k MAC rows: MISSED (100 switches 6.00 s)" in out
    assert "1000 switches import + audit ≤ 180 s: not checked (not run)" in out
    assert "no parse warnings: MISSED (100: 3)" in out
