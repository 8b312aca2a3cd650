"""Switches of an estate description → lab switch truths and their captures.

The estate spec's ``switches`` (``docs/estate-format.md``) say which host NIC is cabled to
which switch port. Every truth of a switch is derived from the spec and the generator's MAC
allocator, read from the generated xapi *tables* (the rows the generator writes, never the
product's dump parser or pool model), so correlation is graded against an independent truth:

* a cabled port is set up for the networks of a NIC of its host (``configured_as``, default
  the cabled NIC): untagged networks on the port's access / native VLAN (``native_vlan``),
  VLAN networks as tagged trunk VLANs, plus ``extra_vlans`` and minus ``missing_vlans``;
* FDB: the host NIC's MAC on each VLAN it sends in that the port carries (a bond is seen with
  its MAC, the primary member's, on the primary's port only), and every running guest's VIF
  MAC (Xen OUI ``00:16:3e``) on the port of the NIC that carries the VIF's network on its host;
* LLDP (switches with ``lldp: true``): the host advertises its UUID as chassis id and its NIC
  MAC as port id, as xapi does; MLAG peers see each other on their peer-link members;
* MLAG: two switches naming each other as ``mlag_peer`` form one domain over their peer link.

:func:`write_switches` writes every switch the way collection would store it
(``devices/<sw>/platform`` and ``<command>.txt`` via :mod:`xsfabric.lab.render_cli`,
``devices/<sw>/napalm/<getter>.json`` via :mod:`xsfabric.lab.render_napalm`) plus snmpsim agent
data (``snmpsim/<sw>.snmprec`` and ``<sw>@<vlan>.snmprec``) for the Cisco platforms
:mod:`xsfabric.lab.render_snmprec` renders.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from xsfabric.lab.estate import (
    PEER_LINK_PLATFORMS,
    EstateSpec,
    SwitchSpec,
    cabled_hosts,
    cabled_port,
    generator_main,
    port_description,
    validate_estate,
)
from xsfabric.lab.render_cli import write_cli_device
from xsfabric.lab.render_napalm import napalm_getters
from xsfabric.lab.render_snmprec import PLATFORM_SYSTEM, write_snmprec_device
from xsfabric.lab.switches import junos_trunks
from xsfabric.lab.xapi_dump_gen import NULL, MacAllocator, generate_pool_db
from xsfabric.names import canonical_interface, short_interface
from xsfabric.switch.model import (
    ALL_VLANS,
    ArpEntry,
    CollectionMethod,
    DeviceFacts,
    FdbEntry,
    LldpNeighbor,
    MlagDomain,
    PortMode,
    SwitchFacts,
    SwitchPort,
    Vlan,
)
from xsfabric.xapi.dbdump import XapiDatabase

#: Per platform: vendor, model, OS version, serial prefix (when the spec does not say).
PLATFORM_FACTS: dict[str, tuple[str, str, str, str]] = {
    "cisco_ios": ("Cisco", "WS-C2960X-48TD-L", "15.2(7)E4", "FOC"),
    "cisco_nxos": ("Cisco", "C93180YC-EX", "9.3(8)", "FDO"),
    "arista_eos": ("Arista", "DCS-7050TX-64", "4.28.3M", "JPE"),
    "juniper_junos": ("Juniper", "EX4300-48T", "21.4R3.15", "PE37"),
}


@dataclass(slots=True)
class _Port:
    """What the cabling puts on one access port."""

    description: str = ""
    native: int | None = None
    tagged: set[int] = field(default_factory=set)
    untagged_used: bool = False
    up: bool = False


@dataclass(slots=True)
class _Nic:
    """One host NIC as the generated tables show it."""

    host: str  # name label
    host_uuid: str
    hostname: str
    address: str
    device: str
    mac: str
    #: Whether the NIC's own MAC is on the wire (False: a bond member other than the primary).
    sends_mac: bool
    #: VLAN tags of the networks riding on it (-1 = untagged), network ref → tag.
    networks: dict[str, int] = field(default_factory=dict)
    #: Running guests' VIFs on this host: (MAC, network ref).
    vifs: list[tuple[str, str]] = field(default_factory=list)
    #: The host's management address over this NIC: (IP, VLAN tag or -1).
    management: list[tuple[str, int]] = field(default_factory=list)


def pool_nics(db: XapiDatabase) -> dict[tuple[str, str], _Nic]:
    """(host name, device) → the NIC, with the networks riding on it and the running VIFs
    of its host, from the generated rows (one pass per table)."""
    hosts = db.table("host")
    pifs = db.table("PIF")
    bonds = db.table("Bond")
    primary_of = {ref: row.get("primary_slave", NULL) for ref, row in bonds.items()}
    master_device = {
        ref: pifs.get(row.get("master", NULL), {}).get("device", "") for ref, row in bonds.items()
    }
    nics: dict[tuple[str, str], _Nic] = {}
    by_device: dict[tuple[str, str], list[_Nic]] = {}
    for ref, row in pifs.items():
        if row.get("physical") != "true":
            continue
        host = hosts[row["host"]]
        bond = row.get("bond_slave_of", NULL)
        nic = _Nic(
            host=host["name__label"],
            host_uuid=host["uuid"],
            hostname=host.get("hostname", ""),
            address=host.get("address", ""),
            device=row["device"],
            mac=row["MAC"],
            sends_mac=bond == NULL or primary_of.get(bond) == ref,
        )
        nics[(nic.host, nic.device)] = nic
        by_device.setdefault((row["host"], nic.device), []).append(nic)
        if bond != NULL:
            by_device.setdefault((row["host"], master_device[bond]), []).append(nic)
    network_nics: dict[tuple[str, str], list[_Nic]] = {}
    for row in pifs.values():
        for nic in by_device.get((row["host"], row["device"]), []):
            if row.get("network", NULL) != NULL:
                nic.networks[row["network"]] = int(row["VLAN"])
                network_nics.setdefault((row["host"], row["network"]), []).append(nic)
            if row.get("management") == "true" and row.get("IP"):
                nic.management.append((row["IP"], int(row["VLAN"])))
    vms = db.table("VM")
    for row in db.table("VIF").values():
        vm = vms.get(row.get("VM", NULL), {})
        if vm.get("power_state") != "Running" or vm.get("is_control_domain") == "true":
            continue
        for nic in network_nics.get((vm.get("resident_on", NULL), row["network"]), []):
            nic.vifs.append((row["MAC"], row["network"]))
    return nics


def estate_nics(spec: EstateSpec) -> dict[str, dict[tuple[str, str], _Nic]]:
    """Every pool's NICs, generated with one MAC allocator in spec order, exactly as
    :func:`xsfabric.lab.xapi_dump_gen.write_estate` generates them: the same MACs."""
    macs = MacAllocator()
    for pool in spec.pools:
        macs.reserve_pool(pool)
    return {pool.name: pool_nics(generate_pool_db(pool, macs)) for pool in spec.pools}


def switch_truth(
    spec: EstateSpec, switch: SwitchSpec, nics: dict[str, dict[tuple[str, str], _Nic]] | None = None
) -> SwitchFacts:
    """The truth of one switch of the spec (see the module docstring for the rules)."""
    nics = nics if nics is not None else estate_nics(spec)
    pools = {p.name: p for p in spec.pools}
    names = switch.port_names()
    ports = {name: _Port() for name in names}
    fdb: list[FdbEntry] = []
    lldp: list[LldpNeighbor] = []
    arp: list[ArpEntry] = []
    for cabling in switch.cabling:
        for index, host_name in cabled_hosts(pools[cabling.pool], cabling):
            port_name = cabled_port(cabling, index, host_name)
            port = ports[port_name]
            nic = nics[cabling.pool][(host_name, cabling.nic)]
            setup = nics[cabling.pool][(host_name, cabling.configured_as or cabling.nic)]
            port.description = port_description(cabling, index, host_name)
            port.native, port.up = cabling.native_vlan, True
            for tag in setup.networks.values():
                if tag >= 0:
                    port.tagged.add(tag)
                else:
                    port.untagged_used = True
            port.tagged |= set(cabling.extra_vlans)
            port.tagged -= set(cabling.missing_vlans)
            if switch.lldp:
                lldp.append(
                    LldpNeighbor(
                        local_port=port_name,
                        chassis_id=nic.host_uuid,
                        chassis_id_subtype="local",
                        port_id=nic.mac,
                        port_id_subtype="mac",
                        port_description=nic.device,
                        system_name=nic.hostname or nic.host,
                        management_address=nic.address or None,
                        capabilities=("station",),
                    )
                )
            if not nic.sends_mac:
                continue
            carried = port.tagged | (
                {cabling.native_vlan} if port.untagged_used or not port.tagged else set()
            )
            vlan_of = {
                net: (tag if tag >= 0 else cabling.native_vlan) for net, tag in nic.networks.items()
            }
            fdb += [
                FdbEntry(nic.mac, vlan, port_name)
                for vlan in sorted(set(vlan_of.values()))
                if vlan in carried
            ]
            fdb += [
                FdbEntry(mac, vlan_of[net], port_name)
                for mac, net in nic.vifs
                if vlan_of.get(net) in carried
            ]
            for ip, tag in nic.management:  # the switch routes the management VLAN (an SVI)
                vlan = tag if tag >= 0 else cabling.native_vlan
                if vlan in carried:
                    arp.append(ArpEntry(ip, nic.mac, f"Vlan{vlan}", vlan))
    if switch.lldp and switch.mlag_peer is not None:
        peer = next(s for s in spec.switches if s.name == switch.mlag_peer)
        mine = next((lag.members for lag in switch.lags if lag.peer_link), ())
        theirs = next((lag.members for lag in peer.lags if lag.peer_link), ())
        for member, remote in zip(mine, theirs, strict=False):
            lldp.append(
                LldpNeighbor(
                    local_port=canonical_interface(member),
                    chassis_id=_switch_mac(peer.name),
                    chassis_id_subtype="mac",
                    port_id=canonical_interface(remote),
                    port_id_subtype="interface-name",
                    port_description="mlag peer-link",
                    system_name=peer.name,
                    capabilities=("bridge", "router"),
                )
            )
    truth = _assemble(switch, names, ports, fdb, lldp)
    truth.arp = sorted(arp, key=lambda e: (e.vlan or 0, e.ip))
    truth.cdp = []
    if switch.mlag_peer is not None:
        peer_link = next((lag for lag in switch.lags if lag.peer_link), None)
        lag_ids = tuple(
            sorted(
                (canonical_interface(lag.name), n)
                for n, lag in enumerate(switch.lags, start=1)
                if not lag.peer_link
            )
        )
        truth.mlag = [
            MlagDomain(
                domain_id="-".join(sorted((switch.name, switch.mlag_peer))),
                peer_link=canonical_interface(peer_link.name) if peer_link else None,
                local_role="primary" if switch.name < switch.mlag_peer else "secondary",
                lag_ids=lag_ids,
            )
        ]
    return truth


def _switch_mac(name: str) -> str:
    """A stable base MAC for a lab switch (locally administered, from its name)."""
    digits = sum((i + 1) * b for i, b in enumerate(name.encode())) % (1 << 24)
    return f"02:00:5e:{digits >> 16:02x}:{(digits >> 8) & 0xFF:02x}:{digits & 0xFF:02x}"


def _assemble(
    switch: SwitchSpec,
    names: list[str],
    ports: dict[str, _Port],
    fdb: list[FdbEntry],
    lldp: list[LldpNeighbor],
) -> SwitchFacts:
    vlan_ids = {1} | set(switch.vlans)
    for p in ports.values():
        vlan_ids |= p.tagged | ({p.native} if p.native else set())
    for lag in switch.lags:
        vlan_ids |= set(lag.vlans)
    members = {canonical_interface(m): lag for lag in switch.lags for m in lag.members}
    peer_links = switch.platform in PEER_LINK_PLATFORMS
    out: list[SwitchPort] = []
    for name in names:
        p = ports[name]
        base = SwitchPort(
            name=name,
            short_name=short_interface(name),
            admin_up=True,
            oper_up=p.up,
            speed_mbps=1000,
            description=p.description,
            is_peer_link=False if peer_links else None,
        )
        member_of = members.get(name)
        if member_of is not None:
            out.append(
                replace(
                    base,
                    oper_up=True,
                    description=member_of.description,
                    mode=PortMode.TRUNK,
                    native_vlan=1,
                    allowed_vlans=tuple(sorted(member_of.vlans or vlan_ids)),
                    lag=canonical_interface(member_of.name),
                )
            )
        elif p.tagged:
            allowed = tuple(sorted(p.tagged | ({p.native or 1} if p.untagged_used else set())))
            out.append(
                replace(base, mode=PortMode.TRUNK, native_vlan=p.native or 1, allowed_vlans=allowed)
            )
        else:
            out.append(replace(base, mode=PortMode.ACCESS, access_vlan=p.native or 1))
    for lag in switch.lags:
        lag_name = canonical_interface(lag.name)
        lag_members = tuple(canonical_interface(m) for m in lag.members)
        out.append(
            SwitchPort(
                name=lag_name,
                short_name=short_interface(lag_name),
                admin_up=True,
                oper_up=True,
                speed_mbps=1000 * len(lag_members),
                description=lag.description,
                mode=PortMode.TRUNK,
                native_vlan=1,
                allowed_vlans=tuple(sorted(lag.vlans or vlan_ids)),
                lag_members=lag_members,
                is_peer_link=lag.peer_link if peer_links else None,
            )
        )
    if switch.platform == "juniper_junos":
        out = junos_trunks(out)
    vendor, model, version, serial = PLATFORM_FACTS[switch.platform]
    names_of = {1: "default", **switch.vlans}
    return SwitchFacts(
        device=switch.name,
        method=CollectionMethod.CLI,
        facts=DeviceFacts(
            hostname=switch.name,
            vendor=vendor,
            model=switch.model or model,
            os_version=switch.os_version or version,
            serial=switch.serial or _serial(serial, switch.name),
        ),
        ports=out,
        fdb=sorted(set(fdb), key=lambda e: (e.vlan or 0, e.mac, e.port)),
        lldp=lldp,
        vlans=[Vlan(v, names_of.get(v, f"VLAN{v:04d}"), "active") for v in sorted(vlan_ids)],
    )


def _serial(prefix: str, name: str) -> str:
    """A stable serial number from the switch name (no randomness: estates are reproducible)."""
    digits = sum((i + 1) * b for i, b in enumerate(name.encode())) % 10**7
    return f"{prefix}{digits:07d}"


def switch_truths(spec: EstateSpec) -> list[tuple[SwitchFacts, str]]:
    """Every switch of the spec as (truth, platform)."""
    validate_estate(spec)
    nics = estate_nics(spec) if spec.switches else {}
    truths = {s.name: switch_truth(spec, s, nics) for s in spec.switches}
    add_uplinks(spec, truths)
    return [(truths[s.name], s.platform) for s in spec.switches]


#: Foreign MACs an uplink learns besides the estate's (the rest of the building).
UPLINK_STRANGERS = 24


def add_uplinks(spec: EstateSpec, truths: dict[str, SwitchFacts]) -> None:
    """Switch-to-switch links on both ends: a trunk of every VLAN described as the uplink,
    the neighbour (LLDP when both ends run it, or CDP), and in the FDB everything the far
    switch learns on its host ports plus :data:`UPLINK_STRANGERS` MACs from beyond."""
    edge = {name: list(truth.fdb or []) for name, truth in truths.items()}
    switches = {s.name: s for s in spec.switches}
    for switch in spec.switches:
        for n, uplink in enumerate(switch.uplinks):
            ends = (
                (
                    switch,
                    canonical_interface(uplink.port),
                    switches[uplink.to],
                    canonical_interface(uplink.remote_port),
                ),
                (
                    switches[uplink.to],
                    canonical_interface(uplink.remote_port),
                    switch,
                    canonical_interface(uplink.port),
                ),
            )
            for number, (here, port, there, far) in enumerate(ends):
                truth = truths[here.name]
                truth.ports = [
                    replace(
                        p,
                        oper_up=True,
                        description=f"uplink {there.name} {far}",
                        mode=PortMode.TRUNK,
                        native_vlan=1,
                        allowed_vlans=ALL_VLANS,
                        access_vlan=None,
                    )
                    if p.name == port
                    else p
                    for p in truth.ports or []
                ]
                neighbour = LldpNeighbor(
                    local_port=port,
                    chassis_id=_switch_mac(there.name),
                    chassis_id_subtype="mac",
                    port_id=far,
                    port_id_subtype="interface-name",
                    port_description=f"uplink {here.name} {port}",
                    system_name=there.name,
                    capabilities=("bridge", "router"),
                    protocol=uplink.protocol,
                )
                if uplink.protocol == "cdp":
                    truth.cdp = [*(truth.cdp or []), neighbour]
                elif here.lldp and there.lldp:
                    truth.lldp = [*(truth.lldp or []), neighbour]
                learned = [replace(e, port=port) for e in edge[there.name]]
                strangers = [
                    FdbEntry(_stranger(n * 2 + number, k), 1, port) for k in range(UPLINK_STRANGERS)
                ]
                truth.fdb = sorted(
                    {*(truth.fdb or []), *learned, *strangers},
                    key=lambda e: (e.vlan or 0, e.mac, e.port),
                )


def _stranger(link: int, k: int) -> str:
    """A MAC from beyond an uplink (a locally administered 0a:… address)."""
    return f"0a:00:00:{link:02x}:{k >> 8:02x}:{k & 0xFF:02x}"


def write_switches(spec: EstateSpec, folder: Path) -> list[Path]:
    """Write every switch of the spec into ``folder`` (raw-capture layout); returns the files.

    Per switch: ``devices/<sw>/platform``; the CLI captures when ``cli`` is collected; the
    NAPALM getter results when ``napalm`` is; snmpsim data under ``snmpsim/`` when ``snmp`` is
    and the platform is one :mod:`xsfabric.lab.render_snmprec` renders (Cisco).
    """
    written: list[Path] = []
    methods = {s.name: s.collect for s in spec.switches}
    for truth, platform in switch_truths(spec):
        collect = methods[truth.device]
        device_dir = folder / "devices" / truth.device
        device_dir.mkdir(parents=True, exist_ok=True)
        (device_dir / "platform").write_text(f"{platform}\n")
        written.append(device_dir / "platform")
        if "cli" in collect:
            write_cli_device(folder / "devices", truth, platform)
            written += sorted(p for p in device_dir.glob("*.txt"))
        if "napalm" in collect:
            napalm_dir = device_dir / "napalm"
            napalm_dir.mkdir(exist_ok=True)
            for getter, result in napalm_getters(truth).items():
                path = napalm_dir / f"{getter}.json"
                path.write_text(json.dumps(result, indent=1) + "\n")
                written.append(path)
        if "snmp" in collect and platform in PLATFORM_SYSTEM:
            snmp_dir = folder / "snmpsim"
            snmp_dir.mkdir(exist_ok=True)
            written += write_snmprec_device(snmp_dir, truth, platform)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m xsfabric.lab.switch_gen SPEC.yaml FOLDER``: write an estate's switches
    (run ``python -m xsfabric.lab.xapi_dump_gen`` on the same spec and folder for its pools)."""
    return generator_main("python -m xsfabric.lab.switch_gen", main.__doc__, write_switches, argv)


if __name__ == "__main__":
    raise SystemExit(main())
