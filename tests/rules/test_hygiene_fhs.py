"""IP source guard on host access ports, and RA guard / DHCPv6 guard on Junos (issue 11).

Each case is a near miss of a platform's hardened fixture (``tests/switch/configs``): host
port 2 (a XenServer NIC by FDB evidence) becomes an access port of the internet-facing guest
VLAN 100, with and without source guard, or one first-hop guard line is taken away. The
vendor syntax follows the vendor documentation: IOS and EOS ``ip verify source``, NX-OS
``ip verify source dhcp-snooping-vlan``, Junos ELS ``vlans <v> forwarding-options
dhcp-security ip-source-guard`` / ``neighbor-discovery-inspection`` / ``group … overrides
untrusted`` and ``forwarding-options access-security router-advertisement-guard``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.rules import test_hygiene as base

from xsfabric.rules.engine import REGISTRY, Category, load_rules, run_rules

IPSG = "sw-ip-source-guard-missing"
G12 = "sw-g12-guest-l2-protection"

#: Host port 2 as an access port of guest VLAN 100, hardened otherwise; "{ipsg}" is where the
#: platform's interface source-guard line goes (Junos: per VLAN, see _junos_ipsg).
ACCESS_PORT = {
    "cisco_ios": (
        r"interface GigabitEthernet1/0/2\n(?: .*\n)*",
        "interface GigabitEthernet1/0/2\n description xs-host1 eth1\n"
        " switchport access vlan 100\n switchport mode access\n switchport nonegotiate\n"
        " spanning-tree portfast edge\n spanning-tree bpduguard enable\n"
        " storm-control broadcast level 5.00\n ipv6 nd raguard attach-policy HOSTS\n"
        " ipv6 dhcp guard attach-policy HOSTS\n no cdp enable\n{ipsg}",
        " ip verify source\n",
    ),
    "cisco_nxos": (
        r"interface Ethernet1/2\n(?:  .*\n)*",
        "interface Ethernet1/2\n  description xs-host1 eth1\n  switchport\n"
        "  switchport mode access\n  switchport access vlan 100\n"
        "  spanning-tree port type edge\n  spanning-tree bpduguard enable\n"
        "  storm-control broadcast level 5.00\n  ipv6 nd raguard attach-policy HOSTS\n"
        "  ipv6 dhcp guard attach-policy HOSTS\n  no cdp enable\n{ipsg}  no shutdown\n",
        "  ip verify source dhcp-snooping-vlan\n",
    ),
    "arista_eos": (
        r"interface Ethernet2\n(?:   .*\n)*",
        "interface Ethernet2\n   description xs-host1 eth1\n   switchport access vlan 100\n"
        "   switchport mode access\n   spanning-tree portfast\n"
        "   spanning-tree bpduguard enable\n   storm-control broadcast level 5\n"
        "   ipv6 nd ra guard policy HOSTS\n   ipv6 dhcp guard policy HOSTS\n{ipsg}",
        "   ip verify source\n",
    ),
    "juniper_junos": (
        r"    ge-0/0/2 \{\n(?:        .*\n|    \}\n(?=        ))*?    \}\n",
        '    ge-0/0/2 {\n        description "xs-host1 eth1";\n        unit 0 {\n'
        "            family ethernet-switching {\n                interface-mode access;\n"
        "                vlan {\n                    members guest;\n                }\n"
        "                storm-control default;\n            }\n        }\n    }\n",
        "",
    ),
}


def _hardened(platform: str) -> str:
    return (base.CONFIGS / platform / "hardened.txt").read_text()


def _access(platform: str, guarded: bool) -> str:
    pattern, block, line = ACCESS_PORT[platform]
    text, count = re.subn(
        pattern, block.replace("{ipsg}", line if guarded else ""), _hardened(platform), count=1
    )
    assert count == 1, platform
    if platform == "juniper_junos" and guarded:
        text = _junos_ipsg(text, "guest")
    return text


def _junos_ipsg(text: str, vlan: str) -> str:
    marker = f"    {vlan} {{\n        vlan-id"
    assert marker in text
    head, _, tail = text.partition(marker)
    vid_line, _, rest = tail.partition("\n")
    if vlan == "guest":
        return (
            head
            + marker
            + vid_line
            + "\n"
            + rest.replace(
                "                arp-inspection;\n",
                "                arp-inspection;\n                ip-source-guard;\n",
                1,
            )
        )
    return (
        head + marker + vid_line + "\n        forwarding-options {\n            dhcp-security {\n"
        "                ip-source-guard;\n            }\n        }\n" + rest
    )


def _run(tmp_path: Path, platform: str, text: str, rules: list[str] | None = None) -> list[str]:
    load_rules()
    hygiene = rules or [
        r for r, v in REGISTRY.items() if v.meta.category == Category.SWITCH_HYGIENE
    ]
    folder = tmp_path / "cfg" / platform
    folder.mkdir(parents=True)
    (folder / "case.txt").write_text(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(base, "CONFIGS", tmp_path / "cfg")
        results = run_rules(base._estate(tmp_path, platform, "case"), hygiene)
    return [f"{f.rule_id}: {f.message}" for f in results.findings]


@pytest.mark.parametrize("platform", base.PLATFORMS)
def test_host_access_port_without_source_guard_fires(tmp_path: Path, platform: str) -> None:
    found = _run(tmp_path, platform, _access(platform, guarded=False))
    port = base.PORTS[platform][1]
    assert [m for m in found if m.startswith(IPSG)] == [
        m for m in found if m.startswith(IPSG) and f" {port} " in m and "guest VLAN 100" in m
    ]
    assert len([m for m in found if m.startswith(IPSG)]) == 1, found
    # nothing else changed: the port is otherwise hardened
    assert [m for m in found if not m.startswith(IPSG)] == []


@pytest.mark.parametrize("platform", base.PLATFORMS)
def test_host_access_port_with_source_guard_passes(tmp_path: Path, platform: str) -> None:
    assert _run(tmp_path, platform, _access(platform, guarded=True)) == []


def test_urpf_is_not_source_guard(tmp_path: Path) -> None:
    """``ip verify unicast source reachable-via rx`` is uRPF (routed ports), not IPSG."""
    text = _access("cisco_ios", guarded=False).replace(
        " no cdp enable\n", " no cdp enable\n ip verify unicast source reachable-via rx\n", 1
    )
    found = _run(tmp_path, "cisco_ios", text, [IPSG])
    assert len(found) == 1 and "GigabitEthernet1/0/2" in found[0]


def test_junos_source_guard_on_another_vlan_does_not_cover(tmp_path: Path) -> None:
    text = _junos_ipsg(_access("juniper_junos", guarded=False), "storage")
    found = _run(tmp_path, "juniper_junos", text, [IPSG])
    assert len(found) == 1 and "without dhcp-security ip-source-guard" in found[0], found


def test_junos_trusted_port_is_exempt_from_source_guard(tmp_path: Path) -> None:
    text = _access("juniper_junos", guarded=True).replace("untrusted;", "trusted;", 1)
    found = _run(tmp_path, "juniper_junos", text, [IPSG])
    assert len(found) == 1 and "DHCP-snooping trusted" in found[0], found


def test_trunk_host_ports_are_not_asked_for_source_guard(tmp_path: Path) -> None:
    """The hardened fixtures' host ports are trunks without source guard: no finding."""
    for platform in base.PLATFORMS:
        assert _run(tmp_path / platform, platform, _hardened(platform), [IPSG]) == []


# -- Junos RA guard / DHCPv6 guard (G12) ---------------------------------------------------


def _g12_ports(found: list[str]) -> list[str]:
    return [m for m in found if m.startswith(G12)]


def test_junos_host_trunk_without_ra_guard(tmp_path: Path) -> None:
    text = _hardened("juniper_junos").replace(
        "            interface ge-0/0/2.0 {\n                mark-interface block;\n"
        "            }\n",
        "",
        1,
    )
    found = _g12_ports(_run(tmp_path, "juniper_junos", text, [G12]))
    assert len(found) == 1, found
    assert "ge-0/0/2" in found[0] and "has no RA guard" in found[0]
    assert "DHCPv6" not in found[0]


def test_junos_ra_guard_per_vlan_covers_the_ports(tmp_path: Path) -> None:
    text = re.sub(
        r"            interface ge-0/0/\d\.0 \{\n                mark-interface block;\n"
        r"            \}\n",
        "",
        _hardened("juniper_junos"),
    ).replace(
        "        router-advertisement-guard {\n",
        "        router-advertisement-guard {\n            policy HOSTS {\n"
        "                discard {\n                    source-ip-address-list any;\n"
        "                }\n            }\n            vlans guest {\n"
        "                policy HOSTS stateless;\n            }\n",
        1,
    )
    assert "mark-interface" not in text
    assert _run(tmp_path, "juniper_junos", text, [G12]) == []


def test_junos_marked_trusted_is_not_guarded(tmp_path: Path) -> None:
    text = _hardened("juniper_junos").replace("mark-interface block;", "mark-interface trusted;", 1)
    found = _run(tmp_path, "juniper_junos", text, [G12])
    assert len(found) == 1 and "ge-0/0/1" in found[0] and "RA guard" in found[0], found


def test_junos_without_dhcpv6_snooping(tmp_path: Path) -> None:
    text = _hardened("juniper_junos").replace(
        "                neighbor-discovery-inspection;\n", ""
    )
    found = _run(tmp_path, "juniper_junos", text, [G12])
    assert len(found) == 2, found  # both host trunks
    assert all("DHCPv6 guard" in m and "RA guard" not in m for m in found)


def test_junos_trunks_are_dhcp_trusted_by_default(tmp_path: Path) -> None:
    """Junos trusts trunk ports for DHCP snooping unless a group overrides them."""
    text = re.sub(
        r"                group xen-hosts \{\n(?:                    .*\n)*?                \}\n",
        "",
        _hardened("juniper_junos"),
    )
    assert "xen-hosts" not in text
    found = _run(tmp_path, "juniper_junos", text, [G12])
    assert len(found) == 2, found
    assert all("DHCP-snooping trusted" in m and "Junos trusts trunk ports" in m for m in found)
    # ... and trusted ports are outside DHCPv6 snooping too
    assert all("DHCPv6 guard" in m for m in found)


def test_junos_weak_lacks_every_guard(tmp_path: Path) -> None:
    found = _run(
        tmp_path, "juniper_junos", (base.CONFIGS / "juniper_junos" / "weak.txt").read_text(), [G12]
    )
    port = [m for m in found if "ge-0/0/1 " in m]
    assert port and "RA guard" in port[0] and "DHCPv6 guard" in port[0], found


def test_ios_first_hop_security_per_vlan(tmp_path: Path) -> None:
    """IOS ``vlan configuration 100`` with RA guard and DHCPv6 guard covers the host ports."""
    text = (
        _hardened("cisco_ios")
        .replace(" ipv6 nd raguard attach-policy HOSTS\n", "")
        .replace(" ipv6 dhcp guard attach-policy HOSTS\n", "")
    )
    without = _run(tmp_path / "a", "cisco_ios", text, [G12])
    assert len(without) == 2 and all("RA guard / DHCPv6 guard" in m for m in without), without
    text = text.replace(
        "ip dhcp snooping\n",
        "ip dhcp snooping\nvlan configuration 100\n ipv6 nd raguard attach-policy HOSTS\n"
        " ipv6 dhcp guard attach-policy HOSTS\n",
        1,
    )
    assert _run(tmp_path / "b", "cisco_ios", text, [G12]) == []


def test_junos_set_form_and_legacy_ex_statements() -> None:
    """The parser reads the ``set`` form and the legacy (non-ELS) EX statements too."""
    from xsfabric.switch.config import parse_config

    legacy = parse_config(
        "ex",
        "juniper_junos",
        "set vlans guest vlan-id 100\n"
        "set interfaces ge-0/0/5 unit 0 family ethernet-switching port-mode access\n"
        "set interfaces ge-0/0/5 unit 0 family ethernet-switching vlan members guest\n"
        "set interfaces ge-0/0/6 unit 0 family ethernet-switching port-mode trunk\n"
        "set ethernet-switching-options secure-access-port vlan guest examine-dhcp\n"
        "set ethernet-switching-options secure-access-port vlan guest ip-source-guard\n"
        "set ethernet-switching-options secure-access-port vlan guest examine-dhcpv6\n"
        "set ethernet-switching-options secure-access-port interface ge-0/0/5 dhcp-trusted\n",
    )
    assert legacy.dhcp_snooping_vlans == {100}
    assert legacy.ip_source_guard_vlans == {100}
    assert legacy.dhcpv6_guard_vlans == {100}
    assert legacy.interfaces["ge-0/0/5"].dhcp_snooping_trust  # dhcp-trusted
    assert legacy.interfaces["ge-0/0/6"].dhcp_snooping_trust  # a trunk, by default
    els = parse_config(
        "ex",
        "juniper_junos",
        "set vlans guest vlan-id 100\nset vlans storage vlan-id 200\n"
        "set interfaces ge-0/0/1 unit 0 family ethernet-switching interface-mode trunk\n"
        "set vlans guest forwarding-options dhcp-security group hosts overrides untrusted\n"
        "set vlans guest forwarding-options dhcp-security group hosts interface ge-0/0/1.0\n"
        "set vlans guest forwarding-options dhcp-security group up overrides trusted\n"
        "set vlans guest forwarding-options dhcp-security group up interface ge-0/0/48.0\n"
        "set forwarding-options access-security router-advertisement-guard vlans all "
        "policy HOSTS stateless\n",
    )
    assert els.dhcp_snooping_vlans == {100}  # any dhcp-security stanza turns it on
    assert els.ra_guard_vlans == {100, 200}
    assert not els.interfaces["ge-0/0/1"].dhcp_snooping_trust  # overridden untrusted
