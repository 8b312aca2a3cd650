"""The demo switches and spares: hygiene violations on the demo switches beside hardened host
ports (the lab hardens every port facing a host's eth1), and wipe residues on the spare that
was not wiped — none on the freshly reset one. The demo estate with its switches and spares
is imported the way a user imports raw captures, with the demo policy."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from xsfabric.audit import DEMO_ESTATE, DEMO_POLICY, AuditResult, audit_snapshot
from xsfabric.cli import main
from xsfabric.lab.estate import load_estate
from xsfabric.lab.spares import CLEAN, DIRTY, write_spare_devices
from xsfabric.lab.switch_gen import write_switches
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.schemas import validate
from xsfabric.snapshot import Snapshot

#: Host ports the lab hardens (they face a host's eth1).
HARDENED = {
    ("test-sw1", "GigabitEthernet1/0/11"),
    ("test-sw1", "GigabitEthernet1/0/12"),
    ("prod-tor1", "Ethernet1/11"),
    ("prod-tor1", "Ethernet1/12"),
    ("prod-tor1", "Ethernet1/13"),
}
#: Host ports beside them, rendered plain (eth0 / eth3 of the same hosts).
PLAIN = {
    ("test-sw1", "GigabitEthernet1/0/1"),
    ("test-sw1", "GigabitEthernet1/0/2"),
    ("prod-tor1", "Ethernet1/21"),
    ("prod-tor1", "Ethernet1/22"),
    ("prod-tor1", "Ethernet1/23"),
}
PORT_PROTECTION = (
    "sw-bpduguard-missing",
    "sw-storm-control-missing",
    "sw-cdp-on-untrusted-port",
    "sw-dtp-enabled",
)


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo-switches")
    spec = load_estate(DEMO_ESTATE)
    write_estate(spec, root / "src")
    write_switches(spec, root / "src")
    write_spare_devices(root / "src" / "devices")
    snapshot = root / "snapshot"
    assert (
        main(
            [
                "snapshot",
                "import",
                str(root / "src"),
                "-o",
                str(snapshot),
                "--policy",
                str(DEMO_POLICY),
            ]
        )
        == 0
    )
    return snapshot


@pytest.fixture(scope="module")
def result(snapshot: Path) -> AuditResult:
    return audit_snapshot(Snapshot.open(snapshot), categories=["switch-hygiene", "wipe"])


def _ports(result: AuditResult, rule_ids: tuple[str, ...]) -> set[tuple[str, str]]:
    return {
        (f.subject["device"].name, f.subject["interface"].name)
        for f in result.findings
        if f.rule_id in rule_ids and "interface" in f.subject
    }


def test_hardened_ports_are_quiet_and_their_neighbours_are_not(result: AuditResult) -> None:
    flagged = _ports(result, PORT_PROTECTION)
    assert not flagged & HARDENED
    assert _ports(result, ("sw-bpduguard-missing",)) >= PLAIN
    assert _ports(result, ("sw-storm-control-missing",)) >= PLAIN
    g12 = _ports(result, ("sw-g12-guest-l2-protection",))
    assert ("prod-tor1", "Ethernet1/21") in g12  # eth3 carries the internet-facing Web DMZ


def test_demo_switch_hygiene_rules_seen(result: AuditResult) -> None:
    fired = {f.rule_id for f in result.findings if f.subject["device"].name not in (DIRTY, CLEAN)}
    # the lab configurations state no AAA, syslog, NTP, banner, and use MD5 secrets on IOS
    assert {
        "sw-aaa-missing",
        "sw-syslog-missing",
        "sw-ntp-unauthenticated",
        "sw-banner-missing",
        "sw-weak-password-storage",
        "sw-snmp-community-weak",
        "sw-g12-guest-l2-protection",
        "sw-bpduguard-missing",
        "sw-native-vlan",
        "sw-unused-port-not-parked",
        "sw-dtp-enabled",
        "sw-vtp-server",
    } <= fired
    by_device = Counter(
        f.subject["device"].name for f in result.findings if f.rule_id == "sw-dtp-enabled"
    )
    assert set(by_device) == {"test-sw1"}  # DTP only exists on IOS


def test_spares_wipe_findings(result: AuditResult) -> None:
    wipe = [f for f in result.findings if f.rule_id == "wipe-residue"]
    assert {f.subject["device"].name for f in wipe} == {DIRTY}
    assert {f.evidence["cls"] for f in wipe} == {
        "local user",
        "svi address",
        "vlan",
        "vtp",
        "key label",
        "vlan database",
        "leftover config file",
    }


def test_json_report_matches_schema_and_subjects_are_unique(snapshot: Path, tmp_path: Path) -> None:
    out = tmp_path / "findings.json"
    assert (
        main(
            [
                "audit",
                str(snapshot),
                "--format",
                "json",
                "--output",
                str(out),
                "--category",
                "switch-hygiene,wipe",
            ]
        )
        == 1
    )
    doc = json.loads(out.read_text())
    validate("findings", doc, where=str(out))
    prints = [f["fingerprint"] for f in doc["findings"]]
    assert len(prints) == len(set(prints))  # one finding per subject
