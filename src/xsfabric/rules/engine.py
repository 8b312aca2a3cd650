"""The rule engine: a registry of small check functions with metadata, and what they produce.

A rule is a function ``check(ctx: RuleContext) -> None`` registered with :func:`rule`. It
reads the estate (model + intent) and reports through the context: :meth:`RuleContext.finding`
for what is wrong, :meth:`RuleContext.not_checked` for what it could not decide (missing data
or intent) — never silently passing. Rules never parse text and never do I/O.

Findings carry a fingerprint computed from the rule id and the canonical subject (UUIDs where
the object has one, names otherwise), so waivers and snapshot-to-snapshot diffs stay stable
across runs and across renames.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from xsfabric.model.estate import Estate
from xsfabric.model.xen import Host, Network, Pif, Pool, Sr, Vif, Vm
from xsfabric.rules.facts import PoolFacts

log = logging.getLogger(__name__)


class Severity(StrEnum):
    """Finding severities, lowest first (the order ``--min-severity`` and ``--fail-on`` use)."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}


class Category(StrEnum):
    SEGREGATION = "segregation"
    CABLING = "cabling"
    XENSERVER = "xenserver"
    SWITCH_HYGIENE = "switch-hygiene"
    WIPE = "wipe"
    ZONING = "zoning"
    MASKING = "masking"
    STORAGE_ACCESS = "storage-access"


#: The subject keys a finding may use, in the order reports print them.
SUBJECT_KEYS: tuple[str, ...] = (
    "pool",
    "host",
    "network",
    "pif",
    "vm",
    "vif",
    "sr",
    "device",
    "interface",
    "vlan",
    "zone",
    "wwpn",
    "array",
    "volume",
    "mac",
    "vserver",
    "group",
    "initiator",
    # issue 11: what on a device (a user, "snmp community 2", a wipe residue)
    "item",
)


@dataclass(frozen=True, slots=True)
class SubjectRef:
    """One object a finding is about: its display name and, for xapi objects, its UUID."""

    name: str
    uuid: str | None = None

    @property
    def key(self) -> str:
        return self.uuid or self.name

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "uuid": self.uuid} if self.uuid else {"name": self.name}


Subject = dict[str, SubjectRef]


@dataclass(frozen=True, slots=True)
class RuleMeta:
    id: str
    title: str
    severity: Severity
    category: Category
    guide: tuple[str, ...]
    rationale: str
    remediation: str
    #: Where a rule goes beyond the guide: the external source it implements.
    references: tuple[str, ...] = ()
    #: Data the rule reads ("xapi", "policy", ...), for ``xsfabric rules``.
    data: tuple[str, ...] = ("xapi",)


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    title: str
    severity: Severity
    category: Category
    guide: tuple[str, ...]
    subject: Subject
    message: str
    evidence: dict[str, Any]
    remediation: str
    fingerprint: str

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "title": self.title,
            "severity": str(self.severity),
            "category": str(self.category),
            "guide": list(self.guide),
            "subject": {k: v.to_json() for k, v in ordered_subject(self.subject).items()},
            "message": self.message,
            "evidence": self.evidence,
            "remediation": self.remediation,
            "fingerprint": self.fingerprint,
        }


@dataclass(frozen=True, slots=True)
class NotChecked:
    """A rule (or one subject of it) that could not be decided, with the reason why."""

    rule_id: str
    title: str
    guide: tuple[str, ...]
    subject: Subject
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "title": self.title,
            "guide": list(self.guide),
            "subject": {k: v.to_json() for k, v in ordered_subject(self.subject).items()},
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Attestation:
    """A guide item no machine can check: a reviewer attests it, helped by the listed items."""

    id: str
    guide: tuple[str, ...]
    title: str
    instruction: str
    items: tuple[dict[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "guide": list(self.guide),
            "title": self.title,
            "instruction": self.instruction,
            "items": list(self.items),
        }


def ordered_subject(subject: Mapping[str, SubjectRef]) -> Subject:
    return {k: subject[k] for k in SUBJECT_KEYS if k in subject} | {
        k: v for k, v in subject.items() if k not in SUBJECT_KEYS
    }


def fingerprint(rule_id: str, subject: Mapping[str, SubjectRef]) -> str:
    """sha256 of the rule id and the canonical subject: stable across runs and renames.

    >>> a = fingerprint("r", {"pool": SubjectRef("p", "u1"), "host": SubjectRef("h", "u2")})
    >>> a == fingerprint("r", {"host": SubjectRef("renamed", "u2"), "pool": SubjectRef("x", "u1")})
    True
    """
    canonical = "|".join(f"{k}={subject[k].key}" for k in sorted(subject))
    return hashlib.sha256(f"{rule_id}|{canonical}".encode()).hexdigest()


# -- subject helpers: one place decides how each object is named ---------------------------


def pif_name(pif: Pif) -> str:
    return f"{pif.device}.{pif.vlan}" if pif.vlan >= 0 else pif.device


def subject(
    pool: Pool | None = None,
    *,
    host: Host | None = None,
    network: Network | None = None,
    pif: Pif | None = None,
    vm: Vm | None = None,
    vif: Vif | None = None,
    sr: Sr | None = None,
    vlan: int | None = None,
    mac: str | None = None,
    device: str | None = None,
    interface: str | None = None,
    zone: str | None = None,
    wwpn: str | None = None,
    array: str | None = None,
    volume: str | None = None,
    **names: str | None,
) -> Subject:
    """The subject of a finding, named one way for every rule. Pool objects carry their UUID;
    switch, fabric and array objects (device, interface, zone, wwpn, array, volume) and MACs
    are named as the device prints them, already normalized by the parsers. Any other key of
    :data:`SUBJECT_KEYS` is accepted by name too (``names``), so a key added there needs no
    new parameter here; a key not in it is a programming error."""
    unknown = sorted(set(names) - set(SUBJECT_KEYS))
    if unknown:
        raise TypeError(f"subject(): {', '.join(unknown)} not in SUBJECT_KEYS")
    found: Subject = {}
    if pool is not None:
        found["pool"] = SubjectRef(pool.name, pool.uuid or None)
    if host is not None:
        found["host"] = SubjectRef(host.name_label or host.hostname, host.uuid)
    if network is not None:
        found["network"] = SubjectRef(network.name_label, network.uuid)
    if pif is not None:
        found["pif"] = SubjectRef(pif_name(pif), pif.uuid)
    if vm is not None:
        found["vm"] = SubjectRef(vm.name_label, vm.uuid)
    if vif is not None:
        found["vif"] = SubjectRef(vif.device, vif.uuid)
    if sr is not None:
        found["sr"] = SubjectRef(sr.name_label, sr.uuid)
    if vlan is not None:
        found["vlan"] = SubjectRef(str(vlan))
    named = {
        "device": device,
        "interface": interface,
        "zone": zone,
        "wwpn": wwpn,
        "array": array,
        "volume": volume,
        "mac": mac,
        **names,
    }
    for key, value in named.items():
        if value is not None:
            found[key] = SubjectRef(value)
    return ordered_subject(found)


# -- registry -------------------------------------------------------------------------------

Check = Callable[["RuleContext"], None]


@dataclass(frozen=True, slots=True)
class Rule:
    meta: RuleMeta
    check: Check


#: Every registered rule by id, in registration order (one module per theme registers them).
REGISTRY: dict[str, Rule] = {}


def rule(
    id: str,
    *,
    title: str,
    severity: Severity,
    category: Category,
    guide: Iterable[str],
    rationale: str,
    remediation: str,
    references: Iterable[str] = (),
    data: Iterable[str] = ("xapi",),
) -> Callable[[Check], Check]:
    """Register a check function under a stable id with its metadata."""
    meta = RuleMeta(
        id=id,
        title=title,
        severity=severity,
        category=category,
        guide=tuple(guide),
        rationale=rationale,
        remediation=remediation,
        references=tuple(references),
        data=tuple(data),
    )
    if not meta.guide and not meta.references:
        raise ValueError(f"rule {id}: a rule beyond the guide needs an external reference")

    def register(check: Check) -> Check:
        if id in REGISTRY:
            raise ValueError(f"rule id {id} registered twice")
        REGISTRY[id] = Rule(meta, check)
        return check

    return register


# -- running --------------------------------------------------------------------------------


#: Data a rule may need (:attr:`RuleMeta.data`) → whether an estate has it. A rule whose data
#: the snapshot lacks is not run: it is listed as not checked with the reason, never silently
#: "passed". A module that adds a data source registers its test here; a tag not listed is
#: assumed present (the rule decides with ``not_checked``).
def _has(attribute: str) -> Callable[[Estate], bool]:
    """A data source held in an estate attribute (read by name: attributes that other
    modules add to :class:`Estate` are covered as soon as they exist)."""
    return lambda estate: bool(getattr(estate, attribute, None))


DATA_SOURCES: dict[str, Callable[[Estate], bool]] = {
    "xapi": _has("pools"),
    # switch data of any kind: the finer tags need a switch first (a rule that can use one
    # of them decides with not_checked which it has)
    "switch": _has("switches"),
    "switch config": _has("switches"),
    "switch evidence": _has("switches"),
    "config facts": _has("switches"),
    "lldp": _has("switches"),
    "fdb": _has("switches"),
    "fc": _has("fabrics"),
    "fabrics": _has("fabrics"),
    "arrays": _has("arrays"),
}


#: Data tags not gated: a rule handles their absence itself (no policy: its defaults; HBA
#: listings: the initiators xapi already gives).
ALWAYS_CHECKED_BY_THE_RULE = frozenset({"policy", "hba"})


def missing_data(meta: RuleMeta, estate: Estate) -> list[str]:
    """The data tags of ``meta`` this estate does not have."""
    return [tag for tag in meta.data if tag in DATA_SOURCES and not DATA_SOURCES[tag](estate)]


@dataclass(frozen=True, slots=True)
class RuleError:
    """A rule that raised: recorded in the report (and the exit code), the audit goes on."""

    rule_id: str
    title: str
    category: Category
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "title": self.title,
            "category": str(self.category),
            "message": self.message,
        }


@dataclass(slots=True)
class RuleResults:
    findings: list[Finding] = field(default_factory=list)
    not_checked: list[NotChecked] = field(default_factory=list)
    rules_run: list[str] = field(default_factory=list)
    #: rules that raised (their findings so far are kept)
    errors: list[RuleError] = field(default_factory=list)
    #: rules not run because the snapshot lacks their data: rule id → reason
    skipped: dict[str, str] = field(default_factory=dict)


class RuleContext:
    """What a check function sees: the estate, cached per-pool facts, and the report calls."""

    def __init__(self, estate: Estate, results: RuleResults) -> None:
        self.estate = estate
        self._results = results
        self._facts: dict[int, PoolFacts] = {}
        self.meta: RuleMeta | None = None

    @property
    def pools(self) -> list[Pool]:
        return self.estate.pools

    def facts(self, pool: Pool) -> PoolFacts:
        """Derived per-pool facts, built once per audit."""
        key = id(pool)
        if key not in self._facts:
            self._facts[key] = PoolFacts(pool)
        return self._facts[key]

    def _meta(self) -> RuleMeta:
        if self.meta is None:
            raise RuntimeError("report calls are only valid while a rule runs")
        return self.meta

    def finding(
        self,
        subject: Subject,
        message: str,
        evidence: dict[str, Any] | None = None,
        *,
        remediation: str | None = None,
        severity: Severity | None = None,
    ) -> None:
        meta = self._meta()
        self._results.findings.append(
            Finding(
                rule_id=meta.id,
                title=meta.title,
                severity=severity or meta.severity,
                category=meta.category,
                guide=meta.guide,
                subject=ordered_subject(subject),
                message=message,
                evidence=evidence or {},
                remediation=remediation or meta.remediation,
                fingerprint=fingerprint(meta.id, subject),
            )
        )

    def not_checked(self, subject: Subject, reason: str) -> None:
        meta = self._meta()
        self._results.not_checked.append(
            NotChecked(
                rule_id=meta.id,
                title=meta.title,
                guide=meta.guide,
                subject=ordered_subject(subject),
                reason=reason,
            )
        )


def load_rules() -> dict[str, Rule]:
    """Import every module of :mod:`xsfabric.rules` (a rule registers when its module is
    imported) and return the registry.

    Discovered, not listed: a new theme module is picked up by being there. Modules are
    imported in name order, so registration order (the order rules run and are listed in) is
    module name, then the order within a module.
    """
    import importlib
    import pkgutil

    import xsfabric.rules as package

    for info in sorted(
        pkgutil.iter_modules(package.__path__, f"{package.__name__}."), key=lambda m: m.name
    ):
        importlib.import_module(info.name)
    return REGISTRY


def run_rules(estate: Estate, rule_ids: Iterable[str] | None = None) -> RuleResults:
    """Run the selected rules (default: all) over the estate, in registration order."""
    registry = load_rules()
    selected = list(registry) if rule_ids is None else list(rule_ids)
    results = RuleResults()
    ctx = RuleContext(estate, results)
    for rule_id in selected:
        registered = registry[rule_id]
        ctx.meta = registered.meta
        missing = missing_data(registered.meta, estate)
        if missing:
            results.skipped[rule_id] = f"no {', '.join(missing)} data in this snapshot"
            continue
        try:
            registered.check(ctx)
        except Exception as exc:  # one broken rule must not end the audit of the others
            log.debug("rule %s raised", rule_id, exc_info=True)
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            results.errors.append(
                RuleError(
                    rule_id,
                    registered.meta.title,
                    registered.meta.category,
                    f"{type(exc).__name__}: {first}",
                )
            )
            continue
        results.rules_run.append(rule_id)
    ctx.meta = None
    return results
