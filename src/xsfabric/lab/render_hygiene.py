"""Hardened host ports on the lab switches, beside ports left as they are.

Why: the demo must show hygiene findings *and* their near misses on the same switch. Every
lab port whose description names a host's ``eth1`` (``xs-prod-01 eth1``) gets the hardening a
hypervisor port needs — BPDU guard on an edge port, storm control, RA / DHCPv6 guard, CDP off,
DTP off and a native VLAN that is neither 1 nor a guest VLAN on trunks — while the other host
ports keep the plain rendering and so carry the violations the hygiene rules report.

The rendered running configuration is post-processed (lines inserted under the interface
header), so the renderers in :mod:`xsfabric.lab.render_cli` stay as they are.
"""

from __future__ import annotations

import re

from xsfabric.switch.model import PortMode, SwitchFacts

#: NIC whose switch ports the lab hardens.
HARDENED_NIC = "eth1"
#: Native VLAN of hardened trunks (never carried, never a guest VLAN).
LAB_NATIVE_VLAN = 998

_INDENT = {"cisco_ios": " ", "cisco_nxos": "  ", "arista_eos": "   "}


def _lines(platform: str, trunk: bool, untagged_vlan1: bool) -> list[str]:
    if platform == "cisco_ios":
        lines = [
            "switchport nonegotiate",
            "spanning-tree portfast edge trunk" if trunk else "spanning-tree portfast",
            "spanning-tree bpduguard enable",
            "storm-control broadcast level 5.00",
            "ipv6 nd raguard attach-policy HOSTS",
            "ipv6 dhcp guard attach-policy HOSTS",
            "no cdp enable",
        ]
    elif platform == "cisco_nxos":
        lines = [
            "spanning-tree port type edge trunk" if trunk else "spanning-tree port type edge",
            "spanning-tree bpduguard enable",
            "storm-control broadcast level 5.00",
            "ipv6 nd raguard attach-policy HOSTS",
            "ipv6 dhcp guard attach-policy HOSTS",
            "no cdp enable",
        ]
    else:
        lines = [
            "spanning-tree portfast",
            "spanning-tree bpduguard enable",
            "storm-control broadcast level 5",
            "ipv6 nd ra guard policy HOSTS",
            "ipv6 dhcp guard policy HOSTS",
        ]
    if trunk and not untagged_vlan1:
        # a trunk whose hosts use VLAN 1 untagged keeps it: hardening must not move traffic
        lines.append(f"switchport trunk native vlan {LAB_NATIVE_VLAN}")
    return lines


def harden_lab_ports(platform: str, truth: SwitchFacts, outputs: dict[str, str]) -> dict[str, str]:
    """``outputs`` with the hardening inserted into ``show running-config``."""
    indent = _INDENT.get(platform)
    text = outputs.get("show running-config")
    if indent is None or text is None:
        return outputs
    hardened = {
        p.name: (p.mode is PortMode.TRUNK, 1 in (p.allowed_vlans or ()))
        for p in truth.ports or []
        if re.search(rf"\s{HARDENED_NIC}$", p.description or "")
    }
    if not hardened:
        return outputs
    out: list[str] = []
    for line in text.splitlines():
        out.append(line)
        m = re.match(r"^interface (\S+)\s*$", line)
        if m and m.group(1) in hardened:
            out += [indent + extra for extra in _lines(platform, *hardened[m.group(1)])]
    return {**outputs, "show running-config": "\n".join(out) + "\n"}
