"""Shared fixtures: the real-world corpus beside the project (``tests/corpus.py`` finds it;
skipped with the reason on a developer's machine without it, failed under ``CI=true``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.corpus import PROJECT_ROOT, check_missing_mark, corpus_path

__all__ = ["PROJECT_ROOT"]


def pytest_runtest_setup(item: pytest.Item) -> None:
    check_missing_mark(item)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return corpus_path()


@pytest.fixture(scope="session")
def xapi_dumps() -> list[Path]:
    dumps = sorted(corpus_path("xapi-db").glob("*.xml"))
    if not dumps:
        pytest.fail(f"no xapi dumps in {corpus_path('xapi-db')}", pytrace=False)
    return dumps
