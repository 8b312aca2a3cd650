from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xsfabric.xapi.sexpr import (
    SExprError,
    escape,
    format_map,
    format_set,
    parse,
    parse_map,
    parse_set,
    unescape,
)


def test_modern_escapes_are_undone() -> None:
    assert unescape("Pool-wide%.network%.associated%.with%.eth0") == (
        "Pool-wide network associated with eth0"
    )
    assert unescape("a%nb%rc%td%%e") == "a\nb\rc\td%e"


def test_legacy_space_escape_is_undone() -> None:
    # as found in a 2011 dump's cpu_info: each %_ stands for two spaces (xapi's unprotect)
    assert unescape("CPU%_%_6420%_@") == "CPU    6420  @"


def test_map_with_quotes_and_backslashes() -> None:
    text = r"(('k' 'it\'s') ('path' 'C:\\dir'))"
    assert parse_map(text) == {"k": "it's", "path": "C:\\dir"}


def test_empty_set_and_map() -> None:
    assert parse_set("()") == []
    assert parse_map("()") == {}


@pytest.mark.parametrize("bad", ["('a'", "('a' 'b", "(('k'))", "x", "('a') junk"])
def test_malformed_sexpr_is_an_error(bad: str) -> None:
    with pytest.raises(SExprError):
        parse_map(bad) if bad.startswith("((") else parse_set(bad)


def test_nested_list() -> None:
    assert parse("(('a' 'b') ('c' 'd'))") == [["a", "b"], ["c", "d"]]


@given(st.dictionaries(st.text(max_size=12), st.text(max_size=20), max_size=6))
def test_map_round_trips_through_format_and_escape(values: dict[str, str]) -> None:
    encoded = escape(format_map(values))
    assert " " not in encoded and "\n" not in encoded
    assert parse_map(unescape(encoded)) == values


@given(st.lists(st.text(max_size=15), max_size=6))
def test_set_round_trips(values: list[str]) -> None:
    assert parse_set(unescape(escape(format_set(values)))) == values
