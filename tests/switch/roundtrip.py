"""The switch round-trip suite: every collection method must give back the lab switches'
truth.

A round trip, not conformance: the captures, snmprec walks and NAPALM results the methods
read are rendered by the project itself from that truth (``xsfabric.lab.render_cli``,
``render_snmprec``, ``render_napalm``), so this proves the methods agree with one another and
with the lab's renderers (collection, transport, parsing, the "not available" rules), not that
they read real devices. Conformance with real devices rests on independent references only:
``test_conformance.py`` (ntc-templates' and NAPALM's expected parses of real captures) and
``test_snmp_librenms.py`` (LibreNMS's expected discovery of real recordings).

Modelled on NAPALM's ``BaseTestGetters``: one test per table, inherited by one small class
per method. A method declares what it *can* give in :attr:`SwitchRoundTrip.capabilities`
(table → compared fields). A table missing from the declaration must come back ``None``
("not available"); a declared table must be present (an empty list is a real answer and is
compared like any other). Fields left out of a declaration are not compared.

How to add a method (the SNMP helper does this in ``test_roundtrip_snmp.py``)::

    from tests.switch.roundtrip import SwitchRoundTrip, PORT_FIELDS

    class TestSnmpRoundTrip(SwitchRoundTrip):
        capabilities = {"facts": {...}, "ports": PORT_FIELDS - {"is_peer_link"}, ...}

        @pytest.fixture(params=[...])
        def roundtrip_case(self, request) -> tuple[SwitchFacts, SwitchFacts]:
            ...  # collect/parse one lab switch
            return truth, got

The fixture **must be named** ``roundtrip_case`` and return ``(truth, got)``: the lab
switch's truth (``xsfabric.lab.switches.lab_switch(name)``) and what the method parsed.

Where what a method can give depends on the platform (the CLI has a peer link only where the
platform has ``show vpc`` / ``show mlag``), override :meth:`SwitchRoundTrip.capabilities_for`.
The MLAG / vPC peer link is checked both ways: declared, it must match the truth; not
declared, every port must say ``None`` (not available), never ``False``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from xsfabric.switch.model import SwitchFacts

FACT_FIELDS = frozenset({"hostname", "vendor", "model", "os_version", "serial"})
PORT_FIELDS = frozenset(
    {
        "short_name",
        "if_index",
        "admin_up",
        "oper_up",
        "speed_mbps",
        "description",
        "mode",
        "access_vlan",
        "native_vlan",
        "allowed_vlans",
        "lag",
        "lag_members",
        "is_peer_link",
    }
)
FDB_FIELDS = frozenset({"mac", "vlan", "port", "entry_type"})
LLDP_FIELDS = frozenset(
    {
        "local_port",
        "chassis_id",
        "chassis_id_subtype",
        "port_id",
        "port_id_subtype",
        "port_description",
        "system_name",
        "management_address",
        "capabilities",
    }
)
VLAN_FIELDS = frozenset({"vlan_id", "name", "state"})
#: CDP neighbours are LLDP records with ``protocol="cdp"``.
CDP_FIELDS = LLDP_FIELDS | {"protocol"}
ARP_FIELDS = frozenset({"ip", "mac", "interface", "vlan"})
MLAG_FIELDS = frozenset({"domain_id", "peer_address", "peer_link", "local_role", "lag_ids"})

#: Interfaces a method may list beyond the truth's switch ports (SVIs, management …).
NON_SWITCH_PORT_PREFIXES = ("vlan", "loopback", "mgmt", "management", "null", "tunnel", "cpu")


def _project(records: Iterable[Any], fields: Iterable[str]) -> list[tuple[Any, ...]]:
    names = sorted(fields)
    return sorted(tuple(str(getattr(r, n)) for n in names) for r in records)


class SwitchRoundTrip:
    """Base class: subclasses set :attr:`capabilities` and provide ``roundtrip_case``."""

    capabilities: ClassVar[dict[str, frozenset[str]]] = {}

    def capabilities_for(self, truth: SwitchFacts) -> dict[str, frozenset[str]]:
        """What the method gives for this lab switch (default: :attr:`capabilities`)."""
        return self.capabilities

    def _check_availability(
        self, got: SwitchFacts, table: str, capabilities: dict[str, frozenset[str]]
    ) -> bool:
        value = getattr(got, table)
        if table not in capabilities:
            assert value is None, (
                f"{got.device}: {got.method} declares {table} not available but gave {value!r:.200}"
            )
            return False
        assert value is not None, (
            f"{got.device}: {got.method} should give {table}; warnings: {got.warnings}"
        )
        return True

    def test_no_parse_warnings(self, roundtrip_case: tuple[SwitchFacts, SwitchFacts]) -> None:
        _, got = roundtrip_case
        assert got.warnings == []

    def test_facts(self, roundtrip_case: tuple[SwitchFacts, SwitchFacts]) -> None:
        truth, got = roundtrip_case
        capabilities = self.capabilities_for(truth)
        if not self._check_availability(got, "facts", capabilities):
            return
        assert truth.facts is not None and got.facts is not None
        for name in sorted(capabilities["facts"]):
            assert getattr(got.facts, name) == getattr(truth.facts, name), name

    def test_ports(self, roundtrip_case: tuple[SwitchFacts, SwitchFacts]) -> None:
        truth, got = roundtrip_case
        capabilities = self.capabilities_for(truth)
        if not self._check_availability(got, "ports", capabilities):
            return
        assert truth.ports is not None and got.ports is not None
        got_by_name = {p.name: p for p in got.ports}
        missing = [p.name for p in truth.ports if p.name not in got_by_name]
        assert missing == [], f"ports missing: {missing}"
        extra = [
            n
            for n in got_by_name
            if n not in {p.name for p in truth.ports}
            and not n.lower().startswith(NON_SWITCH_PORT_PREFIXES)
        ]
        assert extra == [], f"unexpected switch ports: {extra}"
        fields = capabilities["ports"]
        want = _project(truth.ports, fields | {"name"})
        have = _project((got_by_name[p.name] for p in truth.ports), fields | {"name"})
        assert have == want

    def test_fdb(self, roundtrip_case: tuple[SwitchFacts, SwitchFacts]) -> None:
        truth, got = roundtrip_case
        capabilities = self.capabilities_for(truth)
        if not self._check_availability(got, "fdb", capabilities):
            return
        assert truth.fdb is not None and got.fdb is not None
        fields = capabilities["fdb"]
        assert _project(got.fdb, fields) == _project(truth.fdb, fields)

    def test_lldp(self, roundtrip_case: tuple[SwitchFacts, SwitchFacts]) -> None:
        truth, got = roundtrip_case
        capabilities = self.capabilities_for(truth)
        if not self._check_availability(got, "lldp", capabilities):
            return
        assert truth.lldp is not None and got.lldp is not None
        fields = capabilities["lldp"]
        assert _project(got.lldp, fields) == _project(truth.lldp, fields)

    def test_vlans(self, roundtrip_case: tuple[SwitchFacts, SwitchFacts]) -> None:
        truth, got = roundtrip_case
        capabilities = self.capabilities_for(truth)
        if not self._check_availability(got, "vlans", capabilities):
            return
        assert truth.vlans is not None and got.vlans is not None
        fields = capabilities["vlans"]
        assert _project(got.vlans, fields) == _project(truth.vlans, fields)

    def _compare(self, roundtrip_case: tuple[SwitchFacts, SwitchFacts], table: str) -> None:
        truth, got = roundtrip_case
        capabilities = self.capabilities_for(truth)
        if not self._check_availability(got, table, capabilities):
            return
        want, have = getattr(truth, table), getattr(got, table)
        assert want is not None and have is not None
        fields = capabilities[table]
        assert _project(have, fields) == _project(want, fields)

    def test_cdp(self, roundtrip_case: tuple[SwitchFacts, SwitchFacts]) -> None:
        self._compare(roundtrip_case, "cdp")

    def test_arp(self, roundtrip_case: tuple[SwitchFacts, SwitchFacts]) -> None:
        self._compare(roundtrip_case, "arp")

    def test_mlag(self, roundtrip_case: tuple[SwitchFacts, SwitchFacts]) -> None:
        self._compare(roundtrip_case, "mlag")

    def test_peer_link_not_available_is_none(
        self, roundtrip_case: tuple[SwitchFacts, SwitchFacts]
    ) -> None:
        truth, got = roundtrip_case
        if "is_peer_link" in self.capabilities_for(truth).get("ports", frozenset()):
            return  # compared with the truth by test_ports
        assert {p.is_peer_link for p in got.ports or []} <= {None}
