"""Live collection through the XenAPI SDK against lab pools over HTTPS (pinned CA)."""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from xsfabric.cli import main
from xsfabric.collect import CollectOptions, collect_hosts
from xsfabric.errors import CollectionError
from xsfabric.inventory import InventoryHost
from xsfabric.kinds import DeviceKind
from xsfabric.lab.xapi_server import LabCall, LabPool
from xsfabric.redact import Redactor
from xsfabric.snapshot import DeviceStatus, Snapshot, SnapshotWriter
from xsfabric.xapi.collect import collect_pool, resolve_names, sr_target_names
from xsfabric.xapi.dbdump import XapiDatabase, read_dump
from xsfabric.xapi.records import COLLECTED_CLASSES

if TYPE_CHECKING:  # fixtures' types; conftest is not importable at run time
    from tests.xapi.conftest import LabFactory, LabSecrets

READ_METHODS = frozenset(
    {"session.login_with_password", "session.logout"}
    | {f"{cls}.get_all_records" for cls in COLLECTED_CLASSES}
)
OPTIONS = CollectOptions(timeout=5.0)


def _host(
    name: str,
    lab: LabPool | None,
    secrets: LabSecrets,
    *,
    hostname: str | None = None,
    port: int | None = None,
    password: str | None = None,
    pin: bool = True,
    verify_tls: bool | None = None,
) -> InventoryHost:
    data: dict[str, Any] = {"kind": "xenserver-pool"}
    if pin and lab is not None:
        data["ca_file"] = str(lab.ca_file)
    if verify_tls is not None:
        data["verify_tls"] = verify_tls
    return InventoryHost(
        name=name,
        hostname=hostname or (lab.addresses[0] if lab else "127.0.0.1"),
        kind=DeviceKind.XENSERVER_POOL,
        platform="xenserver",
        port=port or (lab.port if lab else None),
        username=secrets.user,
        password=password or secrets.password,
        data=data,
        connection_options={},
        groups=(),
        source="hosts.yaml:1",
    )


@pytest.fixture
def writer(tmp_path: Path, secrets: LabSecrets) -> Iterator[SnapshotWriter]:
    redactor = Redactor()
    redactor.add_secrets([secrets.password])
    with SnapshotWriter(tmp_path / "snap", redactor=redactor) as w:
        yield w


def _collect(
    host: InventoryHost, writer: SnapshotWriter, options: CollectOptions = OPTIONS
) -> dict[str, Any]:
    """Collect one pool as the orchestrator does and return the pool JSON written."""
    writer.device(host.name, host.kind, host.platform)
    collect_pool(host, writer, options)
    data: dict[str, Any] = json.loads((writer.tmp / "xenserver" / f"{host.name}.json").read_text())
    return data


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_collects_every_class_of_a_corpus_pool_with_read_calls_only(
    lab_factory: LabFactory,
    xapi_dumps: list[Path],
    writer: SnapshotWriter,
    secrets: LabSecrets,
) -> None:
    dump = next(d for d in xapi_dumps if d.name == "TampaTwoHostPoolSelectioniSCSI.xml")
    lab = lab_factory(dump, ["127.0.0.50"])
    doc = _collect(_host("tampa", lab, secrets), writer)
    db = read_dump(dump)
    assert doc["source"] == "xenapi"
    assert doc["collected_at"].endswith("Z")
    for cls in COLLECTED_CLASSES:
        assert set(doc["records"][cls]) == set(db.table(cls)), cls
    assert len(doc["records"]["PIF"]) == 4
    assert len(doc["records"]["PBD"]) == 14
    metrics = next(iter(doc["records"]["PIF_metrics"].values()))
    assert isinstance(metrics["last_updated"], str)  # DateTime converted for JSON
    methods = lab.methods()
    assert set(methods) <= READ_METHODS
    assert methods[0] == "session.login_with_password"
    assert methods[-1] == "session.logout"
    assert sorted(methods[1:-1]) == sorted(f"{c}.get_all_records" for c in COLLECTED_CLASSES)
    assert writer.devices["tampa"].status is DeviceStatus.OK


def test_small_pool_records_secrets_and_resolved_targets(
    small_lab: LabPool,
    writer: SnapshotWriter,
    secrets: LabSecrets,
) -> None:
    doc = _collect(_host("small", small_lab, secrets), writer)
    records = doc["records"]
    iscsi = records["PBD"]["OpaqueRef:pbd_iscsi1"]["device_config"]
    assert iscsi["chappassword"] == "REMOVED"  # key kept: rules can see it was in plain text
    assert iscsi["chapuser"] == "iqn-user"
    assert records["pool"]["OpaqueRef:pool"]["wlb_password"] == "REMOVED"
    assert not any(m.startswith("secret.") for m in small_lab.methods())
    assert records["VM_guest_metrics"]["OpaqueRef:gm1"]["last_updated"] == "20240105T10:11:12Z"
    assert sorted(records["Bond"]["OpaqueRef:bond1"]["slaves"]) == [
        "OpaqueRef:h1eth1",
        "OpaqueRef:h1eth2",
    ]
    resolved = doc["resolved"]
    assert "127.0.0.1" in resolved["localhost"]  # NFS server and SMB \\localhost\iso
    assert resolved["127.0.0.9"] == ["127.0.0.9"]  # iSCSI target: an IP needs no lookup
    assert resolved["::1"] == ["::1"]  # from multihomelist [::1]:3260
    assert resolved["nonexistent.invalid"] == []  # failed lookup stored, not dropped
    assert doc["names_unresolved"] is False
    text = (writer.tmp / "xenserver" / "small.json").read_text()
    for secret in (
        secrets.password,
        secrets.chap_password,
        secrets.wlb_password,
        secrets.secret_value,
    ):
        assert secret not in text


def test_sr_target_names_cover_nfs_iscsi_and_both_smb_forms() -> None:
    pbds = {
        "a": {"device_config": {"server": "nfs.lan", "serverpath": "/x"}},
        "b": {"device_config": {"server": "\\\\smb.lan\\share"}},
        "c": {"device_config": {"server": "//smb2.lan/share"}},
        "d": {
            "device_config": {
                "target": "10.0.0.1,san-b.lan",
                "multihomelist": "10.0.0.1:3260,[fd00::2]:3260,san-c.lan:3260",
            }
        },
        "e": {"device_config": {"device": "/dev/sda"}},
    }
    assert sr_target_names(pbds) == [
        "nfs.lan",
        "smb.lan",
        "smb2.lan",
        "10.0.0.1",
        "san-b.lan",
        "fd00::2",
        "san-c.lan",
    ]
    assert resolve_names(["10.0.0.1", "fd00::2"], timeout=0.1) == {
        "10.0.0.1": ["10.0.0.1"],
        "fd00::2": ["fd00::2"],
    }


def test_session_invalid_mid_collection_recovers(
    small_lab: LabPool,
    writer: SnapshotWriter,
    secrets: LabSecrets,
) -> None:
    restarted = threading.Event()

    def restart_once(call: LabCall) -> None:
        if call.method == "PIF.get_all_records" and not restarted.is_set():
            restarted.set()
            small_lab.restart_sessions()  # this very call now meets SESSION_INVALID

    small_lab.on_call = restart_once
    doc = _collect(_host("small", small_lab, secrets), writer)
    assert restarted.is_set()
    assert len(doc["records"]["PIF"]) == 6
    methods = small_lab.methods()
    assert methods.count("session.login_with_password") == 2
    assert methods.count("PIF.get_all_records") == 2
    assert methods[-1] == "session.logout"
    assert writer.devices["small"].status is DeviceStatus.OK


def test_follows_host_is_slave_to_the_master_once(
    small_lab: LabPool,
    writer: SnapshotWriter,
    secrets: LabSecrets,
) -> None:
    doc = _collect(_host("small", small_lab, secrets, hostname="127.0.0.32"), writer)
    assert len(doc["records"]["host"]) == 2
    calls = small_lab.calls
    assert calls[0] == LabCall("127.0.0.32", "session.login_with_password")
    assert calls[1] == LabCall("127.0.0.31", "session.login_with_password")
    assert {c.address for c in calls[1:]} == {"127.0.0.31"}


def test_host_is_slave_loop_names_both_addresses(
    lab_factory: LabFactory,
    small_db: XapiDatabase,
    writer: SnapshotWriter,
    secrets: LabSecrets,
) -> None:
    lab = lab_factory(
        small_db,
        ["127.0.0.51", "127.0.0.52"],
        masters={"127.0.0.51": "127.0.0.52", "127.0.0.52": "127.0.0.51"},
    )
    with pytest.raises(CollectionError) as error:
        _collect(_host("loop", lab, secrets), writer)
    assert error.value.status == "error"
    assert "HOST_IS_SLAVE loop" in error.value.message
    assert "127.0.0.51" in error.value.message
    assert "127.0.0.52" in error.value.message
    assert lab.methods() == ["session.login_with_password"] * 2


def test_wrong_password_is_auth_failed_and_never_named(
    small_lab: LabPool,
    writer: SnapshotWriter,
    secrets: LabSecrets,
) -> None:
    host = _host("small", small_lab, secrets, password="Wrong-pass-123")
    with pytest.raises(CollectionError) as error:
        _collect(host, writer)
    assert error.value.status == "auth-failed"
    assert small_lab.url in error.value.message
    assert "Wrong-pass-123" not in str(error.value)
    assert "session.logout" not in small_lab.methods()


def test_closed_port_is_unreachable(writer: SnapshotWriter, secrets: LabSecrets) -> None:
    port = _closed_port()
    with pytest.raises(CollectionError) as error:
        _collect(_host("gone", None, secrets, hostname="127.0.0.1", port=port), writer)
    assert error.value.status == "unreachable"
    assert f"https://127.0.0.1:{port}/" in error.value.message


def test_silent_server_times_out(writer: SnapshotWriter, secrets: LabSecrets) -> None:
    # Listening but never accepting: the kernel completes TCP, then nothing ever answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.53", 0))
        silent.listen(4)
        port = silent.getsockname()[1]
        host = _host("mute", None, secrets, hostname="127.0.0.53", port=port)
        with pytest.raises(CollectionError) as error:
            _collect(host, writer, CollectOptions(timeout=0.5))
    assert error.value.status == "timeout"


def test_timeout_after_login_still_logs_out(
    small_lab: LabPool,
    writer: SnapshotWriter,
    secrets: LabSecrets,
) -> None:
    release = threading.Event()

    def stall(call: LabCall) -> None:
        if call.method == "VM.get_all_records":
            release.wait(10)

    small_lab.on_call = stall
    try:
        with pytest.raises(CollectionError) as error:
            _collect(_host("small", small_lab, secrets), writer, CollectOptions(timeout=0.5))
    finally:
        release.set()
    assert error.value.status == "timeout"
    assert small_lab.methods()[-1] == "session.logout"


def test_untrusted_certificate_without_ca_file_says_how_to_pin(
    small_lab: LabPool,
    writer: SnapshotWriter,
    secrets: LabSecrets,
) -> None:
    with pytest.raises(CollectionError) as error:
        _collect(_host("small", small_lab, secrets, pin=False), writer)
    assert error.value.status == "error"
    assert "certificate verification failed" in error.value.message
    assert "data.ca_file" in error.value.message
    assert small_lab.url in error.value.message
    assert small_lab.methods() == []  # nothing was sent before the certificate was checked


def test_verify_tls_false_collects_with_a_warning(
    small_lab: LabPool,
    writer: SnapshotWriter,
    secrets: LabSecrets,
    caplog: pytest.LogCaptureFixture,
) -> None:
    host = _host("small", small_lab, secrets, pin=False, verify_tls=False)
    with caplog.at_level(logging.WARNING, logger="xsfabric.xapi.collect"):
        doc = _collect(host, writer)
    assert len(doc["records"]["PIF"]) == 6
    assert any("verification is off" in r.getMessage() for r in caplog.records)


def test_missing_ca_file_is_named(
    small_lab: LabPool,
    writer: SnapshotWriter,
    secrets: LabSecrets,
    tmp_path: Path,
) -> None:
    host = _host("small", small_lab, secrets, pin=False)
    host = InventoryHost(
        **{
            **{f: getattr(host, f) for f in host.__slots__},
            "data": {"ca_file": str(tmp_path / "nope.pem")},
        }
    )
    with pytest.raises(CollectionError, match=r"data.ca_file .*nope.pem does not exist"):
        _collect(host, writer)


def test_pools_collected_concurrently_one_failure_does_not_stop_the_others(
    lab_factory: LabFactory,
    small_db: XapiDatabase,
    xapi_dumps: list[Path],
    tmp_path: Path,
    secrets: LabSecrets,
) -> None:
    labs = [
        lab_factory(small_db, ["127.0.0.54"]),
        lab_factory(xapi_dumps[0], ["127.0.0.55"]),
        lab_factory(xapi_dumps[-1], ["127.0.0.56"]),
    ]
    hosts = [
        _host("pool-a", labs[0], secrets),
        _host("pool-b", labs[1], secrets),
        _host("pool-c", labs[2], secrets, password="not-the-password"),
        _host("pool-d", None, secrets, hostname="127.0.0.57", port=_closed_port()),
    ]
    lines: list[str] = []
    with SnapshotWriter(tmp_path / "snap") as writer:
        collect_hosts(hosts, writer, CollectOptions(timeout=5.0, workers=4), progress=lines.append)
        writer.commit()
    manifest = Snapshot.open(tmp_path / "snap").manifest
    status = {d["name"]: d["status"] for d in manifest["devices"]}
    assert status == {
        "pool-a": "ok",
        "pool-b": "ok",
        "pool-c": "auth-failed",
        "pool-d": "unreachable",
    }
    assert len(lines) == 4
    assert (tmp_path / "snap" / "xenserver" / "pool-b.json").is_file()
    assert not (tmp_path / "snap" / "xenserver" / "pool-c.json").exists()
    for lab in labs:
        assert set(lab.methods()) <= READ_METHODS


def test_cli_collect_end_to_end(
    lab_factory: LabFactory,
    small_db: XapiDatabase,
    xapi_dumps: list[Path],
    tmp_path: Path,
    secrets: LabSecrets,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    prod = lab_factory(small_db, ["127.0.0.58", "127.0.0.59"])
    boston = lab_factory(next(d for d in xapi_dumps if d.name == "boston-db.xml"), ["127.0.0.60"])
    inventory = tmp_path / "inventory"
    inventory.mkdir()
    entries = []
    # prod is reached through its member address: the HOST_IS_SLAVE redirect end to end.
    for name, lab, address in (("prod", prod, "127.0.0.59"), ("boston", boston, "127.0.0.60")):
        entries.append(
            f"{name}:\n  hostname: {address}\n  port: {lab.port}\n  platform: xenserver\n"
            f"  username: root\n  password: ${{XS_TEST_PASSWORD}}\n"
            f"  data:\n    kind: xenserver-pool\n    ca_file: {lab.ca_file}\n"
        )
    (inventory / "hosts.yaml").write_text("".join(entries))
    monkeypatch.setenv("XS_TEST_PASSWORD", secrets.password)
    snapshot = tmp_path / "snapshot"
    assert main(["collect", "-i", str(inventory), "-o", str(snapshot), "--timeout", "5"]) == 0
    assert "snapshot written to" in capsys.readouterr().out
    manifest = json.loads((snapshot / "manifest.json").read_text())
    devices = {d["name"]: d for d in manifest["devices"]}
    assert {n: d["status"] for n, d in devices.items()} == {"prod": "ok", "boston": "ok"}
    assert [a["path"] for a in devices["prod"]["artifacts"]] == ["xenserver/prod.json"]
    boston_doc = json.loads((snapshot / "xenserver" / "boston.json").read_text())
    assert len(boston_doc["records"]["PBD"]) == 10
    for path in snapshot.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (
                secrets.password,
                secrets.chap_password,
                secrets.wlb_password,
                secrets.secret_value,
            ):
                assert secret.encode() not in data, (path, secret)
