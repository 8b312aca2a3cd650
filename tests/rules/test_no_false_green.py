"""No false green (issue 8): a rule that raises is a recorded error and exit 3, not the end of
the audit; a category no rule checked is listed with the reason and ``--category`` naming only
such categories exits 3; what "could run" comes from the registry, not from a list."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from xsfabric.audit import DEMO_ESTATE, DEMO_POLICY
from xsfabric.cli import main
from xsfabric.lab.estate import load_estate
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.rules import engine
from xsfabric.rules.engine import REGISTRY, Category, Rule, RuleContext, load_rules


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("nfg")
    write_estate(load_estate(DEMO_ESTATE), root / "src")
    snapshot = root / "snapshot"
    assert (
        main(
            [
                "snapshot",
                "import",
                str(root / "src"),
                "-o",
                str(snapshot),
                "--policy",
                str(DEMO_POLICY),
            ]
        )
        == 0
    )
    return snapshot


@pytest.fixture
def registry() -> Iterator[dict[str, Rule]]:
    """The real registry, restored after the test changes it."""
    load_rules()
    saved = dict(REGISTRY)
    yield REGISTRY
    REGISTRY.clear()
    REGISTRY.update(saved)


def _audit_json(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, Any], str]:
    capsys.readouterr()
    code = main(["audit", *args, "--format", "json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def test_a_raising_rule_is_recorded_and_the_others_still_run(
    demo: Path, registry: dict[str, Rule], capsys: pytest.CaptureFixture[str]
) -> None:
    baseline_code, baseline, _ = _audit_json([str(demo), "--fail-on", "none"], capsys)
    assert baseline_code == 0 and baseline["rule_errors"] == []
    victim_id = baseline["rules_run"][0]
    victim = registry[victim_id]

    def broken(ctx: RuleContext) -> None:
        raise KeyError("uuid")

    registry[victim_id] = Rule(victim.meta, broken)
    code, doc, err = _audit_json([str(demo), "--fail-on", "none"], capsys)
    assert code == 3
    assert [e["rule_id"] for e in doc["rule_errors"]] == [victim_id]
    assert "KeyError" in doc["rule_errors"][0]["message"]
    assert f"rule {victim_id} failed" in err and "Traceback" not in err
    # every other rule ran and reported as before
    assert set(doc["rules_run"]) == set(baseline["rules_run"]) - {victim_id}
    others = [f for f in baseline["findings"] if f["rule_id"] != victim_id]
    assert len(doc["findings"]) == len(others)
    capsys.readouterr()
    main(["audit", str(demo), "--fail-on", "none"])
    assert f"rule error: {victim_id}" in capsys.readouterr().out


def test_a_category_without_rules_is_listed_and_alone_exits_3(
    demo: Path, registry: dict[str, Rule], capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc, _ = _audit_json([str(demo), "--fail-on", "none"], capsys)
    ran = {registry[r].meta.category for r in doc["rules_run"]}
    target = next(iter(sorted(ran)))  # a category that is checked today
    assert target not in {c["category"] for c in doc["categories_not_checked"]}
    assert main(["audit", str(demo), "--category", str(target), "--fail-on", "none"]) == 0
    for rule_id in [r for r, rule in registry.items() if rule.meta.category == target]:
        del registry[rule_id]
    code, doc, err = _audit_json(
        [str(demo), "--category", str(target), "--fail-on", "none"], capsys
    )
    assert code == 3
    assert doc["categories_not_checked"] == [
        {"category": str(target), "reason": "no rule checks this category yet"}
    ]
    assert f"category {target} not checked" in err


def test_every_category_no_rule_checked_is_in_the_report(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Derived from the registry: exactly the categories without a rule that ran."""
    _, doc, _ = _audit_json([str(demo), "--fail-on", "none"], capsys)
    registry = load_rules()
    checked = {str(registry[r].meta.category) for r in doc["rules_run"]}
    listed = {c["category"] for c in doc["categories_not_checked"]}
    assert listed == {str(c) for c in Category} - checked


def test_a_rule_whose_data_is_missing_is_not_checked_not_passed(
    demo: Path,
    registry: dict[str, Rule],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(engine.DATA_SOURCES, "xapi", lambda estate: False)
    code, doc, err = _audit_json([str(demo), "--fail-on", "none"], capsys)
    xapi_rules = {r for r, rule in registry.items() if "xapi" in rule.meta.data}
    assert xapi_rules.isdisjoint(doc["rules_run"])
    assert xapi_rules <= {n["rule_id"] for n in doc["rules_not_run"]}
    assert all("xapi" in n["reason"] for n in doc["rules_not_run"] if n["rule_id"] in xapi_rules)
    # guide items only xapi rules check are listed as not checked
    registry = load_rules()
    ran_guides = {g for r in doc["rules_run"] for g in registry[r].meta.guide}
    xapi_guides = {g for r in xapi_rules for g in registry[r].meta.guide} - ran_guides
    assert xapi_guides <= {g["guide"] for g in doc["guide_not_checked"]}
    if not doc["rules_run"]:
        assert code == 3 and "nothing was checked" in err


def test_every_data_tag_of_a_registered_rule_is_known() -> None:
    """A rule module that adds a data tag registers how an estate shows it (DATA_SOURCES), so
    that a snapshot without that data lists the rule as not checked instead of passing it."""
    tags = {tag for rule in load_rules().values() for tag in rule.meta.data}
    unknown = tags - set(engine.DATA_SOURCES) - engine.ALWAYS_CHECKED_BY_THE_RULE
    assert not unknown, f"add these data tags to rules.engine.DATA_SOURCES: {sorted(unknown)}"
