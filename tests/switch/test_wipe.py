"""wipe-check: each residue class a reused switch can carry is found, with its evidence
command and line; a freshly reset switch passes; missing evidence never answers CLEAN.

The clean fixtures are what a freshly reset device of each platform shows; the shipped factory
baselines were built from them (so "clean passes" is a lab round trip, named as such). The
dirty fixtures plant one residue class each on top of the clean outputs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xsfabric.cli import main
from xsfabric.redact import Redactor
from xsfabric.snapshot import DeviceKind, SnapshotWriter, command_from_filename
from xsfabric.switch.allowlist import is_allowed
from xsfabric.switch.wipe import (
    EVIDENCE,
    WipeError,
    factory_baseline,
    make_baseline,
    wipe_check,
)

WIPE = Path(__file__).parent / "wipe"
PLATFORMS = tuple(EVIDENCE)


def outputs(platform: str, variant: str = "clean") -> dict[str, str]:
    folder = WIPE / platform / variant
    return {
        command_from_filename(p.name): Redactor().text(p.read_text()) for p in folder.glob("*.txt")
    }


def plant(out: dict[str, str], command: str, old: str, new: str) -> dict[str, str]:
    changed = dict(out)
    assert old in changed[command], (command, old)
    changed[command] = changed[command].replace(old, new, 1)
    return changed


def classes(result: object) -> set[tuple[str, str]]:
    return {(r.cls, r.command) for r in result.residues}  # type: ignore[attr-defined]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_evidence_command_is_allowlisted(platform: str) -> None:
    for evidence in EVIDENCE[platform]:
        assert is_allowed(platform, evidence.command), evidence.command


@pytest.mark.parametrize("platform", PLATFORMS)
def test_lab_round_trip_fresh_reset_is_clean(platform: str) -> None:
    result = wipe_check("spare", platform, outputs(platform))
    assert (result.verdict, result.exit_code, result.residues) == ("CLEAN", 0, [])


def test_ios_dirty_spare_lists_every_planted_residue() -> None:
    result = wipe_check("spare", "cisco_ios", outputs("cisco_ios", "dirty"))
    assert result.verdict == "NOT CLEAN" and result.exit_code == 1
    assert classes(result) == {
        ("local user", "show running-config"),
        ("local user", "show running-config | section username"),
        ("svi address", "show running-config"),
        ("svi address", "show ip interface brief"),
        ("vlan", "show vlan brief"),
        ("vtp", "show vtp status"),
        ("key label", "show crypto key mypubkey rsa"),
        ("vlan database", "dir flash:"),
        ("leftover config file", "dir flash:"),
    }
    by_class = {r.cls: r for r in result.residues}
    key = by_class["key label"]
    assert (key.line, key.text) == (2, "Key name: acc-sw1.corp.example.com")
    assert by_class["leftover config file"].text.endswith("acc-sw1-confg.bak")


def test_ios_secret_is_shown_only_as_configured() -> None:
    result = wipe_check("spare", "cisco_ios", outputs("cisco_ios", "dirty"))
    users = [r for r in result.residues if r.cls == "local user"]
    assert users and all("(a secret is configured)" in r.text for r in users)
    assert all("$9$" not in r.text and "oldsecret" not in r.text for r in result.residues)


def test_ios_local_user() -> None:
    out = plant(
        outputs("cisco_ios"),
        "show running-config",
        "hostname Switch\n",
        "hostname Switch\nusername ops privilege 1 password 7 0822455D0A16\n",
    )
    result = wipe_check("spare", "cisco_ios", out)
    assert [(r.cls, r.line) for r in result.residues] == [("local user", 12)]


def test_ios_old_hostname() -> None:
    out = plant(outputs("cisco_ios"), "show running-config", "hostname Switch", "hostname acc-sw1")
    result = wipe_check("spare", "cisco_ios", out)
    assert [(r.cls, r.text) for r in result.residues] == [("hostname", "hostname acc-sw1")]


def test_ios_vlan_database_survives_write_erase() -> None:
    out = plant(
        outputs("cisco_ios"),
        "show vlan brief",
        "1002 fddi",
        "200  storage                          active    \n1002 fddi",
    )
    result = wipe_check("spare", "cisco_ios", out)
    assert classes(result) == {("vlan", "show vlan brief")}


def test_nxos_bootflash_file_and_boot_variable_survive() -> None:
    scripts = "       4096    Dec 03 08:00:00 2026  scripts/"
    out = plant(
        outputs("cisco_nxos"),
        "dir bootflash:",
        scripts,
        "      20480    Nov 01 10:00:00 2026  leaf1-backup.cfg\n"
        "       4096    Dec 03 08:00:00 2026  scripts/",
    )
    out = plant(
        out,
        "show boot",
        "Boot POAP Disabled",
        "Startup-config variable = bootflash:/leaf1-backup.cfg\nBoot POAP Disabled",
    )
    result = wipe_check("spare", "cisco_nxos", out)
    assert classes(result) == {
        ("leftover config file", "dir bootflash:"),
        ("boot variable", "show boot"),
    }


def test_nxos_user_account_and_vpc_domain() -> None:
    out = plant(
        outputs("cisco_nxos"),
        "show user-account",
        "user:admin",
        "user:netops\n        roles:network-admin\nuser:admin",
    )
    out = plant(
        out,
        "show vpc",
        "vPC domain id                     : not configured",
        "vPC domain id                     : 10",
    )
    result = wipe_check("spare", "cisco_nxos", out)
    assert classes(result) == {("local user", "show user-account"), ("mlag/vpc", "show vpc")}


def test_eos_tech_support_bundle_survives() -> None:
    out = plant(
        outputs("arista_eos"),
        "dir flash:/schedule/tech-support",
        "No files in directory",
        "       -rwx     2183740           Nov 30 10:00  eos1_tech-support_2026-11-30.1000.log.gz",
    )
    result = wipe_check("spare", "arista_eos", out)
    assert classes(result) == {("tech-support bundle", "dir flash:/schedule/tech-support")}


def test_eos_snmp_user_and_svi() -> None:
    out = plant(
        outputs("arista_eos"), "show snmp user", "", "User name      : nms\nSecurity model : v3\n"
    )
    out = plant(
        out,
        "show ip interface brief",
        "------- -------\n",
        "------- -------\nVlan100           10.1.0.2/24       up         up                1500\n",
    )
    result = wipe_check("spare", "arista_eos", out)
    assert classes(result) == {
        ("snmp", "show snmp user"),
        ("svi address", "show ip interface brief"),
    }


def test_junos_user_and_vlan() -> None:
    out = plant(
        outputs("juniper_junos"),
        "show configuration",
        "    auto-snapshot;\n",
        "    auto-snapshot;\n    login {\n        user ops {\n            class "
        "super-user;\n            authentication {\n                encrypted-password "
        '"$6$abc$def"; ## SECRET-DATA\n            }\n        }\n    }\n',
    )
    out = plant(
        out,
        "show vlans",
        "default-switch          default               1\n",
        "default-switch          default               1\n"
        "default-switch          guest                 100\n",
    )
    result = wipe_check("spare", "juniper_junos", out)
    assert ("local user", "show configuration") in classes(result)
    assert ("vlan", "show vlans") in classes(result)
    assert all("$6$" not in r.text for r in result.residues)


def test_missing_evidence_cannot_answer_clean() -> None:
    out = outputs("cisco_ios")
    del out["dir flash:"]
    result = wipe_check("spare", "cisco_ios", out)
    assert (result.verdict, result.exit_code, result.missing) == ("UNKNOWN", 2, ["dir flash:"])


def test_baseline_of_another_platform_or_release_is_refused() -> None:
    with pytest.raises(WipeError, match="is for cisco_nxos, the device is cisco_ios"):
        wipe_check("spare", "cisco_ios", outputs("cisco_ios"), factory_baseline("cisco_nxos"))
    golden = make_baseline("golden", "cisco_ios", outputs("cisco_ios"))
    assert golden.release == "15.2(7)E4"
    newer = plant(outputs("cisco_ios"), "show version", "Version 15.2(7)E4", "Version 15.2(7)E6")
    with pytest.raises(WipeError, match=r"taken on release 15.2\(7\)E4.*runs 15.2\(7\)E6"):
        wipe_check("spare", "cisco_ios", newer, golden)


def test_unknown_platform_is_a_clear_error() -> None:
    with pytest.raises(WipeError, match="platform 'hp_procurve' has no wipe-check evidence"):
        wipe_check("spare", "hp_procurve", {})


def _snapshot(tmp: Path, name: str, device: str, platform: str, out: dict[str, str]) -> Path:
    target = tmp / name
    with SnapshotWriter(target) as writer:
        writer.device(device, DeviceKind.SWITCH, platform, ["import"])
        writer.write_device_platform(device, platform)
        for command, text in out.items():
            writer.write_device_output(device, command, text)
        writer.commit()
    return target


def test_cli_snapshot_exit_codes_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = _snapshot(tmp_path, "clean", "spare2", "cisco_ios", outputs("cisco_ios"))
    dirty = _snapshot(tmp_path, "dirty", "spare1", "cisco_ios", outputs("cisco_ios", "dirty"))
    assert main(["wipe-check", str(clean), "--device", "spare2"]) == 0
    assert "CLEAN" in capsys.readouterr().out
    assert main(["wipe-check", str(dirty), "--device", "spare1", "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["verdict"] == "NOT CLEAN"
    assert {
        "cls": "key label",
        "command": "show crypto key mypubkey rsa",
        "line": 2,
        "text": "Key name: acc-sw1.corp.example.com",
        "message": "key label: Key name: acc-sw1.corp.example.com",
    } in doc["residues"]
    assert main(["wipe-check", str(dirty), "--device", "nope"]) == 2
    assert "no device 'nope'" in capsys.readouterr().err


def test_cli_save_and_use_golden_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = _snapshot(tmp_path, "clean", "spare2", "cisco_ios", outputs("cisco_ios"))
    dirty = _snapshot(tmp_path, "dirty", "spare1", "cisco_ios", outputs("cisco_ios", "dirty"))
    store = tmp_path / "baselines"
    assert (
        main(
            [
                "wipe-check",
                str(clean),
                "--device",
                "spare2",
                "--save-baseline",
                "c2960x",
                "--baseline-dir",
                str(store),
            ]
        )
        == 0
    )
    saved = json.loads((store / "c2960x.json").read_text())
    assert (saved["platform"], saved["release"]) == ("cisco_ios", "15.2(7)E4")
    capsys.readouterr()
    assert (
        main(
            [
                "wipe-check",
                str(dirty),
                "--device",
                "spare1",
                "--baseline",
                "c2960x",
                "--baseline-dir",
                str(store),
            ]
        )
        == 1
    )
    assert "against baseline c2960x" in capsys.readouterr().out


def _estate_snapshot(tmp: Path, reuse_marker: bool) -> Path:
    target = tmp / "estate"
    with SnapshotWriter(target) as writer:
        for device, variant in (("spare1", "dirty"), ("spare2", "clean"), ("prod1", "dirty")):
            writer.device(device, DeviceKind.SWITCH, "cisco_ios", ["import"])
            writer.write_device_platform(device, "cisco_ios")
            for command, text in outputs("cisco_ios", variant).items():
                writer.write_device_output(device, command, text)
        if reuse_marker:
            writer.write_text("spare1", "devices/spare1/reuse-candidate", "data.reuse: true\n")
        writer.commit()
    return target


def test_audit_reports_residues_of_reuse_candidates_only(tmp_path: Path) -> None:
    from xsfabric.audit import audit_snapshot
    from xsfabric.snapshot import Snapshot

    policy = tmp_path / "policy.yaml"
    policy.write_text("switches:\n  spare1: {reuse: true}\n  spare2: {reuse: true}\n")
    result = audit_snapshot(
        Snapshot.open(_estate_snapshot(tmp_path, False)), policy, categories=["wipe"]
    )
    devices = {f.subject["device"].name for f in result.findings}
    assert devices == {"spare1"}  # spare2 is clean, prod1 is not a reuse candidate
    assert len(result.findings) == 10  # VTP shows two lines (domain, revision)
    assert all(f.rule_id == "wipe-residue" and str(f.category) == "wipe" for f in result.findings)


def test_audit_reads_the_inventory_reuse_marker(tmp_path: Path) -> None:
    from xsfabric.audit import audit_snapshot
    from xsfabric.snapshot import Snapshot

    result = audit_snapshot(Snapshot.open(_estate_snapshot(tmp_path, True)), categories=["wipe"])
    assert {f.subject["device"].name for f in result.findings} == {"spare1"}


def test_snapshot_capture_saved_as_typed_keeps_file_line_numbers(tmp_path: Path) -> None:
    from xsfabric.switch.wipe import snapshot_outputs

    out = outputs("cisco_ios", "dirty")
    folder = tmp_path / "spare"
    folder.mkdir()
    for command, text in out.items():
        name = (
            "sh crypto key mypubkey rsa" if command == "show crypto key mypubkey rsa" else command
        )
        body = f"spare#{name}\n{text}spare#\n" if name != command else text
        (folder / f"{name.replace('/', '%2F')}.txt").write_text(body)
    result = wipe_check("spare", "cisco_ios", snapshot_outputs(folder, "cisco_ios"))
    key = next(r for r in result.residues if r.cls == "key label")
    assert (key.command, key.line) == ("show crypto key mypubkey rsa", 3)  # line 1: the echo


def test_ordinary_collection_captures_stand_in_for_missing_evidence(tmp_path: Path) -> None:
    from xsfabric.switch.wipe import snapshot_evidence

    out = outputs("cisco_ios", "dirty")
    folder = tmp_path / "spare"
    folder.mkdir()
    renamed = {"show vlan brief": "show vlan", "dir flash:": "dir"}
    for command, text in out.items():
        if command == "show running-config | section username":
            continue  # read from the running config instead
        name = renamed.get(command, command)
        (folder / f"{name.replace('/', '%2F')}.txt").write_text(text)
    outputs_, saved_as = snapshot_evidence(folder, "cisco_ios")
    result = wipe_check("spare", "cisco_ios", outputs_, saved_as=saved_as)
    assert result.missing == []
    # each residue names the capture that proves it, as it was saved
    assert {
        ("vlan", "show vlan"),
        ("leftover config file", "dir"),
        ("local user", "show running-config"),
    } <= classes(result)


def test_napalm_platform_name_is_mapped() -> None:
    result = wipe_check("spare", "ios", outputs("cisco_ios", "dirty"))
    assert (result.platform, result.verdict) == ("cisco_ios", "NOT CLEAN")


C9300 = (WIPE / "cisco_ios" / "c9300-factory-running-config.txt").read_text()


def test_another_models_factory_defaults_are_not_residues() -> None:
    # a reset Catalyst 9300 (IOS XE 17) shows lines a 2960-X does not: Mgmt-vrf, the SLA
    # trustpoint, call-home, redundancy … — the factory baseline's default patterns
    out = dict(outputs("cisco_ios"), **{"show running-config": C9300})
    result = wipe_check("spare", "cisco_ios", out)
    assert (result.verdict, result.residues) == ("CLEAN", [])


def test_default_patterns_hide_no_residue() -> None:
    dirty = C9300.replace(
        "hostname Switch\n",
        "hostname acc-sw9\nip domain name corp.example"
        ".com\nusername ops privilege 15 secret 9 $9$aaaa$bbbb\n",
    )
    dirty = dirty.replace(
        "ip http server\n",
        "ip http server\nlogging host 10.0.0.30\nsnmp-server community c0rp RO\n",
    )
    out = dict(outputs("cisco_ios"), **{"show running-config": dirty})
    found = {(r.cls, r.text) for r in wipe_check("spare", "cisco_ios", out).residues}
    assert found == {
        ("hostname", "hostname acc-sw9"),
        ("configuration", "ip domain name corp.example.com"),
        ("local user", "username ops privilege 15 secret 9 (a secret is configured)"),
        ("configuration", "logging host 10.0.0.30"),
        ("snmp", "snmp-server community (a secret is configured) RO"),
    }


def test_junos_rollback_configs_survive_a_factory_default_commit() -> None:
    out = plant(
        outputs("juniper_junos"),
        "file list /config",
        "juniper.conf.md5\n",
        "juniper.conf.md5\njuniper.conf.1.gz\nrescue.conf.gz\n",
    )
    result = wipe_check("spare", "juniper_junos", out)
    assert [(r.cls, r.text) for r in result.residues] == [
        ("leftover config file", "juniper.conf.1.gz"),
        ("leftover config file", "rescue.conf.gz"),
    ]


def test_nxos_static_route() -> None:
    out = plant(
        outputs("cisco_nxos"),
        "show ip route static",
        "next-hop\n\n",
        "next-hop\n\n10.50.0.0/16, ubest/mbest: 1/0\n    *via 10.1.1.1, [1/0], 3w2d, static\n",
    )
    result = wipe_check("spare", "cisco_nxos", out)
    assert [(r.cls, r.line, r.text) for r in result.residues] == [
        ("route", 5, "10.50.0.0/16, ubest/mbest: 1/0")
    ]
