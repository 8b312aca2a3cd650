"""Import direction: no arrow runs back up the pipeline.

Every module of ``src/xsfabric`` belongs to one layer; a module may import its own layer and the
layers below it, never one above. Every import counts: top-level, lazy (inside a function) and
``TYPE_CHECKING`` ones, because each is a dependency someone must keep working. ``lab`` is test
infrastructure: it may import anything, and nothing in the product imports it except the demo
(which runs the lab). A module no pattern places fails too, so a new package is placed on
purpose (add its pattern to :data:`LAYERS`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: Lowest first. A module takes the layer of the most specific pattern that matches it: an
#: exact name beats any wildcard, and among wildcards the one with more literal characters
#: wins (``xsfabric.*.*_collect`` places ``xsfabric.san.array_collect`` in collect although
#: ``xsfabric.san.*`` places the rest of ``san`` in parse). Names of modules that other
#: branches are adding are listed too; a pattern matching nothing costs nothing.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "base",
        (
            "xsfabric",
            "xsfabric.errors",
            "xsfabric.names",
            "xsfabric.kinds",
            "xsfabric.platforms",
            "xsfabric.yamlfile",
            "xsfabric.schemas",
            "xsfabric.tables",
            "xsfabric.perf",
        ),
    ),
    # typed records with no behaviour beyond their own: parsers produce them, models join them
    (
        "records",
        (
            "xsfabric.model.xen",
            "xsfabric.model.storage",
            "xsfabric.switch.model",
            "xsfabric.san.model",
            "xsfabric.san.wwn",
        ),
    ),
    ("input", ("xsfabric.inventory", "xsfabric.policy")),
    # codecs of raw captures: the snapshot writer reads dumps (and derives configuration
    # facts) through them before it redacts
    (
        "codecs",
        (
            "xsfabric.xapi.sexpr",
            "xsfabric.xapi.dbdump",
            "xsfabric.xapi.records",
            "xsfabric.switch.config_facts",
        ),
    ),
    ("snapshot", ("xsfabric.redact", "xsfabric.redact_words", "xsfabric.snapshot")),
    (
        "parse",
        (
            "xsfabric.switch",
            "xsfabric.switch.*_parse",
            "xsfabric.switch.facts",
            "xsfabric.switch.facts_store",
            "xsfabric.switch.capture",
            "xsfabric.switch.commands",
            "xsfabric.switch.detect",
            "xsfabric.switch.cli_tables",
            "xsfabric.switch.cli_values",
            "xsfabric.switch.cli_neighbors",
            "xsfabric.switch.cli_errors",
            "xsfabric.switch.snmp_files",
            "xsfabric.switch.snmp_values",
            "xsfabric.switch.snmp_device",
            "xsfabric.switch.snmp_cdp_arp",
            "xsfabric.switch.mib_*",
            "xsfabric.switch.config",
            "xsfabric.switch.wipe",
            "xsfabric.san",
            "xsfabric.san.*",
            "xsfabric.xapi",
        ),
    ),
    # collectors fill a snapshot; a parser never needs one (the reverse arrow this test found)
    (
        "collect",
        (
            "xsfabric.collect",
            "xsfabric.collect_pool",
            "xsfabric.importer",
            "xsfabric.*.collect",
            "xsfabric.*.*_collect",
            "xsfabric.switch.allowlist",
            "xsfabric.switch.hostkeys",
            "xsfabric.switch.snmp_ber",  # the SNMP fast path's codec (only collectors use it)
            "xsfabric.switch.snmp_usm",  # SNMPv3 USM for the fast path (collectors only)
            "xsfabric.switch.snmp_walk",  # xsfabric-snmpwalk: one agent's walk, a collector
        ),
    ),
    ("model", ("xsfabric.model", "xsfabric.model.*")),
    # joins of pools with switches, fabrics and arrays
    (
        "correlate",
        (
            "xsfabric.correlate",
            "xsfabric.correlate.*",
            "xsfabric.switch.port_roles",
            "xsfabric.san.masking",
            "xsfabric.san.exports",
        ),
    ),
    ("rules", ("xsfabric.rules", "xsfabric.rules.*")),
    (
        "report",
        (
            "xsfabric.report",
            "xsfabric.report.*",
            "xsfabric.show",
            "xsfabric.*.tables",
            "xsfabric.*.*_tables",
        ),
    ),
    (
        "app",
        (
            "xsfabric.cli",
            "xsfabric.audit",
            "xsfabric.demo",
            "xsfabric.cabling",
            "xsfabric.wipe_check",
        ),
    ),
]
#: Test infrastructure (simulated devices): may import anything.
LAB = ("xsfabric.lab", "xsfabric.lab.*")
#: Product modules allowed to import the lab: the demo runs the whole pipeline on it.
LAB_USERS = frozenset({"xsfabric.demo"})

Graph = dict[str, set[str]]


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, is_package: bool, known: set[str]) -> set[str]:
    """Every ``xsfabric`` module ``source`` imports, wherever the import statement is.

    ``from xsfabric.rules import consistency`` names the submodule when it is one; relative
    imports are resolved against ``module``.
    """
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.add(child if child in known else base)
    return {name for name in found if name == "xsfabric" or name.startswith("xsfabric.")}


def import_graph(root: Path = SRC) -> Graph:
    files = {_module_name(p, root): p for p in sorted((root / "xsfabric").rglob("*.py"))}
    known = set(files)
    return {
        name: imports_of(path.read_text(), name, path.name == "__init__.py", known)
        for name, path in files.items()
    }


def _matches(module: str, patterns: Iterable[str]) -> bool:
    return any(fnmatchcase(module, pattern) for pattern in patterns)


def _specificity(pattern: str) -> tuple[bool, int]:
    wild = any(c in pattern for c in "*?[")
    return (not wild, sum(c not in "*?[]" for c in pattern))


def layer_of(module: str) -> int | None:
    """Index of the module's layer in :data:`LAYERS` (most specific matching pattern); None
    when no pattern places it."""
    found = [
        (_specificity(pattern), index)
        for index, (_, patterns) in enumerate(LAYERS)
        for pattern in patterns
        if fnmatchcase(module, pattern)
    ]
    return max(found)[1] if found else None


def violations(graph: Graph, layer: Callable[[str], int | None] = layer_of) -> list[str]:
    """One line per import that runs against the layer order, or leaves the lab contained,
    or starts from a module no layer places."""
    problems: list[str] = []
    for module, targets in sorted(graph.items()):
        if _matches(module, LAB):
            continue
        own = layer(module)
        if own is None:
            problems.append(f"{module}: in no layer (add it to LAYERS in tests/test_layers.py)")
            continue
        for target in sorted(targets):
            if _matches(target, LAB):
                if module not in LAB_USERS:
                    problems.append(f"{module} imports the lab ({target})")
                continue
            theirs = layer(target)
            if theirs is None:
                problems.append(f"{target}: in no layer (imported by {module})")
            elif theirs > own:
                problems.append(
                    f"{module} ({LAYERS[own][0]}) imports {target} "
                    f"({LAYERS[theirs][0]}): a backward arrow"
                )
    return problems


# -- the real tree -------------------------------------------------------------------------------


def test_no_import_runs_back_up_the_pipeline() -> None:
    graph = import_graph()
    assert len(graph) > 50, "the source tree was not found"
    assert violations(graph) == []


def test_the_moved_types_have_neutral_homes() -> None:
    """The three arrows that used to run backwards now point down (issue 7)."""
    graph = import_graph()
    assert "xsfabric.switch.snmp_collect" not in graph["xsfabric.switch.snmp_parse"]
    assert "xsfabric.snapshot" not in graph["xsfabric.inventory"]
    assert "xsfabric.audit" not in graph["xsfabric.report.json"]
    assert "xsfabric.audit" not in graph["xsfabric.report.text"]


# -- the checker itself: it must fail on a backward arrow ---------------------------------------


def test_checker_flags_a_parser_importing_a_collector() -> None:
    graph: Graph = {
        "xsfabric.switch.snmp_parse": {"xsfabric.switch.snmp_collect", "xsfabric.names"},
        "xsfabric.switch.snmp_collect": {"xsfabric.snapshot"},
        "xsfabric.snapshot": set(),
        "xsfabric.names": set(),
    }
    assert violations(graph) == [
        "xsfabric.switch.snmp_parse (parse) imports xsfabric.switch.snmp_collect (collect): "
        "a backward arrow"
    ]


def test_checker_accepts_the_same_graph_pointing_down() -> None:
    graph: Graph = {
        "xsfabric.switch.snmp_parse": {"xsfabric.platforms"},
        "xsfabric.switch.snmp_collect": {"xsfabric.platforms", "xsfabric.snapshot"},
        "xsfabric.platforms": set(),
        "xsfabric.snapshot": set(),
    }
    assert violations(graph) == []


def test_checker_flags_a_report_importing_the_command() -> None:
    graph: Graph = {"xsfabric.report.json": {"xsfabric.audit"}, "xsfabric.audit": set()}
    assert violations(graph) == [
        "xsfabric.report.json (report) imports xsfabric.audit (app): a backward arrow"
    ]


def test_checker_keeps_the_lab_contained() -> None:
    graph: Graph = {
        "xsfabric.collect": {"xsfabric.lab.ssh_server"},
        "xsfabric.demo": {"xsfabric.lab.ssh_server"},
        "xsfabric.lab.ssh_server": {"xsfabric.demo", "xsfabric.snapshot"},
    }
    assert violations(graph) == ["xsfabric.collect imports the lab (xsfabric.lab.ssh_server)"]


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("xsfabric.san.fabric", "parse"),
        ("xsfabric.san.collect", "collect"),
        ("xsfabric.san.array_collect", "collect"),
        ("xsfabric.san.array_tables", "report"),
        ("xsfabric.san.masking", "correlate"),
        ("xsfabric.switch.snmp_collect", "collect"),
        ("xsfabric.switch.snmp_parse", "parse"),
        ("xsfabric.switch.tables", "report"),
        ("xsfabric.xapi.collect", "collect"),
        ("xsfabric.xapi.dbdump", "codecs"),
    ],
)
def test_the_most_specific_pattern_places_a_module(module: str, layer: str) -> None:
    index = layer_of(module)
    assert index is not None and LAYERS[index][0] == layer


def test_checker_flags_a_module_no_layer_places() -> None:
    assert violations({"xsfabric.newthing": set()}) == [
        "xsfabric.newthing: in no layer (add it to LAYERS in tests/test_layers.py)"
    ]


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("from xsfabric.audit import AuditResult", {"xsfabric.audit"}),
        ("if TYPE_CHECKING:\n    from xsfabric.audit import AuditResult", {"xsfabric.audit"}),
        (
            "def f():\n    from xsfabric.switch import snmp_collect",
            {"xsfabric.switch.snmp_collect"},
        ),
        ("from . import snmp_collect", {"xsfabric.switch.snmp_collect"}),
        ("from ..rules.engine import rule", {"xsfabric.rules.engine"}),
        ("import xsfabric.audit as audit\nimport json", {"xsfabric.audit"}),
    ],
)
def test_reader_sees_every_kind_of_import(statement: str, expected: set[str]) -> None:
    known = {
        "xsfabric.switch.snmp_collect",
        "xsfabric.switch.snmp_parse",
        "xsfabric.audit",
        "xsfabric.rules.engine",
    }
    assert imports_of(statement, "xsfabric.switch.snmp_parse", False, known) == expected


def test_a_backward_import_added_to_a_copy_of_the_tree_fails(tmp_path: Path) -> None:
    """End to end: the real tree, copied, with one lazy backward import added to a parser."""
    import shutil

    shutil.copytree(
        SRC / "xsfabric", tmp_path / "xsfabric", ignore=shutil.ignore_patterns("__pycache__")
    )
    target = tmp_path / "xsfabric" / "switch" / "snmp_parse.py"
    target.write_text(
        target.read_text() + "\n\ndef _late() -> None:\n    from xsfabric.audit import exit_code\n"
    )
    assert violations(import_graph(tmp_path)) == [
        "xsfabric.switch.snmp_parse (parse) imports xsfabric.audit (app): a backward arrow"
    ]
