"""``xsfabric show luns|maps|exports`` on the demo estate imported from its raw captures,
and what an imported array capture that is cut short does (one warning line, no traceback)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from xsfabric.audit import DEMO_ESTATE, DEMO_POLICY
from xsfabric.cli import main
from xsfabric.lab.estate import load_estate
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.schemas import load_schema, show_rows_schema


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("demo") / "src"
    write_estate(load_estate(DEMO_ESTATE), source)
    return source


def _import(source: Path, target: Path) -> Path:
    assert (
        main(["snapshot", "import", str(source), "-o", str(target), "--policy", str(DEMO_POLICY)])
        == 0
    )
    return target


def _show(table: str, snapshot: Path, capsys: pytest.CaptureFixture[str]) -> list[Any]:
    capsys.readouterr()
    assert main(["show", table, str(snapshot), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, load_schema("show"))
    rows: list[Any] = document["rows"]
    jsonschema.validate(rows, show_rows_schema(table))
    return rows


def test_luns_maps_exports(
    demo_source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = _import(demo_source, tmp_path / "snap")
    luns = {(r["volume"], r["pool"], r["sr"], r["status"]) for r in _show("luns", snapshot, capsys)}
    assert luns == {
        ("/vol/xen_db/lun0", "prod", "iSCSI DB", "sr"),
        ("/vol/legacy/lun0", "prod", "iSCSI Legacy", "sr"),
        ("/vol/test/lun0", "test", "Test iSCSI", "sr"),
        ("/vol/fc_data/lun0", "prod", "FC Data", "sr"),
        ("/vol/fc_archive/lun0", "prod", "FC Archive", "sr"),
    }
    maps = _show("maps", snapshot, capsys)
    legacy = {
        (r["igroup"], r["lun_id"], r["host"]) for r in maps if r["volume"] == "/vol/legacy/lun0"
    }
    assert legacy == {
        ("legacy_a", 3, "xs-prod-01"),
        ("legacy_a", 3, None),
        ("legacy_b", 4, "xs-prod-02"),
    }
    exports = _show("exports", snapshot, capsys)
    assert [
        (r["policy"], r["index"], r["clients"], r["srs"])
        for r in exports
        if r["vserver"] == "svm_test"
    ] == [
        ("test_nfs", 1, ["172.16.20.11", "172.16.20.12"], ["test/Test NFS"]),
        ("test_nfs", 2, ["0.0.0.0/0"], ["test/Test NFS"]),
    ]


def test_a_truncated_array_capture_is_one_warning_and_the_sr_not_verified(
    demo_source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "src"
    shutil.copytree(demo_source, source)
    capture = source / "devices" / "fas1" / "lun show -fields path,serial,ostype.txt"
    capture.write_text(
        capture.read_text().splitlines()[0] + "\n" + capture.read_text().splitlines()[1] + "\n"
    )  # header only: cut short
    snapshot = _import(source, tmp_path / "snap")
    capsys.readouterr()
    assert main(["show", "luns", str(snapshot), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert (
        "warning: array fas1: lun show -fields path,serial,ostype: the 'lun show -fields "
        "serial' table has a header but no rows (truncated?)"
    ) in captured.err
    rows = json.loads(captured.out)["rows"]
    assert {(r["sr"], r["status"]) for r in rows} == {
        ("iSCSI DB", "not verified"),
        ("iSCSI Legacy", "not verified"),
        ("Test iSCSI", "not verified"),
        ("FC Data", "not verified"),
        ("FC Archive", "not verified"),
    }
    assert "Traceback" not in captured.err


def test_array_captures_imported_without_a_platform_file_are_recognised(
    demo_source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "src"
    shutil.copytree(demo_source, source)
    (source / "devices" / "fas1" / "platform").unlink()
    snapshot = _import(source, tmp_path / "snap")
    manifest = json.loads((snapshot / "manifest.json").read_text())
    [fas1] = [d for d in manifest["devices"] if d["name"] == "fas1"]
    assert (fas1["kind"], fas1["platform"]) == ("array", "netapp_cdot")
    luns = _show("luns", snapshot, capsys)
    assert {r["status"] for r in luns} == {"sr"}


def test_maps_not_captured_are_null_not_empty(
    demo_source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 14: without ``lun mapping show`` the array's LUN maps are not available:
    ``"rows": null`` naming the array, never ``[]`` (which would read "nothing mapped")."""
    source = tmp_path / "src"
    shutil.copytree(demo_source, source)
    (source / "devices" / "fas1" / "lun mapping show.txt").unlink()
    snapshot = _import(source, tmp_path / "snap")
    capsys.readouterr()
    assert main(["show", "maps", str(snapshot), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, load_schema("show"))
    assert document["rows"] is None
    assert document["unavailable"] == [
        {"source": "fas1", "missing": "its captures give no LUN maps"}
    ]
    # the exports of the same array were captured: rows
    assert _show("exports", snapshot, capsys)
