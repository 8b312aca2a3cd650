"""Conformance on real captures (``../shared/corpus``): raw outputs from ntc-templates' and
NAPALM's test data normalize to the entries their projects expect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from xsfabric.names import canonical_interface, normalize_mac
from xsfabric.switch.cli_tables import (
    fdb_from_rows,
    join_local_ports,
    lldp_from_rows,
    vlans_from_rows,
)
from xsfabric.switch.cli_values import vlan_ranges
from xsfabric.switch.napalm_parse import fdb_from_napalm, lldp_from_napalm, vlans_from_napalm
from xsfabric.switch.textfsm_parse import parse_output

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def _cases(pattern: str) -> list[Path]:
    return sorted(CORPUS.glob(pattern)) if CORPUS.is_dir() else []


def _skip_without_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"conformance corpus not found at {CORPUS}")


def _unicast(mac: str) -> bool:
    return not int(mac.split(":", maxsplit=1)[0], 16) & 1


# -- NAPALM: the raw CLI text, parsed by xsfabric's CLI path, gives NAPALM's expected result --

@pytest.mark.parametrize("case", _cases("napalm/*/get_mac_address_table/*"),
                         ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_napalm_mac_tables(case: Path) -> None:
    _skip_without_corpus()
    platform = {"ios": "cisco_ios", "nxos_ssh": "cisco_nxos"}[case.parts[-3]]
    expected = fdb_from_napalm(json.loads((case / "expected_result.json").read_text()))
    raw = (case / "show_mac_address_table.txt").read_text()
    got = fdb_from_rows(parse_output(platform, "show mac address-table", raw))
    # unicast only: ntc-templates keeps the first port of a multi-port multicast/broadcast
    # entry (continuation lines), and such entries never place a host NIC
    key = {(e.mac, e.vlan, e.port, e.entry_type) for e in expected if _unicast(e.mac)}
    # multiple_interfaces: a unicast MAC on "Po2 Eth1/1" keeps both ports (xsfabric's own
    # cisco_nxos template; ntc-templates' kept only the first)
    assert {(e.mac, e.vlan, e.port, e.entry_type) for e in got if _unicast(e.mac)} == key
    assert all(e.mac == e.mac.lower() and e.mac.count(":") == 5 for e in got)


@pytest.mark.parametrize("case", _cases("napalm/ios/get_lldp_neighbors_detail/*"),
                         ids=lambda p: p.name)
def test_napalm_lldp_detail(case: Path) -> None:
    _skip_without_corpus()
    expected = lldp_from_napalm(json.loads((case / "expected_result.json").read_text()))
    raw = (case / "show_lldp_neighbors_detail.txt").read_text()
    rows = parse_output("cisco_ios", "show lldp neighbors detail", raw)
    # older IOS: the local ports are only in 'show lldp neighbors', joined as NAPALM does
    summary = parse_output("cisco_ios", "show lldp neighbors",
                           (case / "show_lldp_neighbors.txt").read_text())
    got = lldp_from_rows(join_local_ports(rows, summary))
    assert sorted((n.local_port, n.chassis_id, n.port_id, n.system_name) for n in got) == \
        sorted((n.local_port, n.chassis_id, n.port_id, n.system_name) for n in expected)


@pytest.mark.parametrize("case", _cases("napalm/ios/get_vlans/*"), ids=lambda p: p.name)
def test_napalm_vlans(case: Path) -> None:
    _skip_without_corpus()
    expected = vlans_from_napalm(json.loads((case / "expected_result.json").read_text()))
    raw = (case / "show_vlan_all_ports.txt").read_text()
    got = vlans_from_rows(parse_output("cisco_ios", "show vlan", raw))
    assert sorted(v.vlan_id for v in got) == [v.vlan_id for v in expected]
    # names with spaces ("Vlan 795") too: xsfabric's own cisco_ios show vlan template
    assert {v.vlan_id: v.name for v in got} == {v.vlan_id: v.name for v in expected}


# -- ntc-templates: the raw text, through xsfabric's lookup and normalization, gives the
#    entries of ntc-templates' own expected parse ------------------------------------------

def _ntc_cases(command_dir: str) -> list[Path]:
    return _cases(f"ntc-templates/{command_dir}/*.raw")


def _expected(raw: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = yaml.safe_load(raw.with_suffix(".yml").read_text())[
        "parsed_sample"]
    return rows


MAC_DIRS = ["cisco_ios/show_mac-address-table", "cisco_nxos/show_mac_address-table",
            "arista_eos/show_mac_address-table", "juniper_junos/show_ethernet-switching_table"]


@pytest.mark.parametrize("raw", [r for d in MAC_DIRS for r in _ntc_cases(d)],
                         ids=lambda p: p.name)
def test_ntc_mac_tables(raw: Path) -> None:
    _skip_without_corpus()
    platform, command = raw.parts[-3], raw.parts[-2].replace("_", " ")
    expected_rows = [dict(r) for r in _expected(raw)]
    # Junos prints VLAN names; xsfabric resolves them with "show vlans", which these captures
    # lack: the names ntc-templates reads as tags ("Vlan100" → 100) stand in for it
    tags = {f"Vlan{r['vlan_id']}": int(str(r["vlan_id"])) for r in expected_rows
            if str(r.get("vlan_id") or "").isdigit()}
    got = fdb_from_rows(parse_output(platform, command, raw.read_text()), tags)
    want = fdb_from_rows(expected_rows)
    assert sorted((e.mac, e.vlan, e.port) for e in got) == \
        sorted((e.mac, e.vlan, e.port) for e in want)
    assert len(got) >= 1


LLDP_DIRS = ["cisco_ios/show_lldp_neighbors_detail", "arista_eos/show_lldp_neighbors_detail"]


@pytest.mark.parametrize("raw", [r for d in LLDP_DIRS for r in _ntc_cases(d)],
                         ids=lambda p: p.name)
def test_ntc_lldp_detail(raw: Path) -> None:
    _skip_without_corpus()
    platform, command = raw.parts[-3], raw.parts[-2].replace("_", " ")
    got = lldp_from_rows(parse_output(platform, command, raw.read_text()))
    expected = [r for r in _expected(raw) if r.get("local_interface")]
    assert [n.local_port for n in got] == [canonical_interface(str(r["local_interface"]))
                                           for r in expected]
    assert [n.chassis_id for n in got] == [normalize_mac(str(r.get("chassis_id") or ""))
                                           for r in expected]


@pytest.mark.parametrize("raw", _ntc_cases("cisco_ios/show_interfaces_switchport"),
                         ids=lambda p: p.name)
def test_ntc_switchport(raw: Path) -> None:
    _skip_without_corpus()
    rows = parse_output("cisco_ios", "show interfaces switchport", raw.read_text())
    expected = _expected(raw)
    assert [canonical_interface(str(r["interface"])) for r in rows] == \
        [canonical_interface(str(r["interface"])) for r in expected]
    for row, want in zip(rows, expected, strict=True):
        assert vlan_ranges(row["trunking_vlans"]) == vlan_ranges(
            [str(v) for v in want.get("trunking_vlans") or []])  # type: ignore[union-attr]
