"""NIC layouts are compared across pools that share a design only: same environment (or one
unknown), or the same expected layout in the policy; never a production pool with a test pool,
nor two pools whose policy layouts differ on purpose."""

from __future__ import annotations

from tests.rules.conftest import Spec, audit_spec, clean_spec, network_of, pool_of, subjects

RULE = "xen-nic-layout-differs-across-pools"
DEV_DIFFERS = [{"pool": "dev", "pif": d} for d in ("eth1", "eth2", "eth3", "eth4")]


def _swap_dev(spec: Spec) -> None:
    network_of(spec, "dev", "Storage")["on"] = "bond1"
    for name in ("Web", "Internal"):
        network_of(spec, "dev", name)["on"] = "bond0"


def _env(spec: Spec, pool: str, env: str | None) -> None:
    tags = [t for t in pool_of(spec, pool)["tags"] if not t.startswith("xsfabric:environment")]
    pool_of(spec, pool)["tags"] = tags + ([f"xsfabric:environment={env}"] if env else [])


def test_unknown_environment_is_compared() -> None:
    spec = clean_spec()
    _swap_dev(spec)
    _env(spec, "dev", None)
    assert subjects(audit_spec(spec), RULE) == DEV_DIFFERS


def test_same_environment_is_compared_different_is_not() -> None:
    spec = clean_spec()
    _swap_dev(spec)
    assert subjects(audit_spec(spec), RULE) == []  # production vs development
    _env(spec, "dev", "production")
    assert subjects(audit_spec(spec), RULE) == DEV_DIFFERS


def test_policy_layouts_decide_when_both_pools_have_one() -> None:
    from xsfabric.model.xen import Pool
    from xsfabric.rules.consistency import share_design

    def pool(env: str | None, layout: dict[str, str]) -> Pool:
        made = Pool(
            name="p",
            uuid="u",
            name_label="p",
            master_uuid=None,
            other_config={},
            tags=[],
            source="x",
            collected_at=None,
            names_unresolved=False,
            resolved={},
        )
        made.environment, made.expected_nic_layout = env, layout
        return made

    a = {"eth0": "management", "eth1": "storage"}
    b = {"eth0": "management", "eth1": "guest"}
    assert share_design(pool("production", a), pool("production", a))
    assert not share_design(pool("production", a), pool("production", b))
    assert share_design(pool("production", a), pool("test", a))  # the policy says so
    assert not share_design(pool("production", {}), pool("test", {}))
    assert share_design(pool(None, {}), pool("test", {}))
