"""The estate generator: spec → xapi dump → parser → model gives exactly what the spec says.

Expected values here are written from the spec by hand (addresses from the subnets, names
from the patterns), never read back from the generator, so a generator bug shows up as a
difference from the description.
"""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from tests.processes import run_python, tree

from xsfabric.lab.estate import (
    BondSpec,
    EstateError,
    EstateSpec,
    HostOverride,
    IpSpec,
    NetworkSpec,
    PoolSpec,
    SrSpec,
    VifSpec,
    VmSpec,
    load_estate,
    parse_estate,
)
from xsfabric.lab.xapi_dump_gen import (
    MacAllocator,
    generate_pool_db,
    main,
    pool_model,
    write_estate,
)
from xsfabric.model.build import build_pool
from xsfabric.model.xen import Pool
from xsfabric.policy import load_policy
from xsfabric.redact import REDACTED, Redactor
from xsfabric.xapi.dbdump import XapiDatabase, format_dump, parse_dump, read_dump
from xsfabric.xapi.records import PoolRecords, records_from_dump
from xsfabric.xapi.sexpr import parse_map, parse_set

DATA = Path(__file__).resolve().parents[2] / "src" / "xsfabric" / "lab" / "data"
CHAP = "chap-Secret-4711"
PLAIN_CHAP = "plain-chap-0815"
OUI = "02:aa:bb"


def _spec() -> PoolSpec:
    """Three hosts, four NICs, a bond (primary eth3) with two guest VLANs, storage, and two
    deviating hosts: host 2 https-only off with a fixed eth0 MAC, host 3 managed via eth1."""
    return PoolSpec(
        name="lab",
        label="Lab pool",
        hosts=3,
        host_name="lab-xs{i}",
        nics=4,
        nic_oui=OUI,
        multipathing=True,
        bonds=(BondSpec(members=("eth2", "eth3"), mode="lacp", primary="eth3"),),
        networks=(
            NetworkSpec(
                name="Management",
                on="eth0",
                management=True,
                ip=IpSpec("10.0.0.0/24", start=11, gateway="10.0.0.1"),
            ),
            NetworkSpec(
                name="Storage", on="eth1", purpose="Storage", ip=IpSpec("10.0.1.0/24", start=21)
            ),
            NetworkSpec(name="Guests 10", on="bond0", vlan=10),
            NetworkSpec(name="Guests 20", on="bond0", vlan=20, default_locking_mode="disabled"),
            NetworkSpec(name="Private"),
        ),
        vms=(
            VmSpec(
                name="vm-{i}",
                count=4,
                vifs=(
                    VifSpec(network="Guests 10"),
                    VifSpec(
                        network="Guests 20",
                        locking_mode="locked",
                        ipv4_allowed=("auto",),
                        ip=IpSpec("192.168.20.0/24", start=100),
                    ),
                ),
            ),
            VmSpec(
                name="gold",
                template=True,
                power_state="Halted",
                vifs=(VifSpec(network="Management"),),
            ),
        ),
        srs=(
            SrSpec(
                name="Local storage",
                type="lvm",
                per_host=True,
                device_config={"device": "/dev/sda{i}"},
            ),
            SrSpec(
                name="NFS",
                type="nfs",
                device_config={"server": "10.0.1.5", "serverpath": "/vms", "nfsversion": "3"},
            ),
            SrSpec(
                name="SAN",
                type="lvmoiscsi",
                paths=(2, 4),
                device_config={
                    "target": "10.0.1.6",
                    "targetIQN": "iqn.2001-05.com.example:san",
                    "SCSIid": "3600a0b80",
                    "chapuser": "xs",
                    "chappassword_secret": CHAP,
                },
            ),
            SrSpec(
                name="Old SAN",
                type="lvmoiscsi",
                hosts=(1,),
                device_config={
                    "target": "10.0.1.7",
                    "targetIQN": "iqn.2001-05.com.example:old",
                    "chapuser": "xs",
                    "chappassword": PLAIN_CHAP,
                },
            ),
        ),
        overrides={
            2: HostOverride(https_only=False, macs={"eth0": "02:00:00:00:00:02"}),
            "lab-xs3": HostOverride(management="eth1"),
        },
    )


def _model(db: XapiDatabase) -> Pool:
    # Through the bytes, so the %-escaped writer and the parser are in the loop too.
    parsed = parse_dump(format_dump(db))
    return build_pool(
        "lab", PoolRecords(records_from_dump(parsed), "xapi-db", names_unresolved=True)
    )


def test_pool_model_gives_what_the_spec_says() -> None:
    """``pool_model`` (the fixtures' shortcut to a model) against the spec's own values."""
    pool = pool_model(_spec())
    names = {h.uuid: h.name_label for h in pool.hosts.values()}
    assert sorted(names.values()) == ["lab-xs1", "lab-xs2", "lab-xs3"]
    assert {(names[p.host_uuid], p.device, p.ip) for p in pool.management_pifs()} == {
        ("lab-xs1", "eth0", "10.0.0.11"),
        ("lab-xs2", "eth0", "10.0.0.12"),
        ("lab-xs3", "eth1", "10.0.0.13"),
    }
    planted = [
        (names[p.host_uuid], p.device) for p in pool.pifs.values() if p.mac == "02:00:00:00:00:02"
    ]
    assert planted == [("lab-xs2", "eth0")]
    assert len(pool.vifs) == 9  # 4 VMs x 2 VIFs + the template's one


def test_command_line_writes_the_estate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(DATA / "example.yaml"), str(tmp_path)]) == 0
    assert (tmp_path / "xenserver" / "test.xml").is_file()
    bad = _write(tmp_path, "pools: []\n")
    assert main([str(bad), str(tmp_path / "out")]) == 2
    assert f"{bad}:1: an estate needs a non-empty 'pools' list" in capsys.readouterr().err


@pytest.fixture(scope="module")
def lab_db() -> XapiDatabase:
    return generate_pool_db(_spec())


@pytest.fixture(scope="module")
def lab(lab_db: XapiDatabase) -> Pool:
    return _model(lab_db)


def _host(pool: Pool, name: str) -> str:
    return next(h.uuid for h in pool.hosts.values() if h.name_label == name)


def _pifs(pool: Pool, host: str) -> dict[tuple[str, int], Any]:
    uuid = _host(pool, host)
    return {(p.device, p.vlan): p for p in pool.pifs.values() if p.host_uuid == uuid}


def test_hosts_dom0_and_https_only(lab: Pool) -> None:
    assert sorted(h.name_label for h in lab.hosts.values()) == ["lab-xs1", "lab-xs2", "lab-xs3"]
    assert lab.name_label == "Lab pool"
    assert lab.master_uuid == _host(lab, "lab-xs1")
    assert {h.name_label: h.https_only for h in lab.hosts.values()} == {
        "lab-xs1": True,
        "lab-xs2": False,
        "lab-xs3": True,
    }
    assert lab.https_only is False
    for host in lab.hosts.values():
        dom0 = lab.dom0_of(host.uuid)
        assert dom0 is not None and dom0.is_control_domain
        assert dom0.resident_on == host.uuid
        assert dom0.name_label == f"Control domain on host: {host.name_label}"
        assert host.multipathing is True


def test_pifs_devices_vlans_bonds_and_macs(lab: Pool) -> None:
    expected_keys = {
        ("eth0", -1),
        ("eth1", -1),
        ("eth2", -1),
        ("eth3", -1),
        ("bond0", -1),
        ("bond0", 10),
        ("bond0", 20),
    }
    nic_macs: list[str] = []
    for host in ("lab-xs1", "lab-xs2", "lab-xs3"):
        pifs = _pifs(lab, host)
        assert set(pifs) == expected_keys
        nics = {d: pifs[(d, -1)] for d in ("eth0", "eth1", "eth2", "eth3")}
        for pif in nics.values():
            assert pif.physical and pif.physical_pif_uuids == (pif.uuid,)
            nic_macs.append(pif.mac)
        master = pifs[("bond0", -1)]
        assert not master.physical
        assert master.mac == nics["eth3"].mac  # the primary member's MAC
        bond = lab.bonds[master.bond_master_of or ""]
        assert bond.mode == "lacp"
        assert bond.primary_slave_uuid == nics["eth3"].uuid
        assert set(bond.slave_uuids) == {nics["eth2"].uuid, nics["eth3"].uuid}
        assert nics["eth2"].bond_slave_of == nics["eth3"].bond_slave_of == bond.uuid
        members = {nics["eth2"].uuid, nics["eth3"].uuid}
        assert set(master.physical_pif_uuids) == members
        for tag in (10, 20):
            vlan_pif = pifs[("bond0", tag)]
            assert vlan_pif.mac == "fe:ff:ff:ff:ff:ff" and not vlan_pif.physical
            assert vlan_pif.tagged_pif_uuid == master.uuid
            assert set(vlan_pif.physical_pif_uuids) == members
            assert lab.vlans[vlan_pif.vlan_master_of or ""].tag == tag
    assert len(set(nic_macs)) == 12
    assert "02:00:00:00:00:02" in nic_macs  # host 2's planted eth0 MAC
    assert all(m.startswith(OUI) for m in nic_macs if m != "02:00:00:00:00:02")


def test_ip_configuration_and_management_override(lab: Pool) -> None:
    management = {
        (lab.hosts[p.host_uuid].name_label, p.device, p.ip) for p in lab.management_pifs()
    }
    assert management == {
        ("lab-xs1", "eth0", "10.0.0.11"),
        ("lab-xs2", "eth0", "10.0.0.12"),
        ("lab-xs3", "eth1", "10.0.0.13"),
    }
    for host in lab.hosts.values():
        mgmt = next(p for p in lab.management_pifs() if p.host_uuid == host.uuid)
        assert host.address == mgmt.ip
        assert mgmt.netmask == "255.255.255.0" and mgmt.gateway == "10.0.0.1"
    storage = {h: _pifs(lab, h)[("eth1", -1)] for h in ("lab-xs1", "lab-xs2")}
    assert storage["lab-xs1"].ip == "10.0.1.21" and storage["lab-xs2"].ip == "10.0.1.22"
    assert storage["lab-xs1"].other_config == {"management_purpose": "Storage"}
    assert storage["lab-xs1"].disallow_unplug
    assert _pifs(lab, "lab-xs3")[("eth0", -1)].ip == ""  # moved to eth1
    others = [p for p in lab.pifs.values() if p.device in ("eth2", "eth3", "bond0")]
    assert all(not p.ip and p.ip_mode == "None" for p in others)


def test_networks_names_bridges_and_roles(lab: Pool) -> None:
    by_name = {n.name_label: n for n in lab.networks.values()}
    assert set(by_name) == {
        "Management",
        "Storage",
        "Pool-wide network associated with eth2",
        "Pool-wide network associated with eth3",
        "Bond 2+3",
        "Guests 10",
        "Guests 20",
        "Private",
        "Host internal management network",
    }
    assert [by_name[n].bridge for n in ("Management", "Storage")] == ["xenbr0", "xenbr1"]
    assert by_name["Pool-wide network associated with eth2"].bridge == "xenbr2"
    assert by_name["Host internal management network"].bridge == "xenapi"
    assert by_name["Guests 10"].vlan_tags == {10}
    assert by_name["Guests 20"].default_locking_mode == "disabled"
    assert all(len(by_name[n].pif_uuids) == 3 for n in ("Management", "Guests 10", "Bond 2+3"))
    assert by_name["Private"].pif_uuids == []
    assert by_name["Management"].role.value == "management"
    assert by_name["Guests 10"].role.value == "guest"


def test_vms_vifs_locking_and_placement(lab: Pool) -> None:
    vms = {vm.name_label: vm for vm in lab.vms.values() if not vm.is_control_domain}
    assert set(vms) == {"vm-1", "vm-2", "vm-3", "vm-4", "gold"}
    placement = {
        name: lab.hosts[vm.resident_on].name_label for name, vm in vms.items() if vm.resident_on
    }
    assert placement == {"vm-1": "lab-xs1", "vm-2": "lab-xs2", "vm-3": "lab-xs3", "vm-4": "lab-xs1"}
    assert vms["gold"].is_a_template and vms["gold"].resident_on is None
    assert len(lab.vifs) == 9
    macs = [v.mac for v in lab.vifs.values()]
    assert len(set(macs)) == 9 and all(m.startswith("00:16:3e:") for m in macs)
    networks = {n.uuid: n.name_label for n in lab.networks.values()}
    for n in range(1, 5):
        vifs = {v.device: v for v in (lab.vifs[u] for u in vms[f"vm-{n}"].vif_uuids)}
        assert networks[vifs["0"].network_uuid or ""] == "Guests 10"
        assert vifs["0"].effective_locking_mode == "unlocked"
        assert vifs["1"].locking_mode == "locked"
        assert vifs["1"].ipv4_allowed == [f"192.168.20.{99 + n}"]
    template_vif = lab.vifs[vms["gold"].vif_uuids[0]]
    assert networks[template_vif.network_uuid or ""] == "Management"


def test_srs_pbds_secrets_and_multipath(lab: Pool, lab_db: XapiDatabase) -> None:
    srs: dict[str, list[Any]] = {}
    for sr in lab.srs.values():
        srs.setdefault(sr.name_label, []).append(sr)
    assert {k: len(v) for k, v in srs.items()} == {
        "Local storage": 3,
        "NFS": 1,
        "SAN": 1,
        "Old SAN": 1,
    }
    hosts = {h.uuid: h.name_label for h in lab.hosts.values()}
    local = {
        hosts[lab.pbds[sr.pbd_uuids[0]].host_uuid or ""]: lab.pbds[sr.pbd_uuids[0]].device_config[
            "device"
        ]
        for sr in srs["Local storage"]
    }
    assert local == {"lab-xs1": "/dev/sda1", "lab-xs2": "/dev/sda2", "lab-xs3": "/dev/sda3"}
    assert not srs["Local storage"][0].shared and srs["NFS"][0].shared
    assert {hosts[lab.pbds[p].host_uuid or ""] for p in srs["NFS"][0].pbd_uuids} == set(
        hosts.values()
    )
    assert [hosts[lab.pbds[p].host_uuid or ""] for p in srs["Old SAN"][0].pbd_uuids] == ["lab-xs1"]
    assert all(len(h.pbd_uuids) == {"lab-xs1": 4}.get(h.name_label, 3) for h in lab.hosts.values())
    secrets = {row["uuid"]: row["value"] for row in lab_db.table("secret").values()}
    for pbd_uuid in srs["SAN"][0].pbd_uuids:
        pbd = lab.pbds[pbd_uuid]
        assert "chappassword" not in pbd.device_config
        assert secrets[pbd.device_config["chappassword_secret"]] == CHAP
        assert pbd.other_config["multipathed"] == "true"
        assert pbd.other_config["mpath-3600a0b80"] == "[2, 4]"
    old = lab.pbds[srs["Old SAN"][0].pbd_uuids[0]]
    assert old.device_config["chappassword"] == PLAIN_CHAP
    assert len(secrets) == 3  # one per PBD of the SAN SR, as xapi stores them


def test_both_sides_of_every_relationship(lab_db: XapiDatabase) -> None:
    """The set fields xapi derives from the other side agree with it (a lab server serves
    them as they are)."""
    t = {name: lab_db.table(name) for name in lab_db.tables}

    def members(cls: str, ref: str, set_field: str) -> set[str]:
        return set(parse_set(t[cls][ref][set_field]))

    def pointing(cls: str, ref_field: str, target: str) -> set[str]:
        return {r for r, row in t[cls].items() if row[ref_field] == target}

    for host in t["host"]:
        assert members("host", host, "PIFs") == pointing("PIF", "host", host)
        assert members("host", host, "PBDs") == pointing("PBD", "host", host)
        assert members("host", host, "resident_VMs") == pointing("VM", "resident_on", host)
        dom0 = t["VM"][t["host"][host]["control_domain"]]
        assert dom0["is_control_domain"] == "true" and dom0["resident_on"] == host
    for net in t["network"]:
        assert members("network", net, "PIFs") == pointing("PIF", "network", net)
        assert members("network", net, "VIFs") == pointing("VIF", "network", net)
    for vm in t["VM"]:
        assert members("VM", vm, "VIFs") == pointing("VIF", "VM", vm)
    for sr in t["SR"]:
        assert members("SR", sr, "PBDs") == pointing("PBD", "SR", sr)
    for bond, row in t["Bond"].items():
        assert set(parse_set(row["slaves"])) == pointing("PIF", "bond_slave_of", bond)
        assert parse_set(t["PIF"][row["master"]]["bond_master_of"]) == [bond]
        assert row["primary_slave"] in parse_set(row["slaves"])
    for vlan, row in t["VLAN"].items():
        assert t["PIF"][row["untagged_PIF"]]["VLAN_master_of"] == vlan
        assert vlan in parse_set(t["PIF"][row["tagged_PIF"]]["VLAN_slave_of"])
        assert t["PIF"][row["untagged_PIF"]]["VLAN"] == row["tag"]
    for pif in t["PIF"].values():
        assert pif["metrics"] in t["PIF_metrics"]
    assert t["tunnel"] == {}


def test_dump_is_modern_xapi_format(lab_db: XapiDatabase) -> None:
    raw = format_dump(lab_db).decode()
    assert raw.startswith('<database><manifest><pair key="schema_major_vsn" value="5"/>')
    assert 'name__label="Pool-wide%.network%.associated%.with%.eth2"' in raw
    pool_row = next(iter(lab_db.table("pool").values()))
    assert "name_label" in pool_row and "name__label" not in pool_row
    host_row = next(iter(lab_db.table("host").values()))
    assert "name__label" in host_row and "API_version__major" in host_row
    assert all(
        isinstance(v, str)
        for table in lab_db.tables.values()
        for row in table.values()
        for v in row.values()
    )
    assert list(lab_db.tables) == sorted(lab_db.tables)


@pytest.mark.slow
def test_same_dumps_in_two_processes(tmp_path: Path) -> None:
    """Two interpreters with different hash seeds write byte-identical dumps."""
    for seed in (1, 2):
        run_python(
            [
                "-m",
                "xsfabric.lab.xapi_dump_gen",
                str(DATA / "example.yaml"),
                str(tmp_path / str(seed)),
            ],
            hash_seed=seed,
        )
    first, second = tree(tmp_path / "1"), tree(tmp_path / "2")
    assert sorted(first) == ["policy.yaml", "xenserver/prod.xml", "xenserver/test.xml"]
    assert first == second


def test_stable_identities() -> None:
    # Adding a VM renumbers nothing else: identities come from names, not positions.
    grown = replace(_spec(), vms=(*_spec().vms, VmSpec(name="extra")))
    before, after = _model(generate_pool_db(_spec())), _model(generate_pool_db(grown))
    assert set(before.hosts) == set(after.hosts)
    assert set(before.pifs) == set(after.pifs)
    assert set(before.vifs) == set(after.vifs)
    assert set(before.vms) < set(after.vms)
    other_seed = _model(generate_pool_db(replace(_spec(), seed="other")))
    assert not set(other_seed.hosts) & set(before.hosts)


def test_mac_allocator_skips_used_and_reserved() -> None:
    macs = MacAllocator()
    first = macs.allocate("00:16:3e", "k")
    again = MacAllocator()
    again.reserve(first)
    second = again.allocate("00:16:3e", "k")
    assert second != first and second.startswith("00:16:3e:")


def test_secret_values_are_in_the_dump_and_redaction_removes_them(tmp_path: Path) -> None:
    written = write_estate(load_estate(DATA / "example.yaml"), tmp_path)
    db = read_dump(tmp_path / "xenserver" / "prod.xml")
    values = {row["value"] for row in db.table("secret").values()}
    assert values == {"ch4p-Secret-42", "is0-Secret-7"}
    assert b"ch4p-Secret-42" in written[0].read_bytes()
    Redactor().database(db)
    assert {row["value"] for row in db.table("secret").values()} == {REDACTED}


def test_example_estate_and_its_policy(tmp_path: Path) -> None:
    spec = load_estate(DATA / "example.yaml")
    written = write_estate(spec, tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "xenserver/prod.xml",
        "xenserver/test.xml",
        "policy.yaml",
    ]
    policy = load_policy(tmp_path / "policy.yaml")  # the lead's schema accepts it
    assert policy.pools == {
        "prod": {"environment": "production", "trust": "trusted"},
        "test": {"environment": "test"},
    }
    assert [(r.match, r.sensitive) for r in policy.vms] == [
        ({"name": "db-*", "pool": "prod"}, True)
    ]
    prod = build_pool("prod", PoolRecords(records_from_dump(read_dump(written[0])), "xapi-db"))
    third = next(h for h in prod.hosts.values() if h.name_label == "xs-prod-03")
    assert third.https_only is False
    assert [p.device for p in prod.management_pifs() if p.host_uuid == third.uuid] == ["eth1"]
    lldp = {
        (prod.hosts[p.host_uuid].name_label, p.device): p.lldp_neighbor
        for p in prod.pifs.values()
        if p.lldp_neighbor
    }
    assert lldp[("xs-prod-02", "eth0")] == {
        "system_name": "tor-a",
        "port_id": "Ethernet1/2",
        "port_description": "xs-prod-02 eth0",
    }
    # Pools of one estate never share generated MACs.
    test = build_pool("test", PoolRecords(records_from_dump(read_dump(written[1])), "xapi-db"))
    macs = [p.mac for p in [*prod.pifs.values(), *test.pifs.values()] if p.physical]
    macs += [v.mac for v in [*prod.vifs.values(), *test.vifs.values()]]
    assert len(macs) == len(set(macs))


def test_bench_estate_is_64_hosts_and_4000_vifs() -> None:
    spec = load_estate(DATA / "bench-64.yaml")
    (pool,) = spec.pools
    assert len(pool.names_of_hosts()) == 64
    assert sum(vm.count * len(vm.vifs) for vm in pool.vms) == 4000


def test_planted_duplicate_vif_mac() -> None:
    spec = replace(
        _spec(),
        vms=(
            VmSpec(
                name="dup-{i}",
                count=2,
                vifs=(VifSpec(network="Guests 10", mac="00:16:3e:00:00:01"),),
            ),
        ),
    )
    pool = _model(generate_pool_db(spec))
    assert [v.mac for v in pool.vifs.values()] == ["00:16:3e:00:00:01"] * 2


def test_override_ips_put_dom0_on_a_guest_vlan() -> None:
    spec = replace(
        _spec(), overrides={2: HostOverride(ips={"Guests 10": "192.168.10.5/24", "Storage": None})}
    )
    pool = _model(generate_pool_db(spec))
    pifs = _pifs(pool, "lab-xs2")
    assert (pifs[("bond0", 10)].ip, pifs[("bond0", 10)].netmask) == (
        "192.168.10.5",
        "255.255.255.0",
    )
    assert pifs[("eth1", -1)].ip == ""
    assert ipaddress.ip_address(pifs[("eth0", -1)].ip) in ipaddress.ip_network("10.0.0.0/24")


# -- errors name the file and the line -------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "estate.yaml"
    path.write_text(text)
    return path


BASE = """\
pools:
  - name: p
    hosts: 2
    networks:
      - name: Management
        on: eth0
        management: true
        ip: {subnet: 10.0.0.0/24}
"""


@pytest.mark.parametrize(
    ("extra", "line", "words"),
    [
        ("    colour: red\n", 9, "unknown key 'colour'"),
        ("    vms:\n      - {name: a, vifs: [Nowhere]}\n", 10, "unknown network 'Nowhere'"),
        ("    bonds:\n      - {members: [eth0, eth7]}\n", 10, "member 'eth7'"),
        ("    overrides:\n      5: {https_only: false}\n", 10, "unknown host 5"),
        ("    nics: two\n", 9, "nics must be an integer"),
        (
            "    srs:\n      - {name: s, type: lvmoiscsi, paths: [3, 2],\n"
            "         device_config: {SCSIid: x}}\n",
            10,
            "paths must be",
        ),
    ],
)
def test_yaml_errors_name_file_and_line(tmp_path: Path, extra: str, line: int, words: str) -> None:
    path = _write(tmp_path, BASE + extra)
    with pytest.raises(EstateError) as caught:
        load_estate(path)
    assert caught.value.path == path
    assert caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, BASE + "    vms: [\n")
    with pytest.raises(EstateError) as caught:
        load_estate(path)
    assert caught.value.path == path and caught.value.line is not None


def test_python_specs_get_the_same_checks() -> None:
    bad = replace(_spec(), vms=(VmSpec(name="x", vifs=(VifSpec(network="Nope"),)),))
    with pytest.raises(EstateError, match="unknown network 'Nope'"):
        generate_pool_db(bad)
    with pytest.raises(EstateError, match="pool names repeat"):
        write_estate(EstateSpec(pools=(_spec(), _spec())), Path("/nonexistent"))


def test_parse_estate_from_a_dict_matches_yaml(tmp_path: Path) -> None:
    data = {
        "seed": "s",
        "pools": [
            {
                "name": "p",
                "hosts": 2,
                "networks": [
                    {
                        "name": "Management",
                        "on": "eth0",
                        "management": True,
                        "ip": {"subnet": "10.0.0.0/24"},
                    }
                ],
            }
        ],
    }
    from_dict = parse_estate(data)
    from_yaml = load_estate(_write(tmp_path, "seed: s\n" + BASE))
    assert from_dict == from_yaml
    assert format_dump(generate_pool_db(from_dict.pools[0])) == format_dump(
        generate_pool_db(from_yaml.pools[0])
    )


def test_map_values_survive_escaping() -> None:
    spec = replace(_spec(), other_config={"note": "a b%c\t'd'"}, tags=("xsfabric:trust=ok",))
    db = generate_pool_db(spec)
    parsed = parse_dump(format_dump(db))
    row = next(iter(parsed.table("pool").values()))
    assert parse_map(row["other_config"]) == {"note": "a b%c\t'd'"}
