"""Wipe verification: has this switch really been erased before reuse (guide G22)?

Why a comparison and not a checklist: a reset leaves different things behind per vendor —
IOS ``write erase`` keeps ``vlan.dat`` (the VLAN database) and the flash files; NX-OS
``write erase`` keeps the boot variables and every ``bootflash:`` file; EOS keeps ``flash:``
files and the ``schedule/tech-support`` bundles. So each evidence command's output is reduced
to *items* (configuration lines, VLAN ids, user names, key labels, file names, addresses …)
and compared with a factory baseline of the same platform shipped as package data
(``switch/baselines/<platform>.json``), or a golden baseline the user saved from a device known
to be freshly reset (``--save-baseline``). Volatile items — the current boot's generated
keys and self-signed trustpoints, serials, MACs, timestamps, image file names — are masked.

Every residue names its evidence command and the line that proves it; a line that held a
secret is shown only as "a secret is configured" (the evidence read from a snapshot is
already redacted; live output is redacted before it is analysed). Missing evidence is listed
and prevents a CLEAN answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from xsfabric.errors import XsfabricError
from xsfabric.redact import REDACTED

BASELINE_FORMAT = "xsfabric-wipe-baseline/1"
SECRET_TEXT = "a secret is configured"  # noqa: S105 - a message, not a password


class WipeError(XsfabricError):
    """Wipe-check cannot run: unknown platform, refused baseline, unreadable input."""


@dataclass(frozen=True, slots=True)
class Evidence:
    command: str
    kind: str  # analyser name
    what: str  # what it proves, for messages


_COMMON_IOS = (
    Evidence("show version", "version", "model and release"),
    Evidence("show running-config", "config", "running configuration"),
    Evidence("show startup-config", "config", "startup configuration"),
)

EVIDENCE: dict[str, tuple[Evidence, ...]] = {
    "cisco_ios": (
        *_COMMON_IOS,
        Evidence("show vlan brief", "vlans", "VLAN database (vlan.dat survives write erase)"),
        Evidence("show vtp status", "vtp", "VTP domain and revision"),
        Evidence("show running-config | section username", "users", "local users"),
        Evidence("show snmp user", "snmp_users", "SNMP users"),
        Evidence("show ip interface brief", "addresses", "interface addresses"),
        Evidence("show ip route static", "routes", "static routes"),
        Evidence("show crypto key mypubkey rsa", "keys", "crypto key labels"),
        Evidence("dir flash:", "files", "flash files"),
    ),
    "cisco_nxos": (
        *_COMMON_IOS,
        Evidence("show vlan brief", "vlans", "VLANs"),
        Evidence("show user-account", "users", "local users"),
        Evidence("show snmp user", "snmp_users", "SNMP users"),
        Evidence("show ip interface brief vrf all", "addresses", "interface addresses"),
        Evidence("show ip route static", "routes", "static routes"),
        Evidence("show vpc", "mlag", "vPC domain"),
        Evidence("show ssh key", "keys", "SSH keys"),
        Evidence("dir bootflash:", "files", "bootflash files (kept by write erase)"),
        Evidence("show boot", "boot", "boot variables (kept by write erase)"),
    ),
    "arista_eos": (
        *_COMMON_IOS,
        Evidence("show vlan brief", "vlans", "VLANs"),
        Evidence("show running-config section username", "users", "local users"),
        Evidence("show snmp user", "snmp_users", "SNMP users"),
        Evidence("show ip interface brief", "addresses", "interface addresses"),
        Evidence("show ip route static", "routes", "static routes"),
        Evidence("show mlag", "mlag", "MLAG domain"),
        Evidence("dir flash:", "files", "flash: files"),
        Evidence(
            "dir flash:/schedule/tech-support",
            "files",
            "scheduled tech-support bundles (kept by a reset)",
        ),
        Evidence("show boot-config", "boot", "boot configuration"),
    ),
    "juniper_junos": (
        Evidence("show version", "version", "model and release"),
        Evidence("show configuration", "config", "committed configuration"),
        Evidence("show vlans", "vlans", "VLANs"),
        Evidence("show interfaces terse", "addresses", "interface addresses"),
        Evidence("show route protocol static", "routes", "static routes"),
        Evidence("file list /config", "files", "rollback and rescue configurations"),
        Evidence("file list /var/tmp", "files", "files in /var/tmp"),
    ),
}


@dataclass(frozen=True, slots=True)
class Item:
    key: str  # what is compared with the baseline (masked)
    line: int
    text: str  # the evidence line, secrets replaced
    cls: str  # residue class


@dataclass(frozen=True, slots=True)
class Residue:
    cls: str
    command: str
    line: int
    text: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class WipeResult:
    device: str
    platform: str
    baseline: str
    residues: list[Residue] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    model: str | None = None
    release: str | None = None

    @property
    def verdict(self) -> str:
        if self.residues:
            return "NOT CLEAN"
        return "CLEAN" if not self.missing else "UNKNOWN"

    @property
    def exit_code(self) -> int:
        return {"CLEAN": 0, "NOT CLEAN": 1}.get(self.verdict, 2)

    def to_json(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "platform": self.platform,
            "baseline": self.baseline,
            "model": self.model,
            "release": self.release,
            "verdict": self.verdict,
            "residues": [r.to_json() for r in self.residues],
            "missing_evidence": self.missing,
        }


# -- masking -------------------------------------------------------------------------------

_MAC = re.compile(
    r"\b[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}\b|\b(?:[0-9a-f]{2}[:-]){5}"
    r"[0-9a-f]{2}\b",
    re.IGNORECASE,
)
_HEX = re.compile(r"\b[0-9A-F]{8,}\b", re.IGNORECASE)
_TIME = re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?(\.\d+)?\b")
_NUM = re.compile(r"\b\d{4,}\b")

#: Config lines of the current boot or the hardware, never residue.
_VOLATILE_CONFIG = re.compile(
    r"^(version |!|#|end$|building configuration|current configuration|last configuration|"
    r"nvram config|!command:|!time:|!running configuration|!startup config|boot-start-marker|"
    r"boot-end-marker|switch \d+ provision|system mtu|crypto pki trustpoint tp-self-signed|"
    r"crypto pki certificate chain tp-self-signed|license udi|diagnostic bootup|"
    r"certificate self-signed|quit$|set version |boot system |"
    r"\S+ / (rsakeypair tp-self-signed|enrollment selfsigned|subject-name cn=ios-self-signed|"
    r"revocation-check none|certificate self-signed|quit))",
    re.IGNORECASE,
)


def mask(text: str) -> str:
    """Volatile parts of a line replaced, so two resets compare equal.

    >>> mask("Key name: TP-self-signed-1234567890")
    'Key name: TP-self-signed-<hex>'
    >>> mask("Device ID : 0c11.2233.4480  at 10:11:12")
    'Device ID : <mac> at <time>'
    """
    text = _MAC.sub("<mac>", text)
    text = _HEX.sub("<hex>", text)
    text = _TIME.sub("<time>", text)
    return _NUM.sub("<n>", " ".join(text.split()))


def _shown(line: str) -> str:
    return " ".join(line.split()).replace(REDACTED, f"({SECRET_TEXT})")


# -- analysers: evidence text → items -------------------------------------------------------


def _config_items(text: str, platform: str) -> list[Item]:
    items: list[Item] = []
    if platform == "juniper_junos":
        from xsfabric.switch.config import _junos_set_lines

        for number, line in enumerate(_junos_set_lines(text), start=1):
            if _VOLATILE_CONFIG.match(line):
                continue
            # every port of a factory Junos config carries the same default lines
            key = re.sub(r"\b(ge|xe|et|mge|xle|fte)-\d+/\d+/\d+", "<port>", mask(line))
            items.append(Item(key, number, _shown(line), _config_class(line)))
        return items
    section = ""
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        stripped = " ".join(raw.split())
        if not raw[:1].isspace():
            if pending is not None and not pending[1].lower().startswith("interface "):
                items.append(
                    Item(
                        mask(pending[1]), pending[0], _shown(pending[1]), _config_class(pending[1])
                    )
                )
            section = stripped
            pending = None if _VOLATILE_CONFIG.match(stripped) else (number, stripped)
            continue
        pending = None
        full = f"{section} / {stripped}"
        if _VOLATILE_CONFIG.match(full) or stripped.startswith("!"):
            continue
        items.append(Item(mask(full), number, _shown(raw), _config_class(full)))
    if pending is not None and not pending[1].lower().startswith("interface "):
        items.append(
            Item(mask(pending[1]), pending[0], _shown(pending[1]), _config_class(pending[1]))
        )
    return items


def _config_class(line: str) -> str:
    low = line.lower()
    if low.startswith(("hostname", "switchname", "set system host-name")):
        return "hostname"
    if "username" in low or "login user" in low:
        return "local user"
    if "snmp" in low:
        return "snmp"
    if any(w in low for w in ("tacacs", "radius", "aaa", "tacplus")):
        return "aaa"
    if re.search(r"interface vlan\S* / ip(v6)? address|irb unit \d+ family inet", low):
        return "svi address"
    if "ip address" in low or "family inet address" in low:
        return "interface address"
    if low.startswith(("vlan ", "set vlans")):
        return "vlan"
    if "route" in low:
        return "route"
    if "vpc" in low or "mlag" in low:
        return "mlag/vpc"
    return "configuration"


_FACTORY_VLANS = {1, 1002, 1003, 1004, 1005}


def _vlan_items(text: str, platform: str) -> list[Item]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if platform == "juniper_junos":
            # "default-switch  v100   100   ge-0/0/1.0*" or "v100  100"
            ids = [w for w in words[:3] if w.isdigit()]
            if ids and len(words) >= 2:
                items.append(Item(f"vlan {ids[0]}", number, _shown(line), "vlan"))
            continue
        if words and words[0].isdigit():
            items.append(Item(f"vlan {words[0]}", number, _shown(line), "vlan"))
    return items


def _vtp_items(text: str, platform: str) -> list[Item]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "vtp domain name" and value:
            items.append(Item(f"vtp domain {value}", number, _shown(line), "vtp"))
        elif key == "configuration revision" and value not in ("", "0"):
            items.append(Item("vtp revision > 0", number, _shown(line), "vtp"))
    return items


def _user_items(text: str, platform: str) -> list[Item]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"^\s*(?:username|user:)\s*(\S+)", line, re.IGNORECASE)
        if m:
            items.append(Item(f"user {m.group(1)}", number, _shown(line), "local user"))
    return items


def _snmp_user_items(text: str, platform: str) -> list[Item]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"^\s*User name\s*:\s*(\S+)", line, re.IGNORECASE)
        if m is None and platform == "cisco_nxos":
            words = line.split()
            m = re.match(r"^(\S+)\s+(md5|sha|sha-\d+)\b", line) if words else None
        if m:
            items.append(Item(f"snmp user {m.group(1)}", number, _shown(line), "snmp"))
    return items


_ANY = ".".join(["0"] * 4)  # "no address" in some outputs
_IPV4 = re.compile(r"\b(\d{1,3}(?:\.\d{1,3}){3})(?:/\d+)?\b")


def _address_items(text: str, platform: str) -> list[Item]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        m = _IPV4.search(line)
        unset = m is None or m.group(1) == _ANY
        if not words or unset or line.lstrip().startswith(("IP Interface", "Interface")):
            continue
        name = words[0]
        cls = "svi address" if name.lower().startswith(("vlan", "irb")) else "interface address"
        items.append(Item(f"address {name}", number, _shown(line), cls))
    return items


def _route_items(text: str, platform: str) -> list[Item]:
    """Static routes: IOS/EOS "S" lines, Junos "[Static/5]", NX-OS prefixes whose next-hop
    line says "static"."""
    items = []
    prefix: tuple[int, str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(r"^\s*S\*?\s+\d", line) or re.match(
            r"^\s*\d+\.\d+\.\d+\.\d+/\d+.*Static", line
        ):
            items.append(Item(mask(line), number, _shown(line), "route"))
        elif re.match(r"^\d+\.\d+\.\d+\.\d+/\d+, ubest", line):
            prefix = (number, line)
        elif prefix is not None and "*via" in line and ", static" in line:
            items.append(Item(mask(prefix[1].split(",")[0]), prefix[0], _shown(prefix[1]), "route"))
            prefix = None
    return items


def _mlag_items(text: str, platform: str) -> list[Item]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        low = line.lower().strip()
        m = re.match(r"^(vpc domain id|domain-id|domain id)\s*:\s*(\S+)", low)
        if m and m.group(2) not in ("not", "-", ""):
            items.append(Item(f"domain {m.group(2)}", number, _shown(line), "mlag/vpc"))
    return items


def _key_items(text: str, platform: str) -> list[Item]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"^\s*Key name:\s*(\S+)", line, re.IGNORECASE)
        if m:
            name = m.group(1)
            if name.upper().startswith("TP-SELF-SIGNED-"):
                continue  # generated with the current boot's trustpoint: volatile
            items.append(Item(f"key {name}", number, _shown(line), "key label"))
    return items


#: Image and system files a reset keeps on purpose (the OS itself).
_SYSTEM_FILE = re.compile(
    r"(-mz\.[\w.-]+|\.bin|\.swi|\.swix|\.img|\.pkg|\.tgz|\.rpm|\.upg)$|^(nvram_config|vlan\.dat|"
    r"info|info\.ver|express_setup\.debug|dc_profile_dir|crashinfo|pnp-info|"
    r"startup-config|boot-config|zerotouch-config|persist|debug|schedule|aboot|"
    r"fullrecover|\.extensions|scripts|license|lost\+found|vdc_\d+|virt_strg_pool_bf_vdc_\d+|"
    r"virtual-instance|scripts|\.rpmstore|\.swtam|platform-sdk|ppm|security|rescue\.config|"
    r"juniper\.conf\.gz|eem_snapshots|EOS-\S+|SsuRestore\S*|\.\S*)$",
    re.IGNORECASE,
)


_LISTING_HEADERS = ("directory of", "usage for", "total", "bytes", "/var/", "no files")


def _file_items(text: str, platform: str) -> list[Item]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if (
            not stripped
            or stripped.lower().startswith(_LISTING_HEADERS)
            or re.search(r"bytes (total|free|used)", stripped)
            or re.fullmatch(r"/\S*:", stripped)
        ):  # Junos "file list" folder header
            continue
        name = stripped.split()[-1].rstrip("/")
        if platform == "juniper_junos":
            name = stripped.rstrip("/")
        if (
            not name or name in (".", "..") or _SYSTEM_FILE.search(name)
        ) and name.lower() != "vlan.dat":
            continue
        cls = "file"
        low = name.lower()
        if "tech-support" in low or "tech_support" in low or low.startswith("schedule"):
            cls = "tech-support bundle"
        elif any(w in low for w in ("conf", "cfg", "backup", "bak", ".txt")):
            cls = "leftover config file"
        elif low == "vlan.dat":
            cls = "vlan database"
        items.append(Item(f"file {name}", number, _shown(line), cls))
    return items


def _boot_items(text: str, platform: str) -> list[Item]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        low = line.lower()
        if re.search(
            r"(config(uration)? file|startup-config)\s*(variable)?\s*[:=]", low
        ) and not re.search(r"[:=]\s*(flash:/?config\.text|nvram:startup-config)?\s*$", low):
            items.append(Item(mask(line), number, _shown(line), "boot variable"))
    return items


def _version_items(text: str, platform: str) -> list[Item]:
    return []


ANALYSERS: dict[str, Callable[[str, str], list[Item]]] = {
    "config": _config_items,
    "vlans": _vlan_items,
    "vtp": _vtp_items,
    "users": _user_items,
    "snmp_users": _snmp_user_items,
    "addresses": _address_items,
    "routes": _route_items,
    "mlag": _mlag_items,
    "keys": _key_items,
    "files": _file_items,
    "boot": _boot_items,
    "version": _version_items,
}


# -- version -------------------------------------------------------------------------------


def model_and_release(platform: str, text: str | None) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    release = None
    model = None
    patterns = {
        "cisco_ios": (
            r"Version\s+([\w.()]+)",
            r"^[Cc]isco\s+(\S+)\s+\(.*\)\s+processor|"
            r"^Model [Nn]umber\s*:\s*(\S+)",
        ),
        "cisco_nxos": (
            r"(?:NXOS|system):\s+version\s+(\S+)",
            r"cisco\s+(Nexus\s?\S+.*?)\s+"
            r"[Cc]hassis",
        ),
        "arista_eos": (r"Software image version:\s*(\S+)", r"^Arista\s+(\S+)"),
        "juniper_junos": (r"Junos:\s*(\S+)|JUNOS .*\[(\S+)\]", r"^Model:\s*(\S+)"),
    }
    rel_re, model_re = patterns.get(platform, (r"$^", r"$^"))
    m = re.search(rel_re, text, re.MULTILINE)
    if m:
        release = next(g for g in m.groups() if g)
    m = re.search(model_re, text, re.MULTILINE)
    if m:
        model = next((g for g in m.groups() if g), None)
    return model, release


# -- baselines ------------------------------------------------------------------------------


@dataclass(slots=True)
class Baseline:
    name: str
    platform: str
    model: str | None
    release: str | None
    items: dict[str, list[str]]  # command → keys
    factory: bool = False
    #: Factory baselines only: item keys (regex, per command; "*" = every command) that a
    #: freshly reset device of *some* model of the platform shows (a 9300's Mgmt-vrf, its
    #: SLA trustpoint, NX-OS's auto-created SNMP user for admin). One model's output cannot
    #: list them all; a golden baseline of the exact model needs none.
    default_patterns: dict[str, list[str]] = field(default_factory=dict)

    def is_default(self, command: str, key: str) -> bool:
        patterns = [*self.default_patterns.get(command, []), *self.default_patterns.get("*", [])]
        return any(re.search(p, key) for p in patterns)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": BASELINE_FORMAT,
            "name": self.name,
            "platform": self.platform,
            "model": self.model,
            "release": self.release,
            "factory": self.factory,
            "items": {k: sorted(set(v)) for k, v in sorted(self.items.items())},
            "default_patterns": self.default_patterns,
        }


def _baseline_from_json(doc: Any, where: str) -> Baseline:
    if not isinstance(doc, dict) or doc.get("format") != BASELINE_FORMAT:
        raise WipeError(f"{where}: not an xsfabric wipe baseline ({BASELINE_FORMAT})")
    return Baseline(
        name=str(doc.get("name")),
        platform=str(doc.get("platform")),
        model=doc.get("model"),
        release=doc.get("release"),
        items={str(k): list(v) for k, v in (doc.get("items") or {}).items()},
        factory=bool(doc.get("factory")),
        default_patterns={
            str(k): [str(p) for p in v] for k, v in (doc.get("default_patterns") or {}).items()
        },
    )


def factory_baseline(platform: str) -> Baseline:
    if platform not in EVIDENCE:
        raise WipeError(
            f"platform {platform!r} has no wipe-check evidence set (known: {', '.join(EVIDENCE)})"
        )
    ref = resources.files("xsfabric.switch").joinpath("baselines", f"{platform}.json")
    return _baseline_from_json(json.loads(ref.read_text(encoding="utf-8")), str(ref))


def baseline_dir(explicit: Path | None = None) -> Path:
    import os

    if explicit is not None:
        return explicit
    env = os.environ.get("XSFABRIC_BASELINES")
    return Path(env) if env else Path.home() / ".local" / "share" / "xsfabric" / "baselines"


def load_baseline(name: str, directory: Path) -> Baseline:
    path = directory / f"{name}.json"
    if not path.is_file():
        raise WipeError(f"{path}: no saved baseline named {name!r}")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WipeError(f"{path}: unreadable baseline: {exc}") from exc
    return _baseline_from_json(doc, str(path))


def check_baseline(baseline: Baseline, platform: str, release: str | None) -> None:
    """Refuse a baseline of another platform or release, saying why."""
    if baseline.platform != platform:
        raise WipeError(
            f"baseline {baseline.name!r} is for {baseline.platform}, the device is "
            f"{platform}: refused"
        )
    if not baseline.factory and baseline.release and release and baseline.release != release:
        raise WipeError(
            f"baseline {baseline.name!r} was taken on release {baseline.release}, "
            f"the device runs {release}: refused (save a baseline for this release)"
        )


def make_baseline(name: str, platform: str, outputs: dict[str, str]) -> Baseline:
    """A golden baseline from a device known to be freshly reset: every evidence item."""
    if platform not in EVIDENCE:
        raise WipeError(f"platform {platform!r} has no wipe-check evidence set")
    missing = [e.command for e in EVIDENCE[platform] if e.command not in outputs]
    if missing:
        raise WipeError(f"cannot save a baseline without evidence: {', '.join(missing)}")
    model, release = model_and_release(platform, outputs.get("show version"))
    items = {
        e.command: [i.key for i in ANALYSERS[e.kind](outputs[e.command], platform)]
        for e in EVIDENCE[platform]
    }
    return Baseline(name, platform, model, release, items)


# -- the check ------------------------------------------------------------------------------


def wipe_check(
    device: str,
    platform: str,
    outputs: dict[str, str],
    baseline: Baseline | None = None,
    saved_as: dict[str, str] | None = None,
) -> WipeResult:
    """Compare evidence outputs (command → text) with the baseline. Outputs are redacted
    again here (idempotent on snapshot text): whatever the caller passes, no secret can reach
    a residue line."""
    from xsfabric.redact import Redactor

    redactor = Redactor()
    outputs = {command: redactor.text(text) for command, text in outputs.items()}
    if platform not in EVIDENCE:
        from xsfabric.platforms import template_platform

        platform = template_platform(platform)
    if platform not in EVIDENCE:
        raise WipeError(
            f"{device}: platform {platform!r} has no wipe-check evidence set "
            f"(known: {', '.join(EVIDENCE)})"
        )
    model, release = model_and_release(platform, outputs.get("show version"))
    base = baseline or factory_baseline(platform)
    check_baseline(base, platform, release)
    result = WipeResult(device, platform, base.name, model=model, release=release)
    for evidence in EVIDENCE[platform]:
        text = outputs.get(evidence.command)
        if text is None:  # an empty output is evidence of nothing; no output is none
            result.missing.append(evidence.command)
            continue
        known = set(base.items.get(evidence.command, []))
        for item in ANALYSERS[evidence.kind](text, platform):
            if item.key in known or base.is_default(evidence.command, item.key):
                continue
            result.residues.append(
                Residue(
                    item.cls,
                    (saved_as or {}).get(evidence.command, evidence.command),
                    item.line,
                    item.text,
                    f"{item.cls}: {item.text}"
                    if item.text != SECRET_TEXT
                    else f"{item.cls}: {SECRET_TEXT}",
                )
            )
    return result


#: Captures that hold the same evidence when the exact command was not saved (an ordinary
#: CLI collection stores "show vlan", a user's capture may be a plain "dir").
ALTERNATIVES: dict[str, tuple[str, ...]] = {
    "show vlan brief": ("show vlan",),
    "show running-config | section username": ("show running-config",),
    "show running-config section username": ("show running-config",),
    "show ip route static": ("show ip route",),
    "show ip interface brief vrf all": ("show ip interface brief",),
    "dir flash:": ("dir",),
    "dir bootflash:": ("dir",),
    "show configuration": ("show configuration | display set",),
}


def snapshot_outputs(device_dir: Path, platform: str) -> dict[str, str]:
    """The stored (redacted) evidence outputs of one device in a snapshot."""
    return snapshot_evidence(device_dir, platform)[0]


def snapshot_evidence(device_dir: Path, platform: str) -> tuple[dict[str, str], dict[str, str]]:
    """Evidence outputs by evidence command, and the command each capture was saved as
    (``show vlan`` standing in for ``show vlan brief``, ``sh run`` as typed)."""
    from xsfabric.switch.cli_parse import Captures, clean_capture

    captures = Captures(device_dir)
    outputs: dict[str, str] = {}
    saved_as: dict[str, str] = {}
    for evidence in EVIDENCE.get(platform, ()):
        found = captures.find(evidence.command)  # exact, else as typed ("sh vlan br")
        for alternative in ALTERNATIVES.get(evidence.command, ()):
            if found is None:
                found = captures.find(alternative)
        if found is not None:
            saved, path = found
            raw = path.read_text(encoding="utf-8", errors="replace")
            cleaned = clean_capture(raw, saved)
            outputs[evidence.command] = _keep_numbering(raw, cleaned)
            saved_as[evidence.command] = saved
    return outputs, saved_as


def _keep_numbering(raw: str, cleaned: str) -> str:
    """Blank lines in place of a removed prompt echo, so residue line numbers stay those of
    the stored file."""
    raw_lines, kept = raw.replace("\r\n", "\n").split("\n"), cleaned.split("\n")
    if kept and kept[0] in raw_lines:
        lead = raw_lines.index(kept[0])
        return "\n" * lead + cleaned
    return cleaned


def render_text(result: WipeResult) -> str:
    lines = [
        f"{result.device} ({result.platform}"
        + (f", {result.model}" if result.model else "")
        + (f", {result.release}" if result.release else "")
        + f"): {result.verdict} against baseline {result.baseline}"
    ]
    for r in result.residues:
        lines.append(f"  residue [{r.cls}] {r.command}:{r.line}: {r.text}")
    for command in result.missing:
        lines.append(f"  missing evidence: {command} (no output: cannot answer CLEAN)")
    return "\n".join(lines) + "\n"
