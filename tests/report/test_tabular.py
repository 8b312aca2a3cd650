"""JUnit XML read back by junitparser; CSV per table with formula injection neutralised; XLSX
read back by openpyxl (tabs, rows, frozen header, filters, widths)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.report.conftest import HOSTILE, render_one

from xsfabric.audit import report_tables_for
from xsfabric.report.base import ReportOptions
from xsfabric.report.csvfiles import neutral, table_csv
from xsfabric.report.csvfiles import render as render_csv
from xsfabric.tables import Table

#: The demo estate's hosts (demo-estate.yaml: pools recovery, prod and test).
DEMO_HOSTS = ["xs-dr-01", "xs-prod-01", "xs-prod-02", "xs-prod-03", "xs-test-01", "xs-test-02"]


def test_junit_read_back_one_case_per_rule_and_subject(
    tmp_path: Path, demo_doc: dict[str, Any]
) -> None:
    from junitparser import Failure, JUnitXml, Skipped

    path = tmp_path / "audit.xml"
    path.write_bytes(render_one("junit", demo_doc))
    xml = JUnitXml.fromfile(str(path))
    suites = {suite.name: suite for suite in xml}
    assert set(suites) == set(demo_doc["rules_run"])
    failures = [
        (case.classname, case.name)
        for suite in xml
        for case in suite
        if any(isinstance(r, Failure) for r in case.result)
    ]
    assert len(failures) == len(demo_doc["findings"])
    assert (
        "xsfabric.xen-vm-on-management-network",
        "pool=prod, network=Management, vm=legacy-admin, vif=0",
    ) in failures
    skipped = [
        case for suite in xml for case in suite if any(isinstance(r, Skipped) for r in case.result)
    ]
    assert len(skipped) == len(demo_doc["not_checked"])
    assert all("not checked" in case.result[0].message for case in skipped)
    assert xml.failures == len(demo_doc["findings"])


def test_junit_clean_estate_one_passing_case_per_rule(
    tmp_path: Path, clean_doc: dict[str, Any]
) -> None:
    from junitparser import JUnitXml

    assert clean_doc["findings"] == []
    path = tmp_path / "clean.xml"
    path.write_bytes(render_one("junit", clean_doc))
    xml = JUnitXml.fromfile(str(path))
    quiet = [s for s in xml if s.failures == 0 and s.skipped == 0]
    assert len(quiet) == len(clean_doc["rules_run"]) - len(
        {n["rule_id"] for n in clean_doc["not_checked"]}
    )
    assert all(s.tests == 1 and next(iter(s)).is_passed for s in quiet)
    assert xml.failures == 0


def test_junit_hostile_text_parses(tmp_path: Path, hostile_doc: dict[str, Any]) -> None:
    from junitparser import JUnitXml

    path = tmp_path / "audit.xml"
    path.write_bytes(render_one("junit", hostile_doc))
    xml = JUnitXml.fromfile(str(path))
    names = [case.name for suite in xml for case in suite]
    assert any("<script>alert(1)</script>" in n and "\n" not in n for n in names)
    assert b"\x1b" not in path.read_bytes()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=x", "'\t=x"),
        ("plain", "plain"),
        (-1, "-1"),
        (2.5, "2.5"),
        (None, ""),
        (True, "yes"),
        ("\x1b[31m=1+1", "'=1+1"),
        ("\x00@x", "'@x"),
    ],
)
def test_csv_formula_cells_are_quoted(cell: object, expected: str) -> None:
    assert neutral(cell) == expected


def test_csv_one_file_per_table(demo_snapshot: Path, hostile_doc: dict[str, Any]) -> None:
    from xsfabric.audit import audit_snapshot
    from xsfabric.snapshot import Snapshot

    result = audit_snapshot(Snapshot.open(demo_snapshot))
    files = render_csv(hostile_doc, ReportOptions(tables=report_tables_for(result, None)))
    assert {"summary.csv", "findings.csv", "not_checked.csv", "hosts.csv", "pifs.csv"} <= set(files)
    hosts = list(csv.DictReader(io.StringIO(files["hosts.csv"].decode())))
    # demo-estate.yaml: recovery has 1 host xs-dr-01, prod 3 xs-prod-01..03, test 2
    assert sorted(h["host"] for h in hosts) == DEMO_HOSTS
    findings = list(csv.DictReader(io.StringIO(files["findings.csv"].decode())))
    assert len(findings) == len(hostile_doc["findings"])
    hostile = [f for f in findings if "<script>" in f["subject"]]
    assert hostile
    for row in findings:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
            assert "\x1b" not in value


def test_xlsx_tabs_rows_header_filters(
    demo_snapshot: Path, tmp_path: Path, hostile_doc: dict[str, Any]
) -> None:
    import openpyxl

    from xsfabric.audit import audit_snapshot
    from xsfabric.snapshot import Snapshot

    result = audit_snapshot(Snapshot.open(demo_snapshot))
    path = tmp_path / "audit.xlsx"
    hostile_doc = json.loads(json.dumps(hostile_doc))
    hostile_doc["findings"][1]["message"] = "=1+2"
    path.write_bytes(
        render_one("xlsx", hostile_doc, ReportOptions(tables=report_tables_for(result, None)))
    )
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["Summary", "Findings", "Not checked"]
    assert {"Hosts", "NICs", "Networks", "Pools", "SRs"} <= set(book.sheetnames)
    findings = book["Findings"]
    header = [c.value for c in findings[1]]
    assert header[:3] == ["severity", "rule_id", "category"]
    assert findings.max_row == len(hostile_doc["findings"]) + 1
    assert findings.freeze_panes == "A2"
    assert findings.auto_filter.ref and findings.auto_filter.ref.startswith("A1:")
    assert 10 < findings.column_dimensions["A"].width <= 62
    hosts = book["Hosts"]
    names = sorted(hosts.cell(row=r, column=2).value for r in range(2, hosts.max_row + 1))
    assert names == DEMO_HOSTS
    nics = book["NICs"]
    assert nics.max_row > 5
    # hostile text is a string cell, never a formula
    cells = [
        c
        for row in findings.iter_rows(min_row=2)
        for c in row
        if isinstance(c.value, str) and ("=HYPERLINK" in c.value or c.value == "=1+2")
    ]
    assert any(c.value == "=1+2" for c in cells)
    assert len(cells) > 1 and all(c.data_type == "s" for c in cells)
    summary = {r[0].value: r[1].value for r in book["Summary"].iter_rows(min_row=2)}
    assert summary["findings"] == len(hostile_doc["findings"])
    assert HOSTILE.split("\n")[0] in "".join(str(c.value) for c in cells)


@settings(max_examples=300, deadline=None)
@given(st.text())
@example("\x1b=1+1")
def test_csv_cell_never_starts_a_formula_nor_carries_escapes(text: str) -> None:
    cell = neutral(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert "\x1b" not in cell
    # and the CSV round trip gives the cell back (quoting intact)
    table = Table("t", ["c"], [{"c": text}])
    [row] = list(csv.DictReader(io.StringIO(table_csv(table).decode())))
    assert row["c"] == cell
