"""A switch capture no template can parse is reported by the audit (device, command, line)
instead of silently auditing less."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from xsfabric.cli import main
from xsfabric.lab.render_cli import write_cli_device
from xsfabric.lab.switches import lab_switch
from xsfabric.snapshot import command_filename


def test_audit_reports_switch_parse_warnings(
    tmp_path: Path, xapi_dumps: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "captures"
    (source / "xenserver").mkdir(parents=True)
    shutil.copy(xapi_dumps[0], source / "xenserver" / "pool.xml")
    write_cli_device(source / "devices", lab_switch("lab-sw1"), "cisco_ios")
    capture = source / "devices" / "lab-sw1" / command_filename("show mac address-table")
    lines = capture.read_text().splitlines()
    lines.insert(8, "garbage that no template knows")
    capture.write_text("\n".join(lines) + "\n")
    snapshot = tmp_path / "snap"
    assert main(["snapshot", "import", str(source), "-o", str(snapshot)]) == 0
    capsys.readouterr()
    report = tmp_path / "report.json"
    main(["audit", str(snapshot), "--format", "json", "--output", str(report)])
    warnings = json.loads(report.read_text())["warnings"]
    assert any(w.startswith("switch lab-sw1: show mac address-table:9:") for w in warnings), (
        warnings)
    assert "switch lab-sw1: show mac address-table:9:" in capsys.readouterr().err


def test_audit_of_a_switch_only_snapshot_says_no_pool_was_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "captures"
    write_cli_device(source / "devices", lab_switch("lab-sw1"), "cisco_ios")
    snapshot = tmp_path / "snap"
    assert main(["snapshot", "import", str(source), "-o", str(snapshot)]) == 0
    capsys.readouterr()
    # the switch's own hygiene findings do not matter here (--fail-on none)
    assert main(["audit", str(snapshot), "--fail-on", "none"]) == 0
    assert "holds no XenServer pool" in capsys.readouterr().err
