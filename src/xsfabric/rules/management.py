"""The management interface itself (guide G16, G17)."""

from __future__ import annotations

from xsfabric.rules.engine import Category, RuleContext, Severity, rule, subject


@rule(
    "xen-https-only-disabled",
    title="Host accepts plain HTTP on port 80",
    severity=Severity.MEDIUM,
    category=Category.XENSERVER,
    guide=("G16",),
    rationale="Without https-only, XAPI answers on TCP 80: session credentials and VM "
    "console traffic can travel unencrypted on the management network.",
    remediation="xe pool-param-set uuid=<pool> https-only=true (sets every host)",
)
def https_only(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        for host in sorted(pool.hosts.values(), key=lambda h: h.name_label):
            if host.https_only is None:
                version = host.software_version.get("product_version") or host.software_version.get(
                    "platform_version", "unknown version"
                )
                ctx.not_checked(
                    subject(pool, host=host),
                    f"host {facts.host_label(host.uuid)} ({version}) predates "
                    "host.https_only (xapi 22.27); probe TCP 80 instead",
                )
                continue
            if not host.https_only:
                ctx.finding(
                    subject(pool, host=host),
                    f"host {facts.host_label(host.uuid)} has https_only=false: XAPI "
                    f"listens on port 80 at {host.address}",
                    {"https_only": False, "address": host.address},
                    remediation=(
                        f"xe pool-param-set uuid={pool.uuid} https-only=true "
                        f"(or xe host-param-set uuid={host.uuid} https-only=true)"
                    ),
                )


@rule(
    "xen-management-without-ip",
    title="Management interface without an IP address",
    severity=Severity.INFO,
    category=Category.XENSERVER,
    guide=("G17",),
    rationale="The guide notes that a management interface without an IP disables remote "
    "management of the host (XenCenter, xe -s, pool operations).",
    remediation="xe host-management-reconfigure pif-uuid=<PIF with an IP>, or "
    "xe pif-reconfigure-ip uuid=… mode=static IP=… netmask=… gateway=…",
)
def management_without_ip(ctx: RuleContext) -> None:
    for pool in ctx.pools:
        facts = ctx.facts(pool)
        for host in sorted(pool.hosts.values(), key=lambda h: h.name_label):
            pif = facts.mgmt_pif.get(host.uuid)
            if pif is None:
                ctx.finding(
                    subject(pool, host=host),
                    f"host {facts.host_label(host.uuid)} has no management interface",
                    {"pifs": len(host.pif_uuids)},
                    remediation="xe host-management-reconfigure pif-uuid=<PIF>",
                )
            elif not pif.has_ip:
                ctx.finding(
                    subject(pool, host=host, pif=pif),
                    f"management interface {pif.device} of host "
                    f"{facts.host_label(host.uuid)} has no IP "
                    f"(mode {pif.ip_mode}): remote management is off",
                    {"ip_configuration_mode": pif.ip_mode, "ip": pif.ip},
                    remediation=f"xe pif-reconfigure-ip uuid={pif.uuid} mode=dhcp "
                    "(or mode=static IP=… netmask=… gateway=…)",
                )
