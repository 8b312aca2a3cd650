"""CLI parsing: raw ``show`` outputs → normalized switch records, through TextFSM.

Lookup works the way ntc-templates' own does (``textfsm.clitable`` over an ``index`` file):
xsfabric's templates (``xsfabric/templates/index``, the same folder as the top-level
``templates/`` of a source checkout) are tried first, then ntc-templates'. A capture that no
template can parse becomes a :class:`ParseWarning` naming the device, the command and the input
line, and the table it would have given is "not available" (``None``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from netutils.mac import is_valid_mac
from netutils.vlan import vlanconfig_to_list

from xsfabric.names import canonical_interface, normalize_mac, short_interface
from xsfabric.snapshot import command_from_filename
from xsfabric.switch.cli_errors import command_error
from xsfabric.switch.model import (
    ALL_VLANS,
    CollectionMethod,
    DeviceFacts,
    FdbEntry,
    FdbEntryType,
    LldpNeighbor,
    ParseWarning,
    PortMode,
    SwitchFacts,
    SwitchPort,
    Vlan,
    vlan_tuple,
)

Row = dict[str, Any]


class TemplateError(Exception):
    """A capture that the matching template rejects (or no template matches)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(message)


def own_template_dir() -> Path:
    """xsfabric's templates: package data, found the same way in a checkout and a wheel."""
    return Path(str(resources.files("xsfabric") / "templates"))


def ntc_template_dir() -> Path:
    import ntc_templates

    return Path(ntc_templates.__file__).parent / "templates"


_lock = threading.Lock()


@cache
def _cli_table(template_dir: str) -> Any:
    from textfsm import clitable

    return clitable.CliTable("index", template_dir)


def parse_output(platform: str, command: str, text: str) -> list[Row]:
    """Parse one capture with the first template whose index row matches; lowercase keys."""
    from textfsm import clitable
    from textfsm.parser import TextFSMError

    attributes = {"Command": command, "Platform": platform}
    last_error: Exception | None = None
    for folder in (own_template_dir(), ntc_template_dir()):
        if not (folder / "index").is_file():
            continue
        with _lock:  # CliTable keeps per-parse state
            table = _cli_table(str(folder))
            try:
                table.ParseCmd(text, attributes)
            except clitable.CliTableError as exc:
                last_error = exc
                continue
            except TextFSMError as exc:
                raise TemplateError(str(exc).splitlines()[0], _input_line(str(exc), text)) \
                    from exc
            header = [h.lower() for h in table.header]
            return [dict(zip(header, row, strict=True)) for row in table]
    raise TemplateError(f"no TextFSM template for {platform} {command!r}"
                        + (f" ({last_error})" if last_error else ""))


#: How many unparseable lines one capture may skip before the table is given up.
MAX_SKIPPED_LINES = 20


def parse_output_skipping(platform: str, command: str, text: str,
                          skipped: list[tuple[int | None, str]]) -> list[Row]:
    """:func:`parse_output`, but a line the template rejects (its ``Error`` action) costs
    that line, not the table: the line is dropped, recorded in ``skipped`` as (line number,
    message quoting it), and the rest is parsed again. More than :data:`MAX_SKIPPED_LINES`
    such lines, or an error that names no line, still fail the whole capture."""
    lines = text.splitlines(keepends=True)
    numbers = list(range(1, len(lines) + 1))
    while True:
        try:
            return parse_output(platform, command, "".join(lines))
        except TemplateError as exc:
            if exc.line is None or len(skipped) >= MAX_SKIPPED_LINES or exc.line > len(lines):
                if exc.line is not None and exc.line <= len(numbers):
                    exc.line = numbers[exc.line - 1]
                raise
            index = exc.line - 1
            bad = lines[index].rstrip("\r\n")
            skipped.append((numbers[index], f"row skipped, the template rejects it: {bad!r}"))
            del lines[index], numbers[index]


def _input_line(message: str, text: str) -> int | None:
    """TextFSM names the offending input line by content; find its number."""
    match = re.search(r"Input Line: (.*)$", message, re.M)
    if not match:
        return None
    wanted = match.group(1).strip()
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == wanted:
            return number
    return None


# -- value normalization -----------------------------------------------------------------------

def is_fdb_port(port: str) -> bool:
    """False for the CPU, supervisor and router pseudo-ports MAC tables list."""
    text = port.strip().lower()
    return bool(text) and not (text in ("cpu", "drop", "router", "switch")
                               or text.startswith(("sup-", "router"))
                               or text.endswith("(r)"))


def vlan_ranges(values: list[str] | str) -> tuple[int, ...] | None:
    """``["10", "20-22"]`` or ``"10,20-22"`` → ``(10, 20, 21, 22)`` (netutils reads the
    ranges); ``ALL`` → :data:`ALL_VLANS`; ``NONE`` → ``()``; text that is no VLAN list → None
    (not known)."""
    text = ",".join(values) if isinstance(values, list) else values
    text = text.strip().strip(",")
    if text.upper() == "ALL":
        return ALL_VLANS
    if text.upper() in ("", "NONE"):
        return ()
    if not re.fullmatch(r"\d+(?:-\d+)?(?:\s*,\s*\d+(?:-\d+)?)*", text):
        return None
    return vlan_tuple(v for v in vlanconfig_to_list(text.replace(" ", "")) if 1 <= v <= 4094)


def speed_from_bandwidth(text: str) -> int | None:
    """``"1000000 Kbit"`` → 1000 (Mb/s)."""
    match = re.match(r"(\d+)\s*(\w*)", text or "")
    if not match:
        return None
    value, unit = int(match.group(1)), match.group(2).lower()
    if unit.startswith("kb"):
        return value // 1000
    if unit.startswith("gb"):
        return value * 1000
    return value


CAPABILITIES = {"B": "bridge", "R": "router", "S": "station", "T": "telephone",
                "W": "wlan-access-point", "P": "repeater", "C": "docsis-cable-device",
                "O": "other"}


def capabilities(text: str) -> tuple[str, ...]:
    words = [w.strip() for w in re.split(r"[,\s]+", text or "") if w.strip()]
    return tuple(sorted({CAPABILITIES.get(w.upper(), w.lower()) for w in words}))


#: LLDP id subtypes as the CLIs print them (``MAC address (4)``, ``Mac address``,
#: ``Locally assigned`` …) → the names the SNMP method gives (LLDP-MIB's enumerations).
SUBTYPES = {"mac address": "mac", "locally assigned": "local", "local": "local",
            "interface name": "interface-name", "interface alias": "interface-alias",
            "network address": "network-address", "chassis component": "chassis-component",
            "port component": "port-component", "agent circuit id": "agent-circuit-id"}


def subtype(text: str) -> str | None:
    """``"MAC address (4)"`` → ``"mac"``; empty or unknown → None (not available)."""
    key = re.sub(r"\s*\(\d+\)\s*$", "", text or "").strip().lower()
    return SUBTYPES.get(key)


def unit_port(name: str) -> str:
    """Junos logical unit 0 → its physical port (``ge-0/0/1.0`` → ``ge-0/0/1``)."""
    name = name.strip()
    if name.endswith(".0") and name.startswith(("ge-", "xe-", "et-", "mge-", "ae")):
        return name.removesuffix(".0")
    return name


# -- per-platform command sets ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CommandSet:
    """Which stored command gives which table, per platform."""

    version: str
    interfaces: str
    switchport: str
    lag: str
    vlans: str
    macs: str
    lldp: str
    #: MLAG / vPC state, where the platform has it: the peer link comes from it.
    peer_link: str | None = None
    #: Chassis inventory, where ``version`` lacks the serial number.
    hardware: str | None = None
    #: LLDP summary, where the detail output of older releases lacks the local port.
    lldp_summary: str | None = None


COMMAND_SETS: dict[str, CommandSet] = {
    "cisco_ios": CommandSet("show version", "show interfaces", "show interfaces switchport",
                            "show etherchannel summary", "show vlan", "show mac address-table",
                            "show lldp neighbors detail", lldp_summary="show lldp neighbors"),
    "cisco_nxos": CommandSet("show version", "show interface", "show interface switchport",
                             "show port-channel summary", "show vlan", "show mac address-table",
                             "show lldp neighbors detail", peer_link="show vpc"),
    "arista_eos": CommandSet("show version", "show interfaces status",
                             "show interfaces switchport", "show port-channel summary",
                             "show vlan", "show mac address-table",
                             "show lldp neighbors detail", peer_link="show mlag"),
    "juniper_junos": CommandSet("show version", "show interfaces",
                                "show ethernet-switching interfaces", "show lacp interfaces",
                                "show vlans", "show ethernet-switching table",
                                "show lldp neighbors detail", hardware="show chassis hardware"),
}


#: What users save instead of the command xsfabric sends (older syntax, the ``brief`` or
#: ``dynamic`` forms). Abbreviations (``sh mac add``) are matched word by word on top of these.
ALTERNATIVE_COMMANDS: dict[str, tuple[str, ...]] = {
    "show mac address-table": ("show mac-address-table", "show mac address-table dynamic",
                               "show mac-address-table dynamic"),
    "show vlan": ("show vlan brief",),
    "show interfaces switchport": ("show interface switchport",),
    "show interface switchport": ("show interfaces switchport",),
    "show interface": ("show interfaces",),
    "show interfaces": ("show interface",),
    "show lldp neighbors detail": ("show lldp neighbor detail",),
    "show ethernet-switching table": ("show ethernet-switching table brief",),
}


def abbreviates(saved: str, full: str) -> bool:
    """True when ``saved`` is ``full`` with words shortened, as a CLI accepts them.

    >>> abbreviates("sh mac address-table", "show mac address-table")
    True
    >>> abbreviates("sh int", "show interfaces status")
    False
    """
    saved_words, full_words = saved.lower().split(), full.lower().split()
    return len(saved_words) == len(full_words) and all(
        f.startswith(s) for s, f in zip(saved_words, full_words, strict=True))


#: A CLI prompt as terminals save it: ``sw1#``, ``sw1(config)#``, ``sw1>``, ``admin@ex1>``.
_PROMPT = r"[\w.:/@-]+(?:\([\w.-]+\))?[#>]"
_BARE_PROMPT = re.compile(rf"^\s*{_PROMPT}\s*$")
#: Junos prints the routing-engine state around its prompt.
_JUNOS_BANNER = re.compile(r"^\s*\{(?:master|backup|primary|secondary|linecard)[^}]*\}\s*$")
#: ``--More--`` / ``-- More --`` pager residue, the backspaces that erase it, ANSI escapes.
_PAGER = re.compile(r"[ \t]*-+ ?\(?more\b[^\n]*?\)? ?-+[ \t]*|\x08+[ \t]*\x08*|"
                    r"\x1b\[[0-9;]*[A-Za-z]", re.I)


def clean_capture(text: str, command: str) -> str:
    """Undo what a terminal adds to a saved capture: CRLF line ends, the prompt-and-command
    echo at the top, the bare prompt (and Junos' ``{master:0}``) at the end, ``--More--``
    pager residue and the backspaces that erase it. A template then sees only the command's
    own output; a capture without any of these is returned unchanged.
    """
    lines = _PAGER.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    words = command.lower().split()
    for index, line in enumerate(lines[:3]):
        match = re.match(rf"^\s*{_PROMPT}\s*(\S.*)$", line)
        said = match.group(1).lower().split() if match else []
        if said and len(said) >= len(words) and all(
                w.startswith(s) for s, w in zip(said, words, strict=False)):
            lines = lines[index + 1:]
            break
    if lines and _JUNOS_BANNER.match(lines[0]):
        lines = lines[1:]
    if any(_BARE_PROMPT.match(line) for line in lines[-3:]):
        while lines and (not lines[-1].strip() or _BARE_PROMPT.match(lines[-1])
                         or _JUNOS_BANNER.match(lines[-1])):
            lines.pop()
        lines.append("")
    return "\n".join(lines)


class Captures:
    """The ``<command>.txt`` files of one device folder, found by the command they hold."""

    def __init__(self, device_dir: Path) -> None:
        self.by_command = {command_from_filename(p.name).strip(): p
                           for p in sorted(device_dir.glob("*.txt"))}

    def find(self, command: str) -> tuple[str, Path] | None:
        """The capture for ``command``: exact, then a known alternative, then an
        abbreviation of either. Returns the saved command and its file."""
        wanted = (command, *ALTERNATIVE_COMMANDS.get(command, ()))
        for candidate in wanted:
            if candidate in self.by_command:
                return candidate, self.by_command[candidate]
        for saved, path in self.by_command.items():
            if any(abbreviates(saved, candidate) for candidate in wanted):
                return saved, path
        return None


# -- table builders (pure, one per table; rows are TextFSM rows with lowercase keys) --------

def facts_from_version(platform: str, rows: list[Row], device: str) -> DeviceFacts:
    row = rows[0] if rows else {}

    def first(*keys: str) -> str | None:
        for key in keys:
            value = row.get(key)
            if isinstance(value, list):
                value = value[0] if value else None
            if value:
                return str(value).strip()
        return None

    vendor = {"cisco_ios": "Cisco", "cisco_nxos": "Cisco", "arista_eos": "Arista",
              "juniper_junos": "Juniper"}.get(platform)
    model = first("hardware", "platform", "model")
    if model and platform == "juniper_junos":
        model = model.upper()  # "Model: ex4300-24t"; the chassis and NAPALM say EX4300-24T
    return DeviceFacts(
        hostname=first("hostname") or device, vendor=vendor, model=model,
        os_version=first("version", "os", "image", "junos_version"),
        serial=first("serial", "serial_number"))


def chassis_serial(rows: list[Row]) -> str | None:
    """Junos ``show chassis hardware``: the serial number of the Chassis row."""
    for row in rows:
        serial = str(row.get("chassis_serial_number") or "").strip()
        if serial:
            return serial
    return None


def fdb_from_rows(rows: list[Row], vlan_tags: dict[str, int] | None = None) -> list[FdbEntry]:
    """MAC table rows of any platform; CPU/router/supervisor entries are not ports.

    Junos prints VLAN names, not tags: ``vlan_tags`` (name → tag, from ``show vlans``)
    resolves them; a name it does not know gives no VLAN (None), never a guess.
    """
    entries: list[FdbEntry] = []
    for row in rows:
        mac = str(row.get("destination_address") or row.get("mac_address") or "").strip()
        if not is_valid_mac(mac):
            continue  # a mangled row never becomes an entry that could place a host
        ports = (row.get("destination_port") or row.get("ports")
                 or row.get("logical_interface") or [])
        if isinstance(ports, str):
            ports = [ports]
        vlan_text = str(row.get("vlan_id") or row.get("vlan") or "").strip()
        kind = str(row.get("type") or row.get("mac_flag") or "").lower()
        for raw_port in ports:
            port = raw_port.strip()
            if not is_fdb_port(port):
                continue
            if port.lower() in ("vpc", "vpc peer-link"):  # NX-OS: learned over the peer link
                port = "vPC-Peer-Link"
            port = unit_port(port)  # Junos logical unit 0
            vlan = int(vlan_text) if vlan_text.isdigit() else None
            if vlan is None and row.get("vlan_name") and vlan_tags is not None:
                vlan = vlan_tags.get(str(row["vlan_name"]).strip())
            static = "static" in kind or kind in ("s", "self")
            entries.append(FdbEntry(normalize_mac(mac), vlan, canonical_interface(port),
                                    FdbEntryType.STATIC if static else FdbEntryType.DYNAMIC))
    return entries


def vlans_from_rows(rows: list[Row]) -> list[Vlan]:
    vlans: list[Vlan] = []
    for row in rows:
        vid = str(row.get("vlan_id") or row.get("tag") or "").strip()
        if not vid.isdigit():
            continue
        state = str(row.get("status") or "").lower() or None
        vlans.append(Vlan(int(vid), str(row.get("vlan_name") or row.get("name") or ""), state))
    return vlans


def join_local_ports(detail: list[Row], summary: list[Row] | None) -> list[Row]:
    """Older IOS prints no ``Local Intf`` in ``show lldp neighbors detail``; the summary
    ``show lldp neighbors`` has it, in the same order (NAPALM joins them the same way). The
    order is trusted only where the neighbour's port id agrees with the summary row."""
    if not summary or all(row.get("local_interface") for row in detail):
        return detail
    joined = []
    for index, row in enumerate(detail):
        filled = row
        if not row.get("local_interface") and index < len(summary):
            brief = summary[index]
            port = str(row.get("neighbor_port_id") or row.get("neighbor_interface") or "")
            if str(brief.get("neighbor_interface") or "").strip() == port.strip():
                filled = {**row, "local_interface": brief.get("local_interface", "")}
        joined.append(filled)
    return joined


def lldp_from_rows(rows: list[Row]) -> list[LldpNeighbor]:
    neighbors: list[LldpNeighbor] = []
    for row in rows:
        local = str(row.get("local_interface") or "").strip()
        if not local:
            continue
        chassis = normalize_mac(str(row.get("chassis_id") or ""))
        port_id = normalize_mac(str(row.get("neighbor_port_id") or row.get("neighbor_interface")
                               or ""))
        # ios: Port Description is NEIGHBOR_INTERFACE when NEIGHBOR_PORT_ID holds the port id
        description = str(row.get("neighbor_interface") or "") if row.get(
            "neighbor_port_id") else ""
        mgmt = str(row.get("mgmt_address") or "").strip() or None
        chassis_type = subtype(str(row.get("chassis_id_type") or ""))
        port_type = subtype(str(row.get("port_id_type") or ""))
        neighbors.append(LldpNeighbor(
            local_port=canonical_interface(local), chassis_id=chassis,
            chassis_id_subtype=chassis_type or ("mac" if is_valid_mac(chassis) else None),
            port_id=port_id,
            port_id_subtype=port_type or ("mac" if is_valid_mac(port_id) else None),
            port_description=description.strip(),
            system_name=str(row.get("neighbor_name") or row.get("neighbor") or "").strip(),
            management_address=mgmt,
            capabilities=capabilities(str(row.get("capabilities") or ""))))
    return neighbors


def _mode(oper: str, admin: str) -> PortMode:
    text = oper.lower() if oper and oper.lower() not in ("down", "") else admin.lower()
    if "trunk" in text:
        return PortMode.TRUNK
    if "access" in text:
        return PortMode.ACCESS
    if "routed" in text:
        return PortMode.ROUTED
    return PortMode.UNKNOWN


@dataclass(slots=True)
class _PortState:
    admin_up: bool | None = None
    oper_up: bool | None = None
    speed: int | None = None
    description: str = ""


def _port_states(platform: str, rows: list[Row]) -> dict[str, _PortState]:
    states: dict[str, _PortState] = {}
    for row in rows:
        name = str(row.get("interface") or row.get("port") or "").strip()
        if not name:
            continue
        link = str(row.get("link_status") or row.get("status") or "").lower()
        admin_field = str(row.get("admin_state") or "").lower()
        proto = str(row.get("protocol_status") or "").lower()
        if admin_field:
            admin = admin_field in ("up", "enabled")
        elif link in ("disabled", "errdisabled", "err-disabled"):
            admin = False
        else:
            admin = "administratively" not in link
        oper = proto.startswith("up") if proto else link.startswith(("up", "connected"))
        speed = speed_from_bandwidth(str(row.get("bandwidth") or ""))
        if speed is None:
            match = re.search(r"(\d+)([GM])?", str(row.get("speed") or ""))
            if match:
                speed = int(match.group(1)) * (1000 if match.group(2) == "G" else 1)
        states[canonical_interface(name)] = _PortState(admin, oper, speed,
                                             str(row.get("description") or row.get("name")
                                                 or "").strip())
    return states


def _lags(rows: list[Row]) -> dict[str, list[str]]:
    lags: dict[str, list[str]] = {}
    for row in rows:
        bundle = str(row.get("bundle_name") or "").strip()
        if not bundle:
            continue
        members = row.get("member_interface") or []
        if isinstance(members, str):
            members = [members]
        lags.setdefault(canonical_interface(bundle), []).extend(
            canonical_interface(m) for m in members if m and m != "--")
    return lags


def junos_switchport(rows: list[Row]) -> list[Row]:
    """Junos ``show ethernet-switching interfaces`` rows → the switchport keys the Cisco and
    Arista templates give (``mode``, ``access_vlan``, ``native_vlan``, ``trunking_vlans``).

    A unit whose own tagging is ``tagged`` (ELS) or that has a tagged member (pre-ELS) is a
    trunk: its untagged member is the native VLAN, and every member is allowed (ELS carries
    the native VLAN as a member). Otherwise it is an access port on its one VLAN.
    """
    out: list[Row] = []
    for row in rows:
        ids = [str(v) for v in row.get("vlan_id") or []]
        tagging = [str(t) for t in row.get("tagging") or []]
        trunk = row.get("mode") == "tagged" or "tagged" in tagging
        untagged = [vid for vid, tag in zip(ids, tagging, strict=False) if tag == "untagged"]
        out.append({
            "interface": unit_port(str(row.get("interface") or "")),
            "mode": "trunk" if trunk else "access",
            "access_vlan": "" if trunk else (ids[0] if ids else ""),
            "native_vlan": untagged[0] if trunk and untagged else "",
            "trunking_vlans": ",".join(ids) if trunk else "",
        })
    return out


def ports_from_rows(platform: str, interfaces: list[Row], switchport: list[Row] | None,
                    lag_rows: list[Row] | None,
                    peer_links: set[str] | None = None) -> list[SwitchPort]:
    """Ports from the interface, switchport and LAG tables of one device.

    A LAG member without a switchport row of its own (Junos lists only the ``ae`` unit)
    carries its LAG's mode and VLANs. ``peer_links`` holds the canonical names of the MLAG /
    vPC peer links; None when the platform has no such command or its capture is missing,
    and then ``is_peer_link`` is not available (None) on every port.
    """
    states = _port_states(platform, interfaces)
    modes: dict[str, Row] = {canonical_interface(unit_port(str(r.get("interface")))): r
                             for r in switchport or [] if r.get("interface")}
    lags = _lags(lag_rows or [])
    member_of = {m: lag for lag, members in lags.items() for m in members}
    for member, lag in member_of.items():
        if member not in modes and lag in modes:
            modes[member] = modes[lag]
    ports: list[SwitchPort] = []
    for name, state in states.items():
        sp = modes.get(name)
        mode, access, native, allowed = PortMode.UNKNOWN, None, None, None
        if sp is not None:
            mode = _mode(str(sp.get("mode") or ""), str(sp.get("admin_mode") or ""))
            access_text = str(sp.get("access_vlan") or "")
            native_text = str(sp.get("native_vlan") or "")
            if mode is PortMode.ACCESS and access_text.isdigit():
                access = int(access_text)
            if mode is PortMode.TRUNK:
                native = int(native_text) if native_text.isdigit() else None
                allowed = vlan_ranges(sp.get("trunking_vlans") or [])
        elif switchport is not None and not name.lower().startswith(("vlan", "loopback",
                                                                         "mgmt", "null")):
            mode = PortMode.ROUTED
        if switchport is None:
            mode = PortMode.UNKNOWN
        lag_members = tuple(lags.get(name, ()))
        ports.append(SwitchPort(
            name=name, short_name=short_interface(name), admin_up=state.admin_up,
            oper_up=state.oper_up,
            speed_mbps=state.speed, description=state.description, mode=mode,
            access_vlan=access, native_vlan=native, allowed_vlans=allowed,
            lag=member_of.get(name), lag_members=lag_members,
            is_peer_link=None if peer_links is None else name in peer_links))
    return ports


def peer_links_from_rows(platform: str, rows: list[Row]) -> set[str]:
    """Canonical names of the MLAG / vPC peer links (``show vpc``, ``show mlag``)."""
    links: set[str] = set()
    for row in rows:
        if platform == "cisco_nxos" and str(row.get("kind") or "").lower() == "peer-link":
            links.add(canonical_interface(str(row["port"])))
        elif platform == "arista_eos" and str(row.get("peer_link") or "").strip():
            links.add(canonical_interface(str(row["peer_link"])))
    return links


# -- the device entry point ------------------------------------------------------------------

#: Other names for the platforms the CLI parser knows: netmiko variants and NAPALM drivers.
PLATFORM_ALIASES: dict[str, str] = {
    "cisco_xe": "cisco_ios", "cisco_ios_ssh": "cisco_ios", "cisco_ios_telnet": "cisco_ios",
    "ios": "cisco_ios", "cisco_nxos_ssh": "cisco_nxos", "nxos": "cisco_nxos",
    "nxos_ssh": "cisco_nxos", "eos": "arista_eos", "arista_eos_ssh": "arista_eos",
    "juniper": "juniper_junos", "junos": "juniper_junos",
}
#: ``show version`` signatures, for captures imported without a ``platform`` file.
VERSION_SIGNATURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cisco_nxos", re.compile(r"Cisco Nexus Operating System|NX-OS", re.I)),
    ("cisco_ios", re.compile(r"Cisco IOS(?: XE)? Software|IOS \(tm\)|Cisco Internetwork "
                             r"Operating System", re.I)),
    ("arista_eos", re.compile(r"^Arista |Software image version:", re.M)),
    ("juniper_junos", re.compile(r"^(?:JUNOS|Junos:) ", re.M)),
)


def read_platform(device_dir: Path) -> str | None:
    """The device's platform: its ``platform`` file (aliases mapped to netmiko names), else
    what its saved ``show version`` says."""
    path = device_dir / "platform"
    if path.is_file():
        name = path.read_text().strip().lower()
        if name:
            return PLATFORM_ALIASES.get(name, name)
    found = Captures(device_dir).find("show version")
    if found is not None:
        text = found[1].read_text(errors="replace")
        for platform, signature in VERSION_SIGNATURES:
            if signature.search(text):
                return platform
    return None


def has_cli(device_dir: Path) -> bool:
    return any(not p.name.startswith("snmpwalk") for p in device_dir.glob("*.txt"))


def parse_cli_device(device_dir: Path, device: str) -> SwitchFacts:
    """Build the CLI :class:`SwitchFacts` of one device folder (pure: reads files only)."""
    platform = read_platform(device_dir) or ""
    result = SwitchFacts(device=device, method=CollectionMethod.CLI)
    commands = COMMAND_SETS.get(platform)
    if commands is None:
        result.warnings.append(ParseWarning(device, "platform", None,
                                            f"no CLI parser for platform {platform!r}"))
        return result

    captures = Captures(device_dir)
    #: commands that always print something: empty output is a failure, not "no rows"
    required = {commands.version, commands.interfaces}

    def rows(command: str) -> list[Row] | None:
        found = captures.find(command)
        if found is None:
            return None
        saved, path = found
        text = clean_capture(path.read_text(errors="replace"), saved)
        error = command_error(text, output_required=command in required)
        if error is not None:
            result.warnings.append(ParseWarning(
                device, saved, None, f"the device answered with an error, not output: {error}"))
            return None
        skipped: list[tuple[int | None, str]] = []
        try:
            try:
                parsed = parse_output_skipping(platform, saved, text, skipped)
            except TemplateError as exc:
                if saved == command or not str(exc).startswith("no TextFSM template"):
                    raise
                # an abbreviation or variant the index does not know: same output format
                parsed = parse_output_skipping(platform, command, text, skipped)
        except TemplateError as exc:
            result.warnings.append(ParseWarning(device, saved, exc.line, str(exc)))
            return None
        for line, message in skipped:
            result.warnings.append(ParseWarning(device, saved, line, message))
        return parsed

    def build(command: str, fn: Callable[[list[Row]], Any],
              parsed: list[Row] | None = None) -> Any:
        parsed = rows(command) if parsed is None else parsed
        if parsed is None:
            return None
        try:
            return fn(parsed)
        except (ValueError, KeyError, TypeError) as exc:
            result.warnings.append(ParseWarning(device, command, None,
                                                f"unexpected value: {exc}"))
            return None

    version = rows(commands.version)
    if version is not None:
        facts = facts_from_version(platform, version, device)
        hardware = rows(commands.hardware) if commands.hardware else None
        if hardware is not None and facts.serial is None:
            facts = replace(facts, serial=chassis_serial(hardware))
        result.facts = facts
    vlan_rows = rows(commands.vlans)
    vlan_tags = {str(r.get("vlan_name")): int(r["tag"]) for r in vlan_rows or []
                 if str(r.get("tag") or "").isdigit()}
    result.fdb = build(commands.macs, lambda r: fdb_from_rows(r, vlan_tags))
    if vlan_rows is not None:
        result.vlans = build(commands.vlans, vlans_from_rows, vlan_rows)
    summary = rows(commands.lldp_summary) if commands.lldp_summary else None
    result.lldp = build(commands.lldp, lambda r: lldp_from_rows(join_local_ports(r, summary)))
    interfaces = rows(commands.interfaces)
    if interfaces is not None:
        switchport = rows(commands.switchport)
        if switchport is not None and platform == "juniper_junos":
            switchport = junos_switchport(switchport)
        lag_rows = rows(commands.lag)
        peer_rows = rows(commands.peer_link) if commands.peer_link else None
        peer_links = (peer_links_from_rows(platform, peer_rows) if peer_rows is not None
                      else None)
        try:
            result.ports = ports_from_rows(platform, interfaces, switchport, lag_rows,
                                           peer_links)
        except (ValueError, KeyError, TypeError) as exc:
            result.warnings.append(ParseWarning(device, commands.interfaces, None,
                                                f"unexpected value: {exc}"))
    return result
