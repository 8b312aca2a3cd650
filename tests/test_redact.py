from __future__ import annotations

from typing import Any

import pytest

from xsfabric.redact import REDACTED, Redactor
from xsfabric.xapi.dbdump import format_dump, parse_dump
from xsfabric.xapi.records import records_from_dump

SECRET = "s3cr3t-Chap!"

DUMP = (
    '<database><manifest><pair key="schema_major_vsn" value="5"/></manifest>'
    '<table name="pool"><row ref="OpaqueRef:p" uuid="pool-1" name_label="P" '
    f'wlb_password="{SECRET}" other_config="()"/></table>'
    '<table name="secret"><row ref="OpaqueRef:s" uuid="sec-1" '
    f'value="{SECRET}-2"/></table>'
    '<table name="PBD"><row ref="OpaqueRef:b" uuid="pbd-1" device_config="(('
    f"'target' '10.0.0.5') ('chapuser' 'xs') ('chappassword' '{SECRET}-3') "
    "('chappassword_secret' 'sec-1'))\"/></table></database>"
).encode()


def test_database_redaction_keeps_keys_and_drops_values() -> None:
    db = parse_dump(DUMP)
    Redactor().database(db)
    text = format_dump(db).decode()
    assert SECRET not in text
    records = records_from_dump(db)
    config = records["PBD"]["OpaqueRef:b"]["device_config"]
    assert config["chappassword"] == REDACTED  # the key stays: rules see a plain password
    assert config["chappassword_secret"] == REDACTED
    assert config["target"] == "10.0.0.5"
    assert config["chapuser"] == "xs"
    assert records["pool"]["OpaqueRef:p"]["wlb_password"] == REDACTED


def test_record_redaction() -> None:
    records: dict[str, dict[str, dict[str, Any]]] = {
        "PBD": {"r": {"device_config": {"password": "pw1234", "server": "h"}}},
               "pool": {"p": {"wlb_password": "OpaqueRef:NULL", "name_label": "x"}}}
    Redactor().records(records)
    assert records["PBD"]["r"]["device_config"] == {"password": REDACTED, "server": "h"}
    assert records["pool"]["p"]["wlb_password"] == "OpaqueRef:NULL"  # a null ref is no secret


def test_text_patterns_and_known_secrets() -> None:
    redactor = Redactor()
    redactor.add_secrets(["communityXYZ", None, "ab"])
    config = (
        "enable secret 5 $1$abcd$efgh\n"
        "username admin privilege 15 secret 9 $9$hash\n"
        "snmp-server community public RO\n"
        " password 7 0822455D0A16\n"
        "tacacs-server host 10.1.1.1 key 7 1234ABCD\n"
        "description uses communityXYZ somewhere\n"
        "interface Gi1/0/1\n"
    )
    out = redactor.text(config)
    for secret in ("$1$abcd$efgh", "$9$hash", "public", "0822455D0A16", "1234ABCD",
                   "communityXYZ"):
        assert secret not in out
    assert "interface Gi1/0/1" in out
    assert out.count(REDACTED) == 6
    assert "ab" in redactor.text("ab")  # too short to be a credential worth matching


def test_junos_quoted_secrets() -> None:
    text = ('set system root-authentication encrypted-password "$6$abc$def"\n'
            'set snmp community "c0mm"\n'
            'authentication-key "$9$xyz"; ## SECRET-DATA\n')
    out = Redactor().text(text)
    assert "$6$abc$def" not in out and "$9$xyz" not in out and "c0mm" not in out


# (config line, the secret it holds) — IOS, NX-OS, EOS and Junos forms seen in the field
CONFIG_SECRETS = [
    ("enable secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM", "$9$nhEm"),
    ("enable password 7 0822455D0A16", "0822455D0A16"),
    ("username admin privilege 15 secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "$1$mERr"),
    ("username admin password 5 $5$LAB$0123456789abcdef  role network-admin", "$5$LAB"),
    ("username admin privilege 15 role network-admin secret sha512 $6$salt$abcdef", "$6$salt"),
    ("enable password sha512 $6$eos$hashhash", "$6$eos"),
    (" password 7 045802150C2E", "045802150C2E"),
    (" neighbor 10.0.0.1 password 7 13061E010803", "13061E010803"),
    ("snmp-server community S3cretRO RO 10", "S3cretRO"),
    ("snmp-server community lab-ro group network-operator", "lab-ro"),
    ("snmp-server host 10.1.1.1 version 2c TrapComm", "TrapComm"),
    ("snmp-server host 10.1.1.1 traps version 2c TrapComm2 udp-port 162", "TrapComm2"),
    ("snmp-server user ops v3group v3 auth sha AuthKey123 priv aes 128 PrivKey456", "AuthKey123"),
    ("snmp-server user ops v3group v3 auth sha AuthKey123 priv aes 128 PrivKey456", "PrivKey456"),
    ("snmp-server user admin network-admin auth md5 0x1a2b3c priv 0x4d5e6f localizedkey",
     "4d5e6f"),
    ("tacacs-server host 10.1.1.5 key 7 1511021F0725", "1511021F0725"),
    ("tacacs-server key 7 \"TacKey\"", "TacKey"),
    ("radius-server host 10.1.1.6 auth-port 1812 acct-port 1813 key RadKey", "RadKey"),
    (" key 7 0508571C22431F5B4A", "0508571C22431F5B4A"),
    (" key-string 7 104D000A0618", "104D000A0618"),
    (" ip ospf authentication-key 7 0822455D0A16", "0822455D0A16"),
    (" ip ospf message-digest-key 1 md5 7 094F471A1A0A", "094F471A1A0A"),
    ("crypto isakmp key VpnPsk address 0.0.0.0", "VpnPsk"),
    ('set system root-authentication encrypted-password "$6$junos$hash"', "$6$junos"),
    ('                encrypted-password "$6$lab$0123456789abcdef"; ## SECRET-DATA', "$6$lab"),
    ('    community "lab-community" { authorization read-only; }', "lab-community"),
    ("set snmp community public authorization read-only", "public"),
    ('    authentication-key "$9$Tz6ApBEyrvLxdhS"; ## SECRET-DATA', "$9$Tz6A"),
    ('            pre-shared-key ascii-text "$9$psk"; ## SECRET-DATA', "$9$psk"),
]
KEPT = [
    "service password-encryption",
    "no service password-recovery",
    "interface GigabitEthernet1/0/1",
    " description uplink to core (password vault rack)",
    "aaa authentication login default group tacacs+ local",
    "community PEERS members 65000:100;",
    "Port Description: eth0",
    "snmp-server location rack 12",
]


@pytest.mark.parametrize(("line", "secret"), CONFIG_SECRETS)
def test_config_secrets_are_redacted(line: str, secret: str) -> None:
    out = Redactor().text(line + "\n")
    assert secret not in out, out
    assert REDACTED in out


def test_config_lines_without_secrets_are_kept() -> None:
    text = "\n".join(KEPT) + "\n"
    out = Redactor().text(text)
    # 'password' followed by a word is over-redacted on purpose; the other lines stay whole
    assert [line for line in out.splitlines() if REDACTED not in line] == [
        line for line in KEPT if "password vault" not in line]


def test_log_records_lose_the_inventory_credentials() -> None:
    import io
    import logging

    from xsfabric.redact import install_log_filter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        redactor = Redactor()
        redactor.add_secrets(["Sup3r-Secret-Pw"])
        install_log_filter(redactor)
        logging.getLogger("paramiko.transport").warning("auth with %s failed", "Sup3r-Secret-Pw")
    finally:
        root.removeHandler(handler)
    assert "Sup3r-Secret-Pw" not in stream.getvalue()
    assert "auth with REMOVED failed" in stream.getvalue()
