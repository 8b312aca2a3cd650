"""Hygiene rules: every rule fires on the weak configuration of each platform it applies to
and stays silent on the hardened one (the near miss: same ports, same roles, same VLANs).

The configurations go through the real snapshot write path (redaction + config facts), and the
estate is loaded back from the snapshot the way ``xsfabric audit`` does; the pools come from
the estate generator (guest VLAN 100 internet-facing and untrusted, internal guest VLAN 101);
port roles come from FDB entries of real PIF MACs and an LLDP switch neighbour.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from tests.rules.conftest import _pool

from xsfabric.lab.estate import parse_estate
from xsfabric.lab.xapi_dump_gen import MacAllocator, pool_model
from xsfabric.model.estate import Estate, load_estate
from xsfabric.model.xen import Pool
from xsfabric.policy import apply_policy
from xsfabric.rules.engine import REGISTRY, Category, RuleResults, load_rules, run_rules
from xsfabric.snapshot import DeviceKind, Snapshot, SnapshotWriter
from xsfabric.switch.model import (
    CollectionMethod,
    FdbEntry,
    LldpNeighbor,
    SwitchFacts,
    SwitchPort,
)

CONFIGS = Path(__file__).parent.parent / "switch" / "configs"
PLATFORMS = ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos")

#: host port 1, host port 2, unused port, uplink (None: the fixture has none)
PORTS: dict[str, tuple[str, str, str, str | None]] = {
    "cisco_ios": (
        "GigabitEthernet1/0/1",
        "GigabitEthernet1/0/2",
        "GigabitEthernet1/0/3",
        "GigabitEthernet1/0/48",
    ),
    "cisco_nxos": ("Ethernet1/1", "Ethernet1/2", "Ethernet1/3", "Ethernet1/49"),
    "arista_eos": ("Ethernet1", "Ethernet2", "Ethernet3", "Ethernet48"),
    "juniper_junos": ("ge-0/0/1", "ge-0/0/2", "ge-0/0/3", None),
}

ALL = set(PLATFORMS)
#: Platforms whose weak fixture must trigger each rule (from what each fixture states).
FIRES: dict[str, set[str]] = {
    "sw-telnet-enabled": ALL,
    "sw-http-enabled": ALL,
    "sw-ssh-not-v2-only": {"cisco_ios"},  # only IOS defaults to SSH 1.99
    "sw-snmp-community-weak": ALL,
    "sw-snmpv3-no-privacy": {"cisco_ios", "cisco_nxos"},
    "sw-aaa-missing": ALL,
    "sw-syslog-missing": ALL,
    "sw-ntp-unauthenticated": ALL,
    "sw-weak-password-storage": ALL,
    "sw-banner-missing": ALL,
    "sw-exec-timeout": ALL,
    "sw-vtp-server": {"cisco_ios"},  # VTP exists on IOS only (NX-OS: feature off)
    "sw-unused-port-not-parked": ALL,
    "sw-native-vlan": ALL,
    "sw-trunk-allowed-all": ALL,
    "sw-dtp-enabled": {"cisco_ios"},  # only IOS speaks DTP
    "sw-bpduguard-missing": ALL,
    "sw-storm-control-missing": ALL,
    "sw-port-security-on-hypervisor": {"cisco_ios"},
    "sw-cdp-on-untrusted-port": {"cisco_ios", "cisco_nxos"},  # CDP on by default there
    "sw-g12-guest-l2-protection": ALL,
    "sw-dhcp-snooping-missing": ALL,
    # the fixtures' host ports are trunks: source guard is asked on host access ports only
    # (positive and near-miss fixtures per platform: tests/rules/test_hygiene_fhs.py)
    "sw-ip-source-guard-missing": set(),
}


def _pools() -> list[Pool]:
    spec = {"seed": "hygiene", "pools": [_pool("prod", "production", 10, 100, 2)]}
    estate_spec = parse_estate(copy.deepcopy(spec))
    macs = MacAllocator()
    for pool_spec in estate_spec.pools:
        macs.reserve_pool(pool_spec)
    pools = [pool_model(p, macs) for p in estate_spec.pools]
    apply_policy(pools, None)
    return pools


def _facts(device: str, platform: str, pools: list[Pool]) -> SwitchFacts:
    host1, host2, unused, uplink = PORTS[platform]
    pool = pools[0]
    first = sorted(pool.hosts.values(), key=lambda h: h.name_label)[0]
    nics = {p.device: p.mac for p in pool.pifs.values() if p.physical and p.host_uuid == first.uuid}
    ports = [
        SwitchPort(name=n, short_name=n, admin_up=True, oper_up=n != unused)
        for n in PORTS[platform]
        if n
    ]
    fdb = [FdbEntry(nics["eth3"], 100, host1), FdbEntry(nics["eth4"], 100, host2)]
    lldp = (
        [
            LldpNeighbor(
                local_port=uplink,
                chassis_id="00:00:5e:00:53:01",
                system_name="core1",
                capabilities=("bridge",),
            )
        ]
        if uplink
        else []
    )
    return SwitchFacts(device=device, method=CollectionMethod.CLI, ports=ports, fdb=fdb, lldp=lldp)


def _estate(tmp: Path, platform: str, variant: str) -> Estate:
    device = f"{platform}-{variant}"
    text = (CONFIGS / platform / f"{variant}.txt").read_text()
    target = tmp / device
    with SnapshotWriter(target) as writer:
        writer.device(device, DeviceKind.SWITCH, platform, ["import"])
        writer.write_device_platform(device, platform)
        writer.write_device_output(device, "show running-config", text)
        writer.commit()
    estate = load_estate(Snapshot.open(target), with_switches=True)
    pools = _pools()
    estate.pools = pools
    estate.switches[device] = _facts(device, platform, pools)
    return estate


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], RuleResults]:
    load_rules()
    hygiene = [r for r, v in REGISTRY.items() if v.meta.category == Category.SWITCH_HYGIENE]
    tmp = tmp_path_factory.mktemp("hygiene")
    return {
        (platform, variant): run_rules(_estate(tmp, platform, variant), hygiene)
        for platform in PLATFORMS
        for variant in ("weak", "hardened")
    }


def _fired(results: RuleResults, rule_id: str) -> list[str]:
    return [f.message for f in results.findings if f.rule_id == rule_id]


def test_every_hygiene_rule_has_an_expectation() -> None:
    load_rules()
    hygiene = {r for r, v in REGISTRY.items() if v.meta.category == Category.SWITCH_HYGIENE}
    assert hygiene == set(FIRES)
    for rule_id in hygiene:
        assert REGISTRY[rule_id].meta.references, rule_id


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("rule_id", sorted(FIRES))
def test_weak_config_fires(
    results: dict[tuple[str, str], RuleResults], platform: str, rule_id: str
) -> None:
    fired = _fired(results[(platform, "weak")], rule_id)
    if platform in FIRES[rule_id]:
        assert fired, f"{rule_id} did not fire on {platform} weak"
    else:
        assert not fired, f"{rule_id} does not apply to {platform}: {fired}"


@pytest.mark.parametrize("platform", PLATFORMS)
def test_hardened_config_passes(results: dict[tuple[str, str], RuleResults], platform: str) -> None:
    findings = [f"{f.rule_id}: {f.message}" for f in results[(platform, "hardened")].findings]
    assert findings == []


def test_weak_ios_details(results: dict[tuple[str, str], RuleResults]) -> None:
    weak = results[("cisco_ios", "weak")]
    passwords = sorted(f.message for f in weak.findings if f.rule_id == "sw-weak-password-storage")
    # enable password (type 0), admin (type 7), ops (type 5 = MD5), vty line (type 7)
    assert len(passwords) == 4
    assert any("enable password" in m and "plaintext" in m for m in passwords)
    assert any("user admin" in m and "reversible" in m for m in passwords)
    assert any("user ops" in m and "md5" in m for m in passwords)
    community = [f for f in weak.findings if f.rule_id == "sw-snmp-community-weak"]
    # "public RO" (default name) and the RW one; the value itself never appears
    assert len(community) == 2
    assert all("public" not in f.message and "Wr1te" not in str(f.evidence) for f in community)
    g12 = [f.message for f in weak.findings if f.rule_id == "sw-g12-guest-l2-protection"]
    assert any("guest VLAN 100" in m and "DHCP snooping" in m for m in g12)
    assert any("GigabitEthernet1/0/1" in m and "RA guard" in m for m in g12)
    unused = _fired(weak, "sw-unused-port-not-parked")
    assert len(unused) == 1 and "GigabitEthernet1/0/3" in unused[0]
    native = _fired(weak, "sw-native-vlan")
    assert any("GigabitEthernet1/0/2" in m and "VLAN 100" in m for m in native)  # guest native


def test_uplink_is_not_judged_as_a_host_port(results: dict[tuple[str, str], RuleResults]) -> None:
    for platform in ("cisco_ios", "cisco_nxos", "arista_eos"):
        uplink = PORTS[platform][3]
        weak = results[(platform, "weak")]
        for rule_id in ("sw-bpduguard-missing", "sw-storm-control-missing"):
            assert not [m for m in _fired(weak, rule_id) if f"{uplink} " in m], (platform, rule_id)


def test_no_secret_in_snapshot_yet_facts_kept(tmp_path: Path) -> None:
    estate = _estate(tmp_path, "cisco_ios", "weak")
    device_dir = tmp_path / "cisco_ios-weak" / "devices" / "cisco_ios-weak"
    stored = "".join(p.read_text() for p in device_dir.iterdir() if p.is_file())
    for secret in (
        "Ena8leMe",
        "0822455D0A16",
        "Wr1te-Str0ng",
        "Aut4Key",
        "060506324F41",
        "$1$mERr$hx5rVt7rPNoS4wqbXKX7m0",
    ):
        assert secret not in stored
    facts = estate.configs["cisco_ios-weak"][0].facts
    assert facts is not None
    assert [c.default_name for c in facts.communities] == [True, False]
    assert [c.access for c in facts.communities] == ["ro", "rw"]


def test_unknown_lines_are_reported(tmp_path: Path) -> None:
    text = (CONFIGS / "cisco_ios" / "hardened.txt").read_text()
    text = text.replace("end\n", "frobnicate the widget 7\nend\n")
    target = tmp_path / "snap"
    with SnapshotWriter(target) as writer:
        writer.device("sw", DeviceKind.SWITCH, "cisco_ios", ["import"])
        writer.write_device_platform("sw", "cisco_ios")
        writer.write_device_output("sw", "show running-config", text)
        writer.commit()
    estate = load_estate(Snapshot.open(target))
    assert any("not understood" in w and "frobnicate the widget 7" in w for w in estate.warnings)


def test_unknown_platform_is_a_clear_warning(tmp_path: Path) -> None:
    target = tmp_path / "snap"
    with SnapshotWriter(target) as writer:
        writer.device("sw", DeviceKind.SWITCH, "hp_procurve", ["import"])
        writer.write_device_platform("sw", "hp_procurve")
        writer.write_device_output("sw", "show running-config", "hostname x\n")
        writer.commit()
    estate = load_estate(Snapshot.open(target))
    assert any("platform 'hp_procurve' has no configuration model" in w for w in estate.warnings)


def test_a_config_that_cannot_be_read_is_not_judged_by_defaults(tmp_path: Path) -> None:
    from unittest import mock

    with mock.patch("hier_config.get_hconfig", side_effect=ValueError("odd indentation")):
        estate = _estate(tmp_path, "cisco_ios", "weak")
        results = run_rules(
            estate, [r for r, v in REGISTRY.items() if v.meta.category == Category.SWITCH_HYGIENE]
        )
    assert results.findings == []
    assert any(
        "hier_config could not read the configuration: odd indentation" in w
        for w in estate.warnings
    )


def test_trusted_host_port_on_a_guest_vlan(tmp_path: Path) -> None:
    """Near miss of the hardened IOS config: one host trunk also carries the internal guest
    VLAN 101 and is DHCP-snooping trusted."""
    text = (CONFIGS / "cisco_ios" / "hardened.txt").read_text()
    text = text.replace(
        " switchport trunk allowed vlan 100,200\n switchport mode trunk\n"
        " switchport nonegotiate\n spanning-tree portfast edge trunk\n",
        " switchport trunk allowed vlan 100,101,200\n switchport mode trunk\n"
        " switchport nonegotiate\n ip dhcp snooping trust\n"
        " spanning-tree portfast edge trunk\n",
        1,
    )
    text = text.replace("ip dhcp snooping vlan 100,200", "ip dhcp snooping vlan 100,101,200")
    path = tmp_path / "cfg"
    path.mkdir()
    (path / "cisco_ios").mkdir()
    (path / "cisco_ios" / "trusted.txt").write_text(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(f"{__name__}.CONFIGS", path)
        results = run_rules(
            _estate(tmp_path, "cisco_ios", "trusted"),
            ["sw-dhcp-snooping-missing", "sw-g12-guest-l2-protection"],
        )
    messages = [f"{f.rule_id}: {f.message}" for f in results.findings]
    assert any(
        m.startswith("sw-dhcp-snooping-missing")
        and "GigabitEthernet1/0/1" in m
        and "trusted" in m
        and "[101]" in m
        for m in messages
    ), messages
    assert any(
        m.startswith("sw-g12-guest-l2-protection")
        and "GigabitEthernet1/0/1" in m
        and "DHCP-snooping trusted" in m
        for m in messages
    ), messages
