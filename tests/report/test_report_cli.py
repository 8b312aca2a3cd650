"""The renderer registry through the command line: every format by name, written atomically;
an unwritable --output is one line and exit 2 with nothing half-written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from xsfabric.audit import RENDERERS
from xsfabric.cli import main


def test_every_registered_format_renders_from_the_cli(
    demo_snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert set(RENDERERS) >= {"text", "json", "sarif", "junit", "csv", "xlsx"}
    for fmt in RENDERERS:
        out = tmp_path / f"report.{fmt}"
        assert (
            main(
                [
                    "audit",
                    str(demo_snapshot),
                    "--format",
                    fmt,
                    "--output",
                    str(out),
                    "--fail-on",
                    "none",
                ]
            )
            == 0
        ), fmt
        assert out.exists(), fmt
    assert json.loads((tmp_path / "report.json").read_text())["schema"] == "xsfabric-findings"
    assert (tmp_path / "report.csv" / "findings.csv").is_file()
    assert (tmp_path / "report.xlsx").read_bytes()[:2] == b"PK"
    assert not list(tmp_path.glob("**/*.tmp")) and not list(tmp_path.glob("**/.*"))
    assert oct((tmp_path / "report.sarif").stat().st_mode & 0o077) != "0o0"  # not 0600
    capsys.readouterr()


def test_json_to_stdout_is_the_document(
    demo_snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", str(demo_snapshot), "--format", "sarif"]) == 1
    assert json.loads(capsys.readouterr().out)["version"] == "2.1.0"


def test_output_under_a_file_is_one_line_exit_2(
    demo_snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    assert (
        main(["audit", str(demo_snapshot), "--format", "junit", "--output", str(blocker / "r.xml")])
        == 2
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot write the report" in err[0]
    assert blocker.read_text() == "a file, not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_unwritable_output_is_one_line_exit_2_nothing_written(
    demo_snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    assert (
        main(["audit", str(demo_snapshot), "--format", "xlsx", "--output", str(locked / "r.xlsx")])
        == 2
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot write the report" in err[0]
    assert list(locked.iterdir()) == []


def test_output_in_missing_folder_makes_it_and_a_file_in_the_way_is_one_line_exit_2(
    demo_snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no" / "such" / "folder" / "r.sarif"
    assert (
        main(
            [
                "audit",
                str(demo_snapshot),
                "--format",
                "sarif",
                "--output",
                str(target),
                "--fail-on",
                "none",
            ]
        )
        == 0
    )
    assert json.loads(target.read_text())["version"] == "2.1.0"  # folders made (issue 14)
    capsys.readouterr()
    (tmp_path / "file").write_text("a file where a folder should be")
    target = tmp_path / "file" / "r.sarif"
    assert main(["audit", str(demo_snapshot), "--format", "sarif", "--output", str(target)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot write the report" in err[0] and str(target.parent) in err[0]


def test_output_that_is_a_file_keeps_the_old_report_when_rendering_fails(
    demo_snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A report is replaced only by a complete one: the old file stays until the rename."""
    out = tmp_path / "r.json"
    out.write_text("old report")
    assert (
        main(
            [
                "audit",
                str(demo_snapshot),
                "--format",
                "json",
                "--output",
                str(out),
                "--waivers",
                str(tmp_path / "missing.yaml"),
            ]
        )
        == 2
    )
    assert out.read_text() == "old report"
    capsys.readouterr()


def test_report_command_writes_one_offline_html_file(
    demo_snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    assert main(["report", str(demo_snapshot), "-o", str(out)]) == 0
    assert f"report written to {out}" in capsys.readouterr().err
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in html  # the page may fetch nothing
    for external in ("http://", "https://", "<link", " src="):
        assert external not in html.split("<body>", 1)[1], external
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_csv_without_output_prints_the_findings_table(
    demo_snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", str(demo_snapshot), "--format", "csv", "--fail-on", "none"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("severity,rule_id,category,guide,pool,host")


def test_text_report_of_hostile_names_is_inert(hostile_doc: dict[str, object]) -> None:
    from tests.report.conftest import render_one

    from xsfabric.report.base import ReportOptions

    text = render_one("text", hostile_doc, ReportOptions(color=False)).decode()
    assert "\x1b" not in text and "\x07" not in text
    assert "<script>alert(1)</script>" in text
    # the newline in the VM name cannot start a line of its own in the report
    assert not any(line.startswith("forged line") for line in text.splitlines())


def test_bad_today_override_is_one_line(
    demo_snapshot: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waivers = tmp_path / "w.yaml"
    waivers.write_text("waivers: []\n")
    monkeypatch.setenv("XSFABRIC_TODAY", "next tuesday")
    assert main(["audit", str(demo_snapshot), "--waivers", str(waivers)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "XSFABRIC_TODAY" in err[0]
