"""Waivers: risks someone accepted, with a reason, an owner and an end date.

A waivers file (``.xsfabric-waivers.yaml`` beside the inventory, or ``--waivers FILE``) lists
waivers; each names a rule and, optionally, a subject pattern (shell wildcards on the subject's
names or UUIDs). Applied to the findings document, a waiver in force moves the findings it
matches to ``suppressed`` — counted, listed, and excluded from ``--fail-on`` but never dropped. A
waiver past its expiry date suppresses nothing: its findings come back with a note saying which
waiver expired. A waiver that matches no finding at all is reported as stale (only when no
category or severity filter hid findings, since then "matches nothing" would not be true).

Errors — YAML syntax, the schema, an unknown rule id, a date that is no date — are one line
naming the file and the line (:class:`WaiverError`, exit 2).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import jsonschema

from xsfabric.errors import InputFileError
from xsfabric.schemas import load_schema
from xsfabric.yamlfile import line_of, load_yaml, plain

WAIVERS_FILE = ".xsfabric-waivers.yaml"


class WaiverError(InputFileError):
    """The waivers file is malformed, fails its schema, or names a rule that does not exist."""


@dataclass(frozen=True, slots=True)
class Waiver:
    file: Path
    line: int | None
    rule: str
    subject: Mapping[str, str]
    justification: str
    owner: str
    expires: dt.date

    def matches(self, finding: Mapping[str, Any]) -> bool:
        if finding["rule_id"] != self.rule:
            return False
        subject = finding["subject"]
        for key, pattern in self.subject.items():
            part = subject.get(key)
            if part is None:
                return False
            if not (
                fnmatchcase(part["name"], pattern) or fnmatchcase(part.get("uuid", ""), pattern)
            ):
                return False
        return True

    def in_force(self, today: dt.date) -> bool:
        return today <= self.expires

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "line": self.line,
            "rule": self.rule,
            "subject": dict(self.subject),
            "justification": self.justification,
            "owner": self.owner,
            "expires": self.expires.isoformat(),
        }


def _dates_to_text(node: Any) -> None:
    """ruamel reads ``2027-01-31`` as a date; the schema checks text."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dt.date):
                node[key] = value.isoformat()
            else:
                _dates_to_text(value)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, dt.date):
                node[i] = value.isoformat()
            else:
                _dates_to_text(value)


def _node_at(root: Any, path: Iterable[Any]) -> tuple[Any, Any]:
    """The deepest container on ``path`` and the key into it, to find a line number."""
    node, key = root, None
    for step in path:
        try:
            child = node[step]
        except (KeyError, IndexError, TypeError):
            return node, step
        if isinstance(child, dict | list):
            node, key = child, None
        else:
            return node, step
    return node, key


_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def _bad_date(path: Path) -> tuple[int | None, str]:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for value in _DATE.findall(text):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                return number, value
    return None, "a value"


def load_waivers(path: Path, known_rules: Iterable[str]) -> list[Waiver]:
    try:
        raw = load_yaml(path, WaiverError)
    except ValueError as exc:
        # ruamel builds dates while parsing; 2027-02-30 fails there, without a mark
        line, value = _bad_date(path)
        raise WaiverError(path, f"{value!r} is not a date ({exc})", line) from None
    if raw is None:
        raw = {"waivers": []}
    _dates_to_text(raw)
    validator = jsonschema.Draft202012Validator(load_schema("waivers"))
    error = jsonschema.exceptions.best_match(validator.iter_errors(plain(raw)))
    if error is not None:
        node, key = _node_at(raw, error.absolute_path)
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise WaiverError(path, f"{where}: {error.message}", line_of(node, key))
    known = set(known_rules)
    waivers = []
    for index, item in enumerate(raw["waivers"]):
        line = line_of(raw["waivers"], index)
        if item["rule"] not in known:
            raise WaiverError(
                path,
                f"unknown rule id {item['rule']!r} (xsfabric rules lists them)",
                line_of(item, "rule") or line,
            )
        try:
            expires = dt.date.fromisoformat(item["expires"])
        except ValueError:
            raise WaiverError(
                path,
                f"expires: {item['expires']!r} is not a date",
                line_of(item, "expires") or line,
            ) from None
        waivers.append(
            Waiver(
                file=path,
                line=line,
                rule=item["rule"],
                subject={str(k): str(v) for k, v in (item.get("subject") or {}).items()},
                justification=str(item["justification"]),
                owner=str(item["owner"]),
                expires=expires,
            )
        )
    return waivers


def _summarise(doc: dict[str, Any]) -> None:
    summary = doc["summary"]
    by_severity = Counter(f["severity"] for f in doc["findings"])
    by_category = Counter(f["category"] for f in doc["findings"])
    summary["findings"] = len(doc["findings"])
    summary["by_severity"] = {k: by_severity.get(k, 0) for k in summary["by_severity"]}
    summary["by_category"] = {k: by_category.get(k, 0) for k in summary["by_category"]}
    summary["suppressed"] = len(doc.get("suppressed", []))
    summary["stale_waivers"] = len(doc.get("stale_waivers", []))


def apply_waivers(
    doc: Mapping[str, Any], waivers: list[Waiver], today: dt.date, source: Path | None = None
) -> dict[str, Any]:
    """A copy of ``doc`` with waived findings moved to ``suppressed``, expired waivers noted
    on their findings, and waivers that matched nothing listed as ``stale_waivers``."""
    out = copy.deepcopy(dict(doc))
    used: set[int] = set()
    kept, suppressed = [], []
    for finding in out["findings"]:
        matching = [i for i, w in enumerate(waivers) if w.matches(finding)]
        used.update(matching)
        active = next((i for i in matching if waivers[i].in_force(today)), None)
        if active is not None:
            suppressed.append(finding | {"waiver": waivers[active].to_json()})
            continue
        if matching:
            w = waivers[matching[0]]
            finding["note"] = (
                f"waiver expired on {w.expires.isoformat()} "
                f"({w.file}:{w.line}, owner {w.owner}): {w.justification}"
            )
        kept.append(finding)
    filtered = bool(out["filters"]["categories"] or out["filters"]["min_severity"])
    out["findings"] = kept
    out["suppressed"] = suppressed
    out["stale_waivers"] = (
        [] if filtered else [w.to_json() for i, w in enumerate(waivers) if i not in used]
    )
    out["waivers"] = str(source) if source else None
    _summarise(out)
    return out
