"""The switch index is built once for the same facts (the audit correlates twice: the wire
rules with evidence sources and lines, port roles without), and never reused for other facts."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from xsfabric.correlate import correlate_pools, switches
from xsfabric.correlate.model import Cabling
from xsfabric.lab.estate import parse_estate
from xsfabric.lab.xapi_dump_gen import pool_model
from xsfabric.model.xen import Pool
from xsfabric.switch.model import (
    ArpEntry,
    CollectionMethod,
    FdbEntry,
    PortMode,
    SwitchFacts,
    SwitchPort,
)

GUEST = "00:16:3e:00:00:01"


@pytest.fixture(scope="module")
def pool() -> Pool:
    spec = parse_estate(
        {
            "pools": [
                {
                    "name": "p",
                    "hosts": 1,
                    "host_name": "hv1",
                    "nics": 2,
                    "networks": [
                        {
                            "name": "Mgmt",
                            "on": "eth0",
                            "management": True,
                            "ip": {"subnet": "10.0.0.0/24"},
                        },
                        {"name": "Guests", "on": "eth1", "vlan": 30},
                    ],
                    "vms": [{"name": "vm", "vifs": [{"network": "Guests", "mac": GUEST}]}],
                }
            ]
        }
    )
    return pool_model(spec.pools[0])


def _macs(pool: Pool) -> dict[str, str]:
    return {p.device: p.mac for p in pool.pifs.values() if p.physical}


def _switch(name: str, fdb: Iterable[FdbEntry], arp: Iterable[ArpEntry] = ()) -> SwitchFacts:
    ports = [
        SwitchPort(f"Ethernet{i}", f"Et{i}", mode=PortMode.TRUNK, native_vlan=1)
        for i in range(1, 5)
    ]
    return SwitchFacts(
        device=name,
        method=CollectionMethod.CLI,
        ports=ports,
        fdb=list(fdb),
        lldp=[],
        arp=list(arp),
    )


def _estate(pool: Pool) -> dict[str, SwitchFacts]:
    macs = _macs(pool)
    return {
        "sw1": _switch(
            "sw1",
            [
                FdbEntry(macs["eth0"], 1, "Ethernet1"),
                FdbEntry(GUEST, 30, "Ethernet2"),
                FdbEntry(macs["eth1"], 30, "Ethernet2"),
            ],
            [ArpEntry("10.0.0.11", macs["eth0"], "Vlan1", 1)],
        )
    }


SOURCES = {"sw1": {"fdb": "devices/sw1/show mac address-table.txt", "arp": "devices/sw1/arp"}}
LINES = {"sw1": {"fdb": {GUEST: 7}}}


def _fresh(pool: Pool, facts: dict[str, SwitchFacts], **kw: object) -> Cabling:
    switches._SHARED.clear()
    return correlate_pools([pool], facts, kw.get("sources"), None, kw.get("lines"))  # type: ignore[arg-type]


def _count_fdb_passes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = switches._index_fdb

    def counting(index: switches.SwitchIndex, switch: str, *args: object) -> None:
        calls.append(switch)
        real(index, switch, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(switches, "_index_fdb", counting)
    return calls


def test_second_correlation_reuses_the_fdb_pass_with_its_own_labels(
    pool: Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = _estate(pool)
    with_sources = _fresh(pool, facts, sources=SOURCES, lines=LINES)
    without = _fresh(pool, facts)
    assert with_sources != without  # the labels differ: the test can tell them apart
    calls = _count_fdb_passes(monkeypatch)
    switches._SHARED.clear()
    assert correlate_pools([pool], facts, SOURCES, None, LINES) == with_sources
    assert correlate_pools([pool], facts) == without
    assert correlate_pools([pool], facts, SOURCES, None, LINES) == with_sources
    assert calls == ["sw1"]  # one FDB pass for three correlations
    sightings = with_sources.vifs[GUEST]
    assert sightings and sightings[0].port == "Ethernet2"


def test_a_replaced_or_grown_table_builds_a_new_index(
    pool: Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = _estate(pool)
    switches._SHARED.clear()
    first = correlate_pools([pool], facts)
    assert first.vifs[GUEST][0].port == "Ethernet2"
    calls = _count_fdb_passes(monkeypatch)
    sw1 = facts["sw1"]
    sw1.fdb = [FdbEntry(GUEST, 30, "Ethernet3") if e.mac == GUEST else e for e in sw1.fdb or []]
    moved = correlate_pools([pool], facts)
    assert moved.vifs[GUEST][0].port == "Ethernet3"
    assert sw1.fdb is not None
    sw1.fdb.append(FdbEntry(GUEST, 30, "Ethernet4"))  # grown in place
    grown = correlate_pools([pool], facts)
    assert [v.port for v in grown.vifs[GUEST]] == ["Ethernet3", "Ethernet4"]
    assert calls == ["sw1", "sw1"]
    assert grown == _fresh(pool, facts)
