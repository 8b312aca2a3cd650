from __future__ import annotations

from pathlib import Path

import pytest

from xsfabric.errors import PolicyError
from xsfabric.model.build import build_pool
from xsfabric.model.xen import Role
from xsfabric.policy import apply_policy, load_policy
from xsfabric.xapi.dbdump import parse_dump
from xsfabric.xapi.records import PoolRecords, records_from_dump

DUMP = (
    b'<database><manifest><pair key="schema_major_vsn" value="5"/></manifest>'
    b'<table name="pool"><row ref="OpaqueRef:p" uuid="p1" name_label="Prod%.Pool" '
    b"tags=\"('xsfabric:environment=staging')\"/></table>"
    b'<table name="host"><row ref="OpaqueRef:h" uuid="h1" name__label="h1"/></table>'
    b'<table name="network">'
    b'<row ref="OpaqueRef:n1" uuid="n1" name__label="DMZ%.guests" bridge="xenbr1" '
    b"tags=\"('xsfabric:untrusted')\"/>"
    b'<row ref="OpaqueRef:n2" uuid="n2" name__label="Backend" bridge="xenbr2"/></table>'
    b'<table name="PIF"><row ref="OpaqueRef:i" uuid="i1" host="OpaqueRef:h" device="eth1" '
    b'network="OpaqueRef:n2" VLAN="120" physical="false" MAC="fe:ff:ff:ff:ff:ff"/></table>'
    b'<table name="VM"><row ref="OpaqueRef:v" uuid="v1" name__label="db-01" '
    b'is_control_domain="false"/></table></database>'
)


def _pool() -> list:  # type: ignore[type-arg]
    records = records_from_dump(parse_dump(DUMP))
    return [build_pool("prod", PoolRecords(records, "xapi-db"))]


def test_tags_give_intent_and_policy_wins(tmp_path: Path) -> None:
    pools = _pool()
    assert apply_policy(pools, None) == []
    pool = pools[0]
    assert (pool.environment, pool.intent_source["environment"]) == ("staging", "tag")
    assert pool.networks["n1"].untrusted is True
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(
        "version: 1\n"
        "pools:\n"
        "  Prod Pool: {environment: production}\n"
        "networks:\n"
        "  - match: {vlan: 120}\n"
        "    role: storage\n"
        "  - match: {name: 'DMZ*'}\n"
        "    internet_facing: true\n"
        "vms:\n"
        "  - match: {name: 'db-*'}\n"
        "    sensitive: true\n"
    )
    pools = _pool()
    warnings = apply_policy(pools, load_policy(policy_file))
    assert warnings == []
    pool = pools[0]
    assert (pool.environment, pool.intent_source["environment"]) == ("production", "policy")
    assert pool.networks["n2"].role is Role.STORAGE
    assert pool.networks["n2"].role_source == "policy"
    assert pool.networks["n1"].internet_facing is True
    assert pool.vms["v1"].sensitive is True


def test_policy_entries_matching_nothing_are_warned(tmp_path: Path) -> None:
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(
        "pools:\n  nosuchpool: {environment: test}\n"
        "networks:\n  - match: {name: Nothing}\n    role: guest\n"
    )
    warnings = apply_policy(_pool(), load_policy(policy_file))
    assert len(warnings) == 2
    assert "nosuchpool" in warnings[0] and f"{policy_file}:2" in warnings[0]
    assert f"{policy_file}:4" in warnings[1]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("pools:\n  prod:\n    environment: prodution\n", 3, "prodution"),
        ("networks:\n  - match: {name: x}\n    rol: guest\n", 2, "rol"),
        ("version: 1\nunknown_key: 1\n", 1, "unknown_key"),
        ("networks:\n  - match: {vlan: 5000}\n", 2, "5000"),
    ],
)
def test_schema_errors_name_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(text)
    with pytest.raises(PolicyError) as info:
        load_policy(policy_file)
    assert message in str(info.value)
    assert info.value.line == line
