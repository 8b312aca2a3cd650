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

import datetime as dt
import hashlib
import json
import os
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
from xsfabric.schemas import validate
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
        if target.exists() and not force:
            raise SnapshotError(f"{target}: already exists (use --force to replace it)")
        if target.exists() and not target.is_dir():
            raise SnapshotError(f"{target}: exists and is not a folder")
        parent = target.resolve().parent
        if parent.exists() and not parent.is_dir():
            raise SnapshotError(f"{target}: {parent} is not a folder")
        # -o reports/2026/today: missing parents are made, as mkdir -p would
        parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=parent))
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
        #: Config facts per device and source, derived from unredacted configs (issue 11).
        self._config_facts: dict[str, dict[str, Any]] = {}

    def __enter__(self) -> SnapshotWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if not self._committed:
            self.abort()

    # -- devices ----------------------------------------------------------------------------

    def device(
        self, name: str, kind: DeviceKind, platform: str | None = None,
        methods: list[str] | None = None,
    ) -> DeviceRecord:
        _safe_component(name, "device")
        with self._lock:
            record = self.devices.get(name)
            if record is None:
                record = DeviceRecord(name=name, kind=kind, platform=platform,
                                      methods=list(methods or []), collected_at=utc_now())
                self.devices[name] = record
            return record

    def mark(self, name: str, status: DeviceStatus, error: str | None = None) -> None:
        record = self.devices[name]
        record.status = status
        record.error = self.redactor.text(error) if error else None

    # -- artifacts: every write goes through here ------------------------------------------

    def _write(self, device: str | None, relpath: str, data: bytes) -> Artifact:
        """Write one artifact; ``device`` None files it under the snapshot's own artifacts
        (``hba/`` listings and other files that belong to no collected device)."""
        path = self.tmp / relpath
        if not path.resolve().is_relative_to(self.tmp.resolve()):
            raise SnapshotError(f"artifact path escapes the snapshot: {relpath!r}")
        artifact = Artifact(relpath, hashlib.sha256(data).hexdigest(), len(data))
        with self._lock:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            if device is None:
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
        records = self.redactor.obj(json.loads(json.dumps(pool.records, default=str)),
                                    patterns=False)
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
                self._config_facts.setdefault(device, {})[source] = facts

    def _write_config_facts(self) -> None:
        from xsfabric.switch.config_facts import FILE_NAME, FORMAT

        for device, sources in sorted(self._config_facts.items()):
            if device not in self.devices:
                continue
            doc = {"format": FORMAT, "sources": dict(sorted(sources.items()))}
            data = json.dumps(doc, indent=1, sort_keys=True) + "\n"
            self._write(device, f"devices/{device}/{FILE_NAME}",
                        self.redactor.known(data).encode("utf-8"))

    # -- end ------------------------------------------------------------------------------

    def commit(self) -> Path:
        self._write_config_facts()
        self.manifest["finished_at"] = utc_now()
        self.manifest["devices"] = [d.to_json() for d in self.devices.values()]
        validate("manifest", self.manifest, where=f"{self.target}/{MANIFEST}")
        (self.tmp / MANIFEST).write_text(json.dumps(self.manifest, indent=1) + "\n")
        if self.target.exists():
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


class Snapshot:
    """A committed snapshot folder, read-only. Opening it validates the manifest."""

    def __init__(self, path: Path, manifest: dict[str, Any]) -> None:
        self.path = path
        self.manifest = manifest

    @classmethod
    def open(cls, path: Path) -> Snapshot:
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
        validate("manifest", manifest, where=str(manifest_path))
        return cls(path, manifest)

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
        return [d["name"] for d in self.devices(DeviceKind.XENSERVER_POOL)
                if d["artifacts"]]

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
        return PoolRecords(
            records=doc["records"],
            source=str(doc.get("source", "xenapi")),
            collected_at=doc.get("collected_at"),
            resolved=dict(doc.get("resolved") or {}),
            names_unresolved=bool(doc.get("names_unresolved", False)),
        )
    db = read_dump(path)
    warnings: list[str] = []
    records = records_from_dump(db, path, warnings)
    return PoolRecords(records=records, source="xapi-db", names_unresolved=True,
                       warnings=[f"{path.name}: {w}" for w in warnings])
