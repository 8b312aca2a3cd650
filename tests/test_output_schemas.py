"""Every JSON output has a versioned schema, and real output matches it."""

from __future__ import annotations

import json

import pytest

from xsfabric.cli import main
from xsfabric.schemas import SchemaValidationError, validate


def test_rules_json_matches_its_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    validate("rules", document, where="xsfabric rules --format json")
    assert [c["id"] for c in document["coverage"]] == [f"G{i:02d}" for i in range(1, 32)]
    broken = {**document, "rules": [{**document["rules"][0], "severity": "urgent"}]}
    with pytest.raises(SchemaValidationError, match="urgent"):
        validate("rules", broken, where="test")
