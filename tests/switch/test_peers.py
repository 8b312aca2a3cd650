"""Peers are verified and the allowlist holds for every driver (issue 8).

SSH host keys are checked against a known-hosts file before a password is sent (unknown and
changed keys refused, ``--trust-on-first-use`` records new ones); NAPALM over HTTPS verifies
certificates; the read-only guard sits inside netmiko, pyeapi and NX-API themselves, so NAPALM
eos over SSH cannot send its unlisted ``show version | json``; drivers the guard cannot see
(junos) are refused before connecting. The lab SSH log proves what reached the device.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.hostile import DribblingTlsServer
from tests.switch.conftest import LAB_CONFIG

from xsfabric.collect import CollectOptions, collect_hosts
from xsfabric.inventory import InventoryHost
from xsfabric.lab.ssh_server import LabSshServer, read_log
from xsfabric.snapshot import DeviceKind, Snapshot, SnapshotWriter
from xsfabric.switch.allowlist import CommandRefusedError, install_library_guards

pytestmark = pytest.mark.slow


@pytest.fixture
def lab(lab_devices_dir: Path, tmp_path: Path) -> Iterator[LabSshServer]:
    """A lab of its own, so its command log holds this test's commands only."""
    with LabSshServer(lab_devices_dir, LAB_CONFIG, tmp_path / "commands.jsonl") as server:
        yield server


def _host(
    name: str, platform: str, port: int, methods: list[str], known_hosts: Path | None, **data: Any
) -> InventoryHost:
    pinned = {"known_hosts": str(known_hosts)} if known_hosts is not None else {}
    return InventoryHost(
        name=name,
        hostname="127.0.0.1",
        kind=DeviceKind.SWITCH,
        platform=platform,
        port=port,
        username=LAB_CONFIG.username,
        password=LAB_CONFIG.password,
        data={"kind": "switch", "collect": methods, **pinned, **data},
        connection_options={"netmiko": {"extras": {"secret": LAB_CONFIG.enable_secret}}},
        groups=(),
        source="test",
    )


def _collect(
    hosts: list[InventoryHost], target: Path, tofu: Path | None = None
) -> dict[str, tuple[str, str | None]]:
    with SnapshotWriter(target) as writer:
        collect_hosts(hosts, writer, CollectOptions(timeout=10, trust_on_first_use=tofu))
        writer.commit()
    return {d["name"]: (d["status"], d["error"]) for d in Snapshot.open(target).manifest["devices"]}


def _log(lab: LabSshServer) -> list[dict[str, Any]]:
    assert lab.log_path is not None
    return read_log(lab.log_path)


# -- host keys -------------------------------------------------------------------------------


def test_unknown_host_key_is_refused_before_any_command(lab: LabSshServer, tmp_path: Path) -> None:
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    status = _collect(
        [_host("sw", "cisco_ios", lab.ports["lab-sw1"], ["cli"], empty)], tmp_path / "snap"
    )
    assert status["sw"][0] == "error"
    assert "is not in" in str(status["sw"][1]) and "--trust-on-first-use" in str(status["sw"][1])
    assert _log(lab) == []


def test_changed_host_key_is_refused(lab: LabSshServer, tmp_path: Path) -> None:
    import asyncssh

    other = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").split()
    port = lab.ports["lab-sw1"]
    known = tmp_path / "known_hosts"
    known.write_text(f"[127.0.0.1]:{port} {other[0].decode()} {other[1].decode()}\n")
    status = _collect([_host("sw", "cisco_ios", port, ["cli"], known)], tmp_path / "snap")
    assert status["sw"][0] == "error"
    assert "CHANGED" in str(status["sw"][1])
    assert _log(lab) == []


def test_pinned_lab_key_is_accepted(lab: LabSshServer, tmp_path: Path) -> None:
    """The near miss: the same device, its key pinned, is collected."""
    status = _collect(
        [_host("sw", "cisco_ios", lab.ports["lab-sw1"], ["cli"], lab.known_hosts)],
        tmp_path / "snap",
    )
    assert status["sw"] == ("ok", None)


def test_trust_on_first_use_records_the_key_and_keeps_checking_it(
    lab: LabSshServer, tmp_path: Path
) -> None:
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    tofu = tmp_path / "tofu" / "known_hosts"
    port = lab.ports["lab-sw1"]
    host = _host("sw", "cisco_ios", port, ["cli"], empty)
    assert _collect([host], tmp_path / "a", tofu)["sw"] == ("ok", None)
    recorded = tofu.read_text()
    assert recorded.startswith(f"[127.0.0.1]:{port} ssh-ed25519 ")
    assert recorded.split()[2] in Path(str(lab.known_hosts)).read_text()
    # second run: the recorded key is used, nothing appended
    assert _collect([host], tmp_path / "b", tofu)["sw"] == ("ok", None)
    assert tofu.read_text() == recorded
    # a different key under that name in the TOFU file: refused, not re-trusted
    import asyncssh

    other = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").split()
    tofu.write_text(f"[127.0.0.1]:{port} {other[0].decode()} {other[1].decode()}\n")
    status = _collect([host], tmp_path / "c", tofu)
    assert status["sw"][0] == "error" and "CHANGED" in str(status["sw"][1])


# -- the guard per driver -------------------------------------------------------------------


def test_napalm_eos_over_ssh_cannot_send_unlisted_commands(
    lab: LabSshServer, tmp_path: Path
) -> None:
    """Today's probe: driver eos, transport ssh sent ``show version | json``."""
    host = _host(
        "eos",
        "arista_eos",
        lab.ports["lab-sw3"],
        ["napalm"],
        lab.known_hosts,
        napalm={"driver": "eos", "optional_args": {"transport": "ssh"}},
    )
    status = _collect([host], tmp_path / "snap")
    assert status["eos"][0] == "error"
    assert "refusing" in str(status["eos"][1])
    sent = [e["command"] for e in _log(lab)]
    assert not [c for c in sent if "json" in c], sent


def test_napalm_junos_is_refused_before_connecting(lab: LabSshServer, tmp_path: Path) -> None:
    host = _host("jun", "juniper_junos", lab.ports["lab-sw4"], ["napalm"], lab.known_hosts)
    status = _collect([host], tmp_path / "snap")
    assert status["jun"][0] == "error"
    assert "refusing NAPALM driver 'junos'" in str(status["jun"][1])
    assert _log(lab) == []


def test_cisco_xe_uses_the_ios_command_set(lab: LabSshServer, tmp_path: Path) -> None:
    status = _collect(
        [_host("xe", "cisco_xe", lab.ports["lab-sw1"], ["cli"], lab.known_hosts)], tmp_path / "snap"
    )
    assert status["xe"] == ("ok", None)
    sent = {e["command"] for e in _log(lab)}
    assert "show interfaces switchport" in sent and "show etherchannel summary" in sent


def test_library_guards_refuse_configuration_in_every_transport() -> None:
    """netmiko (CLI, NAPALM ios/nxos_ssh/eos-ssh), pyeapi (NAPALM eos eAPI) and NX-API
    (NAPALM nxos): unlisted commands and configuration methods raise before any I/O."""
    install_library_guards()
    from napalm.nxapi_plumbing.device import Device as NxapiDevice
    from netmiko.base_connection import BaseConnection
    from pyeapi.client import Node

    class Conn:
        device_type = "cisco_ios"

    with pytest.raises(CommandRefusedError):
        BaseConnection.send_command(Conn(), "configure terminal")  # type: ignore[arg-type]
    with pytest.raises(CommandRefusedError):
        BaseConnection.send_config_set(Conn(), ["hostname x"])  # type: ignore[arg-type]

    sent: list[Any] = []

    class Eapi:
        def execute(self, commands: Any, *args: Any, **kwargs: Any) -> Any:
            sent.append(commands)
            return {"result": [{} for _ in commands]}

    node = Node(Eapi())
    with pytest.raises(CommandRefusedError):
        node.run_commands(["show version", "configure terminal"])
    with pytest.raises(CommandRefusedError):
        node.config(["hostname x"])
    node.run_commands(["show version"], send_enable=False)  # the near miss: allowed
    assert sent and all("configure" not in str(c) for c in sent)

    device = NxapiDevice.__new__(NxapiDevice)
    with pytest.raises(CommandRefusedError):
        device.show("configure terminal")
    with pytest.raises(CommandRefusedError):
        device.config("hostname x")


def test_napalm_eos_eapi_verifies_the_certificate(tmp_path: Path) -> None:
    """An eAPI endpoint whose certificate no trusted CA signed is refused (pyeapi alone
    would accept it)."""
    with DribblingTlsServer(tmp_path / "certs") as server:
        assert isinstance(server, DribblingTlsServer)
        host = _host(
            "eapi",
            "arista_eos",
            server.port,
            ["napalm"],
            None,
            napalm={"driver": "eos", "optional_args": {"transport": "https"}},
        )
        status = _collect([host], tmp_path / "snap")
    assert status["eapi"][0] in ("error", "unreachable")
    assert (
        "CERTIFICATE_VERIFY_FAILED" in str(status["eapi"][1])
        or "certificate" in str(status["eapi"][1]).lower()
    )
    assert server.connections >= 1


def test_napalm_nxos_nxapi_verifies_the_certificate(tmp_path: Path) -> None:
    """NX-API (NAPALM ``nxos``) too: NAPALM's default is ``ssl_verify: False``."""
    with DribblingTlsServer(tmp_path / "certs") as server:
        assert isinstance(server, DribblingTlsServer)
        host = _host(
            "nxapi",
            "cisco_nxos",
            server.port,
            ["napalm"],
            None,
            napalm={"driver": "nxos", "optional_args": {"transport": "https"}},
        )
        status = _collect([host], tmp_path / "snap")
    assert status["nxapi"][0] in ("error", "unreachable")
    message = str(status["nxapi"][1])
    assert "CERTIFICATE_VERIFY_FAILED" in message or "certificate" in message.lower(), message
