"""The corpus cannot silently vanish: tests/corpus.py finds it through ``XSFABRIC_CORPUS`` or
``../shared/corpus``; without it a developer's run skips, CI fails, and ``.ci/run`` reports
pytest's own exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests import corpus
from tests.corpus import MISSING_ID, corpus_cases, corpus_path, corpus_root

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_corpus(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("XSFABRIC_CORPUS", raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(corpus, "DEFAULT_CORPUS", tmp_path / "absent")
    return tmp_path / "absent"


def test_override_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "xapi-db").mkdir()
    (tmp_path / "xapi-db" / "a.xml").write_text("<database/>")
    monkeypatch.setenv("XSFABRIC_CORPUS", str(tmp_path))
    assert corpus_root() == tmp_path
    assert corpus_cases("xapi-db/*.xml") == [tmp_path / "xapi-db" / "a.xml"]
    assert corpus_path("xapi-db") == tmp_path / "xapi-db"


def test_missing_corpus_skips_on_a_developer_machine(no_corpus: Path) -> None:
    with pytest.raises(pytest.skip.Exception, match="corpus missing"):
        corpus_path("xapi-db")
    (case,) = corpus_cases("ntc-templates/*/*/*.raw")
    assert case.id == MISSING_ID  # one placeholder case, never an empty parametrization


def test_missing_corpus_fails_under_ci(no_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="corpus missing"):
        corpus_path("xapi-db")


def test_missing_override_fails_even_outside_ci(
    no_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XSFABRIC_CORPUS", str(tmp_path / "typo"))
    with pytest.raises(pytest.fail.Exception, match="typo"):
        corpus_path()


def test_a_pattern_matching_nothing_in_a_present_corpus_fails() -> None:
    with pytest.raises(pytest.fail.Exception, match="lacks"):
        corpus_path("no-such-folder")


@pytest.mark.slow
def test_ci_run_of_corpus_tests_without_corpus_fails(tmp_path: Path) -> None:
    """The whole chain in a pytest of its own: parametrized corpus tests, fixture-based ones,
    CI=true and a corpus that is not there → failures, not skips, and a non-zero exit."""
    env = {**os.environ, "CI": "true", "XSFABRIC_CORPUS": str(tmp_path / "absent")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/switch/test_conformance.py::test_napalm_vlans",
            "tests/test_dbdump.py::test_every_corpus_dump_parses",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    # failed in setup: pytest counts them as errors; either way exit 1, never a skip
    assert "2 errors" in result.stdout and "skipped" not in result.stdout, result.stdout
    assert "corpus missing" in result.stdout


def test_ci_script_reports_pytests_exit_code() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    assert "exit 0" not in script and "-eq 5" not in script
    assert "exec .venv/bin/python -m pytest" in script
