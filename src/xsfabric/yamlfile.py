"""YAML loading that keeps line numbers, so every error can name file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from xsfabric.errors import InputFileError


def load_yaml(path: Path, error: type[InputFileError] = InputFileError) -> Any:
    """Load one YAML file (round-trip mode: maps and lists carry their line numbers)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise error(path, f"cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise error(path, f"not UTF-8 text: {exc}") from exc
    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise error(path, f"invalid YAML: {exc.problem or exc.context}", line) from exc
    except YAMLError as exc:
        raise error(path, f"invalid YAML: {exc}") from exc


def line_of(node: Any, key: str | int | None = None) -> int | None:
    """1-based line of a map key (or list item), or of the node itself; None if unknown."""
    try:
        if key is not None and isinstance(node, CommentedMap):
            return int(node.lc.key(key)[0]) + 1
        if key is not None and isinstance(node, CommentedSeq):
            return int(node.lc.item(key)[0]) + 1
        if isinstance(node, CommentedMap | CommentedSeq):
            return int(node.lc.line) + 1
    except (KeyError, IndexError, AttributeError, TypeError):
        return None
    return None


def plain(node: Any) -> Any:
    """Convert ruamel's round-trip containers to plain dicts and lists."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node
