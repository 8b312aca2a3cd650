"""CSV cells of the common kinds (text, numbers, nothing), which ``_csv_cell`` answers first
without the general path: expected values written out by hand from the rules the general
path states (control characters written out, formula-looking text prefixed with ``'``,
plain numbers as they are, None an empty cell)."""

from __future__ import annotations

import pytest

from xsfabric.tables import Table, _csv_cell, render


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("Gi1/0/1", "Gi1/0/1"),
        ("", ""),
        ("sw1\x1b[2Kok", "sw1\\x1b[2Kok"),
        ("a\nb\tc", "a\\nb\\tc"),
        ("caf\u00e9", "caf\u00e9"),
        ("x\u202ey", "x\\u202ey"),
        ("x\x85y", "x\\x85y"),
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("=\x07", "'=\\x07"),
        ("-12", "-12"),
        ("-rf", "'-rf"),
        ("\x7f", "\\x7f"),
        (1234, "1234"),
        (-1, "-1"),
        (0, "0"),
        (None, ""),
        (True, "yes"),
        (False, "no"),
        ([], "[]"),
        ([10, 20, 21, 22], "10,20-22"),
    ],
)
def test_cell(value: object, cell: str) -> None:
    assert _csv_cell(value) == cell


def test_rendered_csv_header_rows_quoting() -> None:
    table = Table(
        "macs",
        ["device", "mac", "vlan", "port"],
        [
            {"device": "sw1", "mac": "00:16:3e:00:00:01", "vlan": 10, "port": "Gi1/0/1"},
            {"device": "sw,2", "mac": "=cmd", "vlan": None, "port": 'a "b"'},
        ],
    )
    assert render(table, "csv") == (
        'device,mac,vlan,port\nsw1,00:16:3e:00:00:01,10,Gi1/0/1\n"sw,2",\'=cmd,,"a ""b"""\n'
    )
