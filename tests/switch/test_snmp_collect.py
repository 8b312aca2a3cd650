"""SNMP collection against snmpsim: v3 with per-VLAN contexts, and failures that must be
bounded and named (wrong community, wrong v3 key, nobody listening)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from tests.switch.conftest_snmp import V3_DEVICE, SnmpLab, snmp_host, v3_host

from xsfabric.collect import CollectOptions
from xsfabric.errors import CollectionError
from xsfabric.inventory import InventoryHost
from xsfabric.kinds import DeviceKind
from xsfabric.lab.snmpsim import free_udp_port
from xsfabric.lab.switches import lab_switch
from xsfabric.snapshot import SnapshotWriter
from xsfabric.switch.snmp_collect import collect_snmp
from xsfabric.switch.snmp_parse import parse_snmp_device

pytestmark = pytest.mark.slow


def _collect(tmp_path: Path, host: InventoryHost) -> Path:
    target = tmp_path / "snap"
    with SnapshotWriter(target) as writer:
        writer.device(host.name, DeviceKind.SWITCH)
        collect_snmp(host, writer, CollectOptions(timeout=20))
        writer.commit()
    return target / "devices" / host.name


def test_v3_walk_with_per_vlan_contexts_gives_the_truth(snmp_lab: SnmpLab, tmp_path: Path) -> None:
    folder = _collect(tmp_path, v3_host(snmp_lab.port))
    got = parse_snmp_device(folder, V3_DEVICE)
    truth = lab_switch(V3_DEVICE)
    assert got.warnings == []
    assert sorted(folder.glob("snmpwalk@*.snmprec")) != []
    assert sorted((e.mac, e.vlan, e.port) for e in got.fdb or []) == sorted(
        (e.mac, e.vlan, e.port) for e in truth.fdb or []
    )


def test_v3_wrong_auth_key_is_auth_failed(snmp_lab: SnmpLab, tmp_path: Path) -> None:
    with pytest.raises(CollectionError) as info:
        _collect(tmp_path, v3_host(snmp_lab.port, auth_key="not-the-key-9"))
    assert info.value.status == "auth-failed"
    assert "xsf-ro" in info.value.message


def test_wrong_community_is_a_timeout_that_says_so(snmp_lab: SnmpLab, tmp_path: Path) -> None:
    host = snmp_host("lab-sw1", snmp_lab.port, community="not-public", timeout=0.5, retries=0)
    with pytest.raises(CollectionError) as info:
        _collect(tmp_path, host)
    assert info.value.status == "timeout"
    assert "wrong community" in info.value.message


def test_nobody_listening_ends_within_the_configured_timeout(tmp_path: Path) -> None:
    host = snmp_host("ghost", free_udp_port(), timeout=0.3, retries=1)
    with pytest.raises(CollectionError) as info:
        _collect(tmp_path, host)
    assert info.value.status == "timeout"
    assert "0.6 s" in info.value.message  # 0.3 s × (1 retry + 1)


def test_device_deadline_stops_a_walk(snmp_lab: SnmpLab, tmp_path: Path) -> None:
    """The per-device deadline (CollectOptions.timeout) ends even a walk that is answering."""
    host = snmp_host(
        "arista_eos" if "arista_eos" in snmp_lab.librenms else "lab-sw1", snmp_lab.port
    )
    target = tmp_path / "snap"
    with SnapshotWriter(target) as writer:
        writer.device(host.name, DeviceKind.SWITCH)
        with pytest.raises(CollectionError) as info:
            collect_snmp(host, writer, CollectOptions(timeout=0.05))
    assert info.value.status == "timeout"
    assert "did not finish within 0.05 s" in info.value.message


def test_missing_community_is_an_error_not_a_walk() -> None:
    host = replace(snmp_host("lab-sw1", 161), data={"snmp": {"version": "2c", "port": 161}})
    with pytest.raises(CollectionError, match=r"snmp.community is not set"):
        collect_snmp(host, None, CollectOptions())  # type: ignore[arg-type]
