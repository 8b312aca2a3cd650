"""The ``xsfabric`` command line.

Each subcommand is a small function that parses nothing itself: arguments come from argparse,
work is done by the module that owns it, and every :class:`XsfabricError` becomes one line on
stderr and exit code 2 (never a traceback).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from xsfabric import __version__
from xsfabric.audit import (
    register_audit,
    register_diff,
    register_report,
    register_rules,
    register_run,
)
from xsfabric.errors import XsfabricError
from xsfabric.wipe_check import register_wipe_check

log = logging.getLogger("xsfabric")

Handler = Callable[[argparse.Namespace], int]


def _add_collect(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("collect", help="collect a snapshot from the devices of an inventory")
    p.add_argument(
        "-i",
        "--inventory",
        type=Path,
        required=True,
        help="inventory folder (Nornir SimpleInventory: hosts.yaml, groups.yaml, ...)",
    )
    p.add_argument("-o", "--output", type=Path, required=True, help="snapshot folder to write")
    p.add_argument(
        "--policy",
        type=Path,
        help="policy file (default: policy.yaml beside the "
        "inventory, if any); copied into the snapshot",
    )
    p.add_argument("--secrets", type=Path, help="secrets file for ${secret:NAME} references")
    p.add_argument("--force", action="store_true", help="replace an existing snapshot folder")
    from xsfabric.collect import add_collect_arguments, add_processes_argument

    add_collect_arguments(p)
    add_processes_argument(p)
    p.add_argument(
        "--allow-partial",
        action="store_true",
        help="exit 0, not 3, when some devices failed (2: none could be collected)",
    )
    p.add_argument(
        "--limit",
        action="append",
        default=[],
        help="collect only these inventory hosts (repeatable)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    p.add_argument(
        "--no-color",
        action="store_true",
        help="no colours in the progress display (NO_COLOR is honoured too)",
    )
    p.set_defaults(handler=_run_collect)


def _run_collect(args: argparse.Namespace) -> int:
    from functools import partial

    from xsfabric.collect import run_collect
    from xsfabric.report.progress import collect_progress

    args.progress_display = partial(collect_progress, quiet=args.quiet, no_color=args.no_color)
    return run_collect(args)


def _add_snapshot(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("snapshot", help="work with snapshot folders")
    ssub = p.add_subparsers(dest="snapshot_command", required=True)
    imp = ssub.add_parser("import", help="make a snapshot from files you already have")
    imp.add_argument(
        "source",
        type=Path,
        help="a folder in the raw-capture layout, or one "
        "xapi database dump (xapi-db.xml, state.db, pool-dump-database output)",
    )
    imp.add_argument("-o", "--output", type=Path, required=True)
    imp.add_argument("--name", help="pool name for a single dump file (default: file stem)")
    imp.add_argument("--policy", type=Path, help="policy file to store in the snapshot")
    imp.add_argument("--force", action="store_true")
    imp.set_defaults(handler=_run_import)
    ver = ssub.add_parser(
        "verify",
        help="check every artifact of a snapshot against the "
        "sha256 in its manifest (edited, missing or added files)",
    )
    ver.add_argument("snapshot", type=Path)
    ver.set_defaults(handler=_run_verify)


def _run_verify(args: argparse.Namespace) -> int:
    from xsfabric.snapshot import Snapshot, verify_artifacts
    from xsfabric.tables import escape_control

    snapshot = Snapshot.open(args.snapshot, verify=False)
    problems = verify_artifacts(snapshot.path, snapshot.manifest)
    for problem in problems:
        print(f"{args.snapshot}: {escape_control(problem)}", file=sys.stderr)
    if problems:
        print(
            f"xsfabric: {args.snapshot}: {len(problems)} problem(s); the snapshot does not "
            "match its manifest",
            file=sys.stderr,
        )
        return 2
    print(f"{args.snapshot}: every artifact matches the manifest")
    return 0


def _run_import(args: argparse.Namespace) -> int:
    from xsfabric.importer import run_import
    from xsfabric.show import import_summary
    from xsfabric.snapshot import Snapshot

    code = run_import(args)
    # what the import understood, per device: tables built, captures that would add the rest
    try:
        lines = import_summary(Snapshot.open(args.output))
    except XsfabricError as exc:  # the snapshot is written; say why there is no summary
        lines = [f"(no summary: {exc})"]
    for line in lines:
        print(line)
    return code


def _add_show(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from xsfabric.show import TABLE_NAMES

    p = sub.add_parser("show", help="print one table of a snapshot")
    p.add_argument("table", choices=TABLE_NAMES)
    p.add_argument("snapshot", type=Path)
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument(
        "--policy", type=Path, help="policy file (default: the one stored in the snapshot)"
    )
    from xsfabric.show import add_query_arguments

    add_query_arguments(p)
    p.add_argument(
        "--all",
        action="store_true",
        help="on a terminal, every row (default: the first 1,000 and how many were left out)",
    )
    # also after the subcommand; SUPPRESS keeps the top-level value when not given here
    p.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default=argparse.SUPPRESS,
        help="colour on a terminal (auto: unless NO_COLOR is set or TERM=dumb)",
    )
    p.set_defaults(handler=_run_show)


def _run_show(args: argparse.Namespace) -> int:
    from xsfabric.show import run_show

    return run_show(args)


def _add_demo(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="run xsfabric on the built-in lab estate")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("demo-snapshot"),
        help="snapshot folder to write (default: ./demo-snapshot; an earlier demo "
        "snapshot there is replaced)",
    )
    p.set_defaults(handler=_run_demo)


def _run_demo(args: argparse.Namespace) -> int:
    from xsfabric.demo import run_demo

    return run_demo(args)


def _add_lab(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("lab", help="lab devices on loopback to try xsfabric by hand")
    lsub = p.add_subparsers(dest="lab_command", required=True)
    serve = lsub.add_parser(
        "serve",
        help="serve an estate's pools and switches on loopback "
        "until Ctrl-C, with an inventory to collect from",
    )
    serve.add_argument(
        "--estate",
        type=Path,
        help="estate description (docs/estate-format.md; default: the demo estate)",
    )
    serve.add_argument(
        "--dir",
        type=Path,
        default=Path("xsfabric-lab"),
        help="folder for the lab's files and its inventory (default: ./xsfabric-lab)",
    )
    serve.set_defaults(handler=_run_lab_serve)


def _run_lab_serve(args: argparse.Namespace) -> int:
    from xsfabric.demo import run_lab_serve

    return run_lab_serve(args)


#: Subcommand registrars, in the order ``--help`` lists them. Later commands add one line.
COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = [
    _add_collect,
    _add_snapshot,
    _add_show,
    _add_demo,
    register_audit,
    register_run,
    register_rules,
    register_diff,
    register_report,
    register_wipe_check,
    _add_lab,
]


def _add_cabling(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from xsfabric.cabling import register_cabling, register_locate

    register_cabling(sub)
    register_locate(sub)


COMMANDS.append(_add_cabling)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xsfabric",
        description="Read-only audit of XenServer / XCP-ng pools, their switches and SAN.",
    )
    parser.add_argument("--version", action="version", version=f"xsfabric {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output on stderr (-vv: debug)"
    )
    parser.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour on a terminal (auto: unless NO_COLOR is set or TERM=dumb)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for register in COMMANDS:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    handler: Handler = args.handler
    try:
        code = handler(args)
        sys.stdout.flush()  # inside the try: a reader gone by now is a closed pipe too
        return code
    except BrokenPipeError:
        # the reader went away (``| head``, ``grep -q``): what it wanted it has; end quietly.
        # stdout now points at /dev/null so the interpreter's final flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except XsfabricError as exc:
        from xsfabric.redact import scrub

        print(f"xsfabric: error: {scrub(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        # a folder that cannot be created or read, a full disk: name the path, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"xsfabric: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("xsfabric: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
