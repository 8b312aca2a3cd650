"""One root exception, one subclass per failure a user can act on.

Every subclass renders as one line that names the input (file and line, device, snapshot),
so the CLI prints it instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path


class XsfabricError(Exception):
    """Root of every error xsfabric reports to a user."""

    exit_code = 2


class InputFileError(XsfabricError):
    """A file the user gave is malformed; names the file and, where known, the line."""

    kind = "input"

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {message}")


class InventoryError(InputFileError):
    """The inventory (hosts/groups/defaults.yaml) is malformed or names unknown keys."""


class PolicyError(InputFileError):
    """The policy file is malformed or does not match its schema."""


class DumpError(InputFileError):
    """A xapi database dump is truncated, malformed or of an unknown schema."""


class SnapshotError(XsfabricError):
    """A snapshot folder is missing, incomplete, of a newer format, or would be overwritten."""


class SecretError(XsfabricError):
    """A credential reference (${ENV} or secrets file entry) cannot be resolved."""


class CollectionError(XsfabricError):
    """Collecting one device failed; the status says how (for the manifest)."""

    def __init__(self, device: str, status: str, message: str) -> None:
        self.device = device
        self.status = status
        self.message = message
        super().__init__(f"{device}: {status}: {message}")


class MissingExtraError(XsfabricError):
    """A command needs an optional part of xsfabric that is not installed (``pip install
    'xsfabric[lab]'``); says which extra and which module is missing."""

    def __init__(self, command: str, extra: str, missing: list[str]) -> None:
        self.extra = extra
        self.missing = missing
        super().__init__(
            f"{command} needs the '{extra}' extra (missing: {', '.join(missing)}); "
            f"install it with: pip install 'xsfabric[{extra}]'"
        )


class QueryError(XsfabricError):
    """A ``show`` question the table cannot answer: an unknown column, a filter on a column
    the table does not have, a VLAN or MAC that is not one; names the table and what it has."""
