"""A replay SSH server that plays lab devices to netmiko and NAPALM (loopback only).

Each device is a folder in the raw-capture layout (``devices/<name>/platform`` and
``devices/<name>/<command>.txt``). Every device gets its own TCP port on one loopback address
(ports, not usernames, tell devices apart: netmiko and NAPALM then need nothing but
``host``/``port``, exactly as for a real switch). One asyncio loop serves all of them.

What the clients expect (measured, see ``NOTES.md``): an interactive shell, never exec; our own
echo with asyncssh's line editor off; the vendor prompt; replies to the pager/width commands
with the confirmations netmiko waits for; ``enable`` with a password at a ``>`` prompt; the
vendor's error text for unknown commands (NAPALM ios falls back on it); input typed ahead while
output is still being written is queued, not dropped. Every command received is appended to a
JSON-lines log (``{"device", "command", "known", "time"}``) so tests can prove which commands
a collector sent.

Run standalone: ``python -m xsfabric.lab.ssh_server DEVICES_DIR --ports-file ports.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

from xsfabric.snapshot import command_from_filename


@dataclass(frozen=True, slots=True)
class VendorProfile:
    """How one platform's CLI looks from the client's side."""

    #: prompt template; ``{host}``, ``{user}``, ``{mode}`` (">" or "#")
    prompt: str
    #: does a session start unprivileged (``>``) and need ``enable``?
    starts_unprivileged: bool
    #: session commands and the reply netmiko waits for
    session: Mapping[str, str]
    #: error text for an unknown command (``{caret}`` = spaces up to the bad token + ``^``)
    error: str
    exit_commands: frozenset[str] = frozenset({"exit", "quit", "logout"})


_CISCO_SESSION = {"terminal length 0": "", "terminal width 511": ""}

PROFILES: dict[str, VendorProfile] = {
    "cisco_ios": VendorProfile(
        prompt="{host}{mode}",
        starts_unprivileged=True,
        session=_CISCO_SESSION,
        error="{caret}\n% Invalid input detected at '^' marker.\n",
    ),
    "cisco_nxos": VendorProfile(
        prompt="{host}{mode}",
        starts_unprivileged=False,
        session={**_CISCO_SESSION, "terminal width 511": ""},
        error="{caret}\n% Invalid command at '^' marker.\n",
    ),
    "arista_eos": VendorProfile(
        prompt="{host}{mode}",
        starts_unprivileged=True,
        session={
            "terminal width 511": "Width set to 511 columns.",
            "terminal length 0": "Pagination disabled.",
        },
        error="% Invalid input\n",
    ),
    "juniper_junos": VendorProfile(
        prompt="{user}@{host}>",
        starts_unprivileged=False,
        session={
            "set cli screen-width 511": "Screen width set to 511",
            "set cli complete-on-space off": "Disabling complete-on-space",
            "set cli screen-length 0": "Screen length set to 0",
        },
        error="{caret}\nsyntax error, expecting <command>.\n",
    ),
    # NetApp ONTAP: "cluster::> ", no enable, netmiko sends "rows 0" (no pager).
    "netapp_cdot": VendorProfile(
        prompt="{host}::> ",
        starts_unprivileged=False,
        session={"rows 0": ""},
        error='{caret}\nError: "{command}" is not a recognized command\n',
    ),
    # Pure FlashArray (Purity//FA): "pureuser@array> ", no session commands.
    "pure": VendorProfile(
        prompt="{user}@{host}> ",
        starts_unprivileged=False,
        session={},
        error="Error: {command}: command not found\n",
    ),
    # HPE 3PAR / Primera: "<array> cli% ", no session commands.
    "hp_3par": VendorProfile(
        prompt="{host} cli% ",
        starts_unprivileged=False,
        session={},
        error="{command}: Invalid command\n",
    ),
    # Fabric OS: no pager or width command (netmiko sends none); the prompt carries the FID.
    "brocade_fos": VendorProfile(
        prompt="{host}:FID128:{user}>",
        starts_unprivileged=False,
        session={},
        error="rbash: {command}: command not found\n",
    ),
}


@dataclass(slots=True)
class LabDevice:
    name: str
    platform: str
    outputs: dict[str, str]

    @classmethod
    def load(cls, folder: Path) -> LabDevice:
        platform_file = folder / "platform"
        if not platform_file.is_file():
            raise ValueError(f"{folder}: no 'platform' file")
        platform = platform_file.read_text().strip()
        if platform not in PROFILES:
            raise ValueError(
                f"{platform_file}: platform {platform!r} is not one the lab plays "
                f"({', '.join(sorted(PROFILES))})"
            )
        outputs = {command_from_filename(p.name): p.read_text() for p in folder.glob("*.txt")}
        return cls(folder.name, platform, outputs)


class CommandLog:
    """Appends one JSON line per command received; safe to read while the lab runs."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.entries: list[dict[str, Any]] = []

    def add(self, device: str, command: str, known: bool) -> None:
        entry = {"device": device, "command": command, "known": known, "time": time.time()}
        with self._lock:
            self.entries.append(entry)
            if self.path is not None:
                with self.path.open("a") as handle:
                    handle.write(json.dumps(entry) + "\n")


def _normalize(command: str) -> str:
    return " ".join(command.split())


class _Shell:
    """One interactive session on one device."""

    def __init__(
        self,
        process: asyncssh.SSHServerProcess[str],
        device: LabDevice,
        config: LabConfig,
        log: CommandLog,
    ) -> None:
        self.process = process
        self.device = device
        self.profile = PROFILES[device.platform]
        self.config = config
        self.log = log
        self.user = process.get_extra_info("username") or "lab"
        self.privileged = not self.profile.starts_unprivileged or config.enable_secret is None
        self.buffer = ""
        self.lines: list[str] = []
        self._last_cr = False

    def prompt(self) -> str:
        return self.profile.prompt.format(
            host=self.device.name, user=self.user, mode="#" if self.privileged else ">"
        )

    def write(self, text: str) -> None:
        self.process.stdout.write(text.replace("\r\n", "\n").replace("\n", "\r\n"))

    async def read_line(self, echo: bool = True) -> str | None:
        """Next input line, echoed when it is taken (a device echoes as you type).

        Lines typed ahead while output was being written stay queued here, so none is lost.
        """
        while not self.lines:
            data = await self.process.stdin.read(4096)
            if not data:
                return None
            for char in data:
                if char == "\n" and self._last_cr:
                    self._last_cr = False
                    continue
                self._last_cr = char == "\r"
                if char in "\r\n":
                    self.lines.append(self.buffer)
                    self.buffer = ""
                elif char in "\x7f\b":
                    self.buffer = self.buffer[:-1]
                else:
                    self.buffer += char
        line = self.lines.pop(0)
        if echo:
            self.write(line + "\n")
        return line

    async def run(self) -> None:
        self.write(self.prompt())
        while True:
            line = await self.read_line()
            if line is None:
                break
            command = _normalize(line)
            if command in self.profile.exit_commands:
                self.log.add(self.device.name, command, True)
                break
            if command:
                await self.answer(command)
            self.write(self.prompt())
        self.process.exit(0)

    async def answer(self, command: str) -> None:
        if command == "enable" and self.profile.starts_unprivileged:
            self.log.add(self.device.name, command, True)
            if self.privileged:
                return
            self.write("Password: ")
            secret = await self.read_line(echo=False)
            self.write("\n")
            if secret == self.config.enable_secret:
                self.privileged = True
            else:
                self.write("% Access denied\n")
            return
        if command in self.profile.session:
            self.log.add(self.device.name, command, True)
            reply = self.profile.session[command]
            if reply:
                self.write(reply + "\n")
            return
        output = self.device.outputs.get(command)
        self.log.add(self.device.name, command, output is not None)
        if output is None:
            caret = " " * (len(self.prompt()) + command.rfind(" ") + 1) + "^"
            self.write(self.profile.error.format(caret=caret, command=command.partition(" ")[0]))
            return
        self.write(output if output.endswith("\n") else output + "\n")


@dataclass(slots=True)
class LabConfig:
    username: str = "lab"
    password: str = "lab"  # noqa: S105 - lab credential, loopback only
    enable_secret: str | None = "lab-enable"  # noqa: S105
    host: str = "127.0.0.1"
    #: 0: an ephemeral port per device; else base_port + i for the i-th device (sorted names)
    base_port: int = 0


class _Auth(asyncssh.SSHServer):
    def __init__(self, config: LabConfig) -> None:
        self.config = config

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return username == self.config.username and password == self.config.password


@dataclass
class LabSshServer:
    """Serves every device folder under ``devices_dir``, one port each, from one loop."""

    devices_dir: Path
    config: LabConfig = field(default_factory=LabConfig)
    log_path: Path | None = None
    ports: dict[str, int] = field(default_factory=dict)
    #: the known-hosts file that pins the lab's (per-run) host key for every device port;
    #: written at start, beside the log or in a temporary file
    known_hosts: Path | None = None

    def __post_init__(self) -> None:
        folders = sorted(p for p in self.devices_dir.iterdir() if (p / "platform").is_file())
        if not folders:
            raise ValueError(f"{self.devices_dir}: no device folders (with a 'platform' file)")
        self.devices = [LabDevice.load(f) for f in folders]
        self.log = CommandLog(self.log_path)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncssh.SSHAcceptor] = []
        self._ready = threading.Event()
        self._error: BaseException | None = None

    async def serve(self) -> None:
        """Bind every device and return; the servers run until :meth:`close_servers`."""
        if not self.config.host.startswith("127."):
            raise ValueError("the lab binds loopback addresses only (127.0.0.0/8)")
        key = asyncssh.generate_private_key("ssh-ed25519")
        for index, device in enumerate(self.devices):
            port = self.config.base_port + index if self.config.base_port else 0

            def factory(process: asyncssh.SSHServerProcess[str], device: LabDevice = device) -> Any:
                return _Shell(process, device, self.config, self.log).run()

            server = await asyncssh.create_server(
                lambda: _Auth(self.config),
                self.config.host,
                port,
                server_host_keys=[key],
                process_factory=factory,
                line_editor=False,
                encoding="utf-8",
                keepalive_interval=0,
            )
            self._servers.append(server)
            self.ports[device.name] = server.sockets[0].getsockname()[1]
        self._write_known_hosts(key)

    def _write_known_hosts(self, key: asyncssh.SSHKey) -> None:
        """Clients pin the lab like any device: one known-hosts line per device port."""
        if self.known_hosts is None:
            if self.log_path is not None:
                self.known_hosts = self.log_path.with_name(self.log_path.name + ".known_hosts")
            else:
                handle, name = tempfile.mkstemp(prefix="xsfabric-lab-", suffix=".known_hosts")
                os.close(handle)
                self.known_hosts = Path(name)
        public = key.export_public_key("openssh").decode().split()
        self.known_hosts.write_text(
            "".join(
                f"[{self.config.host}]:{port} {public[0]} {public[1]}\n"
                for port in self.ports.values()
            )
        )

    def close_servers(self) -> None:
        for server in self._servers:
            server.close()

    # -- running in a background thread (tests, benchmarks) -------------------------------

    def start(self) -> LabSshServer:
        self._thread = threading.Thread(target=self._run, name="lab-ssh", daemon=True)
        self._thread.start()
        self._ready.wait(30)
        if self._error is not None:
            raise self._error
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self.serve())
        except BaseException as exc:  # reported to start()
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        loop.run_forever()
        self.close_servers()
        loop.close()

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> LabSshServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def read_log(path: Path) -> list[dict[str, Any]]:
    """The command log written by a lab server (one JSON object per line)."""
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("devices_dir", type=Path)
    parser.add_argument("--ports-file", type=Path, help="write {device: port} JSON here")
    parser.add_argument("--log", type=Path, help="JSON-lines log of every command received")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--username", default="lab")
    parser.add_argument("--password", default="lab")
    parser.add_argument("--enable-secret", default="lab-enable")
    parser.add_argument(
        "--base-port",
        type=int,
        default=0,
        help="first port (devices in name order); default: ephemeral ports",
    )
    parser.add_argument(
        "--known-hosts",
        type=Path,
        help="write the lab's host key for every port here (clients pin it)",
    )
    args = parser.parse_args(argv)
    config = LabConfig(args.username, args.password, args.enable_secret, args.host, args.base_port)
    lab = LabSshServer(args.devices_dir, config, args.log, known_hosts=args.known_hosts)

    async def run() -> None:
        await lab.serve()
        text = json.dumps(lab.ports)
        if args.ports_file:
            tmp = args.ports_file.with_suffix(".tmp")
            tmp.write_text(text)
            tmp.rename(args.ports_file)
        print(text, flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        lab.close_servers()

    asyncio.run(run())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
