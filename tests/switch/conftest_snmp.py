"""One snmpsim for the whole test session: the lab switches (v2c and v3) and, where the shared
corpus is present, the LibreNMS recordings (community = file stem).

Registered through ``tests/switch/conftest.py`` (an import there), so that every test module
shares the one session-scoped process.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.corpus import corpus_root

from xsfabric.inventory import InventoryHost
from xsfabric.kinds import DeviceKind
from xsfabric.lab.render_snmprec import write_snmprec_device
from xsfabric.lab.snmpsim import Snmpsim, V3User
from xsfabric.lab.switches import LAB_PLATFORMS, lab_switch

#: The LibreNMS recordings, wherever tests/corpus.py finds the corpus (XSFABRIC_CORPUS too).
CORPUS = corpus_root() / "snmp" / "librenms"
V3 = V3User(
    user="xsf-ro",
    auth_key="lab-auth-key-1",
    priv_key="lab-priv-key-1",
    auth_protocol="SHA",
    priv_protocol="AES",
)
#: The v3 copy of lab-sw1: snmpsim selects data by context name, so its base context is this
#: file's stem and its per-VLAN contexts are Cisco's own ``vlan-N``.
V3_DEVICE = "lab-sw1"
V3_CONTEXT = "lab-sw1-v3"


@dataclass(frozen=True, slots=True)
class SnmpLab:
    port: int
    data_dir: Path
    librenms: tuple[str, ...]  # stems of the LibreNMS recordings served


def snmp_host(
    name: str, port: int, community: str | None = None, platform: str | None = None, **snmp: object
) -> InventoryHost:
    settings: dict[str, object] = {
        "version": "2c",
        "community": community or name,
        "port": port,
        "timeout": 1.0,
        "retries": 1,
        **snmp,
    }
    return InventoryHost(
        name=name,
        hostname="127.0.0.1",
        kind=DeviceKind.SWITCH,
        platform=platform,
        port=None,
        username=None,
        password=None,
        data={"kind": "switch", "collect": ["snmp"], "snmp": settings},
        connection_options={},
        groups=(),
        source="test",
    )


def v3_host(port: int, auth_key: str = V3.auth_key) -> InventoryHost:
    return snmp_host(
        V3_DEVICE,
        port,
        version="3",
        community=None,
        user=V3.user,
        auth_protocol="sha",
        auth_key=auth_key,
        priv_protocol="aes",
        priv_key=V3.priv_key,
        context=V3_CONTEXT,
    )


@pytest.fixture(scope="session")
def snmp_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpLab]:
    data = tmp_path_factory.mktemp("snmpsim-data")
    for name, platform in LAB_PLATFORMS.items():
        write_snmprec_device(data, lab_switch(name), platform)
    write_snmprec_device(
        data,
        lab_switch(V3_DEVICE),
        LAB_PLATFORMS[V3_DEVICE],
        community=V3_CONTEXT,
        vlan_name="vlan-{vlan}",
    )
    librenms: list[str] = []
    if CORPUS.is_dir():
        for recording in sorted(CORPUS.glob("*.snmprec")):
            shutil.copy(recording, data / recording.name)
            librenms.append(recording.stem)
    with Snmpsim(data, v3=V3) as sim:
        yield SnmpLab(sim.port, data, tuple(librenms))
