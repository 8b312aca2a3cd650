"""SNMPv3 for the fast SNMP path: the RFC 3412 message and the RFC 3414 User-based Security
Model (USM), by hand, around the v2c codec of :mod:`xsfabric.switch.snmp_ber`.

Why not pysnmp for v3: pysnmp decodes every message through pyasn1, which is where its
100 µs per varbind go (NOTES.md). A v3 message is a v2c PDU in a different envelope: a header,
the USM parameters (engine id, boots, time, user, MAC, salt) and the ScopedPDU (context engine
id, context name, PDU), encrypted or not. This module builds and opens that envelope with
slicing and :func:`~xsfabric.switch.snmp_ber.tlv_header`; the PDU inside is the one the v2c
codec already encodes and decodes, so :class:`~xsfabric.switch.snmp_fast_collect.FastSession`
walks v3 exactly as it walks v2c. :class:`UsmSecurity` ``wrap`` turns the v2c message the
session built into a v3 message (its "community" is the v3 context name: both select the
agent's per-VLAN instance), ``unwrap`` turns an answer back into a v2c-shaped message whose
community is the answer's context name, after checking its MAC and decrypting it.

What it does (RFC 3414 unless said):

- engine discovery (§4): a noAuthNoPriv request with an empty engine id and user; the agent's
  usmStatsUnknownEngineIDs Report carries its engine id, boots and time;
- time synchronisation: an authenticated probe; a usmStatsNotInTimeWindows Report (itself
  authenticated) gives the agent's clock, and the probe is sent once more;
- keys (A.2): password → key with the auth hash over 1 MiB of the repeated password, then
  localised to the engine id; cached per (password, engine id, hash), because a password costs
  about a million bytes of hashing;
- authentication: HMAC-MD5-96, HMAC-SHA-96 and the RFC 7860 HMAC-SHA-2 family (SHA-224/256/
  384/512, MACs of 16/24/32/48 octets); every incoming message's MAC is checked;
- privacy: AES-128 CFB (RFC 3826); AES-192/256 CFB with the key extension pysnmp uses for the
  names ``aes192`` / ``aes256`` (``usmAesCfb192Protocol``: the Reeder draft's, which Cisco
  uses: hash the key again as a password and localise it again); DES-CBC (§8) and 3DES-EDE
  (Reeder draft; TripleDES from ``cryptography.hazmat.decrepit``). Where ``cryptography``
  lacks an algorithm, :func:`fast_path_problem` says so and the collector uses pysnmp for
  that device.
- not done: the receiver's own time-window check of answers (RFC 3414 §3.2 step 7b, replay
  protection for a non-authoritative engine; a walk is read-only and short), and the
  Blumenthal key extension (``aes192blmt`` in snmpsim: no ``snmp.priv_protocol`` names it).

Errors: a Report from the agent (unknown user, wrong digest, decryption error, unknown engine
id, unsupported security level, unknown context) ends the session at once with a
:class:`~xsfabric.switch.snmp_fast_collect.WalkError` naming the device (``auth-failed`` for the
credential ones), never a timeout. An answer whose MAC does not verify, that does not decrypt
or that carries less security than asked for raises :class:`BerError` from ``unwrap``: the
session drops it like a garbled datagram and names it if nothing better arrives.

Secrets: passwords and localised keys live in this object only (``repr`` shows neither) and
appear in no message, error or log line.
"""

from __future__ import annotations

import _socket
import contextlib
import hashlib
import hmac
import os
import random
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any, Final

from xsfabric.switch.snmp_ber import (
    GET,
    INTEGER,
    OCTET_STRING,
    READ_PDUS,
    REPORT,
    RESPONSE,
    SEQUENCE,
    BerError,
    encode_integer,
    encode_request,
    oid_text,
    tlv_header,
)
from xsfabric.switch.snmp_fast_collect import ERROR, TIMEOUT, DeadlineError, WalkError


@dataclass(frozen=True, slots=True)
class Crypto:
    """The parts of ``cryptography`` privacy needs (``triple_des`` None: no DES)."""

    cipher: Any
    aes: Any
    ecb: Any
    triple_des: Any


@lru_cache(maxsize=1)
def crypto() -> Crypto:
    """``cryptography``'s block ciphers, imported on first use (a v2c walk never pays for it).

    ``cryptography`` is a base dependency (paramiko needs it too). cryptography 43+ keeps
    TripleDES in ``hazmat.decrepit``, older ones in ``primitives``; a release without it
    leaves ``triple_des`` None and DES users go to pysnmp. Only the block ciphers in ECB mode
    are used: CFB and CBC are built on them (:meth:`UsmSecurity._block_ciphers`), because
    one cipher context per session measured 65 -> 23 ms of decryption per walk against one
    context per message.
    """
    from cryptography.hazmat.primitives import ciphers

    try:
        from cryptography.hazmat.decrepit.ciphers import algorithms as decrepit

        triple_des: Any = decrepit.TripleDES
    except (ImportError, AttributeError):
        triple_des = getattr(ciphers.algorithms, "TripleDES", None)
    return Crypto(ciphers.Cipher, ciphers.algorithms.AES, ciphers.modes.ECB, triple_des)


#: manifest status for a credential problem (DeviceStatus.AUTH_FAILED)
AUTH_FAILED: Final = "auth-failed"
#: msgFlags bits (RFC 3412 §6.4)
FLAG_AUTH: Final = 0x01
FLAG_PRIV: Final = 0x02
FLAG_REPORTABLE: Final = 0x04
#: msgSecurityModel of the USM
USM_MODEL: Final = 3
#: largest message this side accepts (msgMaxSize): a UDP payload over IPv4
MAX_SIZE: Final = 65507

#: auth protocol name (as ``snmp.auth_protocol`` spells it) → (hash, MAC length in octets)
AUTH_HASHES: Final[dict[str, tuple[str, int]]] = {
    "md5": ("md5", 12),
    "sha": ("sha1", 12),
    "sha1": ("sha1", 12),
    "sha224": ("sha224", 16),
    "sha256": ("sha256", 24),
    "sha384": ("sha384", 32),
    "sha512": ("sha512", 48),
}
#: priv protocol name → (cipher, key length in octets used from the localised key)
PRIV_CIPHERS: Final[dict[str, tuple[str, int]]] = {
    "des": ("des", 16),  # 8 key + 8 pre-IV
    "3des": ("3des", 32),  # 24 key + 8 pre-IV
    "aes": ("aes", 16),
    "aes128": ("aes", 16),
    "aes192": ("aes", 24),
    "aes256": ("aes", 32),
}

#: msgIDs remembered for matching Reports before the set starts again
_SENT_LIMIT: Final = 1 << 16
#: Report varbinds (RFC 3414 §5 usmStats, RFC 3411/3412 snmp*) → (status, what it means)
REPORTS: Final[dict[str, tuple[str, str]]] = {
    "1.3.6.1.6.3.15.1.1.1.0": (AUTH_FAILED, "unsupported security level for this user"),
    "1.3.6.1.6.3.15.1.1.2.0": (ERROR, "message not in the agent's time window"),
    "1.3.6.1.6.3.15.1.1.3.0": (AUTH_FAILED, "unknown user name"),
    "1.3.6.1.6.3.15.1.1.4.0": (ERROR, "unknown engine id"),
    "1.3.6.1.6.3.15.1.1.5.0": (
        AUTH_FAILED,
        "authentication failed (wrong digest: wrong auth key or auth protocol)",
    ),
    "1.3.6.1.6.3.15.1.1.6.0": (
        AUTH_FAILED,
        "privacy failed (decryption error: wrong priv key or priv protocol)",
    ),
    "1.3.6.1.6.3.11.2.1.1.0": (ERROR, "unknown security model"),
    "1.3.6.1.6.3.11.2.1.2.0": (ERROR, "invalid message"),
    "1.3.6.1.6.3.11.2.1.3.0": (ERROR, "unknown PDU handler"),
    "1.3.6.1.6.3.12.1.4.0": (ERROR, "unavailable context"),
    "1.3.6.1.6.3.12.1.5.0": (ERROR, "unknown context"),
}
UNKNOWN_ENGINE_IDS: Final = "1.3.6.1.6.3.15.1.1.4.0"
NOT_IN_TIME_WINDOWS: Final = "1.3.6.1.6.3.15.1.1.2.0"


# -- keys (RFC 3414 A.2, RFC 7860 §9.3) ----------------------------------------------------------


def password_to_key(password: bytes, hash_name: str) -> bytes:
    """Ku: the hash of 1,048,576 octets of the password repeated (RFC 3414 A.2.1 / A.2.2).

    >>> password_to_key(b"maplesyrup", "md5").hex()
    '9faf3283884e92834ebc9847d8edd963'
    """
    if not password:
        raise ValueError("an empty SNMPv3 password has no key")
    chunk = password * (64 // len(password) + 2)
    hasher = hashlib.new(hash_name)
    # 64-octet blocks cut from the endless repetition: block i starts at (64·i) mod len
    period = len(password)
    blocks: dict[int, bytes] = {}
    for index in range(16384):
        start = (64 * index) % period
        block = blocks.get(start)
        if block is None:
            block = blocks[start] = chunk[start : start + 64]
        hasher.update(block)
    return hasher.digest()


def localize_key(key: bytes, engine_id: bytes, hash_name: str) -> bytes:
    """Kul = H(Ku ‖ engineID ‖ Ku) (RFC 3414 A.2)."""
    return hashlib.new(hash_name, key + engine_id + key).digest()


@lru_cache(maxsize=64)
def localized_key(password: bytes, engine_id: bytes, hash_name: str) -> bytes:
    """:func:`password_to_key` then :func:`localize_key`, cached (the first costs ~1 MiB of
    hashing; a collection meets the same engine again in each per-VLAN walk and re-run)."""
    return localize_key(password_to_key(password, hash_name), engine_id, hash_name)


def extend_key_reeder(key: bytes, engine_id: bytes, hash_name: str, size: int) -> bytes:
    """A localised key lengthened to ``size`` octets the way pysnmp does for ``aes192``,
    ``aes256`` and ``3des`` (draft-reeder-snmpv3-usm-3desede §2.1: the key so far is taken as
    a password, turned into a key and localised again, and appended)."""
    out = key
    while len(out) < size:
        out += localize_key(password_to_key(out, hash_name), engine_id, hash_name)
    return out[:size]


@lru_cache(maxsize=64)
def privacy_key(password: bytes, engine_id: bytes, hash_name: str, size: int) -> bytes:
    """The localised privacy key of ``size`` octets (cached like :func:`localized_key`)."""
    key = localized_key(password, engine_id, hash_name)
    if size > len(key):
        key = extend_key_reeder(key, engine_id, hash_name, size)
    return key[:size]


# -- what the fast path can do -------------------------------------------------------------------


def fast_path_problem(auth_protocol: str, priv_protocol: str) -> str | None:
    """None when this module speaks the protocols (names as in ``AUTH_HASHES`` /
    ``PRIV_CIPHERS``, or ``"none"``); otherwise why not (the collector then uses pysnmp)."""
    if auth_protocol != "none" and auth_protocol not in AUTH_HASHES:
        return f"auth protocol {auth_protocol!r} is not implemented by the fast path"
    if priv_protocol == "none":
        return None
    if auth_protocol == "none":
        return "privacy without authentication is not an SNMPv3 security level"
    if priv_protocol not in PRIV_CIPHERS:
        return f"priv protocol {priv_protocol!r} is not implemented by the fast path"
    found = crypto()
    if PRIV_CIPHERS[priv_protocol][0] in ("des", "3des") and found.triple_des is None:
        return "this cryptography has no DES (cryptography.hazmat.decrepit); pysnmp is used"
    return None


@dataclass(frozen=True, slots=True)
class UsmUser:
    """One USM user's credentials. ``repr`` leaves the keys out: they must never be logged."""

    user: str
    auth_protocol: str = "none"  # a key of AUTH_HASHES, or "none"
    auth_key: str = field(default="", repr=False)
    priv_protocol: str = "none"  # a key of PRIV_CIPHERS, or "none"
    priv_key: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        problem = fast_path_problem(self.auth_protocol, self.priv_protocol)
        if problem is not None:
            raise ValueError(problem)
        if self.auth_protocol != "none" and len(self.auth_key) < 8:
            raise ValueError("SNMPv3 auth keys are 8 characters at least (RFC 3414 §11.2)")
        if self.priv_protocol != "none" and len(self.priv_key) < 8:
            raise ValueError("SNMPv3 priv keys are 8 characters at least (RFC 3414 §11.2)")

    @property
    def flags(self) -> int:
        """msgFlags security bits of this user's level."""
        return (FLAG_AUTH if self.auth_protocol != "none" else 0) | (
            FLAG_PRIV if self.priv_protocol != "none" else 0
        )


# -- BER helpers -----------------------------------------------------------------------------------


def _tlv(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return bytes((tag, n)) + body
    size = (n.bit_length() + 7) // 8
    return bytes((tag, 0x80 | size)) + n.to_bytes(size, "big") + body


def _int_at(data: bytes, pos: int, end: int) -> tuple[int, int]:
    tag, start, stop = tlv_header(data, pos, end)
    if tag != INTEGER or start == stop or stop - start > 9:
        raise BerError(f"expected an INTEGER, found tag 0x{tag:02x}")
    return int.from_bytes(data[start:stop], "big", signed=True), stop


def _octets_at(data: bytes, pos: int, end: int) -> tuple[int, int]:
    tag, start, stop = tlv_header(data, pos, end)
    if tag != OCTET_STRING:
        raise BerError(f"expected an OCTET STRING, found tag 0x{tag:02x}")
    return start, stop


@dataclass(slots=True)
class Incoming:
    """One v3 message, opened (MAC checked, decrypted)."""

    msg_id: int
    flags: int
    engine_id: bytes
    boots: int
    time: int
    user: bytes
    context: bytes
    pdu_type: int
    #: the PDU's TLV, as the v2c codec reads it
    pdu: bytes


# -- the security object ---------------------------------------------------------------------------


class UsmSecurity:
    """SNMPv3 USM for one agent: discovery, clock, keys, wrap / unwrap of each message.

    ``where`` names the device in errors. Not thread-safe: one per session, like the socket.
    """

    def __init__(self, user: UsmUser, where: str) -> None:
        self.user = user
        self.where = where
        self.engine_id = b""
        self.boots = 0
        self._time = 0  # agent's snmpEngineTime at self._since
        self._since = time.monotonic()
        #: True once discovery (and for auth, time synchronisation) succeeded
        self.ready = False
        self._mac: Callable[[bytes], bytes] | None = None
        self._mac_len = AUTH_HASHES[user.auth_protocol][1] if user.auth_protocol != "none" else 0
        self._priv = PRIV_CIPHERS[user.priv_protocol][0] if user.priv_protocol != "none" else ""
        self._priv_key = b""
        #: the ciphers (checked by UsmUser: present whenever there is privacy)
        self._crypto: Any = crypto()
        self._ecb: Any = None  # see _block_ciphers
        self._ecb_back: Any = None
        self._pre_iv = b""
        self._salt = random.getrandbits(64)  # a salt must be unique, not secret
        self._user_bytes = user.user.encode()
        #: msgIDs this object sent (a Report is believed only for one of them)
        self._sent: set[int] = set()

    def __repr__(self) -> str:
        return f"UsmSecurity({self.user!r}, where={self.where!r})"

    # -- keys and clock ------------------------------------------------------------------------

    def _set_engine(self, engine_id: bytes) -> None:
        """Localise the keys to the agent's engine id."""
        if not engine_id or len(engine_id) > 32:
            raise BerError("the agent gave no usable engine id")
        self.engine_id = engine_id
        user = self.user
        if user.auth_protocol == "none":
            return
        hash_name, _length = AUTH_HASHES[user.auth_protocol]
        auth_key = localized_key(user.auth_key.encode(), engine_id, hash_name)
        template = hmac.new(auth_key, digestmod=hash_name)
        mac_len = self._mac_len

        def mac(data: bytes) -> bytes:
            h = template.copy()
            h.update(data)
            return h.digest()[:mac_len]

        self._mac = mac
        if self._priv:
            size = PRIV_CIPHERS[user.priv_protocol][1]
            self._priv_key = privacy_key(user.priv_key.encode(), engine_id, hash_name, size)
            self._block_ciphers()

    def _clock(self) -> tuple[int, int]:
        """(boots, time) the agent should have now (RFC 3414 §2.3: its clock, ours since)."""
        return self.boots, self._time + int(time.monotonic() - self._since)

    def _set_clock(self, boots: int, engine_time: int) -> None:
        self.boots = boots
        self._time = engine_time
        self._since = time.monotonic()

    # -- privacy -------------------------------------------------------------------------------

    def _block_ciphers(self) -> None:
        """One ECB context per direction for the whole session, from which CFB and CBC are
        built below: creating a cipher context per message cost about 100 µs of CPU in a live
        walk (cold caches between answers), more than the rest of opening an answer."""
        c = self._crypto
        key = self._priv_key
        if self._priv == "aes":
            self._ecb = c.cipher(c.aes(key), c.ecb()).encryptor()
            return
        des_key = key[:8] * 3 if self._priv == "des" else key[:24]  # DES = 3DES, key thrice
        self._ecb = c.cipher(c.triple_des(des_key), c.ecb()).encryptor()
        self._ecb_back = c.cipher(c.triple_des(des_key), c.ecb()).decryptor()
        self._pre_iv = key[8:16] if self._priv == "des" else key[24:32]

    def _encrypt(self, plain: bytes, boots: int, engine_time: int) -> tuple[bytes, bytes]:
        """(ciphertext, msgPrivacyParameters).

        AES-CFB128 (RFC 3826 §3.1.3: IV = boots ‖ time ‖ salt): C_i = P_i XOR E(C_i-1), C_0 the
        IV. DES / 3DES-CBC (RFC 3414 §8.1.1.1: salt = boots ‖ counter, IV = salt XOR the pre-IV,
        the last 8 octets of the key; zero padding): C_i = E(P_i XOR C_i-1). Requests are a few
        blocks, so block by block.
        """
        self._salt = (self._salt + 1) & 0xFFFFFFFFFFFFFFFF
        encrypt = self._ecb.update
        out = []
        if self._priv == "aes":
            salt = self._salt.to_bytes(8, "big")
            previous = struct.pack(">II", boots, engine_time) + salt
            for at in range(0, len(plain), 16):
                block = plain[at : at + 16]
                block = _xor(block, encrypt(previous)[: len(block)])  # the last may be short
                out.append(block)
                previous = block
            return b"".join(out), salt
        salt = struct.pack(">II", boots, self._salt & 0xFFFFFFFF)
        padded = plain + bytes(-len(plain) % 8)
        previous = _xor(salt, self._pre_iv)
        for at in range(0, len(padded), 8):
            previous = encrypt(_xor(padded[at : at + 8], previous))
            out.append(previous)
        return b"".join(out), salt

    def _decrypt(self, data: bytes, salt: bytes, boots: int, engine_time: int) -> bytes:
        """Whole answers at once: CFB decryption is P = C XOR E(IV ‖ C without its last
        block), CBC decryption P = D(C) XOR (IV ‖ C without its last block)."""
        if len(salt) != 8:
            raise BerError("an encrypted answer without an 8-octet salt")
        if self._priv == "aes":
            iv = struct.pack(">II", boots, engine_time) + salt
            cut = (len(data) - 1) // 16 * 16 if data else 0
            stream: bytes = self._ecb.update(iv + data[:cut])
            return _xor(data, stream[: len(data)])
        if not data or len(data) % 8:
            raise BerError("DES ciphertext is not a whole number of blocks")
        decrypted: bytes = self._ecb_back.update(data)
        return _xor(decrypted, _xor(salt, self._pre_iv) + data[:-8])

    # -- messages ------------------------------------------------------------------------------

    def message(self, msg_id: int, context: bytes, pdu: bytes, *, discovery: bool = False) -> bytes:
        """One v3 message carrying ``pdu`` (a whole PDU TLV) at this user's level (or, for
        ``discovery``, noAuthNoPriv with an empty engine id and user)."""
        if discovery:
            flags, engine_id, user, boots, engine_time = 0, b"", b"", 0, 0
        else:
            flags, engine_id, user = self.user.flags, self.engine_id, self._user_bytes
            boots, engine_time = self._clock()
        scoped = _tlv(SEQUENCE, _tlv(OCTET_STRING, engine_id) + _tlv(OCTET_STRING, context) + pdu)
        if flags & FLAG_PRIV:
            encrypted, salt = self._encrypt(scoped, boots, engine_time)
            msg_data = _tlv(OCTET_STRING, encrypted)
            priv_params = _tlv(OCTET_STRING, salt)
        else:
            msg_data = scoped
            priv_params = b"\x04\x00"
        mac_len = self._mac_len if flags & FLAG_AUTH else 0
        security = _tlv(
            SEQUENCE,
            _tlv(OCTET_STRING, engine_id)
            + encode_integer(boots)
            + encode_integer(engine_time)
            + _tlv(OCTET_STRING, user)
            + _tlv(OCTET_STRING, bytes(mac_len))
            + priv_params,
        )
        header = _tlv(
            SEQUENCE,
            encode_integer(msg_id)
            + encode_integer(MAX_SIZE)
            + bytes((OCTET_STRING, 1, flags | FLAG_REPORTABLE))
            + encode_integer(USM_MODEL),
        )
        whole = _tlv(SEQUENCE, b"\x02\x01\x03" + header + _tlv(OCTET_STRING, security) + msg_data)
        if mac_len:
            assert self._mac is not None  # set with the engine id
            at = len(whole) - len(msg_data) - len(priv_params) - mac_len
            whole = whole[:at] + self._mac(whole) + whole[at + mac_len :]
        if len(self._sent) > _SENT_LIMIT:
            self._sent.clear()
        self._sent.add(msg_id)
        return whole

    def wrap(self, packet: bytes) -> bytes:
        """The v3 message for a v2c message built by :mod:`~xsfabric.switch.snmp_ber`: its
        community is the context name, its request-id becomes the msgID too (so that a
        Report, which may not carry the PDU's request-id, still names the request)."""
        end = len(packet)
        _tag, pos, end = tlv_header(packet, 0, end)
        _tag, _start, pos = tlv_header(packet, pos, end)  # version
        start, stop = _octets_at(packet, pos, end)  # community: the context name
        context = packet[start:stop]
        pdu_tag, body, _pdu_end = tlv_header(packet, stop, end)
        if pdu_tag not in READ_PDUS:  # read-only, as encode_request is
            raise ValueError(f"PDU type 0x{pdu_tag:02x} is not a read request")
        request_id, _pos = _int_at(packet, body, end)
        return self.message(request_id, context, packet[stop:end])

    def open_message(self, data: bytes) -> Incoming:
        """Parse one v3 message, check its MAC, decrypt it; :class:`BerError` otherwise."""
        end = len(data)
        tag, pos, end = tlv_header(data, 0, end)
        if tag != SEQUENCE:
            raise BerError("not an SNMP message (no outer SEQUENCE)")
        version, pos = _int_at(data, pos, end)
        if version != 3:
            raise BerError(f"an SNMPv{version + 1 if version < 2 else 2} answer to a v3 request")
        tag, head, pos = tlv_header(data, pos, end)
        if tag != SEQUENCE:
            raise BerError("no msgGlobalData")
        msg_id, head = _int_at(data, head, pos)
        _max, head = _int_at(data, head, pos)
        start, stop = _octets_at(data, head, pos)
        if stop - start != 1:
            raise BerError("msgFlags is not one octet")
        flags = data[start]
        model, _head = _int_at(data, stop, pos)
        if model != USM_MODEL:
            raise BerError(f"security model {model} is not the USM")
        sec_start, sec_end = _octets_at(data, pos, end)
        tag, q, sec_end = tlv_header(data, sec_start, sec_end)
        if tag != SEQUENCE:
            raise BerError("no UsmSecurityParameters")
        start, q = _octets_at(data, q, sec_end)
        engine_id = data[start:q]
        boots, q = _int_at(data, q, sec_end)
        engine_time, q = _int_at(data, q, sec_end)
        start, q = _octets_at(data, q, sec_end)
        user = data[start:q]
        mac_start, mac_end = _octets_at(data, q, sec_end)
        start, q = _octets_at(data, mac_end, sec_end)
        salt = data[start:q]
        pos = tlv_header(data, pos, end)[2]  # past msgSecurityParameters
        if flags & FLAG_AUTH:
            if self._mac is None or engine_id != self.engine_id:
                raise BerError("an authenticated answer from an engine this session does not know")
            if user != self._user_bytes or mac_end - mac_start != self._mac_len:
                raise BerError("an authenticated answer for another user or protocol")
            zeroed = data[:mac_start] + bytes(self._mac_len) + data[mac_end:]
            if not hmac.compare_digest(self._mac(zeroed), data[mac_start:mac_end]):
                raise BerError("an answer whose MAC does not verify (tampered or garbled)")
        elif flags & FLAG_PRIV:
            raise BerError("privacy without authentication")
        tag, start, stop = tlv_header(data, pos, end)
        if flags & FLAG_PRIV:
            if tag != OCTET_STRING or not self._priv:
                raise BerError("an encrypted answer this session cannot decrypt")
            scoped = self._decrypt(data[start:stop], salt, boots, engine_time)
            tag, start, stop = tlv_header(scoped, 0, len(scoped))  # DES padding may follow
            if tag != SEQUENCE:
                raise BerError("an answer that does not decrypt (wrong priv key or protocol?)")
        else:
            scoped = data
            if tag != SEQUENCE:
                raise BerError("a plaintext answer without a ScopedPDU")
        _s, q = _octets_at(scoped, start, stop)  # contextEngineID
        name_start, q = _octets_at(scoped, q, stop)
        context = scoped[name_start:q]
        pdu_type, _body, pdu_end = tlv_header(scoped, q, stop)
        return Incoming(
            msg_id, flags, engine_id, boots, engine_time, user, context, pdu_type, scoped[q:pdu_end]
        )

    def unwrap(self, data: bytes) -> bytes:
        """A v2c-shaped message (community = context name) from one v3 answer.

        :class:`BerError` when it does not decode, verify or decrypt, or carries less
        security than asked for (the session drops it); :class:`WalkError` naming the device
        when it is a Report to one of this session's requests (unknown user, wrong digest …).
        """
        message = self.open_message(data)
        if message.pdu_type == REPORT:
            raise self._report_error(message)
        if message.pdu_type != RESPONSE:
            raise BerError(f"PDU type 0x{message.pdu_type:02x} is not a Response")
        wanted = self.user.flags
        if message.flags & wanted != wanted:
            raise BerError("an answer with less security than the request")
        if message.flags & FLAG_AUTH:
            self._set_clock(message.boots, message.time)  # authenticated, so trusted
        return _tlv(SEQUENCE, b"\x02\x01\x01" + _tlv(OCTET_STRING, message.context) + message.pdu)

    def _report_oid(self, message: Incoming) -> str:
        """The first varbind's OID of a Report PDU ("" when it has none)."""
        pdu = message.pdu
        _tag, pos, end = tlv_header(pdu, 0, len(pdu))
        for _field in range(3):
            _value, pos = _int_at(pdu, pos, end)
        tag, pos, end = tlv_header(pdu, pos, end)
        if tag != SEQUENCE or pos == end:
            return ""
        _tag, pos, vb_end = tlv_header(pdu, pos, end)
        tag, start, stop = tlv_header(pdu, pos, vb_end)
        return oid_text(pdu[start:stop]) if tag == 0x06 and start < stop else ""

    def _report_error(self, message: Incoming) -> Exception:
        if message.msg_id not in self._sent:
            return BerError("a Report to a request this session did not send")
        oid = self._report_oid(message)
        status, meaning = REPORTS.get(oid, (ERROR, f"report {oid or '(empty)'}"))
        return WalkError(
            status, f"SNMPv3 {meaning} at {self.where} (user {self.user.user!r}, Report {oid})"
        )

    # -- discovery and time synchronisation ----------------------------------------------------

    def handshake(
        self,
        sock: _socket.socket,
        context: bytes,
        timeout: float,
        retries: int,
        deadline: float | None,
    ) -> None:
        """Learn the agent's engine id (and for auth, its clock) on a connected socket.

        :class:`WalkError` when the agent refuses (``auth-failed`` for credentials) or stays
        silent (``timeout``), :class:`DeadlineError` when the device deadline passes.
        """
        probe_id = _random_id()
        probe = encode_request(GET, probe_id, [], community=b"")
        pdu = _pdu_of(probe)
        build = partial(self.message, probe_id, b"", pdu, discovery=True)
        answer = self._exchange(sock, build, probe_id, timeout, retries, deadline)
        try:
            found = self.open_message(answer)
        except BerError as exc:
            raise WalkError(
                ERROR, f"undecodable SNMPv3 discovery answer from {self.where}: {exc}"
            ) from None
        try:
            self._set_engine(found.engine_id)
        except BerError as exc:
            raise WalkError(ERROR, f"SNMPv3 discovery at {self.where}: {exc}") from None
        self._set_clock(found.boots, found.time)
        if not self.user.flags & FLAG_AUTH:
            self.ready = True
            return
        for attempt in (1, 2):
            probe_id = _random_id()
            pdu = _pdu_of(encode_request(GET, probe_id, [], community=context))
            build = partial(self.message, probe_id, context, pdu)
            try:
                answer = self._exchange(sock, build, probe_id, timeout, retries, deadline)
            except WalkError as exc:  # snmpsim, for one, ignores an unknown context
                raise WalkError(
                    ERROR,
                    f"{exc.message} to a request in context {context.decode(errors='replace')!r}"
                    f" as user {self.user.user!r}, though it answered SNMPv3 discovery "
                    "(an unknown context, or a security level this user does not have?)",
                ) from None
            try:
                message = self.open_message(answer)
            except BerError as exc:
                raise WalkError(
                    AUTH_FAILED if self._priv else ERROR,
                    f"SNMPv3 answer from {self.where} for user {self.user.user!r} "
                    f"cannot be used: {exc}",
                ) from None
            if message.pdu_type == REPORT:
                oid = self._report_oid(message)
                if oid == NOT_IN_TIME_WINDOWS and message.flags & FLAG_AUTH and attempt == 1:
                    self._set_clock(message.boots, message.time)
                    continue  # the Report carried the agent's clock: once more
                if oid == UNKNOWN_ENGINE_IDS and attempt == 1:
                    self._set_engine(message.engine_id)
                    self._set_clock(message.boots, message.time)
                    continue
                raise self._report_error(message)
            if message.flags & FLAG_AUTH:
                self._set_clock(message.boots, message.time)
            self.ready = True
            return
        raise WalkError(ERROR, f"SNMPv3 time synchronisation with {self.where} failed twice")

    def _exchange(
        self,
        sock: _socket.socket,
        build: Callable[[], bytes],
        msg_id: int,
        timeout: float,
        retries: int,
        deadline: float | None,
    ) -> bytes:
        """Send, wait for the answer with ``msg_id``, resend on timeout (``retries`` times)."""
        for _attempt in range(max(0, retries) + 1):
            packet = build()
            with contextlib.suppress(ConnectionRefusedError):
                sock.send(packet)
            expires = time.monotonic() + timeout
            while True:
                now = time.monotonic()
                if deadline is not None and now >= deadline:
                    raise DeadlineError(self.where)
                wake = min(expires, deadline) if deadline is not None else expires
                if now >= expires:
                    break
                sock.settimeout(max(wake - now, 0.0))
                try:
                    data = sock.recv(MAX_SIZE + 28)
                except (TimeoutError, ConnectionRefusedError):
                    continue
                if _msg_id(data) == msg_id:
                    return data
        wait = timeout * (max(0, retries) + 1)
        raise WalkError(TIMEOUT, f"no SNMPv3 response from {self.where} within {wait:g} s")


def _xor(a: bytes, b: bytes) -> bytes:
    """``a`` XOR ``b`` (same length), as two big integers: one C loop, not one per octet."""
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(len(a), "big")


def _random_id() -> int:
    return int.from_bytes(os.urandom(4), "big") & 0x3FFFFFFF | 0x1000


def _pdu_of(packet: bytes) -> bytes:
    """The PDU TLV of a v2c message built by :func:`encode_request`."""
    end = len(packet)
    _tag, pos, end = tlv_header(packet, 0, end)
    _tag, _start, pos = tlv_header(packet, pos, end)
    _tag, _start, pos = tlv_header(packet, pos, end)
    return packet[pos:end]


def _msg_id(data: bytes) -> int | None:
    """The msgID of a v3 message, None when it is not one."""
    try:
        end = len(data)
        _tag, pos, end = tlv_header(data, 0, end)
        _version, pos = _int_at(data, pos, end)
        _tag, head, _stop = tlv_header(data, pos, end)
        return _int_at(data, head, end)[0]
    except BerError:
        return None
