"""CLI table builders: TextFSM rows (lowercase keys) of one Ethernet switch → normalized
records. Pure, one function per table; the device parser (:mod:`xsfabric.switch.cli_parse`)
decides which capture feeds which builder."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xsfabric.names import canonical_interface, is_mac, mac_colon, normalize_mac, short_interface
from xsfabric.perf import gc_paused
from xsfabric.platforms import vendor_of_platform
from xsfabric.switch.cli_values import (
    capabilities,
    is_fdb_port,
    speed_from_bandwidth,
    subtype,
    unit_port,
    vlan_ranges,
)
from xsfabric.switch.model import (
    DeviceFacts,
    FdbEntry,
    FdbEntryType,
    LldpNeighbor,
    PortMode,
    SwitchPort,
    Vlan,
)
from xsfabric.switch.textfsm_parse import Row


def facts_from_version(platform: str, rows: list[Row], device: str) -> DeviceFacts:
    row = rows[0] if rows else {}

    def first(*keys: str) -> str | None:
        for key in keys:
            value = row.get(key)
            if isinstance(value, list):
                value = value[0] if value else None
            if value:
                return str(value).strip()
        return None

    vendor = vendor_of_platform(platform)
    model = first("hardware", "platform", "model")
    if model and platform == "juniper_junos":
        model = model.upper()  # "Model: ex4300-24t"; the chassis and NAPALM say EX4300-24T
    return DeviceFacts(
        hostname=first("hostname") or device,
        vendor=vendor,
        model=model,
        os_version=first("version", "os", "image", "junos_version"),
        serial=first("serial", "serial_number"),
    )


def chassis_serial(rows: list[Row]) -> str | None:
    """Junos ``show chassis hardware``: the serial number of the Chassis row."""
    for row in rows:
        serial = str(row.get("chassis_serial_number") or "").strip()
        if serial:
            return serial
    return None


def fdb_from_rows(rows: list[Row], vlan_tags: dict[str, int] | None = None) -> list[FdbEntry]:
    """MAC table rows of any platform; CPU/router/supervisor entries are not ports.

    Junos prints VLAN names, not tags: ``vlan_tags`` (name → tag, from ``show vlans``)
    resolves them; a name it does not know gives no VLAN (None), never a guess.
    """
    with gc_paused():  # FdbEntry records hold no cycles (xsfabric.perf)
        return _fdb_entries(rows, vlan_tags)


def _fdb_entries(rows: list[Row], vlan_tags: dict[str, int] | None) -> list[FdbEntry]:
    entries: list[FdbEntry] = []
    #: printed port → canonical port, or None for a pseudo-port: a table names the same few
    #: dozen ports on every row
    port_names: dict[str, str | None] = {}
    for row in rows:
        mac = mac_colon(str(row.get("destination_address") or row.get("mac_address") or "").strip())
        if mac is None:
            continue  # a mangled row never becomes an entry that could place a host
        ports = (
            row.get("destination_port") or row.get("ports") or row.get("logical_interface") or []
        )
        if isinstance(ports, str):
            ports = [ports]
        vlan_text = str(row.get("vlan_id") or row.get("vlan") or "").strip()
        kind = str(row.get("type") or row.get("mac_flag") or "").lower()
        for raw_port in ports:
            if raw_port in port_names:
                port_name = port_names[raw_port]
            else:
                port_name = port_names[raw_port] = _fdb_port(raw_port)
            if port_name is None:
                continue
            vlan = int(vlan_text) if vlan_text.isdigit() else None
            if vlan is None and row.get("vlan_name") and vlan_tags is not None:
                vlan = vlan_tags.get(str(row["vlan_name"]).strip())
            static = "static" in kind or kind in ("s", "self")
            entries.append(
                FdbEntry(
                    mac,
                    vlan,
                    port_name,
                    FdbEntryType.STATIC if static else FdbEntryType.DYNAMIC,
                )
            )
    return entries


def _fdb_port(raw_port: str) -> str | None:
    """The canonical port of a MAC table's port column, None for a pseudo-port."""
    port = raw_port.strip()
    if not is_fdb_port(port):
        return None
    if port.lower() in ("vpc", "vpc peer-link"):  # NX-OS: learned over the peer link
        port = "vPC-Peer-Link"
    port = unit_port(port)  # Junos logical unit 0
    return canonical_interface(port)


def vlans_from_rows(rows: list[Row]) -> list[Vlan]:
    vlans: list[Vlan] = []
    for row in rows:
        vid = str(row.get("vlan_id") or row.get("tag") or "").strip()
        if not vid.isdigit():
            continue
        state = str(row.get("status") or "").lower() or None
        vlans.append(Vlan(int(vid), str(row.get("vlan_name") or row.get("name") or ""), state))
    return vlans


def join_local_ports(detail: list[Row], summary: list[Row] | None) -> list[Row]:
    """Older IOS prints no ``Local Intf`` in ``show lldp neighbors detail``; the summary
    ``show lldp neighbors`` has it, in the same order (NAPALM joins them the same way). The
    order is trusted only where the neighbour's port id agrees with the summary row."""
    if not summary or all(row.get("local_interface") for row in detail):
        return detail
    joined = []
    for index, row in enumerate(detail):
        filled = row
        if not row.get("local_interface") and index < len(summary):
            brief = summary[index]
            port = str(row.get("neighbor_port_id") or row.get("neighbor_interface") or "")
            if str(brief.get("neighbor_interface") or "").strip() == port.strip():
                filled = {**row, "local_interface": brief.get("local_interface", "")}
        joined.append(filled)
    return joined


def lldp_from_rows(rows: list[Row]) -> list[LldpNeighbor]:
    neighbors: list[LldpNeighbor] = []
    for row in rows:
        local = str(row.get("local_interface") or "").strip()
        if not local:
            continue
        chassis = normalize_mac(str(row.get("chassis_id") or ""))
        port_id = normalize_mac(
            str(row.get("neighbor_port_id") or row.get("neighbor_interface") or "")
        )
        # ios: Port Description is NEIGHBOR_INTERFACE when NEIGHBOR_PORT_ID holds the port id
        description = (
            str(row.get("neighbor_interface") or "") if row.get("neighbor_port_id") else ""
        )
        mgmt = str(row.get("mgmt_address") or "").strip() or None
        chassis_type = subtype(str(row.get("chassis_id_type") or ""))
        port_type = subtype(str(row.get("port_id_type") or ""))
        neighbors.append(
            LldpNeighbor(
                local_port=canonical_interface(local),
                chassis_id=chassis,
                chassis_id_subtype=chassis_type or ("mac" if is_mac(chassis) else None),
                port_id=port_id,
                port_id_subtype=port_type or ("mac" if is_mac(port_id) else None),
                port_description=description.strip(),
                system_name=str(row.get("neighbor_name") or row.get("neighbor") or "").strip(),
                management_address=mgmt,
                capabilities=capabilities(str(row.get("capabilities") or "")),
            )
        )
    return neighbors


def _mode(oper: str, admin: str) -> PortMode:
    # "down", or "down (suspended member of bundle Po2)": the administrative mode stands
    text = oper.lower() if oper and not oper.lower().startswith("down") else admin.lower()
    if "trunk" in text:
        return PortMode.TRUNK
    if "access" in text:
        return PortMode.ACCESS
    if "routed" in text:
        return PortMode.ROUTED
    return PortMode.UNKNOWN


@dataclass(slots=True)
class _PortState:
    admin_up: bool | None = None
    oper_up: bool | None = None
    speed: int | None = None
    description: str = ""


def _port_states(platform: str, rows: list[Row]) -> dict[str, _PortState]:
    states: dict[str, _PortState] = {}
    for row in rows:
        name = str(row.get("interface") or row.get("port") or "").strip()
        if not name:
            continue
        link = str(row.get("link_status") or row.get("status") or "").lower()
        admin_field = str(row.get("admin_state") or "").lower()
        proto = str(row.get("protocol_status") or "").lower()
        if admin_field:
            admin = admin_field in ("up", "enabled")
        elif link in ("disabled", "errdisabled", "err-disabled"):
            admin = False
        else:
            admin = "administratively" not in link
        oper = proto.startswith("up") if proto else link.startswith(("up", "connected"))
        speed = speed_from_bandwidth(str(row.get("bandwidth") or ""))
        if speed is None:
            match = re.search(r"(\d+)([GM])?", str(row.get("speed") or ""))
            if match:
                speed = int(match.group(1)) * (1000 if match.group(2) == "G" else 1)
        states[canonical_interface(name)] = _PortState(
            admin, oper, speed, str(row.get("description") or row.get("name") or "").strip()
        )
    return states


def _lags(rows: list[Row]) -> dict[str, list[str]]:
    lags: dict[str, list[str]] = {}
    for row in rows:
        bundle = str(row.get("bundle_name") or "").strip()
        if not bundle:
            continue
        members = row.get("member_interface") or []
        if isinstance(members, str):
            members = [members]
        lags.setdefault(canonical_interface(bundle), []).extend(
            canonical_interface(m) for m in members if m and m != "--"
        )
    return lags


def junos_switchport(rows: list[Row]) -> list[Row]:
    """Junos ``show ethernet-switching interfaces`` rows → the switchport keys the Cisco and
    Arista templates give (``mode``, ``access_vlan``, ``native_vlan``, ``trunking_vlans``).

    A unit whose own tagging is ``tagged`` (ELS) or that has a tagged member (pre-ELS) is a
    trunk: its untagged member is the native VLAN, and every member is allowed (ELS carries
    the native VLAN as a member). Otherwise it is an access port on its one VLAN.
    """
    out: list[Row] = []
    for row in rows:
        ids = [str(v) for v in row.get("vlan_id") or []]
        tagging = [str(t) for t in row.get("tagging") or []]
        trunk = row.get("mode") == "tagged" or "tagged" in tagging
        untagged = [vid for vid, tag in zip(ids, tagging, strict=False) if tag == "untagged"]
        out.append(
            {
                "interface": unit_port(str(row.get("interface") or "")),
                "mode": "trunk" if trunk else "access",
                "access_vlan": "" if trunk else (ids[0] if ids else ""),
                "native_vlan": untagged[0] if trunk and untagged else "",
                "trunking_vlans": ",".join(ids) if trunk else "",
            }
        )
    return out


def ports_from_rows(
    platform: str,
    interfaces: list[Row],
    switchport: list[Row] | None,
    lag_rows: list[Row] | None,
    peer_links: set[str] | None = None,
) -> list[SwitchPort]:
    """Ports from the interface, switchport and LAG tables of one device.

    A LAG member without a switchport row of its own (Junos lists only the ``ae`` unit)
    carries its LAG's mode and VLANs. ``peer_links`` holds the canonical names of the MLAG /
    vPC peer links; None when the platform has no such command or its capture is missing,
    and then ``is_peer_link`` is not available (None) on every port.
    """
    states = _port_states(platform, interfaces)
    modes: dict[str, Row] = {
        canonical_interface(unit_port(str(r.get("interface")))): r
        for r in switchport or []
        if r.get("interface")
    }
    lags = _lags(lag_rows or [])
    member_of = {m: lag for lag, members in lags.items() for m in members}
    for member, lag in member_of.items():
        if member not in modes and lag in modes:
            modes[member] = modes[lag]
    ports: list[SwitchPort] = []
    for name, state in states.items():
        sp = modes.get(name)
        mode, access, native, allowed = PortMode.UNKNOWN, None, None, None
        if sp is not None:
            mode = _mode(str(sp.get("mode") or ""), str(sp.get("admin_mode") or ""))
            access_text = str(sp.get("access_vlan") or "")
            native_text = str(sp.get("native_vlan") or "")
            if mode is PortMode.ACCESS and access_text.isdigit():
                access = int(access_text)
            if mode is PortMode.TRUNK:
                native = int(native_text) if native_text.isdigit() else None
                allowed = vlan_ranges(sp.get("trunking_vlans") or [])
        elif switchport is not None and not name.lower().startswith(
            ("vlan", "loopback", "mgmt", "null")
        ):
            mode = PortMode.ROUTED
        if switchport is None:
            mode = PortMode.UNKNOWN
        lag_members = tuple(lags.get(name, ()))
        ports.append(
            SwitchPort(
                name=name,
                short_name=short_interface(name),
                admin_up=state.admin_up,
                oper_up=state.oper_up,
                speed_mbps=state.speed,
                description=state.description,
                mode=mode,
                access_vlan=access,
                native_vlan=native,
                allowed_vlans=allowed,
                lag=member_of.get(name),
                lag_members=lag_members,
                is_peer_link=None if peer_links is None else name in peer_links,
            )
        )
    return ports


def peer_links_from_rows(platform: str, rows: list[Row]) -> set[str]:
    """Canonical names of the MLAG / vPC peer links (``show vpc``, ``show mlag``)."""
    links: set[str] = set()
    for row in rows:
        if platform == "cisco_nxos" and str(row.get("kind") or "").lower() == "peer-link":
            links.add(canonical_interface(str(row["port"])))
        elif platform == "arista_eos" and str(row.get("peer_link") or "").strip():
            links.add(canonical_interface(str(row["peer_link"])))
    return links
