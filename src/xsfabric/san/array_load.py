"""The parse layer's entry point for arrays: snapshot captures → :class:`ArrayFacts`.

Reads ``devices/<name>/<command>.txt`` of every device of kind ``array`` and hands them to the
platform's parser. A platform without a parser is one warning, not a silent gap.
"""

from __future__ import annotations

from pathlib import Path

from xsfabric.kinds import DeviceKind
from xsfabric.san.array import ArrayFacts, ArrayWarning
from xsfabric.snapshot import Snapshot, command_from_filename

#: netmiko names (and the inventory's) → the parser family.
ARRAY_PLATFORMS: dict[str, str] = {
    "netapp_cdot": "netapp_cdot",
    "netapp_cdot_ssh": "netapp_cdot",
    "pure": "pure",
    "purity": "pure",
    "hp_3par": "hp_3par",
    "3par": "hp_3par",
    "primera": "hp_3par",
}


def read_captures(device_dir: Path) -> dict[str, str]:
    """Command (as stored, spaces normalized) → capture text."""
    captures: dict[str, str] = {}
    for path in sorted(device_dir.glob("*.txt")):
        command = " ".join(command_from_filename(path.name).split())
        captures[command] = path.read_text(errors="replace")
    return captures


def guess_array_platform(device_dir: Path) -> str | None:
    """The array platform a folder of captures saved without a ``platform`` file comes from,
    by the commands it holds (ONTAP ``lun mapping show`` …, Purity ``pure*``, 3PAR
    ``showvv``/``showvlun``); None if they are no array's.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "purevol list.txt").write_text("")
    ...     guess_array_platform(Path(d))
    'pure'
    """
    from xsfabric.san.array_ontap import canonical_command

    commands = [" ".join(command_from_filename(p.name).split()) for p in device_dir.glob("*.txt")]
    if any(c.startswith(("purevol ", "purehost ", "purehgroup ")) for c in commands):
        return "pure"
    if any(c.startswith(("showvv", "showvlun")) for c in commands):
        return "hp_3par"
    if any(canonical_command(c) is not None for c in commands):
        return "netapp_cdot"
    return None


def parse_array_dir(device_dir: Path, device: str, platform: str) -> ArrayFacts:
    family = ARRAY_PLATFORMS.get(platform)
    if family == "netapp_cdot":
        from xsfabric.san.array_ontap import parse_ontap

        return parse_ontap(device, read_captures(device_dir))
    if family == "hp_3par":
        from xsfabric.san.array_3par import parse_3par

        return parse_3par(device, read_captures(device_dir))
    if family == "pure":
        from xsfabric.san.array_pure import parse_pure

        return parse_pure(device, read_captures(device_dir))
    facts = ArrayFacts(device=device, platform=platform)
    facts.warnings.append(
        ArrayWarning(
            device,
            "platform",
            None,
            f"no array parser for platform {platform!r} "
            f"(known: {', '.join(sorted(ARRAY_PLATFORMS))}): its LUNs, maps and exports are "
            "not available",
        )
    )
    return facts


def has_array_captures(device_dir: Path) -> bool:
    return device_dir.is_dir() and any(device_dir.glob("*.txt"))


def parse_array_device(device_dir: Path, device: str) -> ArrayFacts:
    """The array parser registered for kind ``array`` (``switch.facts.PARSERS``): the
    platform from the folder's ``platform`` file, else guessed from the commands saved."""
    platform_file = device_dir / "platform"
    platform = platform_file.read_text().strip().lower() if platform_file.is_file() else ""
    return parse_array_dir(device_dir, device, platform or guess_array_platform(device_dir) or "")


def load_arrays(snapshot: Snapshot) -> dict[str, ArrayFacts]:
    """Facts of every ``array`` device whose captures are in the snapshot, through the parser
    registry of device kinds."""
    from xsfabric.switch.facts import device_facts

    arrays: dict[str, ArrayFacts] = {}
    for record in snapshot.devices(DeviceKind.ARRAY):
        name = str(record["name"])
        found = [
            f for f in device_facts(snapshot, name, DeviceKind.ARRAY) if isinstance(f, ArrayFacts)
        ]
        if found:
            arrays[name] = found[0]
    return arrays
