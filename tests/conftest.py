"""Shared fixtures: the real-world corpus beside the project, skipped cleanly where absent."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"conformance corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def xapi_dumps(corpus_dir: Path) -> list[Path]:
    dumps = sorted((corpus_dir / "xapi-db").glob("*.xml"))
    if not dumps:
        pytest.skip("no xapi dumps in the corpus")
    return dumps
