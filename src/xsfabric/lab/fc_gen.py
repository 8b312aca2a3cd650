"""Lab FC switches: a compact fabric description → the command outputs a Brocade FOS switch
or a Cisco MDS prints, in the raw-capture layout the SSH lab replays
(``devices/<name>/platform``, ``devices/<name>/<command>.txt``).

The outputs follow the formats of the real captures in the conformance corpus (tabs and
wrapped member lists in ``cfgshow``, ``*``/FCID lines in ``show zoneset active``), so the lab
exercises the same templates a real switch does. One description can plant zoning faults —
zones in the defined configuration but not in effect, an effective copy that differs, a
member that is not logged in — beside clean zones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xsfabric.snapshot import command_filename

Spec = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class LabLogin:
    wwpn: str
    role: str  # initiator, target, unknown
    port: int
    name: str = ""


@dataclass(slots=True)
class LabFabricSwitch:
    """One FC switch of the lab (a Brocade fabric of one switch, or one MDS with VSANs)."""

    name: str
    platform: str
    domain: int
    wwn: str
    fabric_name: str
    default_zone: str
    zoning: bool
    cfg: str
    vsan: int
    smart_zoning: bool
    aliases: dict[str, list[str]]
    device_aliases: dict[str, str]
    zones: dict[str, list[str]]
    cfg_zones: list[str]
    not_enabled: list[str]
    effective_extra: dict[str, list[str]]
    effective_override: dict[str, list[str]]
    logins: list[LabLogin] = field(default_factory=list)
    #: Brocade peer zones: name → (principal members, peer members).
    peer_zones: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)


def parse_fabric(spec: Spec) -> LabFabricSwitch:
    platform = str(spec.get("platform", "brocade_fos"))
    domain = int(spec.get("domain", 1))
    zones = {str(k): [str(m) for m in v or []] for k, v in (spec.get("zones") or {}).items()}
    peer_zones = {
        str(k): (
            [str(m) for m in v.get("principals") or []],
            [str(m) for m in v.get("peers") or []],
        )
        for k, v in (spec.get("peer_zones") or {}).items()
    }
    for name, (principals, peers) in peer_zones.items():  # in cfgshow: property member first
        zones[name] = [PEER_PROPERTY, *principals, *peers]
    logins = [
        LabLogin(
            str(x["wwpn"]).lower(),
            str(x.get("role", "unknown")),
            int(x["port"]),
            str(x.get("name", "")),
        )
        for x in spec.get("logins") or []
    ]
    return LabFabricSwitch(
        name=str(spec["name"]),
        platform=platform,
        domain=domain,
        wwn=str(spec.get("wwn", f"10:00:00:05:33:00:{domain:02x}:00")),
        fabric_name=str(spec.get("fabric_name", "")),
        default_zone=str(spec.get("default_zone", "deny")),
        zoning=bool(spec.get("zoning", True)),
        cfg=str(spec.get("cfg", "CFG")),
        vsan=int(spec.get("vsan", 1)),
        smart_zoning=bool(spec.get("smart_zoning", False)),
        aliases={
            str(k): [str(w).lower() for w in v] for k, v in (spec.get("aliases") or {}).items()
        },
        device_aliases={
            str(k): str(v).lower() for k, v in (spec.get("device_aliases") or {}).items()
        },
        zones=zones,
        cfg_zones=[str(z) for z in spec.get("cfg_zones", list(zones))],
        not_enabled=[str(z) for z in spec.get("not_enabled") or []],
        effective_extra={
            str(k): [str(m) for m in v] for k, v in (spec.get("effective_extra") or {}).items()
        },
        effective_override={
            str(k): [str(m) for m in v] for k, v in (spec.get("effective_override") or {}).items()
        },
        logins=logins,
        peer_zones=peer_zones,
    )


#: The property member FOS puts first in a user-created peer zone.
PEER_PROPERTY = "00:02:00:00:00:03:00:01"


def _peer_zoneshow(sw: LabFabricSwitch) -> str:
    """``zoneshow --peerzone all``: each peer zone's sides, defined (as written) and in
    effect (aliases expanded)."""
    effective = _effective(sw) if sw.zoning else {}
    lines = ["Defined configuration:"]
    for section in ("defined", "effective"):
        if section == "effective":
            lines += ["", "Effective configuration:"]
        for name, (principals, peers) in sorted(sw.peer_zones.items()):
            if section == "effective" and name not in effective:
                continue
            side = (lambda ms: _expand(sw, ms)) if section == "effective" else list
            lines += [
                f" zone:\t{name}",
                f"\t\tProperty Member: {PEER_PROPERTY}",
                "\t\tCreated by: User",
                "\t\tPrincipal Member(s):",
                *[f"\t\t\t{m}" for m in side(principals)],
                "\t\tPeer Member(s):",
                *[f"\t\t\t{m}" for m in side(peers)],
            ]
    return "\n".join(lines) + "\n"


def _effective(sw: LabFabricSwitch) -> dict[str, list[str]]:
    zones = {
        z: sw.effective_override.get(z, sw.zones.get(z, []))
        for z in sw.cfg_zones
        if z not in sw.not_enabled
    }
    zones.update(sw.effective_extra)
    return zones


# -- Brocade FOS -----------------------------------------------------------------------------


def _fos_list(kind: str, name: str, members: list[str]) -> list[str]:
    """`` zone:\\tname\\tm1; m2; `` with every third member wrapped, as FOS prints it."""
    if not members:
        return [f" {kind}:\t{name}\t"]
    chunks = [members[i : i + 2] for i in range(0, len(members), 2)]
    lines = [f" {kind}:\t{name}\t" + "; ".join(chunks[0]) + ("; " if len(chunks) > 1 else " ")]
    for n, chunk in enumerate(chunks[1:], start=1):
        lines.append("\t\t" + "; ".join(chunk) + ("; " if n < len(chunks) - 1 else " "))
    return lines


def _expand(sw: LabFabricSwitch, members: Iterable[str]) -> list[str]:
    out: list[str] = []
    for member in members:
        token = member.split()[0]
        out.extend(sw.aliases.get(token, [token]))
    return out


def brocade_outputs(sw: LabFabricSwitch) -> dict[str, str]:
    roles = {
        "initiator": "Physical Initiator",
        "target": "Physical Target",
        "unknown": "Physical Unknown(initiator/target)",
    }
    zoning = f"ON ({sw.cfg})" if sw.zoning else "OFF"
    ports = [
        "Index Port Address  Media Speed        State       Proto",
        "==================================================",
    ]
    by_port = {login.port: login for login in sw.logins}
    for index in range(max([8, *by_port]) + 1):
        login = by_port.get(index)
        state = f"Online      FC  F-Port  {login.wwpn} " if login else "No_Light    FC "
        ports.append(f"{index:4d}{index:4d}   {sw.domain:02x}{index:02x}00   id    N16\t   {state}")
    switchshow = "\n".join(
        [
            f"switchName:\t{sw.name}",
            "switchType:\t170.2",
            "switchState:\tOnline",
            "switchMode:\tNative",
            "switchRole:\tPrincipal",
            f"switchDomain:\t{sw.domain}",
            f"switchId:\tfffc{sw.domain:02x}",
            f"switchWwn:\t{sw.wwn}",
            f"zoning:\t\t{zoning}",
            "switchBeacon:\tOFF",
            "FC Router:\tOFF",
            "LS Attributes:\t[FID: 128, Base Switch: No, Default Switch: Yes, Address Mode 0]",
            "",
            *ports,
            "",
        ]
    )
    fabricshow = "\n".join(
        [
            "Switch ID   Worldwide Name           Enet IP Addr    FC IP Addr      Name",
            "-" * 73,
            f"{sw.domain:3d}: fffc{sw.domain:02x} {sw.wwn} 192.0.2.{sw.domain:<3d}     0.0.0.0"
            f'        >"{sw.name}"',
            "",
            "The Fabric has 1 switch",
            "",
            f"Fabric Name: {sw.fabric_name or sw.name}",
            "",
        ]
    )
    defined = ["Defined configuration:"]
    if sw.zones or sw.aliases:
        defined += _fos_list("cfg", sw.cfg, sw.cfg_zones)
        for name in sorted(sw.zones):
            defined += _fos_list("zone", name, sw.zones[name])
        for name in sorted(sw.aliases):
            defined += _fos_list("alias", name, sw.aliases[name])
    else:
        defined.append(" no configuration defined")
    effective = ["Effective configuration:"]
    if sw.zoning:
        effective.append(f" cfg:\t{sw.cfg}\t")
        for name, members in sorted(_effective(sw).items()):
            effective.append(f" zone:\t{name}\t")
            effective += [f"\t\t{w}" for w in _expand(sw, members)]
    else:
        effective.append(" no configuration in effect")
    cfgshow = "\n".join([*defined, "", *effective, ""])
    cfgactvshow = "\n".join([*effective, ""])
    alishow = (
        "\n".join(
            line
            for name in sorted(sw.aliases)
            for line in _fos_list("alias", name, sw.aliases[name])
        )
        + "\n"
    )
    defzone = (
        "Default Zone Access Mode\n\tcommitted - "
        + ("No Access" if sw.default_zone == "deny" else "All Access")
        + "\n\ttransaction - No Transaction\n"
    )
    entries = [
        "{",
        " Type Pid    COS     PortName                NodeName                 TTL(sec)",
    ]
    for login in sw.logins:
        pid = f"{sw.domain:02x}{login.port:02x}00"
        node = "20" + login.wwpn[2:]
        entries += [
            f" N    {pid};      2,3;{login.wwpn};{node}; na",
            "    FC4s: FCP",
            f"    Fabric Port Name: 20:{login.port:02x}:{sw.wwn[6:]}",
            f"    Permanent Port Name: {login.wwpn}",
            f"    Device type: {roles.get(login.role, roles['unknown'])}",
            f"    Port Index: {login.port}",
            "    Share Area: No",
            "    Device Shared in Other AD: No",
            "    Redirect: No",
            "    Partial: No",
        ]
    entries.append(f"The Local Name Server has {len(sw.logins)} entries }}")
    return {
        "version": "Kernel:     2.6.34.6\nFabric OS:  v9.1.1c\nMade on:    Fri Mar 3 "
        "18:14:53 2023\nFlash:      Mon Apr 3 10:00:00 2023\nBootProm:   1.0.2\n",
        "switchshow": switchshow,
        "fabricshow": fabricshow,
        "cfgshow": cfgshow,
        "cfgactvshow": cfgactvshow,
        "alishow": alishow,
        "zoneshow --peerzone all": _peer_zoneshow(sw),
        "defzone --show": defzone,
        "nsshow": "\n".join(entries) + "\n",
        "nscamshow": "nscam show for remote switches:\nNo entry is found!\n",
    }


# -- Cisco MDS -------------------------------------------------------------------------------


def _mds_member(
    sw: LabFabricSwitch, token: str, indent: str, active: bool, online: dict[str, LabLogin]
) -> list[str]:
    words = token.split()
    role = f" {words[-1]}" if words[-1] in ("init", "target", "both") else ""
    if role:
        words = words[:-1]
    if words[0] == "device-alias":
        wwpn = sw.device_aliases.get(words[1], "")
        if active and wwpn in online:
            return [
                f"{indent[:-2]}* fcid {_fcid(sw, online[wwpn])} [device-alias {words[1]}]{role}"
            ]
        return [f"{indent}device-alias {words[1]}{role}"]
    if words[0] == "interface":
        return [f"{indent}interface {words[1]} swwn {sw.wwn}{role}"]
    wwpn = words[-1].lower()
    name = next((a for a, w in sw.device_aliases.items() if w == wwpn), "")
    label = f" [{name}]" if name else ""
    if active and wwpn in online:
        return [f"{indent[:-2]}* fcid {_fcid(sw, online[wwpn])} [pwwn {wwpn}]{label}{role}"]
    return [f"{indent}pwwn {wwpn}{label}{role}"]


def _fcid(sw: LabFabricSwitch, login: LabLogin) -> str:
    return f"0x{sw.domain:02x}{login.port:02x}00"


def _mds_zone(
    sw: LabFabricSwitch,
    name: str,
    members: list[str],
    indent: str,
    active: bool,
    online: dict[str, LabLogin],
) -> list[str]:
    lines = [f"{indent}zone name {name} vsan {sw.vsan}"]
    inner = indent + "  "
    for token in members:
        words = token.split()
        if words[0] == "fcalias" and not active:
            lines.append(f"{inner}fcalias name {words[1]} vsan {sw.vsan}")
            lines += [f"{inner}  pwwn {w}" for w in sw.aliases.get(words[1], [])]
            lines.append("")
        elif words[0] == "fcalias":
            for wwpn in sw.aliases.get(words[1], []):
                lines += _mds_member(sw, wwpn, inner, active, online)
        else:
            lines += _mds_member(sw, token, inner, active, online)
    lines.append("")
    return lines


def mds_outputs(sw: LabFabricSwitch) -> dict[str, str]:
    online = {login.wwpn: login for login in sw.logins}
    effective = _effective(sw)
    active = [f"zoneset name {sw.cfg} vsan {sw.vsan}"] if sw.zoning else []
    if sw.zoning:
        for name, members in sorted(effective.items()):
            active += _mds_zone(sw, name, members, "  ", True, online)
    full = [f"zoneset name {sw.cfg} vsan {sw.vsan}"]
    for name in sw.cfg_zones:
        full += _mds_zone(sw, name, sw.zones.get(name, []), "  ", False, online)
    zones: list[str] = []
    for name in sorted(sw.zones):
        zones += _mds_zone(sw, name, sw.zones[name], "", False, online)
    fcalias: list[str] = []
    for name in sorted(sw.aliases):
        fcalias += [
            f"fcalias name {name} vsan {sw.vsan}",
            *[f"  pwwn {w}" for w in sw.aliases[name]],
            "",
        ]
    status = [
        f"VSAN: {sw.vsan} default-zone: {sw.default_zone} distribute: full Interop: default",
        "    mode: basic merge-control: allow",
        "    session: none",
        "    hard-zoning: enabled broadcast: unsupported",
        f"    smart-zoning: {'enabled' if sw.smart_zoning else 'disabled'}",
        "    rscn-format: fabric-address",
        "    activation overwrite control: disabled",
        "Default zone:",
        "    qos: none broadcast: unsupported ronly: unsupported",
        "Full Zoning Database :",
        "    DB size: 1204 bytes",
        f"    Zonesets:1  Zones:{len(sw.zones)} Aliases: {len(sw.aliases)}",
        "Active Zoning Database :",
    ]
    status += (
        ["    DB size: 612 bytes", f"    Name: {sw.cfg}  Zonesets:1  Zones:{len(effective)}"]
        if sw.zoning
        else ["    Database Not Available"]
    )
    status += ["Status: Activation completed at 09:12:44 UTC Nov 30 2026", ""]
    features = {"initiator": "scsi-fcp:init", "target": "scsi-fcp:target", "unknown": ""}
    fcns = [
        f"VSAN {sw.vsan}:",
        "-" * 74,
        "FCID        TYPE  PWWN                    (VENDOR)        FC4-TYPE:FEATURE",
        "-" * 74,
    ]
    flogi = [
        "-" * 80,
        "INTERFACE        VSAN    FCID           PORT NAME               NODE NAME",
        "-" * 80,
    ]
    for login in sw.logins:
        vendor = "(NetApp)  " if login.role == "target" else "(Qlogic)  "
        fcns.append(
            f"{_fcid(sw, login)}    N     {login.wwpn} {vendor}      "
            f"{features.get(login.role, '')} "
        )
        name = next((a for a, w in sw.device_aliases.items() if w == login.wwpn), "")
        if name:
            fcns.append(f"                  [{name}]")
        flogi.append(
            f"fc1/{login.port:<13d}{sw.vsan:<8d}{_fcid(sw, login)}  {login.wwpn} 20{login.wwpn[2:]}"
        )
        if name:
            flogi.append(f"                           [{name}]")
    fcns += ["", f"Total number of entries = {len(sw.logins)}", ""]
    flogi += ["", f"Total number of flogi = {len(sw.logins)}.", ""]
    aliases = [f"device-alias name {n} pwwn {w}" for n, w in sorted(sw.device_aliases.items())]
    return {
        "show version": "Cisco Nexus Operating System (NX-OS) Software\nTAC support: "
        "http://www.cisco.com/tac\nSoftware\n  BIOS: version 2.1.18\n"
        "  system:    version 9.3(5)\nHardware\n  cisco MDS 9148S 16G 48 FC "
        '(1 Slot) Chassis ("2/4/8/10/16 Gbps FC/Supervisor")\n'
        f"  Device name: {sw.name}\n",
        "show zone status": "\n".join(status),
        "show zoneset active": "\n".join(active) + "\n",
        "show zoneset": "\n".join(full) + "\n",
        "show zone": "\n".join(zones) + "\n",
        "show fcalias": "\n".join(fcalias) + "\n",
        "show device-alias database": "\n".join(
            [*aliases, "", f"Total number of entries = {len(aliases)}", ""]
        ),
        "show device-alias status": "Fabric Distribution : Enabled\nDatabase:- Device "
        f"Aliases {len(aliases)}  Mode: Basic\n           "
        "Checksum: 0x5a2c1ff1d8b2e8a3a0c9bba5e1f4a2f0\n",
        "show flogi database": "\n".join(flogi),
        "show fcns database": "\n".join(fcns),
    }


def fabric_outputs(sw: LabFabricSwitch) -> dict[str, str]:
    return brocade_outputs(sw) if sw.platform == "brocade_fos" else mds_outputs(sw)


def write_fabrics(specs: Iterable[Spec], devices_dir: Path) -> list[LabFabricSwitch]:
    """Write every FC switch of the description as a lab device folder."""
    switches = [parse_fabric(s) for s in specs]
    for sw in switches:
        folder = devices_dir / sw.name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "platform").write_text(f"{sw.platform}\n")
        for command, text in fabric_outputs(sw).items():
            (folder / command_filename(command)).write_text(text)
    return switches
