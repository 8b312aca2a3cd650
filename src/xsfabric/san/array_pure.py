"""Pure Storage FlashArray (Purity//FA CLI) captures → array records.

Purity prints every ``list`` as a table without a rule line: a header of column titles (some of
two words: ``Host Group``, ``Host User``), values left-aligned under their title, and
multi-valued cells (a host's several WWNs or IQNs, a host group's hosts) continued on the
following lines with the first column empty. The column starts are found from the titles this
module expects for each command, then every token is placed by the column its start falls in,
as for ONTAP (:mod:`xsfabric.san.array_ontap`).

Formats: Purity//FA CLI reference (``purevol``, ``purehost``, ``purehgroup`` man pages,
support.purestorage.com) and outputs quoted in Pure's guides; a volume's NAA is ``624a9370``
followed by its serial (:func:`xsfabric.san.array.pure_naa`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

from xsfabric.san.array import (
    ArrayFacts,
    ArrayVolume,
    ArrayWarning,
    ChapSetting,
    HostGroup,
    LunMap,
    normalize_initiator,
    pure_naa,
)

Row = dict[str, list[str]]

_SERIAL = re.compile(r"^[0-9A-Fa-f]{24}$")
_ERROR = re.compile(r"^\s*Error[: ]", re.M | re.I)


class PureParseError(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(message)


def parse_columns(text: str, titles: Sequence[str]) -> list[Row]:
    """Rows of a Purity table whose header holds ``titles`` (in order); each cell is the list
    of values on the row's lines (continuation lines have an empty first column).

    >>> rows = parse_columns('''Name   WWN                      IQN  Host Group
    ... xs1    21:00:00:24:FF:4C:C5:06  -    xen
    ...        21:00:00:24:FF:4C:C5:07
    ... ''', ["Name", "WWN", "IQN", "Host Group"])
    >>> rows[0]["WWN"], rows[0]["Host Group"]
    (['21:00:00:24:FF:4C:C5:06', '21:00:00:24:FF:4C:C5:07'], ['xen'])
    """
    lines = text.splitlines()
    found = next(
        ((n, s) for n, line in enumerate(lines) if (s := _title_starts(line, titles)) is not None),
        None,
    )
    if found is None:
        raise PureParseError(
            f"no header with {', '.join(titles)} (not this command's output, or cut short)", 1
        )
    number, starts = found
    rows: list[Row] = []
    current: Row | None = None
    for line in lines[number + 1 :]:
        if not line.strip():
            continue
        placed: dict[int, list[str]] = {}
        for match in re.finditer(r"\S+", line):
            index = max(0, bisect.bisect_right(starts, match.start()) - 1)
            placed.setdefault(index, []).append(match.group(0))
        if 0 in placed or current is None:
            current = {t: [] for t in titles}
            rows.append(current)
        for index, words in placed.items():
            current[titles[index]].append(" ".join(words))
    return rows


def _title_starts(line: str, titles: Sequence[str]) -> list[int] | None:
    starts = []
    position = 0
    for title in titles:
        match = re.compile(rf"(?<!\S){re.escape(title)}(?!\S)").search(line, position)
        if match is None:
            return None
        starts.append(match.start())
        position = match.end()
    return starts


def _values(cell: list[str]) -> list[str]:
    out: list[str] = []
    for value in cell:
        out += [v.strip() for v in value.split(",") if v.strip() and v.strip() != "-"]
    return out


def _one(cell: list[str]) -> str:
    values = _values(cell)
    return values[0] if values else ""


def volumes(device: str, text: str) -> list[ArrayVolume]:
    """``purevol list``."""
    result = []
    for row in parse_columns(text, ["Name", "Size", "Source", "Created", "Serial"]):
        serial = _one(row["Serial"])
        if not _SERIAL.match(serial):
            raise PureParseError(
                f"volume {_one(row['Name'])}: serial {serial!r} is not 24 "
                "hex digits (truncated output?)"
            )
        result.append(ArrayVolume(device, "", _one(row["Name"]), serial.upper(), pure_naa(serial)))
    return result


def hosts(device: str, text: str) -> list[HostGroup]:
    """``purehost list``: one initiator group per host (WWNs and IQNs)."""
    result = []
    for row in parse_columns(text, ["Name", "WWN", "IQN", "NQN", "Host Group"]):
        wwns = [normalize_initiator(w) for w in _values(row["WWN"])]
        iqns = [normalize_initiator(i) for i in _values(row["IQN"])]
        protocol = "mixed" if wwns and iqns else "fcp" if wwns else "iscsi" if iqns else ""
        result.append(HostGroup(device, "", _one(row["Name"]), protocol, "", tuple(wwns + iqns)))
    return result


def connections(device: str, text: str) -> list[LunMap]:
    """``purehost list --connect``: each host's volumes and LUNs (shared connections show
    their host group)."""
    result = []
    for row in parse_columns(text, ["Name", "LUN", "Vol", "Host Group"]):
        lun = _one(row["LUN"])
        result.append(
            LunMap(
                device, "", _one(row["Vol"]), _one(row["Name"]), int(lun) if lun.isdigit() else None
            )
        )
    return result


def host_groups(device: str, text: str, members: dict[str, tuple[str, ...]]) -> list[HostGroup]:
    """``purehgroup list``: a host group as the union of its hosts' initiators."""
    result = []
    for row in parse_columns(text, ["Name", "Hosts"]):
        names = _values(row["Hosts"])
        initiators = tuple(i for h in names for i in members.get(h, ()))
        result.append(
            HostGroup(device, "", "hgroup:" + _one(row["Name"]), "host group", "", initiators)
        )
    return result


def chap(device: str, text: str, members: dict[str, tuple[str, ...]]) -> list[ChapSetting]:
    """``purehost list --chap``: CHAP on when the host has a target (or host) user."""
    result = []
    for row in parse_columns(
        text, ["Name", "Host User", "Host Password", "Target User", "Target Password"]
    ):
        host = _one(row["Name"])
        user = _one(row["Target User"]) or _one(row["Host User"])
        for initiator in members.get(host, ()):
            if initiator.startswith("iqn.") or initiator.startswith("eui."):
                result.append(ChapSetting(device, "", initiator, "chap" if user else "none", user))
    return result


def _check(text: str) -> None:
    match = _ERROR.search(text)
    if match:
        number = text[: match.start()].count("\n") + 1
        raise PureParseError(
            f"the array answered with an error: {text[match.start() :].strip().splitlines()[0]}",
            number,
        )


def parse_pure(device: str, captures: dict[str, str]) -> ArrayFacts:
    facts = ArrayFacts(device=device, platform="pure")

    def attempt(command: str, build: Callable[[str], None]) -> None:
        if command not in captures:
            return
        try:
            _check(captures[command])
            build(captures[command])
        except PureParseError as exc:
            facts.warnings.append(ArrayWarning(device, command, exc.line, str(exc)))

    def set_volumes(text: str) -> None:
        facts.volumes = volumes(device, text)

    def set_hosts(text: str) -> None:
        facts.groups = hosts(device, text)

    def set_maps(text: str) -> None:
        facts.maps = connections(device, text)

    attempt("purevol list", set_volumes)
    attempt("purehost list", set_hosts)
    attempt("purehost list --connect", set_maps)
    members = {g.name: g.initiators for g in facts.groups or ()}

    def add_hgroups(text: str) -> None:
        if facts.groups is not None:
            facts.groups = facts.groups + host_groups(device, text, members)

    def set_chap(text: str) -> None:
        if facts.groups is not None:
            facts.chap = chap(device, text, members)

    attempt("purehgroup list", add_hgroups)
    attempt("purehost list --chap", set_chap)
    return facts
