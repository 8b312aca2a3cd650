"""xsfabric's own TextFSM templates, tested the way ntc-templates tests its own, both ways:
every index row has fixtures, every template file is in the index, every ``.raw`` parses to
its ``.yml``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from xsfabric.switch.textfsm_parse import own_template_dir, parse_output

FIXTURES = Path(__file__).parent
PROJECT_ROOT = FIXTURES.parents[1]


def _index_rows() -> list[tuple[str, str, str]]:
    rows = []
    lines = (own_template_dir() / "index").read_text().splitlines()
    header_seen = False
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            assert line.replace(" ", "") == "Template,Hostname,Platform,Command"
            header_seen = True
            continue
        template, _host, platform, command = (c.strip() for c in line.split(",", 3))
        rows.append((template, platform, command))
    return rows


def _command_words(pattern: str) -> str:
    r"""``sh[[ow]] ll[[dp]]`` → ``show lldp`` (the full command the row stands for); a row may
    end in ``\s*$`` where a longer command must not match it."""
    return re.sub(r"\[\[(.*?)\]\]", r"\1", pattern.removesuffix(r"\s*$"))


def test_top_level_templates_is_the_package_folder() -> None:
    top = PROJECT_ROOT / "templates"
    assert top.resolve() == own_template_dir().resolve()


@pytest.mark.parametrize(("template", "platform", "command"), _index_rows())
def test_every_index_row_has_fixtures(template: str, platform: str, command: str) -> None:
    folder = FIXTURES / platform / _command_words(command).replace(" ", "_")
    assert (own_template_dir() / template).is_file(), template
    assert template == f"{platform}_{folder.name}.textfsm"
    raws = sorted(folder.glob("*.raw"))
    assert raws, f"no .raw fixture in {folder}"
    for raw in raws:
        assert raw.with_suffix(".yml").is_file(), f"{raw} has no expected .yml"


def test_every_template_file_is_in_the_index() -> None:
    indexed = {row[0] for row in _index_rows()}
    files = {p.name for p in own_template_dir().glob("*.textfsm")}
    assert files - indexed == set()
    assert indexed - files == set()


@pytest.mark.parametrize(
    "raw", sorted(FIXTURES.glob("*/*/*.raw")), ids=lambda p: f"{p.parent.parent.name}/{p.name}"
)
def test_raw_parses_to_expected(raw: Path) -> None:
    platform = raw.parent.parent.name
    command = raw.parent.name.replace("_", " ")
    expected = yaml.safe_load(raw.with_suffix(".yml").read_text())["parsed_sample"]
    assert parse_output(platform, command, raw.read_text()) == expected


def test_own_template_overrides_ntc_templates() -> None:
    folder = FIXTURES / "cisco_nxos/show_lldp_neighbors_detail"
    raw = folder / "cisco_nxos_show_lldp_neighbors_detail.raw"
    rows = parse_output("cisco_nxos", "show lldp neighbors detail", raw.read_text())
    # ntc-templates' version has no neighbor_port_id; ours keeps port id and description apart
    assert rows[0]["neighbor_port_id"] == "001b.210a.ba30"
    assert rows[1]["neighbor_interface"] == "to access"
