"""Switch configuration hygiene (category ``switch-hygiene``; guide G12 is the headline).

The switches XenServer hosts hang off must be hardened, and guest VLANs that reach
uncontrolled networks protected against layer-2 attacks (G12: rogue DHCP, RA, ARP spoofing).
Each rule reads the parsed running configuration (:mod:`xsfabric.switch.config`, redacted as
stored), the config facts derived before redaction (:mod:`xsfabric.switch.config_facts`), the
port roles (:mod:`xsfabric.switch.port_roles`) and the XenServer side (which VLANs are guest,
internet-facing, untrusted, management). Each cites its DISA STIG (Cisco IOS/IOS XE Switch
L2S and NDM STIGs; their requirements apply to the other vendors' equivalents) and the
guide id where one applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xsfabric.model.estate import Estate
from xsfabric.model.xen import Role
from xsfabric.rules.engine import Category, RuleContext, Severity, Subject, SubjectRef, rule
from xsfabric.switch.config import DEFAULTS, InterfaceConfig, SwitchConfig, running_config
from xsfabric.switch.config_facts import STRONG_HASHES
from xsfabric.switch.model import ALL_VLANS
from xsfabric.switch.port_roles import PortRole, PortRoleEvidence, port_roles

L2S = "DISA Cisco IOS XE Switch L2S STIG"
NDM = "DISA Cisco IOS XE Switch NDM STIG"
DATA = ("switch config", "config facts")
PORT_DATA = ("switch config", "lldp", "fdb", "xapi")

#: VLAN names that mark a parking (unused, black-hole) VLAN.
PARKING_WORDS = ("park", "unused", "black", "dead", "shut", "disabled", "quarantine", "null")


@dataclass(slots=True)
class XenVlans:
    """What the XenServer side says about VLAN ids (from the pools, with intent applied)."""

    guest: set[int] = field(default_factory=set)
    exposed_guest: set[int] = field(default_factory=set)  # internet-facing or untrusted
    management: set[int] = field(default_factory=set)
    storage: set[int] = field(default_factory=set)
    names: dict[int, str] = field(default_factory=dict)


@dataclass(slots=True)
class DeviceView:
    device: str
    config: SwitchConfig
    roles: dict[str, PortRoleEvidence]
    #: The XenServer VLANs that matter on this switch: those of the pools whose hosts are
    #: cabled to it (VLAN ids are only meaningful per pool), else of every pool.
    xen: XenVlans = field(default_factory=XenVlans)


def xen_vlans(estate: Estate, pools: set[str] | None = None) -> XenVlans:
    found = XenVlans()
    for pool in estate.pools:
        if pools and pool.name not in pools:
            continue
        for network in pool.networks.values():
            for tag in network.vlan_tags:
                found.names.setdefault(tag, f"{pool.name}/{network.name_label}")
                if network.role == Role.GUEST or Role.GUEST in network.uses:
                    found.guest.add(tag)
                    if network.internet_facing or network.untrusted:
                        found.exposed_guest.add(tag)
                if network.role == Role.MANAGEMENT:
                    found.management.add(tag)
                if network.role == Role.STORAGE:
                    found.storage.add(tag)
    return found


_CACHE: list[tuple[Estate, list[DeviceView], XenVlans]] = []


def views(estate: Estate) -> tuple[list[DeviceView], XenVlans]:
    """Per device: the running config and its port roles; computed once per estate."""
    if _CACHE and _CACHE[0][0] is estate:
        return _CACHE[0][1], _CACHE[0][2]
    result: list[DeviceView] = []
    for device, configs in sorted(estate.configs.items()):
        config = running_config(configs)
        if config is not None and config.parsed:
            roles = port_roles(estate, device, config)
            pools = {nic.pool for role in roles.values() for nic in role.nics}
            result.append(DeviceView(device, config, roles, xen_vlans(estate, pools or None)))
    vlans = xen_vlans(estate)
    _CACHE[:] = [(estate, result, vlans)]
    return result, vlans


def dev(view: DeviceView, interface: str | None = None) -> Subject:
    found: Subject = {"device": SubjectRef(view.device)}
    if interface is not None:
        found["interface"] = SubjectRef(interface)
    return found


def _evidence(view: DeviceView, **extra: Any) -> dict[str, Any]:
    return {"source": view.config.source, "platform": view.config.platform} | extra


def _l2_ports(view: DeviceView) -> list[tuple[InterfaceConfig, PortRoleEvidence]]:
    """Physical or LAG interfaces that switch (L2), with their role; LAG members are judged
    through their LAG when the member itself says nothing."""
    defaults = DEFAULTS[view.config.platform]
    found = []
    for name, iface in sorted(view.config.interfaces.items()):
        if iface.is_svi or iface.has_ip or iface.mode == "routed":
            continue
        if not (iface.is_physical or iface.is_lag):
            continue
        l2 = (
            iface.switchport
            if iface.switchport is not None
            else (defaults.switchport and view.config.is_switch)
        )
        if not l2:
            continue
        found.append((iface, view.roles.get(name, PortRoleEvidence(PortRole.UNKNOWN, ""))))
    return found


def _mode(view: DeviceView, iface: InterfaceConfig) -> str:
    if iface.mode:
        return iface.mode
    return "dynamic" if DEFAULTS[view.config.platform].dtp else "access"


_ALL = frozenset(ALL_VLANS)


def _carried(view: DeviceView, iface: InterfaceConfig) -> frozenset[int]:
    mode = _mode(view, iface)
    if mode == "trunk":
        allowed = iface.allowed_vlans
        if allowed is None or allowed is ALL_VLANS:
            return _ALL  # one shared set, no per-port copy of 4,094 ids
        return frozenset(allowed)
    return frozenset({iface.access_vlan or 1})


def _no_config(ctx: RuleContext) -> list[DeviceView]:
    found, _ = views(ctx.estate)
    return found


# -- management plane (NDM) ----------------------------------------------------------------


@rule(
    "sw-telnet-enabled",
    title="Switch accepts telnet management",
    severity=Severity.HIGH,
    category=Category.SWITCH_HYGIENE,
    guide=(),
    references=(f"{NDM} SRG-APP-000411-NDM-000330 (secure remote maintenance)",),
    rationale="Telnet sends logins and configuration in clear text across the networks "
    "the hypervisors depend on.",
    remediation="line vty 0 15 / transport input ssh (IOS); no feature telnet (NX-OS); "
    "management telnet / shutdown (EOS); delete system services telnet (Junos)",
    data=DATA,
)
def telnet_enabled(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        if view.config.telnet:
            ctx.finding(
                dev(view),
                f"{view.device} accepts telnet",
                _evidence(view, lines=list(view.config.telnet_evidence)),
            )


@rule(
    "sw-http-enabled",
    title="Switch serves plain-HTTP management",
    severity=Severity.MEDIUM,
    category=Category.SWITCH_HYGIENE,
    guide=(),
    references=(f"{NDM} SRG-APP-000411-NDM-000330 (secure remote maintenance)",),
    rationale="An HTTP management server exposes credentials and configuration in clear text.",
    remediation="no ip http server (IOS); no feature nxapi or HTTPS only (NX-OS); "
    "management api http-commands / no protocol http (EOS); "
    "delete system services web-management http (Junos)",
    data=DATA,
)
def http_enabled(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        if view.config.http_server:
            ctx.finding(
                dev(view),
                f"{view.device} serves HTTP management",
                _evidence(view, lines=list(view.config.http_evidence)),
            )


@rule(
    "sw-ssh-not-v2-only",
    title="SSH accepts protocol version 1",
    severity=Severity.MEDIUM,
    category=Category.SWITCH_HYGIENE,
    guide=(),
    references=(f"{NDM} SRG-APP-000411-NDM-000330 (secure remote maintenance)",),
    rationale="SSHv1 is broken; IOS accepts it (version 1.99) unless 'ip ssh version 2'.",
    remediation="ip ssh version 2 (IOS); set system services ssh protocol-version v2 (Junos)",
    data=DATA,
)
def ssh_v1(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        if not view.config.ssh_v2_only:
            ctx.finding(
                dev(view),
                f"{view.device} does not restrict SSH to version 2 "
                "(no 'ip ssh version 2': vendor default 1.99)",
                _evidence(view),
            )


@rule(
    "sw-snmp-community-weak",
    title="SNMP community that is well known, read-write or unrestricted",
    severity=Severity.HIGH,
    category=Category.SWITCH_HYGIENE,
    guide=(),
    references=(
        f"{NDM} SRG-APP-000395-NDM-000310 (authenticate SNMP with HMAC)",
        "CIS Cisco IOS Benchmark 1.5 (SNMP rules)",
    ),
    rationale="A default (public/private) or read-write community lets anyone on the "
    "management path read or change the switch; v1/v2c has no real "
    "authentication, so SNMPv3 with authPriv is preferred.",
    remediation="no snmp-server community <name>; use snmp-server group <g> v3 priv and "
    "snmp-server user <u> <g> v3 auth sha … priv aes 128 …",
    data=DATA,
)
def snmp_community(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        facts = view.config.facts
        if facts is None:
            if view.config.platform and view.config.path:
                ctx.not_checked(
                    dev(view),
                    f"{view.device}: no config facts stored for "
                    f"{view.config.source} (snapshot taken before xsfabric "
                    "derived them): community names cannot be judged redacted",
                )
            continue
        for ordinal, c in enumerate(facts.communities, start=1):
            item = {"item": SubjectRef(f"snmp community {ordinal}")}
            problems = []
            if c.default_name:
                problems.append("a well-known default name")
            if c.access == "rw":
                problems.append("read-write access")
            if not c.acl:
                problems.append("no access list")
            if c.default_name or c.access == "rw":
                severity = Severity.CRITICAL if c.default_name and c.access == "rw" else None
                ctx.finding(
                    {**dev(view), **item},
                    f"{view.device}: SNMP community on line {c.line} has " + ", ".join(problems),
                    _evidence(
                        view, line=c.line, access=c.access, default_name=c.default_name, acl=c.acl
                    ),
                    severity=severity,
                )
            elif not c.acl:
                ctx.finding(
                    {**dev(view), **item},
                    f"{view.device}: SNMP v1/v2c community on line {c.line} has no "
                    "access list (SNMPv3 with privacy preferred)",
                    _evidence(view, line=c.line, access=c.access, acl=False),
                    severity=Severity.MEDIUM,
                )


@rule(
    "sw-snmpv3-no-privacy",
    title="SNMPv3 without privacy (encryption)",
    severity=Severity.MEDIUM,
    category=Category.SWITCH_HYGIENE,
    guide=(),
    references=(f"{NDM} SRG-APP-000395-NDM-000310; CISC-ND-001140 (encrypt SNMP)",),
    rationale="SNMPv3 noAuthNoPriv / authNoPriv sends management data in clear text.",
    remediation="snmp-server group <g> v3 priv; snmp-server user <u> <g> v3 auth sha … "
    "priv aes 128 …",
    data=DATA,
)
def snmpv3_no_priv(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        facts = view.config.facts
        if facts is None:
            continue
        for user in facts.snmp_users:
            if not user.privacy:
                ctx.finding(
                    {**dev(view), "item": SubjectRef(f"snmp user {user.name}")},
                    f"{view.device}: SNMPv3 user {user.name} (line {user.line}) has "
                    f"{'authentication but ' if user.auth else 'no authentication and '}"
                    "no privacy",
                    _evidence(view, line=user.line, user=user.name),
                )
        for ordinal, line in enumerate(facts.snmp_v3_groups_without_priv, start=1):
            ctx.finding(
                {**dev(view), "item": SubjectRef(f"snmp v3 group {ordinal}")},
                f"{view.device}: SNMPv3 group on line {line} does not require privacy",
                _evidence(view, line=line),
            )


@rule(
    "sw-aaa-missing",
    title="No AAA server for device logins",
    severity=Severity.MEDIUM,
    category=Category.SWITCH_HYGIENE,
    guide=(),
    references=(f"{NDM} SRG-APP-000516-NDM-000336 (authentication server)",),
    rationale="Local accounts only: no central revocation, shared passwords, no "
    "accounting of who changed the switch the hypervisors depend on.",
    remediation="aaa new-model; aaa authentication login default group tacacs+ local; "
    "tacacs server … (Junos: set system authentication-order tacplus)",
    data=DATA,
)
def aaa_missing(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        c = view.config
        uses = c.aaa_login_uses_servers or bool(c.facts and c.facts.login_uses_servers)
        if c.aaa_servers == 0 or not uses:
            ctx.finding(
                dev(view),
                f"{view.device}: logins are not authenticated by an AAA "
                f"server ({c.aaa_servers} TACACS+/RADIUS server(s) configured, login "
                f"method {'uses' if uses else 'does not use'} them)",
                _evidence(view, aaa_servers=c.aaa_servers),
            )


@rule(
    "sw-syslog-missing",
    title="No remote syslog server",
    severity=Severity.MEDIUM,
    category=Category.SWITCH_HYGIENE,
    guide=(),
    references=(f"{NDM} CISC-ND-001450 (send log data to a central log server)",),
    rationale="Without remote logging, evidence of a layer-2 attack or a configuration "
    "change disappears with the switch's buffer.",
    remediation="logging host <ip> (IOS/EOS); logging server <ip> (NX-OS); "
    "set system syslog host <ip> any notice (Junos)",
    data=DATA,
)
def syslog_missing(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        if not view.config.logging_hosts:
            ctx.finding(
                dev(view), f"{view.device} sends its logs to no remote server", _evidence(view)
            )


@rule(
    "sw-ntp-unauthenticated",
    title="NTP without authentication",
    severity=Severity.LOW,
    category=Category.SWITCH_HYGIENE,
    guide=(),
    references=(f"{NDM} SRG-APP-000395-NDM-000347 (authenticate NTP sources)",),
    rationale="A rogue time source skews log timestamps and certificate checks.",
    remediation="ntp authentication-key 1 sha… ; ntp authenticate; ntp trusted-key 1; "
    "ntp server <ip> key 1",
    data=DATA,
)
def ntp_unauthenticated(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        c = view.config
        keys = c.facts.ntp_keys if c.facts else []
        if not c.ntp_servers:
            ctx.finding(
                dev(view),
                f"{view.device} has no NTP server",
                _evidence(view),
                severity=Severity.LOW,
            )
        elif not (c.ntp_authenticate and (keys or c.facts is None)):
            state = "on" if c.ntp_authenticate else "off"
            ctx.finding(
                dev(view),
                f"{view.device} uses NTP without authentication "
                f"({len(keys)} key(s), authenticate {state})",
                _evidence(view, servers=len(c.ntp_servers), keys=len(keys)),
            )


@rule(
    "sw-weak-password-storage",
    title="Password stored in clear text, reversibly or as MD5",
    severity=Severity.HIGH,
    category=Category.SWITCH_HYGIENE,
    guide=(),
    references=(
        f"{NDM} CISC-ND-000620 (store only cryptographic representations of passwords)",
        "CIS Cisco IOS Benchmark 1.1 (enable secret, type 8/9)",
    ),
    rationale="Type 0 and type 7 (or Junos $9$) passwords are recovered instantly from any "
    "configuration backup; MD5-crypt (type 5, $1$) is brute-forced cheaply.",
    remediation="enable secret 9 …; username <u> algorithm-type scrypt secret …; "
    "service password-encryption only hides type 0 behind type 7 (EOS: secret "
    "sha512; Junos: $6$)",
    data=DATA,
)
def weak_passwords(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        facts = view.config.facts
        if facts is None:
            continue
        lines_seen = 0
        for s in facts.secrets:
            if s.kind not in ("enable", "user", "line", "root"):
                continue
            if s.kind == "line":
                lines_seen += 1
            if s.hash in STRONG_HASHES:
                continue
            who = {
                "enable": f"enable {s.name}",
                "user": f"user {s.name}",
                "line": "line password",
                "root": "root password",
            }[s.kind]
            severity = Severity.HIGH if s.hash in ("plaintext", "reversible") else Severity.MEDIUM
            label = who if s.kind != "line" else f"line password {lines_seen}"
            ctx.finding(
                {**dev(view), "item": SubjectRef(label)},
                f"{view.device}: {who} (line {s.line}) is stored as {s.hash}",
                _evidence(view, line=s.line, kind=s.kind, hash=s.hash),
                severity=severity,
            )


@rule(
    "sw-banner-missing",
    title="No login banner",
    severity=Severity.LOW,
    category=Category.SWITCH_HYGIENE,
    guide=(),
    references=(f"{NDM} SRG-APP-000068-NDM-000215 (notice and consent banner)",),
    rationale="A login banner states that access is restricted and monitored.",
    remediation='banner login ^C … ^C (Junos: set system login message "…")',
    data=DATA,
)
def banner_missing(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        if not view.config.banner:
            ctx.finding(dev(view), f"{view.device} shows no login banner", _evidence(view))


@rule(
    "sw-exec-timeout",
    title="Management sessions never time out (or after over 10 minutes)",
    severity=Severity.LOW,
    category=Category.SWITCH_HYGIENE,
    guide=(),
    references=(f"{NDM} SRG-APP-000190-NDM-000267 (terminate idle sessions)",),
    rationale="An idle privileged session left open is a session anyone can take over.",
    remediation="line vty 0 15 / exec-timeout 10 0 (NX-OS: exec-timeout 10; EOS: "
    "management ssh / idle-timeout 10; Junos: login class … idle-timeout 10)",
    data=DATA,
)
def exec_timeout(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        timeouts = view.config.exec_timeouts or {"(no session timeout configured)": None}
        for line, minutes in sorted(timeouts.items()):
            if minutes is None or minutes > 10:
                ctx.finding(
                    {**dev(view), "item": SubjectRef(line)},
                    f"{view.device}: {line}: "
                    + (
                        "sessions never time out"
                        if minutes is None
                        else f"idle timeout {minutes:g} minutes"
                    ),
                    _evidence(view, line=line, minutes=minutes),
                )


@rule(
    "sw-vtp-server",
    title="VTP in server or client mode",
    severity=Severity.MEDIUM,
    category=Category.SWITCH_HYGIENE,
    guide=(),
    references=(f"{L2S} CISC-L2-000030 (VTP)",),
    rationale="A VTP server/client accepts VLAN databases from any switch with a higher "
    "revision: one rogue or reused switch can delete the guest and storage VLANs "
    "of every hypervisor.",
    remediation="vtp mode transparent (or vtp mode off)",
    data=DATA,
)
def vtp_server(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        mode = view.config.vtp_mode
        if mode in ("server", "client") and view.config.is_switch:
            default = DEFAULTS[view.config.platform].vtp_mode == mode
            ctx.finding(
                dev(view),
                f"{view.device}: VTP mode {mode}"
                + (" (vendor default: no 'vtp mode' line)" if default else ""),
                _evidence(view, vtp_mode=mode),
            )


# -- ports ---------------------------------------------------------------------------------


def _parking_vlans(view: DeviceView) -> set[int]:
    """VLANs that look like a parking VLAN: named so."""
    return {
        vid
        for name, vid in view.config.vlan_names.items()
        if any(w in name.lower() for w in PARKING_WORDS)
    }


@rule(
    "sw-unused-port-not-parked",
    title="Unused port not shut down and parked",
    severity=Severity.MEDIUM,
    category=Category.SWITCH_HYGIENE,
    guide=(),
    references=(f"{L2S} CISC-L2-000210 (unused ports in an inactive VLAN)",),
    rationale="A live unused port in a production VLAN lets anyone with a cable join the "
    "hypervisors' networks.",
    remediation="interface <p> / shutdown / switchport mode access / switchport access vlan "
    "<parking VLAN>",
    data=PORT_DATA,
)
def unused_port(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        parking = _parking_vlans(view)
        carried_elsewhere: set[int] = set()
        for iface, role in _l2_ports(view):
            if role.role != PortRole.UNUSED and len(carried_elsewhere) < len(_ALL):
                carried_elsewhere |= _carried(view, iface)
        for iface, role in _l2_ports(view):
            if role.role != PortRole.UNUSED or iface.is_lag:
                continue
            problems = []
            if not iface.shutdown:
                problems.append("not shut down")
            vlan = iface.access_vlan or 1
            if _mode(view, iface) == "trunk":
                problems.append("a trunk")
            elif vlan == 1 or (vlan not in parking and vlan in carried_elsewhere):
                problems.append(f"in VLAN {vlan}, which is in use")
            if problems:
                ctx.finding(
                    dev(view, iface.name),
                    f"{view.device} {iface.name} is unused ({role.reason}) but "
                    + " and ".join(problems),
                    _evidence(view, role=str(role.role), access_vlan=vlan, lines=list(iface.lines)),
                )


@rule(
    "sw-native-vlan",
    title="Trunk native VLAN is 1 or a guest VLAN",
    severity=Severity.HIGH,
    category=Category.SWITCH_HYGIENE,
    guide=("G12", "G10"),
    references=(f"{L2S} CISC-L2-000260 (native VLAN other than the default VLAN)",),
    rationale="Untagged frames on a host trunk land in the native VLAN: native VLAN 1 mixes "
    "control traffic with hosts, and a guest native VLAN lets a guest reach "
    "double-tagging (VLAN hopping) into other VLANs.",
    remediation="switchport trunk native vlan <unused VLAN, not carried elsewhere>",
    data=PORT_DATA,
)
def native_vlan(ctx: RuleContext) -> None:
    found, _ = views(ctx.estate)
    for view in found:
        xen = view.xen
        for iface, role in _l2_ports(view):
            if _mode(view, iface) != "trunk" or role.role == PortRole.UNUSED:
                continue
            native = iface.native_vlan or 1
            if native == 1:
                ctx.finding(
                    dev(view, iface.name),
                    f"{view.device} {iface.name} ({role.role}) trunk has native VLAN 1",
                    _evidence(view, role=str(role.role), native_vlan=native),
                )
            elif native in xen.guest and role.role == PortRole.HYPERVISOR:
                ctx.finding(
                    dev(view, iface.name),
                    f"{view.device} {iface.name} (hypervisor trunk) has native VLAN "
                    f"{native}, a guest VLAN ({xen.names.get(native, '')})",
                    _evidence(view, role=str(role.role), native_vlan=native),
                    severity=Severity.CRITICAL,
                )


@rule(
    "sw-trunk-allowed-all",
    title="Trunk without an explicit allowed VLAN list, or carrying VLAN 1 or the parking VLAN",
    severity=Severity.MEDIUM,
    category=Category.SWITCH_HYGIENE,
    guide=("G10",),
    references=(
        f"{L2S} CISC-L2-000230 (default VLAN pruned from trunks)",
        f"{L2S} CISC-L2-000210 (inactive VLAN not allowed on trunks)",
    ),
    rationale="A trunk that allows every VLAN extends each new VLAN, including VLAN 1 and "
    "the parking VLAN, to every hypervisor and neighbour.",
    remediation="switchport trunk allowed vlan <the VLANs the hosts use>",
    data=PORT_DATA,
)
def trunk_allowed(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        parking = _parking_vlans(view)
        for iface, role in _l2_ports(view):
            if _mode(view, iface) != "trunk" or role.role == PortRole.UNUSED:
                continue
            allowed = iface.allowed_vlans
            if iface.lag and iface.allowed_vlans is None:
                continue  # a member follows its LAG's list
            if allowed is None or allowed == ALL_VLANS or len(allowed) >= 4000:
                ctx.finding(
                    dev(view, iface.name),
                    f"{view.device} {iface.name} ({role.role}) trunk allows "
                    + (
                        "every VLAN (no allowed list)"
                        if allowed is None
                        else f"{len(allowed)} VLANs"
                    ),
                    _evidence(
                        view, role=str(role.role), allowed=None if allowed is None else len(allowed)
                    ),
                )
                continue
            bad = sorted(({1} | parking) & set(allowed))
            if bad:
                ctx.finding(
                    dev(view, iface.name),
                    f"{view.device} {iface.name} ({role.role}) trunk carries VLAN "
                    f"{', '.join(map(str, bad))} (default or parking VLAN)",
                    _evidence(view, role=str(role.role), vlans=bad),
                    severity=Severity.LOW,
                )


@rule(
    "sw-dtp-enabled",
    title="Port negotiates trunking (DTP)",
    severity=Severity.HIGH,
    category=Category.SWITCH_HYGIENE,
    guide=("G12",),
    references=(f"{L2S} CISC-L2-000200 (trunk links enabled statically)",),
    rationale="A port in dynamic mode (IOS default without 'switchport mode') becomes a "
    "trunk for anyone who sends DTP: a guest VM bridged out, or a laptop, gets "
    "every VLAN.",
    remediation="switchport mode access|trunk; switchport nonegotiate",
    data=PORT_DATA,
)
def dtp_enabled(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        if not DEFAULTS[view.config.platform].has_dtp:
            continue
        for iface, role in _l2_ports(view):
            mode = _mode(view, iface)
            if iface.nonegotiate or iface.shutdown:
                continue
            if mode == "dynamic":
                ctx.finding(
                    dev(view, iface.name),
                    f"{view.device} {iface.name} ({role.role}) is in dynamic mode "
                    + (
                        "(no 'switchport mode': vendor default)"
                        if not iface.mode
                        else "(switchport mode dynamic)"
                    ),
                    _evidence(view, role=str(role.role), mode=mode),
                )
            elif mode == "trunk":
                ctx.finding(
                    dev(view, iface.name),
                    f"{view.device} {iface.name} ({role.role}) trunk still sends DTP "
                    "(no 'switchport nonegotiate')",
                    _evidence(view, role=str(role.role), mode=mode),
                    severity=Severity.LOW,
                )


def _edge_roles() -> tuple[PortRole, ...]:
    return (PortRole.HYPERVISOR, PortRole.EDGE)


def _guessed(role: PortRoleEvidence) -> Severity | None:
    """A port judged host-facing only because it is an access port (no LLDP/FDB evidence)
    is reported, but at low severity: the role is a guess."""
    return Severity.LOW if role.role == PortRole.UNKNOWN else None


def _is_edge(view: DeviceView, iface: InterfaceConfig, role: PortRoleEvidence) -> bool:
    """A host-facing port: by evidence, or (no evidence at all) an access port."""
    if role.role in _edge_roles():
        return True
    return role.role == PortRole.UNKNOWN and _mode(view, iface) == "access"


@rule(
    "sw-bpduguard-missing",
    title="Edge (host) port without BPDU guard",
    severity=Severity.MEDIUM,
    category=Category.SWITCH_HYGIENE,
    guide=("G12",),
    references=(f"{L2S} CISC-L2-000100 (BPDU guard on user-facing ports)",),
    rationale="A hypervisor port must never hear a BPDU; a VM bridging two VIFs, or a "
    "rogue switch, can otherwise take over the spanning tree.",
    remediation="spanning-tree bpduguard enable (or spanning-tree portfast bpduguard "
    "default with portfast on host ports; Junos: bpdu-block-on-edge)",
    data=PORT_DATA,
)
def bpduguard(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        for iface, role in _l2_ports(view):
            if iface.shutdown or iface.lag or not _is_edge(view, iface, role):
                continue
            if iface.bpduguard is False:
                covered = False
            else:
                covered = bool(iface.bpduguard) or (view.config.bpduguard_default and iface.edge)
            if not covered:
                ctx.finding(
                    dev(view, iface.name),
                    f"{view.device} {iface.name} ({role.role}: {role.reason}) has no BPDU guard",
                    _evidence(view, role=str(role.role), edge=iface.edge),
                    severity=_guessed(role),
                )


@rule(
    "sw-storm-control-missing",
    title="Host port without storm control",
    severity=Severity.LOW,
    category=Category.SWITCH_HYGIENE,
    guide=("G12",),
    references=(
        "DISA Cisco IOS XE Switch L2S STIG SRG-NET-000512-L2S-000001 "
        "(storm control on host-facing ports)",
    ),
    rationale="A broadcast storm from one VM or host saturates every host sharing the VLAN.",
    remediation="storm-control broadcast level 5.00 (Junos: storm-control default)",
    data=PORT_DATA,
)
def storm_control(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        for iface, role in _l2_ports(view):
            if iface.shutdown or iface.lag or not _is_edge(view, iface, role):
                continue
            if not (iface.storm_control or view.config.storm_control_default):
                ctx.finding(
                    dev(view, iface.name),
                    f"{view.device} {iface.name} ({role.role}) has no storm control",
                    _evidence(view, role=str(role.role)),
                    severity=_guessed(role),
                )


@rule(
    "sw-port-security-on-hypervisor",
    title="Classic port-security on a hypervisor port",
    severity=Severity.MEDIUM,
    category=Category.SWITCH_HYGIENE,
    guide=("G18",),
    references=(f"{L2S} CISC-L2-000020 (endpoint identification; port-security form)",),
    rationale="A hypervisor port legitimately carries one MAC per VIF; classic "
    "port-security with a small maximum err-disables the port (all VMs and the "
    "host) at the next migration. Use a MAC limit sized for the VMs and XenServer "
    "switch-port locking (G18) for per-VIF control.",
    remediation="no switchport port-security; mac address-table limit / mac-limit sized "
    "for the VIF count; lock VIFs in XenServer",
    data=PORT_DATA,
)
def port_security_hyper(ctx: RuleContext) -> None:
    for view in _no_config(ctx):
        for iface, role in _l2_ports(view):
            if role.role != PortRole.HYPERVISOR:
                continue
            if iface.port_security:
                ctx.finding(
                    dev(view, iface.name),
                    f"{view.device} {iface.name} ({role.reason}) uses port-security "
                    f"(maximum {iface.mac_limit or 1} MAC)",
                    _evidence(
                        view,
                        maximum=iface.mac_limit or 1,
                        hosts=[f"{n.host} {n.nic}" for n in role.nics],
                    ),
                )


@rule(
    "sw-cdp-on-untrusted-port",
    title="CDP advertised on a port facing untrusted guests",
    severity=Severity.LOW,
    category=Category.SWITCH_HYGIENE,
    guide=("G12",),
    references=("CIS Cisco IOS Benchmark 2.1.1 (CDP off where not needed)",),
    rationale="CDP tells any VM bridged to the wire the switch model, software version and "
    "management address. LLDP stays useful on hypervisor ports (XenServer reads it "
    "for PIF placement) and is not flagged.",
    remediation="interface <p> / no cdp enable",
    data=PORT_DATA,
)
def cdp_untrusted(ctx: RuleContext) -> None:
    found, _ = views(ctx.estate)
    for view in found:
        xen = view.xen
        if not view.config.cdp_run:
            continue
        for iface, role in _l2_ports(view):
            if iface.shutdown or iface.cdp is False or iface.lag:
                continue
            exposed = _carried(view, iface) & xen.exposed_guest
            if role.role == PortRole.HYPERVISOR and exposed:
                ctx.finding(
                    dev(view, iface.name),
                    f"{view.device} {iface.name} advertises CDP to hosts carrying "
                    f"untrusted guest VLAN(s) {sorted(exposed)}",
                    _evidence(view, vlans=sorted(exposed)),
                )


# -- G12: layer-2 protection of guest VLANs -------------------------------------------------


@rule(
    "sw-g12-guest-l2-protection",
    title="Internet-facing or untrusted guest VLAN without layer-2 protection",
    severity=Severity.HIGH,
    category=Category.SWITCH_HYGIENE,
    guide=("G12",),
    references=(
        f"{L2S} CISC-L2-000130 (DHCP snooping on user VLANs)",
        f"{L2S} CISC-L2-000150 (DAI on user VLANs)",
        f"{L2S} CISC-L2-000140 (IP source guard)",
    ),
    rationale="The guide: guest networks that reach uncontrolled networks must be protected "
    "against layer-2 attacks such as fake DHCP. That needs DHCP snooping on the "
    "VLAN with host ports untrusted, RA/DHCPv6 guard, and ARP inspection.",
    remediation="ip dhcp snooping vlan <v>; ip dhcp snooping; ip arp inspection vlan <v>; "
    "on host ports: no ip dhcp snooping trust, ipv6 nd raguard attach-policy …, "
    "ipv6 dhcp guard attach-policy … (Junos: vlans <v> forwarding-options "
    "dhcp-security arp-inspection and neighbor-discovery-inspection, a dhcp-security "
    "group with overrides untrusted for host trunks; forwarding-options access-security "
    "router-advertisement-guard interface <p> mark-interface block)",
    data=(*PORT_DATA, "policy"),
)
def g12(ctx: RuleContext) -> None:
    found, every = views(ctx.estate)
    if not every.exposed_guest:
        for view in found:
            ctx.not_checked(
                dev(view),
                "no guest VLAN is marked internet-facing or untrusted "
                "(policy or xsfabric: tags): G12 needs that intent",
            )
        return
    for view in found:
        xen = view.xen
        ports = _l2_ports(view)
        carried: set[int] = set()
        for iface, role in ports:
            if role.role != PortRole.UNUSED and len(carried) < len(_ALL):
                carried |= _carried(view, iface)
        declared = view.config.vlan_ids
        for vlan in sorted(xen.exposed_guest):
            if vlan not in carried and vlan not in declared:
                continue
            missing = []
            if vlan not in view.config.dhcp_snooping_vlans:
                missing.append("DHCP snooping")
            if (
                vlan not in view.config.arp_inspection_vlans
                and view.config.platform != "juniper_junos"
            ):
                missing.append("dynamic ARP inspection")
            elif (
                view.config.platform == "juniper_junos"
                and vlan not in view.config.arp_inspection_vlans
            ):
                missing.append("arp-inspection")
            if missing:
                ctx.finding(
                    {**dev(view), "vlan": SubjectRef(str(vlan))},
                    f"{view.device}: guest VLAN {vlan} ({xen.names.get(vlan, '')}, "
                    f"internet-facing/untrusted) lacks {', '.join(missing)}",
                    _evidence(view, vlan=vlan, missing=missing),
                )
            for iface, role in ports:
                if role.role != PortRole.HYPERVISOR or vlan not in _carried(view, iface):
                    continue
                port_missing = []
                if iface.dhcp_snooping_trust:
                    port_missing.append(
                        "is DHCP-snooping trusted (a VM can answer DHCP"
                        + (
                            "; Junos trusts trunk ports unless a dhcp-security group "
                            "overrides them as untrusted)"
                            if view.config.platform == "juniper_junos"
                            else ")"
                        )
                    )
                guards = _ipv6_guards_missing(view, iface, vlan)
                if guards:
                    port_missing.append(f"has no {' / '.join(guards)}")
                if port_missing:
                    ctx.finding(
                        {**dev(view, iface.name), "vlan": SubjectRef(str(vlan))},
                        f"{view.device} {iface.name} ({role.reason}) carries guest "
                        f"VLAN {vlan} and " + " and ".join(port_missing),
                        _evidence(view, vlan=vlan, problems=port_missing),
                    )


def _ipv6_guards_missing(view: DeviceView, iface: InterfaceConfig, vlan: int) -> list[str]:
    """The IPv6 first-hop guards a host port lacks on ``vlan``: RA guard (on the port, or
    for the VLAN: IOS ``vlan configuration``, Junos ``router-advertisement-guard vlans``) and
    DHCPv6 guard (on the port; Junos has none per port: DHCPv6 snooping on the VLAN drops
    server messages from untrusted ports)."""
    config = view.config
    missing = []
    if not (iface.ra_guard or vlan in config.ra_guard_vlans):
        missing.append("RA guard")
    dhcpv6 = iface.dhcpv6_guard or (
        vlan in config.dhcpv6_guard_vlans
        and not (config.platform == "juniper_junos" and iface.dhcp_snooping_trust)
    )
    if not dhcpv6:
        missing.append(
            "DHCPv6 guard"
            if config.platform != "juniper_junos"
            else "DHCPv6 guard (DHCPv6 snooping on the VLAN)"
        )
    return missing


@rule(
    "sw-ip-source-guard-missing",
    title="Host access port on an exposed guest VLAN without IP source guard",
    severity=Severity.MEDIUM,
    category=Category.SWITCH_HYGIENE,
    guide=("G12", "G18"),
    references=(
        f"{L2S} CISC-L2-000140 (IP source guard on user-facing ports)",
        "DISA Juniper EX Series Layer 2 Switch STIG V-253960 (IP source guard on "
        "user-facing or untrusted VLANs)",
    ),
    rationale="A host on an access port of an internet-facing or untrusted guest VLAN can "
    "send from any IP address (spoofing its neighbours, or answering for the gateway); IP "
    "source guard drops what the DHCP snooping bindings do not allow. Asked on access ports "
    "only: a hypervisor trunk carries one address per VIF, many static, so there "
    "XenServer switch-port locking (G18) does the job.",
    remediation="interface <p> / ip verify source (IOS, EOS), ip verify source "
    "dhcp-snooping-vlan (NX-OS), with DHCP snooping on the VLAN; Junos: set vlans <v> "
    "forwarding-options dhcp-security ip-source-guard",
    data=(*PORT_DATA, "policy"),
)
def ip_source_guard(ctx: RuleContext) -> None:
    found, _ = views(ctx.estate)
    for view in found:
        config = view.config
        exposed = view.xen.exposed_guest
        if not exposed:
            continue
        junos = config.platform == "juniper_junos"
        for iface, role in _l2_ports(view):
            if iface.shutdown or iface.lag or _mode(view, iface) != "access":
                continue
            if not _is_edge(view, iface, role):
                continue
            vlan = iface.access_vlan or 1
            if vlan not in exposed:
                continue
            if junos:
                guarded = vlan in config.ip_source_guard_vlans and not iface.dhcp_snooping_trust
            else:
                guarded = iface.ip_source_guard
            if guarded:
                continue
            if junos and vlan in config.ip_source_guard_vlans:
                why = "is DHCP-snooping trusted, which exempts it from the VLAN's source guard"
            elif junos:
                why = "is on a VLAN without dhcp-security ip-source-guard"
            else:
                why = "has no 'ip verify source'"
            note = (
                ""
                if vlan in config.dhcp_snooping_vlans
                else f" (and DHCP snooping, which source guard relies on, is off on VLAN {vlan})"
            )
            ctx.finding(
                {**dev(view, iface.name), "vlan": SubjectRef(str(vlan))},
                f"{view.device} {iface.name} ({role.role}: {role.reason}) is an access port "
                f"of guest VLAN {vlan} ({view.xen.names.get(vlan, '')}, internet-facing/"
                f"untrusted) and {why}{note}",
                _evidence(view, role=str(role.role), vlan=vlan, lines=list(iface.lines)),
                severity=_guessed(role),
            )


@rule(
    "sw-dhcp-snooping-missing",
    title="Guest or management VLAN without DHCP snooping",
    severity=Severity.MEDIUM,
    category=Category.SWITCH_HYGIENE,
    guide=("G12",),
    references=(f"{L2S} CISC-L2-000130 (DHCP snooping on user VLANs)",),
    rationale="Without DHCP snooping any VM or host can answer DHCP on the VLAN and "
    "redirect traffic (hosts on DHCP management interfaces included).",
    remediation="ip dhcp snooping; ip dhcp snooping vlan <v>; trust only the uplinks",
    data=PORT_DATA,
)
def dhcp_snooping(ctx: RuleContext) -> None:
    found, _ = views(ctx.estate)
    for view in found:
        xen = view.xen
        wanted = (xen.guest - xen.exposed_guest) | xen.management
        carried: set[int] = set()
        for iface, role in _l2_ports(view):
            if role.role == PortRole.HYPERVISOR and len(carried) < len(_ALL):
                carried |= _carried(view, iface)
        for vlan in sorted(wanted & carried):
            if vlan not in view.config.dhcp_snooping_vlans:
                kind = "management" if vlan in xen.management else "guest"
                ctx.finding(
                    {**dev(view), "vlan": SubjectRef(str(vlan))},
                    f"{view.device}: {kind} VLAN {vlan} ({xen.names.get(vlan, '')}) "
                    "reaches hypervisors without DHCP snooping",
                    _evidence(view, vlan=vlan),
                )
        # a host port trusted for DHCP lets any VM on it answer DHCP (G12's exposed VLANs
        # are reported by sw-g12-guest-l2-protection)
        for iface, role in _l2_ports(view):
            if role.role != PortRole.HYPERVISOR or not iface.dhcp_snooping_trust:
                continue
            vlans = sorted(_carried(view, iface) & (xen.guest - xen.exposed_guest))
            if vlans:
                ctx.finding(
                    dev(view, iface.name),
                    f"{view.device} {iface.name} ({role.reason}) is DHCP-snooping "
                    f"trusted and carries guest VLAN(s) {vlans}: a VM can answer DHCP",
                    _evidence(view, vlans=vlans),
                    severity=Severity.HIGH,
                )
