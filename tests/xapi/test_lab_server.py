"""The XAPI lab server, driven only by the real XenAPI SDK over HTTPS with a pinned CA."""

from __future__ import annotations

import ssl
import xmlrpc.client
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import XenAPI

from xsfabric.lab.xapi_server import LabPool, start_lab_pool
from xsfabric.xapi.dbdump import XapiDatabase, format_dump, read_dump
from xsfabric.xapi.records import COLLECTED_CLASSES, records_from_dump

if TYPE_CHECKING:  # fixtures' types; conftest is not importable at run time
    from tests.xapi.conftest import LabFactory, LabSecrets

Sdk = Callable[[str, Path | None], XenAPI.Session]


def _login(sdk: Sdk, lab: LabPool, secrets: LabSecrets, url: str | None = None) -> XenAPI.Session:
    session = sdk(url or lab.url, lab.ca_file)
    session.xenapi.login_with_password(secrets.user, secrets.password, "1.0", "tests")
    return session


def test_serves_every_corpus_dump_as_its_records(
    lab_factory: LabFactory,
    xapi_dumps: list[Path],
    sdk: Sdk,
    secrets: LabSecrets,
) -> None:
    for index, dump in enumerate(xapi_dumps):
        lab = lab_factory(dump, [f"127.0.0.{40 + index}"])
        expected = records_from_dump(read_dump(dump))
        session = _login(sdk, lab, secrets)
        for cls in COLLECTED_CLASSES:
            served = getattr(session.xenapi, cls).get_all_records()
            assert set(served) == set(expected[cls]), (dump.name, cls)
            for ref, record in expected[cls].items():
                assert served[ref]["uuid"] == record["uuid"]
        session.xenapi.session.logout()


def test_wire_types_are_as_xapi_sends_them(
    small_lab: LabPool,
    sdk: Sdk,
    secrets: LabSecrets,
) -> None:
    session = _login(sdk, small_lab, secrets)
    pifs = session.xenapi.PIF.get_all_records()
    eth0 = pifs["OpaqueRef:h1eth0"]
    assert eth0["MTU"] == "1500"
    assert eth0["VLAN"] == "-1"
    assert eth0["management"] is True
    vm = session.xenapi.VM.get_record("OpaqueRef:vm1")
    assert vm["memory_static_max"] == "8589934592"  # above 2**31: only a string can carry it
    assert isinstance(vm["snapshot_time"], xmlrpc.client.DateTime)
    metrics = session.xenapi.VM_guest_metrics.get_record("OpaqueRef:gm1")
    assert isinstance(metrics["last_updated"], xmlrpc.client.DateTime)
    assert metrics["last_updated"].value == "20240105T10:11:12Z"
    assert metrics["networks"] == {"0/ip": "10.1.0.5"}
    # The SDK's own API_version reads pool.get_master and host.get_API_version_*.
    assert session.API_version == "2.21"


def test_derived_set_fields_are_filled_from_the_other_side(
    small_lab: LabPool,
    sdk: Sdk,
    secrets: LabSecrets,
) -> None:
    session = _login(sdk, small_lab, secrets)
    x = session.xenapi
    assert sorted(x.host.get_PIFs("OpaqueRef:host1")) == sorted(
        [
            "OpaqueRef:h1eth0",
            "OpaqueRef:h1eth1",
            "OpaqueRef:h1eth2",
            "OpaqueRef:h1bond0",
            "OpaqueRef:h1vlan20",
        ]
    )
    assert x.host.get_PIFs("OpaqueRef:host2") == ["OpaqueRef:h2eth0"]
    assert sorted(x.Bond.get_slaves("OpaqueRef:bond1")) == ["OpaqueRef:h1eth1", "OpaqueRef:h1eth2"]
    assert x.PIF.get_bond_master_of("OpaqueRef:h1bond0") == ["OpaqueRef:bond1"]
    assert x.PIF.get_VLAN_slave_of("OpaqueRef:h1bond0") == ["OpaqueRef:vlan1"]
    assert x.PIF.get_VLAN_master_of("OpaqueRef:h1vlan20") == "OpaqueRef:vlan1"
    assert x.network.get_VIFs("OpaqueRef:net1") == ["OpaqueRef:vif1"]
    assert x.VM.get_VIFs("OpaqueRef:vm1") == ["OpaqueRef:vif1"]
    assert sorted(x.SR.get_PBDs("OpaqueRef:sr_nfs")) == ["OpaqueRef:pbd_nfs1", "OpaqueRef:pbd_nfs2"]
    assert sorted(x.host.get_PBDs("OpaqueRef:host1")) == [
        "OpaqueRef:pbd_iscsi1",
        "OpaqueRef:pbd_nfs1",
        "OpaqueRef:pbd_smb1",
    ]
    assert sorted(x.host.get_resident_VMs("OpaqueRef:host1")) == [
        "OpaqueRef:dom0-1",
        "OpaqueRef:vm1",
    ]


def test_derived_sets_of_an_old_dump_match_its_refs(
    lab_factory: LabFactory,
    xapi_dumps: list[Path],
    sdk: Sdk,
    secrets: LabSecrets,
) -> None:
    # state2.xml predates stored host.PIFs / network.VIFs / SR.PBDs.
    dump = next(d for d in xapi_dumps if d.name == "state2.xml")
    assert "PIFs" not in next(iter(read_dump(dump).table("host").values()))
    lab = lab_factory(dump, ["127.0.0.45"])
    x = _login(sdk, lab, secrets).xenapi
    pifs = x.PIF.get_all_records()
    for host_ref, host in x.host.get_all_records().items():
        assert sorted(host["PIFs"]) == sorted(r for r, p in pifs.items() if p["host"] == host_ref)
        assert host["PIFs"]
    vifs = x.VIF.get_all_records()
    for net_ref, net in x.network.get_all_records().items():
        assert sorted(net["VIFs"]) == sorted(r for r, v in vifs.items() if v["network"] == net_ref)
    assert sum(len(sr["PBDs"]) for sr in x.SR.get_all_records().values()) == 10


def test_lookups_and_their_errors(small_lab: LabPool, sdk: Sdk, secrets: LabSecrets) -> None:
    x = _login(sdk, small_lab, secrets).xenapi
    assert x.network.get_by_uuid("net2-uuid") == "OpaqueRef:net2"
    assert x.network.get_name_label("OpaqueRef:net2") == "Storage VLAN 20"
    assert x.network.get_by_name_label("Storage VLAN 20") == ["OpaqueRef:net2"]
    assert sorted(x.SR.get_all()) == ["OpaqueRef:sr_iscsi", "OpaqueRef:sr_nfs", "OpaqueRef:sr_smb"]
    with pytest.raises(XenAPI.Failure) as handle:
        x.PIF.get_record("OpaqueRef:no-such-pif")
    assert handle.value.details == ["HANDLE_INVALID", "PIF", "OpaqueRef:no-such-pif"]
    with pytest.raises(XenAPI.Failure) as uuid:
        x.PIF.get_by_uuid("no-such-uuid")
    assert uuid.value.details[0] == "UUID_INVALID"
    with pytest.raises(XenAPI.Failure) as unknown:
        x.VM.start("OpaqueRef:vm1", False, False)
    assert unknown.value.details == ["MESSAGE_METHOD_UNKNOWN", "VM.start"]
    with pytest.raises(XenAPI.Failure) as unknown_class:
        x.VDI.get_all_records()
    assert unknown_class.value.details[0] == "MESSAGE_METHOD_UNKNOWN"
    with pytest.raises(XenAPI.Failure) as bad_field:
        x.PIF.get_no_such_field("OpaqueRef:h1eth0")
    assert bad_field.value.details[0] == "MESSAGE_METHOD_UNKNOWN"


def test_wrong_password_is_refused(small_lab: LabPool, sdk: Sdk, secrets: LabSecrets) -> None:
    session = sdk(small_lab.url, small_lab.ca_file)
    with pytest.raises(XenAPI.Failure) as failure:
        session.xenapi.login_with_password(secrets.user, "wrong", "1.0", "tests")
    assert failure.value.details[0] == "SESSION_AUTHENTICATION_FAILED"
    assert "wrong" not in failure.value.details


def test_session_invalid_after_restart_and_sdk_logs_in_again(
    small_lab: LabPool,
    sdk: Sdk,
    secrets: LabSecrets,
) -> None:
    session = _login(sdk, small_lab, secrets)
    old = session.handle
    small_lab.restart_sessions()
    # Through the raw proxy (no SDK retry): the server answers SESSION_INVALID.
    raw = getattr(session, "PIF.get_all")(old)
    assert raw == {"Status": "Failure", "ErrorDescription": ["SESSION_INVALID", old]}
    # Through the SDK: it logs in again with the saved credentials and retries.
    assert len(session.xenapi.PIF.get_all()) == 6
    assert session.handle != old
    assert small_lab.methods().count("session.login_with_password") == 2


def test_member_address_answers_host_is_slave(
    small_lab: LabPool,
    sdk: Sdk,
    secrets: LabSecrets,
) -> None:
    session = sdk(small_lab.member_urls[0], small_lab.ca_file)
    with pytest.raises(XenAPI.Failure) as failure:
        session.xenapi.login_with_password(secrets.user, secrets.password, "1.0", "tests")
    assert failure.value.details == ["HOST_IS_SLAVE", "127.0.0.31"]
    assert small_lab.calls[-1].address == "127.0.0.32"


def test_secret_values_are_never_served(
    small_lab: LabPool,
    small_db: XapiDatabase,
    sdk: Sdk,
    secrets: LabSecrets,
) -> None:
    assert small_db.table("secret")["OpaqueRef:secret1"]["value"] == secrets.secret_value
    x = _login(sdk, small_lab, secrets).xenapi
    served = x.secret.get_all_records()
    assert served["OpaqueRef:secret1"]["value"] == "REMOVED"
    assert served["OpaqueRef:secret1"]["uuid"] == "secret-1-uuid"
    assert x.secret.get_value("OpaqueRef:secret1") == "REMOVED"


def test_certificate_is_only_trusted_through_the_pinned_ca(
    small_lab: LabPool,
    sdk: Sdk,
    secrets: LabSecrets,
) -> None:
    ca = small_lab.ca_file.read_text()
    assert ca.startswith("-----BEGIN CERTIFICATE-----")
    # The member address is a SAN too: verification passes there with the same CA.
    member = _login_error(sdk, small_lab.member_urls[0], small_lab.ca_file, secrets)
    assert isinstance(member, XenAPI.Failure)
    unpinned = _login_error(sdk, small_lab.url, None, secrets)
    assert isinstance(unpinned, ssl.SSLCertVerificationError)


def _login_error(sdk: Sdk, url: str, ca: Path | None, secrets: LabSecrets) -> Exception | None:
    try:
        sdk(url, ca).xenapi.login_with_password(secrets.user, secrets.password, "1.0", "t")
    except (XenAPI.Failure, ssl.SSLError) as exc:
        return exc
    return None


def test_starts_from_a_dump_file_and_refuses_non_loopback(
    tmp_path: Path,
    small_db: XapiDatabase,
    sdk: Sdk,
    secrets: LabSecrets,
) -> None:
    dump = tmp_path / "small.xml"
    dump.write_bytes(format_dump(small_db))
    with start_lab_pool(dump, ["127.0.0.46"], 0, secrets.user, secrets.password) as lab:
        x = _login(sdk, lab, secrets).xenapi
        assert x.pool.get_name_label(x.pool.get_all()[0]) == "lab-small"
        ca_file = lab.ca_file
    assert not ca_file.exists()  # a lab without cert_dir cleans up its temporary folder
    with pytest.raises(ValueError, match="loopback"):
        start_lab_pool(small_db, ["0.0.0.0"], 0, "root", "x")
