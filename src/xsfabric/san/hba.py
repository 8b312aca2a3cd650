"""The pool hosts' storage initiators: FC HBA WWPNs and iSCSI IQNs, per host UUID.

WWPNs come from ``hba/<host>.txt`` in the snapshot — written by an import (the output of
``cat /sys/class/fc_host/host*/port_name`` and ``port_state`` saved from dom0, in any of the
shapes those commands take: bare values, ``grep -H``/``head`` file-name prefixes, ``systool``
listings) or at collection from the inventory's ``data.wwpns`` — so that the snapshot stays the
source of truth. IQNs come from the pool itself (``host.iscsi_iqn``, older hosts
``other_config:iscsi_iqn``).

These are what the zoning and masking joins match fabric logins, zone members and array host
maps against, so every WWPN here is in the one normalized form of :mod:`xsfabric.san.wwn`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from xsfabric.san.wwn import normalize_wwn

if TYPE_CHECKING:
    from xsfabric.model.xen import Host, Pool
    from xsfabric.snapshot import Snapshot

HBA_FOLDER = "hba"
#: fc_host ``port_state`` values (scsi_transport_fc).
PORT_STATES = frozenset(
    {
        "online",
        "offline",
        "linkdown",
        "blocked",
        "bypassed",
        "diagnostics",
        "error",
        "loopback",
        "unknown",
        "notpresent",
        "marginal",
    }
)


@dataclass(frozen=True, slots=True)
class HbaPort:
    """One FC host port of a XenServer host."""

    wwpn: str
    #: ``Online``, ``Linkdown`` …; None when the capture holds only port names.
    state: str | None = None
    #: ``host3`` where the capture names the sysfs folder.
    scsi_host: str | None = None

    @property
    def online(self) -> bool | None:
        return None if self.state is None else self.state.lower() == "online"


@dataclass(frozen=True, slots=True)
class HostInitiators:
    """What a pool host presents to storage: its HBA ports and iSCSI initiator names."""

    host_uuid: str
    pool: str
    host_name: str
    ports: tuple[HbaPort, ...] = ()
    iqns: tuple[str, ...] = ()
    #: Where the WWPNs came from (``hba/xs1.txt``), for evidence; empty if none were found.
    wwpn_source: str = ""

    @property
    def wwpns(self) -> tuple[str, ...]:
        return tuple(p.wwpn for p in self.ports)


class HbaParseError(ValueError):
    """A line of an HBA listing that is neither a port name nor a port state."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(message)


_SYSFS = re.compile(r"(?:/sys/class/fc_host/)?(host\d+)/(\w+)\b")
_HEADER = re.compile(r"^==>\s*(.*?)\s*<==$")
_SYSTOOL_DEVICE = re.compile(r'^\s*Class Device\s*=\s*"(host\d+)"')
_SYSTOOL_VALUE = re.compile(r'^\s*(port_name|port_state)\s*=\s*"(.*)"\s*$')
#: The command line itself, saved with its output (possibly after a shell prompt).
_COMMAND = re.compile(r"(?:^|[#$>]\s*)(?:cat|grep|head|tail|systool|for|ls)\s")


def parse_hba_listing(text: str) -> list[HbaPort]:
    """The FC ports of one host from a saved listing, in the order the capture gives them.

    Bare ``port_state`` lines pair with bare ``port_name`` lines by position (``cat`` of both
    globs prints every name, then every state, in the same host order). Raises
    :class:`HbaParseError` for a line that is neither.

    >>> [(p.wwpn, p.state) for p in parse_hba_listing("0x21000024ff3dc4b0\\nOnline\\n")]
    [('21:00:00:24:ff:3d:c4:b0', 'Online')]
    """
    named: dict[str, dict[str, str]] = {}  # host3 → {port_name, port_state}
    bare_names: list[str] = []
    bare_states: list[str] = []
    current: str | None = None  # sysfs file a head/systool header announced
    current_host: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = _HEADER.match(line)
        if header:
            current = header.group(1)
            continue
        device = _SYSTOOL_DEVICE.match(line)
        if device:
            current_host = device.group(1)
            continue
        value = _SYSTOOL_VALUE.match(line)
        if value and current_host:
            named.setdefault(current_host, {})[value.group(1)] = value.group(2)
            continue
        if _COMMAND.search(line):
            continue
        if "=" in line and not value:
            continue  # other systool attributes (speed = "8 Gbit" …)
        source = current or ""
        if ":" in line and _SYSFS.search(line.split(":", 1)[0]):
            source, line = line.split(":", 1)[0], line.split(":", 1)[1].strip()
        sysfs = _SYSFS.search(source)
        if sysfs:
            if sysfs.group(2) in ("port_name", "port_state"):  # node_name, speed … ignored
                named.setdefault(sysfs.group(1), {})[sysfs.group(2)] = line
            continue
        wwpn = normalize_wwn(line)
        if wwpn is not None:
            bare_names.append(wwpn)
        elif line.lower() in PORT_STATES:
            bare_states.append(line)
        else:
            raise HbaParseError(number, f"neither a WWPN nor an fc_host port_state: {line!r}")
    ports: list[HbaPort] = []
    for host in sorted(named, key=lambda h: int(h.removeprefix("host"))):
        name = normalize_wwn(named[host].get("port_name", ""))
        if name is not None:
            ports.append(HbaPort(name, named[host].get("port_state"), host))
    states: list[str | None] = (
        list(bare_states) if len(bare_states) == len(bare_names) else [None] * len(bare_names)
    )
    ports.extend(HbaPort(n, s) for n, s in zip(bare_names, states, strict=True))
    unique: dict[str, HbaPort] = {}
    for port in ports:
        unique.setdefault(port.wwpn, port)
    return list(unique.values())


def inventory_listings(data: Mapping[str, Any]) -> dict[str, str]:
    """``data.wwpns`` of an inventory pool (``{host name: [WWPN, …]}``) as the HBA listings
    the collector stores as ``hba/<host>.txt``: one normalized WWPN a line, so the snapshot
    holds them like an imported listing. Values that are no WWPN are left out."""
    wwpns = data.get("wwpns")
    if not isinstance(wwpns, Mapping):
        return {}
    listings: dict[str, str] = {}
    for host, values in wwpns.items():
        items = [values] if isinstance(values, str) else list(values or [])
        normalized = [w for w in (normalize_wwn(str(v)) for v in items) if w]
        if normalized:
            listings[str(host)] = "".join(f"0x{w.replace(':', '')}\n" for w in normalized)
    return listings


#: What people append to a host name when saving its listing (``xs1-hba.txt``).
_LISTING_SUFFIX = re.compile(r"[-_.](hba|hbas|fc|fc_host|fchost|wwpn|wwpns|port_name)$")


def host_iqns(host: Host) -> tuple[str, ...]:
    """``host.iscsi_iqn`` (xapi 7.x+), else ``other_config:iscsi_iqn`` (what older xapi and
    XenCenter set)."""
    values = [host.iscsi_iqn, host.other_config.get("iscsi_iqn", "")]
    out: list[str] = []
    for raw in values:
        value = raw.strip().lower()
        if value and value not in out:
            out.append(value)
    return tuple(out[:1]) if out else ()


def _host_keys(host: Host) -> Iterable[str]:
    for raw in (host.name_label, host.hostname, host.uuid, host.address):
        value = raw.strip().lower()
        if value:
            yield value
            if "." in value and not value.replace(".", "").isdigit():
                yield value.split(".", 1)[0]


class _EstateLike(Protocol):
    """What :func:`host_initiators` reads of ``model.estate.Estate`` (typed structurally so
    this parse-layer module does not import the model layer above it)."""

    @property
    def pools(self) -> list[Pool]: ...

    @property
    def snapshot(self) -> Snapshot: ...

    @property
    def warnings(self) -> list[str]: ...


def host_initiators(estate: _EstateLike) -> dict[str, HostInitiators]:
    """Initiators of every pool host, by host UUID; an HBA listing that names no host, or more
    than one, or that cannot be read becomes an estate warning (naming the file and line)."""
    return initiators_for(estate.pools, estate.snapshot.path / HBA_FOLDER, estate.warnings)


def initiators_for(
    pools: Iterable[Pool], hba_dir: Path, warnings: list[str]
) -> dict[str, HostInitiators]:
    hosts: dict[str, tuple[Pool, Host]] = {}
    by_key: dict[str, set[str]] = {}
    for pool in pools:
        for host in pool.hosts.values():
            hosts[host.uuid] = (pool, host)
            for key in _host_keys(host):
                by_key.setdefault(key, set()).add(host.uuid)
    ports: dict[str, tuple[list[HbaPort], str]] = {}
    files = sorted(p for p in hba_dir.iterdir() if p.is_file()) if hba_dir.is_dir() else []
    for path in files:
        rel = f"{HBA_FOLDER}/{path.name}"
        name = path.name.removesuffix(".txt").lower()
        bare = _LISTING_SUFFIX.sub("", name)
        matches = (
            by_key.get(name)
            or by_key.get(name.split(".", 1)[0])
            or by_key.get(bare)
            or by_key.get(bare.split(".", 1)[0])
            or set()
        )
        if len(matches) != 1:
            warnings.append(
                f"{rel}: "
                + (
                    "names no host of the snapshot's pools"
                    if not matches
                    else "names more than one host; WWPNs not used"
                )
            )
            continue
        try:
            parsed = parse_hba_listing(path.read_text(errors="replace"))
        except HbaParseError as exc:
            warnings.append(f"{rel}:{exc.line}: {exc}")
            continue
        (uuid,) = matches
        found, _ = ports.get(uuid, ([], rel))
        ports[uuid] = (found + [p for p in parsed if p.wwpn not in {f.wwpn for f in found}], rel)
    result: dict[str, HostInitiators] = {}
    for uuid, (pool, host) in hosts.items():
        found, rel = ports.get(uuid, ([], ""))
        result[uuid] = HostInitiators(
            uuid, pool.name, host.name_label or host.hostname, tuple(found), host_iqns(host), rel
        )
    return result
