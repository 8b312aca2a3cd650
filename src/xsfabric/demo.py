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
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from importlib import resources
from pathlib import Path

from xsfabric.collect import CollectOptions, collect_hosts
from xsfabric.errors import SnapshotError
from xsfabric.inventory import load_inventory
from xsfabric.model.estate import load_estate
from xsfabric.redact import Redactor
from xsfabric.snapshot import MANIFEST, Snapshot, SnapshotWriter
from xsfabric.tables import Table, render

DEMO_ESTATE = "demo-estate.yaml"
DEMO_POLICY = "demo-policy.yaml"
PASSWORD_ENV = "XSFABRIC_LAB_PASSWORD"  # noqa: S105 - the variable name, not a value
LAB_USER = "root"


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


@contextmanager
def running_lab_pools(workdir: Path, password: str) -> Iterator[list[dict[str, str]]]:
    """Generate the demo dumps (and the policy its intent implies) into ``workdir/estate``
    and serve every pool; yields one inventory entry per pool."""
    from xsfabric.lab.estate import load_estate as load_estate_spec
    from xsfabric.lab.xapi_dump_gen import write_estate
    from xsfabric.lab.xapi_server import start_lab_pool
    from xsfabric.xapi.dbdump import read_dump

    spec = load_estate_spec(lab_data(DEMO_ESTATE))
    write_estate(spec, workdir / "estate")
    entries: list[dict[str, str]] = []
    with ExitStack() as stack:
        for number, pool_spec in enumerate(spec.pools, start=1):
            db = read_dump(workdir / "estate" / "xenserver" / f"{pool_spec.name}.xml")
            master_ref = next(iter(db.table("pool").values()), {}).get("master", "")
            hosts = sorted(db.table("host"), key=lambda ref: ref != master_ref)
            addresses = [f"127.0.{10 + number}.{i}" for i in range(1, len(hosts) + 1)]
            lab = start_lab_pool(db, addresses, 0, LAB_USER, password,
                                 cert_dir=workdir / "certs")
            stack.callback(lab.stop)
            # Reach the second pool through a member: the collector follows HOST_IS_SLAVE.
            entry_address = addresses[-1] if number > 1 and len(addresses) > 1 else addresses[0]
            entries.append({"name": pool_spec.name, "hostname": entry_address,
                            "port": str(lab.port), "ca_file": str(lab.ca_file),
                            "master": addresses[0]})
        yield entries


def demo_policy(workdir: Path) -> Path | None:
    """The policy the demo estate's intent implies, else a shipped demo policy, if any."""
    generated = workdir / "estate" / "policy.yaml"
    if generated.is_file():
        return generated
    shipped = lab_data(DEMO_POLICY)
    return shipped if shipped.is_file() else None


def write_inventory(folder: Path, entries: list[dict[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for entry in entries:
        lines += [
            f"{entry['name']}:",
            f"  hostname: {entry['hostname']}",
            f"  port: {entry['port']}",
            "  groups: [lab-pools]",
            "  data:",
            f"    ca_file: {entry['ca_file']}",
        ]
    (folder / "hosts.yaml").write_text("\n".join(lines) + "\n")
    (folder / "groups.yaml").write_text(
        "lab-pools:\n"
        "  platform: xenserver\n"
        f"  username: {LAB_USER}\n"
        f"  password: ${{{PASSWORD_ENV}}}\n"
        "  data:\n"
        "    kind: xenserver-pool\n"
    )
    return folder


def _summary(snapshot: Snapshot) -> Table:
    estate = load_estate(snapshot)
    rows = []
    for pool in estate.pools:
        rows.append({
            "pool": pool.name, "environment": pool.environment, "hosts": len(pool.hosts),
            "pifs": len(pool.pifs), "networks": len(pool.networks),
            "vms": sum(1 for vm in pool.vms.values() if vm.is_guest),
            "vifs": len(pool.vifs), "srs": len(pool.srs),
        })
    return Table("collected", ["pool", "environment", "hosts", "pifs", "networks", "vms",
                               "vifs", "srs"], rows)


def run_demo(args: argparse.Namespace) -> int:
    target: Path = args.output
    if not _target_is_replaceable(target):
        raise SnapshotError(f"{target}: exists and is not a demo snapshot; choose another "
                            "folder with -o")
    password = secrets.token_urlsafe(18)
    os.environ[PASSWORD_ENV] = password
    with tempfile.TemporaryDirectory(prefix="xsfabric-demo-") as tmp:
        workdir = Path(tmp)
        with running_lab_pools(workdir, password) as entries:
            for entry in entries:
                via = "" if entry["hostname"] == entry["master"] else (
                    f" (reached via member {entry['hostname']})")
                print(f"lab pool {entry['name']}: master https://{entry['master']}:"
                      f"{entry['port']}{via}, CA pinned")
            inventory = load_inventory(write_inventory(workdir / "inventory", entries))
            redactor = Redactor()
            redactor.add_secrets(inventory.secrets)
            with SnapshotWriter(target, force=True, redactor=redactor,
                                inventory_digest=inventory.digest, command="demo") as writer:
                policy = demo_policy(workdir)
                if policy is not None:
                    writer.copy_policy(policy)
                collect_hosts(list(inventory.hosts.values()), writer, CollectOptions(),
                              progress=lambda line: print(line, file=sys.stderr, flush=True))
                writer.commit()
    snapshot = Snapshot.open(target)
    print(f"snapshot: {target.resolve()}")
    print(render(_summary(snapshot), "table"), end="")
    return _audit(snapshot)


def _audit(snapshot: Snapshot) -> int:
    """Audit the demo snapshot and print the report. The demo's exit code is 0 when it ran:
    its estate has planted violations by design."""
    from xsfabric.audit import audit_snapshot
    from xsfabric.report.text import render_text

    result = audit_snapshot(snapshot, None)
    print(render_text(result))
    return 0
