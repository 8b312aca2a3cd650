"""Rendering of row tables for ``xsfabric show``: terminal table, JSON or CSV.

A table is a list of columns and a list of rows (dicts). Producers of tables live with their
data (:mod:`xsfabric.show`); this module only renders.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from typing import Any, Literal

from netutils.interface import canonical_interface_name
from netutils.vlan import vlanlist_to_config
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from xsfabric.errors import QueryError

OutputFormat = Literal["table", "json", "csv"]


@dataclass(slots=True)
class Table:
    name: str
    columns: Sequence[str]
    rows: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    #: Columns a terminal shows when ``--columns`` is not given (None: all); JSON and CSV
    #: keep every column unless asked, since scripts read them by name.
    default_columns: Sequence[str] | None = None
    #: The column naming where rows come from (``device``, ``fabric``) when the producer
    #: records, per source, whether its part of the table could be built at all; None: the
    #: table is always available (pool tables: a pool without a record class has no rows).
    source_column: str | None = None
    #: Sources whose part was built (perhaps with no rows: looked and found nothing).
    available: list[str] = field(default_factory=list)
    #: Sources whose part could not be built → what is missing (the capture that would give
    #: it): "not available", which JSON keeps apart from "nothing found".
    unavailable: dict[str, str] = field(default_factory=dict)

    def answer(self) -> list[dict[str, Any]] | None:
        """The rows, or None when no source the question covers could give the table (every
        one of them is in :attr:`unavailable`): ``null`` in JSON, never ``[]``."""
        if self.source_column is not None and self.unavailable and not self.available:
            return None
        return self.rows

    def not_available(self, source: str, missing: str) -> None:
        """Record that ``source`` could not give this table, with a warning naming both."""
        self.unavailable[source] = missing
        self.warnings.append(f"{source}: {self.name} not available: {missing}")


#: C0 and C1 control characters, DEL, and the Unicode bidirectional overrides and isolates
#: (which reorder what a terminal shows): none may reach a terminal or a report as is.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(
        char, f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    )


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
            return ",".join(
                vlanlist_to_config(
                    sorted(value),
                    first_line_len=1 << 20,
                    other_line_len=1 << 20,
                    min_grouping_size=2,
                )
            )
        return ",".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items())
    return str(value)


#: A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV
#: injection"): a switch description ``=HYPERLINK(…)`` must stay text.


def _csv_cell(value: Any) -> str:
    """A CSV cell: nested values (dicts, lists of text) as JSON, never a Python repr, so a
    script reads them back with ``json.loads``; VLAN lists as ranges; text that a spreadsheet
    would run as a formula prefixed with ``'``.

    >>> _csv_cell({"target": "10.0.0.1", "port": 3260}), _csv_cell(["eth0", "eth1"])
    ('{"port": 3260, "target": "10.0.0.1"}', '["eth0", "eth1"]')
    >>> _csv_cell([10, 20, 21, 22]), _csv_cell("=HYPERLINK(1)"), _csv_cell(-1)
    ('10,20-22', "'=HYPERLINK(1)", '-1')

    "Not collected" and "known empty" differ: None is an empty cell, an empty list ``[]``.

    >>> _csv_cell(None), _csv_cell([]), _csv_cell({})
    ('', '[]', '{}')
    """
    # the common cells first (a million-row table has five million of them): plain text,
    # numbers, nothing; what they give is what the general path below gives for them
    kind = type(value)
    if kind is str:
        # printable ASCII holds no control character: nothing for escape_control to do
        return csv_safe(value if value.isascii() and value.isprintable() else escape_control(value))
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset | dict) and not value:
        return "{}" if isinstance(value, dict) else "[]"  # known empty; None is ""
    if isinstance(value, dict) or (
        isinstance(value, list | tuple | set)
        and not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        items = sorted(value) if isinstance(value, set) else value
        return json.dumps(items, sort_keys=True, default=str)
    text = escape_control(_cell(value))
    return csv_safe(text) if isinstance(value, str) else text


ColorChoice = Literal["auto", "always", "never"]


@dataclass(frozen=True, slots=True)
class Terminal:
    """Where output goes and what it may use: a terminal gets a boxed table fitted to its
    width (colour unless ``NO_COLOR`` or ``--color never``); anything else (a pipe, a file,
    ``TERM=dumb``) gets plain aligned text that is never wrapped, cut or coloured, so a MAC,
    UUID or rule id arrives whole at ``grep``, ``awk`` or a diff."""

    tty: bool
    width: int
    color: bool


def terminal(color: ColorChoice = "auto", stream: Any = None) -> Terminal:
    """The :class:`Terminal` for ``stream`` (default stdout), following the conventions users
    expect (no-color.org, ``TERM=dumb``), ``--color always`` / ``never`` winning over both."""
    out = stream if stream is not None else sys.stdout
    try:
        isatty = bool(out.isatty())
    except (AttributeError, ValueError):
        isatty = False
    tty = isatty and os.environ.get("TERM", "") != "dumb"
    if color == "always":
        use_color = True
    elif color == "never":
        use_color = False
    else:
        use_color = tty and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((120, 40)).columns if tty else 0
    return Terminal(tty=tty, width=width, color=use_color)


def _plain_cell(value: Any) -> str:
    # control characters written out: a newline or an ANSI erase in a device's name must not
    # forge or hide a line (issue 8)
    return escape_control(_cell(value))


def render_plain(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Aligned columns, two spaces apart, one line per row whatever its length.

    >>> print(render_plain("t (1)", ["id", "x"], [["a-long-rule-id", "1"]]), end="")
    t (1)
    id              x
    --------------  -
    a-long-rule-id  1
    """
    widths = [len(c) for c in columns]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = [
        title,
        "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines.extend(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows
    )
    return "\n".join(line.rstrip() for line in lines) + "\n"


def render_rich(
    title: str, columns: Sequence[str], rows: Sequence[Sequence[str]], term: Terminal
) -> str:
    """A boxed table for a terminal. A column whose cells have no spaces (MACs, UUIDs, ids,
    addresses) is never wrapped; text columns wrap at spaces to fit the width."""
    rich_table = RichTable(
        title=title, show_lines=False, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True
    )
    for index, column in enumerate(columns):
        cells = [row[index] for row in rows]
        longest = max((len(c) for c in cells), default=0)
        if all(" " not in c for c in cells):
            rich_table.add_column(column, no_wrap=True, min_width=longest)
        else:
            words = max((len(w) for c in cells for w in c.split()), default=0)
            rich_table.add_column(column, overflow="fold", min_width=min(longest, max(words, 12)))
    for row in rows:
        rich_table.add_row(*(escape(c) for c in row))
    out = Console(
        width=term.width or 120,
        file=io.StringIO(),
        force_terminal=term.color,
        no_color=not term.color,
        color_system="standard" if term.color else None,
        highlight=False,
        emoji=False,
    )  # ":ab:" in a WWPN is no emoji code
    with out.capture() as capture:
        out.print(rich_table)
    return capture.get()


def json_document(table: Table) -> dict[str, Any]:
    """``show --format json``: one object per table, the same keys for every table, so
    ``jq '.rows[]'`` reads any of them. ``rows`` is ``null`` when the table could not be
    built for any source asked about ("not available"), ``[]`` when it was and holds nothing;
    ``unavailable`` names each source (device, fabric) whose part is missing and the capture
    that would give it, ``warnings`` the parse and collection warnings (also on stderr)."""
    return {
        "table": table.name,
        "columns": list(table.columns),
        "rows": table.answer(),
        "unavailable": [
            {"source": source, "missing": missing}
            for source, missing in sorted(table.unavailable.items())
        ],
        "warnings": cap_warnings(table.warnings),
    }


def render(table: Table, fmt: OutputFormat, term: Terminal | None = None) -> str:
    if fmt == "json":
        return json.dumps(json_document(table), indent=2, default=str) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        # csv.writer over lists: what DictWriter wrote, without a dict and a generator per row
        writer = csv.writer(buf, lineterminator="\n")
        columns = list(table.columns)
        writer.writerow(columns)
        writer.writerows([_csv_cell(row.get(c)) for c in columns] for row in table.rows)
        return buf.getvalue()
    term = term or terminal()
    # "(0)" would read "looked, found nothing": say which it is
    title = f"{table.name} ({len(table.rows) if table.answer() is not None else 'not available'})"
    rows = [[_plain_cell(row.get(c)) for c in table.columns] for row in table.rows]
    if not term.tty or _narrowest(table.columns, rows) > term.width:
        # a pipe, or more than the terminal can show without cutting a cell: plain lines
        # (the terminal wraps them, nothing is elided)
        return render_plain(title, table.columns, rows)
    return render_rich(title, table.columns, rows, term)


def _narrowest(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> int:
    """The width :func:`render_rich` needs at least: unbreakable cells whole, headers whole,
    text columns at their minimum, one space between columns."""
    total = len(columns) + 1
    for index, column in enumerate(columns):
        cells = [row[index] for row in rows]
        longest = max((len(c) for c in cells), default=0)
        if all(" " not in c for c in cells):
            need = longest
        else:
            words = max((len(w) for c in cells for w in c.split()), default=0)
            need = min(longest, max(words, 12))
        total += max(need, len(column))
    return total


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


#: Filter → the columns it looks at, in whichever table has them: a table added later gets the
#: filters of the columns it names, with no code of its own. A filter on a table that has none
#: of its columns is a :class:`~xsfabric.errors.QueryError` (never an empty answer).
FILTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "pool": ("pool",),
    "host": ("host", "hostname", "hosts"),
    "device": ("device", "switch"),
    "port": ("port", "local_port", "ports", "interface", "switch_port"),
    "vlan": ("vlan", "vlans", "access_vlan", "native_vlan", "allowed_vlans"),
    "mac": ("mac", "macs", "chassis_id", "port_id"),
    "network": ("network", "networks", "bridge"),
    "vm": ("vm", "vms"),
}
_MAC_SEPARATORS = re.compile(r"[.:\-\s]")


def mac_digits(text: str) -> str | None:
    """The hex digits of a MAC (or MAC prefix) in any notation; None when it is not one.

    >>> [mac_digits(m) for m in ("3cfd.fee0.1234", "3C-FD-FE-E0-12-34", "3cfdfee01234")]
    ['3cfdfee01234', '3cfdfee01234', '3cfdfee01234']
    >>> mac_digits("3c:fd:fe"), mac_digits("eth0")
    ('3cfdfe', None)
    """
    digits = _MAC_SEPARATORS.sub("", text).lower()
    return digits if re.fullmatch(r"[0-9a-f]{1,12}", digits) else None


def vlan_set(text: str) -> set[int]:
    """``10``, ``10,20-22`` → the VLAN ids; anything else is a QueryError.

    >>> sorted(vlan_set("10,20-22"))
    [10, 20, 21, 22]
    """
    vlans: set[int] = set()
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if match is None:
            raise QueryError(f"--vlan {text!r}: not a VLAN id or range (10, 10,20-22)")
        low = int(match.group(1))
        high = int(match.group(2) or low)
        vlans.update(range(low, high + 1))
    return vlans


def _cells(value: Any) -> list[Any]:
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    if isinstance(value, dict):
        return list(value.values())
    return [] if value is None else [value]


def _text_matcher(wanted: str) -> Callable[[Any], bool]:
    patterns = [w.strip().lower() for w in wanted.split(",") if w.strip()]

    def match(value: Any) -> bool:
        text = str(value).lower()
        return any(
            fnmatchcase(text, p) if any(c in p for c in "*?[") else text == p for p in patterns
        )

    return match


def _port_matcher(wanted: str) -> Callable[[Any], bool]:
    names = [w.strip() for w in wanted.split(",") if w.strip()]
    canonical = {canonical_interface_name(n).lower() for n in names}
    text = _text_matcher(wanted)

    def match(value: Any) -> bool:
        return text(value) or canonical_interface_name(str(value)).lower() in canonical

    return match


def _vlan_matcher(wanted: str) -> Callable[[Any], bool]:
    vlans = vlan_set(wanted)

    def match(value: Any) -> bool:
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return value in vlans
        return isinstance(value, str) and value.strip().isdigit() and int(value) in vlans

    return match


def _mac_matcher(wanted: str) -> Callable[[Any], bool]:
    prefixes = []
    for part in wanted.split(","):
        digits = mac_digits(part)
        if digits is None:
            raise QueryError(
                f"--mac {part.strip()!r}: not a MAC or MAC prefix "
                "(3cfd.fee0.1234, 3C-FD-FE-E0-12-34, 3c:fd:fe)"
            )
        prefixes.append(digits)

    def match(value: Any) -> bool:
        digits = mac_digits(str(value))
        return digits is not None and len(digits) == 12 and digits.startswith(tuple(prefixes))

    return match


_MATCHERS: dict[str, Callable[[str], Callable[[Any], bool]]] = {
    "port": _port_matcher,
    "vlan": _vlan_matcher,
    "mac": _mac_matcher,
}


def _filter_tests(
    name: str, table_columns: Sequence[str], filters: Mapping[str, str | None]
) -> list[tuple[tuple[str, ...], Callable[[Any], bool]]]:
    """(columns, matcher) per given filter; a filter on a column the table lacks is a
    :class:`~xsfabric.errors.QueryError`."""
    tests: list[tuple[tuple[str, ...], Callable[[Any], bool]]] = []
    for flag, wanted in filters.items():
        if wanted is None or wanted == "":
            continue
        columns = tuple(c for c in FILTER_COLUMNS.get(flag, (flag,)) if c in table_columns)
        if not columns:
            usable = [
                f"--{f}"
                for f, cols in FILTER_COLUMNS.items()
                if any(c in table_columns for c in cols)
            ]
            raise QueryError(
                f"show {name} has no {flag} column; its filters: {' '.join(usable) or 'none'}"
            )
        tests.append((columns, _MATCHERS.get(flag, _text_matcher)(wanted)))
    return tests


def _row_test(
    tests: list[tuple[tuple[str, ...], Callable[[Any], bool]]],
) -> Callable[[Mapping[str, Any]], bool]:
    def keep(row: Mapping[str, Any]) -> bool:
        return all(
            any(match(v) for c in columns for v in _cells(row.get(c))) for columns, match in tests
        )

    return keep


def row_filter(
    name: str, table_columns: Sequence[str], filters: Mapping[str, str | None]
) -> Callable[[Mapping[str, Any]], bool] | None:
    """The test a row of table ``name`` must pass for every given filter (None: no filter
    given). A filter matches a row when one of its :data:`FILTER_COLUMNS` that the table has
    holds a matching value (a list cell matches when one element does). Producers that build
    rows device by device apply it as they go (``show`` streams), :func:`filter_rows` to a
    whole table."""
    tests = _filter_tests(name, table_columns, filters)
    return _row_test(tests) if tests else None


def filter_rows(table: Table, filters: Mapping[str, str | None]) -> Table:
    """The table with only the rows every given filter matches (see :func:`row_filter`).
    One pass over the rows."""
    tests = _filter_tests(table.name, table.columns, filters)
    if not tests:
        return table
    keep = _row_test(tests)
    rows = [row for row in table.rows if keep(row)]
    # a filter on the source column (--device sw2) also narrows which sources were asked
    # about: "sw2's MAC table was not collected" answers null, not the other devices' rows
    source_tests = [m for columns, m in tests if table.source_column in columns]
    if not source_tests:
        return replace(table, rows=rows)
    return replace(
        table,
        rows=rows,
        available=[s for s in table.available if all(m(s) for m in source_tests)],
        unavailable={
            s: why for s, why in table.unavailable.items() if all(m(s) for m in source_tests)
        },
    )


def select_columns(table: Table, spec: str | None, fmt: OutputFormat) -> Table:
    """The columns to print: those asked for (``a,b,c`` or ``all``); without ``--columns``,
    the table's defaults on a terminal and every column in JSON and CSV. Asked-for columns
    also narrow JSON rows to them."""
    if spec is None:
        if fmt == "table" and table.default_columns is not None:
            return replace(table, columns=list(table.default_columns))
        return table
    if spec.strip().lower() == "all":
        return table
    wanted = [c.strip() for c in spec.split(",") if c.strip()]
    unknown = [c for c in wanted if c not in table.columns]
    if unknown or not wanted:
        raise QueryError(
            f"show {table.name} has no column {', '.join(unknown) or spec!r}; "
            f"its columns: {', '.join(table.columns)}"
        )
    rows = [{c: row.get(c) for c in wanted} for row in table.rows]
    return replace(table, columns=wanted, rows=rows)
