"""HTML report (``--format html``, ``xsfabric report``): one self-contained page.

No network access at all (a Content-Security-Policy forbids it; CSS and JavaScript are inline),
printable, filterable by severity, category, pool, host and device, and searchable. Rendered by
Jinja2 with autoescaping on: everything that comes from devices — names, descriptions, config
lines — is escaped, so a port description ``<script>alert(1)</script>`` shows as text. Data
reaches the script only through escaped ``data-`` attributes, never as inline JSON.
Sections: snapshot facts, summary, findings, fixed since a reference, suppressed by waivers,
guide coverage, not checked with reasons, manual attestation with checkboxes, and the cabling
map (:mod:`xsfabric.report.cabling_map`) when the command passes the snapshot's cabling table.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, StrictUndefined

from xsfabric.report.base import SINGLE, Files, ReportOptions, inert_tree
from xsfabric.report.cabling_map import cabling_map, cabling_of
from xsfabric.report.html_template import TEMPLATE
from xsfabric.report.rules import rules_document

_SEVERITIES = ["critical", "high", "medium", "low", "info"]


def _environment() -> Environment:
    # autoescape on for the whole template (it is HTML); StrictUndefined: a typo fails
    return Environment(
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )


def _row(f: Mapping[str, Any], new: set[str]) -> dict[str, Any]:
    subject = f["subject"]
    return {
        **f,
        "guide": ", ".join(f["guide"]),
        "pool": subject.get("pool", {}).get("name", ""),
        "host": subject.get("host", {}).get("name", ""),
        "device": subject.get("device", {}).get("name", ""),
        "evidence_text": "\n".join(
            f"{k}: {v if isinstance(v, str) else json.dumps(v, default=str)}"
            for k, v in f["evidence"].items()
        ),
        "is_new": f["fingerprint"] in new,
        "note": f.get("note", ""),
    }


def render_html(doc: Mapping[str, Any], options: ReportOptions | None = None) -> str:
    # the optional sections of the document (waivers, reference) default to empty
    doc = {"waivers": None, "suppressed": [], "stale_waivers": [], "baseline": None} | inert_tree(
        doc
    )
    baseline = doc.get("baseline") or {}
    new = set(baseline.get("new", []))
    findings = [_row(f, new) for f in doc["findings"]]
    filters = [
        ("severity", [s for s in _SEVERITIES if any(f["severity"] == s for f in findings)]),
        ("category", sorted({f["category"] for f in findings})),
        ("pool", sorted({f["pool"] for f in findings if f["pool"]})),
        ("host", sorted({f["host"] for f in findings if f["host"]})),
        ("device", sorted({f["device"] for f in findings if f["device"]})),
        ("rule", sorted({f["rule_id"] for f in findings})),
    ]
    coverage = rules_document()["coverage"]
    by_rule: dict[str, dict[str, Any]] = {}
    hosts: dict[str, set[str]] = {}
    for f in findings:
        entry = by_rule.setdefault(
            f["rule_id"],
            {"rule_id": f["rule_id"], "count": 0, "severity": f["severity"], "title": f["title"]},
        )
        entry["count"] += 1
        for where in (f["host"], f["device"]):  # hosts of pools, switches of the fabric
            if where:
                hosts.setdefault(f["rule_id"], set()).add(where)
    for rule_id, entry in by_rule.items():
        entry["hosts"] = len(hosts.get(rule_id, ()))
    options = options or ReportOptions()
    cabling = cabling_of(options.tables)
    cmap = (
        inert_tree(cabling_map(cabling, doc, options.mlag_pairs), newlines=False)
        if cabling is not None and cabling.rows
        else None
    )
    template = _environment().from_string(TEMPLATE)
    return template.render(
        cmap=cmap,
        doc=doc,
        findings=findings,
        by_rule=list(by_rule.values()),
        filters=[(n, v) for n, v in filters if v or n == "severity"],
        coverage=coverage,
    )


def render(doc: Mapping[str, Any], options: ReportOptions) -> Files:
    return {SINGLE: render_html(doc, options).encode("utf-8")}
