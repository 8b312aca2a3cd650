"""Device text made inert for every format: escapes, controls and bidi overrides removed."""

from __future__ import annotations

import pytest

from xsfabric.report.base import inert, inert_tree


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b]8;;http://x.invalid\x07link\x1b]8;;\x07", "link"),
        ("a\nb\r\nc", "a b c"),
        ("bell\x07 nul\x00 del\x7f c1\x9b", "bell nul del c1"),
        ("admin\u202egnp.exe", "admingnp.exe"),
        ("\u2066isolated\u2069", "isolated"),
        ("plain <b>html</b> =1+1 ünïcødé", "plain <b>html</b> =1+1 ünïcødé"),
    ],
)
def test_inert(raw: str, expected: str) -> None:
    assert inert(raw) == expected


def test_inert_tree_keeps_newlines_when_asked() -> None:
    tree = {"a": ["x\ny\x1b[1m"], "n": 3, "b": {"c": "\u202e"}}
    assert inert_tree(tree) == {"a": ["x\ny"], "n": 3, "b": {"c": ""}}
    assert inert_tree(tree, newlines=False) == {"a": ["x y"], "n": 3, "b": {"c": ""}}
