"""xapi's S-expression encoding of sets and maps, and the dump's whitespace escaping.

A xapi database dump stores a set as ``('a' 'b')`` and a map as ``(('k' 'v') ('k2' 'v2'))``
inside an XML attribute. Since 2017 xapi also escapes whitespace in attribute values (``%.``
space, ``%n`` newline, ``%r``, ``%t``, ``%%`` percent; older dumps used ``%_`` for a space):
unescape first, then parse the S-expression.
"""

from __future__ import annotations

import re

#: ``%_`` is the pre-2017 form: it stood for two spaces (xapi's own unprotect keeps it so).
_UNESCAPES = {".": " ", "_": "  ", "n": "\n", "r": "\r", "t": "\t", "%": "%"}
_ESCAPE_RE = re.compile(r"%(.)", re.DOTALL)
_ESCAPES = {" ": "%.", "\n": "%n", "\r": "%r", "\t": "%t", "%": "%%"}
_NEEDS_ESCAPE_RE = re.compile(r"[ \n\r\t%]")


class SExprError(ValueError):
    """The text is not a well-formed xapi S-expression."""


def unescape(value: str) -> str:
    """Undo the dump's whitespace escaping (both the modern and the legacy form).

    >>> unescape("a%.b%%c%_d")
    'a b%c  d'
    """
    if "%" not in value:
        return value
    return _ESCAPE_RE.sub(lambda m: _UNESCAPES.get(m.group(1), m.group(0)), value)


def escape(value: str) -> str:
    """Apply the modern (2017+) whitespace escaping that xapi writes into dumps.

    >>> escape("a b%c")
    'a%.b%%c'
    """
    if not _NEEDS_ESCAPE_RE.search(value):
        return value
    return _NEEDS_ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], value)


SExpr = str | list["SExpr"]


def parse(text: str) -> SExpr:
    """Parse one S-expression: a quoted string or a parenthesised list of them.

    >>> parse("(('k' 'v') ('a' 'it\\\\'s'))")
    [['k', 'v'], ['a', "it's"]]
    """
    value, pos = _parse_at(text, _skip_space(text, 0))
    if _skip_space(text, pos) != len(text):
        raise SExprError(f"unexpected text after position {pos}: {text[pos : pos + 20]!r}")
    return value


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _parse_at(text: str, pos: int) -> tuple[SExpr, int]:
    if pos >= len(text):
        raise SExprError("unexpected end of S-expression")
    char = text[pos]
    if char == "'":
        return _parse_string(text, pos + 1)
    if char == "(":
        items: list[SExpr] = []
        pos = _skip_space(text, pos + 1)
        while pos < len(text) and text[pos] != ")":
            item, pos = _parse_at(text, pos)
            items.append(item)
            pos = _skip_space(text, pos)
        if pos >= len(text):
            raise SExprError("unclosed '(' in S-expression")
        return items, pos + 1
    raise SExprError(f"unexpected character {char!r} at position {pos}")


def _parse_string(text: str, pos: int) -> tuple[str, int]:
    out: list[str] = []
    start = pos
    while True:
        end = text.find("'", pos)
        slash = text.find("\\", pos)
        if end < 0:
            raise SExprError(f"unterminated string starting at position {start - 1}")
        if 0 <= slash < end:
            out.append(text[pos:slash])
            if slash + 1 >= len(text):
                raise SExprError("dangling backslash in S-expression")
            out.append(text[slash + 1])
            pos = slash + 2
            continue
        out.append(text[pos:end])
        return "".join(out), end + 1


def parse_set(text: str) -> list[str]:
    """Parse a xapi set; every element must be a string."""
    value = parse(text)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SExprError(f"not a set of strings: {text[:60]!r}")
    return [v for v in value if isinstance(v, str)]


def parse_map(text: str) -> dict[str, str]:
    """Parse a xapi map: a list of two-string pairs."""
    value = parse(text)
    if not isinstance(value, list):
        raise SExprError(f"not a map: {text[:60]!r}")
    result: dict[str, str] = {}
    for pair in value:
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not isinstance(pair[0], str)
            or not isinstance(pair[1], str)
        ):
            raise SExprError(f"map entry is not a pair of strings: {pair!r}")
        result[pair[0]] = pair[1]
    return result


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def format_set(values: list[str]) -> str:
    """Encode a set the way xapi writes it.

    >>> format_set(["a", "b"])
    "('a' 'b')"
    """
    return "(" + " ".join(_quote(v) for v in values) + ")"


def format_map(values: dict[str, str]) -> str:
    """Encode a map the way xapi writes it.

    >>> format_map({"k": "v"})
    "(('k' 'v'))"
    """
    return "(" + " ".join(f"({_quote(k)} {_quote(v)})" for k, v in values.items()) + ")"
