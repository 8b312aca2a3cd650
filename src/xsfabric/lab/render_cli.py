"""Render a lab switch (its truth as :class:`SwitchFacts`) as vendor CLI captures.

The output imitates the real devices closely enough that ntc-templates and NAPALM's own
parsers read it: column layouts, continuation lines, the ``Name: Gi1/0/1`` short names IOS
prints in some commands and long names in others. The result is a mapping ``command → text``
in the raw-capture layout, so the same files feed the SSH lab and ``snapshot import``.

Besides the commands the CLI collector sends, each platform gets the commands NAPALM's
SSH drivers send for the getters xsfabric uses (``show hosts``, ``show ip interface brief``,
``show vlan all-ports`` …), so the lab serves both methods from one folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from netutils.mac import mac_to_format

from xsfabric.lab.render_join import cli_join_outputs
from xsfabric.snapshot import command_filename
from xsfabric.switch.model import FdbEntryType, LldpNeighbor, PortMode, SwitchFacts, SwitchPort

CAPABILITY_LETTERS = {
    "bridge": "B",
    "router": "R",
    "station": "S",
    "telephone": "T",
    "wlan-access-point": "W",
    "repeater": "P",
    "docsis-cable-device": "C",
    "other": "O",
}


def _dotted(mac: str) -> str:
    """``00:1b:21:0a:ba:30`` → ``001b.210a.ba30`` (Cisco's form)."""
    return str(mac_to_format(mac, "MAC_DOT_FOUR"))


def _is_mac(value: str) -> bool:
    return len(value) == 17 and value.count(":") == 5


def _vlan_list(vlans: tuple[int, ...] | None) -> str:
    return ",".join(str(v) for v in vlans) if vlans else "ALL"


def _access_members(
    truth: SwitchFacts, name_of: Callable[[SwitchPort], str]
) -> dict[int, list[str]]:
    """Access VLAN → its member ports, named the way the platform prints them."""
    members: dict[int, list[str]] = {}
    for port in _ports(truth):
        if port.mode is PortMode.ACCESS and port.access_vlan is not None:
            members.setdefault(port.access_vlan, []).append(name_of(port))
    return members


def _iface_mac(truth: SwitchFacts, index: int) -> str:
    base = sum(truth.device.encode()) % 256
    return f"0c1a.2b{base:02x}.{index:04x}"


def _ports(truth: SwitchFacts) -> list[SwitchPort]:
    if truth.ports is None:
        raise ValueError(f"{truth.device}: a lab switch needs its ports")
    return truth.ports


def _lag_of(truth: SwitchFacts) -> SwitchPort | None:
    return next((p for p in _ports(truth) if p.lag_members), None)


# -- cisco_ios ------------------------------------------------------------------------------


def _ios_version(truth: SwitchFacts) -> str:
    facts = truth.facts
    assert facts is not None
    model, version, serial = facts.model or "", facts.os_version or "", facts.serial or ""
    image = "C2960X Software (C2960X-UNIVERSALK9-M)"
    return f"""Cisco IOS Software, {image}, Version {version}, RELEASE SOFTWARE (fc2)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2021 by Cisco Systems, Inc.
Compiled Fri 12-Mar-21 02:18 by prod_rel_team

ROM: Bootstrap program is C2960X boot loader
BOOTLDR: C2960X Boot Loader (C2960X-HBOOT-M) Version 15.2(3r)E1, RELEASE SOFTWARE (fc1)

{facts.hostname} uptime is 1 year, 2 weeks, 3 days, 4 hours, 5 minutes
System returned to ROM by power-on
System image file is "flash:c2960x-universalk9-mz.152-7.E4.bin"
Last reload reason: power-on

cisco {model} (APM86XXX) processor (revision B0) with 524288K bytes of memory.
Processor board ID {serial}
Last reset from power-on
1 Virtual Ethernet interface
24 Gigabit Ethernet interfaces
The password-recovery mechanism is enabled.

512K bytes of flash-simulated non-volatile configuration memory.
Base ethernet MAC Address       : 0C:1A:2B:3C:00:00
Model number                    : {model}
System serial number            : {serial}

Switch Ports Model                     SW Version            SW Image
------ ----- -----                     ----------            ----------
*    1 26    {model:<25} {version:<21} C2960X-UNIVERSALK9-M


Configuration register is 0xF
"""


def _ios_interfaces(truth: SwitchFacts) -> str:
    out: list[str] = []
    for i, port in enumerate(_ports(truth), start=1):
        if not port.admin_up:
            state, proto, tag = "administratively down", "down", "disabled"
        elif port.oper_up:
            state, proto, tag = "up", "up", "connected"
        else:
            state, proto, tag = "down", "down", "notconnect"
        hardware = "EtherChannel" if port.lag_members else "Gigabit Ethernet"
        mac = _iface_mac(truth, i)
        out.append(f"{port.name} is {state}, line protocol is {proto} ({tag})")
        out.append(f"  Hardware is {hardware}, address is {mac} (bia {mac})")
        if port.description:
            out.append(f"  Description: {port.description}")
        bw = (port.speed_mbps or 1000) * 1000
        out.append(f"  MTU 1500 bytes, BW {bw} Kbit/sec, DLY 10 usec,")
        out.append("     reliability 255/255, txload 1/255, rxload 1/255")
        out.append("  Encapsulation ARPA, loopback not set")
        out.append("  Keepalive set (10 sec)")
        speed = f"{port.speed_mbps}Mb/s" if port.oper_up else "Auto-speed"
        out.append(f"  Full-duplex, {speed}, media type is 10/100/1000BaseTX")
        if port.lag_members:
            members = " ".join(_short(m) for m in port.lag_members)
            out.append(f"  Members in this channel: {members}")
        out.append("  Last input 00:00:01, output 00:00:00, output hang never")
        out.append("  Queueing strategy: fifo")
        out.append("     0 packets input, 0 bytes, 0 no buffer")
        out.append("     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored")
        out.append("     0 packets output, 0 bytes, 0 underruns")
        out.append("     0 output errors, 0 collisions, 1 interface resets")
    return "\n".join(out) + "\n"


def _short(name: str) -> str:
    from netutils.interface import abbreviated_interface_name

    return str(abbreviated_interface_name(name))


def _ios_switchport(truth: SwitchFacts) -> str:
    vlan_names = {v.vlan_id: v.name for v in truth.vlans or []}
    out: list[str] = []
    for port in _ports(truth):
        trunk = port.mode is PortMode.TRUNK
        admin_mode = "trunk" if trunk else "static access"
        if not port.oper_up:
            oper_mode = "down"
        elif trunk and port.lag:
            oper_mode = f"trunk (member of bundle {_short(port.lag)})"
        else:
            oper_mode = admin_mode
        access = port.access_vlan or 1
        native = port.native_vlan or 1
        out += [
            f"Name: {port.short_name}",
            "Switchport: Enabled",
            f"Administrative Mode: {admin_mode}",
            f"Operational Mode: {oper_mode}",
            "Administrative Trunking Encapsulation: dot1q",
            f"Operational Trunking Encapsulation: {'dot1q' if trunk else 'native'}",
            f"Negotiation of Trunking: {'On' if trunk else 'Off'}",
            f"Access Mode VLAN: {access} ({vlan_names.get(access, f'VLAN{access:04d}')})",
            f"Trunking Native Mode VLAN: {native} ({vlan_names.get(native, 'default')})",
            "Administrative Native VLAN tagging: enabled",
            "Voice VLAN: none",
            "Administrative private-vlan host-association: none",
            "Administrative private-vlan mapping: none",
            "Administrative private-vlan trunk native VLAN: none",
            "Administrative private-vlan trunk Native VLAN tagging: enabled",
            "Administrative private-vlan trunk encapsulation: dot1q",
            "Administrative private-vlan trunk normal VLANs: none",
            "Administrative private-vlan trunk associations: none",
            "Administrative private-vlan trunk mappings: none",
            "Operational private-vlan: none",
            f"Trunking VLANs Enabled: {_vlan_list(port.allowed_vlans) if trunk else 'ALL'}",
            "Pruning VLANs Enabled: 2-1001",
            "Capture Mode Disabled",
            "Capture VLANs Allowed: ALL",
            "",
            "Protected: false",
            "Unknown unicast blocked: disabled",
            "Unknown multicast blocked: disabled",
            "Appliance trust: none",
            "",
        ]
    return "\n".join(out)


def _ios_etherchannel(truth: SwitchFacts) -> str:
    head = """Flags:  D - down        P - bundled in port-channel
        I - stand-alone s - suspended
        H - Hot-standby (LACP only)
        R - Layer3      S - Layer2
        U - in use      f - failed to allocate aggregator

        M - not in use, minimum links not met
        u - unsuitable for bundling
        w - waiting to be aggregated
        d - default port


Number of channel-groups in use: 1
Number of aggregators:           1

Group  Port-channel  Protocol    Ports
------+-------------+-----------+-----------------------------------------------
"""
    lag = _lag_of(truth)
    if lag is None:
        return head
    group = "".join(c for c in lag.name if c.isdigit())
    members = " ".join(f"{_short(m)}(P)" for m in lag.lag_members)
    return head + f"{group:<7}{lag.short_name + '(SU)':<14}  LACP      {members}\n"


def _ios_vlan(truth: SwitchFacts) -> str:
    members = _access_members(truth, lambda port: port.short_name)
    out = [
        "",
        "VLAN Name                             Status    Ports",
        "---- -------------------------------- --------- -------------------------------",
    ]
    for vlan in truth.vlans or []:
        ports = members.get(vlan.vlan_id, [])
        chunks = [", ".join(ports[i : i + 4]) for i in range(0, len(ports), 4)] or [""]
        out.append(
            f"{vlan.vlan_id:<4} {vlan.name:<32} {vlan.state or 'active':<9} {chunks[0]}".rstrip()
        )
        out += [f"{'':48}{chunk}" for chunk in chunks[1:]]
    out += [
        "",
        "VLAN Type  SAID       MTU   Parent RingNo BridgeNo Stp  BrdgMode Trans1 Trans2",
        "---- ----- ---------- ----- ------ ------ -------- ---- -------- ------ ------",
    ]
    out += [
        f"{v.vlan_id:<4} enet  {100000 + v.vlan_id:<10} 1500  -      -      -        -"
        "    -        0      0"
        for v in truth.vlans or []
    ]
    return "\n".join(out) + "\n"


def _ios_mac_table(truth: SwitchFacts) -> str:
    out = [
        "          Mac Address Table",
        "-------------------------------------------",
        "",
        "Vlan    Mac Address       Type        Ports",
        "----    -----------       --------    -----",
        " All    0100.0ccc.cccc    STATIC      CPU",
        " All    0180.c200.0000    STATIC      CPU",
    ]
    rows = truth.fdb or []
    for e in rows:
        kind = "STATIC" if e.entry_type is FdbEntryType.STATIC else "DYNAMIC"
        out.append(f"{e.vlan!s:>4}    {_dotted(e.mac)}    {kind:<11} {_short(e.port)}")
    out.append(f"Total Mac Addresses for this criterion: {len(rows) + 2}")
    return "\n".join(out) + "\n"


def _ios_lldp_detail(truth: SwitchFacts) -> str:
    sep = "------------------------------------------------"
    out = [sep]
    for n in truth.lldp or []:
        caps = ",".join(CAPABILITY_LETTERS[c] for c in n.capabilities)
        chassis = _dotted(n.chassis_id) if _is_mac(n.chassis_id) else n.chassis_id
        port_id = _dotted(n.port_id) if _is_mac(n.port_id) else n.port_id
        out += [
            f"Local Intf: {_short(n.local_port)}",
            f"Chassis id: {chassis}",
            f"Port id: {port_id}",
            f"Port Description: {n.port_description}",
            f"System Name: {n.system_name}",
            "",
            "System Description: ",
            "Lab device",
            "",
            "Time remaining: 101 seconds",
            f"System Capabilities: {caps}",
            f"Enabled Capabilities: {caps}",
        ]
        if n.management_address:
            out += ["Management Addresses:", f"    IP: {n.management_address}"]
        else:
            out.append("Management Addresses - not advertised")
        out += [
            "Auto Negotiation - not supported",
            "Physical media capabilities - not advertised",
            "Media Attachment Unit type - not advertised",
            "Vlan ID: - not advertised",
            "",
            sep,
        ]
    out += ["", f"Total entries displayed: {len(truth.lldp or [])}", ""]
    return "\n".join(out)


def _ios_lldp_summary(truth: SwitchFacts) -> str:
    """``show lldp neighbors``: the Device ID column is cut at 20 characters, as IOS does."""
    out = [
        "",
        "Capability codes:",
        "    (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device",
        "    (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other",
        "",
        "Device ID           Local Intf     Hold-time  Capability      Port ID",
    ]
    for n in truth.lldp or []:
        caps = ",".join(CAPABILITY_LETTERS[c] for c in n.capabilities)
        port_id = _dotted(n.port_id) if _is_mac(n.port_id) else n.port_id
        out.append(
            f"{n.system_name[:20]:<20}{_short(n.local_port):<15}{'120':<11}{caps:<16}{port_id}"
        )
    out += ["", f"Total entries displayed: {len(truth.lldp or [])}", ""]
    return "\n".join(out)


def _ios_running_config(truth: SwitchFacts) -> str:
    out = [
        "Building configuration...",
        "",
        "Current configuration : 4242 bytes",
        "!",
        "version 15.2",
        f"hostname {truth.device}",
        "!",
        "enable secret 5 $1$lab0$0123456789abcdefABCDEF",
        "username admin privilege 15 secret 5 $1$lab1$0123456789abcdefABCDEF",
        "!",
    ]
    for vlan in truth.vlans or []:
        if vlan.vlan_id != 1:
            out += [f"vlan {vlan.vlan_id}", f" name {vlan.name}", "!"]
    for port in _ports(truth):
        out.append(f"interface {port.name}")
        if port.description:
            out.append(f" description {port.description}")
        if port.mode is PortMode.TRUNK:
            out.append(f" switchport trunk allowed vlan {_vlan_list(port.allowed_vlans)}")
            out.append(" switchport mode trunk")
        elif port.mode is PortMode.ACCESS:
            out.append(f" switchport access vlan {port.access_vlan}")
            out.append(" switchport mode access")
        if port.lag:
            out.append(f" channel-group {''.join(c for c in port.lag if c.isdigit())} mode active")
        if not port.admin_up:
            out.append(" shutdown")
        out.append("!")
    out += [
        "snmp-server community lab-community RO",
        "line vty 0 4",
        " transport input ssh",
        "!",
        "end",
        "",
    ]
    return "\n".join(out)


def _ios_hosts(truth: SwitchFacts) -> str:
    return (
        "Default domain is lab.example\nName/address lookup uses static mappings\n\n"
        "Codes: UN - unknown, EX - expired, OK - OK, ?? - revalidate\n"
        "       temp - temporary, perm - permanent\n       NA - Not Applicable None - "
        "Not defined\n\nHost                      Port  Flags      Age Type   Address(es)\n"
    )


def _ios_ip_brief(truth: SwitchFacts) -> str:
    out = ["Interface              IP-Address      OK? Method Status                Protocol"]
    for port in _ports(truth):
        status = "administratively down" if not port.admin_up else "up" if port.oper_up else "down"
        proto = "up" if port.oper_up else "down"
        out.append(f"{port.name:<22} unassigned      YES unset  {status:<21} {proto}")
    return "\n".join(out) + "\n"


def render_cisco_ios(truth: SwitchFacts) -> dict[str, str]:
    vlan = _ios_vlan(truth)
    return {
        "show version": _ios_version(truth),
        "show interfaces": _ios_interfaces(truth),
        "show interfaces switchport": _ios_switchport(truth),
        "show etherchannel summary": _ios_etherchannel(truth),
        "show vlan": vlan,
        "show vlan all-ports": vlan,
        "show mac address-table": _ios_mac_table(truth),
        "show lldp neighbors detail": _ios_lldp_detail(truth),
        "show lldp neighbors": _ios_lldp_summary(truth),
        "show running-config": _ios_running_config(truth),
        "show hosts": _ios_hosts(truth),
        "show ip interface brief": _ios_ip_brief(truth),
        **cli_join_outputs(truth, "cisco_ios"),
    }


# -- cisco_nxos -----------------------------------------------------------------------------


def _nxos_version(truth: SwitchFacts) -> str:
    facts = truth.facts
    assert facts is not None
    return f"""Cisco Nexus Operating System (NX-OS) Software
TAC support: http://www.cisco.com/tac
Copyright (C) 2002-2021, Cisco and/or its affiliates.
All rights reserved.

Software
  BIOS: version 07.69
 NXOS: version {facts.os_version}
  BIOS compile time:  04/08/2021
  NXOS image file is: bootflash:///nxos.{facts.os_version}.bin
  NXOS compile time:  7/1/2021 14:00:00 [07/02/2021 02:16:10]


Hardware
  cisco Nexus9000 {facts.model} chassis
  Intel(R) Xeon(R) CPU  @ 1.80GHz with 24632060 kB of memory.
  Processor Board ID {facts.serial}

  Device name: {facts.hostname}
  bootflash:   53298520 kB
Kernel uptime is 12 day(s), 3 hour(s), 4 minute(s), 5 second(s)

Last reset
  Reason: Unknown
  System version: {facts.os_version}
  Service:

plugin
  Core Plugin, Ethernet Plugin

Active Package(s):

"""


def _nxos_status_word(port: SwitchPort) -> str:
    if not port.admin_up:
        return "disabled"
    # NX-OS cuts the word to its 9-character column, as real output shows
    return "connected" if port.oper_up else "notconnec"


def _nxos_interface_status(truth: SwitchFacts) -> str:
    out = [
        "",
        "-" * 79,
        "Port          Name               Status    Vlan      Duplex  Speed   Type",
        "-" * 79,
    ]
    for port in _ports(truth):
        vlan = "trunk" if port.mode is PortMode.TRUNK else str(port.access_vlan or 1)
        speed = "1000" if port.speed_mbps == 1000 else "auto"
        desc = port.description[:18] or "--"
        kind = "--" if port.lag_members else "10Gbase-SR"
        out.append(
            f"{_nxos_short(port.name):<13} {desc:<18} {_nxos_status_word(port):<9} "
            f"{vlan:<9} full    {speed:<7} {kind}"
        )
    return "\n".join(out) + "\n"


def _nxos_short(name: str) -> str:
    if name.startswith("Ethernet"):
        return "Eth" + name.removeprefix("Ethernet")
    if name.lower().startswith("port-channel"):
        return "Po" + name[len("port-channel") :]
    return name


def _nxos_interface(truth: SwitchFacts) -> str:
    out: list[str] = []
    for i, port in enumerate(_ports(truth), start=1):
        if not port.admin_up:
            state = "down (Administratively down)"
        elif port.oper_up:
            state = "up"
        else:
            state = "down (Link not connected)"
        mac = _iface_mac(truth, i)
        out.append(f"{port.name} is {state}")
        out.append(f"admin state is {'up' if port.admin_up else 'down'}, Dedicated Interface")
        if port.lag:
            out.append(f"  Belongs to {_nxos_short(port.lag)}")
        kind = "Port-Channel" if port.lag_members else "100/1000/10000 Ethernet"
        out.append(f"  Hardware: {kind}, address: {mac} (bia {mac})")
        if port.description:
            out.append(f"  Description: {port.description}")
        bw = (port.speed_mbps or 1000) * 1000
        out.append(f"  MTU 1500 bytes, BW {bw} Kbit, DLY 10 usec")
        out.append("  reliability 255/255, txload 1/255, rxload 1/255")
        out.append("  Encapsulation ARPA, medium is broadcast")
        out.append(f"  Port mode is {'trunk' if port.mode is PortMode.TRUNK else 'access'}")
        out.append(f"  full-duplex, {port.speed_mbps // 1000 if port.speed_mbps else 1} Gb/s")
        if port.lag_members:
            members = " ".join(_nxos_short(m) for m in port.lag_members)
            out.append(f"  Members in this channel: {members}")
        out.append("  Last link flapped 1week(s) 2day(s)")
        out.append("")
    return "\n".join(out)


def _nxos_switchport(truth: SwitchFacts) -> str:
    vlan_names = {v.vlan_id: v.name for v in truth.vlans or []}
    out: list[str] = []
    for port in _ports(truth):
        trunk = port.mode is PortMode.TRUNK
        access = port.access_vlan or 1
        native = port.native_vlan or 1
        out += [
            f"Name: {port.name}",
            "  Switchport: Enabled",
            "  Switchport Monitor: Not enabled",
            "  Switchport Isolated : Disabled",
            "  Switchport Block Multicast: Not enabled",
            "  Switchport Block Unicast: Not enabled",
            f"  Operational Mode: {'trunk' if trunk else 'access'}",
            f"  Access Mode VLAN: {access} ({vlan_names.get(access, 'default')})",
            f"  Trunking Native Mode VLAN: {native} ({vlan_names.get(native, 'default')})",
            f"  Trunking VLANs Allowed: {_nx_allowed(port) if trunk else '1-4094'}",
            "  FabricPath Topology List Allowed: 0",
            "  Administrative private-vlan primary host-association: none",
            "  Administrative private-vlan secondary host-association: none",
            "  Administrative private-vlan primary mapping: none",
            "  Administrative private-vlan secondary mapping: none",
            "  Administrative private-vlan trunk native VLAN: none",
            "  Administrative private-vlan trunk encapsulation: dot1q",
            "  Administrative private-vlan trunk normal VLANs: none",
            "  Administrative private-vlan trunk private VLANs: none",
            "  Operational private-vlan: none",
        ]
    return "\n".join(out) + "\n"


def _nx_allowed(port: SwitchPort) -> str:
    return ",".join(str(v) for v in port.allowed_vlans) if port.allowed_vlans else "1-4094"


def _nxos_port_channel(truth: SwitchFacts) -> str:
    head = """Flags:  D - Down        P - Up in port-channel (members)
        I - Individual  H - Hot-standby (LACP only)
        s - Suspended   r - Module-removed
        b - BFD Session Wait
        S - Switched    R - Routed
        U - Up (port-channel)
        p - Up in delay-lacp mode (member)
        M - Not in use. Min-links not met
--------------------------------------------------------------------------------
Group Port-       Type     Protocol  Member Ports
      Channel
--------------------------------------------------------------------------------
"""
    lag = _lag_of(truth)
    if lag is None:
        return head
    group = "".join(c for c in lag.name if c.isdigit())
    members = " ".join(f"{_nxos_short(m)}(P)" for m in lag.lag_members)
    return head + f"{group:<6}{_nxos_short(lag.name) + '(SU)':<12}Eth      LACP      {members}\n"


def _nxos_vlan(truth: SwitchFacts) -> str:
    members = _access_members(truth, lambda port: _nxos_short(port.name))
    out = [
        "",
        "VLAN Name                             Status    Ports",
        "---- -------------------------------- --------- -------------------------------",
    ]
    for vlan in truth.vlans or []:
        ports = members.get(vlan.vlan_id, [])
        chunks = [", ".join(ports[i : i + 4]) for i in range(0, len(ports), 4)] or [""]
        out.append(
            f"{vlan.vlan_id:<4} {vlan.name:<32} {vlan.state or 'active':<9} {chunks[0]}".rstrip()
        )
        out += [f"{'':48}{chunk}" for chunk in chunks[1:]]
    out += ["", "VLAN Type         Vlan-mode", "---- -----        ----------"]
    out += [f"{v.vlan_id:<4} enet         CE" for v in truth.vlans or []]
    return "\n".join(out) + "\n"


def _nxos_vlan_json(truth: SwitchFacts) -> str:
    members = _access_members(truth, lambda port: port.name)
    rows = [
        {
            "vlanshowbr-vlanid": v.vlan_id,
            "vlanshowbr-vlanid-utf": str(v.vlan_id),
            "vlanshowbr-vlanname": v.name,
            "vlanshowbr-vlanstate": v.state or "active",
            "vlanshowbr-shutstate": "noshutdown",
            "vlanshowplist-ifidx": ",".join(members.get(v.vlan_id, [])),
        }
        for v in truth.vlans or []
    ]
    return json.dumps({"TABLE_vlanbriefxbrief": {"ROW_vlanbriefxbrief": rows}}) + "\n"


def _nxos_mac_table(truth: SwitchFacts) -> str:
    out = [
        "Legend: ",
        "        * - primary entry, G - Gateway MAC, (R) - Routed MAC, O - Overlay MAC",
        "        age - seconds since last seen,+ - primary entry using vPC Peer-Link,",
        "        (T) - True, (F) - False, C - ControlPlane MAC, ~ - vsan",
        "   VLAN     MAC Address      Type      age     Secure NTFY Ports",
        "---------+-----------------+--------+---------+------+----+------------------",
    ]
    for e in truth.fdb or []:
        kind = "static" if e.entry_type is FdbEntryType.STATIC else "dynamic"
        age = "-" if kind == "static" else "0"
        out.append(
            f"*  {e.vlan!s:<7} {_dotted(e.mac)}   {kind:<8} {age:<9} F      F    "
            f"{_nxos_short(e.port)}"
        )
    out.append(f"G    -     {_iface_mac(truth, 0)}   static   -         F      F    sup-eth1(R)")
    return "\n".join(out) + "\n"


def _nxos_lldp_detail(truth: SwitchFacts) -> str:
    out = [
        "Capability codes:",
        "  (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device",
        "  (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other",
        "",
    ]
    for n in truth.lldp or []:
        caps = ", ".join(CAPABILITY_LETTERS[c] for c in n.capabilities)
        chassis = _dotted(n.chassis_id) if _is_mac(n.chassis_id) else n.chassis_id
        port_id = _dotted(n.port_id) if _is_mac(n.port_id) else n.port_id
        out += [
            f"Chassis id: {chassis}",
            f"Port id: {port_id}",
            f"Local Port id: {_nxos_short(n.local_port)}",
            f"Port Description: {n.port_description}",
            f"System Name: {n.system_name}",
            "System Description: Lab device",
            "Time remaining: 101 seconds",
            f"System Capabilities: {caps}",
            f"Enabled Capabilities: {caps}",
            f"Management Address: {n.management_address or 'not advertised'}",
            "Management Address IPV6: not advertised",
            "Vlan ID: not advertised",
            "",
        ]
    out += [f"Total entries displayed: {len(truth.lldp or [])}", ""]
    return "\n".join(out)


def _nxos_running_config(truth: SwitchFacts) -> str:
    out = [
        "",
        "!Command: show running-config",
        "!Running configuration last done at: Mon Nov 23 10:00:00 2026",
        "",
        "version 9.3(8) Bios:version 07.69",
        f"hostname {truth.device}",
        "feature lacp",
        "feature lldp",
        "",
        "username admin password 5 $5$LAB$0123456789abcdef  role network-admin",
        "",
    ]
    for vlan in truth.vlans or []:
        if vlan.vlan_id != 1:
            out += [f"vlan {vlan.vlan_id}", f"  name {vlan.name}"]
    for port in _ports(truth):
        out += ["", f"interface {port.name}"]
        if port.description:
            out.append(f"  description {port.description}")
        if port.mode is PortMode.TRUNK:
            out += [
                "  switchport mode trunk",
                f"  switchport trunk allowed vlan {_nx_allowed(port)}",
            ]
        elif port.access_vlan:
            out.append(f"  switchport access vlan {port.access_vlan}")
        if port.lag:
            out.append(f"  channel-group {''.join(c for c in port.lag if c.isdigit())} mode active")
        out.append("  shutdown" if not port.admin_up else "  no shutdown")
    out += ["", "snmp-server community lab-community group network-operator", ""]
    return "\n".join(out)


def _nxos_inventory_json(truth: SwitchFacts) -> str:
    facts = truth.facts
    assert facts is not None
    row = {
        "name": "Chassis",
        "desc": f"Nexus9000 {facts.model} Chassis",
        "productid": f"N9K-{facts.model}",
        "vendorid": "V01",
        "serialnum": facts.serial,
    }
    return json.dumps({"TABLE_inv": {"ROW_inv": [row]}}) + "\n"


def render_cisco_nxos(truth: SwitchFacts) -> dict[str, str]:
    return {
        "show version": _nxos_version(truth),
        "show interface": _nxos_interface(truth),
        "show interface status": _nxos_interface_status(truth),
        "show interface switchport": _nxos_switchport(truth),
        "show port-channel summary": _nxos_port_channel(truth),
        "show vlan": _nxos_vlan(truth),
        "show vlan brief | json": _nxos_vlan_json(truth),
        "show mac address-table": _nxos_mac_table(truth),
        "show lldp neighbors detail": _nxos_lldp_detail(truth),
        "show running-config": _nxos_running_config(truth),
        "show hosts": "DNS lookup enabled\nDefault domain for vrf:default is lab.example\n",
        "show hostname": f"{truth.device}\n",
        "show inventory | json": _nxos_inventory_json(truth),
        "show vpc": _nxos_vpc(truth),
        **cli_join_outputs(truth, "cisco_nxos"),  # overrides show vpc with truth.mlag
    }


def _peer_link(truth: SwitchFacts) -> SwitchPort | None:
    return next((p for p in _ports(truth) if p.is_peer_link), None)


def _nxos_vpc(truth: SwitchFacts) -> str:
    """``show vpc``: the peer-link section names the peer link; no vPCs are configured."""
    peer = _peer_link(truth)
    vlans = _nx_allowed(peer) if peer else "-"
    rows = f"1    {_nxos_short(peer.name):<6} up     {vlans}\n" if peer else ""
    return f"""Legend:
                (*) - local vPC is down, forwarding via vPC peer-link

vPC domain id                     : 10
Peer status                       : peer adjacency formed ok
vPC keep-alive status             : peer is alive
Configuration consistency status  : success
Per-vlan consistency status       : success
Type-2 consistency status         : success
vPC role                          : primary
Number of vPCs configured         : 0
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
"""


# -- arista_eos -----------------------------------------------------------------------------


def _eos_long(name: str) -> str:
    """Arista spells LAGs ``Port-Channel1`` where netutils' canonical form is ``Port-channel1``."""
    return name.replace("Port-channel", "Port-Channel")


def _eos_version(truth: SwitchFacts) -> str:
    facts = truth.facts
    assert facts is not None
    return f"""Arista {facts.model}
Hardware version: 01.11
Serial number: {facts.serial}
Hardware MAC address: 001c.7300.3000
System MAC address: 001c.7300.3000

Software image version: {facts.os_version}
Architecture: i686
Internal build version: {facts.os_version}-29052591.4283M
Internal build ID: 0c8e4b0c-5f0c-4c2e-9a39-0b1e8d6b9c2a
Image format version: 1.0
Image optimization: Strata-4GB

Uptime: 2 weeks, 3 days, 4 hours and 5 minutes
Total memory: 3982640 kB
Free memory: 2357452 kB

"""


def _eos_status_word(port: SwitchPort) -> str:
    if not port.admin_up:
        return "disabled"
    return "connected" if port.oper_up else "notconnect"


def _eos_speed(port: SwitchPort) -> str:
    mbps = port.speed_mbps or 1000
    return f"{mbps // 1000}G" if mbps >= 1000 else f"{mbps}M"


def _eos_interfaces_status(truth: SwitchFacts) -> str:
    out = [
        "Port       Name                Status       Vlan     Duplex Speed  Type"
        "            Flags Encapsulation"
    ]
    for port in _ports(truth):
        if port.lag:
            vlan = f"in {_short(port.lag)}"
        elif port.mode is PortMode.TRUNK:
            vlan = "trunk"
        else:
            vlan = str(port.access_vlan or 1)
        kind = "N/A" if port.lag_members else "1000BASE-T"
        out.append(
            f"{port.short_name:<10} {port.description[:19]:<19} "
            f"{_eos_status_word(port):<12} {vlan:<8} full   {_eos_speed(port):<6} "
            f"{kind}".rstrip()
        )
    return "\n".join(out) + "\n"


def _eos_switchport(truth: SwitchFacts) -> str:
    vlan_names = {v.vlan_id: v.name for v in truth.vlans or []}
    out: list[str] = []
    for port in _ports(truth):
        trunk = port.mode is PortMode.TRUNK
        mode = "trunk" if trunk else "static access"
        access = port.access_vlan or 1
        native = port.native_vlan or 1
        out += [
            f"Name: {port.short_name}",
            "Switchport: Enabled",
            f"Administrative Mode: {mode}",
            f"Operational Mode: {mode}",
            "MAC Address Learning: enabled",
            "Dot1q ethertype/TPID: 0x8100 (active)",
            "Dot1q Vlan Tag Required (Administrative/Operational): No/No",
            f"Access Mode VLAN: {access} ({vlan_names.get(access, f'VLAN{access:04d}')})",
            f"Trunking Native Mode VLAN: {native} ({vlan_names.get(native, 'default')})",
            "Administrative Native VLAN tagging: disabled",
            f"Trunking VLANs Enabled: {_vlan_list(port.allowed_vlans) if trunk else 'ALL'}",
            "Static Trunk Groups:",
            "Dynamic Trunk Groups:",
            "Source interface filtering: enabled",
            "",
        ]
    return "\n".join(out)


def _eos_port_channel(truth: SwitchFacts) -> str:
    head = """                 Flags
------------------------ ---------------------------- -------------------------
  a - LACP Active          p - LACP Passive           * - static fallback
  F - Fallback enabled     f - Fallback configured    ^ - individual fallback
  U - In Use               D - Down
  + - In-Sync              - - Out-of-Sync            i - incompatible with agg
  P - bundled in Po        s - suspended              G - Aggregable
  I - Individual           S - ShortTimeout           w - wait for agg
  E - Inactive. The number of configured port channels exceeds the config limit
  M - Exceeds maximum weight

"""
    lag = _lag_of(truth)
    count = 1 if lag else 0
    head += (
        f"Number of channels in use: {count}\nNumber of aggregators: {count}\n\n"
        "   Port-Channel       Protocol    Ports\n"
        "------------------ -------------- ----------------\n"
    )
    if lag is None:
        return head
    members = " ".join(f"{_short(m)}(PG+)" for m in lag.lag_members)
    return head + f"   {lag.short_name + '(U)':<18} {'LACP(a)':<11} {members}\n"


def _eos_vlan(truth: SwitchFacts) -> str:
    members = _access_members(truth, lambda port: port.short_name)
    out = [
        "VLAN  Name                             Status    Ports",
        "----- -------------------------------- --------- -------------------------------",
    ]
    for vlan in truth.vlans or []:
        ports = members.get(vlan.vlan_id, [])
        chunks = [", ".join(ports[i : i + 5]) for i in range(0, len(ports), 5)] or [""]
        out.append(
            f"{vlan.vlan_id:<5} {vlan.name:<32} {vlan.state or 'active':<9} {chunks[0]}".rstrip()
        )
        out += [f"{'':49}{chunk}" for chunk in chunks[1:]]
    return "\n".join(out) + "\n"


def _eos_mac_table(truth: SwitchFacts) -> str:
    out = [
        "          Mac Address Table",
        "-" * 66,
        "",
        "Vlan    Mac Address       Type        Ports      Moves   Last Move",
        "----    -----------       ----        -----      -----   ---------",
    ]
    rows = truth.fdb or []
    for e in rows:
        port = _short(e.port)
        if e.entry_type is FdbEntryType.STATIC:
            out.append(f"{e.vlan!s:>4}    {_dotted(e.mac)}    STATIC      {port}")
        else:
            out.append(
                f"{e.vlan!s:>4}    {_dotted(e.mac)}    DYNAMIC     {port:<10} 1"
                "       1 day, 2:03:04 ago"
            )
    out += [
        f"Total Mac Addresses for this criterion: {len(rows)}",
        "",
        "          Multicast Mac Address Table",
        "-" * 66,
        "",
        "Vlan    Mac Address       Type        Ports",
        "----    -----------       ----        -----",
        "Total Mac Addresses for this criterion: 0",
        "",
    ]
    return "\n".join(out)


EOS_SUBTYPES = {
    "chassis": {
        "mac": "MAC address (4)",
        "local": "Locally assigned (7)",
        "network-address": "Network address (5)",
        "interface-name": "Interface name (6)",
    },
    "port": {
        "mac": "MAC address (3)",
        "local": "Locally assigned (7)",
        "interface-name": "Interface name (5)",
        "interface-alias": "Interface alias (1)",
    },
}


def _eos_lldp_detail(truth: SwitchFacts) -> str:
    by_port: dict[str, list[LldpNeighbor]] = {}
    for n in truth.lldp or []:
        by_port.setdefault(n.local_port, []).append(n)
    out: list[str] = []
    for port in _ports(truth):
        if port.lag_members:
            continue
        neighbors = by_port.get(port.name, [])
        out += [f"Interface {port.name} detected {len(neighbors)} LLDP neighbors:", ""]
        for n in neighbors:
            mac_chassis = _is_mac(n.chassis_id)
            chassis = _dotted(n.chassis_id) if mac_chassis else n.chassis_id
            port_id = _dotted(n.port_id) if _is_mac(n.port_id) else f'"{n.port_id}"'
            caps = ", ".join(c.capitalize() for c in n.capabilities)
            out += [
                f"  Neighbor {chassis}/{port_id}, age 12 seconds",
                "  Discovered 1 day, 2:03:04 ago; Last changed 1 day, 2:03:04 ago",
                f"  - Chassis ID type: {EOS_SUBTYPES['chassis'][n.chassis_id_subtype or 'mac']}",
                f"    Chassis ID     : {chassis}",
                f"  - Port ID type: {EOS_SUBTYPES['port'][n.port_id_subtype or 'interface-name']}",
                f"    Port ID     : {port_id}",
                "  - Time To Live: 120 seconds",
            ]
            if n.port_description:
                out.append(f'  - Port Description: "{n.port_description}"')
            out += [
                f'  - System Name: "{n.system_name}"',
                '  - System Description: "Lab device"',
                f"  - System Capabilities : {caps}",
                f"    Enabled Capabilities: {caps}",
            ]
            if n.management_address:
                out += [
                    "  - Management Address Subtype: IPv4 (1)",
                    f"    Management Address        : {n.management_address}",
                    "    Interface Number Subtype  : ifIndex (2)",
                    "    Interface Number          : 999999",
                    "    OID String                : ",
                ]
            out += [
                "  - IEEE802.1 Port VLAN ID: 1",
                "  - IEEE802.3 Maximum Frame Size: 9236 bytes",
                "",
            ]
    return "\n".join(out)


def _eos_mlag(truth: SwitchFacts) -> str:
    peer = _peer_link(truth)
    if peer is None:
        return (
            "MLAG Configuration:\ndomain-id           :                    \n"
            "state               :            Disabled\n"
        )
    return f"""MLAG Configuration:
domain-id           :               mlag1
local-interface     :            Vlan4094
peer-address        :        10.255.255.2
peer-link           : {_eos_long(peer.name):>19}
peer-config         :          consistent

MLAG Status:
state               :              Active
negotiation status  :           Connected
peer-link status    :                  Up
local-int status    :                  Up
system-id           :   02:1c:73:00:00:01
dual-primary detection :          Disabled

MLAG Ports:
Disabled            :                   0
Configured          :                   0
Inactive            :                   0
Active-partial      :                   0
Active-full         :                   0

"""


def _eos_running_config(truth: SwitchFacts) -> str:
    out = [
        "! Command: show running-config",
        "! device: " + truth.device + " (EOS)",
        "!",
        f"hostname {truth.device}",
        "!",
        "username admin privilege 15 role network-admin secret sha512 $6$lab$0123456789abcd",
        "!",
    ]
    for vlan in truth.vlans or []:
        if vlan.vlan_id != 1:
            out += [f"vlan {vlan.vlan_id}", f"   name {vlan.name}", "!"]
    for port in _ports(truth):
        out.append(f"interface {_eos_long(port.name)}")
        if port.description:
            out.append(f"   description {port.description}")
        if port.mode is PortMode.TRUNK and not port.lag:
            out += [
                "   switchport mode trunk",
                f"   switchport trunk allowed vlan {_vlan_list(port.allowed_vlans)}",
            ]
        elif port.mode is PortMode.ACCESS:
            out.append(f"   switchport access vlan {port.access_vlan}")
        if port.lag:
            out.append(
                f"   channel-group {''.join(c for c in port.lag if c.isdigit())} mode active"
            )
        if not port.admin_up:
            out.append("   shutdown")
        out.append("!")
    peer = _peer_link(truth)
    if peer is not None:
        out += [
            "mlag configuration",
            "   domain-id mlag1",
            "   local-interface Vlan4094",
            "   peer-address 10.255.255.2",
            f"   peer-link {_eos_long(peer.name)}",
            "!",
        ]
    out += ["snmp-server community lab-community ro", "!", "end", ""]
    return "\n".join(out)


def render_arista_eos(truth: SwitchFacts) -> dict[str, str]:
    return {
        "show version": _eos_version(truth),
        "show interfaces status": _eos_interfaces_status(truth),
        "show interfaces switchport": _eos_switchport(truth),
        "show port-channel summary": _eos_port_channel(truth),
        "show vlan": _eos_vlan(truth),
        "show mac address-table": _eos_mac_table(truth),
        "show lldp neighbors detail": _eos_lldp_detail(truth),
        "show mlag": _eos_mlag(truth),
        "show running-config": _eos_running_config(truth),
        **cli_join_outputs(truth, "arista_eos"),  # overrides show mlag with truth.mlag
    }


# -- juniper_junos (an ELS switch: EX4300 on Junos 21.4) -----------------------------------


def _junos_unit(name: str) -> str:
    return f"{name}.0"


def _junos_version(truth: SwitchFacts) -> str:
    facts = truth.facts
    assert facts is not None
    version = facts.os_version or ""
    build = "20220928.4ae1a4b_builder_stable_12_214"
    return f"""fpc0:
--------------------------------------------------------------------------
Hostname: {facts.hostname}
Model: {(facts.model or "").lower()}
Junos: {version}
JUNOS OS Kernel 64-bit  [{build}]
JUNOS OS libs [{build}]
JUNOS OS runtime [{build}]
JUNOS OS time zone information [{build}]
JUNOS EX  Software Suite [{version}]

{{master:0}}
"""


def _junos_chassis_hardware(truth: SwitchFacts) -> str:
    facts = truth.facts
    assert facts is not None
    model, serial = facts.model or "", facts.serial or ""
    return f"""Hardware inventory:
Item             Version  Part number  Serial number     Description
Chassis                                {serial:<17} {model}
Routing Engine 0 REV 10   650-044931   {serial:<17} {model}
FPC 0            REV 10   650-044931   {serial:<17} {model}
  CPU                     BUILTIN      BUILTIN           FPC CPU
  PIC 0                   BUILTIN      BUILTIN           24x 10/100/1000 Base-T
Power Supply 0   REV 04   740-046873   1EDE4190123       JPSU-350-AC-AFO
Fan Tray 0                                               Fan Module, Airflow Out (AFO)

{{master:0}}
"""


def _junos_interfaces(truth: SwitchFacts) -> str:
    out: list[str] = []
    for i, port in enumerate(_ports(truth), start=1):
        admin = "Enabled" if port.admin_up else "Administratively down"
        link = "Up" if port.oper_up else "Down"
        mbps = port.speed_mbps or 1000
        speed = f"{mbps // 1000}Gbps" if port.lag_members else f"{mbps}mbps"
        mac = ":".join(_iface_mac(truth, i).replace(".", "")[j : j + 2] for j in range(0, 12, 2))
        out.append(f"Physical interface: {port.name}, {admin}, Physical link is {link}")
        out.append(f"  Interface index: {650 + i}, SNMP ifIndex: {500 + i}")
        if port.description:
            out.append(f"  Description: {port.description}")
        if port.lag_members:
            out.append(
                f"  Link-level type: Ethernet, MTU: 1514, Speed: {speed}, BPDU Error: None,"
                " Ethernet-Switching Error: None, MAC-REWRITE Error: None, Loopback:"
                " Disabled, Source filtering: Disabled, Flow control: Disabled"
            )
            out.append("  Minimum links needed: 1, Minimum bandwidth needed: 1bps")
        else:
            out.append(
                "  Link-level type: Ethernet, MTU: 1514, LAN-PHY mode, Link-mode: "
                f"Full-duplex, Speed: {speed}, BPDU Error: None, Loop Detect PDU Error:"
                " None, Ethernet-Switching Error: None, MAC-REWRITE Error: None,"
                " Loopback: Disabled, Source filtering: Disabled, Flow control: Disabled,"
                " Auto-negotiation: Enabled, Remote fault: Online"
            )
        out += [
            "  Device flags   : Present Running",
            "  Interface flags: SNMP-Traps Internal: 0x4000",
            "  Link flags     : None",
            "  CoS queues     : 12 supported, 12 maximum usable queues",
            f"  Current address: {mac}, Hardware address: {mac}",
            "  Last flapped   : 2026-11-01 10:00:00 UTC (3w1d 00:00 ago)",
            "  Input rate     : 0 bps (0 pps)",
            "  Output rate    : 0 bps (0 pps)",
            "  Active alarms  : None",
            "  Active defects : None",
            "  Interface transmit statistics: Disabled",
            "",
            f"  Logical interface {_junos_unit(port.name)} (Index {550 + i}) "
            f"(SNMP ifIndex {600 + i})",
            "    Flags: Up SNMP-Traps 0x24024000 Encapsulation: Ethernet-Bridge",
            "    Input packets : 0",
            "    Output packets: 0",
        ]
        if port.lag:
            out.append(f"    Protocol aenet, AE bundle: {_junos_unit(port.lag)}")
        else:
            out += ["    Protocol eth-switch, MTU: 1514", "      Flags: Is-Primary"]
        out.append("")
    out.append("{master:0}")
    return "\n".join(out) + "\n"


def _junos_switching_interfaces(truth: SwitchFacts) -> str:
    names = {v.vlan_id: v.name for v in truth.vlans or []}
    out = [
        "Routing Instance Name : default-switch",
        "Logical Interface flags (DL - disable learning, AD - packet action drop,",
        "                         LH - MAC limit hit, DN - interface down,",
        "                         MMAS - Mac-move action shutdown, AS - Autostate-exclude enabled,",
        "                         SCTL - shutdown by Storm-control, MI - MAC+IP limit hit)",
        "",
        "Logical         Vlan          TAG     MAC     MAC+IP  STP         Logical"
        "           Tagging",
        "interface       members               limit   limit   state       interface flags",
    ]
    for port in _ports(truth):
        if port.lag or port.mode not in (PortMode.ACCESS, PortMode.TRUNK):
            continue
        trunk = port.mode is PortMode.TRUNK
        flags = "" if port.oper_up else "DN"
        stp = "Forwarding" if port.oper_up else "Discarding"
        out.append(
            f"{_junos_unit(port.name):<16}{'':22}294912  0       {'':<12}{flags:<18}"
            f"{'tagged' if trunk else 'untagged'}"
        )
        members: list[tuple[int, str]] = []
        if trunk:
            if port.native_vlan is not None:
                members.append((port.native_vlan, "untagged"))
            members += [(v, "tagged") for v in port.allowed_vlans or () if v != port.native_vlan]
        elif port.access_vlan is not None:
            members.append((port.access_vlan, "untagged"))
        for vid, tagging in sorted(members):
            out.append(
                f"{'':16}{names.get(vid, f'vlan{vid}'):<14}{vid:<8}294912  0       "
                f"{stp:<12}{'':18}{tagging}"
            )
    out += ["", "{master:0}"]
    return "\n".join(out) + "\n"


def _junos_lacp(truth: SwitchFacts) -> str:
    lag = _lag_of(truth)
    if lag is None:
        return "\n{master:0}\n"
    out = [
        f"Aggregated interface: {lag.name}",
        "    LACP state:       Role   Exp   Def  Dist  Col  Syn  Aggr  Timeout  Activity",
    ]
    for member in lag.lag_members:
        out += [
            f"      {member:<12} Actor    No    No   Yes  Yes  Yes   Yes     Fast    Active",
            f"      {member:<12}Partner    No    No   Yes  Yes  Yes   Yes     Fast    Active",
        ]
    out.append("    LACP protocol:        Receive State  Transmit State          Mux State")
    out += [
        f"      {member:<12}              Current   Fast periodic Collecting distributing"
        for member in lag.lag_members
    ]
    out += ["", "{master:0}"]
    return "\n".join(out) + "\n"


def _junos_vlans(truth: SwitchFacts) -> str:
    members: dict[int, list[str]] = {}
    for port in _ports(truth):
        if port.lag:
            continue
        vids: tuple[int, ...] = ()
        if port.mode is PortMode.ACCESS and port.access_vlan is not None:
            vids = (port.access_vlan,)
        elif port.mode is PortMode.TRUNK:
            vids = tuple(port.allowed_vlans or ()) + (
                (port.native_vlan,) if port.native_vlan is not None else ()
            )
        star = "*" if port.oper_up else ""
        for vid in sorted(set(vids)):
            members.setdefault(vid, []).append(_junos_unit(port.name) + star)
    out = ["", "Routing instance        VLAN name             Tag          Interfaces"]
    for vlan in truth.vlans or []:
        out.append(f"{'default-switch':<24}{vlan.name:<22}{vlan.vlan_id}")
        out += [f"{'':59}{name}" for name in sorted(members.get(vlan.vlan_id, []))]
        out.append("")
    out.append("{master:0}")
    return "\n".join(out) + "\n"


def _junos_mac_table(truth: SwitchFacts) -> str:
    names = {v.vlan_id: v.name for v in truth.vlans or []}
    rows = truth.fdb or []
    learned = sum(1 for e in rows if e.entry_type is FdbEntryType.DYNAMIC)
    out = [
        "",
        "MAC flags (S - static MAC, D - dynamic MAC, L - locally learned, P - Persistent static",
        "           SE - statistics enabled, NM - non configured MAC, R - remote PE MAC, O -"
        " ovsdb MAC)",
        "",
        "",
        f"Ethernet switching table : {len(rows)} entries, {learned} learned",
        "Routing instance : default-switch",
        "    Vlan                MAC                 MAC         Age    Logical"
        "                NH        RTR",
        "    name                address             flags              interface"
        "              Index     ID",
    ]
    for e in rows:
        flag = "S" if e.entry_type is FdbEntryType.STATIC else "D"
        name = names.get(e.vlan or 0, f"vlan{e.vlan}")
        out.append(f"    {name:<20}{e.mac:<20}{flag:<14}-   {_junos_unit(e.port):<23}0         0")
    out += ["", "{master:0}"]
    return "\n".join(out) + "\n"


JUNOS_SUBTYPES = {
    "mac": "Mac address",
    "local": "Locally assigned",
    "interface-name": "Interface name",
    "network-address": "Network address",
    "interface-alias": "Interface alias",
}


def _junos_lldp_detail(truth: SwitchFacts) -> str:
    lag_of = {p.name: p.lag for p in _ports(truth)}
    out: list[str] = []
    for index, n in enumerate(truth.lldp or [], start=1):
        caps = " ".join(c.capitalize() for c in n.capabilities)
        out += [
            "LLDP Neighbor Information:",
            "Local Information:",
            f"Index: {index} Time to live: 120 Time mark: Mon Nov 23 10:00:00 2026 Age: 12 secs",
            f"Local Interface    : {n.local_port}",
            f"Parent Interface   : {lag_of.get(n.local_port) or '-'}",
            f"Local Port ID      : {500 + index}",
            "Ageout Count       : 0",
            "",
            "Neighbour Information:",
            f"Chassis type       : {JUNOS_SUBTYPES[n.chassis_id_subtype or 'mac']}",
            f"Chassis ID         : {n.chassis_id}",
            f"Port type          : {JUNOS_SUBTYPES[n.port_id_subtype or 'interface-name']}",
            f"Port ID            : {n.port_id}",
        ]
        if n.port_description:
            out.append(f"Port description   : {n.port_description}")
        out += [
            f"System name        : {n.system_name}",
            "",
            "System Description : Lab device",
            "",
            "System capabilities",
            f"        Supported: {caps}",
            f"        Enabled  : {caps}",
            "",
        ]
        if n.management_address:
            out += [
                "Management Info",
                "        Type              : IPv4",
                f"        Address           : {n.management_address}",
                "        Port ID           : 999999",
                "        Subtype           : 2",
                "        Interface Subtype : ifIndex(2)",
                "        OID               : 1.3.6.1.2.1.31.1.1.1.1.999999",
                "",
            ]
    out.append("{master:0}")
    return "\n".join(out) + "\n"


def _junos_configuration(truth: SwitchFacts) -> str:
    out = [
        "## Last commit: 2026-11-01 10:00:00 UTC by admin",
        "version 21.4R3.15;",
        "system {",
        f"    host-name {truth.device};",
        "    login {",
        "        user admin {",
        "            class super-user;",
        "            authentication {",
        '                encrypted-password "$6$lab$0123456789abcdef"; ## SECRET-DATA',
        "            }",
        "        }",
        "    }",
        "}",
        "interfaces {",
    ]
    for port in _ports(truth):
        out.append(f"    {port.name} {{")
        if port.description:
            out.append(f'        description "{port.description}";')
        if not port.admin_up:
            out.append("        disable;")
        if port.lag:
            out.append(f"        ether-options {{ 802.3ad {port.lag}; }}")
        elif port.mode is PortMode.TRUNK:
            vlans = " ".join(str(v) for v in port.allowed_vlans or ())
            if port.native_vlan is not None:
                out.append(f"        native-vlan-id {port.native_vlan};")
            out.append(
                "        unit 0 { family ethernet-switching { interface-mode trunk; "
                f"vlan {{ members [ {vlans} ]; }} }} }}"
            )
        elif port.mode is PortMode.ACCESS:
            out.append(
                "        unit 0 { family ethernet-switching { interface-mode access; "
                f"vlan {{ members {port.access_vlan}; }} }} }}"
            )
        out.append("    }")
    out += ["}", "vlans {"]
    out += [f"    {v.name} {{ vlan-id {v.vlan_id}; }}" for v in truth.vlans or []]
    out += [
        "}",
        "snmp {",
        '    community "lab-community" { authorization read-only; }',
        "}",
        "",
        "{master:0}",
    ]
    return "\n".join(out) + "\n"


def render_juniper_junos(truth: SwitchFacts) -> dict[str, str]:
    return {
        "show version": _junos_version(truth),
        "show chassis hardware": _junos_chassis_hardware(truth),
        "show interfaces": _junos_interfaces(truth),
        "show ethernet-switching interfaces": _junos_switching_interfaces(truth),
        "show lacp interfaces": _junos_lacp(truth),
        "show vlans": _junos_vlans(truth),
        "show ethernet-switching table": _junos_mac_table(truth),
        "show lldp neighbors detail": _junos_lldp_detail(truth),
        "show configuration": _junos_configuration(truth),
        **cli_join_outputs(truth, "juniper_junos"),
    }


RENDERERS: dict[str, Callable[[SwitchFacts], dict[str, str]]] = {
    "cisco_ios": render_cisco_ios,
    "cisco_nxos": render_cisco_nxos,
    "arista_eos": render_arista_eos,
    "juniper_junos": render_juniper_junos,
}


def render_cli(truth: SwitchFacts, platform: str) -> dict[str, str]:
    """Command → output text for a lab switch on ``platform``."""
    renderer = RENDERERS.get(platform)
    if renderer is None:
        raise ValueError(
            f"no CLI renderer for platform {platform!r} (have: {', '.join(sorted(RENDERERS))})"
        )
    from xsfabric.lab.render_hygiene import harden_lab_ports  # issue 11: hardened host ports

    return harden_lab_ports(platform, truth, renderer(truth))


def write_cli_device(devices_dir: Path, truth: SwitchFacts, platform: str) -> Path:
    """Write ``devices_dir/<device>/platform`` and one ``<command>.txt`` per command."""
    folder = devices_dir / truth.device
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "platform").write_text(f"{platform}\n")
    for command, text in render_cli(truth, platform).items():
        (folder / command_filename(command)).write_text(text)
    return folder
