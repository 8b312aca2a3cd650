"""Audit every real xapi dump of the corpus: no error, and the findings an admin of those
(old, two-host, single-NIC-for-everything) lab pools would agree with."""

from __future__ import annotations

from pathlib import Path

from xsfabric.audit import audit_snapshot
from xsfabric.cli import main
from xsfabric.snapshot import Snapshot


def _audit(dump: Path, tmp_path: Path) -> dict[str, list[str]]:
    out = tmp_path / dump.stem
    assert main(["snapshot", "import", str(dump), "-o", str(out)]) == 0
    result = audit_snapshot(Snapshot.open(out))
    found: dict[str, list[str]] = {}
    for finding in result.findings:
        found.setdefault(finding.rule_id, []).append(
            ", ".join(f"{k}={v.name}" for k, v in finding.subject.items())
        )
    # Dumps older than host.https_only: reported as not checked, never as a pass.
    assert any(n.rule_id == "xen-https-only-disabled" for n in result.not_checked)
    return found


def test_every_corpus_dump_audits(xapi_dumps: list[Path], tmp_path: Path) -> None:
    for dump in xapi_dumps:
        found = _audit(dump, tmp_path)
        # Every one of these pools runs guests on the management network and sends iSCSI
        # over the management interface (one NIC for everything, the guide's worst case).
        assert "xen-vm-on-management-network" in found, dump.name
        assert "xen-storage-over-management" in found, dump.name


def test_corpus_findings_in_detail(corpus_dir: Path, tmp_path: Path) -> None:
    dumps = corpus_dir / "xapi-db"
    boston = _audit(dumps / "boston-db.xml", tmp_path)
    assert "xen-iscsi-without-chap" not in boston  # boston's iSCSI SR has CHAP
    assert "xen-storage-password-plaintext" not in boston  # chappassword_secret
    assert sorted(boston["xen-storage-over-management"]) == [
        "pool=boston-db, host=incubus, sr=iSCSI virtual disk storage",
        "pool=boston-db, host=inflames, sr=iSCSI virtual disk storage",
    ]
    tampa = _audit(dumps / "TampaTwoHostPoolSelectioniSCSI.xml", tmp_path)
    assert sorted(tampa["xen-iscsi-without-chap"]) == [
        "pool=TampaTwoHostPoolSelectioniSCSI, sr=large iSCSI",
        "pool=TampaTwoHostPoolSelectioniSCSI, sr=medium iSCSI",
        "pool=TampaTwoHostPoolSelectioniSCSI, sr=small iSCSI",
    ]
    assert len(tampa["xen-vm-on-management-network"]) == 4
    state2 = _audit(dumps / "state2.xml", tmp_path)
    assert len(state2["xen-network-default-name"]) == 5  # eth0 … eth4 never renamed
    # One NIC for everything is one network: no NIC-sharing finding between two networks.
    assert "xen-guest-on-infrastructure-nic" not in state2
