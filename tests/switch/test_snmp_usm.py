"""SNMPv3 USM of the fast path without an agent: RFC 3414 key vectors, key extension and
ciphers checked against pysnmp's independent implementation, and answers that must be refused
(tampered, garbled, less secure than asked, Reports) without a crash."""

from __future__ import annotations

import socket
from dataclasses import replace
from hashlib import md5, sha1, sha256, sha512
from typing import Any

import pytest
from pyasn1.type import univ  # type: ignore[import-untyped]
from tests.switch.conftest_snmp import snmp_host

from xsfabric.errors import CollectionError
from xsfabric.switch import snmp_usm
from xsfabric.switch.snmp_ber import (
    GET,
    GETBULK,
    REPORT,
    RESPONSE,
    BerError,
    decode_response,
    encode_integer,
    encode_oid_body,
    encode_request,
    oid_arcs,
)
from xsfabric.switch.snmp_collect import SnmpSettings, choose_client
from xsfabric.switch.snmp_fast_collect import WalkError
from xsfabric.switch.snmp_usm import (
    UsmSecurity,
    UsmUser,
    localize_key,
    password_to_key,
    privacy_key,
)

#: RFC 3414 A.3: the engine id the sample keys are localised to.
RFC_ENGINE = bytes.fromhex("000000000000000000000002")
ENGINE = bytes.fromhex("80004fb805636c6f75644dab22cc")


# -- keys ----------------------------------------------------------------------------------------


def test_rfc3414_a31_md5_password_to_key_and_localisation() -> None:
    """RFC 3414 A.3.1 ("maplesyrup", MD5)."""
    ku = password_to_key(b"maplesyrup", "md5")
    assert ku == bytes.fromhex("9f af 32 83 88 4e 92 83 4e bc 98 47 d8 ed d9 63")
    assert localize_key(ku, RFC_ENGINE, "md5") == bytes.fromhex(
        "52 6f 5e ed 9f cc e2 6f 89 64 c2 93 07 87 d8 2b"
    )


def test_rfc3414_a32_sha_password_to_key_and_localisation() -> None:
    """RFC 3414 A.3.2 ("maplesyrup", SHA-1)."""
    ku = password_to_key(b"maplesyrup", "sha1")
    assert ku == bytes.fromhex("9f b5 cc 03 81 49 7b 37 93 52 89 39 ff 78 8d 5d 79 14 52 11")
    assert localize_key(ku, RFC_ENGINE, "sha1") == bytes.fromhex(
        "66 95 fe bc 92 88 e3 62 82 23 5f c7 15 1f 12 84 97 b3 8f 3f"
    )


@pytest.mark.parametrize("password", [b"maplesyrup", b"lab-auth-key-1", b"x" * 64, b"p" * 100])
@pytest.mark.parametrize("hash_name", ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"])
def test_key_localisation_agrees_with_pysnmp(password: bytes, hash_name: str) -> None:
    """RFC 7860 keeps A.2 with the SHA-2 hashes and publishes no vectors: pysnmp's
    independent code (``localkey.password_to_key``) is the reference here."""
    import hashlib

    from pysnmp.proto.secmod.rfc3414 import localkey

    hash_function = getattr(hashlib, hash_name)
    expected = localkey.password_to_key(password, univ.OctetString(ENGINE), hash_function)
    got = snmp_usm.localized_key(password, ENGINE, hash_name)
    assert got == bytes(expected)


@pytest.mark.parametrize(
    ("priv", "auth_hash", "pysnmp_class"),
    [
        ("aes192", sha1, "pysnmp.proto.secmod.eso.priv.aes192:Aes192"),
        ("aes256", sha256, "pysnmp.proto.secmod.eso.priv.aes256:Aes256"),
        ("3des", md5, "pysnmp.proto.secmod.eso.priv.des3:Des3"),
        ("aes256", sha512, "pysnmp.proto.secmod.eso.priv.aes256:Aes256"),
    ],
)
def test_extended_privacy_keys_agree_with_pysnmp(
    priv: str, auth_hash: Any, pysnmp_class: str
) -> None:
    """AES-192/256 and 3DES need more key than one hash gives; the fast path extends it as
    pysnmp does for the names ``aes192`` / ``aes256`` / ``3des`` (Reeder), so that both clients
    talk to the same agents."""
    import importlib

    from pysnmp.proto.secmod.rfc3414.auth import hmacmd5, hmacsha
    from pysnmp.proto.secmod.rfc7860.auth import hmacsha2

    module, name = pysnmp_class.split(":")
    service = getattr(importlib.import_module(module), name)()
    auth_id = {
        md5: hmacmd5.HmacMd5.SERVICE_ID,
        sha1: hmacsha.HmacSha.SERVICE_ID,
        sha256: hmacsha2.HmacSha2.SHA256_SERVICE_ID,
        sha512: hmacsha2.HmacSha2.SHA512_SERVICE_ID,
    }[auth_hash]
    ku = service.hash_passphrase(auth_id, b"lab-priv-key-1")
    expected = bytes(service.localize_key(auth_id, ku, univ.OctetString(ENGINE)))
    size = snmp_usm.PRIV_CIPHERS[priv][1]
    assert privacy_key(b"lab-priv-key-1", ENGINE, auth_hash().name, size) == expected
    assert len(expected) == size


def test_a_user_repr_shows_no_key() -> None:
    user = UsmUser("ops", "sha", "auth-secret-1", "aes", "priv-secret-1")
    text = repr(user) + repr(UsmSecurity(user, "sw:161"))
    assert "ops" in text
    assert "auth-secret-1" not in text and "priv-secret-1" not in text


def test_short_keys_and_priv_without_auth_are_refused() -> None:
    with pytest.raises(ValueError, match="8 characters"):
        UsmUser("ops", "sha", "short", "none", "")
    with pytest.raises(ValueError, match="security level"):
        UsmUser("ops", "none", "", "aes", "priv-secret-1")


# -- messages --------------------------------------------------------------------------------------


def _agent_side(user: UsmUser) -> UsmSecurity:
    """A UsmSecurity that knows the engine, standing in for the agent to build answers."""
    sec = UsmSecurity(user, "sw1:161")
    sec._set_engine(ENGINE)
    sec._set_clock(7, 12345)
    sec.ready = True
    return sec


def _response(request_id: int, context: bytes = b"ctx") -> bytes:
    """A Response PDU (TLV) with one varbind sysName.0 = "sw1"."""
    oid = encode_oid_body(oid_arcs("1.3.6.1.2.1.1.5.0"))
    varbind = b"\x30" + bytes((len(oid) + 2 + 5,)) + b"\x06" + bytes((len(oid),)) + oid
    varbind += b"\x04\x03sw1"
    body = encode_integer(request_id) + b"\x02\x01\x00\x02\x01\x00"
    body += b"\x30" + bytes((len(varbind),)) + varbind
    return bytes((RESPONSE, len(body))) + body


USERS = [
    UsmUser("ops", "none", "", "none", ""),
    UsmUser("ops", "md5", "auth-secret-1", "none", ""),
    UsmUser("ops", "sha", "auth-secret-1", "des", "priv-secret-1"),
    UsmUser("ops", "sha256", "auth-secret-1", "aes", "priv-secret-1"),
    UsmUser("ops", "sha512", "auth-secret-1", "aes256", "priv-secret-1"),
    UsmUser("ops", "sha224", "auth-secret-1", "3des", "priv-secret-1"),
]


@pytest.mark.parametrize("user", USERS, ids=lambda u: f"{u.auth_protocol}-{u.priv_protocol}")
def test_wrap_then_unwrap_gives_the_v2c_shape_the_walk_reads(user: UsmUser) -> None:
    """Self round trip (one implementation on both sides: the interop proof is the snmpsim
    test); it pins the v2c shape FastSession relies on: community = context name."""
    client, agent = _agent_side(user), _agent_side(user)
    request = encode_request(GETBULK, 4242, [oid_arcs_body("1.3.6.1.2.1.1")], community=b"vlan-10")
    sent = client.wrap(request)
    # the context name travels inside the ScopedPDU: encrypted with privacy, in clear without
    assert (b"vlan-10" in sent) == (user.priv_protocol == "none")
    answer = agent.message(4242, b"vlan-10", _response(4242))
    shaped = client.unwrap(answer)
    response = decode_response(shaped)
    assert response.community == b"vlan-10"
    assert response.request_id == 4242
    assert [(bytes(o), t, bytes(v)) for o, t, v in response.raw] == [
        (encode_oid_body(oid_arcs("1.3.6.1.2.1.1.5.0")), 4, b"sw1")
    ]
    if user.priv_protocol != "none":
        assert b"sw1" not in answer  # the value travelled encrypted


def oid_arcs_body(oid: str) -> bytes:
    return encode_oid_body(oid_arcs(oid))


def test_encrypted_requests_decrypt_with_pysnmp() -> None:
    """What the fast path encrypts, pysnmp's AES (RFC 3826) decrypts: an independent check of
    the IV (boots, time, salt) and the key."""
    import pysnmp.proto.secmod.rfc3414.service  # noqa: F401 - pysnmp's own import order
    from pysnmp.proto.secmod.rfc3826.priv.aes import Aes

    user = UsmUser("ops", "sha", "auth-secret-1", "aes", "priv-secret-1")
    client = _agent_side(user)
    scoped = b"\x30\x0b\x04\x00\x04\x03ctx\xa0\x02\x02\x00"
    cipher, salt = client._encrypt(scoped, 7, 12345)
    key = univ.OctetString(client._priv_key)
    plain = Aes().decrypt_data(key, (7, 12345, univ.OctetString(salt)), univ.OctetString(cipher))
    assert bytes(plain) == scoped


@pytest.mark.parametrize(
    ("priv", "pysnmp_class"),
    [
        ("des", "pysnmp.proto.secmod.rfc3414.priv.des:Des"),
        ("3des", "pysnmp.proto.secmod.eso.priv.des3:Des3"),
        ("aes256", "pysnmp.proto.secmod.eso.priv.aes256:Aes256"),
    ],
)
def test_des_3des_and_aes256_requests_decrypt_with_pysnmp(priv: str, pysnmp_class: str) -> None:
    """DES-CBC (RFC 3414 §8: salt = boots ‖ counter, IV = salt XOR pre-IV), 3DES-EDE and
    AES-256 as pysnmp decrypts them; a ScopedPDU of 8k + 0 octets and of an odd length."""
    import importlib

    import pysnmp.proto.secmod.rfc3414.service  # noqa: F401 - pysnmp's own import order

    module, name = pysnmp_class.split(":")
    service = getattr(importlib.import_module(module), name)()
    client = _agent_side(UsmUser("ops", "md5", "auth-secret-1", priv, "priv-secret-1"))
    sixteen = b"\x30\x0e\x04\x00\x04\x03ctx\xa0\x05\x02\x01\x07\x30\x00"
    for scoped in (sixteen, b"\x30\x03\x04\x01x"):
        cipher, salt = client._encrypt(scoped, 7, 12345)
        key = univ.OctetString(client._priv_key)
        params = (7, 12345, univ.OctetString(salt))
        plain = bytes(service.decrypt_data(key, params, univ.OctetString(cipher)))
        assert plain[: len(scoped)] == scoped
        assert client._decrypt(cipher, salt, 7, 12345)[: len(scoped)] == scoped


@pytest.mark.parametrize("index", [5, 40, -30, -3])
def test_a_tampered_answer_is_refused_not_trusted(index: int) -> None:
    """One flipped bit anywhere (header, security parameters, encrypted data) and the MAC no
    longer verifies, or the message no longer parses: BerError, which the session treats as
    a garbled datagram; never an exception of another kind, never wrong data."""
    user = UsmUser("ops", "sha", "auth-secret-1", "aes", "priv-secret-1")
    client, agent = _agent_side(user), _agent_side(user)
    answer = bytearray(agent.message(99, b"ctx", _response(99)))
    answer[index] ^= 0x01
    with pytest.raises(BerError):
        client.unwrap(bytes(answer))


@pytest.mark.parametrize("cut", [1, 10, 30, 60])
def test_a_truncated_answer_is_a_ber_error(cut: int) -> None:
    user = UsmUser("ops", "md5", "auth-secret-1", "des", "priv-secret-1")
    client, agent = _agent_side(user), _agent_side(user)
    answer = agent.message(99, b"ctx", _response(99))
    with pytest.raises(BerError):
        client.unwrap(answer[:cut])


def test_an_unauthenticated_answer_to_an_authenticated_request_is_refused() -> None:
    client = _agent_side(UsmUser("ops", "sha", "auth-secret-1", "none", ""))
    plain = _agent_side(UsmUser("ops", "none", "", "none", ""))
    with pytest.raises(BerError, match="less security"):
        client.unwrap(plain.message(5, b"ctx", _response(5)))


def test_a_v2c_answer_to_a_v3_request_is_refused() -> None:
    client = _agent_side(UsmUser("ops", "sha", "auth-secret-1", "aes", "priv-secret-1"))
    v2c = b"\x30" + bytes((3 + 5 + len(_response(5)),)) + b"\x02\x01\x01\x04\x03ctx" + _response(5)
    with pytest.raises(BerError, match="SNMPv2"):
        client.unwrap(v2c)


def _report(agent: UsmSecurity, msg_id: int, oid: str) -> bytes:
    body = encode_oid_body(oid_arcs(oid))
    varbind = b"\x06" + bytes((len(body),)) + body + b"\x41\x01\x01"
    varbind = b"\x30" + bytes((len(varbind),)) + varbind
    pdu = encode_integer(msg_id) + b"\x02\x01\x00\x02\x01\x00\x30" + bytes((len(varbind),))
    pdu = bytes((REPORT, len(pdu + varbind))) + pdu + varbind
    return agent.message(msg_id, b"", pdu, discovery=True)


@pytest.mark.parametrize(
    ("oid", "status", "words"),
    [
        ("1.3.6.1.6.3.15.1.1.5.0", "auth-failed", "authentication failed"),
        ("1.3.6.1.6.3.15.1.1.6.0", "auth-failed", "privacy failed"),
        ("1.3.6.1.6.3.15.1.1.3.0", "auth-failed", "unknown user"),
        ("1.3.6.1.6.3.15.1.1.1.0", "auth-failed", "unsupported security level"),
        ("1.3.6.1.6.3.15.1.1.2.0", "error", "time window"),
        ("1.3.6.1.6.3.12.1.5.0", "error", "unknown context"),
    ],
)
def test_a_report_to_our_request_is_a_clear_error_naming_the_device(
    oid: str, status: str, words: str
) -> None:
    user = UsmUser("ops", "sha", "auth-secret-1", "aes", "priv-secret-1")
    client, agent = _agent_side(user), _agent_side(user)
    client.wrap(encode_request(GET, 31337, [oid_arcs_body("1.3.6.1.2.1.1.5.0")], community=b""))
    with pytest.raises(WalkError) as info:
        client.unwrap(_report(agent, 31337, oid))
    assert info.value.status == status
    assert words in info.value.message and "sw1:161" in info.value.message
    assert "auth-secret-1" not in info.value.message


def test_a_report_to_a_request_never_sent_is_dropped() -> None:
    user = UsmUser("ops", "sha", "auth-secret-1", "aes", "priv-secret-1")
    client, agent = _agent_side(user), _agent_side(user)
    with pytest.raises(BerError, match="did not send"):
        client.unwrap(_report(agent, 777, "1.3.6.1.6.3.15.1.1.5.0"))


def test_wrap_refuses_anything_but_a_read_request() -> None:
    client = _agent_side(UsmUser("ops", "none", "", "none", ""))
    request = bytearray(encode_request(GET, 1, [oid_arcs_body("1.3.6.1.2.1.1.5.0")], community=b""))
    request[request.index(GET, 5)] = 0xA3  # SetRequest
    with pytest.raises(ValueError, match="not a read request"):
        client.wrap(bytes(request))


def test_a_silent_agent_ends_the_handshake_as_a_bounded_timeout() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as agent:
        agent.bind(("127.0.0.1", 0))  # bound, never answers
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(agent.getsockname())
            sec = UsmSecurity(UsmUser("ops", "sha", "auth-secret-1", "none", ""), "sw9:161")
            with pytest.raises(WalkError) as info:
                sec.handshake(sock, b"", timeout=0.05, retries=1, deadline=None)
    assert info.value.status == "timeout"
    assert "sw9:161" in info.value.message and "0.1 s" in info.value.message
    assert not sec.ready


# -- the client choice ---------------------------------------------------------------------------


def _v3_settings(**snmp: Any) -> SnmpSettings:
    base: dict[str, Any] = {"version": "3", "user": "ops", "community": None}
    return SnmpSettings.from_host(snmp_host("sw", 161, **{**base, **snmp}))


def test_auto_takes_the_fast_path_for_every_v3_protocol_it_speaks() -> None:
    for auth in ("md5", "sha", "sha224", "sha256", "sha384", "sha512"):
        for priv in ("des", "3des", "aes", "aes128", "aes192", "aes256"):
            settings = _v3_settings(
                auth_protocol=auth, auth_key="a" * 8, priv_protocol=priv, priv_key="p" * 8
            )
            assert choose_client(settings) == "fast", (auth, priv)
    assert choose_client(_v3_settings()) == "fast"  # noAuthNoPriv
    assert choose_client(_v3_settings(client="pysnmp")) == "pysnmp"


def test_without_des_in_cryptography_des_users_go_to_pysnmp(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = snmp_usm.crypto()
    assert real.triple_des is not None  # the test environment has both
    monkeypatch.setattr(snmp_usm, "crypto", lambda: replace(real, triple_des=None))
    des = _v3_settings(auth_protocol="sha", auth_key="a" * 8, priv_protocol="des", priv_key="p" * 8)
    aes = _v3_settings(auth_protocol="sha", auth_key="a" * 8, priv_protocol="aes", priv_key="p" * 8)
    assert choose_client(des) == "pysnmp"
    assert choose_client(aes) == "fast"
    with pytest.raises(CollectionError, match="no DES"):
        choose_client(des, "fast")
