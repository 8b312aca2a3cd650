"""SARIF 2.1.0 (``--format sarif``): findings as results for code-scanning dashboards and CI.

Each rule is a ``tool.driver.rules`` entry with its rationale, fix and guide references; each
finding a result whose ``partialFingerprints`` carry the finding fingerprint (stable across runs
and renames, so a dashboard tracks one problem over time) and whose logical locations name the
pool / host / switch / port it is about. With a reference snapshot (``--reference``) results
carry ``baselineState`` and the run names the baseline run by its GUID; waived findings are
results with an accepted external suppression, never dropped. Rules that could not decide
something are tool notifications, not passes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from xsfabric.report.base import SINGLE, Files, ReportOptions, inert, inert_tree, subject_line
from xsfabric.report.rules import rules_document

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "xsfabricFinding/v1"
_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
#: Logical location kinds: SARIF's own word where one fits, else the subject key.
_KIND = {
    "pool": "namespace",
    "host": "object",
    "device": "object",
    "interface": "member",
    "pif": "member",
    "vif": "member",
    "vm": "object",
    "network": "resource",
    "sr": "resource",
    "vlan": "value",
    "zone": "resource",
    "array": "object",
    "volume": "resource",
    "wwpn": "value",
    "mac": "value",
}
#: Namespace for run GUIDs derived from a snapshot (same snapshot → same GUID).
_RUN_NAMESPACE = uuid.UUID("0f6f0f6e-5b1c-4b8e-9c1e-7a3d0c6c2b11")


def run_guid(snapshot: Mapping[str, Any]) -> str:
    """A GUID for the audit of one snapshot, so a later run can name it as its baseline."""
    key = f"{snapshot.get('path')}|{snapshot.get('started_at')}|{snapshot.get('finished_at')}"
    return str(uuid.uuid5(_RUN_NAMESPACE, key))


def _rules(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    wanted = set(doc["rules_run"]) | {f["rule_id"] for f in _all_findings(doc)}
    rules = []
    for r in rules_document()["rules"]:
        if r["id"] not in wanted:
            continue
        guide = ", ".join(r["guide"]) or "beyond the guide: " + "; ".join(r["references"])
        rules.append(
            {
                "id": r["id"],
                "name": "".join(part.capitalize() for part in r["id"].replace("-", " ").split()),
                "shortDescription": {"text": r["title"]},
                "fullDescription": {"text": r["rationale"]},
                "help": {
                    "text": f"{r['remediation']}\n\nGuide: {guide}",
                    "markdown": f"**Fix:** {r['remediation']}\n\n**Guide:** {guide}",
                },
                "defaultConfiguration": {"level": _LEVEL[r["severity"]]},
                "properties": {
                    "tags": [r["category"], *r["guide"]],
                    "severity": r["severity"],
                    "category": r["category"],
                    "guide": r["guide"],
                    "references": r["references"],
                },
            }
        )
    return rules


#: The capture a switch finding points at first, when the device has it.
_PREFERRED = ("show running-config", "running-config", "config")


def _artifacts(doc: Mapping[str, Any]) -> dict[str, str]:
    """Device name → the snapshot file a result points at (its running configuration for a
    switch, its dump for a pool), so code-scanning dashboards have a file to show."""
    chosen = {}
    for device in doc["snapshot"].get("devices", []):
        paths = device.get("artifacts") or []
        if not paths:
            continue
        preferred = [p for p in paths if any(k in p for k in _PREFERRED)]
        chosen[device["name"]] = (preferred or paths)[0]
    return chosen


def _physical(
    subject: Mapping[str, Mapping[str, str]], artifacts: Mapping[str, str]
) -> dict[str, Any] | None:
    for key in ("device", "array", "pool"):
        part = subject.get(key)
        if part and part["name"] in artifacts:
            return {
                "artifactLocation": {"uri": quote(artifacts[part["name"]]), "uriBaseId": "SNAPSHOT"}
            }
    return None


def _all_findings(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [*doc["findings"], *doc.get("suppressed", [])]


def _result(
    finding: Mapping[str, Any],
    index: Mapping[str, int],
    logical: list[dict[str, Any]],
    positions: dict[str, int],
    artifacts: Mapping[str, str],
) -> dict[str, Any]:
    """One SARIF result; its subject's logical locations are added to ``logical`` once each
    (``positions``: fully qualified name → index, so this stays linear)."""
    subject = finding["subject"]
    message = inert(finding["message"])
    where = inert(subject_line(subject))
    result: dict[str, Any] = {
        "ruleId": finding["rule_id"],
        "level": _LEVEL[finding["severity"]],
        "message": {"text": f"{message} [{where}]" if where else message},
        "partialFingerprints": {FINGERPRINT_KEY: finding["fingerprint"]},
        "properties": {
            "severity": finding["severity"],
            "category": finding["category"],
            "guide": finding["guide"],
            "subject": subject,
            "evidence": finding["evidence"],
            "remediation": finding["remediation"],
        },
    }
    if finding["rule_id"] in index:
        result["ruleIndex"] = index[finding["rule_id"]]
    if subject:
        # each subject part is a run-level logical location; the result points at the
        # innermost one, whose parentIndex chain gives pool → host → port
        parent = None
        path: list[str] = []
        for key, part in subject.items():
            path.append(f"{key}:{inert(part['name'])}")
            fqn = "/".join(path)
            found = positions.get(fqn)
            if found is None:
                location: dict[str, Any] = {
                    "name": inert(part["name"]),
                    "fullyQualifiedName": fqn,
                    "kind": _KIND.get(key, "object"),
                }
                if parent is not None:
                    location["parentIndex"] = parent
                logical.append(location)
                found = positions[fqn] = len(logical) - 1
            parent = found
        innermost = logical[parent] if parent is not None else {}
        location = {
            "logicalLocations": [
                {
                    "index": parent,
                    "name": innermost["name"],
                    "fullyQualifiedName": innermost["fullyQualifiedName"],
                    "kind": innermost["kind"],
                }
            ]
        }
        physical = _physical(subject, artifacts)
        if physical is not None:
            location["physicalLocation"] = physical
        result["locations"] = [location]
    return result


def sarif_log(doc: Mapping[str, Any]) -> dict[str, Any]:
    doc = inert_tree(doc)  # no terminal escapes reach a viewer that prints a property
    rules = _rules(doc)
    index = {r["id"]: i for i, r in enumerate(rules)}
    logical: list[dict[str, Any]] = []
    positions: dict[str, int] = {}
    artifacts = _artifacts(doc)
    baseline = doc.get("baseline")
    states: dict[str, str] = {}
    if baseline:
        states = dict.fromkeys(baseline["unchanged"], "unchanged")
        states |= dict.fromkeys(baseline["new"], "new")
    results = []
    for finding in doc["findings"]:
        result = _result(finding, index, logical, positions, artifacts)
        if baseline:
            result["baselineState"] = states.get(finding["fingerprint"], "new")
        results.append(result)
    for finding in doc.get("suppressed", []):
        result = _result(finding, index, logical, positions, artifacts)
        waiver = finding["waiver"]
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": inert(waiver["justification"]),
                "properties": {
                    "owner": waiver["owner"],
                    "expires": waiver["expires"],
                    "waiverFile": waiver["file"],
                    "line": waiver["line"],
                },
            }
        ]
        if baseline:
            result["baselineState"] = states.get(finding["fingerprint"], "new")
        results.append(result)
    if baseline:
        for finding in baseline["fixed"]:
            result = _result(finding, index, logical, positions, artifacts)
            result["baselineState"] = "absent"
            results.append(result)
    notifications = [
        {
            "level": "note",
            "message": {
                "text": inert(
                    f"not checked: {item['reason']}"
                    + (f" [{subject_line(item['subject'])}]" if item["subject"] else "")
                )
            },
            "associatedRule": {
                "id": item["rule_id"],
                **({"index": index[item["rule_id"]]} if item["rule_id"] in index else {}),
            },
        }
        for item in doc["not_checked"]
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "xsfabric",
                "version": doc["tool"]["version"],
                "semanticVersion": doc["tool"]["version"],
                "informationUri": "https://xsfabric.invalid/docs/rules",
                "rules": rules,
            }
        },
        "automationDetails": {"id": "xsfabric/audit/", "guid": run_guid(doc["snapshot"])},
        "invocations": [
            {
                "executionSuccessful": bool(doc["complete"]),
                "toolExecutionNotifications": notifications,
                "properties": {
                    "snapshot": doc["snapshot"],
                    "policy": doc["policy"],
                    "incompleteDevices": doc["incomplete_devices"],
                    "warnings": doc["warnings"],
                },
            }
        ],
        "originalUriBaseIds": {
            "SNAPSHOT": {
                "uri": Path(doc["snapshot"]["path"]).resolve().as_uri() + "/",
                "description": {"text": "the snapshot folder audited"},
            }
        },
        "logicalLocations": logical,
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {"summary": doc["summary"], "staleWaivers": doc.get("stale_waivers", [])},
    }
    if baseline:
        run["baselineGuid"] = run_guid(baseline["snapshot"])
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(doc: Mapping[str, Any], options: ReportOptions) -> Files:
    text = json.dumps(sarif_log(doc), indent=2, sort_keys=False, default=str) + "\n"
    return {SINGLE: text.encode("utf-8")}
