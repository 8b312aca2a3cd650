"""Network names that state their function (guide G15).

xapi names a NIC's network "Pool-wide network associated with ethN" (newer releases:
"Pool-wide network N"); XenCenter shows "Network N" and names a new bond's network
"Bond 1+2". None of these says what the network is for, and a name that names the wrong role
misleads whoever adds the next VIF.
"""

from __future__ import annotations

import re

from xsfabric.model.xen import Network, Role
from xsfabric.rules.engine import Category, RuleContext, Severity, rule, subject

_DEFAULT_NAMES = (
    re.compile(r"^pool-wide network associated with \S+$", re.IGNORECASE),
    re.compile(r"^pool-wide network \d+$", re.IGNORECASE),
    re.compile(r"^network \d+$", re.IGNORECASE),
    re.compile(r"^bond \d+(\+\d+)+$", re.IGNORECASE),  # XenCenter's name for a new bond
    re.compile(r"^$"),
)

#: Words in a network name that claim a role.
_ROLE_WORDS: tuple[tuple[Role, re.Pattern[str]], ...] = (
    (Role.STORAGE, re.compile(r"\b(storage|iscsi|nfs|smb|cifs|san)\b", re.IGNORECASE)),
    (Role.MANAGEMENT, re.compile(r"\b(management|mgmt|mgt)\b", re.IGNORECASE)),
    (Role.GUEST, re.compile(r"\b(guest|vm|vms)\b", re.IGNORECASE)),
)


def _is_host_internal(network: Network) -> bool:
    return not network.pif_uuids and (
        network.other_config.get("is_host_internal_management_network") == "true"
        or network.other_config.get("is_guest_installer_network") == "true"
        or network.bridge.startswith("xenapi")
    )


def _rename(network: Network, role: str) -> str:
    return f"xe network-param-set uuid={network.uuid} name-label=<{role} network name>"


@rule(
    "xen-network-default-name",
    title="Network still has a default name",
    severity=Severity.LOW,
    category=Category.XENSERVER,
    guide=("G15",),
    rationale="A default name does not say whether the network is for management, storage "
    "or guests, so VIFs end up on the wrong one (the guide's 'Network 0' trap).",
    remediation="xe network-param-set uuid=… name-label=<name stating the function>",
)
def default_name(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        for network in sorted(pool.networks.values(), key=lambda n: n.name_label):
            if _is_host_internal(network):
                continue
            if not any(p.match(network.name_label.strip()) for p in _DEFAULT_NAMES):
                continue
            roles = sorted(str(r) for r in facts.roles(network))
            if not roles:
                continue  # carries nothing: renaming it changes nothing
            ctx.finding(
                subject(pool, network=network),
                f"network {network.name_label or '(empty name)'!r} ({network.bridge}) carries "
                f"{'/'.join(roles)} traffic under a default name",
                {
                    "bridge": network.bridge,
                    "roles": roles,
                    "pifs": len(network.pif_uuids),
                    "vifs": len(network.vif_uuids),
                },
                remediation=_rename(network, roles[0]),
            )


@rule(
    "xen-network-name-misleading",
    title="Network name states a role the network does not have",
    severity=Severity.MEDIUM,
    category=Category.XENSERVER,
    guide=("G15",),
    rationale="A 'Storage' network carrying guest VIFs (or a 'VM' network carrying "
    "management) misleads admins into attaching VMs to infrastructure networks.",
    remediation="xe network-param-set uuid=… name-label=<name stating the actual function>",
)
def misleading_name(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        for network in sorted(pool.networks.values(), key=lambda n: n.name_label):
            roles = facts.roles(network)
            if not roles:
                continue
            claimed = [role for role, pattern in _ROLE_WORDS if pattern.search(network.name_label)]
            if not claimed or any(c in roles for c in claimed):
                continue
            actual = sorted(str(r) for r in roles)
            ctx.finding(
                subject(pool, network=network),
                f"network {network.name_label!r} is named for {claimed[0]} traffic but "
                f"carries {'/'.join(actual)}",
                {
                    "named_role": str(claimed[0]),
                    "observed_roles": actual,
                    "role_reason": network.role_reason,
                },
                remediation=_rename(network, actual[0]),
            )
