"""SSH host keys are verified before a password is sent.

Each SSH device's key must be in a known-hosts file: ``data.known_hosts`` (OpenSSH format)
when the inventory sets it, else the user's ``~/.ssh/known_hosts``. A device whose key is
unknown or has changed is refused with a one-line reason and never receives credentials.
``--trust-on-first-use FILE`` accepts unknown keys once and writes them to FILE (keys already
there, or in the known-hosts file, are still checked: a changed key is always refused).

The key is fetched with an SSH handshake alone (no authentication), compared, and then
netmiko connects with ``ssh_strict`` and that file, so the key netmiko sees is checked again
by paramiko's ``RejectPolicy``.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from xsfabric.errors import CollectionError
from xsfabric.inventory import InventoryHost

log = logging.getLogger(__name__)

_tofu_lock = threading.Lock()


def known_hosts_file(host: InventoryHost) -> Path:
    """``data.known_hosts`` (relative to the inventory as given), else ``~/.ssh/known_hosts``."""
    value = host.data.get("known_hosts")
    if value:
        return Path(str(value)).expanduser()
    return Path("~/.ssh/known_hosts").expanduser()


def host_key_name(address: str, port: int) -> str:
    """The name a known-hosts file uses: the address, or ``[address]:port`` off port 22.

    >>> host_key_name("10.0.0.5", 22), host_key_name("127.0.0.1", 2222)
    ('10.0.0.5', '[127.0.0.1]:2222')
    """
    return address if port == 22 else f"[{address}]:{port}"


def _load(path: Path) -> Any:
    import paramiko

    keys = paramiko.HostKeys()
    if path.is_file():
        try:
            keys.load(str(path))
        except (OSError, UnicodeDecodeError) as exc:
            raise OSError(f"{path}: unreadable known-hosts file: {exc}") from exc
    return keys


def _server_key(address: str, port: int, timeout: float, key_types: list[str]) -> Any:
    """The key the server presents, from a handshake that authenticates nothing."""
    import socket

    import paramiko

    sock = socket.create_connection((address, port), timeout=timeout)
    transport = paramiko.Transport(sock)
    try:
        transport.banner_timeout = timeout
        transport.handshake_timeout = timeout
        if key_types:
            options = transport.get_security_options()
            preferred = [k for k in options.key_types if k in key_types]
            if preferred:
                options.key_types = preferred
        transport.start_client(timeout=timeout)
        return transport.get_remote_server_key()
    finally:
        transport.close()


def verify_host_key(host: InventoryHost, timeout: float, tofu_file: Path | None) -> Path:
    """Check the device's host key; returns the known-hosts file that holds it (for netmiko's
    ``alt_key_file``). Raises :class:`CollectionError` for an unknown or changed key."""
    address, port = host.hostname, host.port or 22
    name = host_key_name(address, port)
    known_file = known_hosts_file(host)
    files = [known_file] + ([tofu_file] if tofu_file is not None else [])
    entries: list[tuple[Path, Any]] = []
    for path in files:
        found = _load(path).lookup(name)
        if found is not None:
            entries += [(path, found[key_type]) for key_type in found]
    key = _server_key(address, port, timeout, [k.get_name() for _, k in entries])
    for path, known in entries:
        if known.get_name() == key.get_name():
            if known == key:
                return path
            raise CollectionError(
                host.name,
                "error",
                f"ssh host key of {name} has CHANGED (now {key.get_name()} "
                f"{key.fingerprint}; {path} has another): refusing to send credentials",
            )
    if tofu_file is None:
        raise CollectionError(
            host.name,
            "error",
            f"ssh host key of {name} ({key.get_name()} {key.fingerprint}) is not in {known_file}"
            "; add it (ssh-keyscan) or set data.known_hosts, or use --trust-on-first-use FILE",
        )
    with _tofu_lock:
        tofu_file.parent.mkdir(parents=True, exist_ok=True)
        with tofu_file.open("a", encoding="ascii") as handle:
            handle.write(f"{name} {key.get_name()} {key.get_base64()}\n")
    log.warning(
        "Host %r: trusting the new ssh host key of %s (%s %s) and recording it in %s",
        host.name,
        name,
        key.get_name(),
        key.fingerprint,
        tofu_file,
    )
    return tofu_file


def netmiko_host_key_args(known_file: Path) -> dict[str, Any]:
    """netmiko options that make paramiko check the key against ``known_file`` again."""
    return {
        "ssh_strict": True,
        "system_host_keys": False,
        "alt_host_keys": True,
        "alt_key_file": str(known_file),
    }
