"""The records correlation produces: where every physical host NIC is cabled, and why.

A placement is never a silent guess: it is ``placed`` (one logical switch endpoint, with the
evidence that put it there), ``contradicted`` (the evidence names several endpoints: each one
is shown) or ``unplaced`` (with the reason no endpoint could be named). Nothing is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from xsfabric.switch.model import PortMode


class Status(StrEnum):
    PLACED = "placed"
    CONTRADICTED = "contradicted"
    UNPLACED = "unplaced"


class EvidenceKind(StrEnum):
    """Evidence kinds, strongest first (the DESIGN's precedence)."""

    HOST_LLDP = "host-lldp"
    SWITCH_LLDP = "switch-lldp"
    SWITCH_CDP = "switch-cdp"
    FDB = "fdb"
    ARP = "arp"


#: Confidence of a placement by the strongest evidence kind behind it.
CONFIDENCE: dict[EvidenceKind, str] = {
    EvidenceKind.HOST_LLDP: "high",
    EvidenceKind.SWITCH_LLDP: "high",
    EvidenceKind.SWITCH_CDP: "high",
    EvidenceKind.FDB: "medium",
    EvidenceKind.ARP: "low",
}


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A switch port as correlation sees it: the physical port when the evidence names it,
    the LAG it belongs to, and the MLAG / vPC pair that makes two switches one endpoint."""

    switch: str
    #: Canonical port name (a physical port; a LAG name when only the LAG is known).
    port: str
    lag: str | None = None
    #: The other switch of the MLAG / vPC pair, when the LAG is an MLAG.
    mlag_peer: str | None = None
    mlag_id: int | None = None

    @property
    def logical(self) -> tuple[str, ...]:
        """The key two endpoints share when they are one logical endpoint: the MLAG (pair,
        id), else the LAG, else the port."""
        if self.mlag_id is not None and self.mlag_peer is not None:
            pair = sorted((self.switch, self.mlag_peer))
            return ("mlag", pair[0], pair[1], str(self.mlag_id))
        if self.lag is not None:
            return ("lag", self.switch, self.lag)
        return ("port", self.switch, self.port)

    def label(self) -> str:
        text = f"{self.switch} {self.port}"
        if self.lag and self.lag != self.port:
            text += f" ({self.lag})"
        if self.mlag_peer:
            text += f" [MLAG {self.mlag_id} with {self.mlag_peer}]"
        return text


@dataclass(frozen=True, slots=True)
class Evidence:
    """One observation that names an endpoint for a MAC or a NIC, and where it came from."""

    kind: EvidenceKind
    endpoint: Endpoint
    #: Where the observation is stored: xapi field, switch command / getter / MIB.
    source: str
    detail: str
    line: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "kind": str(self.kind),
            "switch": self.endpoint.switch,
            "port": self.endpoint.port,
            "source": self.source,
            "detail": self.detail,
            "line": self.line,
        }


@dataclass(frozen=True, slots=True)
class PortConfig:
    """The configuration of the switch port a NIC lands on (the LAG's for a LAG member),
    and the VLANs actually learned there."""

    description: str = ""
    mode: PortMode = PortMode.UNKNOWN
    access_vlan: int | None = None
    native_vlan: int | None = None
    allowed_vlans: tuple[int, ...] | None = None
    admin_up: bool | None = None
    oper_up: bool | None = None
    #: VLANs with a MAC learned on the port (any MAC).
    learned_vlans: tuple[int, ...] = ()
    #: VLANs on which guest VIF MACs (Xen OUI or known VIFs) are learned on the port.
    guest_vlans: tuple[int, ...] = ()

    def carries(self, vlan: int | None) -> bool | None:
        """Whether the port passes ``vlan`` (None = untagged); None = not known."""
        if self.mode == PortMode.ACCESS:
            if self.access_vlan is None:
                return None
            return vlan is None or vlan == self.access_vlan
        if self.mode == PortMode.TRUNK:
            if vlan is None:
                return True  # untagged frames ride the native VLAN
            if self.allowed_vlans is None:
                return None
            return vlan in self.allowed_vlans
        return None

    @property
    def untagged_vlan(self) -> int | None:
        """Where untagged frames land: the access VLAN, or the trunk's native VLAN."""
        if self.mode == PortMode.ACCESS:
            return self.access_vlan
        if self.mode == PortMode.TRUNK:
            return self.native_vlan
        return None

    def vlan_set(self) -> tuple[int, ...] | None:
        """Every VLAN the port carries (tagged or not); None = not known."""
        if self.mode == PortMode.ACCESS:
            return None if self.access_vlan is None else (self.access_vlan,)
        if self.mode == PortMode.TRUNK and self.allowed_vlans is not None:
            return self.allowed_vlans
        return None


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one physical NIC (PIF) of a host is cabled."""

    pool: str
    host_uuid: str
    host: str
    pif_uuid: str
    device: str
    mac: str
    status: Status
    endpoint: Endpoint | None = None
    port: PortConfig | None = None
    evidence: tuple[Evidence, ...] = ()
    confidence: str | None = None
    #: Why unplaced, or what disagrees when contradicted.
    reason: str = ""
    #: For a contradicted placement: every endpoint the evidence names.
    candidates: tuple[Endpoint, ...] = ()
    #: The bond this NIC is a member of (the bond's device), and the bond mode.
    bond: str | None = None
    bond_mode: str | None = None
    carrier: bool | None = None

    @property
    def evidence_kinds(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for item in self.evidence:
            seen.setdefault(str(item.kind), None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class BondPlacement:
    """A bond as a whole: where its members land, and whether that is one LAG / MLAG pair."""

    pool: str
    host_uuid: str
    host: str
    bond_uuid: str
    device: str
    mode: str
    members: tuple[str, ...]  # member PIF uuids, by device
    #: The logical endpoint every placed member shares (LAG / MLAG pair), when they do.
    endpoint: Endpoint | None
    #: The switches the placed members land on.
    switches: tuple[str, ...]
    #: Members whose placement is not ``placed``.
    unplaced_members: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VifSighting:
    """A guest VIF MAC learned on an edge port: which VLAN the port really carries."""

    mac: str
    switch: str
    port: str
    vlan: int | None


@dataclass(slots=True)
class Cabling:
    """The result of correlating one estate."""

    placements: list[Placement] = field(default_factory=list)
    bonds: list[BondPlacement] = field(default_factory=list)
    #: Guest VIF MAC → where it is learned (edge ports only).
    vifs: dict[str, list[VifSighting]] = field(default_factory=dict)
    #: (switch, port) → the reason the port is an uplink (switch neighbour, peer link …).
    uplinks: dict[tuple[str, str], str] = field(default_factory=dict)
    #: Switches the snapshot names but whose collection failed: name → status.
    not_collected: dict[str, str] = field(default_factory=dict)
    #: The MLAG / vPC pairs found: switch → peer.
    mlag_pairs: dict[str, str] = field(default_factory=dict)
    #: Per pool name, PIF uuid → placement (same objects as ``placements``).
    by_pif: dict[str, Placement] = field(default_factory=dict)

    def placement(self, pif_uuid: str) -> Placement | None:
        return self.by_pif.get(pif_uuid)
