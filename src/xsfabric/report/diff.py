"""What changed between two audits: findings new, fixed and unchanged, by fingerprint (and the
estate changes of :mod:`xsfabric.report.changes` the command adds to the baseline section).

Fingerprints come from the rule id and the subject's UUIDs (names where there is none), so a
renamed host is the same finding and a replaced one is a new finding. Waived findings count as
present on both sides (a waiver hides a finding from the fail count, it does not fix it).
"""

from __future__ import annotations

import copy
import io
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.markup import escape

from xsfabric.report.base import inert, subject_line
from xsfabric.report.changes import change_count, change_lines


def _present(doc: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["fingerprint"]: f for f in [*doc["findings"], *doc.get("suppressed", [])]}


def with_baseline(doc: Mapping[str, Any], reference: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``doc`` with a ``baseline`` section comparing it with ``reference``."""
    out = copy.deepcopy(dict(doc))
    now, before = _present(doc), _present(reference)
    out["baseline"] = {
        "reference": reference["snapshot"]["path"],
        "snapshot": dict(reference["snapshot"]),
        "new": sorted(fp for fp in now if fp not in before),
        "unchanged": sorted(fp for fp in now if fp in before),
        "fixed": [copy.deepcopy(f) for fp, f in before.items() if fp not in now],
    }
    return out


def render_diff_text(doc: Mapping[str, Any], width: int = 110) -> str:
    """The text of ``xsfabric diff``: counts, then each new and fixed finding."""
    baseline = doc["baseline"]
    present = _present(doc)
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, no_color=True, color_system=None, highlight=False, soft_wrap=False
    )
    console.print(
        f"xsfabric diff: {escape(inert(baseline['reference']))} → "
        f"{escape(inert(doc['snapshot']['path']))}"
    )
    console.print(
        f"{len(baseline['new'])} new, {len(baseline['fixed'])} fixed, "
        f"{len(baseline['unchanged'])} unchanged"
    )

    def line(mark: str, f: Mapping[str, Any]) -> None:
        console.print(
            escape(
                inert(
                    f"  {mark} {f['severity'].upper()} {f['rule_id']}: "
                    f"{subject_line(f['subject'])} — {f['message']}"
                )
            )
        )

    if baseline["new"]:
        console.rule("New")
        for fp in baseline["new"]:
            line("+", present[fp])
    if baseline["fixed"]:
        console.rule("Fixed")
        for f in baseline["fixed"]:
            line("-", f)
    changes = baseline.get("changes")
    if changes is not None:
        console.print(f"{change_count(changes)} estate change(s)")
        for heading, lines in change_lines(changes):
            console.rule(heading)
            for text in lines:
                console.print(escape(inert(text)))
        for kind, why in changes.get("not_compared", {}).items():
            console.print(escape(inert(f"  {kind} not compared: {why}")))
    return buffer.getvalue()
