"""The XenServer side of the estate model: typed records with resolved relationships.

Objects are identified by UUID, never by name (names repeat; refs are per-database). Every
relationship is resolved to UUIDs once, at build time, so rules never walk refs or scan lists.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

#: MAC every VLAN PIF carries; it never identifies a NIC.
VLAN_PIF_MAC = "fe:ff:ff:ff:ff:ff"


class Role(StrEnum):
    """Traffic role of a network, in precedence order (the first observed use wins)."""

    MANAGEMENT = "management"
    STORAGE = "storage"
    GUEST = "guest"
    INTERNAL = "internal"
    UNUSED = "unused"


ROLE_ORDER: tuple[Role, ...] = tuple(Role)


@dataclass(slots=True)
class Host:
    uuid: str
    name_label: str
    hostname: str
    address: str
    enabled: bool
    #: None when the dump predates the field (xapi < 22.27).
    https_only: bool | None
    software_version: dict[str, str] = field(default_factory=dict)
    other_config: dict[str, str] = field(default_factory=dict)
    pif_uuids: list[str] = field(default_factory=list)
    pbd_uuids: list[str] = field(default_factory=list)
    control_domain_uuid: str | None = None
    multipathing: bool | None = None
    #: ``host.iscsi_iqn`` (empty where the dump predates it; see ``other_config:iscsi_iqn``).
    iscsi_iqn: str = ""


@dataclass(slots=True)
class Pif:
    uuid: str
    host_uuid: str
    device: str
    mac: str
    vlan: int  # -1 = untagged
    physical: bool
    management: bool
    network_uuid: str | None
    currently_attached: bool
    ip_mode: str  # None, DHCP, Static
    ip: str
    netmask: str
    gateway: str
    ipv6_mode: str
    ipv6: list[str]
    dns: str
    mtu: int | None
    disallow_unplug: bool
    other_config: dict[str, str]
    #: Bond this PIF is the master of / a member of (bond UUIDs).
    bond_master_of: str | None = None
    bond_slave_of: str | None = None
    #: For a VLAN PIF: the VLAN object and the PIF it tags (a NIC or a bond master).
    vlan_master_of: str | None = None
    tagged_pif_uuid: str | None = None
    #: Physical NIC PIFs underneath (self for a NIC; members for a bond; resolved for VLANs).
    physical_pif_uuids: tuple[str, ...] = ()
    #: PIF_metrics facts.
    carrier: bool | None = None
    speed_mbps: int | None = None
    lldp_neighbor: dict[str, str] = field(default_factory=dict)
    #: The dump holds PIF_metrics.lldp_neighbor for this PIF (newer xapi): an empty
    #: lldp_neighbor then means "nothing heard", not "not collected".
    lldp_known: bool = False

    @property
    def has_ip(self) -> bool:
        return bool(self.ip) or bool(self.ipv6) or self.ip_mode.lower() == "dhcp"

    @property
    def interface(self) -> ipaddress.IPv4Interface | None:
        """The IPv4 address with its subnet, when both are known and valid."""
        if not self.ip or not self.netmask:
            return None
        try:
            return ipaddress.IPv4Interface(f"{self.ip}/{self.netmask}")
        except ValueError:
            return None

    @property
    def is_bond_master(self) -> bool:
        return self.bond_master_of is not None

    @property
    def is_vlan(self) -> bool:
        return self.vlan >= 0


@dataclass(slots=True)
class Network:
    uuid: str
    name_label: str
    name_description: str
    bridge: str
    mtu: int | None
    other_config: dict[str, str]
    tags: list[str]
    default_locking_mode: str  # "unlocked" or "disabled"; "" when the dump predates it
    pif_uuids: list[str] = field(default_factory=list)
    vif_uuids: list[str] = field(default_factory=list)
    role: Role = Role.UNUSED
    #: Every use observed (a misconfigured network can be management and guest at once).
    uses: set[Role] = field(default_factory=set)
    role_reason: str = ""
    role_source: str = "inferred"  # "inferred", "policy", "tag"
    #: Intent (policy file or XenCenter tags); None = nobody said.
    internet_facing: bool | None = None
    untrusted: bool | None = None
    #: VLAN tags of the PIFs on this network (empty: untagged or no PIFs).
    vlan_tags: set[int] = field(default_factory=set)


@dataclass(slots=True)
class Vm:
    uuid: str
    name_label: str
    is_control_domain: bool
    is_a_template: bool
    is_a_snapshot: bool
    power_state: str
    resident_on: str | None
    tags: list[str]
    other_config: dict[str, str]
    vif_uuids: list[str] = field(default_factory=list)
    #: Intent (policy file or XenCenter tags); None = nobody said.
    sensitive: bool | None = None
    untrusted: bool | None = None

    @property
    def is_guest(self) -> bool:
        """A real guest: not dom0, not a template, not a snapshot."""
        return not (self.is_control_domain or self.is_a_template or self.is_a_snapshot)


@dataclass(slots=True)
class Vif:
    uuid: str
    device: str
    mac: str
    vm_uuid: str | None
    network_uuid: str | None
    currently_attached: bool
    locking_mode: str  # network_default, locked, unlocked, disabled ("" if predates)
    ipv4_allowed: list[str]
    ipv6_allowed: list[str]
    other_config: dict[str, str]
    #: locking_mode with network_default replaced by the network's default_locking_mode.
    effective_locking_mode: str = ""


@dataclass(slots=True)
class Pbd:
    uuid: str
    host_uuid: str | None
    sr_uuid: str | None
    device_config: dict[str, str]
    currently_attached: bool
    other_config: dict[str, str]


@dataclass(slots=True)
class Sr:
    uuid: str
    name_label: str
    type: str
    content_type: str
    shared: bool
    other_config: dict[str, str]
    sm_config: dict[str, str]
    pbd_uuids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Bond:
    uuid: str
    master_uuid: str | None
    slave_uuids: list[str]
    mode: str
    primary_slave_uuid: str | None


@dataclass(slots=True)
class VlanObj:
    uuid: str
    tag: int
    tagged_pif_uuid: str | None
    untagged_pif_uuid: str | None


@dataclass(slots=True)
class Tunnel:
    uuid: str
    access_pif_uuid: str | None
    transport_pif_uuid: str | None
    protocol: str


@dataclass(slots=True)
class Pool:
    """One pool, as collected from one xapi database (live or dump)."""

    name: str  # the snapshot's device name for this pool
    uuid: str
    name_label: str
    master_uuid: str | None
    other_config: dict[str, str]
    tags: list[str]
    source: str  # xenapi or xapi-db
    collected_at: str | None
    names_unresolved: bool
    resolved: dict[str, list[str]]
    hosts: dict[str, Host] = field(default_factory=dict)
    pifs: dict[str, Pif] = field(default_factory=dict)
    networks: dict[str, Network] = field(default_factory=dict)
    vms: dict[str, Vm] = field(default_factory=dict)
    vifs: dict[str, Vif] = field(default_factory=dict)
    srs: dict[str, Sr] = field(default_factory=dict)
    pbds: dict[str, Pbd] = field(default_factory=dict)
    bonds: dict[str, Bond] = field(default_factory=dict)
    vlans: dict[str, VlanObj] = field(default_factory=dict)
    tunnels: dict[str, Tunnel] = field(default_factory=dict)
    #: Intent: production / staging / test / development, and trust; None = nobody said.
    environment: str | None = None
    trust: str | None = None
    intent_source: dict[str, str] = field(default_factory=dict)
    #: Expected NIC layout (device → role) from the policy, if any.
    expected_nic_layout: dict[str, str] = field(default_factory=dict)
    #: Facts the builder could not establish, for "not checked" reasons and warnings.
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def https_only(self) -> bool | None:
        """The pool shows the AND of its hosts; None if any host predates the field."""
        values = [h.https_only for h in self.hosts.values()]
        if not values or any(v is None for v in values):
            return None
        return all(values)

    def dom0_of(self, host_uuid: str) -> Vm | None:
        host = self.hosts.get(host_uuid)
        if host is None or host.control_domain_uuid is None:
            return None
        return self.vms.get(host.control_domain_uuid)

    def management_pifs(self) -> list[Pif]:
        return [p for p in self.pifs.values() if p.management]
