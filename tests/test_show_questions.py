"""`xsfabric show` answers questions: filters and columns on every table, in table, JSON and CSV
form; terminal behaviour (plain off a terminal, NO_COLOR, TERM=dumb, --color, closed pipes).

Expected values are read from the references: the xapi dump itself (ElementTree) and
LibreNMS's discovery JSON beside the SNMP recording.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from xsfabric.cli import main
from xsfabric.rules.engine import load_rules
from xsfabric.tables import Table, Terminal, render, terminal

FORMATS = ("table", "json", "csv")


@pytest.fixture(scope="module")
def snap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    dump = corpus / "xapi-db" / "state2.xml"
    recording = corpus / "snmp" / "librenms" / "jetstream_sg2218p.snmprec"
    if not (dump.is_file() and recording.is_file()):
        pytest.skip("corpus not found")
    raw = tmp_path_factory.mktemp("raw")
    (raw / "xenserver").mkdir()
    (raw / "devices" / "sw1").mkdir(parents=True)
    (raw / "xenserver" / "state2.xml").write_bytes(dump.read_bytes())
    (raw / "devices" / "sw1" / "snmpwalk.snmprec").write_bytes(recording.read_bytes())
    out = tmp_path_factory.mktemp("snap") / "s"
    assert main(["snapshot", "import", str(raw), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def fdb_reference() -> list[dict[str, Any]]:
    path = (
        Path(__file__).resolve().parents[1].parent
        / "shared"
        / "corpus"
        / "snmp"
        / "librenms"
        / "jetstream_sg2218p.json"
    )
    if not path.is_file():
        pytest.skip("corpus not found")
    rows: list[dict[str, Any]] = json.loads(path.read_text())["fdb-table"]["discovery"]["ports_fdb"]
    return rows


def show(capsys: pytest.CaptureFixture[str], *argv: str, fmt: str) -> list[dict[str, str]]:
    """Rows of one ``show`` in any format, as dicts of text (the table form parsed from its
    plain output: stdout is no terminal under pytest)."""
    capsys.readouterr()
    assert main(["show", *argv, "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        rows = json.loads(out)["rows"]
        return [{k: "" if v is None else str(v) for k, v in r.items()} for r in rows]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(out)))
    lines = out.splitlines()
    header, rule, body = lines[1], lines[2], lines[3:]
    spans, start = [], 0
    for dashes in rule.split("  "):
        spans.append((start, start + len(dashes)))
        start += len(dashes) + 2
    names = [header[a:b].strip() for a, b in spans]
    return [{n: line[a:b].strip() for n, (a, b) in zip(names, spans, strict=True)} for line in body]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "notation", ["2432.aea3.5f17", "24-32-AE-A3-5F-17", "2432aea35f17", "24:32:ae:a3:5f:17"]
)
def test_mac_in_any_notation(
    snap: Path,
    fdb_reference: list[dict[str, Any]],
    notation: str,
    fmt: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = show(capsys, "macs", str(snap), "--mac", notation, fmt=fmt)
    expected = [r for r in fdb_reference if r["mac_address"] == "2432aea35f17"]
    assert [r["mac"] for r in rows] == ["24:32:ae:a3:5f:17"] * len(expected)
    assert [r["vlan"] for r in rows] == [str(r["vlan_vlan"]) for r in expected]


@pytest.mark.parametrize("fmt", FORMATS)
def test_mac_prefix_and_vlan(
    snap: Path, fdb_reference: list[dict[str, Any]], fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = show(capsys, "macs", str(snap), "--mac", "24:32:AE", fmt=fmt)
    assert len(rows) == sum(1 for r in fdb_reference if r["mac_address"].startswith("2432ae"))
    assert rows and all(r["mac"].startswith("24:32:ae:") for r in rows)
    rows = show(capsys, "macs", str(snap), "--vlan", "31", fmt=fmt)
    assert len(rows) == sum(1 for r in fdb_reference if r["vlan_vlan"] == 31)
    assert {r["vlan"] for r in rows} == {"31"}
    # a near miss: a VLAN nobody is on
    assert show(capsys, "macs", str(snap), "--vlan", "4000-4001", fmt=fmt) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_pifs_by_host_device_network_and_columns(
    snap: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = show(
        capsys,
        "pifs",
        str(snap),
        "--host",
        "chester",
        "--device",
        "eth4",
        "--columns",
        "host,device,mac",
        fmt=fmt,
    )
    assert rows == [{"host": "chester", "device": "eth4", "mac": "00:15:17:8a:31:b2"}]
    rows = show(
        capsys,
        "pifs",
        str(snap),
        "--network",
        "Pool-wide network associated with eth0",
        "--columns",
        "host,device",
        fmt=fmt,
    )
    assert sorted((r["host"], r["device"]) for r in rows) == [
        ("chester", "eth0"),
        ("grimsby", "eth0"),
    ]
    rows = show(capsys, "pifs", str(snap), "--pool", "state*", "--host", "GRIMSBY", fmt=fmt)
    assert len(rows) == 5 and {r["host"] for r in rows} == {"grimsby"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_vifs_by_vm(snap: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = Path(__file__).resolve().parents[1].parent / "shared/corpus/xapi-db/state2.xml"
    root = ElementTree.parse(corpus).getroot()  # noqa: S314 - the corpus dump, a local file
    tables = {t.get("name"): t for t in root.iter("table")}
    vm_ref = {r.get("ref"): r.get("name__label") for r in tables["VM"]}
    macs = sorted(
        r.get("MAC", "") for r in tables["VIF"] if vm_ref.get(r.get("VM")) == "Debian Etch 4.0 (2)"
    )
    rows = show(capsys, "vifs", str(snap), "--vm", "Debian Etch 4.0 (2)", fmt=fmt)
    assert sorted(r["mac"] for r in rows) == macs and len(macs) == 5


def test_default_columns_on_a_terminal_all_columns_in_json(
    snap: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = show(capsys, "pifs", str(snap), fmt="table")
    assert "uuid" not in table[0] and "mac" in table[0]
    assert "uuid" in show(capsys, "pifs", str(snap), fmt="json")[0]
    assert "uuid" in show(capsys, "pifs", str(snap), "--columns", "all", fmt="table")[0]


def test_questions_a_table_cannot_answer_are_one_line_errors(
    snap: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "pifs", str(snap), "--port", "Gi1/0/1"]) == 2
    err = capsys.readouterr().err
    assert "show pifs has no port column" in err and "--host" in err
    assert main(["show", "pifs", str(snap), "--columns", "host,colour"]) == 2
    assert "no column 'colour'" in capsys.readouterr().err
    assert main(["show", "macs", str(snap), "--mac", "eth0"]) == 2
    assert "not a MAC" in capsys.readouterr().err
    assert main(["show", "macs", str(snap), "--vlan", "ten"]) == 2
    assert "not a VLAN" in capsys.readouterr().err


def _fake_tty() -> Any:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    return Tty()


def test_terminal_follows_no_color_term_dumb_and_color_flag(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert terminal("auto", _fake_tty()).color
    assert not terminal("never", _fake_tty()).color
    assert not terminal("auto", io.StringIO()).tty
    assert terminal("always", io.StringIO()).color
    monkeypatch.setenv("NO_COLOR", "1")
    assert not terminal("auto", _fake_tty()).color and terminal("auto", _fake_tty()).tty
    assert terminal("always", _fake_tty()).color
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    dumb = terminal("auto", _fake_tty())
    assert not dumb.tty and not dumb.color


def test_a_terminal_never_splits_an_identifier() -> None:
    uuid = "f64c1824-7874-e548-a3c2-d0d9785aa301"
    table = Table(
        "t",
        ["mac", "uuid", "note"],
        [{"mac": "00:15:17:8a:31:b1", "uuid": uuid, "note": "a long text that may wrap " * 3}],
    )
    out = render(table, "table", Terminal(tty=True, width=80, color=False))
    assert uuid in out and "00:15:17:8a:31:b1" in out and "\x1b[" not in out
    assert "\x1b[" in render(table, "table", Terminal(tty=True, width=80, color=True))
    # too narrow for the identifiers whole: plain lines rather than cut cells
    narrow = render(table, "table", Terminal(tty=True, width=40, color=False))
    assert uuid in narrow and "…" not in narrow


def test_rules_off_a_terminal_are_plain_and_ids_whole(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "…" not in out and "┃" not in out
    lines = out.splitlines()
    for rule_id in load_rules():
        assert any(line.startswith(rule_id + " ") for line in lines), rule_id


def test_a_closed_pipe_ends_quietly_with_exit_0(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write, as after `| head -1`
    proc = subprocess.run(
        [sys.executable, "-m", "xsfabric.cli", "rules"],
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=120,
    )
    os.close(write_end)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_csv_nested_values_are_json_and_formulas_stay_text(
    snap: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = show(capsys, "pbds", str(snap), "--host", "chester", fmt="csv")
    configs = [json.loads(r["device_config"]) for r in rows]
    assert {"location": "/dev/xapi/cd"} in configs  # the DVD drive SR of the dump
    table = Table(
        "t",
        ["description", "members"],
        [{"description": '=HYPERLINK("http://x")', "members": ["a,b", "c"]}],
    )
    row = next(csv.DictReader(io.StringIO(render(table, "csv"))))
    assert row["description"] == '\'=HYPERLINK("http://x")'
    assert json.loads(row["members"]) == ["a,b", "c"]


def test_show_pifs_is_readable_at_120_columns(snap: Path) -> None:
    from xsfabric.show import build_table
    from xsfabric.snapshot import Snapshot
    from xsfabric.tables import select_columns

    table = select_columns(build_table("pifs", Snapshot.open(snap)), None, "table")
    out = render(table, "table", Terminal(tty=True, width=120, color=False))
    assert "───" in out  # the terminal form (rich), not the plain fallback
    assert max(len(line) for line in out.splitlines()) <= 120
    for row in table.rows:
        assert row["mac"] in out  # whole, on one line


def test_a_closed_pipe_after_a_short_table_ends_quietly_too(snap: Path) -> None:
    """Short output sits in the buffer until exit: the final flush meets the closed pipe."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.run(
        [sys.executable, "-m", "xsfabric.cli", "show", "pools", str(snap)],
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=120,
        env=env,
    )
    os.close(write_end)
    assert (proc.returncode, proc.stderr) == (0, "")
