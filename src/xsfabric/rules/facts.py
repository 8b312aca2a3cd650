"""Facts several rules need, derived once per pool in one linear pass each.

The model records every observed use of a network; rules need a few sharper answers: which
networks really are storage networks, which PIF a host uses to reach an SR target, which roles
ride each physical NIC. Deriving them here keeps every rule a few lines long and keeps the
audit linear in the size of the estate.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from xsfabric.model.storage import IP_SR_TYPES, target_addresses
from xsfabric.model.xen import Host, Network, Pbd, Pif, Pool, Role, Sr, Vif, Vm

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Roles that separate traffic classes (internal and unused networks never leave the host).
TRAFFIC_ROLES: tuple[Role, ...] = (Role.MANAGEMENT, Role.STORAGE, Role.GUEST)


@dataclass(frozen=True, slots=True)
class Target:
    """One IP-based SR as one host connects to it."""

    pbd: Pbd
    sr: Sr
    host: Host
    addresses: tuple[IPAddress, ...]
    unresolved: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Route:
    """How a host reaches an address: the PIF whose subnet holds it, or none (a gateway)."""

    address: IPAddress
    pif: Pif | None

    @property
    def via_gateway(self) -> bool:
        return self.pif is None


class PoolFacts:
    """Derived facts of one pool; built once per audit by :meth:`RuleContext.facts`."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        self.mgmt_pif: dict[str, Pif] = {}
        #: Non-management PIFs with an IP configuration, per host.
        self.ip_pifs: dict[str, list[Pif]] = {}
        self.guest_vifs: dict[str, list[tuple[Vif, Vm]]] = {}
        self.template_vifs: dict[str, list[tuple[Vif, Vm]]] = {}
        self.targets: list[Target] = []
        self.storage_networks: dict[str, str] = {}  # network uuid → reason
        #: Per host, per physical NIC PIF uuid: role → the PIFs that give the NIC that role.
        self.nic_roles: dict[str, dict[str, dict[Role, list[Pif]]]] = {}
        self._index_pifs()
        self._index_vifs()
        self._index_targets()
        self._find_storage_networks()
        self._index_nic_roles()

    # -- builders ---------------------------------------------------------------------------

    def _index_pifs(self) -> None:
        for pif in self.pool.pifs.values():
            if pif.management:
                self.mgmt_pif.setdefault(pif.host_uuid, pif)
            elif pif.has_ip:
                self.ip_pifs.setdefault(pif.host_uuid, []).append(pif)

    def _index_vifs(self) -> None:
        for vif in self.pool.vifs.values():
            vm = self.pool.vms.get(vif.vm_uuid or "")
            if vm is None or vif.network_uuid is None:
                continue
            if vm.is_guest:
                self.guest_vifs.setdefault(vif.network_uuid, []).append((vif, vm))
            elif vm.is_a_template and not vm.is_control_domain:
                self.template_vifs.setdefault(vif.network_uuid, []).append((vif, vm))

    def _index_targets(self) -> None:
        for pbd in self.pool.pbds.values():
            sr = self.pool.srs.get(pbd.sr_uuid or "")
            host = self.pool.hosts.get(pbd.host_uuid or "")
            if sr is None or host is None or sr.type not in IP_SR_TYPES:
                continue
            addresses, unresolved = target_addresses(pbd.device_config, self.pool.resolved)
            self.targets.append(Target(pbd, sr, host, tuple(addresses), tuple(unresolved)))

    def _find_storage_networks(self) -> None:
        """A storage network: said so by policy or tag; else a secondary interface that
        reaches an SR target, is marked for storage in XenCenter, or carries no guest VIFs.

        A secondary IP on a network with guest VIFs that reaches no SR target is a control
        domain IP on a guest network (G11), not a storage network.
        """
        reached: set[str] = set()
        for target in self.targets:
            for address in target.addresses:
                pif = self.route(target.host.uuid, address).pif
                if pif is not None and not pif.management and pif.network_uuid:
                    reached.add(pif.network_uuid)
        for network in self.pool.networks.values():
            if network.role_source != "inferred":
                if network.role == Role.STORAGE:
                    self.storage_networks[network.uuid] = network.role_reason
                continue
            for pif_uuid in network.pif_uuids:
                pif = self.pool.pifs[pif_uuid]
                if pif.management or not pif.has_ip:
                    continue
                if network.uuid in reached:
                    self.storage_networks[network.uuid] = "a host reaches an SR target over it"
                elif pif.other_config.get("management_purpose"):
                    self.storage_networks[network.uuid] = (
                        f"PIF marked '{pif.other_config['management_purpose']}'"
                    )
                elif network.uuid not in self.guest_vifs:
                    self.storage_networks[network.uuid] = (
                        f"secondary interface {pif.device} with an IP, no guest VIFs"
                    )
                else:
                    continue
                break

    def _index_nic_roles(self) -> None:
        """Roles per host NIC from what *this host* does: its management PIF, its storage
        IP, guests on the network (VMs move between hosts), or the policy's word."""
        for pif in self.pool.pifs.values():
            network = self.pool.networks.get(pif.network_uuid or "")
            if network is None:
                continue
            roles = self.pif_roles(pif, network)
            if not roles:
                continue
            per_host = self.nic_roles.setdefault(pif.host_uuid, {})
            for nic in pif.physical_pif_uuids:
                per_nic = per_host.setdefault(nic, {})
                for role in roles:
                    per_nic.setdefault(role, []).append(pif)

    # -- queries ----------------------------------------------------------------------------

    def host_label(self, host_uuid: str | None) -> str:
        host = self.pool.hosts.get(host_uuid or "")
        return (host.name_label or host.hostname) if host else str(host_uuid)

    def is_storage(self, network: Network) -> bool:
        return network.uuid in self.storage_networks

    def is_management(self, network: Network) -> bool:
        if network.role_source != "inferred":
            return network.role == Role.MANAGEMENT or any(
                self.pool.pifs[p].management for p in network.pif_uuids
            )
        return Role.MANAGEMENT in network.uses

    def roles(self, network: Network) -> set[Role]:
        """The traffic roles a network really carries (management, storage, guest)."""
        if network.role_source != "inferred":
            return {network.role} & set(TRAFFIC_ROLES)
        roles: set[Role] = {r for r in network.uses if r in (Role.MANAGEMENT, Role.GUEST)}
        if self.is_storage(network):
            roles.add(Role.STORAGE)
        return roles

    def pif_roles(self, pif: Pif, network: Network) -> set[Role]:
        """The traffic roles one host's PIF carries."""
        roles: set[Role] = {Role.MANAGEMENT} if pif.management else set()
        if network.role_source != "inferred":
            if network.role in TRAFFIC_ROLES:
                roles.add(network.role)
            return roles
        if pif.has_ip and not pif.management and self.is_storage(network):
            roles.add(Role.STORAGE)
        if network.uuid in self.guest_vifs:
            roles.add(Role.GUEST)
        return roles

    def route(self, host_uuid: str, address: IPAddress) -> Route:
        """The PIF of the host whose subnet holds the address (a storage PIF before the
        management PIF); no PIF means the traffic leaves through a gateway."""
        for pif in self.ip_pifs.get(host_uuid, []):
            iface = pif.interface
            if iface is not None and address in iface.network:
                return Route(address, pif)
        mgmt = self.mgmt_pif.get(host_uuid)
        iface = mgmt.interface if mgmt is not None else None
        if iface is not None and address in iface.network:
            return Route(address, mgmt)
        return Route(address, None)

    def storage_pifs(self, host_uuid: str) -> list[Pif]:
        return [
            p for p in self.ip_pifs.get(host_uuid, []) if p.network_uuid in self.storage_networks
        ]

    def link_of(self, nic_uuid: str) -> Pif:
        """The link a physical NIC belongs to: its bond master, or the NIC itself, so that
        a bond's members are reported once, as the bond."""
        nic = self.pool.pifs[nic_uuid]
        bond = self.pool.bonds.get(nic.bond_slave_of or "")
        if bond is not None and bond.master_uuid in self.pool.pifs:
            return self.pool.pifs[bond.master_uuid]
        return nic

    def links(self, host_uuid: str) -> list[tuple[Pif, dict[Role, list[Pif]]]]:
        """Per link (NIC or bond) of a host: role → PIFs, each link once, sorted by device."""
        found: dict[str, tuple[Pif, dict[Role, list[Pif]]]] = {}
        for nic_uuid, roles in self.nic_roles.get(host_uuid, {}).items():
            link = self.link_of(nic_uuid)
            found.setdefault(link.uuid, (link, roles))
        return sorted(found.values(), key=lambda item: item[0].device)

    def nic_device(self, nic_uuid: str) -> str:
        pif = self.pool.pifs.get(nic_uuid)
        return pif.device if pif else nic_uuid
