"""Device kinds: the vocabulary every layer shares (inventory, snapshot, collectors, parsers).

Kept in a module of its own, below all of them, so the inventory (input) does not import the
snapshot writer to name a kind, and a registry keyed by kind (collectors in
:mod:`xsfabric.collect`, parsers in :mod:`xsfabric.switch.facts`) can be read by any layer.
"""

from __future__ import annotations

from enum import StrEnum


class DeviceKind(StrEnum):
    """What a device is; the manifest stores the value, the registries are keyed by it."""

    XENSERVER_POOL = "xenserver-pool"
    SWITCH = "switch"
    FC_SWITCH = "fc-switch"
    ARRAY = "array"
