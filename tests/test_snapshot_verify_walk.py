"""Verifying a snapshot walks its folder once instead of resolving every path: the problems it
reports are exactly those of the path-by-path check (kept here as the reference), on every
kind of tampering, in the same order."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from xsfabric.snapshot import _UNLISTED, POLICY_FILE, DeviceKind, SnapshotWriter, verify_artifacts


def _reference(path: Path, manifest: dict[str, Any]) -> list[str]:
    """The check as it was written before the walk: resolve, stat and glob path by path."""
    problems: list[str] = []
    listed: dict[str, dict[str, Any]] = {}
    for artifact in manifest.get("artifacts", []):
        listed[artifact["path"]] = artifact
    for device in manifest.get("devices", []):
        for artifact in device.get("artifacts", []):
            listed[artifact["path"]] = artifact
    for entry in (manifest.get("facts") or {}).get("devices", {}).values():
        for artifact in entry.get("files", []):
            listed[artifact["path"]] = artifact
    policy = manifest.get("policy")
    if isinstance(policy, dict) and policy.get("sha256"):
        listed[str(policy.get("path", POLICY_FILE))] = {"sha256": policy["sha256"]}
    root = path.resolve()
    for rel, artifact in sorted(listed.items()):
        file = path / rel
        if not file.resolve().is_relative_to(root) or file.is_symlink():
            problems.append(f"{rel}: outside the snapshot or a symbolic link")
            continue
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            problems.append(f"{rel}: missing")
            continue
        except OSError as exc:
            problems.append(f"{rel}: unreadable ({exc.strerror})")
            continue
        if hashlib.sha256(data).hexdigest() != artifact.get("sha256"):
            problems.append(f"{rel}: edited (sha256 differs from the manifest)")
    for file in sorted(path.rglob("*")):
        rel = file.relative_to(path).as_posix()
        if (file.is_file() or file.is_symlink()) and rel not in listed and rel not in _UNLISTED:
            problems.append(f"{rel}: not listed in the manifest")
    return problems


def _snapshot(target: Path) -> Path:
    with SnapshotWriter(target) as writer:
        for name in ("sw1", "sw1.b", "sw2"):
            writer.device(name, DeviceKind.SWITCH, "cisco_ios", ["cli"])
            writer.write_device_platform(name, "cisco_ios")
            writer.write_device_output(name, "show version", f"{name} version\n")
            writer.write_device_output(name, "show mac address-table", "Vlan Mac\n")
        writer.commit()
    return target


def _symlinked_folder(snap: Path, outside: Path) -> None:
    """devices/sw2 replaced by a link to an identical copy outside: same bytes, wrong place."""
    shutil.copytree(snap / "devices" / "sw2", outside / "sw2")
    shutil.rmtree(snap / "devices" / "sw2")
    (snap / "devices" / "sw2").symlink_to(outside / "sw2")


def _symlinked_file(snap: Path, outside: Path) -> None:
    file = snap / "devices" / "sw1" / "show version.txt"
    shutil.copy(file, outside / "v.txt")
    file.unlink()
    file.symlink_to(outside / "v.txt")


def _inner_link(snap: Path, outside: Path) -> None:
    """A listed file replaced by a link to another listed file inside the snapshot."""
    file = snap / "devices" / "sw1" / "show version.txt"
    file.unlink()
    file.symlink_to(snap / "devices" / "sw1.b" / "show version.txt")


def _extras(snap: Path, outside: Path) -> None:
    (snap / "devices" / "sw1" / "planted.txt").write_text("x")
    (snap / "devices" / "sw1.b" / "deep" / "er").mkdir(parents=True)
    (snap / "devices" / "sw1.b" / "deep" / "er" / "f").write_text("x")
    (snap / "devices" / "a.txt").write_text("x")
    (snap / "dangling").symlink_to(outside / "nothing")
    (snap / "outdir").symlink_to(outside)
    os.mkfifo(snap / "devices" / "fifo")


def _edited_and_missing(snap: Path, outside: Path) -> None:
    (snap / "devices" / "sw1" / "show version.txt").write_text("edited\n")
    (snap / "devices" / "sw2" / "show mac address-table.txt").unlink()
    shutil.rmtree(snap / "devices" / "sw1.b")


TAMPERING: dict[str, Callable[[Path, Path], None]] = {
    "untouched": lambda snap, outside: None,
    "symlinked-folder": _symlinked_folder,
    "symlinked-file": _symlinked_file,
    "inner-link": _inner_link,
    "extras": _extras,
    "edited-and-missing": _edited_and_missing,
}


@pytest.mark.parametrize("tamper", list(TAMPERING))
def test_walk_reports_what_the_path_by_path_check_reports(tmp_path: Path, tamper: str) -> None:
    snap = _snapshot(tmp_path / "snap")
    outside = tmp_path / "outside"
    outside.mkdir()
    TAMPERING[tamper](snap, outside)
    manifest = json.loads((snap / "manifest.json").read_text())
    expected = _reference(snap, manifest)
    assert verify_artifacts(snap, manifest) == expected
    if tamper == "untouched":
        assert expected == []
    else:
        assert expected  # the tampering is one the check sees


def test_an_unreadable_folder_is_reported_like_before(tmp_path: Path) -> None:
    snap = _snapshot(tmp_path / "snap")
    folder = snap / "devices" / "sw1"
    folder.chmod(0)
    try:
        if os.access(folder, os.R_OK):
            pytest.skip("running as a user who reads every folder (root)")
        manifest = json.loads((snap / "manifest.json").read_text())
        assert verify_artifacts(snap, manifest) == _reference(snap, manifest)
    finally:
        folder.chmod(0o755)
