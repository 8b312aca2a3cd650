"""``xsfabric show luns|maps|exports SNAPSHOT``: the arrays' tables, joined to the pools.

``luns`` lists every array volume with the SR it backs, and every block SR whose ``SCSIid``
matches no captured volume (status ``not verified``); ``maps`` lists who can see each volume
(one row per map and initiator, with the pool host owning the initiator); ``exports`` lists
every export-policy rule with the volumes it guards and the NFS SRs mounted through it.
"""

from __future__ import annotations

from xsfabric.model.estate import Estate, load_estate
from xsfabric.san.exports import build_exports
from xsfabric.san.hba import host_initiators
from xsfabric.san.masking import MaskingView, build_masking
from xsfabric.snapshot import Snapshot
from xsfabric.tables import Table


def _estate(snapshot: Snapshot) -> tuple[Estate, MaskingView]:
    estate = load_estate(snapshot, with_switches=False)
    from xsfabric.san.array_load import load_arrays

    estate.arrays = load_arrays(snapshot)
    for facts in estate.arrays.values():
        for w in facts.warnings:
            where = f"{w.source}:{w.line}" if w.line is not None else w.source
            estate.warnings.append(f"array {w.device}: {where}: {w.message}")
    view = build_masking(estate.pools, estate.arrays, estate.initiators or host_initiators(estate))
    return estate, view


def luns_table(snapshot: Snapshot) -> Table:
    estate, view = _estate(snapshot)
    users: dict[str, list[tuple[str, str]]] = {}
    rows = []
    for item in view.sr_volumes:
        if item.volume is None:
            rows.append(
                {
                    "array": None,
                    "vserver": None,
                    "volume": None,
                    "serial": None,
                    "wwid": item.scsi_id,
                    "ostype": None,
                    "pool": item.pool.name,
                    "sr": item.sr.name_label,
                    "status": "not verified",
                    "reason": item.unverified,
                }
            )
            continue
        users.setdefault(item.volume.wwid, []).append((item.pool.name, item.sr.name_label))
    for facts in sorted(estate.arrays.values(), key=lambda f: f.device):
        for volume in facts.volumes or ():
            used = users.get(volume.wwid, [])
            rows.append(
                {
                    "array": volume.array,
                    "vserver": volume.vserver or None,
                    "volume": volume.name,
                    "serial": volume.serial,
                    "wwid": volume.wwid,
                    "ostype": volume.ostype or None,
                    "pool": ",".join(p for p, _ in used) or None,
                    "sr": ",".join(s for _, s in used) or None,
                    "status": "sr" if used else "no sr",
                    "reason": None,
                }
            )
    table = Table(
        "luns",
        [
            "array",
            "vserver",
            "volume",
            "serial",
            "wwid",
            "ostype",
            "pool",
            "sr",
            "status",
            "reason",
        ],
        rows,
    )
    table.warnings.extend(estate.warnings)
    return table


def maps_table(snapshot: Snapshot) -> Table:
    estate, view = _estate(snapshot)
    groups = {
        (g.array, g.vserver, g.name): g for f in estate.arrays.values() for g in f.groups or ()
    }
    rows = []
    gaps: dict[str, str] = {}
    for facts in sorted(estate.arrays.values(), key=lambda f: f.device):
        if facts.maps is None:
            gaps[facts.device] = "its captures give no LUN maps"
        for lun_map in facts.maps or ():
            group = groups.get((lun_map.array, lun_map.vserver, lun_map.group))
            members = group.initiators if group is not None else ()
            for initiator in members or ("",):
                owner = view.owners.get(initiator)
                rows.append(
                    {
                        "array": lun_map.array,
                        "vserver": lun_map.vserver or None,
                        "volume": lun_map.volume,
                        "igroup": lun_map.group,
                        "lun_id": lun_map.lun_id,
                        "protocol": group.protocol if group else None,
                        "ostype": group.ostype if group else None,
                        "portset": (group.portset or None) if group else None,
                        "initiator": initiator or None,
                        "pool": owner.pool if owner else None,
                        "host": owner.host_name if owner else None,
                    }
                )
    table = Table(
        "maps",
        [
            "array",
            "vserver",
            "volume",
            "igroup",
            "lun_id",
            "protocol",
            "ostype",
            "portset",
            "initiator",
            "pool",
            "host",
        ],
        rows,
        source_column="array",
    )
    _sources(table, estate, gaps)
    table.warnings.extend(estate.warnings)
    return table


def _sources(table: Table, estate: Estate, gaps: dict[str, str]) -> None:
    """Each array either gave its part of the table (perhaps empty) or is unavailable: JSON
    answers null, not [], when no array could (see :meth:`Table.answer`)."""
    for device in sorted(estate.arrays):
        if device in gaps:
            table.not_available(device, gaps[device])
        else:
            table.available.append(device)


def exports_table(snapshot: Snapshot) -> Table:
    estate, _view = _estate(snapshot)
    volumes: dict[tuple[str, str, str], list[str]] = {}
    for facts in estate.arrays.values():
        for volume in facts.nas_volumes or ():
            volumes.setdefault((volume.array, volume.vserver, volume.policy), []).append(
                volume.name
            )
    srs: dict[tuple[str, str, str], list[str]] = {}
    for export in build_exports(estate.pools, estate.arrays):
        if export.volume is not None:
            key = (export.volume.array, export.volume.vserver, export.volume.policy)
            srs.setdefault(key, []).append(
                f"{export.endpoint.pool.name}/{export.endpoint.sr.name_label}"
            )
    rows = []
    gaps: dict[str, str] = {}
    for facts in sorted(estate.arrays.values(), key=lambda f: f.device):
        if facts.export_rules is None:
            gaps[facts.device] = (
                "its captures give no NFS export rules (none on a block-only array)"
            )
        for rule in facts.export_rules or ():
            key = (rule.array, rule.vserver, rule.policy)
            rows.append(
                {
                    "array": rule.array,
                    "vserver": rule.vserver,
                    "policy": rule.policy,
                    "index": rule.index,
                    "protocols": list(rule.protocols),
                    "clients": list(rule.clients),
                    "ro_rule": list(rule.ro_rule),
                    "rw_rule": list(rule.rw_rule) if rule.rw_rule is not None else None,
                    "superuser": list(rule.superuser) if rule.superuser is not None else None,
                    "volumes": sorted(volumes.get(key, [])),
                    "srs": sorted(srs.get(key, [])),
                }
            )
    table = Table(
        "exports",
        [
            "array",
            "vserver",
            "policy",
            "index",
            "protocols",
            "clients",
            "ro_rule",
            "rw_rule",
            "superuser",
            "volumes",
            "srs",
        ],
        rows,
        source_column="array",
    )
    _sources(table, estate, gaps)
    table.warnings.extend(estate.warnings)
    return table
