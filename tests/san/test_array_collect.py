"""Collecting the demo's ONTAP array from the SSH lab with netmiko ``netapp_cdot``: only
allowlisted commands reach it (the lab's own log), the captures land in the raw-capture
layout, and the collected snapshot parses to the same facts as the written captures."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from xsfabric.audit import DEMO_ESTATE
from xsfabric.collect import CollectOptions, collect_hosts
from xsfabric.inventory import InventoryHost
from xsfabric.lab.estate import load_estate
from xsfabric.lab.ssh_server import LabConfig, LabSshServer, read_log
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.san.array_load import load_arrays, parse_array_dir
from xsfabric.snapshot import DeviceKind, DeviceStatus, Snapshot, SnapshotWriter, command_filename
from xsfabric.switch.allowlist import CLI_COMMANDS, allowed_commands

LAB = LabConfig(username="lab", password="lab-pass", enable_secret=None)
#: The running lab's host keys (the collector refuses an unknown key).
KNOWN_HOSTS: list[Path] = []


@pytest.fixture(scope="module")
def array_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LabSshServer, Path]]:
    root = tmp_path_factory.mktemp("array-lab")
    write_estate(load_estate(DEMO_ESTATE), root / "src")
    devices = root / "devices"
    devices.mkdir()
    shutil.copytree(root / "src" / "devices" / "fas1", devices / "fas1")
    with LabSshServer(devices, LAB, root / "commands.jsonl") as lab:
        assert lab.known_hosts is not None
        KNOWN_HOSTS.append(lab.known_hosts)
        yield lab, root
        KNOWN_HOSTS.remove(lab.known_hosts)


def _host(port: int, password: str = LAB.password, platform: str = "netapp_cdot") -> InventoryHost:
    return InventoryHost(
        name="fas1",
        hostname="127.0.0.1",
        kind=DeviceKind.ARRAY,
        platform=platform,
        port=port,
        username=LAB.username,
        password=password,
        data={"kind": "array", "known_hosts": str(KNOWN_HOSTS[-1])},
        connection_options={},
        groups=(),
        source="test",
    )


def _collect(tmp_path: Path, host: InventoryHost) -> Snapshot:
    target = tmp_path / "snap"
    with SnapshotWriter(target) as writer:
        collect_hosts([host], writer, CollectOptions(timeout=10, workers=1))
        writer.commit()
    return Snapshot.open(target)


def test_collects_only_allowlisted_commands(
    array_lab: tuple[LabSshServer, Path], tmp_path: Path
) -> None:
    lab, root = array_lab
    snapshot = _collect(tmp_path, _host(lab.ports["fas1"]))
    [record] = list(snapshot.devices(DeviceKind.ARRAY))
    assert record["status"] == DeviceStatus.OK
    sent = [e["command"] for e in read_log(root / "commands.jsonl")]
    assert set(sent) <= allowed_commands("netapp_cdot"), sent
    assert set(CLI_COMMANDS["netapp_cdot"]) <= set(sent)
    assert "rows 0" in sent  # netmiko's session preparation, allowlisted as such
    for command in CLI_COMMANDS["netapp_cdot"]:
        assert (snapshot.device_dir("fas1") / command_filename(command)).is_file()
    collected = load_arrays(snapshot)["fas1"]
    written = parse_array_dir(root / "src" / "devices" / "fas1", "fas1", "netapp_cdot")
    assert collected.warnings == []
    assert collected == written


def test_wrong_password_is_auth_failed(
    array_lab: tuple[LabSshServer, Path], tmp_path: Path
) -> None:
    lab, _root = array_lab
    snapshot = _collect(tmp_path, _host(lab.ports["fas1"], password="wrong"))
    [record] = list(snapshot.devices(DeviceKind.ARRAY))
    assert record["status"] == DeviceStatus.AUTH_FAILED


def test_an_array_platform_without_ssh_collection_is_one_error(tmp_path: Path) -> None:
    snapshot = _collect(tmp_path, _host(1, platform="ibm_svc"))
    [record] = list(snapshot.devices(DeviceKind.ARRAY))
    assert record["status"] == DeviceStatus.ERROR
    assert "import its captures" in record["error"]


@pytest.mark.parametrize(("platform", "name"), [("pure", "pure1"), ("hp_3par", "3par1")])
def test_generic_ssh_arrays_are_collected_with_only_their_allowlist(
    tmp_path: Path, platform: str, name: str
) -> None:
    fixtures = Path(__file__).parent / "fixtures" / platform
    device = tmp_path / "devices" / name
    device.mkdir(parents=True)
    (device / "platform").write_text(platform + "\n")
    for command in CLI_COMMANDS[platform]:
        raw = next(
            p
            for p in sorted((fixtures / command.replace(" ", "_")).glob("*.raw"))
            if p.stem not in ("truncated", "no_persona")
        ).read_text()
        (device / command_filename(command)).write_text(raw.split("\n", 1)[1])  # no prompt
    log = tmp_path / "commands.jsonl"
    with LabSshServer(tmp_path / "devices", LAB, log) as lab:
        host = InventoryHost(
            name=name,
            hostname="127.0.0.1",
            kind=DeviceKind.ARRAY,
            platform=platform,
            port=lab.ports[name],
            username=LAB.username,
            password=LAB.password,
            data={"kind": "array", "known_hosts": str(lab.known_hosts)},
            connection_options={},
            groups=(),
            source="test",
        )
        snapshot = _collect(tmp_path, host)
    [record] = list(snapshot.devices(DeviceKind.ARRAY))
    assert record["status"] == DeviceStatus.OK, record
    sent = {e["command"] for e in read_log(log)}
    assert sent <= allowed_commands(platform) and set(CLI_COMMANDS[platform]) <= sent
    facts = load_arrays(snapshot)[name]
    assert facts.warnings == []
    assert facts.volumes is not None and len(facts.volumes) == 2
