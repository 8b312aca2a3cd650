"""Live collection of one XenServer pool through the XenAPI SDK.

The collector only fetches: it logs in to the pool master, calls ``get_all_records`` for each
class in :data:`~xsfabric.xapi.records.COLLECTED_CLASSES`, resolves the host names used as SR
targets (analysis does no I/O, so the answers must be stored now), logs out, and hands the
records to :meth:`SnapshotWriter.write_pool_records`, which redacts them. It never calls
anything on ``secret``.

TLS is verified by default. The SDK has no CA-file option, so a pool's self-signed
certificate is pinned by giving the SDK an ``xmlrpc.client.SafeTransport`` whose SSL context
trusts ``data.ca_file``; ``data.verify_tls: false`` turns verification off, with a warning.
The same transport carries the socket timeout that bounds every call.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import ipaddress
import logging
import socket
import ssl
import threading
import time
import urllib.parse
import xmlrpc.client
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from xml.parsers.expat import ExpatError

import XenAPI

from xsfabric import __version__
from xsfabric.collect import CollectOptions, register_transport
from xsfabric.errors import CollectionError
from xsfabric.inventory import InventoryHost
from xsfabric.snapshot import DeviceStatus, SnapshotWriter, utc_now
from xsfabric.xapi.records import COLLECTED_CLASSES, PoolRecords, Records

log = logging.getLogger(__name__)

DEFAULT_PORT = 443
ORIGINATOR = f"xsfabric/{__version__}"
#: The API version string the SDK's own examples send; xapi accepts any.
LOGIN_API_VERSION = "1.0"

_UNREACHABLE_ERRNOS = frozenset(
    {
        errno.ECONNREFUSED,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
        errno.EHOSTDOWN,
        errno.ENETDOWN,
        errno.EADDRNOTAVAIL,
    }
)


class _TimeoutTransport(xmlrpc.client.SafeTransport):
    """HTTPS transport with a socket timeout: every connect, send and read is bounded."""

    def __init__(self, context: ssl.SSLContext, timeout: float) -> None:
        super().__init__(context=context)
        self.timeout = timeout

    def make_connection(self, host: Any) -> http.client.HTTPSConnection:
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection

    def abort(self) -> None:
        """Called from another thread when the device's budget ran out: shut the socket
        down so a read blocked on a server that dribbles bytes fails now."""
        connection = self._connection[1] if self._connection else None
        sock = getattr(connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


@dataclass(frozen=True, slots=True)
class _Target:
    """Where to log in; ``url`` is what messages name (it never carries credentials)."""

    address: str
    port: int

    @property
    def url(self) -> str:
        host = self.address
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"  # IPv6 literal
        return f"https://{host}:{self.port}/"


def target_of(hostname: str, port: int | None) -> _Target:
    """Where an inventory hostname points: a name or address, or a URL such as
    ``https://xs1.example:8443/`` (as XenCenter and scripts write them). Only HTTPS is used:
    an ``http://`` URL still connects over TLS.

    >>> target_of("xs1.example", None).url
    'https://xs1.example:443/'
    >>> target_of("https://[fd00::5]:8443/", None).url
    'https://[fd00::5]:8443/'
    >>> target_of("http://10.0.0.5", 443).url
    'https://10.0.0.5:443/'
    """
    text = hostname.strip()
    if "://" in text:
        parsed = urllib.parse.urlsplit(text)
        return _Target(parsed.hostname or text, port or parsed.port or DEFAULT_PORT)
    return _Target(text, port or DEFAULT_PORT)


class _HostIsSlaveError(Exception):
    def __init__(self, master: str) -> None:
        super().__init__(master)
        self.master = master


def collect_pool(host: InventoryHost, writer: SnapshotWriter, options: CollectOptions) -> None:
    """Collect one pool into ``xenserver/<host.name>.json``; raise :class:`CollectionError`
    with the manifest status when the pool could not be collected."""
    context = ssl_context(host)
    first = target_of(host.hostname, host.port)
    try:
        records = _collect_records(host, first, context, options.timeout)
    except _HostIsSlaveError as redirect:
        master = _Target(redirect.master, first.port)
        log.info(
            "Host %r: %s is a pool member; following the master at %s",
            host.name,
            first.address,
            master.address,
        )
        try:
            records = _collect_records(host, master, context, options.timeout)
        except _HostIsSlaveError as again:
            raise CollectionError(
                host.name,
                DeviceStatus.ERROR,
                f"HOST_IS_SLAVE loop: {first.address} named {master.address} as the pool "
                f"master, and {master.address} named {again.master}; check the pool's "
                "master (xe pool-list) and the inventory hostname",
            ) from None
    skipped = [cls for cls, rows in records.items() if rows is None]
    tables: Records = {cls: rows or {} for cls, rows in records.items()}
    resolved = resolve_names(sr_target_names(tables.get("PBD", {})), options.timeout)
    writer.write_pool_records(
        host.name, PoolRecords(tables, source="xenapi", collected_at=utc_now(), resolved=resolved)
    )
    if skipped:
        writer.mark(
            host.name,
            DeviceStatus.PARTIAL,
            f"this xapi does not know the classes {', '.join(skipped)}",
        )


def ssl_context(host: InventoryHost) -> ssl.SSLContext:
    """The verified TLS context of an HTTPS device API (XAPI here, eAPI/NX-API for NAPALM)."""
    if not host.verify_tls:
        log.warning(
            "Host %r: TLS verification is off (data.verify_tls: false); the pool's "
            "identity is not checked. Pin its certificate with data.ca_file instead.",
            host.name,
        )
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    ca_file = host.ca_file
    if ca_file is None:
        return ssl.create_default_context()
    if not ca_file.is_file():
        raise CollectionError(
            host.name, DeviceStatus.ERROR, f"data.ca_file {ca_file} does not exist"
        )
    try:
        return ssl.create_default_context(cafile=str(ca_file))
    except (ssl.SSLError, OSError) as exc:
        raise CollectionError(
            host.name, DeviceStatus.ERROR, f"data.ca_file {ca_file} is not a PEM certificate: {exc}"
        ) from exc


def _collect_records(
    host: InventoryHost,
    target: _Target,
    context: ssl.SSLContext,
    timeout: float,
) -> dict[str, dict[str, dict[str, Any]] | None]:
    """Log in at ``target``, read every collected class, always log out.

    A class this xapi does not know (``MESSAGE_METHOD_UNKNOWN``) maps to None.
    """
    transport = _TimeoutTransport(context, timeout)
    register_transport(transport.abort)
    session = XenAPI.Session(target.url, transport=transport)
    logged_in = False
    try:
        try:
            session.xenapi.login_with_password(
                host.username or "", host.password or "", LOGIN_API_VERSION, ORIGINATOR
            )
            logged_in = True
            records: dict[str, dict[str, dict[str, Any]] | None] = {}
            for cls in COLLECTED_CLASSES:
                records[cls] = _get_all_records(session, cls)
            return records
        except XenAPI.Failure as failure:
            details = [str(d) for d in failure.details]
            if details and details[0] == "HOST_IS_SLAVE" and len(details) > 1:
                raise _HostIsSlaveError(details[1]) from None
            raise _failure_error(host, target, details) from None
        except (OSError, xmlrpc.client.Error, http.client.HTTPException, ExpatError) as exc:
            raise _transport_error(host, target, exc) from exc
    finally:
        if logged_in:
            _logout(host, session)
        transport.close()


def _get_all_records(session: Any, cls: str) -> dict[str, dict[str, Any]] | None:
    try:
        rows = getattr(session.xenapi, cls).get_all_records()
    except XenAPI.Failure as failure:
        if failure.details and failure.details[0] == "MESSAGE_METHOD_UNKNOWN":
            return None
        raise
    return {str(ref): _plain(record) for ref, record in rows.items()}


def _plain(value: Any) -> Any:
    """XML-RPC values as JSON can hold them: ``DateTime`` becomes its ISO-ish string."""
    if isinstance(value, xmlrpc.client.DateTime):
        return str(value.value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _logout(host: InventoryHost, session: Any) -> None:
    try:
        session.xenapi.session.logout()
    except (XenAPI.Failure, OSError, xmlrpc.client.Error, http.client.HTTPException) as exc:
        log.warning("Host %r: logout failed: %s", host.name, exc)


def _failure_error(host: InventoryHost, target: _Target, details: list[str]) -> CollectionError:
    code = details[0] if details else "UNKNOWN"
    if code == "SESSION_AUTHENTICATION_FAILED":
        return CollectionError(
            host.name,
            DeviceStatus.AUTH_FAILED,
            f"{target.url}: login as {host.username!r} refused (SESSION_AUTHENTICATION_FAILED)",
        )
    return CollectionError(
        host.name, DeviceStatus.ERROR, f"{target.url}: XenAPI error {' '.join(details)}"
    )


def _transport_error(host: InventoryHost, target: _Target, exc: BaseException) -> CollectionError:
    url = target.url
    if isinstance(exc, ssl.SSLCertVerificationError):
        return CollectionError(
            host.name,
            DeviceStatus.ERROR,
            f"{url}: TLS certificate verification failed ({exc.verify_message}); pin the "
            "pool's CA or self-signed certificate with data.ca_file in the inventory",
        )
    if isinstance(exc, TimeoutError) or (
        isinstance(exc, xmlrpc.client.Fault) and exc.faultCode == 504
    ):
        return CollectionError(
            host.name, DeviceStatus.TIMEOUT, f"{url}: no answer within the timeout"
        )
    if isinstance(exc, socket.gaierror):
        return CollectionError(
            host.name,
            DeviceStatus.UNREACHABLE,
            f"{url}: cannot resolve {target.address}: {exc.strerror}",
        )
    if isinstance(exc, OSError) and exc.errno in _UNREACHABLE_ERRNOS:
        return CollectionError(host.name, DeviceStatus.UNREACHABLE, f"{url}: {exc.strerror or exc}")
    if isinstance(exc, ssl.SSLError):
        return CollectionError(
            host.name, DeviceStatus.ERROR, f"{url}: TLS error: {exc.reason or exc}"
        )
    if isinstance(exc, xmlrpc.client.ProtocolError):
        return CollectionError(
            host.name,
            DeviceStatus.ERROR,
            f"{url}: not a XenAPI endpoint (HTTP {exc.errcode} {exc.errmsg})",
        )
    if isinstance(exc, xmlrpc.client.Fault):
        return CollectionError(
            host.name, DeviceStatus.ERROR, f"{url}: XenAPI fault: {exc.faultString}"
        )
    if isinstance(exc, ExpatError):
        return CollectionError(
            host.name, DeviceStatus.ERROR, f"{url}: the answer is not XML-RPC ({exc})"
        )
    if isinstance(exc, ConnectionError | http.client.HTTPException):
        return CollectionError(
            host.name, DeviceStatus.ERROR, f"{url}: connection closed by the server ({exc})"
        )
    return CollectionError(host.name, DeviceStatus.ERROR, f"{url}: {exc}")


# -- SR target names ------------------------------------------------------------------------


def sr_target_names(pbds: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Host names and addresses PBDs point at, in first-seen order.

    NFS and SMB ``server`` (SMB as ``\\\\host\\share`` or ``//host/share``), iSCSI
    ``target`` and ``multihomelist`` (comma-separated ``host[:port]``, IPv6 in brackets).

    >>> sr_target_names({"r": {"device_config": {"server": "//files.lan/iso",
    ...     "multihomelist": "10.0.0.1:3260,[fd00::1]:3260,san.lan"}}})
    ['files.lan', '10.0.0.1', 'fd00::1', 'san.lan']
    """
    names: dict[str, None] = {}
    for pbd in pbds.values():
        config = pbd.get("device_config")
        if not isinstance(config, Mapping):
            continue
        for key in ("server", "target", "multihomelist"):
            value = config.get(key)
            if not isinstance(value, str):
                continue
            for item in value.split(","):
                name = _host_part(item.strip())
                if name:
                    names.setdefault(name, None)
    return list(names)


def _host_part(item: str) -> str:
    r"""The host of ``host``, ``host:port``, ``[v6]:port``, ``\\host\share``, ``//host/s``."""
    if item.startswith(("\\\\", "//")):
        return item[2:].replace("\\", "/").split("/", 1)[0]
    if item.startswith("["):
        return item[1:].split("]", 1)[0]
    if item.count(":") == 1:
        return item.split(":", 1)[0]
    return item


def resolve_names(names: Iterable[str], timeout: float) -> dict[str, list[str]]:
    """Resolve host names with ``getaddrinfo``, all at once, bounded by ``timeout`` in total.

    IP literals map to themselves without a lookup; a failed or unfinished lookup maps to
    ``[]``. getaddrinfo cannot be cancelled, so each lookup runs in a daemon thread that is
    abandoned when the time is up.
    """
    result: dict[str, list[str]] = {}
    pending: list[tuple[str, threading.Thread]] = []
    answers: dict[str, list[str]] = {}
    for name in names:
        try:
            result[name] = [str(ipaddress.ip_address(name))]
            continue
        except ValueError:
            pass
        thread = threading.Thread(
            target=_lookup, args=(name, answers), daemon=True, name=f"resolve-{name}"
        )
        thread.start()
        pending.append((name, thread))
    deadline = time.monotonic() + timeout
    for name, thread in pending:
        thread.join(max(0.0, deadline - time.monotonic()))
        result[name] = answers.get(name, []) if not thread.is_alive() else []
        if not result[name]:
            log.info(
                "SR target %s: no address (%s)",
                name,
                "lookup timed out" if thread.is_alive() else "lookup failed",
            )
    return result


def _lookup(name: str, answers: dict[str, list[str]]) -> None:
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        answers[name] = []
        return
    addresses: dict[str, None] = {}
    for info in infos:
        addresses.setdefault(str(info[4][0]), None)
    answers[name] = list(addresses)
