"""The compact estate description: one small YAML (or Python) spec → whole XenServer pools.

The demo estate, the rule fixtures and the benchmark estates all come from this one format, so
that a fixture can plant exactly one deviation next to clean objects by changing one line.
:mod:`xsfabric.lab.xapi_dump_gen` turns a spec into xapi database dumps; this module only
describes and validates. The full reference is ``docs/estate-format.md``; in short::

    seed: demo                      # optional; UUIDs, refs and MACs derive from seed + names
    pools:
      - name: prod                  # snapshot device name → xenserver/prod.xml
        label: Production           # pool.name_label (default: name)
        environment: production     # intent → policy.yaml (production/staging/test/development)
        trust: trusted              # intent → policy.yaml (trusted/untrusted)
        tags: [env:production]      # pool.tags; other_config: {...} likewise
        hosts: 4                    # or a list of names; host_name: "{pool}-host{i}"
        nics: 4                     # eth0 … eth3 on every host
        https_only: true            # per host, override below; null = field absent (old xapi)
        bonds:
          - {members: [eth2, eth3], mode: lacp}          # bond0 on every host
        networks:
          - {name: Management, on: eth0, management: true,
             ip: {subnet: 10.10.0.0/24, start: 11, gateway: 10.10.0.1}}
          - {name: Storage, on: eth1, purpose: Storage, ip: {subnet: 10.20.0.0/24}}
          - {name: Guest-100, on: bond0, vlan: 100, default_locking_mode: unlocked}
          - {name: Private}                              # no `on`: internal, no PIFs
        vms:
          - {name: "web-{i:02}", count: 20, vifs: [Guest-100]}
        templates:
          - {name: Debian 12, vifs: [Management]}
        srs:
          - {name: NFS, type: nfs, device_config: {server: 10.20.0.5, serverpath: /x,
             nfsversion: "4.1"}}
          - {name: iSCSI, type: lvmoiscsi, device_config: {target: 10.20.0.6,
             targetIQN: "iqn.2001-05.com.example:t1", SCSIid: "36001405aa",
             chapuser: xs, chappassword_secret: s3cret}, paths: [2, 2]}
        overrides:
          3: {management: eth1}     # host 3: management interface on eth1
          2: {https_only: false}

Every untagged NIC or bond without a declared network gets xapi's default network
("Pool-wide network associated with eth1", bridge ``xenbr1``). Names may use ``{i}`` (1-based
index, format specs allowed: ``{i:03}``), ``{pool}`` and ``{host}``; other braces are kept.

Errors name the file and line (:class:`EstateError`, an :class:`InputFileError`). Specs built
in Python get the same checks from :func:`validate_estate`, with ``<spec>`` as the file.
"""

from __future__ import annotations

import argparse
import ipaddress
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from xsfabric.errors import InputFileError, XsfabricError
from xsfabric.lab.array_gen import ArraySpec, parse_arrays
from xsfabric.names import canonical_interface
from xsfabric.yamlfile import line_of, load_yaml


class EstateError(InputFileError):
    """An estate description is malformed or refers to something it does not declare."""


LOCKING_MODES = ("network_default", "locked", "unlocked", "disabled")
NETWORK_LOCKING_MODES = ("unlocked", "disabled")
BOND_MODES = ("active-backup", "balance-slb", "lacp")
IP_MODES = ("Static", "DHCP")
POWER_STATES = ("Running", "Halted", "Suspended", "Paused")
ENVIRONMENTS = ("production", "staging", "test", "development")
TRUST_LEVELS = ("trusted", "untrusted")
ROLES = ("management", "storage", "guest", "internal", "unused")
#: SR types whose SR is shared by default (network or SAN storage).
SHARED_SR_TYPES = frozenset(
    {"nfs", "lvmoiscsi", "iscsi", "smb", "cifs", "lvmohba", "gfs2", "lvmofcoe", "iso"}
)
NIC_DEVICE = re.compile(r"^eth(\d+)$")
BOND_DEVICE = re.compile(r"^bond(\d+)$")
MAC_RE = re.compile(r"^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")
DEFAULT_NETWORK_NAME = "Pool-wide network associated with {device}"
_PLACEHOLDER = re.compile(r"\{(i|pool|host|device)(?::([^{}]*))?\}")


def fill(pattern: str, **values: object) -> str:
    """Substitute the known placeholders only, so other braces in a value survive.

    >>> fill("web-{i:02}.{pool}", i=7, pool="prod")
    'web-07.prod'
    >>> fill("p{ss}word", i=1)
    'p{ss}word'
    """

    def sub(match: re.Match[str]) -> str:
        key, spec = match.group(1), match.group(2)
        if key not in values:
            return match.group(0)
        return format(values[key], spec or "")

    return _PLACEHOLDER.sub(sub, pattern)


def wildcard(pattern: str) -> str:
    """A name pattern as a shell wildcard, for policy matches.

    >>> wildcard("web-{i:02}")
    'web-*'
    """
    return _PLACEHOLDER.sub("*", pattern)


# --------------------------------------------------------------------------- the spec types


@dataclass(frozen=True, slots=True)
class IpSpec:
    """Address allocation in one subnet: object number n (1-based) gets base + start + n - 1."""

    subnet: str
    start: int = 11
    gateway: str = ""
    dns: str = ""
    mode: str = "Static"  # Static or DHCP (a DHCP PIF still shows its leased address)

    @property
    def network(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network(self.subnet, strict=False)

    def address(self, number: int) -> ipaddress.IPv4Address:
        """The address of object ``number`` (1-based)."""
        return self.network.network_address + self.start + number - 1

    def interface(self, number: int) -> str:
        """``address/prefix`` of object ``number``."""
        return f"{self.address(number)}/{self.network.prefixlen}"


@dataclass(frozen=True, slots=True)
class BondSpec:
    """A bond on every host; ``device`` defaults to ``bondN`` by position."""

    members: tuple[str, ...]
    device: str = ""
    mode: str = "active-backup"
    primary: str = ""  # default: the first member
    line: int | None = field(default=None, compare=False, repr=False)

    @property
    def primary_member(self) -> str:
        return self.primary or self.members[0]


@dataclass(frozen=True, slots=True)
class NetworkSpec:
    """A pool network. ``on`` (ethN or bondN) puts a PIF for it on every host; with ``vlan``
    that PIF is a VLAN PIF on the device. Without ``on`` the network is internal (no PIFs)."""

    name: str = ""
    on: str = ""
    vlan: int | None = None
    bridge: str = ""
    mtu: int = 1500
    description: str = ""
    default_locking_mode: str = "unlocked"
    tags: tuple[str, ...] = ()
    other_config: Mapping[str, str] = field(default_factory=dict)
    #: Every host's PIF on this network is its management interface (and gets ``ip``).
    management: bool = False
    #: IP configuration of every host's PIF on this network (host n gets address n).
    ip: IpSpec | None = None
    #: XenCenter's marking of a secondary interface (``management_purpose``), e.g. "Storage".
    purpose: str = ""
    #: Intent, written to policy.yaml (None = not said).
    role: str | None = None
    untrusted: bool | None = None
    internet_facing: bool | None = None
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class VifSpec:
    """A VIF of every instance of a VM group."""

    network: str
    locking_mode: str = "network_default"
    #: Allowed IPv4 addresses; the element "auto" stands for the instance's own ``ip``.
    ipv4_allowed: tuple[str, ...] = ()
    ipv6_allowed: tuple[str, ...] = ()
    #: The guest's address on this VIF (instance n gets address n), shown in guest metrics.
    ip: IpSpec | None = None
    #: Explicit MAC for every instance (plants duplicates on purpose); "" = generated 00:16:3e.
    mac: str = ""
    mtu: int = 1500
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class VmSpec:
    """``count`` VMs (or templates) named by the ``name`` pattern, placed round-robin."""

    name: str
    count: int = 1
    start: int = 1
    vifs: tuple[VifSpec, ...] = ()
    power_state: str = "Running"
    template: bool = False
    description: str = ""
    tags: tuple[str, ...] = ()
    other_config: Mapping[str, str] = field(default_factory=dict)
    #: Pin every instance to one host (name or 1-based index); default round-robin.
    host: str | int | None = None
    #: Intent, written to policy.yaml (None = not said).
    sensitive: bool | None = None
    untrusted: bool | None = None
    line: int | None = field(default=None, compare=False, repr=False)

    def names(self) -> list[str]:
        return [fill(self.name, i=self.start + k) for k in range(self.count)]


@dataclass(frozen=True, slots=True)
class SrSpec:
    """An SR with a PBD on every host (or on ``hosts``); ``per_host`` makes one local SR per
    host. device_config keys ending in ``_secret`` hold the secret's *value*: the generator
    stores it in the ``secret`` table and puts the secret's UUID in device_config."""

    name: str
    type: str
    device_config: Mapping[str, str] = field(default_factory=dict)
    shared: bool | None = None  # default: by type (network/SAN types are shared)
    content_type: str = ""  # default: "iso" for iso SRs, "user" otherwise
    per_host: bool = False
    hosts: tuple[str | int, ...] | None = None
    #: Multipath state reported on each PBD: (active paths, total paths); needs SCSIid.
    paths: tuple[int, int] | None = None
    description: str = ""
    tags: tuple[str, ...] = ()
    other_config: Mapping[str, str] = field(default_factory=dict)
    sm_config: Mapping[str, str] = field(default_factory=dict)
    line: int | None = field(default=None, compare=False, repr=False)

    @property
    def is_shared(self) -> bool:
        if self.shared is not None:
            return self.shared
        return not self.per_host and self.type in SHARED_SR_TYPES


@dataclass(frozen=True, slots=True)
class SrOverride:
    """One host's deviation for one SR: other device_config values, or no PBD at all."""

    device_config: Mapping[str, str] = field(default_factory=dict)
    pbd: bool = True


@dataclass(frozen=True, slots=True)
class HostOverride:
    """How one host deviates from the pool pattern. ``None``/empty = as the pool says."""

    https_only: bool | None = None
    multipathing: bool | None = None
    nics: int | None = None
    #: Where this host's management interface is: a network name or a device (eth1, bond0).
    management: str | None = None
    #: Network name or device → "address/prefix" (a static IP on that PIF) or None (no IP).
    ips: Mapping[str, str | None] = field(default_factory=dict)
    #: Device → MAC (plants duplicate or odd MACs).
    macs: Mapping[str, str] = field(default_factory=dict)
    #: Device → LLDP neighbour map, replacing the pool's pattern for that device.
    lldp: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: Devices without carrier (unplugged cable).
    no_carrier: tuple[str, ...] = ()
    srs: Mapping[str, SrOverride] = field(default_factory=dict)
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class PoolSpec:
    name: str
    label: str = ""
    description: str = ""
    environment: str | None = None
    trust: str | None = None
    tags: tuple[str, ...] = ()
    other_config: Mapping[str, str] = field(default_factory=dict)
    hosts: int = 1
    host_names: tuple[str, ...] = ()  # given: overrides ``hosts`` and ``host_name``
    host_name: str = "{pool}-host{i}"
    nics: int = 2
    nic_speed: int = 10000
    nic_vendor: str = "Intel Corporation"
    nic_model: str = "Ethernet Controller X710 for 10GbE SFP+"
    nic_oui: str = "3c:fd:fe"
    https_only: bool | None = True
    multipathing: bool = False
    bonds: tuple[BondSpec, ...] = ()
    networks: tuple[NetworkSpec, ...] = ()
    vms: tuple[VmSpec, ...] = ()
    srs: tuple[SrSpec, ...] = ()
    #: Device → LLDP neighbour map with placeholders {i} {host} {device} {pool}.
    lldp: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: Host name or 1-based index → deviation.
    overrides: Mapping[str | int, HostOverride] = field(default_factory=dict)
    default_network_name: str = DEFAULT_NETWORK_NAME
    #: xapi's "Host internal management network" (bridge xenapi, no PIFs).
    internal_network: bool = True
    product_version: str = "8.4.0"
    seed: str = "xsfabric"
    source: str = field(default="<spec>", compare=False, repr=False)
    line: int | None = field(default=None, compare=False, repr=False)

    @property
    def pool_label(self) -> str:
        return self.label or self.name

    def names_of_hosts(self) -> list[str]:
        if self.host_names:
            return list(self.host_names)
        return [fill(self.host_name, i=i, pool=self.name) for i in range(1, self.hosts + 1)]

    def bond_devices(self) -> list[tuple[str, BondSpec]]:
        return [(b.device or f"bond{n}", b) for n, b in enumerate(self.bonds)]


#: Switch platforms (netmiko names) the lab renders → their access port names ({n}: 1-based).
SWITCH_PLATFORMS: dict[str, str] = {
    "cisco_ios": "GigabitEthernet1/0/{n}",
    "cisco_nxos": "Ethernet1/{n}",
    "arista_eos": "Ethernet{n}",
    "juniper_junos": "ge-0/0/{n}",
}
#: Platforms with an MLAG / vPC peer link.
PEER_LINK_PLATFORMS = frozenset({"cisco_nxos", "arista_eos"})
COLLECT_METHODS = ("cli", "napalm", "snmp")


@dataclass(frozen=True, slots=True)
class CablingSpec:
    """Host NIC ``nic`` of every host of ``pool`` (or of ``host`` only) → switch ``port``."""

    pool: str
    nic: str
    port: str  # placeholders {i} (host index) and {host}
    host: str | None = None  # host name or 1-based index; None: every host
    native_vlan: int = 1  # the port's access / native VLAN: where untagged networks land
    #: The NIC whose networks the port is set up for (default: the cabled NIC). A different
    #: one plants a swapped cable: the port keeps the other NIC's configuration.
    configured_as: str | None = None
    #: The port's description (default: "<host> <nic>"), e.g. a stale label.
    description: str | None = None
    #: VLANs the port allows beyond what the NIC needs, and needed VLANs it lacks.
    extra_vlans: tuple[int, ...] = ()
    missing_vlans: tuple[int, ...] = ()
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class LagSpec:
    name: str
    members: tuple[str, ...]
    description: str = ""
    vlans: tuple[int, ...] = ()  # allowed on the trunk; () = every VLAN of the switch
    peer_link: bool = False
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class UplinkSpec:
    """A switch-to-switch link: ``port`` here to ``remote_port`` of switch ``to``, announced by
    LLDP or CDP (``cdp``: a CDP-only uplink, as on many Cisco estates)."""

    port: str
    to: str
    remote_port: str
    protocol: str = "lldp"
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class SwitchSpec:
    name: str
    platform: str
    collect: tuple[str, ...] = ("cli",)
    ports: int = 24
    model: str | None = None
    os_version: str | None = None
    serial: str | None = None
    vlans: Mapping[int, str] = field(default_factory=dict)  # VLAN id → name
    cabling: tuple[CablingSpec, ...] = ()
    lags: tuple[LagSpec, ...] = ()
    #: Whether the switch runs LLDP (False: no neighbours on either side of its links).
    lldp: bool = True
    #: The other switch of its MLAG / vPC pair (both name each other).
    mlag_peer: str | None = None
    #: Links to other switches (declared on one end; the other end follows).
    uplinks: tuple[UplinkSpec, ...] = ()
    source: str = field(default="<spec>", compare=False, repr=False)
    line: int | None = field(default=None, compare=False, repr=False)

    def port_names(self) -> list[str]:
        """The access ports, canonical (netutils) names, in order."""
        pattern = SWITCH_PLATFORMS[self.platform]
        return [canonical_interface(pattern.format(n=n)) for n in range(1, self.ports + 1)]


@dataclass(frozen=True, slots=True)
class EstateSpec:
    pools: tuple[PoolSpec, ...]
    seed: str = "xsfabric"
    source: str = field(default="<spec>", compare=False, repr=False)
    switches: tuple[SwitchSpec, ...] = ()
    #: Storage arrays (``xsfabric.lab.array_gen``): their captures join the pools' SRs.
    arrays: tuple[ArraySpec, ...] = ()
    #: FC switches (``lab/fc_gen.py`` descriptions) and the pool hosts' HBA WWPNs by host name.
    fabrics: tuple[Mapping[str, Any], ...] = ()
    hbas: tuple[tuple[str, tuple[str, ...]], ...] = ()


# --------------------------------------------------------------------------- validation


def _err(pool: PoolSpec, message: str, line: int | None = None) -> EstateError:
    return EstateError(pool.source, f"pool {pool.name}: {message}", line or pool.line)


def host_index(pool: PoolSpec, key: str | int) -> int | None:
    """1-based index of a host named by index or name, None if there is no such host."""
    names = pool.names_of_hosts()
    if isinstance(key, int) and not isinstance(key, bool):
        return key if 1 <= key <= len(names) else None
    if isinstance(key, str) and key.isdigit():
        return host_index(pool, int(key))
    return names.index(key) + 1 if key in names else None


def nic_count(pool: PoolSpec, index: int) -> int:
    override = resolved_overrides(pool).get(index)
    return override.nics if override is not None and override.nics is not None else pool.nics


def resolved_overrides(pool: PoolSpec) -> dict[int, HostOverride]:
    """Overrides keyed by 1-based host index (keys given by name or number)."""
    result: dict[int, HostOverride] = {}
    for key, override in pool.overrides.items():
        index = host_index(pool, key)
        if index is None:
            raise _err(pool, f"override for unknown host {key!r}", override.line)
        if index in result:
            raise _err(pool, f"two overrides for host {key!r}", override.line)
        result[index] = override
    return result


def network_names(pool: PoolSpec) -> dict[str, list[NetworkSpec]]:
    """Declared networks by name (the default names of undeclared NIC networks excluded)."""
    names: dict[str, list[NetworkSpec]] = {}
    for net in pool.networks:
        if net.name:
            names.setdefault(net.name, []).append(net)
    return names


def validate_pool(pool: PoolSpec) -> None:
    """Check one pool spec; the first problem raises :class:`EstateError` with its line."""
    if not pool.name or "/" in pool.name or pool.name.startswith("."):
        raise _err(pool, "a pool needs a name usable as a file name")
    if pool.hosts < 1 and not pool.host_names:
        raise _err(pool, "a pool needs at least one host")
    names = pool.names_of_hosts()
    if len(set(names)) != len(names):
        raise _err(pool, f"host names repeat: {names}")
    if pool.nics < 1:
        raise _err(pool, "nics must be at least 1")
    if not re.fullmatch(r"[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}", pool.nic_oui):
        raise _err(pool, f"nic_oui must look like 3c:fd:fe, not {pool.nic_oui!r}")
    if pool.environment is not None and pool.environment not in ENVIRONMENTS:
        raise _err(pool, f"environment must be one of {', '.join(ENVIRONMENTS)}")
    if pool.trust is not None and pool.trust not in TRUST_LEVELS:
        raise _err(pool, f"trust must be one of {', '.join(TRUST_LEVELS)}")
    overrides = resolved_overrides(pool)
    max_nics = max([pool.nics] + [o.nics for o in overrides.values() if o.nics is not None])
    bond_devices = {device for device, _ in pool.bond_devices()}
    members_seen: set[str] = set()
    for device, bond in pool.bond_devices():
        if not BOND_DEVICE.match(device):
            raise _err(pool, f"bond device {device!r} must be bondN", bond.line)
        if len(bond.members) < 2:
            raise _err(pool, f"{device} needs at least two members", bond.line)
        for member in bond.members:
            match = NIC_DEVICE.match(member)
            if not match or int(match.group(1)) >= max_nics:
                raise _err(
                    pool, f"{device} member {member!r} is not one of the host NICs", bond.line
                )
            if member in members_seen:
                raise _err(pool, f"{member} is a member of two bonds", bond.line)
            members_seen.add(member)
        if bond.primary_member not in bond.members:
            raise _err(pool, f"{device} primary {bond.primary!r} is not a member", bond.line)
        if bond.mode not in BOND_MODES:
            raise _err(pool, f"{device} mode must be one of {', '.join(BOND_MODES)}", bond.line)
    if len(bond_devices) != len(pool.bonds):
        raise _err(pool, "two bonds have the same device name")
    for net in pool.networks:
        if net.on in members_seen and (
            net.ip or net.management or net.vlan is not None or net.purpose
        ):
            raise _err(
                pool,
                f"{net.name or net.on}: {net.on} is a bond member; put the network on the bond",
                net.line,
            )
    placed: dict[tuple[str, int], str] = {}
    for net in pool.networks:
        _validate_network(pool, net, max_nics, bond_devices, placed)
    declared = network_names(pool)
    for vm in pool.vms:
        _validate_vm(pool, vm, declared, max_nics, bond_devices)
    sr_names: set[str] = set()
    for sr in pool.srs:
        _validate_sr(pool, sr)
        sr_names.add(sr.name)
    for index, override in overrides.items():
        _validate_override(pool, index, override, declared, bond_devices, sr_names)


def _known_device(device: str, max_nics: int, bond_devices: set[str]) -> bool:
    match = NIC_DEVICE.match(device)
    if match:
        return int(match.group(1)) < max_nics
    return device in bond_devices


def _validate_network(
    pool: PoolSpec,
    net: NetworkSpec,
    max_nics: int,
    bond_devices: set[str],
    placed: dict[tuple[str, int], str],
) -> None:
    label = net.name or f"network on {net.on}"
    if net.on and not _known_device(net.on, max_nics, bond_devices):
        raise _err(pool, f"{label}: 'on: {net.on}' is neither a host NIC nor a bond", net.line)
    if not net.on and not net.name:
        raise _err(pool, "a network without 'on' (internal) needs a name", net.line)
    if net.vlan is not None:
        if not net.on:
            raise _err(pool, f"{label}: a VLAN network needs 'on'", net.line)
        if not 0 <= net.vlan <= 4094:
            raise _err(pool, f"{label}: VLAN tag {net.vlan} is not in 0..4094", net.line)
        if not net.name:
            raise _err(pool, f"VLAN {net.vlan} network on {net.on} needs a name", net.line)
    if net.on:
        key = (net.on, -1 if net.vlan is None else net.vlan)
        if key in placed:
            raise _err(
                pool,
                f"{label}: {net.on} VLAN {net.vlan} already carries "
                f"{placed[key]!r} (one PIF per device and VLAN)",
                net.line,
            )
        placed[key] = label
    if (net.management or net.ip is not None or net.purpose) and not net.on:
        raise _err(pool, f"{label}: management, ip and purpose need 'on'", net.line)
    if net.management and net.ip is None:
        raise _err(pool, f"{label}: a management network needs 'ip'", net.line)
    if net.ip is not None:
        _validate_ip(pool, net.ip, len(pool.names_of_hosts()), label, net.line)
    if net.default_locking_mode not in NETWORK_LOCKING_MODES:
        raise _err(pool, f"{label}: default_locking_mode must be unlocked or disabled", net.line)
    if net.role is not None and net.role not in ROLES:
        raise _err(pool, f"{label}: role must be one of {', '.join(ROLES)}", net.line)
    if not 68 <= net.mtu <= 9216:
        raise _err(pool, f"{label}: MTU {net.mtu} is out of range", net.line)
    if sum(1 for n in pool.networks if n.management) > 1 and net.management:
        raise _err(pool, f"{label}: only one network can be the management network", net.line)


def _validate_ip(pool: PoolSpec, ip: IpSpec, count: int, what: str, line: int | None) -> None:
    try:
        network = ip.network
    except ValueError as exc:
        raise _err(pool, f"{what}: bad subnet {ip.subnet!r}: {exc}", line) from exc
    if ip.mode not in IP_MODES:
        raise _err(pool, f"{what}: ip mode must be Static or DHCP", line)
    if ip.start < 1 or ip.start + count - 1 >= network.num_addresses - 1:
        raise _err(
            pool, f"{what}: {count} addresses from +{ip.start} do not fit in {network}", line
        )
    if ip.gateway:
        try:
            ipaddress.IPv4Address(ip.gateway)
        except ValueError as exc:
            raise _err(pool, f"{what}: bad gateway {ip.gateway!r}", line) from exc


def _validate_vm(
    pool: PoolSpec,
    vm: VmSpec,
    declared: dict[str, list[NetworkSpec]],
    max_nics: int,
    bond_devices: set[str],
) -> None:
    if vm.count < 1:
        raise _err(pool, f"VM {vm.name!r}: count must be at least 1", vm.line)
    if vm.power_state not in POWER_STATES:
        raise _err(
            pool, f"VM {vm.name!r}: power_state must be one of {', '.join(POWER_STATES)}", vm.line
        )
    if vm.host is not None and host_index(pool, vm.host) is None:
        raise _err(pool, f"VM {vm.name!r}: unknown host {vm.host!r}", vm.line)
    for vif in vm.vifs:
        _check_network_ref(
            pool, declared, vif.network, f"VM {vm.name!r} VIF", vif.line, max_nics, bond_devices
        )
        if vif.locking_mode not in LOCKING_MODES:
            raise _err(
                pool,
                f"VM {vm.name!r}: locking_mode must be one of {', '.join(LOCKING_MODES)}",
                vif.line,
            )
        if vif.mac and not MAC_RE.match(vif.mac):
            raise _err(pool, f"VM {vm.name!r}: bad MAC {vif.mac!r}", vif.line)
        if "auto" in vif.ipv4_allowed and vif.ip is None:
            raise _err(pool, f"VM {vm.name!r}: ipv4_allowed 'auto' needs the VIF's ip", vif.line)
        for address in vif.ipv4_allowed:
            if address != "auto":
                try:
                    ipaddress.IPv4Address(address)
                except ValueError as exc:
                    raise _err(
                        pool, f"VM {vm.name!r}: bad allowed IP {address!r}", vif.line
                    ) from exc
        if vif.ip is not None:
            _validate_ip(pool, vif.ip, vm.count, f"VM {vm.name!r} VIF", vif.line)


def _check_network_ref(
    pool: PoolSpec,
    declared: dict[str, list[NetworkSpec]],
    name: str,
    what: str,
    line: int | None,
    max_nics: int,
    bond_devices: set[str],
) -> None:
    if len(declared.get(name, [])) > 1:
        raise _err(pool, f"{what}: network name {name!r} is ambiguous (declared twice)", line)
    if name in declared or _known_device(name, max_nics, bond_devices):
        return
    defaults = {
        fill(pool.default_network_name, device=f"eth{n}", i=n): f"eth{n}" for n in range(max_nics)
    }
    if name in defaults:
        return
    raise _err(pool, f"{what}: unknown network {name!r}", line)


def _validate_sr(pool: PoolSpec, sr: SrSpec) -> None:
    if not sr.name or not sr.type:
        raise _err(pool, "an SR needs a name and a type", sr.line)
    if sr.hosts is not None:
        for key in sr.hosts:
            if host_index(pool, key) is None:
                raise _err(pool, f"SR {sr.name!r}: unknown host {key!r}", sr.line)
    if sr.paths is not None:
        active, total = sr.paths
        if not 0 <= active <= total or total < 1:
            raise _err(
                pool,
                f"SR {sr.name!r}: paths must be [active, total], 0 <= active <= total",
                sr.line,
            )
        if "SCSIid" not in sr.device_config:
            raise _err(pool, f"SR {sr.name!r}: paths need device_config SCSIid", sr.line)


def _validate_override(
    pool: PoolSpec,
    index: int,
    override: HostOverride,
    declared: dict[str, list[NetworkSpec]],
    bond_devices: set[str],
    sr_names: set[str],
) -> None:
    what = f"override for host {index}"
    nics = override.nics if override.nics is not None else pool.nics
    if nics < 1:
        raise _err(pool, f"{what}: nics must be at least 1", override.line)
    targets = ([override.management] if override.management else []) + list(override.ips)
    for target in targets:
        _check_network_ref(pool, declared, target, what, override.line, nics, bond_devices)
    for target, value in override.ips.items():
        if value is not None:
            try:
                ipaddress.IPv4Interface(value)
            except ValueError as exc:
                raise _err(
                    pool,
                    f"{what}: ips[{target}] must be address/prefix, not {value!r}",
                    override.line,
                ) from exc
    for device, mac in override.macs.items():
        if not _known_device(device, nics, bond_devices) or not MAC_RE.match(mac):
            raise _err(pool, f"{what}: macs needs NIC: MAC, not {device}: {mac}", override.line)
    for device in [*override.lldp, *override.no_carrier]:
        if not NIC_DEVICE.match(device):
            raise _err(pool, f"{what}: {device!r} is not a NIC", override.line)
    for name in override.srs:
        if name not in sr_names:
            raise _err(pool, f"{what}: unknown SR {name!r}", override.line)


def validate_estate(spec: EstateSpec) -> None:
    switches = {s.name: s for s in spec.switches}
    for switch in spec.switches:
        peer = switches.get(switch.mlag_peer or "")
        if switch.mlag_peer is not None and (peer is None or peer.mlag_peer != switch.name):
            raise EstateError(
                switch.source,
                f"switch {switch.name}: mlag_peer "
                f"{switch.mlag_peer!r} must be a switch naming {switch.name} "
                "as its mlag_peer",
                switch.line,
            )
    for switch in spec.switches:
        for uplink in switch.uplinks:
            other = switches.get(uplink.to)
            where = f"switch {switch.name}: uplink {uplink.port}"
            if other is None or other is switch:
                raise EstateError(
                    switch.source,
                    f"{where}: 'to' must name another switch, not {uplink.to!r}",
                    uplink.line,
                )
            if uplink.protocol not in ("lldp", "cdp"):
                raise EstateError(
                    switch.source, f"{where}: protocol must be lldp or cdp", uplink.line
                )
            for sw, port in ((switch, uplink.port), (other, uplink.remote_port)):
                if canonical_interface(port) not in sw.port_names():
                    raise EstateError(
                        switch.source, f"{where}: no port {port!r} on {sw.name}", uplink.line
                    )
    names = [p.name for p in spec.pools]
    if len(set(names)) != len(names):
        raise EstateError(spec.source, f"pool names repeat: {names}")
    for pool in spec.pools:
        validate_pool(pool)
    switch_names = [s.name for s in spec.switches]
    if len(set(switch_names)) != len(switch_names):
        raise EstateError(spec.source, f"switch names repeat: {switch_names}")
    cabled: dict[tuple[str, str, str], str] = {}
    for switch in spec.switches:
        validate_switch(spec, switch, cabled)


def cabled_hosts(pool: PoolSpec, cabling: CablingSpec) -> list[tuple[int, str]]:
    """(1-based index, host name) of the hosts a cabling row covers."""
    names = pool.names_of_hosts()
    if cabling.host is None:
        return list(enumerate(names, start=1))
    index = host_index(pool, cabling.host)
    return [] if index is None else [(index, names[index - 1])]


def cabled_port(cabling: CablingSpec, index: int, host: str) -> str:
    return canonical_interface(fill(cabling.port, i=index, host=host))


def port_description(cabling: CablingSpec, index: int, host: str) -> str:
    """The description of a cabled port: the spec's (a planted stale label), else
    ``<host> <nic>`` of the NIC the port is set up for."""
    if cabling.description is not None:
        return fill(cabling.description, i=index, host=host)
    return f"{host} {cabling.configured_as or cabling.nic}"


def cabling_lldp(spec: EstateSpec) -> dict[str, dict[tuple[str, str], dict[str, str]]]:
    """Per pool, (host, NIC) → the LLDP neighbour the NIC hears (``PIF_metrics.lldp_neighbor``),
    derived from the cabling: the switch's name, the port's name and description. Switches
    that do not run LLDP are heard by nobody."""
    pools = {p.name: p for p in spec.pools}
    heard: dict[str, dict[tuple[str, str], dict[str, str]]] = {}
    for switch in spec.switches:
        if not switch.lldp:
            continue
        for cabling in switch.cabling:
            pool = pools.get(cabling.pool)
            if pool is None:
                continue
            for index, host in cabled_hosts(pool, cabling):
                heard.setdefault(pool.name, {})[(host, cabling.nic)] = {
                    "system_name": switch.name,
                    "port_id": cabled_port(cabling, index, host),
                    "port_description": port_description(cabling, index, host),
                }
    return heard


def validate_switch(
    spec: EstateSpec, switch: SwitchSpec, cabled: dict[tuple[str, str, str], str]
) -> None:
    """Platform, methods, ports, LAGs and cabling of one switch; ``cabled`` collects the host
    NICs already cabled (one NIC, one port: a second cable is an error naming both)."""

    def err(message: str, line: int | None = None) -> EstateError:
        return EstateError(switch.source, f"switch {switch.name}: {message}", line or switch.line)

    if switch.platform not in SWITCH_PLATFORMS:
        raise err(
            f"platform {switch.platform!r} is not one the lab renders "
            f"({', '.join(SWITCH_PLATFORMS)})"
        )
    unknown = [m for m in switch.collect if m not in COLLECT_METHODS]
    if unknown:
        raise err(
            f"unknown collection method(s) {', '.join(unknown)} "
            f"(known: {', '.join(COLLECT_METHODS)})"
        )
    if not 1 <= switch.ports <= 96:
        raise err(f"ports must be 1 … 96, not {switch.ports}")
    ports = set(switch.port_names())
    used: dict[str, str] = {}
    for lag in switch.lags:
        if lag.peer_link and switch.platform not in PEER_LINK_PLATFORMS:
            raise err(f"LAG {lag.name}: {switch.platform} has no MLAG / vPC peer link", lag.line)
        for member in lag.members:
            name = canonical_interface(member)
            if name not in ports:
                raise err(f"LAG {lag.name}: no port {member!r} on this switch", lag.line)
            if name in used:
                raise err(f"port {name} is in LAG {used[name]} and LAG {lag.name}", lag.line)
            used[name] = f"LAG {lag.name}"
    for uplink in switch.uplinks:
        name = canonical_interface(uplink.port)
        if name in used:
            raise err(f"uplink: port {name} is in {used[name]}", uplink.line)
        used[name] = f"uplink to {uplink.to}"
    pools = {p.name: p for p in spec.pools}
    for cabling in switch.cabling:
        pool = pools.get(cabling.pool)
        if pool is None:
            raise err(
                f"cabling names pool {cabling.pool!r}, which the estate does not declare",
                cabling.line,
            )
        match = NIC_DEVICE.match(cabling.nic)
        if not match:
            raise err(f"cabling: nic must be ethN, not {cabling.nic!r}", cabling.line)
        if cabling.configured_as is not None and not NIC_DEVICE.match(cabling.configured_as):
            raise err(
                f"cabling: configured_as must be ethN, not {cabling.configured_as!r}", cabling.line
            )
        hosts = cabled_hosts(pool, cabling)
        if not hosts:
            raise err(f"cabling: pool {pool.name} has no host {cabling.host!r}", cabling.line)
        if not 1 <= cabling.native_vlan <= 4094:
            raise err(f"cabling: native_vlan {cabling.native_vlan} is not 1 … 4094", cabling.line)
        for index, host in hosts:
            if int(match.group(1)) >= nic_count(pool, index):
                raise err(f"cabling: host {host} has no {cabling.nic}", cabling.line)
            port = cabled_port(cabling, index, host)
            if port not in ports:
                raise err(
                    f"cabling: no port {port!r} on this switch (ports: "
                    f"{switch.port_names()[0]} … {switch.port_names()[-1]})",
                    cabling.line,
                )
            if port in used:
                raise err(f"cabling: port {port} is taken by {used[port]}", cabling.line)
            used[port] = f"{host} {cabling.nic}"
            key = (pool.name, host, cabling.nic)
            if key in cabled:
                raise err(
                    f"cabling: {host} {cabling.nic} is already cabled to {cabled[key]}",
                    cabling.line,
                )
            cabled[key] = f"{switch.name} {port}"


# --------------------------------------------------------------------------- YAML loading


class _Node:
    """A YAML mapping with its file and line, so every error names where it came from."""

    def __init__(self, data: Any, path: str, line: int | None, what: str) -> None:
        if not isinstance(data, Mapping):
            raise EstateError(path, f"{what} must be a mapping", line)
        self.data = data
        self.path = path
        self.line = line_of(data) or line
        self.what = what

    def check_keys(self, allowed: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in allowed:
                raise self.error(
                    f"unknown key {key!r} in {self.what} (allowed: {', '.join(allowed)})", key
                )

    def line_for(self, key: Any) -> int | None:
        return line_of(self.data, key) or self.line

    def error(self, message: str, key: Any = None) -> EstateError:
        return EstateError(self.path, message, self.line_for(key) if key is not None else self.line)

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(f"{self.what}: {key} must be a string", key)
        return str(value)

    def opt_text(self, key: str) -> str | None:
        return self.text(key) if self.data.get(key) is not None else None

    def integer(self, key: str, default: int) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"{self.what}: {key} must be an integer", key)
        return value

    def opt_integer(self, key: str) -> int | None:
        return None if self.data.get(key) is None else self.integer(key, 0)

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.error(f"{self.what}: {key} must be true or false", key)
        return value

    def opt_flag(self, key: str) -> bool | None:
        return None if self.data.get(key) is None else self.flag(key, False)

    def sequence(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(f"{self.what}: {key} must be a list", key)
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        items = self.sequence(key)
        for item in items:
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise self.error(f"{self.what}: {key} must be a list of strings", key)
        return tuple(str(i) for i in items)

    def string_map(self, key: str) -> dict[str, str]:
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self.error(f"{self.what}: {key} must be a mapping", key)
        result: dict[str, str] = {}
        for k, v in value.items():
            if v is None or not isinstance(v, str | int | float):
                raise self.error(f"{self.what}: {key}.{k} must be a string", key)
            result[str(k)] = ("true" if v else "false") if isinstance(v, bool) else str(v)
        return result

    def child(self, key: str, what: str) -> _Node:
        return _Node(self.data[key], self.path, self.line_for(key), what)

    def items(self, key: str, what: str) -> list[_Node]:
        items = self.sequence(key)
        return [
            _Node(item, self.path, line_of(items, n) or self.line_for(key), what)
            for n, item in enumerate(items)
        ]


_POOL_KEYS = (
    "name",
    "label",
    "description",
    "environment",
    "trust",
    "tags",
    "other_config",
    "hosts",
    "host_name",
    "nics",
    "nic_speed",
    "nic_vendor",
    "nic_model",
    "nic_oui",
    "https_only",
    "multipathing",
    "bonds",
    "networks",
    "vms",
    "templates",
    "srs",
    "lldp",
    "overrides",
    "default_network_name",
    "internal_network",
    "product_version",
    "seed",
)
_NETWORK_KEYS = (
    "name",
    "on",
    "vlan",
    "bridge",
    "mtu",
    "description",
    "default_locking_mode",
    "tags",
    "other_config",
    "management",
    "ip",
    "purpose",
    "role",
    "untrusted",
    "internet_facing",
)
_IP_KEYS = ("subnet", "start", "gateway", "dns", "mode")
_BOND_KEYS = ("members", "device", "mode", "primary")
_VM_KEYS = (
    "name",
    "count",
    "start",
    "vifs",
    "power_state",
    "description",
    "tags",
    "other_config",
    "host",
    "sensitive",
    "untrusted",
)
_VIF_KEYS = ("network", "locking_mode", "ipv4_allowed", "ipv6_allowed", "ip", "mac", "mtu")
_SR_KEYS = (
    "name",
    "type",
    "device_config",
    "shared",
    "content_type",
    "per_host",
    "hosts",
    "paths",
    "description",
    "tags",
    "other_config",
    "sm_config",
)
_OVERRIDE_KEYS = (
    "https_only",
    "multipathing",
    "nics",
    "management",
    "ips",
    "macs",
    "lldp",
    "no_carrier",
    "srs",
)
_SR_OVERRIDE_KEYS = ("device_config", "pbd")


def load_estate(path: Path) -> EstateSpec:
    """Load and validate an estate description; errors name the file and line."""
    data = load_yaml(path, EstateError)
    return parse_estate(data, str(path))


def parse_estate(data: Any, source: str = "<spec>") -> EstateSpec:
    """Build a validated spec from YAML-shaped data (a dict from YAML or from a test)."""
    top = _Node(data, source, 1, "estate")
    top.check_keys(("seed", "pools", "switches", "fabrics", "hbas", "arrays"))
    seed = top.text("seed", "xsfabric")
    if not top.sequence("pools"):
        raise top.error(
            "an estate needs a non-empty 'pools' list", "pools" if top.has("pools") else None
        )
    pools = tuple(_pool(node, seed) for node in top.items("pools", "pool"))
    switches = tuple(_switch(node) for node in top.items("switches", "switch"))
    fabrics, hbas = _fabrics(top, pools)
    spec = EstateSpec(
        pools=pools, seed=seed, source=source, switches=switches, fabrics=fabrics, hbas=hbas
    )
    if top.has("arrays"):
        spec = replace(spec, arrays=parse_arrays(top.raw("arrays"), source))
    validate_estate(spec)
    return spec


def _fabrics(
    top: _Node, pools: tuple[PoolSpec, ...]
) -> tuple[tuple[Mapping[str, Any], ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """The FC block: fabric descriptions (checked by parsing them) and HBA WWPNs of hosts
    that exist in the pools."""
    from xsfabric.lab.fc_gen import parse_fabric

    fabrics = []
    for node in top.items("fabrics", "fabric"):
        try:
            parse_fabric(node.data)
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise node.error(f"fabric: {type(exc).__name__}: {exc}") from None
        fabrics.append(dict(node.data))
    hosts = {name for pool in pools for name in pool.names_of_hosts()}
    hbas = []
    for host, wwpns in (top.raw("hbas") or {}).items():
        if str(host) not in hosts:
            raise top.error(f"hbas: {host!r} is no host of the estate's pools", "hbas")
        hbas.append((str(host), tuple(str(w) for w in wwpns)))
    return tuple(fabrics), tuple(hbas)


def _pool(node: _Node, seed: str) -> PoolSpec:
    node.check_keys(_POOL_KEYS)
    if not node.text("name"):
        raise node.error("a pool needs a name")
    hosts_raw = node.raw("hosts", 1)
    host_names: tuple[str, ...] = ()
    if isinstance(hosts_raw, list):
        host_names = node.strings("hosts")
        host_count = len(host_names)
    else:
        host_count = node.integer("hosts", 1)
    vms = [_vm(n, template=False) for n in node.items("vms", "VM")]
    vms += [_vm(n, template=True) for n in node.items("templates", "template")]
    overrides: dict[str | int, HostOverride] = {}
    if node.has("overrides"):
        over = node.child("overrides", "overrides")
        for key in over.data:
            overrides[key] = _override(
                _Node(over.data[key], node.path, over.line_for(key), f"override for host {key}")
            )
    https = node.raw("https_only", True)
    if https is not None and not isinstance(https, bool):
        raise node.error("https_only must be true, false or null", "https_only")
    return PoolSpec(
        name=node.text("name"),
        label=node.text("label"),
        description=node.text("description"),
        environment=node.opt_text("environment"),
        trust=node.opt_text("trust"),
        tags=node.strings("tags"),
        other_config=node.string_map("other_config"),
        hosts=host_count,
        host_names=host_names,
        host_name=node.text("host_name", "{pool}-host{i}"),
        nics=node.integer("nics", 2),
        nic_speed=node.integer("nic_speed", 10000),
        nic_vendor=node.text("nic_vendor", "Intel Corporation"),
        nic_model=node.text("nic_model", "Ethernet Controller X710 for 10GbE SFP+"),
        nic_oui=node.text("nic_oui", "3c:fd:fe").lower(),
        https_only=https,
        multipathing=node.flag("multipathing", False),
        bonds=tuple(_bond(n) for n in node.items("bonds", "bond")),
        networks=tuple(_network(n) for n in node.items("networks", "network")),
        vms=tuple(vms),
        srs=tuple(_sr(n) for n in node.items("srs", "SR")),
        lldp=_lldp(node),
        overrides=overrides,
        default_network_name=node.text("default_network_name", DEFAULT_NETWORK_NAME),
        internal_network=node.flag("internal_network", True),
        product_version=node.text("product_version", "8.4.0"),
        seed=node.text("seed", seed),
        source=node.path,
        line=node.line,
    )


def _lldp(node: _Node) -> dict[str, Mapping[str, str]]:
    if not node.has("lldp"):
        return {}
    lldp = node.child("lldp", "lldp")
    return {str(device): lldp.string_map(device) for device in lldp.data}


def _ip(node: _Node, key: str) -> IpSpec | None:
    if not node.has(key) or node.raw(key) is None:
        return None
    raw = node.raw(key)
    if isinstance(raw, str):  # short form: just the subnet
        return IpSpec(subnet=raw)
    ip = node.child(key, f"{node.what} ip")
    ip.check_keys(_IP_KEYS)
    if not ip.text("subnet"):
        raise ip.error(f"{ip.what}: subnet is required")
    return IpSpec(
        subnet=ip.text("subnet"),
        start=ip.integer("start", 11),
        gateway=ip.text("gateway"),
        dns=ip.text("dns"),
        mode=ip.text("mode", "Static"),
    )


def _bond(node: _Node) -> BondSpec:
    node.check_keys(_BOND_KEYS)
    return BondSpec(
        members=node.strings("members"),
        device=node.text("device"),
        mode=node.text("mode", "active-backup"),
        primary=node.text("primary"),
        line=node.line,
    )


def _network(node: _Node) -> NetworkSpec:
    node.check_keys(_NETWORK_KEYS)
    return NetworkSpec(
        name=node.text("name"),
        on=node.text("on"),
        vlan=node.opt_integer("vlan"),
        bridge=node.text("bridge"),
        mtu=node.integer("mtu", 1500),
        description=node.text("description"),
        default_locking_mode=node.text("default_locking_mode", "unlocked"),
        tags=node.strings("tags"),
        other_config=node.string_map("other_config"),
        management=node.flag("management", False),
        ip=_ip(node, "ip"),
        purpose=node.text("purpose"),
        role=node.opt_text("role"),
        untrusted=node.opt_flag("untrusted"),
        internet_facing=node.opt_flag("internet_facing"),
        line=node.line,
    )


def _vm(node: _Node, template: bool) -> VmSpec:
    node.check_keys(_VM_KEYS)
    if not node.text("name"):
        raise node.error(f"a {node.what} needs a name")
    vifs: list[VifSpec] = []
    items = node.sequence("vifs")
    for n, item in enumerate(items):
        line = line_of(items, n) or node.line_for("vifs")
        if isinstance(item, str):
            vifs.append(VifSpec(network=item, line=line))
            continue
        vif = _Node(item, node.path, line, f"{node.what} VIF")
        vif.check_keys(_VIF_KEYS)
        if not vif.text("network"):
            raise vif.error("a VIF needs a network")
        allowed = _allowed(vif)
        vifs.append(
            VifSpec(
                network=vif.text("network"),
                locking_mode=vif.text("locking_mode", "network_default"),
                ipv4_allowed=allowed,
                ipv6_allowed=vif.strings("ipv6_allowed"),
                ip=_ip(vif, "ip"),
                mac=vif.text("mac").lower(),
                mtu=vif.integer("mtu", 1500),
                line=vif.line,
            )
        )
    host = node.raw("host")
    if host is not None and (isinstance(host, bool) or not isinstance(host, str | int)):
        raise node.error("host must be a host name or index", "host")
    return VmSpec(
        name=node.text("name"),
        count=node.integer("count", 1),
        start=node.integer("start", 1),
        vifs=tuple(vifs),
        power_state=node.text("power_state", "Halted" if template else "Running"),
        template=template,
        description=node.text("description"),
        tags=node.strings("tags"),
        other_config=node.string_map("other_config"),
        host=host,
        sensitive=node.opt_flag("sensitive"),
        untrusted=node.opt_flag("untrusted"),
        line=node.line,
    )


def _allowed(vif: _Node) -> tuple[str, ...]:
    """``ipv4_allowed`` as a list, or the single word ``auto``."""
    if vif.raw("ipv4_allowed") == "auto":
        return ("auto",)
    return vif.strings("ipv4_allowed")


def _sr(node: _Node) -> SrSpec:
    node.check_keys(_SR_KEYS)
    paths = node.sequence("paths")
    if paths and (
        len(paths) != 2 or not all(isinstance(p, int) and not isinstance(p, bool) for p in paths)
    ):
        raise node.error("paths must be [active, total]", "paths")
    hosts = node.raw("hosts")
    host_keys: tuple[str | int, ...] | None = None
    if hosts is not None:
        if not isinstance(hosts, list) or not all(isinstance(h, str | int) for h in hosts):
            raise node.error("hosts must be a list of host names or indexes", "hosts")
        host_keys = tuple(hosts)
    return SrSpec(
        name=node.text("name"),
        type=node.text("type"),
        device_config=node.string_map("device_config"),
        shared=node.opt_flag("shared"),
        content_type=node.text("content_type"),
        per_host=node.flag("per_host", False),
        hosts=host_keys,
        paths=(paths[0], paths[1]) if paths else None,
        description=node.text("description"),
        tags=node.strings("tags"),
        other_config=node.string_map("other_config"),
        sm_config=node.string_map("sm_config"),
        line=node.line,
    )


def _override(node: _Node) -> HostOverride:
    node.check_keys(_OVERRIDE_KEYS)
    ips: dict[str, str | None] = {}
    if node.has("ips"):
        raw = node.child("ips", f"{node.what} ips")
        for key, value in raw.data.items():
            if value is not None and not isinstance(value, str):
                raise raw.error(f"{raw.what}: {key} must be address/prefix or null", key)
            ips[str(key)] = value
    srs: dict[str, SrOverride] = {}
    if node.has("srs"):
        raw = node.child("srs", f"{node.what} srs")
        for key, value in raw.data.items():
            if value is False:
                srs[str(key)] = SrOverride(pbd=False)
                continue
            sub = _Node(value, node.path, raw.line_for(key), f"{node.what} SR {key}")
            sub.check_keys(_SR_OVERRIDE_KEYS)
            srs[str(key)] = SrOverride(
                device_config=sub.string_map("device_config"), pbd=sub.flag("pbd", True)
            )
    return HostOverride(
        https_only=node.opt_flag("https_only"),
        multipathing=node.opt_flag("multipathing"),
        nics=node.opt_integer("nics"),
        management=node.opt_text("management"),
        ips=ips,
        macs={k: v.lower() for k, v in node.string_map("macs").items()},
        lldp=_lldp(node),
        no_carrier=node.strings("no_carrier"),
        srs=srs,
        line=node.line,
    )


_SWITCH_KEYS = (
    "name",
    "platform",
    "collect",
    "ports",
    "model",
    "os_version",
    "serial",
    "vlans",
    "cabling",
    "lags",
    "lldp",
    "mlag_peer",
    "uplinks",
)
_UPLINK_KEYS = ("port", "to", "remote_port", "protocol")
_CABLING_KEYS = (
    "pool",
    "nic",
    "port",
    "host",
    "native_vlan",
    "configured_as",
    "description",
    "extra_vlans",
    "missing_vlans",
)
_LAG_KEYS = ("name", "members", "description", "vlans", "peer_link")


def _vlan_ids(node: _Node, key: str) -> tuple[int, ...]:
    values = node.sequence(key)
    if any(isinstance(v, bool) or not isinstance(v, int) for v in values):
        raise node.error(f"{node.what}: {key} must be a list of VLAN ids", key)
    return tuple(values)


def _switch(node: _Node) -> SwitchSpec:
    node.check_keys(_SWITCH_KEYS)
    if not node.text("name") or not node.text("platform"):
        raise node.error("a switch needs a name and a platform")
    raw_vlans = node.raw("vlans") or {}
    if not isinstance(raw_vlans, Mapping):
        raise node.error("switch: vlans must map VLAN ids to names", "vlans")
    vlans: dict[int, str] = {}
    for vid, name in raw_vlans.items():
        if isinstance(vid, bool) or not isinstance(vid, int) or not 1 <= vid <= 4094:
            raise node.error(f"switch: vlans key {vid!r} is not a VLAN id", "vlans")
        vlans[vid] = str(name)
    cabling = []
    for item in node.items("cabling", "cabling row"):
        item.check_keys(_CABLING_KEYS)
        if not item.text("pool") or not item.text("nic") or not item.text("port"):
            raise item.error("a cabling row needs pool, nic and port")
        cabling.append(
            CablingSpec(
                pool=item.text("pool"),
                nic=item.text("nic"),
                port=item.text("port"),
                host=item.opt_text("host"),
                native_vlan=item.integer("native_vlan", 1),
                configured_as=item.opt_text("configured_as"),
                description=item.opt_text("description"),
                extra_vlans=_vlan_ids(item, "extra_vlans"),
                missing_vlans=_vlan_ids(item, "missing_vlans"),
                line=item.line,
            )
        )
    lags = []
    for item in node.items("lags", "LAG"):
        item.check_keys(_LAG_KEYS)
        if not item.text("name") or not item.strings("members"):
            raise item.error("a LAG needs a name and members")
        lags.append(
            LagSpec(
                name=item.text("name"),
                members=item.strings("members"),
                description=item.text("description"),
                vlans=_vlan_ids(item, "vlans"),
                peer_link=item.flag("peer_link", False),
                line=item.line,
            )
        )
    uplinks = []
    for item in node.items("uplinks", "uplink"):
        item.check_keys(_UPLINK_KEYS)
        if not item.text("port") or not item.text("to") or not item.text("remote_port"):
            raise item.error("an uplink needs port, to and remote_port")
        uplinks.append(
            UplinkSpec(
                port=item.text("port"),
                to=item.text("to"),
                remote_port=item.text("remote_port"),
                protocol=item.text("protocol", "lldp"),
                line=item.line,
            )
        )
    return SwitchSpec(
        name=node.text("name"),
        platform=node.text("platform"),
        collect=node.strings("collect") or ("cli",),
        ports=node.integer("ports", 24),
        model=node.opt_text("model"),
        os_version=node.opt_text("os_version"),
        serial=node.opt_text("serial"),
        vlans=vlans,
        cabling=tuple(cabling),
        lags=tuple(lags),
        lldp=node.flag("lldp", True),
        mlag_peer=node.opt_text("mlag_peer"),
        uplinks=tuple(uplinks),
        source=node.path,
        line=node.line,
    )


def generator_main(
    prog: str,
    description: str | None,
    write: Callable[[EstateSpec, Path], list[Path]],
    argv: list[str] | None = None,
) -> int:
    """The command line of a generator: ``SPEC.yaml FOLDER``, one written path per line, and
    one clear line with exit code 2 for a bad spec."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("spec", type=Path)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    try:
        for path in write(load_estate(args.spec), args.folder):
            sys.stdout.write(f"{path}\n")
    except XsfabricError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    return 0
