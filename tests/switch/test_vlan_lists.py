"""Trunk VLAN lists: every method says "all VLANs" the same way, and tables print ranges."""

from __future__ import annotations

import pytest

from xsfabric.switch.cli_values import vlan_ranges
from xsfabric.switch.model import ALL_VLANS, vlan_tuple
from xsfabric.tables import Table, render


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ALL", ALL_VLANS),
        ("1-4094", ALL_VLANS),
        (["1,12,15", "31-33"], (1, 12, 15, 31, 32, 33)),
        ("10, 20-22", (10, 20, 21, 22)),
        ("NONE", ()),
        ("", ()),
        ("1-4093", tuple(range(1, 4094))),
        ("trunk pruned", None),
    ],
)
def test_vlan_ranges(text: str | list[str], expected: tuple[int, ...] | None) -> None:
    assert vlan_ranges(text) == expected


def test_all_vlans_is_one_shared_tuple() -> None:
    assert vlan_ranges("ALL") is ALL_VLANS
    assert vlan_ranges("1-4094") is ALL_VLANS
    assert vlan_tuple(range(4094, 0, -1)) is ALL_VLANS  # e.g. an SNMP bitmap with every bit
    assert vlan_tuple([5, 3, 3]) == (3, 5)


def test_tables_print_vlan_lists_as_ranges() -> None:
    table = Table(
        "ports",
        ["device", "allowed_vlans"],
        [
            {"device": "sw1", "allowed_vlans": list(ALL_VLANS)},
            {"device": "sw2", "allowed_vlans": [10, 20, 21, 22, 30]},
        ],
    )
    csv_text = render(table, "csv")
    assert csv_text.splitlines()[1:] == ["sw1,1-4094", 'sw2,"10,20-22,30"']
