"""TextFSM lookup: one saved ``show`` output → rows, the way ntc-templates' own lookup works.

``textfsm.clitable`` reads an ``index`` file: xsfabric's templates (``xsfabric/templates/index``,
package data) are tried first, then ntc-templates'. A capture no template can parse raises
:class:`TemplateError` with the input line TextFSM names, which the device parser turns into a
:class:`~xsfabric.switch.model.ParseWarning`. Kind-neutral: FC switches and arrays use it too.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

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


def parse_output(platform: str, command: str, text: str) -> list[Row]:
    """Parse one capture with the first template whose index row matches; lowercase keys."""
    from textfsm import clitable
    from textfsm.parser import TextFSMError

    attributes = {"Command": command, "Platform": platform}
    last_error: Exception | None = None
    for folder in (own_template_dir(), ntc_template_dir()):
        if not (folder / "index").is_file():
            continue
        with _lock:  # CliTable keeps per-parse state
            table = _cli_table(str(folder))
            try:
                table.ParseCmd(text, attributes)
            except clitable.CliTableError as exc:
                last_error = exc
                continue
            except TextFSMError as exc:
                raise TemplateError(str(exc).splitlines()[0], _input_line(str(exc), text)) from exc
            header = [h.lower() for h in table.header]
            return [dict(zip(header, row, strict=True)) for row in table]
    raise TemplateError(
        f"no TextFSM template for {platform} {command!r}"
        + (f" ({last_error})" if last_error else "")
    )


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
