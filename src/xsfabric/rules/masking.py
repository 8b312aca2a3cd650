"""LUN masking on the arrays behind the pools' block SRs (guide G29, with G05 for sharing
between environments).

Every rule reads one join (:mod:`xsfabric.san.masking`): SR ``SCSIid`` → array volume → host
maps → initiator groups → initiators → pool hosts. The rules run only when the snapshot holds
array captures; then an SR whose volume cannot be found is reported as *not verified* (a
not-checked entry naming the reason), never as passing. An initiator is called foreign only
when every host of the pool has known initiators of that kind (an HBA listing for FC, the host
IQN for iSCSI): otherwise it may be the pool's own unrecorded HBA, and the rule says so.
"""

from __future__ import annotations

from pathlib import Path

from xsfabric.model.estate import Estate
from xsfabric.rules.engine import (
    Category,
    RuleContext,
    Severity,
    Subject,
    SubjectRef,
    rule,
    subject,
)
from xsfabric.san.array import PORT_PRESENTS, ArrayVolume, InitiatorKind, initiator_kind
from xsfabric.san.hba import HBA_FOLDER, initiators_for
from xsfabric.san.masking import MappedInitiator, MaskingView, SrVolume, build_masking

_CACHE: dict[int, tuple[Estate, MaskingView]] = {}

#: igroup / LUN OS types a XenServer host is served correctly with: NetApp "xen" (or "linux",
#: what older configuration guides use); 3PAR/Primera host personas "Generic-ALUA" (HPE's
#: choice for Linux and XenServer) or "Generic".
XEN_OSTYPES = frozenset({"xen", "linux", "generic-alua", "generic"})


def masking_view(estate: Estate) -> MaskingView:
    """The masking join of this estate, built once per audit."""
    cached = _CACHE.get(id(estate))
    if cached is not None and cached[0] is estate:
        return cached[1]
    initiators = estate.initiators  # loaded with the estate (hba/<host>.txt, host IQNs)
    if not initiators and estate.pools:  # an estate built in memory (tests, tools)
        snapshot_path = getattr(estate.snapshot, "path", None)
        hba_dir = Path(snapshot_path) / HBA_FOLDER if snapshot_path else Path("/nonexistent")
        initiators = initiators_for(estate.pools, hba_dir, [])
    view = build_masking(estate.pools, estate.arrays, initiators)
    _CACHE.clear()
    _CACHE[id(estate)] = (estate, view)
    return view


def volume_subject(item: SrVolume) -> Subject:
    found = subject(item.pool, sr=item.sr)
    if item.volume is not None:
        found["array"] = SubjectRef(item.volume.array)
        found["volume"] = SubjectRef(
            f"{item.volume.vserver}:{item.volume.name}" if item.volume.vserver else item.volume.name
        )
    return found


def _initiator_ref(name: str) -> tuple[str, SubjectRef]:
    key = "wwpn" if initiator_kind(name) == InitiatorKind.FC else "initiator"
    return key, SubjectRef(name)


def _volume_evidence(item: SrVolume) -> dict[str, object]:
    volume = item.volume
    return {
        "scsi_id": item.scsi_id,
        "array": volume.array if volume else None,
        "vserver": volume.vserver if volume else None,
        "volume": volume.name if volume else None,
        "serial": volume.serial if volume else None,
    }


def _hosts_unknown(view: MaskingView, item: SrVolume, kind: InitiatorKind) -> list[str]:
    """Hosts of the SR's pool whose initiators of this kind are unknown."""
    return [
        h.name_label for h in item.pool.hosts.values() if not view.host_initiators(h.uuid, kind)
    ]


@rule(
    "array-lun-mapped-outside-pool",
    title="SR LUN mapped to an initiator outside the pool",
    severity=Severity.HIGH,
    category=Category.MASKING,
    guide=("G29",),
    rationale="A LUN that a host outside the pool can see can be written by it: a second "
    "LVM or file system writer corrupts every VDI of the SR, and the data is "
    "exposed to whoever owns that host.",
    remediation="Remove the initiator from the igroup, or unmap the LUN from that igroup: "
    "lun igroup remove -vserver <svm> -igroup <igroup> -initiator <name>; "
    "lun mapping delete -vserver <svm> -path <path> -igroup <igroup>",
    data=("xapi", "arrays", "hba"),
)
def lun_mapped_outside_pool(ctx: RuleContext) -> None:
    view = masking_view(ctx.estate)
    for item in view.sr_volumes:
        if item.unverified:
            ctx.not_checked(
                volume_subject(item),
                f"SR {item.sr.name_label!r} (SCSIid "
                f"{item.scsi_id}) not verified: {item.unverified}",
            )
        if item.volume is None:
            continue
        unknown: dict[InitiatorKind, list[str]] = {}
        for mapped in item.mapped:
            if mapped.owner is not None and mapped.owner.pool == item.pool.name:
                continue
            if mapped.initiator.startswith(PORT_PRESENTS):
                _report_outside(ctx, item, mapped)
                continue
            kind = initiator_kind(mapped.initiator)
            if mapped.owner is None:
                missing = _hosts_unknown(view, item, kind)
                if missing:
                    unknown.setdefault(kind, []).append(mapped.initiator)
                    continue
            _report_outside(ctx, item, mapped)
        for kind, names in unknown.items():
            ctx.not_checked(
                volume_subject(item),
                f"LUN of SR {item.sr.name_label!r} is mapped to {', '.join(sorted(set(names)))}"
                f", which may belong to hosts of pool {item.pool.name} whose {kind} initiators "
                f"are unknown ({', '.join(_hosts_unknown(view, item, kind))})",
            )


def _report_outside(ctx: RuleContext, item: SrVolume, mapped: MappedInitiator) -> None:
    owner = mapped.owner
    who = (
        f"host {owner.host_name} of pool {owner.pool}"
        if owner is not None
        else "every host logged in on that array port (port presents)"
        if mapped.initiator.startswith(PORT_PRESENTS)
        else "no host of any pool in the snapshot"
    )
    key, ref = _initiator_ref(mapped.initiator)
    found = volume_subject(item)
    found["group"] = SubjectRef(mapped.group.name)
    found[key] = ref
    assert item.volume is not None
    ctx.finding(
        found,
        f"LUN {item.volume.name} on {item.volume.array} (SR {item.sr.name_label!r} of pool "
        f"{item.pool.name}) is mapped through igroup {mapped.group.name} to "
        f"{mapped.initiator}, which is {who}",
        {
            **_volume_evidence(item),
            "igroup": mapped.group.name,
            "igroup_protocol": mapped.group.protocol,
            "lun_id": mapped.lun_id,
            "initiator": mapped.initiator,
            "owner_pool": owner.pool if owner else None,
            "owner_host": owner.host_name if owner else None,
        },
    )


@rule(
    "array-pool-host-not-mapped",
    title="Pool host not mapped to an SR's LUN",
    severity=Severity.MEDIUM,
    category=Category.MASKING,
    guide=("G29",),
    rationale="A host of the pool that the LUN is not masked to cannot plug the SR's PBD: "
    "VMs cannot start or migrate there, and HA may restart them nowhere.",
    remediation="Add the host's initiator to the igroup the LUN is mapped to: lun igroup add "
    "-vserver <svm> -igroup <igroup> -initiator <host WWPN or IQN>",
    data=("xapi", "arrays", "hba"),
)
def pool_host_not_mapped(ctx: RuleContext) -> None:
    view = masking_view(ctx.estate)
    for item in view.sr_volumes:
        if item.unverified or item.volume is None:
            continue
        visible = {m.initiator for m in item.mapped}
        for host in item.hosts:
            own = view.host_initiators(host.uuid, item.protocol)
            if not own:
                ctx.not_checked(
                    subject(item.pool, host=host, sr=item.sr),
                    f"host {host.name_label}: no {item.protocol} initiator known "
                    + (
                        "(no hba/<host>.txt listing)"
                        if item.protocol == InitiatorKind.FC
                        else "(no iscsi_iqn)"
                    ),
                )
                continue
            if visible.intersection(own):
                continue
            found = volume_subject(item)
            found["host"] = SubjectRef(host.name_label, host.uuid)
            ctx.finding(
                found,
                f"host {host.name_label} of pool {item.pool.name} is in no igroup that LUN "
                f"{item.volume.name} (SR {item.sr.name_label!r}) is mapped to",
                {
                    **_volume_evidence(item),
                    "host_initiators": list(own),
                    "igroups": sorted({m.group for m in item.maps}),
                },
            )


@rule(
    "array-lun-id-inconsistent",
    title="SR LUN presented under different LUN ids to the pool's hosts",
    severity=Severity.LOW,
    category=Category.MASKING,
    guide=("G29",),
    rationale="The guide asks for consistent LUN ids across the hosts of a pool: differing "
    "ids mean several maps to separately managed groups, which is how a host "
    "outside the pool ends up with the LUN, and they confuse multipath audits.",
    remediation="Map the LUN once, to one igroup holding every host of the pool: lun mapping "
    "create -vserver <svm> -path <path> -igroup <pool igroup> -lun-id <id>",
    data=("xapi", "arrays", "hba"),
)
def lun_id_inconsistent(ctx: RuleContext) -> None:
    view = masking_view(ctx.estate)
    for item in view.sr_volumes:
        if item.unverified or item.volume is None:
            continue
        per_host: dict[str, set[int]] = {}
        for mapped in item.mapped:
            owner = mapped.owner
            if owner is None or owner.pool != item.pool.name or mapped.lun_id is None:
                continue
            per_host.setdefault(owner.host_name, set()).add(mapped.lun_id)
        ids = set().union(*per_host.values()) if per_host else set()
        if len(ids) > 1:
            ctx.finding(
                volume_subject(item),
                f"LUN {item.volume.name} (SR {item.sr.name_label!r}) has LUN ids "
                f"{', '.join(str(i) for i in sorted(ids))} across the hosts of pool "
                f"{item.pool.name}",
                {
                    **_volume_evidence(item),
                    "lun_ids": {h: sorted(v) for h, v in sorted(per_host.items())},
                },
            )


@rule(
    "array-igroup-shared-across-environments",
    title="Initiator group shared by pools of different environments",
    severity=Severity.HIGH,
    category=Category.MASKING,
    guide=("G05", "G29"),
    rationale="One igroup holding the hosts of a production and a test pool gives each "
    "pool every LUN mapped to the other: test hosts can read and corrupt "
    "production SRs.",
    remediation="Give each pool its own igroup and map each LUN to its own pool's igroup "
    "only: lun igroup create …; lun igroup remove -vserver <svm> -igroup <igroup> "
    "-initiator <other pool's initiators>",
    data=("xapi", "arrays", "hba", "policy"),
)
def igroup_shared_across_environments(ctx: RuleContext) -> None:
    view = masking_view(ctx.estate)
    for facts in sorted(ctx.estate.arrays.values(), key=lambda f: f.device):
        for group in facts.groups or ():
            if group.protocol in ("host set", "port"):
                continue  # 3PAR VLUN-template views of hosts, not groups an admin made
            owners = [view.owners[i] for i in group.initiators if i in view.owners]
            pools = sorted({o.pool for o in owners})
            if len(pools) < 2:
                continue
            envs = {o.pool: o.environment for o in owners}
            found: Subject = {
                "array": SubjectRef(group.array),
                "vserver": SubjectRef(group.vserver),
                "group": SubjectRef(group.name),
            }
            unknown = sorted(p for p, e in envs.items() if e is None)
            if unknown:
                ctx.not_checked(
                    found,
                    f"igroup {group.name} holds hosts of pools "
                    f"{', '.join(pools)}; no environment known for "
                    f"{', '.join(unknown)}",
                )
                continue
            if len(set(envs.values())) < 2:
                continue
            ctx.finding(
                found,
                f"igroup {group.name} on {group.array} holds hosts of pools "
                + ", ".join(f"{p} ({envs[p]})" for p in pools),
                {
                    "igroup": group.name,
                    "vserver": group.vserver,
                    "hosts": sorted(f"{o.pool}/{o.host_name}" for o in set(owners)),
                    "environments": {p: envs[p] for p in pools},
                },
            )


@rule(
    "array-os-type-not-xen",
    title="Igroup or LUN of a pool with an OS type other than xen/linux",
    severity=Severity.LOW,
    category=Category.MASKING,
    guide=(),
    references=(
        "NetApp ONTAP SAN host configuration, Citrix XenServer: igroup and LUN "
        "OS type 'xen' (or 'linux')",
    ),
    rationale="The OS type sets the LUN's geometry and ALUA/SCSI behaviour the array "
    "presents; a wrong one causes misaligned I/O and path failover trouble on the "
    "hosts.",
    remediation="lun igroup modify -vserver <svm> -igroup <igroup> -ostype xen (the LUN's "
    "OS type is fixed at creation: move the VDIs to a LUN created with "
    "-ostype xen)",
    data=("xapi", "arrays", "hba"),
)
def os_type_not_xen(ctx: RuleContext) -> None:
    view = masking_view(ctx.estate)
    seen_groups: set[tuple[str, str, str]] = set()
    for item in view.sr_volumes:
        if item.volume is None:
            continue
        volume = item.volume
        if volume.ostype and volume.ostype.lower() not in XEN_OSTYPES:
            ctx.finding(
                volume_subject(item),
                f"LUN {volume.name} behind SR {item.sr.name_label!r} has OS type {volume.ostype}",
                {**_volume_evidence(item), "ostype": volume.ostype},
            )
        for mapped in item.mapped:
            group = mapped.group
            key = (group.array, group.vserver, group.name)
            if key in seen_groups or mapped.owner is None or mapped.owner.pool != item.pool.name:
                continue
            seen_groups.add(key)
            if group.ostype and group.ostype.lower() not in XEN_OSTYPES:
                found = subject(item.pool)
                found |= {
                    "array": SubjectRef(group.array),
                    "vserver": SubjectRef(group.vserver),
                    "group": SubjectRef(group.name),
                }
                ctx.finding(
                    found,
                    f"igroup {group.name} (hosts of pool {item.pool.name}) has OS "
                    f"type {group.ostype}",
                    {"igroup": group.name, "ostype": group.ostype, "sr": item.sr.name_label},
                )


# -- masking joined to zoning -----------------------------------------------------------------


def _zone_index(estate: Estate) -> tuple[dict[str, set[tuple[str, str]]], set[str]]:
    """WWPN → the (fabric, zone) pairs of the effective configurations it is in; and every
    WWPN a captured fabric knows well enough to say it is *not* zoned: logged in or zoned on a
    fabric whose effective zones all resolve to WWPNs (a port or unknown-alias member could
    be the HBA)."""
    zones_of: dict[str, set[tuple[str, str]]] = {}
    known: set[str] = set()
    for fabric in estate.fabrics:
        seen = set((fabric.logins or {}).keys())
        complete = fabric.effective_zones is not None
        for zone in (fabric.effective_zones or {}).values():
            wwpns, unresolved = fabric.zone_wwpns(zone)
            complete = complete and not unresolved
            for wwpn in wwpns:
                zones_of.setdefault(wwpn, set()).add((fabric.name, zone.name))
                seen.add(wwpn)
        if complete:
            known |= seen
    return zones_of, known


def _fc_items(ctx: RuleContext) -> list[tuple[SrVolume, ArrayVolume, list[str]]]:
    """Verified FC SR volumes with the target ports of their SVM (when captured)."""
    if not ctx.estate.arrays or not ctx.estate.fabrics:
        return []
    view = masking_view(ctx.estate)
    ports: dict[tuple[str, str], list[str]] = {}
    for facts in ctx.estate.arrays.values():
        for port in facts.target_ports or ():
            ports.setdefault((port.array, port.vserver), []).append(port.wwpn)
    found = []
    for item in view.sr_volumes:
        if item.volume is None or item.protocol != InitiatorKind.FC or item.unverified:
            continue
        targets = ports.get((item.volume.array, item.volume.vserver), [])
        if not targets:
            ctx.not_checked(
                volume_subject(item),
                f"array {item.volume.array}: no FC target "
                f"port of {item.volume.vserver or 'the array'} captured",
            )
            continue
        found.append((item, item.volume, targets))
    return found


def _portset_ports(ctx: RuleContext) -> dict[tuple[str, str, str], set[str]]:
    """(array, vserver, portset) → the WWPNs of its FC LIFs (a portset lists LIF names)."""
    wwpn_of = {
        (p.array, p.vserver, p.name): p.wwpn
        for f in ctx.estate.arrays.values()
        for p in f.target_ports or ()
    }
    ports: dict[tuple[str, str, str], set[str]] = {}
    for facts in ctx.estate.arrays.values():
        for portset in facts.portsets or ():
            ports[(portset.array, portset.vserver, portset.name)] = {
                wwpn_of[(portset.array, portset.vserver, lif)]
                for lif in portset.ports
                if (portset.array, portset.vserver, lif) in wwpn_of
            }
    return ports


@rule(
    "array-masked-not-zoned",
    title="Host HBA masked to an SR's LUN but not zoned to the array",
    severity=Severity.MEDIUM,
    category=Category.MASKING,
    guide=("G29", "G30"),
    rationale="A masked initiator that no effective zone pairs with the array's target "
    "ports has no path to the LUN: the host runs on fewer paths than it should, or "
    "cannot plug the SR at all; the mask is stale or the zone is missing.",
    remediation="Zone the HBA to the array's target ports on its fabric (single-initiator "
    "zone, then cfgenable / zoneset activate), or remove the stale initiator from "
    "the igroup",
    data=("xapi", "arrays", "hba", "fabrics"),
)
def masked_not_zoned(ctx: RuleContext) -> None:
    """An igroup bound to a portset presents the LUN only through the portset's LIFs: a
    host's HBA must be zoned to one of those."""
    zones_of, known = _zone_index(ctx.estate)
    view = masking_view(ctx.estate)
    portsets = _portset_ports(ctx)
    for item, volume, targets in _fc_items(ctx):
        reach: dict[str, set[str]] = {}  # mapped WWPN → the target ports presenting the LUN
        for m in item.mapped:
            group = m.group
            bound = (
                portsets.get((group.array, group.vserver, group.portset)) if group.portset else None
            )
            reach.setdefault(m.initiator, set()).update(bound if bound is not None else targets)
        for host in item.hosts:
            for wwpn in view.host_initiators(host.uuid, InitiatorKind.FC):
                if wwpn not in reach:
                    continue
                target_zones = set().union(*(zones_of.get(t, set()) for t in reach[wwpn]))
                if zones_of.get(wwpn, set()) & target_zones:
                    continue
                found = volume_subject(item) | {
                    "host": SubjectRef(host.name_label, host.uuid),
                    "wwpn": SubjectRef(wwpn),
                }
                if wwpn not in known:
                    ctx.not_checked(
                        found,
                        f"HBA {wwpn} of {host.name_label}: no captured "
                        "fabric shows it with fully resolved zones (its fabric was "
                        "not collected, or zones name ports or unknown aliases)",
                    )
                    continue
                ctx.finding(
                    found,
                    f"HBA {wwpn} of {host.name_label} is masked to LUN {volume.name} (SR "
                    f"{item.sr.name_label!r}) but no effective zone pairs it with a target "
                    f"port of {volume.array}",
                    {
                        **_volume_evidence(item),
                        "target_ports": sorted(targets),
                        "zones_of_hba": sorted(f"{f}/{z}" for f, z in zones_of.get(wwpn, ())),
                    },
                )


@rule(
    "array-zoned-not-masked",
    title="Host HBA zoned to the array but not masked to its pool's LUN",
    severity=Severity.MEDIUM,
    category=Category.MASKING,
    guide=("G29", "G30"),
    rationale="An HBA of a pool host that is zoned to the array but missing from the LUN's "
    "igroup leaves that path unused: the host has lost its path redundancy to the "
    "SR (its other HBA carries all I/O) without any error until that one fails.",
    remediation="Add the HBA's WWPN to the igroup the LUN is mapped to: lun igroup add "
    "-vserver <svm> -igroup <igroup> -initiator <wwpn> (or unzone a retired HBA)",
    data=("xapi", "arrays", "hba", "fabrics"),
)
def zoned_not_masked(ctx: RuleContext) -> None:
    zones_of, _known = _zone_index(ctx.estate)
    view = masking_view(ctx.estate)
    for item, volume, targets in _fc_items(ctx):
        target_zones = set().union(*(zones_of.get(t, set()) for t in targets))
        mapped = {m.initiator for m in item.mapped}
        for host in item.hosts:
            own = view.host_initiators(host.uuid, InitiatorKind.FC)
            if not mapped.intersection(own):
                continue  # the whole host is unmapped: array-pool-host-not-mapped says so
            for wwpn in own:
                if wwpn in mapped or not zones_of.get(wwpn, set()) & target_zones:
                    continue
                ctx.finding(
                    volume_subject(item)
                    | {"host": SubjectRef(host.name_label, host.uuid), "wwpn": SubjectRef(wwpn)},
                    f"HBA {wwpn} of {host.name_label} is zoned to {volume.array} but not "
                    f"masked to LUN {volume.name} (SR {item.sr.name_label!r}); the host's "
                    "other HBA carries every path",
                    {
                        **_volume_evidence(item),
                        "zones": sorted(
                            f"{f}/{z}" for f, z in zones_of.get(wwpn, set()) & target_zones
                        ),
                    },
                )
