"""Wipe residues as audit findings (category ``wipe``, guide G22).

Why in the audit too: ``xsfabric wipe-check`` answers one device on demand, but a switch
waiting for reuse sits in the estate for weeks; marking it (policy ``switches: {name: {reuse:
true}}`` or inventory ``data.reuse: true``) makes every audit say whether it is still dirty.
The estate loader ran the same comparison (:mod:`xsfabric.switch.wipe`) on the stored,
redacted evidence; this rule only reports it.
"""

from __future__ import annotations

from xsfabric.rules.engine import Category, RuleContext, Severity, SubjectRef, rule


@rule(
    "wipe-residue",
    title="Switch marked for reuse still holds previous configuration",
    severity=Severity.HIGH,
    category=Category.WIPE,
    guide=("G22",),
    rationale="The guide: erase all previous configuration before a switch is reused. "
    "Users, VLANs, addresses, keys labelled with the old hostname and leftover "
    "config files leak the old network and its credentials into the new one.",
    remediation="IOS: write erase, delete flash:vlan.dat and leftover files, crypto key "
    "zeroize rsa, reload; NX-OS: write erase, write erase boot, delete "
    "bootflash: leftovers, reload; EOS: write erase, delete flash: leftovers and "
    "flash:/schedule/tech-support/*, reload; Junos: request system zeroize",
    data=("switch evidence",),
)
def wipe_residue(ctx: RuleContext) -> None:
    for device, result in sorted(ctx.estate.wipe.items()):
        subject = {"device": SubjectRef(device)}
        for residue in result.residues:
            ctx.finding(
                {**subject, "item": SubjectRef(f"{residue.command}: {residue.text}")},
                f"{device}: {residue.message} ({residue.command}, line {residue.line})",
                residue.to_json(),
            )
        if result.missing:
            ctx.not_checked(
                subject,
                f"{device}: wipe evidence missing ("
                + ", ".join(result.missing)
                + "): cannot answer CLEAN",
            )
