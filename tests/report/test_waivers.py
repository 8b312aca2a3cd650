"""Waivers: suppression (counted, listed, not failing), expiry (the finding comes back with a
note), stale waivers, and bad waiver files (one line naming file and line, exit 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from xsfabric.cli import main
from xsfabric.schemas import validate

WAIVERS = """\
version: 1
waivers:
  - rule: xen-vm-on-management-network
    subject: {pool: prod, vm: "legacy-*"}
    justification: Out-of-band admin VM, isolated by the firewall (CHG-1234)
    owner: netops@example.com
    expires: 2027-01-31
  - rule: xen-nfs-not-v4
    justification: NFSv3 filer is replaced in Q1 (CHG-1300)
    owner: storage@example.com
    expires: 2026-11-30
  - rule: xen-iscsi-without-chap
    subject: {pool: "no-such-pool"}
    justification: was for the old lab pool, kept by mistake
    owner: storage@example.com
    expires: 2027-06-30
"""


def _write(tmp_path: Path, text: str, name: str = "waivers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _audit_json(
    snapshot: Path, capsys: pytest.CaptureFixture[str], *extra: str, code: int | None = None
) -> dict[str, Any]:
    rc = main(["audit", str(snapshot), "--format", "json", "--fail-on", "none", *extra])
    assert rc == (0 if code is None else code)
    doc: dict[str, Any] = json.loads(capsys.readouterr().out)
    return doc


def test_waiver_in_force_suppresses_counts_and_lists(
    demo_snapshot: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XSFABRIC_TODAY", "2026-12-03")
    plain = _audit_json(demo_snapshot, capsys)
    waivers = _write(tmp_path, WAIVERS)
    doc = _audit_json(demo_snapshot, capsys, "--waivers", str(waivers))
    validate("findings", doc, where="waived report")
    [waived] = doc["suppressed"]
    assert waived["rule_id"] == "xen-vm-on-management-network"
    assert waived["subject"]["vm"]["name"] == "legacy-admin"
    assert waived["waiver"]["owner"] == "netops@example.com"
    assert waived["waiver"]["line"] == 3
    assert doc["summary"]["suppressed"] == 1
    assert doc["summary"]["findings"] == plain["summary"]["findings"] - 1
    assert waived["fingerprint"] not in {f["fingerprint"] for f in doc["findings"]}
    # the text report counts them always and lists them only when asked
    main(["audit", str(demo_snapshot), "--waivers", str(waivers), "--fail-on", "none"])
    text = capsys.readouterr().out
    assert "Suppressed by waivers (1)" in text and "--show-suppressed" in text
    assert "netops@example.com" not in text
    main(
        [
            "audit",
            str(demo_snapshot),
            "--waivers",
            str(waivers),
            "--fail-on",
            "none",
            "--show-suppressed",
            "--no-color",
        ]
    )
    text = capsys.readouterr().out
    assert "waived until 2027-01-31 by netops@example.com" in text


def test_expired_waiver_is_a_finding_again_with_a_note(
    demo_snapshot: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waivers = _write(tmp_path, WAIVERS)
    monkeypatch.setenv("XSFABRIC_TODAY", "2026-11-30")  # the last day it applies
    doc = _audit_json(demo_snapshot, capsys, "--waivers", str(waivers))
    assert "xen-nfs-not-v4" in {f["rule_id"] for f in doc["suppressed"]}
    monkeypatch.setenv("XSFABRIC_TODAY", "2026-12-01")
    doc = _audit_json(demo_snapshot, capsys, "--waivers", str(waivers))
    nfs = [f for f in doc["findings"] if f["rule_id"] == "xen-nfs-not-v4"]
    assert nfs and all(f["note"].startswith("waiver expired on 2026-11-30") for f in nfs)
    assert "xen-nfs-not-v4" not in {f["rule_id"] for f in doc["suppressed"]}
    # an expired waiver did match: it is not stale
    assert "xen-nfs-not-v4" not in {w["rule"] for w in doc["stale_waivers"]}


def test_waiver_matching_nothing_is_stale(
    demo_snapshot: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XSFABRIC_TODAY", "2026-12-03")
    waivers = _write(tmp_path, WAIVERS)
    doc = _audit_json(demo_snapshot, capsys, "--waivers", str(waivers))
    assert [(w["rule"], w["line"]) for w in doc["stale_waivers"]] == [
        ("xen-iscsi-without-chap", 12)
    ]
    assert doc["summary"]["stale_waivers"] == 1
    # the iSCSI finding of the demo (pool prod) is still reported: the waiver names another pool
    assert any(f["rule_id"] == "xen-iscsi-without-chap" for f in doc["findings"])
    main(["audit", str(demo_snapshot), "--waivers", str(waivers), "--fail-on", "none"])
    assert f"stale waiver: {waivers}:12 xen-iscsi-without-chap" in capsys.readouterr().out


def test_waived_findings_do_not_count_for_fail_on(
    demo_snapshot: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XSFABRIC_TODAY", "2026-12-03")
    doc = _audit_json(demo_snapshot, capsys)
    high = sorted({f["rule_id"] for f in doc["findings"] if f["severity"] in ("high", "critical")})
    assert high
    text = "waivers:\n" + "".join(
        f"  - {{rule: {r}, justification: accepted for the test, owner: me, expires: 2027-01-01}}\n"
        for r in high
    )
    waivers = _write(tmp_path, text)
    assert main(["audit", str(demo_snapshot), "--fail-on", "high"]) == 1
    assert main(["audit", str(demo_snapshot), "--fail-on", "high", "--waivers", str(waivers)]) == 0
    monkeypatch.setenv("XSFABRIC_TODAY", "2027-01-02")  # expired: they fail again
    assert main(["audit", str(demo_snapshot), "--fail-on", "high", "--waivers", str(waivers)]) == 1
    capsys.readouterr()


def test_waivers_file_in_the_current_folder_is_used(
    demo_snapshot: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XSFABRIC_TODAY", "2026-12-03")
    _write(tmp_path, WAIVERS, ".xsfabric-waivers.yaml")
    monkeypatch.chdir(tmp_path)
    doc = _audit_json(demo_snapshot, capsys)
    assert doc["summary"]["suppressed"] == 1
    assert doc["waivers"] == str(tmp_path / ".xsfabric-waivers.yaml")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("waivers:\n  - rule: xen-nfs-not-v4\n    owner: [unclosed\n", 4, "invalid YAML"),
        (
            "waivers:\n  - rule: no-such-rule\n    justification: long enough text\n"
            "    owner: me\n    expires: 2027-01-01\n",
            2,
            "unknown rule id 'no-such-rule'",
        ),
        (
            "waivers:\n  - rule: xen-nfs-not-v4\n    justification: long enough text\n"
            "    expires: 2027-01-01\n",
            2,
            "'owner' is a required property",
        ),
        (
            "waivers:\n  - rule: xen-nfs-not-v4\n    justification: long enough text\n"
            "    owner: me\n    expires: 2027-02-30\n",
            5,
            "is not a date",
        ),
        (
            "waivers:\n  - rule: xen-nfs-not-v4\n    subject: {rack: r1}\n"
            "    justification: long enough text\n    owner: me\n    expires: 2027-01-01\n",
            3,
            "rack",
        ),
    ],
)
def test_bad_waivers_file_is_one_line_with_file_and_line(
    demo_snapshot: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    line: int,
    message: str,
) -> None:
    waivers = _write(tmp_path, text)
    assert main(["audit", str(demo_snapshot), "--waivers", str(waivers)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert f"{waivers}:{line}:" in err[0] and message in err[0], err[0]
