"""Normalized Fibre Channel records: what one FC switch says about its fabric (or one VSAN of
it) — zoning defined and in effect, aliases, name-server logins — the same for Brocade FOS and
Cisco MDS, so rules never see a vendor format.

``None`` means "not available" (the capture is missing or could not be parsed); an empty
collection means the switch was asked and has none. Every WWPN is in the normalized form of
:mod:`xsfabric.san.wwn`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class MemberKind(StrEnum):
    """What a zone or alias member names."""

    WWPN = "wwpn"
    #: Brocade zone alias / MDS fcalias (resolved through the zoning database).
    ALIAS = "alias"
    #: MDS device-alias (fabric-wide name → pWWN).
    DEVICE_ALIAS = "device-alias"
    #: Port-based members: Brocade ``domain,index``, MDS ``interface``/``domain-id``/``fcid``.
    PORT = "port"
    #: The Brocade peer-zone property member (``00:02:00:…``): no device.
    PROPERTY = "property"
    #: Anything else a zone may name (symbolic node name, IP address, fWWN …).
    OTHER = "other"


class PortRole(StrEnum):
    INITIATOR = "initiator"
    TARGET = "target"
    BOTH = "both"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class ZoneMember:
    kind: MemberKind
    #: Normalized WWPN, alias name, or the port as printed (``1,4``, ``fc1/4 swwn …``).
    value: str
    #: Smart-zoning role (init/target/both) or peer-zone side (principal/peer).
    role: str | None = None
    #: Active zoneset only (MDS ``*``); None where the output does not say.
    logged_in: bool | None = None
    fcid: str | None = None
    #: The MDS fcalias the member was listed under inside the zone.
    via: str | None = None

    @property
    def display(self) -> str:
        return f"{self.kind}:{self.value}" if self.kind is not MemberKind.WWPN else self.value


@dataclass(frozen=True, slots=True)
class Zone:
    name: str
    members: tuple[ZoneMember, ...]
    #: Brocade peer zone (principal ↔ peer members only).
    peer: bool = False

    @property
    def device_members(self) -> tuple[ZoneMember, ...]:
        """Members that name a device or port (the peer-zone property member left out)."""
        return tuple(m for m in self.members if m.kind is not MemberKind.PROPERTY)


@dataclass(frozen=True, slots=True)
class ZoneSet:
    """A Brocade zone configuration (cfg) or an MDS zoneset."""

    name: str
    zones: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Login:
    """One port in the fabric name server."""

    wwpn: str
    role: PortRole
    fcid: str = ""
    wwnn: str = ""
    #: Switch device (snapshot name) whose name server reported it; "" for a remote login.
    switch: str = ""
    #: Switch port: Brocade port index, MDS interface; "" when unknown.
    port: str = ""
    #: Brocade domain of the switch the port is on (from the PID), for D,I members.
    domain: int | None = None
    symbol: str = ""
    #: Why the role is what it is (``nsshow device type "Physical Initiator"`` …).
    role_source: str = ""


@dataclass(slots=True)
class FabricView:
    """What one switch's captures say about one fabric (Brocade) or one VSAN (MDS)."""

    device: str
    platform: str
    vsan: int | None = None
    switch_name: str = ""
    switch_wwn: str = ""
    domain: int | None = None
    #: Brocade ``fabricshow``: the fabric name and the WWNs of every switch in it.
    fabric_name: str = ""
    fabric_switch_wwns: tuple[str, ...] = ()
    principal_wwn: str = ""
    #: Zoning on/off (Brocade switchshow; MDS: an active zoneset exists); None = unknown.
    zoning_enabled: bool | None = None
    #: "deny" (Brocade No Access, MDS deny) or "permit"; None = unknown.
    default_zone: str | None = None
    smart_zoning: bool | None = None
    #: Defined database (None = not captured): zone sets, zones and aliases by name.
    defined_sets: dict[str, ZoneSet] | None = None
    defined_zones: dict[str, Zone] | None = None
    aliases: dict[str, tuple[ZoneMember, ...]] | None = None
    #: True when ``defined_zones`` is the whole zone database (Brocade cfgshow, MDS show
    #: zone), not only the zones of the zone sets (MDS show zoneset).
    all_zones_known: bool = False
    #: The effective configuration / active zoneset: its name ("" = none in effect) and zones.
    effective_name: str | None = None
    effective_zones: dict[str, Zone] | None = None
    #: MDS device-alias database (name → WWPN), fabric-wide.
    device_aliases: dict[str, str] | None = None
    #: MDS device-alias mode (``basic``/``enhanced``; enhanced zones name aliases); "" unknown.
    device_alias_mode: str = ""
    #: Name-server logins by WWPN; ``logins_complete`` says whether they cover the whole
    #: fabric (Brocade: local nsshow plus nscamshow of the other switches; MDS fcns).
    logins: dict[str, Login] | None = None
    logins_complete: bool = False
    #: Display names the switch gave WWPNs (flogi/fcns device aliases, zone annotations).
    names: dict[str, str] = field(default_factory=dict)
    version: str = ""
