"""The fast path for the tables that grow: MAC address tables, parsed by plain ``re`` over lines.

A 1,000-switch estate holds about a million MAC-table rows and almost nothing else of any size
(issue 12). TextFSM spends most of a row's time outside the regular expression: per line it
calls a method per rule, per captured group an ``_AssignVar`` that walks the value's option
objects, per record an ``_AppendRecord`` that calls ``OnSaveRecord`` on every value. This
module runs the *same template* — its states, its rules' compiled regexes, in its order — as a
flat loop over ``(pattern, assignments, actions)`` tuples, building each row as a dict in one
step. It is not a second parser to keep in step with the template: the program is read from
the template file TextFSM itself compiled, so a change in the template changes both.

It covers the subset of TextFSM those templates use: values without options other than
``List`` (and ``Key``, which changes no row); rules with ``Next`` / ``Continue``, ``NoRecord``
/ ``Record``, a state change, ``End``; no explicit ``EOF`` state. A template outside that
subset is not given a program. At parse time, a line that reaches a rule outside the subset —
an ``Error`` rule, a ``Clear`` — or a captured group that did not take part in the match makes
:func:`fast_rows` return None, and the caller parses the whole capture with TextFSM (which then
raises the error with its message and input line, or yields its rows): the fast path never
silently differs, it only declines. ``tests/switch/test_fast_parse.py`` proves row-for-row
equality with TextFSM on every corpus and fixture capture of these commands.

Measured by ``bench/bench_parse.py`` (CPU ms per 200,000 generated rows on this project's
shared 2-core machine; clitable ``ParseCmd`` as before / one compiled TextFSM / this path):
IOS 9,505 / 2,018 / 340, NX-OS 14,776 / 3,835 / 1,670, EOS 14,686 / 3,045 / 762, Junos
9,751 / 1,876 / 562. NX-OS stays the dearest: its template tries six patterns on a row.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from xsfabric.perf import gc_paused

#: The templates given a fast program: the MAC-table formats of the four switch platforms,
#: the only tables whose size grows with the estate (ntc-templates' IOS and EOS, xsfabric's
#: NX-OS and Junos). Others gain little (a few rows each) and keep plain TextFSM.
FAST_TEMPLATES = frozenset(
    {
        "cisco_ios_show_mac-address-table.textfsm",
        "cisco_nxos_show_mac_address-table.textfsm",
        "arista_eos_show_mac_address-table.textfsm",
        "juniper_junos_show_ethernet-switching_table.textfsm",
    }
)

_END_STATES = ("End", "EOF")


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    #: (position in ``match.groups()``, value index, value is a List) per captured value
    assigns: tuple[tuple[int, int, bool], ...]
    record: bool
    carry_on: bool  # Continue: the same line goes on to the next rule
    new_state: str  # "" stays
    supported: bool  # False: an Error / Clear / Clearall rule — decline the capture
    #: a Next.Record rule on an empty record (the usual table row): the row is a copy of
    #: ``base`` (every value unset) with the groups of ``direct`` — (key, group position, is
    #: a List) — put in, no record is built; empty when the rule is not such a rule
    direct: tuple[tuple[str, int, bool], ...]
    base: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Program:
    """A template as flat data: value keys (lowercased), which are Lists, rules per state."""

    keys: tuple[str, ...]
    is_list: tuple[bool, ...]
    states: dict[str, tuple[_Rule, ...]]


def program_for(fsm: Any) -> Program | None:
    """The program of a compiled :class:`textfsm.TextFSM`, None outside the subset."""
    values = list(fsm.values)
    index = {value.name: i for i, value in enumerate(values)}
    for value in values:
        if set(value.OptionNames()) - {"List", "Key"}:
            return None  # Filldown, Fillup, Required change rows across lines
        if "List" in value.OptionNames() and _compiled(value.compiled_regex).groupindex:
            return None  # a List of dicts (nested named groups)
    if "EOF" in fsm.states:
        return None
    is_list = tuple("List" in value.OptionNames() for value in values)
    keys = tuple(v.name.lower() for v in values)
    states: dict[str, tuple[_Rule, ...]] = {}
    for name, rules in fsm.states.items():
        compiled: list[_Rule] = []
        for rule in rules:
            pattern = _compiled(rule.regex_obj)
            assigns = tuple(
                (position - 1, index[group], is_list[index[group]])
                for group, position in sorted(pattern.groupindex.items(), key=lambda g: g[1])
                if group in index
            )
            line_op = rule.line_op or "Next"
            record_op = rule.record_op or "NoRecord"
            supported = line_op in ("Next", "Continue") and record_op in ("NoRecord", "Record")
            direct = (
                tuple((keys[value], position, listed) for position, value, listed in assigns)
                if record_op == "Record" and line_op == "Next" and assigns
                else ()
            )
            compiled.append(
                _Rule(
                    pattern,
                    assigns,
                    record_op == "Record",
                    line_op == "Continue",
                    rule.new_state,
                    supported,
                    direct,
                    {key: [] if listed else "" for key, listed in zip(keys, is_list, strict=True)},
                )
            )
        states[name] = tuple(compiled)
    return Program(keys, is_list, states)


def _compiled(regex: Any) -> re.Pattern[str]:
    """TextFSM wraps its patterns (``CopyableRegexObject``, a method call per ``match``)."""
    inner = getattr(regex, "regex", regex)
    assert isinstance(inner, re.Pattern)
    return inner


@lru_cache(maxsize=32)
def _program(path: str) -> Program | None:
    import textfsm

    if Path(path).name not in FAST_TEMPLATES:
        return None
    return program_for(textfsm.TextFSM(io.StringIO(Path(path).read_text())))


def fast_rows(path: str, text: str) -> list[dict[str, Any]] | None:
    """The rows TextFSM gives for ``text`` with the template at ``path`` (keys lowercased), or
    None when this template has no fast program or the capture needs TextFSM itself."""
    program = _program(path)
    if program is None:
        return None
    with gc_paused():  # rows of strings and lists: no cycles to collect (xsfabric.perf)
        return run(program, text)


def run(program: Program, text: str) -> list[dict[str, Any]] | None:
    """Interpret ``program`` over ``text`` the way ``TextFSM.ParseText`` does (see the module
    docstring for the subset); None where TextFSM must decide."""
    keys = program.keys
    is_list = program.is_list
    states = program.states
    record: list[Any] = [[] if flag else None for flag in is_list]
    pristine = True  # nothing assigned since the last record
    rows: list[dict[str, Any]] = []
    state = "Start"
    rules = states["Start"]
    for line in text.splitlines() if text else ():
        for rule in rules:
            match = rule.pattern.match(line)
            if match is None:
                continue
            if not rule.supported:
                return None
            if rule.direct and pristine:
                groups = match.groups()
                row = rule.base.copy()
                for key, position, listed in rule.direct:
                    captured = groups[position]
                    if captured is None:
                        return None  # TextFSM would store None: leave that corner to it
                    row[key] = [captured] if listed else captured
                rows.append(row)
            else:
                if rule.assigns:
                    pristine = False
                    groups = match.groups()
                    for position, value, listed in rule.assigns:
                        captured = groups[position]
                        if captured is None:
                            return None
                        if listed:
                            record[value].append(captured)
                        else:
                            record[value] = captured
                if rule.record and _append(rows, keys, record):
                    record = [[] if flag else None for flag in is_list]
                    pristine = True
                if rule.carry_on:
                    continue
            if rule.new_state:
                state = rule.new_state
                if state not in _END_STATES:
                    rules = states[state]
            break
        if state in _END_STATES:
            break
    if state != "End":
        _append(rows, keys, record)  # the implicit Record at the end of the input
    return rows


def _append(rows: list[dict[str, Any]], keys: tuple[str, ...], record: list[Any]) -> bool:
    """TextFSM's ``_AppendRecord``: a record whose values are all empty is no row (and is not
    cleared); unset values are ``""``."""
    for v in record:
        if v is not None and v != []:
            rows.append(dict(zip(keys, ["" if v is None else v for v in record], strict=True)))
            return True
    return False
