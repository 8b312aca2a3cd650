"""Pool hosts' initiators: HBA listings in the shapes dom0 commands print them, WWPN
normalisation, inventory WWPNs, IQNs from the host record."""

from __future__ import annotations

from pathlib import Path

import pytest

from xsfabric.model.xen import Host, Pool
from xsfabric.san.hba import (
    HbaParseError,
    initiators_for,
    inventory_listings,
    parse_hba_listing,
)
from xsfabric.san.wwn import normalize_wwn


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0x21000024ff3dc4b0", "21:00:00:24:ff:3d:c4:b0"),
        ("21000024FF3DC4B0", "21:00:00:24:ff:3d:c4:b0"),
        ("21:00:00:24:FF:3D:C4:B0", "21:00:00:24:ff:3d:c4:b0"),
        ("21-00-00-24-ff-3d-c4-b0", "21:00:00:24:ff:3d:c4:b0"),
        ("2100.0024.ff3d.c4b0", "21:00:00:24:ff:3d:c4:b0"),
        ("  0X21000024FF3DC4B0 ", "21:00:00:24:ff:3d:c4:b0"),
        ("0x21000024ff3dc4", None),  # 7 bytes
        ("21:00:00:24:ff:3d:c4", None),
        ("iqn.2001-05.com.example:x", None),
        ("1,4", None),  # a Brocade domain,index member
        ("fc1/1", None),
    ],
)
def test_wwn_normalisation(raw: str, expected: str | None) -> None:
    assert normalize_wwn(raw) == expected


def test_bare_cat_of_names_then_states_pairs_by_position() -> None:
    text = (
        "# cat /sys/class/fc_host/host*/port_name\n0x21000024ff3dc4b0\n0x21000024ff3dc4b1\n"
        "# cat /sys/class/fc_host/host*/port_state\nOnline\nLinkdown\n"
    )
    ports = parse_hba_listing(text)
    assert [(p.wwpn, p.state, p.online) for p in ports] == [
        ("21:00:00:24:ff:3d:c4:b0", "Online", True),
        ("21:00:00:24:ff:3d:c4:b1", "Linkdown", False),
    ]


def test_names_only_have_no_state() -> None:
    ports = parse_hba_listing("0x21000024ff000001\n")
    assert [(p.wwpn, p.state, p.online) for p in ports] == [("21:00:00:24:ff:00:00:01", None, None)]


def test_grep_with_file_names_pairs_by_scsi_host() -> None:
    text = (
        "[root@xs1 ~]# grep . /sys/class/fc_host/host*/port_*\n"
        "/sys/class/fc_host/host3/port_name:0x10000090fa1b2c3d\n"
        "/sys/class/fc_host/host3/port_state:Online\n"
        "/sys/class/fc_host/host12/port_name:0x10000090fa1b2c3e\n"
        "/sys/class/fc_host/host12/port_state:Linkdown\n"
        "/sys/class/fc_host/host4/port_name:0x10000090fa1b2c3f\n"
        "/sys/class/fc_host/host4/node_name:0x20000090fa1b2c3f\n"
        "/sys/class/fc_host/host4/speed:16 Gbit\n"
    )
    ports = parse_hba_listing(text)
    assert [(p.scsi_host, p.wwpn, p.state) for p in ports] == [
        ("host3", "10:00:00:90:fa:1b:2c:3d", "Online"),
        ("host4", "10:00:00:90:fa:1b:2c:3f", None),
        ("host12", "10:00:00:90:fa:1b:2c:3e", "Linkdown"),
    ]


def test_head_headers_and_systool() -> None:
    head = (
        "==> /sys/class/fc_host/host1/port_name <==\n0x2100001b32000001\n\n"
        "==> /sys/class/fc_host/host1/port_state <==\nOnline\n"
    )
    assert [(p.wwpn, p.state) for p in parse_hba_listing(head)] == [
        ("21:00:00:1b:32:00:00:01", "Online")
    ]
    systool = (
        'Class = "fc_host"\n\n  Class Device = "host2"\n'
        '    port_name           = "0x2100001b32000002"\n'
        '    port_state          = "Online"\n    speed               = "8 Gbit"\n'
    )
    assert [(p.scsi_host, p.wwpn, p.state) for p in parse_hba_listing(systool)] == [
        ("host2", "21:00:00:1b:32:00:00:02", "Online")
    ]


def test_garbage_line_names_its_line() -> None:
    with pytest.raises(HbaParseError) as err:
        parse_hba_listing("0x2100001b32000002\nPermission denied\n")
    assert err.value.line == 2


def test_inventory_wwpns_become_listings_in_sysfs_form() -> None:
    listings = inventory_listings(
        {"wwpns": {"xs1": ["21:00:00:24:FF:00:00:01", "bogus"], "xs2": "0x21000024ff000002"}}
    )
    assert listings == {"xs1": "0x21000024ff000001\n", "xs2": "0x21000024ff000002\n"}
    assert [p.wwpn for p in parse_hba_listing(listings["xs1"])] == ["21:00:00:24:ff:00:00:01"]
    assert inventory_listings({}) == {}


def _pool(name: str, hosts: list[Host]) -> Pool:
    pool = Pool(
        name=name,
        uuid=f"{name}-uuid",
        name_label=name,
        master_uuid=None,
        other_config={},
        tags=[],
        source="xapi-db",
        collected_at=None,
        names_unresolved=True,
        resolved={},
    )
    pool.hosts = {h.uuid: h for h in hosts}
    return pool


def _host(uuid: str, label: str, hostname: str, **kw: object) -> Host:
    return Host(
        uuid=uuid,
        name_label=label,
        hostname=hostname,
        address="10.0.0.1",
        enabled=True,
        https_only=None,
        **kw,  # type: ignore[arg-type]
    )


def test_initiators_per_host_uuid(tmp_path: Path) -> None:
    hba = tmp_path / "hba"
    hba.mkdir()
    (hba / "xs1.txt").write_text("0x21000024ff000001\n0x21000024ff000002\n")
    (hba / "xs2.example.net.txt").write_text("0x21000024ff000003\n")  # by hostname
    (hba / "xs1-hba.txt").write_text("0x21000024ff000005\n")  # a suffix people add
    (hba / "ghost.txt").write_text("0x21000024ff000009\n")
    (hba / "bad.txt").write_text("0x21000024ff000004\nnonsense\n")
    pools = [
        _pool(
            "p",
            [
                _host("u1", "xs1", "xs1.example.net", iscsi_iqn="iqn.x:xs1"),
                _host("u2", "host two", "xs2.example.net", other_config={"iscsi_iqn": "IQN.x:xs2"}),
                _host("u3", "bad", "bad"),
            ],
        )
    ]
    warnings: list[str] = []
    result = initiators_for(pools, hba, warnings)
    assert result["u1"].wwpns == (
        "21:00:00:24:ff:00:00:05",
        "21:00:00:24:ff:00:00:01",
        "21:00:00:24:ff:00:00:02",
    )
    assert result["u1"].iqns == ("iqn.x:xs1",)
    assert result["u1"].wwpn_source == "hba/xs1.txt"  # the last listing read names it
    assert result["u2"].wwpns == ("21:00:00:24:ff:00:00:03",)
    assert result["u2"].iqns == ("iqn.x:xs2",)
    assert result["u3"].wwpns == ()
    assert sorted(warnings) == [
        "hba/bad.txt:2: neither a WWPN nor an fc_host port_state: 'nonsense'",
        "hba/ghost.txt: names no host of the snapshot's pools",
    ]


def test_no_hba_folder_means_no_wwpns(tmp_path: Path) -> None:
    pools = [_pool("p", [_host("u1", "xs1", "xs1")])]
    result = initiators_for(pools, tmp_path / "hba", [])
    assert result["u1"].wwpns == () and result["u1"].wwpn_source == ""


def test_collect_stores_inventory_wwpns_as_hba_listings(tmp_path: Path) -> None:
    """A pool whose inventory entry carries ``data.wwpns`` gets ``hba/<host>.txt`` in the
    snapshot; a host name that would escape the folder is refused."""
    from xsfabric.collect import _write_inventory_hbas
    from xsfabric.inventory import InventoryHost
    from xsfabric.snapshot import DeviceKind, Snapshot, SnapshotWriter

    host = InventoryHost(
        name="prod",
        hostname="x",
        kind=DeviceKind.XENSERVER_POOL,
        platform="xenserver",
        port=None,
        username=None,
        password=None,
        data={"wwpns": {"xs1": ["21:00:00:24:ff:00:00:01"], "../x": ["0x21000024ff000002"]}},
        connection_options={},
        groups=(),
        source="hosts.yaml:1",
    )
    with SnapshotWriter(tmp_path / "snap") as writer:
        writer.device("prod", DeviceKind.XENSERVER_POOL, "xenserver")
        _write_inventory_hbas(host, writer)
        path = writer.commit()
    snap = Snapshot.open(path)
    assert (snap.path / "hba" / "xs1.txt").read_text() == "0x21000024ff000001\n"
    assert sorted(p.name for p in (snap.path / "hba").iterdir()) == ["xs1.txt"]
