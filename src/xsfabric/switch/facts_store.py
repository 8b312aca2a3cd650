"""Parse once: the facts of every device, parsed at collect / import time and stored in the
snapshot, so ``audit``, ``show``, ``cabling`` and ``report`` read tables instead of re-running
TextFSM over every capture on every command (issue 12).

Layout, beside the raw captures (which stay the source of truth)::

    SNAPSHOT/facts/<device>/facts.json          # every method's facts, small tables inline
    SNAPSHOT/facts/<device>/<method>.fdb.parquet  # large tables: one Parquet file each
    SNAPSHOT/facts/<device>/<method>.arp.parquet
    SNAPSHOT/facts/<device>/configs.json        # a switch's configurations, parsed

The manifest's ``facts`` section lists, per device, the facts files with their sha256 (so
``snapshot verify`` and every open check them like any artifact), the :func:`parser_version`
that wrote them and ``sources``: a digest of the device's raw-capture artifacts (path and
sha256 of each, from the manifest). Stored facts are used only when all three still hold —
same parser version, same raw captures, facts files as hashed — otherwise the device is parsed
again from its captures (stale or missing facts are never an error, only slower). A snapshot
opened without verification (``Snapshot.open(verify=False)``) hashes the files it relies on
itself. Snapshots are never written at read time: they may be read-only.

Large tables go to Parquet (pyarrow), the columnar format SuzieQ uses for the same job: a
thousand MAC rows load as four columns in well under a millisecond and stay readable by other
tools (pandas, DuckDB). Everything else is JSON written by a codec driven by the dataclasses'
type hints, so a record round-trips exactly: enums, tuples, ``None`` versus ``[]``, the shared
:data:`~xsfabric.switch.model.ALL_VLANS`, warnings.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import importlib.metadata
import io
import ipaddress
import json
import logging
import os
import types
import weakref
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

from xsfabric import __version__
from xsfabric.kinds import DeviceKind
from xsfabric.perf import gc_paused
from xsfabric.snapshot import Snapshot, SnapshotWriter
from xsfabric.switch.model import ALL_VLANS, SwitchFacts

log = logging.getLogger(__name__)

#: Bump when any parser's output changes for the same capture: every stored fact written by
#: an older version is then stale and parsed again. The full version string also names the
#: xsfabric release and the template libraries (a new ntc-templates may parse differently).
PARSER_VERSION = 2  # 2: a switch's parsed configurations stored too (configs.json)
FORMAT = "xsfabric-facts/1"
FACTS_FILE = "facts.json"
#: A switch's configurations as :func:`xsfabric.switch.config.parse_device_configs` parses
#: them (hier_config is a third of a large audit's parsing otherwise).
CONFIGS_FILE = "configs.json"
CONFIGS_FORMAT = "xsfabric-configs/1"
#: Tables stored as Parquet, per facts type: the ones that grow with the network.
COLUMNAR: dict[str, tuple[str, ...]] = {"SwitchFacts": ("fdb", "arp")}
#: Below this many devices, parsing stays in this process (a worker costs ~1 s to start).
POOL_MIN_DEVICES = 48
#: Raw-capture files that are not parser input (derived by the writer from unredacted text).
_NOT_SOURCES = frozenset({"config-facts.json"})


class StoredFactsError(Exception):
    """Stored facts that cannot be used (stale, tampered, unreadable): the caller re-parses."""


@functools.cache
def parser_version() -> str:
    """What the stored facts depend on besides the captures: this constant, the release and
    the parsing libraries' versions."""
    libs = []
    for dist in ("ntc-templates", "textfsm", "netutils"):
        try:
            libs.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:  # pragma: no cover
            libs.append(f"{dist} ?")
    return f"{PARSER_VERSION}; xsfabric {__version__}; {'; '.join(libs)}"


def sources_digest(device: str, artifacts: Iterable[tuple[str, str]]) -> str:
    """Digest of a device's raw captures: (path, sha256) of each artifact in its folder."""
    prefix = f"devices/{device}/"
    digest = hashlib.sha256()
    for path, sha in sorted(artifacts):
        if path.startswith(prefix) and path[len(prefix) :] not in _NOT_SOURCES:
            digest.update(f"{path}\0{sha}\n".encode())
    return digest.hexdigest()


# -- codec: dataclasses <-> JSON, by type hints -----------------------------------------------


def encode(value: Any) -> Any:
    """A JSON-able form of a facts object: dataclasses as objects of their fields, enums as
    their values, tuples as lists, IP interfaces as text."""
    if value is None or isinstance(value, str | int | float):  # bool and StrEnum included
        return value.value if isinstance(value, enum.Enum) else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, frozenset):
        return sorted(encode(v) for v in value)
    if isinstance(value, dict):
        return {_key(k): encode(v) for k, v in value.items()}
    if isinstance(value, ipaddress.IPv4Interface | ipaddress.IPv6Interface):
        return str(value)
    raise TypeError(f"cannot store a {type(value).__name__} in facts")


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)
    raise TypeError(f"cannot store a {type(key).__name__} key in facts")


Decoder = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _tuple_of(inner: Decoder) -> Decoder:
    def decode(value: Any) -> Any:
        result = tuple(inner(v) for v in value) if inner is not _identity else tuple(value)
        # every VLAN: the one shared tuple, as the parsers give it
        return ALL_VLANS if len(result) == len(ALL_VLANS) and result == ALL_VLANS else result

    return decode


@functools.cache
def decoder(tp: Any) -> Decoder:
    """The function that rebuilds a value of type ``tp`` from its :func:`encode` form."""
    origin, args = get_origin(tp), get_args(tp)
    if tp is Any or tp in (str, bool, float):
        return _identity
    if tp is int:
        return _identity
    if origin in (Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if all(a in (ipaddress.IPv4Interface, ipaddress.IPv6Interface) for a in options):
            inner: Decoder = ipaddress.ip_interface
        elif len(options) == 1:
            inner = decoder(options[0])
        else:
            raise TypeError(f"cannot read a union {tp} from facts")
        if inner is _identity:
            return _identity
        return lambda v: None if v is None else inner(v)
    if origin is list:
        item = decoder(args[0])
        return list if item is _identity else (lambda v: [item(x) for x in v])
    if origin is frozenset:
        item = decoder(args[0])
        return frozenset if item is _identity else (lambda v: frozenset(item(x) for x in v))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _tuple_of(decoder(args[0]))
        parts = [decoder(a) for a in args]
        return lambda v: tuple(d(x) for d, x in zip(parts, v, strict=True))
    if origin is dict:
        key, val = decoder(args[0]), decoder(args[1])
        if args[0] is int:
            key = int
        return lambda v: {key(k): val(x) for k, x in v.items()}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {member.value: member for member in tp}.__getitem__  # a call costs 3x more
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        fields = [(f.name, decoder(hints[f.name])) for f in dataclasses.fields(tp) if f.init]
        cls = tp

        def build(value: Any) -> Any:
            return cls(**{name: dec(value[name]) for name, dec in fields})

        return build
    if tp in (ipaddress.IPv4Interface, ipaddress.IPv6Interface):
        return ipaddress.ip_interface
    raise TypeError(f"cannot read a {tp} from facts")


# -- Parquet for the large tables ------------------------------------------------------------


@functools.cache
def _hints(tp: type) -> dict[str, Any]:
    """The resolved type hints of a dataclass (resolving them costs more than a row)."""
    return get_type_hints(tp)


@functools.cache
def _row_type(facts_type: type, table: str) -> type:
    hint = _hints(facts_type)[table]
    (inner,) = [a for a in get_args(hint) if a is not type(None)]
    row: type = get_args(inner)[0]
    return row


def table_to_parquet(rows: list[Any], row_type: type) -> bytes:
    """One Parquet file of ``rows`` (records of one dataclass with scalar fields)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    hints = _hints(row_type)
    columns: dict[str, Any] = {}
    for f in dataclasses.fields(row_type):
        values = [encode(getattr(r, f.name)) for r in rows]
        kinds = {a for a in get_args(hints[f.name]) or (hints[f.name],) if a is not type(None)}
        if kinds <= {int}:
            columns[f.name] = pa.array(values, pa.int32())
        elif kinds <= {bool}:
            columns[f.name] = pa.array(values, pa.bool_())
        else:
            columns[f.name] = pa.array(values, pa.string())
    buffer = io.BytesIO()
    pq.write_table(pa.table(columns), buffer, compression="zstd")
    return buffer.getvalue()


def table_from_parquet(data: bytes, row_type: type) -> list[Any]:
    """The rows :func:`table_to_parquet` stored, as ``row_type`` records."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    # ParquetFile.read, not read_table (the dataset layer), and no thread pool: for tables
    # of a thousand rows that is 0.25 ms instead of 0.73 ms a table (measured)
    table = pq.ParquetFile(pa.BufferReader(data)).read(use_threads=False)
    hints = _hints(row_type)
    names = [f.name for f in dataclasses.fields(row_type)]
    if table.column_names != names:
        raise StoredFactsError(f"columns {table.column_names}, expected {names}")
    columns = []
    # rows of strings, ints and enums: no reference cycles, and a thousand new containers
    # per table would set the cyclic collector rescanning every row already loaded (on a
    # 1 M-row estate, a full pass each time the live objects grew by a quarter)
    with gc_paused():
        for name in names:
            column = table.column(name)
            values = column.to_pylist()
            dec = decoder(hints[name])
            if dec is _identity:
                columns.append(values)
            elif column.null_count == 0:
                columns.append(list(map(dec, values)))
            else:
                columns.append([None if v is None else dec(v) for v in values])
        return list(map(row_type, *columns))


# -- writing ---------------------------------------------------------------------------------


def facts_types() -> dict[DeviceKind, type]:
    """The facts type each parsed kind gives (what the stored JSON is read back as)."""
    from xsfabric.san.array import ArrayFacts
    from xsfabric.san.parse import FcSwitchFacts

    return {
        DeviceKind.SWITCH: SwitchFacts,
        DeviceKind.FC_SWITCH: FcSwitchFacts,
        DeviceKind.ARRAY: ArrayFacts,
    }


def serialise(device: str, kind: DeviceKind, per_method: list[Any]) -> dict[str, bytes]:
    """The facts files of one device: ``facts.json`` plus a Parquet file per large table."""
    files: dict[str, bytes] = {}
    documents = []
    for index, facts in enumerate(per_method):
        columnar = COLUMNAR.get(type(facts).__name__, ())
        doc = {}
        for f in dataclasses.fields(facts):
            value = getattr(facts, f.name)
            if f.name in columnar and value is not None:
                name = f"{index}.{getattr(facts, 'method', 'facts')}.{f.name}.parquet"
                facts_type: type = type(facts)
                files[name] = table_to_parquet(value, _row_type(facts_type, f.name))
                doc[f.name] = {"parquet": name}
            else:
                doc[f.name] = encode(value)
        documents.append(doc)
    head = {"format": FORMAT, "device": device, "kind": str(kind), "facts": documents}
    files[FACTS_FILE] = (json.dumps(head, sort_keys=True, separators=(",", ":")) + "\n").encode()
    return files


def parse_kind(device_dir: Path, kind: DeviceKind, platform: object) -> DeviceKind | None:
    """The kind a device folder is parsed as: a ``switch`` whose captures are an FC switch's
    (an MDS recorded as ``cisco_nxos``) is read by the FC parsers, as :mod:`san.fabric` does."""
    from xsfabric.san.fabric import is_fc_device

    if kind == DeviceKind.SWITCH and is_fc_device(device_dir, platform):
        return DeviceKind.FC_SWITCH
    return kind if kind in facts_types() else None


def parse_and_serialise(device_dir: str, device: str, kind: str) -> dict[str, bytes] | str:
    """One device parsed and its facts files made: the unit of work of the process pool
    (arguments and result are plain, so they cross the process boundary cheaply). A parser
    that fails (a bug: parsers turn bad captures into warnings) gives its error text instead:
    stored facts are an optimisation, and must never cost the user the collection itself."""
    from xsfabric.switch.facts import parse_device

    try:
        per_method = parse_device(Path(device_dir), device, DeviceKind(kind))
        files = serialise(device, DeviceKind(kind), per_method)
    except Exception as exc:  # see the docstring: the reader re-parses
        return f"{type(exc).__name__}: {exc}"
    if DeviceKind(kind) == DeviceKind.SWITCH:
        configs = serialise_configs(Path(device_dir), device)
        if configs is not None:
            files[CONFIGS_FILE] = configs
    return files


def serialise_configs(device_dir: Path, device: str) -> bytes | None:
    """``configs.json``: the device's configurations parsed (without the config facts, which
    come from the unredacted text, not from the captures). None when they cannot be parsed:
    the audit then parses them itself and says why they are not audited."""
    from xsfabric.switch.cli_parse import read_platform
    from xsfabric.switch.config import parse_device_configs

    try:
        configs = parse_device_configs(device_dir, device, read_platform(device_dir))
    except Exception:  # the audit re-parses and turns the error into a warning
        return None
    doc = {"format": CONFIGS_FORMAT, "device": device, "configs": [encode(c) for c in configs]}
    # not sort_keys: a configuration's interfaces stay in their configuration order
    return (json.dumps(doc, separators=(",", ":")) + "\n").encode()


def _run_serial(jobs: list[tuple[str, str, str]]) -> list[dict[str, bytes] | str]:
    return [parse_and_serialise(*job) for job in jobs]


def _run_pool(jobs: list[tuple[str, str, str]], workers: int) -> list[dict[str, bytes] | str]:
    # spawn, not fork: the collecting process runs threads (collectors, the demo's lab
    # servers) whose locks a forked child could inherit held
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        chunk = max(1, min(32, len(jobs) // (workers * 4)))
        return list(pool.map(parse_and_serialise, *zip(*jobs, strict=True), chunksize=chunk))


def store_facts(writer: SnapshotWriter, *, workers: int | None = None) -> int:
    """Parse every switch, FC switch and array the writer holds and store its facts; called
    by ``collect`` and ``snapshot import`` just before :meth:`SnapshotWriter.commit`.

    Devices are parsed over a process pool of ``workers`` (default: one per core) when there
    are at least :data:`POOL_MIN_DEVICES`; the result is the same as serial parsing (each
    device is parsed alone, results are written in device order). Returns how many devices'
    facts were stored."""
    jobs: list[tuple[str, str, str]] = []
    entries: list[dict[str, Any]] = []
    for name, record in sorted(writer.devices.items()):
        device_dir = writer.tmp / "devices" / name
        if not device_dir.is_dir():
            continue
        kind = parse_kind(device_dir, DeviceKind(record.kind), record.platform)
        if kind is None:
            continue
        jobs.append((str(device_dir), name, str(kind)))
        entries.append(
            {
                "parser_version": parser_version(),
                "sources": sources_digest(name, ((a.path, a.sha256) for a in record.artifacts)),
                "kind": str(kind),
            }
        )
    workers = workers if workers is not None else (os.cpu_count() or 1)
    results: list[dict[str, bytes] | str] | None = None
    if workers > 1 and len(jobs) >= POOL_MIN_DEVICES:
        try:
            results = _run_pool(jobs, workers)
        except (OSError, BrokenProcessPool) as exc:  # no processes here: one core it is
            log.warning("parsing in one process: the process pool failed (%s)", exc)
    if results is None:
        results = _run_serial(jobs)
    stored = 0
    for (_, name, _), entry, files in zip(jobs, entries, results, strict=True):
        if isinstance(files, str):
            log.warning("%s: facts not stored, parsed when read instead: %s", name, files)
            continue
        writer.write_facts(name, entry, files)
        stored += 1
    return stored


# -- reading ---------------------------------------------------------------------------------


def _read_checked(snapshot: Snapshot, artifact: dict[str, Any]) -> bytes:
    path = snapshot.path / str(artifact["path"])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StoredFactsError(f"{artifact['path']}: unreadable ({exc.strerror})") from exc
    if not snapshot.verified and hashlib.sha256(data).hexdigest() != artifact.get("sha256"):
        raise StoredFactsError(f"{artifact['path']}: edited (sha256 differs from the manifest)")
    return data


_RECORDS: weakref.WeakKeyDictionary[Snapshot, dict[str, dict[str, Any]]] = (
    weakref.WeakKeyDictionary()
)


def _device_record(snapshot: Snapshot, device: str) -> dict[str, Any] | None:
    """The manifest record of ``device`` (by name, indexed once per snapshot: a search per
    device is quadratic on a 1,000-switch estate)."""
    records = _RECORDS.get(snapshot)
    if records is None:
        records = _RECORDS[snapshot] = {}
        for d in snapshot.devices():
            records.setdefault(str(d["name"]), d)
    return records.get(device)


def _current_sources(snapshot: Snapshot, device: str) -> str:
    record = _device_record(snapshot, device)
    artifacts = record.get("artifacts", []) if record else []
    if snapshot.verified:  # the open checked every file against these hashes
        return sources_digest(device, ((a["path"], a["sha256"]) for a in artifacts))
    pairs = []
    for artifact in artifacts:
        try:
            data = (snapshot.path / artifact["path"]).read_bytes()
        except OSError:
            data = b""
        pairs.append((artifact["path"], hashlib.sha256(data).hexdigest()))
    return sources_digest(device, pairs)


def load_stored(snapshot: Snapshot, device: str, kind: DeviceKind) -> list[Any]:
    """The stored facts of ``device`` parsed as ``kind``. Raises :class:`StoredFactsError`
    when there are none or they cannot be trusted (other parser version, raw captures not the
    ones they came from, a facts file not as hashed, unreadable)."""
    return deserialise(device, kind, _stored_reader(snapshot, device, kind))


def _stored_reader(snapshot: Snapshot, device: str, kind: DeviceKind) -> Callable[[str], bytes]:
    """A reader of ``device``'s stored facts files by name, once the facts are known to be
    current (raises :class:`StoredFactsError` otherwise; see :func:`load_stored`)."""
    entry = ((snapshot.manifest.get("facts") or {}).get("devices") or {}).get(device)
    if entry is None:
        raise StoredFactsError("no stored facts")
    if entry.get("kind") != kind:
        raise StoredFactsError(f"stored as {entry.get('kind')}, wanted {kind}")
    if entry.get("parser_version") != parser_version():
        raise StoredFactsError(f"parser version {entry.get('parser_version')!r} is not current")
    if entry.get("sources") != _current_sources(snapshot, device):
        raise StoredFactsError("raw captures changed since the facts were stored")
    files = {str(a["path"]).rpartition("/")[2]: a for a in entry.get("files", [])}

    def read(name: str) -> bytes:
        if name not in files:
            raise StoredFactsError(f"{name}: not listed in the manifest")
        return _read_checked(snapshot, files[name])

    return read


def load_configs(
    snapshot: Snapshot, device: str, device_dir: Path, platform: str | None
) -> list[Any]:
    """A switch's configurations with their config facts, as
    :func:`xsfabric.switch.config.load_device_configs` gives them: from the stored facts when
    they are current, else parsed from the captures (hier_config, ~10 ms a switch)."""
    from xsfabric.switch.config import (
        SwitchConfig,
        load_device_configs,
        read_config_facts,
    )

    try:
        head = json.loads(_stored_reader(snapshot, device, DeviceKind.SWITCH)(CONFIGS_FILE))
        if head.get("format") != CONFIGS_FORMAT or head.get("device") != device:
            raise StoredFactsError(f"{CONFIGS_FILE}: not {CONFIGS_FORMAT} of {device}")
        build = decoder(SwitchConfig)
        configs = [build(doc) for doc in head["configs"]]
    except (StoredFactsError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.debug("%s: configurations parsed from the captures: %s", device, exc)
        return load_device_configs(device_dir, device, platform)
    if configs and any(c.platform != platform for c in configs):  # platform file changed
        return load_device_configs(device_dir, device, platform)
    facts = read_config_facts(device_dir)
    for config in configs:
        config.facts = facts.get(config.source)
    return configs


def deserialise(device: str, kind: DeviceKind, read: Callable[[str], bytes]) -> list[Any]:
    """The facts :func:`serialise` wrote, ``read`` giving each file's bytes by name."""
    try:
        head = json.loads(read(FACTS_FILE))
        if head.get("format") != FORMAT or head.get("device") != device:
            raise StoredFactsError(f"{FACTS_FILE}: not {FORMAT} facts of {device}")
        facts_type = facts_types()[kind]
        build = decoder(facts_type)
        columnar = COLUMNAR.get(facts_type.__name__, ())
        result = []
        for doc in head["facts"]:
            tables = {}
            for table in columnar:
                ref = doc.get(table)
                if isinstance(ref, dict):
                    data = read(str(ref.get("parquet")))
                    tables[table] = table_from_parquet(data, _row_type(facts_type, table))
                    doc[table] = None
            facts = build(doc)
            for table, rows in tables.items():
                setattr(facts, table, rows)
            result.append(facts)
        return result
    except StoredFactsError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        # pyarrow's ArrowInvalid is a ValueError, ArrowIOError an OSError
        raise StoredFactsError(f"unreadable stored facts: {exc}") from exc
