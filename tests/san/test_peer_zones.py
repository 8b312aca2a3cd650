"""Brocade peer zones: the property member is no device, principal ↔ peer only, and peer
zones are single-initiator zoning's accepted alternative (the template fixtures as input)."""

from __future__ import annotations

from pathlib import Path

from xsfabric.model.estate import Estate
from xsfabric.rules.engine import run_rules
from xsfabric.san.fabric import merge_views
from xsfabric.san.model import MemberKind
from xsfabric.san.parse import BROCADE, DeviceCaptures, brocade_view
from xsfabric.switch.textfsm_parse import parse_output

FIXTURES = Path(__file__).parents[1] / "templates" / "brocade_fos"
H1, H2, T = "21:00:00:24:ff:00:00:01", "21:00:00:24:ff:00:00:02", "50:0a:09:81:00:00:00:01"


def _captures(with_peer_detail: bool) -> DeviceCaptures:
    rows = {
        "cfgshow": parse_output(
            BROCADE, "cfgshow", (FIXTURES / "cfgshow/brocade_fos_cfgshow.raw").read_text()
        ),
        "nsshow": parse_output(
            BROCADE, "nsshow", (FIXTURES / "nsshow/brocade_fos_nsshow.raw").read_text()
        ),
    }
    if with_peer_detail:
        raw = FIXTURES / "zoneshow_--peerzone_all/brocade_fos_zoneshow_--peerzone_all.raw"
        rows["peerzones"] = parse_output(BROCADE, "zoneshow --peerzone all", raw.read_text())
    return DeviceCaptures("fabsw1", BROCADE, rows)


def test_peer_zone_sides_and_reach() -> None:
    fabric = merge_views([brocade_view(_captures(with_peer_detail=True))])
    assert fabric.effective_zones is not None
    zone = fabric.effective_zones["pz_ontap_targets"]
    assert zone.peer
    assert [(m.kind, m.role) for m in zone.members] == [
        (MemberKind.PROPERTY, None),
        (MemberKind.WWPN, "principal"),
        (MemberKind.WWPN, "peer"),
        (MemberKind.WWPN, "peer"),
    ]
    reach = fabric.zoned_with()
    assert reach[H1] == {T}  # the peer zone: not H2; z_xs1_hba0_ontap_0a: T
    assert reach[T] >= {H1, H2}


def test_peer_zone_without_detail_is_still_a_peer_zone() -> None:
    """From cfgshow alone the property member marks the zone; its sides are unknown."""
    fabric = merge_views([brocade_view(_captures(with_peer_detail=False))])
    assert fabric.effective_zones is not None
    assert fabric.effective_zones["pz_ontap_targets"].peer


def test_peer_zone_is_not_a_multi_initiator_or_host_to_host_zone() -> None:
    fabric = merge_views([brocade_view(_captures(with_peer_detail=True))])
    estate = Estate(
        snapshot=None,  # type: ignore[arg-type]
        pools=[],
        policy=None,
        fabrics=[fabric],
    )
    found = set()
    for f in run_rules(estate).findings:
        zone = f.subject.get("zone")
        found.add((f.rule_id, zone.name if zone is not None else ""))
    assert ("zoning-multi-initiator-zone", "pz_ontap_targets") not in found
    assert ("zoning-initiator-to-initiator", "pz_ontap_targets") not in found
    # the fixture's other planted zoning is seen: port members and an empty zone
    assert ("zoning-port-members", "z_port_based") in found
    assert ("zoning-empty-or-single-member-zone", "z_unused_empty") in found
