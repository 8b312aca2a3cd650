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

from xsfabric.snapshot import command_filename
from xsfabric.switch.model import FdbEntryType, PortMode, SwitchFacts, SwitchPort

CAPABILITY_LETTERS = {"bridge": "B", "router": "R", "station": "S", "telephone": "T",
                      "wlan-access-point": "W", "repeater": "P", "docsis-cable-device": "C",
                      "other": "O"}


def _dotted(mac: str) -> str:
    """``00:1b:21:0a:ba:30`` → ``001b.210a.ba30`` (Cisco's form)."""
    return str(mac_to_format(mac, "MAC_DOT_FOUR"))


def _is_mac(value: str) -> bool:
    return len(value) == 17 and value.count(":") == 5


def _vlan_list(vlans: tuple[int, ...] | None) -> str:
    return ",".join(str(v) for v in vlans) if vlans else "ALL"


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
    members: dict[int, list[str]] = {}
    for port in _ports(truth):
        if port.mode is PortMode.ACCESS and port.access_vlan is not None:
            members.setdefault(port.access_vlan, []).append(port.short_name)
    out = ["", "VLAN Name                             Status    Ports",
           "---- -------------------------------- --------- -------------------------------"]
    for vlan in truth.vlans or []:
        ports = members.get(vlan.vlan_id, [])
        chunks = [", ".join(ports[i:i + 4]) for i in range(0, len(ports), 4)] or [""]
        out.append(f"{vlan.vlan_id:<4} {vlan.name:<32} {vlan.state or 'active':<9} "
                   f"{chunks[0]}".rstrip())
        out += [f"{'':48}{chunk}" for chunk in chunks[1:]]
    out += ["", "VLAN Type  SAID       MTU   Parent RingNo BridgeNo Stp  BrdgMode Trans1 Trans2",
            "---- ----- ---------- ----- ------ ------ -------- ---- -------- ------ ------"]
    out += [f"{v.vlan_id:<4} enet  {100000 + v.vlan_id:<10} 1500  -      -      -        -"
            "    -        0      0" for v in truth.vlans or []]
    return "\n".join(out) + "\n"


def _ios_mac_table(truth: SwitchFacts) -> str:
    out = ["          Mac Address Table", "-------------------------------------------", "",
           "Vlan    Mac Address       Type        Ports",
           "----    -----------       --------    -----",
           " All    0100.0ccc.cccc    STATIC      CPU",
           " All    0180.c200.0000    STATIC      CPU"]
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
        out += [f"Local Intf: {_short(n.local_port)}", f"Chassis id: {chassis}",
                f"Port id: {port_id}", f"Port Description: {n.port_description}",
                f"System Name: {n.system_name}", "", "System Description: ",
                "Lab device", "", "Time remaining: 101 seconds",
                f"System Capabilities: {caps}", f"Enabled Capabilities: {caps}"]
        if n.management_address:
            out += ["Management Addresses:", f"    IP: {n.management_address}"]
        else:
            out.append("Management Addresses - not advertised")
        out += ["Auto Negotiation - not supported",
                "Physical media capabilities - not advertised",
                "Media Attachment Unit type - not advertised",
                "Vlan ID: - not advertised", "", sep]
    out += ["", f"Total entries displayed: {len(truth.lldp or [])}", ""]
    return "\n".join(out)


def _ios_running_config(truth: SwitchFacts) -> str:
    out = ["Building configuration...", "", "Current configuration : 4242 bytes", "!",
           "version 15.2", f"hostname {truth.device}", "!",
           "enable secret 5 $1$lab0$0123456789abcdefABCDEF",
           "username admin privilege 15 secret 5 $1$lab1$0123456789abcdefABCDEF", "!"]
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
            out.append(f" channel-group {''.join(c for c in port.lag if c.isdigit())}"
                       " mode active")
        if not port.admin_up:
            out.append(" shutdown")
        out.append("!")
    out += ["snmp-server community lab-community RO", "line vty 0 4", " transport input ssh",
            "!", "end", ""]
    return "\n".join(out)


def _ios_hosts(truth: SwitchFacts) -> str:
    return ("Default domain is lab.example\nName/address lookup uses static mappings\n\n"
            "Codes: UN - unknown, EX - expired, OK - OK, ?? - revalidate\n"
            "       temp - temporary, perm - permanent\n       NA - Not Applicable None - "
            "Not defined\n\nHost                      Port  Flags      Age Type   Address(es)\n")


def _ios_ip_brief(truth: SwitchFacts) -> str:
    out = ["Interface              IP-Address      OK? Method Status                Protocol"]
    for port in _ports(truth):
        status = ("administratively down" if not port.admin_up
                  else "up" if port.oper_up else "down")
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
        "show running-config": _ios_running_config(truth),
        "show hosts": _ios_hosts(truth),
        "show ip interface brief": _ios_ip_brief(truth),
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
    return "connected" if port.oper_up else "notconnect"


def _nxos_interface_status(truth: SwitchFacts) -> str:
    out = ["", "-" * 79,
           "Port          Name               Status    Vlan      Duplex  Speed   Type",
           "-" * 79]
    for port in _ports(truth):
        vlan = "trunk" if port.mode is PortMode.TRUNK else str(port.access_vlan or 1)
        speed = "1000" if port.speed_mbps == 1000 else "auto"
        desc = port.description[:18]
        kind = "--" if port.lag_members else "10Gbase-SR"
        out.append(f"{_nxos_short(port.name):<13} {desc:<18} {_nxos_status_word(port):<9} "
                   f"{vlan:<9} full    {speed:<7} {kind}")
    return "\n".join(out) + "\n"


def _nxos_short(name: str) -> str:
    if name.startswith("Ethernet"):
        return "Eth" + name.removeprefix("Ethernet")
    if name.lower().startswith("port-channel"):
        return "Po" + name[len("port-channel"):]
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
    members: dict[int, list[str]] = {}
    for port in _ports(truth):
        if port.mode is PortMode.ACCESS and port.access_vlan is not None:
            members.setdefault(port.access_vlan, []).append(_nxos_short(port.name))
    out = ["", "VLAN Name                             Status    Ports",
           "---- -------------------------------- --------- -------------------------------"]
    for vlan in truth.vlans or []:
        ports = members.get(vlan.vlan_id, [])
        chunks = [", ".join(ports[i:i + 4]) for i in range(0, len(ports), 4)] or [""]
        out.append(f"{vlan.vlan_id:<4} {vlan.name:<32} {vlan.state or 'active':<9} "
                   f"{chunks[0]}".rstrip())
        out += [f"{'':48}{chunk}" for chunk in chunks[1:]]
    out += ["", "VLAN Type         Vlan-mode", "---- -----        ----------"]
    out += [f"{v.vlan_id:<4} enet         CE" for v in truth.vlans or []]
    return "\n".join(out) + "\n"


def _nxos_vlan_json(truth: SwitchFacts) -> str:
    members: dict[int, list[str]] = {}
    for port in _ports(truth):
        if port.mode is PortMode.ACCESS and port.access_vlan is not None:
            members.setdefault(port.access_vlan, []).append(port.name)
    rows = [{"vlanshowbr-vlanid": v.vlan_id, "vlanshowbr-vlanid-utf": str(v.vlan_id),
             "vlanshowbr-vlanname": v.name, "vlanshowbr-vlanstate": v.state or "active",
             "vlanshowbr-shutstate": "noshutdown",
             "vlanshowplist-ifidx": ",".join(members.get(v.vlan_id, []))}
            for v in truth.vlans or []]
    return json.dumps({"TABLE_vlanbriefxbrief": {"ROW_vlanbriefxbrief": rows}}) + "\n"


def _nxos_mac_table(truth: SwitchFacts) -> str:
    out = ["Legend: ",
           "        * - primary entry, G - Gateway MAC, (R) - Routed MAC, O - Overlay MAC",
           "        age - seconds since last seen,+ - primary entry using vPC Peer-Link,",
           "        (T) - True, (F) - False, C - ControlPlane MAC, ~ - vsan",
           "   VLAN     MAC Address      Type      age     Secure NTFY Ports",
           "---------+-----------------+--------+---------+------+----+------------------"]
    for e in truth.fdb or []:
        kind = "static" if e.entry_type is FdbEntryType.STATIC else "dynamic"
        age = "-" if kind == "static" else "0"
        out.append(f"*  {e.vlan!s:<7} {_dotted(e.mac)}   {kind:<8} {age:<9} F      F    "
                   f"{_nxos_short(e.port)}")
    out.append(f"G    -     {_iface_mac(truth, 0)}   static   -         F      F    sup-eth1(R)")
    return "\n".join(out) + "\n"


def _nxos_lldp_detail(truth: SwitchFacts) -> str:
    out = ["Capability codes:", "  (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device",
           "  (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other", ""]
    for n in truth.lldp or []:
        caps = ", ".join(CAPABILITY_LETTERS[c] for c in n.capabilities)
        chassis = _dotted(n.chassis_id) if _is_mac(n.chassis_id) else n.chassis_id
        port_id = _dotted(n.port_id) if _is_mac(n.port_id) else n.port_id
        out += [f"Chassis id: {chassis}", f"Port id: {port_id}",
                f"Local Port id: {_nxos_short(n.local_port)}",
                f"Port Description: {n.port_description}",
                f"System Name: {n.system_name}", "System Description: Lab device",
                "Time remaining: 101 seconds", f"System Capabilities: {caps}",
                f"Enabled Capabilities: {caps}",
                f"Management Address: {n.management_address or 'not advertised'}",
                "Management Address IPV6: not advertised", "Vlan ID: not advertised", ""]
    out += [f"Total entries displayed: {len(truth.lldp or [])}", ""]
    return "\n".join(out)


def _nxos_running_config(truth: SwitchFacts) -> str:
    out = ["", "!Command: show running-config", "!Running configuration last done at: "
           "Mon Nov 23 10:00:00 2026", "", "version 9.3(8) Bios:version 07.69",
           f"hostname {truth.device}", "feature lacp", "feature lldp", "",
           "username admin password 5 $5$LAB$0123456789abcdef  role network-admin", ""]
    for vlan in truth.vlans or []:
        if vlan.vlan_id != 1:
            out += [f"vlan {vlan.vlan_id}", f"  name {vlan.name}"]
    for port in _ports(truth):
        out += ["", f"interface {port.name}"]
        if port.description:
            out.append(f"  description {port.description}")
        if port.mode is PortMode.TRUNK:
            out += ["  switchport mode trunk",
                    f"  switchport trunk allowed vlan {_nx_allowed(port)}"]
        elif port.access_vlan:
            out.append(f"  switchport access vlan {port.access_vlan}")
        if port.lag:
            out.append(f"  channel-group {''.join(c for c in port.lag if c.isdigit())}"
                       " mode active")
        out.append("  shutdown" if not port.admin_up else "  no shutdown")
    out += ["", "snmp-server community lab-community group network-operator", ""]
    return "\n".join(out)


def _nxos_inventory_json(truth: SwitchFacts) -> str:
    facts = truth.facts
    assert facts is not None
    row = {"name": "Chassis", "desc": f"Nexus9000 {facts.model} Chassis",
           "productid": f"N9K-{facts.model}", "vendorid": "V01", "serialnum": facts.serial}
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
    }


RENDERERS: dict[str, Callable[[SwitchFacts], dict[str, str]]] = {
    "cisco_ios": render_cisco_ios,
    "cisco_nxos": render_cisco_nxos,
}


def render_cli(truth: SwitchFacts, platform: str) -> dict[str, str]:
    """Command → output text for a lab switch on ``platform``."""
    renderer = RENDERERS.get(platform)
    if renderer is None:
        raise ValueError(f"no CLI renderer for platform {platform!r} "
                         f"(have: {', '.join(sorted(RENDERERS))})")
    return renderer(truth)


def write_cli_device(devices_dir: Path, truth: SwitchFacts, platform: str) -> Path:
    """Write ``devices_dir/<device>/platform`` and one ``<command>.txt`` per command."""
    folder = devices_dir / truth.device
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "platform").write_text(f"{platform}\n")
    for command, text in render_cli(truth, platform).items():
        (folder / command_filename(command)).write_text(text)
    return folder
