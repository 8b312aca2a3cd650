"""`snapshot import` says what it understood: per device, kind, platform, tables, and the capture
that would give each missing table; SNMP formats are told by content, not by name.

Expected counts come from the references beside the recordings (LibreNMS's discovery JSON), or
are written by hand for the small walks made here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from xsfabric.cli import main
from xsfabric.importer import capture_format
from xsfabric.tables import cap_warnings

WALK = """\
.1.3.6.1.2.1.1.1.0 = STRING: "Cisco IOS Software, C2960X Software"
.1.3.6.1.2.1.1.5.0 = STRING: "acc-sw1"
.1.3.6.1.2.1.2.2.1.1.1 = INTEGER: 1
.1.3.6.1.2.1.2.2.1.1.2 = INTEGER: 2
.1.3.6.1.2.1.31.1.1.1.1.1 = STRING: "Gi1/0/1"
.1.3.6.1.2.1.31.1.1.1.1.2 = STRING: "Gi1/0/2"
"""


def _import(src: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    assert main(["snapshot", "import", str(src), "-o", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    return {line.split(":", 1)[0]: line for line in lines if not line.startswith(" ")}


def _librenms(corpus_dir: Path, stem: str) -> Path:
    path = corpus_dir / "snmp" / "librenms" / f"{stem}.snmprec"
    if not path.is_file():
        pytest.skip(f"{path} not in the corpus")
    return path


def test_snmprec_saved_as_snmpwalk_txt_is_read_as_snmprec(
    corpus_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "raw" / "devices" / "acc1"
    src.mkdir(parents=True)
    shutil.copy(_librenms(corpus_dir, "ios_2960x"), src / "snmpwalk.txt")
    reference = json.loads((corpus_dir / "snmp/librenms/ios_2960x.json").read_text())
    ports = len(reference["ports"]["discovery"]["ports"])
    lines = _import(tmp_path / "raw", tmp_path / "snap", capsys)
    assert (tmp_path / "snap/devices/acc1/snmpwalk.snmprec").is_file()
    assert not (tmp_path / "snap/devices/acc1/snmpwalk.txt").exists()
    line = lines["acc1"]
    assert "switch" in line and "snmp" in line
    assert f"ports {ports}," in line
    # LLDP is not in this recording: the summary names the MIB to walk
    assert "missing lldp (walk LLDP-MIB 1.0.8802.1.1.2)" in line
    # read as snmpwalk text this file gave one warning per line; now none
    assert main(["show", "ports", str(tmp_path / "snap"), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)["rows"]) == ports
    assert "warning" not in captured.err


def test_snmprec_under_any_name_and_numeric_walk_under_any_name(
    corpus_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "raw" / "devices"
    (raw / "core1").mkdir(parents=True)
    (raw / "acc2").mkdir()
    shutil.copy(_librenms(corpus_dir, "arista_eos"), raw / "core1" / "arista-2024-05.snmprec")
    (raw / "acc2" / "acc2 walk.walk").write_text(WALK)
    reference = json.loads((corpus_dir / "snmp/librenms/arista_eos.json").read_text())
    vlans = len(reference["vlans"]["discovery"]["vlans"])
    lines = _import(tmp_path / "raw", tmp_path / "snap", capsys)
    assert f"vlans {vlans}" in lines["core1"]
    assert (tmp_path / "snap/devices/acc2/snmpwalk.txt").is_file()
    assert "tables facts, ports 2" in lines["acc2"]
    assert main(["show", "ports", str(tmp_path / "snap"), "--format", "json"]) == 0
    rows = [r for r in json.loads(capsys.readouterr().out)["rows"] if r["device"] == "acc2"]
    assert [r["port"] for r in rows] == ["GigabitEthernet1/0/1", "GigabitEthernet1/0/2"]


def test_platform_detected_from_show_version_and_missing_tables_name_their_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dev = tmp_path / "raw" / "devices" / "nx1"
    dev.mkdir(parents=True)
    (dev / "show version.txt").write_text(
        "Cisco Nexus Operating System (NX-OS) Software\nTAC support: http://www.cisco.com\n"
    )
    lines = _import(tmp_path / "raw", tmp_path / "snap", capsys)
    line = lines["nx1"]
    assert "cisco_nxos (from show version)" in line
    assert "lldp (save 'show lldp neighbors detail')" in line
    assert "macs (save 'show mac address-table')" in line
    assert "mlag (save 'show vpc')" in line


def test_unknown_platform_is_answered_with_the_known_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dev = tmp_path / "raw" / "devices" / "odd1"
    dev.mkdir(parents=True)
    (dev / "platform").write_text("acme_os\n")
    (dev / "show vlan.txt").write_text("VLAN Name\n1 default\n")
    lines = _import(tmp_path / "raw", tmp_path / "snap", capsys)
    assert (
        "platform 'acme_os' unknown (known: arista_eos, cisco_ios, cisco_nxos, juniper_junos)"
    ) in lines["odd1"]
    # a near miss: the same file beside a show version that names the platform
    (dev / "show version.txt").write_text("Arista DCS-7050TX-64\nSoftware image version: 4.2\n")
    lines = _import(tmp_path / "raw", tmp_path / "snap2", capsys)
    assert "platform 'acme_os' unknown (show version says arista_eos)" in lines["odd1"]


def test_repeated_warnings_are_capped_with_a_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dev = tmp_path / "raw" / "devices" / "bad1"
    dev.mkdir(parents=True)
    # a walk whose later records lost their values: one warning per record
    broken = "".join(f".1.3.6.1.2.1.2.2.1.1.{n} = INTEGER: x{n}\n" for n in range(1, 2001))
    (dev / "snmpwalk.txt").write_text(WALK + broken)
    assert main(["snapshot", "import", str(tmp_path / "raw"), "-o", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    warnings = [line for line in out.splitlines() if line.startswith("  warning:")]
    assert len(warnings) == 4
    assert "1,997 more like: bad1: " in warnings[-1]


def test_capture_format_by_content() -> None:
    assert capture_format("1.3.6.1.2.1.1.5.0|4|sw1\n1.3.6.1.2.1.1.3.0|67|100\n") == "snmprec"
    assert capture_format('iso.3.6.1.2.1.1.5.0 = STRING: "sw1"\n') == "snmpwalk"
    assert capture_format('SNMPv2-SMI::mib-2.1.5.0 = STRING: "sw1"\n') == "snmpwalk"
    # near misses: CLI output that mentions OIDs, an empty file
    assert capture_format("snmp-server view all 1.3.6.1 included\nend\n") is None
    assert capture_format("") is None


def test_cap_warnings_keeps_distinct_kinds_apart() -> None:
    lines = [f"sw1: a.txt:{n}: bad 'x{n}'" for n in range(10)] + ["sw1: b.txt: missing"]
    capped = cap_warnings(lines, limit=2)
    assert capped == [
        "sw1: a.txt:0: bad 'x0'",
        "sw1: a.txt:1: bad 'x1'",
        "... and 8 more like: sw1: a.txt:0: bad 'x0'",
        "sw1: b.txt: missing",
    ]
