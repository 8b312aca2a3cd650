"""XLSX (``--format xlsx``): one workbook, one tab per table, the way RVTools lays out vSphere.

Summary first, then Findings (and Suppressed when waivers matched), Not checked, then the
snapshot's own tables that have rows (pools, hosts, NICs, networks, VLANs, switch ports …).
Every tab has a frozen header row, an autofilter and column widths fitted to the content
(capped). Cells are written as strings or numbers explicitly — never as formulas or links —
so device text such as ``=cmd|...`` stays text.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import xlsxwriter

from xsfabric.report.base import SINGLE, Files, ReportOptions, inert
from xsfabric.report.rows import report_tables
from xsfabric.tables import Table, _cell

#: Tab titles of the known tables; others are capitalised.
TITLES = {
    "summary": "Summary",
    "findings": "Findings",
    "suppressed": "Suppressed",
    "not_checked": "Not checked",
    "pools": "Pools",
    "hosts": "Hosts",
    "pifs": "NICs",
    "networks": "Networks",
    "vms": "VMs",
    "vifs": "VIFs",
    "srs": "SRs",
    "pbds": "PBDs",
    "ports": "Switch ports",
    "macs": "MAC table",
    "lldp": "LLDP",
    "vlans": "VLANs",
    "cabling": "NICs-Ports",
    "nics_ports": "NICs↔Ports",
    "host_port_vlans": "VLANs per host port",
    "zones": "Zones",
    "maps": "LUN maps",
}
_MAX_WIDTH = 60
_MAX_CELL = 32767  # Excel's limit for one cell


def _title(name: str) -> str:
    title = TITLES.get(name, name.replace("_", " ").capitalize())
    return "".join(c for c in title if c not in "[]:*?/\\")[:31]


def _write_table(book: Any, table: Table, header: Any) -> None:
    sheet = book.add_worksheet(_title(table.name))
    columns = list(table.columns)
    widths = [len(c) for c in columns]
    for col, name in enumerate(columns):
        sheet.write_string(0, col, name, header)
    for row_no, row in enumerate(table.rows, start=1):
        for col, name in enumerate(columns):
            value = row.get(name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(row_no, col, value)
                width = len(str(value))
            else:
                text = inert(_cell(value), newlines=True)[:_MAX_CELL]
                sheet.write_string(row_no, col, text)
                width = max((len(line) for line in text.splitlines()), default=0)
            widths[col] = max(widths[col], width)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(width + 2, _MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(table.rows), 1), max(len(columns) - 1, 0))


def render(doc: Mapping[str, Any], options: ReportOptions) -> Files:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    header = book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1})
    for table in report_tables(doc, tuple(options.tables)):
        _write_table(book, table, header)
    book.close()
    return {SINGLE: buffer.getvalue()}
