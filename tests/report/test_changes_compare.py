"""The estate comparison itself (``report.changes.compare``) on small hand-written tables: the
cases the demo-based diff tests do not reach — a NIC that lost its placement, a renamed host
(same MAC: not a move), a zone enabled, a zone and a map added or removed, a side without the
table."""

from __future__ import annotations

from typing import Any

from xsfabric.cabling import CABLING_COLUMNS
from xsfabric.report.changes import change_count, change_lines, compare
from xsfabric.tables import Table


def nic(
    host: str, pif: str, mac: str, switch: str | None, port: str | None, **more: Any
) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(CABLING_COLUMNS)
    row.update(
        pool="p",
        host=host,
        pif=pif,
        mac=mac,
        switch=switch,
        port=port,
        status="placed" if switch else "unplaced",
        mode="trunk",
        native_vlan=1,
        allowed_vlans=[1, 10],
    )
    row.update(more)
    return row


def cabling(*rows: dict[str, Any]) -> Table:
    return Table("cabling", CABLING_COLUMNS, list(rows))


def zones(*rows: tuple[str, str, str | None]) -> Table:
    return Table(
        "zones",
        ["fabric", "zone", "state", "member"],
        [{"fabric": "F", "zone": z, "state": state, "member": m} for z, state, m in rows],
    )


def maps(*rows: tuple[str, int, str]) -> Table:
    return Table(
        "maps",
        ["array", "vserver", "volume", "igroup", "lun_id", "initiator", "pool", "host"],
        [
            {
                "array": "a1",
                "vserver": None,
                "volume": v,
                "igroup": "g",
                "lun_id": lun,
                "initiator": i,
                "pool": None,
                "host": None,
            }
            for v, lun, i in rows
        ],
    )


def test_renamed_host_is_not_a_move_and_lost_placement_is() -> None:
    old = cabling(
        nic("h1", "eth0", "00:00:00:00:00:01", "sw1", "Gi1"),
        nic("h1", "eth1", "00:00:00:00:00:02", "sw1", "Gi2"),
    )
    new = cabling(
        nic("h1-renamed", "eth0", "00:00:00:00:00:01", "sw1", "Gi1"),
        nic("h1-renamed", "eth1", "00:00:00:00:00:02", None, None),
    )
    changes = compare({"cabling": old}, {"cabling": new})
    assert [(m["pif"], m["old"]["port"], m["new"]["status"]) for m in changes["nics_moved"]] == [
        ("eth1", "Gi2", "unplaced")
    ]
    assert changes["vlans_changed"] == []  # Gi2 is no host port on the new side
    assert change_count(changes) == 1
    assert change_lines(changes)[0][1] == [
        "  h1-renamed eth1 (00:00:00:00:00:02): sw1 Gi2 → (unplaced)"
    ]


def test_vlan_change_names_added_and_removed_vlans() -> None:
    old = cabling(nic("h1", "eth0", "00:00:00:00:00:01", "sw1", "Gi1"))
    new = cabling(nic("h1", "eth0", "00:00:00:00:00:01", "sw1", "Gi1", allowed_vlans=[1, 20]))
    [change] = compare({"cabling": old}, {"cabling": new})["vlans_changed"]
    assert (change["vlans_added"], change["vlans_removed"]) == ([20], [10])
    same = compare({"cabling": old}, {"cabling": cabling(*old.rows)})
    assert same["vlans_changed"] == [] and same["nics_moved"] == []


def test_zone_enabled_added_and_removed() -> None:
    old = zones(("z1", "defined", "w1"), ("z1", "defined", "w2"), ("gone", "effective", "w3"))
    new = zones(("z1", "effective", "w1"), ("z1", "effective", "w2"), ("fresh", "effective", "w4"))
    changes = {z["zone"]: z for z in compare({"zones": old}, {"zones": new})["zones_changed"]}
    assert changes["z1"]["zone_change"] == "state"
    assert (changes["z1"]["state_before"], changes["z1"]["state_after"]) == (
        "defined",
        "effective",
    )
    assert changes["z1"]["members_added"] == changes["z1"]["members_removed"] == []
    assert (changes["gone"]["zone_change"], changes["gone"]["members_removed"]) == (
        "removed",
        ["w3"],
    )
    assert (changes["fresh"]["zone_change"], changes["fresh"]["members_added"]) == (
        "added",
        ["w4"],
    )


def test_lun_maps_added_and_removed() -> None:
    old = maps(("/vol/a", 1, "iqn.x"), ("/vol/b", 2, "iqn.x"))
    new = maps(("/vol/a", 1, "iqn.x"), ("/vol/b", 2, "iqn.y"))
    result = compare({"maps": old}, {"maps": new})["lun_maps"]
    assert [(m["volume"], m["initiator"]) for m in result["added"]] == [("/vol/b", "iqn.y")]
    assert [(m["volume"], m["initiator"]) for m in result["removed"]] == [("/vol/b", "iqn.x")]


def test_a_side_without_the_table_is_not_compared() -> None:
    table = cabling(nic("h1", "eth0", "00:00:00:00:00:01", "sw1", "Gi1"))
    changes = compare({"cabling": table, "zones": None}, {"cabling": None})
    assert set(changes) == {"not_compared"}
    assert changes["not_compared"] == {
        "cabling": "no Ethernet switch in the new snapshot",
        "zones": "no FC fabric in either snapshot",
        "maps": "no storage array in either snapshot",
    }
    assert change_count(changes) == 0


def test_hostile_names_in_the_text_diff_are_inert() -> None:
    from xsfabric.report.diff import render_diff_text

    host = "\x1b[2Kh1\nforged [bold]line[/bold]"
    old = cabling(nic(host, "eth0", "00:00:00:00:00:01", "sw1", "Gi1"))
    new = cabling(nic(host, "eth0", "00:00:00:00:00:01", "sw1", "Gi9"))
    doc = {
        "snapshot": {"path": "new"},
        "findings": [],
        "baseline": {
            "reference": "old",
            "new": [],
            "fixed": [],
            "unchanged": [],
            "changes": compare({"cabling": old}, {"cabling": new}),
        },
    }
    text = render_diff_text(doc)
    assert "\x1b" not in text
    assert "forged [bold]line[/bold] eth0" in text  # one line, markup shown as text
    assert "sw1 Gi1 → sw1 Gi9" in text
