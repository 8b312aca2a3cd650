"""End-to-end planted-secret suite (issue 8): a distinct marker in every secret position of
every platform's configuration (IOS, NX-OS, EOS, Junos, collected from the lab SSH server over
CLI and NAPALM) and of a pool's records (collected from the lab XAPI server), plus the login,
enable and XAPI passwords and a device that fails with a planted password. The collection runs
as a user runs it (``xsfabric -vv collect``, a subprocess), then every report format and every
``show`` table. No marker may appear in any file under the snapshot, any report, the -vv log
or any error message."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.planted import PLANTED_CONFIG, PLANTED_XAPI_MAP

from xsfabric.lab.render_cli import write_cli_device
from xsfabric.lab.snmpsim import Snmpsim
from xsfabric.lab.ssh_server import LabConfig, LabSshServer
from xsfabric.lab.switches import CLI_LAB_PLATFORMS, LAB_PLATFORMS, cli_lab_switches
from xsfabric.xapi.dbdump import XapiDatabase, format_dump, read_dump
from xsfabric.xapi.sexpr import format_map, parse_map

pytestmark = pytest.mark.slow

LOGIN = "plLOGINa1x"
ENABLE = "plENABLEa1x"
XAPI_PW = "plXAPIa1x"
FAILED_PW = "plFAILa1x"
RECORD_FIELD = "plRECa1x"  # a secret-named record field (wlb_password)
SNMP_COMMUNITY = "plSNMPa1x"  # a v2c community (walked by the SNMP fast path)
SNMP_WRONG = "plSNMPb2x"  # a community the agent does not know (the device times out)
CREDENTIALS = [LOGIN, ENABLE, XAPI_PW, FAILED_PW, RECORD_FIELD, SNMP_COMMUNITY, SNMP_WRONG]


def _markers() -> list[str]:
    config = [m for lines in PLANTED_CONFIG.values() for _, m in lines if m]
    return config + list(PLANTED_XAPI_MAP.values()) + CREDENTIALS


def _plant_switches(folder: Path) -> None:
    for truth in cli_lab_switches():
        platform = CLI_LAB_PLATFORMS[truth.device]
        write_cli_device(folder, truth, platform)
        for name in ("show running-config.txt", "show configuration.txt"):
            path = folder / truth.device / name
            if path.is_file():
                planted = "\n".join(line for line, _ in PLANTED_CONFIG[platform]) + "\n"
                text = path.read_text()
                # inside the configuration (before IOS' "end"), as a device prints it
                if "\nend\n" in text:
                    text = text.replace("\nend\n", "\n" + planted + "end\n", 1)
                else:
                    text += planted
                path.write_text(text)


def _plant_snmp(folder: Path) -> None:
    """lab-sw1 served under the planted community (and Cisco's community@VLAN files), its
    sysDescr carrying the community on a second line, as a careless banner would."""
    from xsfabric.lab.render_snmprec import write_snmprec_device
    from xsfabric.lab.switches import lab_switch

    folder.mkdir(parents=True)
    write_snmprec_device(folder, lab_switch("lab-sw1"), LAB_PLATFORMS["lab-sw1"], SNMP_COMMUNITY)
    path = folder / f"{SNMP_COMMUNITY}.snmprec"
    descr = f"Cisco IOS Software\r\nsnmp-server community {SNMP_COMMUNITY} RO".encode()
    lines = [
        f"1.3.6.1.2.1.1.1.0|4x|{descr.hex()}" if line.startswith("1.3.6.1.2.1.1.1.0|") else line
        for line in path.read_text().splitlines()
    ]
    path.write_text("\n".join(lines) + "\n")


def _plant_pool(db: XapiDatabase) -> None:
    for row in db.table("PBD").values():
        entries = parse_map(row.get("device_config", "()"))
        entries.update(PLANTED_XAPI_MAP)
        row["device_config"] = format_map(entries)
    for row in db.table("SR").values():
        entries = parse_map(row.get("other_config", "()"))
        entries.update({"api_token": PLANTED_XAPI_MAP["api_token"]})
        row["other_config"] = format_map(entries)
    for row in db.table("pool").values():
        row["wlb_password"] = RECORD_FIELD


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Planted:
    snapshot: Path
    outputs: dict[str, str]
    work: Path


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Planted]:
    from xsfabric.demo import DEMO_ESTATE, lab_data
    from xsfabric.lab.estate import load_estate
    from xsfabric.lab.xapi_dump_gen import write_estate
    from xsfabric.lab.xapi_server import start_lab_pool

    work = tmp_path_factory.mktemp("planted")
    devices = work / "devices"
    _plant_switches(devices)
    spec = load_estate(lab_data(DEMO_ESTATE))
    write_estate(spec, work / "estate")
    dump = sorted((work / "estate" / "xenserver").glob("*.xml"))[0]
    db = read_dump(dump)
    _plant_pool(db)
    (work / "planted-dump.xml").write_bytes(format_dump(db))  # the offline path too
    pool = start_lab_pool(db, ["127.0.31.1"], 0, "root", XAPI_PW, cert_dir=work / "certs")
    config = LabConfig(username="netops", password=LOGIN, enable_secret=ENABLE)
    _plant_snmp(work / "snmpsim")
    try:
        with (
            LabSshServer(devices, config, work / "ssh.jsonl") as ssh,
            Snmpsim(work / "snmpsim") as sim,
        ):
            assert ssh.known_hosts is not None
            inventory = _write_inventory(
                work / "inv", ssh.ports, pool.port, str(pool.ca_file), ssh.known_hosts
            )
            _add_snmp_devices(inventory, sim.port)
            yield _run_everything(work, inventory)
    finally:
        pool.stop()


def _add_snmp_devices(inventory: Path, port: int) -> None:
    hosts = inventory / "hosts.yaml"
    lines = []
    for name, variable in (("sw-snmp", "PL_SNMP"), ("sw-snmp-wrong", "PL_SNMP_WRONG")):
        lines += [
            f"{name}:",
            "  hostname: 127.0.0.1",
            "  data:",
            "    kind: switch",
            "    collect: [snmp]",
            f"    snmp: {{version: 2c, community: '${{{variable}}}', port: {port}, "
            "timeout: 0.5, retries: 1}",
        ]
    hosts.write_text(hosts.read_text() + "\n".join(lines) + "\n")


def _write_inventory(
    folder: Path, ports: dict[str, int], pool_port: int, ca_file: str, known_hosts: Path
) -> Path:
    folder.mkdir()
    lines = [
        "pool-a:",
        "  hostname: 127.0.31.1",
        f"  port: {pool_port}",
        "  platform: xenserver",
        "  username: root",
        "  password: ${PL_XAPI_PW}",
        "  data:",
        "    kind: xenserver-pool",
        f"    ca_file: {ca_file}",
    ]
    for name, platform in CLI_LAB_PLATFORMS.items():
        methods = "[cli, napalm]" if name in LAB_PLATFORMS else "[cli]"
        lines += [
            f"{name}:",
            "  hostname: 127.0.0.1",
            f"  port: {ports[name]}",
            f"  platform: {platform}",
            "  groups: [switches]",
            "  data:",
            f"    collect: {methods}",
        ]
    lines += [
        "sw-broken:",
        "  hostname: 127.0.0.1",
        f"  port: {_closed_port()}",
        "  platform: cisco_ios",
        "  password: ${PL_FAILED_PW}",
        "  groups: [switches]",
        "  data:",
        "    collect: [cli]",
    ]
    (folder / "hosts.yaml").write_text("\n".join(lines) + "\n")
    (folder / "groups.yaml").write_text(
        "switches:\n"
        "  username: ${PL_USER}\n"
        "  password: ${PL_LOGIN}\n"
        f"  data: {{kind: switch, known_hosts: '{known_hosts}'}}\n"
        "  connection_options:\n"
        "    netmiko:\n"
        "      extras: {secret: '${PL_ENABLE}'}\n"
    )
    return folder


def _xsfabric(args: list[str], work: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PL_XAPI_PW": XAPI_PW,
        "PL_LOGIN": LOGIN,
        "PL_ENABLE": ENABLE,
        "PL_FAILED_PW": FAILED_PW,
        "PL_USER": "netops",
        "PL_SNMP": SNMP_COMMUNITY,
        "PL_SNMP_WRONG": SNMP_WRONG,
    }
    return subprocess.run(
        [sys.executable, "-m", "xsfabric.cli", *args],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _run_everything(work: Path, inventory: Path) -> Planted:
    from xsfabric.show import TABLE_NAMES

    snapshot = work / "snap"
    outputs: dict[str, str] = {}
    collect = _xsfabric(
        [
            "-vv",
            "collect",
            "-i",
            str(inventory),
            "-o",
            str(snapshot),
            "--timeout",
            "15",
            "--workers",
            "4",
            "--allow-partial",
        ],
        work,
    )
    outputs["collect -vv"] = collect.stdout + collect.stderr
    assert (snapshot / "manifest.json").is_file(), collect.stderr[-3000:]
    imported = _xsfabric(
        ["-vv", "snapshot", "import", str(work / "planted-dump.xml"), "-o", str(work / "imported")],
        work,
    )
    assert imported.returncode == 0, imported.stderr[-3000:]
    outputs["import -vv"] = imported.stdout + imported.stderr
    for path in sorted((work / "imported").rglob("*")):
        if path.is_file():
            outputs[f"imported {path.name}"] = path.read_text(errors="replace")
    for fmt in ("text", "json"):
        report = work / f"report.{fmt}"
        run = _xsfabric(
            [
                "-vv",
                "audit",
                str(snapshot),
                "--format",
                fmt,
                "--output",
                str(report),
                "--allow-partial",
            ],
            work,
        )
        assert report.is_file(), run.stderr[-3000:]
        outputs[f"audit {fmt}"] = run.stdout + run.stderr + report.read_text()
    for table in TABLE_NAMES:
        for fmt in ("table", "json", "csv"):
            run = _xsfabric(["show", table, str(snapshot), "--format", fmt], work)
            outputs[f"show {table} {fmt}"] = run.stdout + run.stderr
    return Planted(snapshot, outputs, work)


def test_the_planted_configurations_were_collected(planted: Planted) -> None:
    """Not vacuous: every platform's configuration, with the planted lines' keywords, is in
    the snapshot, and so are the pool's records with the planted keys."""
    texts = {p: p.read_text(errors="replace") for p in planted.snapshot.rglob("*") if p.is_file()}
    for device in CLI_LAB_PLATFORMS:
        configs = [
            t
            for p, t in texts.items()
            if device in p.parts and ("running-config" in p.name or "configuration" in p.name)
        ]
        assert configs, f"{device}: no configuration collected"
        assert any("authentication-key" in t for t in configs), device
    pool_files = [t for p, t in texts.items() if p.parent.name == "xenserver"]
    assert pool_files and '"api_token": "REMOVED"' in pool_files[0]
    assert '"pass": "REMOVED"' in pool_files[0]


def test_the_snmp_devices_went_through_the_fast_path(planted: Planted) -> None:
    """Not vacuous: the SNMP device was walked (per-VLAN communities too) by the fast client,
    and the one with the wrong community failed as a timeout."""
    folder = planted.snapshot / "devices" / "sw-snmp"
    assert (folder / "snmpwalk.snmprec").is_file()
    assert (folder / "snmpwalk@10.snmprec").is_file()
    assert "SNMP walk done (fast client" in planted.outputs["collect -vv"]
    manifest = (planted.snapshot / "manifest.json").read_text()
    assert '"sw-snmp-wrong"' in manifest and "wrong community" in manifest


def test_the_broken_device_failed_with_an_error_message(planted: Planted) -> None:
    manifest = (planted.snapshot / "manifest.json").read_text()
    assert '"sw-broken"' in manifest
    assert "unreachable" in manifest


def test_no_marker_in_any_snapshot_file(planted: Planted) -> None:
    leaks = []
    for path in sorted(planted.snapshot.rglob("*")):
        if path.is_file():
            data = path.read_bytes().decode("utf-8", errors="replace")
            leaks += [(str(path.relative_to(planted.snapshot)), m) for m in _markers() if m in data]
    assert not leaks


def test_no_marker_in_any_report_log_or_error(planted: Planted) -> None:
    assert len(planted.outputs) > 10
    leaks = [(name, m) for name, text in planted.outputs.items() for m in _markers() if m in text]
    assert not leaks


def test_the_log_at_vv_did_carry_channel_data(planted: Planted) -> None:
    """Not vacuous: at -vv the log shows switch output (so the filter is what kept the
    planted secrets out of it), and the username (not a credential) is still shown."""
    log = planted.outputs["collect -vv"]
    assert "DEBUG" in log
    assert "authentication-key" in log or "REMOVED" in log


def test_work_folder_cleanup(planted: Planted) -> None:
    shutil.rmtree(planted.work / "estate", ignore_errors=True)
    assert not list(planted.snapshot.parent.glob(".snap.partial-*"))
