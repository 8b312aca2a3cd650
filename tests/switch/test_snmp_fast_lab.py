"""The fast path gives what pysnmp gives: every agent snmpsim serves (the lab switches and the
LibreNMS recordings of ``../shared/corpus``) walked whole by both clients, varbind for varbind
(OID, type, value), and collected by both into byte-identical snapshot files."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from tests.switch.conftest_snmp import SnmpLab, snmp_host

from xsfabric.collect import CollectOptions
from xsfabric.kinds import DeviceKind
from xsfabric.lab.switches import LAB_PLATFORMS
from xsfabric.snapshot import SnapshotWriter
from xsfabric.switch import snmp_collect
from xsfabric.switch.snmp_ber import Varbind
from xsfabric.switch.snmp_collect import SnmpSettings, collect_snmp

pytestmark = pytest.mark.slow


def _agents(lab: SnmpLab) -> list[str]:
    return [*LAB_PLATFORMS, *lab.librenms]


def _whole_agent(lab: SnmpLab, name: str, client: str) -> list[Varbind]:
    host = snmp_host(name, lab.port, max_repetitions=200, timeout=5.0)
    settings = SnmpSettings.from_host(host)
    deadline = time.monotonic() + 120
    walker: snmp_collect._Client = (
        snmp_collect._FastClient(host, settings, deadline)
        if client == "fast"
        else snmp_collect._PysnmpClient(host, settings, deadline)
    )
    try:
        return walker.walk_all(("1.0", "1.3"))
    finally:
        walker.close()


def test_the_corpus_recordings_are_served(snmp_lab: SnmpLab) -> None:
    """Not vacuous: with the corpus present, its five recordings take part."""
    if snmp_lab.librenms:
        assert len(snmp_lab.librenms) == 5


@pytest.mark.parametrize("index", range(7))
def test_whole_agent_walks_are_identical(snmp_lab: SnmpLab, index: int) -> None:
    agents = _agents(snmp_lab)
    if index >= len(agents):
        pytest.skip("the corpus is not here")
    name = agents[index]
    fast = _whole_agent(snmp_lab, name, "fast")
    slow = _whole_agent(snmp_lab, name, "pysnmp")
    assert len(fast) > 100
    assert fast == slow
    # …and from one arc, the way the bench walks the whole agent
    host = snmp_host(name, snmp_lab.port, max_repetitions=200)
    settings = SnmpSettings.from_host(host)
    whole = snmp_collect._FastClient(host, settings, time.monotonic() + 60)
    try:
        assert whole.walk_all(("1",)) == fast
    finally:
        whole.close()


def _collect(lab: SnmpLab, target: Path, client: str) -> Path:
    with SnapshotWriter(target) as writer:
        for name in _agents(lab):
            host = snmp_host(name, lab.port)
            writer.device(name, DeviceKind.SWITCH)
            collect_snmp(host, writer, replace(CollectOptions(timeout=60), snmp_client=client))
        writer.commit()
    return target / "devices"


def test_collection_writes_the_same_files_with_either_client(
    snmp_lab: SnmpLab, tmp_path: Path
) -> None:
    fast = _collect(snmp_lab, tmp_path / "fast", "fast")
    slow = _collect(snmp_lab, tmp_path / "pysnmp", "pysnmp")
    files = sorted(p.relative_to(fast) for p in fast.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(slow) for p in slow.rglob("*") if p.is_file())
    assert Path("lab-sw1/snmpwalk@10.snmprec") in files  # Cisco's per-VLAN communities too
    for path in files:
        assert (fast / path).read_bytes() == (slow / path).read_bytes(), path
