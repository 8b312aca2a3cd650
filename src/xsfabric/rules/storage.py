"""Storage network placement, redundancy and SR authentication, from PIFs and PBDs.

Guide: G02, G06/G25 (storage subnet vs management, every IP-based SR target inside a storage
subnet of every host), G07 (bond or multipath), G26 (CHAP, SMB credentials), G27 (NFSv4).
Targets given as host names can only be placed where they were resolved at collection time;
an offline import leaves them unresolved, and the rules say so instead of guessing.
"""

from __future__ import annotations

import re

from xsfabric.model.xen import Pif, Pool, Sr
from xsfabric.rules.engine import Category, RuleContext, Severity, pif_name, rule, subject
from xsfabric.rules.facts import PoolFacts, Target

_ISCSI_TYPES = frozenset({"lvmoiscsi", "iscsi", "lvmoiscsi2"})
_SMB_TYPES = frozenset({"smb", "cifs"})
#: Block SRs that reach their LUNs over several paths when multipathing is on.
_MULTIPATH_TYPES = frozenset({"lvmoiscsi", "iscsi", "lvmoiscsi2", "lvmohba", "gfs2", "hba"})
#: ``PBD.other_config:mpath-<SCSIid>`` = "[active, total]".
_MPATH = re.compile(r"\[\s*(\d+)\s*,\s*(\d+)\s*\]")


def _unresolved(ctx: RuleContext, pool: Pool, target: Target) -> None:
    ctx.not_checked(
        subject(pool, host=target.host, sr=target.sr),
        f"SR target name(s) {', '.join(target.unresolved)} not resolved"
        + (
            " (offline import: names are only resolved at live collection)"
            if pool.names_unresolved
            else " (lookup failed at collection time)"
        ),
    )


def _targets_by_sr(facts: PoolFacts) -> list[Target]:
    return sorted(
        facts.targets, key=lambda t: (t.sr.name_label, t.sr.uuid, facts.host_label(t.host.uuid))
    )


@rule(
    "xen-storage-over-management",
    title="Storage traffic runs over the management interface",
    severity=Severity.HIGH,
    category=Category.SEGREGATION,
    guide=("G02", "G06", "G25"),
    rationale="One interface for management and storage is the least secure set-up the guide "
    "names: storage traffic is exposed on the management network and competes with "
    "it.",
    remediation="Configure a dedicated storage interface in the target's subnet: "
    "xe pif-reconfigure-ip uuid=<storage NIC PIF> mode=static IP=… netmask=…; "
    "xe pif-param-set uuid=… disallow-unplug=true "
    "other-config:management_purpose=Storage",
)
def storage_over_management(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        for target in _targets_by_sr(facts):
            if target.unresolved and not target.addresses:
                _unresolved(ctx, pool, target)
                continue
            mgmt = facts.mgmt_pif.get(target.host.uuid)
            storage = facts.storage_pifs(target.host.uuid)
            for address in target.addresses:
                route = facts.route(target.host.uuid, address)
                on_mgmt = route.pif is not None and route.pif.management
                if not on_mgmt and not (route.via_gateway and not storage):
                    continue
                how = (
                    f"in the management subnet {mgmt.interface}"
                    if on_mgmt and mgmt
                    else "routed through the management gateway: the host has no storage interface"
                )
                ctx.finding(
                    subject(pool, host=target.host, sr=target.sr),
                    f"host {facts.host_label(target.host.uuid)} reaches SR "
                    f"{target.sr.name_label!r} target {address} over the management "
                    f"interface ({how})",
                    {
                        "target": str(address),
                        "sr_type": target.sr.type,
                        "management_pif": pif_name(mgmt) if mgmt else None,
                        "management_ip": f"{mgmt.ip}/{mgmt.netmask}" if mgmt else None,
                        "storage_pifs": [f"{pif_name(p)} {p.interface}" for p in storage],
                    },
                )
                break


@rule(
    "xen-storage-target-via-gateway",
    title="SR target reachable only through a gateway",
    severity=Severity.LOW,
    category=Category.SEGREGATION,
    guide=("G06",),
    rationale="The guide puts every storage target on the storage interface's own subnet; a "
    "routed target leaves the storage network, and after a reboot storage traffic "
    "may take the management interface's default route.",
    remediation="Give the storage interface an address in the target's subnet "
    "(xe pif-reconfigure-ip uuid=… mode=static IP=… netmask=…), or move the "
    "target into the storage subnet",
)
def target_via_gateway(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        for target in _targets_by_sr(facts):
            storage = facts.storage_pifs(target.host.uuid)
            if not storage:
                continue  # no storage interface at all: xen-storage-over-management
            routed = [a for a in target.addresses if facts.route(target.host.uuid, a).via_gateway]
            if routed:
                ctx.finding(
                    subject(pool, host=target.host, sr=target.sr),
                    f"SR {target.sr.name_label!r} target {routed[0]} is in no subnet of host "
                    f"{facts.host_label(target.host.uuid)}: reached through a gateway",
                    {
                        "targets": [str(a) for a in routed],
                        "storage_pifs": [f"{pif_name(p)} {p.interface}" for p in storage],
                    },
                )


@rule(
    "xen-storage-subnet-overlaps-management",
    title="Storage interface subnet overlaps the management subnet",
    severity=Severity.HIGH,
    category=Category.SEGREGATION,
    guide=("G06", "G25"),
    rationale="A storage interface on the management subnet is not a separate storage "
    "network: the host may send storage traffic out of either interface, and the "
    "storage target is reachable from the management network.",
    remediation="Readdress the storage interface into a dedicated subnet: "
    "xe pif-reconfigure-ip uuid=… mode=static IP=<storage subnet> netmask=…",
)
def storage_subnet_overlap(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        for host_uuid, mgmt in sorted(facts.mgmt_pif.items()):
            mgmt_iface = mgmt.interface
            if mgmt_iface is None:
                continue
            for pif in facts.storage_pifs(host_uuid):
                iface = pif.interface
                if iface is None or not iface.network.overlaps(mgmt_iface.network):
                    continue
                ctx.finding(
                    subject(
                        pool,
                        host=pool.hosts.get(host_uuid),
                        pif=pif,
                        network=pool.networks.get(pif.network_uuid or ""),
                    ),
                    f"storage interface {pif_name(pif)} ({iface}) of host "
                    f"{facts.host_label(host_uuid)} overlaps management subnet {mgmt_iface}",
                    {
                        "storage_ip": str(iface),
                        "management_ip": str(mgmt_iface),
                        "management_pif": pif_name(mgmt),
                    },
                    remediation=f"xe pif-reconfigure-ip uuid={pif.uuid} mode=static "
                    "IP=<address in a dedicated storage subnet> netmask=…",
                )


def _is_bonded(pool: Pool, pif: Pif) -> bool:
    return len(pif.physical_pif_uuids) > 1


def _mpath_paths(target_config: dict[str, str]) -> list[tuple[int, int]]:
    paths = []
    for key, value in target_config.items():
        if key.startswith("mpath-"):
            match = _MPATH.search(value)
            if match:
                paths.append((int(match.group(1)), int(match.group(2))))
    return paths


@rule(
    "xen-storage-not-redundant",
    title="Storage path has no redundancy (no bond, no multipathing)",
    severity=Severity.MEDIUM,
    category=Category.XENSERVER,
    guide=("G07",),
    rationale="The guide asks for a bonded storage interface or multipathing with more than "
    "one active path, so one NIC, cable or switch port failure does not take the "
    "SR (and its VMs) down.",
    remediation="Bond the storage NICs (xe bond-create network-uuid=… pif-uuids=…,…) or "
    "enable multipathing (xe host-param-set uuid=… multipathing=true) with paths "
    "through two NICs",
)
def storage_not_redundant(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        for pbd in sorted(pool.pbds.values(), key=lambda p: p.uuid):
            sr = pool.srs.get(pbd.sr_uuid or "")
            host = pool.hosts.get(pbd.host_uuid or "")
            if sr is None or host is None or not sr.shared:
                continue
            target = next((t for t in facts.targets if t.pbd is pbd), None)
            if target is None and sr.type not in _MULTIPATH_TYPES:
                continue  # local, ISO-library-like or non-network SRs
            paths = _mpath_paths(pbd.other_config)
            multipath_ok = bool(host.multipathing) and any(a > 1 for a, _ in paths)
            pifs: list[Pif] = []
            if target is not None:
                if target.unresolved and not target.addresses:
                    _unresolved(ctx, pool, target)
                    continue
                for address in target.addresses:
                    route = facts.route(host.uuid, address)
                    pif = route.pif or facts.mgmt_pif.get(host.uuid)
                    if pif is not None and pif not in pifs:
                        pifs.append(pif)
            bonded = bool(pifs) and all(_is_bonded(pool, p) for p in pifs)
            if bonded or multipath_ok:
                continue
            nics = sorted({facts.nic_device(n) for p in pifs for n in p.physical_pif_uuids})
            ctx.finding(
                subject(pool, host=host, sr=sr),
                f"SR {sr.name_label!r} on host {facts.host_label(host.uuid)} depends on a "
                f"single path" + (f" (NIC {', '.join(nics)})" if nics else ""),
                {
                    "sr_type": sr.type,
                    "pifs": [pif_name(p) for p in pifs],
                    "nics": nics,
                    "host_multipathing": host.multipathing,
                    "multipath_active_total": [f"{a}/{t}" for a, t in paths],
                },
            )


def _hosts_without(ctx: RuleContext, pool: Pool, sr: Sr, key: str) -> list[str]:
    """The hosts whose PBD of ``sr`` has no (or an empty) ``device_config[key]``."""
    return sorted(
        ctx.facts(pool).host_label(pool.pbds[u].host_uuid)
        for u in sr.pbd_uuids
        if not pool.pbds[u].device_config.get(key)
    )


@rule(
    "xen-iscsi-without-chap",
    title="iSCSI SR without CHAP authentication",
    severity=Severity.HIGH,
    category=Category.STORAGE_ACCESS,
    guide=("G26", "G28"),
    rationale="Without CHAP any initiator on the storage network that knows the IQN can log "
    "in to the target and read or overwrite every VM disk on the LUN.",
    remediation="Recreate the PBDs with CHAP (xe pbd-create host-uuid=… sr-uuid=… "
    "device-config:chapuser=… device-config:chappassword_secret=<secret uuid>) "
    "and enable CHAP on the target",
    data=("xapi",),
)
def iscsi_without_chap(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        for sr in sorted(pool.srs.values(), key=lambda s: s.name_label):
            if sr.type not in _ISCSI_TYPES:
                continue
            hosts = _hosts_without(ctx, pool, sr, "chapuser")
            if hosts:
                ctx.finding(
                    subject(pool, sr=sr),
                    f"iSCSI SR {sr.name_label!r} connects without CHAP "
                    f"(no chapuser) from {', '.join(hosts)}",
                    {"hosts_without_chapuser": hosts, "sr_type": sr.type},
                )


@rule(
    "xen-storage-password-plaintext",
    title="Storage password stored in plain text in the PBD",
    severity=Severity.HIGH,
    category=Category.STORAGE_ACCESS,
    guide=("G26",),
    rationale="A device_config password (chappassword, password) is readable by every "
    "user with read access to the pool (and in every status report); the "
    "*_secret form keeps it in the secret store.",
    remediation="Store the password as a secret: xe secret-create value=…, then recreate the "
    "PBD with device-config:chappassword_secret=<secret uuid> (or "
    "password_secret= for SMB)",
)
def password_plaintext(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        for sr in sorted(pool.srs.values(), key=lambda s: s.name_label):
            keys: set[str] = set()
            hosts: set[str] = set()
            for pbd_uuid in sr.pbd_uuids:
                pbd = pool.pbds[pbd_uuid]
                plain = {
                    k
                    for k in pbd.device_config
                    if "password" in k.lower() and not k.lower().endswith("_secret")
                }
                if plain:
                    keys |= plain
                    hosts.add(ctx.facts(pool).host_label(pbd.host_uuid))
            if keys:
                ctx.finding(
                    subject(pool, sr=sr),
                    f"SR {sr.name_label!r} stores {', '.join(sorted(keys))} in plain "
                    "text in its PBD device_config",
                    {"keys": sorted(keys), "hosts": sorted(hosts), "sr_type": sr.type},
                )


@rule(
    "xen-smb-without-username",
    title="SMB SR without a username",
    severity=Severity.HIGH,
    category=Category.STORAGE_ACCESS,
    guide=("G26", "G31"),
    rationale="An SMB SR mounted as guest lets anyone who can reach the share read and "
    "write the VM disks on it; the guide asks for username/password.",
    remediation="Recreate the SR's PBDs with device-config:username=… "
    "device-config:password_secret=<secret uuid>",
)
def smb_without_username(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        for sr in sorted(pool.srs.values(), key=lambda s: s.name_label):
            if sr.type not in _SMB_TYPES:
                continue
            hosts = _hosts_without(ctx, pool, sr, "username")
            if hosts:
                ctx.finding(
                    subject(pool, sr=sr),
                    f"SMB SR {sr.name_label!r} mounts without a username from {', '.join(hosts)}",
                    {"hosts_without_username": hosts, "sr_type": sr.type},
                )


@rule(
    "xen-nfs-not-v4",
    title="NFS SR not mounted with NFSv4",
    severity=Severity.MEDIUM,
    category=Category.STORAGE_ACCESS,
    guide=("G27",),
    rationale="The guide recommends NFSv4 with AUTH_SYS; without device-config:nfsversion "
    "XenServer mounts NFSv3, whose side protocols (mountd, lockd) widen the "
    "filer's exposure.",
    remediation="Recreate the SR's PBDs with device-config:nfsversion=4.1 (xe pbd-create … "
    "device-config:nfsversion=4.1)",
)
def nfs_not_v4(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        for sr in sorted(pool.srs.values(), key=lambda s: s.name_label):
            if sr.type != "nfs":
                continue
            versions = sorted(
                {pool.pbds[u].device_config.get("nfsversion", "") for u in sr.pbd_uuids}
            )
            bad = [v for v in versions if not v.startswith("4")]
            if bad:
                shown = [v or "unset (NFSv3)" for v in bad]
                ctx.finding(
                    subject(pool, sr=sr),
                    f"NFS SR {sr.name_label!r} uses nfsversion {', '.join(shown)}",
                    {
                        "nfsversion": versions,
                        "server": sorted(
                            {pool.pbds[u].device_config.get("server", "") for u in sr.pbd_uuids}
                        ),
                    },
                )
