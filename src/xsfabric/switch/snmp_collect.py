"""SNMP collection: walk the MIB subtrees xsfabric reads and store them as snmpsim ``.snmprec``.

The collector only fetches and writes: every walked varbind becomes one ``OID|tag|value``
record (snmpsim's format, which the parser reads as it reads a user's ``snmpwalk -On`` text) in
``devices/<d>/snmpwalk.snmprec``; Cisco's per-VLAN BRIDGE-MIB instances (``community@VLAN`` for
v2c, context ``vlan-N`` for v3) go to ``snmpwalk@<vlan>.snmprec``. Values keep their type and
octets exactly (no net-snmp text to emulate and parse back); strings that are not one printable
line are hex (``4x``), after redaction. Parsing is :mod:`xsfabric.switch.snmp_parse`'s job.

pysnmp 7 is asyncio and an ``SnmpEngine`` belongs to the event loop it first ran on. The
orchestrator calls :func:`collect_snmp` from many worker threads at once, so all devices share
one event loop in one daemon thread, and engines live there: one for every v1/v2c device and one
per distinct v3 credential set (a USM user name may carry other keys on another device). Fifty
devices then cost one loop and one engine, not fifty.

Walks use numeric OIDs with ``lookupMib=False`` and ``lexicographicMode=False`` and are bounded:
pysnmp's bulk walk retries for ever after a timeout unless the caller stops, so the first error
ends a walk, and the whole device has a deadline (``CollectOptions.timeout``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from xsfabric.collect import CollectOptions
from xsfabric.errors import CollectionError
from xsfabric.inventory import InventoryHost
from xsfabric.platforms import vendor_of
from xsfabric.snapshot import DeviceStatus, SnapshotWriter
from xsfabric.switch.mib_cdp import CDP_COLUMNS, CDP_GLOBAL_RUN
from xsfabric.switch.mib_ip import ARP_COLUMNS
from xsfabric.switch.snmp_ber import (
    COUNTER32,
    COUNTER64,
    GAUGE32,
    INTEGER,
    IP_ADDRESS,
    NULL,
    OBJECT_IDENTIFIER,
    OCTET_STRING,
    OPAQUE,
    TIMETICKS,
    Varbind,
)
from xsfabric.switch.snmp_fast_collect import (
    DeadlineError,
    FastSession,
    WalkError,
    format_snmprec,
    snmprec_record,
)
from xsfabric.switch.snmp_usm import UsmSecurity, UsmUser, fast_path_problem

log = logging.getLogger(__name__)

T = TypeVar("T")

__all__ = ["collect_snmp", "format_snmprec", "from_pysnmp", "snmprec_record"]

WALK_FILE = "snmpwalk.snmprec"

# -- what to walk -----------------------------------------------------------------------------

SYSTEM = ("1.3.6.1.2.1.1.1", "1.3.6.1.2.1.1.2", "1.3.6.1.2.1.1.5")
IF_MIB = (
    "1.3.6.1.2.1.2.2.1.2",  # ifDescr
    "1.3.6.1.2.1.2.2.1.3",  # ifType (LAGs are ieee8023adLag)
    "1.3.6.1.2.1.2.2.1.6",  # ifPhysAddress
    "1.3.6.1.2.1.2.2.1.7",  # ifAdminStatus
    "1.3.6.1.2.1.2.2.1.8",  # ifOperStatus
    "1.3.6.1.2.1.31.1.1.1.1",  # ifName
    "1.3.6.1.2.1.31.1.1.1.15",  # ifHighSpeed
    "1.3.6.1.2.1.31.1.1.1.18",  # ifAlias
    "1.3.6.1.2.1.31.1.2.1.3",  # ifStackStatus (LAG members)
)
BRIDGE_MIB = (
    "1.3.6.1.2.1.17.1.4.1.2",  # dot1dBasePortIfIndex
    "1.3.6.1.2.1.17.4.3.1",  # dot1dTpFdbAddress / Port / Status
)
Q_BRIDGE_MIB = (
    "1.3.6.1.2.1.17.7.1.2.2.1.2",  # dot1qTpFdbPort
    "1.3.6.1.2.1.17.7.1.2.2.1.3",  # dot1qTpFdbStatus
    "1.3.6.1.2.1.17.7.1.4.2.1.3",  # dot1qVlanFdbId
    "1.3.6.1.2.1.17.7.1.4.2.1.4",  # dot1qVlanCurrentEgressPorts
    "1.3.6.1.2.1.17.7.1.4.2.1.5",  # dot1qVlanCurrentUntaggedPorts
    "1.3.6.1.2.1.17.7.1.4.3.1.1",  # dot1qVlanStaticName
    "1.3.6.1.2.1.17.7.1.4.3.1.2",  # dot1qVlanStaticEgressPorts
    "1.3.6.1.2.1.17.7.1.4.3.1.4",  # dot1qVlanStaticUntaggedPorts
    "1.3.6.1.2.1.17.7.1.4.5.1.1",  # dot1qPvid
)
LLDP_MIB = (
    "1.0.8802.1.1.2.1.3.7",  # lldpLocPortTable
    "1.0.8802.1.1.2.1.4.1",  # lldpRemTable
    "1.0.8802.1.1.2.1.4.2",  # lldpRemManAddrTable
)
LLDP_V2_MIB = (
    "1.3.111.2.802.1.1.13.1.3.7",  # lldpV2LocPortTable
    "1.3.111.2.802.1.1.13.1.4.1",  # lldpV2RemTable
    "1.3.111.2.802.1.1.13.1.4.2",  # lldpV2RemManAddrTable
)
CISCO = (
    "1.3.6.1.4.1.9.9.46.1.3.1.1.2",  # vtpVlanState
    "1.3.6.1.4.1.9.9.46.1.3.1.1.4",  # vtpVlanName
    "1.3.6.1.4.1.9.9.46.1.6.1.1.4",  # vlanTrunkPortVlansEnabled (0-1023)
    "1.3.6.1.4.1.9.9.46.1.6.1.1.5",  # vlanTrunkPortNativeVlan
    "1.3.6.1.4.1.9.9.46.1.6.1.1.14",  # vlanTrunkPortDynamicStatus
    "1.3.6.1.4.1.9.9.46.1.6.1.1.17",  # vlanTrunkPortVlansEnabled2k
    "1.3.6.1.4.1.9.9.46.1.6.1.1.18",  # vlanTrunkPortVlansEnabled3k
    "1.3.6.1.4.1.9.9.46.1.6.1.1.19",  # vlanTrunkPortVlansEnabled4k
    "1.3.6.1.4.1.9.9.68.1.2.2.1.2",  # vmVlan
)
ENTITY_CLASS = "1.3.6.1.2.1.47.1.1.1.1.5"  # entPhysicalClass: find the chassis
#: entPhysicalSoftwareRev, SerialNum, ModelName: fetched for the first chassis only.
ENTITY_CHASSIS = (
    "1.3.6.1.2.1.47.1.1.1.1.10",
    "1.3.6.1.2.1.47.1.1.1.1.11",
    "1.3.6.1.2.1.47.1.1.1.1.13",
)
JUNIPER = ("1.3.6.1.4.1.2636.3.48.1.3.1.1",)  # jnxL2aldVlanEntry: name, tag, type, FDB id
PER_VLAN = BRIDGE_MIB  # what one Cisco per-VLAN bridge instance is asked for

VTP_VLAN_STATE = "1.3.6.1.4.1.9.9.46.1.3.1.1.2"
DOT1Q_TP_FDB_PORT = "1.3.6.1.2.1.17.7.1.2.2.1.2"
#: Cisco's default FDDI / Token Ring VLANs have no bridge instance to walk.
CISCO_NON_ETHERNET_VLANS = frozenset({1002, 1003, 1004, 1005})

# -- snmpsim ``.snmprec`` records ----------------------------------------------------------------

#: pysnmp value class → BER tag (the number snmpsim writes as the ``.snmprec`` type).
PYSNMP_TAGS = {
    "Integer": INTEGER,
    "Integer32": INTEGER,
    "OctetString": OCTET_STRING,
    "Bits": OCTET_STRING,
    "Null": NULL,
    "ObjectIdentifier": OBJECT_IDENTIFIER,
    "ObjectName": OBJECT_IDENTIFIER,
    "IpAddress": IP_ADDRESS,
    "Counter32": COUNTER32,
    "Gauge32": GAUGE32,
    "Unsigned32": GAUGE32,
    "TimeTicks": TIMETICKS,
    "Opaque": OPAQUE,
    "Counter64": COUNTER64,
}
_OCTET_TAGS = frozenset({OCTET_STRING, OPAQUE})


def from_pysnmp(oid: str, value: Any) -> Varbind:
    """A pysnmp varbind as the fast path returns one: ``(oid, BER tag, value)`` with ``bytes``
    for strings and addresses, ``int`` for numbers, dotted ``str`` for OIDs, None for NULL.

    >>> from pysnmp.proto import rfc1902
    >>> from_pysnmp("1.3.6.1.2.1.1.5.0", rfc1902.OctetString(b"sw1"))
    ('1.3.6.1.2.1.1.5.0', 4, b'sw1')
    >>> from_pysnmp("1.3.6.1.2.1.1.3.0", rfc1902.TimeTicks(8640001))
    ('1.3.6.1.2.1.1.3.0', 67, 8640001)
    """
    kind = type(value).__name__
    tag = PYSNMP_TAGS.get(kind)
    if tag is None:  # a type neither path knows: keep its text, as an OCTET STRING
        return oid, OCTET_STRING, str(value).encode()
    if tag in _OCTET_TAGS or tag == IP_ADDRESS:
        return oid, tag, bytes(value.asOctets())
    if tag == OBJECT_IDENTIFIER:
        return oid, tag, ".".join(str(x) for x in value)
    if tag == NULL:
        return oid, tag, None
    return oid, tag, int(value)


# -- one event loop for every device ------------------------------------------------------------


class _LoopThread:
    """A daemon thread running the asyncio loop that all SNMP work shares."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.engines: dict[tuple[str, ...], Any] = {}
        thread = threading.Thread(target=self.loop.run_forever, name="xsfabric-snmp", daemon=True)
        thread.start()

    def run(self, coro_factory: Callable[[], Awaitable[T]], timeout: float) -> T:
        async def wrapped() -> T:
            return await asyncio.wait_for(coro_factory(), timeout)

        future = asyncio.run_coroutine_threadsafe(wrapped(), self.loop)
        try:
            return future.result(timeout + 5)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise TimeoutError from None

    def engine(self, key: tuple[str, ...]) -> Any:
        """The engine for a credential key; called on the loop thread only."""
        from pysnmp.hlapi.v3arch.asyncio import SnmpEngine

        engine = self.engines.get(key)
        if engine is None:
            engine = self.engines[key] = SnmpEngine()
        return engine


_runner: _LoopThread | None = None
_runner_lock = threading.Lock()


def _shared_loop() -> _LoopThread:
    global _runner  # noqa: PLW0603 - one loop per process is the point
    with _runner_lock:
        if _runner is None:
            _runner = _LoopThread()
        return _runner


# -- credentials --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SnmpSettings:
    """``host.data["snmp"]`` checked and with defaults."""

    version: str  # "1", "2c" or "3"
    port: int
    community: str | None
    user: str | None
    auth_protocol: str | None
    auth_key: str | None
    priv_protocol: str | None
    priv_key: str | None
    context: str
    timeout: float
    retries: int
    max_repetitions: int
    client: str = "auto"  # "auto", "fast" or "pysnmp": see choose_client

    @classmethod
    def from_host(cls, host: InventoryHost) -> SnmpSettings:
        raw = host.data.get("snmp")
        snmp: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        version = str(snmp.get("version", "2c")).lower().removeprefix("v")
        if version not in ("1", "2c", "3"):
            raise CollectionError(
                host.name, "error", f"snmp.version {version!r} is not one of 1, 2c, 3"
            )
        settings = cls(
            version=version,
            port=int(snmp.get("port", 161)),
            community=_opt(snmp.get("community")),
            user=_opt(snmp.get("user")),
            auth_protocol=_opt(snmp.get("auth_protocol")),
            auth_key=_opt(snmp.get("auth_key")),
            priv_protocol=_opt(snmp.get("priv_protocol")),
            priv_key=_opt(snmp.get("priv_key")),
            context=str(snmp.get("context") or ""),
            timeout=float(snmp.get("timeout", 2.0)),
            retries=int(snmp.get("retries", 1)),
            max_repetitions=int(snmp.get("max_repetitions", 50)),
            client=str(snmp.get("client") or "auto").lower(),
        )
        if version != "3" and not settings.community:
            raise CollectionError(host.name, "error", "snmp.community is not set")
        if version == "3" and not settings.user:
            raise CollectionError(host.name, "error", "snmp.user is not set (SNMPv3)")
        return settings

    def engine_key(self) -> tuple[str, ...]:
        if self.version != "3":
            return ("community",)
        return (
            "usm",
            self.user or "",
            self.auth_protocol or "",
            self.auth_key or "",
            self.priv_protocol or "",
            self.priv_key or "",
        )


def _opt(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


AUTH_PROTOCOLS = {
    "md5": "usmHMACMD5AuthProtocol",
    "sha": "usmHMACSHAAuthProtocol",
    "sha1": "usmHMACSHAAuthProtocol",
    "sha224": "usmHMAC128SHA224AuthProtocol",
    "sha256": "usmHMAC192SHA256AuthProtocol",
    "sha384": "usmHMAC256SHA384AuthProtocol",
    "sha512": "usmHMAC384SHA512AuthProtocol",
    "none": "usmNoAuthProtocol",
}
PRIV_PROTOCOLS = {
    "des": "usmDESPrivProtocol",
    "3des": "usm3DESEDEPrivProtocol",
    "aes": "usmAesCfb128Protocol",
    "aes128": "usmAesCfb128Protocol",
    "aes192": "usmAesCfb192Protocol",
    "aes256": "usmAesCfb256Protocol",
    "none": "usmNoPrivProtocol",
}


def usm_protocols(device: str, settings: SnmpSettings) -> tuple[str, str]:
    """The v3 auth and priv protocol names (keys of AUTH_PROTOCOLS / PRIV_PROTOCOLS, lower
    case) with their defaults: ``sha`` when there is an auth key, no privacy without a priv
    key. Both clients use this, so that they agree on what a setting means."""
    names = []
    for given, table, what in (
        (settings.auth_protocol, AUTH_PROTOCOLS, "auth_protocol"),
        (settings.priv_protocol, PRIV_PROTOCOLS, "priv_protocol"),
    ):
        key = given or (
            "none"
            if what == "priv_protocol" and not settings.priv_key
            else "sha"
            if what == "auth_protocol" and settings.auth_key
            else "none"
        )
        if key.lower() not in table:
            raise CollectionError(
                device, "error", f"snmp.{what} {given!r} is not one of {', '.join(sorted(table))}"
            )
        names.append(key.lower())
    return names[0], names[1]


def _auth_data(device: str, settings: SnmpSettings, vlan: int | None) -> Any:
    from pysnmp.hlapi.v3arch import asyncio as hlapi

    if settings.version != "3":
        community = settings.community or ""
        if vlan is not None:
            community = f"{community}@{vlan}"
        return hlapi.CommunityData(community, mpModel=0 if settings.version == "1" else 1)
    auth, priv = usm_protocols(device, settings)
    names = [getattr(hlapi, AUTH_PROTOCOLS[auth]), getattr(hlapi, PRIV_PROTOCOLS[priv])]
    return hlapi.UsmUserData(
        settings.user,
        settings.auth_key,
        settings.priv_key,
        authProtocol=names[0],
        privProtocol=names[1],
    )


# -- walking with pysnmp -----------------------------------------------------------------------


def _classify(indication: Any) -> str:
    from pysnmp.proto import errind

    if isinstance(indication, errind.RequestTimedOut):
        return DeviceStatus.TIMEOUT.value
    auth = (
        errind.UnknownUserName,
        errind.WrongDigest,
        errind.DecryptionError,
        errind.UnknownSecurityName,
        errind.UnsupportedSecurityLevel,
        errind.AuthenticationFailure,
        errind.AuthenticationError,
    )
    if isinstance(indication, auth):
        return DeviceStatus.AUTH_FAILED.value
    return DeviceStatus.ERROR.value


def _within(oid: tuple[int, ...], prefix: tuple[int, ...]) -> bool:
    return oid[: len(prefix)] == prefix


_EXCEPTION_KINDS = frozenset({"NoSuchObject", "NoSuchInstance", "EndOfMibView"})


async def _walk(
    engine: Any, auth: Any, target: Any, context: Any, prefix: str, max_repetitions: int
) -> list[Varbind]:
    """One subtree with GETBULK; stops at the first error (pysnmp would retry for ever)."""
    from pysnmp.hlapi.v3arch import asyncio as hlapi

    root = tuple(int(x) for x in prefix.split("."))
    rows: list[Varbind] = []
    walker = hlapi.bulk_walk_cmd(
        engine,
        auth,
        target,
        context,
        0,
        max_repetitions,
        hlapi.ObjectType(hlapi.ObjectIdentity(prefix)),
        lookupMib=False,
        lexicographicMode=False,
    )
    try:
        async for indication, status, _index, varbinds in walker:
            if indication:
                raise WalkError(_classify(indication), str(indication))
            if status:
                break  # e.g. noSuchName from a v1 agent at the end of a table
            for varbind in varbinds:
                oid = tuple(varbind[0])
                value = varbind[1]
                if type(value).__name__ in _EXCEPTION_KINDS:
                    continue
                if not _within(oid, root):
                    return rows
                rows.append(from_pysnmp(".".join(str(x) for x in oid), value))
    finally:
        await walker.aclose()
    return rows


async def _walk_all(
    engine: Any,
    auth: Any,
    target: Any,
    context: Any,
    prefixes: tuple[str, ...],
    max_repetitions: int,
    parallel: int = 4,
) -> list[Varbind]:
    """Walk several subtrees, a few at a time; results in the order of ``prefixes``."""
    gate = asyncio.Semaphore(parallel)

    async def one(prefix: str) -> list[Varbind]:
        async with gate:
            return await _walk(engine, auth, target, context, prefix, max_repetitions)

    parts = await asyncio.gather(*(one(p) for p in prefixes))
    return [row for part in parts for row in part]


# -- the two clients ----------------------------------------------------------------------------

#: ``snmp.client`` / ``--snmp-client`` values.
CLIENTS = ("auto", "fast", "pysnmp")


def choose_client(settings: SnmpSettings, override: str | None = None) -> str:
    """``"fast"`` or ``"pysnmp"`` for one device.

    The rule: ``override`` (``collect --snmp-client``) wins over the inventory's
    ``snmp.client``; ``auto`` (the default) means the fast path for SNMP v2c and v3 (USM,
    :mod:`xsfabric.switch.snmp_usm`) and pysnmp for v1, and for a v3 protocol the fast path
    cannot do (:func:`~xsfabric.switch.snmp_usm.fast_path_problem`). Asking for ``fast``
    with v1 or such a protocol is an error rather than a silent switch. Under ``auto``, a
    device whose answers the fast path cannot use (an ``error`` status: undecodable answers,
    OIDs out of order) is walked again with pysnmp (:func:`collect_snmp`).
    """
    wanted = (override or settings.client or "auto").lower()
    if wanted not in CLIENTS:
        raise CollectionError(
            "snmp", "error", f"snmp.client {wanted!r} is not one of {', '.join(CLIENTS)}"
        )
    problem = None
    if settings.version == "1":
        problem = "the fast SNMP client speaks v2c and v3, not v1"
    elif settings.version == "3":
        problem = fast_path_problem(*usm_protocols("snmp", settings))
    if wanted == "auto":
        return "fast" if problem is None else "pysnmp"
    if wanted == "fast" and problem is not None:
        raise CollectionError("snmp", "error", f"{problem} (use snmp.client pysnmp or auto)")
    return wanted


class _Client(Protocol):
    """What the collection flow needs from an SNMP client (``vlan``: Cisco's per-VLAN
    bridge instance, community ``community@VLAN`` or v3 context ``vlan-N``)."""

    def walk_all(self, prefixes: tuple[str, ...], vlan: int | None = None) -> list[Varbind]: ...

    def get(self, oids: list[str]) -> list[Varbind]: ...

    def close(self) -> None: ...


class _FastClient:
    """The fast path (:mod:`xsfabric.switch.snmp_fast_collect`), in the calling thread."""

    def __init__(self, host: InventoryHost, settings: SnmpSettings, deadline: float) -> None:
        self.community = settings.community or ""
        self.v3 = settings.version == "3"
        security = None
        if self.v3:  # the context name takes the community's place (see snmp_usm)
            self.community = settings.context
            auth, priv = usm_protocols(host.name, settings)
            try:
                user = UsmUser(
                    settings.user or "",
                    auth,
                    settings.auth_key or "",
                    priv,
                    settings.priv_key or "",
                )
            except ValueError as exc:
                raise CollectionError(host.name, DeviceStatus.ERROR.value, str(exc)) from None
            security = UsmSecurity(user, f"{host.hostname}:{settings.port}")
        try:
            self.session = FastSession(
                host.hostname,
                settings.port,
                self.community,
                timeout=settings.timeout,
                retries=settings.retries,
                max_repetitions=settings.max_repetitions,
                deadline=deadline,
                security=security,
            )
        except OSError as exc:
            raise CollectionError(
                host.name,
                DeviceStatus.UNREACHABLE.value,
                f"cannot resolve or reach {host.hostname}: {exc}",
            ) from None

    def walk_all(self, prefixes: tuple[str, ...], vlan: int | None = None) -> list[Varbind]:
        if vlan is None:
            community = self.community
        else:
            community = f"vlan-{vlan}" if self.v3 else f"{self.community}@{vlan}"
        return self.session.walk_all(prefixes, community)

    def get(self, oids: list[str]) -> list[Varbind]:
        return self.session.get(oids)

    def close(self) -> None:
        self.session.close()


class _PysnmpClient:
    """pysnmp 7 on the shared event loop; every call bounded by the device deadline."""

    def __init__(self, host: InventoryHost, settings: SnmpSettings, deadline: float) -> None:
        from pysnmp.error import PySnmpError
        from pysnmp.hlapi.v3arch import asyncio as hlapi

        self.host = host
        self.settings = settings
        self.deadline = deadline
        self.loop = _shared_loop()

        async def make_target() -> Any:
            return await hlapi.UdpTransportTarget.create(
                (host.hostname, settings.port), timeout=settings.timeout, retries=settings.retries
            )

        try:
            self.target = self._run(make_target)
        except PySnmpError as exc:
            raise CollectionError(
                host.name,
                DeviceStatus.UNREACHABLE.value,
                f"cannot resolve or reach {host.hostname}: {exc}",
            ) from None

    def _run(self, coro_factory: Callable[[], Awaitable[T]]) -> T:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise DeadlineError(self.host.hostname)
        try:
            return self.loop.run(coro_factory, left)
        except TimeoutError:
            raise DeadlineError(self.host.hostname) from None

    def walk_all(self, prefixes: tuple[str, ...], vlan: int | None = None) -> list[Varbind]:
        from pysnmp.hlapi.v3arch import asyncio as hlapi

        settings = self.settings
        auth = _auth_data(self.host.name, settings, vlan)
        context = hlapi.ContextData(
            contextName=f"vlan-{vlan}"
            if vlan is not None and settings.version == "3"
            else settings.context
        )
        loop = self.loop

        async def walk() -> list[Varbind]:
            engine = loop.engine(settings.engine_key())
            return await _walk_all(
                engine, auth, self.target, context, prefixes, settings.max_repetitions
            )

        return self._run(walk)

    def get(self, oids: list[str]) -> list[Varbind]:
        from pysnmp.hlapi.v3arch import asyncio as hlapi

        settings = self.settings
        auth = _auth_data(self.host.name, settings, None)
        context = hlapi.ContextData(contextName=settings.context)
        loop = self.loop

        async def get() -> list[Varbind]:
            engine = loop.engine(settings.engine_key())
            wanted = [hlapi.ObjectType(hlapi.ObjectIdentity(oid)) for oid in oids]
            indication, status, _index, varbinds = await hlapi.get_cmd(
                engine, auth, self.target, context, *wanted, lookupMib=False
            )
            if indication:
                raise WalkError(_classify(indication), str(indication))
            if status:
                return []
            return [
                from_pysnmp(".".join(str(x) for x in vb[0]), vb[1])
                for vb in varbinds
                if type(vb[1]).__name__ not in _EXCEPTION_KINDS
            ]

        return self._run(get)

    def close(self) -> None:
        """The engine and the loop are shared; nothing of this device's stays open."""


# -- one device ---------------------------------------------------------------------------------


@dataclass(slots=True)
class WalkResult:
    base: list[Varbind]
    per_vlan: dict[int, list[Varbind]]
    vendor: str
    failed_vlans: dict[int, str]
    client: str = "pysnmp"


def _value_text(rows: list[Varbind], oid: str) -> str | None:
    for row_oid, _tag, value in rows:
        if row_oid == oid:
            if isinstance(value, bytes):
                return value.decode("utf-8", errors="replace")
            return None if value is None else str(value)
    return None


def _collect(host: InventoryHost, client: _Client) -> WalkResult:
    """The walks of one device: system first (to know the vendor), then the MIB columns the
    parsers read, the chassis GET, and Cisco's per-VLAN bridge instances when the agent has no
    Q-BRIDGE FDB."""
    system = client.walk_all(SYSTEM)
    vendor = vendor_of(
        host.platform,
        _value_text(system, "1.3.6.1.2.1.1.2.0"),
        _value_text(system, "1.3.6.1.2.1.1.1.0"),
    )
    prefixes: tuple[str, ...] = (
        ENTITY_CLASS,
        *IF_MIB,
        *BRIDGE_MIB,
        *Q_BRIDGE_MIB,
        *LLDP_MIB,
        *LLDP_V2_MIB,
    )
    prefixes += ARP_COLUMNS
    if vendor == "cisco":
        prefixes += CISCO
        prefixes += (*CDP_COLUMNS, CDP_GLOBAL_RUN)
    if vendor == "juniper":
        prefixes += JUNIPER
    base = system + client.walk_all(prefixes)
    base += _chassis(client, base)
    per_vlan: dict[int, list[Varbind]] = {}
    failed: dict[int, str] = {}
    has_qbridge_fdb = any(oid.startswith(DOT1Q_TP_FDB_PORT + ".") for oid, _t, _v in base)
    if vendor == "cisco" and not has_qbridge_fdb:
        for vlan in _vtp_vlans(base):
            try:
                per_vlan[vlan] = client.walk_all(PER_VLAN, vlan)
            except WalkError as exc:
                failed[vlan] = exc.message
    return WalkResult(base, per_vlan, vendor, failed)


def _chassis(client: _Client, rows: list[Varbind]) -> list[Varbind]:
    """Model, serial and software of the first chassis (entPhysicalClass 3) with one GET,
    rather than walking three ENTITY-MIB columns of hundreds of rows."""
    chassis = [
        oid.rsplit(".", 1)[1]
        for oid, _tag, value in rows
        if oid.startswith(ENTITY_CLASS + ".") and value == 3
    ]
    if not chassis:
        return []
    return client.get([f"{column}.{chassis[0]}" for column in ENTITY_CHASSIS])


def _vtp_vlans(rows: list[Varbind]) -> list[int]:
    """VLAN ids from vtpVlanState (index managementDomain.vlanId), operational ones only."""
    vlans = []
    for oid, _tag, value in rows:
        if oid.startswith(VTP_VLAN_STATE + "."):
            vlan = int(oid.rsplit(".", 1)[1])
            if value == 1 and vlan not in CISCO_NON_ETHERNET_VLANS:
                vlans.append(vlan)
    return sorted(set(vlans))


def _explain(host: InventoryHost, settings: SnmpSettings, exc: WalkError) -> str:
    where = f"{host.hostname}:{settings.port}"
    if exc.status == DeviceStatus.TIMEOUT.value:
        wait = settings.timeout * (settings.retries + 1)
        if settings.version == "3":
            return f"no SNMPv3 response from {where} within {wait:g} s"
        return (
            f"no SNMP response from {where} within {wait:g} s (SNMPv{settings.version}: "
            "a wrong community looks exactly like a timeout, the agent stays silent; "
            "check the community as well as reachability)"
        )
    if exc.status == DeviceStatus.AUTH_FAILED.value:
        return f"SNMPv3 authentication to {where} failed for user {settings.user}: {exc.message}"
    return f"SNMP error from {where}: {exc.message}"


def walk_device(
    host: InventoryHost, settings: SnmpSettings, client_name: str, timeout: float
) -> WalkResult:
    """Every walk of one device with the named client (``"fast"`` or ``"pysnmp"``) within
    ``timeout`` seconds; :class:`CollectionError` when the device gave nothing."""
    deadline = time.monotonic() + timeout
    client: _Client = (
        _FastClient(host, settings, deadline)
        if client_name == "fast"
        else _PysnmpClient(host, settings, deadline)
    )
    try:
        result = _collect(host, client)
    except DeadlineError:
        raise CollectionError(
            host.name,
            DeviceStatus.TIMEOUT.value,
            f"SNMP walk of {host.hostname}:{settings.port} did not finish within {timeout:g} s",
        ) from None
    except WalkError as exc:
        raise CollectionError(host.name, exc.status, _explain(host, settings, exc)) from None
    finally:
        client.close()
    result.client = client_name
    return result


def collect_snmp(host: InventoryHost, writer: SnapshotWriter, options: CollectOptions) -> None:
    """Walk one device and write ``snmpwalk.snmprec`` (+ ``snmpwalk@<vlan>.snmprec``) through
    the writer.

    Raises :class:`CollectionError` when the device gave nothing; marks it partial when some
    per-VLAN walks failed.
    """
    settings = SnmpSettings.from_host(host)
    try:
        client_name = choose_client(settings, options.snmp_client)
    except CollectionError as exc:
        raise CollectionError(host.name, exc.status, exc.message) from None
    automatic = (options.snmp_client or settings.client or "auto").lower() == "auto"
    started = time.monotonic()
    try:
        result = walk_device(host, settings, client_name, options.timeout)
    except CollectionError as exc:
        # An agent the fast path cannot read (answers it cannot decode, OIDs out of order) is
        # walked again with pysnmp when the choice was automatic; silence and deadlines are
        # not the client's fault and would only cost the same time twice.
        left = options.timeout - (time.monotonic() - started)
        if not (automatic and client_name == "fast" and exc.status == "error" and left > 0):
            raise
        log.warning(
            "Host %r: the fast SNMP client failed (%s); walking it again with pysnmp",
            host.name,
            exc.message,
        )
        result = walk_device(host, settings, "pysnmp", left)
    folder = f"devices/{host.name}"
    redact = writer.redactor.text
    writer.write_text(host.name, f"{folder}/{WALK_FILE}", format_snmprec(result.base, redact))
    for vlan, rows in sorted(result.per_vlan.items()):
        writer.write_text(
            host.name, f"{folder}/snmpwalk@{vlan}.snmprec", format_snmprec(rows, redact)
        )
    if result.failed_vlans:
        vlans = ", ".join(str(v) for v in sorted(result.failed_vlans))
        how = "contexts vlan-N" if settings.version == "3" else "communities community@VLAN"
        writer.mark(
            host.name,
            DeviceStatus.PARTIAL,
            f"SNMP per-VLAN bridge walks failed for VLANs {vlans} ({how}); "
            "their FDB rows are missing",
        )
    log.debug(
        "Host %r: SNMP walk done (%s client, %d varbinds, vendor %s, %d VLAN instances)",
        host.name,
        result.client,
        len(result.base),
        result.vendor,
        len(result.per_vlan),
    )
