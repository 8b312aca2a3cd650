"""CLI tables the cabling join needs beside the port, MAC and LLDP tables: CDP neighbours,
ARP entries, MLAG / vPC domains, and ports read from the short ``status`` listing.

Kept apart from :mod:`xsfabric.switch.cli_parse` (which calls :func:`add_join_tables`) so
that each table builder is a pure function of TextFSM rows, tested on its own:

* CDP (``show cdp neighbors detail``, ntc-templates on ios and nxos) becomes the same
  :class:`LldpNeighbor` record as LLDP with ``protocol="cdp"``: Cisco uplinks are often
  CDP-only, and correlation must drop those ports as it drops LLDP uplinks.
* ARP (``show ip arp`` / ``show arp`` / Junos ``show arp no-resolve``): the weakest placement
  evidence, and how ``locate`` resolves an IP. EOS and Junos also name the bridged port
  behind an SVI / IRB; the record keeps the layer-3 interface and its VLAN.
* MLAG (Arista ``show mlag detail`` + ``show mlag interfaces``) and vPC (NX-OS ``show vpc``): the
  domain, the peer link and which local port-channel carries which shared id.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xsfabric.names import canonical_interface, is_mac, normalize_mac
from xsfabric.switch.model import ArpEntry, LldpNeighbor, MlagDomain, SwitchFacts

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class JoinCommands:
    """Which stored command gives which join table, per platform (None: no such command)."""

    cdp: str | None
    arp: str
    mlag: str | None = None
    #: Arista: the MLAG id of each local port-channel; NX-OS: the vPC peer's address.
    mlag_interfaces: str | None = None
    #: The short port listing, read when the full ``show interfaces`` was not saved.
    status: str | None = None
    #: Full port descriptions, where the port listing cuts them to a column (``status``).
    description: str | None = None


JOIN_COMMANDS: dict[str, JoinCommands] = {
    "cisco_ios": JoinCommands(
        "show cdp neighbors detail",
        "show ip arp",
        status="show interfaces status",
        description="show interfaces description",
    ),
    "cisco_nxos": JoinCommands(
        "show cdp neighbors detail",
        "show ip arp",
        mlag="show vpc",
        mlag_interfaces="show vpc peer-keepalive",
        status="show interface status",
        description="show interface description",
    ),
    "arista_eos": JoinCommands(
        None,
        "show ip arp",
        mlag="show mlag detail",
        mlag_interfaces="show mlag interfaces",
        description="show interfaces description",
    ),
    "juniper_junos": JoinCommands(None, "show arp no-resolve"),
}

#: What users save instead (merged into cli_parse's ALTERNATIVE_COMMANDS).
JOIN_ALTERNATIVES: dict[str, tuple[str, ...]] = {
    "show cdp neighbors detail": ("show cdp neighbor detail", "show cdp entry *"),
    "show ip arp": ("show arp", "show ip arp vrf all", "show ip arp vrf default"),
    "show arp no-resolve": ("show arp",),
    "show interfaces status": ("show interface status",),
    "show interface status": ("show interfaces status",),
    "show interfaces description": ("show interface description",),
    "show interface description": ("show interfaces description",),
    "show vpc": ("show vpc brief",),  # the same domain, peer-link and vPC tables
    "show mlag": ("show mlag detail",),  # the same key lines, and more
    "show mlag detail": ("show mlag",),  # older captures: all but the role
}


# -- CDP ----------------------------------------------------------------------------------------

#: CDP capability words (``Router Switch IGMP``) → the LLDP capability names the model uses;
#: words with no LLDP equivalent (IGMP, Filtering, Supports-STP-Dispute …) are dropped.
CDP_CAPABILITIES = {
    "router": "router",
    "switch": "bridge",
    "trans-bridge": "bridge",
    "source-route-bridge": "bridge",
    "host": "station",
    "phone": "telephone",
    "repeater": "repeater",
    "r": "router",
    "s": "bridge",
    "t": "bridge",
    "b": "bridge",
    "h": "station",
    "p": "telephone",
}

_SERIAL_SUFFIX = re.compile(r"\([A-Za-z0-9]+\)$")


def cdp_system_name(device_id: str) -> str:
    """A CDP device id as the neighbour's name: NX-OS appends its serial in parentheses.

    >>> cdp_system_name("nexus-a(FDO22110ABC)"), cdp_system_name("dist-1.example.net")
    ('nexus-a', 'dist-1.example.net')
    """
    return _SERIAL_SUFFIX.sub("", device_id.strip())


def cdp_capabilities(words: str) -> tuple[str, ...]:
    """CDP capability words as the LLDP capability names the model uses.

    >>> cdp_capabilities("Router Switch IGMP Filtering")
    ('bridge', 'router')
    """
    found = {CDP_CAPABILITIES.get(w.lower()) for w in re.split(r"[,\s]+", words or "")}
    return tuple(sorted(c for c in found if c))


def cdp_neighbor(
    local_port: str,
    device_id: str,
    port_id: str,
    *,
    system_name: str = "",
    management_address: str | None = None,
    capabilities: tuple[str, ...] = (),
) -> LldpNeighbor:
    """One CDP neighbour as the shared neighbour record (CLI and SNMP build it the same way).

    The device id is the chassis id (a MAC only when the neighbour sends one, as IP phones
    do); the port id is the neighbour's interface name, as CDP has no other port id."""
    chassis = device_id.strip()
    mac = normalize_mac(chassis) if is_mac(chassis) else None
    port = port_id.strip()
    return LldpNeighbor(
        local_port=canonical_interface(local_port),
        chassis_id=mac or chassis,
        chassis_id_subtype="mac" if mac else None,
        port_id=port,
        port_id_subtype="interface-name" if port else None,
        system_name=system_name.strip() or cdp_system_name(chassis),
        management_address=(management_address or "").strip() or None,
        capabilities=capabilities,
        protocol="cdp",
    )


def cdp_from_rows(rows: list[Row]) -> list[LldpNeighbor]:
    """ntc-templates' ios rows (NEIGHBOR_NAME = device id) and nxos rows (CHASSIS_ID = device
    id, NEIGHBOR_NAME = system name)."""
    neighbors = []
    for row in rows:
        local = str(row.get("local_interface") or "").strip()
        device_id = str(row.get("chassis_id") or row.get("neighbor_name") or "").strip()
        if not local or not device_id:
            continue
        system = str(row.get("neighbor_name") or "") if row.get("chassis_id") else ""
        neighbors.append(
            cdp_neighbor(
                local,
                device_id,
                str(row.get("neighbor_interface") or ""),
                system_name=system,
                management_address=str(row.get("mgmt_address") or row.get("interface_ip") or ""),
                capabilities=cdp_capabilities(str(row.get("capabilities") or "")),
            )
        )
    return neighbors


# -- ARP ----------------------------------------------------------------------------------------

#: ``Vlan10``, ``Vl10``, ``VLAN10``, ``Vlan-interface10`` (Comware / TP-Link ifDescr).
_SVI = re.compile(r"^(?:vlan|vl)(?:-?interface)?\s*(\d+)$", re.I)


def svi_vlan(interface: str) -> int | None:
    """The VLAN of an SVI (``Vlan10``); Junos ``irb.N`` / ``vlan.N`` units are not VLAN ids
    by definition (the unit is bound to a VLAN in the configuration), so they give None.

    >>> svi_vlan("Vlan10"), svi_vlan("Vlan-interface255"), svi_vlan("irb.10"), svi_vlan("Eth1")
    (10, 255, None, None)
    """
    match = _SVI.match(interface.strip())
    if match is None:
        return None
    vlan = int(match.group(1))
    return vlan if 1 <= vlan <= 4094 else None


def arp_interface(name: str) -> str:
    """An ARP entry's interface in one form whatever the method: an SVI is ``Vlan<id>``
    (netutils makes SNMP's ``Vl10`` ``VLAN10`` but keeps the CLI's ``Vlan10``).

    >>> arp_interface("Vl10"), arp_interface("VLAN200"), arp_interface("Eth1/53")
    ('Vlan10', 'Vlan200', 'Ethernet1/53')
    """
    vlan = svi_vlan(name)
    return f"Vlan{vlan}" if vlan is not None else canonical_interface(name)


def arp_from_rows(rows: list[Row]) -> list[ArpEntry]:
    """ARP rows of any platform; incomplete entries (no MAC) are no binding and are left out.

    EOS prints ``Vlan10, Ethernet1`` (the SVI, then the port): the SVI is the interface."""
    entries: list[ArpEntry] = []
    for row in rows:
        mac = str(row.get("mac_address") or row.get("hardware_address") or "").strip()
        ip = str(row.get("ip_address") or row.get("address") or "").strip()
        if not ip or not is_mac(mac):
            continue
        interface = str(row.get("interface") or "").split(",")[0].strip()
        interface = (
            interface.removesuffix(".0")
            if interface.startswith(("ge-", "xe-", "et-", "ae"))
            else interface
        )
        entries.append(
            ArpEntry(
                ip=ip,
                mac=normalize_mac(mac),
                interface=arp_interface(interface) if interface else None,
                vlan=svi_vlan(interface) if interface else None,
            )
        )
    return entries


# -- MLAG / vPC ---------------------------------------------------------------------------------


def _lag_id_pairs(pairs: list[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(set(pairs)))


def vpc_from_rows(rows: list[Row], keepalive: list[Row] | None = None) -> list[MlagDomain]:
    """xsfabric's NX-OS ``show vpc`` rows: one per peer-link or vPC row, the domain filled
    down. No row (vPC not configured, or a domain without a peer link yet) → no domain.
    The peer's address is the keepalive destination (``show vpc peer-keepalive``), when
    that was saved."""
    if not rows:
        return []
    peer = next(
        (
            str(r.get("destination") or "").strip()
            for r in keepalive or []
            if str(r.get("destination") or "").strip()
        ),
        None,
    )
    first = rows[0]
    peer_link = next(
        (
            canonical_interface(str(r["port"]))
            for r in rows
            if str(r.get("kind") or "").lower() == "peer-link"
        ),
        None,
    )
    pairs = [
        (canonical_interface(str(r["port"])), int(r["id"]))
        for r in rows
        if str(r.get("kind") or "").lower() == "vpc" and str(r.get("id") or "").isdigit()
    ]
    role = str(first.get("role") or "").strip().lower() or None
    return [
        MlagDomain(
            domain_id=str(first.get("domain_id") or "").strip(),
            peer_address=peer,
            peer_link=peer_link,
            local_role=role,
            lag_ids=_lag_id_pairs(pairs),
        )
    ]


def mlag_from_rows(rows: list[Row], interface_rows: list[Row] | None) -> list[MlagDomain]:
    """Arista ``show mlag detail`` (xsfabric) or ``show mlag`` (ntc-templates) rows, and
    ``show mlag interfaces`` (xsfabric) rows.

    MLAG disabled (``state: Disabled`` or no domain id) → no domain. The local role is in
    ``show mlag detail`` only; from a saved ``show mlag`` it is not available (None)."""
    domains = []
    for row in rows:
        domain = str(row.get("domain") or "").strip()
        state = str(row.get("state") or "").strip().lower()
        if not domain or state == "disabled":
            continue
        peer = str(row.get("peer_addr") or "").strip()
        link = str(row.get("peer_link") or "").strip()
        role = str(row.get("role") or "").strip().lower()
        pairs = [
            (canonical_interface(str(r["local_interface"])), int(r["mlag_id"]))
            for r in interface_rows or []
            if str(r.get("mlag_id") or "").isdigit() and r.get("local_interface")
        ]
        unset = not peer or set(peer) <= {"0", "."}  # EOS prints 0.0.0.0 for "none"
        domains.append(
            MlagDomain(
                domain_id=domain,
                peer_address=None if unset else peer,
                peer_link=canonical_interface(link) if link else None,
                local_role=role if role in ("primary", "secondary") else None,
                lag_ids=_lag_id_pairs(pairs),
            )
        )
    return domains


# -- the hook cli_parse calls -------------------------------------------------------------------

RowsOf = Callable[[str], "list[Row] | None"]
Build = Callable[[str, Callable[[list[Row]], Any]], Any]


def add_join_tables(platform: str, result: SwitchFacts, rows: RowsOf, build: Build) -> None:
    """Fill ``cdp``, ``arp`` and ``mlag`` of ``result`` from the captures that exist.

    ``rows(command)`` parses a stored capture (None when it is missing or unparsable, with a
    warning already recorded); ``build(command, fn)`` does the same and applies ``fn``. A
    platform without CDP or MLAG keeps those tables not available (None)."""
    commands = JOIN_COMMANDS.get(platform)
    if commands is None:
        return
    if commands.cdp is not None:
        result.cdp = build(commands.cdp, cdp_from_rows)
    result.arp = build(commands.arp, arp_from_rows)
    if commands.mlag is not None:
        extra = rows(commands.mlag_interfaces) if commands.mlag_interfaces else None
        if platform == "arista_eos":
            result.mlag = build(commands.mlag, lambda r: mlag_from_rows(r, extra))
        else:
            result.mlag = build(commands.mlag, lambda r: vpc_from_rows(r, extra))


def status_command(platform: str) -> str | None:
    """The short port listing of ``platform`` (read when the full listing is missing)."""
    commands = JOIN_COMMANDS.get(platform)
    return commands.status if commands else None


def description_command(platform: str) -> str | None:
    """The command that prints full port descriptions on ``platform``."""
    commands = JOIN_COMMANDS.get(platform)
    return commands.description if commands else None


def with_descriptions(
    interfaces: list[Row] | None, descriptions: list[Row] | None
) -> list[Row] | None:
    """Port rows whose description is the full one ``show interface(s) description`` prints
    (``status`` listings cut it to their Name column; NX-OS prints ``--`` for none)."""
    if interfaces is None or not descriptions:
        return interfaces
    full = {}
    for row in descriptions:
        port = str(row.get("port") or "").strip()
        if port:
            text = str(row.get("description") or "").strip()
            full[canonical_interface(port)] = "" if text == "--" else text
    out = []
    for row in interfaces:
        name = canonical_interface(str(row.get("interface") or row.get("port") or "").strip())
        out.append({**row, "description": full[name]} if name in full else row)
    return out


def _status_row(row: Row) -> Row:
    """A ``show interface(s) status`` row with NX-OS' ``--`` (no description) made empty."""
    name = str(row.get("name") or "").strip()
    return {**row, "name": "" if name == "--" else name}


def merge_status_rows(interfaces: list[Row] | None, status: list[Row] | None) -> list[Row] | None:
    """The port listing from the full ``show interfaces`` where it was saved, completed by the
    ``status`` rows of ports it lacks; the ``status`` rows alone where only they were saved
    (names, descriptions (truncated by the device to the column width), state and speed).
    """
    if status is None:
        return interfaces
    short = [_status_row(r) for r in status if str(r.get("port") or "").strip()]
    if interfaces is None:
        return short
    seen = {
        canonical_interface(str(r.get("interface") or r.get("port") or "").strip())
        for r in interfaces
    }
    return interfaces + [
        r for r in short if canonical_interface(str(r["port"]).strip()) not in seen
    ]


def status_switchport(status: list[Row]) -> list[Row]:
    """Switchport rows from a status listing's Vlan column, for a device whose
    ``show interface(s) switchport`` was not saved: a number is the access VLAN, ``trunk`` a
    trunk whose VLANs the listing does not give (allowed and native: not known), ``routed`` a
    routed port; anything else (``--``, ``f-path``, ``unassigned``) leaves the mode unknown.
    """
    out = []
    for row in status:
        port = str(row.get("port") or "").strip()
        vlan = str(row.get("vlan_id") or "").strip().lower()
        if not port:
            continue
        if vlan.isdigit():
            out.append({"interface": port, "mode": "static access", "access_vlan": vlan})
        elif vlan == "trunk":
            # "?" is no VLAN list: the allowed VLANs stay not known (None), never "none"
            out.append({"interface": port, "mode": "trunk", "trunking_vlans": "?"})
        elif vlan == "routed":
            out.append({"interface": port, "mode": "routed"})
        else:
            out.append({"interface": port, "mode": ""})
    return out
