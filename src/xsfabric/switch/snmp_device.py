"""The indexes of one device's base walk that every MIB family's table needs: ifIndex → name
(IF-MIB) and bridge port → ifIndex (BRIDGE-MIB), plus the device's parse warnings."""

from __future__ import annotations

from pathlib import Path

from xsfabric.names import canonical_interface
from xsfabric.switch.mib_bridge import bridge_port_table
from xsfabric.switch.mib_if import IF_DESCR, IF_NAME, IF_TYPE
from xsfabric.switch.model import ParseWarning
from xsfabric.switch.snmp_files import Walk
from xsfabric.switch.snmp_values import display_text


class SnmpDevice:
    """Indexes of one device's base walk that the MIB-family tables share."""

    def __init__(self, device: str, walk: Walk) -> None:
        self.device = device
        self.walk = walk
        self.warnings: list[ParseWarning] = []
        descr, names = walk.column(IF_DESCR), walk.column(IF_NAME)
        self.if_names: dict[int, str] = {}
        self.if_types = {i[0]: v.integer for i, v in walk.column(IF_TYPE).items() if len(i) == 1}
        for index in sorted(set(descr) | set(names)):
            raw = display_text(names.get(index)) or display_text(descr.get(index))
            if len(index) == 1 and raw:
                self.if_names[index[0]] = canonical_interface(raw)
        self.bridge_ports = bridge_port_table(walk)

    def warn(self, path: Path, line: int | None, message: str) -> None:
        self.warnings.append(ParseWarning(self.device, path.name, line, message))

    def port_of_bridge(self, bridge_port: int, table: dict[int, int] | None = None) -> str | None:
        """Interface of a bridge port. Some agents (TP-Link JetStream) number the base port
        table by ifIndex but report FDB ports as positions 1..N in it: that is used only when
        the number is no key of the table."""
        ports = table if table is not None else self.bridge_ports
        if_index = ports.get(bridge_port)
        if if_index is None and 1 <= bridge_port <= len(ports) and min(ports) > len(ports):
            if_index = ports[sorted(ports)[bridge_port - 1]]
        return self.if_names.get(if_index) if if_index is not None else None
