"""``xsfabric wipe-check``: is a switch really erased before reuse (guide G22)?

On a snapshot (``xsfabric wipe-check SNAPSHOT --device NAME``) it reads the stored, redacted
evidence outputs; live (``-i INVENTORY --device NAME``) it sends the platform's evidence
commands — every one on the read-only allowlist — and redacts the outputs before analysing
them, so no secret reaches the report. Exit codes: 0 CLEAN, 1 NOT CLEAN, 2 error or missing
evidence (cannot answer CLEAN).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from xsfabric.errors import XsfabricError
from xsfabric.switch.wipe import (
    EVIDENCE,
    Baseline,
    WipeError,
    baseline_dir,
    load_baseline,
    make_baseline,
    render_text,
    snapshot_evidence,
    wipe_check,
)


def register_wipe_check(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("wipe-check", help="verify that a switch was erased before reuse (G22)")
    p.add_argument("snapshot", type=Path, nargs="?", help="snapshot folder (offline mode)")
    p.add_argument("-i", "--inventory", type=Path, help="inventory folder (live mode)")
    p.add_argument("--secrets", type=Path, help="secrets file for the inventory")
    p.add_argument("--device", required=True, help="the switch to check")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument(
        "--baseline",
        metavar="NAME",
        help="compare with a saved golden baseline instead of the shipped factory baseline",
    )
    p.add_argument(
        "--save-baseline",
        metavar="NAME",
        help="save this (freshly reset) device's evidence as baseline NAME",
    )
    p.add_argument(
        "--baseline-dir",
        type=Path,
        help="where baselines are kept (default: $XSFABRIC_BASELINES or "
        "~/.local/share/xsfabric/baselines)",
    )
    p.add_argument("--timeout", type=float, default=30.0, help="live mode: seconds per step")
    p.set_defaults(handler=run_wipe_check)


def _snapshot_evidence(path: Path, device: str) -> tuple[str, dict[str, str], dict[str, str]]:
    from xsfabric.snapshot import Snapshot
    from xsfabric.switch.cli_parse import read_platform

    snapshot = Snapshot.open(path)
    device_dir = snapshot.device_dir(device)
    if not device_dir.is_dir():
        names = ", ".join(d["name"] for d in snapshot.devices()) or "none"
        raise WipeError(f"{path}: no device {device!r} in the snapshot (devices: {names})")
    platform = read_platform(device_dir)
    if platform is None:
        raise WipeError(
            f"{path}: device {device}: platform unknown (no platform file, no show version)"
        )
    outputs, saved_as = snapshot_evidence(device_dir, platform)
    return platform, outputs, saved_as


def live_evidence(
    inventory: Path, secrets: Path | None, device: str, timeout: float
) -> tuple[str, dict[str, str]]:
    """Send the evidence commands (allowlisted) over netmiko; outputs redacted."""
    from netmiko import ConnectHandler

    from xsfabric.collect import CollectOptions
    from xsfabric.inventory import load_inventory
    from xsfabric.redact import Redactor
    from xsfabric.switch.allowlist import check_command, guarded
    from xsfabric.switch.cli_collect import netmiko_params

    inv = load_inventory(inventory, secrets)
    host = inv.hosts.get(device)
    if host is None:
        raise WipeError(f"{inventory}: no host {device!r} in the inventory")
    from xsfabric.platforms import netmiko_device_type, template_platform

    platform = template_platform(host.platform or "")  # cisco_xe, ios … → cisco_ios
    if platform not in EVIDENCE:
        raise WipeError(
            f"{device}: platform {platform!r} has no wipe-check evidence set "
            f"(known: {', '.join(EVIDENCE)})"
        )
    commands = [e.command for e in EVIDENCE[platform]]
    for command in commands:
        check_command(platform, command)
    redactor = Redactor()
    redactor.add_secrets(inv.secrets)
    options = CollectOptions(timeout=timeout)
    outputs: dict[str, str] = {}
    device_type = netmiko_device_type(host.platform or platform)
    conn = ConnectHandler(**netmiko_params(host, device_type, options))
    try:
        send = guarded(platform, conn.send_command)
        if platform in ("cisco_ios", "arista_eos") and not conn.check_enable_mode():
            conn.enable()
        for command in commands:
            outputs[command] = redactor.text(str(send(command, read_timeout=timeout)))
    finally:
        conn.disconnect()
    return platform, outputs


def run_wipe_check(args: argparse.Namespace) -> int:
    if (args.snapshot is None) == (args.inventory is None):
        raise WipeError("give a SNAPSHOT folder or -i INVENTORY (one of them)")
    saved_as: dict[str, str] = {}
    if args.snapshot is not None:
        platform, outputs, saved_as = _snapshot_evidence(args.snapshot, args.device)
    else:
        try:
            platform, outputs = live_evidence(
                args.inventory, args.secrets, args.device, args.timeout
            )
        except XsfabricError:
            raise
        except Exception as exc:
            from xsfabric.switch.collect import classify

            raise WipeError(classify(args.device, "wipe-check", exc).message) from exc
    directory = baseline_dir(args.baseline_dir)
    if args.save_baseline:
        baseline = make_baseline(args.save_baseline, platform, outputs)
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / f"{args.save_baseline}.json"
        target.write_text(json.dumps(baseline.to_json(), indent=1) + "\n", encoding="utf-8")
        print(
            f"saved baseline {args.save_baseline} ({platform}, {baseline.model or '?'}, "
            f"{baseline.release or '?'}) to {target}"
        )
        return 0
    chosen: Baseline | None = load_baseline(args.baseline, directory) if args.baseline else None
    result = wipe_check(args.device, platform, outputs, chosen, saved_as)
    if args.format == "json":
        sys.stdout.write(json.dumps(result.to_json(), indent=1) + "\n")
    else:
        sys.stdout.write(render_text(result))
    return result.exit_code
