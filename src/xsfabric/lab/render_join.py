"""Render a lab switch's CDP, ARP and MLAG / vPC truth (``truth.cdp``, ``truth.arp``,
``truth.mlag``) in each method's wire format, so the round-trip contract suites cover the
tables the cabling join needs.

The CLI layouts follow the vendor documents named in the fixtures of ``tests/templates``
(which ntc-templates and xsfabric's own templates parse); the NAPALM-over-SSH commands are
formatted the way NAPALM's ios and nxos_ssh drivers split them (no blank line inside
``show arp``: the ios driver stops at the first one). A table that is ``None`` in the truth
renders as the device would print an empty one, since the collector sends every command.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from netutils.mac import mac_to_format

from xsfabric.switch.model import LldpNeighbor, MlagDomain, SwitchFacts

Record = tuple[tuple[int, ...], str, str]  # as in render_snmprec: OID, type tag, value

CDP_CAPABILITY_WORDS = {
    "router": "Router",
    "bridge": "Switch",
    "station": "Host",
    "telephone": "Phone",
    "repeater": "Repeater",
}
CDP_CAPABILITY_BITS = {
    "router": 0x01,
    "bridge": 0x08,
    "station": 0x10,
    "repeater": 0x40,
    "telephone": 0x80,
}
#: First ifIndex of the SVIs an SNMP agent lists for the ARP table's layer-3 interfaces.
SVI_IF_INDEX_BASE = 6000


def _dotted(mac: str) -> str:
    return str(mac_to_format(mac, "MAC_DOT_FOUR"))


def _short(name: str) -> str:
    from xsfabric.names import short_interface

    return short_interface(name)


def _cdp_words(n: LldpNeighbor) -> str:
    return (
        " ".join(CDP_CAPABILITY_WORDS[c] for c in n.capabilities if c in CDP_CAPABILITY_WORDS)
        + " IGMP"
    )


# -- CLI ------------------------------------------------------------------------------------------


def ios_cdp_detail(truth: SwitchFacts) -> str:
    out: list[str] = []
    for n in truth.cdp or []:
        address = [f"  IP address: {n.management_address}"] if n.management_address else []
        out += [
            "-------------------------",
            f"Device ID: {n.chassis_id}",
            "Entry address(es): ",
            *address,
            f"Platform: cisco WS-C3850-24T,  Capabilities: {_cdp_words(n)} ",
            f"Interface: {n.local_port},  Port ID (outgoing port): {n.port_id}",
            "Holdtime : 150 sec",
            "",
            "Version :",
            "Cisco IOS Software, IOS-XE Software, Catalyst L3 Switch Software "
            "(CAT3K_CAA-UNIVERSALK9-M), Version 03.07.05E RELEASE SOFTWARE (fc1)",
            "Technical Support: http://www.cisco.com/techsupport",
            "Copyright (c) 1986-2017 by Cisco Systems, Inc.",
            "Compiled Fri 10-Feb-17 11:32 by prod_rel_team",
            "",
            "advertisement version: 2",
            "Native VLAN: 1",
            "Duplex: full",
            "",
        ]
    out += ["", f"Total cdp entries displayed : {len(truth.cdp or [])}", ""]
    return "\n".join(out)


def nxos_cdp_detail(truth: SwitchFacts) -> str:
    out: list[str] = []
    for n in truth.cdp or []:
        address = [f"    IPv4 Address: {n.management_address}"] if n.management_address else []
        out += [
            "----------------------------------------",
            f"Device ID:{n.chassis_id}",
            f"System Name: {n.system_name}",
            "",
            "Interface address(es):",
            *address,
            f"Platform: N9K-C93180YC-EX, Capabilities: {_cdp_words(n)}",
            f"Interface: {n.local_port}, Port ID (outgoing port): {n.port_id}",
            "Holdtime: 160 sec",
            "",
            "Version:",
            "Cisco Nexus Operating System (NX-OS) Software, Version 9.3(8)",
            "",
            "Advertisement Version: 2",
            "",
            "Duplex: full",
            "",
            "Mgmt address(es):",
            *address,
        ]
    return "\n".join(out) + "\n"


def ios_arp(truth: SwitchFacts, napalm: bool = False) -> str:
    """``show ip arp`` (and NAPALM's ``show arp | exclude Incomplete``: no trailing blank)."""
    out = ["Protocol  Address          Age (min)  Hardware Addr   Type   Interface"]
    out += [
        f"Internet  {e.ip:<16} {'12':>4}   {_dotted(e.mac)}  ARPA   {e.interface or ''}".rstrip()
        for e in truth.arp or []
    ]
    return "\n".join(out) + ("" if napalm else "\n")


def nxos_arp(truth: SwitchFacts) -> str:
    entries = truth.arp or []
    out = [
        "",
        "Flags: * - Adjacencies learnt on non-active FHRP router",
        "       + - Adjacencies synced via CFSoE",
        "",
        "IP ARP Table for context default",
        f"Total number of entries: {len(entries)}",
        "Address         Age       MAC Address     Interface       Flags",
    ]
    out += [
        f"{e.ip:<15} 00:04:12  {_dotted(e.mac)}  {e.interface or '':<15}".rstrip() for e in entries
    ]
    return "\n".join(out) + "\n"


def eos_arp(truth: SwitchFacts) -> str:
    out = ["Address         Age (sec)  Hardware Addr   Interface"]
    out += [
        f"{e.ip:<15} {'0:00:12':>9}  {_dotted(e.mac)}  {e.interface or ''}" for e in truth.arp or []
    ]
    return "\n".join(out) + "\n"


def junos_arp(truth: SwitchFacts) -> str:
    entries = truth.arp or []
    out = ["MAC Address       Address         Interface                Flags"]
    out += [f"{e.mac} {e.ip:<15} {e.interface or '':<24} none" for e in entries]
    out.append(f"Total entries: {len(entries)}")
    return "\n".join(out) + "\n"


def _domain(truth: SwitchFacts) -> MlagDomain | None:
    return truth.mlag[0] if truth.mlag else None


def nxos_vpc(domain: MlagDomain) -> str:
    peer = _short(domain.peer_link) if domain.peer_link else ""
    rows = f"1    {peer:<6} up     1,10,20,30\n" if peer else ""
    vpcs = "".join(
        f"{vpc_id:<5} {_short(lag):<13} up     success     success               10,20,30\n"
        for lag, vpc_id in domain.lag_ids
    )
    return f"""Legend:
                (*) - local vPC is down, forwarding via vPC peer-link

vPC domain id                     : {domain.domain_id}
Peer status                       : peer adjacency formed ok
vPC keep-alive status             : peer is alive
Configuration consistency status  : success
Per-vlan consistency status       : success
Type-2 consistency status         : success
vPC role                          : {domain.local_role or "none established"}
Number of vPCs configured         : {len(domain.lag_ids)}
Peer Gateway                      : Disabled
Dual-active excluded VLANs        : -
Graceful Consistency Check        : Enabled
Auto-recovery status              : Disabled
Delay-restore status              : Timer is off.(timeout = 30s)
Delay-restore SVI status          : Timer is off.(timeout = 10s)
Operational Layer3 Peer-router    : Disabled

vPC Peer-link status
---------------------------------------------------------------------
id   Port   Status Active vlans
--   ----   ------ -------------------------------------------------
{rows}
vPC status
----------------------------------------------------------------------------
Id    Port          Status Consistency Reason                Active vlans
--    ------------  ------ ----------- ------                ---------------
{vpcs}"""


def nxos_vpc_keepalive(domain: MlagDomain | None) -> str:
    if domain is None or domain.peer_address is None:
        return "vPC keep-alive status             : Disabled\n"
    return f"""
vPC keep-alive status             : peer is alive
--Peer is alive for             : (6459) seconds, (378) msec
--Send status                   : Success
--Last send at                  : 2026.11.26 09:20:57 700 ms
--Sent on interface             : mgmt0
--Receive status                : Success
--Last receive at               : 2026.11.26 09:20:57 619 ms
--Received on interface         : mgmt0
--Last update from peer         : (0) seconds, (591) msec

vPC Keep-alive parameters
--Destination                   : {domain.peer_address}
--Keepalive interval            : 1000 msec
--Keepalive timeout             : 5 seconds
--Keepalive hold timeout        : 3 seconds
--Keepalive vrf                 : management
--Keepalive udp port            : 3200
--Keepalive tos                 : 192
"""


def _eos_name(name: str) -> str:
    return name.replace("Port-channel", "Port-Channel")


def eos_mlag(domain: MlagDomain) -> str:
    unset = "0.0.0.0"  # noqa: S104 - what EOS prints for no peer address
    return f"""MLAG Configuration:
domain-id                          : {domain.domain_id:>19}
local-interface                    :            Vlan4094
peer-address                       : {domain.peer_address or unset:>19}
peer-link                          : {_eos_name(domain.peer_link or ""):>19}
hb-peer-address                    :             0.0.0.0
peer-config                        :          consistent

MLAG Status:
state                              :              Active
negotiation status                 :           Connected
peer-link status                   :                  Up
local-int status                   :                  Up
system-id                          :   02:1c:73:00:00:01
dual-primary detection             :            Disabled

MLAG Ports:
Disabled                           :                   0
Configured                         :                   0
Inactive                           :                   0
Active-partial                     :                   0
Active-full                        : {len(domain.lag_ids):>19}
"""


def eos_mlag_detail(domain: MlagDomain | None) -> str:
    """``show mlag detail``: ``show mlag`` and the detailed status with this switch's role."""
    if domain is None:
        return (
            "MLAG Configuration:\ndomain-id                          :                    \n"
            "\nMLAG Status:\nstate                              :            Disabled\n"
            "\nMLAG Detailed Status:\nState                           :            disabled\n"
            "Peer State                      :             unknown\n"
        )
    role = domain.local_role or "unknown"
    peer = {"primary": "secondary", "secondary": "primary"}.get(role, "unknown")
    return (
        eos_mlag(domain)
        + f"""
MLAG Detailed Status:
State                           : {role:>19}
Peer State                      : {peer:>19}
State changes                   :                   2
Last state change time          :         0:42:12 ago
Hardware ready                  :                True
Failover                        :               False
Reload delay                    :         300 seconds
"""
    )


def eos_mlag_interfaces(truth: SwitchFacts) -> str:
    out = [
        f"{'local/remote':>77}",
        "   mlag       desc             state       local       remote          status",
        "---------- ------------ ----------------- ----------- ------------ ------------",
    ]
    domain = _domain(truth)
    for lag, mlag_id in domain.lag_ids if domain else ():
        short = _short(lag)
        out.append(
            f"{mlag_id:>10} {'':12} {'active-full':>17} {short:>11} {short:>12} {'up/up':>12}"
        )
    return "\n".join(out) + "\n"


def eos_interfaces_description(truth: SwitchFacts) -> str:
    """``show interfaces description``: the full description ``show interfaces status`` cuts."""
    out = [f"{'Interface':<30} {'Status':<14} {'Protocol':<18} Description"]
    for port in truth.ports or []:
        status = "admin down" if not port.admin_up else "up" if port.oper_up else "down"
        protocol = "up" if port.oper_up else "down"
        out.append(
            f"{_short(port.name):<30} {status:<14} {protocol:<18} {port.description}".rstrip()
        )
    return "\n".join(out) + "\n"


def cli_join_outputs(truth: SwitchFacts, platform: str) -> dict[str, str]:
    """The join tables' commands for ``platform`` (CLI collection and NAPALM's SSH drivers).

    ``show vpc`` / ``show mlag`` are given only when the truth has a domain; otherwise the
    platform renderer's own (derived from the ports' peer link) stands."""
    domain = _domain(truth)
    if platform == "cisco_ios":
        return {
            "show cdp neighbors detail": ios_cdp_detail(truth),
            "show ip arp": ios_arp(truth),
            "show arp | exclude Incomplete": ios_arp(truth, napalm=True),
        }
    if platform == "cisco_nxos":
        out = {
            "show cdp neighbors detail": nxos_cdp_detail(truth),
            "show ip arp": nxos_arp(truth),
            "show ip arp vrf all | exc INCOMPLETE": nxos_arp(truth),
            "show vpc peer-keepalive": nxos_vpc_keepalive(domain),
        }
        if domain is not None:
            out["show vpc"] = nxos_vpc(domain)
        return out
    if platform == "arista_eos":
        out = {
            "show ip arp": eos_arp(truth),
            "show mlag interfaces": eos_mlag_interfaces(truth),
            "show interfaces description": eos_interfaces_description(truth),
            "show mlag detail": eos_mlag_detail(domain),
        }
        if domain is not None:
            out["show mlag"] = eos_mlag(domain)
        return out
    if platform == "juniper_junos":
        return {"show arp no-resolve": junos_arp(truth)}
    return {}


# -- NAPALM ---------------------------------------------------------------------------------------


def napalm_arp_table(truth: SwitchFacts) -> list[dict[str, Any]]:
    """``get_arp_table`` as ``napalm/base/models.py`` shapes it (upper-case MACs, age in s)."""
    return [
        {"interface": e.interface or "", "mac": e.mac.upper(), "ip": e.ip, "age": 720.0}
        for e in truth.arp or []
    ]


# -- SNMP -----------------------------------------------------------------------------------------


def _oid(text: str, *index: int) -> tuple[int, ...]:
    return (*(int(x) for x in text.split(".")), *index)


def snmp_join_records(
    truth: SwitchFacts, if_index: dict[str, int], platform: str | None
) -> list[Record]:
    """CISCO-CDP-MIB cdpCacheTable, the ARP table (ipNetToPhysicalTable on nxos, the older
    ipNetToMediaTable on ios, as their agents answer) and the SVIs ARP names in IF-MIB."""
    records: list[Record] = []
    svis = sorted(
        {e.interface for e in truth.arp or [] if e.interface and e.interface not in if_index}
    )
    svi_index = {name: SVI_IF_INDEX_BASE + n for n, name in enumerate(svis, start=1)}
    for name, i in svi_index.items():
        vlan = name.removeprefix("Vlan")
        records += [
            (_oid("1.3.6.1.2.1.2.2.1.2", i), "4", name),
            (_oid("1.3.6.1.2.1.2.2.1.3", i), "2", "53"),  # propVirtual
            (_oid("1.3.6.1.2.1.2.2.1.7", i), "2", "1"),
            (_oid("1.3.6.1.2.1.2.2.1.8", i), "2", "1"),
            (_oid("1.3.6.1.2.1.31.1.1.1.1", i), "4", f"Vl{vlan}"),
        ]
    every = {**if_index, **svi_index}
    for entry in truth.arp or []:
        if entry.interface is None:
            continue  # both tables are indexed by the interface: no interface, no row
        i = every[entry.interface]
        mac = bytes(int(x, 16) for x in entry.mac.split(":")).hex()
        octets = ipaddress.IPv4Address(entry.ip).packed
        if platform == "cisco_nxos":
            key = (i, 1, 4, *octets)
            records += [
                (_oid("1.3.6.1.2.1.4.35.1.4", *key), "4x", mac),
                (_oid("1.3.6.1.2.1.4.35.1.6", *key), "2", "3"),
            ]
        else:
            records += [
                (_oid("1.3.6.1.2.1.4.22.1.2", i, *octets), "4x", mac),
                (_oid("1.3.6.1.2.1.4.22.1.4", i, *octets), "2", "3"),
            ]
    if truth.cdp is not None:
        records.append((_oid("1.3.6.1.4.1.9.9.23.1.3.1.0"), "2", "1"))  # cdpGlobalRun
    cache = "1.3.6.1.4.1.9.9.23.1.2.1.1"
    counters: dict[int, int] = {}
    for n in truth.cdp or []:
        i = if_index[n.local_port]
        counters[i] = counters.get(i, 0) + 1
        key = (i, counters[i])
        bits = sum(CDP_CAPABILITY_BITS.get(c, 0) for c in n.capabilities) | 0x20  # + IGMP
        if n.management_address:
            records += [
                (_oid(f"{cache}.3", *key), "2", "1"),  # ip(1)
                (
                    _oid(f"{cache}.4", *key),
                    "4x",
                    ipaddress.IPv4Address(n.management_address).packed.hex(),
                ),
            ]
        records += [
            (_oid(f"{cache}.6", *key), "4", n.chassis_id),
            (_oid(f"{cache}.7", *key), "4", n.port_id),
            (_oid(f"{cache}.8", *key), "4", "cisco WS-C3850-24T"),
            (_oid(f"{cache}.9", *key), "4x", bits.to_bytes(4, "big").hex()),
        ]
    return records
