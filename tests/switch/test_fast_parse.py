"""The MAC-table fast path gives exactly TextFSM's rows, row for row, or declines.

The reference is TextFSM itself (a fresh ``textfsm.TextFSM`` over the same template file, the
library's own ``ParseText``), never the fast path's own output: every real capture of the
four MAC-table commands in the corpus (ntc-templates' fixtures, napalm's mocked outputs) and
in ``tests/templates``, plus hand-written odd lines (several ports, vPC peer link,
continuation lines, a blank Junos VLAN, lines a template rejects).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import textfsm
from tests.corpus import corpus_cases

from xsfabric.switch.fast_parse import FAST_TEMPLATES, fast_rows
from xsfabric.switch.textfsm_parse import (
    TemplateError,
    _templates_for,
    parse_output,
    parse_output_skipping,
)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
MAC = "show mac address-table"
JUNOS = "show ethernet-switching table"

#: corpus folder → (platform, command)
CORPUS_DIRS = {
    "ntc-templates/cisco_ios/show_mac-address-table/*.raw": ("cisco_ios", MAC),
    "ntc-templates/cisco_nxos/show_mac_address-table/*.raw": ("cisco_nxos", MAC),
    "ntc-templates/arista_eos/show_mac_address-table/*.raw": ("arista_eos", MAC),
    "ntc-templates/juniper_junos/show_ethernet-switching_table/*.raw": ("juniper_junos", JUNOS),
    "napalm/ios/get_mac_address_table/*/show_mac_address_table.txt": ("cisco_ios", MAC),
    "napalm/nxos_ssh/get_mac_address_table/*/show_mac_address_table.txt": ("cisco_nxos", MAC),
}


def _template(platform: str, command: str) -> str:
    found = _templates_for(platform, command)
    assert found is not None
    return str(Path(found[0]) / found[1])


def _textfsm_rows(path: str, text: str) -> list[dict[str, object]]:
    fsm = textfsm.TextFSM(io.StringIO(Path(path).read_text()))
    header = [h.lower() for h in fsm.header]
    return [dict(zip(header, row, strict=True)) for row in fsm.ParseText(text)]


def _cases() -> list[object]:
    cases: list[object] = []
    for pattern, (platform, command) in CORPUS_DIRS.items():
        for path in corpus_cases(pattern):
            if isinstance(path, Path):
                cases.append(pytest.param(path, platform, command, id=f"corpus/{path.name}"))
            else:
                cases.append(path)
    for folder, platform, command in (
        ("cisco_nxos/show_mac_address-table", "cisco_nxos", MAC),
        ("juniper_junos/show_ethernet-switching_table", "juniper_junos", JUNOS),
    ):
        for path in sorted((TEMPLATES / folder).glob("*.raw")):
            cases.append(pytest.param(path, platform, command, id=f"templates/{path.name}"))
    return cases


@pytest.mark.parametrize(("raw", "platform", "command"), _cases())
def test_fast_rows_equal_textfsm_rows_on_every_capture(
    raw: Path, platform: str, command: str
) -> None:
    path = _template(platform, command)
    text = raw.read_text()
    fast = fast_rows(path, text)
    assert fast is not None, "the fast path declined a real capture"
    assert fast == _textfsm_rows(path, text)
    assert parse_output(platform, command, text) == fast


def test_the_four_platforms_mac_templates_have_a_fast_program() -> None:
    names = {
        Path(_template(p, c)).name
        for p, c in [
            ("cisco_ios", MAC),
            ("cisco_nxos", MAC),
            ("arista_eos", MAC),
            ("juniper_junos", JUNOS),
        ]
    }
    assert names == FAST_TEMPLATES


NXOS_HEAD = (
    "     VLAN       MAC Address       Type     age    Secure  NTFY     Ports\n"
    "------------+-----------------+----------+-------+------+------+------------------\n"
)
ODD = {
    "nxos several ports and continuation": (
        "cisco_nxos",
        MAC,
        NXOS_HEAD
        + "*   10     0050.5600.0001   dynamic  0         F      F    Po1 Eth1/1 Eth1/2 Eth1/3\n"
        + "+   10     0050.5600.0002   dynamic  0         F      F    vPC Peer-Link\n"
        + "G    -     0050.5600.0003   static   -         F      F    sup-eth1(R)\n"
        + "                                                          Eth1/7 Eth1/8\n"
        + "*   20     0050.5600.0004   dynamic  10        F      F    Eth1/9\n",
    ),
    "ios type4 with total line": (
        "cisco_ios",
        MAC,
        "Vlan    Mac Address       Type        Ports\n----    -----------       --------    -----\n"
        " All    0100.0ccc.cccc    STATIC      CPU\n   2    C869.CD54.1F71    DYNAMIC     Gi1/0/7\n"
        "\nTotal Mac Addresses for this criterion: 2\n",
    ),
    "eos moves and last move": (
        "arista_eos",
        MAC,
        "Vlan    Mac Address       Type        Ports      Moves   Last Move\n"
        "----    -----------       ----        -----      -----   ---------\n"
        "  10    0050.5600.0001    DYNAMIC     Et1        1       0:00:12 ago\n"
        "  10    0050.5600.0002    STATIC      Po1\nTotal Mac Addresses for this criterion: 2\n",
    ),
    "junos blank vlan and trailing prompt": (
        "juniper_junos",
        JUNOS,
        "    Vlan                MAC                 MAC         Age    Logical\n"
        "    name                address             flags              interface\n"
        "    servers             00:50:56:00:00:01   D             -   ge-0/0/1.0\n"
        "                        00:50:56:00:00:02   D             -   ge-0/0/2.0\n"
        "\n{master:0}\n",
    ),
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_fast_rows_equal_textfsm_rows_on_odd_lines(name: str) -> None:
    platform, command, text = ODD[name]
    path = _template(platform, command)
    fast = fast_rows(path, text)
    assert fast is not None
    assert fast == _textfsm_rows(path, text)
    assert len(fast) >= 2


def test_nxos_multi_port_row_keeps_every_port() -> None:
    platform, command, text = ODD["nxos several ports and continuation"]
    rows = parse_output(platform, command, text)
    # written from the input above, not from either parser
    assert rows[0]["ports"] == ["Po1", "Eth1/1", "Eth1/2", "Eth1/3"]
    assert rows[1]["ports"] == ["vPC Peer-Link"]
    assert rows[2]["ports"] == ["sup-eth1(R)", "Eth1/7", "Eth1/8"]


def test_a_rejected_line_falls_back_to_textfsm_and_its_error() -> None:
    text = ODD["ios type4 with total line"][2] + "this line is not a table row\n"
    path = _template("cisco_ios", MAC)
    assert fast_rows(path, text) is None
    with pytest.raises(textfsm.TextFSMError):
        _textfsm_rows(path, text)
    with pytest.raises(TemplateError) as error:
        parse_output("cisco_ios", MAC, text)
    assert error.value.line == len(text.splitlines())
    skipped: list[tuple[int | None, str]] = []
    rows = parse_output_skipping("cisco_ios", MAC, text, skipped)
    assert [r["destination_address"] for r in rows] == ["0100.0ccc.cccc", "C869.CD54.1F71"]
    assert skipped and skipped[0][0] == len(text.splitlines())


def test_other_templates_have_no_fast_program() -> None:
    assert fast_rows(_template("cisco_ios", "show version"), "Cisco IOS Software\n") is None


def test_pager_pre_check_gives_the_full_scan_result() -> None:
    """Capture cleaning skips the pager scan on ASCII text without "more", backspace or
    escape: the same text as the scan on every corpus capture and on pager residue."""
    from xsfabric.switch.capture import _PAGER, _strip_pager

    texts = [
        p.read_text(errors="replace")
        for pattern in ("ntc-templates/*/*/*.raw", "napalm/*/*/*/*.txt")
        for p in corpus_cases(pattern)
        if isinstance(p, Path)
    ]
    texts += [
        " --More-- \nGi1/0/1  up\n",
        "line\n -- MORE -- \x08\x08\x08\x08   \x08\x08\x08rest\n",
        "\x1b[7m--More--\x1b[m\n",
        "no pager here, only more words\n",
        "Ünïcode -- MORE --\n",
    ]
    assert len(texts) > 30
    for text in texts:
        assert _strip_pager(text) == _PAGER.sub("", text)


def test_parsing_from_several_threads_gives_the_sequential_rows() -> None:
    """Each thread has its own compiled FSMs (TextFSM objects keep per-parse state): eight
    threads parsing every template fixture at once get what one thread gets."""
    from concurrent.futures import ThreadPoolExecutor

    cases = [
        (raw.parent.parent.name, raw.parent.name.replace("_", " "), raw.read_text())
        for raw in sorted(TEMPLATES.glob("*/*/*.raw"))
    ]
    assert len(cases) > 20
    expected = [parse_output(p, c, t) for p, c, t in cases]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            got = list(pool.map(lambda case: parse_output(*case), cases))
            assert got == expected


def test_an_index_row_with_joined_templates_goes_through_clitable() -> None:
    """``show switch detail`` names two templates joined on their keys: clitable's merge,
    exactly as ``CliTable.ParseCmd`` gives it."""
    from textfsm import clitable

    from xsfabric.switch.textfsm_parse import ntc_template_dir

    found = _templates_for("cisco_ios", "show switch detail")
    assert found is not None and ":" in found[1]
    text = (
        "Switch/Stack Mac Address : 0006.f6b2.7f00 - Local Mac Address\n"
        "                                             H/W   Current\n"
        "Switch#   Role    Mac Address     Priority Version  State\n"
        "------------------------------------------------------------\n"
        "*1       Active   0006.f6b2.7f00     15     V01     Ready\n"
        " 2       Standby  0006.f6b2.8100     14     V01     Ready\n"
    )
    table = clitable.CliTable("index", str(ntc_template_dir()))
    table.ParseCmd(text, {"Command": "show switch detail", "Platform": "cisco_ios"})
    header = [h.lower() for h in table.header]
    expected = [dict(zip(header, row, strict=True)) for row in table]
    assert expected
    assert parse_output("cisco_ios", "show switch detail", text) == expected
