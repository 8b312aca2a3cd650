"""``show --format json|csv``: "not available" differs from "looked and found nothing" (issue 14
item 3).

Three IOS switches imported through the real snapshot write path: ``acc-full`` with a real
``show mac-address-table`` capture (ntc-templates corpus; its row count from the corpus
``.yml``), ``acc-empty`` with a MAC table that holds no entry, ``acc-none`` with no MAC table
capture at all (only a real ``show lldp neighbors detail``). A table a device could not give is
``"rows": null`` with the device and the missing command in ``unavailable`` and ``warnings``;
an empty one is ``[]``. In CSV, a value not known is an empty cell and a known-empty list
``[]``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from xsfabric.cli import main
from xsfabric.schemas import load_schema, show_rows_schema
from xsfabric.snapshot import DeviceKind, SnapshotWriter

MACS = ("cisco_ios", "show_mac-address-table", "cisco_ios_show_mac-address-table")
LLDP = ("cisco_ios", "show_lldp_neighbors_detail", "cisco_ios_show_lldp_neighbors_detail1")
EMPTY_MAC_TABLE = """          Mac Address Table
-------------------------------------------

Vlan    Mac Address       Type        Ports
----    -----------       --------    -----
Total Mac Addresses for this criterion: 0
"""


def _case(corpus_dir: Path, parts: tuple[str, str, str]) -> tuple[str, list[dict[str, Any]]]:
    folder = corpus_dir / "ntc-templates" / parts[0] / parts[1]
    raw = (folder / f"{parts[2]}.raw").read_text()
    expected = yaml.safe_load((folder / f"{parts[2]}.yml").read_text())["parsed_sample"]
    return raw, expected


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    macs, _ = _case(corpus_dir, MACS)
    lldp, _ = _case(corpus_dir, LLDP)
    target = tmp_path_factory.mktemp("null") / "snap"
    with SnapshotWriter(target) as writer:
        for name, outputs in (
            ("acc-full", {"show mac address-table": macs}),
            ("acc-empty", {"show mac address-table": EMPTY_MAC_TABLE}),
            ("acc-none", {"show lldp neighbors detail": lldp}),
        ):
            writer.device(name, DeviceKind.SWITCH, "cisco_ios", ["import"])
            writer.write_device_platform(name, "cisco_ios")
            for command, text in outputs.items():
                writer.write_device_output(name, command, text)
        writer.commit()
    return target


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[dict[str, Any], str]:
    capsys.readouterr()
    assert main(["show", *argv, "--format", "json"]) == 0
    captured = capsys.readouterr()
    document: dict[str, Any] = json.loads(captured.out)
    jsonschema.validate(document, load_schema("show"))
    if document["rows"] is not None:
        jsonschema.validate(document["rows"], show_rows_schema(argv[0]))
    return document, captured.err


def _csv(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[list[dict[str, str]], str]:
    capsys.readouterr()
    assert main(["show", *argv, "--format", "csv"]) == 0
    captured = capsys.readouterr()
    return list(csv.DictReader(io.StringIO(captured.out))), captured.err


def test_mac_table_not_collected_is_null(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc, err = _json(capsys, "macs", str(snapshot), "--device", "acc-none")
    assert doc["table"] == "macs" and doc["rows"] is None
    (gap,) = doc["unavailable"]
    assert gap["source"] == "acc-none" and "'show mac address-table'" in gap["missing"]
    assert any("acc-none" in w and "show mac address-table" in w for w in doc["warnings"])
    assert "acc-none: macs not available" in err and "show mac address-table" in err


def test_empty_mac_table_is_an_empty_list(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc, _ = _json(capsys, "macs", str(snapshot), "--device", "acc-empty")
    assert doc["rows"] == [] and doc["unavailable"] == []


def test_whole_table_keeps_rows_and_names_what_is_missing(
    snapshot: Path, capsys: pytest.CaptureFixture[str], corpus_dir: Path
) -> None:
    _, expected = _case(corpus_dir, MACS)
    doc, _ = _json(capsys, "macs", str(snapshot))
    assert doc["rows"] is not None
    assert len(doc["rows"]) == len(expected)
    assert {r["device"] for r in doc["rows"]} == {"acc-full"}
    assert [g["source"] for g in doc["unavailable"]] == ["acc-none"]
    # a filter on another column keeps the sources: still not null
    doc, _ = _json(capsys, "macs", str(snapshot), "--vlan", "4000")
    assert doc["rows"] == [] and [g["source"] for g in doc["unavailable"]] == ["acc-none"]


def test_lldp_not_collected_is_null_and_absent_tlvs_are_null(
    snapshot: Path, capsys: pytest.CaptureFixture[str], corpus_dir: Path
) -> None:
    doc, _ = _json(capsys, "lldp", str(snapshot), "--device", "acc-full,acc-empty")
    assert doc["rows"] is None
    assert sorted(g["source"] for g in doc["unavailable"]) == ["acc-empty", "acc-full"]
    assert all("show lldp neighbors detail" in g["missing"] for g in doc["unavailable"])
    _, expected = _case(corpus_dir, LLDP)
    doc, _ = _json(capsys, "lldp", str(snapshot), "--device", "acc-none")
    rows = doc["rows"]
    assert rows is not None and len(rows) == len(expected)
    # the reference has no system name for these neighbours: null, never ""
    nameless = [e for e in expected if not e["neighbor_name"]]
    assert nameless
    assert sum(r["system_name"] is None for r in rows) == len(nameless)
    assert all(r["system_name"] != "" for r in rows)


def test_terminal_title_says_not_available(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["show", "macs", str(snapshot), "--device", "acc-none"]) == 0
    assert capsys.readouterr().out.startswith("macs (not available)\n")
    assert main(["show", "macs", str(snapshot), "--device", "acc-empty"]) == 0
    assert capsys.readouterr().out.startswith("macs (0)\n")


def test_csv_empty_cell_is_unknown_and_brackets_are_none(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows, err = _csv(capsys, "macs", str(snapshot), "--device", "acc-none")
    assert rows == [] and "acc-none: macs not available" in err
    rows, _ = _csv(capsys, "lldp", str(snapshot), "--device", "acc-none")
    nameless = [r for r in rows if r["system_name"] == ""]
    assert nameless  # null → empty cell
    # capabilities: a list, "[]" only when known empty
    assert all(r["capabilities"] != "" for r in rows)


def test_pifs_lldp_neighbor_null_on_a_dump_without_it(
    corpus_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """boston-db predates PIF_metrics.lldp_neighbor: null in JSON, an empty CSV cell; its
    bond_members, known empty on a NIC that is no bond master, stay [] and "[]"."""
    out = tmp_path / "boston"
    assert (
        main(["snapshot", "import", str(corpus_dir / "xapi-db/boston-db.xml"), "-o", str(out)]) == 0
    )
    doc, _ = _json(capsys, "pifs", str(out))
    assert doc["rows"] and all(r["lldp_neighbor"] is None for r in doc["rows"])
    assert all(r["bond_members"] == [] for r in doc["rows"] if r["bond_master"] is None)
    rows, _ = _csv(capsys, "pifs", str(out))
    assert rows and all(r["lldp_neighbor"] == "" for r in rows)
    assert all(r["bond_members"] == "[]" for r in rows if r["bond_master"] == "")
    doc, _ = _json(capsys, "host-lldp", str(out))
    assert doc["rows"] and all(r["lldp_neighbor"] is None for r in doc["rows"])
    # a host's version, when the dump has it, as in the dump; never "" for "not known"
    doc, _ = _json(capsys, "hosts", str(out))
    assert all(r["version"] is None or r["version"] for r in doc["rows"])


def test_every_show_table_answers_the_same_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One shape for every table of the demo estate (pools, switches, fabrics, arrays,
    facts): the schema's object, rows validated by the table's own row definition."""
    from xsfabric.audit import DEMO_ESTATE, DEMO_POLICY
    from xsfabric.lab.estate import load_estate
    from xsfabric.lab.switch_gen import write_switches
    from xsfabric.lab.xapi_dump_gen import write_estate
    from xsfabric.show import TABLE_NAMES

    spec = load_estate(DEMO_ESTATE)
    write_estate(spec, tmp_path / "src")
    write_switches(spec, tmp_path / "src")
    out = tmp_path / "snap"
    argv = ["snapshot", "import", str(tmp_path / "src"), "-o", str(out), "--policy"]
    assert main([*argv, str(DEMO_POLICY)]) == 0
    for table in TABLE_NAMES:
        doc, _ = _json(capsys, table, str(out))
        assert doc["table"] == table
        assert set(doc) == {"table", "columns", "rows", "unavailable", "warnings"}
        assert doc["rows"], table  # the demo gives every table rows
        assert set(doc["columns"]) >= set(doc["rows"][0]), table
