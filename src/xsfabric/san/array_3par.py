"""HPE 3PAR / Primera CLI captures → array records.

3PAR tables are whitespace-aligned with titles such as ``-WWN/iSCSI_Name-`` and
``---------VV_WWN---------`` padded with dashes, columns that differ between releases (older
``showhost -d`` has no Persona column), a dashed rule and ``N total`` at the end, and values
with spaces (``host set``, creation times). Rows are therefore read by what each value is (an
integer id, a 16-hex WWN or an iSCSI name, an ``N:S:P`` port, a 32-hex volume WWN, a VLUN
type) rather than by position.

Masking comes from the VLUN *templates* (``showvlun -t``: what the array will export, whether a
host is logged in or not): ``host`` and ``matched set`` templates name a host; ``host set``
templates name ``set:<name>``, whose members are read from the *active* VLUNs of the same set
(``showvlun -a``), always marked incomplete (a member whose paths are down has no active
VLUN), so such an SR is "not verified" for missing hosts yet still checked for foreign
initiators; ``port`` templates
(port presents) expose the volume to every host on the port.

Formats: HPE 3PAR Command Line Interface Reference (``showhost``, ``showvlun``, ``showvv``);
a VV's WWN is its NAA (``60002AC…``), the Linux WWID is ``3`` + it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from xsfabric.san.array import (
    PORT_PRESENTS,
    ArrayFacts,
    ArrayVolume,
    ArrayWarning,
    ChapSetting,
    HostGroup,
    LunMap,
    normalize_initiator,
)

_INT = re.compile(r"^\d+$")
_VV_WWN = re.compile(r"^6[0-9A-Fa-f]{31}$")
_NSP = re.compile(r"^\d+:\d+:\d+$")
_HOST_WWN = re.compile(r"^[0-9A-Fa-f]{16}$")
_ISCSI = re.compile(r"^(?:iqn|eui|naa)\.", re.I)
_VLUN = re.compile(
    r"^\s*(?P<lun>\d+)\s+(?P<vv>\S+)\s+(?P<host>\S+)\s+(?P<wwn>\S+)\s+"
    r"(?P<port>\S+)\s+(?P<type>host set|matched set|host|port)\b",
    re.I,
)
_ERROR = re.compile(r"^\s*(?:Error|Invalid)\b.*$", re.M | re.I)
_TOTAL = re.compile(r"^\s*(\d+)\s+total\b", re.M)


class ThreeParParseError(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(message)


def _rows(text: str) -> list[list[str]]:
    """Token lists of the data rows: lines that start with an integer (Id or Lun)."""
    return [
        line.split()
        for line in text.splitlines()
        if line.split() and _INT.match(line.split()[0]) and not _TOTAL.match(line)
    ]


def _total(text: str, found: int) -> None:
    match = _TOTAL.search(text)
    if match and int(match.group(1)) != found:
        raise ThreeParParseError(
            f"{found} rows read but the output says {match.group(1)} total (truncated?)",
            text[: match.start()].count("\n") + 1,
        )


def volumes(device: str, text: str) -> list[ArrayVolume]:
    """``showvv -d``: each VV's name and WWN."""
    result = []
    rows = _rows(text)
    for tokens in rows:
        wwn = next((t for t in tokens[2:] if _VV_WWN.match(t)), None)
        if wwn is None:
            raise ThreeParParseError(
                f"VV {tokens[1] if len(tokens) > 1 else tokens[0]}: no "
                "VV_WWN in its row (not showvv -d output, or cut short)"
            )
        result.append(ArrayVolume(device, "", tokens[1], wwn.upper(), wwn.lower()))
    _total(text, len(rows))
    return result


def hosts(device: str, text: str) -> list[HostGroup]:
    """``showhost -d``: one row per host path; a host's rows are merged."""
    order: list[str] = []
    found: dict[str, list[str]] = {}
    persona: dict[str, str] = {}
    for tokens in _rows(text):
        if len(tokens) < 3:
            raise ThreeParParseError(f"host row {' '.join(tokens)!r} is cut short")
        name = tokens[1]
        if name not in found:
            order.append(name)
            found[name] = []
        rest = tokens[2:]
        initiator = next((t for t in rest if _HOST_WWN.match(t) or _ISCSI.match(t)), None)
        if rest and initiator != rest[0] and not _NSP.match(rest[0]) and rest[0] != "---":
            persona.setdefault(name, rest[0])
        if initiator is not None:
            value = normalize_initiator(initiator)
            if value not in found[name]:
                found[name].append(value)
    result = []
    for name in order:
        members = found[name]
        fc = any(not _ISCSI.match(m) for m in members)
        iscsi = any(_ISCSI.match(m) for m in members)
        protocol = "mixed" if fc and iscsi else "fcp" if fc else "iscsi" if iscsi else ""
        result.append(
            HostGroup(device, "", name, protocol, persona.get(name, "").lower(), tuple(members))
        )
    return result


def vluns(text: str) -> list[dict[str, str]]:
    rows = []
    for line in text.splitlines():
        match = _VLUN.match(line)
        if match:
            rows.append(match.groupdict() | {"type": match.group("type").lower()})
    return rows


def chap(device: str, text: str, groups: list[HostGroup]) -> list[ChapSetting]:
    """``showhost -chap``: the array checks a host's CHAP when it has an initiator CHAP
    name (``--`` = none)."""
    members = {g.name: g.initiators for g in groups}
    result = []
    for tokens in _rows(text):
        if len(tokens) < 3:
            raise ThreeParParseError(f"CHAP row {' '.join(tokens)!r} is cut short")
        name, initiator_chap = tokens[1], tokens[2]
        on = initiator_chap not in ("--", "-", "---")
        for initiator in members.get(name, ()):
            if _ISCSI.match(initiator):
                result.append(
                    ChapSetting(
                        device,
                        "",
                        initiator,
                        "chap" if on else "none",
                        initiator_chap if on else "",
                    )
                )
    return result


def _check(text: str) -> None:
    match = _ERROR.search(text)
    if match:
        raise ThreeParParseError(
            f"the array answered with an error: {match.group(0).strip()}",
            text[: match.start()].count("\n") + 1,
        )


def parse_3par(device: str, captures: dict[str, str]) -> ArrayFacts:
    facts = ArrayFacts(device=device, platform="hp_3par")

    def attempt(command: str, build: Callable[[str], None]) -> None:
        if command not in captures:
            return
        try:
            _check(captures[command])
            build(captures[command])
        except ThreeParParseError as exc:
            facts.warnings.append(ArrayWarning(device, command, exc.line, str(exc)))

    def set_volumes(text: str) -> None:
        facts.volumes = volumes(device, text)

    def set_hosts(text: str) -> None:
        facts.groups = hosts(device, text)

    attempt("showvv -d", set_volumes)
    attempt("showhost -d", set_hosts)
    active: list[dict[str, str]] | None = None
    templates: list[dict[str, str]] | None = None

    def set_active(text: str) -> None:
        nonlocal active
        active = vluns(text)

    def set_templates(text: str) -> None:
        nonlocal templates
        templates = vluns(text)

    attempt("showvlun -a", set_active)
    attempt("showvlun -t", set_templates)
    if facts.groups is not None and templates is not None:
        _masking(facts, templates, active)

    def set_chap(text: str) -> None:
        if facts.groups is not None:
            facts.chap = chap(device, text, facts.groups)

    attempt("showhost -chap", set_chap)
    return facts


def _masking(
    facts: ArrayFacts, templates: list[dict[str, str]], active: list[dict[str, str]] | None
) -> None:
    """Maps from the templates; host-set members from the active VLUNs; port presents as a
    wildcard group per port."""
    assert facts.groups is not None
    device = facts.device
    set_members: dict[str, set[str]] = {}
    for row in active or ():
        if row["type"] == "host set":
            set_members.setdefault(row["vv"], set()).add(row["host"])
    by_name = {g.name: g for g in facts.groups}
    maps: list[LunMap] = []
    extra: dict[str, HostGroup] = {}
    for row in templates:
        lun = int(row["lun"])
        if row["type"] in ("host", "matched set"):
            maps.append(LunMap(device, "", row["vv"], row["host"], lun))
        elif row["type"] == "port":
            name = PORT_PRESENTS + row["port"]
            extra[name] = HostGroup(device, "", name, "port", "", (name,))
            maps.append(LunMap(device, "", row["vv"], name, lun))
        else:  # host set: its members are the hosts the set's active VLUNs of this VV show
            members = sorted(set_members.get(row["vv"], set()))
            known = [by_name[m] for m in members if m in by_name]
            initiators = tuple(i for g in known for i in g.initiators)
            name = f"{row['host']}@{row['vv']}"
            # incomplete whatever the active VLUNs show: a member whose paths are down has no
            # active VLUN, and showhostset is not collected
            extra[name] = HostGroup(device, "", name, "host set", "", initiators, complete=False)
            maps.append(LunMap(device, "", row["vv"], name, lun))
    facts.groups = facts.groups + list(extra.values())
    facts.maps = maps
