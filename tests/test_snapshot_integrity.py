"""Snapshots that cannot lie, and bounded input (issue 8): the existence check and the claim
are one step, ``--force`` replaces only snapshots, an unfinished folder is never a snapshot,
``Snapshot.open`` and ``snapshot verify`` check every artifact's sha256, compressed input and
capture files are bounded, links do not lead out of a capture folder, XML is parsed with
defusedxml, a dump row without uuid is skipped with a warning, and one bad input (a non-UTF-8
platform file, a bad dump, a host named ``..``) is one line naming it while the rest goes on."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest

from xsfabric.cli import main
from xsfabric.errors import SnapshotError
from xsfabric.snapshot import DeviceKind, Snapshot, SnapshotWriter

SMALL_DUMP = (
    '<database><manifest><pair key="schema_major_vsn" value="5"/></manifest>'
    '<table name="pool"><row ref="OpaqueRef:p" uuid="pool-1" name__label="P" '
    'master="OpaqueRef:h1" other_config="()"/></table>'
    '<table name="host"><row ref="OpaqueRef:h1" uuid="host-1" name__label="h1" '
    'hostname="h1" address="10.0.0.1" other_config="()"/>'
    "{extra}</table></database>"
)


def _dump(extra: str = "") -> str:
    return SMALL_DUMP.replace("{extra}", extra)


# -- one step to claim the folder; --force; unfinished folders --------------------------------


def test_two_writers_cannot_both_claim_one_folder(tmp_path: Path) -> None:
    target = tmp_path / "snap"
    with SnapshotWriter(target) as first:
        with pytest.raises(SnapshotError, match="already exists"):
            SnapshotWriter(target)
        first.commit()
    assert Snapshot.open(target).manifest["tool"] == "xsfabric"


def test_commit_does_not_replace_what_appeared_meanwhile(tmp_path: Path) -> None:
    target = tmp_path / "snap"
    with SnapshotWriter(target) as writer:
        (target / "someone-elses.txt").write_text("mine")
        with pytest.raises(SnapshotError, match="changed by someone else"):
            writer.commit()
    assert (target / "someone-elses.txt").read_text() == "mine"
    assert not list(tmp_path.glob(".snap.partial-*"))


def test_force_does_not_replace_a_folder_that_is_no_snapshot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "d.xml"
    dump.write_text(_dump())
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work")
    assert main(["snapshot", "import", str(dump), "-o", str(home), "--force"]) == 2
    assert "not an xsfabric snapshot" in capsys.readouterr().err
    assert (home / "thesis.tex").read_text() == "years of work"
    snap = tmp_path / "snap"
    assert main(["snapshot", "import", str(dump), "-o", str(snap)]) == 0
    assert main(["snapshot", "import", str(dump), "-o", str(snap), "--force"]) == 0


def test_an_unfinished_folder_is_never_a_snapshot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "snap"
    writer = SnapshotWriter(target)
    writer.device("sw1", DeviceKind.SWITCH, "cisco_ios")
    writer.write_device_platform("sw1", "cisco_ios")
    writer.write_device_output("sw1", "show version", "Cisco IOS Software\n")
    (partial,) = tmp_path.glob(".snap.partial-*")
    assert main(["snapshot", "import", str(partial), "-o", str(tmp_path / "copy")]) == 2
    assert "unfinished" in capsys.readouterr().err
    with pytest.raises(SnapshotError, match="unfinished"):
        Snapshot.open(partial)
    writer.abort()
    assert not target.exists() and not partial.exists()


# -- artifacts checked against the manifest ---------------------------------------------------


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    dump = tmp_path / "pool.xml"
    dump.write_text(_dump())
    snap = tmp_path / "snap"
    assert main(["snapshot", "import", str(dump), "-o", str(snap)]) == 0
    return snap


def test_verify_passes_on_an_untouched_snapshot(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["snapshot", "verify", str(imported)]) == 0
    assert main(["show", "hosts", str(imported), "--format", "json"]) == 0


@pytest.mark.parametrize(
    ("tamper", "expected"), [("edit", "edited"), ("delete", "missing"), ("add", "not listed")]
)
def test_edited_missing_or_added_artifacts_are_reported(
    imported: Path, capsys: pytest.CaptureFixture[str], tamper: str, expected: str
) -> None:
    artifact = imported / "xenserver" / "pool.xml"
    if tamper == "edit":
        artifact.write_text(
            artifact.read_text().replace('address="10.0.0.1"', 'address="10.6.6.6"')
        )
    elif tamper == "delete":
        artifact.unlink()
    else:
        (imported / "devices" / "fake").mkdir(parents=True)
        (imported / "devices" / "fake" / "show version.txt").write_text("planted")
    capsys.readouterr()
    assert main(["snapshot", "verify", str(imported)]) == 2
    assert expected in capsys.readouterr().err
    assert main(["show", "hosts", str(imported)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert main(["audit", str(imported)]) == 2


# -- bounded input ----------------------------------------------------------------------------


@pytest.fixture
def small_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    from xsfabric.xapi import dbdump

    monkeypatch.setattr(dbdump, "MAX_DUMP_BYTES", 8 << 20)
    monkeypatch.setattr(dbdump, "RATIO_CHECK_BYTES", 1 << 20)


def _bomb_bytes() -> bytes:
    return b"<database>" + b" " * (20 << 20)


def test_gzip_bomb_is_refused(
    tmp_path: Path, small_caps: None, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "bomb.xml.gz"
    bomb.write_bytes(gzip.compress(_bomb_bytes(), 9))
    assert bomb.stat().st_size < 100_000
    assert main(["snapshot", "import", str(bomb), "-o", str(tmp_path / "o")]) == 2
    assert "refused" in capsys.readouterr().err


def test_bzip2_status_report_bomb_is_refused(
    tmp_path: Path, small_caps: None, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _bomb_bytes()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo("bug-report/xapi-db.xml")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    archive = tmp_path / "bug-report.tar.bz2"
    archive.write_bytes(bz2.compress(buffer.getvalue(), 9))
    assert archive.stat().st_size < 10_000
    assert main(["snapshot", "import", str(archive), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "refused" in err or "larger than" in err


def test_xml_entities_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<database><table name="host"><row ref="x" uuid="u" name__label="&b;"/>'
        "</table></database>"
    )
    dump = tmp_path / "laughs.xml"
    dump.write_text(laughs)
    assert main(["snapshot", "import", str(dump), "-o", str(tmp_path / "o")]) == 2
    assert "refused XML construct" in capsys.readouterr().err


def _capture_folder(root: Path) -> Path:
    for name in ("sw1", "sw2"):
        folder = root / "devices" / name
        folder.mkdir(parents=True)
        (folder / "platform").write_text("cisco_ios\n")
        (folder / "show version.txt").write_text("Cisco IOS Software, version 15\n")
    return root


def test_links_out_of_the_capture_folder_are_not_followed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("OUTSIDE-SECRET-CONTENT\n")
    source = _capture_folder(tmp_path / "capture")
    (source / "devices" / "sw1" / "show running-config.txt").symlink_to(outside)
    (source / "devices" / "sw3").symlink_to(tmp_path)
    out = tmp_path / "snap"
    assert main(["snapshot", "import", str(source), "-o", str(out)]) == 3
    for path in out.rglob("*"):
        if path.is_file():
            assert "OUTSIDE-SECRET-CONTENT" not in path.read_text(errors="replace")
    assert "not followed" in caplog.text
    statuses = {d["name"]: d["status"] for d in Snapshot.open(out).manifest["devices"]}
    assert statuses == {"sw1": "partial", "sw2": "ok"}


def test_capture_file_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from xsfabric import importer

    monkeypatch.setattr(importer, "MAX_ARTIFACT_BYTES", 1000)
    source = _capture_folder(tmp_path / "capture")
    (source / "devices" / "sw2" / "show interfaces.txt").write_text("x" * 5000)
    out = tmp_path / "snap"
    assert main(["snapshot", "import", str(source), "-o", str(out)]) == 3
    assert not (out / "devices" / "sw2" / "show interfaces.txt").exists()
    device = next(d for d in Snapshot.open(out).manifest["devices"] if d["name"] == "sw2")
    assert device["status"] == "partial" and "larger than" in device["error"]


# -- one bad input among good ones --------------------------------------------------------------


def test_non_utf8_platform_file_is_one_line_and_the_rest_is_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    source = _capture_folder(tmp_path / "capture")
    (source / "devices" / "sw1" / "platform").write_bytes(b"\xff\xfecisco\x00")
    out = tmp_path / "snap"
    assert main(["snapshot", "import", str(source), "-o", str(out)]) == 3
    err = capsys.readouterr().err + caplog.text
    assert "sw1/platform: not UTF-8" in err and "Traceback" not in err
    statuses = {d["name"]: d["status"] for d in Snapshot.open(out).manifest["devices"]}
    assert statuses == {"sw1": "error", "sw2": "ok"}


def test_bad_dump_among_good_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    source = tmp_path / "capture"
    (source / "xenserver").mkdir(parents=True)
    (source / "xenserver" / "good.xml").write_text(_dump())
    (source / "xenserver" / "bad.xml").write_text("<database><table name=")
    out = tmp_path / "snap"
    assert main(["snapshot", "import", str(source), "-o", str(out)]) == 3
    err = capsys.readouterr().err + caplog.text
    assert "bad.xml" in err and "Traceback" not in err
    statuses = {d["name"]: d["status"] for d in Snapshot.open(out).manifest["devices"]}
    assert statuses == {"bad": "error", "good": "ok"}
    assert main(["show", "hosts", str(out), "--format", "json"]) == 0


def test_dump_row_without_uuid_is_skipped_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "pool.xml"
    dump.write_text(
        _dump(
            '<row ref="OpaqueRef:h2" name__label="h2" hostname="h2" '
            'address="10.0.0.2" other_config="()"/>'
        )
    )
    out = tmp_path / "snap"
    assert main(["snapshot", "import", str(dump), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["show", "hosts", str(out), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert [h["host"] for h in json.loads(captured.out)["rows"]] == ["h1"]
    assert "without uuid" in captured.err
    code = main(["audit", str(out), "--fail-on", "none"])
    assert code in (0, 3)  # never 1 (findings) from a crash
    assert "Traceback" not in capsys.readouterr().err


def test_inventory_host_named_dotdot_is_one_line_and_the_rest_is_collected(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inventory = tmp_path / "inv"
    inventory.mkdir()
    entry = (
        "  hostname: 127.0.0.1\n  port: {port}\n  platform: cisco_ios\n"
        "  username: u\n  password: ${{PW}}\n  data: {{kind: switch}}\n"
    )
    (inventory / "hosts.yaml").write_text(
        '"..":\n' + entry.format(port=port) + "sw-ok:\n" + entry.format(port=port)
    )
    monkeypatch.setenv("PW", "pw-123456")
    out = tmp_path / "snap"
    code = main(["collect", "-i", str(inventory), "-o", str(out), "--timeout", "2"])
    err = capsys.readouterr().err + caplog.text
    assert "hosts.yaml" in err and "'..'" in err and "Traceback" not in err
    assert code == 2  # the other host ran (unreachable here): nothing was collected
    statuses = {d["name"]: d["status"] for d in Snapshot.open(out).manifest["devices"]}
    assert statuses == {"sw-ok": "unreachable"}
    assert not (tmp_path / "..snap").exists()
    shutil.rmtree(out)
