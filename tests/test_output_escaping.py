"""Output that cannot be hijacked (issue 8): names from devices and pools may hold ANSI escapes,
OSC-8 hyperlinks, newlines, bidi overrides and spreadsheet formulas. Table and text output
write control characters out; CSV cells that a spreadsheet would run are neutralised; JSON
stays exact."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from xsfabric.cli import main
from xsfabric.report.text import render_document
from xsfabric.tables import Table, render

ERASE = "sw1\x1b[2K\x1b[1Agone"
LINK = "\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07"
NEWLINE = "eth0\nCRITICAL G01 fake finding"
BIDI = "port\u202egnp.exe"
FORMULA = '=HYPERLINK("http://evil.example","x")'
HOSTILE = [
    ERASE,
    LINK,
    NEWLINE,
    BIDI,
    FORMULA,
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
]


def _table() -> Table:
    return Table(
        "hostile",
        ["name", "vlan"],
        [{"name": value, "vlan": -1 if i == 0 else i} for i, value in enumerate(HOSTILE)],
    )


def _controls(text: str) -> list[str]:
    return [
        c
        for c in text
        if (ord(c) < 0x20 and c != "\n")
        or 0x7F <= ord(c) <= 0x9F
        or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    ]


def test_table_output_writes_control_characters_out() -> None:
    out = render(_table(), "table")
    assert not _controls(out), _controls(out)
    assert "\\x1b[2K" in out
    assert "fake finding" in out
    assert not any(line.lstrip("│ ").startswith("CRITICAL") for line in out.splitlines())


def test_rich_markup_in_a_name_is_shown_as_written() -> None:
    out = render(Table("t", ["name"], [{"name": "[bold red]x[/]"}]), "table")
    assert "[bold red]x[/]" in out


def test_csv_neutralises_formulas_and_keeps_numbers() -> None:
    rows = list(csv.DictReader(io.StringIO(render(_table(), "csv"))))
    names = [r["name"] for r in rows]
    for name in names:
        assert name[0] not in "=+-@", name
    assert names[4] == "'" + FORMULA
    assert rows[0]["vlan"] == "-1"  # a plain negative number is no formula
    assert not _controls("".join(names))


def test_json_stays_exact() -> None:
    assert [r["name"] for r in json.loads(render(_table(), "json"))["rows"]] == HOSTILE


@pytest.fixture(scope="module")
def audit_doc(
    xapi_dumps: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("esc")
    snapshot = tmp / "snap"
    assert main(["snapshot", "import", str(xapi_dumps[0]), "-o", str(snapshot)]) == 0
    report = tmp / "report.json"
    main(["audit", str(snapshot), "--format", "json", "--output", str(report), "--fail-on", "none"])
    doc: dict[str, object] = json.loads(report.read_text())
    return doc


def test_text_report_writes_control_characters_out(audit_doc: dict[str, object]) -> None:
    doc = json.loads(json.dumps(audit_doc))
    doc["warnings"] = [ERASE, LINK]
    doc["snapshot"]["path"] = BIDI
    assert doc["findings"], "the corpus dump should give findings to tamper with"
    doc["findings"][0]["message"] = NEWLINE
    doc["findings"][0]["subject"] = {"host": {"name": ERASE}}
    for color in (False, True):
        out = render_document(doc, color=color)
        plain = out.replace("\x1b[", "") if color else out
        if color:  # the report's own styles are SGR sequences; nothing else may be there
            assert "\x1b[2K" not in out and "\x1b]8" not in out and "\x1b[1A" not in out
        else:
            assert not _controls(plain), _controls(plain)
        assert "\\x1b[2K" in out
        assert "\\nCRITICAL G01 fake finding" in out
