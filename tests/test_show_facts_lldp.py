"""`show facts` (what every device is and runs) and `show host-lldp` (what the hosts' NICs hear,
PIF_metrics.lldp_neighbor), both parsed before and shown nowhere."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from xsfabric.cli import main
from xsfabric.lab.xapi_dump_gen import main as generate
from xsfabric.schemas import load_schema, show_rows_schema

EXAMPLE = Path(__file__).resolve().parents[1] / "src/xsfabric/lab/data/example.yaml"


def test_show_facts_of_a_switch_and_a_pool(
    corpus_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recording = corpus_dir / "snmp/librenms/ios_2960x.snmprec"
    raw = tmp_path / "raw"
    (raw / "devices/acc1").mkdir(parents=True)
    (raw / "xenserver").mkdir()
    shutil.copy(recording, raw / "devices/acc1/snmpwalk.snmprec")
    shutil.copy(corpus_dir / "xapi-db/boston-db.xml", raw / "xenserver/boston-db.xml")
    assert main(["snapshot", "import", str(raw), "-o", str(tmp_path / "s")]) == 0
    capsys.readouterr()
    assert main(["show", "facts", str(tmp_path / "s"), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, load_schema("show"))
    jsonschema.validate(document["rows"], show_rows_schema("facts"))
    rows = {r["device"]: r for r in document["rows"]}
    # LibreNMS's discovery of the same recording (os.discovery.devices[0])
    reference = json.loads((corpus_dir / "snmp/librenms/ios_2960x.json").read_text())
    device = reference["os"]["discovery"]["devices"][0]
    acc1 = rows["acc1"]
    assert (acc1["kind"], acc1["vendor"], acc1["model"], acc1["os_version"], acc1["serial"]) == (
        "switch",
        "Cisco",
        device["hardware"],
        device["version"],
        device["serial"],
    )
    assert acc1["status"] == "ok" and acc1["methods"] == ["import"]
    pool = rows["boston-db"]
    assert (pool["kind"], pool["platform"], pool["serial"]) == ("xenserver-pool", "xenserver", None)
    # --device selects, in CSV too
    assert main(["show", "facts", str(tmp_path / "s"), "--device", "acc1", "--format", "csv"]) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert row["serial"] == device["serial"]


def test_host_lldp_lab_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Lab round trip: the example estate's host LLDP (eth0 → tor-a Ethernet1/{i}, eth1 →
    tor-b Ethernet{i}, from its lldp pattern and cabling) comes back per host, and filters on
    switch and port work. eth2 is left uncabled here, so it hears nothing."""
    from ruamel.yaml import YAML

    yaml = YAML()
    spec = yaml.load(EXAMPLE.read_text())
    tor_a = next(s for s in spec["switches"] if s["name"] == "tor-a")
    tor_a["cabling"] = [row for row in tor_a["cabling"] if row["nic"] != "eth2"]
    with (tmp_path / "estate.yaml").open("w") as handle:
        yaml.dump(spec, handle)
    assert generate([str(tmp_path / "estate.yaml"), str(tmp_path / "raw")]) == 0
    assert main(["snapshot", "import", str(tmp_path / "raw"), "-o", str(tmp_path / "s")]) == 0
    capsys.readouterr()
    assert (
        main(
            [
                "show",
                "host-lldp",
                str(tmp_path / "s"),
                "--device",
                "tor-a",
                "--pool",
                "prod",
                "--format",
                "json",
            ]
        )
        == 0
    )
    rows = json.loads(capsys.readouterr().out)["rows"]
    jsonschema.validate(rows, show_rows_schema("host-lldp"))
    assert [(r["host"], r["device"], r["switch_port"]) for r in rows] == [
        ("xs-prod-01", "eth0", "Ethernet1/1"),
        ("xs-prod-02", "eth0", "Ethernet1/2"),
        ("xs-prod-03", "eth0", "Ethernet1/3"),
    ]
    assert rows[0]["port_description"] == "xs-prod-01 eth0"
    assert (
        main(
            [
                "show",
                "host-lldp",
                str(tmp_path / "s"),
                "--port",
                "Ethernet2",
                "--device",
                "tor-b",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert (row["host"], row["device"]) == ("xs-prod-02", "eth1")
    # a NIC that hears nothing is there with null, not left out
    assert (
        main(["show", "host-lldp", str(tmp_path / "s"), "--host", "xs-prod-01", "--format", "json"])
        == 0
    )
    silent = [r for r in json.loads(capsys.readouterr().out)["rows"] if r["switch"] is None]
    assert silent and all(r["lldp_neighbor"] == {} for r in silent)
    # show pifs carries the same record
    assert (
        main(
            [
                "show",
                "pifs",
                str(tmp_path / "s"),
                "--host",
                "xs-prod-01",
                "--device",
                "eth1",
                "--format",
                "json",
            ]
        )
        == 0
    )
    (pif,) = json.loads(capsys.readouterr().out)["rows"]
    assert pif["lldp_neighbor"]["system_name"] == "tor-b"
