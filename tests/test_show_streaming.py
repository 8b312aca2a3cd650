"""``show`` streams (issue 12): questions are applied while rows are made (a ``--device`` for
another switch never loads this one), a terminal table stops at a row cap and says how many
rows it left out (``--all`` lifts it), CSV and JSON are never cut."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from xsfabric import show
from xsfabric.audit import DEMO_ESTATE, DEMO_POLICY
from xsfabric.cli import main
from xsfabric.lab.estate import load_estate
from xsfabric.lab.switch_gen import write_switches
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.snapshot import Snapshot
from xsfabric.switch import tables as switch_tables
from xsfabric.switch.facts import load_switch_facts, merged_facts, switch_devices
from xsfabric.switch.model import SwitchFacts
from xsfabric.tables import Terminal


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("show-stream")
    spec = load_estate(DEMO_ESTATE)
    write_estate(spec, root / "src")
    write_switches(spec, root / "src")
    target = root / "snap"
    argv = [
        "snapshot",
        "import",
        str(root / "src"),
        "-o",
        str(target),
        "--policy",
        str(DEMO_POLICY),
    ]
    assert main(argv) == 0
    return target


def _show(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(["show", *argv]) == 0
    return capsys.readouterr().out


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def on_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(show, "terminal", lambda color="auto": Terminal(True, 200, False))
    monkeypatch.setattr(show, "ROW_CAP", 10)


def _table_rows(text: str) -> list[str]:
    """Data lines of a terminal table with a MAC in them."""
    return [line for line in text.splitlines() if line.count(":") == 5]


def test_terminal_table_stops_at_the_cap_and_says_how_many_are_left_out(
    snapshot: Path, capsys: pytest.CaptureFixture[str], on_terminal: None
) -> None:
    total = len(_csv_rows(_show(capsys, "macs", str(snapshot), "--format", "csv")))
    assert total > 100  # the demo's three switches: enough to be cut at 10
    out = _show(capsys, "macs", str(snapshot))
    assert len(_table_rows(out)) == 10
    assert f"... {total - 10:,} more rows not shown (--all shows them" in out


def test_all_lifts_the_cap(
    snapshot: Path, capsys: pytest.CaptureFixture[str], on_terminal: None
) -> None:
    total = len(_csv_rows(_show(capsys, "macs", str(snapshot), "--format", "csv")))
    out = _show(capsys, "macs", str(snapshot), "--all")
    assert len(_table_rows(out)) == total
    assert "more rows not shown" not in out


def test_csv_and_json_are_never_capped_even_on_a_terminal(
    snapshot: Path, capsys: pytest.CaptureFixture[str], on_terminal: None
) -> None:
    facts = Snapshot.open(snapshot)
    expected = sum(
        len(f.fdb or [])
        for f in (merged_facts(d, load_switch_facts(facts, d)) for d in switch_devices(facts))
    )
    assert len(_csv_rows(_show(capsys, "macs", str(snapshot), "--format", "csv"))) == expected
    assert (
        len(json.loads(_show(capsys, "macs", str(snapshot), "--format", "json"))["rows"])
        == expected
    )


def test_a_pipe_gets_every_row(
    snapshot: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(show, "ROW_CAP", 10)  # stdout is captured: not a terminal
    total = len(_csv_rows(_show(capsys, "macs", str(snapshot), "--format", "csv")))
    out = _show(capsys, "macs", str(snapshot))
    assert len(_table_rows(out)) == total and "not shown" not in out


def test_device_question_loads_only_that_switch(
    snapshot: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = _csv_rows(_show(capsys, "macs", str(snapshot), "--format", "csv"))
    loaded: list[str] = []
    real = load_switch_facts

    def counting(snap: Snapshot, device: str) -> list[SwitchFacts]:
        loaded.append(device)
        return real(snap, device)

    monkeypatch.setattr(switch_tables, "load_switch_facts", counting)
    rows = _csv_rows(
        _show(capsys, "macs", str(snapshot), "--format", "csv", "--device", "prod-tor2")
    )
    assert loaded == ["prod-tor2"]
    assert rows == [r for r in everything if r["device"] == "prod-tor2"] and rows


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_questions_give_the_same_rows_applied_early(
    snapshot: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    """A --mac / --vlan question applied while rows are made answers exactly what the whole
    table filtered afterwards answers."""
    everything = _csv_rows(_show(capsys, "macs", str(snapshot), "--format", "csv"))
    vlan = everything[0]["vlan"]
    wanted = [r for r in everything if r["vlan"] == vlan]
    out = _show(capsys, "macs", str(snapshot), "--format", fmt, "--vlan", vlan)
    got: list[Any]
    if fmt == "csv":
        got = _csv_rows(out)
        assert got == wanted
    elif fmt == "json":
        got = json.loads(out)["rows"]
        assert [r["mac"] for r in got] == [r["mac"] for r in wanted]
    else:
        assert len(_table_rows(out)) == len(wanted)
    mac = wanted[0]["mac"]
    one = _csv_rows(_show(capsys, "macs", str(snapshot), "--format", "csv", "--mac", mac))
    assert one == [r for r in everything if r["mac"] == mac]
