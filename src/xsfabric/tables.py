"""Rendering of row tables for ``xsfabric show``: terminal table, JSON or CSV.

A table is a list of columns and a list of rows (dicts). Producers of tables live with their
data (:mod:`xsfabric.show`); this module only renders.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from netutils.vlan import vlanlist_to_config
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

OutputFormat = Literal["table", "json", "csv"]


@dataclass(slots=True)
class Table:
    name: str
    columns: Sequence[str]
    rows: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)


#: C0 and C1 control characters, DEL, and the Unicode bidirectional overrides and isolates
#: (which reorder what a terminal shows): none may reach a terminal or a report as is.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(
        char, f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def escape_control(text: str) -> str:
    r"""``text`` with every control character written out (``\x1b``, ``\n`` …).

    Names from devices and pools may carry ANSI escapes (an erase-line sequence can hide a
    finding on a terminal), OSC-8 hyperlinks and newlines (a fake line in a report).

    >>> escape_control("sw1\x1b[2K\x1b]8;;http://x\x07ok\nfake")
    'sw1\\x1b[2K\\x1b]8;;http://x\\x07ok\\nfake'
    """
    return _CONTROL.sub(_visible, text)


def escape_all(value: Any) -> Any:
    """:func:`escape_control` applied to every string (keys too) of a JSON-like value."""
    if isinstance(value, str):
        return escape_control(value)
    if isinstance(value, dict):
        return {escape_all(k): escape_all(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [escape_all(v) for v in value]
    return value


_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def csv_safe(text: str) -> str:
    r"""A CSV cell a spreadsheet will not run: a cell starting with ``=``, ``+``, ``-``,
    ``@`` (or a tab / carriage return) gets a leading ``'`` (OWASP's advice), unless it is a
    plain number.

    >>> csv_safe("=HYPERLINK(\"http://x\")"), csv_safe("-12"), csv_safe("@SUM(A1)")
    ('\'=HYPERLINK("http://x")', '-12', "'@SUM(A1)")
    """
    if text and text[0] in "=+-@\t\r" and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple | set):
        if value and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            # VLAN lists: ranges ("1-4094", "10,20-22"), as a switch prints them
            return ",".join(vlanlist_to_config(sorted(value), first_line_len=1 << 20,
                                               other_line_len=1 << 20, min_grouping_size=2))
        return ",".join(_cell(v) for v in value)
    return str(value)


def render(table: Table, fmt: OutputFormat, console: Console | None = None) -> str:
    if fmt == "json":
        return json.dumps(table.rows, indent=2, default=str) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(table.columns), extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        for row in table.rows:
            writer.writerow({c: csv_safe(escape_control(_cell(row.get(c))))
                             for c in table.columns})
        return buf.getvalue()
    rich_table = RichTable(title=f"{table.name} ({len(table.rows)})", show_lines=False)
    for column in table.columns:
        rich_table.add_column(column, overflow="fold")
    for row in table.rows:
        # Text, not markup: a name such as "[bold]x" is shown as written
        rich_table.add_row(*(Text(escape_control(_cell(row.get(c)))) for c in table.columns))
    width = shutil.get_terminal_size((200, 40)).columns if sys.stdout.isatty() else 200
    out = console or Console(width=width, file=io.StringIO(), record=True,
                             emoji=False)  # ":ab:" in a WWPN is no emoji code
    with out.capture() as capture:
        out.print(rich_table)
    return capture.get()
