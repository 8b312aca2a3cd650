"""The outcome of one audit: what reports render and what sets the exit code.

It lives beside the rules (not in :mod:`xsfabric.audit`, the command) so that report renderers
can take it without importing the command layer above them (``tests/test_layers.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xsfabric.rules.engine import Attestation, Finding, NotChecked, RuleError, Severity


@dataclass(slots=True)
class AuditResult:
    """Findings after the filters, plus what a report must say beside them: rules that could
    not run, attestation items, devices that failed, the filters applied."""

    snapshot_path: Path
    manifest: dict[str, Any]
    policy_path: Path | None
    findings: list[Finding]
    not_checked: list[NotChecked]
    attestations: list[Attestation]
    rules_run: list[str]
    warnings: list[str] = field(default_factory=list)
    incomplete_devices: list[dict[str, Any]] = field(default_factory=list)
    categories: list[str] | None = None
    min_severity: Severity | None = None
    #: Findings before the category / severity filters.
    unfiltered_count: int = 0
    #: Rules that raised: the audit is not complete.
    rule_errors: list[RuleError] = field(default_factory=list)
    #: Categories (of the selection) no rule checked on this snapshot, with the reason.
    categories_not_checked: list[dict[str, str]] = field(default_factory=list)
    #: Rules not run because the snapshot lacks their data: {rule_id, title, category,
    #: guide, reason}.
    rules_not_run: list[dict[str, Any]] = field(default_factory=list)
    #: Guide items (of the selection) whose every rule was not run or raised: {guide, reason}.
    guide_not_checked: list[dict[str, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.incomplete_devices
