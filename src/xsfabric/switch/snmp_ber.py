"""A minimal BER codec for the SNMP messages a read-only walk needs (RFC 3416, v2c).

Why not pyasn1: decoding a response through pysnmp's pyasn1 specs costs about 100 µs per
varbind (NOTES.md), twenty times what net-snmp spends. A walk needs very little of ASN.1: one
message shape out (GetRequest, GetNextRequest or GetBulkRequest with NULL values) and one shape
back (Response), whose values are a handful of universal and application types. This module
encodes the first and decodes the second by hand, with slicing and ``int.from_bytes``.

Read-only by construction: :func:`encode_request` refuses every PDU type but GET, GETNEXT and
GETBULK, so no code path here can build a SET.

A varbind comes back as ``(oid, tag, value)``: ``oid`` the dotted numeric OID, ``tag`` the BER
tag of the value (snmpsim's ``.snmprec`` type number, see :data:`TAG_NAMES`), ``value`` an
``int`` (INTEGER, Counter32/64, Gauge32, TimeTicks), ``bytes`` (OCTET STRING, IpAddress,
Opaque), ``str`` (OBJECT IDENTIFIER, dotted) or ``None`` (NULL and the three exceptions).
"""

from __future__ import annotations

import re

#: ``typing`` is imported for the type checker only: this module is on the start-up path of
#: ``python -m xsfabric.switch.snmp_walk``, where every millisecond of import is measured
#: (issue 12); ``Final`` annotations are never evaluated (``from __future__ import annotations``).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

#: PDU tags (context-specific, constructed).
GET: Final = 0xA0
GETNEXT: Final = 0xA1
RESPONSE: Final = 0xA2
GETBULK: Final = 0xA5
REPORT: Final = 0xA8
#: The only requests this codec builds: a walk reads, it never writes.
READ_PDUS: Final = frozenset({GET, GETNEXT, GETBULK})

INTEGER: Final = 0x02
OCTET_STRING: Final = 0x04
NULL: Final = 0x05
OBJECT_IDENTIFIER: Final = 0x06
SEQUENCE: Final = 0x30
IP_ADDRESS: Final = 0x40
COUNTER32: Final = 0x41
GAUGE32: Final = 0x42
TIMETICKS: Final = 0x43
OPAQUE: Final = 0x44
COUNTER64: Final = 0x46
NO_SUCH_OBJECT: Final = 0x80
NO_SUCH_INSTANCE: Final = 0x81
END_OF_MIB_VIEW: Final = 0x82
#: The varbind "values" that say there is no value.
EXCEPTIONS: Final = frozenset({NO_SUCH_OBJECT, NO_SUCH_INSTANCE, END_OF_MIB_VIEW})

TAG_NAMES: Final = {
    INTEGER: "Integer",
    OCTET_STRING: "OctetString",
    NULL: "Null",
    OBJECT_IDENTIFIER: "ObjectIdentifier",
    IP_ADDRESS: "IpAddress",
    COUNTER32: "Counter32",
    GAUGE32: "Gauge32",
    TIMETICKS: "TimeTicks",
    OPAQUE: "Opaque",
    COUNTER64: "Counter64",
    NO_SUCH_OBJECT: "NoSuchObject",
    NO_SUCH_INSTANCE: "NoSuchInstance",
    END_OF_MIB_VIEW: "EndOfMibView",
}
_UNSIGNED: Final = frozenset({COUNTER32, GAUGE32, TIMETICKS, COUNTER64})
_OCTETS: Final = frozenset({OCTET_STRING, IP_ADDRESS, OPAQUE})

Value = int | bytes | str | None
Varbind = tuple[str, int, Value]


class BerError(ValueError):
    """A datagram that is not a well-formed SNMP message (truncated, garbled, wrong type)."""


# -- encoding -----------------------------------------------------------------------------------


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body


def _tlv(tag: int, body: bytes) -> bytes:
    return bytes((tag,)) + _length(len(body)) + body


def encode_integer(value: int) -> bytes:
    """Two's complement, minimal length."""
    size = max(1, (value.bit_length() + 8) // 8)
    return _tlv(INTEGER, value.to_bytes(size, "big", signed=True))


def oid_arcs(oid: str) -> tuple[int, ...]:
    """``"1.3.6.1"`` (a leading dot allowed) → ``(1, 3, 6, 1)``; :class:`BerError` otherwise."""
    try:
        arcs = tuple(int(part) for part in oid.strip().lstrip(".").split("."))
    except ValueError:
        raise BerError(f"{oid!r} is not a numeric OID") from None
    if len(arcs) < 2 or arcs[0] > 2 or (arcs[0] < 2 and arcs[1] >= 40) or min(arcs) < 0:
        raise BerError(f"{oid!r} is not a valid OID (two arcs at least, first 0-2)")
    return arcs


def encode_oid_body(arcs: tuple[int, ...]) -> bytes:
    out = bytearray()
    for arc in (arcs[0] * 40 + arcs[1], *arcs[2:]):
        chunk = [arc & 0x7F]
        rest = arc >> 7
        while rest:
            chunk.append(0x80 | (rest & 0x7F))
            rest >>= 7
        out += bytes(reversed(chunk))
    return bytes(out)


def encode_request(
    pdu_type: int,
    request_id: int,
    oids: list[bytes],
    *,
    community: bytes,
    non_repeaters: int = 0,
    max_repetitions: int = 0,
    version: int = 1,
) -> bytes:
    """A v1/v2c message (``version`` 0 or 1) carrying one read request.

    ``oids`` are encoded OID bodies (:func:`encode_oid_body`). For GETBULK the two integer
    fields are non-repeaters and max-repetitions; for GET / GETNEXT they are error-status and
    error-index, always 0. Raises :class:`ValueError` for any other PDU type: no SET, ever.
    """
    if pdu_type not in READ_PDUS:
        raise ValueError(f"PDU type 0x{pdu_type:02x} is not a read request (GET/GETNEXT/GETBULK)")
    varbinds = b"".join(_tlv(SEQUENCE, _tlv(OBJECT_IDENTIFIER, o) + b"\x05\x00") for o in oids)
    second, third = (non_repeaters, max_repetitions) if pdu_type == GETBULK else (0, 0)
    pdu = _tlv(
        pdu_type,
        encode_integer(request_id)
        + encode_integer(second)
        + encode_integer(third)
        + _tlv(SEQUENCE, varbinds),
    )
    return _tlv(SEQUENCE, encode_integer(version) + _tlv(OCTET_STRING, community) + pdu)


def getbulk_head(community: bytes, max_repetitions: int) -> tuple[bytes, bytes]:
    """The parts of a v2c GETBULK that one walk repeats: version + community, and
    non-repeaters 0 + max-repetitions (see :func:`encode_getbulk`)."""
    return (
        encode_integer(1) + _tlv(OCTET_STRING, community),
        encode_integer(0) + encode_integer(max_repetitions),
    )


def encode_getbulk(request_id: int, oid: bytes, head: tuple[bytes, bytes]) -> bytes:
    """A v2c GETBULK for one encoded OID; the same bytes as :func:`encode_request`, with the
    parts a walk repeats built once (``head``, from :func:`getbulk_head`)."""
    varbind = b"\x06" + _length(len(oid)) + oid + b"\x05\x00"
    varbind = b"\x30" + _length(len(varbind)) + varbind
    body = encode_integer(request_id) + head[1] + b"\x30" + _length(len(varbind)) + varbind
    message = head[0] + b"\xa5" + _length(len(body)) + body
    return b"\x30" + _length(len(message)) + message


# -- decoding -----------------------------------------------------------------------------------


def _header(data: bytes | memoryview, pos: int, end: int) -> tuple[int, int, int]:
    """(tag, start of contents, end of contents) of the TLV at ``pos``."""
    if pos + 2 > end:
        raise BerError("truncated: a TLV header runs past the end")
    tag = data[pos]
    n = data[pos + 1]
    pos += 2
    if n & 0x80:
        count = n & 0x7F
        if count == 0 or count > 4 or pos + count > end:
            raise BerError("bad or indefinite length")
        n = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + n > end:
        raise BerError(f"truncated: tag 0x{tag:02x} wants {n} bytes, {end - pos} left")
    return tag, pos, pos + n


#: (tag, start of contents, end of contents) of the TLV at an offset, lengths checked.
tlv_header = _header


def _integer(data: bytes, pos: int, end: int) -> tuple[int, int]:
    tag, start, stop = _header(data, pos, end)
    if tag != INTEGER or start == stop:
        raise BerError(f"expected an INTEGER, found tag 0x{tag:02x}")
    return int.from_bytes(data[start:stop], "big", signed=True), stop


def oid_text(body: bytes) -> str:
    """Dotted text of an encoded OID body.

    The hot path of a walk: every varbind's OID is turned into text. Sub-identifiers below 128
    are one byte each and map straight to text; longer ones (ifIndex 1000001, LLDP's 8802)
    are split out by one regular expression and looked up in a cache of their text.

    >>> oid_text(bytes.fromhex("2b06010201010500"))
    '1.3.6.1.2.1.1.5.0'
    >>> oid_text(b"\\x00")  # zeroDotZero
    '0.0'
    >>> oid_text(encode_oid_body((1, 0, 8802, 1, 1, 2, 1, 3, 7, 1, 3, 1000001)))
    '1.0.8802.1.1.2.1.3.7.1.3.1000001'
    >>> oid_text(encode_oid_body((1, 3, 6, 1, 4, 1, 2636, 3, 4294967295)))
    '1.3.6.1.4.1.2636.3.4294967295'
    """
    if not body or body[0] >= 80 or body[-1] & 0x80:
        return ".".join(map(str, oid_body_arcs(body)))  # 2.x roots, or cut mid-arc: the slow path
    head = _HEADS[body[0]]
    if body.isascii():  # every sub-identifier below 128: one byte each
        return head + "".join(map(_DOT_ARC_TEXT.__getitem__, body[1:]))
    parts = _SUBIDENTIFIER.findall(body, 1)
    try:
        return head + "".join(map(_CHUNK_TEXT.__getitem__, parts))
    except KeyError:
        if len(_CHUNK_TEXT) > _CHUNK_CACHE_LIMIT:
            _CHUNK_TEXT.clear()
            _CHUNK_TEXT.update(_ONE_BYTE_CHUNKS)
        for part in parts:
            if part not in _CHUNK_TEXT:
                _CHUNK_TEXT[part] = f".{_chunk_value(part)}"
        return head + "".join(map(_CHUNK_TEXT.__getitem__, parts))


def subidentifier_value(chunk: bytes) -> int:
    """The number one encoded sub-identifier stands for (its continuation bytes and final
    byte, seven bits each).

    >>> subidentifier_value(bytes.fromhex("afd7f071"))  # ENTITY-MIB's index 100006001
    100006001
    """
    value = 0
    for byte in chunk:
        value = (value << 7) | (byte & 0x7F)
    return value


_chunk_value = subidentifier_value


#: One encoded sub-identifier: continuation bytes (high bit set), then a final byte.
_SUBIDENTIFIER: Final = re.compile(rb"[\x80-\xff]*[\x00-\x7f]")
#: "0.N" / "1.N" for a first BER byte below 80.
_HEADS: Final = tuple(f"{b // 40}.{b % 40}" for b in range(80))
#: ".N" for a one-byte sub-identifier, by byte and by one-byte chunk.
_DOT_ARC_TEXT: Final = tuple(f".{n}" for n in range(128))
_ONE_BYTE_CHUNKS: Final = {bytes((n,)): f".{n}" for n in range(128)}
_CHUNK_TEXT: dict[bytes, str] = dict(_ONE_BYTE_CHUNKS)
_CHUNK_CACHE_LIMIT: Final = 1 << 16


def oid_body_arcs(body: bytes) -> tuple[int, ...]:
    """Arcs of an encoded OID body; :class:`BerError` when it is empty or cut mid-arc."""
    arcs: list[int] = []
    arc = 0
    pending = False
    for byte in body:
        arc = (arc << 7) | (byte & 0x7F)
        pending = bool(byte & 0x80)
        if not pending:
            arcs.append(arc)
            arc = 0
    if pending or not arcs:
        raise BerError("an OBJECT IDENTIFIER ends in the middle of a sub-identifier")
    first = arcs[0]
    head = (0, first) if first < 40 else (1, first - 40) if first < 80 else (2, first - 80)
    return (*head, *arcs[1:])


def oid_after(body: bytes, previous: bytes) -> bool:
    """True when OID ``body`` sorts after ``previous`` (both encoded): the loop guard.

    Bytewise order is OID order except where two multi-byte sub-identifiers of different
    lengths meet (16383 is ``ff 7f``, 16384 ``81 80 00``), so a "no" from the cheap bytewise
    comparison is checked again on the arcs: a real step forward never ends a walk. A "yes" is
    taken as it is (decoding the arcs of every varbind would double the walk's cost): an agent
    that steps back only in that corner still moves forward in one total order, bytewise, so it
    cannot loop for ever, and the device deadline bounds it anyway.
    """
    if body > previous:
        return True
    return oid_body_arcs(body) > oid_body_arcs(previous)


class Response:
    """One decoded Response (or Report) PDU of a v1/v2c message."""

    __slots__ = ("community", "error_index", "error_status", "pdu_type", "raw", "request_id")

    def __init__(
        self,
        request_id: int,
        error_status: int,
        error_index: int,
        raw: list[tuple[bytes, int, bytes]],
        community: bytes,
        pdu_type: int,
    ) -> None:
        self.request_id = request_id
        self.error_status = error_status
        self.error_index = error_index
        #: (encoded OID body, value tag, value contents) per varbind, values undecoded
        self.raw = raw
        self.community = community
        self.pdu_type = pdu_type


def decode_response(data: bytes) -> Response:
    """Decode a v1/v2c Response message; :class:`BerError` when anything does not fit."""
    end = len(data)
    tag, pos, stop = _header(data, 0, end)
    if tag != SEQUENCE:
        raise BerError("not an SNMP message (no outer SEQUENCE)")
    end = stop
    _version, pos = _integer(data, pos, end)
    tag, start, pos = _header(data, pos, end)
    if tag != OCTET_STRING:
        raise BerError("no community string")
    community = data[start:pos]
    pdu_type, pos, end = _header(data, pos, end)
    if pdu_type not in (RESPONSE, REPORT):
        raise BerError(f"PDU type 0x{pdu_type:02x} is not a Response")
    return _decode_pdu_body(data, pos, end, community, pdu_type)


def _decode_pdu_body(data: bytes, pos: int, end: int, community: bytes, pdu_type: int) -> Response:
    request_id, pos = _integer(data, pos, end)
    error_status, pos = _integer(data, pos, end)
    error_index, pos = _integer(data, pos, end)
    tag, pos, end = _header(data, pos, end)
    if tag != SEQUENCE:
        raise BerError("no variable-bindings SEQUENCE")
    raw: list[tuple[bytes, int, bytes]] = []
    append = raw.append
    while pos < end:
        # Inlined TLV headers: this loop runs once per varbind and is the codec's hot path.
        if data[pos] != SEQUENCE or pos + 2 > end:
            raise BerError("a varbind is not a SEQUENCE")
        n = data[pos + 1]
        pos += 2
        if n & 0x80:
            count = n & 0x7F
            if count == 0 or count > 4:
                raise BerError("bad varbind length")
            n = int.from_bytes(data[pos : pos + count], "big")
            pos += count
        vb_end = pos + n
        if vb_end > end or data[pos] != OBJECT_IDENTIFIER:
            raise BerError("truncated varbind or varbind without an OID")
        n = data[pos + 1]
        if n & 0x80:
            raise BerError("an OID longer than 127 bytes")
        oid = data[pos + 2 : pos + 2 + n]
        pos += 2 + n
        if pos + 2 > vb_end:
            raise BerError("truncated varbind value")
        tag = data[pos]
        n = data[pos + 1]
        pos += 2
        if n & 0x80:
            count = n & 0x7F
            if count == 0 or count > 4:
                raise BerError("bad value length")
            n = int.from_bytes(data[pos : pos + count], "big")
            pos += count
        if pos + n != vb_end or not oid:
            raise BerError("a varbind's parts do not add up to its length")
        append((oid, tag, data[pos:vb_end]))
        pos = vb_end
    return Response(request_id, error_status, error_index, raw, community, pdu_type)


class Scan:
    """What a walk needs of a Response while it is under way: whom it answers, whether it is an
    error, and its last varbind (where the next request starts)."""

    __slots__ = ("community", "count", "error_status", "last_oid", "last_tag", "request_id")

    def __init__(
        self,
        request_id: int,
        error_status: int,
        community: bytes,
        count: int,
        last_oid: bytes,
        last_tag: int,
    ) -> None:
        self.request_id = request_id
        self.error_status = error_status
        self.community = community
        self.count = count
        self.last_oid = last_oid
        self.last_tag = last_tag


def scan_response(data: bytes) -> Scan:
    """Check a Response's framing and read its last varbind, without decoding the others.

    A walk calls this while it waits for the agent and decodes every varbind afterwards in one
    tight loop (:func:`decode_response`), which checks that the last varbind found here is the
    last one there. The message's own lengths are checked here, so a truncated datagram is
    still caught in time to ask again.
    """
    end = len(data)
    tag, pos, end = _header(data, 0, end)
    if tag != SEQUENCE:
        raise BerError("not an SNMP message (no outer SEQUENCE)")
    _version, pos = _integer(data, pos, end)
    tag, start, pos = _header(data, pos, end)
    if tag != OCTET_STRING:
        raise BerError("no community string")
    community = data[start:pos]
    pdu_type, pos, end = _header(data, pos, end)
    if pdu_type not in (RESPONSE, REPORT):
        raise BerError(f"PDU type 0x{pdu_type:02x} is not a Response")
    request_id, pos = _integer(data, pos, end)
    error_status, pos = _integer(data, pos, end)
    _error_index, pos = _integer(data, pos, end)
    tag, pos, end = _header(data, pos, end)
    if tag != SEQUENCE:
        raise BerError("no variable-bindings SEQUENCE")
    if pos == end:
        return Scan(request_id, error_status, community, 0, b"", 0)
    last = _last_varbind(data, pos, end)
    _tag, inner, stop = _header(data, last, end)
    _tag, oid_start, oid_end = _header(data, inner, stop)
    value_tag, _value, value_end = _header(data, oid_end, stop)
    if value_end != stop or oid_start == oid_end:
        raise BerError("a varbind's parts do not add up to its length")
    count = 1 if last == pos else 2  # one, or more than one
    return Scan(request_id, error_status, community, count, data[oid_start:oid_end], value_tag)


def _last_varbind(data: bytes, start: int, end: int) -> int:
    """Offset of the varbind that ends exactly at ``end``: found from the end, by trying each
    SEQUENCE tag byte whose length would reach ``end`` and which holds an OID, rather than
    hopping over every varbind from the start."""
    q = end
    while True:
        q = data.rfind(b"\x30", start, q)
        if q < 0:
            raise BerError("no varbind ends where the variable-bindings end")
        n = end - q - 2
        if n < 4:  # too close to the end for a varbind (an OID and a value at least)
            continue
        if n < 0x80:
            if data[q + 1] == n and data[q + 2] == OBJECT_IDENTIFIER:
                return q
        elif n - 1 < 0x100:
            if data[q + 1] == 0x81 and data[q + 2] == n - 1 and data[q + 3] == OBJECT_IDENTIFIER:
                return q
        elif (
            data[q + 1] == 0x82
            and int.from_bytes(data[q + 2 : q + 4], "big") == n - 2
            and data[q + 4] == OBJECT_IDENTIFIER
        ):
            return q


def varbind_list(data: bytes) -> tuple[int, int]:
    """Start and end offsets of a Response's variable-bindings contents (for a caller that
    decodes the varbinds itself, as a walk's final pass does)."""
    end = len(data)
    tag, pos, end = _header(data, 0, end)
    if tag != SEQUENCE:
        raise BerError("not an SNMP message (no outer SEQUENCE)")
    _version, pos = _integer(data, pos, end)
    _tag, _start, pos = _header(data, pos, end)
    _pdu, pos, end = _header(data, pos, end)
    for _field in range(3):  # request-id, error-status, error-index
        _value, pos = _integer(data, pos, end)
    tag, pos, end = _header(data, pos, end)
    if tag != SEQUENCE:
        raise BerError("no variable-bindings SEQUENCE")
    return pos, end


def decode_value(tag: int, body: bytes) -> Value:
    """The Python value of one varbind value (see the module docstring).

    >>> decode_value(INTEGER, b"\\xff")
    -1
    >>> decode_value(COUNTER32, b"\\x00\\xff\\xff\\xff\\xff")
    4294967295
    >>> decode_value(IP_ADDRESS, bytes((10, 0, 0, 1)))
    b'\\n\\x00\\x00\\x01'
    """
    if tag == OCTET_STRING or tag in _OCTETS:
        return body
    if tag == INTEGER:
        if not body:
            raise BerError("empty INTEGER")
        return int.from_bytes(body, "big", signed=True)
    if tag in _UNSIGNED:
        if not body:
            raise BerError(f"empty {TAG_NAMES[tag]}")
        return int.from_bytes(body, "big")
    if tag == OBJECT_IDENTIFIER:
        return oid_text(body)
    if tag == NULL or tag in EXCEPTIONS:
        return None
    raise BerError(f"unknown value type 0x{tag:02x}")
