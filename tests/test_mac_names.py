"""MAC normalisation by one precompiled pattern per notation: the values the references give,
the odd inputs, and the same verdicts as netutils (which it replaces on the hot path)."""

from __future__ import annotations

import random

import pytest
from netutils.mac import is_valid_mac, mac_to_format

from xsfabric.names import is_mac, mac_colon, mac_hex, normalize_mac

#: (input as a device prints it, the colon form) — the outputs written from the references:
#: the corpus captures' own expected parse (ntc-templates ``.yml``, napalm
#: ``expected_result.json``) gives the MAC, read here by eye in colon form.
REFERENCE = [
    ("0010.0de0.e289", "00:10:0d:e0:e2:89"),  # ntc cisco_ios show_mac-address-table.yml
    ("C869.CD54.1F71", "c8:69:cd:54:1f:71"),  # upper-case Cisco dotted (IOS 15 prints it)
    ("bc:ac:0a:ca:ca:30", "bc:ac:0a:ca:ca:30"),  # ntc juniper_junos ethernet-switching
    ("00-1B-21-0A-BA-3C", "00:1b:21:0a:ba:3c"),  # Windows / HP dash pairs
    ("001b.210a.ba30", "00:1b:21:0a:ba:30"),  # NX-OS lldp port id (tests/templates)
    ("000bea0016e0", "00:0b:ea:00:16:e0"),  # bare hex (corpus snmp)
    ("AABB:CCDD:EEFF", "aa:bb:cc:dd:ee:ff"),  # colon in fours
    ("aabb-ccdd-eeff", "aa:bb:cc:dd:ee:ff"),  # dash in fours
    ("aa.bb.cc.dd.ee.ff", "aa:bb:cc:dd:ee:ff"),  # dot pairs
]


@pytest.mark.parametrize(("raw", "colon"), REFERENCE)
def test_every_notation_gives_the_lowercase_colon_form(raw: str, colon: str) -> None:
    assert mac_colon(raw) == colon
    assert normalize_mac(f"  {raw} ") == colon
    assert is_mac(raw)
    assert mac_hex(raw) == colon.replace(":", "")


@pytest.mark.parametrize(
    "odd",
    [
        "",
        "0010.0de0.e28",  # short
        "0010.0de0.e2899",  # long
        "0010.0de0.e28g",  # not hex
        "00:10:0d:e0:e2-89",  # mixed separators
        "001122-334455",  # HP's six-six form: netutils never took it, neither does this
        "0010:0de0.e289",
        "00 10 0d e0 e2 89",
        "Vlan10",
        "sup-eth1(R)",
        "０010.0de0.e289",  # a full-width digit is not hex
    ],
)
def test_odd_inputs_are_not_macs_and_stay_as_given(odd: str) -> None:
    assert mac_hex(odd) is None and not is_mac(odd) and mac_colon(odd) is None
    assert normalize_mac(odd) == odd.strip()
    assert not is_valid_mac(odd)  # netutils agrees


def test_same_verdicts_and_forms_as_netutils_on_random_near_macs() -> None:
    """netutils (an independent implementation) as the reference over strings made to sit
    near the notations: right lengths, separators in and out of place, non-hex letters."""
    rng = random.Random(12)
    alphabet = "0123456789abcdefABCDEFgG:-. "
    samples = [
        "".join(rng.choice(alphabet) for _ in range(rng.choice((12, 14, 17)))) for _ in range(20000)
    ]
    for sep in ":-.":
        for width in (2, 4):
            for _ in range(500):
                digits = "".join(rng.choice("0123456789abcdefABCDEF") for _ in range(12))
                samples.append(sep.join(digits[i : i + width] for i in range(0, 12, width)))
    valid = 0
    for value in samples:
        expected = is_valid_mac(value)
        assert is_mac(value) == expected, value
        if expected:
            valid += 1
            assert mac_colon(value) == str(mac_to_format(value, "MAC_COLON_TWO")).lower()
    assert valid >= 3000
