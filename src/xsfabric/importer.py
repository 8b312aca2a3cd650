"""``xsfabric snapshot import``: make a snapshot from files a user already has.

SRC is one xapi database dump (or a XenServer status report archive holding ``xapi-db.xml``),
or a folder in the raw-capture layout without a
manifest (``xenserver/<pool>.xml``, ``devices/<d>/platform``, ``devices/<d>/<command>.txt``,
``hba/<host>.txt``, ``policy.yaml``). Everything passes the same SnapshotWriter as a live
collection, so secrets are redacted the same way. Parts that later stages parse (devices/,
hba/) are carried over unchanged but for redaction.
"""

from __future__ import annotations

import argparse
import logging
import re
import tarfile
from pathlib import Path, PurePosixPath

from xsfabric.errors import DumpError, SnapshotError
from xsfabric.inventory import PLATFORM_KINDS
from xsfabric.kinds import DeviceKind
from xsfabric.redact import install_log_filter
from xsfabric.snapshot import (
    MANIFEST,
    PARTIAL_MARK,
    DeviceStatus,
    SnapshotWriter,
    load_pool_file,
)
from xsfabric.xapi.dbdump import MAX_DUMP_BYTES, bounded_decompress, parse_dump, read_dump

log = logging.getLogger(__name__)

DUMP_SUFFIXES = (".xml", ".db", ".gz")
_NAME_RE = re.compile(r"[^A-Za-z0-9._-]+")


def pool_name_for(path: Path) -> str:
    """A device name for a dump file: its stem, made safe for a file name.

    >>> pool_name_for(Path("xapi-db.xml")), pool_name_for(Path("state.db"))
    ('xapi-db', 'state')
    """
    name = path.name
    for suffix in (".bz2", ".gz", ".tar", ".tgz", ".xml", ".db", ".json"):
        name = name.removesuffix(suffix)
    return _NAME_RE.sub("_", name).strip("._") or "pool"


#: The largest capture file imported (a `show` output or snmpwalk of a big switch is a few MB).
MAX_ARTIFACT_BYTES = 256 << 20


def _inside(path: Path, root: Path) -> bool:
    """A path that does not lead out of the capture folder (a symbolic link may point
    anywhere: /etc/shadow, another user's files)."""
    return path.resolve().is_relative_to(root.resolve())


def _import_dump(writer: SnapshotWriter, path: Path, name: str) -> None:
    db = read_dump(path)
    writer.device(name, DeviceKind.XENSERVER_POOL, "xenserver", ["import"])
    writer.write_xapi_dump(name, db)


def _failed(
    writer: SnapshotWriter, name: str, kind: DeviceKind, platform: str | None, message: str
) -> None:
    """One input that could not be imported: one line naming it, the device marked error,
    the other inputs imported as the collector would (one failure does not abort the rest)."""
    log.error("%s", message)
    writer.device(name, kind, platform, ["import"])
    writer.mark(name, DeviceStatus.ERROR, message)


def _import_status_report(writer: SnapshotWriter, archive: Path, name: str) -> None:
    """A XenServer status report (``bug-report-*.tar.bz2`` / ``.tar.gz`` / ``.tar``): its
    ``xapi-db.xml`` is the pool database, already filtered of secrets by the report itself."""
    try:
        with tarfile.open(archive) as tar:
            members = [
                m
                for m in tar.getmembers()
                if m.isfile() and PurePosixPath(m.name).name == "xapi-db.xml"
            ]
            if not members:
                raise SnapshotError(
                    f"{archive}: a tar archive without xapi-db.xml (not a XenServer status report)"
                )
            if members[0].size > MAX_DUMP_BYTES:
                raise SnapshotError(
                    f"{archive}!{members[0].name}: {members[0].size} bytes, "
                    f"larger than a dump may be ({MAX_DUMP_BYTES})"
                )
            extracted = tar.extractfile(members[0])
            data = (
                bounded_decompress(extracted, archive.stat().st_size, archive, members[0].name)
                if extracted is not None
                else b""
            )
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise SnapshotError(f"{archive}: unreadable archive: {exc}") from exc
    db = parse_dump(data, f"{archive}!{members[0].name}")
    writer.device(name, DeviceKind.XENSERVER_POOL, "xenserver", ["import"])
    writer.write_xapi_dump(name, db)


def _import_pool_json(writer: SnapshotWriter, path: Path, name: str) -> None:
    pool = load_pool_file(path)
    writer.device(name, DeviceKind.XENSERVER_POOL, "xenserver", ["import"])
    writer.write_pool_records(name, pool)


#: An snmprec record (snmpsim): ``OID|type|value``, the type an ASN.1 tag number.
_SNMPREC_LINE = re.compile(r"^\.?\d+(?:\.\d+)+\|\d+[a-z]*(?::\w+)?\|")
#: A numeric ``snmpwalk`` record, as ``-On`` prints it or without MIBs (``iso.3.6…``,
#: ``SNMPv2-SMI::mib-2.…``).
_WALK_LINE = re.compile(
    r"^\s*(?:\.?1\.3\.6\.|\.?iso\.3\.6\.|SNMPv2-SMI::(?:mib-2|enterprises)\.)"
    r"[\d.]*\s+=\s"
)
#: A per-VLAN walk (Cisco ``community@vlan``): the VLAN in the file name, ``@<vlan>``.
_VLAN_SUFFIX = re.compile(r"@(\d+)(?:\.\w+)?$")
#: Lines sniffed to tell a capture's format.
_SNIFF_LINES = 20


def capture_format(text: str) -> str | None:
    """``snmprec`` or ``snmpwalk`` when most of the first records are SNMP varbinds in that
    format, else None (a CLI capture or anything else). Decided by content because users save
    walks under any name: an snmprec as ``snmpwalk.txt`` read as a walk gives one warning per
    line and no table.

    >>> capture_format("1.3.6.1.2.1.1.5.0|4|sw1\\n1.3.6.1.2.1.1.3.0|67|100\\n")
    'snmprec'
    >>> capture_format(".1.3.6.1.2.1.1.5.0 = STRING: sw1\\n")
    'snmpwalk'
    >>> capture_format("Port      Name    Status\\nGi1/0/1   esx1    connected\\n") is None
    True
    """
    lines = [line for line in text.splitlines()[:200] if line.strip() and not line.startswith("#")][
        :_SNIFF_LINES
    ]
    if not lines:
        return None
    for fmt, pattern in (("snmprec", _SNMPREC_LINE), ("snmpwalk", _WALK_LINE)):
        if sum(1 for line in lines if pattern.match(line)) * 2 > len(lines):
            return fmt
    return None


def _capture_name(rel: str, fmt: str | None) -> str:
    """Where a capture goes in the device folder: SNMP walks under the names the SNMP parser
    reads (``snmpwalk.snmprec``, ``snmpwalk.txt``, ``snmpwalk@<vlan>.…``), the rest as they
    were."""
    if fmt is None or "/" in rel:
        return rel
    suffix = ".snmprec" if fmt == "snmprec" else ".txt"
    vlan = _VLAN_SUFFIX.search(rel)
    return f"snmpwalk@{vlan.group(1)}{suffix}" if vlan else f"snmpwalk{suffix}"


def _import_device(writer: SnapshotWriter, folder: Path, root: Path) -> None:
    name = folder.name
    platform_file = folder / "platform"
    platform: str | None = None
    if platform_file.is_file() and _inside(platform_file, root):
        try:
            platform = platform_file.read_bytes().decode("utf-8").strip()
        except UnicodeDecodeError:
            _failed(
                writer,
                name,
                DeviceKind.SWITCH,
                None,
                f"{platform_file}: not UTF-8 text (a platform name such as cisco_ios)",
            )
            return
    kind = PLATFORM_KINDS.get(platform or "", DeviceKind.SWITCH)
    if kind is DeviceKind.SWITCH:
        from xsfabric.san.parse import looks_like_fc_switch

        if looks_like_fc_switch(folder, platform):
            kind = DeviceKind.FC_SWITCH  # an MDS saved as cisco_nxos, or Brocade without name
    if kind is DeviceKind.SWITCH and not platform:
        from xsfabric.san.array_load import guess_array_platform

        guessed = guess_array_platform(folder)  # array listings saved without a platform file
        if guessed is not None:
            kind, platform = DeviceKind.ARRAY, guessed
    writer.device(name, kind, platform, ["import"])
    skipped: list[str] = []
    written: dict[str, Path] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if not _inside(path, root):
            skipped.append(f"{path}: a link out of the capture folder; not followed")
            continue
        if rel == "platform":
            writer.write_device_platform(name, platform or "")
            continue
        size = path.stat().st_size
        if size > MAX_ARTIFACT_BYTES:
            skipped.append(
                f"{path}: {size} bytes, larger than a capture may be "
                f"({MAX_ARTIFACT_BYTES}); skipped"
            )
            continue
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        target = _capture_name(rel, capture_format(text))
        if target in written:
            log.warning(
                "%s: a second SNMP capture for %s (first: %s); skipped",
                path,
                target,
                written[target].name,
            )
            continue
        if target != rel:
            log.info("%s: SNMP capture stored as %s", path, target)
        written[target] = path
        writer.write_text(name, f"devices/{name}/{target}", text)
    for message in skipped:
        log.warning("%s", message)
    if skipped:
        writer.mark(name, DeviceStatus.PARTIAL, "; ".join(skipped))


def _is_tar(path: Path) -> bool:
    try:
        return tarfile.is_tarfile(path)
    except OSError:
        return False


def import_source(writer: SnapshotWriter, source: Path, name: str | None = None) -> int:
    """Import SRC into the writer; returns the number of devices imported."""
    if not source.exists():
        raise SnapshotError(f"{source}: no such file or folder")
    if PARTIAL_MARK in source.name:
        raise SnapshotError(
            f"{source}: an unfinished snapshot (a collection or import that "
            "did not complete); not importable"
        )
    if source.is_file():
        if source.suffix == ".json":
            _import_pool_json(writer, source, name or pool_name_for(source))
        elif _is_tar(source):
            _import_status_report(writer, source, name or pool_name_for(source))
        else:
            _import_dump(writer, source, name or pool_name_for(source))
        return 1
    if (source / MANIFEST).exists():
        raise SnapshotError(f"{source}: is already a snapshot (it has {MANIFEST})")
    count = 0
    xen = source / "xenserver"
    if xen.is_dir():
        for path in sorted(xen.iterdir()):
            if not path.is_file():
                continue
            if not _inside(path, source):
                log.warning("%s: a link out of the capture folder; not followed", path)
                continue
            pool = pool_name_for(path)
            if pool in writer.devices:
                raise SnapshotError(f"{path}: a second file for pool {pool!r}")
            if path.suffix not in DUMP_SUFFIXES and path.suffix != ".json":
                log.warning("%s: not a xapi dump (.xml, .db, .gz) or pool JSON; skipped", path)
                continue
            try:
                if path.suffix == ".json":
                    _import_pool_json(writer, path, pool)
                else:
                    _import_dump(writer, path, pool)
            except (DumpError, SnapshotError) as exc:
                # a bad dump among good ones: that pool fails, the others are imported
                _failed(writer, pool, DeviceKind.XENSERVER_POOL, "xenserver", str(exc))
            count += 1
    devices = source / "devices"
    if devices.is_dir():
        for folder in sorted(p for p in devices.iterdir() if p.is_dir()):
            if not _inside(folder, source):
                log.warning("%s: a link out of the capture folder; not followed", folder)
                continue
            _import_device(writer, folder, source)
            count += 1
    hba = source / "hba"
    if hba.is_dir():
        # hba/<host>.txt; listings kept per pool (hba/<pool>/<host>.txt) are flattened
        for path in sorted(p for p in hba.rglob("*") if p.is_file()):
            if not _inside(path, source) or path.stat().st_size > MAX_ARTIFACT_BYTES:
                log.warning("%s: a link out of the capture folder or too large; skipped", path)
                continue
            writer.write_text(None, f"hba/{path.name}", path.read_text(errors="replace"))
    known = {"xenserver", "devices", "hba", "policy.yaml"}
    for entry in sorted(source.iterdir()):
        if entry.name not in known and not entry.name.startswith("."):
            log.warning("%s: not part of the raw-capture layout; skipped", entry)
    if count == 0:
        raise SnapshotError(
            f"{source}: nothing to import (expected xenserver/<pool>.xml, "
            "devices/<device>/ or a single dump file)"
        )
    return count


def run_import(args: argparse.Namespace) -> int:
    source: Path = args.source
    policy: Path | None = args.policy
    if policy is None and source.is_dir() and (source / "policy.yaml").is_file():
        policy = source / "policy.yaml"
    if policy is not None:
        from xsfabric.policy import load_policy

        load_policy(policy)
    with SnapshotWriter(args.output, force=args.force, command="import") as writer:
        install_log_filter(writer.redactor)  # raw captures are read: logs are redacted too
        count = import_source(writer, source, args.name)
        if policy is not None:
            writer.copy_policy(policy)
        from xsfabric.switch.facts_store import store_facts

        store_facts(writer)  # parse once: audit, show and cabling read the stored tables
        path = writer.commit()
    failed = [d for d in writer.devices.values() if d.status == DeviceStatus.ERROR]
    incomplete = [d for d in writer.devices.values() if d.status != DeviceStatus.OK]
    print(
        f"snapshot written to {path} ({count} devices imported"
        + (f", {len(incomplete)} not ok" if incomplete else "")
        + ")"
    )
    if failed and len(failed) == len(writer.devices):
        return 2  # as collect: nothing could be imported
    return 3 if incomplete else 0


__all__ = ["import_source", "run_import"]
