"""Correlation: host NICs (PIFs) placed on the switch ports they are cabled to.

Pure functions over the estate model (``Estate.pools`` and ``Estate.switches``); see
:mod:`xsfabric.correlate.place` for the evidence precedence and ``docs/cabling.md``.
"""

from __future__ import annotations

from xsfabric.correlate.model import (
    BondPlacement,
    Cabling,
    Endpoint,
    Evidence,
    EvidenceKind,
    Placement,
    PortConfig,
    Status,
)
from xsfabric.correlate.place import correlate, correlate_pools, physical_nics

__all__ = [
    "BondPlacement",
    "Cabling",
    "Endpoint",
    "Evidence",
    "EvidenceKind",
    "Placement",
    "PortConfig",
    "Status",
    "correlate",
    "correlate_pools",
    "physical_nics",
]
