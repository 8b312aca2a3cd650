from __future__ import annotations

from pathlib import Path

import pytest

from xsfabric.errors import DumpError
from xsfabric.xapi.dbdump import XapiDatabase, format_dump, parse_dump, read_dump
from xsfabric.xapi.records import records_from_dump

MODERN = (
    b'<database><manifest><pair key="schema_major_vsn" value="5"/>'
    b'<pair key="schema_minor_vsn" value="771"/></manifest>'
    b'<table name="network"><row ref="OpaqueRef:n1" uuid="u-n1" '
    b"name__label=\"Pool-wide%.network%.3\" other_config=\"(('k%.1'%.'a%%b'))\" "
    b'tags="(\'x\')" MTU="1500"/></table>'
    b'<table name="PIF"><row ref="OpaqueRef:p1" uuid="u-p1" management="true" VLAN="-1" '
    b'IPv6="()" network="OpaqueRef:n1"/></table></database>'
)


def test_modern_escaped_dump_is_unescaped_and_typed() -> None:
    db = parse_dump(MODERN)
    records = records_from_dump(db)
    network = records["network"]["OpaqueRef:n1"]
    assert network["name_label"] == "Pool-wide network 3"
    assert network["other_config"] == {"k 1": "a%b"}
    assert network["tags"] == ["x"]
    assert network["MTU"] == "1500"  # ints stay decimal strings, as on the XenAPI wire
    pif = records["PIF"]["OpaqueRef:p1"]
    assert pif["management"] is True
    assert pif["IPv6"] == []


def test_format_dump_round_trips() -> None:
    db = parse_dump(MODERN)
    again = parse_dump(format_dump(db))
    assert again.tables == db.tables
    assert again.manifest == db.manifest


def test_every_corpus_dump_parses(xapi_dumps: list[Path]) -> None:
    for path in xapi_dumps:
        db = read_dump(path)
        records = records_from_dump(db, path)
        assert records["pool"], path
        assert records["host"], path
        assert all("uuid" in r for r in records["PIF"].values()), path


def test_truncated_dump_names_file_and_line(tmp_path: Path, xapi_dumps: list[Path]) -> None:
    data = xapi_dumps[0].read_bytes()
    broken = tmp_path / "cut.xml"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(DumpError) as info:
        read_dump(broken)
    assert str(broken) in str(info.value)
    assert info.value.line == 1  # the corpus dumps are one line long
    assert "truncated" in str(info.value)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty file"),
        (b"<html><body/></html>", "not a xapi database dump"),
        (
            b'<database><manifest><pair key="schema_major_vsn" value="9"/></manifest>'
            b'<table name="pool"/></database>',
            "unknown xapi database schema 9",
        ),
        (b"<database><manifest/></database>", "no <table> elements"),
        (b'<database><table name="PIF"><row uuid="x"/></table></database>', "has no ref"),
        (
            b'<database><table name="PIF"><row ref="r" uuid="u" IPv6="(\'a\'"/></table></database>',
            "PIF r field IPv6",
        ),
    ],
)
def test_bad_dumps_give_one_clear_error(data: bytes, expected: str) -> None:
    with pytest.raises(DumpError, match=expected):
        records_from_dump(parse_dump(data, "x.xml"), "x.xml")


def test_gzip_dump_is_read(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "state.db.gz"
    path.write_bytes(gzip.compress(MODERN))
    assert "network" in read_dump(path).tables


def test_empty_database_object() -> None:
    assert XapiDatabase().table("PIF") == {}


def test_odd_field_of_an_unfamiliar_dump_is_kept_and_warned(tmp_path: Path) -> None:
    from xsfabric.model.build import build_pool
    from xsfabric.snapshot import load_pool_file

    dump = tmp_path / "odd.xml"
    dump.write_text(
        '<database><manifest><pair key="schema_major_vsn" value="5"/></manifest>'
        '<table name="pool"><row ref="OpaqueRef:p" uuid="p1" name_label="x"/></table>'
        '<table name="PIF"><row ref="OpaqueRef:i" uuid="i1" device="eth0" '
        'capabilities="(\'a\'" MAC="00:11:22:33:44:55"/></table></database>'
    )
    records = load_pool_file(dump)
    assert records.records["PIF"]["OpaqueRef:i"]["capabilities"] == "('a'"
    assert records.warnings == ["odd.xml: " + records.warnings[0].split(": ", 1)[1]]
    assert "PIF OpaqueRef:i field capabilities" in records.warnings[0]
    pool = build_pool("odd", records)
    assert pool.pifs["i1"].mac == "00:11:22:33:44:55"
    assert any("field capabilities" in w for w in pool.warnings)
