"""What changed in the estate between two snapshots, beside the findings: NICs that moved
ports, VLAN changes on host ports, zone members added or removed, LUN maps added or removed.

Pure comparison of the tables the command builds for each snapshot (the cabling table of
:mod:`xsfabric.cabling`, ``show zones`` and ``show maps``); a table one side lacks (no switch,
fabric or array collected there) is reported as not compared, never as "everything removed".
Each comparison is one pass over each side, keyed by a hash:

- a NIC is the same NIC when its MAC is (a renamed host or PIF is not a move); it moved when
  its switch or port differs;
- a host port is (switch, port); its VLAN set-up is mode, access VLAN, native VLAN, allowed VLANs;
- a zone is (fabric, zone), its members the member values as configured (alias, WWPN, port),
  its state defined / effective (a zone enabled or dropped from the effective set is a change);
- a mapping is (array, vserver, volume, LUN id, initiator): who can see which LUN.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xsfabric.tables import Table

#: Change tables, in the order reports show them.
KINDS = ("cabling", "zones", "maps")
_VLAN_FIELDS = ("mode", "access_vlan", "native_vlan", "allowed_vlans")


def _side(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"switch": row.get("switch"), "port": row.get("port"), "status": row["status"]}


def _nic_moves(old: Table, new: Table) -> list[dict[str, Any]]:
    before = {r["mac"]: r for r in old.rows}
    moves = []
    for row in new.rows:
        was = before.get(row["mac"])
        if was is None:
            continue
        if (was.get("switch"), was.get("port")) == (row.get("switch"), row.get("port")):
            continue
        moves.append(
            {
                "pool": row["pool"],
                "host": row["host"],
                "pif": row["pif"],
                "mac": row["mac"],
                "old": {
                    "switch": was.get("switch"),
                    "port": was.get("port"),
                    "status": was["status"],
                },
                "new": {
                    "switch": row.get("switch"),
                    "port": row.get("port"),
                    "status": row["status"],
                },
            }
        )
    return moves


def _vlan_setup(row: Mapping[str, Any]) -> dict[str, Any]:
    setup = {k: row.get(k) for k in _VLAN_FIELDS}
    if setup["allowed_vlans"] is not None:
        setup["allowed_vlans"] = list(setup["allowed_vlans"])
    return setup


def _host_ports(table: Table) -> dict[tuple[str, str], Mapping[str, Any]]:
    return {(r["switch"], r["port"]): r for r in table.rows if r.get("switch") and r.get("port")}


def _vlan_changes(old: Table, new: Table) -> list[dict[str, Any]]:
    before = _host_ports(old)
    changes = []
    for key, row in sorted(_host_ports(new).items()):
        was = before.get(key)
        if was is None:
            continue
        old_setup, new_setup = _vlan_setup(was), _vlan_setup(row)
        if old_setup == new_setup:
            continue
        change: dict[str, Any] = {
            "switch": key[0],
            "port": key[1],
            "host": row["host"],
            "pif": row["pif"],
            "old": old_setup,
            "new": new_setup,
        }
        old_allowed, new_allowed = old_setup["allowed_vlans"], new_setup["allowed_vlans"]
        if old_allowed is not None and new_allowed is not None:
            change["vlans_added"] = sorted(set(new_allowed) - set(old_allowed))
            change["vlans_removed"] = sorted(set(old_allowed) - set(new_allowed))
        changes.append(change)
    return changes


def _zones(table: Table) -> tuple[dict[tuple[str, str], set[str]], dict[tuple[str, str], str]]:
    """Members and state (defined / effective / effective-only) of every zone."""
    zones: dict[tuple[str, str], set[str]] = {}
    states: dict[tuple[str, str], str] = {}
    for row in table.rows:
        key = (row["fabric"], row["zone"])
        members = zones.setdefault(key, set())
        states[key] = str(row.get("state") or "")
        if row.get("member") is not None:
            members.add(str(row["member"]))
    return zones, states


def _zone_changes(old: Table, new: Table) -> list[dict[str, Any]]:
    (before, old_states), (after, new_states) = _zones(old), _zones(new)
    changes = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key), after.get(key)
        added = sorted((now or set()) - (was or set()))
        removed = sorted((was or set()) - (now or set()))
        state = (old_states.get(key), new_states.get(key))
        if was is not None and now is not None:
            if added or removed:
                kind = "members"
            elif state[0] != state[1]:
                kind = "state"  # enabled in (or dropped from) the effective configuration
            else:
                continue
        else:
            kind = "added" if was is None else "removed"
        changes.append(
            {
                "fabric": key[0],
                "zone": key[1],
                "zone_change": kind,
                "state_before": state[0],
                "state_after": state[1],
                "members_added": added,
                "members_removed": removed,
            }
        )
    return changes


def _mappings(table: Table) -> dict[tuple[Any, ...], Mapping[str, Any]]:
    return {
        (r["array"], r.get("vserver"), r["volume"], r.get("lun_id"), r.get("initiator")): r
        for r in table.rows
    }


def _map_item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: row.get(k)
        for k in ("array", "vserver", "volume", "lun_id", "igroup", "initiator", "pool", "host")
    }


def _masking_changes(old: Table, new: Table) -> dict[str, list[dict[str, Any]]]:
    before, after = _mappings(old), _mappings(new)
    return {
        "added": [_map_item(after[k]) for k in sorted(set(after) - set(before), key=str)],
        "removed": [_map_item(before[k]) for k in sorted(set(before) - set(after), key=str)],
    }


def compare(old: Mapping[str, Table | None], new: Mapping[str, Table | None]) -> dict[str, Any]:
    """The ``changes`` section of a diff: per kind of table, the changes, or why not compared."""
    out: dict[str, Any] = {"not_compared": {}}
    reasons = {
        "cabling": "no Ethernet switch",
        "zones": "no FC fabric",
        "maps": "no storage array",
    }
    for kind in KINDS:
        before, after = old.get(kind), new.get(kind)
        if before is None or after is None:
            where = (
                "in either snapshot"
                if before is None and after is None
                else f"in the {'old' if before is None else 'new'} snapshot"
            )
            out["not_compared"][kind] = f"{reasons[kind]} {where}"
            continue
        if kind == "cabling":
            out["nics_moved"] = _nic_moves(before, after)
            out["vlans_changed"] = _vlan_changes(before, after)
        elif kind == "zones":
            out["zones_changed"] = _zone_changes(before, after)
        else:
            out["lun_maps"] = _masking_changes(before, after)
    return out


def change_count(changes: Mapping[str, Any]) -> int:
    """How many changes the section lists (0: the estate's wiring, zoning and masking are as
    they were, as far as both snapshots show them)."""
    maps = changes.get("lun_maps") or {}
    return (
        len(changes.get("nics_moved", []))
        + len(changes.get("vlans_changed", []))
        + len(changes.get("zones_changed", []))
        + len(maps.get("added", []))
        + len(maps.get("removed", []))
    )


def _vlans(setup: Mapping[str, Any]) -> str:
    parts = [str(setup.get("mode") or "?")]
    if setup.get("access_vlan") is not None:
        parts.append(f"access {setup['access_vlan']}")
    if setup.get("native_vlan") is not None:
        parts.append(f"native {setup['native_vlan']}")
    if setup.get("allowed_vlans") is not None:
        parts.append("allowed " + ",".join(str(v) for v in setup["allowed_vlans"]))
    return " ".join(parts)


def _where(side: Mapping[str, Any]) -> str:
    if side.get("switch"):
        return f"{side['switch']} {side['port']}"
    return f"({side.get('status') or 'not placed'})"


def change_lines(changes: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """The changes as (heading, lines) for the text diff."""
    sections: list[tuple[str, list[str]]] = []
    moved = changes.get("nics_moved") or []
    if moved:
        sections.append(
            (
                "NICs moved",
                [
                    f"  {m['host']} {m['pif']} ({m['mac']}): "
                    f"{_where(m['old'])} → {_where(m['new'])}"
                    for m in moved
                ],
            )
        )
    vlans = changes.get("vlans_changed") or []
    if vlans:
        lines = []
        for v in vlans:
            line = f"  {v['switch']} {v['port']} ({v['host']} {v['pif']}): "
            line += f"{_vlans(v['old'])} → {_vlans(v['new'])}"
            if v.get("vlans_added"):
                line += " (+" + ",".join(str(n) for n in v["vlans_added"]) + ")"
            if v.get("vlans_removed"):
                line += " (-" + ",".join(str(n) for n in v["vlans_removed"]) + ")"
            lines.append(line)
        sections.append(("VLANs changed on host ports", lines))
    zones = changes.get("zones_changed") or []
    if zones:
        lines = []
        for z in zones:
            head = f"  {z['fabric']} zone {z['zone']}"
            if z["zone_change"] in ("added", "removed"):
                head += f" {z['zone_change']}"
            if z["state_before"] != z["state_after"]:
                head += f" ({z['state_before'] or 'absent'} → {z['state_after'] or 'absent'})"
            lines.append(
                head
                + "".join(f" +{m}" for m in z["members_added"])
                + "".join(f" -{m}" for m in z["members_removed"])
            )
        sections.append(("Zoning", lines))
    maps = changes.get("lun_maps") or {}
    if maps.get("added") or maps.get("removed"):
        lines = [
            f"  {mark} {m['array']} {m['volume']} LUN {m['lun_id']} → {m['initiator']}"
            + (f" ({m['host']})" if m.get("host") else "")
            + f" igroup {m['igroup']}"
            for mark, key in (("+", "added"), ("-", "removed"))
            for m in maps.get(key, [])
        ]
        sections.append(("LUN masking", lines))
    return sections
