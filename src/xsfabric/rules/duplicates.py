"""Duplicate MAC addresses among VIFs and PIFs, within and across pools (beyond the guide).

Not every repeated MAC is a conflict: every VLAN PIF carries ``fe:ff:ff:ff:ff:ff``, a bond
master takes its primary member's MAC, and a VM snapshot (or a template made from a VM) keeps
the VM's VIF MACs. Those are left out; what remains would make two live interfaces answer to
one address, and switches then flap between their ports.
"""

from __future__ import annotations

from typing import Any

from xsfabric.model.xen import VLAN_PIF_MAC
from xsfabric.rules.engine import Category, RuleContext, Severity, rule, subject

_IGNORED = frozenset({"", VLAN_PIF_MAC, "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"})


@rule(
    "xen-duplicate-mac",
    title="Duplicate MAC address",
    severity=Severity.HIGH,
    category=Category.XENSERVER,
    guide=(),
    references=(
        "IEEE 802-2014 clause 8 (a MAC address identifies one interface on a LAN)",
        "XenServer docs: VIF MAC addresses are generated unique per pool, not across "
        "pools (Networking > MAC addresses)",
    ),
    rationale="Two interfaces with one MAC on the same layer-2 domain break forwarding for "
    "both and let one VM receive the other's traffic; duplicate NIC MACs also break "
    "cabling correlation.",
    remediation="Give one of the VIFs a new MAC: xe vif-destroy uuid=… then xe vif-create "
    "vm-uuid=… network-uuid=… device=… (without mac= a random one is generated)",
)
def duplicate_mac(ctx: RuleContext) -> None:
    holders: dict[str, list[dict[str, Any]]] = {}
    first_pool: dict[str, Any] = {}
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        for pif in pool.pifs.values():
            if pif.mac in _IGNORED or pif.is_bond_master or pif.vlan >= 0:
                continue
            if not pif.physical:
                continue  # tunnel and SR-IOV logical PIFs mirror other PIFs
            holders.setdefault(pif.mac, []).append(
                {
                    "pool": pool.name,
                    "kind": "PIF",
                    "host": facts.host_label(pif.host_uuid),
                    "device": pif.device,
                    "uuid": pif.uuid,
                }
            )
            first_pool.setdefault(pif.mac, pool)
        for vif in pool.vifs.values():
            vm = pool.vms.get(vif.vm_uuid or "")
            if vif.mac in _IGNORED or vm is None or not vm.is_guest:
                continue
            holders.setdefault(vif.mac, []).append(
                {
                    "pool": pool.name,
                    "kind": "VIF",
                    "vm": vm.name_label,
                    "device": vif.device,
                    "uuid": vif.uuid,
                }
            )
            first_pool.setdefault(vif.mac, pool)
    for mac, found in sorted(holders.items()):
        if len(found) < 2:
            continue
        pools = sorted({h["pool"] for h in found})
        where = f"pool {pools[0]}" if len(pools) == 1 else f"pools {', '.join(pools)}"
        described = [f"{h['kind']} {h.get('vm') or h.get('host')}/{h['device']}" for h in found]
        ctx.finding(
            subject(first_pool[mac] if len(pools) == 1 else None, mac=mac),
            f"MAC {mac} is used {len(found)} times in {where}: {', '.join(described)}",
            {"mac": mac, "holders": found, "pools": pools},
        )
