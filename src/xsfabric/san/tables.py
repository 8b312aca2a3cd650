"""``xsfabric show zones|logins SNAPSHOT``: FC zoning and name-server logins, one row per zone
member / login, naming the fabric, and the pool host an HBA WWPN belongs to."""

from __future__ import annotations

from typing import Any

from xsfabric.model.estate import Estate, load_estate
from xsfabric.san.fabric import Fabric
from xsfabric.snapshot import Snapshot
from xsfabric.tables import Table


def host_of_wwpn(estate: Estate) -> dict[str, tuple[str, str]]:
    """WWPN → (pool, host name) of the pool hosts' HBAs."""
    owners: dict[str, tuple[str, str]] = {}
    for initiators in estate.initiators.values():
        for wwpn in initiators.wwpns:
            owners[wwpn] = (initiators.pool, initiators.host_name)
    return owners


def _zone_rows(
    estate: Estate, fabric: Fabric, owners: dict[str, tuple[str, str]]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    initiators = frozenset(owners)
    effective = fabric.effective_zones or {}
    defined = fabric.defined_zones or {}
    for name in sorted(set(effective) | set(defined)):
        zone = effective.get(name) or defined[name]
        if name not in effective:
            state = "defined"
        elif name in defined or fabric.defined_zones is None:
            state = "effective"
        else:
            state = "effective-only"  # in effect, no longer in the defined database
        members = zone.device_members or ()
        if not members:
            rows.append(
                {
                    "fabric": fabric.name,
                    "zoneset": fabric.effective_name or None,
                    "zone": name,
                    "state": state,
                    "peer": zone.peer,
                    "member": None,
                    "kind": None,
                    "wwpn": None,
                    "role": None,
                    "logged_in": None,
                    "pool": None,
                    "host": None,
                }
            )
        for member in members:
            wwpns = fabric.member_wwpns(member) or (None,)
            for wwpn in wwpns:
                owner = owners.get(wwpn or "")
                rows.append(
                    {
                        "fabric": fabric.name,
                        "zoneset": fabric.effective_name or None,
                        "zone": name,
                        "state": state,
                        "peer": zone.peer,
                        "member": member.value,
                        "kind": str(member.kind),
                        "wwpn": wwpn,
                        "role": str(fabric.role(wwpn, member, initiators)) if wwpn else None,
                        "logged_in": fabric.logged_in(wwpn, member) if wwpn else None,
                        "pool": owner[0] if owner else None,
                        "host": owner[1] if owner else None,
                    }
                )
    return rows


def zones_table(snapshot: Snapshot) -> Table:
    estate = load_estate(snapshot)
    owners = host_of_wwpn(estate)
    table = Table(
        "zones",
        [
            "fabric",
            "zoneset",
            "zone",
            "state",
            "peer",
            "member",
            "kind",
            "wwpn",
            "role",
            "logged_in",
            "pool",
            "host",
        ],
        [],
        source_column="fabric",
    )
    for fabric in estate.fabrics:
        if fabric.effective_zones is None and fabric.defined_zones is None:
            table.not_available(
                fabric.name,
                f"no zoning capture (switches: {', '.join(fabric.switches)})",
            )
            continue
        table.available.append(fabric.name)
        table.rows.extend(_zone_rows(estate, fabric, owners))
    table.warnings.extend(w for w in estate.warnings if w.startswith(("fc-switch", "hba/")))
    return table


def logins_table(snapshot: Snapshot) -> Table:
    estate = load_estate(snapshot)
    owners = host_of_wwpn(estate)
    table = Table(
        "logins",
        [
            "fabric",
            "wwpn",
            "role",
            "role_source",
            "fcid",
            "switch",
            "port",
            "name",
            "zones",
            "pool",
            "host",
        ],
        [],
        source_column="fabric",
    )
    for fabric in estate.fabrics:
        if fabric.logins is None:
            table.not_available(
                fabric.name,
                f"no name server capture (switches: {', '.join(fabric.switches)})",
            )
            continue
        table.available.append(fabric.name)
        zoned: dict[str, int] = {}
        for zone in (fabric.effective_zones or {}).values():
            for wwpn in fabric.zone_wwpns(zone)[0]:
                zoned[wwpn] = zoned.get(wwpn, 0) + 1
        for wwpn in sorted(fabric.logins):
            login = fabric.logins[wwpn]
            owner = owners.get(wwpn)
            table.rows.append(
                {
                    "fabric": fabric.name,
                    "wwpn": wwpn,
                    "role": str(fabric.role(wwpn, None, frozenset(owners))),
                    "role_source": login.role_source or None,
                    "fcid": login.fcid or None,
                    "switch": login.switch or None,
                    "port": login.port or None,
                    "name": fabric.names.get(wwpn) or login.symbol or None,
                    "zones": zoned.get(wwpn, 0) if fabric.effective_zones is not None else None,
                    "pool": owner[0] if owner else None,
                    "host": owner[1] if owner else None,
                }
            )
    table.warnings.extend(w for w in estate.warnings if w.startswith(("fc-switch", "hba/")))
    return table
