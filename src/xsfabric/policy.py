"""The policy file: intent that the pools' data cannot show.

Intent also comes from what admins already record in XenCenter — tags and ``other_config``
keys — so that a policy file is optional:

- pool environment: tag ``xsfabric:environment=production``, key ``xsfabric_environment``
- pool trust: tag ``xsfabric:trust=untrusted``, key ``xsfabric_trust``
- network role: tag ``xsfabric:role=storage``, key ``xsfabric_role``
- network internet-facing: tag ``xsfabric:internet-facing``, key ``xsfabric_internet_facing``
- network or VM untrusted: tag ``xsfabric:untrusted``, key ``xsfabric_untrusted``
- VM sensitive: tag ``xsfabric:sensitive``, key ``xsfabric_sensitive``

The policy file wins over tags. Where neither says, rules that need intent report "not
checked" instead of guessing.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from xsfabric.errors import PolicyError
from xsfabric.model.xen import Network, Pool, Role, Vm
from xsfabric.schemas import load_schema
from xsfabric.yamlfile import line_of, load_yaml, plain

TAG_PREFIX = "xsfabric:"
ENVIRONMENTS = ("production", "staging", "test", "development")


@dataclass(frozen=True, slots=True)
class NetworkRule:
    match: dict[str, Any]
    role: Role | None
    internet_facing: bool | None
    untrusted: bool | None
    line: int | None


@dataclass(frozen=True, slots=True)
class VmRule:
    match: dict[str, Any]
    sensitive: bool | None
    untrusted: bool | None
    line: int | None


@dataclass(slots=True)
class Policy:
    path: Path | None
    pools: dict[str, dict[str, Any]] = field(default_factory=dict)
    pool_lines: dict[str, int | None] = field(default_factory=dict)
    networks: list[NetworkRule] = field(default_factory=list)
    vms: list[VmRule] = field(default_factory=list)
    expected_nic_layout: dict[str, str] = field(default_factory=dict)
    #: Switches the policy marks as reuse candidates (``switches: {name: {reuse: true}}``).
    reuse_switches: set[str] = field(default_factory=set)


def _error_line(doc: Any, path: Iterable[Any]) -> int | None:
    """Walk the YAML tree along a jsonschema error path to the deepest node with a line."""
    node, line = doc, line_of(doc)
    for step in path:
        try:
            found = line_of(node, step)
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        line = found or line_of(node) or line
    return line


def load_policy(path: Path) -> Policy:
    doc = load_yaml(path, PolicyError)
    if doc is None:
        return Policy(path)
    validator = jsonschema.Draft202012Validator(load_schema("policy"))
    error = jsonschema.exceptions.best_match(validator.iter_errors(plain(doc)))
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "top level"
        raise PolicyError(path, f"{where}: {error.message}", _error_line(doc, error.absolute_path))
    data = plain(doc)
    policy = Policy(path, expected_nic_layout=dict(data.get("expected_nic_layout") or {}))
    for name, entry in (data.get("pools") or {}).items():
        policy.pools[name] = entry or {}
        policy.pool_lines[name] = line_of(doc.get("pools"), name)
    for index, entry in enumerate(data.get("networks") or []):
        role = entry.get("role")
        policy.networks.append(
            NetworkRule(
                match=entry["match"],
                role=Role(role) if role else None,
                internet_facing=entry.get("internet_facing"),
                untrusted=entry.get("untrusted"),
                line=line_of(doc["networks"], index),
            )
        )
    for name, entry in (data.get("switches") or {}).items():
        if (entry or {}).get("reuse"):
            policy.reuse_switches.add(str(name))
    for index, entry in enumerate(data.get("vms") or []):
        policy.vms.append(
            VmRule(
                match=entry["match"],
                sensitive=entry.get("sensitive"),
                untrusted=entry.get("untrusted"),
                line=line_of(doc["vms"], index),
            )
        )
    return policy


# -- intent from XenCenter tags and other_config -------------------------------------------


def _tag_values(tags: list[str], other_config: dict[str, str]) -> dict[str, str]:
    """``xsfabric:key=value`` / ``xsfabric:flag`` tags and ``xsfabric_key`` other_config."""
    values: dict[str, str] = {}
    for key, value in other_config.items():
        if key.startswith("xsfabric_"):
            values[key.removeprefix("xsfabric_").replace("_", "-")] = value.strip().lower()
    for tag in tags:
        if tag.lower().startswith(TAG_PREFIX):
            body = tag[len(TAG_PREFIX) :].strip()
            key, _, value = body.partition("=")
            values[key.strip().lower()] = value.strip().lower() or "true"
    return values


def _flag(values: dict[str, str], key: str) -> bool | None:
    if key not in values:
        return None
    return values[key] in ("true", "yes", "1", "")


def apply_tags(pool: Pool) -> None:
    values = _tag_values(pool.tags, pool.other_config)
    if values.get("environment") in ENVIRONMENTS:
        pool.environment = values["environment"]
        pool.intent_source["environment"] = "tag"
    if values.get("trust") in ("trusted", "untrusted"):
        pool.trust = values["trust"]
        pool.intent_source["trust"] = "tag"
    for network in pool.networks.values():
        nvalues = _tag_values(network.tags, network.other_config)
        role = nvalues.get("role")
        if role in {r.value for r in Role}:
            network.role = Role(role)
            network.role_source = "tag"
            network.role_reason = f"tagged {TAG_PREFIX}role={role}"
        network.internet_facing = _flag(nvalues, "internet-facing")
        network.untrusted = _flag(nvalues, "untrusted")
    for vm in pool.vms.values():
        vvalues = _tag_values(vm.tags, vm.other_config)
        vm.sensitive = _flag(vvalues, "sensitive")
        vm.untrusted = _flag(vvalues, "untrusted")


# -- intent from the policy file -------------------------------------------------------------


def _pool_matches(pool: Pool, key: str | None) -> bool:
    return key is None or key in (pool.name, pool.name_label, pool.uuid)


def _network_matches(network: Network, match: dict[str, Any]) -> bool:
    if "uuid" in match and network.uuid != match["uuid"]:
        return False
    if "name" in match and not fnmatch.fnmatchcase(network.name_label, match["name"]):
        return False
    if "bridge" in match and network.bridge != match["bridge"]:
        return False
    return not ("vlan" in match and match["vlan"] not in network.vlan_tags)


def _vm_matches(vm: Vm, match: dict[str, Any]) -> bool:
    if "uuid" in match and vm.uuid != match["uuid"]:
        return False
    if "name" in match and not fnmatch.fnmatchcase(vm.name_label, match["name"]):
        return False
    return not ("tag" in match and match["tag"] not in vm.tags)


def apply_policy(pools: list[Pool], policy: Policy | None) -> list[str]:
    """Apply tags, then the policy (which wins). Returns warnings for policy entries that
    match nothing — a typo in a policy must be visible, not silently ignored."""
    for pool in pools:
        apply_tags(pool)
    if policy is None:
        return []
    warnings: list[str] = []
    where = str(policy.path) if policy.path else "policy"
    known = {key for pool in pools for key in (pool.name, pool.name_label, pool.uuid)}
    for key, entry in policy.pools.items():
        if key not in known:
            warnings.append(
                f"{where}:{policy.pool_lines.get(key)}: pool {key!r} matches no "
                "pool in the snapshot"
            )
            continue
        for pool in pools:
            if _pool_matches(pool, key):
                if entry.get("environment"):
                    pool.environment = entry["environment"]
                    pool.intent_source["environment"] = "policy"
                if entry.get("trust"):
                    pool.trust = entry["trust"]
                    pool.intent_source["trust"] = "policy"
                pool.expected_nic_layout = dict(entry.get("expected_nic_layout") or {})
    for pool in pools:
        if not pool.expected_nic_layout and policy.expected_nic_layout:
            pool.expected_nic_layout = dict(policy.expected_nic_layout)
    for rule in policy.networks:
        hits = 0
        for pool in pools:
            if not _pool_matches(pool, rule.match.get("pool")):
                continue
            for network in pool.networks.values():
                if not _network_matches(network, rule.match):
                    continue
                hits += 1
                if rule.role is not None:
                    network.role = rule.role
                    network.role_source = "policy"
                    network.role_reason = f"policy {where}:{rule.line}"
                if rule.internet_facing is not None:
                    network.internet_facing = rule.internet_facing
                if rule.untrusted is not None:
                    network.untrusted = rule.untrusted
        if not hits:
            warnings.append(f"{where}:{rule.line}: network rule {rule.match} matches no network")
    for vm_rule in policy.vms:
        hits = 0
        for pool in pools:
            if not _pool_matches(pool, vm_rule.match.get("pool")):
                continue
            for vm in pool.vms.values():
                if vm.is_control_domain or not _vm_matches(vm, vm_rule.match):
                    continue
                hits += 1
                if vm_rule.sensitive is not None:
                    vm.sensitive = vm_rule.sensitive
                if vm_rule.untrusted is not None:
                    vm.untrusted = vm_rule.untrusted
        if not hits:
            warnings.append(f"{where}:{vm_rule.line}: VM rule {vm_rule.match} matches no VM")
    return warnings
