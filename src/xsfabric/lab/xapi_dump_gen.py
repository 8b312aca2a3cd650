"""Generate realistic xapi database dumps from an estate description.

The output looks like what ``xe pool-dump-database`` writes on current xapi: the modern
``%``-escaped format (:func:`xsfabric.xapi.dbdump.format_dump`), dump field names as xapi
writes them (``name__label``, but ``pool.name_label``), every value a string, refs and UUIDs
on both sides of every relationship (``host.PIFs`` and ``PIF.host``, ``network.PIFs``/``VIFs``,
``VM.VIFs``, ``Bond.slaves`` and ``PIF.bond_slave_of``, ``VLAN_master_of``/``VLAN_slave_of``,
``SR.PBDs`` and ``host.PBDs`` …), VLAN PIFs with MAC ``fe:ff:ff:ff:ff:ff`` and
``physical=false``, bond masters with their primary member's MAC, one dom0 per host, and real
values in the ``secret`` table (a full ``pool-dump-database`` carries them), so that redaction
has something to remove.

Deterministic: UUIDs and refs are uuid5 of the seed, the pool and the object's *name* (so
adding a VM does not renumber the hosts), and MACs are hashed from the same keys and then
de-duplicated in a fixed order. The same spec always gives byte-identical dumps.
"""

from __future__ import annotations

import hashlib
import io
import ipaddress
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from xsfabric.lab.estate import (
    NIC_DEVICE,
    EstateError,
    EstateSpec,
    IpSpec,
    NetworkSpec,
    PoolSpec,
    SrSpec,
    VmSpec,
    cabling_lldp,
    fill,
    generator_main,
    host_index,
    network_names,
    nic_count,
    resolved_overrides,
    validate_estate,
    validate_pool,
    wildcard,
)
from xsfabric.model.build import build_pool
from xsfabric.model.xen import Pool
from xsfabric.xapi.dbdump import XapiDatabase, format_dump, parse_dump
from xsfabric.xapi.records import PoolRecords, records_from_dump
from xsfabric.xapi.sexpr import format_map, format_set

NULL = "OpaqueRef:NULL"
XEN_OUI = "00:16:3e"
VLAN_MAC = "fe:ff:ff:ff:ff:ff"
#: xapi's database schema of XenServer 8 / XCP-ng 8.3 era dumps.
SCHEMA_MINOR = "786"
#: A fixed clock, so dumps are byte-identical whenever they are generated.
TIMESTAMP = "20250101T00:00:00Z"
ISO_SR_TYPES = frozenset({"iso"})
LOCAL_SR_TYPES = frozenset({"lvm", "ext", "file", "udev", "largeblock"})
ISCSI_SR_TYPES = frozenset({"lvmoiscsi", "iscsi", "lvmoiscsi2"})


def _b(value: bool) -> str:
    return "true" if value else "false"


def _s(values: Iterable[str]) -> str:
    return format_set(list(values))


def _m(values: Mapping[str, str]) -> str:
    return format_map(dict(values))


class MacAllocator:
    """Unique MACs in fixed order: a hash of the object's key, bumped past any MAC already
    given out or reserved. Explicit MACs from the spec are reserved first, so a generated MAC
    never collides with a planted one by accident (planted duplicates stay intended)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def reserve(self, mac: str) -> None:
        self.used.add(mac.lower())

    def reserve_pool(self, pool: PoolSpec) -> None:
        for vm in pool.vms:
            for vif in vm.vifs:
                if vif.mac:
                    self.reserve(vif.mac)
        for override in pool.overrides.values():
            for mac in override.macs.values():
                self.reserve(mac)

    def allocate(self, prefix: str, key: str) -> str:
        value = int.from_bytes(hashlib.sha256(key.encode()).digest()[:3], "big")
        while True:
            mac = f"{prefix}:{value >> 16:02x}:{(value >> 8) & 0xFF:02x}:{value & 0xFF:02x}"
            if mac not in self.used:
                self.used.add(mac)
                return mac
            value = (value + 1) % (1 << 24)


class _Ids:
    """uuid5 identities from seed, pool and object key: stable under unrelated edits."""

    def __init__(self, seed: str, pool: str) -> None:
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"xsfabric-estate:{seed}:{pool}")
        self.seen: set[str] = set()

    def key(self, key: str) -> str:
        """Make a key unique (objects of the same name get #2, #3 …), in a fixed order."""
        unique, n = key, 1
        while unique in self.seen:
            n += 1
            unique = f"{key}#{n}"
        self.seen.add(unique)
        return unique

    def uuid(self, key: str) -> str:
        return str(uuid.uuid5(self.namespace, "uuid:" + key))

    def ref(self, key: str) -> str:
        return "OpaqueRef:" + str(uuid.uuid5(self.namespace, "ref:" + key))


@dataclass(slots=True)
class _Net:
    ref: str
    row: dict[str, str]
    spec: NetworkSpec | None
    device: str  # "" for internal
    vlan: int  # -1 untagged
    pifs: list[str] = field(default_factory=list)
    vifs: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Host:
    index: int
    name: str
    ref: str
    uuid: str
    dom0_ref: str
    nics: int
    https_only: bool | None
    multipathing: bool
    pifs: list[str] = field(default_factory=list)
    pbds: list[str] = field(default_factory=list)
    resident: list[str] = field(default_factory=list)
    address: str = ""


class _PoolBuilder:
    """Builds the tables of one pool; one method per class, in dependency order."""

    def __init__(
        self,
        pool: PoolSpec,
        macs: MacAllocator,
        heard: Mapping[tuple[str, str], Mapping[str, str]] | None = None,
    ) -> None:
        self.pool = pool
        self.macs = macs
        #: (host, NIC) → the LLDP neighbour its cabling implies (below explicit patterns).
        self.heard = heard or {}
        self.ids = _Ids(pool.seed, pool.name)
        self.db = XapiDatabase()
        self.tables: dict[str, dict[str, dict[str, str]]] = {
            name: {}
            for name in (
                "Bond",
                "PBD",
                "PIF",
                "PIF_metrics",
                "SR",
                "VIF",
                "VLAN",
                "VM",
                "VM_guest_metrics",
                "host",
                "network",
                "pool",
                "secret",
                "tunnel",
            )
        }
        self.clock = 0
        self.overrides = resolved_overrides(pool)
        self.declared = network_names(pool)
        self.hosts: list[_Host] = []
        self.nets: dict[tuple[str, int], _Net] = {}  # (device, vlan) → network
        self.internal: dict[str, _Net] = {}  # name → internal network
        self.bridge_counter = 0
        self.max_nics = max(nic_count(pool, i) for i in range(1, len(pool.names_of_hosts()) + 1))

    # ------------------------------------------------------------------ helpers

    def row(self, cls: str, key: str, fields: dict[str, str]) -> tuple[str, dict[str, str]]:
        """Add a row; ``key`` names the object for its uuid5 identity."""
        unique = self.ids.key(f"{cls}/{key}")
        ref = self.ids.ref(unique)
        self.clock += 1
        row = {
            "__ctime": str(self.clock),
            "__mtime": str(self.clock),
            "_ref": ref,
            "uuid": self.ids.uuid(unique),
        }
        row.update(fields)
        self.tables[cls][ref] = row
        return ref, row

    def target(self, name: str) -> tuple[str, int]:
        """(device, vlan) of a network named by the spec: a declared name, a device, or a
        default NIC network name."""
        found = self.declared.get(name)
        if found:
            net = found[0]
            return net.on, -1 if net.vlan is None else net.vlan
        if NIC_DEVICE.match(name) or name.startswith("bond"):
            return name, -1
        for n in range(self.max_nics):
            if fill(self.pool.default_network_name, device=f"eth{n}", i=n) == name:
                return f"eth{n}", -1
        raise EstateError(self.pool.source, f"pool {self.pool.name}: unknown network {name!r}")

    def network_ref(self, name: str) -> _Net:
        found = self.declared.get(name)
        if found and not found[0].on:
            return self.internal[name]
        return self.nets[self.target(name)]

    # ------------------------------------------------------------------ build

    def build(self) -> XapiDatabase:
        self.build_hosts()
        self.build_networks()
        self.build_pifs()
        self.build_dom0s()
        self.build_vms()
        self.build_storage()
        self.finish_hosts()
        self.finish_networks()
        self.build_pool()
        self.db.manifest = {
            "schema_major_vsn": "5",
            "schema_minor_vsn": SCHEMA_MINOR,
            "generation_count": str(self.clock),
        }
        self.db.tables = {name: self.tables[name] for name in sorted(self.tables)}
        return self.db

    def build_hosts(self) -> None:
        for index, name in enumerate(self.pool.names_of_hosts(), start=1):
            override = self.overrides.get(index)
            https = self.pool.https_only
            multipath = self.pool.multipathing
            if override is not None:
                https = override.https_only if override.https_only is not None else https
                if override.multipathing is not None:
                    multipath = override.multipathing
            # Host names are unique (validated), so they key the host directly; the host row
            # is written last, when its PIFs, PBDs and resident VMs are known.
            ref, uuid_ = self.ids.ref(f"host/{name}"), self.ids.uuid(f"host/{name}")
            self.hosts.append(
                _Host(
                    index=index,
                    name=name,
                    ref=ref,
                    uuid=uuid_,
                    dom0_ref=NULL,
                    nics=nic_count(self.pool, index),
                    https_only=https,
                    multipathing=multipath,
                )
            )

    def new_bridge(self) -> str:
        bridge = f"xapi{self.bridge_counter}"
        self.bridge_counter += 1
        return bridge

    def add_network(
        self, spec: NetworkSpec | None, device: str, vlan: int, name: str, bridge: str
    ) -> _Net:
        key = f"{device}.{vlan}" if device else f"internal/{name}"
        mtu = spec.mtu if spec else 1500
        other = dict(spec.other_config) if spec else {}
        if spec is not None and not spec.on:
            other.setdefault("automatic", "false")
        elif device:
            other.setdefault("automatic", "true" if spec is None else "false")
        ref, row = self.row(
            "network",
            key,
            {
                "name__label": name,
                "name__description": spec.description if spec else "",
                "allowed_operations": "()",
                "current_operations": "()",
                "VIFs": "()",
                "PIFs": "()",
                "MTU": str(mtu),
                "other_config": _m(other),
                "bridge": bridge,
                "managed": "true",
                "blobs": "()",
                "tags": _s(spec.tags) if spec else "()",
                "default_locking_mode": spec.default_locking_mode if spec else "unlocked",
                "assigned_ips": "()",
                "purpose": "()",
            },
        )
        net = _Net(ref=ref, row=row, spec=spec, device=device, vlan=vlan)
        if device:
            self.nets[(device, vlan)] = net
        return net

    def build_networks(self) -> None:
        declared_at = {
            (n.on, -1 if n.vlan is None else n.vlan): n for n in self.pool.networks if n.on
        }
        for n in range(self.max_nics):
            device = f"eth{n}"
            spec = declared_at.get((device, -1))
            name = (
                spec.name
                if spec and spec.name
                else fill(self.pool.default_network_name, device=device, i=n)
            )
            self.add_network(
                spec, device, -1, name, (spec.bridge if spec and spec.bridge else f"xenbr{n}")
            )
        for device, bond in self.pool.bond_devices():
            spec = declared_at.get((device, -1))
            numbers = "+".join(NIC_DEVICE.sub(r"\1", m) for m in bond.members)
            name = spec.name if spec and spec.name else f"Bond {numbers}"
            self.add_network(
                spec, device, -1, name, spec.bridge if spec and spec.bridge else self.new_bridge()
            )
        for spec in self.pool.networks:
            if spec.on and spec.vlan is not None:
                self.add_network(
                    spec, spec.on, spec.vlan, spec.name, spec.bridge or self.new_bridge()
                )
            elif not spec.on:
                self.internal[spec.name] = self.add_network(
                    spec, "", -1, spec.name, spec.bridge or self.new_bridge()
                )
        if self.pool.internal_network:
            self.add_network(
                NetworkSpec(
                    name="Host internal management network",
                    description="Network on which guests will be assigned a private link-local "
                    "IP address which can be used to talk XenAPI",
                    other_config={
                        "is_guest_installer_network": "true",
                        "is_host_internal_management_network": "true",
                        "ip_begin": "169.254.0.1",
                        "ip_end": "169.254.255.254",
                        "netmask": "255.255.0.0",
                    },
                ),
                "",
                -1,
                "Host internal management network",
                "xenapi",
            )

    # ------------------------------------------------------------------ PIFs

    def ip_plan(
        self, host: _Host
    ) -> tuple[dict[tuple[str, int], tuple[str, IpSpec | None]], tuple[str, int] | None]:
        """Per (device, vlan): the address/prefix this host's PIF gets, and where the
        management interface is."""
        plan: dict[tuple[str, int], tuple[str, IpSpec | None]] = {}
        management: tuple[str, int] | None = None
        override = self.overrides.get(host.index)
        # The management network last: where it lands, its address wins.
        for net in sorted(self.pool.networks, key=lambda n: n.management):
            if net.ip is None or not net.on:
                continue
            where = (net.on, -1 if net.vlan is None else net.vlan)
            if net.management:
                management = where
                if override is not None and override.management:
                    management = self.target(override.management)
                    where = management
            plan[where] = (net.ip.interface(host.index), net.ip)
        if override is not None:
            for name, value in override.ips.items():
                where = self.target(name)
                if value is None:
                    plan.pop(where, None)
                else:
                    plan[where] = (value, None)
        return plan, management

    def build_pifs(self) -> None:
        for host in self.hosts:
            self.build_host_pifs(host)

    def build_host_pifs(self, host: _Host) -> None:
        plan, management = self.ip_plan(host)
        override = self.overrides.get(host.index)
        pifs: dict[tuple[str, int], tuple[str, dict[str, str]]] = {}
        nic_macs: dict[str, str] = {}
        for n in range(host.nics):
            device = f"eth{n}"
            mac = (
                override.macs.get(device) if override is not None else None
            ) or self.macs.allocate(
                self.pool.nic_oui, f"{self.pool.seed}/{self.pool.name}/{host.name}/{device}"
            )
            nic_macs[device] = mac
            pifs[(device, -1)] = self.add_pif(host, device, -1, mac, True, plan, management)
        bonds_here = [
            (d, b) for d, b in self.pool.bond_devices() if all(m in nic_macs for m in b.members)
        ]
        for device, bond in bonds_here:
            mac = nic_macs[bond.primary_member]
            master_ref, master = self.add_pif(host, device, -1, mac, False, plan, management)
            pifs[(device, -1)] = (master_ref, master)
            slave_refs = [pifs[(m, -1)][0] for m in bond.members]
            bond_ref, _ = self.row(
                "Bond",
                f"{host.name}/{device}",
                {
                    "master": master_ref,
                    "slaves": _s(slave_refs),
                    "other_config": "()",
                    "primary_slave": pifs[(bond.primary_member, -1)][0],
                    "mode": bond.mode,
                    "properties": _m(
                        {"hashing_algorithm": "tcpudp_ports"}
                        if bond.mode != "active-backup"
                        else {}
                    ),
                    "links_up": str(len(bond.members)),
                    "auto_update_mac": "true",
                },
            )
            master["bond_master_of"] = _s([bond_ref])
            for member in bond.members:
                pifs[(member, -1)][1]["bond_slave_of"] = bond_ref
        vlan_slaves: dict[str, list[str]] = {}
        for device, vlan in sorted(self.nets):
            if vlan < 0 or (device, -1) not in pifs:
                continue
            vlan_pif_ref, vlan_pif = self.add_pif(
                host, device, vlan, VLAN_MAC, False, plan, management
            )
            tagged_ref, tagged = pifs[(device, -1)]
            vlan_ref, _ = self.row(
                "VLAN",
                f"{host.name}/{device}.{vlan}",
                {
                    "tagged_PIF": tagged_ref,
                    "untagged_PIF": vlan_pif_ref,
                    "tag": str(vlan),
                    "other_config": "()",
                },
            )
            vlan_pif["VLAN_master_of"] = vlan_ref
            vlan_slaves.setdefault(tagged_ref, []).append(vlan_ref)
            tagged["VLAN_slave_of"] = _s(vlan_slaves[tagged_ref])
            pifs[(device, vlan)] = (vlan_pif_ref, vlan_pif)
        host.pifs.extend(ref for ref, _row in pifs.values())
        if management is not None and management in pifs:
            host.address = pifs[management][1]["IP"]
        elif management is not None:
            raise EstateError(
                self.pool.source,
                f"pool {self.pool.name}: host {host.name} has "
                f"no PIF {management[0]} for its management interface",
                self.pool.line,
            )
        self.build_metrics(
            host, pifs, override.lldp if override else {}, override.no_carrier if override else ()
        )

    def add_pif(
        self,
        host: _Host,
        device: str,
        vlan: int,
        mac: str,
        physical: bool,
        plan: Mapping[tuple[str, int], tuple[str, IpSpec | None]],
        management: tuple[str, int] | None,
    ) -> tuple[str, dict[str, str]]:
        net = self.nets[(device, vlan)]
        ip_mode, address, netmask, gateway, dns = "None", "", "", "", ""
        configured = plan.get((device, vlan))
        if configured is not None:
            interface, ip_spec = configured
            iface = ipaddress.IPv4Interface(interface)
            address, netmask = str(iface.ip), str(iface.netmask)
            ip_mode = ip_spec.mode if ip_spec else "Static"
            gateway = ip_spec.gateway if ip_spec else ""
            dns = ip_spec.dns if ip_spec else ""
        is_management = management == (device, vlan)
        other: dict[str, str] = {}
        spec = net.spec
        disallow_unplug = is_management
        if spec is not None and spec.purpose and configured is not None and not is_management:
            other["management_purpose"] = spec.purpose
            disallow_unplug = True
        mtu = spec.mtu if spec is not None else 1500
        suffix = "" if vlan < 0 else f".{vlan}"
        ref, row = self.row(
            "PIF",
            f"{host.name}/{device}{suffix}",
            {
                "device": device,
                "network": net.ref,
                "host": host.ref,
                "MAC": mac,
                "MTU": str(mtu),
                "VLAN": str(vlan),
                "metrics": NULL,
                "physical": _b(physical),
                "currently_attached": "true",
                "ip_configuration_mode": ip_mode,
                "IP": address,
                "netmask": netmask,
                "gateway": gateway,
                "DNS": dns,
                "bond_slave_of": NULL,
                "bond_master_of": "()",
                "VLAN_master_of": NULL,
                "VLAN_slave_of": "()",
                "management": _b(is_management),
                "other_config": _m(other),
                "disallow_unplug": _b(disallow_unplug),
                "tunnel_access_PIF_of": "()",
                "tunnel_transport_PIF_of": "()",
                "ipv6_configuration_mode": "None",
                "IPv6": "()",
                "ipv6_gateway": "",
                "primary_address_type": "IPv4",
                "managed": "true",
                "properties": _m({"gro": "on"}) if physical or device.startswith("bond") else "()",
                "capabilities": "()",
                "igmp_snooping_status": "unknown",
                "sriov_physical_PIF_of": "()",
                "sriov_logical_PIF_of": "()",
                "PCI": NULL,
            },
        )
        net.pifs.append(ref)
        return ref, row

    def build_metrics(
        self,
        host: _Host,
        pifs: Mapping[tuple[str, int], tuple[str, dict[str, str]]],
        lldp_override: Mapping[str, Mapping[str, str]],
        no_carrier: tuple[str, ...],
    ) -> None:
        for (device, vlan), (_ref, pif) in pifs.items():
            physical = pif["physical"] == "true"
            carrier = device not in no_carrier if physical else True
            lldp: Mapping[str, str] = {}
            if physical and carrier:
                pattern = lldp_override.get(device, self.pool.lldp.get(device, {}))
                lldp = {
                    k: fill(v, i=host.index, host=host.name, device=device, pool=self.pool.name)
                    for k, v in pattern.items()
                }
                if not pattern:
                    lldp = dict(self.heard.get((host.name, device), {}))
            number = NIC_DEVICE.sub(r"\1", device) if physical else "0"
            suffix = "" if vlan < 0 else f".{vlan}"
            ref, _ = self.row(
                "PIF_metrics",
                f"{host.name}/{device}{suffix}",
                {
                    "io__read_kbs": "0",
                    "io__write_kbs": "0",
                    "carrier": _b(carrier),
                    "vendor_id": "8086" if physical else "",
                    "vendor_name": self.pool.nic_vendor if physical else "",
                    "device_id": "1572" if physical else "",
                    "device_name": self.pool.nic_model if physical else "",
                    "speed": str(self.pool.nic_speed) if carrier else "0",
                    "duplex": _b(carrier),
                    "pci_bus_path": f"0000:{int(number) // 2 + 1:02x}:00.{int(number) % 2}"
                    if physical
                    else "N/A",
                    "last_updated": TIMESTAMP,
                    "other_config": "()",
                    "lldp_neighbor": _m(lldp),
                },
            )
            pif["metrics"] = ref

    # ------------------------------------------------------------------ VMs

    def build_dom0s(self) -> None:
        for host in self.hosts:
            row = _vm_row(
                f"Control domain on host: {host.name}",
                "The domain which manages physical devices and manages other domains",
                running=True,
            )
            row.update(
                {
                    "is_control_domain": "true",
                    "resident_on": host.ref,
                    "affinity": host.ref,
                    "domid": "0",
                    "other_config": _m({"is_system_domain": "true"}),
                    "memory__static_max": str(8 << 30),
                    "memory__target": str(8 << 30),
                    "VCPUs__max": "16",
                    "VCPUs__at_startup": "16",
                }
            )
            ref, _ = self.row("VM", f"dom0/{host.name}", row)
            host.dom0_ref = ref
            host.resident.append(ref)

    def build_vms(self) -> None:
        counter = 0
        for group in self.pool.vms:
            pinned = host_index(self.pool, group.host) if group.host is not None else None
            for number, name in enumerate(group.names(), start=1):
                host = self.hosts[(pinned or (counter % len(self.hosts)) + 1) - 1]
                counter += 1
                self.build_vm(group, number, name, host)

    def build_vm(self, group: VmSpec, number: int, name: str, host: _Host) -> None:
        running = group.power_state in ("Running", "Paused") and not group.template
        row = _vm_row(name, group.description, running=running)
        other = dict(group.other_config)
        row.update(
            {
                "is_a_template": _b(group.template),
                "power_state": "Halted" if group.template else group.power_state,
                "resident_on": host.ref if running else NULL,
                "domid": str(number) if running else "-1",
                "tags": _s(group.tags),
                "other_config": _m(other),
            }
        )
        vm_ref, vm_row = self.row("VM", f"vm/{name}", row)
        if running:
            host.resident.append(vm_ref)
        vif_refs: list[str] = []
        guest_networks: dict[str, str] = {}
        for position, vif in enumerate(group.vifs):
            net = self.network_ref(vif.network)
            mac = vif.mac or self.macs.allocate(
                XEN_OUI, f"{self.pool.seed}/{self.pool.name}/{name}/{position}"
            )
            address = str(vif.ip.address(number)) if vif.ip is not None else ""
            allowed = [address if a == "auto" else a for a in vif.ipv4_allowed]
            vif_ref, _ = self.row(
                "VIF",
                f"{name}/{position}",
                {
                    "allowed_operations": "()",
                    "current_operations": "()",
                    "device": str(position),
                    "network": net.ref,
                    "VM": vm_ref,
                    "MAC": mac,
                    "MTU": str(vif.mtu),
                    "reserved": "false",
                    "currently_attached": _b(running),
                    "status_code": "0",
                    "status_detail": "",
                    "runtime_properties": "()",
                    "qos__algorithm_type": "",
                    "qos__algorithm_params": "()",
                    "qos__supported_algorithms": "()",
                    "metrics": NULL,
                    "MAC_autogenerated": _b(not vif.mac),
                    "other_config": "()",
                    "locking_mode": vif.locking_mode,
                    "ipv4_allowed": _s(allowed),
                    "ipv6_allowed": _s(vif.ipv6_allowed),
                    "ipv4_configuration_mode": "None",
                    "ipv4_addresses": "()",
                    "ipv4_gateway": "",
                    "ipv6_configuration_mode": "None",
                    "ipv6_addresses": "()",
                    "ipv6_gateway": "",
                    "reserved_pci": NULL,
                },
            )
            net.vifs.append(vif_ref)
            vif_refs.append(vif_ref)
            if address:
                guest_networks[f"{position}/ip"] = address
                guest_networks[f"{position}/ipv4/0"] = address
        vm_row["VIFs"] = _s(vif_refs)
        if running and guest_networks:
            metrics_ref, _ = self.row(
                "VM_guest_metrics",
                name,
                {
                    "os_version": _m(
                        {
                            "name": "Debian GNU/Linux 12 (bookworm)",
                            "distro": "debian",
                            "major": "12",
                            "minor": "5",
                        }
                    ),
                    "PV_drivers_version": _m(
                        {"major": "8", "minor": "4", "micro": "0", "build": "1"}
                    ),
                    "PV_drivers_up_to_date": "true",
                    "memory": "()",
                    "disks": "()",
                    "networks": _m(guest_networks),
                    "other": _m({"feature-suspend": "1", "feature-shutdown": "1"}),
                    "last_updated": TIMESTAMP,
                    "other_config": "()",
                    "live": "true",
                    "can_use_hotplug_vbd": "yes",
                    "can_use_hotplug_vif": "yes",
                    "PV_drivers_detected": "true",
                    "services": "()",
                    "netbios_name": "()",
                },
            )
            vm_row["guest_metrics"] = metrics_ref

    # ------------------------------------------------------------------ storage

    def build_storage(self) -> None:
        default_sr = NULL
        for sr in self.pool.srs:
            hosts = (
                self.hosts
                if sr.hosts is None
                else [self.hosts[(host_index(self.pool, k) or 1) - 1] for k in sr.hosts]
            )
            if sr.per_host:
                for host in hosts:
                    self.build_sr(
                        sr, fill(sr.name, i=host.index, host=host.name, pool=self.pool.name), [host]
                    )
            else:
                ref = self.build_sr(sr, sr.name, hosts)
                if default_sr == NULL and sr.is_shared and sr.type not in ISO_SR_TYPES:
                    default_sr = ref
        self.default_sr = default_sr

    def build_sr(self, sr: SrSpec, name: str, hosts: list[_Host]) -> str:
        content = sr.content_type or ("iso" if sr.type in ISO_SR_TYPES else "user")
        sr_ref, sr_row = self.row(
            "SR",
            f"{name}/{hosts[0].name}" if sr.per_host else name,
            {
                "name__label": name,
                "name__description": sr.description,
                "allowed_operations": _s(
                    [
                        "scan",
                        "plug",
                        "unplug",
                        "pbd_create",
                        "pbd_destroy",
                        "vdi_create",
                        "vdi_destroy",
                    ]
                ),
                "current_operations": "()",
                "VDIs": "()",
                "PBDs": "()",
                "virtual_allocation": "0",
                "physical_utilisation": str(1 << 34),
                "physical_size": str(1 << 40),
                "type": sr.type,
                "content_type": content,
                "shared": _b(sr.is_shared),
                "other_config": _m(sr.other_config),
                "tags": _s(sr.tags),
                "sm_config": _m(sr.sm_config),
                "blobs": "()",
                "local_cache_enabled": "false",
                "introduced_by": NULL,
                "clustered": "false",
                "is_tools_sr": "false",
            },
        )
        pbd_refs: list[str] = []
        for host in hosts:
            override = self.overrides.get(host.index)
            sr_override = override.srs.get(sr.name) if override is not None else None
            if sr_override is not None and not sr_override.pbd:
                continue
            config = dict(sr.device_config)
            if sr_override is not None:
                config.update(sr_override.device_config)
            config = {
                k: fill(v, i=host.index, host=host.name, pool=self.pool.name)
                for k, v in config.items()
            }
            for key in sorted(k for k in config if k.endswith("_secret")):
                _ref, secret = self.row(
                    "secret",
                    f"{name}/{host.name}/{key}",
                    {
                        "value": config[key],
                        "other_config": "()",
                    },
                )
                config[key] = secret["uuid"]
            other = {"storage_driver_domain": host.dom0_ref}
            if sr.type in ISCSI_SR_TYPES:
                other["iscsi_sessions"] = str(sr.paths[0] if sr.paths else 1)
            if sr.paths is not None and host.multipathing:
                other["multipathed"] = "true"
                other[f"mpath-{config['SCSIid']}"] = f"[{sr.paths[0]}, {sr.paths[1]}]"
            pbd_ref, _ = self.row(
                "PBD",
                f"{name}/{host.name}",
                {
                    "host": host.ref,
                    "SR": sr_ref,
                    "device_config": _m(config),
                    "currently_attached": "true",
                    "other_config": _m(other),
                },
            )
            pbd_refs.append(pbd_ref)
            host.pbds.append(pbd_ref)
        sr_row["PBDs"] = _s(pbd_refs)
        return sr_ref

    # ------------------------------------------------------------------ host, network, pool

    def finish_hosts(self) -> None:
        for host in self.hosts:
            self.clock += 1
            row = {
                "__ctime": str(self.clock),
                "__mtime": str(self.clock),
                "_ref": host.ref,
                "uuid": host.uuid,
            }
            row.update(_host_row(self.pool, host))
            self.tables["host"][host.ref] = row

    def finish_networks(self) -> None:
        for net in [*self.nets.values(), *self.internal.values()]:
            net.row["PIFs"] = _s(net.pifs)
            net.row["VIFs"] = _s(net.vifs)

    def build_pool(self) -> None:
        self.row(
            "pool",
            "pool",
            {
                "name_label": self.pool.pool_label,
                "name_description": self.pool.description,
                "master": self.hosts[0].ref,
                "default_SR": self.default_sr,
                "suspend_image_SR": self.default_sr,
                "crash_dump_SR": self.default_sr,
                "other_config": _m(self.pool.other_config),
                "ha_enabled": "false",
                "ha_configuration": "()",
                "ha_statefiles": "()",
                "ha_host_failures_to_tolerate": "0",
                "ha_plan_exists_for": "0",
                "ha_allow_overcommit": "false",
                "ha_overcommitted": "false",
                "blobs": "()",
                "tags": _s(self.pool.tags),
                "gui_config": "()",
                "health_check_config": "()",
                "wlb_url": "",
                "wlb_username": "",
                "wlb_password": NULL,
                "wlb_enabled": "false",
                "wlb_verify_cert": "false",
                "redo_log_enabled": "false",
                "redo_log_vdi": NULL,
                "vswitch_controller": "",
                "restrictions": "()",
                "metadata_VDIs": "()",
                "ha_cluster_stack": "xhad",
                "guest_agent_config": "()",
                "cpu_info": "()",
                "policy_no_vendor_device": "false",
                "live_patching_disabled": "false",
                "igmp_snooping_enabled": "false",
                "uefi_certificates": "",
                "is_psr_pending": "false",
                "tls_verification_enabled": "true",
                "repositories": "()",
                "client_certificate_auth_enabled": "false",
                "client_certificate_auth_name": "",
                "repository_proxy_url": "",
                "repository_proxy_username": "",
                "repository_proxy_password": NULL,
                "migration_compression": "false",
                "coordinator_bias": "true",
            },
        )


def _vm_row(name: str, description: str, running: bool) -> dict[str, str]:
    """The fields of a VM as current xapi dumps them (the ones a guest does not vary)."""
    return {
        "name__label": name,
        "name__description": description,
        "allowed_operations": "()",
        "current_operations": "()",
        "power_state": "Running" if running else "Halted",
        "user_version": "1",
        "is_a_template": "false",
        "is_default_template": "false",
        "suspend_VDI": NULL,
        "resident_on": NULL,
        "scheduled_to_be_resident_on": NULL,
        "affinity": NULL,
        "memory__overhead": str(20 << 20),
        "memory__target": str(4 << 30),
        "memory__static_max": str(4 << 30),
        "memory__dynamic_max": str(4 << 30),
        "memory__dynamic_min": str(4 << 30),
        "memory__static_min": str(1 << 30),
        "VCPUs__params": "()",
        "VCPUs__max": "2",
        "VCPUs__at_startup": "2",
        "actions__after_softreboot": "soft_reboot",
        "actions__after_shutdown": "destroy",
        "actions__after_reboot": "restart",
        "actions__after_crash": "restart",
        "consoles": "()",
        "VIFs": "()",
        "VBDs": "()",
        "VUSBs": "()",
        "crash_dumps": "()",
        "VTPMs": "()",
        "PV__bootloader": "",
        "PV__kernel": "",
        "PV__ramdisk": "",
        "PV__args": "",
        "PV__bootloader_args": "",
        "PV__legacy_args": "",
        "HVM__boot_policy": "BIOS order",
        "HVM__boot_params": _m({"order": "cd"}),
        "HVM__shadow_multiplier": "1.000",
        "platform": _m(
            {
                "device-model": "qemu-upstream-compat",
                "vga": "std",
                "videoram": "8",
                "apic": "true",
                "acpi": "1",
                "pae": "true",
                "nx": "true",
                "viridian": "false",
            }
        ),
        "PCI_bus": "",
        "other_config": "()",
        "domid": "-1",
        "domarch": "",
        "last_boot_CPU_flags": "()",
        "is_control_domain": "false",
        "metrics": NULL,
        "guest_metrics": NULL,
        "last_booted_record": "",
        "recommendations": "",
        "xenstore_data": "()",
        "ha_always_run": "false",
        "ha_restart_priority": "",
        "is_a_snapshot": "false",
        "snapshot_of": NULL,
        "snapshots": "()",
        "snapshot_time": "19700101T00:00:00Z",
        "transportable_snapshot_id": "",
        "blobs": "()",
        "tags": "()",
        "blocked_operations": "()",
        "snapshot_info": "()",
        "snapshot_metadata": "",
        "parent": NULL,
        "children": "()",
        "bios_strings": "()",
        "protection_policy": NULL,
        "is_snapshot_from_vmpp": "false",
        "snapshot_schedule": NULL,
        "is_vmss_snapshot": "false",
        "appliance": NULL,
        "start_delay": "0",
        "shutdown_delay": "0",
        "order": "0",
        "VGPUs": "()",
        "attached_PCIs": "()",
        "suspend_SR": NULL,
        "version": "0",
        "generation_id": "",
        "hardware_platform_version": "0",
        "has_vendor_device": "false",
        "requires_reboot": "false",
        "reference_label": "",
        "domain_type": "hvm",
        "NVRAM": "()",
        "pending_guidances": "()",
    }


def _host_row(pool: PoolSpec, host: _Host) -> dict[str, str]:
    """The fields of a host as current xapi dumps them."""
    row = {
        "name__label": host.name,
        "name__description": "Default install",
        "memory__overhead": str(600 << 20),
        "allowed_operations": _s(
            ["provision", "evacuate", "reboot", "shutdown", "vm_start", "vm_resume", "vm_migrate"]
        ),
        "current_operations": "()",
        "API_version__major": "2",
        "API_version__minor": "21",
        "API_version__vendor": "XenSource",
        "API_version__vendor_implementation": "()",
        "enabled": "true",
        "software_version": _m(
            {
                "product_version": pool.product_version,
                "product_version_text": pool.product_version.rsplit(".", 1)[0],
                "product_version_text_short": pool.product_version.rsplit(".", 1)[0],
                "platform_name": "XCP",
                "platform_version": "3.4.0",
                "product_brand": "XenServer",
                "build_number": "release/yangtze/master/8",
                "hostname": host.name,
                "date": "2025-01-01",
                "dbv": "2024.0101",
                "xapi": "24.19",
                "xen": "4.17.4-3",
                "linux": "4.19.0+1",
                "xencenter_min": "2.21",
                "xencenter_max": "2.21",
                "network_backend": "openvswitch",
            }
        ),
        "other_config": _m(
            {
                "agent_start_time": "1735689600.",
                "boot_time": "1735689000.",
                "iscsi_iqn": f"iqn.2025-01.com.example:{host.uuid[:8]}",
                "multipathing": _b(host.multipathing),
                "multipathhandle": "dmp",
            }
        ),
        "capabilities": _s(
            ["xen-3.0-x86_64", "hvm-3.0-x86_32", "hvm-3.0-x86_32p", "hvm-3.0-x86_64"]
        ),
        "cpu_configuration": "()",
        "sched_policy": "credit",
        "supported_bootloaders": _s(["pygrub", "eliloader"]),
        "resident_VMs": _s(host.resident),
        "logging": "()",
        "PIFs": _s(host.pifs),
        "suspend_image_sr": NULL,
        "crash_dump_sr": NULL,
        "crashdumps": "()",
        "patches": "()",
        "updates": "()",
        "PBDs": _s(host.pbds),
        "host_CPUs": "()",
        "cpu_info": _m(
            {
                "cpu_count": "32",
                "socket_count": "2",
                "vendor": "GenuineIntel",
                "speed": "2600.000",
                "modelname": "Intel(R) Xeon(R) Gold 6142 CPU",
            }
        ),
        "hostname": host.name,
        "address": host.address,
        "metrics": NULL,
        "license_params": "()",
        "boot_free_mem": "0",
        "ha_statefiles": "()",
        "ha_network_peers": "()",
        "blobs": "()",
        "tags": "()",
        "external_auth_type": "",
        "external_auth_service_name": "",
        "external_auth_configuration": "()",
        "edition": "xcp-ng",
        "license_server": _m({"address": "localhost", "port": "27000"}),
        "bios_strings": _m(
            {
                "bios-vendor": "Dell Inc.",
                "system-manufacturer": "Dell Inc.",
                "system-product-name": "PowerEdge R640",
            }
        ),
        "power_on_mode": "",
        "power_on_config": "()",
        "local_cache_sr": NULL,
        "chipset_info": _m({"iommu": "true"}),
        "PCIs": "()",
        "PGPUs": "()",
        "PUSBs": "()",
        "ssl_legacy": "false",
        "guest_VCPUs_params": "()",
        "display": "enabled",
        "virtual_hardware_platform_versions": _s(["0", "1", "2"]),
        "control_domain": host.dom0_ref,
        "updates_requiring_reboot": "()",
        "features": "()",
        "iscsi_iqn": f"iqn.2025-01.com.example:{host.uuid[:8]}",
        "multipathing": _b(host.multipathing),
        "uefi_certificates": "",
        "certificates": "()",
        "editions": _s(["xcp-ng"]),
        "pending_guidances": "()",
        "tls_verification_enabled": "true",
        "last_software_update": TIMESTAMP,
        "numa_affinity_policy": "default_policy",
    }
    if host.https_only is not None:
        row["https_only"] = _b(host.https_only)
    return row


# --------------------------------------------------------------------------- entry points


def generate_pool_db(
    pool_spec: PoolSpec,
    macs: MacAllocator | None = None,
    heard: Mapping[tuple[str, str], Mapping[str, str]] | None = None,
) -> XapiDatabase:
    """The xapi database of one pool. Pass one ``macs`` allocator for every pool of an
    estate so that generated MACs are unique across pools too; ``heard``: the LLDP neighbour
    of each cabled (host, NIC), from :func:`xsfabric.lab.estate.cabling_lldp`."""
    validate_pool(pool_spec)
    if macs is None:
        macs = MacAllocator()
        macs.reserve_pool(pool_spec)
    return _PoolBuilder(pool_spec, macs, heard).build()


def pool_model(pool_spec: PoolSpec, macs: MacAllocator | None = None) -> Pool:
    """The model of a generated pool, built the way an import builds it: through the dump's
    bytes, the parser and the record conversion. The shortest path from a fixture spec to
    what rules see."""
    data = format_dump(generate_pool_db(pool_spec, macs))
    records = records_from_dump(parse_dump(data, f"<generated {pool_spec.name}>"))
    return build_pool(pool_spec.name, PoolRecords(records, "xapi-db", names_unresolved=True))


def estate_policy(spec: EstateSpec) -> dict[str, Any] | None:
    """The intent the spec states, as a policy file (schema version 1); None if there is none.

    Pool environment and trust, network role/untrusted/internet-facing and VM
    sensitive/untrusted marks are intent that pool data cannot show, so they go to the policy
    the way a user would write them (VM name patterns become ``*`` wildcards)."""
    pools: dict[str, dict[str, str]] = {}
    networks: list[dict[str, Any]] = []
    vms: list[dict[str, Any]] = []
    for pool in spec.pools:
        intent = {
            k: v
            for k, v in (("environment", pool.environment), ("trust", pool.trust))
            if v is not None
        }
        if intent:
            pools[pool.name] = intent
        for net in pool.networks:
            marks = {
                k: v
                for k, v in (
                    ("role", net.role),
                    ("untrusted", net.untrusted),
                    ("internet_facing", net.internet_facing),
                )
                if v is not None
            }
            if marks:
                name = net.name or fill(
                    pool.default_network_name, device=net.on, i=net.on.removeprefix("eth")
                )
                networks.append({"match": {"name": name, "pool": pool.name}, **marks})
        for vm in pool.vms:
            marks = {
                k: v
                for k, v in (("sensitive", vm.sensitive), ("untrusted", vm.untrusted))
                if v is not None
            }
            if marks:
                vms.append({"match": {"name": wildcard(vm.name), "pool": pool.name}, **marks})
    if not (pools or networks or vms):
        return None
    policy: dict[str, Any] = {"version": 1}
    if pools:
        policy["pools"] = pools
    if networks:
        policy["networks"] = networks
    if vms:
        policy["vms"] = vms
    return policy


def write_estate(spec: EstateSpec, folder: Path) -> list[Path]:
    """Write ``xenserver/<pool>.xml`` for every pool (and ``policy.yaml`` when the spec states
    intent) into ``folder``, a source in the raw-capture layout; returns the files written."""
    validate_estate(spec)
    macs = MacAllocator()
    for pool in spec.pools:
        macs.reserve_pool(pool)
    out = folder / "xenserver"
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    heard = cabling_lldp(spec)
    for pool in spec.pools:
        path = out / f"{pool.name}.xml"
        path.write_bytes(format_dump(generate_pool_db(pool, macs, heard.get(pool.name))))
        written.append(path)
    if spec.arrays:
        from xsfabric.lab.array_gen import write_arrays

        written += write_arrays(spec, folder)
    if spec.fabrics:
        from xsfabric.lab.fc_gen import write_fabrics

        write_fabrics(spec.fabrics, folder / "devices")
        written += sorted((folder / "devices").glob("*/platform"))
    for host, wwpns in spec.hbas:
        # as `cat /sys/class/fc_host/host*/port_name` prints them on dom0
        path = folder / "hba" / f"{host}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"0x{w.replace(':', '').lower()}\n" for w in wwpns))
        written.append(path)
    policy = estate_policy(spec)
    if policy is not None:
        buffer = io.StringIO()
        yaml = YAML(typ="safe", pure=True)
        yaml.default_flow_style = False
        yaml.dump(policy, buffer)
        path = folder / "policy.yaml"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m xsfabric.lab.xapi_dump_gen SPEC.yaml FOLDER``: write an estate's dumps."""
    return generator_main("python -m xsfabric.lab.xapi_dump_gen", main.__doc__, write_estate, argv)


if __name__ == "__main__":
    raise SystemExit(main())
