"""IP storage joined to the array: an SR's target address → the array's data LIF → SVM, and
for NFS the SR's ``serverpath`` → the volume mounted at the longest junction path above it →
its export policy → the policy's rules in evaluation order.

An SR whose address is no LIF of a captured array, or whose path is under no junction, is
*not verified* (with the reason); the rules never treat it as compliant.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from xsfabric.model.storage import target_addresses
from xsfabric.model.xen import Pool, Sr
from xsfabric.san.array import ArrayFacts, DataLif, ExportRule, NasVolume

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NFS_SR_TYPES = frozenset({"nfs"})
ISCSI_SR_TYPES = frozenset({"lvmoiscsi", "iscsi", "lvmoiscsi2"})


@dataclass(frozen=True, slots=True)
class SrEndpoint:
    """One IP-based SR of a pool and the array data LIF(s) its targets are."""

    pool: Pool
    sr: Sr
    addresses: tuple[IPAddress, ...]
    lifs: tuple[DataLif, ...]
    unverified: str = ""


@dataclass(frozen=True, slots=True)
class NfsExport:
    """An NFS SR followed to the export policy that guards it."""

    endpoint: SrEndpoint
    serverpath: str
    volume: NasVolume | None
    rules: tuple[ExportRule, ...]
    unverified: str = ""

    @property
    def lif(self) -> DataLif | None:
        return self.endpoint.lifs[0] if self.endpoint.lifs else None


def lif_index(arrays: dict[str, ArrayFacts]) -> dict[IPAddress, list[DataLif]]:
    index: dict[IPAddress, list[DataLif]] = {}
    for facts in arrays.values():
        for lif in facts.lifs or ():
            index.setdefault(lif.address.ip, []).append(lif)
    return index


def _device_config(pool: Pool, sr: Sr) -> dict[str, str]:
    for pbd_uuid in sr.pbd_uuids:
        pbd = pool.pbds.get(pbd_uuid)
        if pbd is not None and pbd.device_config:
            return pbd.device_config
    return {}


def sr_endpoints(
    pools: Iterable[Pool], arrays: dict[str, ArrayFacts], types: frozenset[str]
) -> list[SrEndpoint]:
    """Every SR of the given types with the array LIFs its target addresses belong to."""
    index = lif_index(arrays)
    lifs_known = any(f.lifs is not None for f in arrays.values())
    found: list[SrEndpoint] = []
    for pool in pools:
        for sr in sorted(pool.srs.values(), key=lambda s: (s.name_label, s.uuid)):
            if sr.type not in types:
                continue
            addresses, unresolved = target_addresses(_device_config(pool, sr), pool.resolved)
            lifs = tuple(lif for a in addresses for lif in index.get(a, ()))
            why = ""
            if not addresses and unresolved:
                why = f"target name(s) {', '.join(unresolved)} not resolved"
            elif not lifs_known:
                why = "no array capture lists its network interfaces"
            elif not lifs:
                why = (
                    f"target {', '.join(str(a) for a in addresses)} is no data LIF of the "
                    "captured arrays"
                )
            found.append(SrEndpoint(pool, sr, tuple(addresses), lifs, why))
    return found


def _under(path: str, junction: str) -> bool:
    if not junction:
        return False
    if junction == "/":
        return path == "/"  # the SVM root: other paths are under a volume, or nowhere
    return path == junction or path.startswith(junction.rstrip("/") + "/")


def build_exports(pools: Iterable[Pool], arrays: dict[str, ArrayFacts]) -> list[NfsExport]:
    """Every NFS SR followed to its export rules (or to the reason it cannot be)."""
    volumes: dict[tuple[str, str], list[NasVolume]] = {}
    for facts in arrays.values():
        for volume in facts.nas_volumes or ():
            volumes.setdefault((volume.array, volume.vserver), []).append(volume)
    rules: dict[tuple[str, str, str], list[ExportRule]] = {}
    for facts in arrays.values():
        for rule in facts.export_rules or ():
            rules.setdefault((rule.array, rule.vserver, rule.policy), []).append(rule)
    exports: list[NfsExport] = []
    for endpoint in sr_endpoints(pools, arrays, NFS_SR_TYPES):
        path = _device_config(endpoint.pool, endpoint.sr).get("serverpath", "").strip()
        if endpoint.unverified:
            exports.append(NfsExport(endpoint, path, None, (), endpoint.unverified))
            continue
        lif = endpoint.lifs[0]
        facts = arrays[lif.array]
        if facts.nas_volumes is None or facts.export_rules is None:
            missing = (
                "volume show -fields junction-path,policy"
                if facts.nas_volumes is None
                else "vserver export-policy rule show -instance"
            )
            exports.append(
                NfsExport(
                    endpoint,
                    path,
                    None,
                    (),
                    f"array {lif.array}: {missing} not captured or not readable",
                )
            )
            continue
        candidates = [
            v for v in volumes.get((lif.array, lif.vserver), ()) if _under(path, v.junction_path)
        ]
        if not candidates:
            exports.append(
                NfsExport(
                    endpoint,
                    path,
                    None,
                    (),
                    f"path {path!r} is under no junction path of SVM {lif.vserver} on {lif.array}",
                )
            )
            continue
        volume = max(candidates, key=lambda v: len(v.junction_path))
        own = sorted(rules.get((lif.array, lif.vserver, volume.policy), ()), key=lambda r: r.index)
        exports.append(NfsExport(endpoint, path, volume, tuple(own)))
    return exports
