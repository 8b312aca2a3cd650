"""Per-kind registries: collectors (``collect.COLLECTORS``), parsers (``switch.facts.PARSERS``)
and CLI command sets / table builders (``switch.commands.COMMAND_SETS``,
``switch.cli_parse.CLI_BUILDERS``). A new device kind plugs in by adding rows, nothing else."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest

from xsfabric.collect import COLLECTORS, CollectOptions, collect_hosts
from xsfabric.inventory import InventoryHost
from xsfabric.kinds import DeviceKind
from xsfabric.snapshot import DeviceStatus, Snapshot, SnapshotWriter
from xsfabric.switch import cli_parse, commands, facts
from xsfabric.switch.cli_parse import parse_cli_device
from xsfabric.switch.commands import CommandSet
from xsfabric.switch.facts import PARSERS, PREFERENCE, Parser, get_parsers, parse_device
from xsfabric.switch.model import SwitchFacts


def test_every_registered_collector_imports_and_is_callable() -> None:
    assert set(COLLECTORS) >= {DeviceKind.XENSERVER_POOL, DeviceKind.SWITCH}
    for kind, target in COLLECTORS.items():
        module, _, name = target.partition(":")
        assert callable(getattr(importlib.import_module(module), name)), kind


def _host(name: str, kind: DeviceKind) -> InventoryHost:
    return InventoryHost(
        name=name,
        hostname="192.0.2.1",
        kind=kind,
        platform="pure",
        port=443,
        username="audit",
        password="x",
        data={},
        connection_options={},
        groups=(),
        source="test",
    )


def _run(tmp_path: Path, hosts: list[InventoryHost]) -> Snapshot:
    with SnapshotWriter(tmp_path / "snap") as writer:
        collect_hosts(hosts, writer, CollectOptions(timeout=1))
        path = writer.commit()
    return Snapshot.open(path)


def test_a_kind_without_collector_is_an_error_not_a_silent_skip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(COLLECTORS, DeviceKind.ARRAY, raising=False)
    snapshot = _run(tmp_path, [_host("array1", DeviceKind.ARRAY)])
    (device,) = snapshot.devices()
    assert device["status"] == DeviceStatus.ERROR
    assert "collection of array devices is not supported yet" in device["error"]


def fake_array_collector(
    host: InventoryHost, writer: SnapshotWriter, options: CollectOptions
) -> None:
    """Registered by the test below through its "module:function" name."""
    writer.write_text(host.name, f"devices/{host.name}/volumes.json", '{"volumes": []}')


def test_a_registered_collector_is_used_for_its_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(COLLECTORS, DeviceKind.ARRAY, f"{__name__}:fake_array_collector")
    snapshot = _run(tmp_path, [_host("array1", DeviceKind.ARRAY)])
    (device,) = snapshot.devices()
    assert device["status"] == DeviceStatus.OK
    assert (snapshot.device_dir("array1") / "volumes.json").read_text() == '{"volumes": []}'


def test_switch_parsers_follow_the_table_preference() -> None:
    assert [p.method for p in get_parsers(DeviceKind.SWITCH)] == list(PREFERENCE)
    assert [p.method for p in get_parsers(DeviceKind.FC_SWITCH)] == ["cli"]  # san/parse.py


@dataclass(frozen=True, slots=True)
class ArrayFacts:
    """A facts type of another kind: the registry does not force SwitchFacts on it."""

    device: str
    volumes: int


def test_a_registered_parser_of_another_kind_reads_its_own_captures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def present(folder: Path) -> bool:
        return (folder / "volumes.json").is_file()

    def parse(folder: Path, device: str) -> ArrayFacts:
        return ArrayFacts(device, len(json.loads((folder / "volumes.json").read_text())))

    monkeypatch.setitem(PARSERS, DeviceKind.ARRAY, (Parser("rest", present, parse),))
    assert parse_device(tmp_path, "a1", DeviceKind.ARRAY) == []
    (tmp_path / "volumes.json").write_text('["vol1", "vol2"]')
    assert parse_device(tmp_path, "a1", DeviceKind.ARRAY) == [ArrayFacts("a1", 2)]
    assert parse_device(tmp_path, "a1", DeviceKind.SWITCH) == []  # no switch captures here


@dataclass(frozen=True, slots=True)
class FabricCommands(CommandSet):
    kind: ClassVar[DeviceKind] = DeviceKind.FC_SWITCH
    zones: str


def test_cli_parsing_dispatches_on_the_device_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "platform").write_text("brocade_fos\n")
    (tmp_path / "zoneshow.txt").write_text("Defined configuration:\n")
    seen: list[Any] = []

    facts_before = parse_cli_device(tmp_path, "fab1", DeviceKind.FC_SWITCH)
    assert [w.message for w in facts_before.warnings] == [
        "no CLI parser for fc-switch platform 'brocade_fos'"
    ]

    def builder(
        platform: str,
        cmds: FabricCommands,
        result: SwitchFacts,
        rows: Callable[[str], Any],
        build: Callable[..., Any],
    ) -> None:
        seen.append((platform, cmds, result.device, rows("version")))

    fabric = FabricCommands(version="version", zones="zoneshow")
    monkeypatch.setitem(commands.COMMAND_SETS, DeviceKind.FC_SWITCH, {"brocade_fos": fabric})
    monkeypatch.setitem(cli_parse.CLI_BUILDERS, DeviceKind.FC_SWITCH, builder)
    result = parse_cli_device(tmp_path, "fab1", DeviceKind.FC_SWITCH)
    assert seen == [("brocade_fos", fabric, "fab1", None)]  # no "version" capture saved
    assert result.warnings == []
    # the switch kind is untouched: no switch command set for this platform
    assert "no CLI parser for platform 'brocade_fos'" in [
        w.message for w in parse_cli_device(tmp_path, "fab1").warnings
    ]
    assert [p.method for p in facts.get_parsers(DeviceKind.FC_SWITCH)] == ["cli"]
