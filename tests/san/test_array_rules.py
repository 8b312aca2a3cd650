"""A positive and a near-miss negative fixture for every array rule (masking,
storage-access), on the clean two-pool estate of ``tests/rules/conftest.py`` plus a clean ONTAP
array serving both pools. Lab round trip: the array is rendered by ``xsfabric.lab.array_gen``
and read back by the ONTAP parsers; the expected subjects are written by hand."""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.rules.conftest import Spec, clean_spec, pool_of, sr_of, subjects

from xsfabric.lab.array_gen import array_captures, host_iqns
from xsfabric.lab.estate import parse_estate
from xsfabric.lab.xapi_dump_gen import MacAllocator, pool_model
from xsfabric.model.estate import Estate
from xsfabric.policy import apply_policy
from xsfabric.rules.engine import REGISTRY, RuleResults, load_rules, run_rules
from xsfabric.san.array_ontap import parse_ontap
from xsfabric.san.fabric import Fabric
from xsfabric.san.hba import initiators_for
from xsfabric.san.model import Login, MemberKind, PortRole, Zone, ZoneMember

Mutation = Callable[[Spec], None]

PROD_SERIAL, DEV_SERIAL, FC_SERIAL = "80XenProdLUN", "80XenDevLUN0", "80XenProdFC0"
#: The prod hosts' HBA ports (fabric A, fabric B) and the array's FC target ports.
W1A, W1B = "21:00:00:24:ff:00:01:0a", "21:00:00:24:ff:00:01:0b"
W2A, W2B = "21:00:00:24:ff:00:02:0a", "21:00:00:24:ff:00:02:0b"
TA, TB = "50:0a:09:81:00:00:00:01", "50:0a:09:82:00:00:00:01"


def _scsi_id(serial: str) -> str:
    """NetApp: ``3`` + ``600a0980`` + the hex of the ASCII serial."""
    return "3600a0980" + serial.encode("ascii").hex()


def _svm(
    name: str, base: int, serial: str, pool: str, hosts: int, clients: list[str]
) -> dict[str, Any]:
    return {
        "name": name,
        "lifs": [
            {"name": f"{pool}_nfs", "address": f"10.{base + 1}.0.5/24"},
            {"name": f"{pool}_iscsi", "address": f"10.{base + 1}.0.6/24"},
        ],
        "volumes": [{"name": f"{pool}_nfs", "junction": "/x", "policy": pool}],
        "policies": {pool: [{"clients": clients}]},
        "luns": [{"path": f"/vol/{pool}/lun0", "serial": serial, "ostype": "xen"}],
        "igroups": [
            {"name": pool, "initiators": [f"host:{pool}/{i}" for i in range(1, hosts + 1)]}
        ],
        "maps": [{"lun": f"/vol/{pool}/lun0", "igroup": pool, "id": 0}],
        "chap": {"default": "chap"},
    }


def array_spec() -> Spec:
    spec = clean_spec()
    sr_of(spec, "prod", "iSCSI")["device_config"]["SCSIid"] = _scsi_id(PROD_SERIAL)
    sr_of(spec, "dev", "iSCSI")["device_config"]["SCSIid"] = _scsi_id(DEV_SERIAL)
    spec["arrays"] = [
        {
            "name": "fas1",
            "platform": "netapp_cdot",
            "svms": [
                _svm("svm_prod", 10, PROD_SERIAL, "prod", 2, ["10.11.0.11", "10.11.0.12"]),
                _svm("svm_dev", 50, DEV_SERIAL, "dev", 1, ["10.51.0.11"]),
            ],
        }
    ]
    # FC: an lvmohba SR of prod on a LUN masked to both hosts' two HBA ports, each port
    # single-initiator zoned to the target port on its fabric
    pool_of(spec, "prod")["srs"].append(
        {
            "name": "FC",
            "type": "lvmohba",
            "paths": [2, 2],
            "device_config": {"SCSIid": _scsi_id(FC_SERIAL)},
        }
    )
    prod = svm(spec, "svm_prod")
    prod["lifs"] += [{"name": "fc_a", "address": TA}, {"name": "fc_b", "address": TB}]
    prod["luns"].append({"path": "/vol/prod_fc/lun0", "serial": FC_SERIAL, "ostype": "xen"})
    prod["igroups"].append(
        {"name": "prod_fc", "protocol": "fcp", "initiators": [W1A, W1B, W2A, W2B]}
    )
    prod["maps"].append({"lun": "/vol/prod_fc/lun0", "igroup": "prod_fc", "id": 1})
    spec["_fc"] = {
        "hbas": {"prod-h1": [W1A, W1B], "prod-h2": [W2A, W2B]},
        "zones": {"z1a": [W1A, TA], "z1b": [W1B, TB], "z2a": [W2A, TA], "z2b": [W2B, TB]},
    }
    return spec


def _fabric(zones: dict[str, list[str]], hbas: dict[str, list[str]]) -> Fabric:
    fabric = Fabric(
        name="FAB",
        platform="brocade_fos",
        switches=("sw1",),
        zoning_enabled=True,
        effective_zones={
            n: Zone(n, tuple(ZoneMember(MemberKind.WWPN, w) for w in members))
            for n, members in zones.items()
        },
        logins={w: Login(w, PortRole.INITIATOR) for ws in hbas.values() for w in ws},
        logins_complete=True,
    )
    fabric.index()
    return fabric


def audit(spec: Spec) -> RuleResults:
    """Pools as the import builds them, the array as its captures parse, the hosts' HBA
    listings and a fabric from ``spec["_fc"]``, then the array rules."""
    spec = copy.deepcopy(spec)
    fc = spec.pop("_fc", {"hbas": {}, "zones": {}})
    estate_spec = parse_estate(spec)
    macs = MacAllocator()
    for pool_spec in estate_spec.pools:
        macs.reserve_pool(pool_spec)
    pools = [pool_model(p, macs) for p in estate_spec.pools]
    apply_policy(pools, None)
    arrays = {
        name: parse_ontap(name, outputs)
        for name, (_platform, outputs) in array_captures(estate_spec).items()
    }
    with tempfile.TemporaryDirectory() as tmp:
        for host, wwpns in fc["hbas"].items():
            (Path(tmp) / f"{host}.txt").write_text(
                "".join(f"0x{w.replace(':', '')}\n" for w in wwpns)
            )
        initiators = initiators_for(pools, Path(tmp), [])
    estate = Estate(
        snapshot=None,  # type: ignore[arg-type]
        pools=pools,
        policy=None,
        arrays=arrays,
        initiators=initiators,
        fabrics=[_fabric(fc["zones"], fc["hbas"])] if fc["zones"] else [],
    )
    return run_rules(estate, [r for r in load_rules() if r.startswith("array-")])


def audit_with_arrays(scsi_id: str, arrays: dict[str, Any]) -> RuleResults:
    """The clean pools (prod's iSCSI SR on ``scsi_id``) beside already parsed arrays."""
    spec = clean_spec()
    sr_of(spec, "prod", "iSCSI")["device_config"]["SCSIid"] = scsi_id
    estate_spec = parse_estate(copy.deepcopy(spec))
    macs = MacAllocator()
    for pool_spec in estate_spec.pools:
        macs.reserve_pool(pool_spec)
    pools = [pool_model(p, macs) for p in estate_spec.pools]
    apply_policy(pools, None)
    estate = Estate(snapshot=None, pools=pools, policy=None, arrays=arrays)  # type: ignore[arg-type]
    return run_rules(estate, [r for r in load_rules() if r.startswith("array-")])


def svm(spec: Spec, name: str) -> dict[str, Any]:
    return next(s for s in spec["arrays"][0]["svms"] if s["name"] == name)


def iqn(pool: str, n: int) -> str:
    return host_iqns(parse_estate(copy.deepcopy(clean_spec())))[f"host:{pool}/{n}"]


@dataclass(frozen=True)
class Case:
    rule_id: str
    positive: Mutation
    expected: list[dict[str, str]]
    negative: Mutation


LUN = {"pool": "prod", "sr": "iSCSI", "array": "fas1", "volume": "svm_prod:/vol/prod/lun0"}
NFS = {"pool": "prod", "sr": "NFS", "array": "fas1", "vserver": "svm_prod", "volume": "prod_nfs"}
FC = {"pool": "prod", "sr": "FC", "array": "fas1", "volume": "svm_prod:/vol/prod_fc/lun0"}


def _set(path: Callable[[Spec], dict[str, Any]], **values: Any) -> Mutation:
    return lambda spec: path(spec).update(values)


def _append(path: Callable[[Spec], list[Any]], value: Any) -> Mutation:
    return lambda spec: path(spec).append(value)


def _both(*mutations: Mutation) -> Mutation:
    def run(spec: Spec) -> None:
        for m in mutations:
            m(spec)

    return run


def prod_group(spec: Spec) -> dict[str, Any]:
    group: dict[str, Any] = svm(spec, "svm_prod")["igroups"][0]
    return group


def prod_rules(spec: Spec) -> list[Any]:
    return svm(spec, "svm_prod")["policies"]["prod"]  # type: ignore[no-any-return]


def _split_group(second_id: int) -> Mutation:
    def run(spec: Spec) -> None:
        prod = svm(spec, "svm_prod")
        prod["igroups"][0:1] = [
            {"name": "prod_a", "initiators": ["host:prod/1"]},
            {"name": "prod_b", "initiators": ["host:prod/2"]},
        ]
        prod["maps"][0:1] = [
            {"lun": "/vol/prod/lun0", "igroup": "prod_a", "id": 0},
            {"lun": "/vol/prod/lun0", "igroup": "prod_b", "id": second_id},
        ]

    return run


def _dev_env(env: str) -> Mutation:
    return lambda spec: pool_of(spec, "dev").update(
        tags=[f"xsfabric:environment={env}", "xsfabric:trust=trusted"]
    )


def _dev_nfs_on_prod_svm(spec: Spec) -> None:
    svm(spec, "svm_dev")["lifs"][0] = {"name": "dev_nfs", "address": "10.51.0.9/24"}
    svm(spec, "svm_prod")["lifs"].append({"name": "dev_nfs", "address": "10.51.0.5/24"})


CASES = [
    Case(
        "array-lun-mapped-outside-pool",
        _append(lambda s: prod_group(s)["initiators"], "iqn.1991-05.com.microsoft:w1"),
        [LUN | {"group": "prod", "initiator": "iqn.1991-05.com.microsoft:w1"}],
        _append(
            lambda s: svm(s, "svm_prod")["igroups"],
            {"name": "spare", "initiators": ["iqn.1991-05.com.microsoft:w1"]},
        ),
    ),
    Case(
        "array-pool-host-not-mapped",
        _set(prod_group, initiators=["host:prod/1"]),
        [LUN | {"host": "prod-h2"}],
        _split_group(0),
    ),
    Case("array-lun-id-inconsistent", _split_group(7), [LUN], _split_group(0)),
    Case(
        "array-igroup-shared-across-environments",
        _append(
            lambda s: svm(s, "svm_prod")["igroups"],
            {"name": "shared", "initiators": ["host:prod/1", "host:dev/1"]},
        ),
        [{"array": "fas1", "vserver": "svm_prod", "group": "shared"}],
        _both(
            _append(
                lambda s: svm(s, "svm_prod")["igroups"],
                {"name": "shared", "initiators": ["host:prod/1", "host:dev/1"]},
            ),
            _dev_env("production"),
        ),
    ),
    Case(
        "array-os-type-not-xen",
        _set(lambda s: svm(s, "svm_prod")["luns"][0], ostype="windows"),
        [LUN],
        _set(lambda s: svm(s, "svm_prod")["luns"][0], ostype="linux"),
    ),
    Case(
        "array-nfs-export-open",
        _append(prod_rules, {"clients": ["10.11.0.0/24"]}),
        [NFS],
        _append(prod_rules, {"clients": ["10.11.0.11/32", "10.11.0.12/32"]}),
    ),
    Case(
        "array-nfs-export-security",
        _set(lambda s: prod_rules(s)[0], ro=["krb5"], rw=["krb5"]),
        [NFS],
        _set(lambda s: prod_rules(s)[0], ro=["any"], rw=["krb5", "sys"]),
    ),
    Case(
        "array-nfs-export-superuser-beyond-pool",
        _append(prod_rules, {"clients": ["10.11.0.0/24"], "rw": ["never"], "superuser": ["sys"]}),
        [NFS],
        _append(prod_rules, {"clients": ["10.11.0.0/24"], "rw": ["never"], "superuser": ["none"]}),
    ),
    Case(
        "array-data-lif-outside-storage-subnets",
        _append(
            lambda s: svm(s, "svm_prod")["lifs"], {"name": "stray", "address": "10.10.0.60/24"}
        ),
        [{"pool": "prod", "array": "fas1", "vserver": "svm_prod", "interface": "stray"}],
        _append(
            lambda s: svm(s, "svm_prod")["lifs"], {"name": "stray", "address": "10.11.0.60/24"}
        ),
    ),
    Case(
        "array-iscsi-chap-off",
        _set(lambda s: svm(s, "svm_prod"), chap={"default": "none"}),
        [{"pool": "prod", "sr": "iSCSI", "array": "fas1", "vserver": "svm_prod"}],
        _set(
            lambda s: svm(s, "svm_prod"),
            chap={"default": "none", "host:prod/1": "chap", "host:prod/2": "chap"},
        ),
    ),
    Case(
        "array-masked-not-zoned",
        lambda s: s["_fc"]["zones"].pop("z2b"),
        [FC | {"host": "prod-h2", "wwpn": W2B}],
        _both(
            lambda s: s["_fc"]["zones"].pop("z2b"),
            _set(lambda s: svm(s, "svm_prod")["igroups"][-1], initiators=[W1A, W1B, W2A]),
        ),
    ),
    Case(
        "array-zoned-not-masked",
        _set(lambda s: svm(s, "svm_prod")["igroups"][-1], initiators=[W1A, W1B, W2A]),
        [FC | {"host": "prod-h2", "wwpn": W2B}],
        _both(
            _set(lambda s: svm(s, "svm_prod")["igroups"][-1], initiators=[W1A, W1B, W2A]),
            lambda s: s["_fc"]["zones"].pop("z2b"),
        ),
    ),
    Case(
        "array-target-shared-across-environments",
        _dev_nfs_on_prod_svm,
        [{"array": "fas1", "vserver": "svm_prod"}],
        _both(_dev_nfs_on_prod_svm, _dev_env("production")),
    ),
]


def _run(mutation: Mutation) -> RuleResults:
    spec = array_spec()
    mutation(spec)
    return audit(spec)


def test_every_array_rule_has_a_case() -> None:
    load_rules()
    array_rules = sorted(r for r in REGISTRY if r.startswith("array-"))
    assert sorted(c.rule_id for c in CASES) == array_rules


def test_clean_array_estate_has_no_findings_and_everything_is_verified() -> None:
    results = _run(lambda spec: None)
    assert [f.rule_id for f in results.findings] == []
    assert results.not_checked == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule_id)
def test_positive(case: Case) -> None:
    found = subjects(_run(case.positive), case.rule_id)
    key = lambda s: sorted(s.items())  # noqa: E731
    assert sorted(found, key=key) == sorted(case.expected, key=key)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule_id)
def test_negative(case: Case) -> None:
    assert subjects(_run(case.negative), case.rule_id) == []


def test_anonymous_only_security_is_not_sys() -> None:
    results = _run(_set(lambda s: prod_rules(s)[0], ro=["none"]))
    assert subjects(results, "array-nfs-export-security") == [NFS]


def test_another_pools_host_in_the_lun_group_is_named() -> None:
    results = _run(_append(lambda s: prod_group(s)["initiators"], "host:dev/1"))
    [finding] = [f for f in results.findings if f.rule_id == "array-lun-mapped-outside-pool"]
    assert finding.subject["initiator"].name == iqn("dev", 1)
    assert (finding.evidence["owner_pool"], finding.evidence["owner_host"]) == ("dev", "dev-h1")


def test_an_sr_matching_no_volume_is_not_verified_never_passing() -> None:
    results = _run(
        _set(lambda s: sr_of(s, "prod", "iSCSI")["device_config"], SCSIid=_scsi_id("80Unknown000"))
    )
    reasons = [(n.rule_id, n.subject["sr"].name, n.reason) for n in results.not_checked]
    assert (
        "array-lun-mapped-outside-pool",
        "iSCSI",
        f"SR 'iSCSI' (SCSIid {_scsi_id('80Unknown000')}) not verified: its SCSIid matches "
        "no volume of the captured arrays",
    ) in reasons
    assert not [
        f
        for f in results.findings
        if f.subject.get("sr")
        and f.subject["sr"].name == "iSCSI"
        and f.rule_id.startswith("array-lun")
    ]


def test_an_nfs_sr_on_no_known_lif_is_not_verified() -> None:
    results = _run(lambda s: svm(s, "svm_prod")["lifs"].pop(0))
    assert [
        (n.rule_id, n.reason) for n in results.not_checked if n.rule_id == "array-nfs-export-open"
    ] == [
        (
            "array-nfs-export-open",
            "NFS SR 'NFS' not verified: target 10.11.0.5 is no data LIF of the captured arrays",
        )
    ]


def test_unknown_fc_initiators_are_not_called_foreign() -> None:
    """An FC LUN mapped to WWPNs while the pool's hosts have no HBA listing: the WWPNs may be
    the hosts' own, so the rule says 'not checked', not 'outside the pool'."""

    def fc(spec: Spec) -> None:
        spec["_fc"] = {"hbas": {}, "zones": {}}
        sr_of(spec, "prod", "iSCSI").update(type="lvmohba")
        prod_group(spec).update(protocol="fcp", initiators=["21:00:00:24:ff:30:04:85"])

    results = _run(fc)
    assert not [f for f in results.findings if f.rule_id == "array-lun-mapped-outside-pool"]
    assert any(
        n.rule_id == "array-lun-mapped-outside-pool" and "21:00:00:24:ff:30:04:85" in n.reason
        for n in results.not_checked
    )


def test_a_portset_limits_the_target_ports_an_hba_must_be_zoned_to() -> None:
    """The FC igroup is bound to a portset of fabric A's LIF only: prod-h2's B port, zoned
    to fabric B's target, has no path to the LUN; the A ports do."""

    def mutation(spec: Spec) -> None:
        prod = svm(spec, "svm_prod")
        prod["portsets"] = {"ps_a": ["fc_a"]}
        prod["igroups"][-1]["portset"] = "ps_a"
        prod["igroups"][-1]["initiators"] = [W1A, W2A, W2B]

    assert subjects(_run(mutation), "array-masked-not-zoned") == [
        FC | {"host": "prod-h2", "wwpn": W2B}
    ]


def test_a_cifs_only_lif_outside_the_storage_subnets_is_not_a_storage_lif() -> None:
    results = _run(
        _append(
            lambda s: svm(s, "svm_prod")["lifs"],
            {"name": "office_cifs", "address": "10.10.0.61/24", "protocols": ["cifs"]},
        )
    )
    assert subjects(results, "array-data-lif-outside-storage-subnets") == []


def test_port_zone_members_make_not_zoned_unknown_not_a_finding() -> None:
    """A fabric whose zones name a port (D,I) the name server cannot resolve may be zoning the
    HBA through it: 'not checked', never 'masked but not zoned'."""

    def mutation(spec: Spec) -> None:
        spec["_fc"]["zones"].pop("z2b")
        spec["_fc"]["port_zone"] = True

    spec = array_spec()
    mutation(spec)
    fc = spec.pop("_fc")
    fc.pop("port_zone")
    estate_spec = parse_estate(copy.deepcopy(spec))
    macs = MacAllocator()
    for pool_spec in estate_spec.pools:
        macs.reserve_pool(pool_spec)
    pools = [pool_model(p, macs) for p in estate_spec.pools]
    apply_policy(pools, None)
    arrays = {
        name: parse_ontap(name, outputs)
        for name, (_platform, outputs) in array_captures(estate_spec).items()
    }
    fabric = _fabric(fc["zones"], fc["hbas"])
    assert fabric.effective_zones is not None
    fabric.effective_zones["z_ports"] = Zone(
        "z_ports", (ZoneMember(MemberKind.PORT, "1,4"), ZoneMember(MemberKind.WWPN, TB))
    )
    with tempfile.TemporaryDirectory() as tmp:
        for host, wwpns in fc["hbas"].items():
            (Path(tmp) / f"{host}.txt").write_text(
                "".join(f"0x{w.replace(':', '')}\n" for w in wwpns)
            )
        initiators = initiators_for(pools, Path(tmp), [])
    estate = Estate(
        snapshot=None,  # type: ignore[arg-type]
        pools=pools,
        policy=None,
        arrays=arrays,
        initiators=initiators,
        fabrics=[fabric],
    )
    results = run_rules(estate, ["array-masked-not-zoned"])
    assert results.findings == []
    assert [n.subject["wwpn"].name for n in results.not_checked] == [W2B]
