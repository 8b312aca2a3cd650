"""Planted secrets: a distinct marker in every secret position xsfabric can meet, per platform
(configuration lines as IOS, NX-OS, EOS and Junos print them) and on the xapi side (map keys
and fields of a pool's records). Shared by the redaction unit tests and the end-to-end suite
that collects them from the lab and looks for every marker in every file, report and log."""

from __future__ import annotations

# (configuration line, marker that must never be stored)
PLANTED_CONFIG: dict[str, list[tuple[str, str]]] = {
    "cisco_ios": [
        ("enable secret 9 $9$plIOSa01xx$X.HsgL6x1il0RxkOSSvyQYwucySCt7", "plIOSa01"),
        ("enable password 7 0822455D0A16AA01", "0822455D0A16AA01"),
        ("username ops privilege 15 secret 5 $1$plIO$sa02hx5rVt7rPNoS4w", "sa02hx5r"),
        ("username ops2 password 0 plIOSa03", "plIOSa03"),
        ("snmp-server community plIOSa04 RO 10", "plIOSa04"),
        ("snmp-server host 10.1.1.1 version 2c plIOSa05", "plIOSa05"),
        ("snmp-server user ops v3g v3 auth sha plIOSa06 priv aes 128 plIOSa07", "plIOSa06"),
        ("snmp-server user ops v3g v3 auth sha plIOSa06 priv aes 128 plIOSa07", "plIOSa07"),
        ("tacacs-server host 10.1.1.5 key 7 plIOSa08", "plIOSa08"),
        ("radius-server host 10.1.1.6 auth-port 1812 acct-port 1813 key plIOSa09", "plIOSa09"),
        (" key 7 plIOSa10", "plIOSa10"),
        (" key-string 7 plIOSa11", "plIOSa11"),
        (" ip ospf authentication-key 7 plIOSa12", "plIOSa12"),
        (" ip ospf message-digest-key 1 md5 7 plIOSa13", "plIOSa13"),
        ("crypto isakmp key plIOSa14 address 0.0.0.0", "plIOSa14"),
        ("ntp authentication-key 1 md5 plIOSa15 7", "plIOSa15"),
        (" standby 1 authentication plIOSa16", "plIOSa16"),
        (" standby 2 authentication md5 key-string 7 plIOSa17", "plIOSa17"),
        (" vrrp 1 authentication text plIOSa18", "plIOSa18"),
        (" ip nhrp authentication plIOSa19", "plIOSa19"),
        (" pre-shared-key address 10.0.0.1 key plIOSa20", "plIOSa20"),
        (" server-private 10.1.1.7 key 7 plIOSa21", "plIOSa21"),
        (" neighbor 10.0.0.1 password 7 plIOSa22", "plIOSa22"),
        ("key config-key password-encrypt plIOSa23", "plIOSa23"),
        ("snmp-server user ops2 v3g v3 auth sha256 plIOSa24 priv aes 256 plIOSa25", "plIOSa24"),
        (
            " ipv6 ospf authentication ipsec spi 256 md5 0123456789ABCDEF0123456789AB0a26",
            "0123456789ABCDEF0123456789AB0a26",
        ),
        (
            " ipv6 ospf encryption ipsec spi 300 esp aes-cbc 128 0123456789ABCDEF01234567890a27"
            " sha1 0123456789ABCDEF0123456789ABCDEF0a28",
            "0123456789ABCDEF0123456789ABCDEF0a28",
        ),
        (" pre-shared-key address 0.0.0.0 0.0.0.0 key plIOSa29", "plIOSa29"),
        (" ppp chap password 7 plIOSa30", "plIOSa30"),
        ("username u3 algorithm-type scrypt secret plIOSa31", "plIOSa31"),
        ("ntp authentication-key 3 hmac-sha2-256 plIOSa32", "plIOSa32"),
    ],
    "cisco_nxos": [
        ("username ops password 5 $5$plNX$a01bcdef0123456789  role network-admin", "plNX$a01"),
        ("snmp-server community plNXa02 group network-operator", "plNXa02"),
        (
            "snmp-server user ops network-admin auth md5 0xplNXa03 priv 0xplNXa04 localizedkey",
            "plNXa03",
        ),
        (
            "snmp-server user ops network-admin auth md5 0xplNXa03 priv 0xplNXa04 localizedkey",
            "plNXa04",
        ),
        ("ntp authentication-key 2 md5 plNXa05 7", "plNXa05"),
        ('tacacs-server key 7 "plNXa06"', "plNXa06"),
        ('radius-server host 10.1.1.6 key 7 "plNXa07" authentication', "plNXa07"),
        ("  hsrp 10\n    authentication md5 key-string plNXa08", "plNXa08"),
        ("  vrrp 10\n    authentication text plNXa09", "plNXa09"),
        ("feature password encryption aes", ""),
    ],
    "arista_eos": [
        ("username ops privilege 15 role network-admin secret sha512 $6$plEO$a01hash", "a01hash"),
        ("enable password sha512 $6$plEO$a02hash", "a02hash"),
        ("snmp-server community plEOa03 ro", "plEOa03"),
        ("ntp authentication-key 3 md5 plEOa04", "plEOa04"),
        ("ntp authentication-key 4 md5 7 plEOa05", "plEOa05"),
        ("tacacs-server host 10.1.1.5 key 7 plEOa06", "plEOa06"),
        ("   neighbor 10.0.0.2 password 7 plEOa07", "plEOa07"),
        (
            "snmp-server user ops grp v3 localized 0011 auth sha512 plEOa08 priv aes256 plEOa09",
            "plEOa08",
        ),
        (
            "snmp-server user ops grp v3 localized 0011 auth sha512 plEOa08 priv aes256 plEOa09",
            "plEOa09",
        ),
        ("aaa root secret sha512 $6$x$plEOa10", "plEOa10"),
    ],
    "juniper_junos": [
        ('                encrypted-password "$6$plJU$a01abcdef"; ## SECRET-DATA', "plJU$a01"),
        ('set system root-authentication encrypted-password "$6$plJU$a02xyz"', "plJU$a02"),
        ('    community "plJUa03" { authorization read-only; }', "plJUa03"),
        ("set snmp community plJUa04 authorization read-only", "plJUa04"),
        ('        authentication-key 1 type md5 value "$9$plJUa05"; ## SECRET-DATA', "plJUa05"),
        ('set system ntp authentication-key 2 type md5 value "$9$plJUa06"', "plJUa06"),
        ('                md5 1 key "$9$plJUa07"; ## SECRET-DATA', "plJUa07"),
        ('    authentication-key "$9$plJUa08"; ## SECRET-DATA', "plJUa08"),
        ('            pre-shared-key ascii-text "$9$plJUa09"; ## SECRET-DATA', "plJUa09"),
        ('            simple-password "plJUa10"; ## SECRET-DATA', "plJUa10"),
        ('            secret "$9$plJUa11"; ## SECRET-DATA', "plJUa11"),
        (
            "set snmp v3 usm local-engine user ops authentication-sha authentication-key "
            '"$9$plJUa12"',
            "plJUa12",
        ),
        ('set system radius-server 10.1.1.1 secret "plJUa13"', "plJUa13"),
    ],
}

#: Lines the redactor has no specific pattern for, that still look secret: cut after the
#: keyword (the fallback).
PLANTED_FALLBACK: list[tuple[str, str]] = [
    ("cable shared-secret plFBa01 extra", "plFBa01"),
    ("  ldap-login-password plFBa02 more words", "plFBa02"),
    ("widget api-token: plFBa03", "plFBa03"),
]

#: xapi map keys and record fields whose values are credentials.
PLANTED_XAPI_MAP = {
    "pass": "plXAa01",
    "api_token": "plXAa02",
    "chappassword": "plXAa03",
    "password": "plXAa04",
    "incoming_chappassword": "plXAa05",
}


def all_markers() -> list[str]:
    markers = [m for lines in PLANTED_CONFIG.values() for _, m in lines if m]
    markers += [m for _, m in PLANTED_FALLBACK]
    return markers + list(PLANTED_XAPI_MAP.values())
