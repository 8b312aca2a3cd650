"""Platform names through netutils' lib_mapper, checked against the libraries themselves
(netmiko's CLASS_MAPPER, NAPALM's driver loader) and against the tables they replaced."""

from __future__ import annotations

import pytest

from xsfabric.platforms import (
    napalm_driver,
    netmiko_device_type,
    normalize_platform,
    template_platform,
    vendor_of,
)
from xsfabric.switch.allowlist import CLI_COMMANDS
from xsfabric.switch.commands import SWITCH_COMMANDS

#: The aliases cli_parse kept by hand before netutils did it (PLATFORM_ALIASES), verbatim.
OLD_ALIASES = {
    "cisco_xe": "cisco_ios",
    "cisco_ios_ssh": "cisco_ios",
    "cisco_ios_telnet": "cisco_ios",
    "ios": "cisco_ios",
    "cisco_nxos_ssh": "cisco_nxos",
    "nxos": "cisco_nxos",
    "nxos_ssh": "cisco_nxos",
    "eos": "arista_eos",
    "arista_eos_ssh": "arista_eos",
    "juniper": "juniper_junos",
    "junos": "juniper_junos",
}
#: napalm_collect's NAPALM_DRIVERS before netutils did it, verbatim.
OLD_NAPALM_DRIVERS = {
    "cisco_ios": "ios",
    "cisco_xe": "ios",
    "cisco_nxos": "nxos_ssh",
    "arista_eos": "eos",
    "juniper_junos": "junos",
}


@pytest.mark.parametrize(("name", "expected"), sorted(OLD_ALIASES.items()))
def test_template_platform_keeps_every_old_alias(name: str, expected: str) -> None:
    assert template_platform(name) == expected


def test_cisco_iosxe_spellings_read_with_the_ios_command_set() -> None:
    assert {template_platform(n) for n in ("cisco_xe", "cisco_iosxe", "iosxe", "IOS")} == {
        "cisco_ios"
    }
    assert template_platform("cisco_ios") in SWITCH_COMMANDS


@pytest.mark.parametrize(("platform", "driver"), sorted(OLD_NAPALM_DRIVERS.items()))
def test_napalm_driver_matches_the_old_table_and_napalm_has_it(platform: str, driver: str) -> None:
    from napalm import get_network_driver

    assert napalm_driver(platform) == driver
    assert get_network_driver(driver) is not None


def test_platforms_napalm_has_no_driver_for_are_none() -> None:
    assert napalm_driver("brocade_fos") is None
    assert napalm_driver("xenserver") is None


@pytest.mark.parametrize(
    "name",
    [
        "cisco_ios",
        "cisco_xe",
        "cisco_iosxe",
        "ios",
        "nxos_ssh",
        "eos",
        "junos",
        "juniper",
        "cisco_ios_telnet",
    ],
)
def test_netmiko_device_type_is_one_netmiko_knows(name: str) -> None:
    from netmiko.ssh_dispatcher import CLASS_MAPPER

    assert netmiko_device_type(name) in CLASS_MAPPER


def test_every_allowlisted_platform_is_its_own_normal_name() -> None:
    for platform in CLI_COMMANDS:
        assert template_platform(platform) == platform
        assert normalize_platform(platform) == platform


def test_vendor_of_reads_platform_then_enterprise_then_description() -> None:
    assert vendor_of("arista_eos", "1.3.6.1.4.1.9.1.1", "Cisco") == "arista"
    assert vendor_of(None, ".1.3.6.1.4.1.30065.1.3011.7048", None) == "arista"
    assert vendor_of(None, "1.3.6.1.4.1.99999.1", "Cisco IOS Software") == "cisco"
    assert vendor_of("acme_os", None, None) == "other"
