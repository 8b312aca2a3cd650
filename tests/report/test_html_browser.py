"""The HTML report in a real browser: Debian's Chromium driven by Playwright's Python API
(``executable_path``, no browser download). The session fixture (``conftest.browser``)
installs Chromium with apt when it is missing and we are root (CI starts from a bare machine).
Screenshots are saved under ``tests/artifacts/`` as test artefacts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from tests.report.conftest import HOSTILE, render_one

from xsfabric.report.diff import with_baseline
from xsfabric.report.waivers import Waiver, apply_waivers

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def _open(browser: Any, html: bytes, path: Path) -> tuple[Any, list[str], list[str]]:
    path.write_bytes(html)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def on_dialog(dialog: Any) -> None:  # an alert() would be an injection that ran
        errors.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on(
        "request",
        lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None,
    )
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors, requests


def _visible(page: Any) -> int:
    n: int = page.locator("#findings-table tr.finding:not(.hidden)").count()
    return n


def test_report_loads_filters_and_search(
    browser: Any, demo_doc: dict[str, Any], tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page, errors, requests = _open(browser, render_one("html", demo_doc), tmp_path / "report.html")
    total = len(demo_doc["findings"])
    assert _visible(page) == total
    assert page.locator("#count").inner_text() == f"{total} of {total} shown"
    expected = {
        "severity": ("high", sum(f["severity"] == "high" for f in demo_doc["findings"])),
        "category": (
            "storage-access",
            sum(f["category"] == "storage-access" for f in demo_doc["findings"]),
        ),
        "pool": (
            "test",
            sum(f["subject"].get("pool", {}).get("name") == "test" for f in demo_doc["findings"]),
        ),
        "host": (
            "xs-test-02",
            sum(
                f["subject"].get("host", {}).get("name") == "xs-test-02"
                for f in demo_doc["findings"]
            ),
        ),
    }
    for name, (value, count) in expected.items():
        assert 0 < count < total, name
        page.select_option(f"#filter-{name}", value)
        assert _visible(page) == count, name
        page.select_option(f"#filter-{name}", "")
        assert _visible(page) == total
    # the by-rule table sets the rule filter
    rule = "xen-storage-not-redundant"
    page.click("#by-rule summary")  # folded: the demo's rules fire once or twice each
    page.click(f'a.show-rule[data-rule="{rule}"]')
    assert _visible(page) == sum(f["rule_id"] == rule for f in demo_doc["findings"]) > 1
    page.select_option("#filter-rule", "")
    page.fill("#search", "legacy-admin")
    matching = sum("legacy-admin" in str(f) for f in demo_doc["findings"])
    assert _visible(page) == matching > 0
    page.fill("#search", "")
    # snapshot facts: what was collected (the demo import: pools prod, recovery and test, the
    # array fas1 and the FC switches san-a, san-b, san-lab)
    devices = page.locator("#devices tbody tr")
    assert devices.count() == len(demo_doc["snapshot"]["devices"]) == 7
    assert "prod" in devices.first.inner_text() and "ok" in devices.first.inner_text()
    # the static sections are there: coverage G01..G31, not checked, attestation checkboxes
    assert page.locator("#coverage tbody tr").count() == 31
    assert page.locator("#not-checked tbody tr").count() == len(demo_doc["not_checked"])
    boxes = page.locator("input.attest")
    assert boxes.count() == len(demo_doc["attestations"]) > 0
    boxes.first.check()
    assert boxes.first.is_checked()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "report-demo.png"), full_page=False)
    page.select_option("#filter-pool", "test")
    page.screenshot(path=str(ARTIFACTS / "report-demo-filtered.png"), full_page=True)
    # printed, the page shows every finding and no filter controls
    page.emulate_media(media="print")
    assert _visible(page) < total
    assert page.locator("#findings-table tr.finding").nth(0).is_visible()
    shown = page.evaluate(
        "Array.from(document.querySelectorAll('#findings-table tr.finding'))"
        ".filter(r => getComputedStyle(r).display !== 'none').length"
    )
    assert shown == total
    assert not page.locator(".filters").is_visible()
    page.emulate_media(media="screen")
    assert errors == []
    assert requests == []


def test_injection_is_inert(browser: Any, hostile_doc: dict[str, Any], tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    html = render_one("html", hostile_doc)
    assert b"<script>alert(1)</script>" not in html
    assert b"<img src=x" not in html
    page, errors, requests = _open(browser, html, tmp_path / "hostile.html")
    page.wait_for_timeout(300)
    assert errors == []  # no alert dialog, no script error
    assert requests == []  # the <img> never loaded
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 1  # only the report's own
    text = page.locator("#findings-table").inner_text()
    assert "<script>alert(1)</script>" in text  # shown as text
    assert HOSTILE.split("\n")[0] in text.replace("\n", " ")
    page.screenshot(path=str(ARTIFACTS / "report-hostile.png"), full_page=False)


def test_waivers_and_reference_sections(
    browser: Any, demo_doc: dict[str, Any], tmp_path: Path
) -> None:
    waiver = Waiver(
        file=Path("w.yaml"),
        line=3,
        rule="xen-vm-on-management-network",
        subject={"vm": "legacy-*"},
        justification="isolated admin VM <b>bold</b>",
        owner="netops",
        expires=dt.date(2027, 1, 31),
    )
    doc = apply_waivers(demo_doc, [waiver], dt.date(2026, 12, 3))
    old = dict(doc, findings=doc["findings"][1:])
    doc = with_baseline(doc, old)
    page, errors, _ = _open(browser, render_one("html", doc), tmp_path / "w.html")
    assert page.locator("#suppressed tbody tr").count() == 1
    assert "<b>bold</b>" in page.locator("#suppressed").inner_text()
    assert page.locator("#findings-table .badge.new").count() == 1
    assert "1 new" in page.locator("#baseline").inner_text()
    assert errors == []


@pytest.fixture(scope="module")
def bench64_doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """bench-64.yaml: one pool of 64 hosts (one storage finding per host)."""
    from xsfabric.audit import DEMO_DATA, audit_snapshot
    from xsfabric.cli import main
    from xsfabric.lab.estate import load_estate
    from xsfabric.lab.xapi_dump_gen import write_estate
    from xsfabric.report.json import findings_document
    from xsfabric.snapshot import Snapshot

    root = tmp_path_factory.mktemp("bench64")
    write_estate(load_estate(DEMO_DATA / "bench-64.yaml"), root / "src")
    assert main(["snapshot", "import", str(root / "src"), "-o", str(root / "snap")]) == 0
    return findings_document(audit_snapshot(Snapshot.open(root / "snap")))


def test_64_hosts_stay_usable(browser: Any, bench64_doc: dict[str, Any], tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page, errors, _ = _open(browser, render_one("html", bench64_doc), tmp_path / "b64.html")
    hosts = {
        f["subject"]["host"]["name"] for f in bench64_doc["findings"] if "host" in f["subject"]
    }
    assert len(hosts) == 64
    assert page.locator("#filter-host option").count() == 65  # "all" + 64 hosts
    # the by-rule table summarises what the 64 rows repeat
    assert page.locator("#by-rule tbody tr").count() == len(
        {f["rule_id"] for f in bench64_doc["findings"]}
    )
    page.select_option("#filter-host", "bench-xs42")
    assert (
        _visible(page)
        == sum(
            f["subject"].get("host", {}).get("name") == "bench-xs42"
            for f in bench64_doc["findings"]
        )
        > 0
    )
    page.select_option("#filter-host", "")
    page.screenshot(path=str(ARTIFACTS / "report-64-hosts.png"), full_page=False)
    assert errors == []
