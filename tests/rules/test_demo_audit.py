"""The demo estate: generated dumps → ``xsfabric snapshot import`` with the demo policy →
audit. Every planted violation is found, and nothing on the clean objects beside them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xsfabric.audit import DEMO_ESTATE, DEMO_POLICY, audit_snapshot
from xsfabric.cli import main
from xsfabric.lab.estate import load_estate
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.rules.engine import load_rules
from xsfabric.schemas import validate
from xsfabric.snapshot import Snapshot

PLANTED = {
    ("xen-dom0-ip-on-guest-network", "host=xs-prod-01, network=App, pif=bond1.200, pool=prod"),
    ("xen-duplicate-mac", "mac=00:16:3e:5a:11:ce, pool=test"),
    ("xen-environments-share-network", "network=Web DMZ, pool=prod, vlan=100"),
    ("xen-environments-share-storage", "network=Storage, pool=prod, vlan=20"),
    ("xen-guest-networks-share-nic-untagged",
     "host=xs-test-01, network=Pool-wide network associated with eth1, pif=eth1, pool=test"),
    ("xen-guest-networks-share-nic-untagged",
     "host=xs-test-02, network=Pool-wide network associated with eth1, pif=eth1, pool=test"),
    ("xen-guest-on-infrastructure-nic", "host=xs-test-01, pif=eth0, pool=test"),
    ("xen-guest-on-infrastructure-nic", "host=xs-test-02, pif=eth0, pool=test"),
    ("xen-https-only-disabled", "host=xs-prod-02, pool=prod"),
    ("xen-internet-network-shares-vlan", "network=Test Lab, pool=test, vlan=100"),
    ("xen-iscsi-without-chap", "pool=test, sr=Test iSCSI"),
    ("xen-management-storage-share-nic", "host=xs-test-01, pif=eth0, pool=test"),
    ("xen-management-without-ip", "host=xs-prod-03, pif=eth0, pool=prod"),
    ("xen-network-default-name", "network=Pool-wide network associated with eth1, pool=test"),
    ("xen-network-name-misleading", "network=Storage Backup, pool=test"),
    ("xen-nfs-not-v4", "pool=test, sr=Test NFS"),
    ("xen-nic-layout-differs-across-pools", "pif=eth0, pool=test"),
    ("xen-nic-layout-differs-across-pools", "pif=eth1, pool=test"),
    ("xen-nic-layout-differs-across-pools", "pif=eth2, pool=test"),
    ("xen-nic-layout-differs-across-pools", "pif=eth3, pool=test"),
    ("xen-nic-layout-inconsistent", "host=xs-test-02, pif=eth0, pool=test"),
    ("xen-nic-layout-inconsistent", "host=xs-test-02, pif=eth3, pool=test"),
    ("xen-sensitive-and-untrusted-vms-share-network", "network=DB, pool=prod"),
    ("xen-smb-without-username", "pool=prod, sr=SMB Share"),
    ("xen-storage-not-redundant", "host=xs-test-01, pool=test, sr=Test Archive"),
    ("xen-storage-not-redundant", "host=xs-test-01, pool=test, sr=Test NFS"),
    ("xen-storage-not-redundant", "host=xs-test-01, pool=test, sr=Test iSCSI"),
    ("xen-storage-not-redundant", "host=xs-test-02, pool=test, sr=Test NFS"),
    ("xen-storage-not-redundant", "host=xs-test-02, pool=test, sr=Test iSCSI"),
    ("xen-storage-over-management", "host=xs-test-01, pool=test, sr=Test iSCSI"),
    ("xen-storage-over-management", "host=xs-test-02, pool=test, sr=Test iSCSI"),
    ("xen-storage-password-plaintext", "pool=prod, sr=iSCSI Legacy"),
    ("xen-storage-subnet-overlaps-management",
     "host=xs-prod-02, network=Storage, pif=bond0.20, pool=prod"),
    ("xen-storage-target-via-gateway", "host=xs-test-01, pool=test, sr=Test Archive"),
    ("xen-template-on-management-network",
     "network=Management, pool=prod, vif=0, vm=Debian 12 base"),
    ("xen-untrusted-network-default-unlocked", "network=Partner, pool=prod"),
    ("xen-vif-not-locked", "network=Web DMZ, pool=prod, vif=0, vm=shop-01"),
    ("xen-vm-bridges-internet-and-internal", "pool=prod, vm=proxy-01"),
    ("xen-vm-on-management-network", "network=Management, pool=prod, vif=0, vm=legacy-admin"),
    ("xen-vm-on-storage-network", "network=Storage, pool=prod, vif=0, vm=backup-01"),
}

#: Objects the demo keeps clean beside the planted ones (same kinds as the planted ones).
CLEAN = {("vm", "web-01"), ("vm", "app-01"), ("vm", "db-01"), ("vm", "contractor-01"),
         ("vm", "Web base"), ("sr", "NFS VMs"), ("sr", "iSCSI DB"), ("sr", "Local storage"),
         ("network", "Test Backend"), ("network", "Test Web"), ("network", "Mgmt Spare")}


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    write_estate(load_estate(DEMO_ESTATE), root / "src")
    snapshot = root / "snapshot"
    assert main(["snapshot", "import", str(root / "src"), "-o", str(snapshot),
                 "--policy", str(DEMO_POLICY)]) == 0
    return snapshot


def _pairs(findings: list[dict[str, object]]) -> set[tuple[str, str]]:
    pairs = set()
    for finding in findings:
        subject = finding["subject"]
        assert isinstance(subject, dict)
        text = ", ".join(f"{k}={v['name']}" for k, v in sorted(subject.items()))
        pairs.add((str(finding["rule_id"]), text))
    return pairs


def test_demo_finds_exactly_the_planted_set(demo_snapshot: Path) -> None:
    result = audit_snapshot(Snapshot.open(demo_snapshot))
    doc = [f.to_json() for f in result.findings]
    assert _pairs(doc) == PLANTED
    assert len(doc) == len(PLANTED)  # no subject reported twice
    assert result.warnings == []


def test_demo_plants_every_rule(demo_snapshot: Path) -> None:
    # switch-hygiene and wipe rules: the demo switches and spares, tests/rules/test_demo_switches.py
    pool_rules = {r for r, v in load_rules().items()
                  if str(v.meta.category) not in ("switch-hygiene", "wipe")}
    assert {rule for rule, _ in PLANTED} == pool_rules


def test_demo_clean_objects_have_no_findings(demo_snapshot: Path) -> None:
    result = audit_snapshot(Snapshot.open(demo_snapshot))
    named = {(k, v.name) for f in result.findings for k, v in f.subject.items()}
    assert not named & CLEAN


def test_demo_not_checked_is_only_missing_intent(demo_snapshot: Path) -> None:
    result = audit_snapshot(Snapshot.open(demo_snapshot))
    assert sorted((n.rule_id, n.subject["pool"].name) for n in result.not_checked) == [
        ("xen-sensitive-and-untrusted-vms-share-network", "test"),
        ("xen-vif-not-locked", "test"),
    ]
    assert {a.id for a in result.attestations} == {
        "attest-cable-labels", "attest-network-location", "attest-storage-location"}
    storage = next(a for a in result.attestations if a.id == "attest-storage-location")
    assert {(i["pool"], i["sr"]) for i in storage.items} >= {
        ("prod", "NFS VMs"), ("prod", "iSCSI DB"), ("test", "Test Archive")}
    nfs = next(i for i in storage.items if i["sr"] == "NFS VMs")
    assert nfs["targets"] == ["10.20.0.5"]


def test_demo_json_matches_schema(demo_snapshot: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "findings.json"
    code = main(["audit", str(demo_snapshot), "--format", "json", "--output", str(out)])
    assert code == 1
    doc = json.loads(out.read_text())
    validate("findings", doc, where=str(out))
    assert doc["summary"]["findings"] == len(PLANTED)
    assert _pairs(doc["findings"]) == PLANTED
    assert capsys.readouterr().out == ""  # the report went to the file


def test_fingerprints_are_stable_across_runs(demo_snapshot: Path) -> None:
    first = audit_snapshot(Snapshot.open(demo_snapshot))
    second = audit_snapshot(Snapshot.open(demo_snapshot))
    prints = [f.fingerprint for f in first.findings]
    assert prints == [f.fingerprint for f in second.findings]
    assert len(set(prints)) == len(prints)


def test_text_report_groups_and_lists_fixes(demo_snapshot: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(demo_snapshot)]) == 1
    text = capsys.readouterr().out
    assert "pool prod" in text and "pool test" in text
    assert "host xs-prod-02" in text
    assert "xe pool-param-set uuid=" in text and "https-only=true" in text
    assert "Not checked (2)" in text
    assert "Manual attestation items (3)" in text
    assert text.index("Findings by severity") < text.index("pool prod") < text.index(
        "Manual attestation items")
