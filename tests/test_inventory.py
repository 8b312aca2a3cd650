from __future__ import annotations

from pathlib import Path

import pytest

from xsfabric.errors import InventoryError, SecretError
from xsfabric.inventory import load_inventory
from xsfabric.kinds import DeviceKind


def _write(folder: Path, hosts: str, groups: str = "", defaults: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hosts.yaml").write_text(hosts)
    if groups:
        (folder / "groups.yaml").write_text(groups)
    if defaults:
        (folder / "defaults.yaml").write_text(defaults)
    return folder


def test_nornir_inheritance_and_env_expansion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XS_PW", "pool-pass-123")
    monkeypatch.setenv("SNMP_COMMUNITY", "comm-456")
    folder = _write(
        tmp_path / "inv",
        hosts=(
            "prod:\n"
            "  hostname: 127.0.0.2\n"
            "  groups: [pools]\n"
            "  data:\n"
            "    ca_file: certs/prod-ca.pem\n"
            "sw1:\n"
            "  hostname: 127.0.0.9\n"
            "  platform: cisco_ios\n"
            "  groups: [switches]\n"
        ),
        groups=(
            "pools:\n"
            "  platform: xenserver\n"
            "  username: root\n"
            "  password: ${XS_PW}\n"
            "  data: {kind: xenserver-pool}\n"
            "switches:\n"
            "  groups: [base]\n"
            "  data:\n"
            "    kind: switch\n"
            "    collect: [snmp, cli]\n"
            "    snmp: {version: 2c, community: '${SNMP_COMMUNITY}'}\n"
            "base:\n"
            "  port: 22\n"
        ),
        defaults="username: admin\ndata:\n  site: lab\n",
    )
    inventory = load_inventory(folder)
    prod = inventory.hosts["prod"]
    assert prod.kind is DeviceKind.XENSERVER_POOL
    assert (prod.username, prod.password, prod.platform) == ("root", "pool-pass-123", "xenserver")
    assert prod.verify_tls is True
    assert prod.ca_file == folder / "certs" / "prod-ca.pem"
    assert prod.data["site"] == "lab"  # defaults' data merges under group and host data
    sw1 = inventory.hosts["sw1"]
    assert (sw1.username, sw1.port, sw1.kind) == ("admin", 22, DeviceKind.SWITCH)
    assert sw1.collect_methods == ["snmp", "cli"]
    assert sw1.data["snmp"]["community"] == "comm-456"
    assert {"pool-pass-123", "comm-456"} <= inventory.secrets
    assert len(inventory.digest) == 64


def test_unknown_key_names_file_and_line(tmp_path: Path) -> None:
    folder = _write(tmp_path / "inv", "prod:\n  hostname: h\n  pasword: x\n")
    with pytest.raises(InventoryError) as info:
        load_inventory(folder)
    assert info.value.line == 3
    assert "unknown key 'pasword'" in str(info.value)
    assert str(folder / "hosts.yaml") in str(info.value)


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    folder = _write(tmp_path / "inv", "prod:\n  hostname: h\n  data: {kind: [\n")
    with pytest.raises(InventoryError) as info:
        load_inventory(folder)
    assert info.value.line is not None and info.value.line >= 3


def test_missing_env_var_and_bad_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOPE_NOT_SET", raising=False)
    folder = _write(tmp_path / "a", "prod:\n  hostname: h\n  password: ${NOPE_NOT_SET}\n")
    with pytest.raises(SecretError, match="NOPE_NOT_SET is not set"):
        load_inventory(folder)
    folder = _write(tmp_path / "b", "prod:\n  hostname: h\n  data: {kind: toaster}\n")
    with pytest.raises(InventoryError, match="toaster"):
        load_inventory(folder)


def test_unknown_group_and_loop(tmp_path: Path) -> None:
    folder = _write(tmp_path / "a", "h1:\n  groups: [missing]\n")
    with pytest.raises(InventoryError, match="unknown group 'missing'"):
        load_inventory(folder)
    folder = _write(
        tmp_path / "b", "h1:\n  groups: [a]\n", groups="a:\n  groups: [b]\nb:\n  groups: [a]\n"
    )
    with pytest.raises(InventoryError, match="loop"):
        load_inventory(folder)


def test_secrets_file_reference(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.yaml"
    secrets.write_text("prod_root: from-file-789\n")
    folder = _write(
        tmp_path / "inv",
        "prod:\n  hostname: h\n  platform: xenserver\n  password: ${secret:prod_root}\n",
    )
    inventory = load_inventory(folder, secrets)
    assert inventory.hosts["prod"].password == "from-file-789"
    with pytest.raises(SecretError, match="no secrets file"):
        load_inventory(folder)


def test_literal_password_is_warned_about(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = _write(tmp_path / "inv", "prod:\n  hostname: h\n  password: plain-pw\n")
    load_inventory(folder)
    assert "literal credential" in caplog.text
    assert "plain-pw" not in caplog.text


def test_verify_tls_off_is_warned_about(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = _write(
        tmp_path / "inv",
        "prod:\n  hostname: h\n  platform: xenserver\n  data: {verify_tls: false}\n",
    )
    assert load_inventory(folder).hosts["prod"].verify_tls is False
    assert "TLS verification is turned off" in caplog.text


def test_shipped_example_inventory_and_policy_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xsfabric.policy import load_policy

    root = Path(__file__).resolve().parents[1] / "inventories" / "example"
    monkeypatch.setenv("XS_POOL_PASSWORD", "pw-example")
    monkeypatch.setenv("SNMP_COMMUNITY", "community-example")
    secrets = tmp_path / "secrets.yaml"
    secrets.write_text("switch_password: sw-example\n")
    inventory = load_inventory(root, secrets)
    assert {h.kind.value for h in inventory.hosts.values()} == {"xenserver-pool", "switch"}
    assert load_policy(root / "policy.yaml").pools["prod-pool"]["environment"] == "production"


def test_env_username_and_hostname_are_not_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only credentials are secrets: a ${ENV} username or hostname must not be redacted from
    stored data (it was: "username admin" became "username REMOVED")."""
    monkeypatch.setenv("XS_USER", "admin")
    monkeypatch.setenv("XS_HOST", "sw-core-01")
    monkeypatch.setenv("XS_SW_PW", "sw-pass-789")
    folder = _write(
        tmp_path / "inv",
        hosts=(
            "sw1:\n"
            "  hostname: ${XS_HOST}\n"
            "  platform: cisco_ios\n"
            "  username: ${XS_USER}\n"
            "  password: ${XS_SW_PW}\n"
            "  data: {kind: switch}\n"
        ),
    )
    inventory = load_inventory(folder)
    assert inventory.secrets == {"sw-pass-789"}


def test_nornir_resolves_groups_and_connection_options_field_by_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nornir's own rules (extended_groups order without repeats; connection options merged
    per field, host over groups over defaults), as Nornir's SimpleInventory applies them."""
    folder = _write(
        tmp_path / "inv",
        hosts=(
            "sw1:\n  hostname: 192.0.2.10\n  platform: cisco_ios\n  groups: [leaf, mgmt]\n"
            "  connection_options:\n    netmiko:\n      port: 2222\n"
        ),
        groups=(
            "leaf:\n  groups: [base]\n"
            "  connection_options:\n    netmiko:\n      extras: {secret: '${EN}'}\n"
            "mgmt:\n  groups: [base]\nbase:\n  port: 22\n"
        ),
        defaults=(
            "connection_options:\n  netmiko:\n    port: 8022\n    extras: {fast_cli: false}\n"
            "  napalm:\n    extras: {optional_args: {transport: ssh}}\n"
        ),
    )
    monkeypatch.setenv("EN", "enable-42")
    inventory = load_inventory(folder)
    sw1 = inventory.hosts["sw1"]
    assert sw1.groups == ("leaf", "base", "mgmt")
    assert sw1.port == 22
    assert sw1.connection_options == {
        "napalm": {"extras": {"optional_args": {"transport": "ssh"}}},
        "netmiko": {"port": 2222, "extras": {"secret": "enable-42"}},
    }
    assert "enable-42" in inventory.secrets


def test_an_empty_host_entry_is_one_line_naming_the_file(tmp_path: Path) -> None:
    folder = _write(tmp_path / "inv", "prod:\n  hostname: h\nsw9:\n")
    with pytest.raises(InventoryError) as info:
        load_inventory(folder)
    assert str(folder / "hosts.yaml") in str(info.value)
    assert "must be a map" in str(info.value)
    assert "\n" not in str(info.value)


def test_known_hosts_path_is_relative_to_the_inventory(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "inv",
        hosts=(
            "sw1:\n  hostname: 192.0.2.1\n  platform: cisco_ios\n"
            "  data: {kind: switch, known_hosts: keys/known_hosts}\n"
        ),
    )
    host = load_inventory(folder).hosts["sw1"]
    assert host.data["known_hosts"] == str(folder / "keys" / "known_hosts")


def test_errors_name_the_file_that_holds_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value a host inherits is wrong where it is written: groups.yaml or defaults.yaml,
    at that line, not hosts.yaml at the host (issue 14)."""
    monkeypatch.delenv("XS_UNSET_PW", raising=False)
    hosts = "sw1:\n  hostname: 127.0.0.9\n  groups: [switches]\n"
    folder = _write(
        tmp_path / "a",
        hosts=hosts,
        groups="switches:\n  platform: cisco_ios\n  password: ${XS_UNSET_PW}\n",
    )
    with pytest.raises(SecretError, match=r"groups\.yaml:3"):
        load_inventory(folder)
    folder = _write(
        tmp_path / "b",
        hosts=hosts,
        groups="switches:\n  platform: cisco_ios\n  data:\n    kind: router\n",
    )
    with pytest.raises(InventoryError, match=r"groups\.yaml:4: sw1: data\.kind 'router'"):
        load_inventory(folder)
    folder = _write(
        tmp_path / "c",
        hosts=hosts,
        groups="switches:\n  platform: cisco_ios\n",
        defaults="port: 70000\n",
    )
    with pytest.raises(InventoryError, match=r"defaults\.yaml:1: sw1: port"):
        load_inventory(folder)
    # near miss: the host's own value wins over the group's, and is named in hosts.yaml
    folder = _write(
        tmp_path / "d",
        hosts=hosts + "  data:\n    kind: router\n",
        groups="switches:\n  platform: cisco_ios\n  data:\n    kind: switch\n",
    )
    with pytest.raises(InventoryError, match=r"hosts\.yaml:5: sw1: data\.kind 'router'"):
        load_inventory(folder)
