"""Nornir SimpleInventory files (``hosts.yaml``, ``groups.yaml``, ``defaults.yaml``).

An existing Nornir inventory can be reused as it is, because Nornir's own SimpleInventory
loads it: the same keys, the same inheritance (host, then its groups depth-first, then
defaults; connection options field by field). On top, xsfabric keeps only what Nornir does not
do: validation that names file and line (unknown keys, unknown groups, inheritance loops, a
bad ``data.kind``) before Nornir reads the files, and credential references. xsfabric reads
its own settings from ``data`` (``kind``, ``collect``, ``snmp``, ``verify_tls``, ``ca_file``
…). Credentials are references, never literals on the command line: ``${ENV_VAR}`` or
``${secret:NAME}`` from a secrets file outside the inventory. Every resolved credential is
handed to the snapshot's redactor so that it can never be written anywhere.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xsfabric.errors import InventoryError, SecretError
from xsfabric.kinds import DeviceKind
from xsfabric.yamlfile import line_of, load_yaml, plain

log = logging.getLogger(__name__)

HOST_KEYS = frozenset(
    {"hostname", "port", "username", "password", "platform", "groups", "data", "connection_options"}
)
DEFAULTS_KEYS = HOST_KEYS - {"groups"}
CONNECTION_OPTION_KEYS = frozenset(
    {"hostname", "port", "username", "password", "platform", "extras"}
)
#: Keys whose values are credentials wherever they appear (host, data, snmp, extras …).
SECRET_KEY_RE = re.compile(
    r"password|secret|community|auth_key|priv_key|authkey|privkey|passphrase|token", re.I
)
_REF_RE = re.compile(r"\$\{([^}]*)\}")

PLATFORM_KINDS: dict[str, DeviceKind] = {
    "xenserver": DeviceKind.XENSERVER_POOL,
    "brocade_fos": DeviceKind.FC_SWITCH,
    "cisco_mds": DeviceKind.FC_SWITCH,
    "netapp_cdot": DeviceKind.ARRAY,
    "pure": DeviceKind.ARRAY,
    "hp_3par": DeviceKind.ARRAY,
}


@dataclass(frozen=True, slots=True)
class InventoryHost:
    """One inventory host with inheritance applied and credential references resolved."""

    name: str
    hostname: str
    kind: DeviceKind
    platform: str | None
    port: int | None
    username: str | None
    password: str | None
    data: Mapping[str, Any]
    connection_options: Mapping[str, Any]
    groups: tuple[str, ...]
    source: str  # "hosts.yaml:12", for messages

    @property
    def verify_tls(self) -> bool:
        return bool(self.data.get("verify_tls", True))

    @property
    def ca_file(self) -> Path | None:
        value = self.data.get("ca_file")
        return Path(value) if value else None

    @property
    def collect_methods(self) -> list[str]:
        methods = self.data.get("collect")
        return [str(m) for m in methods] if isinstance(methods, list) else []


@dataclass(slots=True)
class Inventory:
    folder: Path
    hosts: dict[str, InventoryHost]
    digest: str
    secrets: set[str] = field(default_factory=set)

    def filter(self, names: list[str]) -> list[InventoryHost]:
        if not names:
            return list(self.hosts.values())
        missing = [n for n in names if n not in self.hosts]
        if missing:
            raise InventoryError(
                self.folder / "hosts.yaml", f"--limit names unknown hosts: {', '.join(missing)}"
            )
        return [self.hosts[n] for n in names]


class _Resolver:
    """Expands ``${ENV}`` and ``${secret:NAME}`` and remembers every credential it saw."""

    def __init__(self, secrets_file: Path | None) -> None:
        self.secrets_file = secrets_file
        self._secrets: dict[str, str] | None = None
        self.seen: set[str] = set()

    def _secret_table(self, path: Path, line: int | None) -> dict[str, str]:
        if self._secrets is None:
            if self.secrets_file is None:
                raise SecretError(
                    f"{path}:{line}: ${{secret:…}} used but no secrets file given "
                    "(--secrets FILE or XSFABRIC_SECRETS)"
                )
            doc = plain(load_yaml(self.secrets_file, InventoryError))
            if not isinstance(doc, dict):
                raise InventoryError(self.secrets_file, "a secrets file is a map NAME: value")
            self._secrets = {str(k): str(v) for k, v in doc.items()}
        return self._secrets

    def expand(self, value: str, path: Path, line: int | None, key: str) -> str:
        def one(match: re.Match[str]) -> str:
            ref = match.group(1).strip()
            if ref.startswith("secret:"):
                name = ref.removeprefix("secret:")
                table = self._secret_table(path, line)
                if name not in table:
                    raise SecretError(
                        f"{path}:{line}: secret {name!r} is not in {self.secrets_file}"
                    )
                resolved = table[name]
            else:
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", ref):
                    raise InventoryError(path, f"{key}: bad reference ${{{ref}}}", line)
                if ref not in os.environ:
                    raise SecretError(
                        f"{path}:{line}: {key}: environment variable {ref} is not set"
                    )
                resolved = os.environ[ref]
            # only credentials are secrets: a ${ENV} username or hostname stays in the data
            if ref.startswith("secret:") or SECRET_KEY_RE.search(key):
                self.seen.add(resolved)
            return resolved

        expanded = _REF_RE.sub(one, value)
        if SECRET_KEY_RE.search(key) and expanded:
            self.seen.add(expanded)
        return expanded

    def walk(self, node: Any, path: Path, key: str, line: int | None) -> Any:
        if isinstance(node, dict):
            return {
                str(k): self.walk(v, path, str(k), line_of(node, k) or line)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [self.walk(v, path, key, line_of(node, i) or line) for i, v in enumerate(node)]
        if isinstance(node, str):
            if SECRET_KEY_RE.search(key) and node and not _REF_RE.search(node):
                log.warning(
                    "%s:%s: %s is a literal credential; use ${ENV_VAR} or ${secret:NAME}",
                    path,
                    line,
                    key,
                )
            return self.expand(node, path, line, key)
        return node


def _load_section(path: Path, allowed: frozenset[str], *, flat: bool) -> dict[str, Any]:
    if not path.exists():
        return {}
    doc = load_yaml(path, InventoryError)
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise InventoryError(path, "must be a map", line_of(doc))
    entries = {"": doc} if flat else doc
    for name, entry in entries.items():
        where = line_of(doc, name) if name else 1
        if entry is None:
            continue
        if not isinstance(entry, dict):
            raise InventoryError(path, f"{name or 'defaults'}: must be a map", where)
        for key in entry:
            if key not in allowed:
                raise InventoryError(
                    path,
                    f"{name + ': ' if name else ''}unknown key {key!r} "
                    f"(allowed: {', '.join(sorted(allowed))})",
                    line_of(entry, key),
                )
        options = entry.get("connection_options")
        if isinstance(options, dict):
            for conn, conn_opts in options.items():
                if isinstance(conn_opts, dict):
                    for key in conn_opts:
                        if key not in CONNECTION_OPTION_KEYS:
                            raise InventoryError(
                                path,
                                f"connection_options.{conn}: unknown key {key!r}",
                                line_of(conn_opts, key),
                            )
    return doc if not flat else {"": doc}


def _group_chain(
    names: list[str],
    groups: Mapping[str, Any],
    path: Path,
    line: int | None,
    seen: tuple[str, ...] = (),
) -> Iterator[str]:
    for name in names:
        if name in seen:
            raise InventoryError(path, f"group inheritance loop through {name!r}", line)
        if name not in groups:
            raise InventoryError(path, f"unknown group {name!r}", line)
        yield name
        parents = (groups[name] or {}).get("groups") or []
        yield from _group_chain(list(parents), groups, path, line, (*seen, name))


#: The connection option fields Nornir resolves with inheritance.
_CONNECTION_FIELDS = ("hostname", "port", "username", "password", "platform")


def _nornir_inventory(hosts_path: Path, groups_path: Path, defaults_path: Path) -> Any:
    """The inventory as Nornir's SimpleInventory loads it (files already validated)."""
    from nornir.plugins.inventory.simple import SimpleInventory

    try:
        return SimpleInventory(str(hosts_path), str(groups_path), str(defaults_path)).load()
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise InventoryError(
            hosts_path,
            f"Nornir's SimpleInventory cannot load this "
            f"inventory ({type(exc).__name__}: {exc}); every host, group and "
            "connection_options entry must be a map",
        ) from None


def _connection_options(host: Any) -> dict[str, Any]:
    """Per connection plugin, the options Nornir resolves for the host (host, groups,
    defaults, field by field): ``extras`` and the fields set for that plugin."""
    names: set[str] = set(host.connection_options)
    for group in host.extended_groups():
        names |= set(group.connection_options)
    names |= set(host.defaults.connection_options)
    options: dict[str, Any] = {}
    for name in sorted(names):
        params = host.get_connection_parameters(name)
        entry = {
            key: getattr(params, key)
            for key in _CONNECTION_FIELDS
            if getattr(params, key) is not None and getattr(params, key) != getattr(host, key)
        }
        if params.extras:
            entry["extras"] = params.extras
        options[name] = entry
    return options


def load_inventory(folder: Path, secrets_file: Path | None = None) -> Inventory:
    if not folder.is_dir():
        raise InventoryError(folder, "inventory folder does not exist")
    hosts_path = folder / "hosts.yaml"
    if not hosts_path.is_file():
        raise InventoryError(hosts_path, "missing: an inventory folder needs hosts.yaml")
    if secrets_file is None and os.environ.get("XSFABRIC_SECRETS"):
        secrets_file = Path(os.environ["XSFABRIC_SECRETS"])
    if secrets_file is not None and secrets_file.resolve().is_relative_to(folder.resolve()):
        log.warning(
            "%s: the secrets file lies inside the inventory folder; keep it apart "
            "so the inventory can be shared",
            secrets_file,
        )
    hosts_doc = _load_section(hosts_path, HOST_KEYS, flat=False)
    groups_path = folder / "groups.yaml"
    groups_doc = _load_section(groups_path, HOST_KEYS, flat=False)
    defaults_path = folder / "defaults.yaml"
    # validated here, read by Nornir; the map itself says where an inherited value is set
    defaults_doc = _load_section(defaults_path, DEFAULTS_KEYS, flat=True).get("") or {}

    for name, entry in groups_doc.items():  # Nornir needs every parent group to exist
        parents = (entry or {}).get("groups") or []
        if not isinstance(parents, list):
            raise InventoryError(
                groups_path, f"{name}: groups must be a list", line_of(groups_doc, name)
            )
        list(
            _group_chain(
                [str(g) for g in parents],
                groups_doc,
                groups_path,
                line_of(groups_doc, name),
                (str(name),),
            )
        )
    for name, entry in hosts_doc.items():
        group_names = (entry or {}).get("groups") or []
        if not isinstance(group_names, list):
            raise InventoryError(
                hosts_path, f"{name}: groups must be a list", line_of(hosts_doc, name)
            )
        list(
            _group_chain(
                [str(g) for g in group_names], groups_doc, hosts_path, line_of(hosts_doc, name)
            )
        )
    nornir = _nornir_inventory(hosts_path, groups_path, defaults_path)
    nornir_hosts = {str(name): host for name, host in nornir.hosts.items()}

    resolver = _Resolver(secrets_file)
    hosts: dict[str, InventoryHost] = {}
    for name, entry in hosts_doc.items():
        raw = entry or {}
        line = line_of(hosts_doc, name)
        host = nornir_hosts[str(name)]
        chain = [group.name for group in host.extended_groups()]
        origin = _Origin(
            raw,
            line,
            chain,
            ((hosts_path, {}), (groups_path, groups_doc), (defaults_path, defaults_doc)),
        )
        resolved = {}
        for key in _CONNECTION_FIELDS:
            file, at = origin(key)
            resolved[key] = resolver.walk(getattr(host, key), file, key, at)
        data = {}
        for key, value in host.extended_data().items():
            file, at = origin(str(key), in_data=True)
            data[str(key)] = resolver.walk(value, file, str(key), at)
        options = resolver.walk(_connection_options(host), hosts_path, "connection_options", line)
        hosts[str(name)] = _make_host(
            str(name), resolved, data, options, chain, folder, hosts_path, line, origin
        )
    digest = hashlib.sha256()
    for path in (hosts_path, groups_path, defaults_path):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return Inventory(folder, hosts, digest.hexdigest(), resolver.seen)


class _Origin:
    """Which file and line set a key for one host: its own entry in hosts.yaml, else the first
    group of its inheritance chain that has it (groups.yaml), else defaults.yaml. An error
    then names the line to edit, not the host that inherited it."""

    def __init__(
        self,
        raw: dict[str, Any],
        line: int | None,
        chain: list[str],
        files: tuple[tuple[Path, dict[str, Any]], ...],
    ) -> None:
        self.raw, self.line, self.chain = raw, line, chain
        (
            (self.hosts_path, _),
            (self.groups_path, self.groups),
            (self.defaults_path, self.defaults),
        ) = files

    def __call__(self, key: str, *, in_data: bool = False) -> tuple[Path, int | None]:
        def holder(entry: Any) -> Any:
            node = (entry or {}).get("data") if in_data else entry
            return node if isinstance(node, dict) and key in node else None

        node = holder(self.raw)
        if node is not None:
            return self.hosts_path, line_of(node, key) or self.line
        for group in self.chain:
            node = holder(self.groups.get(group))
            if node is not None:
                return self.groups_path, line_of(node, key) or line_of(self.groups, group)
        node = holder(self.defaults)
        if node is not None:
            return self.defaults_path, line_of(node, key)
        return self.hosts_path, self.line


def _make_host(
    name: str,
    resolved: dict[str, Any],
    data: dict[str, Any],
    options: dict[str, Any],
    chain: list[str],
    folder: Path,
    path: Path,
    line: int | None,
    origin: _Origin | None = None,
) -> InventoryHost:
    def where(key: str, in_data: bool = False) -> tuple[Path, int | None]:
        return origin(key, in_data=in_data) if origin is not None else (path, line)

    platform = resolved["platform"]
    hostname = resolved["hostname"] or name
    kind_text = data.get("kind")
    if kind_text is None:
        kind = PLATFORM_KINDS.get(str(platform), DeviceKind.SWITCH)
    else:
        try:
            kind = DeviceKind(str(kind_text))
        except ValueError:
            allowed = ", ".join(k.value for k in DeviceKind)
            file, at = where("kind", True)
            raise InventoryError(
                file, f"{name}: data.kind {kind_text!r} is not one of {allowed}", at
            ) from None
    if kind is DeviceKind.XENSERVER_POOL and platform not in (None, "xenserver"):
        file, at = where("platform")
        raise InventoryError(
            file, f"{name}: a xenserver-pool has platform: xenserver, not {platform!r}", at
        )
    port = resolved["port"]
    if port is not None and (not isinstance(port, int) or not 0 < port < 65536):
        file, at = where("port")
        raise InventoryError(file, f"{name}: port must be a number 1-65535", at)
    if data.get("ca_file"):
        ca = Path(str(data["ca_file"])).expanduser()
        data["ca_file"] = str(ca if ca.is_absolute() else (folder / ca))
    if data.get("known_hosts"):  # SSH host keys, relative to the inventory like ca_file
        known = Path(str(data["known_hosts"])).expanduser()
        data["known_hosts"] = str(known if known.is_absolute() else (folder / known))
    if data.get("verify_tls") is False:
        log.warning(
            "%s:%s: %s: TLS verification is turned off (data.verify_tls: false); "
            "pin the host certificate with data.ca_file instead",
            path,
            line,
            name,
        )
    return InventoryHost(
        name=name,
        hostname=str(hostname),
        kind=kind,
        platform=str(platform) if platform else None,
        port=port,
        username=resolved["username"],
        password=resolved["password"],
        data=data,
        connection_options=options,
        groups=tuple(chain),
        source=f"{path.name}:{line}",
    )
