"""SNMPv3 on the fast path against snmpsim (pysnmp's agent, a second implementation of USM):
round trips against the pysnmp client for every auth / priv combination the simulator offers,
whole-agent walks of the lab switches and the LibreNMS recordings (as v3 contexts), failures
that must be named (wrong auth key, wrong priv key, unknown user, tampered answers) and secrets
that must not reach the snapshot or the log."""

from __future__ import annotations

import logging
import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from tests.switch.conftest_snmp import V3, V3_CONTEXT, V3_DEVICE, SnmpLab, snmp_host

from xsfabric.collect import CollectOptions
from xsfabric.errors import CollectionError
from xsfabric.inventory import InventoryHost
from xsfabric.kinds import DeviceKind
from xsfabric.lab.render_snmprec import write_snmprec_device
from xsfabric.lab.snmpsim import Snmpsim, V3User
from xsfabric.lab.switches import LAB_PLATFORMS, lab_switch
from xsfabric.snapshot import SnapshotWriter
from xsfabric.switch import snmp_collect
from xsfabric.switch.snmp_ber import Varbind
from xsfabric.switch.snmp_collect import SnmpSettings, collect_snmp
from xsfabric.switch.snmp_fast_collect import FastSession, WalkError
from xsfabric.switch.snmp_usm import AUTH_HASHES, UsmSecurity, UsmUser, localized_key, privacy_key

pytestmark = pytest.mark.slow

AUTH_KEY = "combo-auth-key-7"
PRIV_KEY = "combo-priv-key-7"
#: (auth, priv) as snmp.auth_protocol / priv_protocol spell them; the session lab is sha/aes.
COMBOS = [
    ("none", "none"),
    ("md5", "none"),
    ("md5", "des"),
    ("sha224", "3des"),
    ("sha256", "aes192"),
    ("sha384", "aes256"),
    ("sha512", "aes128"),
]


def v3_lab_host(
    port: int,
    auth: str,
    priv: str,
    *,
    user: str = V3.user,
    auth_key: str = V3.auth_key,
    priv_key: str = V3.priv_key,
    context: str = V3_CONTEXT,
    **snmp: object,
) -> InventoryHost:
    settings: dict[str, Any] = {"version": "3", "user": user, "context": context, **snmp}
    if auth != "none":
        settings |= {"auth_protocol": auth, "auth_key": auth_key}
    if priv != "none":
        settings |= {"priv_protocol": priv, "priv_key": priv_key}
    return snmp_host(V3_DEVICE, port, **settings)


def _collect(target: Path, host: InventoryHost, client: str) -> Path:
    with SnapshotWriter(target) as writer:
        writer.device(host.name, DeviceKind.SWITCH)
        collect_snmp(host, writer, replace(CollectOptions(timeout=60), snmp_client=client))
        writer.commit()
    return target


def _same_files(fast: Path, slow: Path) -> list[Path]:
    files = sorted(p.relative_to(fast) for p in (fast / "devices").rglob("*") if p.is_file())
    assert files == sorted(
        p.relative_to(slow) for p in (slow / "devices").rglob("*") if p.is_file()
    )
    for path in files:
        assert (fast / path).read_bytes() == (slow / path).read_bytes(), path
    return files


# -- every combination the simulator offers --------------------------------------------------------


@pytest.fixture(scope="module", params=COMBOS, ids=lambda c: f"{c[0]}-{c[1]}")
def combo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[int, str, str]]:
    auth, priv = request.param
    data = tmp_path_factory.mktemp(f"snmpsim-{auth}-{priv}")
    write_snmprec_device(
        data,
        lab_switch(V3_DEVICE),
        LAB_PLATFORMS[V3_DEVICE],
        community=V3_CONTEXT,
        vlan_name="vlan-{vlan}",
    )
    user = V3User("combo-user", AUTH_KEY, PRIV_KEY, auth.upper(), priv.upper())
    with Snmpsim(data, v3=user) as sim:
        yield sim.port, auth, priv


def test_round_trip_fast_v3_collects_the_same_files_as_pysnmp_v3(
    combo: tuple[int, str, str], tmp_path: Path
) -> None:
    """Lab round trip: the same agent, both clients, byte-identical ``.snmprec`` files
    (base context and Cisco's per-VLAN contexts ``vlan-N``)."""
    port, auth, priv = combo
    host = v3_lab_host(port, auth, priv, user="combo-user", auth_key=AUTH_KEY, priv_key=PRIV_KEY)
    fast = _collect(tmp_path / "fast", host, "fast")
    slow = _collect(tmp_path / "pysnmp", host, "pysnmp")
    files = _same_files(fast, slow)
    assert Path(f"devices/{V3_DEVICE}/snmpwalk.snmprec") in files
    assert Path(f"devices/{V3_DEVICE}/snmpwalk@10.snmprec") in files  # a vlan-10 context
    assert len((fast / f"devices/{V3_DEVICE}/snmpwalk.snmprec").read_text().splitlines()) > 50


def test_wrong_keys_are_named_at_once_for_every_combination(combo: tuple[int, str, str]) -> None:
    port, auth, priv = combo
    if auth == "none":
        pytest.skip("noAuthNoPriv has no key to get wrong")
    host = v3_lab_host(
        port, auth, priv, user="combo-user", auth_key="not-the-auth-key", priv_key=PRIV_KEY
    )
    settings = SnmpSettings.from_host(host)
    with pytest.raises(CollectionError) as info:
        snmp_collect.walk_device(host, settings, "fast", 30)
    assert info.value.status == "auth-failed"
    assert "authentication failed" in info.value.message
    if priv != "none":
        host = v3_lab_host(
            port, auth, priv, user="combo-user", auth_key=AUTH_KEY, priv_key="not-the-priv-key"
        )
        with pytest.raises(CollectionError) as info:
            snmp_collect.walk_device(host, SnmpSettings.from_host(host), "fast", 30)
        assert info.value.status == "auth-failed"
        assert "privacy failed" in info.value.message


# -- the session lab (sha / aes): every agent, errors, secrets -----------------------------------


def _agents(lab: SnmpLab) -> list[str]:
    """Contexts the session snmpsim serves: the lab switches (and the v3 copy of lab-sw1)
    and the LibreNMS recordings; snmpsim answers any of its data files as a v3 context."""
    return [*LAB_PLATFORMS, V3_CONTEXT, *lab.librenms]


def _whole_agent(lab: SnmpLab, context: str, client: str, version: str = "3") -> list[Varbind]:
    if version == "3":
        host = v3_lab_host(
            lab.port, "sha", "aes", context=context, max_repetitions=200, timeout=5.0
        )
    else:
        host = snmp_host(context, lab.port, max_repetitions=200, timeout=5.0)
    settings = SnmpSettings.from_host(host)
    deadline = time.monotonic() + 180
    walker: snmp_collect._Client = (
        snmp_collect._FastClient(host, settings, deadline)
        if client == "fast"
        else snmp_collect._PysnmpClient(host, settings, deadline)
    )
    try:
        return walker.walk_all(("1.0", "1.3"))
    finally:
        walker.close()


@pytest.mark.parametrize("index", range(8))
def test_round_trip_whole_agent_v3_walks_are_identical_to_pysnmp(
    snmp_lab: SnmpLab, index: int
) -> None:
    """Every agent the session simulator serves, walked whole over v3 (authPriv SHA/AES) by
    both clients: the same varbinds; and the same as the v2c walk of the same data."""
    agents = _agents(snmp_lab)
    if index >= len(agents):
        pytest.skip("the corpus is not here")
    context = agents[index]
    fast = _whole_agent(snmp_lab, context, "fast")
    assert len(fast) > 100
    assert fast == _whole_agent(snmp_lab, context, "pysnmp")
    assert fast == _whole_agent(snmp_lab, context, "fast", version="2c")


def test_unknown_user_is_named(snmp_lab: SnmpLab) -> None:
    host = v3_lab_host(snmp_lab.port, "sha", "aes", user="nobody-here")
    with pytest.raises(CollectionError) as info:
        snmp_collect.walk_device(host, SnmpSettings.from_host(host), "fast", 30)
    assert info.value.status == "auth-failed"
    assert "unknown user" in info.value.message and "nobody-here" in info.value.message
    assert f"127.0.0.1:{snmp_lab.port}" in info.value.message


def test_wrong_priv_protocol_is_a_privacy_failure_not_a_timeout(snmp_lab: SnmpLab) -> None:
    host = v3_lab_host(snmp_lab.port, "sha", "des")  # the agent's user is AES
    with pytest.raises(CollectionError) as info:
        snmp_collect.walk_device(host, SnmpSettings.from_host(host), "fast", 30)
    assert info.value.status == "auth-failed"
    assert "privacy failed" in info.value.message


def test_secrets_never_reach_the_snapshot_or_the_log(
    snmp_lab: SnmpLab, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Plant the keys, collect (and fail once with a wrong key), then look for the keys and
    every key derived from them, raw and in hex, in every file written and every log line."""
    caplog.set_level(logging.DEBUG)
    host = v3_lab_host(snmp_lab.port, "sha", "aes")
    _collect(tmp_path / "snap", host, "fast")
    wrong = v3_lab_host(snmp_lab.port, "sha", "aes", priv_key="lab-priv-WRONG-1")
    with pytest.raises(CollectionError) as info:
        _collect(tmp_path / "snap2", wrong, "fast")
    # the engine id, to derive the localised keys the session held
    with FastSession("127.0.0.1", snmp_lab.port, V3_CONTEXT) as probe:
        security = UsmSecurity(UsmUser(V3.user, "sha", V3.auth_key, "aes", V3.priv_key), "lab")
        security.handshake(probe._sock, V3_CONTEXT.encode(), 2.0, 1, None)
    engine = security.engine_id
    secrets = [V3.auth_key.encode(), V3.priv_key.encode(), b"lab-priv-WRONG-1"]
    hash_name = AUTH_HASHES["sha"][0]
    for derived in (
        localized_key(V3.auth_key.encode(), engine, hash_name),
        privacy_key(V3.priv_key.encode(), engine, hash_name, 16),
    ):
        secrets += [derived, derived.hex().encode(), derived.hex().upper().encode()]
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "snmpwalk.snmprec" for p in written)
    texts = [p.read_bytes() for p in written]
    texts += [caplog.text.encode(), str(info.value).encode(), info.value.message.encode()]
    for secret in secrets:
        for text in texts:
            assert secret not in text
    assert "privacy failed" in info.value.message  # and the failure was still named


# -- answers tampered with on the way ------------------------------------------------------------


class _Relay:
    """A UDP relay between the client and snmpsim that lets ``passed`` answers through and
    then hands every answer to ``spoil``; ``record`` sees every request."""

    def __init__(
        self,
        agent_port: int,
        passed: int,
        spoil: Callable[[bytes], bytes],
        record: Callable[[bytes], object] = len,
    ) -> None:
        self.front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.front.bind(("127.0.0.1", 0))
        self.back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.back.connect(("127.0.0.1", agent_port))
        self.passed = passed
        self.spoil = spoil
        self.record = record
        self.spoiled = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.front.getsockname()[1])

    def _run(self) -> None:
        client: tuple[str, int] | None = None
        while not self.stop.is_set():
            ready, _w, _x = select.select([self.front, self.back], [], [], 0.05)
            for sock in ready:
                data, peer = sock.recvfrom(65535)
                if sock is self.front:
                    client = peer
                    self.record(data)
                    self.back.send(data)
                elif client is not None:
                    if self.passed > 0:
                        self.passed -= 1
                    else:
                        data = self.spoil(data)
                        self.spoiled += 1
                    self.front.sendto(data, client)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(2)
        self.front.close()
        self.back.close()


def _flip_last(data: bytes) -> bytes:
    return data[:-1] + bytes((data[-1] ^ 0x40,))


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (_flip_last, "MAC does not verify"),
        (lambda data: data[: len(data) // 2], "truncated"),
        (lambda data: b"\x30\x03\x02\x01\x01", "v3"),
    ],
    ids=["flipped-bit", "truncated", "v2c-shaped"],
)
def test_tampered_answers_end_the_walk_with_an_error_not_wrong_data(
    snmp_lab: SnmpLab, spoil: Callable[[bytes], bytes], words: str
) -> None:
    relay = _Relay(snmp_lab.port, passed=2, spoil=spoil)  # discovery and the probe go through
    where = f"127.0.0.1:{relay.port}"
    try:
        user = UsmUser(V3.user, "sha", V3.auth_key, "aes", V3.priv_key)
        session = FastSession(
            "127.0.0.1",
            relay.port,
            V3_CONTEXT,
            timeout=0.3,
            retries=1,
            security=UsmSecurity(user, where),
        )
        with session, pytest.raises(WalkError) as info:
            session.walk_all(["1.3.6.1.2.1.2.2.1.2"])
    finally:
        relay.close()
    assert relay.spoiled >= 2
    assert info.value.status == "error"
    assert words in info.value.message and where in info.value.message
    assert session.dropped >= 2


def test_a_skewed_clock_is_resynchronised_once_from_the_agents_report(
    snmp_lab: SnmpLab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The discovery's clock is taken 1,000 s wrong: the agent answers the authenticated probe
    with usmStatsNotInTimeWindows (itself authenticated, carrying its clock), the session
    takes that clock and the probe once more, and the walk goes on."""
    reports: list[str] = []
    real_report_oid = UsmSecurity._report_oid
    real_set_clock = UsmSecurity._set_clock
    calls = 0

    def report_oid(self: UsmSecurity, message: Any) -> str:
        oid = real_report_oid(self, message)
        reports.append(oid)
        return oid

    def set_clock(self: UsmSecurity, boots: int, engine_time: int) -> None:
        nonlocal calls
        calls += 1
        real_set_clock(self, boots, engine_time + (1000 if calls == 1 else 0))

    monkeypatch.setattr(UsmSecurity, "_report_oid", report_oid)
    monkeypatch.setattr(UsmSecurity, "_set_clock", set_clock)
    user = UsmUser(V3.user, "sha", V3.auth_key, "aes", V3.priv_key)
    security = UsmSecurity(user, "lab")
    with FastSession("127.0.0.1", snmp_lab.port, V3_CONTEXT, security=security) as session:
        rows = session.walk_all(["1.3.6.1.2.1.1"])
    assert reports == ["1.3.6.1.6.3.15.1.1.2.0"]  # usmStatsNotInTimeWindows, once
    assert [oid for oid, _t, _v in rows][:1] == ["1.3.6.1.2.1.1.1.0"]


def test_a_clock_that_stays_wrong_is_an_error_not_a_loop(
    snmp_lab: SnmpLab, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_set_clock = UsmSecurity._set_clock

    def set_clock(self: UsmSecurity, boots: int, engine_time: int) -> None:
        real_set_clock(self, boots, engine_time + 1000)  # every clock the agent gives, skewed

    monkeypatch.setattr(UsmSecurity, "_set_clock", set_clock)
    user = UsmUser(V3.user, "sha", V3.auth_key, "aes", V3.priv_key)
    with (
        FastSession(
            "127.0.0.1", snmp_lab.port, V3_CONTEXT, security=UsmSecurity(user, "lab:161")
        ) as session,
        pytest.raises(WalkError) as info,
    ):
        session.walk_all(["1.3.6.1.2.1.1"])
    assert info.value.status == "error"
    assert "time window" in info.value.message and "lab:161" in info.value.message


def test_a_context_the_agent_ignores_is_named_not_a_bare_timeout(snmp_lab: SnmpLab) -> None:
    """snmpsim answers discovery but stays silent for a context it has no data for."""
    host = v3_lab_host(snmp_lab.port, "sha", "aes", context="no-such-context", timeout=0.2)
    with pytest.raises(CollectionError) as info:
        snmp_collect.walk_device(host, SnmpSettings.from_host(host), "fast", 30)
    assert info.value.status == "error"
    assert "'no-such-context'" in info.value.message
    assert "answered SNMPv3 discovery" in info.value.message


def _pdu_kinds_sent(datagrams: list[bytes], priv_password: bytes) -> list[str]:
    """The PDU type of every v3 request, read with pysnmp's own ASN.1 specs and AES (an
    independent decoder): the fast path must have sent nothing but reads."""
    import hashlib

    import pysnmp.proto.secmod.rfc3414.service as usm_service
    from pyasn1.codec.ber import decoder  # type: ignore[import-untyped]
    from pyasn1.type import univ  # type: ignore[import-untyped]
    from pysnmp.proto.mpmod.rfc3412 import ScopedPDU, SNMPv3Message
    from pysnmp.proto.secmod.rfc3414 import localkey
    from pysnmp.proto.secmod.rfc3826.priv.aes import Aes

    kinds = []
    for datagram in datagrams:
        message, _rest = decoder.decode(datagram, asn1Spec=SNMPv3Message())
        flags = bytes(message["msgGlobalData"]["msgFlags"])[0]
        params, _rest = decoder.decode(
            bytes(message["msgSecurityParameters"]),
            asn1Spec=usm_service.UsmSecurityParameters(),
        )
        data = message["msgData"]
        if flags & 0x02:
            engine = univ.OctetString(bytes(params["msgAuthoritativeEngineId"]))
            key = localkey.password_to_key(priv_password, engine, hashlib.sha1)[:16]
            plain = Aes().decrypt_data(
                key,
                (
                    int(params["msgAuthoritativeEngineBoots"]),
                    int(params["msgAuthoritativeEngineTime"]),
                    params["msgPrivacyParameters"],
                ),
                data["encryptedPDU"],
            )
            scoped, _rest = decoder.decode(bytes(plain), asn1Spec=ScopedPDU())
        else:
            scoped = data["plaintext"]
        kinds.append(scoped["data"].getName())
    return kinds


def test_a_v3_collection_sends_only_read_requests(snmp_lab: SnmpLab, tmp_path: Path) -> None:
    """Every datagram of a whole v3 collection (discovery, probe, walks, the chassis GET,
    per-VLAN contexts), captured on the way and decoded independently."""
    sent: list[bytes] = []
    relay = _Relay(snmp_lab.port, passed=10**9, spoil=bytes, record=sent.append)
    try:
        host = v3_lab_host(relay.port, "sha", "aes")
        files = _collect(tmp_path / "snap", host, "fast")
    finally:
        relay.close()
    assert (files / f"devices/{V3_DEVICE}/snmpwalk@10.snmprec").is_file()
    kinds = _pdu_kinds_sent(sent, V3.priv_key.encode())
    assert len(kinds) > 10 and "get-bulk-request" in kinds and "get-request" in kinds
    assert set(kinds) <= {"get-request", "get-next-request", "get-bulk-request"}
