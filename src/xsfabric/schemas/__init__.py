"""Versioned JSON schemas of everything xsfabric writes or reads (manifest, policy, outputs)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from xsfabric.errors import XsfabricError


class SchemaValidationError(XsfabricError):
    """A document does not match its xsfabric schema."""


@cache
def load_schema(name: str) -> dict[str, Any]:
    text = resources.files("xsfabric.schemas").joinpath(f"{name}.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def show_rows_schema(table: str) -> dict[str, Any]:
    """The schema of the ``rows`` array of ``show TABLE --format json`` (its row definition
    from ``show.schema.json``), for a reader that checks rows one table at a time."""
    show = load_schema("show")
    return {
        "$schema": show["$schema"],
        "$defs": show["$defs"],
        "type": "array",
        "items": {"$ref": f"#/$defs/{table}"},
    }


def validate(name: str, document: Any, *, where: str) -> None:
    """Validate against schema ``name``; the error names the document and the JSON path."""
    validator = jsonschema.Draft202012Validator(load_schema(name))
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        path = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise SchemaValidationError(f"{where}: {path}: {error.message}")
