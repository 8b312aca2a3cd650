"""Render a lab switch's truth as NAPALM getter results.

Two uses: the files NAPALM's mock driver replays (``<getter>.1`` in one folder per device,
for ``eos`` and ``junos`` whose transports, eAPI and NETCONF, the SSH lab does not speak), and
reference results in the snapshot layout (``devices/<d>/napalm/<getter>.json``).
The shapes follow ``napalm/base/models.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from xsfabric.lab.render_join import napalm_arp_table
from xsfabric.switch.model import FdbEntryType, PortMode, SwitchFacts


def napalm_getters(truth: SwitchFacts) -> dict[str, Any]:
    facts, ports = truth.facts, truth.ports or []
    if facts is None:
        raise ValueError(f"{truth.device}: a lab switch needs its facts")
    members: dict[int, list[str]] = {}
    for port in ports:
        if port.mode is PortMode.ACCESS and port.access_vlan is not None:
            members.setdefault(port.access_vlan, []).append(port.name)
    return {
        "get_facts": {
            "hostname": facts.hostname,
            "fqdn": f"{facts.hostname}.lab.example",
            "vendor": facts.vendor,
            "model": facts.model,
            "os_version": facts.os_version,
            "serial_number": facts.serial,
            "uptime": 86400.0,
            "interface_list": [p.name for p in ports],
        },
        "get_interfaces": {
            p.name: {
                "is_enabled": bool(p.admin_up),
                "is_up": bool(p.oper_up),
                "description": p.description,
                "last_flapped": -1.0,
                "speed": float(p.speed_mbps or 0),
                "mtu": 1500,
                "mac_address": f"0C:1A:2B:00:00:{i:02X}",
            }
            for i, p in enumerate(ports, start=1)
        },
        "get_mac_address_table": [
            {
                "mac": e.mac.upper(),
                "interface": e.port,
                "vlan": e.vlan or 0,
                "static": e.entry_type is FdbEntryType.STATIC,
                "active": True,
                "moves": 0,
                "last_move": 0.0,
            }
            for e in truth.fdb or []
        ],
        "get_lldp_neighbors_detail": _lldp(truth),
        "get_vlans": {
            str(v.vlan_id): {"name": v.name, "interfaces": members.get(v.vlan_id, [])}
            for v in truth.vlans or []
        },
        "get_config": {"running": f"hostname {facts.hostname}\n", "startup": "", "candidate": ""},
        "get_arp_table": napalm_arp_table(truth),
    }


def _lldp(truth: SwitchFacts) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for n in truth.lldp or []:
        out.setdefault(n.local_port, []).append(
            {
                "parent_interface": "",
                "remote_chassis_id": n.chassis_id,
                "remote_port": n.port_id,
                "remote_port_description": n.port_description,
                "remote_system_name": n.system_name,
                "remote_system_description": "Lab device",
                "remote_system_capab": list(n.capabilities),
                "remote_system_enable_capab": list(n.capabilities),
            }
        )
    return out


def write_mock_device(folder: Path, truth: SwitchFacts) -> Path:
    """Files for ``napalm.get_network_driver("mock")`` with ``optional_args={"path": …}``."""
    folder.mkdir(parents=True, exist_ok=True)
    for getter, result in napalm_getters(truth).items():
        (folder / f"{getter}.1").write_text(json.dumps(result, indent=1))
    return folder
