"""The demo estate: generated dumps → ``xsfabric snapshot import`` with the demo policy →
audit. Every planted violation is found, and nothing on the clean objects beside them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.processes import run_python
from tests.test_cabling import WIRE_PLANTED

from xsfabric.audit import DEMO_ESTATE, DEMO_POLICY, audit_snapshot
from xsfabric.cli import main
from xsfabric.lab.estate import load_estate
from xsfabric.lab.switch_gen import write_switches
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.rules.engine import load_rules
from xsfabric.schemas import validate
from xsfabric.snapshot import Snapshot

PLANTED = {
    ("xen-dom0-ip-on-guest-network", "host=xs-prod-01, network=App, pif=bond1.200, pool=prod"),
    ("xen-duplicate-mac", "mac=00:16:3e:5a:11:ce, pool=test"),
    ("xen-environments-share-network", "network=Web DMZ, pool=prod, vlan=100"),
    ("xen-environments-share-storage", "network=Storage, pool=prod, vlan=20"),
    (
        "xen-guest-networks-share-nic-untagged",
        "host=xs-test-01, network=Pool-wide network associated with eth1, pif=eth1, pool=test",
    ),
    (
        "xen-guest-networks-share-nic-untagged",
        "host=xs-test-02, network=Pool-wide network associated with eth1, pif=eth1, pool=test",
    ),
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
    # the dr pool is production like prod; the test pool differs on purpose and is not compared
    ("xen-nic-layout-differs-across-pools", "pif=eth0, pool=recovery"),
    ("xen-nic-layout-differs-across-pools", "pif=eth1, pool=recovery"),
    ("xen-nic-layout-differs-across-pools", "pif=eth2, pool=recovery"),
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
    (
        "xen-storage-subnet-overlaps-management",
        "host=xs-prod-02, network=Storage, pif=bond0.20, pool=prod",
    ),
    ("xen-storage-target-via-gateway", "host=xs-test-01, pool=test, sr=Test Archive"),
    (
        "xen-template-on-management-network",
        "network=Management, pool=prod, vif=0, vm=Debian 12 base",
    ),
    ("xen-untrusted-network-default-unlocked", "network=Partner, pool=prod"),
    ("xen-vif-not-locked", "network=Web DMZ, pool=prod, vif=0, vm=shop-01"),
    ("xen-vm-bridges-internet-and-internal", "pool=prod, vm=proxy-01"),
    ("xen-vm-on-management-network", "network=Management, pool=prod, vif=0, vm=legacy-admin"),
    ("xen-vm-on-storage-network", "network=Storage, pool=prod, vif=0, vm=backup-01"),
    # the ONTAP array fas1 (issue 10, array half)
    (
        "array-lun-mapped-outside-pool",
        "array=fas1, group=legacy_a, initiator=iqn.1991-05.com.microsoft:backup01, pool=prod, "
        "sr=iSCSI Legacy, volume=svm_prod:/vol/legacy/lun0",
    ),
    (
        "array-pool-host-not-mapped",
        "array=fas1, host=xs-prod-03, pool=prod, sr=iSCSI Legacy, volume=svm_prod:/vol/legacy/lun0",
    ),
    (
        "array-lun-id-inconsistent",
        "array=fas1, pool=prod, sr=iSCSI Legacy, volume=svm_prod:/vol/legacy/lun0",
    ),
    ("array-igroup-shared-across-environments", "array=fas1, group=shared_lab, vserver=svm_prod"),
    (
        "array-os-type-not-xen",
        "array=fas1, pool=test, sr=Test iSCSI, volume=svm_test:/vol/test/lun0",
    ),
    (
        "array-nfs-export-open",
        "array=fas1, pool=test, sr=Test NFS, volume=test_nfs, vserver=svm_test",
    ),
    (
        "array-nfs-export-superuser-beyond-pool",
        "array=fas1, pool=test, sr=Test NFS, volume=test_nfs, vserver=svm_test",
    ),
    (
        "array-nfs-export-security",
        "array=fas1, pool=test, sr=Test Archive, volume=archive, vserver=svm_prod",
    ),
    (
        "array-data-lif-outside-storage-subnets",
        "array=fas1, interface=test_iscsi, pool=test, vserver=svm_test",
    ),
    ("array-iscsi-chap-off", "array=fas1, pool=test, sr=Test iSCSI, vserver=svm_test"),
    ("array-target-shared-across-environments", "array=fas1, vserver=svm_prod"),
    (
        "array-masked-not-zoned",
        "array=fas1, host=xs-prod-02, pool=prod, sr=FC Archive, "
        "volume=svm_prod:/vol/fc_archive/lun0, wwpn=21:00:00:24:ff:10:02:0b",
    ),
    (
        "array-zoned-not-masked",
        "array=fas1, host=xs-prod-03, pool=prod, sr=FC Archive, "
        "volume=svm_prod:/vol/fc_archive/lun0, wwpn=21:00:00:24:ff:10:03:0a",
    ),
    # the FC SAN (demo-estate.yaml "fabrics")
    ("zoning-disabled", "device=LAB_FAB"),
    ("zoning-default-zone-access", "device=san-b VSAN 20"),
    ("zoning-multi-initiator-zone", "device=FAB_A, zone=z_xs_prod_03_a"),
    ("zoning-initiator-to-initiator", "device=san-b VSAN 20, zone=z_hosts_b"),
    ("zoning-port-members", "device=FAB_A, zone=z_legacy_ports"),
    ("zoning-defined-effective-drift", "device=FAB_A"),
    ("zoning-member-not-logged-in", "device=san-b VSAN 20, wwpn=21:00:00:24:ff:99:00:0b"),
    ("zoning-zone-no-online-member", "device=san-b VSAN 20, zone=z_decom_b"),
    ("zoning-empty-or-single-member-zone", "device=san-b VSAN 20, zone=z_placeholder_b"),
    ("zoning-unused-alias", "device=FAB_A, zone=alias old_esx_a"),
    ("zoning-login-not-zoned", "device=FAB_A, wwpn=10:00:00:10:9b:aa:00:09"),
    ("zoning-login-not-zoned", "device=san-b VSAN 20, wwpn=21:00:00:24:ff:10:02:0b"),
    ("zoning-host-fabric-redundancy", "host=xs-prod-02, pool=prod"),
}
# The wire rules' plants (the demo's switches), listed with the cabling tests.
PLANTED |= WIRE_PLANTED

#: Objects the demo keeps clean beside the planted ones (same kinds as the planted ones).
CLEAN = {
    ("vm", "web-01"),
    ("vm", "app-01"),
    ("vm", "db-01"),
    ("vm", "contractor-01"),
    ("vm", "Web base"),
    ("sr", "NFS VMs"),
    ("sr", "iSCSI DB"),
    ("sr", "Local storage"),
    ("network", "Test Backend"),
    ("network", "Test Web"),
    ("network", "Mgmt Spare"),
    ("volume", "svm_prod:/vol/xen_db/lun0"),
    ("volume", "xen_prod_nfs"),
    ("group", "xen_prod"),
    ("group", "xen_test"),
    ("interface", "prod_nfs"),
    ("interface", "svm_prod_mgmt"),
    ("zone", "z_xs_prod_01_a"),
    ("zone", "z_xs_prod_02_a"),
    ("zone", "z_xs_prod_03_b"),
    ("zone", "pz_fas_0c"),
    ("wwpn", "21:00:00:24:ff:10:01:0a"),
    ("sr", "FC Data"),
}


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    spec = load_estate(DEMO_ESTATE)
    write_estate(spec, root / "src")
    write_switches(spec, root / "src")
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


def _pairs(findings: list[dict[str, object]]) -> set[tuple[str, str]]:
    pairs = set()
    for finding in findings:
        subject = finding["subject"]
        assert isinstance(subject, dict)
        text = ", ".join(f"{k}={v['name']}" for k, v in sorted(subject.items()))
        pairs.add((str(finding["rule_id"]), text))
    return pairs


#: The categories this file plants (switch-hygiene and wipe: tests/rules/test_demo_switches.py).
AUDITED = ["segregation", "cabling", "xenserver", "storage-access", "zoning", "masking"]


def test_demo_finds_exactly_the_planted_set(demo_snapshot: Path) -> None:
    result = audit_snapshot(Snapshot.open(demo_snapshot), categories=AUDITED)
    doc = [f.to_json() for f in result.findings]
    assert _pairs(doc) == PLANTED
    assert len(doc) == len(PLANTED)  # no subject reported twice
    assert result.warnings == []


def test_demo_plants_every_rule(demo_snapshot: Path) -> None:
    # switch-hygiene and wipe rules: the demo switches and spares, tests/rules/test_demo_switches.py
    pool_rules = {
        r for r, v in load_rules().items() if str(v.meta.category) not in ("switch-hygiene", "wipe")
    }
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
        "attest-cable-labels",
        "attest-network-location",
        "attest-storage-location",
    }
    storage = next(a for a in result.attestations if a.id == "attest-storage-location")
    assert {(i["pool"], i["sr"]) for i in storage.items} >= {
        ("prod", "NFS VMs"),
        ("prod", "iSCSI DB"),
        ("test", "Test Archive"),
    }
    nfs = next(i for i in storage.items if i["sr"] == "NFS VMs")
    assert nfs["targets"] == ["10.20.0.5"]


def test_demo_json_matches_schema(
    demo_snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "findings.json"
    code = main(
        [
            "audit",
            str(demo_snapshot),
            "--format",
            "json",
            "--output",
            str(out),
            "--category",
            ",".join(AUDITED),
        ]
    )
    assert code == 1
    doc = json.loads(out.read_text())
    validate("findings", doc, where=str(out))
    assert doc["summary"]["findings"] == len(PLANTED)
    assert _pairs(doc["findings"]) == PLANTED
    assert capsys.readouterr().out == ""  # the report went to the file


@pytest.mark.slow
def test_fingerprints_are_stable_across_runs(tmp_path: Path) -> None:
    """Two independent runs (each generates, imports and audits the demo estate in an
    interpreter of its own, with its own hash seed) give the same fingerprints."""
    prints = []
    for seed in (1, 2):
        run = tmp_path / str(seed)
        run_python(["-m", "xsfabric.lab.xapi_dump_gen", str(DEMO_ESTATE), str(run / "src")], seed)
        run_python(
            [
                "-m",
                "xsfabric.cli",
                "snapshot",
                "import",
                str(run / "src"),
                "-o",
                str(run / "snapshot"),
                "--policy",
                str(DEMO_POLICY),
            ],
            seed,
        )
        report = run_python(
            [
                "-m",
                "xsfabric.cli",
                "audit",
                str(run / "snapshot"),
                "--format",
                "json",
                "--fail-on",
                "none",
            ],
            seed,
        )
        findings = json.loads(report.stdout)["findings"]
        prints.append([f["fingerprint"] for f in findings])
    assert prints[0] == prints[1]
    # dumps only (no switch captures): the pool plants, none of the wire ones
    assert len(prints[0]) == len(set(prints[0])) == len(PLANTED - WIRE_PLANTED)


def test_text_report_groups_and_lists_fixes(
    demo_snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", str(demo_snapshot)]) == 1
    text = capsys.readouterr().out
    assert "pool prod" in text and "pool test" in text
    assert "host xs-prod-02" in text
    assert "xe pool-param-set uuid=" in text and "https-only=true" in text
    assert "Not checked (2)" in text
    assert "Manual attestation items (3)" in text
    assert (
        text.index("Findings by severity")
        < text.index("pool prod")
        < text.index("Manual attestation items")
    )
