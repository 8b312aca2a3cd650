"""Estate changes in diffs (`xsfabric diff OLD NEW`, `audit NEW --reference OLD`): NICs that
moved ports, VLAN changes on host ports, zone members, LUN maps.

Two snapshots of the demo estate with its switches, FC fabrics and array, generated from the
lab estate spec; the second differs by exactly one cable, one VLAN, one zone member and one
LUN map, each edited in the spec here. The expected changes are written from those edits (the
demo spec names the ports, aliases' WWPNs and igroups), and an unchanged pair reports none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from xsfabric.audit import DEMO_ESTATE, DEMO_POLICY
from xsfabric.cli import main
from xsfabric.lab.estate import parse_estate
from xsfabric.lab.switch_gen import write_switches
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.schemas import validate
from xsfabric.yamlfile import load_yaml

Edit = Callable[[dict[str, Any]], None]


def _build(root: Path, edit: Edit | None = None) -> Path:
    spec = load_yaml(DEMO_ESTATE)
    if edit is not None:
        edit(spec)
    estate = parse_estate(spec)
    write_estate(estate, root / "src")
    write_switches(estate, root / "src")
    argv = ["snapshot", "import", str(root / "src"), "-o", str(root / "snapshot")]
    assert main([*argv, "--policy", str(DEMO_POLICY)]) == 0
    return root / "snapshot"


def _entry(items: list[dict[str, Any]], **match: Any) -> dict[str, Any]:
    found = [i for i in items if all(i.get(k) == v for k, v in match.items())]
    assert len(found) == 1, match
    return found[0]


def one_of_each(spec: dict[str, Any]) -> None:
    """xs-prod-01 eth0 recabled from prod-tor1 Ethernet1/1 to Ethernet1/5; VLAN 300 added on
    prod-tor2 Ethernet12 (xs-prod-02 eth2); fas_0c (50:0a:09:81:80:00:00:03) added to zone
    z_xs_prod_02_a of fabric A; the map of /vol/legacy/lun0 to igroup legacy_b (LUN 4,
    xs-prod-02 only) removed."""
    switches = {s["name"]: s for s in spec["switches"]}
    cable = _entry(switches["prod-tor1"]["cabling"], pool="prod", nic="eth0", host=1)
    cable["port"] = "Ethernet1/5"
    port = _entry(switches["prod-tor2"]["cabling"], pool="prod", nic="eth2", host=2)
    port["extra_vlans"] = [300]
    fabric = next(f for f in spec["fabrics"] if f["name"] == "san-a")
    fabric["zones"]["z_xs_prod_02_a"] = ["xs_prod_02_a", "fas_0a", "fas_0c"]
    svm = next(v for v in spec["arrays"][0]["svms"] if v["name"] == "svm_prod")
    svm["maps"] = [m for m in svm["maps"] if m["igroup"] != "legacy_b"]


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("estate-before"))


@pytest.fixture(scope="module")
def after(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("estate-after"), one_of_each)


@pytest.fixture(scope="module")
def diff_json(before: Path, after: Path) -> dict[str, Any]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["diff", str(before), str(after), "--format", "json"])
    doc: dict[str, Any] = json.loads(out.getvalue())
    return doc


def test_one_cable_moved(diff_json: dict[str, Any]) -> None:
    changes = diff_json["changes"]
    assert changes["not_compared"] == {}
    assert [(m["host"], m["pif"], m["old"], m["new"]) for m in changes["nics_moved"]] == [
        (
            "xs-prod-01",
            "eth0",
            {"switch": "prod-tor1", "port": "Ethernet1/1", "status": "placed"},
            {"switch": "prod-tor1", "port": "Ethernet1/5", "status": "placed"},
        )
    ]


def test_one_vlan_added_on_a_host_port(diff_json: dict[str, Any]) -> None:
    vlans = diff_json["changes"]["vlans_changed"]
    assert len(vlans) == 1
    change = vlans[0]
    assert (change["switch"], change["port"], change["host"], change["pif"]) == (
        "prod-tor2",
        "Ethernet12",
        "xs-prod-02",
        "eth2",
    )
    assert change["old"]["allowed_vlans"] == [1, 20]  # the storage trunk of the demo spec
    assert change["new"]["allowed_vlans"] == [1, 20, 300]
    assert (change["vlans_added"], change["vlans_removed"]) == ([300], [])


def test_one_zone_member_added(diff_json: dict[str, Any]) -> None:
    assert diff_json["changes"]["zones_changed"] == [
        {
            "fabric": "FAB_A",
            "zone": "z_xs_prod_02_a",
            "zone_change": "members",
            "state_before": "effective",
            "state_after": "effective",
            "members_added": ["50:0a:09:81:80:00:00:03"],
            "members_removed": [],
        }
    ]


def test_one_lun_map_removed(diff_json: dict[str, Any]) -> None:
    maps = diff_json["changes"]["lun_maps"]
    assert maps["added"] == []
    assert [
        (m["array"], m["volume"], m["lun_id"], m["igroup"], m["host"]) for m in maps["removed"]
    ] == [("fas1", "/vol/legacy/lun0", 4, "legacy_b", "xs-prod-02")]


def test_unchanged_pair_reports_no_change(before: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    main(["diff", str(before), str(before), "--format", "json"])
    changes = json.loads(capsys.readouterr().out)["changes"]
    assert changes == {
        "not_compared": {},
        "nics_moved": [],
        "vlans_changed": [],
        "zones_changed": [],
        "lun_maps": {"added": [], "removed": []},
    }
    main(["diff", str(before), str(before)])
    out = capsys.readouterr().out
    assert "0 estate change(s)" in out and "NICs moved" not in out


def test_text_and_html_show_each_change(
    before: Path, after: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    main(["diff", str(before), str(after)])
    out = capsys.readouterr().out
    assert "4 estate change(s)" in out
    moved = out.split("NICs moved", 1)[1]
    assert "xs-prod-01 eth0 (" in moved
    assert "prod-tor1 Ethernet1/1 → prod-tor1 Ethernet1/5" in moved
    assert "prod-tor2 Ethernet12 (xs-prod-02 eth2): trunk native 1 allowed 1,20 → " in out
    assert "(+300)" in out
    assert "FAB_A zone z_xs_prod_02_a +50:0a:09:81:80:00:00:03" in out
    assert "- fas1 /vol/legacy/lun0 LUN 4 → " in out and "(xs-prod-02) igroup legacy_b" in out
    page = tmp_path / "diff.html"
    main(["diff", str(before), str(after), "--format", "html", "--output", str(page)])
    html = page.read_text()
    section = html.split('id="changes"', 1)[1].split("</section>", 1)[0]
    for table in ("nics-moved", "vlans-changed", "zones-changed", "maps-changed"):
        body = section.split(f'id="{table}"', 1)[1].split("</tbody>", 1)[0]
        assert body.count("<tr>") == 2, table  # the header row and the one change
    assert "Ethernet1/5" in section and "50:0a:09:81:80:00:00:03" in section
    # the NEW side's cabling map draws the moved NIC dashed, and only that one
    dashed = re.findall(r'<path class="link[^"]* moved"[^>]*data-nic="([^"]+)"', html)
    assert dashed == ["xs-prod-01/eth0"]
    assert "moved since the reference (was prod-tor1 Ethernet1/1)" in html


def test_audit_with_reference_folder_and_json_report(
    before: Path, after: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    main(["audit", str(after), "--format", "json", "--reference", str(before)])
    doc = json.loads(capsys.readouterr().out)
    validate("findings", doc, where="report with estate changes")
    changes = doc["baseline"]["changes"]
    assert [m["pif"] for m in changes["nics_moved"]] == ["eth0"]
    assert len(changes["vlans_changed"]) == len(changes["zones_changed"]) == 1
    # a JSON report as the reference holds no tables: not compared, and said so
    old_report = tmp_path / "old.json"
    main(["audit", str(before), "--format", "json", "--output", str(old_report)])
    capsys.readouterr()
    main(["audit", str(after), "--format", "json", "--reference", str(old_report)])
    changes = json.loads(capsys.readouterr().out)["baseline"]["changes"]
    assert set(changes) == {"not_compared"}
    assert set(changes["not_compared"]) == {"cabling", "zones", "maps"}
    assert "JSON report" in changes["not_compared"]["cabling"]


def test_audit_text_with_reference_lists_the_changes(
    before: Path, after: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    main(["audit", str(after), "--reference", str(before), "--no-color"])
    out = capsys.readouterr().out
    assert "4 estate change(s) since the reference" in out
    assert "prod-tor1 Ethernet1/1 → prod-tor1 Ethernet1/5" in out
