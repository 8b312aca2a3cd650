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
from xsfabric.switch.config import SwitchConfig
from xsfabric.switch.model import SwitchFacts
from xsfabric.switch.wipe import WipeResult

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
    #: Parsed configurations per switch (running first), with their stored config facts.
    configs: dict[str, list[SwitchConfig]] = field(default_factory=dict)
    #: Wipe-check results of the switches marked as reuse candidates (policy or inventory).
    wipe: dict[str, WipeResult] = field(default_factory=dict)


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
        _load_configs(estate)
        _load_wipe(estate)
    if with_switches:
        _load_arrays(estate)
    return estate


def _load_fabrics(estate: Estate) -> None:
    from xsfabric.san.fabric import load_fabrics

    estate.fabrics, warnings = load_fabrics(estate.snapshot)
    estate.warnings.extend(warnings)


#: Marker a switch collection writes for an inventory host with ``data.reuse: true``.
REUSE_MARKER = "reuse-candidate"


def _load_wipe(estate: Estate) -> None:
    """Wipe-check the reuse candidates: ``switches: {name: {reuse: true}}`` in the policy, or
    ``data.reuse: true`` in the inventory (stored as ``devices/<d>/reuse-candidate``)."""
    from xsfabric.switch.cli_parse import read_platform
    from xsfabric.switch.facts import switch_devices
    from xsfabric.switch.wipe import EVIDENCE, WipeError, snapshot_evidence, wipe_check

    wanted = set(estate.policy.reuse_switches) if estate.policy else set()
    for device in switch_devices(estate.snapshot):
        device_dir = estate.snapshot.device_dir(device)
        if device not in wanted and not (device_dir / REUSE_MARKER).is_file():
            continue
        platform = read_platform(device_dir) if device_dir.is_dir() else None
        if platform not in EVIDENCE:
            estate.warnings.append(
                f"switch {device}: marked for reuse but platform "
                f"{platform!r} has no wipe-check evidence set"
            )
            continue
        assert platform is not None
        try:
            outputs, saved_as = snapshot_evidence(device_dir, platform)
            estate.wipe[device] = wipe_check(device, platform, outputs, saved_as=saved_as)
        except WipeError as exc:
            estate.warnings.append(f"switch {device}: wipe-check: {exc}")


def _load_configs(estate: Estate) -> None:
    """Switch configurations (redacted, as stored) and their config facts; a platform the
    model does not know, or lines it did not understand, become warnings."""
    from xsfabric.switch.cli_parse import read_platform
    from xsfabric.switch.config import DEFAULTS
    from xsfabric.switch.facts import switch_devices
    from xsfabric.switch.facts_store import load_configs

    for device in switch_devices(estate.snapshot):
        device_dir = estate.snapshot.device_dir(device)
        if not device_dir.is_dir():
            continue
        platform = read_platform(device_dir)
        try:
            configs = load_configs(estate.snapshot, device, device_dir, platform)
        except Exception as exc:  # one unparseable configuration must not end the audit
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            estate.warnings.append(
                f"switch {device}: configuration not audited: it could not "
                f"be parsed ({type(exc).__name__}: {first})"
            )
            continue
        if not configs:
            stored = any(device_dir.glob("show running-config*")) or any(
                device_dir.glob("show configuration*")
            )
            if stored and platform not in DEFAULTS:
                estate.warnings.append(
                    f"switch {device}: configuration not audited: platform {platform!r} has "
                    f"no configuration model (known: {', '.join(DEFAULTS)})"
                )
            continue
        estate.configs[device] = configs
        for config in configs:
            if config.unrecognized:
                shown = "; ".join(config.unrecognized[:5])
                more = (
                    f" (and {len(config.unrecognized) - 5} more)"
                    if len(config.unrecognized) > 5
                    else ""
                )
                estate.warnings.append(
                    f"switch {device}: {config.path}: {len(config.unrecognized)} line(s) not "
                    f"understood, not audited: {shown}{more}"
                )


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
