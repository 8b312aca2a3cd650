"""The manifest check's fast path (artifacts checked by hand, the rest by jsonschema) accepts
and refuses exactly what jsonschema applied to the whole document does, with the same
message: the reference here is jsonschema itself (``xsfabric.schemas.validate``)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from xsfabric.schemas import SchemaValidationError, validate
from xsfabric.snapshot import (
    DeviceKind,
    Snapshot,
    SnapshotWriter,
    artifacts_checked_by_hand,
    validate_manifest,
)

SHA = "a" * 64


def _manifest() -> dict[str, Any]:
    artifact = {"path": "devices/sw1/platform", "sha256": SHA, "size": 10}
    return {
        "format_version": 1,
        "tool": "xsfabric",
        "tool_version": "0",
        "command": "import",
        "started_at": "2026-01-01T00:00:00Z",
        "finished_at": None,
        "inventory_digest": None,
        "policy": None,
        "artifacts": [{"path": "hba/h1.txt", "sha256": SHA, "size": 0}],
        "devices": [
            {
                "name": "sw1",
                "kind": "switch",
                "platform": "cisco_ios",
                "methods": ["cli"],
                "status": "ok",
                "error": None,
                "collected_at": None,
                "artifacts": [dict(artifact), {**artifact, "path": "devices/sw1/x.txt"}],
            },
            {"name": "pool1", "kind": "xenserver-pool", "status": "ok", "artifacts": []},
        ],
        "facts": {
            "devices": {
                "sw1": {
                    "parser_version": "1",
                    "sources": SHA,
                    "kind": "switch",
                    "files": [{"path": "facts/sw1/facts.json", "sha256": SHA, "size": 5}],
                }
            }
        },
    }


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _drop(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


DEV_ART = ("devices", 0, "artifacts", 1)
FACT_FILE = ("facts", "devices", "sw1", "files", 0)
BAD = {
    "device artifact: sha256 not hex": _set((*DEV_ART, "sha256"), "Z" * 64),
    "device artifact: sha256 short": _set((*DEV_ART, "sha256"), "a" * 63),
    "device artifact: negative size": _set((*DEV_ART, "size"), -1),
    "device artifact: size a string": _set((*DEV_ART, "size"), "10"),
    "device artifact: size a bool": _set((*DEV_ART, "size"), True),
    "device artifact: path missing": _drop((*DEV_ART, "path")),
    "device artifact: extra key": _set((*DEV_ART, "mtime"), 1),
    "device artifact: not an object": _set(DEV_ART, "devices/sw1/x.txt"),
    "device artifacts: not a list": _set(("devices", 0, "artifacts"), {"a": 1}),
    "top artifact: path a number": _set(("artifacts", 0, "path"), 7),
    "facts file: sha256 upper case": _set((*FACT_FILE, "sha256"), "A" * 64),
    "facts files: missing": _drop(("facts", "devices", "sw1", "files")),
    "device: empty name": _set(("devices", 0, "name"), ""),
    "device: unknown status": _set(("devices", 1, "status"), "fine"),
    "device: not an object": _set(("devices", 1), "pool1"),
    "devices: not a list": _set(("devices",), {}),
    "facts entry: unknown kind": _set(("facts", "devices", "sw1", "kind"), "router"),
    "top level: unknown key": _set(("extra",), 1),
    "top level: wrong tool": _set(("tool",), "other"),
    "format_version: true": _set(("format_version",), True),
}


def _reference_error(doc: Any) -> str | None:
    try:
        validate("manifest", doc, where="m.json")
    except SchemaValidationError as exc:
        return str(exc)
    return None


def test_the_shipped_schema_is_the_one_the_hand_check_mirrors() -> None:
    """Otherwise every open falls back to jsonschema for the whole manifest (correct, but
    ~9x slower on a 1,000-switch snapshot): update ``_ARTIFACT_SCHEMA`` with the schema."""
    assert artifacts_checked_by_hand()


def test_a_valid_manifest_passes_both_ways() -> None:
    doc = _manifest()
    assert _reference_error(doc) is None
    validate_manifest(doc, where="m.json")


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_manifest_is_refused_with_jsonschemas_message(case: str) -> None:
    doc = _manifest()
    BAD[case](doc)
    expected = _reference_error(copy.deepcopy(doc))
    assert expected is not None, "the mutation must make the manifest invalid"
    with pytest.raises(SchemaValidationError) as raised:
        validate_manifest(doc, where="m.json")
    assert str(raised.value) == expected


def test_near_misses_the_schema_accepts_are_accepted() -> None:
    """Forms the hand check does not take (a size of 3.0, a sha256 followed by a newline,
    which the schema's ``$`` accepts) go to jsonschema, which accepts them."""
    doc = _manifest()
    doc["devices"][0]["artifacts"][0]["size"] = 3.0
    doc["facts"]["devices"]["sw1"]["files"][0]["sha256"] = SHA + "\n"
    assert _reference_error(doc) is None
    validate_manifest(doc, where="m.json")


def test_open_refuses_an_edited_manifest_naming_file_path_and_problem(tmp_path: Path) -> None:
    target = tmp_path / "snap"
    with SnapshotWriter(target) as writer:
        writer.device("sw1", DeviceKind.SWITCH, "cisco_ios", ["cli"])
        writer.write_device_platform("sw1", "cisco_ios")
        writer.commit()
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["devices"][0]["artifacts"][0]["sha256"] = "not-a-digest"
    (target / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SchemaValidationError) as raised:
        Snapshot.open(target)
    assert str(raised.value) == (
        f"{target / 'manifest.json'}: devices/0/artifacts/0/sha256: "
        "'not-a-digest' does not match '^[0-9a-f]{64}$'"
    )
