"""Brocade switches of one fabric merge into one Fabric (fabricshow sets overlap); switches
of other fabrics and MDS VSANs stay apart."""

from __future__ import annotations

from xsfabric.san.fabric import group_views, merge_views
from xsfabric.san.model import FabricView, Login, MemberKind, PortRole, Zone, ZoneMember

SW1, SW2, SW9 = "10:00:00:05:33:00:01:00", "10:00:00:05:33:00:02:00", "10:00:00:05:33:00:09:00"
H, T = "21:00:00:24:ff:00:00:01", "50:0a:09:81:00:00:00:01"


def _view(device: str, wwn: str, fabric: tuple[str, ...], **kw: object) -> FabricView:
    return FabricView(
        device=device,
        platform="brocade_fos",
        switch_name=device,
        switch_wwn=wwn,
        fabric_switch_wwns=fabric,
        principal_wwn=fabric[0],
        fabric_name="FAB_A" if SW1 in fabric else "",
        **kw,  # type: ignore[arg-type]
    )


def test_switches_of_one_fabric_merge_and_others_do_not() -> None:
    zone = Zone("z", (ZoneMember(MemberKind.PORT, "2,4"), ZoneMember(MemberKind.WWPN, T)))
    sw1 = _view(
        "sw1",
        SW1,
        (SW1, SW2),
        zoning_enabled=True,
        effective_name="CFG",
        effective_zones={"z": zone},
        logins={
            T: Login(T, PortRole.TARGET, switch="sw1", port="3", domain=1),
            H: Login(H, PortRole.UNKNOWN, domain=2, port="4"),
        },  # from nscamshow
        logins_complete=True,
    )
    sw2 = _view(
        "sw2",
        SW2,
        (SW1, SW2),
        zoning_enabled=True,
        logins={H: Login(H, PortRole.INITIATOR, switch="sw2", port="4", domain=2)},
    )
    other = _view("sw9", SW9, (SW9,), zoning_enabled=False, logins={})
    groups = group_views([sw2, other, sw1])
    assert sorted(sorted(v.device for v in g) for g in groups) == [["sw1", "sw2"], ["sw9"]]
    fabric = merge_views(next(g for g in groups if len(g) == 2))
    assert (fabric.name, fabric.switches, fabric.effective_name) == ("FAB_A", ("sw1", "sw2"), "CFG")
    assert fabric.logins is not None and fabric.logins_complete
    # the local login (sw2's nsshow) wins over the remote copy (sw1's nscamshow)
    assert (fabric.logins[H].switch, fabric.logins[H].role) == ("sw2", PortRole.INITIATOR)
    # the domain,index member on the other switch resolves through the merged name server
    assert fabric.member_wwpns(zone.members[0]) == (H,)
    assert fabric.zoned_with() == {H: {T}, T: {H}}


def test_one_switch_with_zoning_off_makes_the_fabric_zoning_off() -> None:
    on = _view("sw1", SW1, (SW1, SW2), zoning_enabled=True)
    off = _view("sw2", SW2, (SW1, SW2), zoning_enabled=False)
    assert merge_views([on, off]).zoning_enabled is False


def _mds(device: str, vsan: int, wwpns: list[str], complete: bool = True) -> FabricView:
    return FabricView(
        device=device,
        platform="cisco_nxos",
        vsan=vsan,
        effective_name="ZS",
        logins={w: Login(w, PortRole.UNKNOWN) for w in wwpns},
        logins_complete=complete,
    )


def test_mds_switches_of_one_fabric_merge_by_their_name_servers() -> None:
    fabric_b = [_mds("mds1", 20, [H, T]), _mds("mds2", 20, [T, "21:00:00:24:ff:00:00:02"])]
    other_fabric = _mds("mds9", 20, ["21:00:00:24:ff:00:09:09"])  # same VSAN number
    other_vsan = _mds("mds1", 30, [H])
    unknown = _mds("mds3", 20, [H], complete=False)  # only its flogi: no tie
    groups = group_views([*fabric_b, other_fabric, other_vsan, unknown])
    assert sorted(sorted(v.device for v in g) for g in groups) == [
        ["mds1"],
        ["mds1", "mds2"],
        ["mds3"],
        ["mds9"],
    ]
    merged = merge_views(next(g for g in groups if len(g) == 2))
    assert (merged.name, merged.switches) == ("mds1 VSAN 20", ("mds1", "mds2"))
    assert merged.logins is not None and len(merged.logins) == 3
