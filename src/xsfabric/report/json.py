"""The canonical findings document (schema ``findings``, version 1; docs/findings-json.md).

Deterministic for a given snapshot and policy: no wall-clock time, sorted findings, sorted
keys, so two runs can be diffed and fingerprints compared.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from xsfabric import __version__
from xsfabric.report.base import SINGLE, Files, ReportOptions
from xsfabric.rules.engine import Category, Severity

if TYPE_CHECKING:
    from xsfabric.rules.result import AuditResult

SCHEMA_NAME = "xsfabric-findings"
SCHEMA_VERSION = 1


def findings_document(result: AuditResult) -> dict[str, Any]:
    by_severity = Counter(str(f.severity) for f in result.findings)
    by_category = Counter(str(f.category) for f in result.findings)
    manifest = result.manifest
    return {
        "schema": SCHEMA_NAME,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "xsfabric", "version": __version__},
        "snapshot": {
            "path": str(result.snapshot_path),
            "format_version": manifest.get("format_version"),
            "command": manifest.get("command"),
            "started_at": manifest.get("started_at"),
            "finished_at": manifest.get("finished_at"),
            # what was collected, so a report can say it (the HTML snapshot facts)
            "devices": [
                {
                    k: d.get(k)
                    for k in (
                        "name",
                        "kind",
                        "platform",
                        "methods",
                        "status",
                        "error",
                        "collected_at",
                    )
                }
                | {"artifacts": [a["path"] for a in d.get("artifacts", [])]}
                for d in manifest.get("devices", [])
            ],
        },
        "policy": str(result.policy_path) if result.policy_path else None,
        "filters": {
            "categories": result.categories,
            "min_severity": str(result.min_severity) if result.min_severity else None,
        },
        "complete": result.complete,
        "incomplete_devices": result.incomplete_devices,
        "summary": {
            "findings": len(result.findings),
            "findings_before_filters": result.unfiltered_count,
            "by_severity": {str(s): by_severity.get(str(s), 0) for s in Severity},
            "by_category": {str(c): by_category.get(str(c), 0) for c in Category},
            "not_checked": len(result.not_checked),
            "attestations": len(result.attestations),
            "rules_run": len(result.rules_run),
        },
        "findings": [f.to_json() for f in result.findings],
        "not_checked": [n.to_json() for n in result.not_checked],
        "attestations": [a.to_json() for a in result.attestations],
        "warnings": list(result.warnings),
        "rules_run": list(result.rules_run),
        "rule_errors": [e.to_json() for e in result.rule_errors],
        "categories_not_checked": list(result.categories_not_checked),
        "rules_not_run": list(result.rules_not_run),
        "guide_not_checked": list(result.guide_not_checked),
    }


def render_json(result: AuditResult) -> str:
    return json.dumps(findings_document(result), indent=2, sort_keys=True, default=str) + "\n"


def render(doc: Mapping[str, Any], options: ReportOptions) -> Files:
    """The document itself (with any waiver and baseline sections), as the registry's JSON."""
    text = json.dumps(doc, indent=2, sort_keys=True, default=str) + "\n"
    return {SINGLE: text.encode("utf-8")}
