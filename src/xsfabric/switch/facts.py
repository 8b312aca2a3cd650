"""The parse layer's entry point for switches: snapshot files → :class:`SwitchFacts`.

:func:`load_switch_facts` gives one :class:`SwitchFacts` per method whose raw captures are
present (reading only files); :func:`merged_facts` combines them table by table, preferring
CLI, then NAPALM, then SNMP, and keeps every method's parse warnings.
"""

from __future__ import annotations

from pathlib import Path

from xsfabric.snapshot import Snapshot
from xsfabric.switch.cli_parse import has_cli, parse_cli_device
from xsfabric.switch.model import CollectionMethod, SwitchFacts
from xsfabric.switch.napalm_parse import has_napalm, parse_napalm_device

#: Table preference when several methods give the same table.
PREFERENCE = (CollectionMethod.CLI, CollectionMethod.NAPALM, CollectionMethod.SNMP)
TABLES = ("facts", "ports", "fdb", "lldp", "vlans", "cdp", "arp", "mlag")


def _has_snmp(device_dir: Path) -> bool:
    return any(device_dir.glob("snmpwalk*.txt")) or (device_dir / "snmp.snmprec").is_file()


def load_device_facts(device_dir: Path, device: str) -> list[SwitchFacts]:
    results: list[SwitchFacts] = []
    if has_cli(device_dir):
        results.append(parse_cli_device(device_dir, device))
    if has_napalm(device_dir):
        results.append(parse_napalm_device(device_dir, device))
    if _has_snmp(device_dir):
        try:
            from xsfabric.switch.snmp_parse import parse_snmp_device
        except ImportError:
            pass
        else:
            results.append(parse_snmp_device(device_dir, device))
    return results


def switch_devices(snapshot: Snapshot) -> list[str]:
    """Ethernet switches: devices of kind ``switch``, less an MDS recorded as one (a
    ``cisco_nxos`` device whose captures are an FC switch's, see ``san/parse.py``)."""
    from xsfabric.san.fabric import is_fc_device
    from xsfabric.snapshot import DeviceKind

    return [str(d["name"]) for d in snapshot.devices(DeviceKind.SWITCH)
            if not is_fc_device(snapshot.device_dir(str(d["name"])), d.get("platform"))]


def load_switch_facts(snapshot: Snapshot, device: str) -> list[SwitchFacts]:
    """One :class:`SwitchFacts` per method present in the snapshot for ``device``."""
    device_dir = snapshot.device_dir(device)
    if not device_dir.is_dir():
        return []
    return load_device_facts(device_dir, device)


def merged_facts(device: str, per_method: list[SwitchFacts]) -> SwitchFacts:
    """Per table, the most preferred method that has it; warnings of all methods."""
    ordered = sorted(per_method, key=lambda f: PREFERENCE.index(f.method))
    merged = SwitchFacts(device=device,
                         method=ordered[0].method if ordered else CollectionMethod.CLI)
    for table in TABLES:
        for facts in ordered:
            value = getattr(facts, table)
            if value is not None:
                setattr(merged, table, value)
                break
    for facts in ordered:
        merged.warnings.extend(facts.warnings)
    return merged
