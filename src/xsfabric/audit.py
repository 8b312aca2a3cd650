"""``xsfabric audit``, ``xsfabric run`` and ``xsfabric rules``: findings and the CI exit code.

:func:`audit_snapshot` is the entry point other code calls (the demo does): snapshot (+ policy)
→ :class:`AuditResult`. Reports are rendered from its canonical JSON document
(:mod:`xsfabric.report`). Exit codes: 0 nothing at or above ``--fail-on``; 1 findings; 2 usage
or input error (raised as :class:`~xsfabric.errors.XsfabricError`, turned into 2 by the CLI);
3 the snapshot is incomplete (a device failed) unless ``--allow-partial``, or the audit is
(a rule raised, no rule could run, no selected category was checked). When several apply,
2 wins over 3 over 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from xsfabric.errors import XsfabricError
from xsfabric.rules.engine import (
    Category,
    Finding,
    RuleResults,
    Severity,
    load_rules,
    run_rules,
)
from xsfabric.rules.result import AuditResult as AuditResult  # noqa: PLC0414 (old path)
from xsfabric.snapshot import Snapshot

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INCOMPLETE = 3

SEVERITY_NAMES = [str(s) for s in Severity]
CATEGORY_NAMES = [str(c) for c in Category]


class UsageError(XsfabricError):
    """A command-line value argparse cannot check itself (e.g. an unknown category)."""


def _sort_key(finding: Finding) -> tuple[Any, ...]:
    subject = finding.subject
    return (-finding.severity.rank, subject["pool"].name if "pool" in subject else "",
            subject["host"].name if "host" in subject else "", finding.rule_id,
            tuple(v.name for v in subject.values()))


def audit_snapshot(
    snapshot: Snapshot,
    policy_path: Path | None = None,
    *,
    categories: Iterable[str] | None = None,
    min_severity: Severity | None = None,
) -> AuditResult:
    """Audit a snapshot: build the estate (policy given, else the snapshot's), run every
    rule, filter, and list the manual attestation items and the devices that failed."""
    from xsfabric.model.estate import load_estate
    from xsfabric.rules.attestation import attestations

    estate = load_estate(snapshot, policy_path)
    results = run_rules(estate)
    wanted = set(categories) if categories else None
    unchecked = categories_not_checked(results, wanted)
    not_run, guide_unchecked = rules_not_run(results, wanted)
    findings = [f for f in results.findings
                if (wanted is None or str(f.category) in wanted)
                and (min_severity is None or f.severity.rank >= min_severity.rank)]
    findings.sort(key=_sort_key)
    incomplete = [{"name": d["name"], "kind": d["kind"], "status": d["status"],
                   "error": d.get("error")} for d in snapshot.failed_devices()]
    return AuditResult(
        snapshot_path=snapshot.path,
        manifest=snapshot.manifest,
        policy_path=policy_path or snapshot.policy_path(),
        findings=findings,
        not_checked=results.not_checked,
        attestations=attestations(estate),
        rules_run=results.rules_run,
        warnings=list(estate.warnings),
        incomplete_devices=incomplete,
        categories=sorted(wanted) if wanted else None,
        min_severity=min_severity,
        unfiltered_count=len(results.findings),
        rule_errors=list(results.errors),
        categories_not_checked=unchecked,
        rules_not_run=not_run,
        guide_not_checked=guide_unchecked,
    )


def rules_not_run(results: RuleResults, wanted: set[str] | None
                  ) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The rules (of the selected categories) not run for lack of data, and the guide items
    none of whose rules ran (every rule skipped or raised), from the registry."""
    registry = load_rules()
    selected = [r.meta for r in registry.values()
                if wanted is None or str(r.meta.category) in wanted]
    not_run = [{"rule_id": m.id, "title": m.title, "category": str(m.category),
                "guide": list(m.guide), "reason": results.skipped[m.id]}
               for m in selected if m.id in results.skipped]
    by_guide: dict[str, list[str]] = {}
    for meta in selected:
        for guide in meta.guide:
            by_guide.setdefault(guide, []).append(meta.id)
    guide_unchecked = []
    for guide, ids in sorted(by_guide.items()):
        if not any(i in results.rules_run for i in ids):
            causes = sorted({results.skipped.get(i) or "the rule raised an error" for i in ids})
            guide_unchecked.append({"guide": guide, "reason": "; ".join(causes)})
    return not_run, guide_unchecked


def categories_not_checked(results: RuleResults, wanted: set[str] | None) -> list[dict[str, str]]:
    """The categories (of the selection, else all) that no rule checked on this snapshot,
    from the registry: none registered yet, or none of its rules could run (data missing,
    raised). "No findings" in such a category means nothing, and the report says so."""
    registry = load_rules()
    out: list[dict[str, str]] = []
    for category in Category:
        if wanted is not None and str(category) not in wanted:
            continue
        rules = [r.meta.id for r in registry.values() if r.meta.category == category]
        ran = [r for r in rules if r in results.rules_run]
        if not rules:
            reason = "no rule checks this category yet"
        elif not ran:
            causes = sorted({results.skipped.get(r) or "the rule raised an error"
                             for r in rules})
            reason = f"none of its {len(rules)} rule(s) could run: {'; '.join(causes)}"
        else:
            continue
        out.append({"category": str(category), "reason": reason})
    return out


def exit_code(result: AuditResult, fail_on: Severity | None, allow_partial: bool) -> int:
    """3 for an incomplete snapshot (unless allowed) wins over 1 for findings. 3 also, whatever
    ``--allow-partial`` says, when the audit itself is incomplete: a rule raised, no rule could
    run at all, or no selected category was checked (no false green)."""
    if result.rule_errors or not result.rules_run:
        return EXIT_INCOMPLETE
    if result.categories is not None and len(result.categories_not_checked) == len(
            result.categories):
        return EXIT_INCOMPLETE
    if not result.complete and not allow_partial:
        return EXIT_INCOMPLETE
    if fail_on is not None and any(f.severity.rank >= fail_on.rank for f in result.findings):
        return EXIT_FINDINGS
    return EXIT_OK


# -- command line ---------------------------------------------------------------------------


def _categories(values: list[str]) -> list[str] | None:
    names = [v.strip() for value in values for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in CATEGORY_NAMES]
    if unknown:
        raise UsageError(f"unknown category {', '.join(unknown)} (known: "
                         f"{', '.join(CATEGORY_NAMES)})")
    return names or None


def _add_audit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--output", type=Path, help="write the report to FILE instead of stdout")
    p.add_argument("--policy", type=Path,
                   help="policy file (default: the one stored in the snapshot)")
    p.add_argument("--category", action="append", default=[], metavar="CATEGORY[,…]",
                   help=f"report only these categories ({', '.join(CATEGORY_NAMES)})")
    p.add_argument("--min-severity", choices=SEVERITY_NAMES,
                   help="report only findings of this severity or higher")
    p.add_argument("--fail-on", choices=[*SEVERITY_NAMES, "none"], default="low",
                   help="exit 1 when a reported finding has this severity or higher "
                        "(default: low; none: never)")
    p.add_argument("--allow-partial", action="store_true",
                   help="do not exit 3 when some device of the snapshot failed")


def register_audit(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help="check a snapshot against the guide's recommendations")
    p.add_argument("snapshot", type=Path)
    _add_audit_options(p)
    p.set_defaults(handler=run_audit)


def register_run(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("run", help="collect a snapshot, then audit it")
    p.add_argument("-i", "--inventory", type=Path, required=True)
    p.add_argument("-o", "--snapshot", type=Path,
                   help="snapshot folder to write (default: ./snapshot-<UTC time>)")
    p.add_argument("--secrets", type=Path, help="secrets file for ${secret:NAME} references")
    p.add_argument("--force", action="store_true", help="replace an existing snapshot folder")
    from xsfabric.collect import add_collect_arguments

    add_collect_arguments(p)
    p.add_argument("--limit", action="append", default=[])
    _add_audit_options(p)
    p.set_defaults(handler=run_collect_and_audit)


def register_rules(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("rules", help="list the rules and the guide coverage")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(handler=run_rules_command)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the report: {exc.strerror or exc}") from exc


def report_and_exit(result: AuditResult, args: argparse.Namespace) -> int:
    from xsfabric.report.json import render_json
    from xsfabric.report.text import render_text
    from xsfabric.tables import escape_control

    for warning in result.warnings:
        print(f"warning: {escape_control(warning)}", file=sys.stderr)
    if args.format == "json":
        _emit(render_json(result), args.output)
    else:
        color = args.output is None and sys.stdout.isatty()
        _emit(render_text(result, color=color), args.output)
    fail_on = None if args.fail_on == "none" else Severity(args.fail_on)
    code = exit_code(result, fail_on, args.allow_partial)
    for error in result.rule_errors:
        print(f"xsfabric: rule {error.rule_id} failed: {escape_control(error.message)}",
              file=sys.stderr)
    for item in result.categories_not_checked:
        print(f"xsfabric: category {item['category']} not checked: {item['reason']}",
              file=sys.stderr)
    if not result.rules_run:
        print("xsfabric: no rule could run on this snapshot: nothing was checked",
              file=sys.stderr)
    if code == EXIT_INCOMPLETE and not result.complete and not args.allow_partial:
        failed = ", ".join(f"{d['name']} ({d['status']})" for d in result.incomplete_devices)
        print(f"xsfabric: snapshot incomplete: {failed}; the audit covers only what was "
              "collected (use --allow-partial to accept)", file=sys.stderr)
    return code


def _audit_args(args: argparse.Namespace) -> tuple[list[str] | None, Severity | None]:
    categories = _categories(args.category)
    min_severity = Severity(args.min_severity) if args.min_severity else None
    return categories, min_severity


def run_audit(args: argparse.Namespace) -> int:
    categories, min_severity = _audit_args(args)
    snapshot = Snapshot.open(args.snapshot)
    result = audit_snapshot(snapshot, args.policy, categories=categories,
                            min_severity=min_severity)
    return report_and_exit(result, args)


def run_collect_and_audit(args: argparse.Namespace) -> int:
    from xsfabric.collect import run_collect
    from xsfabric.snapshot import utc_now

    categories, min_severity = _audit_args(args)  # refuse bad options before collecting
    target: Path = args.snapshot or Path(f"snapshot-{utc_now().replace(':', '')}")
    collect_args = argparse.Namespace(
        inventory=args.inventory, output=target, policy=args.policy, secrets=args.secrets,
        force=args.force, workers=args.workers, timeout=args.timeout, limit=args.limit,
        device_timeout=args.device_timeout, allow_partial=True,
        trust_on_first_use=args.trust_on_first_use, verbose=getattr(args, "verbose", 0))
    code = run_collect(collect_args)
    if code != 0:  # interrupted (130/143) or nothing collected (2): no audit of nothing
        return code
    snapshot = Snapshot.open(target)
    # The policy given (or found beside the inventory) was copied into the snapshot.
    result = audit_snapshot(snapshot, None, categories=categories, min_severity=min_severity)
    return report_and_exit(result, args)


def run_rules_command(args: argparse.Namespace) -> int:
    from xsfabric.report.rules import render_rules_json, render_rules_text

    text = render_rules_json() if args.format == "json" else render_rules_text()
    sys.stdout.write(text)
    return 0


#: The demo estate and its policy, shipped as package data (the demo serves these).
DEMO_DATA = Path(__file__).parent / "lab" / "data"
DEMO_ESTATE = DEMO_DATA / "demo-estate.yaml"
DEMO_POLICY = DEMO_DATA / "demo-policy.yaml"
