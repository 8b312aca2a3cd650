"""Conformance: `snapshot import` + `show pifs --format json` on every real dump."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from xsfabric.cli import main

# (dump, host, device) -> (mac, management, ip, network)
EXPECTED = {
    ("boston-db", "incubus", "eth0"): (
        "00:19:d1:79:75:10",
        True,
        "10.80.226.111",
        "Pool-wide network associated with eth0",
    ),
    ("boston-db", "inflames", "eth1"): (
        "00:1b:21:0a:ba:3c",
        False,
        None,
        "Pool-wide network associated with eth1",
    ),
    ("state2", "grimsby", "eth0"): (
        "00:13:72:14:c1:c3",
        True,
        "10.80.226.1",
        "Pool-wide network associated with eth0",
    ),
    ("state2", "chester", "eth4"): (
        "00:15:17:8a:31:b2",
        False,
        None,
        "Pool-wide network associated with eth4",
    ),
    ("TampaTwoHostPoolSelectioniSCSI", "dt16", "eth0"): (
        "a4:ba:db:4d:15:f0",
        True,
        "10.80.227.166",
        "Pool-wide network associated with eth0",
    ),
}
PIF_COUNTS = {"boston-db": 4, "state2": 10, "TampaTwoHostPoolSelectioniSCSI": 4}


def _show(table: str, snapshot: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    assert main(["show", table, str(snapshot), "--format", "json"]) == 0
    rows: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["rows"]
    return rows


def test_import_and_show_pifs_of_every_corpus_dump(
    xapi_dumps: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for dump in xapi_dumps:
        snapshot = tmp_path / dump.stem
        assert main(["snapshot", "import", str(dump), "-o", str(snapshot)]) == 0
        capsys.readouterr()
        rows = _show("pifs", snapshot, capsys)
        assert len(rows) == PIF_COUNTS[dump.stem]
        for row in rows:
            assert row["pool"] == dump.stem
            assert row["host"] and row["device"] and row["network"]
            assert isinstance(row["mac"], str) and len(row["mac"]) == 17
        found = {(dump.stem, r["host"], r["device"]): r for r in rows}
        for key, (mac, management, ip, network) in EXPECTED.items():
            if key[0] != dump.stem:
                continue
            row = found[key]
            assert (row["mac"], row["management"], row["ip"], row["network"]) == (
                mac,
                management,
                ip,
                network,
            )
        # every host has exactly one management PIF in these pools
        managed = [r["host"] for r in rows if r["management"]]
        assert sorted(managed) == sorted({r["host"] for r in rows})


def test_show_other_tables_on_a_corpus_dump(
    xapi_dumps: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = next(d for d in xapi_dumps if d.stem == "boston-db")
    snapshot = tmp_path / "s"
    assert main(["snapshot", "import", str(dump), "-o", str(snapshot)]) == 0
    capsys.readouterr()
    hosts = _show("hosts", snapshot, capsys)
    assert sorted(h["host"] for h in hosts) == ["incubus", "inflames"]
    assert all(h["https_only"] is None for h in hosts)  # the dump predates the field
    srs = _show("srs", snapshot, capsys)
    iscsi = [s for s in srs if s["type"] == "lvmoiscsi"]
    assert iscsi and all(s["targets"] for s in iscsi)
    pbds = _show("pbds", snapshot, capsys)
    configs = [p["device_config"] for p in pbds if isinstance(p["device_config"], dict)]
    chap = [c for c in configs if "chapuser" in c]
    assert chap and all(c.get("chappassword_secret") == "REMOVED" for c in chap)
    vms = _show("vms", snapshot, capsys)
    assert sum(1 for v in vms if v["kind"] == "control-domain") == 2
    for table in ("pools", "networks", "vifs"):
        assert _show(table, snapshot, capsys)
    assert main(["show", "pifs", str(snapshot), "--format", "csv"]) == 0
    csv_out = capsys.readouterr().out
    assert csv_out.splitlines()[0].startswith("pool,host,device,mac")
    assert main(["show", "pifs", str(snapshot)]) == 0
    assert "incubus" in capsys.readouterr().out


def test_import_redacts_plain_chap_passwords(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "src"
    (source / "xenserver").mkdir(parents=True)
    (source / "xenserver" / "lab.xml").write_text(
        '<database><manifest><pair key="schema_major_vsn" value="5"/></manifest>'
        '<table name="pool"><row ref="OpaqueRef:p" uuid="p1" name_label="lab" '
        'master="OpaqueRef:h"/></table>'
        '<table name="host"><row ref="OpaqueRef:h" uuid="h1" name__label="h1"/></table>'
        '<table name="SR"><row ref="OpaqueRef:s" uuid="s1" type="lvmoiscsi" '
        'name__label="iscsi"/></table>'
        '<table name="PBD"><row ref="OpaqueRef:b" uuid="b1" SR="OpaqueRef:s" '
        "host=\"OpaqueRef:h\" device_config=\"(('target' 'san.example') "
        "('chappassword' 'TopSecret99'))\"/></table></database>"
    )
    (source / "devices" / "sw1").mkdir(parents=True)
    (source / "devices" / "sw1" / "platform").write_text("cisco_ios\n")
    (source / "devices" / "sw1" / "show running-config.txt").write_text(
        "hostname sw1\nenable secret 5 $1$SeCrEt$xyz\n"
    )
    (source / "hba").mkdir()
    (source / "hba" / "h1.txt").write_text("0x21000024ff000001\n")
    out = tmp_path / "snap"
    assert main(["snapshot", "import", str(source), "-o", str(out)]) == 0
    capsys.readouterr()
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_text()
            assert "TopSecret99" not in data and "$1$SeCrEt$xyz" not in data, path
    manifest = json.loads((out / "manifest.json").read_text())
    kinds = {d["name"]: (d["kind"], d["platform"]) for d in manifest["devices"]}
    assert kinds == {"lab": ("xenserver-pool", "xenserver"), "sw1": ("switch", "cisco_ios")}
    assert [a["path"] for a in manifest["artifacts"]] == ["hba/h1.txt"]
    pbds = _show("pbds", out, capsys)
    assert pbds[0]["device_config"] == {"chappassword": "REMOVED", "target": "san.example"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<database><table name='PIF'>", "malformed or truncated XML"),
        ("not xml at all", "malformed or truncated XML"),
    ],
)
def test_bad_dump_import_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    dump = tmp_path / "bad.xml"
    dump.write_text(content)
    assert main(["snapshot", "import", str(dump), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert message in err and str(dump) in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_import_refuses_existing_target_and_empty_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["snapshot", "import", str(tmp_path / "empty"), "-o", str(tmp_path / "o")]) == 2
    assert "nothing to import" in capsys.readouterr().err
    (tmp_path / "o").mkdir()
    assert main(["snapshot", "import", str(tmp_path / "empty"), "-o", str(tmp_path / "o")]) == 2
    assert "already exists" in capsys.readouterr().err


def test_show_on_missing_snapshot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "pifs", str(tmp_path / "none")]) == 2
    assert "no such snapshot" in capsys.readouterr().err


def test_show_json_matches_its_schema(
    xapi_dumps: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import jsonschema

    from xsfabric.schemas import show_rows_schema
    from xsfabric.show import POOL_TABLES

    for dump in xapi_dumps:
        snapshot = tmp_path / dump.stem
        assert main(["snapshot", "import", str(dump), "-o", str(snapshot)]) == 0
        capsys.readouterr()
        for table in POOL_TABLES:
            rows = _show(table, snapshot, capsys)
            jsonschema.validate(rows, show_rows_schema(table))


def test_show_schema_rejects_malformed_rows() -> None:
    import jsonschema

    from xsfabric.schemas import show_rows_schema

    schema = show_rows_schema("pifs")
    row: dict[str, Any]
    row = {
        "pool": "p",
        "host": "h",
        "device": "eth0",
        "mac": "00:11:22:33:44:55",
        "vlan": None,
        "physical": True,
        "bond_master": None,
        "bond_members": [],
        "network": "n",
        "role": "management",
        "management": True,
        "ip_mode": "Static",
        "ip": "10.0.0.1",
        "netmask": "255.255.255.0",
        "gateway": None,
        "ipv6": [],
        "uuid": "u",
    }
    jsonschema.validate([row], schema)
    for key, bad in (("mac", "00:11:22:33:44:5G"), ("vlan", 5000), ("role", "mgmt")):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate([{**row, key: bad}], schema)


def test_import_of_a_status_report_archive(
    xapi_dumps: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import tarfile

    dump = next(d for d in xapi_dumps if d.stem == "boston-db")
    archive = tmp_path / "bug-report-20261126.tar.bz2"
    with tarfile.open(archive, "w:bz2") as tar:
        tar.add(dump, arcname="bug-report-20261126/xapi-db.xml")
    out = tmp_path / "snap"
    assert main(["snapshot", "import", str(archive), "-o", str(out), "--name", "boston"]) == 0
    capsys.readouterr()
    rows = _show("pifs", out, capsys)
    assert len(rows) == PIF_COUNTS["boston-db"]
    assert {r["pool"] for r in rows} == {"boston"}
    empty = tmp_path / "other.tar"
    with tarfile.open(empty, "w") as tar:
        tar.add(dump, arcname="notes/readme.xml")
    assert main(["snapshot", "import", str(empty), "-o", str(tmp_path / "o2")]) == 2
    assert "without xapi-db.xml" in capsys.readouterr().err


def test_unwritable_output_is_one_line_naming_the_path(
    xapi_dumps: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    target = blocker / "snap"  # its parent is a file: the snapshot folder cannot be made
    assert main(["snapshot", "import", str(xapi_dumps[0]), "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert str(blocker) in err


def test_os_error_while_writing_is_one_line(
    xapi_dumps: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    proc = Path("/proc")
    if not proc.is_dir():
        pytest.skip("needs /proc, a folder nobody can create files in")
    assert (
        main(["snapshot", "import", str(xapi_dumps[0]), "-o", str(proc / "xsfabric-test-snapshot")])
        == 2
    )
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("xsfabric: error: /proc/")
