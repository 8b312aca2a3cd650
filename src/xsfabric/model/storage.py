"""Where IP-based SRs connect to: target host names and addresses from PBD device_config.

NFS and SMB use ``server`` (SMB may also give ``\\\\host\\share`` or ``//host/share`` as
``server`` or ``location``); iSCSI uses ``target`` (sometimes a comma-separated list) and
``multihomelist`` (``host:port,host:port``). FC/HBA and local SRs have no IP target.
"""

from __future__ import annotations

import ipaddress
import re

IP_SR_TYPES = frozenset({"nfs", "lvmoiscsi", "iscsi", "smb", "cifs", "gfs2", "lvmoiscsi2"})
_SMB_UNC = re.compile(r"^(?:\\\\|//)([^\\/]+)")


def _host_part(value: str) -> str:
    value = value.strip()
    unc = _SMB_UNC.match(value)
    if unc:
        return unc.group(1)
    if value.startswith("["):  # [v6]:port
        return value[1:].split("]", 1)[0]
    if value.count(":") == 1:  # host:port
        return value.split(":", 1)[0]
    return value


def target_names(device_config: dict[str, str]) -> list[str]:
    """Host names or IP literals of every storage target a PBD names, in order, unique.

    >>> target_names({"target": "10.0.0.5,10.0.1.5",
    ...               "multihomelist": "10.0.0.5:3260,10.0.2.5:3260"})
    ['10.0.0.5', '10.0.1.5', '10.0.2.5']
    >>> target_names({"server": "//filer.example/share"})
    ['filer.example']
    """
    names: list[str] = []
    for key in ("server", "target", "multihomelist", "location"):
        value = device_config.get(key, "")
        if key == "location" and not _SMB_UNC.match(value):
            continue
        for part in value.split(","):
            host = _host_part(part)
            if host and host not in names:
                names.append(host)
    return names


def is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def target_addresses(
    device_config: dict[str, str], resolved: dict[str, list[str]]
) -> tuple[list[ipaddress.IPv4Address | ipaddress.IPv6Address], list[str]]:
    """Addresses of the targets, and the names that could not be resolved (offline import,
    or a failed lookup at collection time)."""
    addresses: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = []
    unresolved: list[str] = []
    for name in target_names(device_config):
        if is_ip_literal(name):
            addresses.append(ipaddress.ip_address(name))
            continue
        answers = resolved.get(name) or []
        if not answers:
            unresolved.append(name)
        for answer in answers:
            address = ipaddress.ip_address(answer)
            if address not in addresses:
                addresses.append(address)
    return addresses, unresolved
