"""FC-switch detection per open snapshot: decided once per device (an audit asks for the
switch list several times), with the same answers as the uncached check."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from xsfabric.san import fabric
from xsfabric.san.fabric import fc_devices, is_fc_device, snapshot_is_fc_device
from xsfabric.san.parse import looks_like_fc_switch
from xsfabric.snapshot import DeviceKind, Snapshot, SnapshotWriter
from xsfabric.switch.facts import switch_devices

#: name → (kind, platform, captures); the expected answers are in the tests below
DEVICES: dict[str, tuple[DeviceKind, str | None, dict[str, str]]] = {
    "mds-a": (
        DeviceKind.SWITCH,
        "cisco_nxos",
        {"show version": "Hardware\n  cisco MDS 9148S 16G 48 FC (1 Slot) Chassis\n"},
    ),
    "nexus-1": (
        DeviceKind.SWITCH,
        "cisco_nxos",
        {
            "show version": "Hardware\n  cisco Nexus9000 C93180YC-EX chassis\n",
            "show interface": "Ethernet1/1 is up\n",
        },
    ),
    "ios-1": (DeviceKind.SWITCH, "cisco_ios", {"show version": "Cisco IOS Software\n"}),
    "bro-1": (DeviceKind.SWITCH, None, {"nsshow": "{\n}\n"}),
    # near miss: Brocade's command, but the record says IOS
    "ios-2": (DeviceKind.SWITCH, "cisco_ios", {"nsshow": "{\n}\n"}),
    "fc-1": (DeviceKind.FC_SWITCH, "brocade_fos", {"nsshow": "{\n}\n"}),
}


@pytest.fixture
def snapshot_path(tmp_path: Path) -> Path:
    with SnapshotWriter(tmp_path / "snap") as writer:
        for name, (kind, platform, captures) in DEVICES.items():
            writer.device(name, kind, platform, ["cli"])
            if platform:
                writer.write_device_platform(name, platform)
            for command, text in captures.items():
                writer.write_device_output(name, command, text)
        return writer.commit()


def test_switch_and_fc_lists(snapshot_path: Path) -> None:
    snapshot = Snapshot.open(snapshot_path)
    assert switch_devices(snapshot) == ["nexus-1", "ios-1", "ios-2"]
    assert fc_devices(snapshot) == ["mds-a", "bro-1", "fc-1"]


def test_cached_answers_are_the_uncached_ones(snapshot_path: Path) -> None:
    snapshot = Snapshot.open(snapshot_path)
    for name, (_kind, platform, _captures) in DEVICES.items():
        uncached = is_fc_device(snapshot.device_dir(name), platform)
        assert snapshot_is_fc_device(snapshot, name, platform) is uncached
        assert snapshot_is_fc_device(snapshot, name, platform) is uncached
    assert [n for n in DEVICES if snapshot_is_fc_device(snapshot, n, DEVICES[n][1])] == [
        "mds-a",
        "bro-1",
        "fc-1",
    ]


def test_each_device_folder_is_examined_once_per_open_snapshot(
    snapshot_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    examined: Counter[str] = Counter()
    real = looks_like_fc_switch

    def counting(folder: Path, platform: str | None) -> bool:
        examined[folder.name] += 1
        return real(folder, platform)

    monkeypatch.setattr(fabric, "looks_like_fc_switch", counting)
    snapshot = Snapshot.open(snapshot_path)
    for _ in range(3):
        assert switch_devices(snapshot) == ["nexus-1", "ios-1", "ios-2"]
    assert fc_devices(snapshot) == ["mds-a", "bro-1", "fc-1"]
    # fc-1 is an FC switch by its kind: its folder is never examined
    assert examined == Counter({n: 1 for n in DEVICES if n != "fc-1"})
    # another open of the folder decides afresh (the answers live with the Snapshot object)
    assert switch_devices(Snapshot.open(snapshot_path)) == ["nexus-1", "ios-1", "ios-2"]
    assert examined["ios-1"] == 2
