"""Lab storage arrays: a compact description in the estate file (``arrays:``) → the captures a
NetApp ONTAP cluster would answer to xsfabric's read-only commands.

The same captures are written into an estate's raw-capture folder (``devices/<array>/``, so an
import audits them) and played by the SSH lab (so a live collection reads them). Host
initiators are written as ``host:<pool>/<n>`` and become the IQN the XenAPI lab gives that
host, so masking joins the generated pools without copying generated values by hand.

Layout of the rendered outputs: the ONTAP table and ``-instance`` formats the parsers read
(``xsfabric.san.array_ontap``), columns as wide as their widest value.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xsfabric.errors import InputFileError
from xsfabric.san.wwn import normalize_wwn

ARRAY_PLATFORMS = ("netapp_cdot",)


class ArraySpecError(InputFileError):
    """An ``arrays:`` entry of an estate description is malformed."""


@dataclass(frozen=True, slots=True)
class LifSpec:
    name: str
    address: str  # address/prefix
    protocols: tuple[str, ...] = ("nfs", "iscsi")


@dataclass(frozen=True, slots=True)
class ExportRuleSpec:
    clients: tuple[str, ...]
    protocols: tuple[str, ...] = ("nfs",)
    ro: tuple[str, ...] = ("sys",)
    rw: tuple[str, ...] = ("sys",)
    superuser: tuple[str, ...] = ("sys",)


@dataclass(frozen=True, slots=True)
class LunSpec:
    path: str
    serial: str
    ostype: str = "xen"


@dataclass(frozen=True, slots=True)
class IgroupSpec:
    name: str
    initiators: tuple[str, ...]
    protocol: str = "iscsi"
    ostype: str = "xen"
    portset: str = ""


@dataclass(frozen=True, slots=True)
class MapSpec:
    lun: str
    igroup: str
    lun_id: int


@dataclass(frozen=True, slots=True)
class VolumeSpec:
    name: str
    junction: str
    policy: str


@dataclass(frozen=True, slots=True)
class SvmSpec:
    name: str
    lifs: tuple[LifSpec, ...] = ()
    volumes: tuple[VolumeSpec, ...] = ()
    policies: Mapping[str, tuple[ExportRuleSpec, ...]] = field(default_factory=dict)
    luns: tuple[LunSpec, ...] = ()
    igroups: tuple[IgroupSpec, ...] = ()
    maps: tuple[MapSpec, ...] = ()
    #: iSCSI authentication: initiator (or "default") → none / chap / deny.
    chap: Mapping[str, str] = field(default_factory=dict)
    #: Portsets: name → LIF names (igroups bind to one with ``portset:``).
    portsets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ArraySpec:
    name: str
    platform: str
    svms: tuple[SvmSpec, ...]


def _strings(value: Any, where: str, source: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ArraySpecError(source, f"{where}: expected a string or a list of strings")
    return tuple(str(v) for v in value)


def _map(value: Any, where: str, source: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ArraySpecError(source, f"{where}: expected a mapping")
    return value


def _keys(data: dict[str, Any], allowed: Sequence[str], where: str, source: str) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ArraySpecError(
            source, f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(allowed)})"
        )


def parse_arrays(items: Any, source: str = "<spec>") -> tuple[ArraySpec, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise ArraySpecError(source, "arrays: expected a list")
    arrays = []
    for n, raw in enumerate(items, start=1):
        data = _map(raw, f"arrays[{n}]", source)
        _keys(data, ("name", "platform", "svms"), f"arrays[{n}]", source)
        name = str(data.get("name") or "")
        platform = str(data.get("platform") or "netapp_cdot")
        if not name or platform not in ARRAY_PLATFORMS:
            raise ArraySpecError(
                source, f"arrays[{n}]: needs a name and a platform of {', '.join(ARRAY_PLATFORMS)}"
            )
        try:
            svms = tuple(
                _svm(_map(s, f"array {name} svm", source), name, source)
                for s in data.get("svms") or []
            )
        except KeyError as exc:
            raise ArraySpecError(source, f"array {name}: an entry lacks {exc}") from exc
        except (TypeError, ValueError) as exc:
            raise ArraySpecError(source, f"array {name}: {exc}") from exc
        arrays.append(ArraySpec(name, platform, svms))
    return tuple(arrays)


def _svm(data: dict[str, Any], array: str, source: str) -> SvmSpec:
    where = f"array {array} svm {data.get('name')}"
    _keys(
        data,
        ("name", "lifs", "volumes", "policies", "luns", "igroups", "maps", "chap", "portsets"),
        where,
        source,
    )
    lifs = []
    for item in data.get("lifs") or []:
        lif = _map(item, where, source)
        fc = normalize_wwn(str(lif.get("address", ""))) is not None  # an FC LIF: its WWPN
        try:
            if not fc:
                ipaddress.ip_interface(str(lif["address"]))
        except (KeyError, ValueError) as exc:
            raise ArraySpecError(source, f"{where}: LIF needs an address/prefix or a WWPN") from exc
        lifs.append(
            LifSpec(
                str(lif["name"]),
                str(lif["address"]),
                _strings(lif.get("protocols", ["fcp"] if fc else ["nfs", "iscsi"]), where, source),
            )
        )
    policies = {}
    for policy, rules in _map(data.get("policies") or {}, where, source).items():
        parsed = []
        for rule in rules or []:
            r = _map(rule, f"{where} policy {policy}", source)
            _keys(
                r,
                ("clients", "protocols", "ro", "rw", "superuser"),
                f"{where} policy {policy}",
                source,
            )
            parsed.append(
                ExportRuleSpec(
                    _strings(r.get("clients"), f"{where} policy {policy} clients", source),
                    _strings(r.get("protocols", ["nfs"]), where, source),
                    _strings(r.get("ro", ["sys"]), where, source),
                    _strings(r.get("rw", ["sys"]), where, source),
                    _strings(r.get("superuser", ["sys"]), where, source),
                )
            )
        policies[str(policy)] = tuple(parsed)
    luns = []
    for item in data.get("luns") or []:
        lun = _map(item, where, source)
        serial = str(lun.get("serial", ""))
        if len(serial) != 12:
            raise ArraySpecError(
                source, f"{where}: LUN {lun.get('path')}: an ONTAP serial has 12 characters"
            )
        luns.append(LunSpec(str(lun["path"]), serial, str(lun.get("ostype", "xen"))))
    igroups = [
        IgroupSpec(
            str(g["name"]),
            _strings(g.get("initiators", []), where, source),
            str(g.get("protocol", "iscsi")),
            str(g.get("ostype", "xen")),
            str(g.get("portset", "")),
        )
        for g in (_map(i, where, source) for i in data.get("igroups") or [])
    ]
    maps = [
        MapSpec(str(m["lun"]), str(m["igroup"]), int(m["id"]))
        for m in (_map(i, where, source) for i in data.get("maps") or [])
    ]
    volumes = [
        VolumeSpec(str(v["name"]), str(v.get("junction", "-")), str(v.get("policy", "default")))
        for v in (_map(i, where, source) for i in data.get("volumes") or [])
    ]
    lun_paths = {lun.path for lun in luns}
    group_names = {g.name for g in igroups}
    for m in maps:
        if m.lun not in lun_paths or m.igroup not in group_names:
            raise ArraySpecError(
                source, f"{where}: map {m.lun} → {m.igroup} names an undeclared LUN or igroup"
            )
    chap = {str(k): str(v).lower() for k, v in _map(data.get("chap") or {}, where, source).items()}
    portsets = {
        str(k): _strings(v, f"{where} portset {k}", source)
        for k, v in _map(data.get("portsets") or {}, where, source).items()
    }
    return SvmSpec(
        str(data["name"]),
        tuple(lifs),
        tuple(volumes),
        policies,
        tuple(luns),
        tuple(igroups),
        tuple(maps),
        chap,
        portsets,
    )


# -- rendering --------------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        return " ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(header), " ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    if len(rows) > 1:
        out.append(f"{len(rows)} entries were displayed.")
    if not rows:
        return "There are no entries matching your query.\n"
    return "\n".join(out) + "\n"


def _instances(records: Sequence[Sequence[tuple[str, str]]]) -> str:
    if not records:
        return "There are no entries matching your query.\n"
    width = max(len(label) for rec in records for label, _ in rec)
    blocks = []
    for rec in records:
        lines = []
        for label, value in rec:
            parts = value.split("\n")
            lines.append(f"{label.rjust(width)}: {parts[0]}")
            lines += [" " * (width + 2) + p for p in parts[1:]]
        blocks.append("\n".join(lines))
    text = "\n" + "\n\n".join(blocks) + "\n"
    if len(records) > 1:
        text += f"{len(records)} entries were displayed.\n"
    return text


def render_ontap(array: ArraySpec, initiators: Mapping[str, str]) -> dict[str, str]:
    """Command → output for every command of the ONTAP allowlist."""

    def initiator(name: str) -> str:
        return initiators.get(name, name)

    luns: list[list[str]] = []
    maps: list[list[str]] = []
    portsets: list[list[str]] = []
    volumes: list[list[str]] = []
    chap: list[list[str]] = []
    groups: list[list[tuple[str, str]]] = []
    rules: list[list[tuple[str, str]]] = []
    lif_rows: list[tuple[str, LifSpec]] = []
    for svm in array.svms:
        luns += [[svm.name, lun.path, lun.serial, lun.ostype] for lun in svm.luns]
        protocols = {g.name: g.protocol for g in svm.igroups}
        maps += [[svm.name, m.lun, m.igroup, str(m.lun_id), protocols[m.igroup]] for m in svm.maps]
        for g in svm.igroups:
            members = [f"{initiator(i)} (logged in)" for i in g.initiators] or ["-"]
            groups.append(
                [
                    ("Vserver Name", svm.name),
                    ("Igroup Name", g.name),
                    ("Protocol", g.protocol),
                    ("OS Type", g.ostype),
                    ("Portset Binding Igroup", g.portset or "-"),
                    ("ALUA", "true"),
                    ("Initiators", "\n".join(members)),
                ]
            )
        volumes += [[svm.name, v.name, v.policy, v.junction or "-"] for v in svm.volumes]
        for policy, policy_rules in svm.policies.items():
            for index, r in enumerate(policy_rules, start=1):
                rules.append(
                    [
                        ("Vserver", svm.name),
                        ("Policy Name", policy),
                        ("Rule Index", str(index)),
                        ("Access Protocol", ", ".join(r.protocols)),
                        (
                            "List of Client Match Hostnames, IP Addresses, Netgroups, or Domains",
                            ",".join(r.clients),
                        ),
                        ("RO Access Rule", ", ".join(r.ro)),
                        ("RW Access Rule", ", ".join(r.rw)),
                        ("User ID To Which Anonymous Users Are Mapped", "65534"),
                        ("Superuser Security Types", ", ".join(r.superuser)),
                        ("Honor SetUID Bits in SETATTR", "true"),
                        ("Allow Creation of Devices", "true"),
                    ]
                )
        for name, auth in svm.chap.items():
            user = "xsfabric" if auth == "chap" else "-"
            chap.append(
                [
                    svm.name,
                    initiator(name),
                    auth.upper() if auth == "chap" else auth,
                    "local" if auth == "chap" else "-",
                    user,
                    "-",
                ]
            )
        lif_rows += [(svm.name, lif) for lif in svm.lifs]
        for name, lifs in svm.portsets.items():
            bound = [g.name for g in svm.igroups if g.portset == name]
            portsets.append([svm.name, name, "fcp", ", ".join(lifs), ", ".join(bound) or "-"])
    lifs_text = _lifs(lif_rows)
    return {
        "lun show -fields path,serial,ostype": _table(
            ["vserver", "path", "serial", "ostype"], luns
        ),
        "lun mapping show": _table(["Vserver", "Path", "Igroup", "LUN ID", "Protocol"], maps),
        "igroup show -instance": _instances(groups),
        "portset show": _table(
            ["Vserver", "Portset", "Protocol", "Port Names", "Igroups"], portsets
        ),
        "volume show -fields junction-path,policy": _table(
            ["vserver", "volume", "policy", "junction-path"], volumes
        ),
        "vserver export-policy rule show -instance": _instances(rules),
        "vserver iscsi security show": _table(
            [
                "Vserver",
                "Initiator Name",
                "Auth Type",
                "Auth Policy",
                "Inbound User Name",
                "Outbound User Name",
            ],
            chap,
        ),
        "network interface show": lifs_text,
        "network interface show -fields data-protocol": _table(
            ["vserver", "lif", "data-protocol"],
            [[v, lif.name, ",".join(lif.protocols)] for v, lif in lif_rows],
        ),
    }


def _lifs(rows: Sequence[tuple[str, LifSpec]]) -> str:
    if not rows:
        return "There are no entries matching your query.\n"
    vwidth = max(11, *(len(v) for v, _ in rows))
    lwidth = max(10, *(len(lif.name) for _, lif in rows))
    awidth = max(18, *(len(lif.address) for _, lif in rows))
    header2 = [
        "Vserver".ljust(vwidth),
        "Interface".ljust(lwidth),
        "Admin/Oper",
        "Address/Mask".ljust(awidth),
        "Node".ljust(13),
        "Port".ljust(7),
        "Home",
    ]
    header1 = [
        "".ljust(vwidth),
        "Logical".ljust(lwidth),
        "Status    ",
        "Network".ljust(awidth),
        "Current".ljust(13),
        "Current",
        "Is",
    ]
    dashes = ["-" * vwidth, "-" * lwidth, "-" * 10, "-" * awidth, "-" * 13, "-" * 7, "-" * 4]
    out = [" ".join(header1).rstrip(), " ".join(header2).rstrip(), " ".join(dashes)]
    current = None
    for vserver, lif in rows:
        if vserver != current:
            out.append(vserver)
            current = vserver
        out.append(
            " ".join(
                [
                    "".ljust(vwidth),
                    lif.name.ljust(lwidth),
                    "up/up".ljust(10),
                    lif.address.ljust(awidth),
                    "node1".ljust(13),
                    "e0d".ljust(7),
                    "true",
                ]
            )
        )
    if len(rows) > 1:
        out.append(f"{len(rows)} entries were displayed.")
    return "\n".join(out) + "\n"


def host_iqns(spec: Any) -> dict[str, str]:
    """``host:<pool>/<n>`` → the IQN the XenAPI lab gives that host (see xapi_dump_gen)."""
    from xsfabric.lab.xapi_dump_gen import _Ids

    found = {}
    for pool in spec.pools:
        ids = _Ids(spec.seed, pool.name)
        for n, name in enumerate(pool.names_of_hosts(), start=1):
            found[f"host:{pool.name}/{n}"] = (
                f"iqn.2025-01.com.example:{ids.uuid(f'host/{name}')[:8]}"
            )
    return found


def array_captures(spec: Any) -> dict[str, tuple[str, dict[str, str]]]:
    """Array name → (platform, command → output) for every array of an estate spec."""
    iqns = host_iqns(spec)
    return {a.name: (a.platform, render_ontap(a, iqns)) for a in spec.arrays}


def write_arrays(spec: Any, folder: Path) -> list[Path]:
    """``devices/<array>/platform`` and ``devices/<array>/<command>.txt`` for every array."""
    from xsfabric.snapshot import command_filename

    written = []
    for name, (platform, outputs) in array_captures(spec).items():
        device = folder / "devices" / name
        device.mkdir(parents=True, exist_ok=True)
        (device / "platform").write_text(platform + "\n")
        written.append(device / "platform")
        for command, text in outputs.items():
            path = device / command_filename(command)
            path.write_text(text)
            written.append(path)
    return written
