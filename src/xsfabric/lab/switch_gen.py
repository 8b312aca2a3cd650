"""Switches of an estate description → lab switch truths and their captures.

The estate spec's ``switches`` (``docs/estate-format.md``) say which host NIC is cabled to
which switch port. The switch's tables are derived from the *generated pools*, read back
through the same dump → model path an import takes, so both sides come from one spec and can
never disagree:

* a cabled port carries the networks on its NIC: untagged networks on the port's access /
  native VLAN (``native_vlan`` of the cabling row), VLAN networks as tagged trunk VLANs;
* FDB: the host NIC's MAC on each of those VLANs (a bond is seen with its MAC, the primary
  member's, on the primary's port only), and every running guest's VIF MAC (Xen OUI
  ``00:16:3e``) on the port of the NIC that carries the VIF's network on its host;
* LLDP: the host advertises its UUID as chassis id and its NIC MAC as port id, as xapi does.

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
    validate_estate,
)
from xsfabric.lab.render_cli import write_cli_device
from xsfabric.lab.render_napalm import napalm_getters
from xsfabric.lab.render_snmprec import PLATFORM_SYSTEM, write_snmprec_device
from xsfabric.lab.switches import junos_trunks
from xsfabric.lab.xapi_dump_gen import MacAllocator, pool_model
from xsfabric.model.xen import Pif, Pool
from xsfabric.names import canonical_interface, short_interface
from xsfabric.switch.model import (
    CollectionMethod,
    DeviceFacts,
    FdbEntry,
    LldpNeighbor,
    PortMode,
    SwitchFacts,
    SwitchPort,
    Vlan,
)

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


def pool_models(spec: EstateSpec) -> dict[str, Pool]:
    """Every pool's model, generated with one MAC allocator in spec order, exactly as
    :func:`xsfabric.lab.xapi_dump_gen.write_estate` writes them: the same MACs."""
    macs = MacAllocator()
    for pool in spec.pools:
        macs.reserve_pool(pool)
    return {pool.name: pool_model(pool, macs) for pool in spec.pools}


def _host_pifs(pool: Pool, host_name: str) -> tuple[str, dict[str, Pif]]:
    host = next(h for h in pool.hosts.values() if h.name_label == host_name)
    return host.uuid, {p.device: p for p in pool.pifs.values()
                       if p.host_uuid == host.uuid and p.physical}


def _carried_by(pool: Pool, nic: Pif) -> list[Pif]:
    """PIFs with a network that ride on this physical NIC (itself, its bond, VLANs on them)."""
    return [p for p in pool.pifs.values() if p.network_uuid and p.host_uuid == nic.host_uuid
            and nic.uuid in (p.physical_pif_uuids or (p.uuid,))]


def _seen_mac_here(pool: Pool, nic: Pif) -> bool:
    """A bond member other than the primary carries no MAC of its own on the wire."""
    if not nic.bond_slave_of:
        return True
    bond = pool.bonds.get(nic.bond_slave_of)
    if bond is None:
        return True
    if bond.primary_slave_uuid:
        return bond.primary_slave_uuid == nic.uuid
    return bond.slave_uuids[:1] == [nic.uuid]


def switch_truth(spec: EstateSpec, switch: SwitchSpec,
                 models: dict[str, Pool] | None = None) -> SwitchFacts:
    """The truth of one switch of the spec (see the module docstring for the rules)."""
    models = models if models is not None else pool_models(spec)
    pools = {p.name: p for p in spec.pools}
    names = switch.port_names()
    ports = {name: _Port() for name in names}
    fdb: list[FdbEntry] = []
    lldp: list[LldpNeighbor] = []
    for cabling in switch.cabling:
        model = models[cabling.pool]
        for index, host_name in cabled_hosts(pools[cabling.pool], cabling):
            port_name = cabled_port(cabling, index, host_name)
            port = ports[port_name]
            host_uuid, nics = _host_pifs(model, host_name)
            nic = nics[cabling.nic]
            port.description, port.native, port.up = (f"{host_name} {cabling.nic}",
                                                      cabling.native_vlan, True)
            vlan_of: dict[str, int] = {}
            for pif in _carried_by(model, nic):
                if pif.vlan >= 0:
                    port.tagged.add(pif.vlan)
                    vlan_of[str(pif.network_uuid)] = pif.vlan
                else:
                    port.untagged_used = True
                    vlan_of[str(pif.network_uuid)] = cabling.native_vlan
            host = model.hosts[host_uuid]
            lldp.append(LldpNeighbor(
                local_port=port_name, chassis_id=host.uuid, chassis_id_subtype="local",
                port_id=nic.mac, port_id_subtype="mac", port_description=cabling.nic,
                system_name=host.hostname or host.name_label,
                management_address=host.address or None, capabilities=("station",)))
            if not _seen_mac_here(model, nic):
                continue
            fdb += [FdbEntry(nic.mac, vlan, port_name) for vlan in sorted(set(vlan_of.values()))]
            for vm in model.vms.values():
                if vm.is_control_domain or vm.power_state != "Running" or \
                        vm.resident_on != host_uuid:
                    continue
                for vif_uuid in vm.vif_uuids:
                    vif = model.vifs.get(vif_uuid)
                    if vif and vif.network_uuid in vlan_of:
                        fdb.append(FdbEntry(vif.mac, vlan_of[vif.network_uuid], port_name))
    return _assemble(switch, names, ports, fdb, lldp)


def _assemble(switch: SwitchSpec, names: list[str], ports: dict[str, _Port],
              fdb: list[FdbEntry], lldp: list[LldpNeighbor]) -> SwitchFacts:
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
        base = SwitchPort(name=name, short_name=short_interface(name),
                          admin_up=True, oper_up=p.up, speed_mbps=1000,
                          description=p.description, is_peer_link=False if peer_links else None)
        member_of = members.get(name)
        if member_of is not None:
            out.append(replace(base, oper_up=True, description=member_of.description,
                               mode=PortMode.TRUNK, native_vlan=1,
                               allowed_vlans=tuple(sorted(member_of.vlans or vlan_ids)),
                               lag=canonical_interface(member_of.name)))
        elif p.tagged:
            allowed = tuple(sorted(p.tagged | ({p.native or 1} if p.untagged_used else set())))
            out.append(replace(base, mode=PortMode.TRUNK, native_vlan=p.native or 1,
                               allowed_vlans=allowed))
        else:
            out.append(replace(base, mode=PortMode.ACCESS, access_vlan=p.native or 1))
    for lag in switch.lags:
        lag_name = canonical_interface(lag.name)
        lag_members = tuple(canonical_interface(m) for m in lag.members)
        out.append(SwitchPort(
            name=lag_name, short_name=short_interface(lag_name),
            admin_up=True, oper_up=True, speed_mbps=1000 * len(lag_members),
            description=lag.description, mode=PortMode.TRUNK, native_vlan=1,
            allowed_vlans=tuple(sorted(lag.vlans or vlan_ids)), lag_members=lag_members,
            is_peer_link=lag.peer_link if peer_links else None))
    if switch.platform == "juniper_junos":
        out = junos_trunks(out)
    vendor, model, version, serial = PLATFORM_FACTS[switch.platform]
    names_of = {1: "default", **switch.vlans}
    return SwitchFacts(
        device=switch.name, method=CollectionMethod.CLI,
        facts=DeviceFacts(hostname=switch.name, vendor=vendor, model=switch.model or model,
                          os_version=switch.os_version or version,
                          serial=switch.serial or _serial(serial, switch.name)),
        ports=out,
        fdb=sorted(set(fdb), key=lambda e: (e.vlan or 0, e.mac, e.port)),
        lldp=lldp,
        vlans=[Vlan(v, names_of.get(v, f"VLAN{v:04d}"), "active") for v in sorted(vlan_ids)])


def _serial(prefix: str, name: str) -> str:
    """A stable serial number from the switch name (no randomness: estates are reproducible)."""
    digits = sum((i + 1) * b for i, b in enumerate(name.encode())) % 10**7
    return f"{prefix}{digits:07d}"


def switch_truths(spec: EstateSpec) -> list[tuple[SwitchFacts, str]]:
    """Every switch of the spec as (truth, platform)."""
    validate_estate(spec)
    models = pool_models(spec) if spec.switches else {}
    return [(switch_truth(spec, s, models), s.platform) for s in spec.switches]


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
    return generator_main("python -m xsfabric.lab.switch_gen", main.__doc__, write_switches,
                          argv)


if __name__ == "__main__":
    raise SystemExit(main())
