"""World Wide Names in one form everywhere: lowercase, colon-separated, 8 bytes.

Every source writes them differently — sysfs ``0x21000024ff3dc4b0``, arrays ``21000024FF3DC4B0``
or ``21-00-00-24-ff-3d-c4-b0``, switches ``21:00:00:24:ff:3d:c4:b0`` — and every join between a
pool host, a fabric and an array goes through this one normalisation.
"""

from __future__ import annotations

import re

_HEX16 = re.compile(r"[0-9a-f]{16}")


def normalize_wwn(value: str) -> str | None:
    """The lowercase colon form of a WWN/WWPN in any common notation; None if it is none.

    >>> normalize_wwn("0x21000024ff3dc4b0"), normalize_wwn("21:00:00:24:FF:3D:C4:B0")
    ('21:00:00:24:ff:3d:c4:b0', '21:00:00:24:ff:3d:c4:b0')
    >>> normalize_wwn("5006-0161-47e4-2297"), normalize_wwn("iqn.1991-05.com.microsoft:x")
    ('50:06:01:61:47:e4:22:97', None)
    """
    text = value.strip().lower()
    text = text.removeprefix("0x")
    if ":" in text and not re.fullmatch(r"[0-9a-f]{1,2}(?::[0-9a-f]{1,2}){7}", text):
        return None
    if ":" in text:
        text = "".join(part.zfill(2) for part in text.split(":"))
    else:
        text = re.sub(r"[\s.\-]", "", text)
    if not _HEX16.fullmatch(text):
        return None
    return ":".join(text[i : i + 2] for i in range(0, 16, 2))


def is_wwn(value: str) -> bool:
    """True for a WWN in any notation :func:`normalize_wwn` reads.

    >>> is_wwn("10:00:00:00:c9:00:00:01"), is_wwn("1,4"), is_wwn("00:02:00:00:00:03:00:01")
    (True, False, True)
    """
    return normalize_wwn(value) is not None


def is_peer_property(wwn: str) -> bool:
    """Brocade peer zones carry a "property member" that looks like a WWN but starts with
    ``00:``; no port has such a name (the NAA nibble 0 is not assigned), so it is never a
    device.

    >>> is_peer_property("00:02:00:00:00:03:00:01"), is_peer_property("10:00:00:00:c9:00:00:01")
    (True, False)
    """
    return wwn.startswith("00:")
