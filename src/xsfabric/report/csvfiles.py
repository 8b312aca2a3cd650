"""CSV (``--format csv``): one file per table (findings, suppressed, not checked, hosts, NICs …).

Spreadsheet programs execute a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and tab or
carriage return) as a formula: a port description ``=HYPERLINK(...)`` would run on the
reader's machine. Such text cells get a leading apostrophe (OWASP's CSV-injection advice), so
they show as text; numbers are left alone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from xsfabric.report.base import Files, ReportOptions, inert
from xsfabric.report.rows import report_tables
from xsfabric.tables import Table, _cell

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> str:
    """The cell text, with a formula-looking text cell made inert."""
    if isinstance(value, bool) or value is None:
        return _cell(value)
    if isinstance(value, int | float):
        return str(value)
    text = inert(_cell(value), newlines=True)  # first: "\x1b=1+1" must not become "=1+1"
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(table.columns))
    for row in table.rows:
        writer.writerow([neutral(row.get(c)) for c in table.columns])
    return buffer.getvalue().encode("utf-8")


def render(doc: Mapping[str, Any], options: ReportOptions) -> Files:
    return {f"{t.name}.csv": table_csv(t) for t in report_tables(doc, tuple(options.tables))}
