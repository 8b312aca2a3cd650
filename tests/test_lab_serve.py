"""`xsfabric lab serve`: the lab on loopback with an inventory a newcomer collects from by hand;
a test collects from it with the inventory it wrote, exactly as from real devices."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest

from xsfabric.cli import main
from xsfabric.demo import PASSWORD_ENV
from xsfabric.lab.ssh_server import read_log
from xsfabric.switch.allowlist import allowed_commands

pytestmark = pytest.mark.slow


def _lines(stream: IO[str], out: queue.Queue[str]) -> None:
    for line in stream:
        out.put(line.rstrip("\n"))


def test_collect_and_audit_from_lab_serve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    lab_dir = tmp_path / "lab"
    proc = subprocess.Popen(
        [sys.executable, "-m", "xsfabric.cli", "lab", "serve", "--dir", str(lab_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True)
    reader.start()
    printed: list[str] = []
    try:
        while not printed or printed[-1] != "lab ready; Ctrl-C stops it":
            printed.append(lines.get(timeout=120))
        exports = [line.strip() for line in printed if line.strip().startswith("export ")]
        assert len(exports) == 1
        name, _, password = exports[0].removeprefix("export ").partition("=")
        assert name == PASSWORD_ENV and password
        inventory = lab_dir / "inventory"
        assert f"inventory: {inventory}" in printed
        # the inventory holds references, never the password itself
        for path in inventory.iterdir():
            assert password not in path.read_text()
        monkeypatch.setenv(PASSWORD_ENV, password)
        snapshot = tmp_path / "snap"
        code = main(
            [
                "run",
                "-i",
                str(inventory),
                "-o",
                str(snapshot),
                "--format",
                "json",
                "--fail-on",
                "none",
            ]
        )
        captured = capsys.readouterr()
        assert code == 0, captured.err
        report = json.loads(captured.out)  # stdout is the report alone
        assert report["complete"] is True
        manifest = json.loads((snapshot / "manifest.json").read_text())
        assert {d["status"] for d in manifest["devices"]} == {"ok"}
        switches = {d["name"]: d["platform"] for d in manifest["devices"] if d["kind"] == "switch"}
        assert len(switches) >= 3 and len(manifest["devices"]) > len(switches)
        # what the switches received: only read-only allowlisted commands
        received = read_log(lab_dir / "ssh-commands.jsonl")
        assert received
        # switches, FC switches and arrays alike: each command on its platform's allowlist
        platforms = {
            d["name"]: d["platform"] for d in manifest["devices"] if d["kind"] != "xenserver-pool"
        }
        assert all(e["command"] in allowed_commands(platforms[e["device"]]) for e in received)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        reader.join(timeout=10)
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    assert proc.returncode == 0
    assert rest[-1] == "lab stopped"
