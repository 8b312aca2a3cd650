from __future__ import annotations

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
    records = {"PBD": {"r": {"device_config": {"password": "pw1234", "server": "h"}}},
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
