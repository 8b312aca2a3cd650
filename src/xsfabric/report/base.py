"""What every report renderer shares: its signature, its options, inert text, atomic writes.

A renderer takes the canonical findings document (:func:`xsfabric.report.json.findings_document`,
plus the waiver and reference sections :mod:`xsfabric.report.waivers` and
:mod:`xsfabric.report.diff` add to it) and returns files: one unnamed file for single-file
formats, named files for formats that write one file per table (CSV). Renderers never read a
snapshot themselves; tables of the snapshot come in the options, built by the command.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from xsfabric.errors import XsfabricError
from xsfabric.tables import Table

#: The key of the only file of a single-file format.
SINGLE = ""

Files = dict[str, bytes]


class OutputError(XsfabricError):
    """The report cannot be written where the user asked (folder missing, no permission)."""


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """What a renderer may need beyond the document."""

    color: bool = False
    #: List waived findings in the text report (they are always counted).
    show_suppressed: bool = False
    #: Tables of the snapshot (hosts, NICs, VLANs …), for the formats that show them.
    tables: Sequence[Table] = field(default_factory=tuple)
    #: MLAG / vPC pairs of the snapshot (switch → peer), for the HTML cabling map.
    mlag_pairs: Mapping[str, str] = field(default_factory=dict)


class Renderer(Protocol):
    def __call__(self, doc: Mapping[str, Any], options: ReportOptions) -> Files: ...


_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|"
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def inert(text: str, *, newlines: bool = False) -> str:
    """Device text without ANSI escapes, control characters and bidirectional overrides (a
    hostile port description must not recolour a terminal, forge a line or show text in
    another order than it is); newlines kept only where asked."""
    cleaned = _CONTROL.sub("", text)
    return cleaned if newlines else cleaned.replace("\r", " ").replace("\n", " ")


def inert_tree(node: Any, *, newlines: bool = True) -> Any:
    """Every string of a JSON-like tree made :func:`inert` (newlines kept unless asked)."""
    if isinstance(node, str):
        return inert(node, newlines=newlines)
    if isinstance(node, Mapping):
        return {k: inert_tree(v, newlines=newlines) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [inert_tree(v, newlines=newlines) for v in node]
    return node


def subject_line(subject: Mapping[str, Mapping[str, str]]) -> str:
    return ", ".join(f"{key}={part['name']}" for key, part in subject.items())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()


def write_files(files: Files, output: Path) -> list[Path]:
    """Write the report atomically: each file goes to a temporary file in the target folder,
    then is renamed, so an interrupted or refused write never leaves a half report. A
    single-file format writes ``output`` (its missing parent folders made); a multi-file
    format writes into the folder ``output`` (made if missing). Failures are one
    :class:`OutputError` line."""
    try:
        if set(files) == {SINGLE}:
            output.parent.mkdir(parents=True, exist_ok=True)  # -o reports/2026/x.sarif
            targets = [(output, files[SINGLE])]
        else:
            output.mkdir(parents=True, exist_ok=True)
            targets = [(output / name, data) for name, data in sorted(files.items())]
        written = []
        for target, data in targets:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            try:
                os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; a report is shared
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                Path(tmp).replace(target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            written.append(target)
        return written
    except OSError as exc:
        where = exc.filename or output
        raise OutputError(f"{where}: cannot write the report: {exc.strerror or exc}") from exc
