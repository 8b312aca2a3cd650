"""LUN masking joined end to end: SR ``SCSIid`` → array volume → host maps → initiator
groups → initiators → the pool hosts that own them (HBA WWPNs, iSCSI IQNs).

Built once per audit from the estate with hash indexes (by WWID, by ``(array, vserver, name)``,
by initiator), so each SR costs the size of its own maps. What cannot be joined stays visible:
an SR whose ``SCSIid`` matches no volume of any captured array is *not verified* (the rules
say so), never passing; a host whose initiators are unknown is not counted as unmapped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from xsfabric.model.xen import Host, Pool, Sr
from xsfabric.san.array import (
    ArrayFacts,
    ArrayVolume,
    HostGroup,
    InitiatorKind,
    LunMap,
    normalize_scsi_id,
)
from xsfabric.san.hba import HostInitiators

#: Block SR types reached over iSCSI (their LUNs are masked to host IQNs).
ISCSI_SR_TYPES = frozenset({"lvmoiscsi", "iscsi", "lvmoiscsi2"})


@dataclass(frozen=True, slots=True)
class Owner:
    """The pool host an initiator belongs to."""

    pool: str
    host_uuid: str
    host_name: str
    environment: str | None


@dataclass(frozen=True, slots=True)
class MappedInitiator:
    """One initiator that can see a volume: through which group, under which LUN id."""

    initiator: str
    group: HostGroup
    lun_id: int | None
    owner: Owner | None


@dataclass(frozen=True, slots=True)
class SrVolume:
    """One block SR of a pool, with the volume behind it and everything that can see it."""

    pool: Pool
    sr: Sr
    scsi_id: str
    protocol: InitiatorKind  # FC or iSCSI: which host initiators must be in the maps
    volume: ArrayVolume | None
    maps: tuple[LunMap, ...] = ()
    mapped: tuple[MappedInitiator, ...] = ()
    #: Pool hosts with a PBD for this SR (the hosts that must see the LUN).
    hosts: tuple[Host, ...] = ()
    #: Why the masking cannot be verified ("" when it can).
    unverified: str = ""


@dataclass(slots=True)
class MaskingView:
    initiators: dict[str, HostInitiators]
    owners: dict[str, Owner] = field(default_factory=dict)
    volumes: dict[str, ArrayVolume] = field(default_factory=dict)
    sr_volumes: list[SrVolume] = field(default_factory=list)

    def host_initiators(self, host_uuid: str, kind: InitiatorKind) -> tuple[str, ...]:
        found = self.initiators.get(host_uuid)
        if found is None or kind == InitiatorKind.OTHER:
            return ()
        return found.wwpns if kind == InitiatorKind.FC else found.iqns


def sr_scsi_id(pool: Pool, sr: Sr) -> str | None:
    """The SR's ``SCSIid``: PBD ``device_config`` (what every block SR stores), else the
    SR's ``sm_config``."""
    for pbd_uuid in sr.pbd_uuids:
        pbd = pool.pbds.get(pbd_uuid)
        if pbd is not None and pbd.device_config.get("SCSIid", "").strip():
            return normalize_scsi_id(pbd.device_config["SCSIid"])
    value = sr.sm_config.get("SCSIid", "").strip()
    return normalize_scsi_id(value) if value else None


def sr_protocol(pool: Pool, sr: Sr) -> InitiatorKind:
    provider = next(
        (pool.pbds[u].device_config.get("provider", "") for u in sr.pbd_uuids if u in pool.pbds), ""
    )
    if sr.type in ISCSI_SR_TYPES or provider == "iscsi":
        return InitiatorKind.ISCSI
    return InitiatorKind.FC


def build_masking(
    pools: Iterable[Pool], arrays: dict[str, ArrayFacts], initiators: dict[str, HostInitiators]
) -> MaskingView:
    pools = list(pools)
    view = MaskingView(initiators)
    for pool in pools:
        for host in pool.hosts.values():
            found = initiators.get(host.uuid)
            if found is None:
                continue
            owner = Owner(pool.name, host.uuid, found.host_name, pool.environment)
            for name in (*found.wwpns, *found.iqns):
                view.owners.setdefault(name, owner)
    maps: dict[tuple[str, str, str], list[LunMap]] = {}
    groups: dict[tuple[str, str, str], HostGroup] = {}
    volumes_known = False
    for facts in arrays.values():
        if facts.volumes is not None:
            volumes_known = True
            for volume in facts.volumes:
                view.volumes.setdefault(volume.wwid, volume)
        for lun_map in facts.maps or ():
            maps.setdefault((lun_map.array, lun_map.vserver, lun_map.volume), []).append(lun_map)
        for group in facts.groups or ():
            groups[(group.array, group.vserver, group.name)] = group
    for pool in pools:
        for sr in sorted(pool.srs.values(), key=lambda s: (s.name_label, s.uuid)):
            scsi_id = sr_scsi_id(pool, sr)
            if scsi_id is None:
                continue
            hosts = tuple(
                sorted(
                    (
                        pool.hosts[pool.pbds[u].host_uuid or ""]
                        for u in sr.pbd_uuids
                        if u in pool.pbds and (pool.pbds[u].host_uuid or "") in pool.hosts
                    ),
                    key=lambda h: h.name_label,
                )
            )
            protocol = sr_protocol(pool, sr)
            known = view.volumes.get(scsi_id)
            if known is None:
                why = (
                    "its SCSIid matches no volume of the captured arrays"
                    if volumes_known
                    else "no array capture lists volumes"
                )
                view.sr_volumes.append(
                    SrVolume(pool, sr, scsi_id, protocol, None, hosts=hosts, unverified=why)
                )
                continue
            volume = known
            facts = arrays[volume.array]
            if facts.maps is None or facts.groups is None:
                missing = "lun mapping show" if facts.maps is None else "igroup show -instance"
                view.sr_volumes.append(
                    SrVolume(
                        pool,
                        sr,
                        scsi_id,
                        protocol,
                        volume,
                        hosts=hosts,
                        unverified=f"array {volume.array}: {missing} not captured or not readable",
                    )
                )
                continue
            own_maps = tuple(maps.get((volume.array, volume.vserver, volume.name), ()))
            mapped: list[MappedInitiator] = []
            partial = ""
            for lun_map in own_maps:
                mapped_group = groups.get((lun_map.array, lun_map.vserver, lun_map.group))
                if mapped_group is None:
                    partial = f"it is mapped to {lun_map.group}, which no capture lists"
                    continue
                if not mapped_group.complete:
                    partial = (
                        f"it is mapped to {mapped_group.name}, whose members are not all known"
                    )
                for name in mapped_group.initiators:
                    mapped.append(
                        MappedInitiator(name, mapped_group, lun_map.lun_id, view.owners.get(name))
                    )
            view.sr_volumes.append(
                SrVolume(
                    pool, sr, scsi_id, protocol, volume, own_maps, tuple(mapped), hosts, partial
                )
            )
    return view
