"""Switch-port locking of VIFs where guests are untrusted (guide G18).

Which networks, VMs or pools are untrusted is intent: it comes from the policy file or
XenCenter tags. Where nothing is said, these rules report "not checked".
"""

from __future__ import annotations

from xsfabric.model.xen import Network, Pool, Vm
from xsfabric.rules.engine import Category, RuleContext, Severity, rule, subject


def _intent_known(pool: Pool) -> bool:
    return (
        pool.trust is not None
        or any(n.untrusted is not None for n in pool.networks.values())
        or any(v.untrusted is not None for v in pool.vms.values())
    )


def _why_untrusted(pool: Pool, network: Network | None, vm: Vm) -> str | None:
    if network is not None and network.untrusted:
        return f"network {network.name_label!r} is marked untrusted"
    if vm.untrusted:
        return f"VM {vm.name_label!r} is marked untrusted"
    if pool.trust == "untrusted":
        return f"pool {pool.name} is marked untrusted"
    return None


@rule(
    "xen-vif-not-locked",
    title="VIF not locked to its addresses where guests are untrusted",
    severity=Severity.HIGH,
    category=Category.XENSERVER,
    guide=("G18",),
    rationale="An unlocked VIF lets an untrusted guest spoof MAC and IP addresses (ARP "
    "poisoning, impersonating other VMs); locked with the allowed IPs listed, the "
    "vSwitch drops everything else.",
    remediation="xe vif-param-set uuid=… locking-mode=locked ipv4-allowed=<VM IP>",
    data=("xapi", "policy"),
)
def vif_not_locked(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        if not _intent_known(pool):
            ctx.not_checked(
                subject(pool),
                "no trust intent for this pool, its networks or VMs "
                "(policy pools.<pool>.trust, networks[].untrusted, vms[].untrusted "
                "or tag xsfabric:untrusted)",
            )
            continue
        for vif in sorted(pool.vifs.values(), key=lambda v: (v.vm_uuid or "", v.device)):
            vm = pool.vms.get(vif.vm_uuid or "")
            if vm is None or not vm.is_guest:
                continue
            network = pool.networks.get(vif.network_uuid or "")
            why = _why_untrusted(pool, network, vm)
            if why is None:
                continue
            mode = vif.effective_locking_mode
            if mode == "disabled":
                continue  # drops all traffic: nothing to spoof
            if mode == "locked" and (vif.ipv4_allowed or vif.ipv6_allowed):
                continue
            problem = (
                "is locked but allows no IP address"
                if mode == "locked"
                else f"is {mode}"
                + (" (network default)" if vif.locking_mode in ("", "network_default") else "")
            )
            ctx.finding(
                subject(pool, network=network, vm=vm, vif=vif),
                f"VIF {vif.device} of VM {vm.name_label!r} {problem}; {why}",
                {
                    "locking_mode": vif.locking_mode or "network_default",
                    "effective_locking_mode": mode,
                    "network_default_locking_mode": network.default_locking_mode
                    if network
                    else None,
                    "ipv4_allowed": vif.ipv4_allowed,
                    "ipv6_allowed": vif.ipv6_allowed,
                    "mac": vif.mac,
                },
                remediation=f"xe vif-param-set uuid={vif.uuid} locking-mode=locked "
                "ipv4-allowed=<the VM's IPv4 address(es)>",
            )


@rule(
    "xen-untrusted-network-default-unlocked",
    title="Untrusted network lets new VIFs start unlocked",
    severity=Severity.LOW,
    category=Category.XENSERVER,
    guide=("G18",),
    rationale="With default_locking_mode=unlocked every new VIF on an untrusted network "
    "starts able to spoof; 'disabled' makes each VIF need an explicit lock.",
    remediation="xe network-param-set uuid=… default-locking-mode=disabled",
    data=("xapi", "policy"),
)
def untrusted_default_unlocked(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        for network in sorted(pool.networks.values(), key=lambda n: n.name_label):
            if not network.untrusted:
                continue
            if (network.default_locking_mode or "unlocked") == "unlocked":
                ctx.finding(
                    subject(pool, network=network),
                    f"untrusted network {network.name_label!r} has default_locking_mode="
                    f"{network.default_locking_mode or 'unlocked (field absent)'}",
                    {"default_locking_mode": network.default_locking_mode or None},
                    remediation=f"xe network-param-set uuid={network.uuid} "
                    "default-locking-mode=disabled",
                )


@rule(
    "xen-sensitive-and-untrusted-vms-share-network",
    title="Sensitive and untrusted VMs on the same network",
    severity=Severity.MEDIUM,
    category=Category.SEGREGATION,
    guide=("G18",),
    rationale="On a shared layer-2 segment an untrusted guest can attack a sensitive one "
    "directly (ARP, DHCP, broadcast floods); the guide separates them.",
    remediation="Move the sensitive VM to its own network: xe vif-create … ; xe vif-destroy uuid=…",
    data=("xapi", "policy"),
)
def sensitive_and_untrusted(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        if not any(v.sensitive for v in pool.vms.values()):
            ctx.not_checked(
                subject(pool),
                "no VM of this pool is marked sensitive (policy "
                "vms[].sensitive or tag xsfabric:sensitive)",
            )
            continue
        facts = ctx.facts(pool)
        for network in sorted(pool.networks.values(), key=lambda n: n.name_label):
            pairs = facts.guest_vifs.get(network.uuid, [])
            sensitive = sorted({vm.name_label for _, vm in pairs if vm.sensitive})
            untrusted = sorted(
                {vm.name_label for _, vm in pairs if vm.untrusted or network.untrusted}
            )
            untrusted = [u for u in untrusted if u not in sensitive]
            if sensitive and untrusted:
                ctx.finding(
                    subject(pool, network=network),
                    f"network {network.name_label!r} carries sensitive "
                    f"{', '.join(sensitive)} beside untrusted {', '.join(untrusted)}",
                    {
                        "sensitive_vms": sensitive,
                        "untrusted_vms": untrusted,
                        "network_untrusted": bool(network.untrusted),
                    },
                )
