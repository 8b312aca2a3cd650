"""Purity//FA capture parsers, both ways: every allowlisted ``pure`` command has fixtures,
every fixture folder is a command the parser reads, every ``.raw`` parses to its hand-written
``.yml`` (host groups and CHAP read with ``purehost_list/hosts.raw`` as their host context)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from xsfabric.san.array_pure import parse_pure
from xsfabric.switch.allowlist import CLI_COMMANDS

FIXTURES = Path(__file__).parent / "fixtures" / "pure"
HOSTS = (FIXTURES / "purehost_list" / "hosts.raw").read_text()
ATTRIBUTE = {
    "purevol list": "volumes",
    "purehost list": "groups",
    "purehost list --connect": "maps",
    "purehgroup list": "groups",
    "purehost list --chap": "chap",
}


def _plain(record: Any) -> dict[str, Any]:
    return {
        k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(record).items()
    }


def test_every_command_has_fixtures_and_every_folder_a_command() -> None:
    assert set(CLI_COMMANDS["pure"]) == set(ATTRIBUTE)
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders == {c.replace(" ", "_") for c in ATTRIBUTE}
    for folder in folders:
        assert sorted((FIXTURES / folder).glob("*.raw")), folder


@pytest.mark.parametrize(
    "raw", sorted(FIXTURES.glob("*/*.raw")), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_raw_parses_to_expected(raw: Path) -> None:
    command = raw.parent.name.replace("_", " ")
    expected = yaml.safe_load(raw.with_suffix(".yml").read_text())
    captures = {command: raw.read_text()}
    if command in ("purehgroup list", "purehost list --chap"):
        captures["purehost list"] = HOSTS
    facts = parse_pure("pure1", captures)
    if "error" in expected:
        assert [w.message for w in facts.warnings] == [expected["error"]]
        assert getattr(facts, ATTRIBUTE[command]) is None
        return
    assert facts.warnings == []
    records = getattr(facts, ATTRIBUTE[command])
    if command == "purehgroup list":
        records = [r for r in records if r.name.startswith("hgroup:")]
    assert [_plain(r) for r in records] == expected["parsed_sample"]


def test_an_error_answer_is_a_warning_with_its_line() -> None:
    facts = parse_pure("pure1", {"purevol list": "purevol list\nError: Permission denied.\n"})
    assert facts.volumes is None
    assert (facts.warnings[0].line, facts.warnings[0].source) == (2, "purevol list")


def test_pure_masking_and_chap_join_the_pool() -> None:
    """A Pure volume behind the prod pool's iSCSI SR, connected to both prod hosts and to a
    Windows backup host; no CHAP for the hosts: the LUN's foreign host and CHAP are found."""
    import copy

    from tests.rules.conftest import clean_spec, sr_of

    from xsfabric.lab.array_gen import host_iqns
    from xsfabric.lab.estate import parse_estate
    from xsfabric.lab.xapi_dump_gen import MacAllocator, pool_model
    from xsfabric.model.estate import Estate
    from xsfabric.policy import apply_policy
    from xsfabric.rules.engine import load_rules, run_rules

    spec = clean_spec()
    sr_of(spec, "prod", "iSCSI")["device_config"]["SCSIid"] = "3624a93703b7b308d98f9425e000113e9"
    estate_spec = parse_estate(copy.deepcopy(spec))
    iqns = host_iqns(estate_spec)
    macs = MacAllocator()
    for pool_spec in estate_spec.pools:
        macs.reserve_pool(pool_spec)
    pools = [pool_model(p, macs) for p in estate_spec.pools]
    apply_policy(pools, None)
    h1, h2 = iqns["host:prod/1"], iqns["host:prod/2"]
    captures = {
        "purevol list": (FIXTURES / "purevol_list" / "volumes.raw").read_text(),
        "purehost list": (
            "Name      WWN  IQN                                 NQN  Host Group\n"
            f"prod-h1   -    {h1:<34}  -    xen\n"
            f"prod-h2   -    {h2:<34}  -    xen\n"
            "winbk     -    iqn.1991-05.com.microsoft:winbk     -    -\n"
        ),
        "purehost list --connect": (
            "Name     LUN  Vol           Host Group\n"
            "prod-h1  10   xen-prod-sr1  xen\n"
            "prod-h2  10   xen-prod-sr1  xen\n"
            "winbk    3    xen-prod-sr1  -\n"
        ),
        "purehost list --chap": (
            "Name     Host User  Host Password  Target User  Target Password\n"
            "prod-h1  -          -              -            -\n"
            "prod-h2  -          -              -            -\n"
        ),
    }
    estate = Estate(
        snapshot=None,  # type: ignore[arg-type]
        pools=pools,
        policy=None,
        arrays={"pure1": parse_pure("pure1", captures)},
    )
    results = run_rules(estate, [r for r in load_rules() if r.startswith("array-")])
    found = sorted(
        (f.rule_id, f.subject.get("initiator", f.subject["sr"]).name) for f in results.findings
    )
    # LUN ids: the pool's own hosts both see LUN 10; the foreign host's 3 is its own finding
    assert found == [
        ("array-iscsi-chap-off", "iSCSI"),
        ("array-lun-mapped-outside-pool", "iqn.1991-05.com.microsoft:winbk"),
    ]


def test_redaction_keeps_the_chap_table_and_still_removes_passwords() -> None:
    from xsfabric.redact import Redactor

    table = (FIXTURES / "purehost_list_--chap" / "chap.raw").read_text()
    assert Redactor().text(table) == table
    assert Redactor().text("host-password s3cr3t-Value\n") == "host-password REMOVED\n"
