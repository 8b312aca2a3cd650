"""Damaged databases (rows missing, refs dangling, fields blank or garbled) are read, shown
and audited without a traceback: real status reports are not always whole."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from xsfabric.cli import main
from xsfabric.xapi.dbdump import format_dump, read_dump

GARBAGE = ("", "OpaqueRef:NULL", "OpaqueRef:dangling", "()", "garbage", "-1", "(('a'")


@pytest.mark.parametrize("seed", range(6))
def test_mangled_dump_is_imported_shown_and_audited(
    seed: int, xapi_dumps: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rnd = random.Random(seed)
    db = read_dump(xapi_dumps[seed % len(xapi_dumps)])
    for rows in db.tables.values():
        for ref in list(rows):
            roll = rnd.random()
            if roll < 0.2:
                del rows[ref]
            elif roll < 0.45 and rows[ref]:
                field = rnd.choice(sorted(rows[ref]))
                if field != "uuid":
                    rows[ref][field] = rnd.choice(GARBAGE)
    dump = tmp_path / "mangled.xml"
    dump.write_bytes(format_dump(db))
    snapshot = tmp_path / "snap"
    assert main(["snapshot", "import", str(dump), "-o", str(snapshot)]) == 0
    for table in ("pools", "hosts", "pifs", "networks", "vms", "vifs", "srs", "pbds"):
        assert main(["show", table, str(snapshot), "--format", "json"]) == 0
    assert main(["audit", str(snapshot), "--format", "json"]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err
