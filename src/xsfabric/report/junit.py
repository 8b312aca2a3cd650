"""JUnit XML (``--format junit``): CI systems show audit results as test results.

One test suite per rule run. Inside it, one test case per subject the rule reported on: a
finding is a failure, a subject the rule could not decide is skipped (with the reason — never a
pass), a waived finding is skipped with the waiver. Rules report only what is wrong or
undecidable, so subjects that passed are not listed one by one: a rule with neither gets one
passing case for the whole estate.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from xsfabric.report.base import SINGLE, Files, ReportOptions, inert, subject_line

_ESTATE = "(estate)"


def _case(suite: ET.Element, rule_id: str, subject: Mapping[str, Any]) -> ET.Element:
    return ET.SubElement(
        suite,
        "testcase",
        name=inert(subject_line(subject)) or _ESTATE,
        classname=f"xsfabric.{rule_id}",
    )


def _finding_text(finding: Mapping[str, Any]) -> str:
    evidence = "\n".join(f"{k}: {v}" for k, v in finding["evidence"].items())
    return inert(
        f"{finding['message']}\nsubject: {subject_line(finding['subject'])}\n"
        f"{evidence}\nfix: {finding['remediation']}\n"
        f"fingerprint: {finding['fingerprint']}",
        newlines=True,
    )


def junit_tree(doc: Mapping[str, Any]) -> ET.Element:
    by_rule: dict[str, list[tuple[str, Mapping[str, Any]]]] = {r: [] for r in doc["rules_run"]}
    for finding in doc["findings"]:
        by_rule.setdefault(finding["rule_id"], []).append(("failure", finding))
    for finding in doc.get("suppressed", []):
        by_rule.setdefault(finding["rule_id"], []).append(("waived", finding))
    for item in doc["not_checked"]:
        by_rule.setdefault(item["rule_id"], []).append(("skipped", item))
    root = ET.Element("testsuites", name="xsfabric audit")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for rule_id, items in by_rule.items():
        suite = ET.SubElement(root, "testsuite", name=rule_id)
        failures = skipped = 0
        for kind, item in items:
            case = _case(suite, rule_id, item["subject"])
            if kind == "failure":
                failures += 1
                failure = ET.SubElement(
                    case, "failure", type=item["severity"], message=inert(item["title"])
                )
                failure.text = _finding_text(item)
            elif kind == "waived":
                skipped += 1
                waiver = item["waiver"]
                ET.SubElement(
                    case,
                    "skipped",
                    message=inert(
                        f"waived until {waiver['expires']} by {waiver['owner']}: "
                        f"{waiver['justification']}"
                    ),
                )
            else:
                skipped += 1
                ET.SubElement(case, "skipped", message=inert(f"not checked: {item['reason']}"))
        if not items:
            _case(suite, rule_id, {})
        count = max(len(items), 1)
        suite.set("tests", str(count))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        totals["tests"] += count
        totals["failures"] += failures
        totals["skipped"] += skipped
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    return root


def render(doc: Mapping[str, Any], options: ReportOptions) -> Files:
    root = junit_tree(doc)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return {SINGLE: data + b"\n"}
