"""Parse once, configurations too (issue 12): a switch's configurations parsed at import are
stored in its facts (``configs.json``) and read back equal to what parsing the captures gives;
stale or tampered ones are parsed again, never believed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from xsfabric.audit import DEMO_ESTATE, DEMO_POLICY
from xsfabric.cli import main
from xsfabric.lab.estate import load_estate
from xsfabric.lab.switch_gen import write_switches
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.snapshot import Snapshot
from xsfabric.switch import config as config_module
from xsfabric.switch import facts_store
from xsfabric.switch.cli_parse import read_platform
from xsfabric.switch.config import load_device_configs
from xsfabric.switch.facts_store import CONFIGS_FILE, decoder, load_configs, serialise_configs

SWITCHES = ("prod-tor1", "prod-tor2", "test-sw1")


@pytest.fixture(scope="module")
def snapshot_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("config-store")
    spec = load_estate(DEMO_ESTATE)
    write_estate(spec, root / "src")
    write_switches(spec, root / "src")
    target = root / "snap"
    argv = ["snapshot", "import", str(root / "src"), "-o", str(target)]
    assert main([*argv, "--policy", str(DEMO_POLICY)]) == 0
    return target


def _refuse_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> Any:
        raise AssertionError(f"configuration parsed although stored: {args[:2]}")

    monkeypatch.setattr(config_module, "parse_config", refuse)


def _loaded(snapshot: Snapshot, device: str) -> list[Any]:
    device_dir = snapshot.device_dir(device)
    return load_configs(snapshot, device, device_dir, read_platform(device_dir))


def test_import_stores_each_switchs_configurations(snapshot_path: Path) -> None:
    stored = Snapshot.open(snapshot_path).manifest["facts"]["devices"]
    for device in SWITCHES:
        files = [a["path"] for a in stored[device]["files"]]
        assert f"facts/{device}/{CONFIGS_FILE}" in files, device
    assert not any(CONFIGS_FILE in a["path"] for a in stored["san-a"]["files"])  # FC switch


def test_stored_configurations_equal_the_parsed_ones(
    snapshot_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lab round trip: what the audit reads from the store equals what parsing the captures
    gives, interfaces in configuration order, config facts attached, and nothing is parsed."""
    snapshot = Snapshot.open(snapshot_path)
    expected = {}
    for device in SWITCHES:
        device_dir = snapshot.device_dir(device)
        expected[device] = load_device_configs(device_dir, device, read_platform(device_dir))
        assert expected[device] and expected[device][0].interfaces, device
    _refuse_parsing(monkeypatch)
    for device in SWITCHES:
        got = _loaded(snapshot, device)
        assert got == expected[device], device
        assert [list(c.interfaces) for c in got] == [list(c.interfaces) for c in expected[device]]
        assert [c.facts for c in got] == [c.facts for c in expected[device]]
    assert any(c.facts is not None for c in expected["prod-tor1"])


FIXTURE_CONFIGS = Path(__file__).parent / "configs"


@pytest.mark.parametrize(
    "config",
    sorted(FIXTURE_CONFIGS.glob("*/*.txt")),
    ids=lambda p: f"{p.parent.name}-{p.stem}",
)
def test_every_configuration_field_round_trips(config: Path, tmp_path: Path) -> None:
    """Every field of a parsed configuration survives the codec (frozensets, tuples, ``None``
    versus (), per-line timeouts, interface order), on the hardened and weak configurations
    of every platform."""
    platform = config.parent.name
    folder = tmp_path / "sw"
    folder.mkdir()
    (folder / "platform").write_text(platform + "\n")
    command = "show configuration" if platform == "juniper_junos" else "show running-config"
    shutil.copy(config, folder / f"{command}.txt")
    parsed = config_module.parse_device_configs(folder, "sw", platform)
    assert parsed and parsed[0].interfaces
    data = serialise_configs(folder, "sw")
    assert data is not None
    build = decoder(config_module.SwitchConfig)
    back = [build(d) for d in json.loads(data)["configs"]]
    assert back == parsed
    assert [list(c.interfaces) for c in back] == [list(c.interfaces) for c in parsed]
    assert [list(c.exec_timeouts) for c in back] == [list(c.exec_timeouts) for c in parsed]


def test_configs_are_reparsed_when_the_parser_version_changes(
    snapshot_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = Snapshot.open(snapshot_path)
    expected = _loaded(snapshot, "prod-tor1")
    monkeypatch.setattr(facts_store, "PARSER_VERSION", facts_store.PARSER_VERSION + 1)
    facts_store.parser_version.cache_clear()
    calls: list[str] = []
    real = config_module.parse_config

    def counting(device: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(device)
        return real(device, *args, **kwargs)

    try:
        monkeypatch.setattr(config_module, "parse_config", counting)
        assert _loaded(snapshot, "prod-tor1") == expected
        assert calls and set(calls) == {"prod-tor1"}
    finally:
        monkeypatch.undo()
        facts_store.parser_version.cache_clear()


def test_a_tampered_configs_file_read_unverified_is_not_believed(
    snapshot_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "tampered"
    shutil.copytree(snapshot_path, copy)
    path = copy / "facts" / "prod-tor1" / CONFIGS_FILE
    doc = json.loads(path.read_text())
    assert doc["configs"][0]["telnet"] is False
    doc["configs"][0]["hostname"] = "forged"
    path.write_text(json.dumps(doc))
    snapshot = Snapshot.open(copy, verify=False)
    got = _loaded(snapshot, "prod-tor1")
    assert got and all(c.hostname != "forged" for c in got)


def test_a_switch_without_stored_configs_is_parsed(
    snapshot_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A snapshot written before configurations were stored audits the same."""
    copy = tmp_path / "old"
    shutil.copytree(snapshot_path, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    for entry in manifest["facts"]["devices"].values():
        entry["files"] = [a for a in entry["files"] if not a["path"].endswith(CONFIGS_FILE)]
    for device in SWITCHES:
        (copy / "facts" / device / CONFIGS_FILE).unlink()
    (copy / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    capsys.readouterr()
    main(["audit", str(copy), "--format", "json"])
    old = capsys.readouterr().out.replace(str(copy), "S")
    main(["audit", str(snapshot_path), "--format", "json"])
    new = capsys.readouterr().out.replace(str(snapshot_path), "S")
    assert '"findings"' in new and "prod-tor1" in new
    assert old == new
