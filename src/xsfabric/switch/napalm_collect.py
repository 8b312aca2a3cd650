"""NAPALM collection: call the getters xsfabric uses and store each result as
``devices/<name>/napalm/<getter>.json``. Nothing is normalized here.

The NAPALM driver comes from the platform (netutils' ``lib_mapper``, through
:func:`xsfabric.platforms.napalm_driver`) or from
``data.napalm.driver`` (e.g. ``mock`` with ``optional_args.path`` for recorded results).
For SSH drivers, the driver's own netmiko connection is wrapped by the allowlist guard, so a
command NAPALM would send that is not allowlisted is refused instead of sent.
"""

from __future__ import annotations

import logging
from typing import Any

from xsfabric.collect import CollectOptions
from xsfabric.errors import CollectionError
from xsfabric.inventory import InventoryHost
from xsfabric.platforms import napalm_driver, template_platform
from xsfabric.snapshot import SnapshotWriter
from xsfabric.switch.allowlist import check_napalm_driver, guarded, install_library_guards
from xsfabric.switch.cli_collect import enable_secret, host_key_args, tls_context

log = logging.getLogger(__name__)


class _ExpectedFallbackFilter(logging.Filter):
    """NAPALM logs at ERROR when a driver's optional TextFSM template is missing and it falls
    back to its own parser (nxos_ssh ``get_lldp_neighbors_detail`` does so on every call).
    That is an expected fallback, not an error of the collection: keep it at debug level."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "textfsmExtractorErr01" in record.getMessage():
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


logging.getLogger("napalm.base.helpers").addFilter(_ExpectedFallbackFilter())

GETTERS: tuple[str, ...] = (
    "get_facts",
    "get_interfaces",
    "get_mac_address_table",
    "get_lldp_neighbors_detail",
    "get_vlans",
    "get_config",
    "get_arp_table",
)

#: Keyword arguments per getter: running config only (never startup or candidate), secrets
#: removed by NAPALM before the text reaches xsfabric's own redactor.
GETTER_ARGS: dict[str, dict[str, Any]] = {
    "get_config": {"retrieve": "running", "sanitized": True},
}


def napalm_driver_name(host: InventoryHost) -> str:
    settings = host.data.get("napalm") or {}
    name = settings.get("driver") or napalm_driver(host.platform or "")
    if not name:
        raise CollectionError(
            host.name,
            "error",
            f"no NAPALM driver for platform {host.platform!r}; set data.napalm.driver",
        )
    return str(name)


def _optional_args(host: InventoryHost, driver: str, options: CollectOptions) -> dict[str, Any]:
    """The driver's optional_args: the inventory's, then what verification needs (a host key
    checked for every SSH transport, a verifying TLS context for eAPI and NX-API) on top, so
    that an inventory cannot switch verification off by accident."""
    settings = host.data.get("napalm") or {}
    extras = (host.connection_options.get("napalm") or {}).get("extras") or {}
    given: dict[str, Any] = {
        **(extras.get("optional_args") or {}),
        **(settings.get("optional_args") or {}),
    }
    over_ssh = driver in ("ios", "nxos_ssh") or given.get("transport") == "ssh"
    args: dict[str, Any] = {}
    if over_ssh:
        args = {
            "port": host.port or 22,
            "secret": enable_secret(host) or "",
            "allow_agent": False,
            "use_keys": False,
            "ssh_config_file": None,
        }
    elif host.port:
        args["port"] = host.port
    args.update(given)
    if over_ssh:
        args.update(host_key_args(host, options))
    elif driver == "eos":
        # pyeapi does not verify eAPI certificates unless given a context: give it one, as
        # for XAPI (data.ca_file, else the system's CAs; data.verify_tls: false warns)
        args["context"] = tls_context(host)
    elif driver == "nxos":
        ca_file = host.data.get("ca_file")
        args["ssl_verify"] = (str(ca_file) if ca_file else True) if host.verify_tls else False
    return args


def collect_napalm(
    host: InventoryHost, writer: SnapshotWriter, options: CollectOptions
) -> list[str]:
    """Run every getter; returns the getters that failed (the device is then partial)."""
    from napalm import get_network_driver

    driver_name = napalm_driver_name(host)
    check_napalm_driver(driver_name)  # before connecting: junos & co. are refused
    install_library_guards()
    driver_cls = get_network_driver(driver_name)
    device = driver_cls(
        host.hostname,
        host.username or "",
        host.password or "",
        timeout=max(1, int(options.timeout)),
        optional_args=_optional_args(host, driver_name, options),
    )
    device.open()
    failed: list[str] = []
    try:
        connection = getattr(device, "device", None)
        if driver_name in ("ios", "nxos_ssh") and connection is not None:
            platform = template_platform(host.platform or driver_name)  # allowlist key
            connection.send_command = guarded(platform, connection.send_command)
        for getter in GETTERS:
            try:
                result = getattr(device, getter)(**GETTER_ARGS.get(getter, {}))
            except NotImplementedError as exc:
                failed.append(f"{getter}: not implemented by {driver_name} ({exc})")
                continue
            except Exception as exc:
                if _is_connection_error(exc):
                    raise
                log.debug("Host %r: %s failed", host.name, getter, exc_info=True)
                failed.append(f"{getter}: {type(exc).__name__}: {exc}")
                continue
            writer.write_json(host.name, f"devices/{host.name}/napalm/{getter}.json", result)
    finally:
        device.close()
    return failed


def _is_connection_error(exc: BaseException) -> bool:
    from napalm.base.exceptions import ConnectionException

    return isinstance(exc, ConnectionException | OSError | EOFError)
