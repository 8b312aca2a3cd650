"""The terminal report, rendered from the canonical findings document.

Summary by severity and category first, then findings grouped by pool and host with subject,
evidence and fix, then what could not be checked (never counted as a pass), then the manual
attestation items.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xsfabric.report.base import SINGLE, Files, ReportOptions, inert_tree
from xsfabric.report.json import findings_document
from xsfabric.tables import escape_all

if TYPE_CHECKING:
    from xsfabric.rules.result import AuditResult

_STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}
_ESTATE = "(estate-wide)"
_POOL_WIDE = "(pool-wide)"


def _value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)


def _subject_line(subject: dict[str, dict[str, str]]) -> str:
    return ", ".join(f"{key}={part['name']}" for key, part in subject.items())


def _group(finding: dict[str, Any]) -> tuple[str, str]:
    subject = finding["subject"]
    pool = subject.get("pool", {}).get("name", _ESTATE)
    host = subject.get("host", {}).get("name", _POOL_WIDE)
    return pool, host


def _summary(console: Console, doc: dict[str, Any]) -> None:
    summary = doc["summary"]
    table = Table(title="Findings by severity", show_edge=False)
    for severity in summary["by_severity"]:
        table.add_column(severity, justify="right", style=_STYLE.get(severity))
    table.add_row(*(str(n) for n in summary["by_severity"].values()))
    console.print(table)
    used = {c: n for c, n in summary["by_category"].items() if n}
    if used:
        cats = Table(title="Findings by category", show_edge=False)
        for category in used:
            cats.add_column(category, justify="right")
        cats.add_row(*(str(n) for n in used.values()))
        console.print(cats)
    console.print(
        f"{summary['findings']} finding(s) shown"
        + (
            f" of {summary['findings_before_filters']}"
            if summary["findings_before_filters"] != summary["findings"]
            else ""
        )
        + f", {summary['not_checked']} not checked, "
        f"{summary['rules_run']} rules run"
    )


def _findings(console: Console, findings: list[dict[str, Any]]) -> None:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for finding in findings:
        groups.setdefault(_group(finding), []).append(finding)
    last_pool = None
    for (pool, host), items in sorted(groups.items()):
        if pool != last_pool:
            console.rule(
                f"[bold]pool {escape(pool)}[/]" if pool != _ESTATE else f"[bold]{_ESTATE}[/]"
            )
            last_pool = pool
        # one print per host: rich's per-call cost dominated with thousands of findings
        lines = [f"[bold]{escape(host if host == _POOL_WIDE else 'host ' + host)}[/]"]
        for f in items:
            sev = f["severity"]
            guide = ", ".join(f["guide"]) or "beyond the guide"
            lines.append(
                f"  [{_STYLE[sev]}]{sev.upper()}[/] {escape(f['rule_id'])}: "
                f"{escape(f['title'])} [dim]({escape(guide)}; {f['category']})[/]"
            )
            lines.append(f"    subject: {escape(_subject_line(f['subject']))}")
            lines.append(f"    {escape(f['message'])}")
            if f["evidence"]:
                evidence = "; ".join(f"{k}={_value(v)}" for k, v in f["evidence"].items())
                lines.append(f"[dim]    evidence: {escape(evidence)}[/dim]")
            lines.append(f"    fix: {escape(f['remediation'])}")
            lines.append(f"[dim]    fingerprint: {f['fingerprint'][:16]}[/dim]")
        console.print("\n".join(lines))


def _not_checked(console: Console, items: list[dict[str, Any]]) -> None:
    console.rule(f"[bold]Not checked ({len(items)})[/] — not a pass")
    for item in items:
        subject = _subject_line(item["subject"]) or "estate"
        console.print(escape(f"  {item['rule_id']} [{subject}]: {item['reason']}"))


def _attestations(console: Console, items: list[dict[str, Any]]) -> None:
    console.rule(f"[bold]Manual attestation items ({len(items)})[/]")
    for item in items:
        console.print(f"  [ ] {', '.join(item['guide'])} {escape(item['title'])}")
        console.print(f"      {escape(item['instruction'])}")
        for entry in item["items"]:
            if "sr" in entry:
                targets = ", ".join(entry["targets"]) or "local/no network target"
                console.print(
                    f"      - {escape(entry['pool'])}: SR {escape(entry['sr'])} "
                    f"({entry['type']}) → {escape(targets)}"
                )
            elif "hosts" in entry:
                console.print(
                    f"      - {escape(entry['pool'])}: {escape(', '.join(entry['hosts']))}"
                )


def render_text(result: AuditResult, *, color: bool = False, width: int = 110) -> str:
    """The readable report; ``color`` adds ANSI styles (for a terminal)."""
    return render_document(
        inert_tree(findings_document(result), newlines=False), color=color, width=width
    )


def render_document(doc: dict[str, Any], *, color: bool = False, width: int = 110) -> str:
    # every string of the document may come from a device or a pool: control characters
    # are written out before anything reaches the console
    doc = escape_all(doc)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        soft_wrap=False,
        emoji=False,
    )  # ":ab:" in a WWPN is no emoji code
    policy = doc["policy"] or "none"
    console.print(
        f"[bold]xsfabric audit[/] of {escape(doc['snapshot']['path'])} (policy: {escape(policy)})"
    )
    if not doc["complete"]:
        failed = ", ".join(
            f"{d['name']} ({d['status']}: {d.get('error') or ''})"
            for d in doc["incomplete_devices"]
        )
        console.print(f"[bold red]Snapshot incomplete:[/] {escape(failed)}")
    for warning in doc["warnings"]:
        console.print(f"[yellow]warning:[/] {escape(warning)}")
    _summary(console, doc)
    if doc["findings"]:
        _findings(console, doc["findings"])
    else:
        console.print("No findings at the selected severity and categories.")
    for error in doc.get("rule_errors", []):
        console.print(
            f"[bold red]rule error:[/] {escape(error['rule_id'])} "
            f"({escape(error['category'])}): {escape(error['message'])}"
        )
    for item in doc.get("categories_not_checked", []):
        console.print(
            f"[yellow]not checked:[/] category {escape(item['category'])}: {escape(item['reason'])}"
        )
    not_run: dict[str, list[str]] = {}
    for item in doc.get("rules_not_run", []):
        not_run.setdefault(item["reason"], []).append(item["rule_id"])
    for reason, ids in sorted(not_run.items()):
        console.print(
            f"[yellow]not run:[/] {len(ids)} rule(s), {escape(reason)}: {escape(', '.join(ids))}"
        )
    if doc.get("guide_not_checked"):
        guides = ", ".join(g["guide"] for g in doc["guide_not_checked"])
        console.print(f"[yellow]guide items not checked:[/] {escape(guides)}")
    if not doc["rules_run"]:
        console.print("[bold red]No rule could run on this snapshot: nothing was checked.[/]")
    if doc["not_checked"]:
        _not_checked(console, doc["not_checked"])
    _attestations(console, doc["attestations"])
    return buffer.getvalue()


def _waivers(console: Console, doc: dict[str, Any], show_suppressed: bool) -> None:
    suppressed = doc.get("suppressed", [])
    if suppressed:
        hint = "" if show_suppressed else " (list them with --show-suppressed)"
        console.rule(f"[bold]Suppressed by waivers ({len(suppressed)})[/]{hint}")
        if show_suppressed:
            for f in suppressed:
                w = f["waiver"]
                console.print(
                    f"  {f['severity'].upper()} {escape(f['rule_id'])}: "
                    f"{escape(_subject_line(f['subject']))}"
                )
                console.print(
                    f"    waived until {w['expires']} by {escape(w['owner'])} "
                    f"({escape(w['file'])}:{w['line']}): {escape(w['justification'])}",
                    style="dim",
                )
    for w in doc.get("stale_waivers", []):
        console.print(
            f"[yellow]stale waiver:[/] {escape(w['file'])}:{w['line']} "
            f"{escape(w['rule'])} matches no finding"
        )
    for f in doc["findings"]:
        if "note" in f:
            console.print(
                f"[yellow]note:[/] {escape(f['rule_id'])} "
                f"{escape(_subject_line(f['subject']))}: {escape(f['note'])}"
            )


def render(doc: Mapping[str, Any], options: ReportOptions) -> Files:
    """The registry's text renderer: the report, then waivers and the baseline comparison."""
    clean = inert_tree(doc, newlines=False)  # one report line is never two
    text = render_document(clean, color=options.color)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=110,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        highlight=False,
        soft_wrap=True,
    )  # file:line references stay on one line
    _waivers(console, clean, options.show_suppressed)
    baseline = clean.get("baseline")
    if baseline:
        console.print(
            f"Compared with {escape(baseline['reference'])}: "
            f"{len(baseline['new'])} new, {len(baseline['fixed'])} fixed, "
            f"{len(baseline['unchanged'])} unchanged"
        )
        changes = baseline.get("changes")
        if changes is not None:  # NIC moves, host-port VLANs, zoning, masking
            from xsfabric.report.changes import change_count, change_lines

            console.print(f"{change_count(changes)} estate change(s) since the reference")
            for heading, lines in change_lines(changes):
                console.print(f"{escape(heading)}:")
                for line in lines:
                    console.print(escape(line))
            for kind, why in changes.get("not_compared", {}).items():
                console.print(escape(f"  {kind} not compared: {why}"))
    return {SINGLE: (text + buffer.getvalue()).encode("utf-8")}
