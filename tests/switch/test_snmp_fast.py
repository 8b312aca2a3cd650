"""The SNMP fast path (hand-written BER codec over one UDP socket): its codec against pyasn1,
its failures against a scripted agent (dead, truncated, garbled, looping, tooBig, late and
stale answers), read-only PDUs, and the client choice rule."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import pytest
from pyasn1.codec.ber import decoder, encoder  # type: ignore[import-untyped]
from pysnmp.proto import rfc1902, rfc1905
from tests.switch.conftest_snmp import snmp_host
from tests.switch.fake_agent import PROTO, FakeAgent, correct, oid_tuple, silent, table_rows

from xsfabric.collect import CollectOptions
from xsfabric.errors import CollectionError
from xsfabric.switch import snmp_ber
from xsfabric.switch.snmp_collect import SnmpSettings, choose_client, collect_snmp, from_pysnmp
from xsfabric.switch.snmp_fast_collect import DeadlineError, FastSession, WalkError

IF_DESCR = "1.3.6.1.2.1.2.2.1.2"
IF_TYPE = "1.3.6.1.2.1.2.2.1.3"


def _session(agent: FakeAgent, **kw: Any) -> FastSession:
    settings: dict[str, Any] = {"timeout": 0.3, "retries": 1, "max_repetitions": 10, **kw}
    return FastSession("127.0.0.1", agent.port, agent.community, **settings)


# -- codec ---------------------------------------------------------------------------------------


def test_requests_decode_with_pyasn1() -> None:
    body = snmp_ber.encode_oid_body(snmp_ber.oid_arcs("1.3.6.1.2.1.17.7.1.2.2.1.2"))
    data = snmp_ber.encode_request(
        snmp_ber.GETBULK, 123456, [body], community=b"c0mm", max_repetitions=42
    )
    message, rest = decoder.decode(data, asn1Spec=PROTO.Message())
    assert rest == b""
    pdu = PROTO.apiMessage.get_pdu(message)
    assert pdu.isSameTypeWith(PROTO.GetBulkRequestPDU())
    assert str(PROTO.apiMessage.get_community(message)) == "c0mm"
    assert int(PROTO.apiPDU.get_request_id(pdu)) == 123456
    assert int(PROTO.apiBulkPDU.get_max_repetitions(pdu)) == 42
    assert int(PROTO.apiBulkPDU.get_non_repeaters(pdu)) == 0
    assert [str(o) for o, _ in PROTO.apiPDU.get_varbinds(pdu)] == ["1.3.6.1.2.1.17.7.1.2.2.1.2"]


@pytest.mark.parametrize("oid", ["1.3.6.1.2.1.2.2.1.2", "1.0.8802.1.1.2.1.4.1.1.9.0.16384.1"])
@pytest.mark.parametrize("request_id", [1, 127, 128, 2**31 - 1])
def test_the_walk_request_shortcut_encodes_the_same_bytes(oid: str, request_id: int) -> None:
    body = snmp_ber.encode_oid_body(snmp_ber.oid_arcs(oid))
    head = snmp_ber.getbulk_head(b"c0mm", 50)
    assert snmp_ber.encode_getbulk(request_id, body, head) == snmp_ber.encode_request(
        snmp_ber.GETBULK, request_id, [body], community=b"c0mm", max_repetitions=50
    )


def test_only_read_pdus_can_be_encoded() -> None:
    for pdu_type in (0xA3, snmp_ber.RESPONSE, 0xA4, 0xA6, 0xA7, snmp_ber.REPORT):  # SET, ...
        with pytest.raises(ValueError, match="not a read request"):
            snmp_ber.encode_request(pdu_type, 1, [], community=b"public")
    assert {snmp_ber.GET, snmp_ber.GETNEXT, snmp_ber.GETBULK} == snmp_ber.READ_PDUS


VALUES: list[tuple[str, Any]] = [
    ("1.3.6.1.2.1.1.1.0", rfc1902.OctetString(b"Cisco IOS\r\nline 2")),
    ("1.3.6.1.2.1.1.2.0", rfc1902.ObjectName("1.3.6.1.4.1.9.1.1208")),
    ("1.3.6.1.2.1.1.3.0", rfc1902.TimeTicks(4294967295)),
    ("1.3.6.1.2.1.2.2.1.3.1000001", rfc1902.Integer(-7)),
    ("1.3.6.1.2.1.2.2.1.10.1", rfc1902.Counter32(4294967295)),
    ("1.3.6.1.2.1.31.1.1.1.6.1", rfc1902.Counter64(2**64 - 1)),
    ("1.3.6.1.2.1.31.1.1.1.15.1", rfc1902.Gauge32(100000)),
    ("1.3.6.1.2.1.4.22.1.3.1.10.0.0.1", rfc1902.IpAddress("10.0.0.1")),
    ("1.3.6.1.2.1.2.2.1.6.1", rfc1902.OctetString(bytes(range(256)) * 2)),  # long form length
    ("1.3.6.1.4.1.2636.3.40.1.4294967295", rfc1902.Opaque(b"\x9f\x78\x04\x00\x00\x00\x00")),
    ("1.0.8802.1.1.2.1.4.1.1.9.0.16383.1", rfc1902.OctetString(b"")),
    ("1.0.8802.1.1.2.1.4.1.1.9.0.16384.1", rfc1905.noSuchInstance),
    ("1.3.6.1.2.1.1.9.0", rfc1902.Null("")),
    ("1.3.6.1.2.1.25.3.2.1.4.1", rfc1902.ObjectName("0.0")),
    ("1.3.6.1.2.1.25.3.2.1.4.2", rfc1902.ObjectName("2.999.1")),
]


def test_responses_decode_to_what_pysnmp_decodes() -> None:
    """Every value type a walk meets, encoded by pyasn1, decodes to the same (OID, type,
    value) as pysnmp's own decode of it (multi-byte arcs, long lengths, extremes)."""
    request, _ = decoder.decode(
        snmp_ber.encode_request(snmp_ber.GET, 77, [], community=b"public"),
        asn1Spec=PROTO.Message(),
    )
    response = PROTO.apiMessage.get_response(request)
    pdu = PROTO.apiMessage.get_pdu(response)
    PROTO.apiPDU.set_varbinds(pdu, [(oid_tuple(o), v) for o, v in VALUES])
    data = encoder.encode(response)
    decoded = snmp_ber.decode_response(data)
    assert decoded.request_id == 77 and decoded.error_status == 0
    assert decoded.community == b"public"
    ours = [
        (snmp_ber.oid_text(oid), tag, snmp_ber.decode_value(tag, value))
        for oid, tag, value in decoded.raw
    ]
    theirs, _ = decoder.decode(data, asn1Spec=PROTO.Message())
    expected: list[snmp_ber.Varbind] = []
    for oid, value in PROTO.apiPDU.get_varbinds(PROTO.apiMessage.get_pdu(theirs)):
        kind = type(value).__name__
        if kind == "NoSuchInstance":
            expected.append((str(oid), snmp_ber.NO_SUCH_INSTANCE, None))
        else:
            expected.append(from_pysnmp(str(oid), value))
    assert ours == expected
    assert ours[5] == ("1.3.6.1.2.1.31.1.1.1.6.1", snmp_ber.COUNTER64, 2**64 - 1)
    assert ours[3] == ("1.3.6.1.2.1.2.2.1.3.1000001", snmp_ber.INTEGER, -7)


@pytest.mark.parametrize("size", [0, 1, 100, 120, 200, 300, 1000])
def test_the_scan_finds_the_last_varbind_whatever_its_length_form(size: int) -> None:
    """Short, 0x81 and 0x82 length forms for the last varbind, with values full of 0x30 (the
    SEQUENCE tag the scan looks for from the end)."""
    request, _ = decoder.decode(
        snmp_ber.encode_request(snmp_ber.GET, 9, [], community=b"public"),
        asn1Spec=PROTO.Message(),
    )
    response = PROTO.apiMessage.get_response(request)
    varbinds = [
        (oid_tuple(f"{IF_DESCR}.1"), rfc1902.OctetString(b"0" * 40)),
        (oid_tuple(f"{IF_DESCR}.1000001"), rfc1902.OctetString(b"0\x06" * (size // 2))),
    ]
    PROTO.apiPDU.set_varbinds(PROTO.apiMessage.get_pdu(response), varbinds)
    scan = snmp_ber.scan_response(encoder.encode(response))
    assert snmp_ber.oid_text(scan.last_oid) == f"{IF_DESCR}.1000001"
    assert (scan.request_id, scan.last_tag, scan.count) == (9, snmp_ber.OCTET_STRING, 2)


@pytest.mark.parametrize("cut", [1, 5, 20, 40, -1])
def test_a_truncated_response_is_a_ber_error(cut: int) -> None:
    request, _ = decoder.decode(
        snmp_ber.encode_request(snmp_ber.GET, 5, [], community=b"public"),
        asn1Spec=PROTO.Message(),
    )
    response = PROTO.apiMessage.get_response(request)
    PROTO.apiPDU.set_varbinds(
        PROTO.apiMessage.get_pdu(response), [(oid_tuple(o), v) for o, v in VALUES[:3]]
    )
    data = encoder.encode(response)
    with pytest.raises(snmp_ber.BerError):
        snmp_ber.decode_response(data[:cut])


def test_oid_order_never_rejects_a_real_step_forward() -> None:
    """16383 is ff 7f and 16384 is 81 80 00: bytewise the step forward looks like one back,
    so the loop guard must check the arcs before it ends a walk."""

    def enc(text: str) -> bytes:
        return snmp_ber.encode_oid_body(snmp_ber.oid_arcs(text))

    assert snmp_ber.oid_after(enc("1.3.6.1.16384"), enc("1.3.6.1.16383"))
    assert not snmp_ber.oid_after(enc("1.3.6.1.200"), enc("1.3.6.1.300"))
    assert not snmp_ber.oid_after(enc("1.3.6.1.4"), enc("1.3.6.1.5"))
    assert not snmp_ber.oid_after(enc("1.3.6.1.5"), enc("1.3.6.1.5"))
    assert snmp_ber.oid_after(enc("1.3.6.1.5.0"), enc("1.3.6.1.5"))


# -- the session against a scripted agent --------------------------------------------------------


def test_walk_reads_a_column_and_stops_at_its_end() -> None:
    rows = table_rows(IF_DESCR, 25) + table_rows(IF_TYPE, 3)
    with FakeAgent(rows, correct) as agent, _session(agent) as session:
        got = session.walk_all([IF_DESCR])
    assert got == [(f"{IF_DESCR}.{i}", 4, f"port{i}".encode()) for i in range(1, 26)]
    assert [r.max_repetitions for r in agent.received] == [10, 10, 10]
    assert {r.pdu for r in agent.received} == {"GetBulkRequestPDU"}


def test_whole_agent_walk_from_one_arc_ends_at_end_of_mib_view() -> None:
    rows = [((1, 0, 8802, 1, 1), rfc1902.Integer(1)), *table_rows(IF_DESCR, 12)]
    with FakeAgent(rows, correct) as agent, _session(agent) as session:
        got = session.walk_all(["1"])
    assert [oid for oid, _t, _v in got] == [
        "1.0.8802.1.1",
        *(f"{IF_DESCR}.{i}" for i in range(1, 13)),
    ]


def test_get_leaves_out_missing_instances() -> None:
    rows = table_rows(IF_DESCR, 3)
    with FakeAgent(rows, correct) as agent, _session(agent) as session:
        got = session.get([f"{IF_DESCR}.2", f"{IF_DESCR}.9"])
    assert got == [(f"{IF_DESCR}.2", 4, b"port2")]
    assert [r.pdu for r in agent.received] == ["GetRequestPDU"]


def test_dead_agent_is_a_timeout_after_the_retries() -> None:
    with FakeAgent(table_rows(IF_DESCR, 3), silent) as agent, _session(agent, retries=2) as s:
        start = time.monotonic()
        with pytest.raises(WalkError) as info:
            s.walk_all([IF_DESCR])
        spent = time.monotonic() - start
    assert info.value.status == "timeout"
    assert "within 0.9 s" in info.value.message
    assert len(agent.received) == 3  # one request, two retries: same request-id each time
    assert len({r.request_id for r in agent.received}) == 1
    assert 0.8 < spent < 3


def test_nobody_listening_is_a_timeout_not_a_crash() -> None:
    with FakeAgent([], silent) as agent:
        port = agent.port
    session = FastSession("127.0.0.1", port, "public", timeout=0.2, retries=1)
    with session, pytest.raises(WalkError) as info:
        session.walk_all([IF_DESCR])
    assert info.value.status == "timeout"


def test_truncated_answers_every_time_are_an_error_that_says_so() -> None:
    def truncated(agent: FakeAgent, message: Any, data: bytes) -> list[bytes]:
        return [answer[: len(answer) - 7] for answer in correct(agent, message, data)]

    with (
        FakeAgent(table_rows(IF_DESCR, 30), truncated) as agent,
        _session(agent) as session,
        pytest.raises(WalkError) as info,
    ):
        session.walk_all([IF_DESCR])
    assert info.value.status == "error"
    assert "undecodable SNMP answers" in info.value.message and "truncated" in info.value.message
    assert len(agent.received) == 2  # the request and its one retry


def test_one_cut_answer_is_dropped_and_the_retry_succeeds() -> None:
    sent: list[int] = []

    def cut_once(agent: FakeAgent, message: Any, data: bytes) -> list[bytes]:
        answers = correct(agent, message, data)
        sent.append(1)
        if len(sent) == 2:
            return [answers[0][:-3]]  # lost its tail on the way
        return answers

    with FakeAgent(table_rows(IF_DESCR, 30), cut_once) as agent, _session(agent) as session:
        got = session.walk_all([IF_DESCR])
        dropped = session.dropped
    assert [oid for oid, _t, _v in got] == [f"{IF_DESCR}.{i}" for i in range(1, 31)]
    assert dropped == 1
    assert len(agent.received) == 5  # 3 answers of 10, the retry, and the last (end)


def test_garbage_inside_a_well_framed_answer_is_an_error() -> None:
    """The framing is checked while the walk runs (a bad frame is asked again); a varbind
    whose own parts do not add up is found when the answers are decoded: an error, no crash."""
    first = snmp_ber.encode_oid_body(snmp_ber.oid_arcs(f"{IF_DESCR}.1"))

    def inner_garbage(agent: FakeAgent, message: Any, data: bytes) -> list[bytes]:
        good = correct(agent, message, data)[0]
        right = bytes((snmp_ber.OBJECT_IDENTIFIER, len(first))) + first
        wrong = bytes((snmp_ber.OBJECT_IDENTIFIER, len(first) - 1)) + first
        assert right in good
        return [good.replace(right, wrong)]

    with (
        FakeAgent(table_rows(IF_DESCR, 5), inner_garbage) as agent,
        _session(agent) as session,
        pytest.raises(WalkError) as info,
    ):
        session.walk_all([IF_DESCR])
    assert info.value.status == "error"
    assert "undecodable SNMP answer" in info.value.message


def test_an_agent_whose_oids_do_not_increase_ends_the_walk() -> None:
    def looping(agent: FakeAgent, message: Any, _data: bytes) -> list[bytes]:
        return [agent.answer(message, agent.rows[:5])]  # always the first rows again

    with (
        FakeAgent(table_rows(IF_DESCR, 30), looping) as agent,
        _session(agent) as session,
        pytest.raises(WalkError) as info,
    ):
        session.walk_all([IF_DESCR])
    assert info.value.status == "error"
    assert "does not follow" in info.value.message
    assert len(agent.received) == 2  # the second answer repeats the first: stop there


def test_stale_and_duplicate_answers_are_dropped() -> None:
    """Each answer comes twice, preceded by an answer to a request-id nobody asked for."""

    def noisy(agent: FakeAgent, message: Any, data: bytes) -> list[bytes]:
        [good] = correct(agent, message, data)
        stale_pdu = PROTO.apiMessage.get_pdu(message)
        stale_id = int(PROTO.apiPDU.get_request_id(stale_pdu)) ^ 0x1234
        PROTO.apiPDU.set_request_id(stale_pdu, stale_id)
        stale = agent.answer(message, [(oid_tuple("1.3.6.1.9.9.9"), rfc1902.Integer(6))])
        return [stale, good, good]

    with FakeAgent(table_rows(IF_DESCR, 25), noisy) as agent, _session(agent) as session:
        got = session.walk_all([IF_DESCR])
    assert [oid for oid, _t, _v in got] == [f"{IF_DESCR}.{i}" for i in range(1, 26)]


def test_a_late_answer_to_a_retried_request_is_used() -> None:
    def slow_first(agent: FakeAgent, message: Any, data: bytes) -> list[bytes]:
        if len(agent.received) == 1:
            time.sleep(0.35)  # past the 0.3 s timeout: the client has resent by now
        return correct(agent, message, data)

    with FakeAgent(table_rows(IF_DESCR, 5), slow_first) as agent, _session(agent) as session:
        got = session.walk_all([IF_DESCR])
    assert len(got) == 5


def test_too_big_halves_max_repetitions() -> None:
    def picky(agent: FakeAgent, message: Any, data: bytes) -> list[bytes]:
        if agent.received[-1].max_repetitions and agent.received[-1].max_repetitions > 3:
            return [agent.answer(message, [], error_status=1)]  # tooBig
        return correct(agent, message, data)

    with FakeAgent(table_rows(IF_DESCR, 7), picky) as agent, _session(agent) as session:
        got = session.walk_all([IF_DESCR])
    assert len(got) == 7
    assert [r.max_repetitions for r in agent.received][:3] == [10, 5, 2]


def test_the_device_deadline_stops_a_slow_walk() -> None:
    def slow(agent: FakeAgent, message: Any, data: bytes) -> list[bytes]:
        time.sleep(0.05)
        return correct(agent, message, data)

    with FakeAgent(table_rows(IF_DESCR, 500), slow) as agent:
        session = _session(agent, max_repetitions=1, deadline=time.monotonic() + 0.3)
        with session, pytest.raises(DeadlineError):
            session.walk_all([IF_DESCR])


def test_parallel_walks_share_one_socket_and_keep_their_order() -> None:
    columns = [f"1.3.6.1.2.1.2.2.1.{c}" for c in range(2, 9)]
    rows = [row for column in columns for row in table_rows(column, 23)]
    with FakeAgent(rows, correct) as agent, _session(agent) as session:
        got = session.walk_all(columns, parallel=4)
    assert [oid for oid, _t, _v in got] == [f"{c}.{i}" for c in columns for i in range(1, 24)]


# -- the collector's choice ---------------------------------------------------------------------


def _settings(**snmp: Any) -> SnmpSettings:
    return SnmpSettings.from_host(snmp_host("sw", 161, **snmp))


def test_auto_is_fast_for_v2c_and_v3_and_pysnmp_for_v1() -> None:
    assert choose_client(_settings()) == "fast"
    assert choose_client(_settings(version="1")) == "pysnmp"
    assert choose_client(_settings(version="3", user="u", auth_key="k" * 8)) == "fast"
    assert choose_client(_settings(client="pysnmp")) == "pysnmp"
    assert choose_client(_settings(client="pysnmp"), "fast") == "fast"  # the CLI wins
    assert choose_client(_settings(client="fast"), "auto") == "fast"


def test_fast_with_v1_or_an_unknown_client_is_an_error() -> None:
    with pytest.raises(CollectionError, match="not v1"):
        choose_client(_settings(version="1", client="fast"))
    with pytest.raises(CollectionError, match=r"snmp\.client 'turbo'"):
        choose_client(_settings(client="turbo"))


def test_collect_names_the_device_when_the_client_choice_is_wrong() -> None:
    host = snmp_host("sw-x", 161, version="1", client="fast")
    with pytest.raises(CollectionError) as info:
        collect_snmp(host, None, CollectOptions())  # type: ignore[arg-type]
    assert info.value.device == "sw-x"


def test_collect_over_the_fast_path_names_a_timeout_like_pysnmp(tmp_path: Any) -> None:
    from xsfabric.kinds import DeviceKind
    from xsfabric.snapshot import SnapshotWriter

    with FakeAgent(table_rows(IF_DESCR, 3), silent) as agent:
        host = snmp_host("ghost", agent.port, timeout=0.2, retries=1)
        with SnapshotWriter(tmp_path / "s") as writer:
            writer.device(host.name, DeviceKind.SWITCH)
            with pytest.raises(CollectionError) as info:
                collect_snmp(host, writer, replace(CollectOptions(), snmp_client="fast"))
    assert info.value.status == "timeout"
    assert "wrong community" in info.value.message and "0.4 s" in info.value.message


#: An OCTET STRING whose last bytes frame a varbind of their own (OID 1.3.6, INTEGER 5).
FAKE_FRAME = bytes.fromhex("300706022b06020105")


def test_a_value_framed_like_a_varbind_is_caught_not_trusted() -> None:
    """The scan looks for the last varbind from the end; a value that ends like one fools it,
    and the decoding must notice rather than skip rows."""
    rows: list[tuple[tuple[int, ...], Any]] = table_rows(IF_DESCR, 4)
    rows += [((*oid_tuple(IF_DESCR), 5), rfc1902.OctetString(FAKE_FRAME)), *table_rows(IF_TYPE, 3)]
    with (
        FakeAgent(rows, correct) as agent,
        _session(agent, max_repetitions=5) as session,
        pytest.raises(WalkError) as info,
    ):
        session.walk_all([IF_DESCR])
    assert "not where its scan found it" in info.value.message


@pytest.mark.parametrize(("client", "works"), [("auto", True), ("fast", False)])
def test_auto_walks_an_agent_the_fast_path_cannot_read_with_pysnmp(
    tmp_path: Any, caplog: pytest.LogCaptureFixture, client: str, works: bool
) -> None:
    from xsfabric.kinds import DeviceKind
    from xsfabric.snapshot import SnapshotWriter

    rows: list[tuple[tuple[int, ...], Any]] = [
        ((1, 3, 6, 1, 2, 1, 1, 1, 0), rfc1902.OctetString(FAKE_FRAME)),
        *table_rows(IF_DESCR, 4),
    ]
    with FakeAgent(rows, correct) as agent:
        host = snmp_host(  # one varbind per answer: the odd value ends its datagram
            "odd", agent.port, community="public", timeout=0.5, client=client, max_repetitions=1
        )
        with SnapshotWriter(tmp_path / "s") as writer:
            writer.device(host.name, DeviceKind.SWITCH)
            if works:
                collect_snmp(host, writer, CollectOptions(timeout=20))
                text = (writer.tmp / "devices" / "odd" / "snmpwalk.snmprec").read_text()
                assert f"{IF_DESCR}.4|4|port4" in text
                assert "walking it again with pysnmp" in caplog.text
            else:
                with pytest.raises(CollectionError) as info:
                    collect_snmp(host, writer, CollectOptions(timeout=20))
                assert info.value.status == "error"


def test_the_collect_command_takes_an_snmp_client_override() -> None:
    import argparse

    from xsfabric.collect import add_collect_arguments

    parser = argparse.ArgumentParser()
    add_collect_arguments(parser)
    assert parser.parse_args(["--snmp-client", "pysnmp"]).snmp_client == "pysnmp"
    assert parser.parse_args([]).snmp_client is None  # the inventory decides
    with pytest.raises(SystemExit):
        parser.parse_args(["--snmp-client", "turbo"])
