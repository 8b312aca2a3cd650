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

OutputFormat = Literal["table", "json", "csv"]


@dataclass(slots=True)
class Table:
    name: str
    columns: Sequence[str]
    rows: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)


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
            writer.writerow({c: _cell(row.get(c)) for c in table.columns})
        return buf.getvalue()
    rich_table = RichTable(title=f"{table.name} ({len(table.rows)})", show_lines=False)
    for column in table.columns:
        rich_table.add_column(column, overflow="fold")
    for row in table.rows:
        rich_table.add_row(*(_cell(row.get(c)) for c in table.columns))
    width = shutil.get_terminal_size((200, 40)).columns if sys.stdout.isatty() else 200
    out = console or Console(width=width, file=io.StringIO(), record=True)
    with out.capture() as capture:
        out.print(rich_table)
    return capture.get()


#: What differs between two lines that say the same thing: numbers and quoted values.
_VARYING = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")


def cap_warnings(lines: Sequence[str], limit: int = 3) -> list[str]:
    """At most ``limit`` lines of each kind (lines equal but for numbers and quoted values),
    then one line counting the rest: a capture in the wrong format says so once per line,
    and 100,000 identical warnings hide the one that matters.

    >>> cap_warnings([f"sw1: walk.txt:{n}: not a varbind" for n in range(1, 6)], limit=2)
    ['sw1: walk.txt:1: not a varbind', 'sw1: walk.txt:2: not a varbind', \
'... and 3 more like: sw1: walk.txt:1: not a varbind']
    """
    seen: dict[str, list[str]] = {}
    order: list[str] = []
    for line in lines:
        key = _VARYING.sub("#", line)
        if key not in seen:
            seen[key] = []
            order.append(key)
        seen[key].append(line)
    result: list[str] = []
    for key in order:
        group = seen[key]
        result.extend(group[:limit])
        if len(group) > limit:
            result.append(f"... and {len(group) - limit:,} more like: {group[0]}")
    return result
