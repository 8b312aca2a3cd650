"""Fabrics: the FC switches' views merged into one record per fabric (Brocade) or per switch
VSAN (MDS), with zone members resolved to WWPNs and ports classified initiator or target.

Brocade switches of one fabric share one zoning database and see each other in
``fabricshow``; their views are merged (zoning from whichever switch gave it, logins united).
An MDS VSAN is taken per switch: the commands collected do not say which other switch shares
it. Resolution and role lookups are dictionary joins, never scans of the login table.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from xsfabric.kinds import DeviceKind
from xsfabric.san.model import FabricView, Login, MemberKind, PortRole, Zone, ZoneMember, ZoneSet
from xsfabric.san.parse import BROCADE, FcSwitchFacts, looks_like_fc_switch
from xsfabric.snapshot import Snapshot


@dataclass(slots=True)
class Fabric:
    """One fabric (or MDS VSAN) and everything its switches said about it."""

    name: str
    platform: str
    switches: tuple[str, ...]
    vsan: int | None = None
    zoning_enabled: bool | None = None
    default_zone: str | None = None
    smart_zoning: bool | None = None
    defined_sets: dict[str, ZoneSet] | None = None
    defined_zones: dict[str, Zone] | None = None
    aliases: dict[str, tuple[ZoneMember, ...]] | None = None
    effective_name: str | None = None
    effective_zones: dict[str, Zone] | None = None
    device_aliases: dict[str, str] | None = None
    logins: dict[str, Login] | None = None
    logins_complete: bool = False
    all_zones_known: bool = False
    names: dict[str, str] = field(default_factory=dict)
    #: (domain, port index) → WWPNs logged in there (Brocade D,I members); built once.
    _by_port: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.name

    # -- resolution ------------------------------------------------------------------------

    def member_wwpns(self, member: ZoneMember, depth: int = 0) -> tuple[str, ...] | None:
        """The WWPNs a member stands for; None when the data to resolve it is missing
        (unknown alias, port member without name-server data)."""
        kind = member.kind
        if kind is MemberKind.WWPN:
            return (member.value,)
        if kind is MemberKind.PROPERTY:
            return ()
        if kind is MemberKind.DEVICE_ALIAS:
            wwpn = (self.device_aliases or {}).get(member.value)
            return (wwpn,) if wwpn else None
        if kind is MemberKind.ALIAS:
            targets = (self.aliases or {}).get(member.value)
            if targets is None or depth > 3:
                return None
            out: list[str] = []
            for inner in targets:
                resolved = self.member_wwpns(inner, depth + 1)
                if resolved is None:
                    return None
                out.extend(resolved)
            return tuple(out)
        if kind is MemberKind.PORT:
            key = _port_key(member.value)
            found = self._by_port.get(key) if key else None
            return tuple(found) if found else None
        return None

    def zone_wwpns(self, zone: Zone) -> tuple[dict[str, ZoneMember], list[ZoneMember]]:
        """WWPN → the member that brought it in, and the members that could not be resolved."""
        wwpns: dict[str, ZoneMember] = {}
        unresolved: list[ZoneMember] = []
        for member in zone.device_members:
            resolved = self.member_wwpns(member)
            if resolved is None:
                unresolved.append(member)
                continue
            for wwpn in resolved:
                wwpns.setdefault(wwpn, member)
        return wwpns, unresolved

    def role(
        self, wwpn: str, member: ZoneMember | None = None, initiators: frozenset[str] = frozenset()
    ) -> PortRole:
        """Name-server role, else the smart-zoning role, else initiator for a pool host's
        HBA; unknown otherwise (never guessed from the WWPN's vendor prefix)."""
        login = (self.logins or {}).get(wwpn)
        if login is not None and login.role is not PortRole.UNKNOWN:
            return login.role
        if member is not None and member.role in ("init", "target", "both"):
            return {"init": PortRole.INITIATOR, "target": PortRole.TARGET, "both": PortRole.BOTH}[
                member.role
            ]
        if wwpn in initiators:
            return PortRole.INITIATOR
        return PortRole.UNKNOWN

    def logged_in(self, wwpn: str, member: ZoneMember | None = None) -> bool | None:
        """Whether a WWPN is in the name server: the MDS ``*`` where the active zoneset shows
        it, else the login table when it covers the whole fabric; None = not known."""
        if member is not None and member.logged_in is not None and member.kind is MemberKind.WWPN:
            return member.logged_in
        if self.logins is not None and self.logins_complete:
            return wwpn in self.logins
        if self.logins is not None and wwpn in self.logins:
            return True
        return None

    def zoned_with(self) -> dict[str, set[str]]:
        """WWPN → the WWPNs the effective zoning lets it reach: every pair of a plain zone,
        principal ↔ peer in a peer zone, initiator ↔ target in an MDS smart zone. What the
        masking join asks ("is this host port zoned to that array port?")."""
        reach: dict[str, set[str]] = {}
        for zone in (self.effective_zones or {}).values():
            members, _ = self.zone_wwpns(zone)
            for a, member_a in members.items():
                for b, member_b in members.items():
                    if a != b and _may_talk(zone, member_a, member_b):
                        reach.setdefault(a, set()).add(b)
        return reach

    def display(self, wwpn: str) -> str:
        name = self.names.get(wwpn)
        return f"{wwpn} ({name})" if name else wwpn

    def index(self) -> None:
        self._by_port = {}
        for login in (self.logins or {}).values():
            if login.domain is not None and login.port:
                self._by_port.setdefault((str(login.domain), login.port), []).append(login.wwpn)
        for name, members in (self.aliases or {}).items():
            for member in members:
                if member.kind is MemberKind.WWPN:
                    self.names.setdefault(member.value, name)
        for name, wwpn in (self.device_aliases or {}).items():
            self.names.setdefault(wwpn, name)
        for zones in (self.effective_zones or {}, self.defined_zones or {}):
            for zone in zones.values():
                for member in zone.members:
                    if member.via and member.kind is MemberKind.WWPN:
                        self.names.setdefault(member.value, member.via)


_SMART_PAIRS = frozenset(
    {
        ("init", "target"),
        ("target", "init"),
        ("init", "both"),
        ("both", "init"),
        ("target", "both"),
        ("both", "target"),
        ("both", "both"),
    }
)


def _may_talk(zone: Zone, a: ZoneMember, b: ZoneMember) -> bool:
    if zone.peer and a.role in ("principal", "peer") and b.role in ("principal", "peer"):
        return a.role != b.role
    if a.role in ("init", "target", "both") and b.role in ("init", "target", "both"):
        return (a.role, b.role) in _SMART_PAIRS
    return True


def _port_key(value: str) -> tuple[str, str] | None:
    """Brocade ``1,4`` → ("1", "4"); other port members are not resolved."""
    parts = value.split(",")
    if len(parts) == 2 and all(p.strip().isdigit() for p in parts):
        return parts[0].strip(), parts[1].strip()
    return None


def _first(values: Iterable[object]) -> object:
    return next((v for v in values if v is not None), None)


def merge_views(views: list[FabricView]) -> Fabric:
    """One fabric from the views of its switches (the principal's first)."""
    views = sorted(
        views, key=lambda v: (v.switch_wwn != v.principal_wwn or not v.switch_wwn, v.device)
    )
    head = views[0]
    if head.platform == BROCADE:
        name = head.fabric_name or (head.switch_name or head.device)
    else:
        name = f"{head.device} VSAN {head.vsan}"
    fabric = Fabric(
        name=name,
        platform=head.platform,
        switches=tuple(sorted({v.device for v in views})),
        vsan=head.vsan,
    )
    for attr in (
        "zoning_enabled",
        "default_zone",
        "smart_zoning",
        "defined_sets",
        "defined_zones",
        "aliases",
        "effective_name",
        "effective_zones",
        "device_aliases",
    ):
        setattr(fabric, attr, _first(getattr(v, attr) for v in views))
    if any(v.zoning_enabled is False for v in views) and fabric.zoning_enabled:
        fabric.zoning_enabled = False  # one switch with zoning off is what matters
    logins: dict[str, Login] | None = None
    for v in sorted(views, key=lambda v: v.logins_complete):
        if v.logins is None:
            continue
        logins = dict(logins or {})
        for wwpn, login in v.logins.items():
            if login.switch or wwpn not in logins:
                logins[wwpn] = login
    fabric.logins = logins
    fabric.logins_complete = any(v.logins_complete for v in views)
    fabric.all_zones_known = any(v.all_zones_known for v in views)
    for v in views:
        for wwpn, nm in v.names.items():
            fabric.names.setdefault(wwpn, nm)
    fabric.index()
    return fabric


def _group_keys(view: FabricView) -> set[str]:
    """What ties views of one fabric together: Brocade switch WWNs (``fabricshow``); for an
    MDS VSAN, the N_Port WWPNs its fabric-wide name server lists (two fabrics never share a
    device port, two switches of one fabric list the same ones)."""
    if view.platform == BROCADE:
        return set(view.fabric_switch_wwns) | ({view.switch_wwn} if view.switch_wwn else set())
    if view.logins and view.logins_complete:
        return {f"vsan{view.vsan}:{wwpn}" for wwpn in view.logins}
    return set()


def group_views(views: list[FabricView]) -> list[list[FabricView]]:
    """Brocade views whose ``fabricshow`` switch sets overlap are one fabric; MDS views of
    one VSAN whose name servers list the same ports are one fabric; any view with nothing to
    tie it stays alone."""
    groups: list[list[FabricView]] = []
    by_wwn: dict[str, int] = {}
    for view in views:
        keys = _group_keys(view)
        if not keys:
            groups.append([view])
            continue
        hit = next((by_wwn[k] for k in keys if k in by_wwn), None)
        if hit is None:
            groups.append([view])
            hit = len(groups) - 1
        else:
            groups[hit].append(view)
        for key in keys:
            by_wwn.setdefault(key, hit)
    return groups


def fc_devices(snapshot: Snapshot) -> list[str]:
    """Every FC switch of the snapshot: kind ``fc-switch``, or a ``switch`` whose captures
    are an FC switch's (an MDS recorded as ``cisco_nxos`` by an older snapshot)."""
    found: list[str] = []
    for record in snapshot.devices():
        kind, name = record.get("kind"), str(record["name"])
        if kind not in (DeviceKind.FC_SWITCH, DeviceKind.SWITCH):
            continue
        folder = snapshot.device_dir(name)
        if not folder.is_dir():
            continue
        if kind == DeviceKind.FC_SWITCH or snapshot_is_fc_device(
            snapshot, name, record.get("platform")
        ):
            found.append(name)
    return found


def is_fc_device(folder: Path, platform: object) -> bool:
    path = folder / "platform"
    stored = path.read_text().strip() if path.is_file() else ""
    if stored:
        platform = stored.lower()
    return looks_like_fc_switch(folder, str(platform).lower() if platform else None)


#: Per open snapshot (dropped with it): (device, platform of its record) → is it an FC switch.
_FC_DEVICES: weakref.WeakKeyDictionary[Snapshot, dict[tuple[str, str | None], bool]] = (
    weakref.WeakKeyDictionary()
)


def snapshot_is_fc_device(snapshot: Snapshot, device: str, platform: object) -> bool:
    """:func:`is_fc_device` for a device of an open snapshot, decided once per snapshot.

    An audit asks it of every switch three or four times (the Ethernet switch list for
    each model table, the FC switch list), and each answer lists the device folder and
    reads its platform and ``show version``: 1.6 s of a 1,000-switch audit. A snapshot
    is read-only once opened (its artifacts were checked against the manifest), so the
    answer cannot change while the :class:`Snapshot` object lives."""
    if platform is not None and not isinstance(platform, str):
        return is_fc_device(snapshot.device_dir(device), platform)
    known = _FC_DEVICES.get(snapshot)
    if known is None:
        known = _FC_DEVICES[snapshot] = {}
    key = (device, platform)
    answer = known.get(key)
    if answer is None:
        answer = known[key] = is_fc_device(snapshot.device_dir(device), platform)
    return answer


def load_fabrics(snapshot: Snapshot) -> tuple[list[Fabric], list[str]]:
    """Every fabric of the snapshot's FC switches (read by the ``fc-switch`` parsers of the
    per-kind registry), and the warnings met parsing them."""
    from xsfabric.switch.facts import device_facts

    views: list[FabricView] = []
    warnings: list[str] = []
    for device in fc_devices(snapshot):
        parsed = [
            f
            for f in device_facts(snapshot, device, DeviceKind.FC_SWITCH)
            if isinstance(f, FcSwitchFacts)
        ]
        if not parsed:
            warnings.append(f"fc-switch {device}: no zoning or name-server capture found")
        for facts in parsed:
            views.extend(facts.views)
            warnings.extend(facts.warnings)
    fabrics = [merge_views(group) for group in group_views(views)]
    return sorted(fabrics, key=lambda f: f.name), warnings
