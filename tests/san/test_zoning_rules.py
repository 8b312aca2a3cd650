"""A positive and a near-miss negative fixture for every zoning rule: each case changes one
thing in the clean two-fabric SAN of ``fabric_fixtures`` (rendered by the lab, parsed by the
templates: a lab round trip)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from tests.rules.conftest import subjects
from tests.san.fabric_fixtures import (
    H1A,
    H1B,
    H2A,
    H2B,
    TA,
    TB,
    Fabrics,
    audit_san,
    clean_fabrics,
    fabric_of,
)

from xsfabric.rules.engine import Severity, load_rules

Mutation = Callable[[Fabrics], None]
A = {"device": "FAB_A"}
B = {"device": "mds-b VSAN 20"}
STALE = "21:00:00:24:ff:00:00:99"
STRANGER = "10:00:00:10:9b:00:00:77"


@dataclass(frozen=True)
class Case:
    rule_id: str
    positive: Mutation
    expected: list[dict[str, str]]
    negative: Mutation


def on(name: str, **values: object) -> Mutation:
    return lambda f: fabric_of(f, name).update(copy.deepcopy(values))


def add_zone(name: str, zone: str, members: list[str], *, in_cfg: bool = True) -> Mutation:
    def apply(f: Fabrics) -> None:
        fabric = fabric_of(f, name)
        fabric["zones"][zone] = members
        if not in_cfg:
            fabric["cfg_zones"] = [z for z in fabric["zones"] if z != zone]

    return apply


def add_login(name: str, wwpn: str, role: str, port: int) -> Mutation:
    return lambda f: fabric_of(f, name)["logins"].append({"wwpn": wwpn, "role": role, "port": port})


def both(*mutations: Mutation) -> Mutation:
    def apply(f: Fabrics) -> None:
        for mutation in mutations:
            mutation(f)

    return apply


def drop_zone(name: str, zone: str) -> Mutation:
    return lambda f: fabric_of(f, name)["zones"].pop(zone)


CASES = [
    Case(
        "zoning-disabled",
        on("fab-a", zoning=False),
        [A],
        # an MDS VSAN with zoning off but no device logged in: nothing to separate
        on("mds-b", zoning=False, zones={}, aliases={}, logins=[]),
    ),
    Case(
        "zoning-default-zone-access",
        on("fab-a", default_zone="permit"),
        [A],
        on("mds-b", default_zone="permit", zones={}, aliases={}, logins=[]),
    ),
    Case(
        "zoning-multi-initiator-zone",
        add_zone("fab-a", "z_prod_hosts_a", ["prod_h1_a", "prod_h2_a", "ontap_0a"]),
        [A | {"zone": "z_prod_hosts_a"}],
        # the same members as an MDS smart zone: initiators cannot reach each other
        both(
            on("mds-b", smart_zoning=True),
            add_zone("mds-b", "z_prod_smart_b", [f"{H1B} init", f"{H2B} init", f"{TB} target"]),
        ),
    ),
    Case(
        "zoning-initiator-to-initiator",
        add_zone("fab-a", "z_hosts_only", ["prod_h1_a", "prod_h2_a"]),
        [A | {"zone": "z_hosts_only"}],
        # one initiator with a port whose role the name server does not know
        both(
            add_login("fab-a", STRANGER, "unknown", 5),
            add_zone("fab-a", "z_h1_unknown", ["prod_h1_a", STRANGER]),
        ),
    ),
    Case(
        "zoning-port-members",
        add_zone("fab-a", "z_ports", ["1,1", "1,3"]),
        [A | {"zone": "z_ports"}],
        add_zone("fab-a", "z_wwns", [H1A, TA]),
    ),
    Case(
        "zoning-defined-effective-drift",
        on("fab-a", not_enabled=["z_prod_h2_a"]),
        [A],
        # a zone that is defined but in no configuration is not drift
        add_zone("fab-a", "z_spare", ["prod_h1_a", "ontap_0a"], in_cfg=False),
    ),
    Case(
        "zoning-member-not-logged-in",
        add_zone("fab-a", "z_prod_h1_a", ["prod_h1_a", STALE, "ontap_0a"]),
        [A | {"wwpn": STALE}],
        both(
            add_zone("fab-a", "z_prod_h1_a", ["prod_h1_a", STALE, "ontap_0a"]),
            add_login("fab-a", STALE, "initiator", 6),
        ),
    ),
    Case(
        "zoning-zone-no-online-member",
        add_zone("mds-b", "z_gone", [STALE, "50:0a:09:82:00:00:00:09"]),
        [B | {"zone": "z_gone"}],
        add_zone("mds-b", "z_half", [STALE, TB]),
    ),
    Case(
        "zoning-empty-or-single-member-zone",
        add_zone("fab-a", "z_single", ["ontap_0a"]),
        [A | {"zone": "z_single"}],
        # one member that is an alias of two WWPNs is two members
        both(
            on(
                "fab-a",
                aliases={
                    "prod_h1_a": [H1A],
                    "prod_h2_a": [H2A],
                    "ontap_0a": [TA],
                    "pair": [H1A, TA],
                },
            ),
            add_zone("fab-a", "z_pair", ["pair"]),
        ),
    ),
    Case(
        "zoning-unused-alias",
        on("mds-b", aliases={"ontap_b": [TB], "old_host": [STALE]}),
        [B | {"zone": "alias old_host"}],
        # used only through a zone that is defined but not in effect: still used
        both(
            on("mds-b", aliases={"ontap_b": [TB], "old_host": [STALE]}),
            add_zone("mds-b", "z_old", ["fcalias old_host", TB], in_cfg=False),
        ),
    ),
    Case(
        "zoning-login-not-zoned",
        add_login("fab-a", STRANGER, "initiator", 5),
        [A | {"wwpn": STRANGER}],
        # zoned by its port (domain 1, index 5) rather than its WWPN
        both(
            add_login("fab-a", STRANGER, "initiator", 5),
            add_zone("fab-a", "z_port5", ["1,5", "1,3"]),
        ),
    ),
    Case(
        "zoning-host-fabric-redundancy",
        drop_zone("mds-b", "z_prod_h2_b"),
        [{"pool": "prod", "host": "prod-h2"}],
        # zoned on fabric B to a port whose role is not known: not a missing path
        add_zone("mds-b", "z_prod_h2_b", [H2B, "50:0a:09:82:00:00:00:05"]),
    ),
]


def test_every_zoning_rule_has_a_case() -> None:
    assert sorted(c.rule_id for c in CASES) == sorted(
        r for r in load_rules() if r.startswith("zoning-")
    )


def test_clean_san_has_no_zoning_findings() -> None:
    results = audit_san(clean_fabrics())
    assert [f.rule_id for f in results.findings if f.category == "zoning"] == []
    # every zoning rule ran (rules of other categories may lack their data here)
    assert [n.rule_id for n in results.not_checked if n.rule_id.startswith("zoning-")] == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule_id)
def test_positive(case: Case) -> None:
    fabrics = clean_fabrics()
    case.positive(fabrics)
    found = subjects(audit_san(fabrics), case.rule_id)
    key = lambda s: sorted(s.items())  # noqa: E731
    assert sorted(found, key=key) == sorted(case.expected, key=key)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule_id)
def test_negative(case: Case) -> None:
    fabrics = clean_fabrics()
    case.negative(fabrics)
    assert subjects(audit_san(fabrics), case.rule_id) == []


def test_single_fabric_host_is_medium_and_unzoned_host_is_high() -> None:
    fabrics = clean_fabrics()
    drop_zone("mds-b", "z_prod_h2_b")(fabrics)
    drop_zone("fab-a", "z_prod_h1_a")(fabrics)
    drop_zone("mds-b", "z_prod_h1_b")(fabrics)
    found = {
        f.subject["host"].name: f.severity
        for f in audit_san(fabrics).findings
        if f.rule_id == "zoning-host-fabric-redundancy"
    }
    assert found == {"prod-h1": Severity.HIGH, "prod-h2": Severity.MEDIUM}


def test_mixed_port_and_wwn_zone_is_medium() -> None:
    fabrics = clean_fabrics()
    add_zone("fab-a", "z_mixed", ["1,1", "ontap_0a"])(fabrics)
    (finding,) = [f for f in audit_san(fabrics).findings if f.rule_id == "zoning-port-members"]
    assert finding.severity is Severity.MEDIUM and finding.evidence["mixed"] is True


def test_no_name_server_means_not_checked_not_pass() -> None:
    fabrics = clean_fabrics()
    add_zone("fab-a", "z_hosts_only", ["prod_h1_a", "prod_h2_a"])(fabrics)
    results = audit_san(fabrics, strip_logins="fab-a")
    assert subjects(results, "zoning-initiator-to-initiator") == []
    assert any(
        n.rule_id == "zoning-initiator-to-initiator" and n.subject["device"].name == "FAB_A"
        for n in results.not_checked
    )


def test_hosts_without_wwpns_are_not_checked() -> None:
    results = audit_san(clean_fabrics(), hbas={})
    assert subjects(results, "zoning-host-fabric-redundancy") == []
    assert sorted(
        n.subject["host"].name
        for n in results.not_checked
        if n.rule_id == "zoning-host-fabric-redundancy"
    ) == ["prod-h1", "prod-h2"]


def test_unzoned_port_of_unknown_role_is_not_checked_not_a_finding() -> None:
    """An Access Gateway or NPV uplink logs in without an FCP role and is never zoned."""
    fabrics = clean_fabrics()
    add_login("fab-a", STRANGER, "unknown", 5)(fabrics)
    results = audit_san(fabrics)
    assert subjects(results, "zoning-login-not-zoned") == []
    assert [n.reason for n in results.not_checked if n.rule_id == "zoning-login-not-zoned"] == [
        f"1 logged-in port(s) in no zone whose role the name server does not give: {STRANGER}"
    ]


def test_device_alias_without_database_is_not_drift() -> None:
    """Enhanced device-alias mode: without the device-alias database the defined and active
    copies cannot be compared, so the zone is "not checked", never drift."""
    fabrics = clean_fabrics()
    fabric_of(fabrics, "mds-b")["device_aliases"] = {}
    results = audit_san(fabrics)
    assert subjects(results, "zoning-defined-effective-drift") == []
    assert any(
        n.rule_id == "zoning-defined-effective-drift" and "z_prod_h1_b" in n.reason
        for n in results.not_checked
    )


def test_zoned_with_respects_peer_and_smart_zones() -> None:
    """What the masking join asks: which WWPNs may a port reach through the zoning."""
    from tests.san.fabric_fixtures import build_fabrics

    fabrics = clean_fabrics()
    on("mds-b", smart_zoning=True)(fabrics)
    add_zone("mds-b", "z_smart", [f"{H1B} init", f"{H2B} init", f"{TB} target"])(fabrics)
    fab_a, mds_b = build_fabrics(fabrics)
    assert fab_a.zoned_with()[H1A] == {TA}
    assert fab_a.zoned_with()[TA] == {H1A, H2A}
    reach = mds_b.zoned_with()
    assert reach[H1B] == {TB} and reach[H2B] == {TB}  # not each other, through z_smart
    assert reach[TB] == {H1B, H2B}


def test_unused_alias_needs_the_whole_zone_database() -> None:
    """Without MDS ``show zone`` only the zone sets' zones are known: an alias looking
    unused may serve a zone outside them, so "not checked" instead of a finding."""
    from tests.san.fabric_fixtures import build_fabrics

    from xsfabric.model.estate import Estate
    from xsfabric.rules.engine import run_rules

    fabrics = clean_fabrics()
    on("mds-b", aliases={"ontap_b": [TB], "old_host": [STALE]})(fabrics)
    built = build_fabrics(fabrics, strip_zone_db="mds-b")
    results = run_rules(
        Estate(
            snapshot=None,  # type: ignore[arg-type]
            pools=[],
            policy=None,
            fabrics=built,
        )
    )
    assert subjects(results, "zoning-unused-alias") == []
    assert [
        n.subject["device"].name for n in results.not_checked if n.rule_id == "zoning-unused-alias"
    ] == ["mds-b VSAN 20"]


def test_brocade_all_access_with_zoning_on_is_medium_mds_permit_is_high() -> None:
    fabrics = clean_fabrics()
    on("fab-a", default_zone="permit")(fabrics)
    on("mds-b", default_zone="permit")(fabrics)
    found = {
        f.subject["device"].name: f.severity
        for f in audit_san(fabrics).findings
        if f.rule_id == "zoning-default-zone-access"
    }
    assert found == {"FAB_A": Severity.MEDIUM, "mds-b VSAN 20": Severity.HIGH}


def test_host_whose_other_port_is_on_no_collected_fabric_is_not_checked() -> None:
    """Fabric B's second port of prod-h2 is not on fabric B (a third, uncollected fabric
    perhaps): one fabric zoned is then no proof of a missing path."""
    fabrics = clean_fabrics()
    drop_zone("mds-b", "z_prod_h2_b")(fabrics)
    fabric_of(fabrics, "mds-b")["logins"] = [
        x for x in fabric_of(fabrics, "mds-b")["logins"] if x["wwpn"] != H2B
    ]
    results = audit_san(fabrics)
    assert subjects(results, "zoning-host-fabric-redundancy") == []
    assert [
        n.reason for n in results.not_checked if n.rule_id == "zoning-host-fabric-redundancy"
    ] == [f"zoned on FAB_A only; its other HBA port(s) {H2B} are on no collected fabric"]


def test_member_on_an_uncollected_switch_is_not_reported_offline() -> None:
    """Brocade: nsshow alone lists this switch's ports; a zoned WWPN missing from it may be
    logged in on another switch of the fabric, so the rule says "not checked"."""
    from tests.san.fabric_fixtures import build_fabrics

    from xsfabric.model.estate import Estate
    from xsfabric.rules.engine import run_rules

    fabrics = clean_fabrics()
    add_zone("fab-a", "z_prod_h1_a", ["prod_h1_a", STALE, "ontap_0a"])(fabrics)
    with_remote = build_fabrics(fabrics)
    assert with_remote[0].logins_complete
    built = build_fabrics(fabrics)
    built[0].logins_complete = False  # as if nscamshow were missing on a 2-switch fabric
    results = run_rules(
        Estate(
            snapshot=None,  # type: ignore[arg-type]
            pools=[],
            policy=None,
            fabrics=built,
        )
    )
    assert subjects(results, "zoning-member-not-logged-in") == []
    assert [
        n.subject["device"].name
        for n in results.not_checked
        if n.rule_id == "zoning-member-not-logged-in"
    ] == ["FAB_A"]
