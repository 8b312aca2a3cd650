"""Live wipe-check against the SSH lab: the dirty spare is NOT CLEAN with every planted
residue, the reset one is CLEAN, and the lab's own log proves every command sent was on the
read-only allowlist."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from xsfabric.cli import main
from xsfabric.lab.spares import CLEAN, DIRTY, SPARES, write_spare_devices
from xsfabric.lab.ssh_server import LabConfig, LabSshServer
from xsfabric.switch.allowlist import allowed_commands
from xsfabric.switch.wipe import EVIDENCE

LAB = LabConfig(username="lab", password="lab-pass-spare", enable_secret="lab-enable-spare")


@pytest.fixture(scope="module")
def spare_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LabSshServer, Path]]:
    devices = tmp_path_factory.mktemp("spares")
    write_spare_devices(devices)
    log = tmp_path_factory.mktemp("spare-log") / "commands.jsonl"
    with LabSshServer(devices, LAB, log) as lab:
        inventory = tmp_path_factory.mktemp("inventory")
        hosts = "".join(
            f"{name}:\n  hostname: 127.0.0.1\n  port: {lab.ports[name]}\n"
            f"  platform: {platform}\n  username: lab\n  password: ${{secret:lab}}\n"
            f"  connection_options:\n    netmiko:\n      extras:\n"
            f"        secret: ${{secret:enable}}\n  data:\n    kind: switch\n"
            f"    known_hosts: {lab.known_hosts}\n"  # the lab pins its host key (issue 8)
            for name, platform in SPARES.items()
        )
        (inventory / "hosts.yaml").write_text(hosts)
        (inventory.parent / "spare-secrets.yaml").write_text(
            f"lab: {LAB.password}\nenable: {LAB.enable_secret}\n"
        )
        yield lab, inventory


def _run(inventory: Path, device: str, *extra: str) -> int:
    return main(
        [
            "wipe-check",
            "-i",
            str(inventory),
            "--secrets",
            str(inventory.parent / "spare-secrets.yaml"),
            "--device",
            device,
            "--timeout",
            "15",
            *extra,
        ]
    )


@pytest.mark.slow
def test_live_dirty_and_clean_spares(
    spare_lab: tuple[LabSshServer, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lab, inventory = spare_lab
    assert _run(inventory, DIRTY, "--format", "json") == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["verdict"] == "NOT CLEAN"
    found = {(r["cls"], r["command"]) for r in doc["residues"]}
    assert {
        ("key label", "show crypto key mypubkey rsa"),
        ("local user", "show running-config | section username"),
        ("vlan", "show vlan brief"),
        ("vlan database", "dir flash:"),
        ("svi address", "show ip interface brief"),
        ("leftover config file", "dir flash:"),
    } <= found
    assert all("$9$" not in r["text"] for r in doc["residues"])
    assert _run(inventory, CLEAN) == 0
    assert "CLEAN against baseline factory-cisco_ios" in capsys.readouterr().out
    sent = [e for e in lab.log.entries if e["device"] in (DIRTY, CLEAN)]
    assert sent
    for entry in sent:
        assert entry["command"] in allowed_commands(SPARES[entry["device"]]), entry
    evidence = {e.command for e in EVIDENCE["cisco_ios"]}
    assert evidence <= {e["command"] for e in sent if e["device"] == DIRTY}


@pytest.mark.slow
def test_live_unknown_device_is_one_line(
    spare_lab: tuple[LabSshServer, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, inventory = spare_lab
    assert _run(inventory, "nope") == 2
    assert "no host 'nope' in the inventory" in capsys.readouterr().err
