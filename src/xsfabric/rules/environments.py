"""Isolation between pools of different environments (guide G05, G28, G31; xapi parts).

Which pool is production is intent (policy or XenCenter tag). Pools without a known
environment are reported "not checked". A finding is filed on the most sensitive pool
involved (production before staging, test, development), naming the others in its evidence,
so each shared VLAN, subnet or target is reported once.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass

from xsfabric.model.xen import Network, Pool, Role, Sr
from xsfabric.policy import ENVIRONMENTS
from xsfabric.rules.engine import Category, RuleContext, Severity, rule, subject

IPNetwork = ipaddress.IPv4Network


@dataclass(frozen=True, slots=True)
class _Use:
    pool: Pool
    network: Network | None
    sr: Sr | None = None


def _rank(pool: Pool) -> int:
    return ENVIRONMENTS.index(pool.environment) if pool.environment in ENVIRONMENTS else 99


def _pools_with_environment(ctx: RuleContext) -> list[Pool]:
    if len(ctx.pools) < 2:
        for pool in ctx.pools:
            ctx.not_checked(
                subject(pool), "only one pool in the snapshot: nothing to compare it with"
            )
        return []
    known = []
    for pool in ctx.pools:
        if pool.environment is None:
            ctx.not_checked(
                subject(pool),
                f"no environment known for pool {pool.name} "
                "(policy pools.<pool>.environment or tag "
                "xsfabric:environment=…)",
            )
        else:
            known.append(pool)
    return known


def _mixed(uses: list[_Use]) -> bool:
    return len({u.pool.environment for u in uses}) > 1


def _lead(uses: list[_Use]) -> _Use:
    return min(
        uses, key=lambda u: (_rank(u.pool), u.pool.name, u.network.name_label if u.network else "")
    )


def _describe(uses: list[_Use]) -> list[str]:
    seen: list[str] = []
    for use in sorted(uses, key=lambda u: (_rank(u.pool), u.pool.name)):
        what = use.sr.name_label if use.sr else (use.network.name_label if use.network else "")
        text = f"{use.pool.name} ({use.pool.environment}): {what}"
        if text not in seen:
            seen.append(text)
    return seen


def _subnets(ctx: RuleContext, pool: Pool, storage: bool) -> Iterator[tuple[IPNetwork, _Use]]:
    facts = ctx.facts(pool)
    for pif in pool.pifs.values():
        iface = pif.interface
        network = pool.networks.get(pif.network_uuid or "")
        if iface is None or network is None:
            continue
        if (network.uuid in facts.storage_networks) == storage:
            yield iface.network, _Use(pool, network)


def _overlapping(entries: list[tuple[IPNetwork, _Use]]) -> list[tuple[IPNetwork, list[_Use]]]:
    """Group uses whose subnets overlap (distinct subnets are few; compared pairwise)."""
    by_net: dict[IPNetwork, list[_Use]] = {}
    for net, use in entries:
        by_net.setdefault(net, []).append(use)
    nets = sorted(by_net, key=lambda n: (int(n.network_address), n.prefixlen))
    groups: list[tuple[IPNetwork, list[_Use]]] = []
    for net in nets:
        uses = list(by_net[net])
        for other in nets:
            if other != net and other.overlaps(net) and other.prefixlen < net.prefixlen:
                break  # reported with the wider subnet
        else:
            for other in nets:
                if other != net and other.overlaps(net):
                    uses.extend(by_net[other])
            groups.append((net, uses))
    return groups


def _report_shared(
    ctx: RuleContext, kind: str, key: str, uses: list[_Use], vlan: int | None = None
) -> None:
    lead = _lead(uses)
    envs = sorted({str(u.pool.environment) for u in uses}, key=ENVIRONMENTS.index)
    ctx.finding(
        subject(
            lead.pool, network=lead.network if lead.sr is None else None, sr=lead.sr, vlan=vlan
        ),
        f"{kind} {key} is used by pools of different environments "
        f"({', '.join(envs)}): " + "; ".join(_describe(uses)),
        {kind.replace(" ", "_"): key, "environments": envs, "uses": _describe(uses)},
    )


def _vlan_uses(ctx: RuleContext, pools: list[Pool], storage: bool) -> dict[int, list[_Use]]:
    found: dict[int, list[_Use]] = {}
    for pool in pools:
        facts = ctx.facts(pool)
        for network in pool.networks.values():
            roles = facts.roles(network)
            if not roles or (Role.STORAGE in roles) != storage:
                continue
            for tag in network.vlan_tags:
                found.setdefault(tag, []).append(_Use(pool, network))
    return found


@rule(
    "xen-environments-share-network",
    title="Pools of different environments share a VLAN or subnet",
    severity=Severity.HIGH,
    category=Category.SEGREGATION,
    guide=("G05",),
    rationale="The guide isolates production from staging, test and development: a VLAN "
    "or subnet used by both puts test VMs and hosts on production's segment.",
    remediation="Give the non-production pool its own VLANs and subnets "
    "(xe pool-vlan-create network-uuid=… pif-uuid=… vlan=<unused tag>)",
    data=("xapi", "policy"),
)
def environments_share_network(ctx: RuleContext) -> None:
    pools = _pools_with_environment(ctx)
    for tag, uses in sorted(_vlan_uses(ctx, pools, storage=False).items()):
        if _mixed(uses):
            _report_shared(ctx, "VLAN", str(tag), uses, vlan=tag)
    entries = [e for pool in pools for e in _subnets(ctx, pool, storage=False)]
    for net, uses in _overlapping(entries):
        if _mixed(uses):
            _report_shared(ctx, "subnet", str(net), uses)


@rule(
    "xen-environments-share-storage",
    title="Pools of different environments share a storage target, subnet or VLAN",
    severity=Severity.HIGH,
    category=Category.STORAGE_ACCESS,
    guide=("G28", "G31", "G05"),
    rationale="The guide never shares an iSCSI or SMB storage network between pools of "
    "differing trust: a test host on production's storage network can reach "
    "production's targets and LUNs.",
    remediation="Serve the non-production pool from a separate target on its own storage "
    "VLAN and subnet; restrict the production target to production initiators",
    data=("xapi", "policy"),
)
def environments_share_storage(ctx: RuleContext) -> None:
    pools = _pools_with_environment(ctx)
    by_target: dict[str, list[_Use]] = {}
    for pool in pools:
        for target in ctx.facts(pool).targets:
            for address in target.addresses:
                uses = by_target.setdefault(str(address), [])
                if not any(u.pool is pool and u.sr is target.sr for u in uses):
                    uses.append(_Use(pool, None, target.sr))
    for target_address, uses in sorted(by_target.items()):
        if _mixed(uses):
            _report_shared(ctx, "storage target", target_address, uses)
    for tag, uses in sorted(_vlan_uses(ctx, pools, storage=True).items()):
        if _mixed(uses):
            _report_shared(ctx, "storage VLAN", str(tag), uses, vlan=tag)
    entries = [e for pool in pools for e in _subnets(ctx, pool, storage=True)]
    for net, uses in _overlapping(entries):
        if _mixed(uses):
            _report_shared(ctx, "storage subnet", str(net), uses)
