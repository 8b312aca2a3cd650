"""The CLI method (netmiko over the SSH lab, TextFSM) passes the switch contract."""

from __future__ import annotations

from typing import ClassVar

import pytest
from tests.switch.contract import (
    FACT_FIELDS,
    FDB_FIELDS,
    LLDP_FIELDS,
    PORT_FIELDS,
    VLAN_FIELDS,
    SwitchContract,
)

from xsfabric.lab.switches import LAB_PLATFORMS, lab_switch
from xsfabric.snapshot import Snapshot
from xsfabric.switch.cli_parse import parse_cli_device
from xsfabric.switch.model import SwitchFacts


class TestCliContract(SwitchContract):
    # CLI gives no ifIndex and no LLDP subtypes (IOS/NX-OS print the values, not the kind)
    capabilities: ClassVar[dict[str, frozenset[str]]] = {
        "facts": FACT_FIELDS,
        "ports": PORT_FIELDS - {"if_index"},
        "fdb": FDB_FIELDS,
        "lldp": LLDP_FIELDS - {"chassis_id_subtype", "port_id_subtype"},
        "vlans": VLAN_FIELDS,
    }

    @pytest.fixture(params=sorted(LAB_PLATFORMS))
    def contract_case(self, request: pytest.FixtureRequest,
                      lab_snapshot: Snapshot) -> tuple[SwitchFacts, SwitchFacts]:
        name = request.param
        got = parse_cli_device(lab_snapshot.device_dir(name), name)
        truth = lab_switch(name)
        return truth, got
