"""Finding the real-world corpus (``../shared/corpus``) — one place, so corpus tests cannot
silently vanish.

The corpus is looked up through ``XSFABRIC_CORPUS`` (an explicit override) or beside the
project (``../shared/corpus``). Where it is missing, a developer's run skips the corpus tests
with the reason; under ``CI=true`` (or when ``XSFABRIC_CORPUS`` names a folder that is not
there) they FAIL: a CI run that quietly skipped every real-capture test would report green
for code nothing checked. A present corpus in which a pattern matches nothing fails too: a
renamed folder must not turn a parametrized test into zero tests.

Use :func:`corpus_path` inside a test (or fixture) and :func:`corpus_cases` to parametrize;
``tests/conftest.py`` turns the placeholder case into the skip or the failure.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NoReturn

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
#: The id of the one placeholder case a parametrization gets when its files are missing.
MISSING_ID = "corpus-missing"
#: The marker ``tests/conftest.py`` acts on (skip, or fail under CI).
MISSING_MARK = "corpus_missing"


def corpus_root() -> Path:
    """Where the corpus should be: the override, else ``../shared/corpus``."""
    override = os.environ.get("XSFABRIC_CORPUS", "").strip()
    return Path(override).expanduser() if override else DEFAULT_CORPUS


def must_fail_when_missing() -> bool:
    """CI, or an explicit override: a missing corpus is an error, not a reason to skip."""
    return os.environ.get("CI", "").strip().lower() == "true" or bool(
        os.environ.get("XSFABRIC_CORPUS", "").strip()
    )


def missing(what: str) -> NoReturn:
    """Skip (a developer's machine without the corpus) or fail (CI, explicit override)."""
    message = f"corpus missing: {what} (set XSFABRIC_CORPUS or provide ../shared/corpus)"
    if must_fail_when_missing():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def corpus_path(*parts: str) -> Path:
    """A file or folder of the corpus; skips or fails (see :func:`missing`) when absent."""
    root = corpus_root()
    if not root.is_dir():
        missing(str(root))
    path = root.joinpath(*parts)
    if not path.exists():
        # the corpus is there but not this part of it: never a reason to skip
        pytest.fail(f"corpus at {root} lacks {'/'.join(parts)}", pytrace=False)
    return path


def corpus_cases(pattern: str) -> list[Any]:
    """The corpus paths matching ``pattern``, sorted, for ``pytest.mark.parametrize``.

    Without matches, one placeholder case marked ``corpus_missing``: the test never runs with
    it, ``tests/conftest.py`` skips or fails it (an empty parametrization would be a silent
    skip whatever the environment)."""
    root = corpus_root()
    found = sorted(root.glob(pattern)) if root.is_dir() else []
    if found:
        return found
    what = f"{root}/{pattern}" if root.is_dir() else str(root)
    return [
        pytest.param(
            root / pattern, id=MISSING_ID, marks=pytest.mark.corpus_missing(what, root.is_dir())
        )
    ]


def check_missing_mark(item: pytest.Item) -> None:
    """Called by ``tests/conftest.py`` before each test: act on a placeholder case."""
    mark = item.get_closest_marker(MISSING_MARK)
    if mark is None:
        return
    what, root_present = mark.args
    if root_present:
        pytest.fail(f"corpus present but nothing matches {what}", pytrace=False)
    missing(what)
