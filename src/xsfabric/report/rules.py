"""``xsfabric rules``: every rule with its metadata, and the guide coverage table."""

from __future__ import annotations

import io
import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xsfabric.rules.coverage import guide_coverage
from xsfabric.rules.engine import load_rules
from xsfabric.tables import Terminal, render_plain, render_rich

#: Guide ids that appear as manual attestation items in every report.
ATTESTED = {"G21", "G23", "G24"}


def rules_document() -> dict[str, Any]:
    registry = load_rules()
    return {
        "schema": "xsfabric-rules",
        "schema_version": 1,
        "rules": [
            {
                "id": r.meta.id,
                "title": r.meta.title,
                "severity": str(r.meta.severity),
                "category": str(r.meta.category),
                "guide": list(r.meta.guide),
                "references": list(r.meta.references),
                "data": list(r.meta.data),
                "rationale": r.meta.rationale,
                "remediation": r.meta.remediation,
            }
            for r in registry.values()
        ],
        "coverage": [
            {
                "id": c.item.id,
                "title": c.item.title,
                "status": c.status,
                "rules": list(c.rules),
                "missing_data": list(c.missing_data),
            }
            for c in guide_coverage(registry, ATTESTED)
        ],
    }


def render_rules_json() -> str:
    return json.dumps(rules_document(), indent=2) + "\n"


def render_rules_text(width: int = 140, term: Terminal | None = None) -> str:
    doc = rules_document()
    if term is not None:
        # the shared table renderer: plain, unwrapped lines off a terminal; ids never cut
        rules_rows = [
            [
                r["id"],
                r["severity"],
                r["category"],
                r["title"],
                ", ".join(r["guide"]) or "ext: " + "; ".join(r["references"]),
            ]
            for r in doc["rules"]
        ]
        coverage_rows = [
            [c["id"], c["status"], c["title"], ", ".join(c["rules"]), ", ".join(c["missing_data"])]
            for c in doc["coverage"]
        ]
        render = render_plain if not term.tty else (lambda t, c, r: render_rich(t, c, r, term))
        return (
            render(
                f"Rules ({len(rules_rows)})",
                ["id", "severity", "category", "title", "guide"],
                rules_rows,
            )
            + "\n"
            + render(
                "Guide coverage",
                ["guide", "status", "recommendation", "rules", "waiting for"],
                coverage_rows,
            )
        )
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, color_system=None, highlight=False)
    rules = Table(title=f"Rules ({len(doc['rules'])})")
    for column in ("id", "severity", "category", "guide", "title"):
        rules.add_column(column)
    for r in doc["rules"]:
        rules.add_row(
            r["id"],
            r["severity"],
            r["category"],
            ", ".join(r["guide"]) or "ext: " + "; ".join(r["references"]),
            escape(r["title"]),
        )
    console.print(rules)
    coverage = Table(title="Guide coverage")
    for column in ("guide", "status", "recommendation", "rules", "waiting for"):
        coverage.add_column(column)
    for c in doc["coverage"]:
        coverage.add_row(
            c["id"],
            c["status"],
            escape(c["title"]),
            ", ".join(c["rules"]),
            ", ".join(c["missing_data"]),
        )
    console.print(coverage)
    return buffer.getvalue()


def render_rules_markdown() -> str:
    """docs/rules.md: generated from the registry (a test keeps it current)."""
    doc = rules_document()
    lines = [
        "# Rules and guide coverage",
        "",
        "Generated from the rule registry by `python -m xsfabric.report.rules > docs/rules.md`"
        " (`tests/rules/test_docs.py` fails when it is out of date). `xsfabric rules` prints"
        " the same; `xsfabric rules --format json` gives it as JSON.",
        "",
        "Coverage: *automated* — rules check everything the recommendation needs from data"
        " xsfabric reads today; *partly* — rules check the pool-data part, the rest waits for"
        " the data named; *manual* — a person attests it (listed at the end of every report);"
        " *not yet* — nothing checks it yet.",
        "",
        "## Guide coverage",
        "",
        "| guide | status | recommendation | rules | waiting for |",
        "|---|---|---|---|---|",
    ]
    for c in doc["coverage"]:
        rules = ", ".join(f"`{r}`" for r in c["rules"])
        lines.append(
            f"| {c['id']} | {c['status']} | {c['title']} | {rules} | "
            f"{', '.join(c['missing_data'])} |"
        )
    lines += ["", "## Rules", ""]
    for r in doc["rules"]:
        guide = ", ".join(r["guide"]) or "beyond the guide"
        lines += [
            f"### `{r['id']}` — {r['title']}",
            "",
            f"- severity: **{r['severity']}**, category: {r['category']}, guide: {guide}, "
            f"data: {', '.join(r['data'])}",
        ]
        for reference in r["references"]:
            lines.append(f"- reference: {reference}")
        lines += [
            f"- why: {r['rationale']}",
            f"- fix: `{r['remediation']}`"
            if r["remediation"].startswith("xe ")
            else f"- fix: {r['remediation']}",
            "",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    sys.stdout.write(render_rules_markdown())
