"""The estate: every pool of a snapshot, built and with intent applied.

This is what ``show``, ``audit`` and later correlation read. Switch, fabric and array models
join here as their issues land.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from xsfabric.model.build import build_pool
from xsfabric.model.xen import Pool
from xsfabric.policy import Policy, apply_policy, load_policy
from xsfabric.snapshot import Snapshot


@dataclass(slots=True)
class Estate:
    snapshot: Snapshot
    pools: list[Pool]
    policy: Policy | None
    warnings: list[str] = field(default_factory=list)


def load_estate(snapshot: Snapshot, policy_path: Path | None = None) -> Estate:
    """Build every pool; the policy is the one given, else the one stored in the snapshot."""
    path = policy_path or snapshot.policy_path()
    policy = load_policy(path) if path is not None else None
    pools = [build_pool(name, snapshot.pool_records(name)) for name in snapshot.pool_names()]
    warnings = apply_policy(pools, policy)
    for pool in pools:
        warnings.extend(f"pool {pool.name}: {w}" for w in pool.warnings)
    return Estate(snapshot, pools, policy, warnings)
