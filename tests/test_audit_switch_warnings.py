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
        warnings
    )
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
    code = main(["audit", str(snapshot), "--format", "json", "--fail-on", "none"])
    captured = capsys.readouterr()
    assert "holds no XenServer pool" in captured.err
    # no false green (issue 8): every rule needing xapi data is listed as not checked, and an
    # audit in which no rule ran exits 3, never 0
    doc = json.loads(captured.out)
    from xsfabric.rules.engine import load_rules

    xapi_rules = {r.meta.id for r in load_rules().values() if "xapi" in r.meta.data}
    # the reason names every data source missing ("no xapi data …", "no xapi, arrays data …")
    skipped = {
        n["rule_id"]
        for n in doc["rules_not_run"]
        if n["reason"].startswith("no ") and "xapi" in n["reason"].split(" data")[0]
    }
    assert xapi_rules and xapi_rules <= skipped
    assert not xapi_rules & set(doc["rules_run"])
    if not doc["rules_run"]:
        assert code == 3
        assert "no rule could run on this snapshot" in captured.err
    else:
        assert code == 0


def test_an_unparseable_configuration_is_a_warning_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One configuration the model cannot read (duplicate lines: hier_config refuses them)
    costs that configuration, with a warning, not the audit (issue 8)."""
    source = tmp_path / "captures"
    write_cli_device(source / "devices", lab_switch("lab-sw1"), "cisco_ios")
    config = source / "devices" / "lab-sw1" / "show running-config.txt"
    text = config.read_text()
    config.write_text(text.replace("\nend", "\nhostname dup\nhostname dup\nend", 1))
    snapshot = tmp_path / "snap"
    assert main(["snapshot", "import", str(source), "-o", str(snapshot)]) == 0
    capsys.readouterr()
    code = main(["audit", str(snapshot), "--fail-on", "none"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "switch lab-sw1: configuration not audited: it could not be parsed" in err
    assert code in (0, 3)
