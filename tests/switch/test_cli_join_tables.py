"""CLI tables the cabling join needs: CDP, ARP, MLAG / vPC, ports from ``status`` listings.

Captures are the hand-written fixtures under ``tests/templates`` (each names the vendor
document its format follows) and, for switchport, ntc-templates' corpus fixtures; expected
records are written here from the raw text, not from the parser.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from netutils.vlan import vlanconfig_to_list

from xsfabric.snapshot import command_filename
from xsfabric.switch.cli_neighbors import (
    arp_from_rows,
    cdp_from_rows,
    mlag_from_rows,
    vpc_from_rows,
)
from xsfabric.switch.cli_parse import parse_cli_device, parse_output
from xsfabric.switch.model import ALL_VLANS, ArpEntry, LldpNeighbor, MlagDomain, PortMode

FIXTURES = Path(__file__).parents[1] / "templates"
CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpus" / "ntc-templates"


def _rows(platform: str, command: str, name: str) -> list[dict[str, object]]:
    raw = FIXTURES / platform / command.replace(" ", "_") / name
    return parse_output(platform, command, raw.read_text())


def test_ios_cdp_detail_neighbours_with_multi_line_versions() -> None:
    got = cdp_from_rows(
        _rows(
            "cisco_ios",
            "show cdp neighbors detail",
            "cisco_ios_show_cdp_neighbors_detail_multiline.raw",
        )
    )
    assert got == [
        LldpNeighbor(
            local_port="GigabitEthernet1/0/49",
            chassis_id="dist-1.example.net",
            port_id="GigabitEthernet1/0/1",
            port_id_subtype="interface-name",
            system_name="dist-1.example.net",
            management_address="192.0.2.1",
            capabilities=("bridge", "router"),
            protocol="cdp",
        ),
        LldpNeighbor(
            local_port="GigabitEthernet1/0/50",
            chassis_id="nexus-a(FDO22110ABC)",
            port_id="Ethernet1/49",
            port_id_subtype="interface-name",
            system_name="nexus-a",
            management_address="192.0.2.2",
            capabilities=("bridge", "router"),
            protocol="cdp",
        ),
    ]


def test_nxos_cdp_detail_uses_system_name_and_mgmt_address() -> None:
    got = cdp_from_rows(
        _rows(
            "cisco_nxos",
            "show cdp neighbors detail",
            "cisco_nxos_show_cdp_neighbors_detail_multiline.raw",
        )
    )
    assert [
        (
            n.local_port,
            n.chassis_id,
            n.system_name,
            n.port_id,
            n.management_address,
            n.capabilities,
            n.protocol,
        )
        for n in got
    ] == [
        (
            "Ethernet1/1",
            "access-3(FOC2112X0AB)",
            "access-3",
            "GigabitEthernet1/0/49",
            "192.0.2.33",
            ("bridge",),
            "cdp",
        ),
        (
            "Ethernet1/53",
            "nexus-b(FDO22110ABD)",
            "nexus-b",
            "Ethernet1/53",
            "10.0.0.3",
            ("bridge", "router"),
            "cdp",
        ),
    ]


@pytest.mark.parametrize(
    ("platform", "command", "name", "expected"),
    [
        (
            "cisco_ios",
            "show ip arp",
            "cisco_ios_show_ip_arp.raw",
            [
                ArpEntry("192.0.2.1", "0c:75:bd:11:22:01", "Vlan10", 10),
                ArpEntry("192.0.2.21", "00:1b:21:0a:ba:30", "Vlan10", 10),
                ArpEntry("198.51.100.21", "00:1b:21:0a:ba:31", "Vlan20", 20),
                ArpEntry("203.0.113.9", "00:50:56:ab:00:01", "GigabitEthernet1/0/52", None),
            ],
        ),
        (
            "cisco_nxos",
            "show ip arp",
            "cisco_nxos_show_ip_arp.raw",
            [
                ArpEntry("192.0.2.21", "00:1b:21:0a:ba:30", "Vlan10", 10),
                ArpEntry("192.0.2.22", "00:1b:21:0a:bb:30", "Vlan10", 10),
                ArpEntry("10.0.0.3", "00:de:fb:00:00:03", "Ethernet1/53", None),
            ],
        ),
        (
            "arista_eos",
            "show ip arp",
            "arista_eos_show_ip_arp.raw",
            [
                ArpEntry("192.0.2.21", "00:1b:21:0a:ba:30", "Vlan10", 10),
                ArpEntry("192.0.2.22", "00:1b:21:0a:bb:30", "Vlan10", 10),
                ArpEntry("10.0.0.1", "00:1c:73:aa:00:01", "Ethernet49/1", None),
            ],
        ),
        (
            "juniper_junos",
            "show arp no-resolve",
            "juniper_junos_show_arp_no-resolve.raw",
            [
                ArpEntry("192.0.2.21", "00:1b:21:0a:ba:30", "irb.10", None),
                ArpEntry("198.51.100.21", "00:1b:21:0a:ba:31", "irb.20", None),
                ArpEntry("10.0.0.9", "5c:45:27:aa:01:01", "xe-0/0/47", None),
            ],
        ),
    ],
)
def test_arp_tables(platform: str, command: str, name: str, expected: list[ArpEntry]) -> None:
    assert arp_from_rows(_rows(platform, command, name)) == expected


def test_arp_incomplete_entries_are_no_binding() -> None:
    rows = [{"ip_address": "192.0.2.9", "mac_address": "Incomplete", "interface": "Vlan10"}]
    assert arp_from_rows(rows) == []


def test_nxos_vpc_domain_peer_link_and_vpc_ids() -> None:
    got = vpc_from_rows(_rows("cisco_nxos", "show vpc", "cisco_nxos_show_vpc.raw"))
    assert got == [
        MlagDomain(
            domain_id="42",
            peer_address=None,
            peer_link="Port-channel100",
            local_role="secondary",
            lag_ids=(("Port-channel20", 20), ("Port-channel21", 21)),
        )
    ]


def test_nxos_vpc_peer_address_from_the_keepalive() -> None:
    keepalive = _rows(
        "cisco_nxos", "show vpc peer-keepalive", "cisco_nxos_show_vpc_peer-keepalive.raw"
    )
    got = vpc_from_rows(_rows("cisco_nxos", "show vpc", "cisco_nxos_show_vpc.raw"), keepalive)
    assert [(m.domain_id, m.peer_address) for m in got] == [("42", "10.255.255.2")]


def test_eos_mlag_domain_with_mlag_interfaces() -> None:
    interfaces = _rows("arista_eos", "show mlag interfaces", "arista_eos_show_mlag_interfaces.raw")
    got = mlag_from_rows(_rows("arista_eos", "show mlag", "arista_eos_show_mlag.raw"), interfaces)
    assert got == [
        MlagDomain(
            domain_id="mlag1",
            peer_address="10.255.255.2",
            peer_link="Port-channel10",
            local_role=None,
            lag_ids=(
                ("Port-channel1", 1),
                ("Port-channel10", 10),
                ("Port-channel11", 11),
                ("Port-channel8", 8),
            ),
        )
    ]


def test_eos_mlag_detail_gives_the_role() -> None:
    got = mlag_from_rows(
        _rows("arista_eos", "show mlag detail", "arista_eos_show_mlag_detail.raw"), None
    )
    assert [(m.domain_id, m.peer_address, m.peer_link, m.local_role) for m in got] == [
        ("mlag1", "10.255.255.2", "Port-channel10", "secondary")
    ]


def test_eos_mlag_disabled_is_no_domain() -> None:
    rows = _rows("arista_eos", "show mlag", "arista_eos_show_mlag_disabled.raw")
    assert mlag_from_rows(rows, None) == []


def _device(tmp_path: Path, platform: str, captures: dict[str, str]) -> Path:
    folder = tmp_path / "sw"
    folder.mkdir()
    (folder / "platform").write_text(platform + "\n")
    for command, text in captures.items():
        (folder / command_filename(command)).write_text(text)
    return folder


def _status_lines(names: list[str]) -> str:
    """A ``show interfaces status`` listing of ``names`` (format: the ios fixture above)."""
    lines = ["Port      Name               Status       Vlan       Duplex  Speed Type"]
    lines += [
        f"{n:<9} {'':18} connected    1          a-full a-1000 10/100/1000BaseTX" for n in names
    ]
    return "\n".join(lines) + "\n"


SWITCHPORT = CORPUS / "cisco_ios" / "show_interfaces_switchport"


def _expected_mode(row: dict[str, object]) -> PortMode:
    """The port's mode as IOS states it: the operational mode, or the administrative one
    while the port is down ("down", "", "down (suspended member of bundle Po2)")."""
    for text in (str(row["mode"]), str(row["admin_mode"])):
        if text.startswith("trunk"):
            return PortMode.TRUNK
        if text.startswith("static access"):
            return PortMode.ACCESS
        if text.startswith("dynamic"):
            return PortMode.UNKNOWN
    return PortMode.UNKNOWN


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"ntc-templates corpus not found at {CORPUS}")
@pytest.mark.parametrize(
    "name", sorted(p.stem for p in SWITCHPORT.glob("*.raw")) if SWITCHPORT.is_dir() else []
)
def test_catalyst_saved_with_status_and_switchport_has_a_port_table(
    tmp_path: Path, name: str
) -> None:
    raw = (SWITCHPORT / f"{name}.raw").read_text()
    expected = yaml.safe_load((SWITCHPORT / f"{name}.yml").read_text())["parsed_sample"]
    names = [str(r["interface"]) for r in expected]
    device = _device(
        tmp_path,
        "cisco_ios",
        {"show interfaces status": _status_lines(names), "show interfaces switchport": raw},
    )
    got = parse_cli_device(device, "sw")
    assert got.warnings == []
    assert got.ports is not None
    by_short = {p.short_name: p for p in got.ports}
    assert sorted(by_short) == sorted(set(names))
    for row in expected:
        port = by_short[str(row["interface"])]
        assert port.oper_up is True and port.speed_mbps == 1000
        mode = _expected_mode(row)
        assert port.mode is mode, row
        if mode is PortMode.TRUNK:
            native = str(row["native_vlan"]).split(" ")[0]
            assert port.native_vlan == (int(native) if native.isdigit() else None), row
            vlans = ",".join(str(v) for v in row["trunking_vlans"])
            want = (
                ALL_VLANS
                if vlans.upper() == "ALL"
                else tuple(v for v in vlanconfig_to_list(vlans) if 1 <= v <= 4094)
            )
            assert port.allowed_vlans == want, row
        elif mode is PortMode.ACCESS:
            access = str(row["access_vlan"]).split(" ")[0]
            assert port.access_vlan == (int(access) if access.isdigit() else None), row


def test_nxos_status_listing_gives_names_descriptions_and_state(tmp_path: Path) -> None:
    raw = (
        FIXTURES / "cisco_nxos/show_interface_status" / "cisco_nxos_show_interface_status.raw"
    ).read_text()
    got = parse_cli_device(_device(tmp_path, "cisco_nxos", {"show interface status": raw}), "sw")
    assert got.ports is not None
    ports = {p.name: p for p in got.ports}
    assert (
        ports["Ethernet1/1"].description,
        ports["Ethernet1/1"].oper_up,
        ports["Ethernet1/1"].speed_mbps,
    ) == ("xs-host1 eth0", True, 10000)
    assert (ports["Ethernet1/2"].description, ports["Ethernet1/2"].oper_up) == ("", False)
    assert (ports["Ethernet1/20"].admin_up, ports["Ethernet1/20"].oper_up) == (False, False)
    assert ports["Port-channel10"].description == "peer-link"
    # no switchport capture: mode and access VLAN from the Vlan column (as the raw says),
    # a trunk's VLANs not known (None, not "none"), a routed port routed
    assert (ports["Ethernet1/1"].mode, ports["Ethernet1/1"].access_vlan) == (PortMode.ACCESS, 10)
    assert (ports["Ethernet1/20"].mode, ports["Ethernet1/20"].access_vlan) == (PortMode.ACCESS, 30)
    assert (
        ports["Ethernet1/3"].mode,
        ports["Ethernet1/3"].allowed_vlans,
        ports["Ethernet1/3"].native_vlan,
    ) == (PortMode.TRUNK, None, None)
    assert ports["Management0"].mode is PortMode.ROUTED


def test_ios_status_listing_alone_gives_modes_and_access_vlans(tmp_path: Path) -> None:
    raw = (
        FIXTURES / "cisco_ios/show_interfaces_status" / "cisco_ios_show_interfaces_status.raw"
    ).read_text()
    got = parse_cli_device(_device(tmp_path, "cisco_ios", {"show interfaces status": raw}), "sw")
    assert got.warnings == []
    modes = {p.short_name: (p.mode, p.access_vlan, p.allowed_vlans) for p in got.ports or []}
    assert modes == {
        "Gi1/0/1": (PortMode.ACCESS, 10, None),
        "Gi1/0/2": (PortMode.ACCESS, 1, None),
        "Gi1/0/3": (PortMode.TRUNK, None, None),
        "Gi1/0/20": (PortMode.ACCESS, 30, None),
        "Gi1/0/23": (PortMode.TRUNK, None, None),
        "Te1/0/1": (PortMode.TRUNK, None, None),
        "Po1": (PortMode.TRUNK, None, None),
    }


def test_status_rows_complete_a_full_listing(tmp_path: Path) -> None:
    full = _device(
        tmp_path,
        "cisco_ios",
        {
            "show interfaces": "GigabitEthernet1/0/1 is up, line protocol is up (connected)\n"
            "  Hardware is Gigabit Ethernet, address is 0c75.bd11.2201 "
            "(bia 0c75.bd11.2201)\n  Description: xs-host1 eth0 full text\n"
            "  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,\n",
            "show interfaces status": _status_lines(["Gi1/0/1", "Gi1/0/2"]),
        },
    )
    got = parse_cli_device(full, "sw")
    assert got.ports is not None
    ports = {p.name: p for p in got.ports}
    assert sorted(ports) == ["GigabitEthernet1/0/1", "GigabitEthernet1/0/2"]
    assert ports["GigabitEthernet1/0/1"].description == "xs-host1 eth0 full text"


def test_cdp_arp_mlag_from_a_device_folder(tmp_path: Path) -> None:
    def raw(command: str, name: str) -> str:
        return (FIXTURES / "cisco_nxos" / command.replace(" ", "_") / name).read_text()

    device = _device(
        tmp_path,
        "cisco_nxos",
        {
            "show cdp neighbors detail": raw(
                "show cdp neighbors detail", "cisco_nxos_show_cdp_neighbors_detail_multiline.raw"
            ),
            "show ip arp": raw("show ip arp", "cisco_nxos_show_ip_arp.raw"),
            "show vpc": raw("show vpc", "cisco_nxos_show_vpc.raw"),
        },
    )
    got = parse_cli_device(device, "sw")
    assert got.warnings == []
    assert [n.system_name for n in got.cdp or []] == ["access-3", "nexus-b"]
    assert got.lldp is None  # not saved: not available, not "no neighbours"
    assert len(got.arp or []) == 3
    assert [m.domain_id for m in got.mlag or []] == ["42"]


def test_platform_without_cdp_keeps_it_not_available(tmp_path: Path) -> None:
    raw = (FIXTURES / "arista_eos/show_ip_arp/arista_eos_show_ip_arp.raw").read_text()
    got = parse_cli_device(_device(tmp_path, "arista_eos", {"show arp": raw}), "sw")
    assert got.cdp is None and got.mlag is None
    assert [e.ip for e in got.arp or []] == ["192.0.2.21", "192.0.2.22", "10.0.0.1"]


def test_vpc_brief_saved_instead_of_show_vpc(tmp_path: Path) -> None:
    raw = (FIXTURES / "cisco_nxos/show_vpc/cisco_nxos_show_vpc.raw").read_text()
    got = parse_cli_device(_device(tmp_path, "cisco_nxos", {"show vpc brief": raw}), "sw")
    assert got.warnings == []
    assert [(m.domain_id, m.peer_link) for m in got.mlag or []] == [("42", "Port-channel100")]


def test_nxos_arp_saved_for_all_vrfs(tmp_path: Path) -> None:
    raw = (FIXTURES / "cisco_nxos/show_ip_arp/cisco_nxos_show_ip_arp.raw").read_text()
    raw = raw.replace("IP ARP Table for context default", "IP ARP Table for all contexts")
    got = parse_cli_device(_device(tmp_path, "cisco_nxos", {"show ip arp vrf all": raw}), "sw")
    assert got.warnings == []
    assert [e.ip for e in got.arp or []] == ["192.0.2.21", "192.0.2.22", "10.0.0.3"]


def test_cdp_neighbour_without_system_name_is_named_by_its_device_id() -> None:
    rows = _rows(
        "cisco_nxos", "show cdp neighbors detail", "cisco_nxos_show_cdp_neighbors_detail_counts.raw"
    )
    got = cdp_from_rows(rows)
    assert [(n.system_name, n.port_id, n.management_address) for n in got] == [
        ("nexus-b", "Ethernet1/53", "10.0.0.3"),
        ("esx01.example.net", "vmnic0", None),
    ]


def test_ios_arp_saved_as_show_arp(tmp_path: Path) -> None:
    """ntc-templates reads ``show arp`` with its own template (other column names)."""
    raw = (FIXTURES / "cisco_ios/show_ip_arp/cisco_ios_show_ip_arp.raw").read_text()
    got = parse_cli_device(_device(tmp_path, "cisco_ios", {"show arp": raw}), "sw")
    assert got.warnings == []
    assert [(e.ip, e.interface, e.vlan) for e in got.arp or []][:2] == [
        ("192.0.2.1", "Vlan10", 10),
        ("192.0.2.21", "Vlan10", 10),
    ]
    assert len(got.arp or []) == 4


def test_eos_descriptions_are_the_full_ones_not_the_status_column(tmp_path: Path) -> None:
    status = (
        "Port       Name                Status       Vlan     Duplex Speed  Type"
        "            Flags Encapsulation\n"
        "Et1        xs-prod-01 eth0 (ma connected    trunk    full   10G    10GBASE-SR\n"
        "Et2                            notconnect   1        full   10G    10GBASE-SR\n"
    )
    described = (
        FIXTURES
        / "arista_eos/show_interfaces_description"
        / "arista_eos_show_interfaces_description.raw"
    ).read_text()
    device = _device(
        tmp_path,
        "arista_eos",
        {"show interfaces status": status, "show interfaces description": described},
    )
    got = parse_cli_device(device, "sw")
    assert got.warnings == []
    ports = {p.name: p for p in got.ports or []}
    assert ports["Ethernet1"].description == "xs-prod-01 eth0 (management, bond0 member)"
    assert ports["Ethernet2"].description == ""
    assert sorted(ports) == ["Ethernet1", "Ethernet2"]  # descriptions add no port


def test_status_name_stays_without_a_description_capture(tmp_path: Path) -> None:
    status = (
        "Port       Name                Status       Vlan     Duplex Speed  Type"
        "            Flags Encapsulation\n"
        "Et1        xs-prod-01 eth0 (ma connected    trunk    full   10G    10GBASE-SR\n"
    )
    got = parse_cli_device(
        _device(tmp_path, "arista_eos", {"show interfaces status": status}), "sw"
    )
    assert [p.description for p in got.ports or []] == ["xs-prod-01 eth0 (ma"]


@pytest.mark.parametrize(
    ("device", "platform", "fields"),
    [
        (
            "lab-sw2",
            "cisco_nxos",
            ("domain_id", "peer_address", "peer_link", "local_role", "lag_ids"),
        ),
        (
            "lab-sw3",
            "arista_eos",
            ("domain_id", "peer_address", "peer_link", "local_role", "lag_ids"),
        ),
    ],
)
def test_lab_round_trip_of_shared_port_channels(
    tmp_path: Path, device: str, platform: str, fields: tuple[str, ...]
) -> None:
    """Lab round trip (the renderer writes, the parser reads): an MLAG / vPC domain with
    shared port-channels and no peer address, as the estate generator declares them."""
    from dataclasses import replace

    from xsfabric.lab.render_cli import write_cli_device
    from xsfabric.lab.switches import lab_switch

    domain = MlagDomain(
        domain_id="77",
        peer_address=None,
        peer_link="Port-channel10",
        local_role="secondary",
        lag_ids=(("Port-channel20", 20), ("Port-channel31", 31)),
    )
    write_cli_device(tmp_path, replace(lab_switch(device), mlag=[domain]), platform)
    got = parse_cli_device(tmp_path / device, device)
    assert got.warnings == []
    assert got.mlag is not None and len(got.mlag) == 1
    assert {f: getattr(got.mlag[0], f) for f in fields} == {f: getattr(domain, f) for f in fields}
