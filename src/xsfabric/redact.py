"""Secret redaction: the one place that decides what never reaches disk.

Every artifact goes through :class:`Redactor` on its way into a snapshot (see
:class:`xsfabric.snapshot.SnapshotWriter`). Structured xapi data is redacted by key, the way a
XenServer status report filters its ``xapi-db.xml``: the ``secret`` table's values, every
field or map value whose key contains "password". Keys are kept, so rules can still tell that
a plain-text CHAP password was stored. Text artifacts are redacted by the patterns below and by
the exact secret values the inventory resolved (passwords, communities, keys).

Text redaction is netconan's maintained regexes (RANCID's) plus :data:`TEXT_PATTERNS` for what
netconan lacks; later issues add patterns there instead of writing files around this.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from xsfabric.redact_words import MAYBE_WORDS as _MAYBE_WORDS
from xsfabric.redact_words import REDACTED as REDACTED  # noqa: PLC0414 (re-exported)
from xsfabric.xapi.dbdump import XapiDatabase
from xsfabric.xapi.sexpr import SExprError, format_map, parse_map

with warnings.catch_warnings():
    # passlib (netconan's dependency, unused here) imports the deprecated crypt module
    warnings.simplefilter("ignore", DeprecationWarning)
    from netconan.sensitive_item_removal import generate_default_sensitive_item_regexes


#: Map keys and field names that hold a credential whatever else they contain ("pass" in a
#: SMB device_config, "api_token" in a plugin's other_config, "chappassword_secret" …).
_SECRET_KEY_WORDS = frozenset(
    {
        "pass",
        "passwd",
        "password",
        "secret",
        "token",
        "psk",
        "apikey",
        "passphrase",
        "privkey",
        "authkey",
    }
)
_SECRET_KEY_PARTS = (
    "password",
    "passwd",
    "passphrase",
    "private_key",
    "api_key",
    "secret_key",
    "access_key",
    "auth_key",
    "priv_key",
)


def is_secret_key(key: str) -> bool:
    """True for a field or map key whose value is a credential: one of its words (split on
    ``_``, ``-``, ``.``, ``:``, ``/``) is a credential word, or it contains a credential name.

    >>> is_secret_key("chappassword"), is_secret_key("wlb_password"), is_secret_key("target")
    (True, True, False)
    >>> is_secret_key("pass"), is_secret_key("api_token"), is_secret_key("compass")
    (True, True, False)
    """
    lowered = key.lower()
    if any(part in lowered for part in _SECRET_KEY_PARTS):
        return True
    return any(word in _SECRET_KEY_WORDS for word in re.split(r"[_\-.:/ ]+", lowered))


@dataclass(frozen=True, slots=True)
class TextPattern:
    """A regex whose group ``secret`` is replaced by :data:`REDACTED`."""

    name: str
    regex: re.Pattern[str]


def _p(name: str, pattern: str) -> TextPattern:
    return TextPattern(name, re.compile(pattern, re.IGNORECASE))


#: netconan's maintained password and community regexes (RANCID's, extended): groups of
#: (regex, index of the secret group); index None means "a secret is on this line but the
#: regex does not say where" and sends the line to the keyword-to-end-of-line fallback. They
#: run on the line with its whitespace collapsed, as netconan runs them.
_NETCONAN: list[list[tuple[re.Pattern[str], int | None]]] = (
    generate_default_sensitive_item_regexes()
)
NETCONAN_CAPTURING: list[tuple[re.Pattern[str], int]] = [
    (regex, index) for group in _NETCONAN for regex, index in group if index is not None
]
NETCONAN_DETECTING: list[re.Pattern[str]] = [
    regex for group in _NETCONAN for regex, index in group if index is None
]

#: What netconan lacks, measured on the lines in ``tests/test_redact.py`` (each pattern has a
#: line there that leaks without it). A line may match several patterns; over-redaction is
#: accepted, a secret written to disk is not.
TEXT_PATTERNS: list[TextPattern] = [
    # crypt(3) hashes netconan's catch-alls miss ($5$, $6$, $8$, yescrypt, bcrypt); also the
    # hash in "enable password sha512 $6$…", where netconan takes "sha512" for the secret
    _p("crypt hash", r"(?P<secret>\$(?:5|6|8|y|2[aby]?)\$[^\s;\"']+)"),
    # Junos hierarchical community block: community "NAME" { authorization … }
    _p("junos community block", r"^\s*community\s+\"?(?P<secret>[^\"\s;{]+)\"?\s*\{"),
    # DMVPN: ip nhrp authentication SECRET
    _p("nhrp authentication", r"\bnhrp\s+authentication\s+(?P<secret>\S+)"),
    # SNMPv3 user keys with the algorithms netconan's regexes do not know (EOS "auth sha512",
    # "priv aes256", IOS "auth sha256"): it takes the algorithm for the key
    _p(
        "snmp user auth key",
        r"^(?=.*\bsnmp-server\s+user\b).*?\bauth\s+\S+\s+"
        r"(?P<secret>\S+)",
    ),
    _p(
        "snmp user priv key",
        r"^(?=.*\bsnmp-server\s+user\b).*?\bpriv\s+(?:(?:aes-?\d*|"
        r"3?des)(?:\s+\d+)?\s+)?(?P<secret>\S+)",
    ),
    # NTP keys of any algorithm (md5, hmac-sha2-256 …), with or without an encryption type
    # after the algorithm (EOS "md5 7 SECRET"), keeping the key number
    _p(
        "ntp key",
        r"\bntp\s+authentication-key\s+\d+\s+(?!type\b)\S+\s+(?:\d\s+)?"
        r"(?P<secret>\S+)",
    ),
    # IOS master key for type 6 passwords: key config-key password-encrypt SECRET
    _p("config-key", r"\bpassword-encrypt\s+(?P<secret>\S+)"),
    # OSPFv3 / IPsec manual keys: everything after "ipsec spi" (SPI, algorithms, hex keys)
    _p("ipsec spi keys", r"\bipsec\s+spi\s+(?P<secret>.*\S)"),
]

#: Keywords after which a line that looks secret but that no pattern understood is cut off.
_KEYWORD = re.compile(
    r"(?<!\w)(?:password|passwd|secret|simple-password|encrypted-password|key-string|"
    r"authentication-key|pre-shared-key|shared-secret|wpa-psk|ldap-login-password|"
    r"api[_-]?token|private-key|md5|key|ssh-rsa|ssh-dsa|community)(?![\w-])",
    re.IGNORECASE,
)

#: Lines that look like they hold a secret even though no pattern above matched them; a
#: hyphenated keyword counts (Purity's ``host-password``, ``chap-secret``). Lowercase only,
#: as configuration keywords are: a capitalised table header ("Host Password Target User")
#: is output, not a credential.
_DETECT = re.compile(
    r"(?<!\w)(?:password|passwd|secret|pre-shared-key|key-string|authentication-key|"
    r"api[_-]?token|private-key|shared-secret)(?![\w-])[^\S\n]*[:=]?[^\S\n]*\S"
)

#: The cheap test run first (:mod:`xsfabric.redact_words`): a line without any of its words
#: (or a crypt hash marker) cannot match a pattern above.
_CRYPT_HINT = re.compile(r"\$\w{1,2}\$")


def _maybe_secret(text: str) -> bool:
    low = text.lower()
    return any(word in low for word in _MAYBE_WORDS) or (
        "$" in text and _CRYPT_HINT.search(text) is not None
    )


def required_words(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    r"""Words (lowercase, without whitespace) one of which is in every line ``pattern`` can
    match, or None when the pattern requires no such word.

    Read from the pattern's parse tree (``re._parser``): a literal run in a sequence is
    required, as is the word of every branch of an alternation, of a repeat taken at least
    once, of a positive lookaround. Runs are cut at whitespace: netconan's patterns run on
    the line with whitespace collapsed, where a word without whitespace is present exactly
    when it is present in the line itself.

    >>> required_words(re.compile(r"(?P<p>ip ospf authentication-key( \d)? )(\S+)"))
    ('authentication-key',)
    >>> required_words(re.compile(r"(?<=set )(password|secret)"))
    ('password', 'secret')
    >>> required_words(re.compile(r"\S+")) is None
    True
    """
    from re import _parser  # type: ignore[attr-defined]

    return _required(_parser.parse(pattern.pattern, pattern.flags))


def required_word_sets(pattern: re.Pattern[str]) -> tuple[tuple[str, ...], ...]:
    r"""Every requirement :func:`required_words` could name, all at once: a line the pattern
    can match holds one word of each set (no set: the pattern requires no word).

    >>> required_word_sets(re.compile(r"(\S* )*snmp( \S+)* (community|trap-group) "))
    (('snmp',), ('community', 'trap-group'))

    ``re._parser`` is private: on a Python where it is missing or changed, the answer is "no
    requirement", so every pattern runs on every line (the reference path, slower, never
    weaker).
    """
    try:
        from re import _parser  # type: ignore[attr-defined]

        return tuple(_requirements(_parser.parse(pattern.pattern, pattern.flags)))
    except (ImportError, AttributeError, TypeError, ValueError, IndexError):
        return ()


def _required(items: Any) -> tuple[str, ...] | None:
    """The most selective requirement of a sequence (see :func:`required_words`)."""
    options = _requirements(items)
    if not options:
        return None
    # the requirement whose shortest word is longest: fewest lines get through
    return max(options, key=lambda words: (min(len(w) for w in words), -len(words)))


def _requirements(items: Any) -> list[tuple[str, ...]]:
    """Every requirement of a sequence: its literal runs, and those of the groups, repeats
    taken at least once and positive lookarounds in it; an alternation gives one set, the
    words of its branches (when every branch has one)."""
    from re import _constants as c  # type: ignore[attr-defined]

    options: list[tuple[str, ...]] = []
    run: list[str] = []

    def cut() -> None:
        if run:
            options.append(("".join(run).lower(),))
            run.clear()

    for op, arg in items:
        if op is c.LITERAL and not chr(arg).isspace():
            run.append(chr(arg))
            continue
        cut()
        if op is c.SUBPATTERN:
            options += _requirements(arg[3])
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[0] >= 1:
            options += _requirements(arg[2])
        elif op is c.ASSERT:  # positive lookahead / lookbehind: in the line all the same
            options += _requirements(arg[1])
        elif op is c.BRANCH:
            branches = [_required(branch) for branch in arg[1]]
            if all(b is not None for b in branches):
                options.append(tuple(sorted({w for b in branches if b for w in b})))
    cut()
    return options


def _passes(requirements: tuple[tuple[str, ...], ...], low: str) -> bool:
    return all(any(word in low for word in words) for words in requirements)


#: :func:`required_word_sets` of every pattern, computed once.
_NETCONAN_CAPTURING_WORDS = [required_word_sets(regex) for regex, _ in NETCONAN_CAPTURING]
_NETCONAN_DETECTING_WORDS = [required_word_sets(regex) for regex in NETCONAN_DETECTING]
_DETECT_WORDS = required_word_sets(_DETECT)


#: Quotes and punctuation around a secret that stay in place (Junos ``"…";``).
_ENCLOSING = "\"'[]{};,"


@dataclass(slots=True)
class Redactor:
    """Redacts structured xapi data and text. ``known_secrets`` are the literal values the
    inventory resolved; they are removed from every text artifact whatever the format."""

    known_secrets: set[str] = field(default_factory=set)
    patterns: list[TextPattern] = field(default_factory=lambda: list(TEXT_PATTERNS))
    #: False: every pattern on every line that passes :func:`_maybe_secret` (the reference the
    #: tests compare against). True: a pattern runs only on a line holding one word of each
    #: of its :func:`required_word_sets` — same output, byte for byte
    #: (``tests/test_redact_fast.py``);
    #: a line with a non-ASCII character takes the reference path (Unicode case folding
    #: lets ``ſ`` match ``s`` in a case-insensitive pattern, which a substring test misses).
    fast: bool = True

    def add_secrets(self, values: Iterable[str | None]) -> None:
        for value in values:
            if value and len(value) >= 3:
                self.known_secrets.add(value)

    def text(self, text: str) -> str:
        """Device text, line by line: every span a pattern names is replaced; a line that
        looks secret but that no pattern understood loses everything after its keyword."""
        if _maybe_secret(text):
            text = "".join(self.line(line) for line in text.splitlines(keepends=True))
        return self.known(text)

    def line(self, line: str) -> str:
        """One line (its end-of-line kept)."""
        if not _maybe_secret(line):
            return line
        body = line.rstrip("\r\n")
        end = line[len(body) :]
        low = body.lower() if self.fast and body.isascii() else None
        spans = self._spans(body) if low is None else self._spans_fast(body, low)
        if spans:
            return _replace_spans(body, spans) + end
        if low is None:
            if _DETECT.search(body) or _detected_by_netconan(body):
                return _cut_after_keyword(body) + end
        elif (_passes(_DETECT_WORDS, low) and _DETECT.search(body)) or _detected_fast(body, low):
            return _cut_after_keyword(body) + end
        return line

    def _spans_fast(self, body: str, low: str) -> list[tuple[int, int]]:
        """:meth:`_spans`, running each pattern only where one of its words is in ``low``."""
        spans: list[tuple[int, int]] = []
        collapsed: str | None = None
        offsets: list[int] = []
        for (regex, index), words in zip(
            NETCONAN_CAPTURING, _NETCONAN_CAPTURING_WORDS, strict=True
        ):
            if not _passes(words, low):
                continue
            if collapsed is None:
                collapsed, offsets = _collapse(body)
            for match in regex.finditer(collapsed):
                start, stop = match.span(index)
                if start < stop:
                    spans.append((offsets[start], offsets[stop - 1] + 1))
        for pattern, words in zip(self.patterns, self._pattern_words(), strict=True):
            if not _passes(words, low):
                continue
            for match in pattern.regex.finditer(body):
                start, stop = match.span("secret")
                if start < stop:
                    spans.append((start, stop))
        return spans

    def _pattern_words(self) -> list[tuple[tuple[str, ...], ...]]:
        return [_text_pattern_words(pattern) for pattern in self.patterns]

    def _spans(self, body: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        collapsed, offsets = _collapse(body)
        for regex, index in NETCONAN_CAPTURING:
            for match in regex.finditer(collapsed):
                start, stop = match.span(index)
                if start < stop:
                    spans.append((offsets[start], offsets[stop - 1] + 1))
        for pattern in self.patterns:
            for match in pattern.regex.finditer(body):
                start, stop = match.span("secret")
                if start < stop:
                    spans.append((start, stop))
        return spans

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
                    elif raw.startswith("((") and _may_hold_secret_key(raw):
                        row[key] = _redact_map_text(raw)


def _may_hold_secret_key(raw: str) -> bool:
    """A cheap test before a map is parsed: does any credential word occur in it at all
    ("pass", "api_token" … as well as "password")?"""
    low = raw.lower()
    return any(
        word in low
        for word in (
            "pass",
            "secret",
            "token",
            "psk",
            "apikey",
            "privkey",
            "authkey",
            "private_key",
            "api_key",
            "secret_key",
            "access_key",
            "auth_key",
            "priv_key",
        )
    )


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


def _collapse(body: str) -> tuple[str, list[int]]:
    """The line with leading/trailing whitespace dropped and runs of whitespace made one
    space (what netconan's regexes expect), and for each of its characters the offset in
    ``body``."""
    chars: list[str] = []
    offsets: list[int] = []
    for match in re.finditer(r"\S+", body):
        if chars:
            chars.append(" ")
            offsets.append(match.start() - 1)
        chars.extend(match.group(0))
        offsets.extend(range(match.start(), match.end()))
    return "".join(chars), offsets


def _replace_spans(body: str, spans: list[tuple[int, int]]) -> str:
    """Replace the union of ``spans`` by :data:`REDACTED`, keeping quotes, braces and ``;``
    around each secret (so a Junos line stays ``key "REMOVED";``)."""
    # a span that holds another one is dropped: netconan's catch-all "authentication-key
    # ([^;]+)" would also take the key number of "ntp authentication-key 1 md5 SECRET 7", and
    # two keys would become two identical lines (a configuration parser refuses duplicates)
    spans = [
        s for s in set(spans) if not any(o != s and s[0] <= o[0] and o[1] <= s[1] for o in spans)
    ]
    merged: list[list[int]] = []
    for span_start, span_stop in sorted(spans):
        start, stop = span_start, span_stop
        while start < stop and body[start] in _ENCLOSING:
            start += 1
        while stop > start and body[stop - 1] in _ENCLOSING:
            stop -= 1
        if start >= stop:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], stop)
        else:
            merged.append([start, stop])
    out = body
    for start, stop in reversed(merged):
        out = out[:start] + REDACTED + out[stop:]
    return out


@lru_cache(maxsize=256)
def _text_pattern_words(pattern: TextPattern) -> tuple[tuple[str, ...], ...]:
    return required_word_sets(pattern.regex)


def _detected_fast(body: str, low: str) -> bool:
    """:func:`_detected_by_netconan`, each pattern only where one of its words is."""
    collapsed: str | None = None
    for regex, words in zip(NETCONAN_DETECTING, _NETCONAN_DETECTING_WORDS, strict=True):
        if not _passes(words, low):
            continue
        if collapsed is None:
            collapsed, _ = _collapse(body)
        if regex.search(collapsed):
            return True
    return False


def _detected_by_netconan(body: str) -> bool:
    collapsed, _ = _collapse(body)
    return any(regex.search(collapsed) for regex in NETCONAN_DETECTING)


def _cut_after_keyword(body: str) -> str:
    """The fallback for a secret-looking line no pattern understood: keep the text up to and
    including its first credential keyword, replace the rest by :data:`REDACTED`."""
    # Junos ends a statement with ";" and marks it "## SECRET-DATA": both stay
    tail = re.search(r";\s*(?:##[^;]*)?$", body)
    end = tail.group(0) if tail else ""
    match = _KEYWORD.search(body)
    if match is None:
        indent = len(body) - len(body.lstrip())
        return body[:indent] + REDACTED + end
    return body[: match.end()] + " " + REDACTED + end


class SecretLogFilter(logging.Filter):
    """Removes the inventory's resolved credentials from every log record a handler emits:
    a library that logs a command line or an error text cannot write a password to a log."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        # the same redaction as for artifacts: netmiko's channel debug (-vv) prints whole
        # configurations, paramiko and XenAPI print error texts
        message = record.getMessage()
        cleaned = self.redactor.text(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redactor.text(record.exc_text)
        return True


#: The redactor of the running command, for error messages printed outside any handler.
_ACTIVE: list[Redactor] = []


def install_log_filter(redactor: Redactor) -> SecretLogFilter:
    """Attach the filter to every handler of the root logger (where all records end up), and
    make ``redactor`` the one :func:`scrub` uses for error messages."""
    log_filter = SecretLogFilter(redactor)
    for handler in logging.getLogger().handlers:
        handler.addFilter(log_filter)
    _ACTIVE[:] = [redactor]
    return log_filter


def scrub(message: str) -> str:
    """An error message as it may be shown: redacted by pattern and by the credentials of the
    running command (a library error can quote a configuration line or a password)."""
    redactor = _ACTIVE[0] if _ACTIVE else Redactor()
    return redactor.text(message)
