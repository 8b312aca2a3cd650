"""Manual attestation items: guide recommendations no data can decide (G21, G23, G24).

They appear at the end of every report instead of being silently dropped. G24 lists every SR
with its targets, so the reviewer knows which storage locations to attest.
"""

from __future__ import annotations

from typing import Any

from xsfabric.model.estate import Estate
from xsfabric.model.storage import target_names
from xsfabric.rules.engine import Attestation


def _sr_items(estate: Estate) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for pool in estate.pools:
        for sr in sorted(pool.srs.values(), key=lambda s: (s.name_label, s.uuid)):
            targets: list[str] = []
            hosts: list[str] = []
            scsi_ids: list[str] = []
            for pbd_uuid in sr.pbd_uuids:
                pbd = pool.pbds[pbd_uuid]
                for name in target_names(pbd.device_config):
                    if name not in targets:
                        targets.append(name)
                for key in ("SCSIid", "serverpath", "targetIQN", "device"):
                    value = pbd.device_config.get(key)
                    if value and value not in scsi_ids:
                        scsi_ids.append(value)
                host = pool.hosts.get(pbd.host_uuid or "")
                if host is not None:
                    hosts.append(host.name_label)
            items.append(
                {
                    "pool": pool.name,
                    "sr": sr.name_label,
                    "uuid": sr.uuid,
                    "type": sr.type,
                    "shared": sr.shared,
                    "targets": targets,
                    "paths": scsi_ids,
                    "hosts": sorted(hosts),
                }
            )
    return items


def attestations(estate: Estate) -> list[Attestation]:
    return [
        Attestation(
            id="attest-cable-labels",
            guide=("G21",),
            title="Cables are labelled or colour-coded",
            instruction="Confirm every host NIC cable is labelled (or colour-coded) with the "
            "host, NIC and network role it carries.",
            items=tuple(
                {"pool": p.name, "hosts": sorted(h.name_label for h in p.hosts.values())}
                for p in estate.pools
            ),
        ),
        Attestation(
            id="attest-network-location",
            guide=("G23",),
            title="The physical location of the network is protected",
            instruction="Confirm the switches, patch panels and cabling of these pools sit in "
            "access-controlled rooms or racks.",
        ),
        Attestation(
            id="attest-storage-location",
            guide=("G24",),
            title="The physical drives behind every SR are known and secured",
            instruction="For each SR below, confirm where its drives physically are (array, "
            "filer, local disk) and that the location is access-controlled.",
            items=tuple(_sr_items(estate)),
        ),
    ]
