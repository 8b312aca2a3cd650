"""The estate: every pool of a snapshot, built and with intent applied, and every switch's
normalized facts (the methods of a device merged).

This is what ``show``, ``audit`` and later correlation read. Fabric and array models join here
as their issues land. Parse warnings of switch captures become estate warnings, so the audit
reports them (naming device, command and line) instead of silently auditing less.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from xsfabric.model.build import build_pool
from xsfabric.model.xen import Pool
from xsfabric.policy import Policy, apply_policy, load_policy
from xsfabric.san.array import ArrayFacts
from xsfabric.snapshot import Snapshot
from xsfabric.switch.model import SwitchFacts

if TYPE_CHECKING:
    from xsfabric.san.fabric import Fabric
    from xsfabric.san.hba import HostInitiators


@dataclass(slots=True)
class Estate:
    snapshot: Snapshot
    pools: list[Pool]
    policy: Policy | None
    warnings: list[str] = field(default_factory=list)
    #: Merged facts per switch device; empty when the snapshot has none or they were not asked.
    switches: dict[str, SwitchFacts] = field(default_factory=dict)
    #: Parsed facts per storage array device (``san/array*``); empty when the snapshot has none.
    arrays: dict[str, ArrayFacts] = field(default_factory=dict)
    #: FC fabrics (Brocade fabric or MDS switch VSAN), zoning and logins resolved.
    fabrics: list[Fabric] = field(default_factory=list)
    #: Pool hosts' HBA WWPNs and iSCSI IQNs by host UUID (``san/hba.py``).
    initiators: dict[str, HostInitiators] = field(default_factory=dict)


def load_estate(
    snapshot: Snapshot, policy_path: Path | None = None, *, with_switches: bool = True
) -> Estate:
    """Build every pool; the policy is the one given, else the one stored in the snapshot.
    ``with_switches=False`` skips parsing the switch captures (pool-only tables)."""
    path = policy_path or snapshot.policy_path()
    policy = load_policy(path) if path is not None else None
    pools = [build_pool(name, snapshot.pool_records(name)) for name in snapshot.pool_names()]
    warnings = apply_policy(pools, policy)
    for pool in pools:
        warnings.extend(f"pool {pool.name}: {w}" for w in pool.warnings)
    if not pools:
        warnings.append("the snapshot holds no XenServer pool: pool rules had nothing to check")
    estate = Estate(snapshot, pools, policy, warnings)
    from xsfabric.san.hba import host_initiators

    estate.initiators = host_initiators(estate)
    if with_switches:
        _load_switches(estate)
        _load_fabrics(estate)
    if with_switches:
        _load_arrays(estate)
    return estate


def _load_fabrics(estate: Estate) -> None:
    from xsfabric.san.fabric import load_fabrics

    estate.fabrics, warnings = load_fabrics(estate.snapshot)
    estate.warnings.extend(warnings)


def _load_switches(estate: Estate) -> None:
    from xsfabric.switch.facts import load_switch_facts, merged_facts, switch_devices

    for device in switch_devices(estate.snapshot):
        per_method = load_switch_facts(estate.snapshot, device)
        if not per_method:
            continue
        facts = merged_facts(device, per_method)
        estate.switches[device] = facts
        for w in facts.warnings:
            where = f"{w.source}:{w.line}" if w.line is not None else w.source
            estate.warnings.append(f"switch {w.device}: {where}: {w.message}")


def _load_arrays(estate: Estate) -> None:
    from xsfabric.san.array_load import load_arrays

    estate.arrays = load_arrays(estate.snapshot)
    for facts in estate.arrays.values():
        for w in facts.warnings:
            where = f"{w.source}:{w.line}" if w.line is not None else w.source
            estate.warnings.append(f"array {w.device}: {where}: {w.message}")
