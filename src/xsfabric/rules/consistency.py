"""Same NIC, same role, on every host of every pool (guide G20).

A host's NIC layout is device → the set of traffic roles its networks give it (a bond's
members share the bond's roles). Hosts are compared with the policy's expected layout when
there is one, else with the layout most hosts of the pool share (the master breaks a tie).
"""

from __future__ import annotations

from collections import Counter

from xsfabric.model.xen import Pool
from xsfabric.policy import ENVIRONMENTS
from xsfabric.rules.engine import Category, RuleContext, Severity, SubjectRef, rule, subject
from xsfabric.rules.facts import PoolFacts

Layout = dict[str, frozenset[str]]


def _label(roles: frozenset[str]) -> str:
    return "+".join(sorted(roles)) or "unused"


def host_layouts(pool: Pool, facts: PoolFacts) -> dict[str, Layout]:
    """Per host UUID: physical NIC device → roles."""
    layouts: dict[str, Layout] = {}
    for host_uuid, host in pool.hosts.items():
        nics = facts.nic_roles.get(host_uuid, {})
        layout: Layout = {}
        for pif_uuid in host.pif_uuids:
            pif = pool.pifs[pif_uuid]
            if not pif.physical or pif.vlan >= 0:
                continue
            layout[pif.device] = frozenset(str(r) for r in nics.get(pif.uuid, {}))
        layouts[host_uuid] = layout
    return layouts


def _majority(values: list[frozenset[str]], preferred: frozenset[str] | None) -> frozenset[str]:
    counts = Counter(values)
    best = max(counts.values())
    leaders = [v for v, c in counts.items() if c == best]
    if preferred is not None and preferred in leaders:
        return preferred
    return sorted(leaders, key=_label)[0]


def pool_layout(pool: Pool, layouts: dict[str, Layout]) -> Layout:
    """The layout most hosts share, device by device (the master breaks ties)."""
    devices = sorted({d for layout in layouts.values() for d in layout})
    master = layouts.get(pool.master_uuid or "", {})
    return {
        d: _majority([lay[d] for lay in layouts.values() if d in lay], master.get(d))
        for d in devices
    }


@rule(
    "xen-nic-layout-inconsistent",
    title="NIC used for a different role than on the other hosts",
    severity=Severity.MEDIUM,
    category=Category.CABLING,
    guide=("G20",),
    rationale="The guide uses the same NIC for the same network on every host: a host "
    "whose eth1 is a guest NIC where the others use it for storage is one cable "
    "swap away from putting guests on the storage network.",
    remediation="Move the host's networks to the NICs the other hosts use (xe pif-… on the "
    "right device), or recable the NIC",
    data=("xapi", "policy"),
)
def nic_layout_inconsistent(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        layouts = host_layouts(pool, facts)
        expected_from_policy = bool(pool.expected_nic_layout)
        expected: Layout = (
            {
                d: frozenset() if r == "unused" else frozenset({r})
                for d, r in pool.expected_nic_layout.items()
            }
            if expected_from_policy
            else pool_layout(pool, layouts)
        )
        for host_uuid, layout in sorted(layouts.items(), key=lambda i: facts.host_label(i[0])):
            host = pool.hosts[host_uuid]
            for device, roles in sorted(layout.items()):
                if device not in expected or roles == expected[device]:
                    continue
                agree = sorted(
                    facts.host_label(u)
                    for u, lay in layouts.items()
                    if lay.get(device) == expected[device]
                )
                source = (
                    "the policy's expected layout" if expected_from_policy else ("the other hosts")
                )
                nic = next(
                    pool.pifs[p]
                    for p in host.pif_uuids
                    if pool.pifs[p].device == device
                    and pool.pifs[p].physical
                    and pool.pifs[p].vlan < 0
                )
                ctx.finding(
                    subject(pool, host=host, pif=nic),
                    f"{device} of host {facts.host_label(host_uuid)} carries {_label(roles)}; "
                    f"{source} say {_label(expected[device])}",
                    {
                        "device": device,
                        "roles": _label(roles),
                        "expected": _label(expected[device]),
                        "expected_from": source,
                        "hosts_as_expected": agree,
                    },
                )


def share_design(a: Pool, b: Pool) -> bool:
    """Whether two pools are meant to share a NIC layout: both have the same expected layout in
    the policy; or, without one on both sides, the same environment or one not known. Pools of
    different environments (production and test) or with different expected layouts differ
    on purpose."""
    if a.expected_nic_layout and b.expected_nic_layout:
        return a.expected_nic_layout == b.expected_nic_layout
    return a.environment is None or b.environment is None or a.environment == b.environment


@rule(
    "xen-nic-layout-differs-across-pools",
    title="NIC used for different roles in different pools",
    severity=Severity.LOW,
    category=Category.CABLING,
    guide=("G20",),
    rationale="The guide asks for the same NIC per network on all hosts of all pools, so a "
    "host moved between pools (or a runbook written for one) cables correctly.",
    remediation="Align the pool's NIC layout with the other pools, or record the intended "
    "layout per pool in the policy (pools.<pool>.expected_nic_layout)",
    data=("xapi", "policy"),
)
def nic_layout_across_pools(ctx: RuleContext) -> None:
    """Pools are compared within the groups that share a design (:func:`share_design`,
    connected: a pool sharing a design with two others joins them)."""
    pools = list(ctx.pools)
    if len(pools) < 2:
        return
    group_of = list(range(len(pools)))

    def root(i: int) -> int:
        while group_of[i] != i:
            group_of[i] = group_of[group_of[i]]
            i = group_of[i]
        return i

    for i, a in enumerate(pools):
        for j in range(i + 1, len(pools)):
            if share_design(a, pools[j]):
                group_of[root(j)] = root(i)
    groups: dict[int, list[Pool]] = {}
    for i, pool in enumerate(pools):
        groups.setdefault(root(i), []).append(pool)
    compared: set[tuple[str, str, str]] = set()
    for members in groups.values():
        _compare_layouts(ctx, members, compared)


def _compare_layouts(
    ctx: RuleContext, pools: list[Pool], reported: set[tuple[str, str, str]]
) -> None:
    if len(pools) < 2:
        return
    per_pool: dict[str, Layout] = {}
    for pool in pools:
        per_pool[pool.name] = pool_layout(pool, host_layouts(pool, ctx.facts(pool)))
    devices = sorted({d for layout in per_pool.values() for d in layout})
    # On a tie the most sensitive pool's layout is the reference (production first), then the
    # pool with the most hosts.
    ranked = sorted(
        pools,
        key=lambda p: (
            ENVIRONMENTS.index(p.environment) if p.environment in ENVIRONMENTS else 99,
            -len(p.hosts),
            p.name,
        ),
    )
    for device in devices:
        having = {name: lay[device] for name, lay in per_pool.items() if device in lay}
        if len(having) < 2 or len(set(having.values())) < 2:
            continue
        reference = next(per_pool[p.name][device] for p in ranked if p.name in having)
        common = _majority(list(having.values()), reference)
        for pool in pools:
            roles = having.get(pool.name)
            if roles is None or roles == common or (pool.name, device, "") in reported:
                continue
            reported.add((pool.name, device, ""))
            found = subject(pool)
            found["pif"] = SubjectRef(device)
            ctx.finding(
                found,
                f"{device} carries {_label(roles)} in pool {pool.name}, "
                f"{_label(common)} in "
                + ", ".join(n for n, r in sorted(having.items()) if r == common),
                {
                    "device": device,
                    "roles_by_pool": {n: _label(r) for n, r in sorted(having.items())},
                    "environment": pool.environment,
                },
            )
