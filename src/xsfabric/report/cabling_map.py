"""The cabling map of the HTML report, and the NIC ↔ port tables of the tabular formats.

Both are drawn from the cabling table (:func:`xsfabric.cabling.cabling_table`, one row per
physical host NIC) that the command passes in :attr:`ReportOptions.tables`, joined with the
findings of the document: a finding belongs to a NIC when its subject names the NIC (host and
PIF, or the bond or VLAN PIF on top of it), and to a switch port when it names the switch
and the interface. The joins are hash lookups: one pass over the findings, one over the NICs.

The map is laid out per pool (one collapsible block each) and per page of
:data:`HOSTS_PER_PAGE` hosts, so 64 hosts are four readable pages rather than one tangle:
hosts on the left, the switches the page's NICs land on on the right (an MLAG / vPC pair in
one frame), one line per placed NIC coloured by its traffic role. NICs that are not placed
(unplaced, contradicted) get no line: they are marked on their host and listed under the map
with the reason. Every string is passed to Jinja2 as data (autoescaped); no markup is built
here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from xsfabric.tables import Table

#: Hosts drawn in one map page.
HOSTS_PER_PAGE = 8
#: Traffic roles in precedence order, with the colour of their links (colour-blind-safe
#: Okabe–Ito hues); a NIC with several roles is drawn in the colour of the first.
ROLE_COLOURS: dict[str, str] = {
    "management": "#0072B2",
    "storage": "#E69F00",
    "guest": "#009E73",
    "internal": "#CC79A7",
    "unused": "#999999",
}
NO_ROLE = "unused"

# geometry of one map page (SVG user units)
_WIDTH = 980
_ROW = 17
_HEAD = 22
_GAP = 12
_HOST_X, _HOST_W = 8, 250
_SWITCH_W = 260
_SWITCH_X = _WIDTH - _SWITCH_W - 8
_PAIR_PAD = 8


def natural_key(text: str) -> tuple[Any, ...]:
    """Ethernet1/2 before Ethernet1/10, eth2 before eth10."""
    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", text))


def _short(text: str, limit: int) -> str:
    """A label that fits its box (the full text is in the element's title)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _base(pif: str) -> str:
    """The device a PIF sits on: ``bond0.20`` → ``bond0``, ``eth1`` → ``eth1``."""
    return pif.split(".", 1)[0]


@dataclass(slots=True)
class NicFindings:
    """Findings of the document indexed by the NIC and by the switch port they name."""

    by_nic: dict[tuple[str, str, str], list[Mapping[str, Any]]] = field(default_factory=dict)
    by_port: dict[tuple[str, str], list[Mapping[str, Any]]] = field(default_factory=dict)

    @classmethod
    def index(cls, findings: Iterable[Mapping[str, Any]]) -> NicFindings:
        out = cls()
        for f in findings:
            subject = f["subject"]
            names = {k: v.get("name", "") for k, v in subject.items()}
            if "host" in names and "pif" in names:
                key = (names.get("pool", ""), names["host"], _base(names["pif"]))
                out.by_nic.setdefault(key, []).append(f)
            if "device" in names and "interface" in names:
                out.by_port.setdefault((names["device"], names["interface"]), []).append(f)
        return out

    def of_nic(self, row: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        """Findings naming this NIC, or the bond it is a member of."""
        found = list(self.by_nic.get((row["pool"], row["host"], row["pif"]), []))
        if row.get("bond"):
            found += self.by_nic.get((row["pool"], row["host"], row["bond"]), [])
        return found

    def of_port(self, row: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        if not row.get("switch"):
            return []
        found = list(self.by_port.get((row["switch"], row["port"]), []))
        if row.get("lag") and row["lag"] != row["port"]:
            found += self.by_port.get((row["switch"], row["lag"]), [])
        return found


def _unique(findings: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    seen: dict[str, Mapping[str, Any]] = {}
    for f in findings:
        seen.setdefault(f["fingerprint"], f)
    return list(seen.values())


def cabling_of(tables: Sequence[Table]) -> Table | None:
    return next((t for t in tables if t.name == "cabling"), None)


def _vlans(values: Any) -> str:
    if values is None:
        return ""
    return ",".join(str(v) for v in values)


def _role(row: Mapping[str, Any]) -> str:
    roles = [r for r in row.get("roles") or [] if r in ROLE_COLOURS]
    return roles[0] if roles else NO_ROLE


# -- tables (XLSX tabs, CSV files) --------------------------------------------------------

NICS_PORTS_COLUMNS = [
    "pool",
    "host",
    "pif",
    "mac",
    "networks",
    "roles",
    "bond",
    "switch",
    "port",
    "lag",
    "mlag_peer",
    "mode",
    "access_vlan",
    "native_vlan",
    "allowed_vlans",
    "status",
    "placed_by",
    "confidence",
    "reason",
    "findings",
    "finding_ids",
]
HOST_PORT_VLANS_COLUMNS = [
    "switch",
    "port",
    "lag",
    "mode",
    "access_vlan",
    "native_vlan",
    "allowed_vlans",
    "learned_vlans",
    "pool",
    "host",
    "pif",
]


def nics_ports_table(cabling: Table, doc: Mapping[str, Any]) -> Table:
    """One row per physical host NIC: where it is cabled, how that was found, and the ids
    (fingerprints) and rules of the findings on the NIC or its switch port."""
    index = NicFindings.index(doc["findings"])
    rows = []
    for row in cabling.rows:
        found = _unique([*index.of_nic(row), *index.of_port(row)])
        rows.append(
            {
                "pool": row["pool"],
                "host": row["host"],
                "pif": row["pif"],
                "mac": row["mac"],
                "networks": ", ".join(row.get("networks") or []),
                "roles": ",".join(row.get("roles") or []),
                "bond": row.get("bond"),
                "switch": row.get("switch"),
                "port": row.get("port"),
                "lag": row.get("lag"),
                "mlag_peer": row.get("mlag_peer"),
                "mode": row.get("mode"),
                "access_vlan": row.get("access_vlan"),
                "native_vlan": row.get("native_vlan"),
                "allowed_vlans": _vlans(row.get("allowed_vlans")),
                "status": row["status"],
                "placed_by": ",".join(row.get("evidence") or []),
                "confidence": row.get("confidence"),
                "reason": row.get("reason"),
                "findings": ",".join(sorted({f["rule_id"] for f in found})),
                "finding_ids": ",".join(sorted(f["fingerprint"] for f in found)),
            }
        )
    return Table("nics_ports", NICS_PORTS_COLUMNS, rows)


def host_port_vlans_table(cabling: Table) -> Table:
    """One row per switch port a host NIC is placed on: the port's VLAN set-up, and the NIC."""
    rows = [
        {
            "switch": row["switch"],
            "port": row["port"],
            "lag": row.get("lag"),
            "mode": row.get("mode"),
            "access_vlan": row.get("access_vlan"),
            "native_vlan": row.get("native_vlan"),
            "allowed_vlans": _vlans(row.get("allowed_vlans")),
            "learned_vlans": _vlans(row.get("learned_vlans")),
            "pool": row["pool"],
            "host": row["host"],
            "pif": row["pif"],
        }
        for row in cabling.rows
        if row.get("switch") and row["status"] == "placed"
    ]
    rows.sort(key=lambda r: (natural_key(r["switch"]), natural_key(r["port"])))
    return Table("host_port_vlans", HOST_PORT_VLANS_COLUMNS, rows)


# -- the map ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Port:
    switch: str
    name: str
    y: float = 0.0
    findings: list[Mapping[str, Any]] = field(default_factory=list)


def _groups(
    switches: Iterable[str], pairs: Mapping[str, str]
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Switches grouped: (the switches drawn, the MLAG / vPC pair they belong to). Both
    switches of a pair the page uses are drawn in one frame; a pair of which the page uses
    one switch is framed and named, without an empty box for the peer."""
    used = set(switches)
    groups: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name in sorted(used, key=natural_key):
        peer = pairs.get(name)
        pair = tuple(sorted({name, peer}, key=natural_key)) if peer else (name,)
        groups.setdefault(pair, tuple(s for s in pair if s in used))
    return [(drawn, pair) for pair, drawn in groups.items()]


def _page(
    pool: str,
    hosts: list[tuple[str, list[dict[str, Any]]]],
    pairs: Mapping[str, str],
    index: NicFindings,
    moved: Mapping[str, str],
) -> dict[str, Any]:
    """One SVG page: boxes, labels and links with their coordinates."""
    host_boxes = []
    anchors: dict[int, float] = {}  # id(row) → y of its NIC
    y = 8.0
    for host, rows in hosts:
        nics = []
        for i, row in enumerate(rows):
            ny = y + _HEAD + i * _ROW + _ROW / 2
            anchors[id(row)] = ny
            nic_findings = _unique(index.of_nic(row))
            nics.append(
                {
                    "label": _short(row["pif"], 10),
                    "detail": row["mac"],
                    "y": ny,
                    "status": row["status"],
                    "placed": row["status"] == "placed" and bool(row.get("switch")),
                    "findings": len(nic_findings),
                    "title": f"{host} {row['pif']} ({row['mac']}): {row['status']}"
                    + (f" — {row['reason']}" if row.get("reason") else ""),
                }
            )
        height = _HEAD + len(rows) * _ROW + 6
        host_boxes.append(
            {"name": _short(host, 34), "full": host, "y": y, "height": height, "nics": nics}
        )
        y += height + _GAP
    left_height = y
    # switches: the ports this page's placed NICs land on, ordered by the mean height of
    # their NICs (fewer crossings), ports in natural order inside a switch
    ports: dict[tuple[str, str], _Port] = {}
    weight: dict[str, list[float]] = {}
    placed = [
        row for _, rows in hosts for row in rows if row["status"] == "placed" and row.get("switch")
    ]
    for row in placed:
        key = (row["switch"], row["port"])
        ports.setdefault(key, _Port(row["switch"], row["port"], findings=index.of_port(row)))
        weight.setdefault(row["switch"], []).append(anchors[id(row)])
    groups = _groups(weight, pairs)
    groups.sort(key=lambda g: min(sum(weight[s]) / len(weight[s]) for s in g[0]))
    switch_boxes = []
    frames = []

    def natural(group: tuple[str, ...], pair: tuple[str, ...]) -> float:
        count = sum(1 for s, _ in ports if s in group)
        height = len(group) * (_HEAD + 6) + count * _ROW
        if len(pair) > 1:
            height += _PAIR_PAD + 14 + 4 * len(group) + _PAIR_PAD - 4
        return height

    # the switch column spread over the height of the host column (one group: centred), so
    # the lines run level instead of fanning into a short column
    spare = max(left_height - sum(natural(*g) for g in groups) - _GAP * len(groups), 0.0)
    spread = spare / (len(groups) - 1) if len(groups) > 1 else 0.0
    y = 8.0 + (spare / 2 if len(groups) == 1 else 0.0)
    for group, pair in groups:
        top = y
        if len(pair) > 1:
            y += _PAIR_PAD + 14
        for name in group:
            names = sorted(
                (p for (s, _), p in ports.items() if s == name), key=lambda p: natural_key(p.name)
            )
            box_ports = []
            for i, port in enumerate(names):
                port.y = y + _HEAD + i * _ROW + _ROW / 2
                found = _unique(port.findings)
                box_ports.append(
                    {
                        "label": _short(port.name, 30),
                        "y": port.y,
                        "findings": len(found),
                        "title": f"{name} {port.name}"
                        + (
                            ": " + "; ".join(sorted({f["rule_id"] for f in found})) if found else ""
                        ),
                    }
                )
            height = _HEAD + max(len(names), 1) * _ROW + 6
            switch_boxes.append(
                {
                    "name": _short(name, 34),
                    "full": name,
                    "y": y,
                    "height": height,
                    "ports": box_ports,
                }
            )
            y += height + (4 if len(pair) > 1 else 0)
        if len(pair) > 1:
            y += _PAIR_PAD - 4
            label = "MLAG / vPC pair " + " + ".join(pair)
            if len(group) < len(pair):
                missing = ", ".join(s for s in pair if s not in group)
                label = f"MLAG / vPC with {missing} (no NIC here)"
            frames.append({"label": _short(label, 46), "full": label, "y": top, "height": y - top})
        y += _GAP + spread
    links: list[dict[str, Any]] = []
    for row in placed:
        x1, y1 = _HOST_X + _HOST_W, anchors[id(row)]
        port = ports[(row["switch"], row["port"])]
        x2, y2 = _SWITCH_X, port.y
        mid = (x2 - x1) / 2
        nic_findings = _unique(index.of_nic(row))
        port_findings = _unique(port.findings)
        role = _role(row)
        title = (
            f"{row['host']} {row['pif']} ({row['mac']}) ↔ {row['switch']} {row['port']}"
            + (f" [{row['lag']}]" if row.get("lag") and row["lag"] != row["port"] else "")
            + f" · roles: {','.join(row.get('roles') or []) or 'none'}"
            + (f" · networks: {', '.join(row['networks'])}" if row.get("networks") else "")
            + f" · {row.get('mode') or 'mode unknown'}"
            + (f" native {row['native_vlan']}" if row.get("native_vlan") is not None else "")
            + (f" access {row['access_vlan']}" if row.get("access_vlan") is not None else "")
            + (
                f" allowed {_vlans(row['allowed_vlans'])}"
                if row.get("allowed_vlans") is not None
                else ""
            )
            + f" · placed by {','.join(row.get('evidence') or [])}"
        )
        rules = sorted({f["rule_id"] for f in [*nic_findings, *port_findings]})
        if rules:
            title += " · findings: " + ", ".join(rules)
        was = moved.get(row["mac"])
        if was is not None:
            title += f" · moved since the reference (was {was})"
        links.append(
            {
                "d": f"M{x1:.0f},{y1:.1f} C{x1 + mid:.0f},{y1:.1f} {x2 - mid:.0f},{y2:.1f} "
                f"{x2:.0f},{y2:.1f}",
                "role": role,
                "colour": ROLE_COLOURS[role],
                "flagged": bool(nic_findings),
                "moved": was is not None,
                "nic": f"{row['host']}/{row['pif']}",
                "port": f"{row['switch']}:{row['port']}",
                "title": title,
            }
        )
    # flagged links last, so they are drawn on top
    links.sort(key=lambda link: link["flagged"])
    return {
        "pool": pool,
        "hosts": host_boxes,
        "switches": switch_boxes,
        "frames": frames,
        "links": links,
        "height": max(left_height, y - spread, 60.0),
        "first": hosts[0][0],
        "last": hosts[-1][0],
    }


def cabling_map(
    cabling: Table, doc: Mapping[str, Any], pairs: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """What the template draws: per pool, its pages, and the NICs without a line. NICs the
    document's baseline says moved since the reference are drawn dashed."""
    index = NicFindings.index(doc["findings"])
    changes = (doc.get("baseline") or {}).get("changes") or {}
    moved = {
        m["mac"]: f"{m['old']['switch']} {m['old']['port']}"
        if m["old"].get("switch")
        else m["old"]["status"]
        for m in changes.get("nics_moved") or []
    }
    pairs = dict(pairs or {})
    by_pool: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for row in cabling.rows:
        by_pool.setdefault(row["pool"], {}).setdefault(row["host"], []).append(row)
    pools = []
    for pool in sorted(by_pool, key=natural_key):
        hosts = [
            (host, sorted(rows, key=lambda r: natural_key(r["pif"])))
            for host, rows in sorted(by_pool[pool].items(), key=lambda kv: natural_key(kv[0]))
        ]
        pages = [
            _page(pool, hosts[i : i + HOSTS_PER_PAGE], pairs, index, moved)
            for i in range(0, len(hosts), HOSTS_PER_PAGE)
        ]
        rows = [row for _, host_rows in hosts for row in host_rows]
        not_placed = [
            {
                "host": row["host"],
                "pif": row["pif"],
                "mac": row["mac"],
                "status": row["status"],
                "reason": row.get("reason") or "",
            }
            for row in rows
            if not (row["status"] == "placed" and row.get("switch"))
        ]
        pools.append(
            {
                "name": pool,
                "hosts": len(hosts),
                "nics": len(rows),
                "placed": sum(len(p["links"]) for p in pages),
                "flagged": sum(1 for p in pages for link in p["links"] if link["flagged"]),
                "pages": pages,
                "not_placed": not_placed,
            }
        )
    return {
        "pools": pools,
        "width": _WIDTH,
        "host_x": _HOST_X,
        "host_w": _HOST_W,
        "switch_x": _SWITCH_X,
        "switch_w": _SWITCH_W,
        "roles": list(ROLE_COLOURS.items()),
        "hosts_per_page": HOSTS_PER_PAGE,
    }
