"""The redactor's cheap first test, in a module that imports nothing.

Why a module of its own: :mod:`xsfabric.redact` imports netconan (about 200 ms), and the lean
walk process (:mod:`xsfabric.switch.snmp_walk`) must not pay for that on a walk of numbers;
both read the one list here, so the lazy test and the full redactor cannot drift apart.
"""

from __future__ import annotations

#: What replaces a secret value: the marker XenServer's own status report writes.
REDACTED = "REMOVED"

#: A line without any of these words (and without a crypt hash marker, ``$1$``-like) cannot
#: match a redaction pattern (FDB and interface tables are mostly such lines). Substring
#: tests on the lowered text: a regex alternation with IGNORECASE scans ten times slower
#: (bench/bench_redact.py).
MAYBE_WORDS = (
    "pass",
    "secret",
    "key",
    "communit",
    "auth",
    "md5",
    "psk",
    "shared",
    "ppp",
    "syscon",
    "ssh-",
    "snmp",
    "token",
    "digest",
    "ipsec",
)
