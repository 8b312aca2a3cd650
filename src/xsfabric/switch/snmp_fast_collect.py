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

The per-varbind work while waiting for the agent is kept to checks on the encoded OID; turning
OIDs and values into Python text and numbers is one tight loop per answer, run once the walk is
over (:meth:`FastSession.walk_all`) or as each answer comes, after the next request went out
(:meth:`FastSession.walk_records`, which streams ``.snmprec`` text with bounded memory for
:mod:`xsfabric.switch.snmp_walk`).
"""

from __future__ import annotations

# The C socket module, not ``socket``: ``socket`` imports ``enum`` and ``selectors`` (about
# 7 ms) for wrappers this client never uses, and this module is on the start-up path of the
# lean walk process (``python -m xsfabric.switch.snmp_walk``, issue 12). ``_socket.socket`` is
# the base class of ``socket.socket``: same methods, same exceptions.
import _socket
import os
import re
import select
import time

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
    subidentifier_value,
    tlv_header,
    varbind_list,
)

#: ``typing``, ``dataclasses``, ``collections``, ``contextlib`` and ``random`` stay out of this
#: module's imports for the same reason (about 30 ms together, measured with
#: ``python -X importtime``); the names below are for the type checker only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from typing import Final

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


class _Walk:
    """One subtree being walked: where it is, what it has, how many rows to ask for, and where
    the decoding of its answers stands (answers are decoded in order, one at a time)."""

    __slots__ = (
        "answers",
        "done",
        "high",
        "last",
        "low",
        "prefix",
        "previous",
        "reps",
        "root",
        "start",
        "stem_key",
        "stem_text",
    )

    def __init__(
        self,
        root: str,
        prefix: bytes,
        low: int,
        high: int,
        last: bytes,
        reps: int,
        start: bytes = b"",
    ) -> None:
        self.root = root
        self.prefix = prefix
        self.low = low
        self.high = high
        self.last = last
        self.reps = reps
        #: where the walk began (the first row must follow it)
        self.start = start
        #: the Responses of this subtree not decoded yet, each with the last OID its scan
        #: found (the decoding checks it)
        self.answers: list[tuple[bytes, bytes]] = []
        #: no more requests for this subtree: its last answer is in (or it ended on an error)
        self.done = False
        #: the decoding's state: the last OID decoded, and the text of the last OID stem
        self.previous = start
        self.stem_key = b""  # none yet
        self.stem_text = ""

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
        out: list[Varbind] = []
        final = len(self.answers) - 1
        for index, (data, scanned_last) in enumerate(self.answers):
            # Only the last answer can hold the subtree's end: the walk went on after every
            # other one because its last OID was inside, and OIDs increase (checked below).
            self.decode(data, scanned_last, index == final, where, out, None)
        self.answers = []
        return out

    def decode(
        self,
        data: bytes,
        scanned_last: bytes,
        bounded: bool,
        where: str,
        rows: list[Varbind] | None,
        lines: list[str] | None,
        redact: Callable[[str], str] = str,
    ) -> bool:
        """Decode one answer of the subtree (answers in order): its varbinds go to ``rows``
        as :data:`~xsfabric.switch.snmp_ber.Varbind` tuples, or, when ``rows`` is None, to
        ``lines`` as ``.snmprec`` records, the same text :func:`format_snmprec` makes of the
        tuples (``redact`` as there), without building them. ``bounded``: this may be the
        subtree's last answer, so a varbind outside it (or endOfMibView) ends the subtree,
        and True is returned. :class:`WalkError` for an answer that does not decode."""
        try:
            return self._decode(data, scanned_last, bounded, where, rows, lines, redact)
        except (BerError, IndexError) as exc:
            raise WalkError(ERROR, f"undecodable SNMP answer from {where}: {exc}") from None

    def _decode(
        self,
        data: bytes,
        scanned_last: bytes,
        bounded: bool,
        where: str,
        rows: list[Varbind] | None,
        lines: list[str] | None,
        redact: Callable[[str], str],
    ) -> bool:
        """The loop of :meth:`decode`, the hot path of a walk.

        Rows of a table walk mostly differ in their last sub-identifier only, so the text of
        the OID without it is kept from one row to the next and reused when the bytes match.
        """
        if rows is not None:
            append = rows.append
        elif lines is not None:
            append_line = lines.append
        dot_arc, one_byte, one_arc = _DOT_ARC, _ONE_BYTE_INTEGER_RECORD, _ONE_ARC.fullmatch
        stem_key, stem_text = self.stem_key, self.stem_text
        stem_len = len(stem_key) if stem_key else -9  # no stem yet: never grown by 1 or 2
        prefix, low, high, cut = self.prefix, self.low, self.high, len(self.prefix)
        previous = self.previous
        ended = False
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
                ended = True
                break
            if not oid > previous and not oid_after(oid, previous):
                raise _loop_error(where, oid, previous)
            previous = oid
            # The stem: the OID without its last sub-identifier. It ends where a
            # sub-identifier ends (a byte below 0x80), so an OID that starts with it and has
            # one more sub-identifier (one byte; two, the first a continuation; or more, as
            # ENTITY-MIB's 100006001) is the stem's text and that number.
            grown = len(oid) - stem_len
            if grown == 1 and oid.startswith(stem_key):
                text = stem_text + dot_arc[oid[-1]]
            elif grown == 2 and oid[-2] & 0x80 and oid.startswith(stem_key):
                text = stem_text + dot_arc[((oid[-2] & 0x7F) << 7) | oid[-1]]
            elif grown > 2 and oid.startswith(stem_key) and one_arc(oid, stem_len):
                text = f"{stem_text}.{subidentifier_value(oid[stem_len:])}"
            else:
                text = oid_text(oid)
                cut_at = len(oid) - 1
                while cut_at > 0 and oid[cut_at - 1] & 0x80:
                    cut_at -= 1  # back to the first byte of the last sub-identifier
                if cut_at > 1:
                    stem_key, stem_len = oid[:cut_at], cut_at
                    stem_text = text[: text.rindex(".")]
            if rows is not None:
                if tag == OCTET_STRING:
                    append((text, tag, value))
                elif tag == INTEGER and value:
                    append((text, tag, int.from_bytes(value, "big", signed=True)))
                elif tag not in EXCEPTIONS:
                    append((text, tag, decode_value(tag, value)))
            elif tag == INTEGER and value:
                if len(value) == 1:  # most INTEGERs of a walk: states, ports, types
                    append_line(text + one_byte[value[0]])
                else:
                    append_line(f"{text}|2|{int.from_bytes(value, 'big', signed=True)}\n")
            elif tag == OCTET_STRING and not value.translate(None, _ONE_LINE_BYTES):
                append_line(f"{text}|4|{value.decode('ascii')}\n")
            elif tag not in EXCEPTIONS:
                append_line(snmprec_record((text, tag, decode_value(tag, value)), redact))
        if not ended and previous != scanned_last:
            # a value that looked like the last varbind's frame
            raise BerError("the answer's last varbind is not where its scan found it")
        self.previous, self.stem_key, self.stem_text = previous, stem_key, stem_text
        return ended


def _loop_error(where: str, oid: bytes, previous: bytes) -> WalkError:
    return WalkError(
        ERROR,
        f"{where}: OID {oid_text(oid)} does not follow {oid_text(previous)} "
        "(the agent's walk would loop)",
    )


#: ".N" for a sub-identifier of one or two bytes (0 to 16383; MAC-indexed tables have many).
_DOT_ARC: Final = tuple(f".{n}" for n in range(1 << 14))
#: One encoded sub-identifier: continuation bytes (high bit set), then a final byte.
_ONE_ARC: Final = re.compile(rb"[\x80-\xff]*[\x00-\x7f]")
#: The end of an INTEGER's ``.snmprec`` record (``|2|N`` and the line end) by the value's one
#: content byte (two's complement: 0xff is -1).
_ONE_BYTE_INTEGER_RECORD: Final = tuple(f"|2|{b - 256 if b & 0x80 else b}\n" for b in range(256))
#: The bytes of a string stored as it is in ``.snmprec`` (printable ASCII but ``|``, see
#: :data:`_ONE_LINE`): ``value.translate(None, _ONE_LINE_BYTES)`` is empty for such a value.
_ONE_LINE_BYTES: Final = bytes((*range(0x20, 0x7C), 0x7D, 0x7E))


class _Pending:
    """One request in flight: its bytes (to send again), when it times out, and its answer."""

    __slots__ = ("answer", "attempts", "expires", "packet", "scan", "walk")

    def __init__(self, packet: bytes, expires: float, attempts: int, walk: _Walk | None) -> None:
        self.packet = packet
        self.expires = expires
        self.attempts = attempts
        self.walk = walk  # None: a GET
        self.answer = b""
        self.scan: Scan | None = None


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
        family, kind, proto, _name, address = _socket.getaddrinfo(
            host, port, 0, _socket.SOCK_DGRAM
        )[0]
        self._sock = _socket.socket(family, kind, proto)
        try:
            self._sock.connect(address)
            # Non-blocking, waited on with poll(): a socket with a timeout costs two more
            # system calls per answer (a poll before each send, an ioctl per settimeout).
            self._sock.setblocking(False)
            self._poll = select.poll()
            self._poll.register(self._sock.fileno(), select.POLLIN)
        except OSError:
            self._sock.close()
            raise
        self.where = f"{host}:{port}"
        self.community = community
        self.timeout = timeout
        self.retries = max(0, retries)
        self.max_repetitions = max(1, max_repetitions)
        self.deadline = deadline
        # a random start, so two sessions to one agent do not share request-ids (not a secret)
        self._next_id = 1 + int.from_bytes(os.urandom(4), "big") % ((1 << 30) - 1)
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
        try:  # noqa: SIM105 - contextlib is kept off this module's start-up path
            self._sock.send(packet)
        except (ConnectionRefusedError, BlockingIOError):
            # an earlier ICMP port unreachable, reported now, or a full send buffer: silence,
            # like a timeout (the request is sent again when its timeout passes)
            pass

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
            # milliseconds, rounded up: waking before the timeout would only spin
            if not self._poll.poll(int((wake - now) * 1000) + 1):
                continue
            try:
                data = self._sock.recv(MAX_DATAGRAM)
            except (BlockingIOError, InterruptedError):
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
            self._sock.setblocking(False)  # the handshake waits with a socket timeout

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
        for _walk in self._run(walks, wanted, parallel):
            pass
        return [row for walk in walks for row in walk.rows(self.where)]

    def walk_records(
        self,
        roots: Iterable[str],
        community: str | None = None,
        parallel: int = 4,
        redact: Callable[[str], str] = str,
    ) -> Iterator[str]:
        """The walk of :meth:`walk_all` as ``.snmprec`` text, streamed: each piece holds the
        records of one answer (or of several, for a subtree that waited for the one before
        it), in the order of :meth:`walk_all`, and joined they are the text
        :func:`format_snmprec` makes of its rows with the same ``redact``. Answers are decoded
        as they come, so memory stays bounded by the answers of the subtrees that wait for
        an earlier one (none with one root)."""
        wanted = (community if community is not None else self.community).encode()
        walks = [_Walk.of(root, self.max_repetitions) for root in roots]
        head = 0
        where = self.where
        for _walk in self._run(walks, wanted, parallel):
            while head < len(walks):
                current = walks[head]
                answers, current.answers = current.answers, []
                lines: list[str] = []
                final = len(answers) - 1 if current.done else -1
                for index, (data, scanned_last) in enumerate(answers):
                    bounded = index == final
                    if current.decode(data, scanned_last, bounded, where, None, lines, redact):
                        break
                if lines:
                    yield "".join(lines)
                if not current.done:
                    break
                head += 1

    def _run(self, walks: list[_Walk], wanted: bytes, parallel: int) -> Iterator[_Walk]:
        """Walk the subtrees, ``parallel`` at once on this socket; yields each walk that took
        an answer (kept in its ``answers``; ``done`` once it asks no more), after the next
        request of that walk went out, so the agent works while the answer is decoded."""
        self._secure(wanted)
        started = 0
        active: dict[int, _Pending] = {}
        while started < len(walks) or active:
            while started < len(walks) and len(active) < max(1, parallel):
                walk = walks[started]
                started += 1
                self._send(active, GETBULK, [walk.last], wanted, walk.reps, walk)
            _id, pending = self._wait(active, wanted)
            walk_or_none = pending.walk
            if walk_or_none is None or pending.scan is None:
                continue
            if walk_or_none.feed(pending.scan, pending.answer, self.where):
                self._send(
                    active, GETBULK, [walk_or_none.last], wanted, walk_or_none.reps, walk_or_none
                )
            else:
                walk_or_none.done = True
            yield walk_or_none


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
