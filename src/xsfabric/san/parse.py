"""FC switch captures → :class:`FabricView` records (pure: reads files, no I/O beyond them).

Brocade FOS gives one view (the fabric the switch is in; a logical switch is collected as its
own device). Cisco MDS gives one view per VSAN. Captures are found by the command they hold,
so an import that saved ``nsshow -t`` or ``show zoneset active vsan 20`` is read the same as a
collection that asked ``nsshow`` or ``show zoneset active``. A capture no template accepts is a
warning naming device, command and line; what it would have given stays "not available".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from xsfabric.san.model import FabricView, Login, MemberKind, PortRole, Zone, ZoneMember, ZoneSet
from xsfabric.san.wwn import is_peer_property, normalize_wwn
from xsfabric.snapshot import command_from_filename
from xsfabric.switch.capture import clean_capture
from xsfabric.switch.textfsm_parse import Row, TemplateError, parse_output

BROCADE = "brocade_fos"
MDS = "cisco_nxos"
#: Platform names that mean an FC switch of either family.
PLATFORM_FAMILY = {
    "brocade_fos": BROCADE,
    "brocade": BROCADE,
    "cisco_mds": MDS,
    "cisco_nxos": MDS,
    "nxos": MDS,
    "cisco_nxos_ssh": MDS,
}

#: Which capture gives which table, by the command it holds (abbreviations and options such as
#: ``nsshow -t`` or ``vsan 20`` included). Longer commands before their prefixes.
TABLES: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    BROCADE: (
        ("cfgactvshow", re.compile(r"^cfgac\w*\b")),
        ("cfgshow", re.compile(r"^cfgs\w*\s*$")),
        ("alishow", re.compile(r"^alis\w*\s*$")),
        ("peerzones", re.compile(r"^zones\w*\s+--peerzone\b")),
        ("nscamshow", re.compile(r"^nscams\w*\b")),
        ("nsshow", re.compile(r"^nss\w*\b")),
        ("switchshow", re.compile(r"^switchs\w*\s*$")),
        ("fabricshow", re.compile(r"^fabrics\w*\s*$")),
        ("defzone", re.compile(r"^defz\w*\s+--show\s*$")),
        ("version", re.compile(r"^vers\w*\s*$")),
    ),
    MDS: (
        ("zoneset_active", re.compile(r"^sh\w*\s+zoneset\s+act\w*(\s+vsan\s+\d+)?\s*$")),
        ("zoneset", re.compile(r"^sh\w*\s+zoneset(\s+vsan\s+\d+)?\s*$")),
        ("zone_status", re.compile(r"^sh\w*\s+zone\s+stat\w*(\s+vsan\s+\d+)?\s*$")),
        ("zone", re.compile(r"^sh\w*\s+zone(\s+vsan\s+\d+)?\s*$")),
        ("device_alias", re.compile(r"^sh\w*\s+device-alias\s+data\w*\s*$")),
        ("device_alias_status", re.compile(r"^sh\w*\s+device-alias\s+stat\w*\s*$")),
        ("fcalias", re.compile(r"^sh\w*\s+fcal\w*(\s+vsan\s+\d+)?\s*$")),
        ("fcns", re.compile(r"^sh\w*\s+fcns\s+data\w*(\s+vsan\s+\d+)?\s*$")),
        ("flogi", re.compile(r"^sh\w*\s+fl\w*\s+d\w*(\s+vsan\s+\d+)?\s*$")),
        ("version", re.compile(r"^sh\w*\s+ver\w*\s*$")),
    ),
}
#: The command each table is collected with (the read-only allowlist holds the same).
COMMANDS: dict[str, dict[str, str]] = {
    BROCADE: {
        "cfgshow": "cfgshow",
        "cfgactvshow": "cfgactvshow",
        "alishow": "alishow",
        "peerzones": "zoneshow --peerzone all",
        "nsshow": "nsshow",
        "nscamshow": "nscamshow",
        "switchshow": "switchshow",
        "fabricshow": "fabricshow",
        "defzone": "defzone --show",
        "version": "version",
    },
    MDS: {
        "zoneset_active": "show zoneset active",
        "zoneset": "show zoneset",
        "zone_status": "show zone status",
        "zone": "show zone",
        "device_alias": "show device-alias database",
        "device_alias_status": "show device-alias status",
        "fcalias": "show fcalias",
        "fcns": "show fcns database",
        "flogi": "show flogi database",
        "version": "show version",
    },
}
#: What marks a Cisco capture as an MDS (FC switch) rather than a Nexus (Ethernet switch).
MDS_VERSION = re.compile(r"\bMDS\s*9\d{2,3}|\bcisco\s+MDS\b|\bDS-C9\d{3}", re.I)
MDS_ZONING_FILES = re.compile(r"^sh\w*\s+(zoneset|zone|fcns|flogi|device-alias|fcalias)\b")
ETHERNET_FILES = re.compile(r"^sh\w*\s+(mac\s|mac-address|int\w*|lldp|vlan|cdp)\b")
BROCADE_FILES = re.compile(r"^(cfgs|cfgac|nss|switchs|fabrics|alis)\w*\b")


#: What a switch prints instead of an output: an unknown command or option (an older FOS
#: without ``zoneshow --peerzone``, an MDS feature that is off).
_ERROR_ANSWER = re.compile(
    r"command not found|^%\s*(Invalid|Incomplete)|Invalid (command|"
    r"option|input)|^Usage:|^Error:|not supported|feature .* not enabled",
    re.I,
)


@dataclass(slots=True)
class DeviceCaptures:
    """Parsed rows per table of one device (several captures of a table concatenated)."""

    device: str
    platform: str
    rows: dict[str, list[Row]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def fc_family(platform: str | None) -> str | None:
    return PLATFORM_FAMILY.get((platform or "").strip().lower())


def looks_like_fc_switch(device_dir: Path, platform: str | None) -> bool:
    """True when a device's captures are an FC switch's: Brocade FOS commands, or a Cisco
    NX-OS device whose ``show version`` names an MDS or that holds zoning / name-server
    captures (an MDS imported with the Nexus platform name ``cisco_nxos``)."""
    commands = [
        command_from_filename(p.name).strip().lower()
        for p in device_dir.glob("*.txt")
        if not p.name.startswith("snmpwalk")
    ]
    family = fc_family(platform)
    if family == BROCADE or any(BROCADE_FILES.match(c) for c in commands):
        return platform in (None, "", "brocade_fos", "brocade")
    if family != MDS and platform not in (None, ""):
        return False
    for path in device_dir.glob("*.txt"):
        if re.match(
            r"^sh\w*\s+ver", command_from_filename(path.name).strip().lower()
        ) and MDS_VERSION.search(path.read_text(errors="replace")):
            return True
    # zoning captures make an FC switch, unless Ethernet tables were saved too (a Nexus with
    # FC/FCoE ports stays an Ethernet switch)
    return any(MDS_ZONING_FILES.match(c) for c in commands) and not any(
        ETHERNET_FILES.match(c) for c in commands
    )


def read_captures(device_dir: Path, device: str, platform: str) -> DeviceCaptures:
    family = fc_family(platform) or platform
    result = DeviceCaptures(device, family)
    tables = TABLES.get(family, ())
    for path in sorted(device_dir.glob("*.txt")):
        command = command_from_filename(path.name).strip()
        table = next((name for name, pattern in tables if pattern.match(command.lower())), None)
        if table is None:
            continue
        text = clean_capture(path.read_text(errors="replace"), command)
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        if _ERROR_ANSWER.search(first):
            result.warnings.append(
                f"fc-switch {device}: {command}: the switch answered with "
                f"an error ({first[:80]}); {table} not available"
            )
            continue
        try:
            try:
                rows = parse_output(family, command, text)
            except TemplateError as exc:
                if not str(exc).startswith("no TextFSM template"):
                    raise
                rows = parse_output(family, COMMANDS[family][table], text)
        except TemplateError as exc:
            where = f"{command}:{exc.line}" if exc.line is not None else command
            result.warnings.append(f"fc-switch {device}: {where}: {exc}")
            continue
        result.rows.setdefault(table, []).extend(rows)
    return result


# -- member text ---------------------------------------------------------------------------


def split_members(segments: Iterable[str]) -> list[str]:
    """Brocade member text as printed (``"a; b;"`` segments, wrapped) → member tokens.

    >>> split_members(["zone1;", "zone2;zone3 "])
    ['zone1', 'zone2', 'zone3']
    """
    return [t for s in segments for t in re.split(r"[;\s]+", s) if t]


def brocade_member(token: str, role: str | None = None) -> ZoneMember:
    """``10:00:…`` → WWPN, ``00:02:…`` → peer property, ``1,4`` → port, else an alias.

    >>> [brocade_member(t).kind.value for t in ("10:00:00:00:C9:00:00:01", "1,4", "host_a")]
    ['wwpn', 'port', 'alias']
    """
    wwn = normalize_wwn(token)
    if wwn is not None:
        kind = MemberKind.PROPERTY if is_peer_property(wwn) else MemberKind.WWPN
        return ZoneMember(kind, wwn, role)
    if re.fullmatch(r"\d+\s*,\s*\d+", token):
        return ZoneMember(MemberKind.PORT, token.replace(" ", ""), role)
    return ZoneMember(MemberKind.ALIAS, token, role)


def ns_role(device_type: str, fc4: str) -> tuple[PortRole, str]:
    """Role from a Brocade ``Device type`` or an MDS ``FC4-TYPE:FEATURE``.

    >>> ns_role("Physical Initiator", "FCP")[0].value, ns_role("", "scsi-fcp:target")[0].value
    ('initiator', 'target')
    >>> ns_role("Physical Unknown(initiator/target)", "FCP")[0].value
    'unknown'
    """
    text = device_type.lower()
    if text and "/" not in text:
        if "initiator" in text and "target" in text:
            return PortRole.BOTH, f'device type "{device_type}"'
        if "initiator" in text:
            return PortRole.INITIATOR, f'device type "{device_type}"'
        if "target" in text:
            return PortRole.TARGET, f'device type "{device_type}"'
    feature = fc4.lower()
    match = re.search(r"scsi-fcp:(init|target|both)\b", feature)
    if match:
        role = {"init": PortRole.INITIATOR, "target": PortRole.TARGET, "both": PortRole.BOTH}[
            match.group(1)
        ]
        return role, f'FC4 "{fc4}"'
    return PortRole.UNKNOWN, ""


# -- Brocade -------------------------------------------------------------------------------


def _brocade_zoning(view: FabricView, caps: DeviceCaptures) -> None:
    cfg_rows = caps.rows.get("cfgshow")
    actv_rows = caps.rows.get("cfgactvshow")
    peer_rows = caps.rows.get("peerzones") or []
    peers = {(str(r["section"]).lower(), str(r["zone"])): r for r in peer_rows}

    def zone(section: str, name: str, segments: list[str]) -> Zone:
        detail = peers.get((section, name))
        if detail is None:
            members = tuple(brocade_member(t) for t in split_members(segments))
            return Zone(name, members, peer=any(m.kind is MemberKind.PROPERTY for m in members))
        listed = [brocade_member(str(detail["property"]))] if detail.get("property") else []
        listed += [brocade_member(t, "principal") for t in split_members(detail["principals"])]
        listed += [brocade_member(t, "peer") for t in split_members(detail["peers"])]
        return Zone(name, tuple(listed), peer=True)

    if cfg_rows is not None:
        view.all_zones_known = True
        view.defined_sets, view.defined_zones, view.aliases = {}, {}, {}
        for row in cfg_rows:
            if str(row["section"]).lower() != "defined":
                continue
            name, segments = str(row["name"]), list(row["members"])
            if row["type"] == "cfg":
                view.defined_sets[name] = ZoneSet(name, tuple(split_members(segments)))
            elif row["type"] == "zone":
                view.defined_zones[name] = zone("defined", name, segments)
            else:
                view.aliases[name] = tuple(brocade_member(t) for t in split_members(segments))
    for row in caps.rows.get("alishow") or []:
        if view.aliases is None:
            view.aliases = {}
        view.aliases.setdefault(
            str(row["name"]), tuple(brocade_member(t) for t in split_members(row["members"]))
        )
    for source in (cfg_rows, actv_rows):
        if source is None or view.effective_zones is not None:
            continue
        effective = [r for r in source if str(r["section"]).lower() == "effective"]
        names = [str(r["name"]) for r in effective if r["type"] == "cfg"]
        view.effective_name = names[0] if names else ""
        view.effective_zones = {
            str(r["name"]): zone("effective", str(r["name"]), list(r["members"]))
            for r in effective
            if r["type"] == "zone"
        }


def _brocade_logins(view: FabricView, caps: DeviceCaptures) -> None:
    local = caps.rows.get("nsshow")
    remote = caps.rows.get("nscamshow")
    if local is None and remote is None:
        return
    logins: dict[str, Login] = {}
    for rows, is_local in ((local or [], True), (remote or [], False)):
        for row in rows:
            wwpn = normalize_wwn(str(row["port_name"]))
            if wwpn is None:
                continue
            role, source = ns_role(str(row.get("device_type") or ""), str(row.get("fc4s") or ""))
            pid = str(row.get("pid") or "")
            domain = int(pid[:2], 16) if re.fullmatch(r"[0-9a-fA-F]{6}", pid) else None
            logins[wwpn] = Login(
                wwpn=wwpn,
                role=role,
                fcid=f"0x{pid.lower()}" if pid else "",
                wwnn=normalize_wwn(str(row.get("node_name") or "")) or "",
                switch=caps.device if is_local else "",
                port=str(row.get("port_index") or ""),
                domain=domain,
                symbol=str(row.get("port_symb") or row.get("node_symb") or ""),
                role_source=f"{'nsshow' if is_local else 'nscamshow'} {source}".strip(),
            )
    view.logins = logins
    single_switch = len(view.fabric_switch_wwns) == 1
    view.logins_complete = local is not None and (remote is not None or single_switch)


def brocade_view(caps: DeviceCaptures) -> FabricView:
    view = FabricView(device=caps.device, platform=BROCADE)
    switch = caps.rows.get("switchshow")
    if switch:
        head = switch[0]
        view.switch_name = str(head.get("switch_name") or "")
        view.switch_wwn = normalize_wwn(str(head.get("switch_wwn") or "")) or ""
        domain = str(head.get("switch_domain") or "")
        view.domain = int(domain) if domain.isdigit() else None
        zoning = str(head.get("zoning") or "")
        view.zoning_enabled = {"ON": True, "OFF": False}.get(zoning)
    fabric = caps.rows.get("fabricshow")
    if fabric:
        view.fabric_switch_wwns = tuple(
            sorted(w for w in (normalize_wwn(str(r["wwn"])) for r in fabric) if w)
        )
        view.fabric_name = str(fabric[0].get("fabric_name") or "")
        principal = [r for r in fabric if r.get("local") == ">"]
        if principal:
            view.principal_wwn = normalize_wwn(str(principal[0]["wwn"])) or ""
    defzone = caps.rows.get("defzone")
    if defzone:
        access = re.sub(r"\s+", " ", str(defzone[0].get("access") or "")).lower()
        view.default_zone = {"no access": "deny", "all access": "permit"}.get(access)
    version = caps.rows.get("version")
    if version:
        view.version = f"Fabric OS {version[0].get('fabric_os', '')}".strip()
    _brocade_zoning(view, caps)
    if view.zoning_enabled is None and view.effective_name is not None:
        view.zoning_enabled = bool(view.effective_name)
    _brocade_logins(view, caps)
    return view


# -- Cisco MDS -----------------------------------------------------------------------------

_MDS_KIND = {
    "pwwn": MemberKind.WWPN,
    "device-alias": MemberKind.DEVICE_ALIAS,
    "fcalias": MemberKind.ALIAS,
    "interface": MemberKind.PORT,
    "domain-id": MemberKind.PORT,
    "fcid": MemberKind.PORT,
    "fwwn": MemberKind.PORT,
}


def mds_member(row: Row, active: bool) -> ZoneMember | None:
    mtype = str(row.get("member_type") or "")
    if not mtype and row.get("logged_in") == "*" and row.get("fcid"):
        # "* fcid 0x640500" alone: an fcid member, logged in (as "show zone" prints it)
        return ZoneMember(
            MemberKind.PORT,
            f"fcid {row['fcid']}",
            logged_in=True,
            fcid=str(row["fcid"]),
            role=str(row.get("role") or "") or None,
        )
    if not mtype:
        return None
    kind = _MDS_KIND.get(mtype, MemberKind.OTHER)
    value = str(row["member"])
    if kind is MemberKind.WWPN:
        value = normalize_wwn(value) or value
    elif kind not in (MemberKind.DEVICE_ALIAS, MemberKind.ALIAS):
        value = f"{mtype} {value}"
    return ZoneMember(
        kind,
        value,
        role=str(row.get("role") or "") or None,
        logged_in=(row.get("logged_in") == "*") if active else None,
        fcid=str(row.get("fcid") or "") or None,
        via=str(row.get("fcalias") or "") or None,
    )


def _mds_zones(
    rows: list[Row], active: bool
) -> dict[int, tuple[dict[str, ZoneSet], dict[str, Zone]]]:
    """Per VSAN: zone sets (name → zones) and zones (name → members) of zone rows."""
    sets: dict[int, dict[str, list[str]]] = {}
    zones: dict[int, dict[str, list[ZoneMember]]] = {}
    for row in rows:
        vsan = int(row["vsan"])
        zoneset, zone = str(row.get("zoneset") or ""), str(row.get("zone") or "")
        if not zone:
            if zoneset:
                sets.setdefault(vsan, {}).setdefault(zoneset, [])
            continue
        if zone == "$default_zone$":
            continue
        if zoneset:
            names = sets.setdefault(vsan, {}).setdefault(zoneset, [])
            if zone not in names:
                names.append(zone)
        members = zones.setdefault(vsan, {}).setdefault(zone, [])
        member = mds_member(row, active)
        if member is not None:
            members.append(member)
    result: dict[int, tuple[dict[str, ZoneSet], dict[str, Zone]]] = {}
    for vsan in sorted(set(sets) | set(zones)):
        result[vsan] = (
            {n: ZoneSet(n, tuple(z)) for n, z in sets.get(vsan, {}).items()},
            {n: Zone(n, tuple(m)) for n, m in zones.get(vsan, {}).items()},
        )
    return result


def mds_views(caps: DeviceCaptures) -> list[FabricView]:
    views: dict[int, FabricView] = {}

    def view(vsan: int) -> FabricView:
        if vsan not in views:
            views[vsan] = FabricView(device=caps.device, platform=MDS, vsan=vsan)
        return views[vsan]

    aliases_db: dict[str, str] | None = None
    if "device_alias" in caps.rows:
        aliases_db = {}
        for row in caps.rows["device_alias"]:
            wwpn = normalize_wwn(str(row["pwwn"]))
            if wwpn:
                aliases_db[str(row["name"])] = wwpn
    for row in caps.rows.get("zone_status") or []:
        v = view(int(row["vsan"]))
        v.default_zone = str(row.get("default_zone") or "") or None
        smart = str(row.get("smart_zoning") or "")
        v.smart_zoning = smart == "enabled" if smart else None
        v.effective_name = str(row.get("active_zoneset") or "")
        v.zoning_enabled = bool(v.effective_name)
    if "zoneset_active" in caps.rows:
        active = _mds_zones(caps.rows["zoneset_active"], active=True)
        for vsan, (sets, zones) in active.items():
            v = view(vsan)
            v.effective_name = next(iter(sets), v.effective_name or "")
            v.effective_zones = zones
            v.zoning_enabled = bool(v.effective_name) or bool(v.zoning_enabled)
        for v in views.values():  # asked, and no active zoneset for these VSANs
            if v.effective_zones is None and v.effective_name == "":
                v.effective_zones = {}
    defined_sets: dict[int, dict[str, ZoneSet]] = {}
    defined_zones: dict[int, dict[str, Zone]] = {}
    for table in ("zone", "zoneset"):  # zoneset's copy of a zone wins over show zone's
        if table not in caps.rows:
            continue
        for vsan, (sets, zones) in _mds_zones(caps.rows[table], active=False).items():
            defined_sets.setdefault(vsan, {}).update(sets)
            defined_zones.setdefault(vsan, {}).update(zones)
    if "zone" in caps.rows or "zoneset" in caps.rows:
        for vsan in set(defined_zones) | set(defined_sets):
            view(vsan)
        for vsan, v in views.items():
            v.defined_sets = defined_sets.get(vsan, {}) if "zoneset" in caps.rows else None
            v.defined_zones = defined_zones.get(vsan, {})
            v.all_zones_known = "zone" in caps.rows
    if "fcalias" in caps.rows:
        per_vsan: dict[int, dict[str, list[ZoneMember]]] = {}
        for row in caps.rows["fcalias"]:
            members = per_vsan.setdefault(int(row["vsan"]), {}).setdefault(str(row["fcalias"]), [])
            member = mds_member(row, active=False)
            if member is not None:
                members.append(member)
        for vsan, aliases in per_vsan.items():
            view(vsan).aliases = {n: tuple(m) for n, m in aliases.items()}
        for v in views.values():
            if v.aliases is None:
                v.aliases = {}
    _mds_logins(caps, view, views)
    version = caps.rows.get("version")
    status = caps.rows.get("device_alias_status")
    mode = str(status[0].get("mode") or "").lower() if status else ""
    for v in views.values():
        v.device_aliases = aliases_db
        v.device_alias_mode = mode
        if version:
            v.version = " ".join(str(version[0].get(k) or "") for k in ("platform", "os")).strip()
    return [views[k] for k in sorted(views)]


def _mds_logins(
    caps: DeviceCaptures, make: Callable[[int], FabricView], views: dict[int, FabricView]
) -> None:
    """Logins per VSAN: ``show fcns database`` (fabric-wide, with FC4 roles), the switch
    port from ``show flogi database``; flogi alone gives only this switch's logins."""
    fcns = caps.rows.get("fcns")
    flogi = caps.rows.get("flogi")
    if fcns is None and flogi is None:
        return
    per_vsan: dict[int, dict[str, Login]] = {}
    ports: dict[tuple[int, str], str] = {}
    for row in flogi or []:
        wwpn = normalize_wwn(str(row.get("port_name") or ""))
        if wwpn and str(row.get("vsan") or "").isdigit():
            ports[(int(row["vsan"]), wwpn)] = str(row.get("interface") or "")
            if fcns is None:
                per_vsan.setdefault(int(row["vsan"]), {})[wwpn] = Login(
                    wwpn=wwpn,
                    role=PortRole.UNKNOWN,
                    fcid=str(row.get("fcid") or ""),
                    wwnn=normalize_wwn(str(row.get("node_name") or "")) or "",
                    switch=caps.device,
                    port=ports[(int(row["vsan"]), wwpn)],
                )
    for row in fcns or []:
        wwpn = normalize_wwn(str(row.get("pwwn") or ""))
        if not wwpn or not str(row.get("vsan") or "").isdigit():
            continue
        vsan = int(row["vsan"])
        role, source = ns_role("", str(row.get("fc4") or ""))
        port = ports.get((vsan, wwpn), "")
        per_vsan.setdefault(vsan, {})[wwpn] = Login(
            wwpn=wwpn,
            role=role,
            fcid=str(row.get("fcid") or ""),
            switch=caps.device if port else "",
            port=port,
            symbol=str(row.get("device_alias") or ""),
            role_source=f"fcns {source}".strip(),
        )
    for vsan, logins in per_vsan.items():
        v = make(vsan)
        v.logins = logins
        v.logins_complete = fcns is not None
    for v in views.values():
        if v.logins is None:
            v.logins = {}
            v.logins_complete = fcns is not None


def parse_fc_device(
    device_dir: Path, device: str, platform: str
) -> tuple[list[FabricView], list[str]]:
    """The fabric views of one FC switch folder and the warnings met reading it."""
    caps = read_captures(device_dir, device, platform)
    try:
        if caps.platform == BROCADE:
            views = [brocade_view(caps)] if caps.rows else []
        elif caps.platform == MDS:
            views = mds_views(caps)
        else:
            return [], [f"fc-switch {device}: no FC parser for platform {platform!r}"]
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        # a value no template should have let through: the device is unread, not a traceback
        return [], [
            *caps.warnings,
            f"fc-switch {device}: unexpected value in the captures "
            f"({type(exc).__name__}: {exc}); not read",
        ]
    if not views and not caps.warnings:
        caps.warnings.append(f"fc-switch {device}: no zoning or name-server capture found")
    return views, caps.warnings


@dataclass(slots=True)
class FcSwitchFacts:
    """What the ``fc-switch`` parser registered in :data:`xsfabric.switch.facts.PARSERS`
    gives for one device folder: its fabric views and the warnings met reading them."""

    device: str
    platform: str
    views: list[FabricView]
    warnings: list[str]


def _commands(device_dir: Path) -> list[str]:
    return [
        command_from_filename(p.name).strip().lower()
        for p in device_dir.glob("*.txt")
        if not p.name.startswith("snmpwalk")
    ]


def has_fc_captures(device_dir: Path) -> bool:
    """True when the folder holds a capture of any FC table (either family)."""
    patterns = [pattern for tables in TABLES.values() for _, pattern in tables if _ != "version"]
    return any(p.match(c) for c in _commands(device_dir) for p in patterns)


def device_platform(device_dir: Path) -> str:
    """The folder's ``platform`` file, else the family its captures belong to."""
    path = device_dir / "platform"
    if path.is_file() and path.read_text().strip():
        return path.read_text().strip().lower()
    return BROCADE if any(BROCADE_FILES.match(c) for c in _commands(device_dir)) else MDS


def parse_fc_switch(device_dir: Path, device: str) -> FcSwitchFacts:
    platform = device_platform(device_dir)
    views, warnings = parse_fc_device(device_dir, device, platform)
    return FcSwitchFacts(device, platform, views, warnings)
