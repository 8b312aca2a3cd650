"""Build the typed pool model from API records (live or dump), resolving every relationship.

Linear in the size of the pool: one pass per class, lookups through ref → UUID maps, never a
scan inside a scan. Roles are inferred here with the reason recorded; the policy may override
them afterwards (:func:`xsfabric.policy.apply_policy`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from xsfabric.model.storage import IP_SR_TYPES, target_addresses
from xsfabric.model.xen import (
    ROLE_ORDER,
    Bond,
    Host,
    Network,
    Pbd,
    Pif,
    Pool,
    Role,
    Sr,
    Tunnel,
    Vif,
    VlanObj,
    Vm,
)
from xsfabric.names import normalize_mac
from xsfabric.xapi.records import NULL_REF, PoolRecords


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _vlan_tag(value: Any) -> int:
    tag = _int(value, -1)
    return -1 if tag is None else tag


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).lower() == "true"


def _map(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


class _Refs:
    """ref → UUID for every class, so relationships resolve in O(1)."""

    def __init__(self, source: PoolRecords) -> None:
        self._maps = {
            cls: {ref: str(rec.get("uuid", "")) for ref, rec in rows.items()}
            for cls, rows in source.records.items()
        }

    def uuid(self, cls: str, ref: Any) -> str | None:
        if not isinstance(ref, str) or not ref or ref == NULL_REF:
            return None
        return self._maps.get(cls, {}).get(ref) or None


def build_pool(name: str, source: PoolRecords) -> Pool:
    refs = _Refs(source)
    pool_rows = list(source.table("pool").values())
    pool_rec = pool_rows[0] if pool_rows else {}
    pool = Pool(
        name=name,
        uuid=str(pool_rec.get("uuid", "")),
        name_label=str(pool_rec.get("name_label", "")),
        master_uuid=refs.uuid("host", pool_rec.get("master")),
        other_config=_map(pool_rec.get("other_config")),
        tags=_list(pool_rec.get("tags")),
        source=source.source,
        collected_at=source.collected_at,
        names_unresolved=source.names_unresolved,
        resolved=dict(source.resolved),
    )
    pool.warnings.extend(source.warnings)
    if not pool_rows:
        pool.warnings.append("no pool record: not a complete pool database")
    _build_hosts(pool, source, refs)
    _build_networks(pool, source)
    _build_pifs(pool, source, refs)
    _build_bonds_vlans_tunnels(pool, source, refs)
    _resolve_physical(pool)
    _build_vms_vifs(pool, source, refs)
    _build_storage(pool, source, refs)
    infer_roles(pool)
    return pool


def _build_hosts(pool: Pool, source: PoolRecords, refs: _Refs) -> None:
    for rec in source.table("host").values():
        https = rec.get("https_only")
        host = Host(
            uuid=str(rec["uuid"]),
            name_label=str(rec.get("name_label", "")),
            hostname=str(rec.get("hostname", "")),
            address=str(rec.get("address", "")),
            enabled=_bool(rec.get("enabled", True)),
            https_only=None if https is None else _bool(https),
            software_version=_map(rec.get("software_version")),
            other_config=_map(rec.get("other_config")),
            control_domain_uuid=refs.uuid("VM", rec.get("control_domain")),
            multipathing=None
            if rec.get("multipathing") is None
            else _bool(rec.get("multipathing")),
            iscsi_iqn=str(rec.get("iscsi_iqn") or ""),
        )
        if host.multipathing is None and "multipathing" in host.other_config:
            host.multipathing = host.other_config["multipathing"].lower() == "true"
        pool.hosts[host.uuid] = host


def _build_networks(pool: Pool, source: PoolRecords) -> None:
    for rec in source.table("network").values():
        network = Network(
            uuid=str(rec["uuid"]),
            name_label=str(rec.get("name_label", "")),
            name_description=str(rec.get("name_description", "")),
            bridge=str(rec.get("bridge", "")),
            mtu=_int(rec.get("MTU")),
            other_config=_map(rec.get("other_config")),
            tags=_list(rec.get("tags")),
            default_locking_mode=str(rec.get("default_locking_mode", "")),
        )
        pool.networks[network.uuid] = network


def _build_pifs(pool: Pool, source: PoolRecords, refs: _Refs) -> None:
    metrics = source.table("PIF_metrics")
    for rec in source.table("PIF").values():
        host_uuid = refs.uuid("host", rec.get("host")) or ""
        metric = metrics.get(str(rec.get("metrics", "")), {})
        pif = Pif(
            uuid=str(rec["uuid"]),
            host_uuid=host_uuid,
            device=str(rec.get("device", "")),
            mac=normalize_mac(str(rec.get("MAC", ""))),
            vlan=_vlan_tag(rec.get("VLAN")),
            physical=_bool(rec.get("physical", False)),
            management=_bool(rec.get("management", False)),
            network_uuid=refs.uuid("network", rec.get("network")),
            currently_attached=_bool(rec.get("currently_attached", False)),
            ip_mode=str(rec.get("ip_configuration_mode", "None")),
            ip=str(rec.get("IP", "")),
            netmask=str(rec.get("netmask", "")),
            gateway=str(rec.get("gateway", "")),
            ipv6_mode=str(rec.get("ipv6_configuration_mode", "None")),
            ipv6=[a for a in _list(rec.get("IPv6")) if a],
            dns=str(rec.get("DNS", "")),
            mtu=_int(rec.get("MTU")),
            disallow_unplug=_bool(rec.get("disallow_unplug", False)),
            other_config=_map(rec.get("other_config")),
            bond_slave_of=refs.uuid("Bond", rec.get("bond_slave_of")),
            vlan_master_of=refs.uuid("VLAN", rec.get("VLAN_master_of")),
            carrier=None if not metric else _bool(metric.get("carrier", False)),
            speed_mbps=_int(metric.get("speed")) if metric else None,
            lldp_neighbor=_map(metric.get("lldp_neighbor")) if metric else {},
            lldp_known=bool(metric) and isinstance(metric.get("lldp_neighbor"), Mapping),
        )
        pool.pifs[pif.uuid] = pif
        host = pool.hosts.get(host_uuid)
        if host is not None:
            host.pif_uuids.append(pif.uuid)
        else:
            pool.warnings.append(f"PIF {pif.uuid} ({pif.device}) names no known host")
        network = pool.networks.get(pif.network_uuid or "")
        if network is not None:
            network.pif_uuids.append(pif.uuid)
            if pif.vlan >= 0:
                network.vlan_tags.add(pif.vlan)


def _build_bonds_vlans_tunnels(pool: Pool, source: PoolRecords, refs: _Refs) -> None:
    slaves_by_bond: dict[str, list[str]] = {}
    for pif in pool.pifs.values():
        if pif.bond_slave_of:
            slaves_by_bond.setdefault(pif.bond_slave_of, []).append(pif.uuid)
    for rec in source.table("Bond").values():
        uuid = str(rec["uuid"])
        slaves = slaves_by_bond.get(uuid) or [
            u for u in (refs.uuid("PIF", r) for r in _list(rec.get("slaves"))) if u
        ]
        bond = Bond(
            uuid=uuid,
            master_uuid=refs.uuid("PIF", rec.get("master")),
            slave_uuids=sorted(slaves, key=lambda u: pool.pifs[u].device if u in pool.pifs else u),
            mode=str(rec.get("mode", "")),
            primary_slave_uuid=refs.uuid("PIF", rec.get("primary_slave")),
        )
        pool.bonds[uuid] = bond
        master = pool.pifs.get(bond.master_uuid or "")
        if master is not None:
            master.bond_master_of = uuid
        for slave in bond.slave_uuids:
            if slave in pool.pifs:
                pool.pifs[slave].bond_slave_of = uuid
    for rec in source.table("VLAN").values():
        vlan = VlanObj(
            uuid=str(rec["uuid"]),
            tag=_vlan_tag(rec.get("tag")),
            tagged_pif_uuid=refs.uuid("PIF", rec.get("tagged_PIF")),
            untagged_pif_uuid=refs.uuid("PIF", rec.get("untagged_PIF")),
        )
        pool.vlans[vlan.uuid] = vlan
        untagged = pool.pifs.get(vlan.untagged_pif_uuid or "")
        if untagged is not None:
            untagged.vlan_master_of = vlan.uuid
            untagged.tagged_pif_uuid = vlan.tagged_pif_uuid
    for rec in source.table("tunnel").values():
        tunnel = Tunnel(
            uuid=str(rec["uuid"]),
            access_pif_uuid=refs.uuid("PIF", rec.get("access_PIF")),
            transport_pif_uuid=refs.uuid("PIF", rec.get("transport_PIF")),
            protocol=str(rec.get("protocol", "gre")),
        )
        pool.tunnels[tunnel.uuid] = tunnel


def _resolve_physical(pool: Pool) -> None:
    """Physical NICs under every PIF: the NIC itself, a bond's members, a VLAN's base."""

    def under(pif: Pif, depth: int = 0) -> tuple[str, ...]:
        if depth > 4:  # a VLAN on a bond on a NIC is the deepest real stack
            return ()
        if pif.bond_master_of:
            bond = pool.bonds.get(pif.bond_master_of)
            return tuple(bond.slave_uuids) if bond else ()
        if pif.tagged_pif_uuid and pif.tagged_pif_uuid in pool.pifs:
            return under(pool.pifs[pif.tagged_pif_uuid], depth + 1)
        if pif.physical:
            return (pif.uuid,)
        return ()

    for pif in pool.pifs.values():
        pif.physical_pif_uuids = under(pif)
    # A VLAN PIF whose VLAN object is missing: fall back to the same device on the same host.
    by_host_device = {(p.host_uuid, p.device): p for p in pool.pifs.values() if p.vlan < 0}
    for pif in pool.pifs.values():
        if pif.vlan >= 0 and not pif.physical_pif_uuids:
            base = by_host_device.get((pif.host_uuid, pif.device))
            if base is not None:
                pif.tagged_pif_uuid = base.uuid
                pif.physical_pif_uuids = base.physical_pif_uuids


def _build_vms_vifs(pool: Pool, source: PoolRecords, refs: _Refs) -> None:
    for rec in source.table("VM").values():
        vm = Vm(
            uuid=str(rec["uuid"]),
            name_label=str(rec.get("name_label", "")),
            is_control_domain=_bool(rec.get("is_control_domain", False)),
            is_a_template=_bool(rec.get("is_a_template", False)),
            is_a_snapshot=_bool(rec.get("is_a_snapshot", False)),
            power_state=str(rec.get("power_state", "")),
            resident_on=refs.uuid("host", rec.get("resident_on")),
            tags=_list(rec.get("tags")),
            other_config=_map(rec.get("other_config")),
        )
        pool.vms[vm.uuid] = vm
        if vm.is_control_domain and vm.resident_on in pool.hosts:
            host = pool.hosts[vm.resident_on]
            if host.control_domain_uuid is None:
                host.control_domain_uuid = vm.uuid
    for rec in source.table("VIF").values():
        vif = Vif(
            uuid=str(rec["uuid"]),
            device=str(rec.get("device", "")),
            mac=normalize_mac(str(rec.get("MAC", ""))),
            vm_uuid=refs.uuid("VM", rec.get("VM")),
            network_uuid=refs.uuid("network", rec.get("network")),
            currently_attached=_bool(rec.get("currently_attached", False)),
            locking_mode=str(rec.get("locking_mode", "")),
            ipv4_allowed=_list(rec.get("ipv4_allowed")),
            ipv6_allowed=_list(rec.get("ipv6_allowed")),
            other_config=_map(rec.get("other_config")),
        )
        network = pool.networks.get(vif.network_uuid or "")
        mode = vif.locking_mode or "network_default"
        if mode == "network_default":
            mode = (network.default_locking_mode if network else "") or "unlocked"
        vif.effective_locking_mode = mode
        pool.vifs[vif.uuid] = vif
        if network is not None:
            network.vif_uuids.append(vif.uuid)
        vm_obj = pool.vms.get(vif.vm_uuid or "")
        if vm_obj is not None:
            vm_obj.vif_uuids.append(vif.uuid)


def _build_storage(pool: Pool, source: PoolRecords, refs: _Refs) -> None:
    for rec in source.table("SR").values():
        sr = Sr(
            uuid=str(rec["uuid"]),
            name_label=str(rec.get("name_label", "")),
            type=str(rec.get("type", "")),
            content_type=str(rec.get("content_type", "")),
            shared=_bool(rec.get("shared", False)),
            other_config=_map(rec.get("other_config")),
            sm_config=_map(rec.get("sm_config")),
        )
        pool.srs[sr.uuid] = sr
    for rec in source.table("PBD").values():
        pbd = Pbd(
            uuid=str(rec["uuid"]),
            host_uuid=refs.uuid("host", rec.get("host")),
            sr_uuid=refs.uuid("SR", rec.get("SR")),
            device_config=_map(rec.get("device_config")),
            currently_attached=_bool(rec.get("currently_attached", False)),
            other_config=_map(rec.get("other_config")),
        )
        pool.pbds[pbd.uuid] = pbd
        if pbd.sr_uuid in pool.srs:
            pool.srs[pbd.sr_uuid].pbd_uuids.append(pbd.uuid)
        if pbd.host_uuid in pool.hosts:
            pool.hosts[pbd.host_uuid].pbd_uuids.append(pbd.uuid)


def storage_target_addresses(
    pool: Pool,
) -> dict[str, list[ipaddress.IPv4Address | ipaddress.IPv6Address]]:
    """Per host UUID: the addresses of the IP-based SR targets its PBDs connect to."""
    result: dict[str, list[ipaddress.IPv4Address | ipaddress.IPv6Address]] = {}
    for pbd in pool.pbds.values():
        sr = pool.srs.get(pbd.sr_uuid or "")
        if sr is None or sr.type not in IP_SR_TYPES or pbd.host_uuid is None:
            continue
        addresses, _ = target_addresses(pbd.device_config, pool.resolved)
        result.setdefault(pbd.host_uuid, []).extend(addresses)
    return result


def infer_roles(pool: Pool) -> None:
    """Traffic role per network from what the pool shows, with the reason recorded."""
    targets = storage_target_addresses(pool)
    reasons: dict[str, dict[Role, str]] = {uuid: {} for uuid in pool.networks}
    # Networks guests use: a dom0 IP there that reaches no SR target is a control-domain
    # address on a guest network (itself a finding), not a storage network.
    guest_networks: set[str] = set()
    for vif in pool.vifs.values():
        vm = pool.vms.get(vif.vm_uuid or "")
        if vm is not None and vm.is_guest and vif.network_uuid:
            guest_networks.add(vif.network_uuid)
    for pif in pool.pifs.values():
        found = reasons.get(pif.network_uuid or "")
        if found is None:
            continue
        host = pool.hosts.get(pif.host_uuid)
        host_name = host.name_label if host else pif.host_uuid
        if pif.management:
            found.setdefault(Role.MANAGEMENT, f"management PIF {pif.device} on {host_name}")
        elif pif.has_ip:
            iface = pif.interface
            hit = [
                str(a)
                for a in targets.get(pif.host_uuid, [])
                if iface is not None and a in iface.network
            ]
            if hit:
                found[Role.STORAGE] = (
                    f"PIF {pif.device} on {host_name} ({iface}) reaches SR target {hit[0]}"
                )
            elif pif.network_uuid in guest_networks and not pif.other_config.get(
                "management_purpose"
            ):
                continue  # a dom0 address on a guest network: the guest role stays
            else:
                found.setdefault(
                    Role.STORAGE, f"secondary interface {pif.device} with an IP on {host_name}"
                )
        elif pif.other_config.get("management_purpose"):
            found.setdefault(
                Role.STORAGE,
                f"PIF {pif.device} on {host_name} marked "
                f"'{pif.other_config['management_purpose']}'",
            )
    for vif in pool.vifs.values():
        found = reasons.get(vif.network_uuid or "")
        vm = pool.vms.get(vif.vm_uuid or "")
        if found is None or vm is None or not vm.is_guest:
            continue
        network = pool.networks[vif.network_uuid or ""]
        role = Role.GUEST if network.pif_uuids else Role.INTERNAL
        found.setdefault(role, f"VIF of VM {vm.name_label!r}")
    for uuid, network in pool.networks.items():
        found = reasons[uuid]
        if (
            not found
            and not network.pif_uuids
            and (
                network.other_config.get("is_host_internal_management_network") == "true"
                or network.other_config.get("is_guest_installer_network") == "true"
            )
        ):
            found[Role.INTERNAL] = "host-internal network (no PIFs)"
        network.uses = set(found)
        primary = next((r for r in ROLE_ORDER if r in found), Role.UNUSED)
        network.role = primary
        network.role_reason = found.get(
            primary, "no PIF with an IP, no management PIF, no guest VIF"
        )
        network.role_source = "inferred"
