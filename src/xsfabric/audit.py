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
import contextlib
import datetime as dt
import importlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from xsfabric.errors import XsfabricError
from xsfabric.kinds import DeviceKind
from xsfabric.report.base import SINGLE, Renderer, ReportOptions, write_files
from xsfabric.report.waivers import WAIVERS_FILE
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
from xsfabric.tables import Table

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
    return (
        -finding.severity.rank,
        subject["pool"].name if "pool" in subject else "",
        subject["host"].name if "host" in subject else "",
        finding.rule_id,
        tuple(v.name for v in subject.values()),
    )


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
    chosen = set(rule_ids) if rule_ids is not None else None
    unchecked = categories_not_checked(results, wanted, chosen)
    not_run, guide_unchecked = rules_not_run(results, wanted, chosen)
    findings = [
        f
        for f in results.findings
        if (wanted is None or str(f.category) in wanted)
        and (min_severity is None or f.severity.rank >= min_severity.rank)
    ]
    findings.sort(key=_sort_key)
    incomplete = [
        {"name": d["name"], "kind": d["kind"], "status": d["status"], "error": d.get("error")}
        for d in snapshot.failed_devices()
    ]
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


def rules_not_run(
    results: RuleResults, wanted: set[str] | None, chosen: set[str] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The rules (of the selected categories and ``--rule`` selection) not run for lack of
    data, and the guide items none of whose rules ran (every rule skipped or raised), from
    the registry."""
    registry = load_rules()
    selected = [
        r.meta
        for r in registry.values()
        if (wanted is None or str(r.meta.category) in wanted)
        and (chosen is None or r.meta.id in chosen)
    ]
    not_run = [
        {
            "rule_id": m.id,
            "title": m.title,
            "category": str(m.category),
            "guide": list(m.guide),
            "reason": results.skipped[m.id],
        }
        for m in selected
        if m.id in results.skipped
    ]
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


def categories_not_checked(
    results: RuleResults, wanted: set[str] | None, chosen: set[str] | None = None
) -> list[dict[str, str]]:
    """The categories (of the selection, else all) that no rule checked on this snapshot,
    from the registry: none registered yet, or none of its rules could run (data missing,
    raised). "No findings" in such a category means nothing, and the report says so."""
    registry = load_rules()
    out: list[dict[str, str]] = []
    for category in Category:
        if wanted is not None and str(category) not in wanted:
            continue
        registered = [r.meta.id for r in registry.values() if r.meta.category == category]
        rules = [r for r in registered if chosen is None or r in chosen]
        ran = [r for r in rules if r in results.rules_run]
        if not registered:
            reason = "no rule checks this category yet"
        elif not rules:
            if wanted is None:
                continue  # left out by --rule / --skip-rule: asked for, not a gap
            reason = "none of its rules selected (--rule / --skip-rule)"
        elif not ran:
            causes = sorted({results.skipped.get(r) or "the rule raised an error" for r in rules})
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
        result.categories
    ):
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
        raise UsageError(
            f"unknown category {', '.join(unknown)} (known: {', '.join(CATEGORY_NAMES)})"
        )
    return names or None


def _add_audit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=list(RENDERERS),
        default="text",
        help="report format (csv writes one file per table into the --output folder)",
    )
    p.add_argument("--output", type=Path, help="write the report to FILE instead of stdout")
    p.add_argument(
        "--waivers",
        type=Path,
        help=f"waivers file (default: {WAIVERS_FILE} beside the inventory for "
        "'run', in the current folder for 'audit')",
    )
    p.add_argument(
        "--show-suppressed",
        action="store_true",
        help="list the findings waivers suppress (they are always counted)",
    )
    p.add_argument(
        "--reference",
        type=Path,
        metavar="OLD",
        help="an earlier snapshot (or its JSON report): mark findings new, unchanged or fixed",
    )
    p.add_argument(
        "--policy", type=Path, help="policy file (default: the one stored in the snapshot)"
    )
    p.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="CATEGORY[,…]",
        help=f"report only these categories ({', '.join(CATEGORY_NAMES)})",
    )
    p.add_argument(
        "--min-severity",
        choices=SEVERITY_NAMES,
        help="report only findings of this severity or higher",
    )
    p.add_argument(
        "--fail-on",
        choices=[*SEVERITY_NAMES, "none"],
        default="low",
        help="exit 1 when a reported finding has this severity or higher "
        "(default: low; none: never)",
    )
    p.add_argument(
        "--allow-partial",
        action="store_true",
        help="do not exit 3 when some device of the snapshot failed",
    )
    p.add_argument(
        "--no-color",
        action="store_true",
        help="no colours in the text report (NO_COLOR is honoured too)",
    )
    p.add_argument(
        "--rule",
        action="append",
        default=[],
        metavar="ID[,…]",
        help="run only these rules (ids as 'xsfabric rules' lists them)",
    )
    p.add_argument(
        "--skip-rule",
        action="append",
        default=[],
        metavar="ID[,…]",
        help="run every rule but these",
    )


def _rule_selection(args: argparse.Namespace) -> list[str] | None:
    """The rules ``--rule`` / ``--skip-rule`` select, in registration order; None = all.
    An unknown id is a usage error before anything is collected or read."""
    from xsfabric.rules.engine import load_rules

    registry = load_rules()
    only = [v.strip() for value in getattr(args, "rule", []) for v in value.split(",") if v.strip()]
    skip = [
        v.strip() for value in getattr(args, "skip_rule", []) for v in value.split(",") if v.strip()
    ]
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
    p.add_argument(
        "-o",
        "--snapshot",
        type=Path,
        help="snapshot folder to write (default: ./snapshot-<UTC time>)",
    )
    p.add_argument("--secrets", type=Path, help="secrets file for ${secret:NAME} references")
    p.add_argument("--force", action="store_true", help="replace an existing snapshot folder")
    from xsfabric.collect import add_collect_arguments, add_processes_argument

    add_collect_arguments(p)
    add_processes_argument(p)
    p.add_argument("--limit", action="append", default=[])
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    _add_audit_options(p)
    p.set_defaults(handler=run_collect_and_audit)


def register_report(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", help="write the HTML report of a snapshot (one offline file)")
    p.add_argument("snapshot", type=Path)
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("report.html"),
        help="file to write (default: ./report.html)",
    )
    p.add_argument(
        "--policy", type=Path, help="policy file (default: the one stored in the snapshot)"
    )
    p.add_argument(
        "--waivers", type=Path, help=f"waivers file (default: {WAIVERS_FILE} in the current folder)"
    )
    p.add_argument(
        "--reference",
        type=Path,
        metavar="OLD",
        help="an earlier snapshot (or its JSON report) to compare with",
    )
    p.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    """The HTML report; exit 0 whatever it holds (``audit --fail-on`` is the CI gate)."""
    result = audit_snapshot(Snapshot.open(args.snapshot), args.policy)
    doc = report_document(result, args.waivers or _default_waivers(Path.cwd()), args.reference)
    cabling, pairs = report_cabling(result.snapshot_path, args.policy)
    write_files(renderer("html")(doc, ReportOptions(tables=cabling, mlag_pairs=pairs)), args.output)
    print(f"report written to {args.output}", file=sys.stderr)
    return EXIT_OK


def register_diff(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "diff", help="what changed between two snapshots: findings new, fixed, unchanged"
    )
    p.add_argument("old", type=Path, help="earlier snapshot folder (or its JSON report)")
    p.add_argument("new", type=Path, help="later snapshot folder (or its JSON report)")
    p.add_argument(
        "--format",
        choices=["text", "json", "html"],
        default="text",
        help="html: the NEW report with new findings marked and a fixed section",
    )
    p.add_argument("--output", type=Path, help="write the diff to FILE instead of stdout")
    p.add_argument(
        "--policy",
        type=Path,
        help="policy file for both (default: the one stored in each snapshot)",
    )
    p.set_defaults(handler=run_diff)


def run_diff(args: argparse.Namespace) -> int:
    """Exit 1 when the new side has findings the old one had not (a regression), else 0."""
    import json

    from xsfabric.report.diff import render_diff_text, with_baseline

    old = reference_document(args.old, policy_path=args.policy)
    new = reference_document(args.new, policy_path=args.policy)
    doc = with_baseline(new, old)
    doc["baseline"]["changes"] = estate_changes(args.old, args.new, args.policy)
    if args.format == "json":
        text = (
            json.dumps(
                {
                    "schema": "xsfabric-diff",
                    "schema_version": 1,
                    "old": old["snapshot"],
                    "new": new["snapshot"],
                    "new_findings": [
                        f
                        for f in doc["findings"]
                        if f["fingerprint"] in set(doc["baseline"]["new"])
                    ],
                    "fixed_findings": doc["baseline"]["fixed"],
                    "unchanged": doc["baseline"]["unchanged"],
                    "changes": doc["baseline"]["changes"],
                },
                indent=2,
                sort_keys=True,
                default=str,
            )
            + "\n"
        )
    elif args.format == "html":
        cabling, pairs = report_cabling(args.new, args.policy) if args.new.is_dir() else ((), {})
        options = ReportOptions(tables=cabling, mlag_pairs=pairs)
        text = renderer("html")(doc, options)[SINGLE].decode("utf-8")
    else:
        text = render_diff_text(doc)
    if args.output is not None:
        write_files({SINGLE: text.encode("utf-8")}, args.output)
    else:
        sys.stdout.write(text)
    return EXIT_FINDINGS if doc["baseline"]["new"] else EXIT_OK


def register_rules(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("rules", help="list the rules and the guide coverage")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(handler=run_rules_command)


#: Report formats by name: "module:function" of a :class:`xsfabric.report.base.Renderer`,
#: each rendering from the canonical findings document. A new format adds one row.
RENDERERS: dict[str, str] = {
    "text": "xsfabric.report.text:render",
    "json": "xsfabric.report.json:render",
    "sarif": "xsfabric.report.sarif:render",
    "junit": "xsfabric.report.junit:render",
    "csv": "xsfabric.report.csvfiles:render",
    "xlsx": "xsfabric.report.xlsx:render",
    "html": "xsfabric.report.html:render",
}
#: Formats that show the snapshot's tables besides the findings (built only for them).
TABLE_FORMATS = {"csv", "xlsx"}
#: Formats that are not text: refused on a terminal, written as bytes elsewhere.
BINARY_FORMATS = {"xlsx"}
#: Formats that show the cabling (HTML map; NIC ↔ port and VLAN-per-port tables).
CABLING_FORMATS = {"csv", "xlsx", "html"}
#: The snapshot tables reports show (those with rows), in tab order.
REPORT_POOL_TABLES = ("pools", "hosts", "pifs", "networks", "srs")
REPORT_SWITCH_TABLES = ("ports", "vlans", "lldp")  # not macs: a whole FDB


def renderer(fmt: str) -> Renderer:
    module, _, func = RENDERERS[fmt].partition(":")
    found: Renderer = getattr(importlib.import_module(module), func)
    return found


def report_tables_for(result: AuditResult, policy_path: Path | None) -> tuple[Table, ...]:
    """The snapshot's own tables for the tabular formats (one estate load for pool tables)."""
    from xsfabric.model.estate import load_estate
    from xsfabric.show import POOL_TABLES, build_table

    snapshot = Snapshot.open(result.snapshot_path)
    estate = load_estate(snapshot, policy_path, with_switches=False)
    tables = [POOL_TABLES[name](estate) for name in REPORT_POOL_TABLES]
    if any(True for _ in snapshot.devices(DeviceKind.SWITCH)):
        tables += [build_table(name, snapshot) for name in REPORT_SWITCH_TABLES]
    if any(True for _ in snapshot.devices(DeviceKind.FC_SWITCH)):  # the Zones tab
        from xsfabric.san.tables import zones_table

        tables.append(zones_table(snapshot))
    if any(True for _ in snapshot.devices(DeviceKind.ARRAY)):  # the LUN maps tab
        from xsfabric.san.array_tables import maps_table

        tables.append(maps_table(snapshot))
    return tuple(tables)


def report_cabling(
    snapshot_path: Path, policy_path: Path | None
) -> tuple[tuple[Table, ...], dict[str, str]]:
    """The cabling table (one row per host NIC) and the MLAG / vPC pairs, for the formats
    that show the cabling; nothing when the snapshot holds no Ethernet switch."""
    from xsfabric.cabling import cabling_table, load_correlated

    snapshot = Snapshot.open(snapshot_path)
    if not any(True for _ in snapshot.devices(DeviceKind.SWITCH)):
        return (), {}
    data = load_correlated(snapshot, policy_path)
    table = cabling_table(data)
    # the networks each NIC carries (through its bond and VLAN PIFs), for the NIC tables
    networks: dict[tuple[str, str, str], set[str]] = {}
    for pool in data.estate.pools:
        for pif in pool.pifs.values():
            network = pool.networks.get(pif.network_uuid or "")
            host = pool.hosts.get(pif.host_uuid)
            if network is None or host is None:
                continue
            for nic in pif.physical_pif_uuids:
                if nic in pool.pifs:
                    key = (pool.name, host.name_label, pool.pifs[nic].device)
                    networks.setdefault(key, set()).add(network.name_label)
    rows = [
        row | {"networks": sorted(networks.get((row["pool"], row["host"], row["pif"]), ()))}
        for row in table.rows
    ]
    with_networks = Table(table.name, [*table.columns, "networks"], rows, list(table.warnings))
    return (with_networks,), dict(data.cabling.mlag_pairs)


def change_tables(snapshot_path: Path, policy_path: Path | None) -> dict[str, Table | None]:
    """The tables an estate diff compares (cabling, zones, LUN maps); None for a kind of
    device the snapshot does not hold."""
    from xsfabric.san.array_tables import maps_table
    from xsfabric.san.tables import zones_table

    snapshot = Snapshot.open(snapshot_path)
    cabling, _pairs = report_cabling(snapshot_path, policy_path)
    fabrics = any(True for _ in snapshot.devices(DeviceKind.FC_SWITCH))
    arrays = any(True for _ in snapshot.devices(DeviceKind.ARRAY))
    return {
        "cabling": cabling[0] if cabling else None,
        "zones": zones_table(snapshot) if fabrics else None,
        "maps": maps_table(snapshot) if arrays else None,
    }


def estate_changes(old: Path, new: Path, policy_path: Path | None = None) -> dict[str, Any]:
    """NIC moves, host-port VLAN, zoning and LUN masking changes between two snapshot folders
    (a JSON report holds no tables: then nothing is compared, and the section says so)."""
    from xsfabric.report.changes import KINDS, compare

    if not (old.is_dir() and new.is_dir()):
        why = "a JSON report holds no cabling, zoning or masking tables: compare snapshot folders"
        return {"not_compared": dict.fromkeys(KINDS, why)}
    return compare(change_tables(old, policy_path), change_tables(new, policy_path))


def _write_stdout(data: bytes, fmt: str) -> None:
    if fmt in BINARY_FORMATS and sys.stdout.isatty():
        raise UsageError(f"--format {fmt} is binary: give --output FILE")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def report_document(
    result: AuditResult, waivers_path: Path | None, reference: Path | None
) -> dict[str, Any]:
    """The canonical document with waivers applied and compared with a reference."""
    from xsfabric.report.diff import with_baseline
    from xsfabric.report.json import findings_document
    from xsfabric.report.waivers import apply_waivers, load_waivers
    from xsfabric.rules.engine import load_rules

    doc = findings_document(result)
    if waivers_path is not None:
        waivers = load_waivers(waivers_path, load_rules())
        doc = apply_waivers(doc, waivers, today(), waivers_path)
    if reference is not None:
        doc = with_baseline(
            doc, reference_document(reference, result.categories, result.min_severity)
        )
        doc["baseline"]["changes"] = estate_changes(
            reference, result.snapshot_path, result.policy_path
        )
    return doc


def today() -> dt.date:
    """The date waivers are checked against (UTC; XSFABRIC_TODAY overrides it for tests and
    for asking "what will fail after the holidays")."""
    override = os.environ.get("XSFABRIC_TODAY")
    if override:
        try:
            return dt.date.fromisoformat(override)
        except ValueError:
            raise UsageError(f"XSFABRIC_TODAY={override!r} is not a date (YYYY-MM-DD)") from None
    return dt.datetime.now(dt.UTC).date()


def reference_document(
    path: Path,
    categories: Iterable[str] | None = None,
    min_severity: Severity | None = None,
    policy_path: Path | None = None,
) -> dict[str, Any]:
    """An earlier audit: a snapshot folder (audited now, same filters; its stored policy
    unless one is given) or its JSON report."""
    import json

    from xsfabric.report.json import findings_document

    if path.is_dir():
        return findings_document(
            audit_snapshot(
                Snapshot.open(path), policy_path, categories=categories, min_severity=min_severity
            )
        )
    try:
        doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the reference: {exc.strerror or exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(
            f"{path}: not a snapshot folder nor a JSON findings report: {exc}"
        ) from exc
    if not isinstance(doc, dict) or doc.get("schema") != "xsfabric-findings":
        raise UsageError(f"{path}: not an xsfabric findings report (schema xsfabric-findings)")
    return doc


def document_exit_code(
    doc: dict[str, Any], result: AuditResult, fail_on: Severity | None, allow_partial: bool
) -> int:
    """:func:`exit_code` on the rendered document: an incomplete audit or snapshot is judged
    on the result, findings on what is left after the waivers (waived ones do not count)."""
    code = exit_code(result, None, allow_partial)
    if code != EXIT_OK:
        return code
    if fail_on is not None and any(
        Severity(f["severity"]).rank >= fail_on.rank for f in doc["findings"]
    ):
        return EXIT_FINDINGS
    return EXIT_OK


def report_and_exit(
    result: AuditResult, args: argparse.Namespace, waivers_default: Path | None = None
) -> int:
    """Render the report in the format asked (waivers and reference applied to the canonical
    document first) and work out the exit code from what is left unwaived."""
    from xsfabric.tables import escape_control

    for warning in result.warnings:
        print(f"warning: {escape_control(warning)}", file=sys.stderr)
    doc = report_document(
        result, getattr(args, "waivers", None) or waivers_default, getattr(args, "reference", None)
    )
    fmt = getattr(args, "format", "text")
    tables = report_tables_for(result, args.policy) if fmt in TABLE_FORMATS else ()
    pairs: dict[str, str] = {}
    if fmt in CABLING_FORMATS:
        cabling, pairs = report_cabling(result.snapshot_path, args.policy)
        tables = (*tables, *cabling)
    from xsfabric.tables import terminal

    # NO_COLOR, TERM=dumb, --color auto|always|never (and --no-color) as for every command
    color = (
        args.output is None
        and not getattr(args, "no_color", False)
        and terminal(getattr(args, "color", "auto")).color
    )
    options = ReportOptions(
        color=color,
        show_suppressed=getattr(args, "show_suppressed", False),
        tables=tables,
        mlag_pairs=pairs,
    )
    files = renderer(fmt)(doc, options)
    if args.output is not None:
        write_files(files, args.output)
    elif SINGLE in files:
        _write_stdout(files[SINGLE], fmt)
    else:
        # one file per table: without a folder to write to, print the findings table
        _write_stdout(files["findings.csv"], fmt)
    fail_on = None if args.fail_on == "none" else Severity(args.fail_on)
    code = document_exit_code(doc, result, fail_on, args.allow_partial)
    for error in result.rule_errors:
        print(
            f"xsfabric: rule {error.rule_id} failed: {escape_control(error.message)}",
            file=sys.stderr,
        )
    for item in result.categories_not_checked:
        print(
            f"xsfabric: category {item['category']} not checked: {item['reason']}", file=sys.stderr
        )
    if not result.rules_run:
        print("xsfabric: no rule could run on this snapshot: nothing was checked", file=sys.stderr)
    if code == EXIT_INCOMPLETE and not result.complete and not args.allow_partial:
        failed = ", ".join(f"{d['name']} ({d['status']})" for d in result.incomplete_devices)
        print(
            f"xsfabric: snapshot incomplete: {failed}; the audit covers only what was "
            "collected (use --allow-partial to accept)",
            file=sys.stderr,
        )
    return code


def _audit_args(args: argparse.Namespace) -> tuple[list[str] | None, Severity | None]:
    categories = _categories(args.category)
    min_severity = Severity(args.min_severity) if args.min_severity else None
    return categories, min_severity


def run_audit(args: argparse.Namespace) -> int:
    categories, min_severity = _audit_args(args)
    rule_ids = _rule_selection(args)
    snapshot = Snapshot.open(args.snapshot)
    result = audit_snapshot(
        snapshot, args.policy, categories=categories, min_severity=min_severity, rule_ids=rule_ids
    )
    return report_and_exit(result, args, _default_waivers(Path.cwd()))


def _default_waivers(folder: Path) -> Path | None:
    path = folder / WAIVERS_FILE
    return path if path.is_file() else None


def run_collect_and_audit(args: argparse.Namespace) -> int:
    from functools import partial

    from xsfabric.collect import run_collect
    from xsfabric.report.progress import collect_progress
    from xsfabric.snapshot import utc_now

    categories, min_severity = _audit_args(args)  # refuse bad options before collecting
    rule_ids = _rule_selection(args)
    target: Path = args.snapshot or Path(f"snapshot-{utc_now().replace(':', '')}")
    collect_args = argparse.Namespace(
        inventory=args.inventory,
        output=target,
        policy=args.policy,
        secrets=args.secrets,
        force=args.force,
        workers=args.workers,
        timeout=args.timeout,
        limit=args.limit,
        device_timeout=args.device_timeout,
        allow_partial=True,
        trust_on_first_use=args.trust_on_first_use,
        snmp_client=args.snmp_client,
        processes=args.processes,
        verbose=getattr(args, "verbose", 0),
        progress_display=partial(collect_progress, quiet=args.quiet, no_color=args.no_color),
    )
    # collect's progress lines go to stderr here: stdout carries the report (JSON for jq)
    with contextlib.redirect_stdout(sys.stderr):
        code = run_collect(collect_args)
    if code != 0:  # interrupted (130/143) or nothing collected (2): no audit of nothing
        return code
    snapshot = Snapshot.open(target)
    # The policy given (or found beside the inventory) was copied into the snapshot.
    result = audit_snapshot(
        snapshot, None, categories=categories, min_severity=min_severity, rule_ids=rule_ids
    )
    return report_and_exit(result, args, _default_waivers(args.inventory))


def run_rules_command(args: argparse.Namespace) -> int:
    from xsfabric.report.rules import render_rules_json, render_rules_text
    from xsfabric.tables import terminal

    text = (
        render_rules_json()
        if args.format == "json"
        else render_rules_text(term=terminal(getattr(args, "color", "auto")))
    )
    sys.stdout.write(text)
    return 0


#: The demo estate and its policy, shipped as package data (the demo serves these).
DEMO_DATA = Path(__file__).parent / "lab" / "data"
DEMO_ESTATE = DEMO_DATA / "demo-estate.yaml"
DEMO_POLICY = DEMO_DATA / "demo-policy.yaml"
