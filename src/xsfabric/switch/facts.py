"""The parse layer's entry point: snapshot files → facts, per device kind and method.

Parsers are registered per device kind in :data:`PARSERS`, each behind the small
:class:`MethodParser` interface (which method's captures it reads, whether they are in a device
folder, how to parse them); like hier_config's ``get_hconfig_driver``, :func:`get_parsers` is
the one lookup. Ethernet switches register CLI, NAPALM and SNMP; FC switches (``fc-switch``)
and arrays (``array``) register theirs the same way, with their own facts type.

For switches, :func:`load_switch_facts` gives one :class:`SwitchFacts` per method whose raw
captures are present (reading only files); :func:`merged_facts` combines them table by table,
preferring CLI, then NAPALM, then SNMP, and keeps every method's parse warnings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from xsfabric.kinds import DeviceKind
from xsfabric.san.array_load import has_array_captures, parse_array_device
from xsfabric.san.parse import has_fc_captures, parse_fc_switch
from xsfabric.snapshot import Snapshot
from xsfabric.switch.capture import has_cli
from xsfabric.switch.cli_parse import parse_cli_device
from xsfabric.switch.model import CollectionMethod, SwitchFacts
from xsfabric.switch.napalm_parse import has_napalm, parse_napalm_device
from xsfabric.switch.snmp_parse import has_snmp, parse_snmp_device

#: Table preference when several methods give the same table.
PREFERENCE = (CollectionMethod.CLI, CollectionMethod.NAPALM, CollectionMethod.SNMP)
TABLES = ("facts", "ports", "fdb", "lldp", "vlans", "cdp", "arp", "mlag")

FactsT = TypeVar("FactsT")
FactsT_co = TypeVar("FactsT_co", covariant=True)


class MethodParser(Protocol[FactsT_co]):
    """Reads the raw captures one collection method left in a device folder. Pure: files in,
    facts out; a capture it cannot read becomes a warning inside the facts, never an
    exception."""

    @property
    def method(self) -> str:
        """The collection method whose captures this parser reads (``cli``, ``snmp`` …)."""
        ...

    def present(self, device_dir: Path) -> bool:
        """True when the folder holds this method's captures."""
        ...

    def parse(self, device_dir: Path, device: str) -> FactsT_co:
        """The facts of ``device`` from this method's captures in ``device_dir``."""
        ...


@dataclass(frozen=True, slots=True)
class Parser(Generic[FactsT]):
    """A :class:`MethodParser` made of two functions, the usual way to register one."""

    method: str
    present: Callable[[Path], bool]
    parse: Callable[[Path, str], FactsT]


#: Ethernet switch parsers, in table preference order.
SWITCH_PARSERS: tuple[MethodParser[SwitchFacts], ...] = (
    Parser(CollectionMethod.CLI, has_cli, parse_cli_device),
    Parser(CollectionMethod.NAPALM, has_napalm, parse_napalm_device),
    Parser(CollectionMethod.SNMP, has_snmp, parse_snmp_device),
)

#: Parsers per device kind. A new kind adds its row (its facts type is its own).
PARSERS: dict[DeviceKind, tuple[MethodParser[Any], ...]] = {
    DeviceKind.SWITCH: SWITCH_PARSERS,
    # FC switches: zoning and name server, Brocade FOS and Cisco MDS (san/parse.py)
    DeviceKind.FC_SWITCH: (Parser(CollectionMethod.CLI, has_fc_captures, parse_fc_switch),),
    # Storage arrays: ONTAP, Purity, 3PAR listings (san/array_load.py)
    DeviceKind.ARRAY: (Parser(CollectionMethod.CLI, has_array_captures, parse_array_device),),
}


def get_parsers(kind: DeviceKind) -> tuple[MethodParser[Any], ...]:
    """The parsers registered for ``kind``; empty when the kind has none yet."""
    return PARSERS.get(kind, ())


def parse_device(device_dir: Path, device: str, kind: DeviceKind) -> list[Any]:
    """One facts object per registered method of ``kind`` whose captures are present."""
    return [p.parse(device_dir, device) for p in get_parsers(kind) if p.present(device_dir)]


def load_device_facts(device_dir: Path, device: str) -> list[SwitchFacts]:
    """The switch facts of one device folder, one per method present."""
    return [
        f for f in parse_device(device_dir, device, DeviceKind.SWITCH) if isinstance(f, SwitchFacts)
    ]


def switch_devices(snapshot: Snapshot) -> list[str]:
    """Ethernet switches: devices of kind ``switch``, less an MDS recorded as one (a
    ``cisco_nxos`` device whose captures are an FC switch's, see ``san/parse.py``)."""
    from xsfabric.san.fabric import snapshot_is_fc_device

    return [
        str(d["name"])
        for d in snapshot.devices(DeviceKind.SWITCH)
        if not snapshot_is_fc_device(snapshot, str(d["name"]), d.get("platform"))
    ]


def device_facts(snapshot: Snapshot, device: str, kind: DeviceKind) -> list[Any]:
    """One facts object per method for ``device`` parsed as ``kind``: the facts stored at
    collect / import time when they are current (:mod:`xsfabric.switch.facts_store`), else
    parsed now from the raw captures (an older snapshot, a newer parser, edited captures)."""
    from xsfabric.switch.facts_store import StoredFactsError, load_stored

    try:
        return load_stored(snapshot, device, kind)
    except StoredFactsError:
        device_dir = snapshot.device_dir(device)
        return parse_device(device_dir, device, kind) if device_dir.is_dir() else []


def load_switch_facts(snapshot: Snapshot, device: str) -> list[SwitchFacts]:
    """One :class:`SwitchFacts` per method present in the snapshot for ``device``."""
    if not snapshot.device_dir(device).is_dir():
        return []
    return [
        f for f in device_facts(snapshot, device, DeviceKind.SWITCH) if isinstance(f, SwitchFacts)
    ]


def merged_facts(device: str, per_method: list[SwitchFacts]) -> SwitchFacts:
    """Per table, the most preferred method that has it; warnings of all methods."""
    ordered = sorted(per_method, key=lambda f: PREFERENCE.index(f.method))
    merged = SwitchFacts(
        device=device, method=ordered[0].method if ordered else CollectionMethod.CLI
    )
    for table in TABLES:
        for facts in ordered:
            value = getattr(facts, table)
            if value is not None:
                setattr(merged, table, value)
                break
    for facts in ordered:
        merged.warnings.extend(facts.warnings)
    return merged
