"""The configuration model: the vendor spellings it must read the same way, the defaults a
missing line stands for, and what it reports as not understood."""

from __future__ import annotations

from pathlib import Path

import pytest

from xsfabric.switch.config import (
    UnknownPlatformError,
    _junos_set_lines,
    parse_config,
)

CONFIGS = Path(__file__).parent / "configs"


def test_trunk_list_edits_in_order() -> None:
    text = (
        "interface GigabitEthernet4/7\n switchport mode trunk\n"
        " switchport trunk allowed vlan remove 1,5-10,20\n"
        " switchport trunk allowed vlan add 7,10\n switchport nonegotiate\n"
    )
    port = parse_config("sw", "cisco_ios", text).interfaces["GigabitEthernet4/7"]
    allowed = set(port.allowed_vlans or ())
    # the VLANs the trunk carries: 2-4, 7, 10, 11-19, 21-4094
    assert allowed == {2, 3, 4, 7, 10, *range(11, 20), *range(21, 4095)}
    assert port.nonegotiate and port.mode == "trunk"


def test_interface_range_is_expanded() -> None:
    text = "interface range GigabitEthernet1/0/1 - 3\n switchport access vlan 999\n shutdown\n"
    config = parse_config("sw", "cisco_ios", text)
    assert sorted(config.interfaces) == [f"GigabitEthernet1/0/{i}" for i in (1, 2, 3)]
    assert all(i.shutdown and i.access_vlan == 999 for i in config.interfaces.values())


def test_older_bpduguard_spelling() -> None:
    text = "interface GigabitEthernet4/6\n spanning-tree portfast bpduguard\n"
    port = parse_config("sw", "cisco_ios", text).interfaces["GigabitEthernet4/6"]
    assert (port.bpduguard, port.edge) == (True, True)


def test_ios_defaults_for_missing_lines() -> None:
    config = parse_config("sw", "cisco_ios", "hostname sw\ninterface GigabitEthernet1/0/1\n")
    # no "line vty": telnet by default; no "ip ssh version 2": 1.99; VTP server; CDP on
    assert config.telnet and not config.ssh_v2_only
    assert (config.vtp_mode, config.cdp_run, config.lldp_run) == ("server", True, False)
    assert config.interfaces["GigabitEthernet1/0/1"].mode is None  # dynamic (DTP) by default


def test_ios_router_is_not_a_switch() -> None:
    text = (
        "hostname r1\ninterface GigabitEthernet1\n ip address 10.0.0.1 255.255.255.0\n"
        "interface GigabitEthernet3\n no ip address\n shutdown\nspanning-tree extend "
        "system-id\n"
    )
    assert not parse_config("r1", "cisco_ios", text).is_switch


@pytest.mark.parametrize(
    ("platform", "text"),
    [
        ("cisco_nxos", "hostname a\nbanner motd #Authorised access only#\n"),
        ("arista_eos", "hostname a\nbanner login\nAuthorised\naccess only\nEOF\n"),
        ("cisco_ios", "hostname a\nbanner login ^C\nAuthorised access only\n^C\n"),
    ],
)
def test_banners_of_every_spelling(platform: str, text: str) -> None:
    config = parse_config("a", platform, text)
    assert config.banner and config.unrecognized == () and config.hostname == "a"


def test_junos_hierarchical_and_set_forms_agree() -> None:
    text = (CONFIGS / "juniper_junos" / "hardened.txt").read_text()
    set_form = "\n".join(_junos_set_lines(text))
    assert "SECRET-DATA" not in set_form
    assert "set interfaces ge-0/0/1 unit 0 family ethernet-switching vlan members guest" in (
        set_form.splitlines()
    )
    a = parse_config("ex", "juniper_junos", text)
    b = parse_config("ex", "juniper_junos", set_form)
    assert a.interfaces == b.interfaces
    assert a.interfaces["ge-0/0/1"].allowed_vlans == (100, 200)
    assert a.interfaces["ge-0/0/3"].access_vlan == 999


def test_not_understood_lines_are_kept() -> None:
    config = parse_config("sw", "cisco_ios", "hostname sw\nfrobnicate all ports\n")
    assert config.unrecognized == ("frobnicate all ports",)


def test_unknown_platform() -> None:
    with pytest.raises(UnknownPlatformError, match="'hp_procurve' has no configuration model"):
        parse_config("sw", "hp_procurve", "hostname sw\n")


def test_other_libraries_platform_names() -> None:
    config = parse_config("sw", "cisco_xe", "hostname sw\nip ssh version 2\n")
    assert (config.platform, config.ssh_v2_only) == ("cisco_ios", True)
    assert parse_config("ex", "junos", "set system host-name ex\n").hostname == "ex"


def test_vty_default_depends_on_the_release() -> None:
    classic = parse_config("sw", "cisco_ios", "version 15.2\nline vty 0 4\n login\n")
    xe = parse_config("sw", "cisco_ios", "version 17.9\nline vty 0 4\n login\n")
    assert (classic.telnet, xe.telnet) == (True, False)


def test_cisco_vlan_names_mark_the_parking_vlan() -> None:
    config = parse_config("sw", "cisco_ios", "vlan 999\n name PARKING\nvlan 10\n name web\n")
    assert config.vlan_names == {"PARKING": 999, "web": 10}
