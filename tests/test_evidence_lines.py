"""Evidence line numbers: the one-pass scan of a capture gives what a line-by-line scan gives,
and a capture is read only when correlation asks it for a line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xsfabric.correlate import sources
from xsfabric.correlate.sources import _CaptureLines, mac_lines

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def _reference(path: Path) -> dict[str, int]:
    """Line by line, as ``str.splitlines`` numbers them (the definition of a capture's line)."""
    found: dict[str, int] = {}
    for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
        for match in sources._MAC.finditer(line):
            digits = re.sub(r"[.:-]", "", match.group(0).lower())
            mac = ":".join(digits[i : i + 2] for i in range(0, 12, 2))
            found.setdefault(mac, number)
    return found


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".raw", ".txt"))


def test_corpus_has_mac_captures() -> None:
    with_macs = [p for p in _corpus_files() if _reference(p)]
    assert len(with_macs) >= 5


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_one_pass_equals_line_by_line_on_corpus(path: Path) -> None:
    assert mac_lines(path) == _reference(path)


@pytest.mark.parametrize(
    "text",
    [
        "Vlan Mac\n 10 0019.D179.7510 Gi1/0/1\n\n 20 00-1b-21-0a-ba-3c\n 10 0019.d179.7510 x\n",
        "a\r\n 00:1b:21:0a:ba:3c\r\nb\r 00:1b:21:0a:ba:3d\x0cc 00:1b:21:0a:ba:3e\n",
        "0019.D179.7510\n00:1b:21:0a:ba:3c:ff\n00:1b:21:0a:ba:3c",
        "",
    ],
)
def test_one_pass_equals_line_by_line_on_odd_breaks(tmp_path: Path, text: str) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode())
    assert mac_lines(path) == _reference(path)


def test_capture_read_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.txt"
    path.write_text("x\n 10 0019.d179.7510 Gi1/0/1\n")
    reads: list[Path] = []
    real = sources.mac_lines

    def counted(p: Path) -> dict[str, int]:
        reads.append(p)
        return real(p)

    monkeypatch.setattr(sources, "mac_lines", counted)
    lines = _CaptureLines(path)
    assert reads == []
    assert lines.get("00:19:d1:79:75:10") == 2
    assert lines.get("00:00:00:00:00:01") is None
    assert dict(lines) == {"00:19:d1:79:75:10": 2}
    assert reads == [path]  # read once


def _lookups(reference: dict[str, int]) -> list[str]:
    """Every MAC of the capture, and near misses: MACs it does not hold."""
    absent = ["00:00:00:00:00:01", "ff:ff:ff:ff:ff:fe"]
    shifted = [m[3:] + ":00" for m in list(reference)[:20]]
    return [*reference, *absent, *shifted]


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_one_mac_search_equals_the_full_listing_on_corpus(path: Path) -> None:
    reference = _reference(path)
    lines = _CaptureLines(path)
    for mac in _lookups(reference):
        assert lines.get(mac) == reference.get(mac), mac
    assert lines._lines is None  # found by searching, not by listing


@pytest.mark.parametrize(
    "text",
    [
        # a MAC inside a longer token (a 7-group address, a dotted OID-like run) is no MAC
        "x 00:1b:21:0a:ba:3c:ff\ny 00:1b:21:0a:ba:3c\n",
        "x 0019.d179.7510.1\n 0019.D179.7510 Gi1\n",
        "a-00-1b-21-0a-ba-3c\n00-1B-21-0a-ba-3c\n",
        "1:00:1b:21:0a:ba:3c\n\n\n00:1b:21:0a:ba:3c",
        "caf\\u00e9 00:1b:21:0a:ba:3c\n 0019.d179.7510\n",  # not ASCII: the full listing
        "a\r\n 00:1b:21:0a:ba:3c\r 0019.d179.7510\n",  # a lone CR: the full listing
        "",
    ],
)
def test_one_mac_search_keeps_the_boundaries(tmp_path: Path, text: str) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode().decode("unicode_escape").encode())
    reference = _reference(path)
    lines = _CaptureLines(path)
    for mac in [*_lookups(reference), "00:1b:21:0a:ba:3c", "00:19:d1:79:75:10"]:
        assert lines.get(mac) == reference.get(mac), mac
        if mac in reference:
            assert lines[mac] == reference[mac]
        else:
            with pytest.raises(KeyError):
                lines[mac]
