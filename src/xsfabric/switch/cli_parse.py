"""CLI parsing of one device folder: raw ``show`` outputs → normalized records, through TextFSM.

The jobs live in their own modules: capture cleaning (:mod:`~xsfabric.switch.capture`),
command sets and capture lookup (:mod:`~xsfabric.switch.commands`), platform detection
(:mod:`~xsfabric.switch.detect`), template lookup (:mod:`~xsfabric.switch.textfsm_parse`),
value normalization (:mod:`~xsfabric.switch.cli_values`) and table builders
(:mod:`~xsfabric.switch.cli_tables`). This module is the device entry point: it picks the
kind's command set and builder (:data:`CLI_BUILDERS`) and turns every capture no template can
parse into a :class:`ParseWarning` naming device, command and input line; that table is then
"not available" (``None``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from xsfabric.kinds import DeviceKind
from xsfabric.switch.capture import clean_capture, has_cli
from xsfabric.switch.cli_errors import command_error
from xsfabric.switch.cli_neighbors import (
    add_join_tables,
    description_command,
    merge_status_rows,
    status_command,
    status_switchport,
    with_descriptions,
)
from xsfabric.switch.cli_tables import (
    chassis_serial,
    facts_from_version,
    fdb_from_rows,
    join_local_ports,
    junos_switchport,
    lldp_from_rows,
    peer_links_from_rows,
    ports_from_rows,
    vlans_from_rows,
)
from xsfabric.switch.cli_values import is_fdb_port, unit_port, vlan_ranges
from xsfabric.switch.commands import (
    ALTERNATIVE_COMMANDS,
    COMMAND_SETS,
    Captures,
    CommandSet,
    SwitchCommands,
    abbreviates,
    command_set,
)
from xsfabric.switch.detect import read_platform
from xsfabric.switch.model import CollectionMethod, ParseWarning, SwitchFacts
from xsfabric.switch.textfsm_parse import (
    Row,
    TemplateError,
    own_template_dir,
    parse_output,
    parse_output_skipping,
)

#: Names other modules imported from here before the split; kept so their imports still work.
__all__ = [
    "ALTERNATIVE_COMMANDS",
    "CLI_BUILDERS",
    "COMMAND_SETS",
    "Captures",
    "CliBuilder",
    "CommandSet",
    "SwitchCommands",
    "abbreviates",
    "clean_capture",
    "fdb_from_rows",
    "has_cli",
    "is_fdb_port",
    "lldp_from_rows",
    "own_template_dir",
    "parse_cli_device",
    "parse_output",
    "ports_from_rows",
    "read_platform",
    "unit_port",
    "vlan_ranges",
    "vlans_from_rows",
]

#: ``rows(command)``: the parsed rows of a saved command, None when it was not saved or no
#: template could parse it (the warning is already recorded).
RowsFn = Callable[[str], list[Row] | None]
#: ``build(command, builder[, rows])``: a table from a command's rows, None on bad values.
BuildFn = Callable[..., Any]
#: Fills the tables of one device of a kind: (platform, its command set, the facts to fill,
#: rows, build).
CliBuilder = Callable[[str, Any, SwitchFacts, RowsFn, BuildFn], None]


def parse_cli_device(
    device_dir: Path, device: str, kind: DeviceKind = DeviceKind.SWITCH
) -> SwitchFacts:
    """Build the CLI :class:`SwitchFacts` of one device folder of ``kind`` (pure: reads files
    only): the platform picks the kind's command set, the kind's builder fills the tables."""
    platform = read_platform(device_dir) or ""
    result = SwitchFacts(device=device, method=CollectionMethod.CLI)
    commands = command_set(kind, platform)
    builder = CLI_BUILDERS.get(kind)
    if commands is None or builder is None:
        what = "platform" if kind is DeviceKind.SWITCH else f"{kind} platform"
        result.warnings.append(
            ParseWarning(device, "platform", None, f"no CLI parser for {what} {platform!r}")
        )
        return result

    captures = Captures(device_dir)
    #: commands that always print something: empty output is a failure, not "no rows"
    required = {getattr(commands, "version", None), getattr(commands, "interfaces", None)}

    def rows(command: str) -> list[Row] | None:
        found = captures.find(command)
        if found is None:
            return None
        saved, path = found
        text = clean_capture(path.read_text(errors="replace"), saved)
        error = command_error(text, output_required=command in required)
        if error is not None:
            result.warnings.append(
                ParseWarning(
                    device, saved, None, f"the device answered with an error, not output: {error}"
                )
            )
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

    def build(command: str, fn: Callable[[list[Row]], Any], parsed: list[Row] | None = None) -> Any:
        parsed = rows(command) if parsed is None else parsed
        if parsed is None:
            return None
        try:
            return fn(parsed)
        except (ValueError, KeyError, TypeError) as exc:
            result.warnings.append(ParseWarning(device, command, None, f"unexpected value: {exc}"))
            return None

    builder(platform, commands, result, rows, build)
    return result


def switch_tables(
    platform: str, commands: SwitchCommands, result: SwitchFacts, rows: RowsFn, build: BuildFn
) -> None:
    """The Ethernet switch builder: facts, FDB, VLANs, LLDP, ports (with LAGs, peer links)."""
    version = rows(commands.version)
    if version is not None:
        facts = facts_from_version(platform, version, result.device)
        hardware = rows(commands.hardware) if commands.hardware else None
        if hardware is not None and facts.serial is None:
            facts = replace(facts, serial=chassis_serial(hardware))
        result.facts = facts
    vlan_rows = rows(commands.vlans)
    vlan_tags = {
        str(r.get("vlan_name")): int(r["tag"])
        for r in vlan_rows or []
        if str(r.get("tag") or "").isdigit()
    }
    result.fdb = build(commands.macs, lambda r: fdb_from_rows(r, vlan_tags))
    if vlan_rows is not None:
        result.vlans = build(commands.vlans, vlans_from_rows, vlan_rows)
    summary = rows(commands.lldp_summary) if commands.lldp_summary else None
    result.lldp = build(commands.lldp, lambda r: lldp_from_rows(join_local_ports(r, summary)))
    add_join_tables(platform, result, rows, build)  # CDP, ARP, MLAG / vPC: cli_neighbors
    interfaces = rows(commands.interfaces)
    status = status_command(platform)
    status_rows = rows(status) if status is not None else None
    # the short listing engineers save instead of (or beside) the full one
    interfaces = merge_status_rows(interfaces, status_rows)
    description = description_command(platform)
    if description is not None and interfaces is not None:
        interfaces = with_descriptions(interfaces, rows(description))
    if interfaces is not None:
        switchport = rows(commands.switchport)
        if switchport is None and status_rows:  # the status listing's Vlan column
            switchport = status_switchport(status_rows)
        if switchport is not None and platform == "juniper_junos":
            switchport = junos_switchport(switchport)
        lag_rows = rows(commands.lag)
        peer_rows = rows(commands.peer_link) if commands.peer_link else None
        peer_links = peer_links_from_rows(platform, peer_rows) if peer_rows is not None else None
        try:
            result.ports = ports_from_rows(platform, interfaces, switchport, lag_rows, peer_links)
        except (ValueError, KeyError, TypeError) as exc:
            result.warnings.append(
                ParseWarning(result.device, commands.interfaces, None, f"unexpected value: {exc}")
            )


#: Table builder per device kind. A new kind that is read from CLI captures (``fc-switch``)
#: registers its builder here and its command sets in :data:`COMMAND_SETS`.
CLI_BUILDERS: dict[DeviceKind, CliBuilder] = {
    DeviceKind.SWITCH: switch_tables,
}
