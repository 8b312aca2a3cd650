"""SARIF 2.1.0: valid against the official schema, rules with help and guide references,
stable fingerprints, logical locations, baseline state against a reference, suppressions."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from tests.report.conftest import HOSTILE, load_json, render_one

from xsfabric.report.diff import with_baseline
from xsfabric.report.sarif import FINGERPRINT_KEY, run_guid
from xsfabric.report.waivers import Waiver, apply_waivers
from xsfabric.rules.engine import load_rules

SCHEMA = (
    Path(__file__).resolve().parents[2].parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    if not SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SCHEMA}")
    return jsonschema.Draft4Validator(json.loads(SCHEMA.read_text()))


def _sarif(doc: dict[str, Any]) -> dict[str, Any]:
    sarif: dict[str, Any] = load_json(render_one("sarif", doc))
    return sarif


def _valid(validator: jsonschema.Draft4Validator, log: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_demo_sarif_validates_and_has_one_result_per_finding(
    validator: jsonschema.Draft4Validator, demo_doc: dict[str, Any]
) -> None:
    log = _sarif(demo_doc)
    _valid(validator, log)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert len(run["results"]) == len(demo_doc["findings"]) > 10
    assert [r["partialFingerprints"][FINGERPRINT_KEY] for r in run["results"]] == [
        f["fingerprint"] for f in demo_doc["findings"]
    ]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
    registry = load_rules()
    mgmt = next(r for r in rules if r["id"] == "xen-vm-on-management-network")
    meta = registry["xen-vm-on-management-network"].meta
    assert meta.remediation in mgmt["help"]["text"]
    for guide in meta.guide:
        assert guide in mgmt["properties"]["tags"]
        assert guide in mgmt["help"]["text"]
    assert mgmt["fullDescription"]["text"] == meta.rationale
    # medium and above are errors or warnings; not-checked items are notifications
    assert {r["level"] for r in run["results"]} <= {"error", "warning", "note"}
    assert len(run["invocations"][0]["toolExecutionNotifications"]) == len(demo_doc["not_checked"])


def test_logical_locations_chain_pool_to_vif(demo_doc: dict[str, Any]) -> None:
    run = _sarif(demo_doc)["runs"][0]
    result = next(
        r
        for r in run["results"]
        if r["ruleId"] == "xen-vm-on-management-network" and "legacy-admin" in r["message"]["text"]
    )
    loc = result["locations"][0]["logicalLocations"][0]
    chain = []
    index: int | None = loc["index"]
    while index is not None:
        node = run["logicalLocations"][index]
        chain.append((node["kind"], node["name"]))
        index = node.get("parentIndex")
    # the subject of the demo's planted finding: pool prod, network Management, VM, VIF 0
    assert list(reversed(chain)) == [
        ("namespace", "prod"),
        ("resource", "Management"),
        ("object", "legacy-admin"),
        ("member", "0"),
    ]
    assert loc["fullyQualifiedName"] == "pool:prod/network:Management/vm:legacy-admin/vif:0"


def test_fingerprints_stable_across_runs(demo_snapshot: Path) -> None:
    from xsfabric.audit import audit_snapshot
    from xsfabric.report.json import findings_document
    from xsfabric.snapshot import Snapshot

    again = findings_document(audit_snapshot(Snapshot.open(demo_snapshot)))
    first = findings_document(audit_snapshot(Snapshot.open(demo_snapshot)))
    assert render_one("sarif", again) == render_one("sarif", first)


def test_baseline_state_new_unchanged_absent(
    validator: jsonschema.Draft4Validator, demo_doc: dict[str, Any]
) -> None:
    old = copy.deepcopy(demo_doc)
    gone = old["findings"].pop(0)  # present now, not before: new
    fixed = copy.deepcopy(demo_doc["findings"][1]) | {"fingerprint": "f" * 64}
    old["findings"].append(fixed)  # present before, not now: absent
    old["snapshot"] = dict(old["snapshot"], path="/snapshots/last-week")
    log = _sarif(with_baseline(demo_doc, old))
    _valid(validator, log)
    run = log["runs"][0]
    states = {r["partialFingerprints"][FINGERPRINT_KEY]: r["baselineState"] for r in run["results"]}
    assert states[gone["fingerprint"]] == "new"
    assert states["f" * 64] == "absent"
    assert sum(1 for s in states.values() if s == "unchanged") == len(demo_doc["findings"]) - 1
    assert run["baselineGuid"] == run_guid(old["snapshot"]) != run["automationDetails"]["guid"]


def test_waived_findings_are_suppressed_results(
    validator: jsonschema.Draft4Validator, demo_doc: dict[str, Any]
) -> None:
    waiver = Waiver(
        file=Path("w.yaml"),
        line=3,
        rule="xen-vm-on-management-network",
        subject={"vm": "legacy-*"},
        justification="out-of-band admin VM, tracked",
        owner="netops",
        expires=dt.date(2027, 1, 31),
    )
    doc = apply_waivers(demo_doc, [waiver], dt.date(2026, 12, 3))
    log = _sarif(doc)
    _valid(validator, log)
    suppressed = [r for r in log["runs"][0]["results"] if "suppressions" in r]
    assert len(suppressed) == 1
    assert suppressed[0]["suppressions"][0]["status"] == "accepted"
    assert suppressed[0]["suppressions"][0]["justification"] == "out-of-band admin VM, tracked"
    assert len(log["runs"][0]["results"]) == len(demo_doc["findings"])


def test_hostile_names_valid_and_without_control_characters(
    validator: jsonschema.Draft4Validator, hostile_doc: dict[str, Any]
) -> None:
    data = render_one("sarif", hostile_doc)
    _valid(validator, json.loads(data))
    text = data.decode()
    assert "\x1b" not in text and "\\u001b" not in text
    # the name itself is kept as text, its newline made a space (no forged message line)
    names = {loc["name"] for loc in json.loads(data)["runs"][0]["logicalLocations"]}
    assert HOSTILE.replace("\n", " ") in names


def test_results_point_at_the_snapshot_file_of_their_device(
    validator: jsonschema.Draft4Validator, demo_doc: dict[str, Any]
) -> None:
    from urllib.parse import unquote, urlparse

    log = _sarif(demo_doc)
    _valid(validator, log)
    run = log["runs"][0]
    base = Path(unquote(urlparse(run["originalUriBaseIds"]["SNAPSHOT"]["uri"]).path))
    assert base == Path(demo_doc["snapshot"]["path"]).resolve()
    devices = {d["name"]: d for d in demo_doc["snapshot"]["devices"]}
    pointed = 0
    for result, finding in zip(run["results"], demo_doc["findings"], strict=True):
        subject = finding["subject"]
        # the switch, array or pool the finding is about, when it is a snapshot device (a
        # fabric, named by its fabric name, is not one file)
        owner = next(
            (
                subject[k]["name"]
                for k in ("device", "array", "pool")
                if k in subject and subject[k]["name"] in devices
            ),
            None,
        )
        location = result["locations"][0]
        if owner is None:
            assert "physicalLocation" not in location, finding
            continue
        physical = location["physicalLocation"]["artifactLocation"]
        assert physical["uriBaseId"] == "SNAPSHOT"
        assert unquote(physical["uri"]) in devices[owner]["artifacts"]
        assert (base / unquote(physical["uri"])).is_file()
        pointed += 1
    assert pointed > len(run["results"]) // 2  # pools and arrays: most of the demo's findings
