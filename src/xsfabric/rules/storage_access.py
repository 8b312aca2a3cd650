"""Array-side access to IP storage: NFS export rules, NFS security flavours and root access,
where the array's data LIFs sit, iSCSI CHAP on the target, and targets shared between
environments (guide G26, G27, G28, G31).

ONTAP evaluates an export policy's rules in index order and the first rule whose client match
and protocol fit a client decides its access, so "what the pool's hosts get" is the first
matching rule for each host's storage address; "who else gets in" is every rule that grants
anything to a client beyond those addresses. Client matches that are host names, netgroups or
domains cannot be placed offline: the rules say "not checked" for them instead of guessing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from xsfabric.model.xen import Pool
from xsfabric.rules.engine import (
    Category,
    RuleContext,
    Severity,
    Subject,
    SubjectRef,
    rule,
    subject,
)
from xsfabric.rules.facts import PoolFacts
from xsfabric.rules.masking import masking_view
from xsfabric.san.array import ChapSetting, DataLif, ExportRule
from xsfabric.san.exports import (
    ISCSI_SR_TYPES,
    NFS_SR_TYPES,
    NfsExport,
    SrEndpoint,
    build_exports,
    sr_endpoints,
)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_NFS_PROTOCOLS = ("any", "nfs", "nfs3", "nfs4", "nfs41", "nfs4.1", "nfs4.2")


def _network(client: str) -> Network | None:
    text = client.strip()
    if text in ("*", "0/0"):
        return ipaddress.ip_network("0.0.0.0/0")
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def _nfs(rule_: ExportRule) -> bool:
    return not rule_.protocols or any(p.lower() in _NFS_PROTOCOLS for p in rule_.protocols)


def _grants(rule_: ExportRule) -> bool:
    """Any access at all: a rule whose RO and RW rules are both ``never`` grants nothing."""
    values = [v.lower() for v in (*rule_.ro_rule, *(rule_.rw_rule or ()))]
    return any(v != "never" for v in values)


def _superuser(rule_: ExportRule) -> bool | None:
    if rule_.superuser is None:
        return None
    return any(v.lower() not in ("none", "never") for v in rule_.superuser)


def pool_sources(facts: PoolFacts, export: NfsExport | SrEndpoint) -> dict[IPAddress, str]:
    """The addresses the pool's hosts reach the SR's target from → host name: the PIF whose
    subnet holds the target, else the management PIF (the default route)."""
    endpoint = export.endpoint if isinstance(export, NfsExport) else export
    sources: dict[IPAddress, str] = {}
    for pbd_uuid in endpoint.sr.pbd_uuids:
        pbd = facts.pool.pbds.get(pbd_uuid)
        host = facts.pool.hosts.get(pbd.host_uuid or "") if pbd else None
        if host is None:
            continue
        for address in endpoint.addresses:
            route = facts.route(host.uuid, address)
            pif = route.pif or facts.mgmt_pif.get(host.uuid)
            if pif is not None and pif.ip:
                sources[ipaddress.ip_address(pif.ip)] = host.name_label
    return sources


def _export_subject(export: NfsExport) -> Subject:
    found = subject(export.endpoint.pool, sr=export.endpoint.sr)
    lif = export.lif
    if lif is not None:
        found["array"] = SubjectRef(lif.array)
        found["vserver"] = SubjectRef(lif.vserver)
    if export.volume is not None:
        found["volume"] = SubjectRef(export.volume.name)
    return found


def _rule_text(rule_: ExportRule) -> str:
    return (
        f"rule {rule_.index}: clients {','.join(rule_.clients) or '-'} "
        f"protocol {','.join(rule_.protocols) or '-'} ro {','.join(rule_.ro_rule) or '-'} "
        f"rw {','.join(rule_.rw_rule or ()) or '?'} "
        f"superuser {','.join(rule_.superuser) if rule_.superuser is not None else '?'}"
    )


def _exports(ctx: RuleContext) -> list[NfsExport]:
    return build_exports(ctx.pools, ctx.estate.arrays)


def _beyond(
    clients: Iterable[str], sources: dict[IPAddress, str]
) -> tuple[list[str], list[str], list[str]]:
    """(world-wide clients, clients reaching beyond the pool's addresses, unplaceable)."""
    world: list[str] = []
    beyond: list[str] = []
    unknown: list[str] = []
    for client in clients:
        network = _network(client)
        if network is None:
            unknown.append(client)
        elif network.prefixlen == 0:
            world.append(client)
        else:
            inside = sum(1 for a in sources if a in network)
            if network.num_addresses > inside:
                beyond.append(client)
    return world, beyond, unknown


@rule(
    "array-nfs-export-open",
    title="NFS export open beyond the pool's storage addresses",
    severity=Severity.HIGH,
    category=Category.STORAGE_ACCESS,
    guide=("G27",),
    rationale="The guide limits NFS exports to the IP addresses of the pool's hosts: any "
    "other client that can mount the SR's volume can read and overwrite every VDI. "
    "A rule open to 0.0.0.0/0 also makes every narrower rule of the policy "
    "pointless.",
    remediation="Restrict the policy to the hosts' storage addresses: vserver export-policy "
    "rule modify -vserver <svm> -policyname <policy> -ruleindex <n> -clientmatch "
    "<host storage IPs>; delete rules for other clients",
    data=("xapi", "arrays"),
)
def nfs_export_open(ctx: RuleContext) -> None:
    for export in _exports(ctx):
        if export.unverified:
            ctx.not_checked(
                _export_subject(export),
                f"NFS SR {export.endpoint.sr.name_label!r} not verified: {export.unverified}",
            )
            continue
        sources = pool_sources(ctx.facts(export.endpoint.pool), export)
        world: list[ExportRule] = []
        beyond: list[ExportRule] = []
        unknown: list[str] = []
        for rule_ in export.rules:
            if not _nfs(rule_) or not _grants(rule_):
                continue
            w, b, u = _beyond(rule_.clients, sources)
            unknown += u
            if w:
                world.append(rule_)
            elif b:
                beyond.append(rule_)
        if unknown and not (world or beyond):
            ctx.not_checked(
                _export_subject(export),
                f"export policy {export.volume.policy if export.volume else '?'} "
                f"names clients that cannot be placed offline: "
                f"{', '.join(sorted(set(unknown)))}",
            )
        if not (world or beyond):
            continue
        assert export.volume is not None
        first = (world + beyond)[0]
        ctx.finding(
            _export_subject(export),
            f"volume {export.volume.name} (SR {export.endpoint.sr.name_label!r}, "
            f"{export.serverpath}) is exported by policy {export.volume.policy} to "
            + ("every address (0.0.0.0/0)" if world else "clients beyond the pool's hosts")
            + f": rule {first.index} {','.join(first.clients)}",
            {
                "policy": export.volume.policy,
                "junction_path": export.volume.junction_path,
                "pool_addresses": sorted(str(a) for a in sources),
                "rules": [_rule_text(r) for r in (*world, *beyond)],
            },
            severity=Severity.HIGH if world else Severity.MEDIUM,
        )


def _effective(export: NfsExport, address: IPAddress) -> ExportRule | None:
    for rule_ in export.rules:
        if not _nfs(rule_):
            continue
        for client in rule_.clients:
            network = _network(client)
            if network is not None and address in network:
                return rule_
    return None


@rule(
    "array-nfs-export-security",
    title="NFS export does not give the pool AUTH_SYS",
    severity=Severity.MEDIUM,
    category=Category.STORAGE_ACCESS,
    guide=("G27",),
    rationale="The guide has XenServer use NFS with AUTH_SYS. The rule the pool's hosts match "
    "first decides their access: when its RO or RW security does not include sys "
    "(or any), the hosts get in only as the anonymous user ('none') or through "
    "another flavour than the one required (krb5 only).",
    remediation="vserver export-policy rule modify -vserver <svm> -policyname <policy> "
    "-ruleindex <n> -rorule sys -rwrule sys",
    data=("xapi", "arrays"),
)
def nfs_export_security(ctx: RuleContext) -> None:
    for export in _exports(ctx):
        if export.unverified or export.volume is None:
            continue
        sources = pool_sources(ctx.facts(export.endpoint.pool), export)
        weak: dict[int, tuple[ExportRule, list[str]]] = {}
        for address, host in sorted(sources.items(), key=lambda kv: str(kv[0])):
            rule_ = _effective(export, address)
            if rule_ is None or not _grants(rule_):
                continue
            granted = [rule_.ro_rule] + (
                [rule_.rw_rule]
                if rule_.rw_rule is not None and [v for v in rule_.rw_rule if v.lower() != "never"]
                else []
            )
            if any(not {v.lower() for v in flavours} & {"sys", "any"} for flavours in granted):
                weak.setdefault(rule_.index, (rule_, []))[1].append(host)
        for rule_, hosts in weak.values():
            ctx.finding(
                _export_subject(export),
                f"policy {export.volume.policy} rule {rule_.index}, the rule hosts "
                f"{', '.join(hosts)} get for SR {export.endpoint.sr.name_label!r}, gives "
                f"security ro={','.join(rule_.ro_rule) or '-'} "
                f"rw={','.join(rule_.rw_rule or ()) or '?'}: not sys",
                {"policy": export.volume.policy, "rule": _rule_text(rule_), "hosts": hosts},
            )


@rule(
    "array-nfs-export-superuser-beyond-pool",
    title="NFS export grants root (superuser) access beyond the pool",
    severity=Severity.HIGH,
    category=Category.STORAGE_ACCESS,
    guide=("G27",),
    rationale="XenServer's dom0 needs root access to its SR, and only it: root access for "
    "any other client lets it change ownership and delete every VDI file.",
    remediation="Grant superuser access only in a rule matching the pool's host addresses: "
    "vserver export-policy rule modify -vserver <svm> -policyname <policy> "
    "-ruleindex <n> -superuser none",
    data=("xapi", "arrays"),
)
def nfs_export_superuser(ctx: RuleContext) -> None:
    for export in _exports(ctx):
        if export.unverified or export.volume is None:
            continue
        sources = pool_sources(ctx.facts(export.endpoint.pool), export)
        offending: list[ExportRule] = []
        for rule_ in export.rules:
            if not _nfs(rule_) or not _grants(rule_):
                continue
            world, beyond, _unknown = _beyond(rule_.clients, sources)
            if not (world or beyond):
                continue
            root = _superuser(rule_)
            if root is None:
                ctx.not_checked(
                    _export_subject(export),
                    f"policy {export.volume.policy} rule {rule_.index}: superuser "
                    "access unknown (capture the -instance form)",
                )
            elif root:
                offending.append(rule_)
        if offending:
            ctx.finding(
                _export_subject(export),
                f"policy {export.volume.policy} gives root access to SR "
                f"{export.endpoint.sr.name_label!r} to clients beyond the pool: "
                + "; ".join(f"rule {r.index} {','.join(r.clients)}" for r in offending),
                {
                    "policy": export.volume.policy,
                    "rules": [_rule_text(r) for r in offending],
                    "pool_addresses": sorted(str(a) for a in sources),
                },
            )


def _storage_subnets(facts: PoolFacts) -> list[Network]:
    subnets: list[Network] = []
    for host_uuid in facts.pool.hosts:
        for pif in facts.storage_pifs(host_uuid):
            iface = pif.interface
            if iface is not None and iface.network not in subnets:
                subnets.append(iface.network)
    return subnets


@rule(
    "array-data-lif-outside-storage-subnets",
    title="Array data address outside the pool's storage subnets",
    severity=Severity.MEDIUM,
    category=Category.STORAGE_ACCESS,
    guide=("G27", "G06"),
    rationale="The guide keeps the filer's storage interfaces invisible outside the storage "
    "network: a data LIF of the serving SVM in another subnet (the management "
    "network, a routed client network) exposes the SR's exports or targets there.",
    remediation="Move or delete the LIF: network interface modify -vserver <svm> -lif <lif> "
    "-address <storage subnet address> (or network interface delete); keep the "
    "SVM's data LIFs in the storage subnets",
    data=("xapi", "arrays"),
)
def data_lif_outside_storage_subnets(ctx: RuleContext) -> None:
    endpoints = sr_endpoints(ctx.pools, ctx.estate.arrays, NFS_SR_TYPES | ISCSI_SR_TYPES)
    users: dict[tuple[str, str], list[Pool]] = {}
    used: dict[tuple[str, str], set[str]] = {}  # the protocols the pools use on the SVM
    for endpoint in endpoints:
        for lif in endpoint.lifs:
            pools = users.setdefault((lif.array, lif.vserver), [])
            if endpoint.pool not in pools:
                pools.append(endpoint.pool)
            used.setdefault((lif.array, lif.vserver), set()).add(
                "nfs" if endpoint.sr.type in NFS_SR_TYPES else "iscsi"
            )
    all_lifs: dict[tuple[str, str], list[DataLif]] = {}
    for facts in ctx.estate.arrays.values():
        for lif in facts.lifs or ():
            all_lifs.setdefault((lif.array, lif.vserver), []).append(lif)
    for key, pools in sorted(users.items()):
        subnets = {p.name: _storage_subnets(ctx.facts(p)) for p in pools}
        every = [s for nets in subnets.values() for s in nets]
        for pool in pools:
            if not subnets[pool.name]:
                ctx.not_checked(
                    subject(pool) | {"array": SubjectRef(key[0]), "vserver": SubjectRef(key[1])},
                    f"pool {pool.name} has no storage interface: the storage subnets are unknown",
                )
                continue
            for lif in sorted(all_lifs.get(key, ()), key=lambda x: x.name):
                if not lif.serves_storage or any(lif.address.ip in net for net in every):
                    continue
                if lif.protocols is not None and not any(
                    p.startswith(tuple(used[key])) for p in lif.protocols
                ):
                    continue  # e.g. a CIFS-only LIF: it serves none of the pools' storage
                mgmt = [
                    p.interface.network
                    for p in ctx.facts(pool).mgmt_pif.values()
                    if p.interface is not None and lif.address.ip in p.interface.network
                ]
                ctx.finding(
                    subject(pool)
                    | {
                        "array": SubjectRef(lif.array),
                        "vserver": SubjectRef(lif.vserver),
                        "interface": SubjectRef(lif.name),
                    },
                    f"LIF {lif.name} ({lif.address}) of SVM {lif.vserver}, which serves pool "
                    f"{pool.name}, is in none of the storage subnets "
                    f"{', '.join(str(s) for s in subnets[pool.name])}"
                    + (" but in the management subnet" if mgmt else ""),
                    {
                        "lif": lif.name,
                        "address": str(lif.address),
                        "storage_subnets": [str(s) for s in subnets[pool.name]],
                        "management_subnet": str(mgmt[0]) if mgmt else None,
                    },
                )


def _chap_for(settings: list[ChapSetting], iqn: str) -> ChapSetting | None:
    for setting in settings:
        if setting.initiator == iqn:
            return setting
    return next((s for s in settings if s.initiator == "default"), None)


@rule(
    "array-iscsi-chap-off",
    title="iSCSI target does not require CHAP from the pool's hosts",
    severity=Severity.HIGH,
    category=Category.STORAGE_ACCESS,
    guide=("G26", "G28"),
    rationale="Without CHAP on the target any initiator that can reach the LIF and claims "
    "a mapped IQN gets the LUN; the guide asks for target authentication wherever "
    "the storage type allows it (GFS2 excepted).",
    remediation="vserver iscsi security create -vserver <svm> -initiator-name <host IQN> "
    "-auth-type CHAP -user-name <user> (or set the default: vserver iscsi "
    "security modify -vserver <svm> -initiator-name default -auth-type CHAP …)",
    data=("xapi", "arrays"),
)
def iscsi_chap_off(ctx: RuleContext) -> None:
    view = masking_view(ctx.estate)
    chap: dict[tuple[str, str], list[ChapSetting]] = {}
    known: set[str] = set()
    for facts in ctx.estate.arrays.values():
        if facts.chap is not None:
            known.add(facts.device)
        for setting in facts.chap or ():
            chap.setdefault((setting.array, setting.vserver), []).append(setting)
    # The array serving an iSCSI SR: the LIF its target address is, else (arrays whose data
    # ports were not captured, like Pure's) the array holding the SR's LUN.
    by_lun = {
        (item.pool.name, item.sr.uuid): item.volume
        for item in view.sr_volumes
        if item.volume is not None
    }
    for endpoint in sr_endpoints(ctx.pools, ctx.estate.arrays, ISCSI_SR_TYPES):
        volume = by_lun.get((endpoint.pool.name, endpoint.sr.uuid))
        if endpoint.lifs:
            array, vserver = endpoint.lifs[0].array, endpoint.lifs[0].vserver
        elif volume is not None:
            array, vserver = volume.array, volume.vserver
        else:
            continue
        found = subject(endpoint.pool, sr=endpoint.sr) | {"array": SubjectRef(array)}
        if vserver:
            found["vserver"] = SubjectRef(vserver)
        if array not in known:
            ctx.not_checked(
                found, f"array {array}: its iSCSI CHAP settings were not captured or not readable"
            )
            continue
        settings = chap.get((array, vserver), [])
        off: list[str] = []
        for pbd_uuid in endpoint.sr.pbd_uuids:
            pbd = endpoint.pool.pbds.get(pbd_uuid)
            host = endpoint.pool.hosts.get(pbd.host_uuid or "") if pbd else None
            if host is None:
                continue
            iqns = view.initiators[host.uuid].iqns if host.uuid in view.initiators else ()
            applied = _chap_for(settings, iqns[0]) if iqns else _chap_for(settings, "default")
            if applied is not None and applied.auth_type == "none":
                off.append(f"{host.name_label} ({applied.initiator}: none)")
        if off:
            where = f"SVM {vserver} on {array}" if vserver else f"array {array}"
            ctx.finding(
                found,
                f"{where} serves iSCSI SR {endpoint.sr.name_label!r} without CHAP for "
                f"{', '.join(sorted(off))}",
                {"targets": [str(a) for a in endpoint.addresses], "hosts": sorted(off)},
            )


@rule(
    "array-target-shared-across-environments",
    title="Array target or volume used by pools of different environments",
    severity=Severity.HIGH,
    category=Category.STORAGE_ACCESS,
    guide=("G28", "G31", "G05"),
    rationale="The guide never shares a storage target between pools of differing trust: "
    "the same SVM address or volume serving a production and a test pool lets a "
    "compromise of the test pool reach production data.",
    remediation="Serve each environment from its own SVM (and its own LIFs in its own "
    "storage VLAN): vserver create …; move the volume: volume move …",
    data=("xapi", "arrays", "policy"),
)
def target_shared_across_environments(ctx: RuleContext) -> None:
    users: dict[tuple[str, str, str], dict[str, str | None]] = {}
    for endpoint in sr_endpoints(ctx.pools, ctx.estate.arrays, NFS_SR_TYPES | ISCSI_SR_TYPES):
        for lif in endpoint.lifs:
            users.setdefault((lif.array, lif.vserver, ""), {})[endpoint.pool.name] = (
                endpoint.pool.environment
            )
    for item in masking_view(ctx.estate).sr_volumes:
        if item.volume is not None:
            users.setdefault((item.volume.array, item.volume.vserver, item.volume.name), {})[
                item.pool.name
            ] = item.pool.environment
    for (array, vserver, volume), pools in sorted(users.items()):
        if len(pools) < 2:
            continue
        found: Subject = {"array": SubjectRef(array), "vserver": SubjectRef(vserver)}
        if volume:
            found["volume"] = SubjectRef(volume)
        what = f"volume {volume}" if volume else f"SVM {vserver}"
        unknown = sorted(p for p, e in pools.items() if e is None)
        if unknown:
            ctx.not_checked(
                found,
                f"{what} on {array} serves pools {', '.join(sorted(pools))}; "
                f"no environment known for {', '.join(unknown)}",
            )
            continue
        if len(set(pools.values())) < 2:
            continue
        ctx.finding(
            found,
            f"{what} on {array} serves pools of different environments: "
            + ", ".join(f"{p} ({e})" for p, e in sorted(pools.items())),
            {"pools": dict(sorted(pools.items()))},
        )
