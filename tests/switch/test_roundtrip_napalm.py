"""Round trip (see ``roundtrip.py``): the NAPALM method reads back the lab switches' truth —
``ios`` and ``nxos_ssh`` end to end against the SSH lab (captures from ``render_cli``), ``eos``
and ``junos`` through NAPALM's mock driver with getter results the lab renders from the same
truth (``render_napalm``; not results recorded from real devices)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.switch.conftest import lab_host
from tests.switch.roundtrip import ARP_FIELDS, FDB_FIELDS, SwitchRoundTrip

from xsfabric.collect import CollectOptions, collect_hosts
from xsfabric.lab.render_napalm import write_mock_device
from xsfabric.lab.switches import LAB_PLATFORMS, MOCK_NAPALM_PLATFORMS, lab_switch
from xsfabric.snapshot import Snapshot, SnapshotWriter
from xsfabric.switch.model import SwitchFacts
from xsfabric.switch.napalm_parse import parse_napalm_device

NAPALM_CAPABILITIES = {
    "facts": frozenset({"hostname", "vendor", "model", "os_version", "serial"}),
    # NAPALM has no switchport mode, VLANs per port, LAG membership or ifIndex
    "ports": frozenset({"short_name", "admin_up", "oper_up", "speed_mbps", "description"}),
    "fdb": FDB_FIELDS,
    # get_lldp_neighbors_detail has no subtypes and no management address
    "lldp": frozenset(
        {"local_port", "chassis_id", "port_id", "port_description", "system_name", "capabilities"}
    ),
    "vlans": frozenset({"vlan_id", "name"}),
    "arp": ARP_FIELDS,  # no CDP or MLAG getter
}


@pytest.fixture(scope="module")
def mock_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """eos and junos lab switches collected through NAPALM's mock driver."""
    root = tmp_path_factory.mktemp("napalm-mock")
    hosts = []
    for name, platform in MOCK_NAPALM_PLATFORMS.items():
        folder = write_mock_device(root / "mock" / name, lab_switch(name))
        hosts.append(
            lab_host(
                name,
                platform,
                1,
                ["napalm"],
                napalm={"driver": "mock", "optional_args": {"path": str(folder)}},
            )
        )
    with SnapshotWriter(root / "snap") as writer:
        collect_hosts(hosts, writer, CollectOptions(timeout=5))
        writer.commit()
    return Snapshot.open(root / "snap")


class TestNapalmSshRoundTrip(SwitchRoundTrip):
    capabilities = NAPALM_CAPABILITIES

    @pytest.fixture(params=sorted(LAB_PLATFORMS))
    def roundtrip_case(
        self, request: pytest.FixtureRequest, lab_snapshot: Snapshot
    ) -> tuple[SwitchFacts, SwitchFacts]:
        name = request.param
        return lab_switch(name), parse_napalm_device(lab_snapshot.device_dir(name), name)


class TestNapalmMockRoundTrip(SwitchRoundTrip):
    capabilities = NAPALM_CAPABILITIES

    @pytest.fixture(params=sorted(MOCK_NAPALM_PLATFORMS))
    def roundtrip_case(
        self, request: pytest.FixtureRequest, mock_snapshot: Snapshot
    ) -> tuple[SwitchFacts, SwitchFacts]:
        name = request.param
        device = mock_snapshot.manifest["devices"]
        assert {d["name"]: d["status"] for d in device}[name] == "ok"
        return lab_switch(name), parse_napalm_device(mock_snapshot.device_dir(name), name)


def test_napalm_getters_stored_per_device(lab_snapshot: Snapshot) -> None:
    folder: Path = lab_snapshot.device_dir("lab-sw1") / "napalm"
    assert sorted(p.name for p in folder.glob("*.json")) == [
        "get_arp_table.json",
        "get_config.json",
        "get_facts.json",
        "get_interfaces.json",
        "get_lldp_neighbors_detail.json",
        "get_mac_address_table.json",
        "get_vlans.json",
    ]
    # get_config(sanitized=True): NAPALM strips secrets before xsfabric's redactor sees them
    assert "$1$lab0$" not in (folder / "get_config.json").read_text()
