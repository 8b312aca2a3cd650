"""The snapshot folder: the only boundary between I/O and analysis.

Layout (see DESIGN.md)::

    SNAPSHOT/manifest.json
    SNAPSHOT/policy.yaml
    SNAPSHOT/xenserver/<pool>.json | <pool>.xml
    SNAPSHOT/hba/<host>.txt
    SNAPSHOT/devices/<device>/platform
    SNAPSHOT/devices/<device>/<command>.txt      ("/" → "%2F", "%" → "%25")
    SNAPSHOT/devices/<device>/snmpwalk.snmprec | snmpwalk@<vlan>.snmprec | napalm/<getter>.json

:class:`SnapshotWriter` is the one write path: every artifact passes its :class:`Redactor`
and is hashed into the manifest. It writes into a temporary sibling folder and renames it at
the end, so an interrupted run never leaves a folder that looks complete.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from xsfabric import __version__
from xsfabric.errors import SnapshotError
from xsfabric.kinds import DeviceKind as DeviceKind  # noqa: PLC0414 (old import path)
from xsfabric.redact import Redactor
from xsfabric.schemas import SchemaValidationError, load_schema, validate
from xsfabric.xapi.dbdump import XapiDatabase, format_dump, read_dump
from xsfabric.xapi.records import PoolRecords, records_from_dump

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
POLICY_FILE = "policy.yaml"
POOL_JSON_FORMAT = "xsfabric-xapi-records/1"


class DeviceStatus(StrEnum):
    OK = "ok"
    PARTIAL = "partial"
    UNREACHABLE = "unreachable"
    AUTH_FAILED = "auth-failed"
    TIMEOUT = "timeout"
    ERROR = "error"
    #: collection stopped (Ctrl-C, SIGTERM) before this device finished
    INTERRUPTED = "interrupted"


@dataclass(slots=True)
class Artifact:
    path: str  # relative to the snapshot, "/"-separated
    sha256: str
    size: int


@dataclass(slots=True)
class DeviceRecord:
    name: str
    kind: DeviceKind
    platform: str | None = None
    methods: list[str] = field(default_factory=list)
    status: DeviceStatus = DeviceStatus.OK
    error: str | None = None
    collected_at: str | None = None
    artifacts: list[Artifact] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = str(self.kind)
        data["status"] = str(self.status)
        return data


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def command_filename(command: str) -> str:
    """The file name a command's output is stored under.

    >>> command_filename("show mac address-table | include 10/1")
    'show mac address-table | include 10%2F1.txt'
    """
    return command.replace("%", "%25").replace("/", "%2F") + ".txt"


def command_from_filename(name: str) -> str:
    """Inverse of :func:`command_filename`.

    >>> command_from_filename("show interfaces e1%2F1.txt")
    'show interfaces e1/1'
    """
    stem = name[:-4] if name.endswith(".txt") else name
    return stem.replace("%2F", "/").replace("%2f", "/").replace("%25", "%")


def _safe_component(name: str, what: str) -> str:
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise SnapshotError(f"invalid {what} name for a snapshot path: {name!r}")
    return name


class SnapshotWriter:
    """Writes one snapshot atomically. Use as a context manager; :meth:`commit` at the end."""

    def __init__(
        self,
        target: Path,
        *,
        force: bool = False,
        redactor: Redactor | None = None,
        inventory_digest: str | None = None,
        command: str = "collect",
    ) -> None:
        self.target = target
        self.force = force
        self.redactor = redactor or Redactor()
        parent = target.resolve().parent
        if parent.exists() and not parent.is_dir():
            raise SnapshotError(f"{target}: {parent} is not a folder")
        # -o reports/2026/today: missing parents are made, as mkdir -p would
        parent.mkdir(parents=True, exist_ok=True)
        #: True when this writer made ``target`` (empty) as its reservation
        self._reserved = False
        if force and (target.exists() or target.is_symlink()):
            check_replaceable(target)
        else:
            # the existence check and the claim are one atomic step: of two runs writing
            # the same folder, the second fails here instead of replacing the first's work
            try:
                target.mkdir()
            except FileExistsError:
                raise SnapshotError(
                    f"{target}: already exists (use --force to replace an xsfabric snapshot)"
                ) from None
            self._reserved = True
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}{PARTIAL_MARK}", dir=parent))
        self.devices: dict[str, DeviceRecord] = {}
        self.manifest: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "tool": "xsfabric",
            "tool_version": __version__,
            "command": command,
            "started_at": utc_now(),
            "finished_at": None,
            "inventory_digest": inventory_digest,
            "policy": None,
            "devices": [],
            "artifacts": [],
        }
        self._committed = False
        self._lock = threading.Lock()
        #: devices whose collection is over (finished, abandoned at their deadline or
        #: interrupted): an abandoned collector thread that wakes up later writes nothing
        self._finished: set[str] = set()
        #: Config facts per device and source, derived from unredacted configs (issue 11).
        self._config_facts: dict[str, dict[str, Any]] = {}

    def __enter__(self) -> SnapshotWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if not self._committed:
            self.abort()

    # -- devices ----------------------------------------------------------------------------

    def device(
        self,
        name: str,
        kind: DeviceKind,
        platform: str | None = None,
        methods: list[str] | None = None,
    ) -> DeviceRecord:
        _safe_component(name, "device")
        with self._lock:
            record = self.devices.get(name)
            if record is None:
                record = DeviceRecord(
                    name=name,
                    kind=kind,
                    platform=platform,
                    methods=list(methods or []),
                    collected_at=utc_now(),
                )
                self.devices[name] = record
            return record

    def mark(self, name: str, status: DeviceStatus, error: str | None = None) -> None:
        with self._lock:
            if name in self._finished:
                return
            record = self.devices[name]
            record.status = status
            record.error = self.redactor.text(error) if error else None

    def finish_device(
        self, name: str, status: DeviceStatus | None = None, error: str | None = None
    ) -> None:
        """End a device's collection: with a status, the device was abandoned (timeout,
        interrupted) and keeps the artifacts written so far; from now on its writes and
        marks are refused."""
        if status is not None:
            self.mark(name, status, error)
        with self._lock:
            self._finished.add(name)

    # -- artifacts: every write goes through here ------------------------------------------

    def _write(
        self,
        device: str | None,
        relpath: str,
        data: bytes,
        *,
        final: bool = False,
        listed: bool = True,
    ) -> Artifact:
        """Write one artifact; ``device`` None files it under the snapshot's own artifacts
        (``hba/`` listings and other files that belong to no collected device)."""
        path = self.tmp / relpath
        if not path.resolve().is_relative_to(self.tmp.resolve()):
            raise SnapshotError(f"artifact path escapes the snapshot: {relpath!r}")
        artifact = Artifact(relpath, hashlib.sha256(data).hexdigest(), len(data))
        with self._lock:
            if self._committed or (not final and device is not None and device in self._finished):
                raise SnapshotError(
                    f"{relpath}: written after its device's collection "
                    "ended (abandoned at its deadline or interrupted)"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            if not listed:  # the caller lists it (stored facts)
                pass
            elif device is None:
                self.manifest["artifacts"].append(asdict(artifact))
            else:
                self.devices[device].artifacts.append(artifact)
        return artifact

    def write_text(self, device: str | None, relpath: str, text: str) -> Artifact:
        """Any text artifact (CLI output, snmpwalk, HBA listing); redacted by pattern."""
        if device is not None:
            self._note_config_facts(device, relpath, text)
        return self._write(device, relpath, self.redactor.text(text).encode("utf-8"))

    def write_json(self, device: str | None, relpath: str, obj: Any) -> Artifact:
        """A JSON artifact (NAPALM getter results …): every string, keys included, is
        redacted as text before the document is written."""
        if device is not None:
            self._note_config_facts(device, relpath, obj)
        redacted = self.redactor.obj(json.loads(json.dumps(obj, default=str)))
        text = json.dumps(redacted, indent=1, sort_keys=True)
        return self._write(device, relpath, text.encode("utf-8"))

    def write_device_output(self, device: str, command: str, text: str) -> Artifact:
        return self.write_text(device, f"devices/{device}/{command_filename(command)}", text)

    def write_device_platform(self, device: str, platform: str) -> Artifact:
        return self._write(device, f"devices/{device}/platform", f"{platform}\n".encode())

    def write_pool_records(self, device: str, pool: PoolRecords) -> Artifact:
        self.redactor.records(pool.records)
        records = self.redactor.obj(
            json.loads(json.dumps(pool.records, default=str)), patterns=False
        )
        doc = {
            "format": POOL_JSON_FORMAT,
            "source": pool.source,
            "collected_at": pool.collected_at,
            "resolved": pool.resolved,
            "names_unresolved": pool.names_unresolved,
            "records": records,
        }
        text = json.dumps(doc, indent=1, sort_keys=True, default=str)
        return self._write(device, f"xenserver/{device}.json", text.encode("utf-8"))

    def write_xapi_dump(self, device: str, db: XapiDatabase) -> Artifact:
        self.redactor.database(db)
        return self._write(device, f"xenserver/{device}.xml", format_dump(db))

    def copy_policy(self, policy_path: Path) -> None:
        """Store the policy; like every artifact it passes the redactor (a policy holds no
        credentials, but one pasted into it by mistake must not reach the snapshot)."""
        text = self.redactor.known(policy_path.read_text(encoding="utf-8"))
        data = text.encode("utf-8")
        (self.tmp / POLICY_FILE).write_bytes(data)
        self.manifest["policy"] = {
            "path": POLICY_FILE,
            "source": str(policy_path),
            "sha256": hashlib.sha256(data).hexdigest(),
        }

    def _note_config_facts(self, device: str, relpath: str, content: Any) -> None:
        """Facts before redaction: a configuration's facts (community is ``public``, password
        type 7 …) are derived here from the unredacted text; only the facts are kept, and
        written as ``devices/<d>/config-facts.json`` at :meth:`commit`."""
        from xsfabric.switch.config_facts import (
            config_source,
            derive_config_facts,
            napalm_config_texts,
        )

        if isinstance(content, str):
            source = config_source(relpath)
            pairs = [(source, content)] if source else []
        elif relpath.endswith("/napalm/get_config.json"):
            pairs = list(napalm_config_texts(content))
        else:
            pairs = []
        for source, text in pairs:
            facts = derive_config_facts(text).to_json()
            with self._lock:
                if device in self._finished:  # an abandoned collector's late output
                    return
                self._config_facts.setdefault(device, {})[source] = facts

    def _write_config_facts(self) -> None:
        from xsfabric.switch.config_facts import FILE_NAME, FORMAT

        for device, sources in sorted(self._config_facts.items()):
            if device not in self.devices:
                continue
            doc = {"format": FORMAT, "sources": dict(sorted(sources.items()))}
            data = json.dumps(doc, indent=1, sort_keys=True) + "\n"
            self._write(
                device,
                f"devices/{device}/{FILE_NAME}",
                self.redactor.known(data).encode("utf-8"),
                final=True,
            )

    # -- stored facts (parse once, issue 12) ------------------------------------------------

    def write_facts(self, device: str, entry: dict[str, Any], files: dict[str, bytes]) -> None:
        """Store the parsed facts of ``device`` under ``facts/<device>/``: derived data, so
        outside the device's artifacts (a parser never sees them in ``devices/<device>/``),
        but hashed into the manifest's ``facts`` section like any artifact, so ``snapshot
        verify`` and every open check them. ``entry`` says what they were derived from
        (parser version, digest of the device's raw captures); see
        :mod:`xsfabric.switch.facts_store`."""
        _safe_component(device, "device")
        written: list[dict[str, Any]] = []
        for name, data in sorted(files.items()):
            artifact = self._write(
                None,
                f"facts/{device}/{_safe_component(name, 'facts')}",
                data,
                final=True,
                listed=False,
            )
            written.append(asdict(artifact))
        with self._lock:
            section = self.manifest.setdefault("facts", {"devices": {}})
            section["devices"][device] = {**entry, "files": written}

    # -- devices collected by other processes (collect --processes) -----------------------

    def adopt_artifact(self, device: str | None, artifact: Artifact) -> None:
        """List an artifact a collection worker process wrote into this snapshot's folder
        (through its own writer over :attr:`tmp`, with the same redactor): the workers write
        only files, this writer stays the single writer of the manifest. An artifact that
        arrives after its device was finished is still listed (its file is complete: the
        worker reports it only after writing it), as a late write inside one process is."""
        with self._lock:
            if self._committed:
                raise SnapshotError(f"{artifact.path}: reported after the snapshot was committed")
            if device is None:
                self.manifest["artifacts"].append(asdict(artifact))
            else:
                self.devices[device].artifacts.append(artifact)

    def adopt_device(self, record: DeviceRecord, config_facts: dict[str, Any]) -> None:
        """Take over the end of a device a worker process collected: its status and error
        (already redacted there), what its collector learnt about it (an FC switch found
        behind a switch entry changes ``kind``), and its configuration facts; then finish
        it here. The record's artifacts came one by one (:meth:`adopt_artifact`), and its
        ``collected_at`` stays this writer's (when the collection started, as in one
        process)."""
        with self._lock:
            if record.name in self._finished:
                return
            mine = self.devices[record.name]
            mine.kind = record.kind
            mine.platform = record.platform
            mine.methods = list(record.methods)
            mine.status = record.status
            mine.error = record.error
            if config_facts:
                self._config_facts.setdefault(record.name, {}).update(config_facts)
            self._finished.add(record.name)

    def discard_unlisted(self) -> list[str]:
        """Delete the files of the folder being written that no artifact lists (and folders
        left empty): what a collection worker process that died was writing, or wrote
        without being able to report it. Returns their relative paths."""
        with self._lock:
            listed = {a["path"] for a in self.manifest["artifacts"]}
            listed.update(a.path for d in self.devices.values() for a in d.artifacts)
            for entry in (self.manifest.get("facts") or {}).get("devices", {}).values():
                listed.update(a["path"] for a in entry.get("files", []))
            regular, links = _tree(self.tmp)
            removed = sorted((regular | links) - listed - _UNLISTED)
            for rel in removed:
                (self.tmp / rel).unlink(missing_ok=True)
            folders = sorted(
                (p for p in self.tmp.rglob("*") if p.is_dir() and not p.is_symlink()),
                key=lambda p: len(p.parts),
                reverse=True,
            )
            for folder in folders:
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only an empty one
        return removed

    # -- end ------------------------------------------------------------------------------

    def commit(self) -> Path:
        self._write_config_facts()
        with self._lock:
            self._finished.update(self.devices)  # late threads write nothing from now on
            self.manifest["finished_at"] = utc_now()
            self.manifest["devices"] = [d.to_json() for d in self.devices.values()]
        validate_manifest(self.manifest, where=f"{self.target}/{MANIFEST}")
        (self.tmp / MANIFEST).write_text(json.dumps(self.manifest, indent=1) + "\n")
        if self._reserved:
            # rename(2) replaces an empty folder atomically and fails on a non-empty one: if
            # anything was put into the reservation meanwhile, it is not overwritten
            try:
                self.tmp.rename(self.target)
            except OSError as exc:
                raise SnapshotError(
                    f"{self.target}: changed by someone else while this "
                    f"snapshot was written; not replaced ({exc.strerror})"
                ) from exc
        elif self.target.exists():
            check_replaceable(self.target)
            old = self.target.with_name(f".{self.target.name}.old-{os.getpid()}")
            self.target.rename(old)
            self.tmp.rename(self.target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            self.tmp.rename(self.target)
        self._committed = True
        return self.target

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self._reserved and not self._committed:
            with contextlib.suppress(OSError):
                self.target.rmdir()  # only if still the empty reservation


#: What marks the temporary folder of a snapshot being written (never a snapshot itself).
PARTIAL_MARK = ".partial-"
#: Files of a snapshot folder that are not artifacts listed in the manifest.
_UNLISTED = {MANIFEST, POLICY_FILE}


def check_replaceable(target: Path) -> None:
    """``--force`` replaces only an xsfabric snapshot (or an empty folder): never a folder of
    the user's that happens to have the name given with ``-o``."""
    if target.is_symlink() or not target.is_dir():
        raise SnapshotError(f"{target}: exists and is not a snapshot folder; not replaced")
    if not any(target.iterdir()):
        return
    try:
        manifest = json.loads((target / MANIFEST).read_text())
    except (OSError, UnicodeDecodeError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("tool") != "xsfabric":
        raise SnapshotError(
            f"{target}: exists and is not an xsfabric snapshot (no xsfabric "
            f"{MANIFEST}); --force replaces snapshots only"
        )


def verify_artifacts(path: Path, manifest: dict[str, Any]) -> list[str]:
    """Problems of a snapshot's artifacts against its manifest: missing, edited (sha256 or
    size differs), or files the manifest does not list. Empty: the folder is as written."""
    problems: list[str] = []
    listed: dict[str, dict[str, Any]] = {}
    for artifact in manifest.get("artifacts", []):
        listed[artifact["path"]] = artifact
    for device in manifest.get("devices", []):
        for artifact in device.get("artifacts", []):
            listed[artifact["path"]] = artifact
    for entry in (manifest.get("facts") or {}).get("devices", {}).values():
        for artifact in entry.get("files", []):
            listed[artifact["path"]] = artifact
    policy = manifest.get("policy")
    if isinstance(policy, dict) and policy.get("sha256"):
        listed[str(policy.get("path", POLICY_FILE))] = {"sha256": policy["sha256"]}
    root = path.resolve()  # once: resolving costs a system call per path component
    # one walk of the folder instead of resolving, stat-ing and globbing path by path (those
    # were nine tenths of an open's time, the hashing a tenth): a listed path found by the
    # walk as a regular file is inside the snapshot with no symbolic link on its way, as the
    # walk follows none; any other listed path takes the path-by-path checks
    regular, links = _tree(path)
    for rel, artifact in sorted(listed.items()):
        file = path / rel
        if rel not in regular and (not file.resolve().is_relative_to(root) or file.is_symlink()):
            problems.append(f"{rel}: outside the snapshot or a symbolic link")
            continue
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            problems.append(f"{rel}: missing")
            continue
        except OSError as exc:
            problems.append(f"{rel}: unreadable ({exc.strerror})")
            continue
        if hashlib.sha256(data).hexdigest() != artifact.get("sha256"):
            problems.append(f"{rel}: edited (sha256 differs from the manifest)")
    # files and symbolic links in the order a recursive glob of the folder lists them
    for rel in sorted(regular | links, key=lambda r: r.split("/")):
        if rel not in listed and rel not in _UNLISTED:
            problems.append(f"{rel}: not listed in the manifest")
    return problems


def _tree(root: Path) -> tuple[set[str], set[str]]:
    """The regular files under ``root`` and its symbolic links (to files, folders or
    nothing), as relative POSIX paths; symbolic links to folders are not followed, as
    ``Path.rglob`` does not follow them."""
    regular: set[str] = set()
    links: set[str] = set()
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    rel = prefix + entry.name
                    if entry.is_symlink():
                        links.add(rel)
                    elif entry.is_dir(follow_symlinks=False):
                        stack.append((rel + "/", entry.path))
                    elif entry.is_file(follow_symlinks=False):
                        regular.add(rel)
        except OSError:  # an unreadable folder: its listed files are reported one by one
            continue
    return regular, links


#: The manifest schema's artifact (``$defs/artifact``) and the lists of them, as
#: :func:`validate_manifest` checks them by hand; any other schema turns that off.
_ARTIFACT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["path", "sha256", "size"],
    "additionalProperties": False,
    "properties": {
        "path": {"type": "string"},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "size": {"type": "integer", "minimum": 0},
    },
}
_ARTIFACT_LIST: dict[str, Any] = {"type": "array", "items": {"$ref": "#/$defs/artifact"}}
#: The schema's pattern, matched as jsonschema matches a pattern (``re.search``).
_SHA256 = re.compile(_ARTIFACT_SCHEMA["properties"]["sha256"]["pattern"])


@functools.cache
def artifacts_checked_by_hand() -> bool:
    """True when the manifest schema's artifacts are exactly what :func:`_artifact_ok`
    checks, at the three places :func:`_without_artifacts` empties (top-level
    ``artifacts``, each device's ``artifacts``, each facts entry's ``files``). A schema
    that changed any of them is applied whole by jsonschema, as before: slower, never
    wrong."""
    try:
        schema = load_schema("manifest")
        props = schema["properties"]
        lists = (
            props["artifacts"],
            props["devices"]["items"]["properties"]["artifacts"],
            props["facts"]["properties"]["devices"]["additionalProperties"]["properties"]["files"],
        )
        return schema["$defs"]["artifact"] == _ARTIFACT_SCHEMA and all(
            {k: v for k, v in entry.items() if k != "description"} == _ARTIFACT_LIST
            for entry in lists
        )
    except (KeyError, TypeError, AttributeError):
        return False


def _artifact_ok(item: Any) -> bool:
    """``item`` matches ``$defs/artifact`` (exactly its three keys, a string path, a
    sha256 of 64 lowercase hex digits, a size that is a non-negative int). Stricter than
    the schema only where the schema would accept an odd form (a size of ``3.0``): such a
    manifest is then checked by jsonschema whole."""
    if type(item) is not dict or len(item) != 3:
        return False
    sha, size = item.get("sha256"), item.get("size")
    return (
        type(item.get("path")) is str
        and type(sha) is str
        and _SHA256.search(sha) is not None
        and type(size) is int
        and size >= 0
    )


def _artifacts_ok(items: Any) -> bool:
    return type(items) is list and all(map(_artifact_ok, items))


def _without_artifacts(manifest: Any) -> dict[str, Any] | None:
    """A shallow copy of ``manifest`` with every artifact list emptied, when each of those
    lists is a list of valid artifacts; None when any is not (or the document is not
    shaped as the schema expects there), so the caller validates the whole document."""
    if type(manifest) is not dict:
        return None
    stripped = dict(manifest)
    if "artifacts" in manifest:
        if not _artifacts_ok(manifest["artifacts"]):
            return None
        stripped["artifacts"] = []
    devices = manifest.get("devices")
    if type(devices) is list:
        copies: list[Any] = []
        for device in devices:
            if type(device) is dict and "artifacts" in device:
                if not _artifacts_ok(device["artifacts"]):
                    return None
                copies.append({**device, "artifacts": []})
            else:
                copies.append(device)
        stripped["devices"] = copies
    facts = manifest.get("facts")
    if type(facts) is dict and type(facts.get("devices")) is dict:
        entries: dict[str, Any] = {}
        for name, entry in facts["devices"].items():
            if type(entry) is dict and "files" in entry:
                if not _artifacts_ok(entry["files"]):
                    return None
                entries[name] = {**entry, "files": []}
            else:
                entries[name] = entry
        stripped["facts"] = {**facts, "devices": entries}
    return stripped


def validate_manifest(manifest: Any, *, where: str) -> None:
    """Validate a manifest against ``manifest.schema.json``; a bad one raises
    :class:`SchemaValidationError` naming ``where``, the JSON path and the problem.

    A big estate's manifest lists tens of thousands of artifacts, and jsonschema costs
    ~50 µs an item (1.2 s of every open of a 1,000-switch snapshot). The artifacts, all of
    one small fixed shape, are checked here by hand (~0.5 µs each) and jsonschema checks
    the rest of the document with those lists emptied: emptying a list of valid artifacts
    changes no outcome, as the schema asks nothing else of them. Whenever the hand check
    finds a bad artifact, or the schema is no longer the one it mirrors, jsonschema checks
    the whole document, so every refusal carries the same message as before."""
    stripped = _without_artifacts(manifest) if artifacts_checked_by_hand() else None
    if stripped is None:
        validate("manifest", manifest, where=where)
        return
    try:
        validate("manifest", stripped, where=where)
    except SchemaValidationError:
        # the problem is outside the artifact lists, so in the whole document too: its
        # message is the one jsonschema gives for the whole document
        validate("manifest", manifest, where=where)
        raise


class Snapshot:
    """A committed snapshot folder, read-only. Opening it validates the manifest and checks
    every artifact against the manifest's sha256 (a snapshot that was edited, or is missing
    files, is refused with the list)."""

    def __init__(self, path: Path, manifest: dict[str, Any]) -> None:
        self.path = path
        self.manifest = manifest
        #: True when every artifact was checked against the manifest at open: stored facts
        #: can then trust the manifest's hashes instead of hashing the files again
        self.verified = False

    @classmethod
    def open(cls, path: Path, *, verify: bool = True) -> Snapshot:
        if PARTIAL_MARK in path.name:
            raise SnapshotError(
                f"{path}: an unfinished snapshot (a collection or import that "
                "did not complete); it is not a snapshot"
            )
        if not path.exists():
            raise SnapshotError(f"{path}: no such snapshot folder")
        if not path.is_dir():
            raise SnapshotError(f"{path}: not a folder (a snapshot is a folder with a manifest)")
        manifest_path = path / MANIFEST
        if not manifest_path.is_file():
            raise SnapshotError(
                f"{path}: not a snapshot (no {MANIFEST}); "
                "to read raw captures use 'xsfabric snapshot import'"
            )
        try:
            manifest = json.loads(manifest_path.read_text())
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SnapshotError(f"{manifest_path}: unreadable manifest: {exc}") from exc
        version = manifest.get("format_version") if isinstance(manifest, dict) else None
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise SnapshotError(
                f"{path}: snapshot format {version} is newer than this xsfabric reads "
                f"({FORMAT_VERSION}); upgrade xsfabric"
            )
        validate_manifest(manifest, where=str(manifest_path))
        if verify:
            problems = verify_artifacts(path, manifest)
            if problems:
                more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
                raise SnapshotError(
                    f"{path}: does not match its manifest: "
                    f"{'; '.join(problems[:5])}{more} "
                    "('xsfabric snapshot verify' lists all)"
                )
        snapshot = cls(path, manifest)
        snapshot.verified = verify
        return snapshot

    def devices(self, kind: DeviceKind | None = None) -> Iterator[dict[str, Any]]:
        for device in self.manifest["devices"]:
            if kind is None or device["kind"] == kind:
                yield device

    def failed_devices(self) -> list[dict[str, Any]]:
        return [d for d in self.manifest["devices"] if d["status"] != DeviceStatus.OK]

    def policy_path(self) -> Path | None:
        path = self.path / POLICY_FILE
        return path if path.is_file() else None

    def pool_names(self) -> list[str]:
        return [d["name"] for d in self.devices(DeviceKind.XENSERVER_POOL) if d["artifacts"]]

    def pool_records(self, name: str) -> PoolRecords:
        return load_pool_file(self._pool_file(name))

    def _pool_file(self, name: str) -> Path:
        for suffix in (".json", ".xml"):
            path = self.path / "xenserver" / f"{name}{suffix}"
            if path.is_file():
                return path
        raise SnapshotError(f"{self.path}: pool {name} has no xenserver/{name}.json or .xml")

    def device_dir(self, name: str) -> Path:
        return self.path / "devices" / _safe_component(name, "device")


def load_pool_file(path: Path) -> PoolRecords:
    """Read a pool artifact: live-collected JSON or a (redacted) xapi database dump."""
    if path.suffix == ".json":
        try:
            doc = json.loads(path.read_text())
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SnapshotError(f"{path}: unreadable pool records: {exc}") from exc
        if not isinstance(doc, dict) or doc.get("format") != POOL_JSON_FORMAT:
            raise SnapshotError(f"{path}: not an xsfabric pool record file ({POOL_JSON_FORMAT})")
        validate("pool-records", doc, where=str(path))
        skipped: list[str] = []
        for cls_name, rows in doc["records"].items():
            for ref in [
                r for r, rec in rows.items() if not isinstance(rec, dict) or not rec.get("uuid")
            ]:
                skipped.append(f"{path.name}: {cls_name} {ref}: record without uuid; skipped")
                del rows[ref]
        return PoolRecords(
            warnings=skipped,
            records=doc["records"],
            source=str(doc.get("source", "xenapi")),
            collected_at=doc.get("collected_at"),
            resolved=dict(doc.get("resolved") or {}),
            names_unresolved=bool(doc.get("names_unresolved", False)),
        )
    db = read_dump(path)
    warnings: list[str] = []
    records = records_from_dump(db, path, warnings)
    return PoolRecords(
        records=records,
        source="xapi-db",
        names_unresolved=True,
        warnings=[f"{path.name}: {w}" for w in warnings],
    )
