"""Lab fixtures for switch tests: rendered lab devices, the SSH lab, a collected snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.switch.lab_keys import KNOWN_HOSTS

from xsfabric.collect import CollectOptions, collect_hosts
from xsfabric.inventory import InventoryHost
from xsfabric.kinds import DeviceKind
from xsfabric.lab.render_cli import write_cli_device
from xsfabric.lab.ssh_server import LabConfig, LabSshServer
from xsfabric.lab.switches import CLI_LAB_PLATFORMS, LAB_PLATFORMS, cli_lab_switches
from xsfabric.snapshot import Snapshot, SnapshotWriter

pytest.register_assert_rewrite("tests.switch.roundtrip")

LAB_CONFIG = LabConfig(username="lab", password="lab-pass", enable_secret="lab-enable")


def lab_host(
    name: str,
    platform: str | None,
    port: int,
    methods: list[str],
    password: str = LAB_CONFIG.password,
    **data: object,
) -> InventoryHost:
    pinned = {"known_hosts": str(KNOWN_HOSTS[-1])} if KNOWN_HOSTS else {}
    return InventoryHost(
        name=name,
        hostname="127.0.0.1",
        kind=DeviceKind.SWITCH,
        platform=platform,
        port=port,
        username=LAB_CONFIG.username,
        password=password,
        data={"kind": "switch", "collect": methods, **pinned, **data},
        connection_options={"netmiko": {"extras": {"secret": LAB_CONFIG.enable_secret}}},
        groups=(),
        source="test",
    )


@pytest.fixture(scope="session")
def lab_devices_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lab-devices")
    for truth in cli_lab_switches():
        write_cli_device(folder, truth, CLI_LAB_PLATFORMS[truth.device])
    return folder


@pytest.fixture(scope="session")
def ssh_lab(
    lab_devices_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LabSshServer]:
    log = tmp_path_factory.mktemp("lab-log") / "commands.jsonl"
    with LabSshServer(lab_devices_dir, LAB_CONFIG, log) as lab:
        assert lab.known_hosts is not None
        KNOWN_HOSTS.append(lab.known_hosts)
        yield lab
        KNOWN_HOSTS.remove(lab.known_hosts)


@pytest.fixture(scope="session")
def lab_snapshot(ssh_lab: LabSshServer, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """The lab switches collected by the real orchestrator: cisco_ios and cisco_nxos over CLI
    and NAPALM (SSH), arista_eos and juniper_junos over CLI (their NAPALM drivers speak eAPI
    and NETCONF, which the lab plays through NAPALM's mock driver instead)."""
    hosts = [
        lab_host(
            name,
            platform,
            ssh_lab.ports[name],
            ["cli", "napalm"] if name in LAB_PLATFORMS else ["cli"],
        )
        for name, platform in CLI_LAB_PLATFORMS.items()
    ]
    target = tmp_path_factory.mktemp("snap") / "lab"
    with SnapshotWriter(target) as writer:
        collect_hosts(hosts, writer, CollectOptions(timeout=15, workers=4))
        writer.commit()
    return Snapshot.open(target)


# The SNMP lab (one snmpsim per session), owned by the SNMP method: tests/switch/conftest_snmp.py
from tests.switch.conftest_snmp import snmp_lab  # noqa: E402, F401
