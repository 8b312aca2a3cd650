"""A command's error output is not data, and one bad line costs one row (issue 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xsfabric.lab.render_cli import write_cli_device
from xsfabric.lab.switches import CLI_LAB_PLATFORMS, cli_lab_switches
from xsfabric.snapshot import command_filename
from xsfabric.switch.cli_parse import parse_cli_device


@pytest.fixture(scope="module")
def lab_devices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-devices")
    for truth in cli_lab_switches():
        write_cli_device(folder, truth, CLI_LAB_PLATFORMS[truth.device])
    return folder


def _device_with(lab_devices: Path, tmp_path: Path, device: str, command: str, text: str) -> Path:
    import shutil

    copy = tmp_path / device
    shutil.copytree(lab_devices / device, copy)
    (copy / command_filename(command)).write_text(text)
    return copy


# (device, command, what the device printed instead of output)
ERROR_OUTPUTS = [
    (
        "lab-sw1",
        "show interfaces",
        "show interfaces\n              ^\n% Invalid input detected at '^' marker.\n",
    ),
    ("lab-sw1", "show vlan", "% Incomplete command.\n"),
    ("lab-sw2", "show interface", "                     ^\n% Invalid command at '^' marker.\n"),
    ("lab-sw3", "show interfaces status", "% Invalid input\n"),
    ("lab-sw4", "show interfaces", "                ^\nsyntax error, expecting <command>.\n"),
    ("lab-sw4", "show interfaces", "error: unknown command: interfacez\n"),
    ("lab-sw1", "show interfaces", "\n\n"),
    ("lab-sw3", "show version", ""),
]


@pytest.mark.parametrize(("device", "command", "text"), ERROR_OUTPUTS)
def test_error_output_is_a_warning_and_the_table_not_available(
    lab_devices: Path, tmp_path: Path, device: str, command: str, text: str
) -> None:
    folder = _device_with(lab_devices, tmp_path, device, command, text)
    facts = parse_cli_device(folder, device)
    warnings = [w for w in facts.warnings if w.source == command]
    assert warnings, facts.warnings
    assert warnings[0].device == device
    if "interface" in command:
        status = folder / command_filename(
            command.replace("show interfaces", "show interface").replace(
                "show interface", "show interface status"
            )
        )
        if command.endswith("status") or not status.is_file():
            assert facts.ports is None  # never "ok with 0 ports"
        else:  # the status listing still gives the ports; the error text gives none
            reference = parse_cli_device(lab_devices / device, device)
            assert facts.ports and reference.ports
            assert {p.name for p in facts.ports} == {p.name for p in reference.ports}
    elif command == "show vlan":
        assert facts.vlans is None
    else:
        assert facts.facts is None


def test_the_unchanged_device_parses_without_warnings(lab_devices: Path) -> None:
    """The near miss: real output of the same commands gives tables and no warning."""
    for device in CLI_LAB_PLATFORMS:
        facts = parse_cli_device(lab_devices / device, device)
        assert facts.ports, device
        assert not facts.warnings, facts.warnings


def test_one_bad_line_skips_that_row_not_the_table(lab_devices: Path, tmp_path: Path) -> None:
    device, command = "lab-sw1", "show mac address-table"
    original = (lab_devices / device / command_filename(command)).read_text().splitlines()
    lines = list(original)
    lines.insert(8, "garbage that no template knows")
    folder = _device_with(lab_devices, tmp_path, device, command, "\n".join(lines) + "\n")
    facts = parse_cli_device(folder, device)
    reference = parse_cli_device(lab_devices / device, device)
    assert facts.fdb is not None and reference.fdb is not None
    assert facts.fdb == reference.fdb  # every real row kept
    (warning,) = [w for w in facts.warnings if w.source == command]
    assert warning.line == 9
    assert "garbage that no template knows" in warning.message


def test_junos_fdb_row_with_a_blank_vlan_is_kept(lab_devices: Path, tmp_path: Path) -> None:
    """Nothing dropped silently: the entry stays, its VLAN not known (None)."""
    device, command = "lab-sw4", "show ethernet-switching table"
    text = (lab_devices / device / command_filename(command)).read_text()
    row = next(line for line in text.splitlines() if "00:50:56:42:00:00" in line)
    blank = " " * row.index("00:50:56:42:00:00") + row.lstrip()[len(row.split()[0]) :].lstrip()
    folder = _device_with(lab_devices, tmp_path, device, command, text.replace(row, blank))
    facts = parse_cli_device(folder, device)
    assert not [w for w in facts.warnings if w.source == command], facts.warnings
    assert facts.fdb is not None
    entries = [e for e in facts.fdb if e.mac == "00:50:56:42:00:00"]
    assert len(entries) == 1 and entries[0].vlan is None
