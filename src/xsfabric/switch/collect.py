"""Switch collection: run the methods an inventory host asks for and store raw results.

``data.collect`` lists the methods (``cli``, ``napalm``, ``snmp``); without it a host with a
platform is collected over the CLI, one without over SNMP. Each method writes its own
artifacts; when one method fails while another worked the device is ``partial``; when all
fail the first failure's status (``auth-failed``, ``unreachable``, ``timeout``, ``error``)
becomes the device's status.
"""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Callable

from xsfabric.collect import CollectOptions
from xsfabric.errors import CollectionError, XsfabricError
from xsfabric.inventory import InventoryHost
from xsfabric.snapshot import DeviceStatus, SnapshotWriter

log = logging.getLogger(__name__)

METHODS = ("cli", "napalm", "snmp")

#: A method collector returns a list of partial failures (empty: all went well).
MethodCollector = Callable[[InventoryHost, SnapshotWriter, CollectOptions], list[str]]


def _cli(host: InventoryHost, writer: SnapshotWriter, options: CollectOptions) -> list[str]:
    from xsfabric.switch.cli_collect import collect_cli

    return collect_cli(host, writer, options)


def _napalm(host: InventoryHost, writer: SnapshotWriter, options: CollectOptions) -> list[str]:
    from xsfabric.switch.napalm_collect import collect_napalm

    return collect_napalm(host, writer, options)


def _snmp(host: InventoryHost, writer: SnapshotWriter, options: CollectOptions) -> list[str]:
    try:
        from xsfabric.switch.snmp_collect import collect_snmp
    except ImportError as exc:
        raise CollectionError(
            host.name, DeviceStatus.ERROR, f"snmp collection is not available: {exc}"
        ) from exc
    collect_snmp(host, writer, options)  # marks the device partial itself where needed
    return []


COLLECTORS: dict[str, MethodCollector] = {"cli": _cli, "napalm": _napalm, "snmp": _snmp}


def methods_for(host: InventoryHost) -> list[str]:
    methods = host.collect_methods or (["cli"] if host.platform else ["snmp"])
    unknown = [m for m in methods if m not in COLLECTORS]
    if unknown:
        raise CollectionError(
            host.name,
            DeviceStatus.ERROR,
            f"unknown collection method(s) {', '.join(unknown)} (known: {', '.join(METHODS)})",
        )
    if any(m in ("cli", "napalm") for m in methods) and not host.platform:
        raise CollectionError(
            host.name,
            DeviceStatus.ERROR,
            "cli and napalm collection need a platform (netmiko name)",
        )
    return methods


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        # paramiko's NoValidConnectionsError keeps the socket errors per address
        errors = getattr(current, "errors", None)
        if isinstance(errors, dict):
            seen += [e for e in errors.values() if isinstance(e, BaseException)]
        current = current.__cause__ or current.__context__
    return seen


#: paramiko's words for a peer that answered, but not with SSH (netmiko then wraps them in
#: its *timeout* exception, which must not be taken at its word).
_PROTOCOL_GARBAGE = re.compile(
    r"protocol banner.*(?:codec can't decode|invalid (?:start|continuation) byte)|"
    r"indecipherable protocol version|incompatible ssh (?:peer|server)|"
    r"bad (?:authentication|remote) .*packet|mac mismatch|packet too long",
    re.S,
)


def classify(host: str, method: str, exc: BaseException) -> CollectionError:
    """Map a library exception to a device status with a one-line cause."""
    if isinstance(exc, CollectionError):
        return exc
    chain = _chain(exc)
    names = {type(e).__name__ for e in chain}
    text = " ".join(str(e) for e in chain).lower()
    where = f"{method}"
    if isinstance(exc, XsfabricError):
        return CollectionError(host, DeviceStatus.ERROR, f"{where}: {exc}")
    if (
        names & {"NetmikoAuthenticationException", "ConnectAuthError", "AuthenticationException"}
        or "authentication" in text
    ):
        return CollectionError(
            host,
            DeviceStatus.AUTH_FAILED,
            f"{where}: authentication failed (check username/password)",
        )
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return CollectionError(host, DeviceStatus.UNREACHABLE, f"{where}: connection refused")
    if any(isinstance(e, socket.gaierror) for e in chain) or "not resolvable" in text:
        return CollectionError(
            host, DeviceStatus.UNREACHABLE, f"{where}: host name does not resolve"
        )
    if "no route" in text or "unreachable" in text:
        return CollectionError(host, DeviceStatus.UNREACHABLE, f"{where}: no route to host")
    if "certificate verify failed" in text or "SSLCertVerificationError" in names:
        return CollectionError(
            host,
            DeviceStatus.ERROR,
            f"{where}: TLS certificate not trusted (CERTIFICATE_VERIFY_FAILED);"
            " pin the device's CA with data.ca_file",
        )
    if _PROTOCOL_GARBAGE.search(text):
        return CollectionError(
            host,
            DeviceStatus.ERROR,
            f"{where}: protocol error: the port did not answer with an SSH "
            "banner (not an SSH server, or garbage on the line)",
        )
    if (
        any(isinstance(e, TimeoutError | socket.timeout) for e in chain)
        or names & {"ReadTimeout", "NetmikoTimeoutException", "ConnectTimeoutError"}
        or "timed out" in text
        or "timeout" in text
    ):
        return CollectionError(host, DeviceStatus.TIMEOUT, f"{where}: timed out")
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return CollectionError(host, DeviceStatus.ERROR, f"{where}: {type(exc).__name__}: {first}")


def collect_switch(host: InventoryHost, writer: SnapshotWriter, options: CollectOptions) -> None:
    """The ``switch`` collector registered in :data:`xsfabric.collect.COLLECTORS`."""
    methods = methods_for(host)
    if host.platform:
        writer.write_device_platform(host.name, host.platform)
    if host.data.get("reuse") is True:  # issue 11: wipe findings in the audit
        writer.write_text(host.name, f"devices/{host.name}/reuse-candidate", "data.reuse: true\n")
    errors: list[CollectionError] = []
    partial: list[str] = []
    worked = 0
    for method in methods:
        try:
            failed = COLLECTORS[method](host, writer, options)
        except Exception as exc:
            error = classify(host.name, method, exc)
            log.debug("Host %r: %s failed: %s", host.name, method, error.message)
            errors.append(error)
            continue
        worked += 1
        partial += [f"{method}: {f}" for f in failed]
    if worked == 0:
        first = errors[0]
        raise CollectionError(host.name, first.status, "; ".join(e.message for e in errors))
    problems = [e.message for e in errors] + partial
    if problems:
        writer.mark(host.name, DeviceStatus.PARTIAL, "; ".join(problems))
