"""Guide coverage: which recommendations (G01…G31) are automated, partly, manual, not yet.

Computed from the registry, never hand-maintained per id: a recommendation is *automated*
when rules cite it and every data source it needs is one xsfabric reads today, *partly* when
rules cite it but some data it needs (switches, arrays, FC fabrics) is not read yet,
*manual* when only a person can attest it, *not yet* otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from xsfabric.rules.engine import Rule

#: Data sources xsfabric reads today.
IMPLEMENTED_DATA = frozenset({"xapi", "policy", "switch", "fc", "hba", "array"})


@dataclass(frozen=True, slots=True)
class GuideItem:
    id: str
    title: str
    data: frozenset[str]
    manual: bool = False
    #: A recommendation that is the union of others (G01).
    union_of: tuple[str, ...] = ()


def _g(
    id_: str, title: str, data: str, *, manual: bool = False, union_of: tuple[str, ...] = ()
) -> GuideItem:
    return GuideItem(id_, title, frozenset(data.split()), manual, union_of)


#: From the guide's recommendation list (RECOMMENDATIONS.md, column "data").
GUIDE: tuple[GuideItem, ...] = (
    _g(
        "G01",
        "No data crosses between networks",
        "xapi switch",
        union_of=tuple(f"G{n:02d}" for n in range(2, 13)),
    ),
    _g("G02", "Management, storage and guest traffic on separate networks", "xapi"),
    _g("G03", "Separate physically as well as logically", "xapi switch"),
    _g("G04", "No VM VIFs on management or storage networks", "xapi"),
    _g("G05", "Isolate production from staging, test and development", "xapi switch policy"),
    _g("G06", "Dedicated storage interface on its own subnet", "xapi"),
    _g("G07", "Storage redundancy: bonding or multipathing", "xapi"),
    _g("G08", "Storage network used for nothing else", "xapi switch"),
    _g("G09", "Guest NIC carries VM traffic only", "xapi switch"),
    _g("G10", "One guest NIC: separate networks with VLANs", "xapi switch"),
    _g("G11", "Control domain IPs only on management and storage", "xapi"),
    _g("G12", "Layer-2 protection on internet-facing guest networks", "switch policy"),
    _g("G13", "Internet and internal-only VMs on separate networks", "xapi policy"),
    _g("G14", "New VMs do not get the management network by default", "xapi"),
    _g("G15", "Network names state their function", "xapi"),
    _g("G16", "https-only on the management interface", "xapi"),
    _g("G17", "(info) management interface without IP", "xapi"),
    _g("G18", "VIF locking for untrusted guests", "xapi policy"),
    _g("G19", "Management NIC not cabled into the guest network", "xapi switch"),
    _g("G20", "Same NICs for the same networks on all hosts and pools", "xapi policy"),
    _g("G21", "Label and colour-code cables", "switch", manual=True),
    _g("G22", "Erase switch configuration before reuse", "switch"),
    _g("G23", "Protect the physical location of the network", "", manual=True),
    _g("G24", "Know and secure the location of every SR's drives", "xapi array", manual=True),
    _g("G25", "Storage NICs on a different subnet from management", "xapi"),
    _g("G26", "Target and host authentication for storage", "xapi array"),
    _g("G27", "NFS: exports limited to the pool, NFSv4", "xapi array"),
    _g("G28", "iSCSI: VLANs, no sharing across trust levels, CHAP", "xapi switch policy"),
    _g("G29", "FC: LUN masking", "xapi array hba"),
    _g("G30", "FC: zoning", "fc array hba"),
    _g("G31", "SMB: VLANs, no sharing across trust levels, credentials", "xapi switch policy"),
)


@dataclass(frozen=True, slots=True)
class Coverage:
    item: GuideItem
    status: str  # automated, partly, manual, not yet
    rules: tuple[str, ...]
    missing_data: tuple[str, ...]


def guide_coverage(registry: dict[str, Rule], attested: set[str]) -> list[Coverage]:
    by_guide: dict[str, list[str]] = {}
    for rule_id, registered in registry.items():
        for gid in registered.meta.guide:
            by_guide.setdefault(gid, []).append(rule_id)
    found: dict[str, Coverage] = {}
    status_of: dict[str, str] = {}
    for item in sorted(GUIDE, key=lambda i: bool(i.union_of)):  # unions after their parts
        rules = tuple(by_guide.get(item.id, []))
        missing = tuple(sorted(item.data - IMPLEMENTED_DATA))
        if item.union_of:
            parts = [status_of.get(g, "not yet") for g in item.union_of]
            status = (
                "automated"
                if all(p == "automated" for p in parts)
                else "partly"
                if any(p in ("automated", "partly") for p in parts)
                else "not yet"
            )
        elif rules:
            status = "partly" if missing else "automated"
        elif item.manual or item.id in attested:
            status = "manual"
        else:
            status = "not yet"
        status_of[item.id] = status
        found[item.id] = Coverage(item, status, rules, missing)
    return [found[item.id] for item in GUIDE]
