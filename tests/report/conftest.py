"""Report fixtures: the demo estate imported as a snapshot, and a copy of it whose VM name is
hostile (HTML, a CSV formula, an ANSI escape, a newline, very long), so every format is tested
on device text that tries to break it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from xsfabric.audit import DEMO_ESTATE, DEMO_POLICY, audit_snapshot
from xsfabric.cli import main
from xsfabric.lab.estate import load_estate, parse_estate
from xsfabric.lab.xapi_dump_gen import write_estate
from xsfabric.report.base import ReportOptions
from xsfabric.report.json import findings_document
from xsfabric.snapshot import Snapshot

#: A VM name no report may execute or split a line on (a xapi database is XML 1.0, which
#: cannot carry an escape character; :data:`ANSI` is added to device text by :func:`with_ansi`).
HOSTILE = (
    '=HYPERLINK("http://x.invalid")<script>alert(1)</script><img src=x onerror=alert(2)>'
    "\nforged line " + "L" * 300
)
ANSI = "\x1b[31mRED\x1b[0m\x1b]8;;http://x.invalid\x07link"
HOSTILE_VM = "legacy-admin"


def _import(src: Path, out: Path) -> Path:
    assert main(["snapshot", "import", str(src), "-o", str(out), "--policy", str(DEMO_POLICY)]) == 0
    return out


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo-report")
    write_estate(load_estate(DEMO_ESTATE), root / "src")
    return _import(root / "src", root / "snapshot")


@pytest.fixture(scope="session")
def hostile_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from xsfabric.yamlfile import load_yaml

    root = tmp_path_factory.mktemp("hostile-report")
    spec = load_yaml(DEMO_ESTATE)  # YAML 1.2: "on:" stays a key
    for pool in spec["pools"]:
        for vm in pool.get("vms", []):
            if vm.get("name") == HOSTILE_VM:
                vm["name"] = HOSTILE
    write_estate(parse_estate(spec), root / "src")
    return _import(root / "src", root / "snapshot")


@pytest.fixture(scope="session")
def clean_doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The rule tests' clean two-pool estate: no findings at all."""
    from tests.rules.conftest import clean_spec

    root = tmp_path_factory.mktemp("clean-report")
    write_estate(parse_estate(clean_spec()), root / "src")
    assert main(["snapshot", "import", str(root / "src"), "-o", str(root / "snapshot")]) == 0
    return findings_document(audit_snapshot(Snapshot.open(root / "snapshot")))


@pytest.fixture(scope="session")
def demo_doc(demo_snapshot: Path) -> dict[str, Any]:
    return findings_document(audit_snapshot(Snapshot.open(demo_snapshot)))


@pytest.fixture(scope="session")
def hostile_doc(hostile_snapshot: Path) -> dict[str, Any]:
    doc = findings_document(audit_snapshot(Snapshot.open(hostile_snapshot)))
    names = {f["subject"].get("vm", {}).get("name") for f in doc["findings"]}
    assert HOSTILE in names, "the hostile VM name must reach a finding's subject"
    return with_ansi(doc)


def with_ansi(doc: dict[str, Any]) -> dict[str, Any]:
    """Terminal escapes in device text (a switch port description can carry them)."""
    doc = json.loads(json.dumps(doc))
    doc["findings"][0]["message"] += ANSI
    doc["findings"][0]["evidence"]["description"] = ANSI
    return doc


RenderFn = Callable[[dict[str, Any]], bytes]


def render_one(fmt: str, doc: dict[str, Any], options: ReportOptions | None = None) -> bytes:
    from xsfabric.audit import renderer
    from xsfabric.report.base import SINGLE

    files = renderer(fmt)(doc, options or ReportOptions())
    return files[SINGLE]


def load_json(data: bytes) -> Any:
    return json.loads(data.decode("utf-8"))


# -- the browser of the HTML tests (one Playwright per session, shared by every module) -----

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _install_chromium() -> None:
    """apt-get install chromium (after one apt-get update if the package is unknown)."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    if subprocess.run(cmd, env=env, capture_output=True, check=False).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, check=False)
        subprocess.run(cmd, env=env, capture_output=True, check=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            pytest.skip("chromium missing and cannot be installed here (not root / no apt)")
        _install_chromium()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_FLAGS)
        yield browser
        browser.close()
