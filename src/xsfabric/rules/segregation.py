"""Traffic separation inside a pool: which VMs sit on which networks, which roles share a NIC.

Guide: G03, G04, G08, G09, G10, G11, G13, G14 (xapi parts; the switch-port parts of G03, G08,
G09 and G10 come with the switch model).
"""

from __future__ import annotations

from xsfabric.model.xen import Pool, Role
from xsfabric.rules.engine import Category, RuleContext, Severity, pif_name, rule, subject

_MOVE_VIF = (
    "xe vif-create vm-uuid={vm} network-uuid=<guest network uuid> device={device} "
    "mac={mac}; xe vif-unplug uuid={vif}; xe vif-destroy uuid={vif}"
)


def _move_vif(vm_uuid: str, vif_uuid: str, device: str, mac: str) -> str:
    return _MOVE_VIF.format(vm=vm_uuid, vif=vif_uuid, device=device, mac=mac)


@rule(
    "xen-vm-on-management-network",
    title="VM has a VIF on the management network",
    severity=Severity.HIGH,
    category=Category.SEGREGATION,
    guide=("G04", "G02"),
    rationale="A guest on the management network can reach every host's XAPI and SSH and "
    "sniff or spoof management traffic; the guide keeps guests on guest networks only.",
    remediation="Move the VIF to a guest network: xe vif-create vm-uuid=… "
    "network-uuid=<guest network> device=…; xe vif-destroy uuid=…",
)
def vm_on_management(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        for network in pool.networks.values():
            if not facts.is_management(network):
                continue
            for vif, vm in facts.guest_vifs.get(network.uuid, []):
                ctx.finding(
                    subject(pool, network=network, vm=vm, vif=vif),
                    f"VM {vm.name_label!r} has VIF {vif.device} on management network "
                    f"{network.name_label!r}",
                    {
                        "vif_mac": vif.mac,
                        "network_bridge": network.bridge,
                        "power_state": vm.power_state,
                    },
                    remediation=_move_vif(vm.uuid, vif.uuid, vif.device, vif.mac),
                )


@rule(
    "xen-template-on-management-network",
    title="Template has a VIF on the management network",
    severity=Severity.MEDIUM,
    category=Category.SEGREGATION,
    guide=("G14", "G04"),
    rationale="Every VM created from this template starts with a VIF on the management "
    "network (the guide's 'NIC 0 by default' trap).",
    remediation="Point the template's VIF at a guest network: xe vif-destroy uuid=… then "
    "xe vif-create vm-uuid=<template> network-uuid=<guest network> device=0",
)
def template_on_management(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        for network in pool.networks.values():
            if not facts.is_management(network):
                continue
            for vif, vm in facts.template_vifs.get(network.uuid, []):
                ctx.finding(
                    subject(pool, network=network, vm=vm, vif=vif),
                    f"template {vm.name_label!r} has VIF {vif.device} on management network "
                    f"{network.name_label!r}: new VMs inherit it",
                    {"network_bridge": network.bridge},
                    remediation=(
                        f"xe vif-destroy uuid={vif.uuid}; xe vif-create "
                        f"vm-uuid={vm.uuid} network-uuid=<guest network uuid> "
                        f"device={vif.device}"
                    ),
                )


@rule(
    "xen-vm-on-storage-network",
    title="VM has a VIF on a storage network",
    severity=Severity.HIGH,
    category=Category.SEGREGATION,
    guide=("G04", "G08"),
    rationale="A guest on the storage network can reach the storage targets of every host "
    "(unauthenticated NFS, iSCSI discovery) and compete with storage traffic.",
    remediation="Move the VIF to a guest network: xe vif-create … ; xe vif-destroy uuid=…",
)
def vm_on_storage(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        for network in pool.networks.values():
            if not facts.is_storage(network) or facts.is_management(network):
                continue
            for vif, vm in facts.guest_vifs.get(network.uuid, []):
                ctx.finding(
                    subject(pool, network=network, vm=vm, vif=vif),
                    f"VM {vm.name_label!r} has VIF {vif.device} on storage network "
                    f"{network.name_label!r}",
                    {
                        "vif_mac": vif.mac,
                        "storage_because": facts.storage_networks[network.uuid],
                        "power_state": vm.power_state,
                    },
                    remediation=_move_vif(vm.uuid, vif.uuid, vif.device, vif.mac),
                )


@rule(
    "xen-dom0-ip-on-guest-network",
    title="Control domain has an IP on a guest network",
    severity=Severity.HIGH,
    category=Category.SEGREGATION,
    guide=("G11",),
    rationale="With an IP on a guest network, the host's control domain is reachable from "
    "guests: the guide allows dom0 IPs only on management and storage networks.",
    remediation="Remove the IP configuration: xe pif-reconfigure-ip uuid=… mode=none",
)
def dom0_ip_on_guest(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        for pifs in facts.ip_pifs.values():
            for pif in pifs:
                network = pool.networks.get(pif.network_uuid or "")
                if network is None or facts.is_storage(network):
                    continue
                guest = Role.GUEST in facts.roles(network)
                if not guest:
                    continue
                vms = sorted({vm.name_label for _, vm in facts.guest_vifs.get(network.uuid, [])})
                host = pool.hosts.get(pif.host_uuid)
                ctx.finding(
                    subject(pool, host=host, network=network, pif=pif),
                    f"host {facts.host_label(pif.host_uuid)} has IP "
                    f"{pif.ip or pif.ip_mode or pif.ipv6} on {pif_name(pif)}, guest network "
                    f"{network.name_label!r}",
                    {
                        "ip_mode": pif.ip_mode,
                        "ip": pif.ip,
                        "netmask": pif.netmask,
                        "ipv6": pif.ipv6,
                        "guest_vms": vms[:20],
                    },
                    remediation=f"xe pif-reconfigure-ip uuid={pif.uuid} mode=none",
                )


def _nic_check(
    ctx: RuleContext, pool: Pool, first: set[Role], second: set[Role], what: str, fix: str
) -> None:
    facts = ctx.facts(pool)
    for host_uuid in sorted(facts.nic_roles):
        host = pool.hosts.get(host_uuid)
        for nic, roles in facts.links(host_uuid):
            left = {p.network_uuid for r in roles if r in first for p in roles[r]}
            right = {p.network_uuid for r in roles if r in second for p in roles[r]}
            if not any(a != b for a in left for b in right):
                continue  # one network with both uses: the VIF/storage rules report it
            carried = {
                str(r): sorted({pif_name(p) for p in roles[r]}) for r in sorted(roles, key=str)
            }
            networks = sorted(
                {
                    pool.networks[p.network_uuid].name_label
                    for r in roles
                    for p in roles[r]
                    if p.network_uuid in pool.networks
                }
            )
            ctx.finding(
                subject(pool, host=host, pif=nic),
                f"{nic.device} of host {facts.host_label(host_uuid)} carries {what}: "
                + ", ".join(f"{r} ({', '.join(v)})" for r, v in carried.items()),
                {"roles": carried, "networks": networks},
                remediation=fix,
            )


@rule(
    "xen-management-storage-share-nic",
    title="Management and storage traffic share a physical NIC",
    severity=Severity.MEDIUM,
    category=Category.SEGREGATION,
    guide=("G03", "G02"),
    rationale="The guide separates traffic physically as well as logically: storage on the "
    "management NIC competes with and exposes management traffic.",
    remediation="Move the storage interface to its own NIC: xe pif-reconfigure-ip on a "
    "dedicated NIC, then remove the storage IP from the shared one",
)
def management_storage_nic(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        _nic_check(
            ctx,
            pool,
            {Role.MANAGEMENT},
            {Role.STORAGE},
            "management and storage traffic",
            "Put the storage interface on a dedicated NIC "
            "(xe pif-reconfigure-ip uuid=<PIF on the storage NIC> mode=static …)",
        )


@rule(
    "xen-guest-on-infrastructure-nic",
    title="Guest network on the management or storage NIC",
    severity=Severity.HIGH,
    category=Category.SEGREGATION,
    guide=("G09", "G03"),
    rationale="The guest NIC must carry VM traffic only: a guest (VLAN) network on the "
    "management or storage NIC puts guests one tagging mistake away from them.",
    remediation="Recreate the guest network on a NIC reserved for guests: xe network-create; "
    "xe pool-vlan-create network-uuid=… pif-uuid=<guest NIC> vlan=…",
)
def guest_on_infrastructure_nic(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        _nic_check(
            ctx,
            pool,
            {Role.MANAGEMENT, Role.STORAGE},
            {Role.GUEST},
            "guest traffic beside infrastructure traffic",
            "Recreate the guest network on a dedicated guest NIC "
            "(xe pool-vlan-create network-uuid=… pif-uuid=<guest NIC PIF> vlan=…)",
        )


@rule(
    "xen-guest-networks-share-nic-untagged",
    title="Guest networks share a NIC without distinct VLAN tags",
    severity=Severity.MEDIUM,
    category=Category.SEGREGATION,
    guide=("G10",),
    rationale="With one guest NIC, separate logical networks only by VLANs with distinct "
    "tags; an untagged guest network beside them rides the native VLAN and mixes "
    "with whatever else is untagged on the port.",
    remediation="Move the untagged guest network to its own VLAN: xe pool-vlan-create "
    "network-uuid=… pif-uuid=… vlan=<unused tag>",
)
def guest_networks_untagged(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        for host_uuid in sorted(facts.nic_roles):
            host = pool.hosts.get(host_uuid)
            for nic, roles in facts.links(host_uuid):
                guest_pifs = roles.get(Role.GUEST, [])
                networks = {p.network_uuid for p in guest_pifs}
                if len(networks) < 2:
                    continue
                tags: dict[int, list[str]] = {}
                for pif in guest_pifs:
                    tags.setdefault(pif.vlan, []).append(
                        pool.networks[pif.network_uuid or ""].name_label
                    )
                for tag, names in sorted(tags.items()):
                    if tag >= 0 and len(names) < 2:
                        continue
                    for pif in (p for p in guest_pifs if p.vlan == tag):
                        network = pool.networks[pif.network_uuid or ""]
                        others = ", ".join(n for n in names if n != network.name_label)
                        why = "is untagged" if tag < 0 else f"shares VLAN {tag} with {others}"
                        ctx.finding(
                            subject(pool, host=host, network=network, pif=pif),
                            f"guest network {network.name_label!r} on {nic.device} of "
                            f"{facts.host_label(host_uuid)} {why} while "
                            f"{len(networks) - 1} other guest network(s) share the NIC",
                            {
                                "nic": nic.device,
                                "guest_networks_on_nic": sorted(
                                    f"{pool.networks[p.network_uuid or ''].name_label} "
                                    f"(VLAN {p.vlan if p.vlan >= 0 else 'untagged'})"
                                    for p in guest_pifs
                                ),
                            },
                            remediation=(
                                f"xe pool-vlan-create network-uuid={network.uuid} "
                                f"pif-uuid={nic.uuid} vlan=<unused tag>"
                            ),
                        )


@rule(
    "xen-vm-bridges-internet-and-internal",
    title="VM on both an internet-facing and an internal network",
    severity=Severity.MEDIUM,
    category=Category.SEGREGATION,
    guide=("G13",),
    rationale="VMs that need the Internet and VMs that do not belong on separate networks; "
    "a VM with a leg in each is a bridge between them.",
    remediation="Remove one of the VIFs, or route through a firewall VM on purpose and record "
    "it: xe vif-destroy uuid=…",
    data=("xapi", "policy"),
)
def vm_bridges_internet(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        marked = [n for n in pool.networks.values() if n.internet_facing]
        if not marked:
            ctx.not_checked(
                subject(pool),
                "no network of this pool is marked internet-facing "
                "(policy networks[].internet_facing or tag xsfabric:internet-facing)",
            )
            continue
        for vm in sorted(pool.vms.values(), key=lambda v: v.name_label):
            if not vm.is_guest:
                continue
            nets = {pool.vifs[v].network_uuid for v in vm.vif_uuids if v in pool.vifs}
            networks = [
                pool.networks[n] for n in sorted(n for n in nets if n) if n in pool.networks
            ]
            outside = [n for n in networks if n.internet_facing]
            inside = [n for n in networks if not n.internet_facing and Role.GUEST in facts.roles(n)]
            if outside and inside:
                ctx.finding(
                    subject(pool, vm=vm),
                    f"VM {vm.name_label!r} is on internet-facing "
                    f"{', '.join(repr(n.name_label) for n in outside)} and internal "
                    f"{', '.join(repr(n.name_label) for n in inside)}",
                    {
                        "internet_facing": [n.name_label for n in outside],
                        "internal": [n.name_label for n in inside],
                    },
                )


@rule(
    "xen-internet-network-shares-vlan",
    title="Internet-facing network shares a VLAN with an internal network",
    severity=Severity.HIGH,
    category=Category.SEGREGATION,
    guide=("G13",),
    rationale="Two xapi networks on the same VLAN tag are one layer-2 segment on the wire: "
    "the internal network is as exposed as the internet-facing one.",
    remediation="Give the internal network its own VLAN: xe pool-vlan-create "
    "network-uuid=… pif-uuid=… vlan=<unused tag>",
    data=("xapi", "policy"),
)
def internet_shares_vlan(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        if not any(n.internet_facing for n in pool.networks.values()):
            ctx.not_checked(subject(pool), "no network of this pool is marked internet-facing")
            continue
        by_tag: dict[int, list[str]] = {}
        for network in pool.networks.values():
            for tag in network.vlan_tags:
                by_tag.setdefault(tag, []).append(network.uuid)
        for tag, uuids in sorted(by_tag.items()):
            nets = [pool.networks[u] for u in uuids]
            outside = [n for n in nets if n.internet_facing]
            for network in sorted(nets, key=lambda n: n.name_label):
                if network.internet_facing or not outside or not facts.roles(network):
                    continue
                ctx.finding(
                    subject(pool, network=network, vlan=tag),
                    f"network {network.name_label!r} uses VLAN {tag}, like internet-facing "
                    f"{', '.join(repr(n.name_label) for n in outside)}",
                    {"vlan": tag, "internet_facing": [n.name_label for n in outside]},
                    remediation=f"xe pool-vlan-create network-uuid={network.uuid} "
                    "pif-uuid=<NIC PIF> vlan=<unused tag> (after moving its VIFs)",
                )
