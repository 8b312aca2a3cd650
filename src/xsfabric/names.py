"""Normalized names: interface names and MAC addresses, one way everywhere.

Thin typed wrappers over netutils (its functions are untyped), so that every parser — CLI,
NAPALM, SNMP — and the pool model agree on the form a join between them relies on.
"""

from __future__ import annotations

import re
from functools import lru_cache

from netutils.interface import abbreviated_interface_name, canonical_interface_name


@lru_cache(maxsize=65536)
def canonical_interface(name: str) -> str:
    """Canonical long interface name; names netutils does not know stay as given.

    Cached: a MAC table names the same few dozen ports on every row, and netutils' lookup
    costs several microseconds a call.

    >>> canonical_interface("Gi1/0/1"), canonical_interface("Po10"), canonical_interface("xe-0/0/1")
    ('GigabitEthernet1/0/1', 'Port-channel10', 'xe-0/0/1')
    """
    return str(canonical_interface_name(name.strip()))


def short_interface(name: str) -> str:
    """The abbreviated form kept for display.

    >>> short_interface("GigabitEthernet1/0/1"), short_interface("Ethernet1/1")
    ('Gi1/0/1', 'Et1/1')
    """
    return str(abbreviated_interface_name(canonical_interface(name)))


#: One precompiled pattern per MAC notation netutils' ``is_valid_mac`` accepts (its
#: ``MAC_REGEX``), keyed by (length, separator): colon, dash and dot in groups of two or four
#: hex digits, and bare hex. Nothing else is a MAC — HP's ``001122-334455`` was not one for
#: netutils either, and the same inputs must give the same results.
_HEX = "[0-9a-fA-F]"
_MAC_NOTATIONS: dict[tuple[int, str], re.Pattern[str]] = {
    **{(17, sep): re.compile(f"{_HEX}{{2}}(?:{re.escape(sep)}{_HEX}{{2}}){{5}}") for sep in ":-."},
    **{(14, sep): re.compile(f"{_HEX}{{4}}(?:{re.escape(sep)}{_HEX}{{4}}){{2}}") for sep in ":-."},
    (12, ""): re.compile(f"{_HEX}{{12}}"),
}


def mac_hex(value: str) -> str | None:
    """The 12 lowercase hex digits of a MAC in one of netutils' notations, else None.

    One ``fullmatch`` of the one pattern the value's length and separator select. This
    replaces netutils' ``is_valid_mac`` + ``mac_to_format`` on the per-row hot path: those
    try up to seven patterns through ``re``'s cache per call and validate the value again in
    every decorated helper (about four validations per MAC-table row, 11.5% of an audit's time
    on a 200k-row estate, issue 12). Measured by ``bench/bench_parse.py`` on this project's
    2-core machine: 10.8-13.8 µs a row for the netutils path, 1.0-1.3 µs for this one.

    >>> mac_hex("0019.D179.7510"), mac_hex("00-1b-21-0a-ba-3c"), mac_hex("aabbccddeeff")
    ('0019d1797510', '001b210aba3c', 'aabbccddeeff')
    >>> mac_hex("00:1b:21:0a:ba"), mac_hex("0019.d179.751g"), mac_hex("00:1b-21:0a:ba:3c")
    (None, None, None)
    """
    length = len(value)
    separator = value[2] if length == 17 else value[4] if length == 14 else ""
    pattern = _MAC_NOTATIONS.get((length, separator))
    if pattern is None or pattern.fullmatch(value) is None:
        return None
    return value.replace(separator, "").lower() if separator else value.lower()


def is_mac(value: str) -> bool:
    """netutils' ``is_valid_mac``, by :func:`mac_hex`.

    >>> is_mac("2c:5a:0f:bc:a3:cd"), is_mac("sw1.example"), is_mac("")
    (True, False, False)
    """
    return mac_hex(value) is not None


def mac_colon(value: str) -> str | None:
    """Lowercase colon form of a MAC in any of netutils' notations (``value`` already
    stripped), else None: the one normalisation per row of a MAC table.

    >>> mac_colon("0019.D179.7510"), mac_colon("Vlan10")
    ('00:19:d1:79:75:10', None)
    """
    h = mac_hex(value)
    if h is None:
        return None
    return f"{h[0:2]}:{h[2:4]}:{h[4:6]}:{h[6:8]}:{h[8:10]}:{h[10:12]}"


def normalize_mac(value: str) -> str:
    """Lowercase colon form for a MAC in any notation; anything else stripped, unchanged.

    >>> normalize_mac("0019.D179.7510"), normalize_mac("00-1B-21-0A-BA-3C")
    ('00:19:d1:79:75:10', '00:1b:21:0a:ba:3c')
    >>> normalize_mac(" sw1.example ")
    'sw1.example'
    """
    value = value.strip()
    return mac_colon(value) or value
