"""Read and write xapi database dumps (``xe pool-dump-database``, ``state.db``, a status
report's ``xapi-db.xml``).

A dump is ``<database><manifest><pair key= value=/>…</manifest><table name=CLASS><row ref=…
field="…"/></table>…</database>``. Values are kept here as unescaped strings with the dump's
own field names (``name__label``); :mod:`xsfabric.xapi.records` turns them into API records.
"""

from __future__ import annotations

import bz2
import gzip
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET

from xsfabric.errors import DumpError
from xsfabric.xapi.sexpr import escape, unescape

#: xapi has kept schema major version 5 since XenServer 5; a different major is a format
#: this parser was not written for.
SUPPORTED_SCHEMA_MAJOR = "5"


@dataclass(slots=True)
class XapiDatabase:
    """The tables of one dump: class name → opaque ref → dump field name → unescaped value."""

    manifest: dict[str, str] = field(default_factory=dict)
    tables: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def table(self, name: str) -> dict[str, dict[str, str]]:
        return self.tables.get(name, {})


#: The largest dump xsfabric reads (decompressed): a pool of hundreds of hosts and thousands
#: of VMs is tens of MB; an archive that inflates past this is refused, not read.
MAX_DUMP_BYTES = 1 << 30
#: Above this size a decompression ratio past :data:`MAX_RATIO` is refused as a bomb (real
#: dumps compress about 10:1).
RATIO_CHECK_BYTES = 16 << 20
MAX_RATIO = 200


def read_dump(path: Path) -> XapiDatabase:
    """Read a dump file; every failure names the file (and the line for XML errors)."""
    try:
        size = path.stat().st_size
        if size > MAX_DUMP_BYTES:
            raise DumpError(
                path, f"{size} bytes: larger than the {MAX_DUMP_BYTES} bytes a dump may have"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DumpError(path, f"cannot read: {exc.strerror or exc}") from exc
    return parse_dump(data, path)


def bounded_decompress(stream: Any, compressed_size: int, path: Path | str, what: str) -> bytes:
    """Read a decompressing stream, refusing more than :data:`MAX_DUMP_BYTES` or a ratio
    past :data:`MAX_RATIO` (an 827-byte archive once inflated to 2 GB in memory)."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(1 << 20)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > MAX_DUMP_BYTES:
            raise DumpError(path, f"{what} inflates past {MAX_DUMP_BYTES} bytes: refused")
        if total > RATIO_CHECK_BYTES and total > MAX_RATIO * max(compressed_size, 1):
            raise DumpError(
                path,
                f"{what} inflates more than {MAX_RATIO}:1 "
                f"({compressed_size} bytes to over {total}): refused as a bomb",
            )
        chunks.append(chunk)


def parse_dump(data: bytes, path: Path | str = "<dump>") -> XapiDatabase:
    try:
        if data[:2] == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
                data = bounded_decompress(stream, len(data), path, "gzip data")
        elif data[:3] == b"BZh":
            with bz2.BZ2File(io.BytesIO(data)) as stream:
                data = bounded_decompress(stream, len(data), path, "bzip2 data")
    except (OSError, EOFError) as exc:
        raise DumpError(path, f"truncated or corrupt compressed data: {exc}") from exc
    if not data.strip():
        raise DumpError(path, "empty file, not a xapi database dump")
    try:
        # defusedxml: no DTDs, entities or external references (a dump has none)
        root = DefusedET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise DumpError(path, f"malformed or truncated XML: {exc.msg}", line) from exc
    except DefusedXmlException as exc:
        raise DumpError(
            path,
            f"refused XML construct ({type(exc).__name__}): a xapi dump has no DTD or entities",
        ) from exc
    if root.tag != "database":
        raise DumpError(path, f"not a xapi database dump (root element <{root.tag}>)")
    db = XapiDatabase()
    manifest = root.find("manifest")
    if manifest is not None:
        for pair in manifest.findall("pair"):
            key = pair.get("key")
            if key is not None:
                db.manifest[key] = pair.get("value", "")
    major = db.manifest.get("schema_major_vsn")
    if major is not None and major != SUPPORTED_SCHEMA_MAJOR:
        raise DumpError(
            path,
            f"unknown xapi database schema {major}.{db.manifest.get('schema_minor_vsn', '?')}"
            f" (xsfabric reads schema {SUPPORTED_SCHEMA_MAJOR}.x)",
        )
    tables = root.findall("table")
    if not tables:
        raise DumpError(path, "no <table> elements: not a xapi database dump")
    for table in tables:
        name = table.get("name")
        if not name:
            raise DumpError(path, "a <table> element has no name attribute")
        rows = db.tables.setdefault(name, {})
        for row in table.iter("row"):
            attrs = row.attrib
            ref = attrs.get("ref") or attrs.get("_ref")
            if not ref:
                raise DumpError(path, f"a row of table {name} has no ref")
            rows[ref] = {k: unescape(v) for k, v in attrs.items() if k != "ref"}
    return db


def format_dump(db: XapiDatabase) -> bytes:
    """Write a dump in the modern (%-escaped) format that current xapi writes."""
    parts = ["<database><manifest>"]
    for key, value in db.manifest.items():
        parts.append(f"<pair key={quoteattr(key)} value={quoteattr(value)}/>")
    parts.append("</manifest>")
    for name, rows in db.tables.items():
        if not rows:
            parts.append(f"<table name={quoteattr(name)}/>")
            continue
        parts.append(f"<table name={quoteattr(name)}>")
        for ref, fields in rows.items():
            attrs = "".join(f" {k}={quoteattr(escape(v))}" for k, v in fields.items() if k != "ref")
            parts.append(f"<row ref={quoteattr(ref)}{attrs}/>")
        parts.append("</table>")
    parts.append("</database>")
    return "".join(parts).encode("utf-8")
