"""The switch configuration model: a (redacted) running or startup config → :class:`SwitchConfig`.

Why a model and not regexes in rules: rules never parse text, and the same question ("is DTP
off on this port?") has four spellings across cisco_ios, cisco_nxos, arista_eos and
juniper_junos — and one more that is no spelling at all, because a line a device does not
show means the vendor default. :data:`DEFAULTS` declares those defaults per platform as data.

Parsing uses hier_config 3.x (its per-platform drivers know sectional exits, banners and the
Junos hierarchical → ``set`` conversion); interface ranges and VLAN lists go through netutils.
Junos ``## SECRET-DATA`` comments and ``[ a b ]`` member lists are normalised before
hier_config sees them. Lines the model does not understand are kept in
:attr:`SwitchConfig.unrecognized`, so a report can say what was not audited (never a silent
pass).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xsfabric.switch.config_facts import (
    FILE_NAME,
    NAPALM_CONFIG_KEYS,
    ConfigFacts,
    read_facts_document,
)
from xsfabric.switch.model import ALL_VLANS, vlan_tuple

PLATFORMS = ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos")


class UnknownPlatformError(ValueError):
    """A configuration of a platform the model does not know."""


@dataclass(frozen=True, slots=True)
class PlatformDefaults:
    """What a platform does when its configuration says nothing (a missing line)."""

    telnet: bool  # vty lines accept telnet unless "transport input" says otherwise
    http_server: bool
    ssh_v2_only: bool
    dtp: bool  # L2 ports negotiate trunking unless "switchport mode"/"nonegotiate"
    has_dtp: bool  # the platform speaks DTP at all
    switchport: bool  # a physical interface is L2 unless told otherwise
    cdp: bool
    lldp: bool
    vtp_mode: str  # "server", "off", "none" (no VTP on the platform)
    exec_timeout: float | None  # minutes; None = sessions never time out


DEFAULTS: dict[str, PlatformDefaults] = {
    # IOS: vty "transport input all" on older releases, SSH 1.99, DTP dynamic on L2 ports,
    # CDP on, LLDP off, VTP server, exec-timeout 10 minutes, HTTP server on in most images
    "cisco_ios": PlatformDefaults(
        telnet=True,
        http_server=True,
        ssh_v2_only=False,
        dtp=True,
        has_dtp=True,
        switchport=True,
        cdp=True,
        lldp=False,
        vtp_mode="server",
        exec_timeout=10.0,
    ),
    # NX-OS: telnet and VTP are features that are off until enabled; SSHv2 only; no DTP
    "cisco_nxos": PlatformDefaults(
        telnet=False,
        http_server=False,
        ssh_v2_only=True,
        dtp=False,
        has_dtp=False,
        switchport=True,
        cdp=True,
        lldp=False,
        vtp_mode="off",
        exec_timeout=None,
    ),
    # EOS: telnet and HTTP API shut by default, LLDP on, no CDP/DTP/VTP
    "arista_eos": PlatformDefaults(
        telnet=False,
        http_server=False,
        ssh_v2_only=True,
        dtp=False,
        has_dtp=False,
        switchport=True,
        cdp=False,
        lldp=True,
        vtp_mode="none",
        exec_timeout=None,
    ),
    # Junos: services only when listed under "system services"; L2 only with
    # "family ethernet-switching"
    "juniper_junos": PlatformDefaults(
        telnet=False,
        http_server=False,
        ssh_v2_only=True,
        dtp=False,
        has_dtp=False,
        switchport=False,
        cdp=False,
        lldp=False,
        vtp_mode="none",
        exec_timeout=None,
    ),
}

#: Top-level statements the model reads or knows to be irrelevant to hygiene, per platform
#: family; anything else is reported as not understood.
_KNOWN_TOP_IOS = frozenset(
    [
        "aaa",
        "switch",
        "vdc",
        "cfs",
        "nxapi",
        "virtual-service",
        "access-list",
        "alias",
        "archive",
        "banner",
        "boot",
        "building",
        "cdp",
        "class-map",
        "clock",
        "control-plane",
        "crypto",
        "current",
        "default",
        "device-sensor",
        "diagnostic",
        "dot1x",
        "enable",
        "end",
        "errdisable",
        "feature",
        "file",
        "hostname",
        "interface",
        "ip",
        "ipv6",
        "key",
        "license",
        "line",
        "lldp",
        "logging",
        "mac",
        "management",
        "monitor",
        "no",
        "ntp",
        "policy-map",
        "port-channel",
        "privilege",
        "redundancy",
        "router",
        "route-map",
        "service",
        "snmp",
        "snmp-server",
        "spanning-tree",
        "ssh",
        "system",
        "tacacs",
        "tacacs-server",
        "radius",
        "radius-server",
        "udld",
        "username",
        "version",
        "vlan",
        "vrf",
        "vtp",
        "vpc",
        "hardware",
        "role",
        "rmon",
        "copp",
        "power",
        "call-home",
        "event",
        "errdisable-recovery",
        "transceiver",
        "mls",
        "qos",
        "authentication",
        "energywise",
        "vstack",
        "memory",
        "login",
        "track",
        "dhcp",
        "object-group",
        "port-security",
        "storm-control",
        "ptp",
        "flow",
        "macro",
        "template",
        "parameter-map",
        "table-map",
        "policy",
        "class",
        "sflow",
        "daemon",
        "queue-monitor",
        "transceiver-qsfp-default-mode",
        "agent",
        "terminal",
        "platform",
        "username",
        "cli",
        "event-handler",
        "schedule",
        "management",
        "ztp",
        "mlag",
        "peer",
        "ethernet",
        "dns-server",
        "dns",
        "virtual-router",
        "arp",
        "ipv4",
        "errdisable",
        "link-state",
        "install",
        "boot-start-marker",
        "boot-end-marker",
        "nv-overlay",
        "evpn",
        "fabric",
        "system",
        "tacacs+",
        "radius+",
        "ldap",
        "aaa-server",
        "username-role",
        "spanning",
        "rmon-event",
        "srr-queue",
        "wrr-queue",
        "mac-address-table",
        "diagnostic-bootup",
        "netconf",
        "netconf-yang",
        "restconf",
        "license-boot",
        "subscriber",
        "multilink",
        "hw-module",
        "table-map",
        "exception",
        "scheduler",
        "port-profile",
    ]
)

_KNOWN_TOP_JUNOS = frozenset(
    [
        "version",
        "system",
        "chassis",
        "services",
        "security",
        "interfaces",
        "snmp",
        "forwarding-options",
        "routing-options",
        "protocols",
        "policy-options",
        "class-of-service",
        "firewall",
        "vlans",
        "ethernet-switching-options",
        "switch-options",
        "poe",
        "virtual-chassis",
        "groups",
        "apply-groups",
        "routing-instances",
        "access",
        "event-options",
        "multi-chassis",
        "bridge-domains",
    ]
)


@dataclass(frozen=True, slots=True)
class InterfaceConfig:
    """One interface as its configuration states it (None = not stated: vendor default)."""

    name: str  # canonical long name (netutils)
    lines: tuple[str, ...] = ()  # its own configuration lines, for evidence
    shutdown: bool = False
    description: str = ""
    switchport: bool | None = None
    mode: str | None = None  # "access", "trunk", "dynamic", "routed"
    access_vlan: int | None = None
    native_vlan: int | None = None
    #: None = not stated (a trunk then carries every VLAN), () = none.
    allowed_vlans: tuple[int, ...] | None = None
    nonegotiate: bool = False
    bpduguard: bool | None = None
    edge: bool = False  # portfast / spanning-tree edge port
    storm_control: bool = False
    port_security: bool = False
    mac_limit: int | None = None
    dhcp_snooping_trust: bool = False
    arp_inspection_trust: bool = False
    ip_source_guard: bool = False
    ra_guard: bool = False
    dhcpv6_guard: bool = False
    cdp: bool | None = None
    lldp_transmit: bool | None = None
    has_ip: bool = False
    lag: str | None = None  # canonical LAG it is a member of
    is_lag: bool = False
    is_svi: bool = False

    @property
    def is_physical(self) -> bool:
        return not (
            self.is_lag
            or self.is_svi
            or self.name.lower().startswith(
                (
                    "loopback",
                    "vlan",
                    "mgmt",
                    "management",
                    "tunnel",
                    "nve",
                    "null",
                    "lo",
                    "irb",
                    "me0",
                    "em",
                    "fxp",
                    "vme",
                )
            )
        )


@dataclass(slots=True)
class SwitchConfig:
    """The hygiene-relevant content of one configuration of one device."""

    device: str
    platform: str
    source: str  # "show running-config", "napalm get_config running", ...
    path: str  # the artifact it was read from, relative to the device folder
    hostname: str = ""
    interfaces: dict[str, InterfaceConfig] = field(default_factory=dict)
    telnet: bool = False
    telnet_evidence: tuple[str, ...] = ()
    http_server: bool = False
    http_evidence: tuple[str, ...] = ()
    ssh_v2_only: bool = False
    aaa_new_model: bool = False
    aaa_servers: int = 0
    aaa_login_uses_servers: bool = False
    logging_hosts: tuple[str, ...] = ()
    ntp_servers: tuple[str, ...] = ()
    ntp_authenticate: bool = False
    banner: bool = False
    #: Per management line ("line vty 0 4", "management ssh" …): minutes, None = never.
    exec_timeouts: dict[str, float | None] = field(default_factory=dict)
    vtp_mode: str = "none"
    dhcp_snooping: bool = False
    dhcp_snooping_vlans: frozenset[int] = frozenset()
    arp_inspection_vlans: frozenset[int] = frozenset()
    ip_source_guard_vlans: frozenset[int] = frozenset()
    ra_guard_vlans: frozenset[int] = frozenset()
    #: VLANs whose DHCPv6 server messages are guarded VLAN-wide (IOS ``vlan configuration``
    #: with ``ipv6 dhcp guard``; Junos DHCPv6 snooping, which drops them on untrusted ports).
    dhcpv6_guard_vlans: frozenset[int] = frozenset()
    bpduguard_default: bool = False
    storm_control_default: bool = False
    cdp_run: bool = False
    lldp_run: bool = False
    vlan_ids: frozenset[int] = frozenset()
    vlan_names: dict[str, int] = field(default_factory=dict)
    unrecognized: tuple[str, ...] = ()
    facts: ConfigFacts | None = None
    #: Evidence that the device switches (switchport, VLAN, VTP or spanning-tree lines):
    #: an IOS router configuration has none, and L2-only rules (VTP) do not apply to it.
    is_switch: bool = True
    #: False when the text could not be read at all: rules must not judge defaults then.
    parsed: bool = True


# -- text normalisation -----------------------------------------------------------------------


#: Junos statements under ``dhcp-security`` (ELS) or ``secure-access-port vlan`` (legacy).
_JUNOS_SECURE_VLAN = frozenset(
    {"examine-dhcp", "examine-dhcpv6", "arp-inspection", "ip-source-guard"}
)
#: Statements that turn on DHCPv6 snooping for a VLAN (ELS: ND inspection and IPv6 source
#: guard enable it; legacy EX: examine-dhcpv6).
_JUNOS_DHCPV6 = frozenset(
    {
        "dhcpv6-options",
        "neighbor-discovery-inspection",
        "ipv6-source-guard",
        "ip6-source-guard",
        "examine-dhcpv6",
    }
)

_JUNOS_COMMENT = re.compile(r"\s*##.*$")
_JUNOS_LIST = re.compile(r"\[\s*([^\]]*?)\s*\]")


def _junos_set_lines(text: str) -> list[str]:
    """Junos hierarchical or ``set`` text → ``set`` lines; comments (``## SECRET-DATA``,
    ``## Last commit``) stripped, ``[ a b ]`` lists expanded to one line per member (the
    way ``show configuration | display set`` prints them)."""
    from hier_config import Platform, get_hconfig

    lines = [_JUNOS_COMMENT.sub("", line) for line in text.splitlines()]
    lines = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if any(line.startswith("set ") for line in lines):
        flat = [line.strip() for line in lines if line.startswith(("set ", "delete "))]
    else:
        config = get_hconfig(Platform.JUNIPER_JUNOS, "\n".join(lines))
        flat = [line.rstrip(";").strip() for line in config.dump_simple()]
    result: list[str] = []
    for line in flat:
        m = _JUNOS_LIST.search(line)
        if m:
            head, tail = line[: m.start()], line[m.end() :]
            result += [f"{head}{member}{tail}".strip() for member in m.group(1).split()]
        else:
            result.append(line)
    return result


def _strip_cli_capture(text: str) -> str:
    """Drop what a terminal capture adds around a config: the "Building configuration…"
    and "Current configuration" headers are harmless; prompt lines are not config."""
    import textwrap

    out = []
    for line in textwrap.dedent(text).splitlines():
        if re.match(r"^\S+[#>]\s*(show|more)\s", line):
            continue
        out.append(line.rstrip())
    return "\n".join(out)


_BANNER_START = re.compile(
    r"^banner\s+(motd|login|exec|incoming|slip-ppp)\b\s*(.*)$", re.IGNORECASE
)


def _lift_banners(text: str) -> tuple[str, int]:
    """Remove login/motd banners (any delimiter: ``^C``, ``#``, EOS's ``EOF`` line) before
    hier_config reads the text, and count them. Banner bodies are free text that tree parsers
    misread as commands, and a login banner's only hygiene question is whether it exists."""
    lines = text.splitlines()
    out: list[str] = []
    count = 0
    i = 0
    while i < len(lines):
        m = _BANNER_START.match(lines[i].strip())
        if not m:
            out.append(lines[i])
            i += 1
            continue
        count += 1
        rest = m.group(2)
        if not rest:  # EOS: body lines until a line "EOF"
            i += 1
            while i < len(lines) and lines[i].strip() != "EOF":
                i += 1
            i += 1
            continue
        delim = "^C" if rest.startswith("^C") else rest[0]
        body = rest[len(delim) :]
        if delim in body:  # one-line banner
            i += 1
            continue
        i += 1
        while i < len(lines) and delim not in lines[i]:
            i += 1
        i += 1
    return "\n".join(out), count


# -- helpers ---------------------------------------------------------------------------------


def canonical(name: str) -> str:
    from netutils.interface import canonical_interface_name

    return canonical_interface_name(name.strip())


def _vlans(text: str) -> list[int]:
    """A VLAN list (``1-998,1000-4094``) through netutils; empty on nonsense."""
    from netutils.vlan import vlanconfig_to_list

    text = text.strip().replace(" ", "")
    if not text or not re.fullmatch(r"[0-9,\-]+", text):
        return []
    try:
        values = vlanconfig_to_list(text)  # sorted
    except ValueError:
        return []
    if values and (values[0] < 1 or values[-1] > 4094):
        values = [v for v in values if 1 <= v <= 4094]
    return values


def apply_allowed(current: tuple[int, ...] | None, line: str) -> tuple[int, ...] | None:
    """Apply one ``switchport trunk allowed vlan …`` line to the current allowed list.

    >>> apply_allowed(None, "switchport trunk allowed vlan 10,20")
    (10, 20)
    >>> apply_allowed((10, 20), "switchport trunk allowed vlan add 30-31")
    (10, 20, 30, 31)
    >>> len(apply_allowed(None, "switchport trunk allowed vlan except 1,999"))
    4092
    >>> apply_allowed((10, 20), "switchport trunk allowed vlan remove 10")
    (20,)
    >>> apply_allowed(None, "switchport trunk allowed vlan none")
    ()
    """
    words = line.split()
    rest = words[4:]
    if not rest:
        return current
    verb = rest[0].lower()
    base = set(current if current is not None else ALL_VLANS)
    if verb == "all":
        return ALL_VLANS
    if verb == "none":
        return ()
    if verb == "add":
        return vlan_tuple(base | set(_vlans("".join(rest[1:]))))
    if verb == "remove":
        return vlan_tuple(base - set(_vlans("".join(rest[1:]))))
    if verb == "except":
        return vlan_tuple(set(ALL_VLANS) - set(_vlans("".join(rest[1:]))))
    values = _vlans("".join(rest))
    if len(values) == len(ALL_VLANS) and values[0] == 1:  # "1-4094": no set work
        return ALL_VLANS
    return vlan_tuple(values)


def _interface_names(text: str) -> list[str]:
    """``interface Gi1/0/1-3`` / ``interface range Gi1/0/1 - 3, Gi1/0/5`` → canonical names."""
    from netutils.interface import interface_range_expansion

    body = re.sub(r"^interface\s+(range\s+)?", "", text.strip(), flags=re.IGNORECASE)
    body = re.sub(r"\s*-\s*", "-", body)
    names: list[str] = []
    for raw_part in body.split(","):
        part = raw_part.strip()
        if not part:
            continue
        # "Gi1/0/1-3" (how IOS and NX-OS write ranges) → netutils' "Gi1/0/[1-3]"
        part = re.sub(r"(\d+)-(\d+)$", r"[\1-\2]", part)
        try:
            expanded = interface_range_expansion(part)
        except (ValueError, IndexError, TypeError):
            expanded = [part]
        names += [canonical(n) for n in expanded]
    return names


# -- Cisco-like (IOS, NX-OS, EOS) ------------------------------------------------------------


def _cisco_interface(name: str, children: list[str], platform: str) -> InterfaceConfig:
    d: dict[str, Any] = {"name": name, "lines": tuple(children)}
    allowed: tuple[int, ...] | None = None
    lower_name = name.lower()
    d["is_lag"] = lower_name.startswith("port-channel")
    d["is_svi"] = lower_name.startswith("vlan")
    for raw in children:
        line = " ".join(raw.split())
        low = line.lower()
        if low == "shutdown":
            d["shutdown"] = True
        elif low == "no shutdown":
            d["shutdown"] = False
        elif low.startswith("description "):
            d["description"] = line[len("description ") :]
        elif low == "no switchport":
            d["switchport"] = False
            d["mode"] = "routed"
        elif low == "switchport":
            d["switchport"] = True
        elif low.startswith("switchport mode "):
            mode = low.split()[2]
            d["switchport"] = True
            d["mode"] = {"access": "access", "trunk": "trunk"}.get(
                mode, "dynamic" if mode.startswith("dynamic") else mode
            )
        elif low.startswith("switchport access vlan "):
            d["access_vlan"] = _int(low.split()[3])
        elif low.startswith("switchport trunk native vlan ") and "tag" not in low.split()[4:5]:
            d["native_vlan"] = _int(low.split()[4])
        elif low.startswith("switchport trunk allowed vlan"):
            allowed = apply_allowed(allowed, low)
        elif low == "switchport nonegotiate":
            d["nonegotiate"] = True
        elif low.startswith("spanning-tree") and "bpduguard" in low.split():
            # "spanning-tree bpduguard enable", older "spanning-tree portfast bpduguard"
            d["bpduguard"] = "disable" not in low
            if "portfast" in low.split():
                d["edge"] = True
        elif (
            low.startswith(("spanning-tree portfast", "spanning-tree port type edge"))
            and "disable" not in low
        ):
            d["edge"] = True
        elif low.startswith("storm-control"):
            d["storm_control"] = True
        elif low == "switchport port-security" or low.startswith("switchport port-security "):
            if "maximum" in low and platform == "arista_eos":
                d["mac_limit"] = _int(low.split()[-1])
            d["port_security"] = True
            if low.startswith("switchport port-security maximum"):
                d["mac_limit"] = _int(low.split()[3])
        elif low.startswith(
            (
                "mac address-table limit",
                "mac-address-table limit",
                "switchport mac-address limit",
                "mac address limit",
            )
        ):
            nums = [int(w) for w in low.split() if w.isdigit()]
            d["mac_limit"] = nums[0] if nums else None
        elif low.startswith("ip dhcp snooping trust"):
            d["dhcp_snooping_trust"] = True
        elif low.startswith("ip arp inspection trust"):
            d["arp_inspection_trust"] = True
        elif low.startswith("ip verify source"):
            # IOS/EOS "ip verify source [port-security]", NX-OS "ip verify source
            # dhcp-snooping-vlan"; "ip verify unicast source" is uRPF, not source guard
            d["ip_source_guard"] = True
        elif low.startswith(("ipv6 nd raguard", "ipv6 nd ra guard")):
            d["ra_guard"] = True
        elif low.startswith("ipv6 dhcp guard"):
            d["dhcpv6_guard"] = True
        elif low == "no cdp enable":
            d["cdp"] = False
        elif low == "cdp enable":
            d["cdp"] = True
        elif low in ("no lldp transmit", "lldp transmit disable"):
            d["lldp_transmit"] = False
        elif low.startswith(("ip address ", "ipv6 address ")):
            d["has_ip"] = True
        elif low == "no ip address" and platform == "cisco_ios":
            d["routed_hint"] = True
        elif low.startswith(("channel-group ", "channel-group")):
            number = low.split()[1] if len(low.split()) > 1 else ""
            d["lag"] = f"Port-channel{number}"
    if allowed is not None:
        d["allowed_vlans"] = allowed
    if d.pop("routed_hint", False) and "switchport" not in d:
        # IOS routers (and routed ports) show "no ip address"; Catalyst L2 ports never do
        d["switchport"] = False
        d["mode"] = "routed"
    return InterfaceConfig(**d)


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _cisco_config(config: SwitchConfig, text: str) -> None:
    from hier_config import Platform, get_hconfig

    platform = config.platform
    defaults = DEFAULTS[platform]
    hplatform = {
        "cisco_ios": Platform.CISCO_IOS,
        "cisco_nxos": Platform.CISCO_NXOS,
        "arista_eos": Platform.ARISTA_EOS,
    }[platform]
    cleaned, banners = _lift_banners(_strip_cli_capture(text))
    try:
        tree = get_hconfig(hplatform, cleaned)
    except ValueError as exc:  # hier_config gives up on odd banners or indentation
        config.unrecognized = (f"(hier_config could not read the configuration: {exc})",)
        config.parsed = False
        return
    config.banner = banners > 0
    unrecognized: list[str] = []
    http = defaults.http_server
    http_evidence: list[str] = []
    telnet_lines: list[str] = []
    vty_seen = False
    ssh_v2 = defaults.ssh_v2_only
    cdp_run, lldp_run = defaults.cdp, defaults.lldp
    vtp = defaults.vtp_mode
    logging_hosts: list[str] = []
    ntp: list[str] = []
    aaa_servers = 0
    snooping_vlans: set[int] = set()
    dai_vlans: set[int] = set()
    fhs_ra: set[int] = set()
    fhs_dhcpv6: set[int] = set()
    vlan_ids: set[int] = set()
    timeouts: dict[str, float | None] = {}
    for child in tree.children:
        top = " ".join(child.text.split())
        low = top.lower()
        kids = [" ".join(c.text.split()) for c in child.all_children()]
        first = low.split()[0] if low.split() else ""
        if first == "interface":
            for name in _interface_names(top):
                config.interfaces[name] = _cisco_interface(name, kids, platform)
        elif first == "hostname":
            config.hostname = top.split()[1] if len(top.split()) > 1 else ""
        elif low.startswith("switchname "):
            config.hostname = top.split()[1]
        elif low.startswith("ip http server") or low.startswith("ip http secure-server"):
            if low == "ip http server":
                http = True
                http_evidence.append(top)
        elif low == "no ip http server":
            http = False
        elif low.startswith("nxapi http port") or (
            low.startswith("management api http-commands")
            and not any(k == "shutdown" for k in kids)
            and any(k.startswith("protocol http") and "https" not in k for k in kids)
        ):
            http = True
            http_evidence.append(top)
        elif low == "feature telnet":
            telnet_lines.append(top)
        elif low.startswith("management telnet") and "no shutdown" in kids:
            telnet_lines.append(f"{top} / no shutdown")
        elif (
            low.startswith("line vty")
            or low.startswith("line con")
            or low.startswith("line console")
        ):
            is_vty = low.startswith("line vty")
            vty_seen = vty_seen or is_vty
            transport = [k for k in kids if k.lower().startswith("transport input")]
            if is_vty and platform == "cisco_ios":
                if not transport and defaults.telnet and not _ios_xe_16_or_later(cleaned):
                    telnet_lines.append(f"{top} (no transport input: default all)")
                for t in transport:
                    words = t.lower().split()[2:]
                    if "telnet" in words or "all" in words:
                        telnet_lines.append(f"{top} / {t}")
            timeouts[top] = _exec_timeout(kids, defaults.exec_timeout)
        elif low.startswith("ip ssh version"):
            ssh_v2 = low.split()[-1] == "2"
        elif low.startswith("management ssh"):
            for k in kids:
                if k.lower().startswith("idle-timeout"):
                    timeouts[top] = _minutes(k.split()[1]) if len(k.split()) > 1 else None
            timeouts.setdefault(top, defaults.exec_timeout)
        elif low.startswith("aaa new-model"):
            config.aaa_new_model = True
        elif low.startswith("aaa authentication login") and ("group" in low.split()):
            config.aaa_login_uses_servers = True
        elif (
            re.match(r"^(tacacs-server|radius-server) host ", low)
            or re.match(r"^(tacacs|radius) server ", low)
            or re.match(r"^(tacacs-server|radius-server) host", low)
        ):
            aaa_servers += 1
        elif low.startswith(("aaa group server", "aaa server")):
            pass
        elif (
            low.startswith(("logging host ", "logging server "))
            or re.match(r"^logging (vrf \S+ )?\d+\.\d+\.\d+\.\d+", low)
            or low.startswith("logging vrf")
        ):
            logging_hosts.append(top)
        elif low.startswith(("ntp server ", "ntp peer ")):
            ntp.append(top)
        elif low.startswith("ntp authenticate"):
            config.ntp_authenticate = True
        elif first == "banner":
            pass  # lifted out before parsing (see _lift_banners)
        elif low.startswith("vtp mode "):
            vtp = low.split()[2]
        elif low == "feature vtp":
            vtp = "server"
        elif low in ("ip dhcp snooping", "feature dhcp"):
            config.dhcp_snooping = True if low == "ip dhcp snooping" else config.dhcp_snooping
        elif low.startswith("ip dhcp snooping vlan "):
            snooping_vlans |= set(_vlans(low.split()[4] if len(low.split()) > 4 else ""))
        elif low.startswith("ip arp inspection vlan "):
            dai_vlans |= set(_vlans(low.split()[4] if len(low.split()) > 4 else ""))
        elif low.startswith(
            (
                "spanning-tree portfast bpduguard default",
                "spanning-tree port type edge bpduguard default",
                "spanning-tree edge-port bpduguard default",
            )
        ):
            config.bpduguard_default = True
        elif low in ("no cdp run", "no cdp enable"):
            cdp_run = False
        elif low in ("cdp run", "cdp enable", "feature cdp"):
            cdp_run = True
        elif low in ("lldp run", "feature lldp"):
            lldp_run = True
        elif low in ("no lldp run", "no feature lldp"):
            lldp_run = False
        elif low.startswith("vlan configuration "):
            # IOS first-hop security per VLAN: vlan configuration 100 / ipv6 nd raguard
            # attach-policy P, ipv6 dhcp guard attach-policy P
            fhs_ids = set(_vlans(low.split()[2]))
            if any(k.lower().startswith(("ipv6 nd raguard", "ipv6 nd ra guard")) for k in kids):
                fhs_ra |= fhs_ids
            if any(k.lower().startswith("ipv6 dhcp guard") for k in kids):
                fhs_dhcpv6 |= fhs_ids
        elif first == "vlan":
            ids = _vlans(" ".join(low.split()[1:2]))
            vlan_ids.update(ids)
            names = [k.split(None, 1)[1] for k in kids if k.lower().startswith("name ")]
            if len(ids) == 1 and names:
                config.vlan_names[names[0]] = ids[0]
        elif (
            first in _KNOWN_TOP_IOS
            or first.startswith(("!", "#"))
            or low.startswith(
                (
                    "current configuration",
                    "building configuration",
                    "last configuration",
                    "nvram config",
                    "command:",
                    "time:",
                    "startup-config",
                    "! ",
                )
            )
        ):
            pass
        else:
            unrecognized.append(top)
    if (
        platform == "cisco_ios"
        and not vty_seen
        and defaults.telnet
        and not _ios_xe_16_or_later(cleaned)
    ):
        telnet_lines.append("(no line vty section: vendor default transport input all)")
    config.telnet = bool(telnet_lines)
    config.telnet_evidence = tuple(telnet_lines)
    config.http_server = http
    config.http_evidence = tuple(http_evidence) or (
        ("(no ip http server line: vendor default on)",) if http else ()
    )
    config.ssh_v2_only = ssh_v2
    config.cdp_run, config.lldp_run = cdp_run, lldp_run
    config.vtp_mode = vtp
    config.is_switch = (
        platform != "cisco_ios"
        or bool(vlan_ids)
        or any(
            i.switchport or i.mode in ("access", "trunk", "dynamic")
            for i in config.interfaces.values()
        )
        or any(c.text.lower().startswith("vtp ") for c in tree.children)
    )
    config.logging_hosts = tuple(logging_hosts)
    config.ntp_servers = tuple(ntp)
    config.aaa_servers = aaa_servers
    config.dhcp_snooping_vlans = frozenset(snooping_vlans) if config.dhcp_snooping else frozenset()
    config.arp_inspection_vlans = frozenset(dai_vlans)
    config.ra_guard_vlans = frozenset(fhs_ra)
    config.dhcpv6_guard_vlans = frozenset(fhs_dhcpv6)
    config.vlan_ids = frozenset(vlan_ids)
    if not timeouts and platform == "cisco_ios":
        timeouts["line vty (not configured)"] = defaults.exec_timeout
    config.exec_timeouts = timeouts
    config.unrecognized = tuple(unrecognized)


def _ios_xe_16_or_later(text: str) -> bool:
    """IOS XE 16 and later no longer accept telnet on vty lines without "transport input"
    (classic IOS 12.x / 15.x did: "transport input all"); the version line tells them apart
    (read from the text: hier_config drops it)."""
    m = re.search(r"^version (\d+)\.", text, re.MULTILINE)
    return m is not None and int(m.group(1)) >= 16


def _minutes(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value > 0 else None


def _exec_timeout(kids: Iterable[str], default: float | None) -> float | None:
    for k in kids:
        words = k.lower().split()
        if words[:1] == ["exec-timeout"] and len(words) >= 2:
            minutes = float(words[1]) if words[1].isdigit() else 0.0
            seconds = float(words[2]) if len(words) > 2 and words[2].isdigit() else 0.0
            total = minutes + seconds / 60
            return total if total > 0 else None
        if words == ["no", "exec-timeout"]:
            return None
        if words[:1] == ["session-timeout"] and len(words) >= 2 and words[1].isdigit():
            return float(words[1]) or None
    return default


# -- Junos ----------------------------------------------------------------------------------


def _junos_config(config: SwitchConfig, text: str) -> None:
    lines = _junos_set_lines(text)
    vlan_names: dict[str, int] = {}
    for line in lines:
        m = re.match(r"^set vlans (\S+) vlan-id (\d+)", line)
        if m:
            vlan_names[m.group(1)] = int(m.group(2))
    config.vlan_names = vlan_names
    config.vlan_ids = frozenset(vlan_names.values())
    per_if: dict[str, list[str]] = {}
    unrecognized: list[str] = []
    telnet: list[str] = []
    http: list[str] = []
    syslog: list[str] = []
    ntp: list[str] = []
    aaa = 0
    snooping: set[int] = set()
    dai: set[int] = set()
    ipsg: set[int] = set()
    dhcpv6: set[int] = set()
    trusted_ports: set[str] = set()
    trusted_groups: set[str] = set()
    untrusted_groups: set[str] = set()
    group_ports: dict[str, set[str]] = {}
    ra_ports: set[str] = set()
    ra_trusted: set[str] = set()
    ra_vlans: set[int] = set()
    edge_ports: set[str] = set()
    bpdu_block: set[str] = set()
    storm_ports: set[str] = set()
    mac_limits: dict[str, int] = {}
    lldp_disabled: set[str] = set()
    timeouts: dict[str, float | None] = {}

    def vid(token: str) -> int | None:
        return int(token) if token.isdigit() else vlan_names.get(token)

    for line in lines:
        words = line.split()
        if len(words) < 2:
            continue
        section = words[1]
        if section not in _KNOWN_TOP_JUNOS:
            unrecognized.append(line)
            continue
        rest = " ".join(words[1:])
        if rest.startswith("interfaces ") and len(words) > 2:
            name = words[2]
            if name in ("interface-range",):
                unrecognized.append(line)
                continue
            per_if.setdefault(name, []).append(" ".join(words[3:]))
        elif rest.startswith("system host-name "):
            config.hostname = words[3].strip('"')
        elif rest.startswith("system services telnet"):
            telnet.append(line)
        elif rest.startswith("system services web-management http") and "https" not in words[4:5]:
            http.append(line)
        elif rest.startswith("system services ssh protocol-version") and "v1" in words:
            config.ssh_v2_only = False
        elif rest.startswith("system syslog host "):
            if words[4] not in [s.split()[4] for s in syslog]:
                syslog.append(line)
        elif rest.startswith("system ntp server "):
            ntp.append(line)
        elif rest.startswith("system ntp trusted-key") or (
            rest.startswith("system ntp server ") and " key " in f" {rest} "
        ):
            config.ntp_authenticate = True
        elif rest.startswith(("system tacplus-server ", "system radius-server ")):
            if len(words) == 4 or words[4] in ("secret", "port", "source-address"):
                aaa += 1 if len(words) == 4 or words[4] == "secret" else 0
        elif rest.startswith("system authentication-order") and (
            "tacplus" in words or "radius" in words
        ):
            config.aaa_login_uses_servers = True
        elif rest.startswith(("system login message", "system login announcement")):
            config.banner = True
        elif rest.startswith("system login class ") and "idle-timeout" in words:
            timeouts[f"login class {words[4]}"] = _minutes(words[-1])
        elif (rest.startswith("vlans ") and "dhcp-security" in words) or (
            rest.startswith("ethernet-switching-options secure-access-port vlan ")
            and _JUNOS_SECURE_VLAN.intersection(words)
        ):
            name = words[2] if rest.startswith("vlans ") else words[4]
            target = vid(name) if name != "all" else None
            vlans = set(config.vlan_ids) if name == "all" else ({target} if target else set())
            if "group" in words:
                # ELS: "dhcp-security group G overrides trusted|untrusted" and
                # "dhcp-security group G interface ge-0/0/1.0" (trust is kept per port)
                group = words[words.index("group") + 1] if words[-1] != "group" else ""
                overrides = words[words.index("overrides") + 1 :] if "overrides" in words else []
                if "trusted" in overrides:
                    trusted_groups.add(group)
                elif "untrusted" in overrides:
                    untrusted_groups.add(group)
                if "interface" in words and words.index("interface") + 1 < len(words):
                    base = words[words.index("interface") + 1].split(".", maxsplit=1)[0]
                    group_ports.setdefault(group, set()).add(base)
                snooping |= vlans  # any dhcp-security stanza turns snooping on (ELS)
                continue
            # DHCP snooping is on for the VLAN with any dhcp-security statement (ELS) or
            # examine-dhcp (legacy); DAI and source guard imply it
            if "examine-dhcpv6" not in words:
                snooping |= vlans
            if "arp-inspection" in words:
                dai |= vlans
            elif "ip-source-guard" in words:
                ipsg |= vlans
            if _JUNOS_DHCPV6.intersection(words):
                dhcpv6 |= vlans
        elif rest.startswith("forwarding-options access-security router-advertisement-guard "):
            # ELS RA guard: "... interface ge-0/0/1.0 policy P" or "mark-interface block"
            # (an interface marked trusted is not guarded), "... vlans|vlan V policy P"
            after = words[4:]
            if after[:1] == ["interface"] and len(after) > 2:
                base = after[1].split(".", maxsplit=1)[0]
                if "trusted" in after:
                    ra_trusted.add(base)
                elif "policy" in after or "block" in after:
                    ra_ports.add(base)
            elif after[:1] in (["vlans"], ["vlan"]) and len(after) > 2 and "policy" in after:
                if after[1] == "all":
                    ra_vlans |= set(config.vlan_ids)
                else:
                    target = vid(after[1])
                    if target:
                        ra_vlans.add(target)
        elif (
            rest.startswith("ethernet-switching-options secure-access-port interface ")
            and "dhcp-trusted" in words
        ):
            trusted_ports.add(words[4])
        elif rest.startswith(
            (
                "ethernet-switching-options secure-access-port interface ",
                "switch-options interface ",
            )
        ) and "mac-limit" in " ".join(words):
            nums = [int(w) for w in words if w.isdigit()]
            if nums:
                mac_limits[words[4] if "secure-access-port" in words else words[3]] = nums[0]
        elif (
            rest.startswith(
                (
                    "protocols rstp interface ",
                    "protocols mstp interface ",
                    "protocols stp interface ",
                )
            )
            and "edge" in words
        ):
            edge_ports.add(words[4])
        elif rest.startswith(
            ("protocols rstp bpdu-block-on-edge", "protocols mstp bpdu-block-on-edge")
        ):
            config.bpduguard_default = True
        elif rest.startswith("protocols layer2-control bpdu-block interface "):
            bpdu_block.add(words[5])
        elif rest.startswith("ethernet-switching-options bpdu-block interface "):
            bpdu_block.add(words[4])
        elif rest.startswith("ethernet-switching-options storm-control interface all") or (
            rest.startswith("forwarding-options storm-control-profiles")
        ):
            config.storm_control_default = True
        elif rest.startswith("ethernet-switching-options storm-control interface "):
            storm_ports.add(words[4])
        elif rest.startswith("protocols lldp"):
            config.lldp_run = True
            if "interface" in words and "disable" in words:
                lldp_disabled.add(words[words.index("interface") + 1])
            elif words[-1] == "disable" and "interface" not in words:
                config.lldp_run = False
    config.telnet = bool(telnet)
    config.telnet_evidence = tuple(telnet)
    config.http_server = bool(http)
    config.http_evidence = tuple(http)
    if not any(line.startswith("set system services ssh protocol-version v1") for line in lines):
        config.ssh_v2_only = True
    config.logging_hosts = tuple(syslog)
    config.ntp_servers = tuple(ntp)
    config.aaa_servers = aaa
    config.aaa_new_model = config.aaa_login_uses_servers
    config.dhcp_snooping = bool(snooping)
    config.dhcp_snooping_vlans = frozenset(snooping)
    config.arp_inspection_vlans = frozenset(dai)
    config.ip_source_guard_vlans = frozenset(ipsg)
    config.dhcpv6_guard_vlans = frozenset(dhcpv6)
    config.ra_guard_vlans = frozenset(ra_vlans)
    for group in trusted_groups:
        trusted_ports |= group_ports.get(group, set())
    untrusted_ports = set().union(*(group_ports.get(g, set()) for g in untrusted_groups))
    config.exec_timeouts = timeouts or {"system login (no idle-timeout)": None}
    config.vtp_mode = "none"
    config.unrecognized = tuple(unrecognized)
    for name, sub in per_if.items():
        config.interfaces[canonical(name)] = _junos_interface(
            canonical(name),
            name,
            sub,
            vid,
            trusted_ports,
            untrusted_ports,
            ra_ports - ra_trusted,
            edge_ports,
            bpdu_block,
            storm_ports,
            mac_limits,
            lldp_disabled,
            config.storm_control_default,
        )


def _junos_interface(
    name: str,
    raw_name: str,
    sub: list[str],
    vid: Any,
    trusted: set[str],
    untrusted: set[str],
    ra_guarded: set[str],
    edge: set[str],
    bpdu_block: set[str],
    storm: set[str],
    mac_limits: dict[str, int],
    lldp_off: set[str],
    storm_default: bool,
) -> InterfaceConfig:
    d: dict[str, Any] = {"name": name, "lines": tuple(f"{raw_name} {s}" for s in sub)}
    members: set[int] = set()
    all_members = False
    base = raw_name.split(".", maxsplit=1)[0]
    for line in sub:
        words = line.split()
        if words == ["disable"]:
            d["shutdown"] = True
        elif words[:1] == ["description"]:
            d["description"] = " ".join(words[1:]).strip('"')
        elif "family" in words and "ethernet-switching" in words:
            d["switchport"] = True
            if "interface-mode" in words or "port-mode" in words:
                d["mode"] = words[-1]
            if "members" in words:
                token = words[-1]
                if token == "all":  # noqa: S105 - a VLAN keyword, not a password
                    all_members = True
                elif "-" in token and all(p.isdigit() for p in token.split("-")):
                    members |= set(_vlans(token))
                else:
                    v = vid(token)
                    if v:
                        members.add(v)
            if "storm-control" in words:
                d["storm_control"] = True
        elif words[:1] == ["native-vlan-id"] and len(words) > 1:
            d["native_vlan"] = vid(words[1])
        elif "family" in words and "inet" in words[:3] + words[2:4] and "address" in words:
            d["has_ip"] = True
        elif words[:2] == ["ether-options", "802.3ad"] or words[:1] == ["gigether-options"]:
            d["lag"] = canonical(words[-1]) if words[-1].startswith("ae") else None
        elif words[:2] == ["aggregated-ether-options", "lacp"]:
            d["is_lag"] = True
    if raw_name.startswith("ae"):
        d["is_lag"] = True
    if raw_name.startswith(("irb", "vlan")):
        d["is_svi"] = True
    mode = d.get("mode")
    if d.get("switchport"):
        if mode is None:
            d["mode"] = "access"
        if d["mode"] == "trunk":
            d["allowed_vlans"] = ALL_VLANS if all_members else vlan_tuple(members)
        elif members:
            d["access_vlan"] = min(members)
    # Junos trusts trunk ports for DHCP snooping by default and distrusts access ports
    # ("group … overrides untrusted" changes that); a trusted port is also exempt from
    # DHCPv6 snooping, DAI and IP source guard
    d["dhcp_snooping_trust"] = base in trusted or (
        d.get("mode") == "trunk" and base not in untrusted
    )
    d["ra_guard"] = base in ra_guarded
    d["edge"] = base in edge or "all" in edge
    d["bpduguard"] = True if (base in bpdu_block) else None
    d["storm_control"] = d.get("storm_control", False) or base in storm or storm_default
    if base in mac_limits:
        d["mac_limit"] = mac_limits[base]
    d["lldp_transmit"] = False if base in lldp_off else None
    return InterfaceConfig(**d)


# -- entry points ---------------------------------------------------------------------------


def parse_config(
    device: str, platform: str, text: str, *, source: str = "show running-config", path: str = ""
) -> SwitchConfig:
    """Parse one configuration. Raises :class:`UnknownPlatformError` for other platforms."""
    if platform not in DEFAULTS:
        from xsfabric.platforms import template_platform

        platform = template_platform(platform)  # cisco_xe, eos, junos … as netutils maps them
    if platform not in DEFAULTS:
        raise UnknownPlatformError(
            f"{device}: platform {platform!r} has no configuration model (known: "
            f"{', '.join(PLATFORMS)})"
        )
    config = SwitchConfig(device=device, platform=platform, source=source, path=path)
    if platform == "juniper_junos":
        _junos_config(config, text)
    else:
        _cisco_config(config, text)
    return config


#: Snapshot files holding configurations, in preference order (running first).
CONFIG_FILES: tuple[tuple[str, str], ...] = (
    ("show running-config", "show running-config.txt"),
    ("show configuration", "show configuration.txt"),
    ("show configuration | display set", "show configuration | display set.txt"),
    ("show startup-config", "show startup-config.txt"),
)


def read_config_facts(device_dir: Path) -> dict[str, ConfigFacts]:
    """The config facts stored beside a device's configurations (derived from the unredacted
    text at collection), per configuration source; {} when there are none or unreadable."""
    facts_path = device_dir / FILE_NAME
    if facts_path.is_file():
        try:
            return read_facts_document(json.loads(facts_path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return {}
    return {}


def load_device_configs(device_dir: Path, device: str, platform: str | None) -> list[SwitchConfig]:
    """Every configuration stored for one device (CLI files, NAPALM ``get_config``), parsed,
    with the stored config facts attached. Pure apart from reading the files."""
    facts = read_config_facts(device_dir)
    configs = parse_device_configs(device_dir, device, platform)
    for config in configs:
        config.facts = facts.get(config.source)
    return configs


def parse_device_configs(device_dir: Path, device: str, platform: str | None) -> list[SwitchConfig]:
    """:func:`load_device_configs` without the config facts: what depends on the raw
    captures only, so the facts store can keep it (see :func:`xsfabric.switch.facts_store.
    load_configs`)."""
    if platform is None or platform not in DEFAULTS:
        return []
    from xsfabric.switch.cli_parse import Captures, clean_capture

    captures = Captures(device_dir)
    configs: list[SwitchConfig] = []
    seen: set[Path] = set()
    for source, _file_name in CONFIG_FILES:
        found = captures.find(source)  # exact, else as typed ("sh run")
        if found is None or found[1] in seen:
            continue
        saved, path = found
        seen.add(path)
        text = clean_capture(path.read_text(encoding="utf-8", errors="replace"), saved)
        if text.strip():
            configs.append(parse_config(device, platform, text, source=source, path=path.name))
    napalm = device_dir / "napalm" / "get_config.json"
    if napalm.is_file():
        try:
            doc = json.loads(napalm.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            doc = None
        if isinstance(doc, dict):
            for key in NAPALM_CONFIG_KEYS:
                value = doc.get(key)
                if isinstance(value, str) and value.strip():
                    source = f"napalm get_config {key}"
                    configs.append(
                        parse_config(
                            device, platform, value, source=source, path="napalm/get_config.json"
                        )
                    )
    return configs


def running_config(configs: list[SwitchConfig]) -> SwitchConfig | None:
    """The configuration hygiene rules audit: the running one (CLI, else NAPALM)."""
    for config in configs:
        if "startup" not in config.source and "candidate" not in config.source:
            return config
    return None
