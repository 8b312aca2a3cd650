"""Configuration facts derived from the UNREDACTED text, before redaction.

Why this exists: the snapshot keeps configurations only redacted, yet hygiene rules need to
know things a redacted line no longer shows — that an SNMP community is ``public``, that a
password is type 7 (reversible) or type 0 (plain text), that an SNMPv3 user has no privacy
key, that an NTP key exists. :func:`derive_config_facts` reads the raw text once, at
collection or import time (:class:`xsfabric.snapshot.SnapshotWriter` calls it from its one
write path), and keeps only *facts*: kinds, counts, hash classes and the line number where
each was seen. No secret value, and nothing from which one could be recovered, is kept; the
result is stored as ``devices/<d>/config-facts.json`` (see ``docs/snapshot-format.md``).

The patterns are vendor-neutral on purpose: Cisco IOS / NX-OS, Arista EOS and Junos (both
hierarchical and ``set`` forms) spell these statements differently enough that one pattern
list covers all of them, and a capture of an unknown platform still yields its facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

FORMAT = "xsfabric-config-facts/1"
FILE_NAME = "config-facts.json"

#: Commands (file stems) whose output is a device configuration.
CONFIG_COMMANDS: tuple[str, ...] = (
    "show running-config",
    "show startup-config",
    "show configuration",
    "show configuration | display set",
    "show running-config all",
    "more system:running-config",
)

#: NAPALM ``get_config`` keys that hold configurations.
NAPALM_CONFIG_KEYS: tuple[str, ...] = ("running", "startup", "candidate")

#: Community names that scanners try first (defaults of vendors and of net-snmp examples).
DEFAULT_COMMUNITIES = frozenset(
    {
        "public",
        "private",
        "community",
        "cisco",
        "secret",
        "admin",
        "manager",
        "snmp",
        "snmpd",
        "write",
        "read",
        "all",
        "monitor",
        "default",
        "password",
        "test",
        "ilmi",
        "snmp-trap",
        "tivoli",
        "openview",
        "mngt",
        "system",
        "write-private",
        "read-only",
        "read-write",
    }
)

#: Hash classes, weakest first. "plaintext" and "reversible" (Cisco type 7, Junos $9$) are
#: as good as no protection; md5-crypt is brute-forceable; the rest are acceptable.
HASH_CLASSES = ("plaintext", "reversible", "md5", "sha256", "sha512", "pbkdf2", "scrypt", "unknown")
STRONG_HASHES = frozenset({"sha256", "sha512", "pbkdf2", "scrypt"})


def classify_secret(type_word: str | None, value: str) -> str:
    """The protection class of one stored secret, from its type word and its shape.

    >>> classify_secret("7", "0822455D0A16")
    'reversible'
    >>> classify_secret(None, "plain"), classify_secret("5", "$1$abcd$xyz")
    ('plaintext', 'md5')
    >>> classify_secret("sha512", "$6$salt$hash"), classify_secret("9", "$9$aa$bb")
    ('sha512', 'scrypt')
    >>> classify_secret(None, '"$9$k2fQ/CtO1Ic"')
    'reversible'
    """
    t = (type_word or "").lower()
    v = value.strip('"')
    if t in ("0", "plaintext", "clear"):
        return "plaintext"
    if t == "7" or (t in ("", "encrypted") and v.startswith("$9$") and "$" not in v[3:]):
        return "reversible"
    if t == "8" or v.startswith("$8$"):
        return "pbkdf2"
    if t == "9" or v.startswith(("$9$", "$14$")):
        return "scrypt"
    if v.startswith("$6$") or t == "sha512":
        return "sha512"
    if v.startswith("$5$") or t == "sha256":
        return "sha256"
    if v.startswith("$1$") or t in ("5", "md5"):
        return "md5"
    if t in ("", "unencrypted"):
        return "plaintext"
    return "unknown"


@dataclass(frozen=True, slots=True)
class CommunityFact:
    """An SNMP v1/v2c community: never its value, only whether it is a well-known one."""

    line: int
    default_name: bool
    access: str  # "ro", "rw" or "unknown"
    acl: bool


@dataclass(frozen=True, slots=True)
class SnmpUserFact:
    line: int
    name: str
    auth: bool
    privacy: bool


@dataclass(frozen=True, slots=True)
class SecretFact:
    """One stored credential: where, what it protects, and how it is protected."""

    line: int
    kind: str  # "enable", "user", "line", "root", "snmp", "aaa-key", "ntp-key", "other"
    hash: str  # one of HASH_CLASSES
    name: str = ""  # the user name for kind "user" (a name is not a secret)


@dataclass(slots=True)
class ConfigFacts:
    """Everything :func:`derive_config_facts` learnt from one configuration text."""

    communities: list[CommunityFact] = field(default_factory=list)
    snmp_users: list[SnmpUserFact] = field(default_factory=list)
    snmp_v3_groups_without_priv: list[int] = field(default_factory=list)  # line numbers
    secrets: list[SecretFact] = field(default_factory=list)
    ntp_keys: list[int] = field(default_factory=list)  # line numbers of key definitions
    ntp_authenticate: bool = False
    password_encryption_service: bool = False
    #: Logins are authenticated by TACACS+/RADIUS ("aaa authentication login … group …",
    #: Junos "authentication-order [ … radius ]"): read here because redaction patterns may
    #: mangle those lines.
    login_uses_servers: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ConfigFacts:
        return cls(
            communities=[CommunityFact(**c) for c in data.get("communities", [])],
            snmp_users=[SnmpUserFact(**u) for u in data.get("snmp_users", [])],
            snmp_v3_groups_without_priv=list(data.get("snmp_v3_groups_without_priv", [])),
            secrets=[SecretFact(**s) for s in data.get("secrets", [])],
            ntp_keys=list(data.get("ntp_keys", [])),
            ntp_authenticate=bool(data.get("ntp_authenticate", False)),
            password_encryption_service=bool(data.get("password_encryption_service", False)),
            login_uses_servers=bool(data.get("login_uses_servers", False)),
        )


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_TYPE_WORD = r"(?:(?P<type>\d{1,2}|sha512|sha256|md5|encrypted|plaintext|clear)\s+)?"

_COMMUNITY_CISCO = _r(r"^\s*snmp-server\s+community\s+(?P<name>\S+)(?P<rest>.*)$")
_COMMUNITY_JUNOS_SET = _r(r"^\s*set\s+snmp\s+community\s+\"?(?P<name>[^\"\s]+)\"?(?P<rest>.*)$")
_COMMUNITY_JUNOS_BLOCK = _r(r"^\s*community\s+\"?(?P<name>[^\"\s;{]+)\"?\s*[{;]")
_JUNOS_AUTHZ = _r(r"authorization\s+(?P<a>read-only|read-write)")
_SNMP_USER_CISCO = _r(r"^\s*snmp-server\s+user\s+(?P<name>\S+)(?P<rest>.*)$")
_SNMP_GROUP_CISCO = _r(r"^\s*snmp-server\s+group\s+\S+\s+v3\s+(?P<level>noauth|auth|priv)\b")
_SNMP_USER_JUNOS = _r(
    r"^\s*(?:set\s+snmp\s+v3\s+usm\s+local-engine\s+)?user\s+"
    r"\"?(?P<name>[^\"\s{;]+)\"?(?P<rest>.*)$"
)
_AAA_ROOT = _r(r"^\s*aaa\s+root\s+secret\s+" + _TYPE_WORD + r"(?P<value>\S+)")
_ENABLE = _r(
    r"^\s*enable\s+(?P<what>secret|password)\s+(?:level\s+\d+\s+)?" + _TYPE_WORD + r"(?P<value>\S+)"
)
_USER_CISCO = _r(
    r"^\s*username\s+(?P<name>\S+)(?:\s+privilege\s+\d+|\s+role\s+\S+|"
    r"\s+algorithm-type\s+\S+)*\s+(?P<what>secret|password)\s+" + _TYPE_WORD + r"(?P<value>\S+)"
)
_JUNOS_PASSWORD = _r(r"\bencrypted-password\s+\"?(?P<value>[^\"\s;]+)")
_LINE_PASSWORD = _r(r"^\s+password\s+" + _TYPE_WORD + r"(?P<value>\S+)\s*$")
_AAA_KEY = _r(
    r"^\s*(?:tacacs-server|radius-server|tacacs\s+server|radius\s+server)\b.*?"
    r"\bkey\s+" + _TYPE_WORD + r"(?P<value>\S+)"
)
_BLOCK_KEY = _r(r"^\s+key\s+" + _TYPE_WORD + r"(?P<value>\S+)\s*$")
_JUNOS_SECRET = _r(r"\b(?:secret|authentication-key)\s+\"(?P<value>[^\"]+)\"")
_NTP_KEY_CISCO = _r(r"^\s*ntp\s+authentication-key\s+\d+\s+\S+\s+" + _TYPE_WORD + r"(?P<value>\S+)")
_NTP_KEY_JUNOS = _r(
    r"^\s*(?:set\s+system\s+ntp\s+)?authentication-key\s+\d+\s+type\s+\S+\s+"
    r"value\s+\"?(?P<value>[^\"\s;]+)"
)
_NTP_AUTHENTICATE = _r(
    r"^\s*(?:ntp\s+authenticate\b|(?:set\s+system\s+ntp\s+)?"
    r"trusted-key\b|ntp\s+trusted-key\b)"
)
_LOGIN_SERVERS = _r(
    r"^(?:aaa\s+authentication\s+login\s+\S+\s+(?:.*\s)?group\b|"
    r"(?:set\s+)?system\s+authentication-order\b.*\b(?:radius|tacplus)\b)"
)
_SERVICE_PE = _r(r"^\s*service\s+password-encryption\b")


def _community_access(rest: str) -> str:
    words = rest.lower().split()
    if "rw" in words or "network-admin" in words:
        return "rw"
    if "ro" in words or "network-operator" in words or not words:
        return "ro"  # IOS and EOS default to read-only
    return "unknown"


def _community_acl(rest: str) -> bool:
    words = rest.split()
    if "use-acl" in words or "use-ipv4acl" in words or "ipv6" in words:
        return True
    # IOS: "snmp-server community X RO 10" / "... RO MGMT-ACL" (a word after RO/RW)
    lower = [w.lower() for w in words]
    return any(key in lower and lower.index(key) < len(lower) - 1 for key in ("ro", "rw"))


class _JunosContext:
    """Tracks the brace path of a hierarchical Junos configuration, so ``user X {`` inside
    ``system login`` is told apart from ``user X {`` inside ``snmp v3 usm``."""

    def __init__(self) -> None:
        self.stack: list[str] = []

    def feed(self, line: str) -> str:
        """Returns the path *before* this line's own opening brace."""
        text = line.split("##", 1)[0].strip()
        path = " ".join(self.stack)
        if text.endswith("{"):
            self.stack.append(text[:-1].strip())
        elif text.startswith("}") and self.stack:
            self.stack.pop()
        return path


def derive_config_facts(text: str) -> ConfigFacts:
    """Facts from one unredacted configuration. Pure; never raises on odd input."""
    facts = ConfigFacts()
    junos = _JunosContext()
    section = ""
    communities: dict[str, int] = {}  # name → index; names never leave this function
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        path = junos.feed(line)
        stripped = line.strip()
        if not stripped or stripped.startswith("!"):
            continue
        full = f"{path} {stripped}" if path else stripped
        if not line[:1].isspace():
            section = stripped  # the Cisco-style section an indented line belongs to
        elif not path:
            full = f"{section} {stripped}"
        _communities(facts, number, line, full, communities)
        _snmp_users(facts, number, line, full)
        _secrets(facts, number, line, full)
        m = _JUNOS_PASSWORD.search(stripped)
        if m:
            if "root-authentication" in full:
                kind, name = "root", "root"
            else:
                kind = "user"
                user_match = re.search(r"\buser\s+(\S+)", full)
                name = user_match.group(1) if user_match else ""
            facts.secrets.append(
                SecretFact(number, kind, classify_secret(None, m.group("value")), name)
            )
        if _NTP_AUTHENTICATE.match(stripped) or _NTP_AUTHENTICATE.match(full):
            facts.ntp_authenticate = True
        if _SERVICE_PE.match(stripped):
            facts.password_encryption_service = True
        if _LOGIN_SERVERS.search(full):
            facts.login_uses_servers = True
    return facts


def _communities(
    facts: ConfigFacts, number: int, line: str, full: str, seen: dict[str, int]
) -> None:
    """``seen`` maps a community name (kept in memory only, never stored) to its fact, so
    a community stated on several lines (NX-OS ``… use-acl X``, Junos ``set`` lines) is one
    fact."""
    m = _COMMUNITY_CISCO.match(line) or _COMMUNITY_JUNOS_SET.match(full)
    if m:
        rest = m.group("rest")
        junos = _JUNOS_AUTHZ.search(rest)
        access = (
            {"read-only": "ro", "read-write": "rw"}[junos.group("a").lower()]
            if junos
            else _community_access(rest)
        )
        name = m.group("name").strip('"')
        acl = _community_acl(rest) or "clients" in rest
        if name in seen:
            old = facts.communities[seen[name]]
            facts.communities[seen[name]] = CommunityFact(
                old.line,
                old.default_name,
                access if access != "unknown" else old.access,
                old.acl or acl,
            )
            return
        seen[name] = len(facts.communities)
        facts.communities.append(
            CommunityFact(number, name.lower() in DEFAULT_COMMUNITIES, access, acl)
        )
        return
    m = _COMMUNITY_JUNOS_BLOCK.match(line)
    if m and full.startswith("snmp"):
        facts.communities.append(
            CommunityFact(number, m.group("name").lower() in DEFAULT_COMMUNITIES, "unknown", False)
        )
        return
    if full.startswith("snmp community") and _JUNOS_AUTHZ.search(line) and facts.communities:
        # "authorization read-write;" inside the community block refines the last one
        last = facts.communities[-1]
        access = "rw" if "read-write" in line else "ro"
        facts.communities[-1] = CommunityFact(last.line, last.default_name, access, last.acl)
    if full.startswith("snmp community") and "clients" in line and facts.communities:
        last = facts.communities[-1]
        facts.communities[-1] = CommunityFact(last.line, last.default_name, last.access, True)


def _snmp_users(facts: ConfigFacts, number: int, line: str, full: str) -> None:
    m = _SNMP_USER_CISCO.match(line)
    if m:
        rest = " " + m.group("rest").lower() + " "
        facts.snmp_users.append(
            SnmpUserFact(number, m.group("name"), " auth " in rest, " priv " in rest)
        )
        return
    m = _SNMP_GROUP_CISCO.match(line)
    if m and m.group("level").lower() != "priv":
        facts.snmp_v3_groups_without_priv.append(number)
        return
    if "usm" in full.split():
        m = _SNMP_USER_JUNOS.match(line.strip()) or _SNMP_USER_JUNOS.match(full)
        if m and re.search(r"\busm\b.*\buser\b", full):
            name = m.group("name")
            known = {u.name: i for i, u in enumerate(facts.snmp_users)}
            auth = "authentication-" in full and "authentication-none" not in full
            priv = "privacy-" in full and "privacy-none" not in full
            if name in known:
                old = facts.snmp_users[known[name]]
                facts.snmp_users[known[name]] = SnmpUserFact(
                    old.line, name, old.auth or auth, old.privacy or priv
                )
            else:
                facts.snmp_users.append(SnmpUserFact(number, name, auth, priv))
        elif facts.snmp_users and ("authentication-" in line or "privacy-" in line):
            old = facts.snmp_users[-1]
            facts.snmp_users[-1] = SnmpUserFact(
                old.line,
                old.name,
                old.auth or ("authentication-" in line and "authentication-none" not in line),
                old.privacy or ("privacy-" in line and "privacy-none" not in line),
            )


def _secrets(facts: ConfigFacts, number: int, line: str, full: str) -> None:
    m = _ENABLE.match(line)
    if m:
        hash_class = classify_secret(m.group("type"), m.group("value"))
        if m.group("what").lower() == "password" and m.group("type") is None:
            hash_class = "plaintext"
        facts.secrets.append(SecretFact(number, "enable", hash_class, m.group("what").lower()))
        return
    m = _AAA_ROOT.match(line)
    if m:
        facts.secrets.append(
            SecretFact(number, "root", classify_secret(m.group("type"), m.group("value")), "root")
        )
        return
    m = _USER_CISCO.match(line)
    if m:
        value = m.group("value")
        if value.lower() == "nopassword":
            return
        facts.secrets.append(
            SecretFact(number, "user", classify_secret(m.group("type"), value), m.group("name"))
        )
        return
    m = _NTP_KEY_CISCO.match(line) or _NTP_KEY_JUNOS.match(line.strip())
    if m or (full.startswith(("system ntp", "set system ntp")) and "authentication-key" in line):
        facts.ntp_keys.append(number)
        return
    m = _AAA_KEY.match(line)
    if m:
        facts.secrets.append(
            SecretFact(number, "aaa-key", classify_secret(m.group("type"), m.group("value")))
        )
        return
    if full.startswith(("line ", "set line")) or re.match(r"^line\s", full):
        m = _LINE_PASSWORD.match(line)
        if m:
            facts.secrets.append(
                SecretFact(number, "line", classify_secret(m.group("type"), m.group("value")))
            )
            return
    if re.match(r"^(tacacs|radius)", full):
        m = _BLOCK_KEY.match(line)
        if m:
            facts.secrets.append(
                SecretFact(number, "aaa-key", classify_secret(m.group("type"), m.group("value")))
            )
            return
    m = _JUNOS_SECRET.search(line)
    if m and re.search(r"\b(tacplus-server|radius-server)\b", full):
        facts.secrets.append(SecretFact(number, "aaa-key", classify_secret(None, m.group("value"))))


def config_source(relpath: str) -> str | None:
    """The configuration source a snapshot artifact holds, or None.

    >>> config_source("devices/sw1/show running-config.txt")
    'show running-config'
    >>> config_source("devices/sw1/show vlan.txt") is None
    True
    >>> config_source("devices/sw1/sh run.txt"), config_source("devices/sw1/show conf.txt")
    ('show running-config', 'show configuration')
    """
    name = relpath.rsplit("/", 1)[-1]
    if not name.endswith(".txt"):
        return None
    stem = name[:-4].replace("%2F", "/").replace("%25", "%")
    normal = " ".join(stem.split())
    if normal in CONFIG_COMMANDS:
        return normal
    words = normal.lower().split()
    for command in CONFIG_COMMANDS:  # a capture saved as typed: "sh run", "show start"
        full = command.split()
        if len(words) == len(full) and all(
            f.startswith(w) for w, f in zip(words, full, strict=True)
        ):
            return command
    return None


def facts_document(sources: dict[str, ConfigFacts]) -> dict[str, Any]:
    """The ``config-facts.json`` document: facts per configuration source."""
    return {
        "format": FORMAT,
        "sources": {name: facts.to_json() for name, facts in sorted(sources.items())},
    }


def read_facts_document(doc: Any) -> dict[str, ConfigFacts]:
    """Inverse of :func:`facts_document`; an unknown format gives no facts."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        return {}
    sources = doc.get("sources")
    if not isinstance(sources, dict):
        return {}
    return {str(k): ConfigFacts.from_json(v) for k, v in sources.items() if isinstance(v, dict)}


def napalm_config_texts(obj: Any) -> Iterable[tuple[str, str]]:
    """(source, text) pairs of a NAPALM ``get_config`` result."""
    if isinstance(obj, dict):
        for key in NAPALM_CONFIG_KEYS:
            value = obj.get(key)
            if isinstance(value, str) and value.strip():
                yield f"napalm get_config {key}", value
