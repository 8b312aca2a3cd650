"""Capture cleaning: what a terminal adds to a saved ``show`` output, removed before a
template sees it (CRLF, prompt-and-command echo, trailing prompt, pager residue)."""

from __future__ import annotations

import re
from pathlib import Path

#: A CLI prompt as terminals save it: ``sw1#``, ``sw1(config)#``, ``sw1>``, ``admin@ex1>``.
_PROMPT = r"[\w.:/@-]+(?:\([\w.-]+\))?[#>]"
_BARE_PROMPT = re.compile(rf"^\s*{_PROMPT}\s*$")
#: Junos prints the routing-engine state around its prompt.
_JUNOS_BANNER = re.compile(r"^\s*\{(?:master|backup|primary|secondary|linecard)[^}]*\}\s*$")
#: ``--More--`` / ``-- More --`` pager residue, the backspaces that erase it, ANSI escapes.
_PAGER = re.compile(
    r"[ \t]*-+ ?\(?more\b[^\n]*?\)? ?-+[ \t]*|\x08+[ \t]*\x08*|"
    r"\x1b\[[0-9;]*[A-Za-z]",
    re.I,
)


def _strip_pager(text: str) -> str:
    """:data:`_PAGER` removed. Every match holds "more" (any case), a backspace or an escape:
    an ASCII capture with none of them is returned as is, without the scan, which starts a
    match attempt at every blank of a whitespace-aligned table (a third of a 50k-row MAC
    table's parse time, measured). Non-ASCII text always takes the scan (Unicode case
    folding is the pattern's business)."""
    if text.isascii() and "\x08" not in text and "\x1b" not in text and "more" not in text.lower():
        return text
    return _PAGER.sub("", text)


def clean_capture(text: str, command: str) -> str:
    """Undo what a terminal adds to a saved capture: CRLF line ends, the prompt-and-command
    echo at the top, the bare prompt (and Junos' ``{master:0}``) at the end, ``--More--``
    pager residue and the backspaces that erase it. A template then sees only the command's
    own output; a capture without any of these is returned unchanged.
    """
    lines = _strip_pager(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    words = command.lower().split()
    for index, line in enumerate(lines[:3]):
        match = re.match(rf"^\s*{_PROMPT}\s*(\S.*)$", line)
        said = match.group(1).lower().split() if match else []
        if (
            said
            and len(said) >= len(words)
            and all(w.startswith(s) for s, w in zip(said, words, strict=False))
        ):
            lines = lines[index + 1 :]
            break
    if lines and _JUNOS_BANNER.match(lines[0]):
        lines = lines[1:]
    if any(_BARE_PROMPT.match(line) for line in lines[-3:]):
        while lines and (
            not lines[-1].strip() or _BARE_PROMPT.match(lines[-1]) or _JUNOS_BANNER.match(lines[-1])
        ):
            lines.pop()
        lines.append("")
    return "\n".join(lines)


def has_cli(device_dir: Path) -> bool:
    """True when the folder holds CLI captures (any ``.txt`` that is no SNMP walk)."""
    return any(not p.name.startswith("snmpwalk") for p in device_dir.glob("*.txt"))
