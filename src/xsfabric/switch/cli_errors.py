"""A command's error output is not data.

A switch answers an unknown or unfinished command with an error text instead of a table
(``% Invalid input detected``, ``% Incomplete command``, Junos' ``syntax error`` …). A
TextFSM template may well match nothing in it and give an empty table, which would read as
"this switch has 0 ports". The parser asks :func:`command_error` first; an error text, or an
empty output where the command always prints something, makes the table "not available" with
a warning that names the device and the command.
"""

from __future__ import annotations

import re

#: Error texts of IOS/IOS-XE, NX-OS, EOS and Junos, at the start of a line.
_ERROR_LINE = re.compile(
    r"^\s*(?:"
    r"% ?Invalid (?:input|command|parameter)|"
    r"% ?Incomplete command|"
    r"% ?Ambiguous command|"
    r"% ?Unknown command|"
    r"% ?Unrecognized command|"
    r"% ?Permission denied|"
    r"% ?Authorization failed|"
    r"Invalid command|"
    r"Syntax error while parsing|"
    r"syntax error, expecting|"
    r"error: (?:syntax error|unknown command|command is not valid)|"
    r"unknown command\.?\s*$"
    r")",
    re.IGNORECASE | re.MULTILINE,
)
#: How many leading non-blank lines may hold the error (an echoed caret line comes first).
_HEAD_LINES = 4


def command_error(text: str, *, output_required: bool = False) -> str | None:
    """The reason ``text`` is not command output, or None when it is.

    >>> command_error("       ^\\n% Invalid input detected at '^' marker.\\n")
    "% Invalid input detected at '^' marker."
    >>> command_error("", output_required=True)
    'empty output'
    >>> command_error("Port  Name  Status\\nGi1/0/1  uplink  connected\\n") is None
    True
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return "empty output" if output_required else None
    for line in lines[:_HEAD_LINES]:
        if _ERROR_LINE.match(line):
            return line.strip()
    return None
