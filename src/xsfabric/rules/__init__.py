"""Rules: the registry of checks over the estate, the findings they produce, and guide
coverage. Import :func:`run_rules` to audit an estate; one module per theme registers rules.
"""

from xsfabric.rules.engine import (
    REGISTRY,
    Attestation,
    Category,
    Finding,
    NotChecked,
    RuleMeta,
    RuleResults,
    Severity,
    SubjectRef,
    load_rules,
    run_rules,
)

__all__ = [
    "REGISTRY",
    "Attestation",
    "Category",
    "Finding",
    "NotChecked",
    "RuleMeta",
    "RuleResults",
    "Severity",
    "SubjectRef",
    "load_rules",
    "run_rules",
]
