"""A scripted SNMP v2c agent on loopback for the fast path's failure tests.

Requests are decoded and answers encoded with pysnmp's own protocol modules (pyasn1), not with
xsfabric's codec, so every exchange also checks the codec against an independent one. The
agent logs each request's PDU type, so a test can prove that only read PDUs were sent.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from pyasn1.codec.ber import decoder, encoder  # type: ignore[import-untyped]
from pysnmp.proto import api, rfc1902, rfc1905

PROTO: Any = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]

#: What a behaviour does with one request: the datagrams to send back (none: stay silent).
Behaviour = Callable[["FakeAgent", Any, bytes], list[bytes]]


def oid_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split("."))


@dataclass
class Received:
    pdu: str  # pyasn1 class name: GetBulkRequestPDU, GetRequestPDU …
    request_id: int
    oids: list[str]
    max_repetitions: int | None


@dataclass
class FakeAgent:
    """Serves ``rows`` (sorted OID → pysnmp value) for ``community`` through ``behaviour``."""

    rows: list[tuple[tuple[int, ...], Any]]
    behaviour: Behaviour
    community: str = "public"
    received: list[Received] = field(default_factory=list)
    answers: int = 0
    _sock: socket.socket | None = None
    _thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._sock is not None
        return int(self._sock.getsockname()[1])

    def __enter__(self) -> FakeAgent:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", 0))
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._sock is not None and self._thread is not None
        self._sock.close()
        self._thread.join(2)

    def _serve(self) -> None:
        assert self._sock is not None
        while True:
            try:
                data, peer = self._sock.recvfrom(65535)
            except OSError:
                return
            message, _rest = decoder.decode(data, asn1Spec=PROTO.Message())
            pdu = PROTO.apiMessage.get_pdu(message)
            is_bulk = pdu.isSameTypeWith(PROTO.GetBulkRequestPDU())
            self.received.append(
                Received(
                    _pdu_name(pdu),
                    int(PROTO.apiPDU.get_request_id(pdu)),
                    [str(oid) for oid, _ in PROTO.apiPDU.get_varbinds(pdu)],
                    int(PROTO.apiBulkPDU.get_max_repetitions(pdu)) if is_bulk else None,
                )
            )
            for datagram in self.behaviour(self, message, data):
                try:
                    self._sock.sendto(datagram, peer)
                    self.answers += 1
                except OSError:
                    return

    # -- building answers ----------------------------------------------------------------------

    def after(self, oid: tuple[int, ...], count: int) -> list[tuple[tuple[int, ...], Any]]:
        """The next ``count`` rows after ``oid``, then endOfMibView."""
        rows = [row for row in self.rows if row[0] > oid][:count]
        if len(rows) < count:
            last = rows[-1][0] if rows else oid
            rows.append((last, rfc1905.endOfMibView))
        return rows

    def answer(
        self, message: Any, varbinds: list[tuple[tuple[int, ...], Any]], error_status: int = 0
    ) -> bytes:
        response = PROTO.apiMessage.get_response(message)
        pdu = PROTO.apiMessage.get_pdu(response)
        PROTO.apiPDU.set_varbinds(pdu, varbinds)
        if error_status:
            PROTO.apiPDU.set_error_status(pdu, error_status)
        data: bytes = encoder.encode(response)
        return data

    def bulk(self, message: Any) -> list[tuple[tuple[int, ...], Any]]:
        """What a correct agent answers to ``message`` (a GETBULK or a GET)."""
        pdu = PROTO.apiMessage.get_pdu(message)
        oids = [tuple(oid) for oid, _ in PROTO.apiPDU.get_varbinds(pdu)]
        if not pdu.isSameTypeWith(PROTO.GetBulkRequestPDU()):
            table = dict(self.rows)
            return [(oid, table.get(oid, rfc1905.noSuchInstance)) for oid in oids]
        reps = int(PROTO.apiBulkPDU.get_max_repetitions(pdu))
        return self.after(oids[0], reps)


def _pdu_name(pdu: Any) -> str:
    for name in ("GetRequestPDU", "GetNextRequestPDU", "GetBulkRequestPDU", "SetRequestPDU"):
        if pdu.isSameTypeWith(getattr(PROTO, name)()):
            return name
    return type(pdu).__name__


def correct(agent: FakeAgent, message: Any, _data: bytes) -> list[bytes]:
    community = str(PROTO.apiMessage.get_community(message))
    if community != agent.community:
        return []  # a v2c agent stays silent on a wrong community
    return [agent.answer(message, agent.bulk(message))]


def silent(_agent: FakeAgent, _message: Any, _data: bytes) -> list[bytes]:
    return []


def table_rows(column: str, count: int) -> list[tuple[tuple[int, ...], Any]]:
    """``count`` rows of one column (index 1..count, OCTET STRING values)."""
    base = oid_tuple(column)
    return [((*base, i), rfc1902.OctetString(f"port{i}".encode())) for i in range(1, count + 1)]
