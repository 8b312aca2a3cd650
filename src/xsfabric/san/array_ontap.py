"""NetApp ONTAP CLI captures → array records, with two small explicit parsers.

Why not TextFSM: ONTAP prints every ``show`` in one of two generic layouts, and both defeat a
line-by-line template.

* Tables (``lun mapping show``, ``vserver export-policy rule show``, ``network interface
  show``, every ``-fields`` form): the dashed line under the header gives the column spans. A
  value longer than its column *overflows*: the rest of the row continues on the next line,
  aligned to its columns; a list value *wraps inside its column* on the lines after the row;
  ``network interface show`` prints the Vserver alone on a line, its LIFs below it. ``-fields``
  tables have whatever columns were asked for. Placing each token by the column its start
  falls in handles all of these at once.
* ``-instance`` records: ``Label: value`` lines, labels right-aligned, records separated by a
  blank line; labels differ between releases ("List of Client Match Hostnames, IP Addresses,
  Netgroups, or Domains" in 9.x, "Client Match Hostname, IP Address, Netgroup, or Domain"
  later); long values wrap to column 0 (``192.168.1.`` / ``222``), list values (igroup
  initiators) continue indented on the next lines.

Formats follow NetApp's ONTAP command reference (docs.netapp.com/us-en/ontap-cli) and the
outputs quoted in its examples; the fixtures in ``tests/san/fixtures/netapp_cdot/`` name their
sources.
"""

from __future__ import annotations

import bisect
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from xsfabric.san.array import (
    ArrayFacts,
    ArrayVolume,
    ArrayWarning,
    ChapSetting,
    DataLif,
    ExportRule,
    HostGroup,
    LifProtocols,
    LunMap,
    NasVolume,
    Portset,
    TargetPort,
    netapp_naa,
    normalize_initiator,
)
from xsfabric.san.wwn import normalize_wwn

Row = dict[str, str]

_DASHES = re.compile(r"^\s*-+(?: +-+)*\s*$")
#: Any dashed header rule in a capture: the output is a table, not ``-instance`` records.
_TABLE = re.compile(r"^\s*-{2,}(?: +-+)*\s*$", re.M)
_FOOTER = re.compile(
    r"^\s*(?:\d+ entries were displayed\.|There are no entries matching "
    r"your query\.|\d+ entr(?:y|ies) (?:was|were) (?:displayed|acted on)\.)",
    re.I,
)
_PROMPT = re.compile(r"^\S+::[\w\- ]*[>*]+\s")
_NO_ENTRIES = re.compile(r"There are no entries matching your query", re.I)
_ERROR = re.compile(r"^\s*Error: ", re.M)
#: A command line saved without its prompt ("network interface show -vserver x"): no header
#: of an ONTAP table has the word "show".
_COMMAND_LINE = re.compile(r"\bshow\b")
#: ONTAP's echo of an abbreviated command: "  (network interface show)".
_ECHO = re.compile(r"^\s*\([a-z][\w\- ]*\)\s*$")
_LABEL = re.compile(r"^\s*([A-Za-z][^:]*?):(?: (.*))?$")


class OntapParseError(Exception):
    """A capture that is not the output of the command it is stored as, or is cut short."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class _Column:
    start: int
    end: int
    name: str


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _columns(header: list[str], dashes: str) -> list[_Column]:
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", dashes)]
    columns: list[_Column] = []
    for i, (start, end) in enumerate(spans):
        stop = spans[i + 1][0] if i + 1 < len(spans) else None
        words = [line[start:stop].strip() for line in header]
        columns.append(_Column(start, end, " ".join(w for w in words if w)))
    return columns


def parse_table(text: str, *, group_columns: int = 0) -> list[Row]:
    """Rows of an ONTAP table (default layout or ``-fields``), keyed by the header words in
    snake case (``"Policy Name"`` → ``policy_name``; a two-line header joins its words).

    ``group_columns`` leading columns may stand alone on a line and then hold for the rows
    under them (``network interface show`` prints each Vserver once).

    >>> text = '''
    ... Vserver    Path             Igroup   LUN ID  Protocol
    ... ---------- ---------------- -------  ------  --------
    ... vs1        /vol/v1/lun1     ig1           0  iscsi
    ... vs_with_a_long_name
    ...            /vol/v1/lun2     ig2          12  fcp
    ... 2 entries were displayed.
    ... '''
    >>> [(r["vserver"], r["path"], r["lun_id"]) for r in parse_table(text)]
    [('vs1', '/vol/v1/lun1', '0'), ('vs_with_a_long_name', '/vol/v1/lun2', '12')]
    """
    lines = text.splitlines()
    rows: list[Row] = []
    columns: list[_Column] | None = None
    starts: list[int] = []
    current: list[str] | None = None
    header_start = 0

    def flush() -> None:
        if current is not None and columns is not None and any(current):
            rows.append({_key(c.name): v for c, v in zip(columns, current, strict=True)})

    for number, line in enumerate(lines):
        if _DASHES.match(line) and line.strip():
            flush()
            current = None
            header: list[str] = []
            back = number - 1
            while (
                back >= header_start
                and lines[back].strip()
                and not _PROMPT.match(lines[back])
                and not _ECHO.match(lines[back])
                and not _COMMAND_LINE.search(lines[back])
            ):
                header.insert(0, lines[back])
                back -= 1
            columns = _columns(header, line)
            starts = [c.start for c in columns]
            continue
        if _PROMPT.match(line) and (rows or (current is not None and any(current))):
            break  # the next command of a saved session: its table is not this one
        if columns is None:
            continue
        if not line.strip() or _FOOTER.match(line) or _PROMPT.match(line):
            flush()
            current = None
            if _PROMPT.match(line) or _FOOTER.match(line):
                columns = None
                header_start = number + 1
            continue
        tokens = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", line)]
        placed: dict[int, list[str]] = {}
        for pos, token in tokens:
            index = max(0, bisect.bisect_right(starts, pos) - 1)
            if pos >= columns[index].end and index + 1 < len(columns):
                index += 1  # starts in the gap before a column: that column's (misaligned)
            placed.setdefault(index, []).append(token)
        first = min(placed)
        if current is None or first == 0:
            flush()
            current = [""] * len(columns)
        elif current[first] and first == group_columns and any(current[first + 1 :]):
            # the next row under the same group (Vserver): its first own column is taken
            flush()
            current = current[:group_columns] + [""] * (len(columns) - group_columns)
        for index, words in placed.items():
            value = " ".join(words)
            if current[index]:
                sep = "" if current[index].endswith(",") else " "
                current[index] = current[index] + sep + value
            else:
                current[index] = value
    flush()
    return rows


def parse_instances(text: str) -> list[dict[str, str]]:
    """Records of an ONTAP ``-instance`` output: label → value. Indented continuation lines
    (list values) join with a newline; a value wrapped to column 0 joins without a break.

    >>> recs = parse_instances('''
    ...     Vserver Name: vs1
    ...      Igroup Name: xen
    ...       Initiators: iqn.2025-01.com.example:a (logged in)
    ...                   iqn.2025-01.com.example:b (not logged in)
    ... List of Client Match Hostnames, IP Addresses, Netgroups, or Domains: 10.0.0.1,192.168.1.
    ... 222
    ... ''')
    >>> label = "List of Client Match Hostnames, IP Addresses, Netgroups, or Domains"
    >>> recs[0]["Initiators"].splitlines()[1], recs[0][label]
    ('iqn.2025-01.com.example:b (not logged in)', '10.0.0.1,192.168.1.222')
    """
    records: list[dict[str, str]] = []
    current: dict[str, str] = {}
    last: str | None = None
    for line in text.splitlines():
        if not line.strip() or _FOOTER.match(line) or _PROMPT.match(line):
            if current:
                records.append(current)
            current, last = {}, None
            continue
        match = _LABEL.match(line)
        if match and not line[:1].isspace() and last is not None and ": " not in line:
            match = None  # "222": a value wrapped to column 0, not a label
        if match:
            label = match.group(1).strip()
            if label in current:  # a new record without a blank line between
                records.append(current)
                current = {}
            current[label] = (match.group(2) or "").strip()
            last = label
        elif last is not None:
            sep = "\n" if line[:1].isspace() else ""
            current[last] = current[last] + sep + line.strip()
    if current:
        records.append(current)
    return records


def _records(text: str, key: str, command: str) -> list[dict[str, str]]:
    """The ``-instance`` records that belong to the command: those with a Vserver label
    (a saved terminal may add "Last login time: …" blocks); none from a non-empty capture
    that is not an empty answer means it is not this command's output."""
    records = [r for r in parse_instances(text) if any("vserver" in k.lower() for k in r)]
    _count_check(len(records), text)
    if not records and text.strip() and not _NO_ENTRIES.search(text) and any(parse_instances(text)):
        raise OntapParseError(f"no record with '{key}' found (not {command} output?)", 1)
    return records


def _field(record: dict[str, str], *needles: str) -> str:
    """The value of the first label containing one of the needles (case-insensitive), so that
    labels reworded between releases still match."""
    lowered = {k.lower(): v for k, v in record.items()}
    for needle in needles:
        for label, value in lowered.items():
            if needle in label:
                return value
    return ""


def _list(value: str) -> tuple[str, ...]:
    """An ONTAP list value (comma and/or line separated); ``-`` means none."""
    items = [v.strip() for v in re.split(r"[,\n]", value)]
    return tuple(v for v in items if v and v != "-")


def _int(value: str) -> int | None:
    try:
        return int(value.strip())
    except ValueError:
        return None


def _check(text: str, command: str) -> None:
    match = _ERROR.search(text)
    if match:
        line = text[match.start() :].strip().splitlines()[0]
        number = text[: match.start()].count("\n") + 1
        raise OntapParseError(f"the array answered with an error: {line}", number)


_COUNT = re.compile(r"^\s*(\d+) entries were displayed\.", re.M)


def _count_check(found: int, text: str) -> None:
    """ONTAP ends a listing of several entries with their count: fewer parsed = cut short."""
    match = _COUNT.search(text)
    if match and int(match.group(1)) != found:
        raise OntapParseError(
            f"{found} entries read but the output says {match.group(1)} "
            "(truncated or wrapped beyond recognition)",
            text[: match.start()].count("\n") + 1,
        )


def _require(rows: list[Row], keys: tuple[str, ...], command: str, text: str) -> None:
    """A table without its key columns is not this command's output (or is cut short)."""
    _count_check(len(rows), text)
    if not rows and _TABLE.search(text) and not _NO_ENTRIES.search(text):
        raise OntapParseError(f"the {command!r} table has a header but no rows (truncated?)")
    if not rows:
        if text.strip() and not _NO_ENTRIES.search(text) and not _TABLE.search(text):
            raise OntapParseError(
                f"no table found in the {command!r} capture (truncated or "
                "not this command's output)",
                1,
            )
        return
    missing = [k for k in keys if k not in rows[0]]
    if missing:
        raise OntapParseError(
            f"columns {', '.join(missing)} missing from the table (found: {', '.join(rows[0])})"
        )


# -- per command ------------------------------------------------------------------------------


def luns(device: str, text: str) -> list[ArrayVolume]:
    """``lun show -fields serial`` / ``-fields path,serial,ostype``."""
    rows = parse_table(text)
    _require(rows, ("vserver", "path", "serial"), "lun show -fields serial", text)
    result = []
    for row in rows:
        serial = row["serial"]
        if len(serial) != 12:
            raise OntapParseError(
                f"LUN {row['path']}: serial {serial!r} is not the 12 "
                "characters ONTAP gives (truncated output?)"
            )
        result.append(
            ArrayVolume(
                device,
                row["vserver"],
                row["path"],
                serial,
                netapp_naa(serial),
                row.get("ostype", ""),
            )
        )
    return result


def lun_maps(device: str, text: str) -> list[LunMap]:
    rows = parse_table(text)
    _require(rows, ("vserver", "path", "igroup", "lun_id"), "lun mapping show", text)
    return [LunMap(device, r["vserver"], r["path"], r["igroup"], _int(r["lun_id"])) for r in rows]


def _initiators(value: str) -> tuple[str, ...]:
    """Initiators of an igroup: one per line (``-instance``, each maybe "(logged in)") or
    several per cell (the table form wraps them onto continuation lines)."""
    text = re.sub(r"\((?:not )?logged in\)", " ", value)
    found = []
    for name in re.split(r"[,\s]+", text):
        if name and name != "-":
            found.append(normalize_initiator(name))
    return tuple(found)


def igroups(device: str, text: str) -> list[HostGroup]:
    """``igroup show -instance`` (also accepted: the ``lun igroup show`` table)."""
    if _TABLE.search(text):
        rows = parse_table(text)
        _require(rows, ("vserver", "igroup"), "igroup show", text)
        return [
            HostGroup(
                device,
                r["vserver"],
                r["igroup"],
                r.get("protocol", ""),
                r.get("os_type", ""),
                _initiators(r.get("initiators", "")),
            )
            for r in rows
        ]
    result = []
    records = _records(text, "igroup name", "igroup show -instance")
    for number, rec in enumerate(records, start=1):
        name = _field(rec, "igroup name")
        if not name:
            raise OntapParseError(
                f"record {number} has no 'Igroup Name' (not igroup show -instance output?)"
            )
        portset = _field(rec, "portset")
        result.append(
            HostGroup(
                device,
                _field(rec, "vserver"),
                name,
                _field(rec, "protocol").lower(),
                _field(rec, "os type").lower(),
                _initiators(_field(rec, "initiators")),
                "" if portset == "-" else portset,
            )
        )
    return result


def portsets(device: str, text: str) -> list[Portset]:
    rows = parse_table(text)
    _require(rows, ("vserver", "portset"), "portset show", text)
    return [
        Portset(
            device,
            r["vserver"],
            r["portset"],
            r.get("protocol", ""),
            _list(r.get("port_names", "")),
        )
        for r in rows
    ]


def nas_volumes(device: str, text: str) -> list[NasVolume]:
    """``volume show -fields junction-path,policy``."""
    rows = parse_table(text)
    _require(
        rows,
        ("vserver", "volume", "junction_path", "policy"),
        "volume show -fields junction-path,policy",
        text,
    )
    return [
        NasVolume(
            device,
            r["vserver"],
            r["volume"],
            "" if r["junction_path"] == "-" else r["junction_path"],
            "" if r["policy"] == "-" else r["policy"],
        )
        for r in rows
    ]


def export_rules(device: str, text: str) -> list[ExportRule]:
    """``vserver export-policy rule show -instance`` (every field), or the table (no
    superuser column: those rules carry an empty superuser tuple)."""
    result = []
    if _TABLE.search(text):
        rows = parse_table(text)
        _require(
            rows,
            ("vserver", "policy_name", "rule_index", "client_match"),
            "vserver export-policy rule show",
            text,
        )
        for r in rows:
            result.append(
                ExportRule(
                    device,
                    r["vserver"],
                    r["policy_name"],
                    _int(r["rule_index"]) or 0,
                    _list(r.get("access_protocol", "")),
                    _list(r["client_match"]),
                    _list(r.get("ro_rule", "")),
                    None,
                    None,
                )
            )
        return result
    records = _records(text, "rule index", "vserver export-policy rule show -instance")
    for number, rec in enumerate(records, start=1):
        index = _int(_field(rec, "rule index"))
        if index is None:
            raise OntapParseError(
                f"record {number} has no 'Rule Index' (not export-policy "
                "rule show -instance output?)"
            )
        result.append(
            ExportRule(
                device,
                _field(rec, "vserver"),
                _field(rec, "policy name"),
                index,
                _list(_field(rec, "access protocol")),
                _list(_field(rec, "client match")),
                _list(_field(rec, "ro access rule")),
                _list(_field(rec, "rw access rule")),
                _list(_field(rec, "superuser")),
            )
        )
    return result


def chap(device: str, text: str) -> list[ChapSetting]:
    """``vserver iscsi security show``."""
    rows = parse_table(text)
    _require(rows, ("vserver", "initiator_name", "auth_type"), "vserver iscsi security show", text)
    result = []
    for r in rows:
        user = next((v for k, v in r.items() if "inbound" in k and "outbound" not in k), "")
        result.append(
            ChapSetting(
                device,
                r["vserver"],
                normalize_initiator(r["initiator_name"]),
                r["auth_type"].lower(),
                "" if user == "-" else user,
            )
        )
    return result


def lifs(device: str, text: str) -> list[DataLif]:
    """``network interface show``: every LIF with an address (data and management alike;
    the address tells which pools can reach it)."""
    rows = parse_table(text, group_columns=1)
    _require(
        rows,
        ("vserver", "logical_interface", "network_address_mask"),
        "network interface show",
        text,
    )
    result = []
    for r in rows:
        address = r["network_address_mask"]
        if normalize_wwn(address) is not None:
            continue  # an FC LIF: its "address" is its WWPN (see fc_ports), no IP to place
        try:
            interface = ipaddress.ip_interface(address)
        except ValueError as exc:
            raise OntapParseError(
                f"LIF {r['logical_interface']}: {address!r} is not an address/mask"
            ) from exc
        result.append(
            DataLif(
                device,
                r["vserver"],
                r["logical_interface"],
                interface,
                r.get("status_admin_oper", ""),
            )
        )
    return result


def fc_ports(device: str, text: str) -> list[TargetPort]:
    """The FC LIFs of ``network interface show``: their WWPNs are the array's target ports."""
    rows = parse_table(text, group_columns=1)
    return [
        TargetPort(device, r["vserver"], r["logical_interface"], wwpn)
        for r in rows
        if (wwpn := normalize_wwn(r.get("network_address_mask", ""))) is not None
    ]


def lif_protocols(device: str, text: str) -> list[LifProtocols]:
    """``network interface show -fields data-protocol``: (vserver, lif, protocols); ``none``
    marks a management-only LIF."""
    rows = parse_table(text)
    _require(
        rows,
        ("vserver", "lif", "data_protocol"),
        "network interface show -fields data-protocol",
        text,
    )
    return [
        LifProtocols(device, r["vserver"], r["lif"], _list(r["data_protocol"].lower()))
        for r in rows
    ]


Parser = Callable[[str, str], list]  # type: ignore[type-arg]

#: Command (canonical, see :func:`canonical_command`) → (ArrayFacts attribute, parser).
#: Several commands may fill one attribute: the first present wins (the fuller form first).
COMMANDS: tuple[tuple[str, str, Parser], ...] = (
    ("lun show -fields path,serial,ostype", "volumes", luns),
    ("lun show -fields serial", "volumes", luns),
    ("lun mapping show", "maps", lun_maps),
    ("igroup show -instance", "groups", igroups),
    ("portset show", "portsets", portsets),
    ("volume show -fields junction-path,policy", "nas_volumes", nas_volumes),
    ("vserver export-policy rule show -instance", "export_rules", export_rules),
    ("vserver export-policy rule show", "export_rules", export_rules),
    ("vserver iscsi security show", "chap", chap),
    ("network interface show", "lifs", lifs),
    ("network interface show -fields data-protocol", "lif_protocols", lif_protocols),
)


def parse_capture(device: str, command: str, text: str) -> list:  # type: ignore[type-arg]
    """Records of one capture; :class:`OntapParseError` if it is an error answer, truncated,
    or not this command's output."""
    _check(text, command)
    for known, _attribute, parser in COMMANDS:
        if known == command:
            return parser(device, text)
    raise OntapParseError(f"no ONTAP parser for {command!r}")


#: ONTAP abbreviations and optional prefixes people save commands with → the full words.
_ALIASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), full)
    for pattern, full in (
        (r"^vol\b", "volume"),
        (r"^net(?:work)?\s+int(?:erface)?\b", "network interface"),
        (r"^lun\s+igroup\b", "igroup"),
        (r"^lun\s+portset\b", "portset"),
        (r"^(?:vserver\s+)?export-policy\s+rule\b", "vserver export-policy rule"),
        (r"^(?:vserver\s+)?iscsi\s+security\b", "vserver iscsi security"),
    )
)


def canonical_command(command: str) -> str | None:
    """The :data:`COMMANDS` entry a saved capture stands for: abbreviations expanded, query
    filters (``-vserver svm1``) dropped, ``-fields`` compared as sets; None if none.

    >>> canonical_command("vol show -vserver svm1 -fields policy,junction-path")
    'volume show -fields junction-path,policy'
    >>> canonical_command("export-policy rule show -instance -policyname xen")
    'vserver export-policy rule show -instance'
    >>> canonical_command("lun show -fields serial,path") , canonical_command("lun show")
    ('lun show -fields serial', None)
    """
    words = command.split()
    base: list[str] = []
    fields: set[str] = set()
    instance = False
    index = 0
    while index < len(words):
        word = words[index]
        if word == "-fields" and index + 1 < len(words):
            fields = {f.strip() for f in words[index + 1].split(",") if f.strip()}
            index += 2
        elif word == "-instance":
            instance = True
            index += 1
        elif word.startswith("-"):
            index += 2  # a query parameter and its value
        else:
            base.append(word)
            index += 1
    text = " ".join(base)
    for pattern, full in _ALIASES:
        text = pattern.sub(full, text)
    if text == "lun show" and "serial" in fields:
        return (
            "lun show -fields path,serial,ostype"
            if "ostype" in fields
            else "lun show -fields serial"
        )
    if text == "volume show" and {"junction-path", "policy"} <= fields:
        return "volume show -fields junction-path,policy"
    if text == "network interface show":
        if "data-protocol" in fields:
            return "network interface show -fields data-protocol"
        return None if fields or instance else text
    if text == "igroup show" and not fields:  # the table form reads as well
        return "igroup show -instance"
    if text == "vserver export-policy rule show":
        return text + (" -instance" if instance else "")
    if (
        text in ("lun mapping show", "portset show", "vserver iscsi security show")
        and not fields
        and not instance
    ):
        return text
    return None


def parse_ontap(device: str, captures: dict[str, str]) -> ArrayFacts:
    """Build one array's facts from its captures (command as saved → text). Captures of the
    same command (one per SVM, say) add up; a capture that fails to parse leaves its table
    unknown and becomes a warning naming device, command and line."""
    facts = ArrayFacts(device=device, platform="netapp_cdot")
    grouped: dict[str, list[tuple[str, str]]] = {}
    for saved, text in sorted(captures.items()):
        known = canonical_command(saved)
        if known is not None:
            grouped.setdefault(known, []).append((saved, text))
    for command, attribute, _parser in COMMANDS:
        if getattr(facts, attribute) is not None or command not in grouped:
            continue
        records: list = []  # type: ignore[type-arg]
        failed = False
        for saved, text in grouped[command]:
            try:
                records += parse_capture(device, command, text)
            except OntapParseError as exc:
                facts.warnings.append(ArrayWarning(device, saved, exc.line, str(exc)))
                failed = True
        if not failed:
            setattr(facts, attribute, records)
    if facts.lifs is not None:
        facts.target_ports = [
            port
            for _saved, text in grouped["network interface show"]
            for port in fc_ports(device, text)
        ]
    if facts.lifs is not None and facts.lif_protocols is not None:
        protocols = {(p.vserver, p.name): p.protocols for p in facts.lif_protocols}
        facts.lifs = [
            replace(lif, protocols=protocols.get((lif.vserver, lif.name))) for lif in facts.lifs
        ]
    return facts
