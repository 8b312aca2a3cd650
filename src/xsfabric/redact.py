"""Secret redaction: the one place that decides what never reaches disk.

Every artifact goes through :class:`Redactor` on its way into a snapshot (see
:class:`xsfabric.snapshot.SnapshotWriter`). Structured xapi data is redacted by key, the way a
XenServer status report filters its ``xapi-db.xml``: the ``secret`` table's values, every
field or map value whose key contains "password". Keys are kept, so rules can still tell that
a plain-text CHAP password was stored. Text artifacts are redacted by the patterns below and by
the exact secret values the inventory resolved (passwords, communities, keys).

Later issues add patterns to :data:`TEXT_PATTERNS` instead of writing files around this.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from xsfabric.xapi.dbdump import XapiDatabase
from xsfabric.xapi.sexpr import SExprError, format_map, parse_map

#: What replaces a secret value: the marker XenServer's own status report writes.
REDACTED = "REMOVED"


def is_secret_key(key: str) -> bool:
    """True for a field or map key whose value is a credential.

    >>> is_secret_key("chappassword"), is_secret_key("wlb_password"), is_secret_key("target")
    (True, True, False)
    """
    return "password" in key.lower()


@dataclass(frozen=True, slots=True)
class TextPattern:
    """A regex whose group ``secret`` is replaced by :data:`REDACTED`."""

    name: str
    regex: re.Pattern[str]


def _p(name: str, pattern: str) -> TextPattern:
    return TextPattern(name, re.compile(pattern, re.MULTILINE | re.IGNORECASE))


#: Hash or encryption type words that may stand between a keyword and its secret.
_TYPE = r"(?:(?:\d{1,2}|sha512|sha256|md5|encrypted|hidden|plaintext|clear)\s+)?"

#: Secrets in device configurations and CLI output (Cisco IOS/NX-OS, Arista EOS, Junos, …).
#: Each regex names the secret ``secret``; a line may match several patterns. Over-redaction
#: is accepted: a secret written to disk is not.
TEXT_PATTERNS: list[TextPattern] = [
    # enable/username/line passwords and hashes, BGP neighbor and any other "password X" /
    # "secret X" (types 0/5/7/8/9, sha512 …), Cisco and Arista alike
    # (never across a line end: a table header ending in "Password" is followed by a row;
    # Purity's "purehost list --chap" header "Host Password  Target User" holds no secret)
    _p("password or secret", rf"\b(?:password|secret)[^\S\n]+{_TYPE}"
       r"(?!Target\s+(?:User|Password)\b)(?P<secret>[^\s;]+)"),
    # SNMP communities: IOS/NX-OS/EOS config, trap hosts, Junos set and hierarchical forms
    _p("snmp community", r"^\s*snmp-server\s+community\s+(?P<secret>\S+)"),
    _p("snmp host community", r"^\s*snmp-server\s+host\s+\S+(?:\s+(?:informs|traps|"
       r"version\s+\S+|vrf\s+\S+|use-vrf\s+\S+))*\s+(?P<secret>[^\s]+)"),
    _p("junos snmp community", r"^\s*(?:set\s+)?snmp\s+community\s+\"?(?P<secret>[^\"\s;{]+)"),
    _p("junos community block", r"^\s*community\s+\"?(?P<secret>[^\"\s;{]+)\"?\s*\{"),
    # SNMPv3 user keys (IOS: auth sha KEY priv aes 128 KEY; NX-OS: auth md5 KEY priv KEY)
    _p("snmp user auth key", r"^(?=.*\bsnmp-server\s+user\b).*?\bauth\s+\S+\s+(?:0x)?"
       r"(?P<secret>\S+)"),
    _p("snmp user priv key", r"^(?=.*\bsnmp-server\s+user\b).*?\bpriv\s+(?:(?:aes(?:-128)?|"
       r"3?des)(?:\s+\d+)?\s+)?(?:0x)?(?P<secret>\S+)"),
    # AAA and routing-protocol keys
    _p("tacacs/radius key", r"^\s*(?:tacacs-server|radius-server|tacacs\s+server|"
       r"radius\s+server)\b.*?\bkey\s+" + _TYPE + r"(?P<secret>\S+)"),
    _p("block key", r"^\s+key\s+" + _TYPE + r"(?P<secret>\S+)\s*$"),
    _p("key-string", r"\bkey-string\s+" + _TYPE + r"(?P<secret>\S+)"),
    _p("authentication key", r"\b(?:authentication-key|message-digest-key\s+\d+\s+md5)\s+"
       + _TYPE + r"(?P<secret>[^\s;]+)"),
    _p("isakmp key", r"\bcrypto\s+isakmp\s+key\s+" + _TYPE + r"(?P<secret>\S+)"),
    # Junos quoted secrets ($9$, $6$ …)
    _p("junos quoted secret", r"\b(?:encrypted-password|secret|authentication-key|"
       r"pre-shared-key\s+ascii-text|simple-password)\s+\"(?P<secret>[^\"]+)\""),
]


@dataclass(slots=True)
class Redactor:
    """Redacts structured xapi data and text. ``known_secrets`` are the literal values the
    inventory resolved; they are removed from every text artifact whatever the format."""

    known_secrets: set[str] = field(default_factory=set)
    patterns: list[TextPattern] = field(default_factory=lambda: list(TEXT_PATTERNS))

    def add_secrets(self, values: Iterable[str | None]) -> None:
        for value in values:
            if value and len(value) >= 3:
                self.known_secrets.add(value)

    def text(self, text: str) -> str:
        for pattern in self.patterns:
            text = pattern.regex.sub(_replace_secret_group, text)
        return self.known(text)

    def known(self, text: str) -> str:
        """Only the literal credentials the inventory resolved (for data that is not device
        text, such as xapi records, where config patterns would only mangle names)."""
        for secret in sorted(self.known_secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text

    def obj(self, value: Any, *, patterns: bool = True) -> Any:
        """A JSON-like value with every string — keys too (NAPALM keys SNMP communities by
        name) — redacted as text, so a configuration inside a JSON string is redacted line by
        line, as it would be in a text file."""
        redact = self.text if patterns else self.known
        if isinstance(value, str):
            return redact(value)
        if isinstance(value, dict):
            return {redact(str(k)): self.obj(v, patterns=patterns) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.obj(v, patterns=patterns) for v in value]
        return value

    def records(self, records: dict[str, dict[str, dict[str, Any]]]) -> None:
        """Redact API records in place (live collection and dump import alike)."""
        for cls, rows in records.items():
            for record in rows.values():
                if cls == "secret" and record.get("value"):
                    record["value"] = REDACTED
                for key, value in record.items():
                    if isinstance(value, dict):
                        for sub_key, sub_value in value.items():
                            if is_secret_key(sub_key) and sub_value:
                                value[sub_key] = REDACTED
                    elif is_secret_key(key) and isinstance(value, str) and _is_value(value):
                        record[key] = REDACTED

    def database(self, db: XapiDatabase) -> None:
        """Redact a dump's tables in place; map-valued fields are re-encoded."""
        for cls, rows in db.tables.items():
            for row in rows.values():
                if cls == "secret" and row.get("value"):
                    row["value"] = REDACTED
                for key, raw in row.items():
                    if is_secret_key(key) and _is_value(raw):
                        row[key] = REDACTED
                    elif raw.startswith("((") and "password" in raw.lower():
                        row[key] = _redact_map_text(raw)


def _is_value(value: str) -> bool:
    """A secret-named string that is not empty and not a null reference."""
    return bool(value) and value != "OpaqueRef:NULL"


def _redact_map_text(raw: str) -> str:
    try:
        entries = parse_map(raw)
    except SExprError:
        # Not a well-formed map: drop the whole value rather than risk keeping a secret.
        return REDACTED
    return format_map({k: (REDACTED if is_secret_key(k) and v else v) for k, v in entries.items()})


def _replace_secret_group(match: re.Match[str]) -> str:
    start, end = match.span("secret")
    base = match.start()
    text = match.group(0)
    return text[: start - base] + REDACTED + text[end - base :]


class SecretLogFilter(logging.Filter):
    """Removes the inventory's resolved credentials from every log record a handler emits:
    a library that logs a command line or an error text cannot write a password to a log."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.redactor.known(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_log_filter(redactor: Redactor) -> SecretLogFilter:
    """Attach the filter to every handler of the root logger (where all records end up)."""
    log_filter = SecretLogFilter(redactor)
    for handler in logging.getLogger().handlers:
        handler.addFilter(log_filter)
    return log_filter
