"""The SNMP fast path: GETBULK walks over one UDP socket with the hand-written codec of
:mod:`xsfabric.switch.snmp_ber` (SNMP v2c).

Why: pysnmp spends about 100 µs of CPU per varbind, three quarters of it in pyasn1, where
net-snmp's ``snmpbulkwalk`` spends 4-9 µs (issue 12; ``bench/bench_snmp_walk.py`` measures both
on the same snmpsim agent). A walk needs only GET / GETBULK out and Response back, so this
client encodes and decodes those itself and leaves everything else (SNMPv1, SNMPv3 / USM, odd
agents) to pysnmp; :func:`xsfabric.switch.snmp_collect.choose_client` says which is used.

Why a blocking socket and not asyncio: the collector already runs each device in its own
worker thread, and waking an asyncio loop for each answer cost about as much CPU as decoding
the answer (measured on snmpsim: 4.6-6.6 µs per varbind against 3.4-4 µs with a plain socket).
Several subtrees are still walked at once: one socket, several outstanding requests, answers
matched by request-id (a late answer to a retried request is used; one nobody waits for is
dropped). Every request has a timeout and a bounded number of retries (pysnmp's bulk walk
retries for ever), the whole device a deadline; a datagram that does not decode is dropped like
a lost one and named if nothing better arrives; OIDs that stop increasing end the walk with an
error instead of a loop.

The per-varbind work during the walk is kept to checks on the encoded OID; turning OIDs and
values into Python text and numbers happens once the walk is over, in one tight loop.
"""

from __future__ import annotations

import contextlib
import random
import re
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from xsfabric.switch.snmp_ber import (
    END_OF_MIB_VIEW,
    EXCEPTIONS,
    GET,
    GETBULK,
    INTEGER,
    IP_ADDRESS,
    OBJECT_IDENTIFIER,
    OCTET_STRING,
    SEQUENCE,
    BerError,
    Scan,
    Varbind,
    decode_response,
    decode_value,
    encode_getbulk,
    encode_oid_body,
    encode_request,
    getbulk_head,
    oid_after,
    oid_arcs,
    oid_text,
    scan_response,
    tlv_header,
    varbind_list,
)

if TYPE_CHECKING:
    from xsfabric.switch.snmp_usm import UsmSecurity

#: error-status tooBig: the answer would not fit one datagram; ask for fewer rows.
TOO_BIG: Final = 1
#: Device statuses (as :class:`xsfabric.snapshot.DeviceStatus` spells them).
TIMEOUT: Final = "timeout"
ERROR: Final = "error"
#: Largest UDP payload.
MAX_DATAGRAM: Final = 65535


class WalkError(Exception):
    """A walk ended on an error; ``status`` is a manifest device status."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class DeadlineError(TimeoutError):
    """The device's whole-collection deadline passed in the middle of a walk."""


@dataclass(slots=True)
class _Walk:
    """One subtree being walked: where it is, what it has, how many rows to ask for."""

    root: str
    prefix: bytes
    low: int
    high: int
    last: bytes
    reps: int
    #: where the walk began (the first row must follow it)
    start: bytes = b""
    #: the Responses of this subtree, kept whole and decoded once the walk is over, each with
    #: the last OID its scan found (the decoding checks it)
    answers: list[tuple[bytes, bytes]] = field(default_factory=list)

    @classmethod
    def of(cls, root: str, reps: int) -> _Walk:
        """``root`` may be one arc (``"1"``: the whole agent); the walk then starts at
        ``root.0`` and the first BER byte (40 × arc1 + arc2) says whether an OID is inside."""
        if "." in root.strip("."):
            start = encode_oid_body(oid_arcs(root))
            return cls(root, start, 0, 256, start, reps, start)
        arcs = oid_arcs(root.strip(".") + ".0")
        low, start = arcs[0] * 40, encode_oid_body(arcs)
        return cls(root, b"", low, low + 40 if arcs[0] < 2 else 256, start, reps, start)

    def inside(self, oid: bytes) -> bool:
        return (
            len(oid) > len(self.prefix)
            and oid.startswith(self.prefix)
            and (self.low <= oid[0] < self.high)
        )

    def feed(self, scan: Scan, data: bytes, where: str) -> bool:
        """Take one Response (scanned, see :func:`~xsfabric.switch.snmp_ber.scan_response`);
        True while the subtree goes on (ask again from ``last``)."""
        if scan.error_status:
            if scan.error_status == TOO_BIG and self.reps > 1:
                self.reps //= 2
                return True
            return False  # e.g. genErr: keep what came, as the pysnmp path does
        if not scan.count:
            return False
        oid = scan.last_oid
        self.answers.append((data, oid))
        if scan.last_tag == END_OF_MIB_VIEW or not self.inside(oid):
            return False  # the end is in this answer; rows() finds where
        if not oid_after(oid, self.last):
            raise _loop_error(where, oid, self.last)
        self.last = oid
        return True

    def rows(self, where: str) -> list[Varbind]:
        """Every varbind of the subtree, decoded: dotted OIDs and Python values (see
        :mod:`xsfabric.switch.snmp_ber`), in one pass over the kept answers."""
        try:
            return self._rows(where)
        except (BerError, IndexError) as exc:
            raise WalkError(ERROR, f"undecodable SNMP answer from {where}: {exc}") from None

    def _rows(self, where: str) -> list[Varbind]:
        """The loop of :meth:`rows`, the hot path of a walk.

        Rows of a table walk mostly differ in their last sub-identifier only, so the text of
        the OID without it is kept from one row to the next and reused when the bytes match.
        """
        out: list[Varbind] = []
        append = out.append
        dot_arc = _DOT_ARC
        stem_key: bytes | None = None  # no OID body equals None: the first row misses
        stem_text = ""
        prefix, low, high, cut = self.prefix, self.low, self.high, len(self.prefix)
        previous = self.start
        final = len(self.answers) - 1
        for index, (data, scanned_last) in enumerate(self.answers):
            # Only the last answer can hold the subtree's end: the walk went on after every
            # other one because its last OID was inside, and OIDs increase (checked below).
            bounded = index == final
            pos, end = varbind_list(data)
            while pos < end:
                # One varbind, decoded inline (the same checks as decode_response).
                n = data[pos + 1]
                if data[pos] != SEQUENCE:
                    raise BerError("a varbind is not a SEQUENCE")
                if n & 0x80:
                    _tag, pos, stop = tlv_header(data, pos, end)
                else:
                    stop = pos + 2 + n
                    pos += 2
                n = data[pos + 1]
                if data[pos] != OBJECT_IDENTIFIER or n & 0x80 or stop > end:
                    raise BerError("a varbind without an OID, or longer than its answer")
                oid = data[pos + 2 : pos + 2 + n]
                pos += 2 + n
                tag = data[pos]
                n = data[pos + 1]
                if n & 0x80:
                    _tag, pos, value_end = tlv_header(data, pos, stop)
                else:
                    pos += 2
                    value_end = pos + n
                if value_end != stop or not oid:
                    raise BerError("a varbind's parts do not add up to its length")
                value = data[pos:stop]
                pos = stop
                if bounded and (
                    tag == END_OF_MIB_VIEW
                    or len(oid) <= cut
                    or not oid.startswith(prefix)
                    or not low <= oid[0] < high
                ):
                    return out
                if not oid > previous and not oid_after(oid, previous):
                    raise _loop_error(where, oid, previous)
                previous = oid
                # the stem: the OID without its last sub-identifier of one or two bytes
                if oid[-2] < 0x80:
                    key = oid[:-1]
                    tail = dot_arc[oid[-1]]
                elif len(oid) > 3 and oid[-3] < 0x80:
                    key = oid[:-2]
                    tail = dot_arc[((oid[-2] & 0x7F) << 7) | oid[-1]]
                else:
                    key = None
                if key is not None and key == stem_key:
                    text = stem_text + tail
                else:
                    text = oid_text(oid)
                    if key is not None and len(key) > 1:
                        stem_key = key
                        stem_text = text[: text.rindex(".")]
                if tag == OCTET_STRING:
                    append((text, tag, value))
                elif tag == INTEGER and value:
                    append((text, tag, int.from_bytes(value, "big", signed=True)))
                elif tag not in EXCEPTIONS:
                    append((text, tag, decode_value(tag, value)))
            if previous != scanned_last:  # a value that looked like the last varbind's frame
                raise BerError("the answer's last varbind is not where its scan found it")
        return out


def _loop_error(where: str, oid: bytes, previous: bytes) -> WalkError:
    return WalkError(
        ERROR,
        f"{where}: OID {oid_text(oid)} does not follow {oid_text(previous)} "
        "(the agent's walk would loop)",
    )


#: ".N" for a sub-identifier of one or two bytes (0 to 16383; MAC-indexed tables have many).
_DOT_ARC: Final = tuple(f".{n}" for n in range(1 << 14))


@dataclass(slots=True)
class _Pending:
    packet: bytes
    expires: float
    attempts: int
    walk: _Walk | None  # None: a GET
    answer: bytes = b""
    scan: Scan | None = None


class FastSession:
    """One agent over SNMP v2c on one connected UDP socket (use as a context manager).

    ``deadline`` is a :func:`time.monotonic` instant for everything this session does;
    :class:`DeadlineError` when it passes.
    """

    def __init__(
        self,
        host: str,
        port: int,
        community: str,
        *,
        timeout: float = 2.0,
        retries: int = 1,
        max_repetitions: int = 50,
        deadline: float | None = None,
        security: UsmSecurity | None = None,
    ) -> None:
        """:class:`OSError` when ``host`` does not resolve or no socket can be made.
        ``security``: SNMPv3 (``community`` is then the v3 context name); None for v2c."""
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_DGRAM
        )[0]
        self._sock = socket.socket(family, kind, proto)
        try:
            self._sock.connect(address)
        except OSError:
            self._sock.close()
            raise
        self.where = f"{host}:{port}"
        self.community = community
        self.timeout = timeout
        self.retries = max(0, retries)
        self.max_repetitions = max(1, max_repetitions)
        self.deadline = deadline
        self._next_id = random.randrange(1, 1 << 30)  # noqa: S311 - not a secret
        #: datagrams that matched no outstanding request or did not decode
        self.dropped = 0
        self._heads: dict[tuple[bytes, int], tuple[bytes, bytes]] = {}
        self.security = security

    def close(self) -> None:
        self._sock.close()

    def __enter__(self) -> FastSession:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- requests ---------------------------------------------------------------------------

    def _send(
        self,
        active: dict[int, _Pending],
        pdu_type: int,
        oids: list[bytes],
        community: bytes,
        reps: int,
        walk: _Walk | None,
    ) -> None:
        self._next_id = (self._next_id + 1) & 0x7FFFFFFF
        if pdu_type == GETBULK and len(oids) == 1:  # a walk's next step: the common request
            head = self._heads.get((community, reps))
            if head is None:
                head = self._heads[community, reps] = getbulk_head(community, reps)
            packet = encode_getbulk(self._next_id, oids[0], head)
        else:
            packet = encode_request(
                pdu_type, self._next_id, oids, community=community, max_repetitions=reps
            )
        if self.security is not None:
            packet = self.security.wrap(packet)
        active[self._next_id] = _Pending(packet, time.monotonic() + self.timeout, 1, walk)
        self._transmit(packet)

    def _transmit(self, packet: bytes) -> None:
        # an earlier ICMP port unreachable, reported now: silence, like a timeout
        with contextlib.suppress(ConnectionRefusedError):
            self._sock.send(packet)

    def _wait(self, active: dict[int, _Pending], community: bytes) -> tuple[int, _Pending]:
        """Block until one outstanding request has its answer; resend the ones whose timeout
        passed; :class:`WalkError` once one has used all its attempts."""
        problem: str | None = None
        while True:
            now = time.monotonic()
            if self.deadline is not None and now >= self.deadline:
                raise DeadlineError(self.where)
            for pending in active.values():
                if pending.expires <= now:
                    if pending.attempts > self.retries:
                        raise self._gave_up(problem)
                    pending.attempts += 1
                    pending.expires = now + self.timeout
                    self._transmit(pending.packet)
            wake = min(p.expires for p in active.values())
            if self.deadline is not None:
                wake = min(wake, self.deadline)
            self._sock.settimeout(max(wake - now, 0.0))
            try:
                data = self._sock.recv(MAX_DATAGRAM)
            except TimeoutError:
                continue
            except ConnectionRefusedError:
                continue  # ICMP port unreachable: silence, as pysnmp reports it (a timeout)
            if self.security is not None:
                try:
                    data = self.security.unwrap(data)
                except BerError as exc:  # not verified, not decrypted: as if never received
                    self.dropped += 1
                    problem = str(exc)
                    continue
            try:
                scan = scan_response(data)
            except BerError as exc:  # only the agent can send to a connected socket
                self.dropped += 1
                problem = str(exc)
                continue
            pending_or_none = active.get(scan.request_id)
            if pending_or_none is None:
                self.dropped += 1  # stale or duplicate: as if it never came
                continue
            if scan.community != community:
                self.dropped += 1
                problem = "an answer carried another community"
                continue
            del active[scan.request_id]
            pending_or_none.answer = data
            pending_or_none.scan = scan
            return scan.request_id, pending_or_none

    def _gave_up(self, problem: str | None) -> WalkError:
        if problem is not None:
            return WalkError(ERROR, f"undecodable SNMP answers from {self.where}: {problem}")
        wait = self.timeout * (self.retries + 1)
        return WalkError(TIMEOUT, f"no SNMP response from {self.where} within {wait:g} s")

    def _secure(self, context: bytes) -> None:
        """SNMPv3: discovery and time synchronisation before the first request."""
        if self.security is not None and not self.security.ready:
            self.security.handshake(self._sock, context, self.timeout, self.retries, self.deadline)

    # -- what the collector asks for ---------------------------------------------------------

    def get(self, oids: Iterable[str], community: str | None = None) -> list[Varbind]:
        """One GET; the varbinds the agent has (noSuchObject / noSuchInstance left out)."""
        wanted = (community if community is not None else self.community).encode()
        bodies = [encode_oid_body(oid_arcs(oid)) for oid in oids]
        self._secure(wanted)
        active: dict[int, _Pending] = {}
        self._send(active, GET, bodies, wanted, 0, None)
        _id, pending = self._wait(active, wanted)
        try:
            response = decode_response(pending.answer)
        except BerError as exc:
            raise WalkError(ERROR, f"undecodable SNMP answer from {self.where}: {exc}") from None
        if response.error_status:
            return []
        return [
            (oid_text(oid), tag, decode_value(tag, value))
            for oid, tag, value in response.raw
            if tag not in EXCEPTIONS
        ]

    def walk_all(
        self, roots: Iterable[str], community: str | None = None, parallel: int = 4
    ) -> list[Varbind]:
        """Every varbind under each root, in the order of ``roots`` and OID order within one
        (GETBULK, non-repeaters 0; a subtree ends at the first OID outside it, at
        endOfMibView or at an error-status; tooBig halves max-repetitions). ``parallel``
        subtrees are walked at once on this socket."""
        wanted = (community if community is not None else self.community).encode()
        walks = [_Walk.of(root, self.max_repetitions) for root in roots]
        self._secure(wanted)
        queue = deque(walks)
        active: dict[int, _Pending] = {}
        while queue or active:
            while queue and len(active) < max(1, parallel):
                walk = queue.popleft()
                self._send(active, GETBULK, [walk.last], wanted, walk.reps, walk)
            _id, pending = self._wait(active, wanted)
            walk_or_none = pending.walk
            if walk_or_none is None or pending.scan is None:
                continue
            if walk_or_none.feed(pending.scan, pending.answer, self.where):
                self._send(
                    active, GETBULK, [walk_or_none.last], wanted, walk_or_none.reps, walk_or_none
                )
        return [row for walk in walks for row in walk.rows(self.where)]


# -- snmpsim ``.snmprec`` records (what the collector stores) -----------------------------------

#: Printable ASCII but ``|`` (snmpsim's separator): stored as it is.
_ONE_LINE = re.compile(rb"[\x20-\x7b\x7d\x7e]*")
#: Printable ASCII with line breaks and tabs: text, redacted before it is hex-encoded.
_TEXT = re.compile(rb"[\x20-\x7e\t\n\r]*")


def snmprec_record(varbind: Varbind, redact: Callable[[str], str] = str) -> str:
    """One ``OID|tag|value`` line. A string that is not one printable line is hex-encoded;
    when it is text (printable with line breaks, e.g. sysDescr), ``redact`` sees it first,
    because redaction of the written file cannot see into hex.

    >>> snmprec_record(("1.3.6.1.2.1.1.5.0", 4, b"sw1"))
    '1.3.6.1.2.1.1.5.0|4|sw1\\n'
    >>> snmprec_record(("1.3.6.1.2.1.2.2.1.6.1", 4, bytes.fromhex("001b21")))
    '1.3.6.1.2.1.2.2.1.6.1|4x|001b21\\n'
    >>> snmprec_record(("1.3.6.1.2.1.1.3.0", 67, 8640001))
    '1.3.6.1.2.1.1.3.0|67|8640001\\n'
    >>> snmprec_record(("1.3.6.1.2.1.4.22.1.3.1.10.0.0.1", 64, bytes((10, 0, 0, 1))))
    '1.3.6.1.2.1.4.22.1.3.1.10.0.0.1|64|10.0.0.1\\n'
    """
    oid, tag, value = varbind
    if isinstance(value, bytes):
        if tag == IP_ADDRESS:
            return f"{oid}|{tag}|{'.'.join(str(b) for b in value)}\n"
        if _ONE_LINE.fullmatch(value):
            return f"{oid}|{tag}|{value.decode('ascii')}\n"
        data = value
        if _TEXT.fullmatch(data):
            data = redact(data.decode("ascii")).encode("utf-8")
        return f"{oid}|{tag}x|{data.hex()}\n"
    if value is None:
        return f"{oid}|{tag}|\n"
    return f"{oid}|{tag}|{value}\n"


def format_snmprec(varbinds: list[Varbind], redact: Callable[[str], str] = str) -> str:
    """The records of one walk, in walk order (snmpsim sorts them itself when it loads).

    >>> format_snmprec([("1.3.6.1.2.1.2.2.1.3.1", 2, 6), ("1.3.6.1.2.1.1.5.0", 4, b"a|b")])
    '1.3.6.1.2.1.2.2.1.3.1|2|6\\n1.3.6.1.2.1.1.5.0|4x|617c62\\n'
    """
    lines: list[str] = []
    append = lines.append
    for varbind in varbinds:
        value = varbind[2]
        if type(value) is int:  # most rows of a walk: no need for the general case
            append(f"{varbind[0]}|{varbind[1]}|{value}\n")
        else:
            append(snmprec_record(varbind, redact))
    return "".join(lines)
