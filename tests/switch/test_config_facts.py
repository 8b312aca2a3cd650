"""Config facts: derived from the unredacted configuration on the one snapshot write path,
stored without any secret value, and read back beside the redacted configuration."""

from __future__ import annotations

import json
from pathlib import Path

from xsfabric.snapshot import DeviceKind, Snapshot, SnapshotWriter
from xsfabric.switch.config import load_device_configs
from xsfabric.switch.config_facts import classify_secret, derive_config_facts

CONFIGS = Path(__file__).parent / "configs"


def test_ios_weak_facts_from_the_reference_lines() -> None:
    facts = derive_config_facts((CONFIGS / "cisco_ios" / "weak.txt").read_text())
    assert [(c.line, c.default_name, c.access) for c in facts.communities] == [
        (42, True, "ro"),
        (43, False, "rw"),
    ]
    assert [(u.name, u.auth, u.privacy) for u in facts.snmp_users] == [("mon", True, False)]
    assert facts.snmp_v3_groups_without_priv == [45]
    assert [(s.kind, s.hash, s.line) for s in facts.secrets] == [
        ("enable", "plaintext", 10),
        ("user", "reversible", 12),
        ("user", "md5", 13),
        ("line", "reversible", 50),
    ]
    assert (facts.ntp_keys, facts.ntp_authenticate, facts.login_uses_servers) == ([], False, False)


def test_junos_hierarchical_facts() -> None:
    facts = derive_config_facts((CONFIGS / "juniper_junos" / "hardened.txt").read_text())
    assert [(s.kind, s.hash, s.name) for s in facts.secrets] == [
        ("root", "sha512", "root"),
        ("aaa-key", "reversible", ""),
    ]
    assert [(u.name, u.auth, u.privacy) for u in facts.snmp_users] == [("nms", True, True)]
    assert facts.ntp_authenticate and facts.ntp_keys == [30] and facts.login_uses_servers
    weak = derive_config_facts((CONFIGS / "juniper_junos" / "weak.txt").read_text())
    assert [(c.default_name, c.access) for c in weak.communities] == [(True, "ro"), (False, "rw")]


def test_hash_classes() -> None:
    assert (
        classify_secret("8", "$8$dsYGNam3K1SIJO$7nv/35M/qr6t.dVc7UY9zrJDWRVqncHub1PE9UlMQFs")
        == "pbkdf2"
    )
    assert classify_secret(None, "$5$abc$def") == "sha256"
    assert classify_secret("encrypted", '"$9$k2fQ/CtO1Ic"') == "reversible"


def _snapshot_with(tmp: Path, writes: list[tuple[str, object]]) -> Path:
    target = tmp / "snap"
    with SnapshotWriter(target) as writer:
        writer.device("sw", DeviceKind.SWITCH, "cisco_ios", ["napalm"])
        writer.write_device_platform("sw", "cisco_ios")
        for relpath, content in writes:
            if isinstance(content, str):
                writer.write_text("sw", relpath, content)
            else:
                writer.write_json("sw", relpath, content)
        writer.commit()
    return target


def test_napalm_get_config_facts_and_no_secret_on_disk(tmp_path: Path) -> None:
    weak = (CONFIGS / "cisco_ios" / "weak.txt").read_text()
    target = _snapshot_with(
        tmp_path,
        [("devices/sw/napalm/get_config.json", {"running": weak, "startup": "", "candidate": ""})],
    )
    device_dir = target / "devices" / "sw"
    stored = (device_dir / "config-facts.json").read_text()
    doc = json.loads(stored)
    assert list(doc["sources"]) == ["napalm get_config running"]
    for secret in ("Ena8leMe", "0822455D0A16", "public", "Wr1te-Str0ng", "Aut4Key"):
        assert secret not in stored
        assert secret not in (device_dir / "napalm" / "get_config.json").read_text()
    manifest = Snapshot.open(target).manifest
    paths = {a["path"] for d in manifest["devices"] for a in d["artifacts"]}
    assert "devices/sw/config-facts.json" in paths
    configs = load_device_configs(device_dir, "sw", "cisco_ios")
    assert configs[0].source == "napalm get_config running"
    assert configs[0].facts is not None and len(configs[0].facts.communities) == 2


def test_imported_capture_files_get_facts_too(tmp_path: Path) -> None:
    text = (CONFIGS / "cisco_nxos" / "weak.txt").read_text()
    target = _snapshot_with(
        tmp_path,
        [
            ("devices/sw/show running-config.txt", text),
            ("devices/sw/show startup-config.txt", text),
            ("devices/sw/show vlan.txt", "VLAN Name\n"),
        ],
    )
    doc = json.loads((target / "devices" / "sw" / "config-facts.json").read_text())
    assert sorted(doc["sources"]) == ["show running-config", "show startup-config"]
    assert doc["sources"]["show running-config"]["communities"] == [
        {"line": 11, "default_name": True, "access": "rw", "acl": False}
    ]


def test_capture_saved_as_typed_with_prompt_echo(tmp_path: Path) -> None:
    text = "acc-sw1#sh run\n" + (CONFIGS / "cisco_ios" / "weak.txt").read_text() + "acc-sw1#\n"
    target = _snapshot_with(tmp_path, [("devices/sw/sh run.txt", text)])
    device_dir = target / "devices" / "sw"
    doc = json.loads((device_dir / "config-facts.json").read_text())
    assert list(doc["sources"]) == ["show running-config"]
    configs = load_device_configs(device_dir, "sw", "cisco_ios")
    assert [(c.source, c.path, c.hostname) for c in configs] == [
        ("show running-config", "sh run.txt", "acc-sw1")
    ]
    assert configs[0].facts is not None and configs[0].telnet


def test_a_community_on_several_lines_is_one_fact() -> None:
    facts = derive_config_facts(
        "snmp-server community s3cret group network-operator\n"
        "snmp-server community s3cret use-acl SNMP-ONLY\n"
    )
    assert [(c.line, c.access, c.acl) for c in facts.communities] == [(1, "ro", True)]
    junos = derive_config_facts(
        "set snmp community public authorization read-write\n"
        "set snmp community public clients 10.0.0.0/8\n"
    )
    assert [(c.default_name, c.access, c.acl) for c in junos.communities] == [(True, "rw", True)]
