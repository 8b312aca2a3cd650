"""The findings document as row tables, for the tabular formats (CSV, XLSX, HTML)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from xsfabric.report.base import subject_line
from xsfabric.report.cabling_map import host_port_vlans_table, nics_ports_table
from xsfabric.tables import Table

FINDING_COLUMNS = [
    "severity",
    "rule_id",
    "category",
    "guide",
    "pool",
    "host",
    "subject",
    "title",
    "message",
    "evidence",
    "remediation",
    "fingerprint",
]


def _finding_row(f: Mapping[str, Any]) -> dict[str, Any]:
    subject = f["subject"]
    return {
        "severity": f["severity"],
        "rule_id": f["rule_id"],
        "category": f["category"],
        "guide": ", ".join(f["guide"]),
        "pool": subject.get("pool", {}).get("name", ""),
        "host": subject.get("host", {}).get("name", ""),
        "subject": subject_line(subject),
        "title": f["title"],
        "message": f["message"],
        "evidence": json.dumps(f["evidence"], sort_keys=True, default=str),
        "remediation": f["remediation"],
        "fingerprint": f["fingerprint"],
    }


def findings_table(doc: Mapping[str, Any]) -> Table:
    return Table("findings", FINDING_COLUMNS, [_finding_row(f) for f in doc["findings"]])


def suppressed_table(doc: Mapping[str, Any]) -> Table:
    columns = [*FINDING_COLUMNS, "waiver_owner", "waiver_expires", "justification"]
    rows = [
        _finding_row(f)
        | {
            "waiver_owner": f["waiver"]["owner"],
            "waiver_expires": f["waiver"]["expires"],
            "justification": f["waiver"]["justification"],
        }
        for f in doc.get("suppressed", [])
    ]
    return Table("suppressed", columns, rows)


def not_checked_table(doc: Mapping[str, Any]) -> Table:
    rows = [
        {
            "rule_id": n["rule_id"],
            "title": n["title"],
            "guide": ", ".join(n["guide"]),
            "subject": subject_line(n["subject"]),
            "reason": n["reason"],
        }
        for n in doc["not_checked"]
    ]
    return Table("not_checked", ["rule_id", "title", "guide", "subject", "reason"], rows)


def summary_table(doc: Mapping[str, Any]) -> Table:
    summary = doc["summary"]
    rows: list[dict[str, Any]] = [
        {"item": "snapshot", "value": doc["snapshot"]["path"]},
        {"item": "collected", "value": doc["snapshot"]["started_at"] or ""},
        {"item": "policy", "value": doc["policy"] or "none"},
        {
            "item": "complete",
            "value": "yes"
            if doc["complete"]
            else "no: "
            + ", ".join(f"{d['name']} ({d['status']})" for d in doc["incomplete_devices"]),
        },
        {"item": "findings", "value": summary["findings"]},
    ]
    rows += [{"item": f"severity {k}", "value": v} for k, v in summary["by_severity"].items()]
    rows += [{"item": f"category {k}", "value": v} for k, v in summary["by_category"].items() if v]
    rows += [
        {"item": "suppressed (waived)", "value": summary.get("suppressed", 0)},
        {"item": "not checked", "value": summary["not_checked"]},
        {"item": "rules run", "value": summary["rules_run"]},
    ]
    return Table("summary", ["item", "value"], rows)


def report_tables(doc: Mapping[str, Any], extra: tuple[Table, ...] | list[Table]) -> list[Table]:
    """Summary, findings, suppressed (when any), not checked, then the snapshot's tables
    that have rows (the cabling table as its NIC ↔ port and VLAN-per-port tables)."""
    tables = [summary_table(doc), findings_table(doc)]
    if doc.get("suppressed"):
        tables.append(suppressed_table(doc))
    tables.append(not_checked_table(doc))
    cabling = next((t for t in extra if t.name == "cabling" and t.rows), None)
    # the cabling as the NIC ↔ port and VLAN-per-port tables, right after the NICs
    wired = [nics_ports_table(cabling, doc), host_port_vlans_table(cabling)] if cabling else []
    for table in extra:
        if table.name != "cabling" and table.rows:
            tables.append(table)
        if table.name == "pifs":
            tables += wired
            wired = []
    return tables + wired
