"""Benchmark: correlate 3,000 host NICs with switch FDBs of 20,000, 200,000 and 2,000,000
entries.

Builds the models directly (the parsers are measured elsewhere): one pool of 300 hosts with 10
NICs each and two running guests per host; 63 switches of 48 edge ports and 2 uplinks with an
LLDP switch neighbour each. Every NIC's MAC is learned on its port; the rest of each FDB is
foreign MACs: three on every edge port, the rest on the uplinks (where a real network learns
them). Times :func:`xsfabric.correlate.correlate_pools` only (best of N),
checks that every NIC is placed on its port, and prints the figures.

Target: under 5 s at 200,000 entries, growing linearly; exits 1 when the target is missed.

    .venv/bin/python bench/bench_correlate.py [--runs 3] [--sizes 20000,200000,2000000]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time

from xsfabric.correlate import Status, correlate_pools
from xsfabric.model.xen import Host, Network, Pif, Pool, Vif, Vm
from xsfabric.switch.model import (
    CollectionMethod,
    FdbEntry,
    LldpNeighbor,
    PortMode,
    SwitchFacts,
    SwitchPort,
)

TARGET_SECONDS = 5.0
TARGET_SIZE = 200_000
HOSTS, NICS, GUESTS = 300, 10, 2
SWITCHES, EDGE_PORTS = 63, 48
EDGE_STRAYS = 3  # foreign MACs per edge port (a host's iLO bridged, a moved laptop …)


def _mac(prefix: int, n: int) -> str:
    return (
        f"{prefix:02x}:{(n >> 32) & 0xFF:02x}:{(n >> 24) & 0xFF:02x}:"
        f"{(n >> 16) & 0xFF:02x}:{(n >> 8) & 0xFF:02x}:{n & 0xFF:02x}"
    )


def build_pool() -> tuple[Pool, dict[str, tuple[str, str]]]:
    """The pool, and per NIC uuid the (switch, port) it is cabled to."""
    pool = Pool(
        name="bench",
        uuid="pool",
        name_label="bench",
        master_uuid="h0",
        other_config={},
        tags=[],
        source="bench",
        collected_at=None,
        names_unresolved=False,
        resolved={},
    )
    pool.networks["net"] = Network(
        uuid="net",
        name_label="guests",
        name_description="",
        bridge="xenbr0",
        mtu=1500,
        other_config={},
        tags=[],
        default_locking_mode="unlocked",
    )
    cabled: dict[str, tuple[str, str]] = {}
    slot = 0
    for h in range(HOSTS):
        host = Host(
            uuid=f"h{h}",
            name_label=f"hv{h:03}",
            hostname=f"hv{h:03}",
            address="",
            enabled=True,
            https_only=True,
        )
        pool.hosts[host.uuid] = host
        for n in range(NICS):
            uuid = f"h{h}-eth{n}"
            pif = Pif(
                uuid=uuid,
                host_uuid=host.uuid,
                device=f"eth{n}",
                mac=_mac(0x3C, h * NICS + n),
                vlan=-1,
                physical=True,
                management=n == 0,
                network_uuid="net",
                currently_attached=True,
                ip_mode="None",
                ip="",
                netmask="",
                gateway="",
                ipv6_mode="None",
                ipv6=[],
                dns="",
                mtu=1500,
                disallow_unplug=False,
                other_config={},
                physical_pif_uuids=(uuid,),
                carrier=True,
            )
            pool.pifs[uuid] = pif
            host.pif_uuids.append(uuid)
            cabled[uuid] = (f"sw{slot // EDGE_PORTS:02}", f"Ethernet{slot % EDGE_PORTS + 1}")
            slot += 1
        for g in range(GUESTS):
            vm = Vm(
                uuid=f"vm{h}-{g}",
                name_label=f"vm{h}-{g}",
                is_control_domain=False,
                is_a_template=False,
                is_a_snapshot=False,
                power_state="Running",
                resident_on=host.uuid,
                tags=[],
                other_config={},
            )
            vif = Vif(
                uuid=f"vif{h}-{g}",
                device="0",
                mac=_mac(0x00, 0x163E000000 + h * 16 + g),
                vm_uuid=vm.uuid,
                network_uuid="net",
                currently_attached=True,
                locking_mode="network_default",
                ipv4_allowed=[],
                ipv6_allowed=[],
                other_config={},
            )
            pool.vms[vm.uuid] = vm
            pool.vifs[vif.uuid] = vif
    return pool, cabled


def build_switches(
    pool: Pool, cabled: dict[str, tuple[str, str]], size: int
) -> dict[str, SwitchFacts]:
    switches: dict[str, SwitchFacts] = {}
    for s in range(SWITCHES):
        name = f"sw{s:02}"
        ports = [
            SwitchPort(f"Ethernet{p}", f"Et{p}", mode=PortMode.ACCESS, access_vlan=10)
            for p in range(1, EDGE_PORTS + 3)
        ]
        lldp = [
            LldpNeighbor(
                local_port=f"Ethernet{EDGE_PORTS + u}",
                chassis_id=_mac(2, s * 2 + u),
                port_id=f"Ethernet{s}",
                system_name=f"core{u}",
                capabilities=("bridge", "router"),
            )
            for u in (1, 2)
        ]
        switches[name] = SwitchFacts(
            device=name, method=CollectionMethod.CLI, ports=ports, fdb=[], lldp=lldp
        )
    for uuid, (switch, port) in cabled.items():
        pif = pool.pifs[uuid]
        fdb = switches[switch].fdb
        assert fdb is not None
        fdb.append(FdbEntry(pif.mac, 10, port))
        if pif.device == "eth1":
            for g in range(GUESTS):
                vif = pool.vifs[f"vif{pif.host_uuid[1:]}-{g}"]
                fdb.append(FdbEntry(vif.mac, 10, port))
                fdb.append(FdbEntry(vif.mac, 10, f"Ethernet{EDGE_PORTS + 1}"))
    used = sum(len(f.fdb or []) for f in switches.values())
    names = list(switches)
    uplink = (f"Ethernet{EDGE_PORTS + 1}", f"Ethernet{EDGE_PORTS + 2}")
    stray = SWITCHES * EDGE_PORTS * EDGE_STRAYS
    for n in range(max(0, size - used)):
        fdb = switches[names[n % SWITCHES]].fdb
        assert fdb is not None
        # a few stray MACs on every edge port, everything else on the uplinks
        port = f"Ethernet{(n // SWITCHES) % EDGE_PORTS + 1}" if n < stray else uplink[n % 2]
        fdb.append(FdbEntry(_mac(0x58, n), 10 + n % 4, port))
    return switches


def run(size: int, runs: int) -> tuple[float, int, int]:
    pool, cabled = build_pool()
    switches = build_switches(pool, cabled, size)
    entries = sum(len(f.fdb or []) for f in switches.values())
    best = float("inf")
    result = None
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        result = correlate_pools([pool], switches)
        best = min(best, time.perf_counter() - started)
    assert result is not None
    right = sum(
        1
        for p in result.placements
        if p.status == Status.PLACED
        and p.endpoint
        and (p.endpoint.switch, p.endpoint.port) == cabled[p.pif_uuid]
    )
    return best, entries, right


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="20000,200000,2000000")
    args = parser.parse_args()
    ok = True
    print(f"{'FDB entries':>12} {'NICs':>6} {'placed right':>13} {'seconds':>8} {'us/entry':>9}")
    for size in (int(s) for s in args.sizes.split(",")):
        seconds, entries, right = run(size, args.runs if size <= TARGET_SIZE else 1)
        print(
            f"{entries:>12,} {HOSTS * NICS:>6,} {right:>13,} {seconds:>8.2f} "
            f"{seconds / entries * 1e6:>9.2f}"
        )
        if right != HOSTS * NICS:
            print(f"  FAIL: only {right} of {HOSTS * NICS} NICs placed on their port")
            ok = False
        if size == TARGET_SIZE and seconds > TARGET_SECONDS:
            print(f"  FAIL: {seconds:.2f} s at {size:,} entries (target {TARGET_SECONDS} s)")
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
