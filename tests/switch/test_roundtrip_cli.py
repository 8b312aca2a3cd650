"""Round trip (see ``roundtrip.py``): the CLI method (netmiko over the SSH lab, TextFSM) reads
back the lab switches' truth from captures the lab renders (``render_cli``), on all four
platforms: cisco_ios, cisco_nxos, arista_eos and juniper_junos."""

from __future__ import annotations

from typing import ClassVar

import pytest
from tests.switch.roundtrip import (
    ARP_FIELDS,
    CDP_FIELDS,
    FACT_FIELDS,
    FDB_FIELDS,
    LLDP_FIELDS,
    MLAG_FIELDS,
    PORT_FIELDS,
    VLAN_FIELDS,
    SwitchRoundTrip,
)

from xsfabric.lab.switches import CLI_LAB_PLATFORMS, lab_switch
from xsfabric.snapshot import Snapshot
from xsfabric.switch.cli_parse import parse_cli_device
from xsfabric.switch.model import SwitchFacts

#: Platforms whose CLI tells the MLAG / vPC peer link (``show vpc``, ``show mlag``).
PEER_LINK_PLATFORMS = frozenset({"cisco_nxos", "arista_eos"})
#: Platforms whose LLDP detail prints the chassis and port id subtypes.
LLDP_SUBTYPE_PLATFORMS = frozenset({"arista_eos", "juniper_junos"})
#: Platforms whose VLAN table has a state column (Junos' ``show vlans`` has none).
VLAN_STATE_PLATFORMS = frozenset({"cisco_ios", "cisco_nxos", "arista_eos"})
#: Platforms with CDP (``show cdp neighbors detail``).
CDP_PLATFORMS = frozenset({"cisco_ios", "cisco_nxos"})
#: Both give every MLAG field: NX-OS with ``show vpc peer-keepalive`` (peer address), EOS with
#: ``show mlag detail`` (role).
MLAG_FIELDS_BY_PLATFORM = {"cisco_nxos": MLAG_FIELDS, "arista_eos": MLAG_FIELDS}


class TestCliRoundTrip(SwitchRoundTrip):
    # CLI gives no ifIndex; the rest depends on the platform (capabilities_for)
    capabilities: ClassVar[dict[str, frozenset[str]]] = {
        "facts": FACT_FIELDS,
        "ports": PORT_FIELDS - {"if_index", "is_peer_link"},
        "fdb": FDB_FIELDS,
        "lldp": LLDP_FIELDS - {"chassis_id_subtype", "port_id_subtype"},
        "vlans": VLAN_FIELDS - {"state"},
        "arp": ARP_FIELDS,
    }

    def capabilities_for(self, truth: SwitchFacts) -> dict[str, frozenset[str]]:
        platform = CLI_LAB_PLATFORMS[truth.device]
        caps = dict(self.capabilities)
        if platform in PEER_LINK_PLATFORMS:
            caps["ports"] = caps["ports"] | {"is_peer_link"}
        if platform in LLDP_SUBTYPE_PLATFORMS:
            caps["lldp"] = LLDP_FIELDS
        if platform in VLAN_STATE_PLATFORMS:
            caps["vlans"] = VLAN_FIELDS
        if platform in CDP_PLATFORMS:
            caps["cdp"] = CDP_FIELDS
        if platform in MLAG_FIELDS_BY_PLATFORM:
            caps["mlag"] = MLAG_FIELDS_BY_PLATFORM[platform]
        return caps

    @pytest.fixture(params=sorted(CLI_LAB_PLATFORMS))
    def roundtrip_case(
        self, request: pytest.FixtureRequest, lab_snapshot: Snapshot
    ) -> tuple[SwitchFacts, SwitchFacts]:
        name = request.param
        got = parse_cli_device(lab_snapshot.device_dir(name), name)
        truth = lab_switch(name)
        return truth, got


def test_peer_link_is_the_lag_on_vpc_and_mlag_platforms(lab_snapshot: Snapshot) -> None:
    for name, platform in CLI_LAB_PLATFORMS.items():
        got = parse_cli_device(lab_snapshot.device_dir(name), name)
        assert got.ports is not None
        peer = [p.name for p in got.ports if p.is_peer_link]
        if platform in PEER_LINK_PLATFORMS:
            assert peer == [next(p.name for p in got.ports if p.lag_members)], name
        else:
            assert {p.is_peer_link for p in got.ports} == {None}, name
