"""A clean two-fabric SAN beside the rule fixtures' clean pools: Brocade fabric FAB_A and an
MDS (VSAN 20) as fabric B, each host HBA single-initiator zoned to the array's target port.
Rule tests change one thing in a copy. The fabrics pass through the lab renderer and the
parsers (a lab round trip), so rules see what they would see from switches."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

from tests.rules.conftest import clean_spec, sr_of

from xsfabric.lab.estate import parse_estate
from xsfabric.lab.fc_gen import write_fabrics
from xsfabric.lab.xapi_dump_gen import MacAllocator, pool_model
from xsfabric.model.estate import Estate
from xsfabric.policy import apply_policy
from xsfabric.rules.engine import RuleResults, run_rules
from xsfabric.san.fabric import Fabric, group_views, merge_views
from xsfabric.san.hba import HbaPort, HostInitiators
from xsfabric.san.parse import parse_fc_device

H1A, H2A = "21:00:00:24:ff:00:00:01", "21:00:00:24:ff:00:00:02"
H1B, H2B = "21:00:00:24:ff:00:01:01", "21:00:00:24:ff:00:01:02"
TA, TB = "50:0a:09:81:00:00:00:01", "50:0a:09:82:00:00:00:01"
HBAS = {"prod-h1": (H1A, H1B), "prod-h2": (H2A, H2B)}

Fabrics = list[dict[str, Any]]


def clean_fabrics() -> Fabrics:
    return [
        {
            "name": "fab-a",
            "platform": "brocade_fos",
            "domain": 1,
            "fabric_name": "FAB_A",
            "cfg": "CFG_A",
            "default_zone": "deny",
            "aliases": {"prod_h1_a": [H1A], "prod_h2_a": [H2A], "ontap_0a": [TA]},
            "zones": {
                "z_prod_h1_a": ["prod_h1_a", "ontap_0a"],
                "z_prod_h2_a": ["prod_h2_a", "ontap_0a"],
            },
            "logins": [
                {"wwpn": H1A, "role": "initiator", "port": 1},
                {"wwpn": H2A, "role": "initiator", "port": 2},
                {"wwpn": TA, "role": "target", "port": 3},
            ],
        },
        {
            "name": "mds-b",
            "platform": "cisco_nxos",
            "domain": 100,
            "vsan": 20,
            "cfg": "ZS_B",
            "default_zone": "deny",
            "device_aliases": {"prod_h1_b": H1B, "prod_h2_b": H2B, "ontap_0b": TB},
            "aliases": {"ontap_b": [TB]},
            "zones": {
                "z_prod_h1_b": ["device-alias prod_h1_b", "fcalias ontap_b"],
                "z_prod_h2_b": [H2B, TB],
            },
            "logins": [
                {"wwpn": H1B, "role": "initiator", "port": 1},
                {"wwpn": H2B, "role": "initiator", "port": 2},
                {"wwpn": TB, "role": "target", "port": 3},
            ],
        },
    ]


def fabric_of(fabrics: Fabrics, name: str) -> dict[str, Any]:
    return next(f for f in fabrics if f["name"] == name)


def build_fabrics(
    specs: Fabrics, strip_logins: str | None = None, strip_zone_db: str | None = None
) -> list[Fabric]:
    """Render, parse and merge; ``strip_logins`` drops one switch's name-server captures,
    ``strip_zone_db`` an MDS's ``show zone`` (its zone sets' zones stay)."""
    with tempfile.TemporaryDirectory() as tmp:
        devices = Path(tmp)
        views = []
        for sw in write_fabrics(specs, devices):
            if sw.name == strip_logins:
                for command in ("nsshow", "nscamshow", "show fcns database", "show flogi database"):
                    (devices / sw.name / f"{command}.txt").unlink(missing_ok=True)
            if sw.name == strip_zone_db:
                (devices / sw.name / "show zone.txt").unlink()
            found, warnings = parse_fc_device(devices / sw.name, sw.name, sw.platform)
            assert warnings == [], warnings
            views.extend(found)
    return sorted((merge_views(g) for g in group_views(views)), key=lambda f: f.name)


def audit_san(
    fabrics: Fabrics,
    pool_mutation: Any = None,
    *,
    strip_logins: str | None = None,
    hbas: dict[str, tuple[str, ...]] | None = None,
) -> RuleResults:
    spec = clean_spec()
    sr_list = next(p for p in spec["pools"] if p["name"] == "prod")["srs"]
    sr_list.append(
        {
            "name": "FC LUN",
            "type": "lvmohba",
            "device_config": {"SCSIid": "3600a098038303053453f463045"},
        }
    )
    if pool_mutation is not None:
        pool_mutation(spec)
    assert sr_of(spec, "prod", "FC LUN")
    estate_spec = parse_estate(copy.deepcopy(spec))
    macs = MacAllocator()
    for pool_spec in estate_spec.pools:
        macs.reserve_pool(pool_spec)
    pools = [pool_model(p, macs) for p in estate_spec.pools]
    apply_policy(pools, None)
    initiators = {}
    for pool in pools:
        for host in pool.hosts.values():
            wwpns = (HBAS if hbas is None else hbas).get(host.name_label, ())
            initiators[host.uuid] = HostInitiators(
                host.uuid,
                pool.name,
                host.name_label,
                tuple(HbaPort(w) for w in wwpns),
                (),
                f"hba/{host.name_label}.txt" if wwpns else "",
            )
    estate = Estate(
        snapshot=None,  # type: ignore[arg-type]
        pools=pools,
        policy=None,
        fabrics=build_fabrics(fabrics, strip_logins),
        initiators=initiators,
    )
    return run_rules(estate)
