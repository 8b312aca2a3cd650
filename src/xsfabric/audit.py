"""``xsfabric audit``, ``xsfabric run`` and ``xsfabric rules``: findings and the CI exit code.

:func:`audit_snapshot` is the entry point other code calls (the demo does): snapshot (+ policy)
→ :class:`AuditResult`. Reports are rendered from its canonical JSON document
(:mod:`xsfabric.report`). Exit codes: 0 nothing at or above ``--fail-on``; 1 findings; 2 usage
or input error (raised as :class:`~xsfabric.errors.XsfabricError`, turned into 2 by the CLI);
3 the snapshot is incomplete (a device failed) unless ``--allow-partial``. When several apply,
2 wins over 3 over 1.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from xsfabric.errors import XsfabricError
from xsfabric.rules.engine import (
    Category,
    Finding,
    Severity,
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
    rule_ids: Iterable[str] | None = None,
) -> AuditResult:
    """Audit a snapshot: build the estate (policy given, else the snapshot's), run every
    rule, filter, and list the manual attestation items and the devices that failed."""
    from xsfabric.model.estate import load_estate
    from xsfabric.rules.attestation import attestations

    estate = load_estate(snapshot, policy_path)
    results = run_rules(estate, rule_ids)
    wanted = set(categories) if categories else None
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
    )


def exit_code(result: AuditResult, fail_on: Severity | None, allow_partial: bool) -> int:
    """3 for an incomplete snapshot (unless allowed) wins over 1 for findings."""
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
    p.add_argument("--rule", action="append", default=[], metavar="ID[,…]",
                   help="run only these rules (ids as 'xsfabric rules' lists them)")
    p.add_argument("--skip-rule", action="append", default=[], metavar="ID[,…]",
                   help="run every rule but these")


def _rule_selection(args: argparse.Namespace) -> list[str] | None:
    """The rules ``--rule`` / ``--skip-rule`` select, in registration order; None = all.
    An unknown id is a usage error before anything is collected or read."""
    from xsfabric.rules.engine import load_rules

    registry = load_rules()
    only = [v.strip() for value in getattr(args, "rule", []) for v in value.split(",")
            if v.strip()]
    skip = [v.strip() for value in getattr(args, "skip_rule", []) for v in value.split(",")
            if v.strip()]
    unknown = [r for r in (*only, *skip) if r not in registry]
    if unknown:
        raise UsageError(f"unknown rule {', '.join(unknown)} (xsfabric rules lists them)")
    if not only and not skip:
        return None
    return [r for r in registry if (not only or r in only) and r not in skip]


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
    p.add_argument("--workers", type=int, default=16)
    p.add_argument("--timeout", type=float, default=30.0)
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
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the report: {exc.strerror or exc}") from exc


def report_and_exit(result: AuditResult, args: argparse.Namespace) -> int:
    from xsfabric.report.json import render_json
    from xsfabric.report.text import render_text

    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.format == "json":
        _emit(render_json(result), args.output)
    else:
        from xsfabric.tables import terminal

        color = args.output is None and terminal(getattr(args, "color", "auto")).color
        _emit(render_text(result, color=color), args.output)
    fail_on = None if args.fail_on == "none" else Severity(args.fail_on)
    code = exit_code(result, fail_on, args.allow_partial)
    if code == EXIT_INCOMPLETE:
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
    rule_ids = _rule_selection(args)
    snapshot = Snapshot.open(args.snapshot)
    result = audit_snapshot(snapshot, args.policy, categories=categories,
                            min_severity=min_severity, rule_ids=rule_ids)
    return report_and_exit(result, args)


def run_collect_and_audit(args: argparse.Namespace) -> int:
    from xsfabric.collect import run_collect
    from xsfabric.snapshot import utc_now

    categories, min_severity = _audit_args(args)  # refuse bad options before collecting
    rule_ids = _rule_selection(args)
    target: Path = args.snapshot or Path(f"snapshot-{utc_now().replace(':', '')}")
    collect_args = argparse.Namespace(
        inventory=args.inventory, output=target, policy=args.policy, secrets=args.secrets,
        force=args.force, workers=args.workers, timeout=args.timeout, limit=args.limit)
    # collect's progress lines go to stderr here: stdout carries the report (JSON for jq)
    with contextlib.redirect_stdout(sys.stderr):
        run_collect(collect_args)
    snapshot = Snapshot.open(target)
    # The policy given (or found beside the inventory) was copied into the snapshot.
    result = audit_snapshot(snapshot, None, categories=categories, min_severity=min_severity,
                            rule_ids=rule_ids)
    return report_and_exit(result, args)


def run_rules_command(args: argparse.Namespace) -> int:
    from xsfabric.report.rules import render_rules_json, render_rules_text
    from xsfabric.tables import terminal

    text = (render_rules_json() if args.format == "json"
            else render_rules_text(term=terminal(getattr(args, "color", "auto"))))
    sys.stdout.write(text)
    return 0


#: The demo estate and its policy, shipped as package data (the demo serves these).
DEMO_DATA = Path(__file__).parent / "lab" / "data"
DEMO_ESTATE = DEMO_DATA / "demo-estate.yaml"
DEMO_POLICY = DEMO_DATA / "demo-policy.yaml"
