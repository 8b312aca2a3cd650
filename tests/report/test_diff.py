"""Snapshot diffs by fingerprint: `xsfabric diff OLD NEW` and `audit NEW --reference OLD`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from xsfabric.audit import DEMO_ESTATE, DEMO_POLICY
from xsfabric.cli import main
from xsfabric.lab.estate import parse_estate
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.schemas import validate
from xsfabric.yamlfile import load_yaml


@pytest.fixture(scope="module")
def next_week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo a week later: legacy-admin moved off Management (fixed; with no guest left on
    it, prod's eth0 now carries management only, like the recovery pool's: that layout
    difference is fixed too), backup-02 added on the storage network (new)."""
    root = tmp_path_factory.mktemp("next-week")
    spec = load_yaml(DEMO_ESTATE)
    prod = next(p for p in spec["pools"] if p["name"] == "prod")
    for vm in prod["vms"]:
        if vm.get("name") == "legacy-admin":
            vm["vifs"] = ["App"]
    prod["vms"].append({"name": "backup-02", "vifs": ["Storage"]})
    write_estate(parse_estate(spec), root / "src")
    assert (
        main(
            [
                "snapshot",
                "import",
                str(root / "src"),
                "-o",
                str(root / "snapshot"),
                "--policy",
                str(DEMO_POLICY),
            ]
        )
        == 0
    )
    return root / "snapshot"


#: What the week's change fixes, in report order.
FIXED = [
    ("xen-vm-on-management-network", "legacy-admin"),
    ("xen-nic-layout-differs-across-pools", ""),
]


def _vm(finding: dict[str, Any]) -> tuple[str, str]:
    return finding["rule_id"], finding["subject"].get("vm", {}).get("name", "")


def test_diff_json_new_fixed_unchanged(
    demo_snapshot: Path, next_week: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["diff", str(demo_snapshot), str(next_week), "--format", "json"]) == 1
    diff = json.loads(capsys.readouterr().out)
    assert [_vm(f) for f in diff["new_findings"]] == [("xen-vm-on-storage-network", "backup-02")]
    assert [_vm(f) for f in diff["fixed_findings"]] == FIXED
    assert len(diff["unchanged"]) > 10
    # no change: nothing new, exit 0
    assert main(["diff", str(demo_snapshot), str(demo_snapshot)]) == 0
    out = capsys.readouterr().out
    assert "0 new, 0 fixed" in out


def test_diff_text_lists_new_and_fixed(
    demo_snapshot: Path, next_week: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    main(["diff", str(demo_snapshot), str(next_week)])
    out = capsys.readouterr().out
    assert "1 new, 2 fixed" in out
    new_part, fixed_part = out.split("Fixed", 1)
    assert (
        "+ MEDIUM xen-vm-on-storage-network" in new_part
        or "+ HIGH xen-vm-on-storage-network" in new_part
    )
    assert "backup-02" in new_part and "legacy-admin" in fixed_part


def test_audit_with_reference_json_report(
    demo_snapshot: Path, next_week: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_report = tmp_path / "old.json"
    main(["audit", str(demo_snapshot), "--format", "json", "--output", str(old_report)])
    capsys.readouterr()
    main(["audit", str(next_week), "--format", "json", "--reference", str(old_report)])
    doc = json.loads(capsys.readouterr().out)
    validate("findings", doc, where="report with baseline")
    baseline = doc["baseline"]
    assert baseline["reference"] == str(demo_snapshot)
    new = [f for f in doc["findings"] if f["fingerprint"] in set(baseline["new"])]
    assert [_vm(f) for f in new] == [("xen-vm-on-storage-network", "backup-02")]
    assert [_vm(f) for f in baseline["fixed"]] == FIXED
    # a snapshot folder works as the reference too, and gives the same answer
    main(["audit", str(next_week), "--format", "json", "--reference", str(demo_snapshot)])
    assert json.loads(capsys.readouterr().out)["baseline"]["new"] == baseline["new"]


def test_reference_that_is_not_a_report_is_one_line(
    demo_snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"some": "thing"}')
    assert main(["audit", str(demo_snapshot), "--reference", str(bogus)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not an xsfabric findings report" in err[0]


def test_diff_html_marks_new_and_lists_fixed(
    demo_snapshot: Path, next_week: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "diff.html"
    assert (
        main(["diff", str(demo_snapshot), str(next_week), "--format", "html", "--output", str(out)])
        == 1
    )
    html = out.read_text()
    assert html.count('<span class="badge new">new</span>') == 1
    fixed = html.split('id="fixed"', 1)[1].split("</section>", 1)[0]
    assert "legacy-admin" in fixed and "xen-vm-on-management-network" in fixed
    capsys.readouterr()
