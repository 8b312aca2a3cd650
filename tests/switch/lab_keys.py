"""The running SSH lab's known-hosts file, in a module of its own: ``conftest`` is imported
twice (by pytest and by the tests that import ``lab_host``), this module once."""

from __future__ import annotations

from pathlib import Path

#: The lab pins its per-run host key like any device; :func:`lab_host` reads it here.
KNOWN_HOSTS: list[Path] = []
