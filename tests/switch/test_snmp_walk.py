"""The lean walk process, ``python -m xsfabric.switch.snmp_walk`` (``xsfabric-snmpwalk``), run as
a user runs it: a subprocess against the lab's snmpsim and against the scripted agent.

What it writes must be what the collector stores for the same varbinds (byte for byte, with the
collector's redaction), what pysnmp reads from the same agent, and, for the LibreNMS recordings,
what the recording itself holds; the community must never reach its output or its errors; bad
arguments and dead agents are one line on stderr and a non-zero status."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from pysnmp.proto import rfc1902
from tests.switch.conftest_snmp import CORPUS, SnmpLab, snmp_host
from tests.switch.fake_agent import FakeAgent, correct, oid_tuple, silent, table_rows

from xsfabric import redact
from xsfabric.kinds import DeviceKind
from xsfabric.lab.switches import LAB_PLATFORMS
from xsfabric.redact import Redactor
from xsfabric.snapshot import SnapshotWriter
from xsfabric.switch import snmp_collect, snmp_walk
from xsfabric.switch.snmp_ber import Varbind
from xsfabric.switch.snmp_collect import SnmpSettings, format_snmprec
from xsfabric.switch.snmp_fast_collect import FastSession
from xsfabric.switch.snmp_files import read_capture

IF_DESCR = "1.3.6.1.2.1.2.2.1.2"
IF_TYPE = "1.3.6.1.2.1.2.2.1.3"


def run_walk(
    *args: str, community: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The walk process as a user starts it; the community in the environment variable."""
    env = {k: v for k, v in os.environ.items() if k != snmp_walk.COMMUNITY_VARIABLE}
    if community is not None:
        env[snmp_walk.COMMUNITY_VARIABLE] = community
    return subprocess.run(
        [sys.executable, "-m", "xsfabric.switch.snmp_walk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def collector_file(tmp_path: Path, device: str, rows: list[Varbind], secrets: list[str]) -> str:
    """What ``collect_snmp`` stores for ``rows``: formatted with the writer's redactor (text
    values before hex), then written through ``SnapshotWriter.write_text`` (the records), with
    the inventory's secrets as the redactor's known secrets."""
    redactor = Redactor()
    redactor.add_secrets(secrets)
    target = tmp_path / f"snapshot-{device}"
    with SnapshotWriter(target, redactor=redactor) as writer:
        writer.device(device, DeviceKind.SWITCH)
        relpath = f"devices/{device}/{snmp_collect.WALK_FILE}"
        writer.write_text(device, relpath, format_snmprec(rows, writer.redactor.text))
        writer.commit()
    return (target / relpath).read_text(encoding="utf-8")


def _pysnmp_whole_agent(lab: SnmpLab, name: str) -> list[Varbind]:
    host = snmp_host(name, lab.port, max_repetitions=200, timeout=5.0)
    client = snmp_collect._PysnmpClient(host, SnmpSettings.from_host(host), time.monotonic() + 120)
    try:
        return client.walk_all(("1.0", "1.3"))
    finally:
        client.close()


# -- against the lab's snmpsim ----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("index", range(7))
def test_the_walk_process_writes_what_the_collector_and_pysnmp_give(
    snmp_lab: SnmpLab, tmp_path: Path, index: int
) -> None:
    agents = [*LAB_PLATFORMS, *snmp_lab.librenms]
    if index >= len(agents):
        pytest.skip("the corpus is not here")
    name = agents[index]
    done = run_walk("-p", str(snmp_lab.port), "-r", "200", "127.0.0.1", community=name)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    ours = done.stdout
    assert ours.count("\n") > 100
    with FastSession("127.0.0.1", snmp_lab.port, name, timeout=5, max_repetitions=200) as s:
        fast_rows = s.walk_all(["1"])
    assert ours == collector_file(tmp_path, name, fast_rows, [name])
    # pysnmp, the independent client, reads the same varbinds from the same agent
    slow_rows = _pysnmp_whole_agent(snmp_lab, name)
    assert ours == collector_file(tmp_path, f"{name}-pysnmp", slow_rows, [name])


@pytest.mark.slow
@pytest.mark.parametrize(
    "stem", ["arista_eos", "edgecos_es3510ma", "ios_2960x", "jetstream_sg2218p", "junos_qfx5100"]
)
def test_the_walk_of_a_recording_holds_the_recording(
    snmp_lab: SnmpLab, tmp_path: Path, stem: str
) -> None:
    """The reference is the recording snmpsim serves (a real device's walk from LibreNMS):
    every varbind of it, read back from our output by the capture reader, with the same type
    and value. snmpsim strips each record line before it splits it (``grammar/snmprec.py``:
    ``line.strip().split("|", 2)``), so a value's trailing blanks are not served: the
    reference is the recording with its lines stripped the same way."""
    recording = CORPUS / f"{stem}.snmprec"
    if stem not in snmp_lab.librenms:
        pytest.skip(f"{recording} is not here")
    out = tmp_path / f"{stem}.snmprec"
    done = run_walk("-p", str(snmp_lab.port), "-o", str(out), "127.0.0.1", community=stem)
    assert done.returncode == 0, done.stderr
    assert not out.with_name(out.name + ".partial").exists()
    served = tmp_path / f"served-{stem}.snmprec"
    lines = recording.read_bytes().decode("iso-8859-1").splitlines()
    served.write_bytes("".join(f"{line.strip()}\n" for line in lines).encode("iso-8859-1"))
    theirs = read_capture(served)
    ours = read_capture(out)
    assert not ours.errors
    assert len(ours.values) == len(theirs.values) > 100

    def strip(walk: Any) -> dict[tuple[int, ...], tuple[str, bytes, int | None]]:
        return {oid: (v.kind, v.octets, v.number) for oid, v in walk.values.items()}

    assert strip(ours) == strip(theirs)


# -- the community, redaction, arguments, failures (scripted agent) -------------------------

COMMUNITY = "pl4nted-c0mmunity"
SYS_DESCR = "1.3.6.1.2.1.1.1.0"
PLANTED = [
    # a multi-line text: redacted before it is hex-encoded
    ((*oid_tuple(SYS_DESCR),), rfc1902.OctetString(f"Edge switch\r\nro {COMMUNITY}\r\n".encode())),
    # a one-line string: the community as a known secret
    ((1, 3, 6, 1, 2, 1, 1, 4, 0), rfc1902.OctetString(COMMUNITY.encode())),
    # a configuration line: the redaction patterns
    ((1, 3, 6, 1, 2, 1, 1, 6, 0), rfc1902.OctetString(b"snmp-server community other-s3cret RO")),
    *table_rows(IF_DESCR, 40),
    *[((*oid_tuple(IF_TYPE), i), rfc1902.Integer(6)) for i in range(1, 41)],
]


def test_a_planted_community_is_never_written_and_redaction_matches_the_collector(
    tmp_path: Path,
) -> None:
    with FakeAgent(PLANTED, correct, community=COMMUNITY) as agent:
        done = run_walk("-p", str(agent.port), "-r", "7", "127.0.0.1", community=COMMUNITY)
        with FastSession("127.0.0.1", agent.port, COMMUNITY, max_repetitions=7) as session:
            rows = session.walk_all(["1"])
    assert done.returncode == 0, done.stderr
    everything = done.stdout + done.stderr
    hexed = [line.split("|")[2] for line in done.stdout.splitlines() if "|4x|" in line]
    decoded = "".join(bytes.fromhex(value).decode() for value in hexed)
    for secret in (COMMUNITY, "other-s3cret"):
        assert secret not in everything and secret not in decoded
        assert secret.encode().hex() not in everything
    assert decoded.count(redact.REDACTED) == 1  # inside the hex-encoded sysDescr
    assert f"1.3.6.1.2.1.1.4.0|4|{redact.REDACTED}\n" in done.stdout
    assert done.stdout == collector_file(tmp_path, "sw", rows, [COMMUNITY])
    # read-only: every request the process sent was a GETBULK
    assert {r.pdu for r in agent.received} == {"GetBulkRequestPDU"}


def test_a_silent_agent_is_one_line_naming_the_host_and_status_1(tmp_path: Path) -> None:
    out = tmp_path / "walk.snmprec"
    with FakeAgent(table_rows(IF_DESCR, 3), silent, community=COMMUNITY) as agent:
        port = agent.port
        args = ("-p", str(port), "-t", "0.2", "--retries", "1", "-o", str(out))
        done = run_walk(*args, "127.0.0.1", community=COMMUNITY)
        wrong = run_walk("-p", str(port), "-t", "0.2", "127.0.0.1", community="nope")
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and f"127.0.0.1:{port}" in lines[0]
    assert "no SNMP response" in lines[0] and "Traceback" not in done.stderr
    assert COMMUNITY not in done.stderr
    assert not out.exists() and not out.with_name(out.name + ".partial").exists()
    assert wrong.returncode == 1 and len(wrong.stderr.splitlines()) == 1


def test_nobody_listening_is_status_1_not_a_traceback() -> None:
    with FakeAgent([], silent) as agent:
        port = agent.port  # closed when the block ends: ICMP port unreachable from now on
    done = run_walk("-p", str(port), "-t", "0.2", "127.0.0.1", community=COMMUNITY)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and f"127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "community", "message"),
    [
        ((), COMMUNITY, "no HOST given"),
        (("127.0.0.1",), None, "no community"),
        (("-p", "snmp", "127.0.0.1"), COMMUNITY, "-p: 'snmp' is not a number"),
        (("-p", "70000", "127.0.0.1"), COMMUNITY, "-p: '70000' is above 65535"),
        (("-t", "inf", "127.0.0.1"), COMMUNITY, "-t: 'inf' is above 3600"),
        (("127.0.0.1", "1.45.1"), COMMUNITY, "'1.45.1' is not a numeric OID"),
        (("127.0.0.1", "7"), COMMUNITY, "'7' is not a numeric OID"),
        (("-r", "0", "127.0.0.1"), COMMUNITY, "-r: '0' is below 1"),
        (("--timeout=nan", "127.0.0.1"), COMMUNITY, "--timeout"),
        (("--max-reps", "5", "127.0.0.1"), COMMUNITY, "unknown option --max-reps"),
        (("127.0.0.1", "1.3.six"), COMMUNITY, "'1.3.six' is not a numeric OID"),
        (("127.0.0.1", "-o"), COMMUNITY, "-o needs a value"),
    ],
)
def test_bad_arguments_are_one_line_and_status_2(
    args: tuple[str, ...], community: str | None, message: str
) -> None:
    done = run_walk(*args, community=community)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"{snmp_walk.PROG}: ") and message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_host_that_does_not_resolve_is_named() -> None:
    done = run_walk("-t", "0.2", "no-such-host.invalid", community=COMMUNITY, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no-such-host.invalid:161" in done.stderr
    assert "Traceback" not in done.stderr


def test_help_is_printed_and_status_0() -> None:
    done = run_walk("--help")
    assert done.returncode == 0 and done.stdout.startswith("usage: xsfabric-snmpwalk")


def test_several_roots_stream_in_order_and_equal_the_collected_walk() -> None:
    """Subtrees walked four at once on one socket: the streamed pieces, joined, are
    ``format_snmprec`` of ``walk_all``'s rows; with one root each piece is one answer."""
    columns = [f"1.3.6.1.2.1.2.2.1.{c}" for c in range(2, 9)]
    rows = [row for column in columns for row in table_rows(column, 23)]
    with FakeAgent(rows, correct) as agent:
        with FastSession("127.0.0.1", agent.port, "public", max_repetitions=5) as session:
            pieces = list(session.walk_records(columns, parallel=4))
            collected = session.walk_all(columns, parallel=4)
        with FastSession("127.0.0.1", agent.port, "public", max_repetitions=5) as session:
            before = agent.answers
            single = list(session.walk_records([columns[0]]))
            answers = agent.answers - before
    assert "".join(pieces) == format_snmprec(collected)
    assert [line.split("|")[0] for line in "".join(pieces).splitlines()] == [
        f"{c}.{i}" for c in columns for i in range(1, 24)
    ]
    assert len(single) == answers == 5  # one piece per answer: 23 rows, 5 a time
    assert "".join(single) == format_snmprec([r for r in collected if r[0].startswith(IF_DESCR)])


# -- the lazy redactor is the collector's redactor ------------------------------------------


SAMPLES = [
    "1.3.6.1.2.1.1.5.0|4|core-sw1\n",
    "1.3.6.1.2.1.1.6.0|4|snmp-server community s3cret RO\n1.3.6.1.2.1.1.7.0|2|72\n",
    "1.3.6.1.2.1.1.4.0|4|pl4nted-c0mmunity\n",
    "1.3.6.1.2.1.2.2.1.6.1|4x|001b21aabbcc\n1.3.6.1.2.1.2.2.1.3.1|2|6\n",
    "1.3.6.1.4.1.9.2.1.1|4|username admin password 7 0822455D0A16\n",
    "1.3.6.1.4.1.9.2.1.2|68|enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0\n",
    "1.3.6.1.4.1.9.2.1.3|4|price $5$ only\n",
    'set system root-authentication encrypted-password "$6$abc$def"\n',
    "Edge switch\r\nro pl4nted-c0mmunity\r\n",
    "1.3.6.1.2.1.4.22.1.3.1.10.0.0.1|64|10.0.0.1\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9.1.1\n",
]


@pytest.mark.parametrize("sample", SAMPLES)
def test_the_lazy_redactor_redacts_as_the_collectors_redactor(sample: str) -> None:
    reference = Redactor()
    reference.add_secrets([COMMUNITY])
    lazy = snmp_walk.LazyRedactor([COMMUNITY])
    assert lazy.text(sample) == reference.text(sample)
    if sample.count("|") >= 2:  # records, as the walk writes them
        assert lazy.records(sample) == reference.text(sample)


def test_the_pattern_module_is_imported_only_when_needed() -> None:
    """A walk of numbers never pays for netconan's import (about 200 ms); a text with a
    secret-looking word does."""
    code = (
        "import sys; from xsfabric.switch.snmp_walk import LazyRedactor;"
        "r = LazyRedactor(['abc']);"
        "r.records('1.3.6.1.2.1.17.7.1.2.2.1.2.10.2.0.0.0.0.1|2|7\\n');"
        "r.text('core-sw1');"
        "print('xsfabric.redact' in sys.modules, 'netconan' in sys.modules);"
        "r.text('snmp-server community x');"
        "print('xsfabric.redact' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["False", "False", "True"]


def test_the_walk_process_imports_little() -> None:
    """The start-up path stays lean: none of the heavy modules the rest of xsfabric uses."""
    code = "import sys, xsfabric.switch.snmp_walk; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(done.stdout.split())
    heavy = {"dataclasses", "typing", "socket", "argparse", "pathlib", "random", "inspect"}
    assert loaded & heavy == set()
    assert "xsfabric.redact" not in loaded and "pysnmp" not in loaded
