"""Normalized names: interface names and MAC addresses, one way everywhere.

Thin typed wrappers over netutils (its functions are untyped), so that every parser — CLI,
NAPALM, SNMP — and the pool model agree on the form a join between them relies on.
"""

from __future__ import annotations

from netutils.interface import abbreviated_interface_name, canonical_interface_name
from netutils.mac import is_valid_mac, mac_to_format


def canonical_interface(name: str) -> str:
    """Canonical long interface name; names netutils does not know stay as given.

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


def normalize_mac(value: str) -> str:
    """Lowercase colon form for a MAC in any notation; anything else stripped, unchanged.

    >>> normalize_mac("0019.D179.7510"), normalize_mac("00-1B-21-0A-BA-3C")
    ('00:19:d1:79:75:10', '00:1b:21:0a:ba:3c')
    >>> normalize_mac(" sw1.example ")
    'sw1.example'
    """
    value = value.strip()
    if value and is_valid_mac(value):
        return str(mac_to_format(value, "MAC_COLON_TWO")).lower()
    return value
