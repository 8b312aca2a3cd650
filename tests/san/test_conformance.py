"""Conformance on real FC switch outputs (``../shared/corpus``).

Brocade: every ``.txt`` parses, and our rows match brocadesan's ``.yml`` beside it through a
field mapping written out below (their ``domain_id: 0`` marks a local name-server entry; they
collapse runs of spaces in the switchshow comment; they do not parse effective zones, which
are checked against the raw text instead). Cisco MDS (cisco.nxos fixtures, no expected parse):
values are written from the raw text.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from xsfabric.san.model import MemberKind, PortRole
from xsfabric.san.parse import (
    BROCADE,
    MDS,
    DeviceCaptures,
    brocade_view,
    mds_views,
    split_members,
)
from xsfabric.switch.textfsm_parse import parse_output


def _yml(path: Path) -> Any:
    # brocadesan's files are Ruby-style YAML with ":key" names (and a tab Ruby tolerates)
    return yaml.safe_load(path.read_text().replace("\t", " "))


def _rows(platform: str, command: str, text: str) -> list[dict[str, Any]]:
    return parse_output(platform, command, text)


@pytest.fixture(scope="module")
def brocade(corpus_dir: Path) -> Path:
    folder = corpus_dir / "brocade-fos"
    if not folder.is_dir():
        pytest.skip("no brocade-fos corpus")
    return folder


@pytest.fixture(scope="module")
def mds(corpus_dir: Path) -> Path:
    folder = corpus_dir / "cisco-mds"
    if not folder.is_dir():
        pytest.skip("no cisco-mds corpus")
    return folder


@pytest.mark.parametrize("name", ["cfgshow_1", "cfgshow_2"])
def test_brocade_cfgshow_matches_brocadesan(brocade: Path, name: str) -> None:
    rows = _rows(BROCADE, "cfgshow", (brocade / f"{name}.txt").read_text())
    expected = _yml(brocade / f"{name}.yml")
    ours: dict[str, dict[str, dict[str, list[str]]]] = {}
    for row in rows:
        section = f":{row['section'].lower()}_configuration"
        ours.setdefault(section, {}).setdefault(f":{row['type']}", {})[row["name"]] = split_members(
            row["members"]
        )
    assert ours[":defined_configuration"] == expected[":defined_configuration"]
    # brocadesan records only the effective cfg name
    assert {k: list(v) for k, v in ours[":effective_configuration"][":cfg"].items()} == {
        k: [] for k in expected[":effective_configuration"][":cfg"]
    }


def test_brocade_cfgshow_effective_zones_from_the_raw_text(brocade: Path) -> None:
    caps = DeviceCaptures(
        "sw",
        BROCADE,
        {"cfgshow": _rows(BROCADE, "cfgshow", (brocade / "cfgshow_2.txt").read_text())},
    )
    view = brocade_view(caps)
    assert view.effective_name == "AIS_IDA_SANA"
    assert view.effective_zones is not None and view.defined_zones is not None
    assert {z: [m.value for m in zone.members] for z, zone in view.effective_zones.items()} == {
        "zone1": ["50:01:43:80:03:bc:68:00", "50:01:43:80:12:0e:2b:60"],
        "zone2": ["50:01:43:80:03:bc:68:00", "50:01:43:80:12:0e:25:18"],
        "zone3": ["50:01:43:80:12:0e:25:18", "50:01:43:80:18:69:33:70"],
    }
    # zone5 is defined but in no cfg; its members are aliases
    assert [(m.kind, m.value) for m in view.defined_zones["zone5"].members] == [
        (MemberKind.ALIAS, "alias1"),
        (MemberKind.ALIAS, "alias4"),
    ]
    assert view.defined_sets is not None
    assert view.defined_sets["AIS_IDA_SANA"].zones == ("zone1", "zone2", "zone3")


def test_brocade_fabricshow_matches_brocadesan(brocade: Path) -> None:
    rows = _rows(BROCADE, "fabricshow", (brocade / "fabricshow_1.txt").read_text())
    expected = _yml(brocade / "fabricshow_1.yml")
    ours = [
        {
            ":domain_id": r["domain"],
            ":sid": r["sid"],
            ":wwn": r["wwn"],
            ":eth_ip": r["eth_ip"],
            ":fc_ip": r["fc_ip"],
            ":name": r["name"],
            ":local": r["local"] == ">",
        }
        for r in rows
    ]
    assert ours == expected[":fabric"]
    assert {r["fabric_name"] for r in rows} == {expected[":fabric_name"]}


def test_brocade_nsshow_and_nscamshow_match_brocadesan(brocade: Path) -> None:
    text = (brocade / "ns_1.txt").read_text()
    local_text, _, remote_text = text.partition("> nscamshow")
    local = _rows(BROCADE, "nsshow -t", local_text)
    remote = _rows(BROCADE, "nscamshow -t", "> nscamshow" + remote_text)
    expected = _yml(brocade / "ns_1.yml")

    def mapped(rows: list[dict[str, Any]], domain: int | None) -> list[dict[str, Any]]:
        return [
            {
                ":value": r["port_name"],
                ":domain_id": domain if domain is not None else int(r["domain"]),
                ":symbol": r["port_symb"],
                ":dev_type": r["device_type"],
                ":port_index": int(r["port_index"]),
            }
            for r in rows
        ]

    assert mapped(local, 0) == expected[":wwn_local"]
    assert mapped(remote, None) == expected[":wwn_remote"]


@pytest.mark.parametrize("name", ["switch_1", "switch_2"])
def test_brocade_switchshow_matches_brocadesan(brocade: Path, name: str) -> None:
    rows = _rows(BROCADE, "switchshow", (brocade / f"{name}.txt").read_text())
    expected = _yml(brocade / f"{name}.yml")
    head = rows[0]
    for ours, theirs in (
        ("switch_name", ":switch_name"),
        ("switch_type", ":switch_type"),
        ("switch_state", ":switch_state"),
        ("switch_role", ":switch_role"),
        ("switch_domain", ":switch_domain"),
        ("switch_wwn", ":switch_wwn"),
        ("active_config", ":active_config"),
    ):
        assert str(head[ours]) == str(expected[theirs]), ours
    assert (head["zoning"] == "ON") is expected[":zoning_enabled"]
    ports = []
    for r in rows:
        port = {
            ":index": int(r["index"]),
            ":port": int(r["port"]),
            ":address": r["address"],
            ":media": r["media"],
            ":speed": r["speed"],
            ":state": r["state"],
            ":proto": r["proto"],
            ":comment": " ".join(r["comment"].split()),
        }
        if r["slot"]:
            port[":slot"] = int(r["slot"])
        ports.append(port)
    assert ports == expected[":ports"]


def test_brocade_corpus_views_have_logins_with_roles(brocade: Path) -> None:
    text = (brocade / "ns_1.txt").read_text()
    local_text, _, remote_text = text.partition("> nscamshow")
    caps = DeviceCaptures(
        "IDAA1C01",
        BROCADE,
        {
            "nsshow": _rows(BROCADE, "nsshow", local_text),
            "nscamshow": _rows(BROCADE, "nscamshow", "> nscamshow" + remote_text),
            "fabricshow": _rows(BROCADE, "fabricshow", (brocade / "fabricshow_1.txt").read_text()),
            "switchshow": _rows(BROCADE, "switchshow", (brocade / "switch_1.txt").read_text()),
        },
    )
    view = brocade_view(caps)
    assert view.logins is not None and view.logins_complete
    assert len(view.logins) == 6
    login = view.logins["50:00:1f:e1:50:21:cf:d8"]
    assert (login.role, login.domain, login.switch) == (PortRole.TARGET, 2, "")
    assert view.logins["50:00:1f:e1:50:12:c4:e8"].switch == "IDAA1C01"
    assert (view.zoning_enabled, view.domain, view.fabric_name) == (True, 1, "ENV2 VPC Lab - Fab B")
    assert view.principal_wwn == view.switch_wwn == "10:00:00:05:1e:4c:24:00"


def _mds_caps(mds: Path) -> DeviceCaptures:
    files = {
        "zoneset_active": ("show zoneset active vsan 50", "show_zoneset_active_vsan.out"),
        "zone": ("show zone vsan 50", "show_zone_vsan.out"),
        "zone_status": ("show zone status vsan 50", "show_zone_status_vsan.out"),
        "device_alias": ("show device-alias database", "shdadatabse.cfg"),
    }
    return DeviceCaptures(
        "mds1", MDS, {t: _rows(MDS, c, (mds / f).read_text()) for t, (c, f) in files.items()}
    )


def test_mds_zoning_from_the_raw_text(mds: Path) -> None:
    (view,) = mds_views(_mds_caps(mds))
    raw_active = (mds / "show_zoneset_active_vsan.out").read_text()
    raw_zone = (mds / "show_zone_vsan.out").read_text()
    assert (view.vsan, view.default_zone, view.smart_zoning) == (50, "deny", False)
    assert view.effective_name == "z50_csphfab1_zoneset" and view.zoning_enabled
    assert view.effective_zones is not None and view.defined_zones is not None
    assert len(view.effective_zones) == raw_active.count("  zone name ")
    assert len(view.defined_zones) == raw_zone.count("zone name ")
    zone = view.effective_zones["z50_azplcbsx000652_san01-azsncbsx02_0ac"]
    assert [(m.value, m.logged_in) for m in zone.members] == [
        ("21:00:f4:e9:d4:57:6e:66", True),
        ("20:12:00:a0:98:42:fa:8c", False),
        ("20:32:00:a0:98:fa:42:8c", True),
        ("20:13:00:a0:98:fa:42:8c", True),
        ("20:33:00:a0:98:fa:42:8c", True),
    ]
    assert zone.members[0].fcid == "0x321240"
    defined = view.defined_zones["z50_azplwebodb01_f0_unity1773_spa3_spb2"]
    assert [(m.via, m.value) for m in defined.members] == [
        ("azseunty8174_SPA3", "50:06:01:63:47:e4:22:97"),
        ("azseunty8174_SPB2", "50:06:01:6a:47:e4:22:97"),
        ("azplwebdb01_f0", "21:00:00:24:ff:0c:58:37"),
    ]
    assert view.device_aliases == {
        "test1_add": "56:02:22:11:22:88:11:67",
        "test2_add": "65:22:22:11:22:22:11:0d",
        "tieHost-1": "10:00:00:00:89:a1:01:01",
        "tieHost-2": "10:00:00:00:89:a1:01:02",
    }


def test_mds_smart_zoning_roles(mds: Path) -> None:
    caps = DeviceCaptures(
        "mds1", MDS, {"zone": _rows(MDS, "show zone", (mds / "shzone_bug339.cfg").read_text())}
    )
    (view,) = mds_views(caps)
    assert view.vsan == 100 and view.defined_zones is not None
    zone = view.defined_zones["SZ-WLD-IAAS1-HUABVA07"]
    assert [(m.value, m.role) for m in zone.members] == [
        (f"20:00:00:25:b5:10:a0:0{i}", "init") for i in range(4)
    ]


def test_mds_device_alias_status(mds: Path) -> None:
    caps = DeviceCaptures(
        "mds1",
        MDS,
        {
            "device_alias_status": _rows(
                MDS, "show device-alias status", (mds / "shdastatus.cfg").read_text()
            ),
            "zone_status": _rows(MDS, "show zone status", (mds / "shzonestatus_1.cfg").read_text()),
        },
    )
    (view,) = mds_views(caps)
    assert (view.vsan, view.device_alias_mode) == (922, "enhanced")


def test_mds_zone_status_enhanced(mds: Path) -> None:
    rows = _rows(MDS, "show zone status", (mds / "shzonestatus_1.cfg").read_text())
    assert [(r["vsan"], r["default_zone"], r["mode"], r["active_zoneset"]) for r in rows] == [
        ("922", "deny", "enhanced", "zsetname21")
    ]


def test_mds_flogi_through_ntc_templates(corpus_dir: Path) -> None:
    raw = corpus_dir / "ntc-templates/cisco_nxos/show_flogi_database"
    if not raw.is_dir():
        pytest.skip("no flogi capture in the corpus")
    text = (raw / "cisco_nxos_show_flogi_database.raw").read_text()
    (view,) = mds_views(
        DeviceCaptures("sw1", MDS, {"flogi": _rows(MDS, "show flogi database", text)})
    )
    assert view.vsan == 10 and view.logins is not None and not view.logins_complete
    assert len(view.logins) == 21
    assert view.logins["aa:bb:cc:dd:ee:ff:01:12"].port == "fc1/45"


def test_mds_imported_as_nxos_is_a_fabric_not_a_switch(mds: Path, tmp_path: Path) -> None:
    """An MDS imported with the Nexus platform name: a fabric, and no Ethernet warnings."""
    from xsfabric.importer import import_source
    from xsfabric.model.estate import load_estate
    from xsfabric.snapshot import Snapshot, SnapshotWriter, command_filename

    device = tmp_path / "src" / "devices" / "mds-a"
    device.mkdir(parents=True)
    (device / "platform").write_text("cisco_nxos\n")
    for command, name in (
        ("show zoneset active vsan 50", "show_zoneset_active_vsan.out"),
        ("show zone status vsan 50", "show_zone_status_vsan.out"),
    ):
        shutil.copy(mds / name, device / command_filename(command))
    with SnapshotWriter(tmp_path / "snap", command="import") as writer:
        import_source(writer, tmp_path / "src")
        path = writer.commit()
    snapshot = Snapshot.open(path)
    assert [d["kind"] for d in snapshot.devices()] == ["fc-switch"]
    estate = load_estate(snapshot)
    assert "mds-a" not in estate.switches
    assert [f.name for f in estate.fabrics] == ["mds-a VSAN 50"]
    assert not [w for w in estate.warnings if "mds-a" in w]


@pytest.mark.parametrize(
    ("files", "platform", "expected"),
    [
        (
            {"show version": "Hardware\n  cisco MDS 9148S 16G 48 FC (1 Slot) Chassis\n"},
            "cisco_nxos",
            True,
        ),
        (
            {
                "show version": "Hardware\n  cisco Nexus9000 C93180YC-EX chassis\n",
                "show interface": "Ethernet1/1 is up\n",
            },
            "cisco_nxos",
            False,
        ),
        ({"show zoneset active": "zoneset name z vsan 1\n"}, None, True),
        ({"nsshow": "{\n}\n"}, None, True),
        ({"nsshow": "{\n}\n"}, "cisco_ios", False),
        ({"show version": "Cisco IOS Software\n"}, None, False),
        # a Nexus with FC ports: its Ethernet tables were saved, it stays a switch
        (
            {
                "show flogi database": "\n",
                "show mac address-table": "\n",
                "show version": "cisco Nexus5548 Chassis\n",
            },
            "cisco_nxos",
            False,
        ),
        (
            {
                "show flogi database": "\n",
                "show mac address-table": "\n",
                "show version": "cisco MDS 9396S 16G FC (2 RU) Chassis\n",
            },
            "cisco_nxos",
            True,
        ),
    ],
)
def test_fc_switch_recognised_from_its_captures(
    tmp_path: Path, files: dict[str, str], platform: str | None, expected: bool
) -> None:
    from xsfabric.san.parse import looks_like_fc_switch
    from xsfabric.snapshot import command_filename

    for command, text in files.items():
        (tmp_path / command_filename(command)).write_text(text)
    assert looks_like_fc_switch(tmp_path, platform) is expected


def test_mds_recorded_as_switch_gets_no_ethernet_table_warning(
    mds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A snapshot written before MDS recognition (kind ``switch``, platform cisco_nxos):
    ``show macs`` no longer warns "macs not available" for it; it is a fabric."""
    from xsfabric.cli import main
    from xsfabric.model.estate import load_estate
    from xsfabric.snapshot import DeviceKind, Snapshot, SnapshotWriter

    with SnapshotWriter(tmp_path / "snap") as writer:
        writer.device("mds-a", DeviceKind.SWITCH, "cisco_nxos", ["cli"])
        writer.write_device_platform("mds-a", "cisco_nxos")
        writer.write_device_output(
            "mds-a", "show zone status vsan 50", (mds / "show_zone_status_vsan.out").read_text()
        )
        path = writer.commit()
    assert main(["show", "macs", str(path)]) == 0
    assert "mds-a" not in capsys.readouterr().err
    estate = load_estate(Snapshot.open(path))
    assert [f.name for f in estate.fabrics] == ["mds-a VSAN 50"] and not estate.switches


def test_mds_fcid_member_is_the_same_in_defined_and_active_copies() -> None:
    zone_text = "zone name z vsan 20\n  fcid 0x640500\n  pwwn 50:0a:09:82:00:00:00:01\n"
    active_text = (
        "zoneset name ZS vsan 20\n  zone name z vsan 20\n  * fcid 0x640500\n"
        "  * fcid 0x640200 [pwwn 50:0a:09:82:00:00:00:01]\n"
    )
    set_text = "zoneset name ZS vsan 20\n" + "".join(
        f"  {line}\n" for line in zone_text.splitlines()
    )
    (view,) = mds_views(
        DeviceCaptures(
            "mds",
            MDS,
            {
                "zone": _rows(MDS, "show zone", zone_text),
                "zoneset": _rows(MDS, "show zoneset", set_text),
                "zoneset_active": _rows(MDS, "show zoneset active", active_text),
            },
        )
    )
    assert view.effective_zones is not None and view.defined_zones is not None
    active = [(m.kind, m.value, m.logged_in) for m in view.effective_zones["z"].members]
    assert active == [
        (MemberKind.PORT, "fcid 0x640500", True),
        (MemberKind.WWPN, "50:0a:09:82:00:00:00:01", True),
    ]
    assert [(m.kind, m.value) for m in view.defined_zones["z"].members] == [
        (k, v) for k, v, _ in active
    ]


def test_unexpected_value_is_a_warning_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xsfabric.san import parse

    (tmp_path / "platform").write_text("cisco_nxos\n")
    (tmp_path / "show zone status.txt").write_text(
        "VSAN: 20 default-zone: deny distribute: full Interop: default\n"
    )

    def broken(caps: DeviceCaptures) -> list[object]:
        raise ValueError("invalid literal for int() with base 10: 'x'")

    monkeypatch.setattr(parse, "mds_views", broken)
    views, warnings = parse.parse_fc_device(tmp_path, "mds9", "cisco_nxos")
    assert views == [] and warnings == [
        "fc-switch mds9: unexpected value in the captures (ValueError: invalid literal for "
        "int() with base 10: 'x'); not read"
    ]
