"""``xsfabric-snmpwalk`` (``python -m xsfabric.switch.snmp_walk``): walk one SNMP v2c agent and
write the ``.snmprec`` records xsfabric's collector would store for the same walk.

    xsfabric-snmpwalk [-c COMMUNITY] [-p PORT] [-r MAX_REPETITIONS] [-t TIMEOUT]
        [--retries N] [-o FILE] HOST [OID ...]

Why a separate process: a user who wants one agent's walk (to attach to a bug report, to feed
snmpsim, to compare with ``snmpbulkwalk``) should not pay for the whole application, and issue
12 measures xsfabric against net-snmp per varbind over one process start on each side. So this
module imports only the fast path (:mod:`xsfabric.switch.snmp_fast_collect`, which keeps
``typing``, ``dataclasses`` and ``socket`` off its start-up path too), parses its few options
by hand (``argparse`` costs about 8 ms to import) and streams: each GETBULK answer is decoded,
formatted and written as it arrives, after the next request went out, so memory stays bounded
whatever the size of the agent.

What is written is byte for byte what the collector stores for the same varbinds (the fast path
formats them, :func:`~xsfabric.switch.snmp_fast_collect.format_snmprec`), redacted the same way:
the community is a known secret (as the inventory's communities are to the collector), and the
redaction patterns of :mod:`xsfabric.redact` run on every text value before it is hex-encoded
and on every record. The pattern module takes about 200 ms to import (netconan), so it is
imported the first time a piece of text could hold a secret at all, by the same cheap word test
:meth:`xsfabric.redact.Redactor.text` applies first (the copy here is checked against it by
``tests/switch/test_snmp_walk.py``); most walks never need it.

The community comes from ``-c`` or, better (a command line is visible to every local user),
from the ``XSFABRIC_SNMP_COMMUNITY`` environment variable. It is never written: not to the
records, not to an error message.

Errors are one line on stderr naming the host, exit status 1 (the agent did not answer, or its
answers could not be read) or 2 (bad arguments, a host that does not resolve), as
``snmpbulkwalk`` does. With ``-o FILE`` the records go to ``FILE.partial`` first and replace
``FILE`` only once the walk is complete; on stdout they stream as they come.
"""

from __future__ import annotations

import os
import sys

from xsfabric.redact_words import MAYBE_WORDS, REDACTED
from xsfabric.switch.snmp_ber import BerError, oid_arcs
from xsfabric.switch.snmp_fast_collect import FastSession, WalkError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

PROG = "xsfabric-snmpwalk"
#: Characters of records written at once (see :func:`walk`).
BLOCK = 1 << 16
COMMUNITY_VARIABLE = "XSFABRIC_SNMP_COMMUNITY"
USAGE = f"""usage: {PROG} [-c COMMUNITY] [-p PORT] [-r MAX_REPETITIONS] [-t TIMEOUT] [--retries N]
       [-o FILE] HOST [OID ...]

Walk an SNMP v2c agent (GETBULK) under each OID (default: 1, the whole agent) and write the
.snmprec records (OID|type|value) xsfabric's collector would store, redacted the same way.

options:
  -c, --community COMMUNITY   the v2c community (default: ${COMMUNITY_VARIABLE}, which
                              keeps it out of the process list)
  -p, --port PORT             UDP port (default 161)
  -r, --max-repetitions N     rows asked for per GETBULK (default 50)
  -t, --timeout SECONDS       per request (default 2)
      --retries N             times a request is sent again (default 1)
  -o, --output FILE           write FILE (default: standard output)
  -h, --help                  this text
"""

#: option (short and long spellings) → the field of :class:`Arguments` it sets
_OPTIONS = {
    "-c": "community",
    "--community": "community",
    "-p": "port",
    "--port": "port",
    "-r": "max_repetitions",
    "--max-repetitions": "max_repetitions",
    "-t": "timeout",
    "--timeout": "timeout",
    "--retries": "retries",
    "-o": "output",
    "--output": "output",
}


class UsageError(Exception):
    """Bad arguments: the message is the one line printed."""


class Arguments:
    """The parsed command line."""

    __slots__ = (
        "community",
        "host",
        "max_repetitions",
        "output",
        "port",
        "retries",
        "roots",
        "timeout",
    )

    def __init__(self) -> None:
        self.community: str | None = None
        self.host = ""
        self.port = 161
        self.max_repetitions = 50
        self.timeout = 2.0
        self.retries = 1
        self.output: str | None = None
        self.roots: list[str] = []


def _number(
    option: str, text: str, kind: type[int] | type[float], low: float, high: float
) -> int | float:
    try:
        value = kind(text)
    except ValueError:
        raise UsageError(f"{option}: {text!r} is not a number") from None
    if not value >= low:  # NaN too
        raise UsageError(f"{option}: {text!r} is below {low:g}")
    if value > high:  # inf too
        raise UsageError(f"{option}: {text!r} is above {high:g}")
    return value


def parse_arguments(argv: list[str], environ: dict[str, str] | None = None) -> Arguments | None:
    """The command line (without the program name); None for ``--help``. :class:`UsageError`
    for anything else that is not a valid invocation."""
    args = Arguments()
    positional: list[str] = []
    items = iter(argv)
    for item in items:
        if item in ("-h", "--help"):
            return None
        if item == "--":
            positional.extend(items)
            break
        if item.startswith("-") and len(item) > 1 and not item[1].isdigit():
            name, equals, value = item.partition("=")
            field = _OPTIONS.get(name)
            if field is None:
                raise UsageError(f"unknown option {name}")
            if not equals:
                following = next(items, None)
                if following is None:
                    raise UsageError(f"{name} needs a value")
                value = following
            if field == "port":
                args.port = int(_number(name, value, int, 1, 65535))
            elif field == "max_repetitions":
                args.max_repetitions = int(_number(name, value, int, 1, 65535))
            elif field == "timeout":
                args.timeout = float(_number(name, value, float, 0.001, 3600))
            elif field == "retries":
                args.retries = int(_number(name, value, int, 0, 100))
            elif field == "community":
                args.community = value
            else:
                args.output = value
        else:
            positional.append(item)
    if not positional:
        raise UsageError("no HOST given")
    args.host, args.roots = positional[0], positional[1:] or ["1"]
    if args.community is None:
        args.community = (os.environ if environ is None else environ).get(COMMUNITY_VARIABLE)
    if not args.community:
        raise UsageError(f"no community: give -c COMMUNITY or set {COMMUNITY_VARIABLE}")
    for root in args.roots:
        arcs = root.strip().strip(".")
        try:
            # one arc ("1": everything under it) is a walk root too
            oid_arcs(arcs if "." in arcs else f"{arcs}.0")
        except BerError:
            raise UsageError(f"{root!r} is not a numeric OID") from None
    return args


# -- redaction (the collector's, with the pattern module imported only when needed) ----------


class LazyRedactor:
    """:meth:`xsfabric.redact.Redactor.text` with ``secrets`` as its known secrets, the same
    output for every text, without importing :mod:`xsfabric.redact` until a text passes its
    cheap first test (see the module docstring)."""

    def __init__(self, secrets: list[str]) -> None:
        # Redactor.add_secrets keeps values of three characters or more
        self.secrets = sorted({s for s in secrets if s and len(s) >= 3}, key=len, reverse=True)
        self._full: Callable[[str], str] | None = None

    def text(self, text: str) -> str:
        low = text.lower()
        for word in MAYBE_WORDS:
            if word in low:
                return self._patterns(text)
        if "$" in text:
            return self._patterns(text)  # a crypt hash marker, perhaps: the full test decides
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def records(self, records: str) -> str:
        """:meth:`text` of ``.snmprec`` records (whole lines) as the fast path formats them,
        with the word test run only on records that hold a plain string.

        The same output as :meth:`text`: the word test and the patterns work line by line,
        and only a record of type ``4`` or ``68`` (a one-line string) can hold a letter past
        ``f``: OIDs, numbers, dotted addresses and hex values are digits, dots, ``-``, ``x``
        and ``a``-``f``, and every word of :data:`MAYBE_WORDS` has a letter past ``f``
        (a crypt marker needs ``$``). It saves about three quarters of the redaction's cost on
        a walk whose answers are mostly numbers (an FDB table).
        """
        if "|4|" in records or "|68|" in records:
            return self.text(records)
        for secret in self.secrets:
            records = records.replace(secret, REDACTED)
        return records

    def _patterns(self, text: str) -> str:
        if self._full is None:
            from xsfabric.redact import Redactor

            self._full = Redactor(known_secrets=set(self.secrets)).text
        return self._full(text)


# -- the walk --------------------------------------------------------------------------------


def walk(args: Arguments, write: Callable[[str], object], redactor: LazyRedactor) -> None:
    """Walk ``args.roots`` and ``write`` the records as the answers come, redacted as
    the collector redacts (each text value before it is hex-encoded, then the records), in
    blocks of about :data:`BLOCK` characters: one write per block rather than per answer
    (each write to a pipe wakes its reader), memory still bounded.
    :class:`WalkError` or :class:`OSError` when the walk cannot be done."""
    community = args.community or ""
    with FastSession(
        args.host,
        args.port,
        community,
        timeout=args.timeout,
        retries=args.retries,
        max_repetitions=args.max_repetitions,
    ) as session:
        redact = redactor.records
        block: list[str] = []
        size = 0
        for piece in session.walk_records(args.roots, redact=redactor.text):
            block.append(redact(piece))
            size += len(piece)
            if size >= BLOCK:
                write("".join(block))
                block, size = [], 0
        write("".join(block))


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"{PROG}: {message}\n")
    return code


def main(argv: list[str] | None = None) -> int:
    """Run the command; the exit status (see the module docstring)."""
    try:
        args = parse_arguments(sys.argv[1:] if argv is None else argv)
    except UsageError as exc:
        return _fail(f"{exc} (see --help)", 2)
    if args is None:
        sys.stdout.write(USAGE)
        return 0
    redactor = LazyRedactor([args.community or ""])
    where = f"{args.host}:{args.port}"
    partial = None
    try:
        if args.output is None:
            walk(args, sys.stdout.write, redactor)
            sys.stdout.flush()
        else:
            from pathlib import Path  # only here: pathlib costs a few ms of start-up

            target = Path(args.output)
            partial = target.with_name(target.name + ".partial")
            with partial.open("w", encoding="utf-8") as out:
                walk(args, out.write, redactor)
            partial.replace(target)
            partial = None
    except WalkError as exc:  # its message names host and port
        hint = ""
        if exc.status == "timeout":
            hint = " (v2c: a wrong community looks exactly like a timeout, the agent stays silent)"
        return _fail(exc.message + hint, 1)
    except BrokenPipeError:
        # the reader went away (| head): stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        what = exc.strerror or str(exc)
        if exc.filename:
            return _fail(f"{where}: cannot write {exc.filename}: {what}", 2)
        return _fail(f"{where}: cannot resolve or reach the host: {what}", 2)
    except KeyboardInterrupt:
        return _fail(f"{where}: interrupted", 130)
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)
    return 0


def run() -> None:
    """The console script and ``python -m``: :func:`main`, then a fast exit.

    ``os._exit`` skips the interpreter's teardown (freeing every object and module one by
    one). It is safe here because, by then, everything this process writes is written: the
    records are flushed (stdout) or the file is closed and renamed, stderr is unbuffered
    text flushed below, no other thread runs and no ``atexit`` handler of ours has work to do.
    """
    code = main()
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        code = code or 1
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
