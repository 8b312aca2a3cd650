"""The storage-array side of the estate: volumes (LUNs), host maps, NFS exports, iSCSI CHAP
and data addresses, one normalized set of records whatever the vendor.

Volumes are joined to XenServer SRs through the Linux WWID that xapi stores as the SR's
``SCSIid``: ``3`` followed by the volume's NAA identifier. Vendors derive the NAA from what their
CLI shows in different ways (NetApp: ``600a0980`` + the hex of the ASCII LUN serial; Pure:
``624a9370`` + the volume serial; 3PAR and Primera show the WWN itself), so the derivation
lives here, once, and every parser hands over what its CLI printed.

Initiators (WWPNs, IQNs) are normalized here as well: an igroup written with ``0x`` prefixes,
upper case or without colons must still match a host HBA's WWPN.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from enum import StrEnum

from xsfabric.san.wwn import normalize_wwn

#: IEEE company ids (OUI) of the NAA type-6 identifiers vendors give their volumes, as the
#: first hex digits of the NAA (``6`` + OUI); for the report's "array vendor" guess only.
NAA_VENDOR_PREFIXES: dict[str, str] = {
    "600a0980": "NetApp",
    "624a9370": "Pure Storage",
    "60002ac": "HPE 3PAR/Primera",
    "6005076": "IBM",
    "6006016": "Dell EMC",
    "6001405": "Linux LIO",
    "60060e8": "Hitachi",
}

_HEX = re.compile(r"^[0-9a-f]+$")


def netapp_naa(serial: str) -> str:
    """NetApp ONTAP LUN serial (12 printable ASCII characters) → NAA identifier.

    A real pair (a Linux host's ``multipath -l`` names the LUN whose ONTAP serial is
    ``808E7+JR24n5``)::

    >>> wwid_of_naa(netapp_naa("808E7+JR24n5"))
    '3600a098038303845372b4a5232346e35'
    """
    return "600a0980" + serial.encode("ascii").hex()


def pure_naa(serial: str) -> str:
    """Pure FlashArray volume serial (24 hex digits) → NAA identifier.

    A real pair (VMware names the device ``naa.624a93703b7b308d98f9425e000113e9`` for the
    volume ``purevol list`` shows with serial ``3B7B308D98F9425E000113E9``)::

    >>> pure_naa("3B7B308D98F9425E000113E9")
    '624a93703b7b308d98f9425e000113e9'
    """
    return "624a9370" + serial.strip().lower()


def wwid_of_naa(naa: str) -> str:
    """The Linux WWID (and xapi ``SCSIid``) of a volume with this NAA: ``3`` + NAA."""
    return "3" + naa.lower()


def normalize_scsi_id(value: str) -> str:
    """An SR's ``SCSIid`` in the form volumes are indexed by: lower case, no ``0x``; a bare
    NAA (``6…`` with 32 or 16 hex digits) gets the ``3`` a Linux WWID starts with.

    >>> normalize_scsi_id("3600A098038303845372B4A5232346E35")
    '3600a098038303845372b4a5232346e35'
    >>> normalize_scsi_id("600a098038303845372b4a5232346e35")
    '3600a098038303845372b4a5232346e35'
    """
    text = value.strip().lower().removeprefix("0x")
    if text.startswith("6") and len(text) in (16, 32) and _HEX.match(text):
        return "3" + text
    return text


def vendor_of_wwid(wwid: str) -> str | None:
    naa = wwid[1:] if wwid.startswith("3") else wwid
    for prefix, vendor in NAA_VENDOR_PREFIXES.items():
        if naa.startswith(prefix):
            return vendor
    return None


def normalize_wwpn(value: str) -> str | None:
    """A WWPN in any common notation → lower-case colon form (:func:`xsfabric.san.wwn.
    normalize_wwn`, the one form every SAN join uses); None if it is not a WWPN.

    >>> normalize_wwpn("0x21000024FF3004A5"), normalize_wwpn("21-00-00-24-ff-30-04-a5")
    ('21:00:00:24:ff:30:04:a5', '21:00:00:24:ff:30:04:a5')
    >>> normalize_wwpn("iqn.1994-05.com.redhat:host1") is None
    True
    """
    return normalize_wwn(value)


#: The "initiator" a port-presents VLUN (3PAR) exposes a volume to: every host on the port.
PORT_PRESENTS = "port-presents:"


def normalize_initiator(value: str) -> str:
    """WWPNs to lower-case colon form, iSCSI names (``iqn.``/``eui.``/``naa.``) to lower
    case (RFC 3720 names are case-insensitive); anything else stripped.

    >>> normalize_initiator("IQN.2025-01.com.Example:ABC"), normalize_initiator("2100001b32a1b2c3")
    ('iqn.2025-01.com.example:abc', '21:00:00:1b:32:a1:b2:c3')
    """
    text = value.strip()
    wwpn = normalize_wwpn(text)
    if wwpn is not None:
        return wwpn
    if text.lower().startswith(("iqn.", "eui.", "naa.")):
        return text.lower()
    return text


class InitiatorKind(StrEnum):
    FC = "fc"
    ISCSI = "iscsi"
    OTHER = "other"


def initiator_kind(initiator: str) -> InitiatorKind:
    if normalize_wwpn(initiator) is not None:
        return InitiatorKind.FC
    if initiator.lower().startswith(("iqn.", "eui.", "naa.")):
        return InitiatorKind.ISCSI
    return InitiatorKind.OTHER


# -- records ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArrayVolume:
    """A block volume (ONTAP LUN, Pure volume, 3PAR VV) and the WWID hosts see it under."""

    array: str
    vserver: str  # ONTAP SVM; "" where the array has none
    name: str  # ONTAP LUN path, Pure/3PAR volume name
    serial: str
    naa: str
    ostype: str = ""

    @property
    def wwid(self) -> str:
        return wwid_of_naa(self.naa)


@dataclass(frozen=True, slots=True)
class HostGroup:
    """An initiator group (ONTAP igroup, Pure host or host group, 3PAR host)."""

    array: str
    vserver: str
    name: str
    protocol: str  # fcp, iscsi, mixed
    ostype: str
    initiators: tuple[str, ...]  # normalized
    portset: str = ""
    #: False where the members are not all known (a 3PAR host set seen only in part).
    complete: bool = True


@dataclass(frozen=True, slots=True)
class LunMap:
    """One volume presented to one initiator group under a LUN id."""

    array: str
    vserver: str
    volume: str
    group: str
    lun_id: int | None


@dataclass(frozen=True, slots=True)
class Portset:
    array: str
    vserver: str
    name: str
    protocol: str
    ports: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NasVolume:
    """A file-system volume exported over NFS: where it is mounted and which policy guards it."""

    array: str
    vserver: str
    name: str
    junction_path: str
    policy: str


@dataclass(frozen=True, slots=True)
class ExportRule:
    """One rule of an export policy, in ONTAP's terms (other NAS servers map to these)."""

    array: str
    vserver: str
    policy: str
    index: int
    protocols: tuple[str, ...]
    clients: tuple[str, ...]
    ro_rule: tuple[str, ...]
    #: None where the capture does not show it (the table form has neither column).
    rw_rule: tuple[str, ...] | None
    superuser: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class ChapSetting:
    """iSCSI authentication of one initiator (``default`` = the SVM-wide default)."""

    array: str
    vserver: str
    initiator: str
    auth_type: str  # none, chap, deny (lower case)
    inbound_user: str = ""


@dataclass(frozen=True, slots=True)
class DataLif:
    """A data address of the array (ONTAP LIF, Pure/3PAR iSCSI port)."""

    array: str
    vserver: str
    name: str
    address: ipaddress.IPv4Interface | ipaddress.IPv6Interface
    status: str = ""
    #: Data protocols (``nfs``, ``iscsi`` …; ``none`` = management only); None = not captured.
    protocols: tuple[str, ...] | None = None

    @property
    def serves_storage(self) -> bool:
        """A LIF clients reach storage through: by its data protocols where they were
        captured, else unless its name says management (``svm1_mgmt``: the usual naming)."""
        if self.protocols is not None:
            return any(p not in ("none", "fcp", "fc-nvme", "-") for p in self.protocols)
        return not re.search(r"mgmt|manage", self.name, re.I)


@dataclass(frozen=True, slots=True)
class TargetPort:
    """An FC target port of the array (ONTAP FC LIF) that hosts are zoned to."""

    array: str
    vserver: str
    name: str
    wwpn: str


@dataclass(frozen=True, slots=True)
class LifProtocols:
    array: str
    vserver: str
    name: str
    protocols: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ArrayWarning:
    """A capture that could not be read (or only in part): what it would give is unknown."""

    device: str
    source: str
    line: int | None
    message: str


@dataclass(slots=True)
class ArrayFacts:
    """Everything parsed from one array's captures. ``None`` = the capture is absent, so the
    facts are unknown (never taken as "none configured")."""

    device: str
    platform: str
    volumes: list[ArrayVolume] | None = None
    groups: list[HostGroup] | None = None
    maps: list[LunMap] | None = None
    portsets: list[Portset] | None = None
    nas_volumes: list[NasVolume] | None = None
    export_rules: list[ExportRule] | None = None
    chap: list[ChapSetting] | None = None
    lifs: list[DataLif] | None = None
    #: FC target ports (ONTAP FC LIFs); None = not captured.
    target_ports: list[TargetPort] | None = None
    #: Data protocols per LIF, where ``-fields data-protocol`` was captured.
    lif_protocols: list[LifProtocols] | None = None
    warnings: list[ArrayWarning] = field(default_factory=list)
