"""TextFSM lookup: one saved ``show`` output → rows, the way ntc-templates' own lookup works.

``textfsm.clitable`` reads an ``index`` file: xsfabric's templates (``xsfabric/templates/index``,
package data) are tried first, then ntc-templates'. A capture no template can parse raises
:class:`TemplateError` with the input line TextFSM names, which the device parser turns into a
:class:`~xsfabric.switch.model.ParseWarning`. Kind-neutral: FC switches and arrays use it too.
"""

from __future__ import annotations

import io
import re
import threading
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from xsfabric.switch.fast_parse import fast_rows

#: One TextFSM row, keys lowercased (``destination_address``, ``vlan_id`` …).
Row = dict[str, Any]


class TemplateError(Exception):
    """A capture that the matching template rejects (or no template matches)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(message)


def own_template_dir() -> Path:
    """xsfabric's templates: package data, found the same way in a checkout and a wheel."""
    return Path(str(resources.files("xsfabric") / "templates"))


def ntc_template_dir() -> Path:
    import ntc_templates

    return Path(ntc_templates.__file__).parent / "templates"


_lock = threading.Lock()


@cache
def _cli_table(template_dir: str) -> Any:
    from textfsm import clitable

    return clitable.CliTable("index", template_dir)


@lru_cache(maxsize=4096)
def _templates_for(platform: str, command: str) -> tuple[str, str] | None:
    """(template folder, the index row's ``Template`` field) of the first index row matching
    ``platform`` and ``command`` — own templates first, then ntc-templates — or None.

    clitable's own index matching (``IndexTable.GetRowMatch``, with its ``[[…]]`` completion)
    decides, so the choice is the one ``CliTable.ParseCmd`` makes; it runs once per (platform,
    command) instead of once per capture.
    """
    attributes = {"Command": command, "Platform": platform}
    for folder in (own_template_dir(), ntc_template_dir()):
        if not (folder / "index").is_file():
            continue
        with _lock:
            index = _cli_table(str(folder)).index
        row = index.GetRowMatch(attributes)
        if row:
            return str(folder), str(index.index[row]["Template"])
    return None


@cache
def _template_text(path: str) -> str:
    return Path(path).read_text()


#: Compiled FSMs of this thread, by template path. A TextFSM object keeps per-parse state
#: (current state, record, result), so threads never share one; a process (pool worker,
#: forked or spawned) builds its own lazily, nothing here needs pickling.
_local = threading.local()


def compiled_fsm(path: str) -> Any:
    """This thread's compiled :class:`textfsm.TextFSM` for a template file, reset for a new
    capture. Compiling costs ~1-5 ms per template (its regexes); parsing a 50-row table
    costs less, so the FSM is built once and reused (``Reset`` between captures)."""
    import textfsm

    cache_: dict[str, Any] | None = getattr(_local, "fsms", None)
    if cache_ is None:
        cache_ = _local.fsms = {}
    fsm = cache_.get(path)
    if fsm is None:
        fsm = cache_[path] = textfsm.TextFSM(io.StringIO(_template_text(path)))
    else:
        fsm.Reset()
    return fsm


def parse_output(platform: str, command: str, text: str) -> list[Row]:
    """Parse one capture with the first template whose index row matches; lowercase keys.

    One compiled TextFSM per template file, rows straight from ``ParseText``: clitable's
    ``ParseCmd`` re-read and re-compiled the template on every call and deep-copied every row
    into its table (74% of an audit's time on a 200k-row estate, issue 12). An index row
    naming several templates (``a.textfsm:b.textfsm``, joined on their Key values) still goes
    through clitable, which implements that merge; no command xsfabric sends has one.
    """
    from textfsm.parser import TextFSMError

    found = _templates_for(platform, command)
    if found is None:
        attributes = {"Command": command, "Platform": platform}
        raise TemplateError(
            f"no TextFSM template for {platform} {command!r}"
            f' (No template found for attributes: "{attributes}")'
        )
    folder, templates = found
    try:
        if ":" in templates:
            return _parse_joined(folder, templates, text)
        path = str(Path(folder) / templates)
        fast = fast_rows(path, text)
        if fast is not None:
            return fast
        fsm = compiled_fsm(path)
        header = [h.lower() for h in fsm.header]
        return [
            dict(zip(header, [list(v) if isinstance(v, list) else v for v in row], strict=True))
            for row in fsm.ParseText(text)
        ]
    except TextFSMError as exc:
        raise TemplateError(str(exc).splitlines()[0], _input_line(str(exc), text)) from exc


def _parse_joined(folder: str, templates: str, text: str) -> list[Row]:
    """Several templates for one command: clitable's ``ParseCmd`` and its key join."""
    with _lock:  # CliTable keeps per-parse state
        table = _cli_table(folder)
        table.ParseCmd(text, templates=templates)
        header = [h.lower() for h in table.header]
        return [dict(zip(header, row, strict=True)) for row in table]


#: How many unparseable lines one capture may skip before the table is given up.
MAX_SKIPPED_LINES = 20


def parse_output_skipping(
    platform: str, command: str, text: str, skipped: list[tuple[int | None, str]]
) -> list[Row]:
    """:func:`parse_output`, but a line the template rejects (its ``Error`` action) costs
    that line, not the table: the line is dropped, recorded in ``skipped`` as (line number,
    message quoting it), and the rest is parsed again. More than :data:`MAX_SKIPPED_LINES`
    such lines, or an error that names no line, still fail the whole capture."""
    lines = text.splitlines(keepends=True)
    numbers = list(range(1, len(lines) + 1))
    while True:
        try:
            return parse_output(platform, command, "".join(lines))
        except TemplateError as exc:
            if exc.line is None or len(skipped) >= MAX_SKIPPED_LINES or exc.line > len(lines):
                if exc.line is not None and exc.line <= len(numbers):
                    exc.line = numbers[exc.line - 1]
                raise
            index = exc.line - 1
            bad = lines[index].rstrip("\r\n")
            skipped.append((numbers[index], f"row skipped, the template rejects it: {bad!r}"))
            del lines[index], numbers[index]


def _input_line(message: str, text: str) -> int | None:
    """TextFSM names the offending input line by content; find its number."""
    match = re.search(r"Input Line: (.*)$", message, re.M)
    if not match:
        return None
    wanted = match.group(1).strip()
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == wanted:
            return number
    return None
