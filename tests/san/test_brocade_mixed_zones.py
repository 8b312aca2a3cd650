"""The FOS command reference's cfgshow example (mixed domain,index and alias members,
aliases expanded in the effective configuration): defined and effective agree, and both
zones are mixed port/WWN zones."""

from __future__ import annotations

from pathlib import Path

from xsfabric.model.estate import Estate
from xsfabric.rules.engine import Severity, run_rules
from xsfabric.san.fabric import merge_views
from xsfabric.san.parse import BROCADE, DeviceCaptures, brocade_view
from xsfabric.switch.textfsm_parse import parse_output

RAW = Path(__file__).parents[1] / "templates/brocade_fos/cfgshow/brocade_fos_cfgshow_spaces.raw"


def test_expanded_aliases_are_not_drift_and_mixed_zones_are_found() -> None:
    rows = parse_output(BROCADE, "cfgshow", RAW.read_text())
    fabric = merge_views([brocade_view(DeviceCaptures("sw", BROCADE, {"cfgshow": rows}))])
    results = run_rules(
        Estate(
            snapshot=None,  # type: ignore[arg-type]
            pools=[],
            policy=None,
            fabrics=[fabric],
        )
    )
    found = {
        (f.rule_id, f.subject["zone"].name if "zone" in f.subject else "", f.severity)
        for f in results.findings
    }
    assert found == {
        ("zoning-port-members", "Blue_zone", Severity.MEDIUM),
        ("zoning-port-members", "Red_zone", Severity.MEDIUM),
    }
    # no name server was captured: the rules that need it say so
    assert {n.rule_id for n in results.not_checked} >= {
        "zoning-multi-initiator-zone",
        "zoning-default-zone-access",
    }
