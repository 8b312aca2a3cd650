"""A lab XenServer pool: the XenAPI wire protocol over HTTPS on loopback, serving a dump.

Tests and the demo drive the real XenAPI SDK against it, so it answers the way xapi does
where the SDK and the collector can tell the difference (see NOTES.md):

- XML-RPC with the ``{"Status": "Success", "Value": …}`` /
  ``{"Status": "Failure", "ErrorDescription": [code, …]}`` envelope (the SDK crashes on a
  reply without it); ints as decimal strings, datetimes as ``xmlrpc.client.DateTime``.
- ``session.login_with_password`` / ``session.logout``; ``SESSION_AUTHENTICATION_FAILED``;
  ``SESSION_INVALID`` after :meth:`LabPool.restart_sessions` (a simulated xapi restart — the
  SDK then logs in again by itself); ``HOST_IS_SLAVE`` naming the master's address when a
  client logs in at a member's address. That address carries no port, so every host of the
  pool listens on its own loopback address (127.0.0.N), all on the same port.
- ``<class>.get_all_records``, ``get_all``, ``get_record``, ``get_by_uuid``,
  ``get_by_name_label``, ``get_<field>``; ``HANDLE_INVALID`` for an unknown ref,
  ``UUID_INVALID`` for an unknown uuid, ``MESSAGE_METHOD_UNKNOWN`` for anything else.

It serves the classes xsfabric collects (:data:`xsfabric.xapi.records.COLLECTED_CLASSES`)
plus ``secret``, whose values are always served as ``REMOVED``: a lab must not become a
channel through which a dump's CHAP or SMB passwords reach a client, whatever it asks.

Set fields that xapi derives from the other side of a relation (``host.PIFs`` from
``PIF.host``, ``Bond.slaves`` from ``PIF.bond_slave_of`` …) are recomputed from the
object-side ref, because older dumps do not store them at all.

Nothing here is fit for anything but loopback: the server refuses other addresses.

Usage::

    pool = start_lab_pool(Path("prod.xml"), ["127.0.0.2", "127.0.0.3"], 0, "root", pw,
                          cert_dir=tmp)
    session = XenAPI.Session(pool.url, transport=SafeTransport(
        context=ssl.create_default_context(cafile=pool.ca_file)))
    ...
    pool.stop()
"""

from __future__ import annotations

import datetime as dt
import errno
import ipaddress
import logging
import re
import ssl
import tempfile
import threading
import uuid
import xmlrpc.client
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from xsfabric.redact import REDACTED
from xsfabric.xapi.dbdump import XapiDatabase, read_dump
from xsfabric.xapi.records import (
    COLLECTED_CLASSES,
    NULL_REF,
    Records,
    api_field_name,
    records_from_dump,
)
from xsfabric.xapi.sexpr import SExprError, parse_map

log = logging.getLogger(__name__)

#: Classes the lab answers for. ``secret`` is served, but never with its values.
SERVED_CLASSES: tuple[str, ...] = (*COLLECTED_CLASSES, "secret")

#: Fields xapi types as DateTime (sent as ``xmlrpc.client.DateTime``, not as a string).
DATETIME_FIELDS: dict[str, frozenset[str]] = {
    "pool": frozenset({"telemetry_next_collection", "last_update_sync"}),
    "host": frozenset({"last_software_update", "last_update_hash_time"}),
    "PIF_metrics": frozenset({"last_updated"}),
    "VM": frozenset({"snapshot_time"}),
    "VM_guest_metrics": frozenset({"last_updated"}),
}

#: Set fields xapi derives from the ref on the other side:
#: (class holding the set, set field, class holding the ref, ref field).
DERIVED_SETS: tuple[tuple[str, str, str, str], ...] = (
    ("host", "PIFs", "PIF", "host"),
    ("host", "PBDs", "PBD", "host"),
    ("host", "resident_VMs", "VM", "resident_on"),
    ("network", "PIFs", "PIF", "network"),
    ("network", "VIFs", "VIF", "network"),
    ("VM", "VIFs", "VIF", "VM"),
    ("Bond", "slaves", "PIF", "bond_slave_of"),
    ("PIF", "bond_master_of", "Bond", "master"),
    ("PIF", "VLAN_slave_of", "VLAN", "tagged_PIF"),
    ("PIF", "tunnel_access_PIF_of", "tunnel", "access_PIF"),
    ("PIF", "tunnel_transport_PIF_of", "tunnel", "transport_PIF"),
    ("SR", "PBDs", "PBD", "SR"),
)

_DATETIME_RE = re.compile(r"^\d{8}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2})?$")
_REQUEST_TIMEOUT = 10.0  # seconds a client connection may stay idle or mid-handshake


class XapiError(Exception):
    """A xapi error reply: the ``ErrorDescription`` list, code first."""

    def __init__(self, *description: str) -> None:
        super().__init__(*description)
        self.description = [str(d) for d in description]


@dataclass(frozen=True, slots=True)
class LabCall:
    """One XML-RPC call the lab received: where, and which method (never the params,
    which carry the password and session refs)."""

    address: str
    method: str


@dataclass(slots=True)
class _PoolState:
    """What all the addresses of one lab pool share: the records, the sessions, the log."""

    records: Records
    username: str
    password: str
    master: str
    masters: dict[str, str]  # address → master address it names in HOST_IS_SLAVE
    sessions: set[str] = field(default_factory=set)
    calls: list[LabCall] = field(default_factory=list)
    on_call: Callable[[LabCall], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def dispatch(self, address: str, method: str, params: Sequence[Any]) -> dict[str, Any]:
        call = LabCall(address, method)
        with self.lock:
            self.calls.append(call)
        hook = self.on_call
        if hook is not None:
            hook(call)
        try:
            value = self._call(address, method, list(params))
        except XapiError as failure:
            return {"Status": "Failure", "ErrorDescription": failure.description}
        except Exception as exc:  # a lab bug must reach the client as xapi would send it
            log.exception("lab xapi %s: %s failed", address, method)
            return {
                "Status": "Failure",
                "ErrorDescription": ["INTERNAL_ERROR", f"{type(exc).__name__}: {exc}"],
            }
        return {"Status": "Success", "Value": value}

    # -- sessions -----------------------------------------------------------------------

    def _call(self, address: str, method: str, params: list[Any]) -> Any:
        if method == "session.login_with_password":
            return self._login(address, method, params)
        if not params:
            raise XapiError("MESSAGE_PARAMETER_COUNT_MISMATCH", method, "1", "0")
        self._check_session(params[0])
        if method == "session.logout":
            _arity(method, params, 1)
            with self.lock:
                self.sessions.discard(params[0])
            return ""
        cls, _, message = method.partition(".")
        if cls not in SERVED_CLASSES or not message:
            raise XapiError("MESSAGE_METHOD_UNKNOWN", method)
        return self._read(cls, message, method, params[1:])

    def _login(self, address: str, method: str, params: list[Any]) -> str:
        if not 2 <= len(params) <= 4:
            raise XapiError("MESSAGE_PARAMETER_COUNT_MISMATCH", method, "4", str(len(params)))
        named = self.masters.get(address)
        if named is not None:
            raise XapiError("HOST_IS_SLAVE", named)
        if params[0] != self.username or params[1] != self.password:
            raise XapiError(
                "SESSION_AUTHENTICATION_FAILED", str(params[0]), "Authentication failure"
            )
        ref = f"OpaqueRef:{uuid.uuid4()}"
        with self.lock:
            self.sessions.add(ref)
        return ref

    def _check_session(self, ref: Any) -> None:
        with self.lock:
            valid = ref in self.sessions
        if not valid:
            raise XapiError("SESSION_INVALID", str(ref))

    # -- reads ----------------------------------------------------------------------------

    def _read(self, cls: str, message: str, method: str, args: list[Any]) -> Any:
        table = self.records.get(cls, {})
        if message == "get_all_records":
            _arity(method, args, 0)
            return table
        if message == "get_all":
            _arity(method, args, 0)
            return list(table)
        if message == "get_by_uuid":
            _arity(method, args, 1)
            for ref, record in table.items():
                if record.get("uuid") == args[0]:
                    return ref
            raise XapiError("UUID_INVALID", cls, str(args[0]))
        if message == "get_by_name_label":
            _arity(method, args, 1)
            return [ref for ref, record in table.items() if record.get("name_label") == args[0]]
        if message == "get_record" or message.startswith("get_"):
            field_name = message.removeprefix("get_")
            if message != "get_record" and not any(field_name in r for r in table.values()):
                raise XapiError("MESSAGE_METHOD_UNKNOWN", method)
            _arity(method, args, 1)
            found = table.get(args[0])
            if found is None:
                raise XapiError("HANDLE_INVALID", cls, str(args[0]))
            if message == "get_record":
                return found
            if field_name not in found:
                raise XapiError("MESSAGE_METHOD_UNKNOWN", method)
            return found[field_name]
        raise XapiError("MESSAGE_METHOD_UNKNOWN", method)


def _arity(method: str, args: Sequence[Any], expected: int) -> None:
    """Raise xapi's count mismatch error; ``expected`` excludes the session ref."""
    if len(args) != expected:
        raise XapiError(
            "MESSAGE_PARAMETER_COUNT_MISMATCH", method, str(expected + 1), str(len(args) + 1)
        )


# -- records as xapi serves them ------------------------------------------------------------


def served_records(db: XapiDatabase) -> Records:
    """The records the lab serves for a dump: API names and types, derived sets filled in,
    secret values removed, ints as decimal strings and datetimes as ``DateTime``."""
    records = records_from_dump(db)
    records["secret"] = {ref: _secret_record(row) for ref, row in db.table("secret").items()}
    derive_sets(records)
    return {
        cls: {ref: {k: _wire(cls, k, v) for k, v in rec.items()} for ref, rec in rows.items()}
        for cls, rows in records.items()
    }


def _secret_record(row: Mapping[str, str]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for dump_field, raw in row.items():
        if dump_field.startswith("_"):
            continue
        name = api_field_name(dump_field)
        if name == "value":
            record[name] = REDACTED
        elif name == "other_config":
            try:
                record[name] = parse_map(raw) if raw else {}
            except SExprError:
                record[name] = {}
        else:
            record[name] = raw
    record.setdefault("value", REDACTED)
    return record


def derive_sets(records: Records) -> None:
    """Make every derived set field agree with the refs on the other side, in place.

    The object-side ref (``PIF.host``) is the truth xapi stores; the set (``host.PIFs``) is
    computed from it. Where a dump lacks the ref field entirely but has the set, the ref is
    first filled in from the set, so that no relation is lost either way.
    """
    for parent_cls, set_field, child_cls, ref_field in DERIVED_SETS:
        parents = records.get(parent_cls, {})
        children = records.get(child_cls, {})
        for parent_ref, parent in parents.items():
            for child_ref in parent.get(set_field) or []:
                child = children.get(child_ref)
                if child is not None and ref_field not in child:
                    child[ref_field] = parent_ref
        members: dict[str, list[str]] = {ref: [] for ref in parents}
        for child_ref, child in children.items():
            target = child.get(ref_field, NULL_REF)
            if target in members:
                members[target].append(child_ref)
        for parent_ref, parent in parents.items():
            parent[set_field] = members[parent_ref]
    # One-to-one: PIF.VLAN_master_of ↔ VLAN.untagged_PIF.
    pifs = records.get("PIF", {})
    for vlan_ref, vlan in records.get("VLAN", {}).items():
        untagged = pifs.get(vlan.get("untagged_PIF", NULL_REF))
        if untagged is not None:
            untagged["VLAN_master_of"] = vlan_ref
    for pif in pifs.values():
        pif.setdefault("VLAN_master_of", NULL_REF)


def _wire(cls: str, name: str, value: Any) -> Any:
    """A value as xapi puts it on the wire."""
    if name in DATETIME_FIELDS.get(cls, ()) and isinstance(value, str) and value:
        return xmlrpc.client.DateTime(value) if _DATETIME_RE.match(value) else value
    return _ints_as_strings(value)


def _ints_as_strings(value: Any) -> Any:
    # xapi sends int64 as decimal strings; xmlrpc.client would refuse ints above 2**31 anyway.
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _ints_as_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_ints_as_strings(v) for v in value]
    return value


# -- certificates ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LabCertificates:
    ca_file: Path
    cert_file: Path
    key_file: Path


def make_certificates(folder: Path, stem: str, addresses: Iterable[str]) -> LabCertificates:
    """A throw-away CA and a server certificate signed by it, for the given IP addresses.

    The CA certificate is what a client pins (``data.ca_file``); the server certificate's
    subject alternative names cover every address the pool listens on, so hostname
    verification passes on each of them.
    """
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"xsfabric lab CA {stem}")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = [x509.DNSName("localhost")]
    names += [x509.IPAddress(ipaddress.ip_address(a)) for a in addresses]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, stem)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    certs = LabCertificates(
        folder / f"{stem}-ca.pem", folder / f"{stem}-cert.pem", folder / f"{stem}-key.pem"
    )
    certs.ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    certs.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    certs.key_file.touch(mode=0o600)
    certs.key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certs


# -- HTTPS XML-RPC server -------------------------------------------------------------------


class _Handler(SimpleXMLRPCRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as xapi: one TLS handshake per client
    timeout = _REQUEST_TIMEOUT


class _AddressServer(ThreadingMixIn, SimpleXMLRPCServer):
    """One listening socket: one host of the pool at one loopback address."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: str, port: int, state: _PoolState) -> None:
        self.address = address
        self.state = state
        super().__init__(
            (address, port),
            requestHandler=_Handler,
            logRequests=False,
            allow_none=False,
            bind_and_activate=True,
        )

    def enable_tls(self, context: ssl.SSLContext) -> None:
        # The handshake is done in the request thread (finish_request), so a client that
        # connects and stays silent never blocks the accept loop.
        self.socket = context.wrap_socket(
            self.socket, server_side=True, do_handshake_on_connect=False
        )

    def finish_request(self, request: Any, client_address: Any) -> None:
        if isinstance(request, ssl.SSLSocket):
            request.settimeout(_REQUEST_TIMEOUT)
            try:
                request.do_handshake()
            except (OSError, ssl.SSLError) as exc:
                log.debug(
                    "lab xapi %s: TLS handshake with %s failed: %s",
                    self.address,
                    client_address,
                    exc,
                )
                return
        super().finish_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("lab xapi %s: error serving %s", self.address, client_address, exc_info=True)

    def _dispatch(self, method: str, params: Any) -> Any:
        return self.state.dispatch(self.address, method, params)


@dataclass(slots=True)
class LabPool:
    """A running lab pool. ``url`` is the master's; ``ca_file`` is what clients pin."""

    addresses: tuple[str, ...]
    port: int
    ca_file: Path
    _state: _PoolState
    _servers: list[_AddressServer]
    _threads: list[threading.Thread]
    _tmpdir: tempfile.TemporaryDirectory[str] | None = None

    @property
    def url(self) -> str:
        return self.url_of(self.addresses[0])

    def url_of(self, address: str) -> str:
        """The URL of the pool host listening at ``address`` (a member answers
        ``HOST_IS_SLAVE``)."""
        return f"https://{address}:{self.port}/"

    @property
    def member_urls(self) -> list[str]:
        return [self.url_of(a) for a in self.addresses[1:]]

    @property
    def calls(self) -> list[LabCall]:
        """Every call received so far, in order (a copy)."""
        with self._state.lock:
            return list(self._state.calls)

    def methods(self) -> list[str]:
        return [c.method for c in self.calls]

    @property
    def on_call(self) -> Callable[[LabCall], None] | None:
        return self._state.on_call

    @on_call.setter
    def on_call(self, hook: Callable[[LabCall], None] | None) -> None:
        """Called (in the server thread) before each call is answered; tests use it to
        restart the sessions in the middle of a collection."""
        self._state.on_call = hook

    def restart_sessions(self) -> None:
        """Simulate a xapi restart: every session becomes ``SESSION_INVALID``."""
        with self._state.lock:
            self._state.sessions.clear()

    def stop(self) -> None:
        # shutdown() waits up to one poll interval per server: stop them all at once.
        stoppers = [threading.Thread(target=s.shutdown) for s in self._servers]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        for server in self._servers:
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    def __enter__(self) -> LabPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_lab_pool(
    source: Path | XapiDatabase,
    addresses: Sequence[str],
    port: int,
    username: str,
    password: str,
    cert_dir: Path | None = None,
    *,
    masters: Mapping[str, str] | None = None,
) -> LabPool:
    """Serve one pool from a dump file or a parsed dump, on ``addresses`` (loopback only).

    ``addresses[0]`` is the master; every other address answers ``HOST_IS_SLAVE`` naming it.
    ``masters`` overrides which master an address names (a test builds a redirect loop with
    it). ``port`` 0 picks a free port shared by all addresses. Certificates are written to
    ``cert_dir`` (a temporary folder removed at :meth:`LabPool.stop` when not given).
    """
    if not addresses:
        raise ValueError("a lab pool needs at least one address")
    for address in addresses:
        if not ipaddress.ip_address(address).is_loopback:
            raise ValueError(f"lab servers bind loopback addresses only, not {address}")
    db = read_dump(source) if isinstance(source, Path) else source
    named = dict.fromkeys(addresses[1:], addresses[0])
    named.update(masters or {})
    state = _PoolState(
        records=served_records(db),
        username=username,
        password=password,
        master=addresses[0],
        masters=named,
    )
    servers = _bind_all(addresses, port, state)
    port = servers[0].server_address[1]
    tmpdir = None
    if cert_dir is None:
        tmpdir = tempfile.TemporaryDirectory(prefix="xsfabric-lab-")
        cert_dir = Path(tmpdir.name)
    certs = make_certificates(cert_dir, f"xapi-{addresses[0]}-{port}", addresses)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certs.cert_file, certs.key_file)
    threads = []
    for server in servers:
        server.enable_tls(context)
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"lab-xapi-{server.address}:{port}",
            daemon=True,
        )
        thread.start()
        threads.append(thread)
    log.debug("lab pool serving %s on port %d", ", ".join(addresses), port)
    return LabPool(tuple(addresses), port, certs.ca_file, state, servers, threads, tmpdir)


def _bind_all(addresses: Sequence[str], port: int, state: _PoolState) -> list[_AddressServer]:
    """Bind every address on one port; with port 0, retry until a port is free on all."""
    for _attempt in range(20):
        servers: list[_AddressServer] = []
        try:
            for address in addresses:
                chosen = servers[0].server_address[1] if servers else port
                servers.append(_AddressServer(address, chosen, state))
        except OSError as exc:
            for server in servers:
                server.server_close()
            if port != 0 or exc.errno != errno.EADDRINUSE:
                raise
            continue
        return servers
    raise OSError(errno.EADDRINUSE, f"no free port common to {', '.join(addresses)}")


__all__ = [
    "DATETIME_FIELDS",
    "DERIVED_SETS",
    "SERVED_CLASSES",
    "LabCall",
    "LabCertificates",
    "LabPool",
    "XapiError",
    "derive_sets",
    "make_certificates",
    "served_records",
    "start_lab_pool",
]
