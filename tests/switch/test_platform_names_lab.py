"""Platform names other libraries use reach the same device the same way (lab round trip):
netutils' lib_mapper turns ``cisco_iosxe`` (scrapli) and ``ios`` (NAPALM) into netmiko's
``cisco_ios`` driver, NAPALM's ``ios`` driver, the IOS allowlist and the IOS command set."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.switch.conftest import lab_host

from xsfabric.collect import CollectOptions, collect_hosts
from xsfabric.lab.ssh_server import LabSshServer
from xsfabric.snapshot import Snapshot, SnapshotWriter
from xsfabric.switch.allowlist import allowed_commands
from xsfabric.switch.facts import load_switch_facts
from xsfabric.switch.model import CollectionMethod


@pytest.mark.slow
@pytest.mark.parametrize("spelling", ["cisco_iosxe", "ios"])
def test_another_librarys_ios_name_collects_and_parses_like_cisco_ios(
    spelling: str, ssh_lab: LabSshServer, lab_snapshot: Snapshot, tmp_path: Path
) -> None:
    before = len(ssh_lab.log.entries)
    host = lab_host("lab-sw1", spelling, ssh_lab.ports["lab-sw1"], ["cli", "napalm"])
    with SnapshotWriter(tmp_path / "snap") as writer:
        collect_hosts([host], writer, CollectOptions(timeout=15, workers=1))
        path = writer.commit()
    snapshot = Snapshot.open(path)
    (device,) = snapshot.devices()
    assert device["status"] == "ok", device.get("error")
    sent = [e["command"] for e in ssh_lab.log.entries[before:] if e["device"] == "lab-sw1"]
    assert sent, "nothing reached the lab"
    assert set(sent) <= allowed_commands("cisco_ios")
    # the stored platform is the user's spelling; parsing maps it to the IOS command set
    assert (snapshot.device_dir("lab-sw1") / "platform").read_text().strip() == spelling
    got = {f.method: f for f in load_switch_facts(snapshot, "lab-sw1")}
    reference = {f.method: f for f in load_switch_facts(lab_snapshot, "lab-sw1")}
    assert set(got) == {CollectionMethod.CLI, CollectionMethod.NAPALM}
    for method, facts in got.items():
        assert facts.warnings == reference[method].warnings == []
        assert facts.ports == reference[method].ports
        assert facts.fdb == reference[method].fdb
