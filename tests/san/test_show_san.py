"""``xsfabric show zones|logins`` on the demo estate imported as raw captures (FC switch
folders and ``hba/`` listings), and bad FC input: one warning naming device, command and
line, never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from xsfabric.audit import DEMO_ESTATE
from xsfabric.cli import main
from xsfabric.lab.estate import load_estate as load_estate_spec
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.model.estate import load_estate
from xsfabric.schemas import show_rows_schema
from xsfabric.snapshot import Snapshot, command_filename


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("san-src")
    write_estate(load_estate_spec(DEMO_ESTATE), root)
    return root


def _import(source: Path, target: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["snapshot", "import", str(source), "-o", str(target)]) == 0
    capsys.readouterr()
    return target


def _show(
    table: str, snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[list[dict[str, object]], str]:
    assert main(["show", table, str(snapshot), "--format", "json"]) == 0
    captured = capsys.readouterr()
    rows: list[dict[str, object]] = json.loads(captured.out)["rows"]
    return rows, captured.err


def test_show_zones_and_logins(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = _import(source, tmp_path / "snap", capsys)
    zones, err = _show("zones", snapshot, capsys)
    assert err == ""
    jsonschema.validate(zones, show_rows_schema("zones"))
    h1 = [
        (r["zone"], r["state"], r["role"], r["host"])
        for r in zones
        if r["wwpn"] == "21:00:00:24:ff:10:01:0a"
    ]
    assert h1 == [
        ("pz_fas_0c", "effective", "initiator", "xs-prod-01"),
        ("z_xs_prod_01_a", "effective", "initiator", "xs-prod-01"),
    ]
    peer = [(r["member"], r["peer"]) for r in zones if r["zone"] == "pz_fas_0c"]
    assert peer == [
        ("50:0a:09:81:80:00:00:03", True),
        ("21:00:00:24:ff:10:01:0a", True),
        ("21:00:00:24:ff:10:02:0a", True),
    ]
    never = {(r["zone"], r["state"]) for r in zones if r["fabric"] == "FAB_A"}
    assert ("z_new_app_a", "defined") in never
    logins, err = _show("logins", snapshot, capsys)
    assert err == ""
    jsonschema.validate(logins, show_rows_schema("logins"))
    row = next(r for r in logins if r["wwpn"] == "21:00:00:24:ff:10:02:0b")
    assert (row["fabric"], row["role"], row["zones"], row["pool"], row["host"], row["port"]) == (
        "san-b VSAN 20",
        "initiator",
        0,
        "prod",
        "xs-prod-02",
        "fc1/2",
    )
    assert len([r for r in logins if r["fabric"] == "LAB_FAB"]) == 2


def test_truncated_capture_is_one_warning_naming_device_command_line(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "src"
    shutil.copytree(source, copy)
    cfgshow = copy / "devices" / "san-a" / command_filename("cfgshow")
    lines = cfgshow.read_text().splitlines()
    lines.insert(3, "zone:\tz_x\t1,4;;garbage(")  # what a cut-and-paste accident leaves
    lines.insert(4, "%%% line the template cannot place")
    cfgshow.write_text("\n".join(lines) + "\n")
    snapshot = _import(copy, tmp_path / "snap", capsys)
    _, err = _show("zones", snapshot, capsys)
    assert "warning: fc-switch san-a: cfgshow:5:" in err
    assert "Traceback" not in err
    estate = load_estate(Snapshot.open(snapshot))
    fab_a = next(f for f in estate.fabrics if f.name == "FAB_A")
    assert fab_a.defined_zones is None  # not available: cfgshow was rejected
    # the effective zoning still comes from cfgactvshow, the logins from nsshow
    assert fab_a.effective_zones is not None and sorted(fab_a.effective_zones) == [
        "pz_fas_0c",
        "z_legacy_ports",
        "z_xs_prod_01_a",
        "z_xs_prod_02_a",
        "z_xs_prod_03_a",
    ]
    assert fab_a.logins


def test_brocade_import_without_platform_file_is_an_fc_switch(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "src"
    shutil.copytree(source, copy)
    (copy / "devices" / "san-a" / "platform").unlink()
    snapshot = Snapshot.open(_import(copy, tmp_path / "snap", capsys))
    kinds = {d["name"]: d["kind"] for d in snapshot.devices()}
    assert kinds["san-a"] == "fc-switch"
    assert "FAB_A" in [f.name for f in load_estate(snapshot).fabrics]


def test_hba_listings_kept_per_pool_are_imported(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "src"
    shutil.copytree(source, copy)
    (copy / "hba" / "prod").mkdir()
    (copy / "hba" / "xs-prod-01.txt").rename(copy / "hba" / "prod" / "xs-prod-01.txt")
    estate = load_estate(Snapshot.open(_import(copy, tmp_path / "snap", capsys)))
    wwpns = {i.host_name: i.wwpns for i in estate.initiators.values() if i.wwpns}
    assert wwpns["xs-prod-01"] == ("21:00:00:24:ff:10:01:0a", "21:00:00:24:ff:10:01:0b")
    assert len(wwpns) == 3


def test_an_error_answer_is_one_plain_warning(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An older FOS without peer zones answers ``zoneshow --peerzone all`` with an error:
    one warning saying so, and the rest of the switch still counts."""
    copy = tmp_path / "src"
    shutil.copytree(source, copy)
    (copy / "devices" / "san-a" / command_filename("zoneshow --peerzone all")).write_text(
        "san-a:FID128:admin> zoneshow --peerzone all\nzoneshow: invalid option -- "
        "'-peerzone'\nUsage: zoneshow [--sort] [pattern] [mode]\n"
    )
    estate = load_estate(Snapshot.open(_import(copy, tmp_path / "snap", capsys)))
    assert [w for w in estate.warnings if "san-a" in w] == [
        "fc-switch san-a: zoneshow --peerzone all: the switch answered with an error "
        "(zoneshow: invalid option -- '-peerzone'); peerzones not available"
    ]
    assert "FAB_A" in [f.name for f in estate.fabrics]


def test_wwpns_are_printed_as_they_are_not_as_emoji_codes(
    corpus_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """rich turns ":ab:" into an emoji unless told not to; WWPNs and MACs are full of them.
    A real Brocade name server (brocadesan's ns_1) holds 5b:49:9b:ab:ac:6a:20:00."""
    brocade = corpus_dir / "brocade-fos"
    device = tmp_path / "src" / "devices" / "IDAA1C01"
    device.mkdir(parents=True)
    local, _, remote = (brocade / "ns_1.txt").read_text().partition("> nscamshow")
    (device / "nsshow.txt").write_text(local)
    (device / "nscamshow.txt").write_text("> nscamshow" + remote)
    shutil.copy(brocade / "cfgshow_2.txt", device / "cfgshow.txt")
    shutil.copy(brocade / "switch_1.txt", device / "switchshow.txt")
    snapshot = _import(tmp_path / "src", tmp_path / "snap", capsys)
    wwpn = "5b:49:9b:ab:ac:6a:20:00"
    assert main(["show", "logins", str(snapshot)]) == 0
    assert wwpn in capsys.readouterr().out
    assert main(["audit", str(snapshot), "--category", "zoning"]) == 1
    out = capsys.readouterr().out
    assert wwpn in out


def test_zoning_not_collected_is_null_not_empty(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 14: no zoning capture on any switch of either fabric gives ``"rows": null`` with
    each fabric in ``unavailable``; the name servers were captured, so logins are rows."""
    copy = tmp_path / "src"
    shutil.copytree(source, copy)
    removed = [
        p
        for p in (copy / "devices").glob("*/*")
        if p.name.startswith(("cfg", "zoneshow", "show zone", "show_zone"))
    ]
    assert removed
    for path in removed:
        path.unlink()
    snapshot = _import(copy, tmp_path / "snap", capsys)
    assert main(["show", "zones", str(snapshot), "--format", "json"]) == 0
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["rows"] is None
    fabrics = [g["source"] for g in document["unavailable"]]
    assert fabrics and all(
        g["missing"].startswith("no zoning capture") for g in document["unavailable"]
    )
    assert all(f"{f}: zones not available" in captured.err for f in fabrics)
    logins, _ = _show("logins", snapshot, capsys)
    assert logins
    assert main(["show", "zones", str(snapshot), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == []
