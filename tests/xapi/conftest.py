"""Fixtures for the XAPI lab server and live collection tests.

``small_db`` is a hand-built two-host pool that exercises what the corpus dumps lack: a
bond, a VLAN, NFS/iSCSI/SMB SR targets by name, a plain CHAP password, a ``secret`` value,
datetimes, and no derived set fields at all (``host.PIFs``, ``Bond.slaves`` … are left for
the lab to derive, as older dumps do). Corpus dumps come from ``xapi_dumps`` in
``tests/conftest.py``.
"""

from __future__ import annotations

import ssl
import xmlrpc.client
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import XenAPI

from xsfabric.lab.xapi_server import LabPool, start_lab_pool
from xsfabric.xapi.dbdump import XapiDatabase
from xsfabric.xapi.sexpr import format_map, format_set

LAB_USER = "root"
LAB_PASSWORD = "lab-Pa55word-not-real"  # a lab credential; tests assert it never leaks
SECRET_VALUE = "smb-secret-value-xyz"
CHAP_PASSWORD = "plain-chap-secret-xyz"
WLB_PASSWORD = "wlb-secret-pw-xyz"


def _ref(name: str) -> str:
    return f"OpaqueRef:{name}"


def _pif(uuid: str, host: str, device: str, network: str, mac: str, **extra: str) -> dict[str, str]:
    row = {
        "uuid": uuid,
        "host": _ref(host),
        "device": device,
        "network": _ref(network),
        "MAC": mac,
        "MTU": "1500",
        "VLAN": "-1",
        "physical": "true",
        "management": "false",
        "ip_configuration_mode": "None",
        "IP": "",
        "netmask": "",
        "gateway": "",
        "currently_attached": "true",
        "bond_slave_of": "OpaqueRef:NULL",
        "metrics": "OpaqueRef:NULL",
        "other_config": "()",
        "VLAN_master_of": "OpaqueRef:NULL",
    }
    row.update(extra)
    return row


def build_small_db() -> XapiDatabase:
    """A two-host pool: host1 has eth0 (management), bond0 = eth1+eth2, VLAN 20 on bond0."""
    db = XapiDatabase(manifest={"schema_major_vsn": "5", "schema_minor_vsn": "786"})
    t = db.tables
    t["pool"] = {
        _ref("pool"): {
            "uuid": "pool-uuid-1",
            "name_label": "lab-small",
            "master": _ref("host1"),
            "other_config": "()",
            "wlb_password": WLB_PASSWORD,
            "wlb_username": "wlb",
            "telemetry_next_collection": "20240301T00:00:00Z",
        }
    }
    t["host"] = {
        _ref(h): {
            "uuid": f"{h}-uuid",
            "name__label": h,
            "hostname": h,
            "address": f"10.0.0.{i}",
            "enabled": "true",
            "API_version__major": "2",
            "API_version__minor": "21",
            "other_config": "()",
            "memory__overhead": "4194304",
            "software_version": format_map({"product_version": "8.2.1"}),
        }
        for i, h in ((11, "host1"), (12, "host2"))
    }
    t["PIF"] = {
        _ref("h1eth0"): _pif(
            "h1eth0-uuid",
            "host1",
            "eth0",
            "net0",
            "aa:00:00:00:01:00",
            management="true",
            ip_configuration_mode="Static",
            IP="10.0.0.11",
            netmask="255.255.255.0",
            metrics=_ref("pm1"),
        ),
        _ref("h1eth1"): _pif(
            "h1eth1-uuid", "host1", "eth1", "net1", "aa:00:00:00:01:01", bond_slave_of=_ref("bond1")
        ),
        _ref("h1eth2"): _pif(
            "h1eth2-uuid", "host1", "eth2", "net1", "aa:00:00:00:01:02", bond_slave_of=_ref("bond1")
        ),
        _ref("h1bond0"): _pif(
            "h1bond0-uuid", "host1", "bond0", "net1", "aa:00:00:00:01:01", physical="false"
        ),
        _ref("h1vlan20"): _pif(
            "h1vlan20-uuid",
            "host1",
            "bond0",
            "net2",
            "fe:ff:ff:ff:ff:ff",
            physical="false",
            VLAN="20",
            ip_configuration_mode="Static",
            IP="10.20.0.11",
            netmask="255.255.255.0",
        ),
        _ref("h2eth0"): _pif(
            "h2eth0-uuid",
            "host2",
            "eth0",
            "net0",
            "aa:00:00:00:02:00",
            management="true",
            ip_configuration_mode="DHCP",
        ),
    }
    t["PIF_metrics"] = {
        _ref("pm1"): {
            "uuid": "pm1-uuid",
            "carrier": "true",
            "speed": "10000",
            "last_updated": "20240105T10:11:12Z",
            "other_config": "()",
        }
    }
    t["network"] = {
        _ref(n): {
            "uuid": f"{n}-uuid",
            "name__label": label,
            "bridge": bridge,
            "MTU": "1500",
            "other_config": "()",
            "tags": format_set(tags),
        }
        for n, label, bridge, tags in (
            ("net0", "Pool-wide network associated with eth0", "xenbr0", []),
            ("net1", "bond0 guests", "xapi1", ["guest"]),
            ("net2", "Storage VLAN 20", "xapi2", ["storage"]),
        )
    }
    t["VM"] = {
        _ref("dom0-1"): {
            "uuid": "dom0-1-uuid",
            "name__label": "Control domain on host: host1",
            "is_control_domain": "true",
            "is_a_template": "false",
            "resident_on": _ref("host1"),
            "power_state": "Running",
            "snapshot_time": "19700101T00:00:00Z",
            "other_config": "()",
            "guest_metrics": "OpaqueRef:NULL",
        },
        _ref("vm1"): {
            "uuid": "vm1-uuid",
            "name__label": "web01",
            "is_control_domain": "false",
            "is_a_template": "false",
            "resident_on": _ref("host1"),
            "power_state": "Running",
            "snapshot_time": "19700101T00:00:00Z",
            "other_config": "()",
            "guest_metrics": _ref("gm1"),
            "memory__static_max": "8589934592",
        },
    }
    t["VM_guest_metrics"] = {
        _ref("gm1"): {
            "uuid": "gm1-uuid",
            "last_updated": "20240105T10:11:12Z",
            "networks": format_map({"0/ip": "10.1.0.5"}),
            "other_config": "()",
        }
    }
    t["VIF"] = {
        _ref("vif1"): {
            "uuid": "vif1-uuid",
            "VM": _ref("vm1"),
            "network": _ref("net1"),
            "device": "0",
            "MAC": "00:16:3e:00:00:01",
            "MTU": "1500",
            "currently_attached": "true",
            "other_config": "()",
        }
    }
    t["Bond"] = {
        _ref("bond1"): {
            "uuid": "bond1-uuid",
            "master": _ref("h1bond0"),
            "mode": "active-backup",
            "other_config": "()",
        }
    }
    t["VLAN"] = {
        _ref("vlan1"): {
            "uuid": "vlan1-uuid",
            "tagged_PIF": _ref("h1bond0"),
            "untagged_PIF": _ref("h1vlan20"),
            "tag": "20",
            "other_config": "()",
        }
    }
    t["tunnel"] = {}
    t["SR"] = {
        _ref(s): {
            "uuid": f"{s}-uuid",
            "name__label": label,
            "type": kind,
            "shared": "true",
            "content_type": "user",
            "other_config": "()",
            "sm_config": "()",
        }
        for s, label, kind in (
            ("sr_nfs", "NFS VMs", "nfs"),
            ("sr_iscsi", "iSCSI", "lvmoiscsi"),
            ("sr_smb", "ISO share", "smb"),
        )
    }
    configs = {
        "pbd_nfs1": ("sr_nfs", "host1", {"server": "localhost", "serverpath": "/export"}),
        "pbd_nfs2": ("sr_nfs", "host2", {"server": "localhost", "serverpath": "/export"}),
        "pbd_iscsi1": (
            "sr_iscsi",
            "host1",
            {
                "target": "127.0.0.9",
                "multihomelist": "127.0.0.9:3260,[::1]:3260,nonexistent.invalid:3260",
                "chapuser": "iqn-user",
                "chappassword": CHAP_PASSWORD,
            },
        ),
        "pbd_smb1": (
            "sr_smb",
            "host1",
            {
                "server": "\\\\localhost\\iso",
                "username": "smbuser",
                "password_secret": "secret-1-uuid",
            },
        ),
    }
    t["PBD"] = {
        _ref(p): {
            "uuid": f"{p}-uuid",
            "SR": _ref(sr),
            "host": _ref(host),
            "device_config": format_map(config),
            "currently_attached": "true",
            "other_config": "()",
        }
        for p, (sr, host, config) in configs.items()
    }
    t["secret"] = {
        _ref("secret1"): {"uuid": "secret-1-uuid", "value": SECRET_VALUE, "other_config": "()"}
    }
    return db


@pytest.fixture
def small_db() -> XapiDatabase:
    return build_small_db()


LabFactory = Callable[..., LabPool]


@pytest.fixture
def lab_factory(tmp_path: Path) -> Iterator[LabFactory]:
    """Start lab pools (stopped at teardown); keyword arguments go to start_lab_pool."""
    started: list[LabPool] = []

    def start(source: Path | XapiDatabase, addresses: list[str], **kwargs: object) -> LabPool:
        kwargs.setdefault("username", LAB_USER)
        kwargs.setdefault("password", LAB_PASSWORD)
        kwargs.setdefault("cert_dir", tmp_path / "certs")
        pool = start_lab_pool(source, addresses, 0, **kwargs)  # type: ignore[arg-type]
        started.append(pool)
        return pool

    yield start
    for pool in started:
        pool.stop()


@pytest.fixture
def small_lab(lab_factory: LabFactory, small_db: XapiDatabase) -> LabPool:
    """The small pool: master at 127.0.0.31, member at 127.0.0.32."""
    return lab_factory(small_db, ["127.0.0.31", "127.0.0.32"])


@dataclass(frozen=True)
class LabSecrets:
    """The credentials and secret values of the lab pools (tests assert they never leak)."""

    user: str = LAB_USER
    password: str = LAB_PASSWORD
    secret_value: str = SECRET_VALUE
    chap_password: str = CHAP_PASSWORD
    wlb_password: str = WLB_PASSWORD


@pytest.fixture
def secrets() -> LabSecrets:
    return LabSecrets()


def _sdk_session(url: str, ca_file: Path | None) -> XenAPI.Session:
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    return XenAPI.Session(url, transport=xmlrpc.client.SafeTransport(context=context))


@pytest.fixture
def sdk() -> Callable[[str, Path | None], XenAPI.Session]:
    """Make a XenAPI SDK session that pins a CA file (None: the system trust store)."""
    return _sdk_session
