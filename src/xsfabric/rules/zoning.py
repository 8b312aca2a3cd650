"""FC zoning best practice, per fabric (Brocade) or switch VSAN (Cisco MDS), and the pool
hosts' zoning to storage on each fabric.

Guide G30 ("create zones in your SAN to separate and secure Fibre Channel traffic"); the
practices checked are the vendors' own: Brocade "SAN Fabric Administration Best Practices
Guide" (single-initiator zoning or peer zones, WWN rather than domain,index members, default
zone No Access, keep defined and effective configurations in step) and Cisco "MDS 9000
Family Zoning Best Practices" (single-initiator/single-target or smart zoning, default-zone
deny, pWWN/device-alias members). A rule that lacks the data to decide (no name-server
capture, an alias with no definition) says so instead of passing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from xsfabric.model.xen import Host, Pool
from xsfabric.rules.engine import (
    Category,
    RuleContext,
    Severity,
    Subject,
    SubjectRef,
    rule,
    subject,
)
from xsfabric.san.fabric import Fabric
from xsfabric.san.model import MemberKind, PortRole, Zone, ZoneMember

BROCADE_BP = "Brocade Fabric OS Administration Guide / SAN Fabric Administration Best Practices"
CISCO_BP = "Cisco MDS 9000 Family NX-OS Fabric Configuration Guide: Zoning best practices"
REFERENCES = (BROCADE_BP, CISCO_BP)
DATA = ("fc",)
#: SR types whose LUNs reach the host over FC HBAs.
FC_SR_TYPES = frozenset({"lvmohba", "hba"})


def fabric_subject(
    fabric: Fabric,
    *,
    zone: str | None = None,
    wwpn: str | None = None,
    pool: Pool | None = None,
    host: Host | None = None,
) -> Subject:
    found = subject(pool, host=host)
    found["device"] = SubjectRef(fabric.name)
    if zone is not None:
        found["zone"] = SubjectRef(zone)
    if wwpn is not None:
        found["wwpn"] = SubjectRef(wwpn)
    return found


def _evidence(fabric: Fabric, **extra: Any) -> dict[str, Any]:
    evidence: dict[str, Any] = {"fabric": fabric.name, "switches": list(fabric.switches)}
    if fabric.vsan is not None:
        evidence["vsan"] = fabric.vsan
    if fabric.effective_name:
        evidence["effective_configuration"] = fabric.effective_name
    evidence.update(extra)
    return evidence


def _pool_initiators(ctx: RuleContext) -> frozenset[str]:
    return frozenset(w for i in ctx.estate.initiators.values() for w in i.wwpns)


def _in_use(fabric: Fabric) -> bool:
    """A fabric/VSAN with zones or logins; an empty default VSAN is not worth a finding."""
    return bool(fabric.effective_zones or fabric.defined_zones or fabric.logins)


def _zoning_db(fabric: Fabric) -> dict[str, Zone] | None:
    """The zones to judge hygiene on: the defined database, else what is in effect."""
    return fabric.defined_zones if fabric.defined_zones is not None else fabric.effective_zones


def _roles(
    fabric: Fabric, zone: Zone, initiators: frozenset[str]
) -> tuple[dict[str, PortRole], list[ZoneMember]]:
    wwpns, unresolved = fabric.zone_wwpns(zone)
    return {w: fabric.role(w, m, initiators) for w, m in wwpns.items()}, unresolved


def _is_smart(zone: Zone) -> bool:
    members = zone.device_members
    return bool(members) and all(m.role in ("init", "target", "both") for m in members)


@rule(
    "zoning-disabled",
    title="Zoning is not enabled on a fabric (no effective configuration)",
    severity=Severity.HIGH,
    category=Category.ZONING,
    guide=("G30",),
    references=REFERENCES,
    data=DATA,
    rationale="Without an effective zone configuration every device in the fabric can reach "
    "every other: any host can discover and write to any array port's LUNs that "
    "masking does not stop.",
    remediation="Brocade: cfgcreate/cfgenable a zone configuration (cfgenable <cfg>); MDS: "
    "zoneset activate name <zoneset> vsan <n>.",
)
def zoning_disabled(ctx: RuleContext) -> None:
    for fabric in ctx.estate.fabrics:
        if fabric.zoning_enabled is None:
            if _in_use(fabric):
                ctx.not_checked(
                    fabric_subject(fabric),
                    "zoning state not captured (Brocade switchshow/cfgshow, MDS show zone status)",
                )
            continue
        if fabric.zoning_enabled:
            continue
        if fabric.platform != "brocade_fos" and not fabric.logins:
            continue  # an MDS VSAN with no device logged in: nothing to separate
        ctx.finding(
            fabric_subject(fabric),
            f"Fabric {fabric.name}: zoning is not enabled (no effective zone "
            f"configuration); every logged-in device can reach every other.",
            _evidence(fabric, logins=len(fabric.logins or {})),
        )


@rule(
    "zoning-default-zone-access",
    title="Default zone allows access between unzoned devices",
    severity=Severity.HIGH,
    category=Category.ZONING,
    guide=("G30",),
    references=REFERENCES,
    data=DATA,
    rationale="On an MDS, default-zone permit lets every device that is in no zone of the "
    "active zoneset reach every other such device. On a Brocade fabric, All Access "
    "opens every device to every other the moment the effective configuration is "
    "disabled (cfgdisable, a failed cfgenable); No Access keeps the fabric closed.",
    remediation="Brocade: defzone --noaccess; cfgsave. MDS: no zone default-zone permit "
    "vsan <n> (default-zone deny).",
)
def default_zone_access(ctx: RuleContext) -> None:
    for fabric in ctx.estate.fabrics:
        if not _in_use(fabric):
            continue
        if fabric.default_zone is None:
            ctx.not_checked(
                fabric_subject(fabric),
                "default zone mode not captured (Brocade defzone --show, MDS show zone status)",
            )
        elif fabric.default_zone == "permit":
            brocade_zoned = fabric.platform == "brocade_fos" and bool(fabric.zoning_enabled)
            ctx.finding(
                fabric_subject(fabric),
                f"Fabric {fabric.name}: the default zone is All Access; disabling the "
                f"effective configuration would open every device to every other."
                if brocade_zoned
                else f"Fabric {fabric.name}: the default zone permits access between "
                f"devices that are in no zone.",
                _evidence(fabric, default_zone="All Access / permit"),
                severity=Severity.MEDIUM if brocade_zoned else None,
            )


def _effective_or_not_checked(ctx: RuleContext, fabric: Fabric) -> dict[str, Zone] | None:
    if fabric.effective_zones is None:
        if _in_use(fabric):
            ctx.not_checked(fabric_subject(fabric), "effective zoning not captured")
        return None
    return fabric.effective_zones


def _roles_known(ctx: RuleContext, fabric: Fabric) -> bool:
    if fabric.logins is None:
        ctx.not_checked(
            fabric_subject(fabric),
            "port roles unknown: no name-server capture "
            "(Brocade nsshow/nscamshow, MDS show fcns database)",
        )
        return False
    return True


@rule(
    "zoning-multi-initiator-zone",
    title="Zone holds more than one initiator (not single-initiator zoning)",
    severity=Severity.MEDIUM,
    category=Category.ZONING,
    guide=("G30",),
    references=REFERENCES,
    data=DATA,
    rationale="Single-initiator zones (one HBA port with its storage targets) keep one "
    "host's fabric events (RSCNs, resets) and faults away from the others and "
    "make every path explicit; peer zones and MDS smart zoning give the same "
    "isolation with several initiators.",
    remediation="Split the zone into one zone per initiator port with the same targets, or "
    "make it a peer zone (Brocade zonecreate --peerzone) / smart zone (MDS).",
)
def multi_initiator_zone(ctx: RuleContext) -> None:
    initiators = _pool_initiators(ctx)
    for fabric in ctx.estate.fabrics:
        zones = _effective_or_not_checked(ctx, fabric)
        if zones is None or not zones or not _roles_known(ctx, fabric):
            continue
        for name, zone in sorted(zones.items()):
            if zone.peer or _is_smart(zone):
                continue
            roles, _ = _roles(fabric, zone, initiators)
            inits = sorted(w for w, r in roles.items() if r is PortRole.INITIATOR)
            targets = [w for w, r in roles.items() if r in (PortRole.TARGET, PortRole.BOTH)]
            if len(inits) >= 2 and targets:
                ctx.finding(
                    fabric_subject(fabric, zone=name),
                    f"Zone {name} on {fabric.name} holds {len(inits)} initiators: "
                    f"{', '.join(fabric.display(w) for w in inits)}.",
                    _evidence(fabric, zone=name, initiators=inits, targets=sorted(targets)),
                )


@rule(
    "zoning-initiator-to-initiator",
    title="Zone lets initiators reach each other (no storage target in it)",
    severity=Severity.HIGH,
    category=Category.ZONING,
    guide=("G30",),
    references=REFERENCES,
    data=DATA,
    rationale="A zone of initiators only (or a peer zone whose principal and peers are both "
    "initiators) connects hosts to each other, not to storage: host HBAs can probe "
    "and attack one another, which zoning is meant to prevent.",
    remediation="Remove the zone (cfgremove/zoneremove, or no member in the MDS zone) and zone "
    "each initiator with its storage targets only.",
)
def initiator_to_initiator(ctx: RuleContext) -> None:
    initiators = _pool_initiators(ctx)
    for fabric in ctx.estate.fabrics:
        zones = _effective_or_not_checked(ctx, fabric)
        if zones is None or not zones or not _roles_known(ctx, fabric):
            continue
        for name, zone in sorted(zones.items()):
            if _is_smart(zone):
                continue
            roles, unresolved = _roles(fabric, zone, initiators)
            inits = sorted(w for w, r in roles.items() if r is PortRole.INITIATOR)
            if zone.peer:
                wwpns, _ = fabric.zone_wwpns(zone)
                sides = {m.role for w, m in wwpns.items() if w in inits}
                if not {"principal", "peer"} <= sides:
                    continue
            elif len(inits) < 2 or len(inits) != len(roles) or unresolved:
                continue
            ctx.finding(
                fabric_subject(fabric, zone=name),
                f"Zone {name} on {fabric.name} connects initiators to each other "
                f"({', '.join(fabric.display(w) for w in inits)}) and holds no "
                f"storage target.",
                _evidence(fabric, zone=name, initiators=inits, peer_zone=zone.peer),
            )


_PORT_REMEDIATION = (
    "Zone by WWPN (or alias / device-alias of a WWPN): Brocade zoneadd "
    '<zone> <alias>; zoneremove <zone> "<d>,<i>"; MDS member pwwn … '
    "instead of interface/fcid/domain-id."
)


@rule(
    "zoning-port-members",
    title="Zone uses port members (domain,index / interface) instead of WWPNs",
    severity=Severity.LOW,
    category=Category.ZONING,
    guide=("G30",),
    references=REFERENCES,
    data=DATA,
    rationale="Port zoning follows the cable, not the device: whatever is plugged into the "
    "port joins the zone. Zones mixing port and WWN members are enforced in "
    "software (session-based) on Brocade, which is weaker still.",
    remediation=_PORT_REMEDIATION,
)
def port_members(ctx: RuleContext) -> None:
    for fabric in ctx.estate.fabrics:
        zones = (
            fabric.effective_zones if fabric.effective_zones is not None else fabric.defined_zones
        )
        for name, zone in sorted((zones or {}).items()):
            members = zone.device_members
            ports = [m.value for m in members if m.kind is MemberKind.PORT]
            if not ports:
                continue
            mixed = len(ports) < len(members)
            ctx.finding(
                fabric_subject(fabric, zone=name),
                f"Zone {name} on {fabric.name} has port members "
                f"({', '.join(ports)})" + (" mixed with WWN members." if mixed else "."),
                _evidence(fabric, zone=name, port_members=ports, mixed=mixed),
                severity=Severity.MEDIUM if mixed else None,
            )


def _member_keys(fabric: Fabric, zone: Zone) -> set[str] | None:
    """What a zone admits, comparable between the defined and the effective copy: WWPNs
    (aliases and device-aliases resolved), port members as printed; None if unresolvable."""
    keys: set[str] = set()
    for member in zone.device_members:
        if member.kind is MemberKind.PORT:
            keys.add(member.value)
            continue
        if member.kind is MemberKind.ALIAS:
            expanded = (fabric.aliases or {}).get(member.value)
            if expanded is None:
                return None
            for inner in expanded:
                if inner.kind is MemberKind.PORT or inner.kind is MemberKind.WWPN:
                    keys.add(inner.value)
                else:
                    return None
            continue
        if member.kind is MemberKind.DEVICE_ALIAS:
            wwpn = (fabric.device_aliases or {}).get(member.value)
            if wwpn is None:
                return None  # the active copy may print it as a pWWN: cannot compare
            keys.add(wwpn)
            continue
        if member.kind is MemberKind.WWPN:
            keys.add(member.value)
            continue
        return None
    return keys


@rule(
    "zoning-defined-effective-drift",
    title="Defined zoning differs from the zoning in effect",
    severity=Severity.MEDIUM,
    category=Category.ZONING,
    guide=("G30",),
    references=REFERENCES,
    data=DATA,
    rationale="Edits saved but not enabled (or enabled and then changed) mean the fabric "
    "enforces something other than what the configuration shows: the next "
    "cfgenable / zoneset activate silently changes access.",
    remediation="Review the difference, then enable the intended configuration (Brocade "
    "cfgenable <cfg>; MDS zoneset activate name <zoneset> vsan <n>) or revert "
    "the defined copy.",
)
def defined_effective_drift(ctx: RuleContext) -> None:
    for fabric in ctx.estate.fabrics:
        effective = fabric.effective_zones
        if not fabric.effective_name or effective is None:
            continue
        if fabric.defined_sets is None or fabric.defined_zones is None:
            ctx.not_checked(
                fabric_subject(fabric),
                "defined zoning not captured (Brocade cfgshow, MDS show zoneset)",
            )
            continue
        defined_set = fabric.defined_sets.get(fabric.effective_name)
        if defined_set is None:
            ctx.finding(
                fabric_subject(fabric),
                f"Fabric {fabric.name}: configuration {fabric.effective_name} is in "
                f"effect but no longer in the defined database.",
                _evidence(fabric),
            )
            continue
        added = sorted(set(defined_set.zones) - set(effective))
        removed = sorted(set(effective) - set(defined_set.zones))
        changed: list[str] = []
        undecided: list[str] = []
        for name in sorted(set(defined_set.zones) & set(effective)):
            zone = fabric.defined_zones.get(name)
            if zone is None:
                undecided.append(name)
                continue
            want, have = _member_keys(fabric, zone), _member_keys(fabric, effective[name])
            if want is None or have is None:
                undecided.append(name)
            elif want != have:
                changed.append(name)
        if undecided:
            ctx.not_checked(
                fabric_subject(fabric),
                f"zones with members that cannot be resolved: {', '.join(undecided)}",
            )
        if added or removed or changed:
            parts = (
                ([f"not in effect: {', '.join(added)}"] if added else [])
                + ([f"in effect, not defined: {', '.join(removed)}"] if removed else [])
                + ([f"members differ: {', '.join(changed)}"] if changed else [])
            )
            ctx.finding(
                fabric_subject(fabric),
                f"Fabric {fabric.name}: defined configuration "
                f"{fabric.effective_name} differs from the one in effect ("
                + "; ".join(parts)
                + ").",
                _evidence(
                    fabric,
                    zones_not_in_effect=added,
                    zones_in_effect_not_defined=removed,
                    zones_with_other_members=changed,
                ),
            )


def _zone_online(fabric: Fabric, zone: Zone) -> tuple[list[str], list[str], bool]:
    """(online, offline) WWPNs of an effective zone and whether every member is known."""
    wwpns, unresolved = fabric.zone_wwpns(zone)
    online, offline, known = [], [], not unresolved
    for wwpn, member in wwpns.items():
        state = fabric.logged_in(wwpn, member)
        if state is None:
            known = False
        elif state:
            online.append(wwpn)
        else:
            offline.append(wwpn)
    return online, offline, known


@rule(
    "zoning-member-not-logged-in",
    title="Zone member is not logged in to the fabric",
    severity=Severity.LOW,
    category=Category.ZONING,
    guide=("G30",),
    references=REFERENCES,
    data=DATA,
    rationale="A zoned WWPN that is not in the name server is a removed HBA, a replaced "
    "array port or a path that is down: stale members keep access open for "
    "whatever later takes that WWPN, and a down path is lost redundancy.",
    remediation="If the device is gone, remove the member (zoneremove / no member pwwn …) "
    "and enable the configuration; if it should be there, check its link.",
)
def member_not_logged_in(ctx: RuleContext) -> None:
    for fabric in ctx.estate.fabrics:
        if not fabric.effective_zones:
            continue
        offline_in: dict[str, list[str]] = {}
        for name, zone in sorted(fabric.effective_zones.items()):
            online, offline, _ = _zone_online(fabric, zone)
            if not online:
                continue  # reported as a zone with no online member
            for wwpn in offline:
                offline_in.setdefault(wwpn, []).append(name)
        marked = any(
            m.logged_in is not None for z in fabric.effective_zones.values() for m in z.members
        )  # the MDS active zoneset's "*"
        if fabric.logins is None and not offline_in and not marked:
            ctx.not_checked(fabric_subject(fabric), "logins unknown: no name-server capture")
            continue
        if fabric.logins is not None and not fabric.logins_complete and not marked:
            ctx.not_checked(
                fabric_subject(fabric),
                "the login table covers only the switches "
                "collected (Brocade nscamshow not captured): members logged in "
                "elsewhere in the fabric cannot be told from absent ones",
            )
        for wwpn, zones in sorted(offline_in.items()):
            ctx.finding(
                fabric_subject(fabric, wwpn=wwpn),
                f"{fabric.display(wwpn)} is zoned on {fabric.name} "
                f"({', '.join(zones)}) but not logged in.",
                _evidence(fabric, wwpn=wwpn, zones=zones),
            )


@rule(
    "zoning-zone-no-online-member",
    title="No member of an effective zone is logged in",
    severity=Severity.LOW,
    category=Category.ZONING,
    guide=("G30",),
    references=REFERENCES,
    data=DATA,
    rationale="A zone in effect whose devices are all absent is left over from removed "
    "equipment; it grants access to whatever later logs in with those WWPNs.",
    remediation="Remove the zone from the configuration (cfgremove <cfg> <zone>; zonedelete) "
    "and enable it; MDS: no member … / no zone name … then zoneset activate.",
)
def zone_no_online_member(ctx: RuleContext) -> None:
    for fabric in ctx.estate.fabrics:
        for name, zone in sorted((fabric.effective_zones or {}).items()):
            online, offline, known = _zone_online(fabric, zone)
            if not online and offline and known:
                ctx.finding(
                    fabric_subject(fabric, zone=name),
                    f"Zone {name} on {fabric.name}: none of its members "
                    f"({', '.join(fabric.display(w) for w in offline)}) is logged in.",
                    _evidence(fabric, zone=name, members=offline),
                )


@rule(
    "zoning-empty-or-single-member-zone",
    title="Zone with no member or a single member",
    severity=Severity.LOW,
    category=Category.ZONING,
    guide=("G30",),
    references=REFERENCES,
    data=DATA,
    rationale="A zone needs an initiator and a target; an empty or one-member zone grants "
    "nothing and is left over from an incomplete change, hiding the real "
    "configuration among clutter.",
    remediation="Complete the zone or delete it (zonedelete <zone>; MDS no zone name … "
    "vsan <n>), then save/enable.",
)
def empty_or_single_member_zone(ctx: RuleContext) -> None:
    for fabric in ctx.estate.fabrics:
        for name, zone in sorted((_zoning_db(fabric) or {}).items()):
            members = zone.device_members
            if len(members) > 1:
                continue
            resolved = fabric.member_wwpns(members[0]) if members else ()
            if members and (resolved is None or len(resolved) != 1):
                continue  # an alias of several WWPNs is several members
            ctx.finding(
                fabric_subject(fabric, zone=name),
                f"Zone {name} on {fabric.name} has "
                + ("no member." if not members else f"a single member ({members[0].value})."),
                _evidence(fabric, zone=name, members=[m.value for m in members]),
            )


@rule(
    "zoning-unused-alias",
    title="Alias is used by no zone",
    severity=Severity.INFO,
    category=Category.ZONING,
    guide=("G30",),
    references=REFERENCES,
    data=DATA,
    rationale="Unused aliases are clutter that survives the devices they named; one reused "
    "by mistake in a new zone grants access to a WWPN nobody checked.",
    remediation="Delete the alias (alidelete <alias>; MDS no fcalias name … vsan <n>).",
)
def unused_alias(ctx: RuleContext) -> None:
    for fabric in ctx.estate.fabrics:
        if fabric.aliases is None or fabric.defined_zones is None:
            continue
        if not fabric.all_zones_known:
            ctx.not_checked(
                fabric_subject(fabric),
                "only the zones of the zone sets were "
                "captured (MDS show zoneset): an alias may be used by another "
                "zone (show zone)",
            )
            continue
        used: set[str] = set()
        for zone in fabric.defined_zones.values():
            for member in zone.members:
                if member.kind is MemberKind.ALIAS:
                    used.add(member.value)
                if member.via:
                    used.add(member.via)
        for name in sorted(set(fabric.aliases) - used):
            members = [m.value for m in fabric.aliases[name]]
            # subjects name zones, WWPNs and devices; an alias is named as "alias <name>"
            ctx.finding(
                fabric_subject(fabric, zone=f"alias {name}"),
                f"Alias {name} on {fabric.name} is used by no zone.",
                _evidence(fabric, alias=name, members=members),
            )


@rule(
    "zoning-login-not-zoned",
    title="Logged-in device is in no effective zone",
    severity=Severity.LOW,
    category=Category.ZONING,
    guide=("G30",),
    references=REFERENCES,
    data=DATA,
    rationale="A device logged in to the fabric but in no zone is either waiting for "
    "zoning (on an MDS VSAN whose default zone permits, it reaches every other "
    "unzoned device) or an unknown device on the storage fabric.",
    remediation="Zone the device with its storage targets, or disable the port it uses "
    "(portdisable / shutdown) if it does not belong.",
)
def login_not_zoned(ctx: RuleContext) -> None:
    for fabric in ctx.estate.fabrics:
        if not fabric.zoning_enabled or fabric.effective_zones is None or not fabric.logins:
            continue
        zoned: set[str] = set()
        unresolved_ports = False
        for zone in fabric.effective_zones.values():
            wwpns, unresolved = fabric.zone_wwpns(zone)
            zoned.update(wwpns)
            unresolved_ports |= any(m.kind is MemberKind.PORT for m in unresolved)
        if unresolved_ports:
            ctx.not_checked(
                fabric_subject(fabric), "zones with port members that cannot be matched to logins"
            )
            continue
        unknown: list[str] = []
        for wwpn in sorted(set(fabric.logins) - zoned):
            login = fabric.logins[wwpn]
            if fabric.role(wwpn) is PortRole.UNKNOWN:
                # an Access Gateway / NPV uplink or a switch-internal port looks like this
                unknown.append(wwpn)
                continue
            ctx.finding(
                fabric_subject(fabric, wwpn=wwpn),
                f"{fabric.display(wwpn)} ({login.role}) is logged in to "
                f"{fabric.name} but in no effective zone.",
                _evidence(
                    fabric,
                    wwpn=wwpn,
                    role=str(login.role),
                    fcid=login.fcid,
                    switch=login.switch,
                    port=login.port,
                ),
            )
        if unknown:
            ctx.not_checked(
                fabric_subject(fabric),
                f"{len(unknown)} logged-in port(s) in no "
                f"zone whose role the name server does not give: "
                f"{', '.join(unknown)}",
            )


def _fc_pools(pools: Iterable[Pool]) -> list[tuple[Pool, list[str]]]:
    found = []
    for pool in pools:
        srs = sorted(
            sr.name_label
            for sr in pool.srs.values()
            if sr.type in FC_SR_TYPES
            or (
                sr.type == "gfs2"
                and any(
                    pool.pbds[p].device_config.get("provider") == "hba"
                    for p in sr.pbd_uuids
                    if p in pool.pbds
                )
            )
        )
        if srs:
            found.append((pool, srs))
    return found


@dataclass(frozen=True, slots=True)
class _FabricReach:
    """Per fabric, computed once: which WWPNs each port may reach through the effective
    zoning, and every zoned WWPN (so checking a host is a few dictionary lookups)."""

    fabric: Fabric
    reach: dict[str, set[str]]
    zoned: frozenset[str]

    @classmethod
    def of(cls, fabric: Fabric) -> _FabricReach:
        zoned = frozenset(
            w
            for zone in (fabric.effective_zones or {}).values()
            for w in fabric.zone_wwpns(zone)[0]
        )
        return cls(fabric, fabric.zoned_with(), zoned)

    def seen(self, wwpn: str) -> bool:
        return wwpn in (self.fabric.logins or {}) or wwpn in self.zoned

    def zoned_to_storage(self, wwpns: set[str], pool_initiators: frozenset[str]) -> bool:
        """A host port may reach a target (or a port of unknown role that is no pool HBA)."""
        for wwpn in wwpns:
            for other in self.reach.get(wwpn, ()):
                if other in wwpns:
                    continue
                role = self.fabric.role(other, None, pool_initiators)
                if role in (PortRole.TARGET, PortRole.BOTH) or (
                    role is PortRole.UNKNOWN and other not in pool_initiators
                ):
                    return True
        return False


@rule(
    "zoning-host-fabric-redundancy",
    title="Pool host is not zoned to storage on every fabric",
    severity=Severity.HIGH,
    category=Category.ZONING,
    guide=("G30", "G07"),
    references=REFERENCES,
    data=("fc", "xapi", "hba"),
    rationale="A pool with FC SRs needs every host's HBAs zoned to the storage targets, on "
    "two fabrics so that one fabric's failure or maintenance leaves a path: a "
    "host with no zone cannot plug the SR, a host on one fabric loses it with that "
    "fabric.",
    remediation="Zone each HBA port of the host with the array's target ports on its fabric "
    "(one zone per initiator), and enable the configuration on both fabrics.",
)
def host_fabric_redundancy(ctx: RuleContext) -> None:
    initiators = _pool_initiators(ctx)
    fabrics = [f for f in ctx.estate.fabrics if f.effective_zones is not None]
    reaches: list[_FabricReach] = []
    for pool, srs in _fc_pools(ctx.pools):
        if fabrics and not reaches:
            reaches = [_FabricReach.of(f) for f in fabrics]
        if not fabrics:
            ctx.not_checked(subject(pool), "no FC fabric zoning in the snapshot")
            continue
        for host in sorted(pool.hosts.values(), key=lambda h: h.name_label):
            found = ctx.estate.initiators.get(host.uuid)
            wwpns = set(found.wwpns) if found else set()
            if not wwpns:
                ctx.not_checked(
                    subject(pool, host=host),
                    "HBA WWPNs unknown (add "
                    "hba/<host>.txt to the snapshot or data.wwpns to the inventory)",
                )
                continue
            zoned, seen = [], []
            unseen = set(wwpns)
            for reach in reaches:
                if reach.zoned_to_storage(wwpns, initiators):
                    zoned.append(reach.fabric.name)
                here = {w for w in wwpns if reach.seen(w)}
                if here:
                    seen.append(reach.fabric.name)
                    unseen -= here
            evidence = {
                "wwpns": sorted(wwpns),
                "fc_srs": srs,
                "zoned_on": zoned,
                "seen_on": seen,
                "fabrics": [f.name for f in fabrics],
            }
            if not seen:
                ctx.not_checked(
                    subject(pool, host=host),
                    "none of the host's WWPNs is logged in or zoned on a collected fabric",
                )
            elif not zoned:
                ctx.finding(
                    subject(pool, host=host),
                    f"Host {host.name_label} of pool {pool.name} (FC SRs: "
                    f"{', '.join(srs)}) is zoned to no storage target on any fabric "
                    f"(seen on {', '.join(seen)}).",
                    evidence,
                )
            elif len(zoned) == 1 and len(seen) == 1 and unseen:
                ctx.not_checked(
                    subject(pool, host=host),
                    f"zoned on {zoned[0]} only; its "
                    f"other HBA port(s) {', '.join(sorted(unseen))} are on no "
                    "collected fabric",
                )
            elif len(zoned) == 1 and (len(seen) > 1 or len(fabrics) > 1):
                ctx.finding(
                    subject(pool, host=host),
                    f"Host {host.name_label} of pool {pool.name} is zoned to storage "
                    f"on one fabric only ({zoned[0]}); no redundant fabric path.",
                    evidence,
                    severity=Severity.MEDIUM,
                )
