"""``xsfabric demo``: the whole pipeline on the built-in lab estate, on loopback.

1. generate the demo estate's xapi dumps from its compact description;
2. serve each pool with a lab XAPI server over HTTPS (one loopback address per host, a
   freshly generated CA pinned by the inventory — the test pool is reached through a member
   address so the HOST_IS_SLAVE redirect is exercised);
3. write a Nornir inventory for them and collect through the real XenAPI SDK into a snapshot;
4. print what was collected and audit it.

Nothing leaves the machine; the lab password is generated per run and never written.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from xsfabric.collect import CollectOptions, collect_hosts
from xsfabric.errors import MissingExtraError, SnapshotError
from xsfabric.inventory import load_inventory
from xsfabric.kinds import DeviceKind
from xsfabric.model.estate import load_estate
from xsfabric.redact import Redactor, install_log_filter
from xsfabric.snapshot import MANIFEST, Snapshot, SnapshotWriter
from xsfabric.tables import Table, render

DEMO_ESTATE = "demo-estate.yaml"
DEMO_POLICY = "demo-policy.yaml"
PASSWORD_ENV = "XSFABRIC_LAB_PASSWORD"  # noqa: S105 - the variable name, not a value
LAB_USER = "root"
LAB_SWITCH_USER = "netops"


def lab_data(name: str) -> Path:
    """A file shipped in the package's lab data (works from a wheel and a checkout)."""
    return Path(str(resources.files("xsfabric.lab").joinpath("data", name)))


def _target_is_replaceable(target: Path) -> bool:
    """An earlier demo snapshot may be replaced; anything else is the user's and is not."""
    manifest = target / MANIFEST
    if not target.exists():
        return True
    try:
        return bool(json.loads(manifest.read_text()).get("command") == "demo")
    except (OSError, ValueError):
        return False


@dataclass(slots=True)
class LabEstate:
    """What the demo serves: one entry per pool and per switch, and the SSH command log."""

    pools: list[dict[str, str]] = field(default_factory=list)
    switches: list[dict[str, str]] = field(default_factory=list)
    ssh_log: Path | None = None
    #: Storage arrays played by the same SSH lab (their captures come from write_estate).
    arrays: list[dict[str, str]] = field(default_factory=list)
    #: the SSH lab's host key for every switch port (the inventory pins it)
    known_hosts: Path | None = None


@contextmanager
def running_lab(
    workdir: Path, password: str, estate_file: Path | None = None
) -> Iterator[LabEstate]:
    """Generate the demo estate into ``workdir/estate`` (pool dumps, the policy its intent
    implies, the switches' captures) and serve it: a lab XAPI server per pool, one SSH lab
    for the switches. Yields what an inventory needs to reach them."""
    from xsfabric.lab.estate import load_estate as load_estate_spec
    from xsfabric.lab.ssh_server import LabConfig, LabSshServer
    from xsfabric.lab.switch_gen import write_switches
    from xsfabric.lab.xapi_dump_gen import write_estate
    from xsfabric.lab.xapi_server import start_lab_pool
    from xsfabric.xapi.dbdump import read_dump

    spec = load_estate_spec(estate_file or lab_data(DEMO_ESTATE))
    estate_dir = workdir / "estate"
    write_estate(spec, estate_dir)
    lab = LabEstate()
    with ExitStack() as stack:
        for number, pool_spec in enumerate(spec.pools, start=1):
            db = read_dump(estate_dir / "xenserver" / f"{pool_spec.name}.xml")
            master_ref = next(iter(db.table("pool").values()), {}).get("master", "")
            hosts = sorted(db.table("host"), key=lambda ref: ref != master_ref)
            addresses = [f"127.0.{10 + number}.{i}" for i in range(1, len(hosts) + 1)]
            pool = start_lab_pool(db, addresses, 0, LAB_USER, password, cert_dir=workdir / "certs")
            stack.callback(pool.stop)
            # Reach the second pool through a member: the collector follows HOST_IS_SLAVE.
            entry_address = addresses[-1] if number > 1 and len(addresses) > 1 else addresses[0]
            lab.pools.append(
                {
                    "name": pool_spec.name,
                    "hostname": entry_address,
                    "port": str(pool.port),
                    "ca_file": str(pool.ca_file),
                    "master": addresses[0],
                }
            )
            hosts_of_pool = set(pool_spec.names_of_hosts())
            wwpns = {h: list(w) for h, w in spec.hbas if h in hosts_of_pool}
            if wwpns:  # the pool's HBA WWPNs, as an inventory's data.wwpns gives them
                lab.pools[-1]["wwpns"] = json.dumps(wwpns)
        if spec.switches or spec.fabrics or spec.arrays:
            write_switches(spec, estate_dir)
            from xsfabric.lab.spares import SPARES, write_spare_devices

            write_spare_devices(estate_dir / "devices")  # issue 11: wipe-check spares
            lab.ssh_log = workdir / "ssh-commands.jsonl"
            config = LabConfig(username=LAB_SWITCH_USER, password=password, enable_secret=password)
            ssh = stack.enter_context(LabSshServer(estate_dir / "devices", config, lab.ssh_log))
            lab.known_hosts = ssh.known_hosts
            for switch in spec.switches:
                lab.switches.append(
                    {
                        "name": switch.name,
                        "platform": switch.platform,
                        "port": str(ssh.ports[switch.name]),
                        "collect": ",".join(switch.collect),
                    }
                )
            for array in spec.arrays:
                lab.arrays.append(
                    {
                        "name": array.name,
                        "platform": array.platform,
                        "port": str(ssh.ports[array.name]),
                    }
                )
            for fabric in spec.fabrics:  # FC switches (written by write_estate)
                lab.switches.append(
                    {
                        "name": str(fabric["name"]),
                        "platform": str(fabric.get("platform", "brocade_fos")),
                        "port": str(ssh.ports[str(fabric["name"])]),
                        "collect": "cli",
                        "kind": "fc-switch",
                    }
                )
            for name, platform in SPARES.items():  # reuse candidates: wipe evidence collected
                lab.switches.append(
                    {
                        "name": name,
                        "platform": platform,
                        "port": str(ssh.ports[name]),
                        "collect": "cli",
                        "reuse": "true",
                    }
                )
        yield lab


def demo_policy(workdir: Path) -> Path | None:
    """The policy the demo estate's intent implies, else a shipped demo policy, if any."""
    generated = workdir / "estate" / "policy.yaml"
    if generated.is_file():
        return generated
    shipped = lab_data(DEMO_POLICY)
    return shipped if shipped.is_file() else None


def write_inventory(folder: Path, lab: LabEstate) -> Path:
    """A Nornir inventory for the running lab; credentials are ``${ENV}`` references."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for entry in lab.pools:
        lines += [
            f"{entry['name']}:",
            f"  hostname: {entry['hostname']}",
            f"  port: {entry['port']}",
            "  groups: [lab-pools]",
            "  data:",
            f"    ca_file: {entry['ca_file']}",
        ]
        if entry.get("wwpns"):
            lines.append(f"    wwpns: {entry['wwpns']}")
    for entry in lab.switches:
        lines += [
            f"{entry['name']}:",
            "  hostname: 127.0.0.1",
            f"  port: {entry['port']}",
            f"  platform: {entry['platform']}",
            "  groups: [lab-switches]",
            "  data:",
            f"    collect: [{entry['collect'].replace(',', ', ')}]",
        ]
        if entry.get("kind"):
            lines.append(f"    kind: {entry['kind']}")
        if entry.get("reuse") == "true":
            lines.append("    reuse: true")
    for entry in lab.arrays:
        lines += [
            f"{entry['name']}:",
            "  hostname: 127.0.0.1",
            f"  port: {entry['port']}",
            f"  platform: {entry['platform']}",
            "  groups: [lab-arrays]",
        ]
    (folder / "hosts.yaml").write_text("\n".join(lines) + "\n")
    (folder / "groups.yaml").write_text(
        "lab-pools:\n"
        "  platform: xenserver\n"
        f"  username: {LAB_USER}\n"
        f"  password: ${{{PASSWORD_ENV}}}\n"
        "  data:\n"
        "    kind: xenserver-pool\n"
        "lab-switches:\n"
        f"  username: {LAB_SWITCH_USER}\n"
        f"  password: ${{{PASSWORD_ENV}}}\n"
        "  data:\n"
        "    kind: switch\n"
        + (f"    known_hosts: {lab.known_hosts}\n" if lab.known_hosts else "")
        + "lab-arrays:\n"
        f"  username: {LAB_SWITCH_USER}\n"
        f"  password: ${{{PASSWORD_ENV}}}\n"
        "  data:\n"
        "    kind: array\n" + (f"    known_hosts: {lab.known_hosts}\n" if lab.known_hosts else "")
    )
    return folder


def _summary(snapshot: Snapshot) -> list[Table]:
    estate = load_estate(snapshot)
    pools = [
        {
            "pool": pool.name,
            "environment": pool.environment,
            "hosts": len(pool.hosts),
            "pifs": len(pool.pifs),
            "networks": len(pool.networks),
            "vms": sum(1 for vm in pool.vms.values() if vm.is_guest),
            "vifs": len(pool.vifs),
            "srs": len(pool.srs),
        }
        for pool in estate.pools
    ]
    tables = [
        Table(
            "pools collected",
            ["pool", "environment", "hosts", "pifs", "networks", "vms", "vifs", "srs"],
            pools,
        )
    ]
    devices = {d["name"]: d for d in snapshot.devices(DeviceKind.SWITCH)}
    if devices:
        rows = []
        for name, device in devices.items():
            facts = estate.switches.get(name)
            rows.append(
                {
                    "switch": name,
                    "platform": device["platform"],
                    "methods": device["methods"],
                    "status": device["status"],
                    "ports": _count(facts.ports if facts else None),
                    "fdb": _count(facts.fdb if facts else None),
                    "lldp": _count(facts.lldp if facts else None),
                    "vlans": _count(facts.vlans if facts else None),
                }
            )
        tables.append(
            Table(
                "switches collected",
                ["switch", "platform", "methods", "status", "ports", "fdb", "lldp", "vlans"],
                rows,
            )
        )
    if estate.fabrics:
        tables.append(
            Table(
                "fabrics collected",
                ["fabric", "switches", "zoning", "effective", "zones", "logins"],
                [
                    {
                        "fabric": f.name,
                        "switches": list(f.switches),
                        "zoning": f.zoning_enabled,
                        "effective": f.effective_name or None,
                        "zones": _count(
                            list(f.effective_zones.values())
                            if f.effective_zones is not None
                            else None
                        ),
                        "logins": _count(list(f.logins) if f.logins is not None else None),
                    }
                    for f in estate.fabrics
                ],
            )
        )
    if estate.arrays:
        tables.append(
            Table(
                "arrays collected",
                ["array", "platform", "luns", "maps", "igroups", "export_rules", "lifs"],
                [
                    {
                        "array": a.device,
                        "platform": a.platform,
                        "luns": _count(a.volumes),
                        "maps": _count(a.maps),
                        "igroups": _count(a.groups),
                        "export_rules": _count(a.export_rules),
                        "lifs": _count(a.lifs),
                    }
                    for a in estate.arrays.values()
                ],
            )
        )
    return tables


def _count(rows: list[Any] | None) -> str:
    return "n/a" if rows is None else str(len(rows))


def _ssh_log_summary(lab: LabEstate) -> str | None:
    """How many commands the switches received, and whether each was on the allowlist."""
    if lab.ssh_log is None:
        return None
    from xsfabric.lab.ssh_server import read_log
    from xsfabric.switch.allowlist import allowed_commands

    platforms = {entry["name"]: entry["platform"] for entry in lab.switches}
    platforms.update({entry["name"]: entry["platform"] for entry in lab.arrays})
    entries = read_log(lab.ssh_log)
    refused = [
        e for e in entries if e["command"] not in allowed_commands(platforms.get(e["device"], ""))
    ]
    verdict = (
        "all on the read-only allowlist"
        if not refused
        else (f"{len(refused)} NOT on the allowlist, first: {refused[0]['command']!r}")
    )
    return f"switch lab received {len(entries)} commands, {verdict}"


#: Modules the demo's lab servers need beyond the base install: the ``lab`` extra.
LAB_MODULES = ("asyncssh", "cryptography")


def require_lab() -> None:
    """Refuse in one line, before anything starts, when the ``lab`` extra is missing."""
    import importlib.util

    missing = [name for name in LAB_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise MissingExtraError("xsfabric demo", "lab", missing)


def run_demo(args: argparse.Namespace) -> int:
    require_lab()
    target: Path = args.output
    if not _target_is_replaceable(target):
        raise SnapshotError(
            f"{target}: exists and is not a demo snapshot; choose another folder with -o"
        )
    password = secrets.token_urlsafe(18)
    os.environ[PASSWORD_ENV] = password
    with tempfile.TemporaryDirectory(prefix="xsfabric-demo-") as tmp:
        workdir = Path(tmp)
        with running_lab(workdir, password) as lab:
            for entry in lab.pools:
                via = (
                    ""
                    if entry["hostname"] == entry["master"]
                    else (f" (reached via member {entry['hostname']})")
                )
                print(
                    f"lab pool {entry['name']}: master https://{entry['master']}:"
                    f"{entry['port']}{via}, CA pinned"
                )
            for entry in lab.switches:
                print(
                    f"lab switch {entry['name']} ({entry['platform']}): ssh 127.0.0.1:"
                    f"{entry['port']}, collected by {entry['collect']}"
                )
            for entry in lab.arrays:
                print(
                    f"lab array {entry['name']} ({entry['platform']}): ssh 127.0.0.1:"
                    f"{entry['port']}"
                )
            inventory = load_inventory(write_inventory(workdir / "inventory", lab))
            redactor = Redactor()
            redactor.add_secrets(inventory.secrets)
            install_log_filter(redactor)
            with SnapshotWriter(
                target,
                force=True,
                redactor=redactor,
                inventory_digest=inventory.digest,
                command="demo",
            ) as writer:
                policy = demo_policy(workdir)
                if policy is not None:
                    writer.copy_policy(policy)
                from xsfabric.report.progress import collect_progress

                hosts = list(inventory.hosts.values())
                with collect_progress(hosts) as shown:  # live on a terminal, else lines
                    collect_hosts(
                        hosts, writer, CollectOptions(), on_start=shown.start, on_done=shown.done
                    )
                from xsfabric.switch.facts_store import store_facts

                store_facts(writer)  # parse once, as collect does
                writer.commit()
            ssh_summary = _ssh_log_summary(lab)
    snapshot = Snapshot.open(target)
    print(f"snapshot: {target.resolve()}")
    for table in _summary(snapshot):
        print(render(table, "table"), end="")
    if ssh_summary:
        print(ssh_summary)
    _print_cabling(snapshot)
    return _audit(snapshot)


def _print_cabling(snapshot: Snapshot) -> None:
    """Where every host NIC is cabled (``xsfabric cabling``), the compact columns."""
    from xsfabric.cabling import cabling_table, load_correlated

    table = cabling_table(load_correlated(snapshot))
    table.columns = [
        "pool",
        "host",
        "pif",
        "roles",
        "switch",
        "port",
        "mlag_peer",
        "mode",
        "access_vlan",
        "native_vlan",
        "allowed_vlans",
        "status",
        "evidence",
    ]
    print(render(table, "table"), end="")


def _audit(snapshot: Snapshot) -> int:
    """Audit the demo snapshot and print the report. The demo's exit code is 0 when it ran:
    its estate has planted violations by design."""
    from xsfabric.audit import audit_snapshot
    from xsfabric.report.text import render_text

    result = audit_snapshot(snapshot, None)
    print(render_text(result))
    _html_report(result, snapshot.path)
    return 0


def _html_report(result: Any, target: Path) -> Path:
    """The HTML report (of an ``AuditResult``) beside the snapshot folder
    (``<folder>-report.html``); its path is printed."""
    from xsfabric.audit import renderer, report_cabling
    from xsfabric.report.base import ReportOptions, write_files
    from xsfabric.report.json import findings_document

    path = target.with_name(f"{target.name}-report.html")
    cabling, pairs = report_cabling(result.snapshot_path, None)  # with its cabling map
    options = ReportOptions(tables=cabling, mlag_pairs=pairs)
    write_files(renderer("html")(findings_document(result), options), path)
    print(f"HTML report: {path.resolve()}")
    return path


# -- xsfabric lab serve ------------------------------------------------------------------------

#: Collection methods ``lab serve`` answers (the SSH lab); SNMP agents run in the tests only.
SERVED_METHODS = ("cli", "napalm")


def run_lab_serve(args: argparse.Namespace) -> int:
    """Serve an estate (default: the demo's) on loopback until Ctrl-C, with an inventory a
    newcomer collects from by hand exactly as from real devices: ``collect``, ``run`` and
    ``audit`` see pinned CAs, SSH switches and ``${ENV}`` credentials, nothing lab-specific."""
    import shutil
    import signal
    import threading

    require_lab()
    folder: Path = args.dir
    estate_file: Path | None = args.estate
    if estate_file is not None and not estate_file.is_file():
        raise SnapshotError(f"{estate_file}: no such estate file")
    folder.mkdir(parents=True, exist_ok=True)
    password = os.environ.get(PASSWORD_ENV)
    given = bool(password)
    if not password:
        password = secrets.token_urlsafe(18)
    stop = threading.Event()

    def _stop(signum: int, frame: object) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        with running_lab(folder.resolve(), password, estate_file) as lab:
            skipped = []
            for entry in lab.switches:
                methods = entry["collect"].split(",")
                served = [m for m in methods if m in SERVED_METHODS]
                if served != methods:
                    skipped.append(entry["name"])
                entry["collect"] = ",".join(served or ["cli"])
            inventory = write_inventory(folder / "inventory", lab)
            policy = demo_policy(folder.resolve())
            if policy is not None:
                shutil.copyfile(policy, inventory / "policy.yaml")
            for entry in lab.pools:
                print(
                    f"pool {entry['name']}: https://{entry['hostname']}:{entry['port']} "
                    f"(CA {entry['ca_file']})"
                )
            for entry in lab.switches:
                print(
                    f"switch {entry['name']} ({entry['platform']}): ssh 127.0.0.1:"
                    f"{entry['port']}, collect {entry['collect']}"
                )
            if skipped:
                print(
                    f"note: SNMP is not served here; {', '.join(skipped)} collected by "
                    f"{' and '.join(SERVED_METHODS)} only"
                )
            print(f"inventory: {inventory}")
            if given:
                print(f"credentials: ${{{PASSWORD_ENV}}} from your environment")
            else:
                print(
                    f"credentials: the inventory reads ${{{PASSWORD_ENV}}}; in the shell "
                    f"you collect from:\n  export {PASSWORD_ENV}={password}"
                )
            print(f"try: xsfabric run -i {inventory} -o lab-snapshot")
            print("lab ready; Ctrl-C stops it", flush=True)
            try:
                while not stop.wait(0.5):
                    pass
            except KeyboardInterrupt:
                pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    print("lab stopped", flush=True)
    return 0
