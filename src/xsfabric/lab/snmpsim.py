"""snmpsim on loopback, serving a folder of ``.snmprec`` files, for the tests and the demo.

snmpsim needs ``pysmi`` at run time, and pysmi installed beside pysnmp makes every pysnmp engine
build a MIB compiler (about 0.5 s of CPU each). So snmpsim lives in its own virtual
environment, ``<project>/.venv-snmpsim`` (git-ignored), which this module creates on first use
with ``python -m venv`` and pip from PyPI. Creation is idempotent and guarded by a file lock, so
parallel pytest workers share one environment. The project's own environment never sees pysmi.

snmpsim maps a data file to a v1/v2c community and a v3 context: ``sw1.snmprec`` answers
community / context ``sw1``, ``sw1@10.snmprec`` answers Cisco's per-VLAN ``sw1@10``.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from xsfabric.errors import XsfabricError

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def _default_venv() -> Path:
    """``.venv-snmpsim`` beside a source checkout (git-ignored); from an installed wheel, the
    user's cache folder. ``XSFABRIC_SNMPSIM_VENV`` overrides both."""
    override = os.environ.get("XSFABRIC_SNMPSIM_VENV")
    if override:
        return Path(override)
    if (PROJECT_ROOT / "pyproject.toml").is_file():
        return PROJECT_ROOT / ".venv-snmpsim"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "xsfabric" / "snmpsim-venv"


VENV = _default_venv()
#: What the snmpsim environment needs: snmpsim itself, the pysmi it does not declare, and
#: cryptography for v3 privacy (without it snmpsim answers "ciphering services not available").
REQUIREMENTS = ("snmpsim>=1.1,<2", "pysmi>=1.5", "cryptography>=42")
RESPONDER = "snmpsim-command-responder"


class SnmpsimError(XsfabricError):
    """snmpsim could not be installed or started."""


@dataclass(frozen=True, slots=True)
class V3User:
    """The one SNMPv3 user a simulator accepts (snmpsim supports a single USM user)."""

    user: str
    auth_key: str
    priv_key: str
    auth_protocol: str = "SHA"  # snmpsim names: MD5, SHA, SHA256 …
    priv_protocol: str = "AES"  # DES, AES, AES256 …


def ensure_venv(venv: Path = VENV) -> Path:
    """Create the snmpsim environment once; return the path of its responder script."""
    responder = venv / "bin" / RESPONDER
    marker = venv / ".xsfabric-ready"
    if marker.is_file() and responder.is_file():
        return responder
    venv.parent.mkdir(parents=True, exist_ok=True)
    # The lock lives in the temp folder, not in the (git) work tree.
    digest = hashlib.sha256(str(venv.resolve()).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"xsfabric-snmpsim-venv-{digest}.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be installing right now
        if marker.is_file() and responder.is_file():
            return responder
        try:
            subprocess.run(
                [sys.executable, "-m", "venv", "--clear", str(venv)],
                check=True,
                capture_output=True,
                text=True,
            )
            subprocess.run(
                [
                    str(venv / "bin" / "python"),
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "--disable-pip-version-check",
                    *REQUIREMENTS,
                ],
                check=True,
                capture_output=True,
                text=True,
            )
        except subprocess.CalledProcessError as exc:
            tail = (exc.stderr or exc.stdout or "").strip().splitlines()[-3:]
            raise SnmpsimError(f"cannot install snmpsim into {venv}: {' | '.join(tail)}") from exc
        marker.write_text(" ".join(REQUIREMENTS) + "\n")
    return responder


def free_udp_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _answers(host: str, port: int, community: str, timeout: float) -> bool:
    """True when the agent answers a v2c GET of sysDescr.0.

    Built with pysnmp's protocol API rather than an engine: readiness polling should not pay
    for an engine per start.
    """
    from pyasn1.codec.ber import encoder  # type: ignore[import-untyped]
    from pysnmp.proto import api

    proto = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
    pdu = proto.GetRequestPDU()
    proto.apiPDU.set_defaults(pdu)
    proto.apiPDU.set_varbinds(pdu, [((1, 3, 6, 1, 2, 1, 1, 1, 0), proto.Null(""))])
    message = proto.Message()
    proto.apiMessage.set_defaults(message)
    proto.apiMessage.set_community(message, community)
    proto.apiMessage.set_pdu(message, pdu)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.sendto(encoder.encode(message), (host, port))
            sock.recvfrom(65535)
        except OSError:
            return False
    return True


@dataclass(slots=True)
class Snmpsim:
    """One snmpsim process. Use as a context manager, or :meth:`start` / :meth:`stop`."""

    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 0
    v3: V3User | None = None
    max_var_binds: int = 256
    cache_dir: Path | None = None
    startup_timeout: float = 60.0
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    _log: Path | None = field(default=None, init=False)
    _own_cache: bool = field(default=False, init=False)

    def start(self) -> Snmpsim:
        if not self.host.startswith("127."):
            raise SnmpsimError(f"the lab binds loopback only, not {self.host}")
        probe = next((p.stem for p in sorted(self.data_dir.glob("*.snmprec"))), None)
        if probe is None:
            raise SnmpsimError(f"{self.data_dir}: no .snmprec files to serve")
        responder = ensure_venv()
        if self.port == 0:
            self.port = free_udp_port(self.host)
        if self.cache_dir is None:
            self.cache_dir = Path(tempfile.mkdtemp(prefix="xsfabric-snmpsim-cache-"))
            self._own_cache = True
        log_fd, log_name = tempfile.mkstemp(prefix="xsfabric-snmpsim-", suffix=".log")
        os.close(log_fd)
        self._log = Path(log_name)
        args = [
            str(responder),
            f"--data-dir={self.data_dir}",
            f"--cache-dir={self.cache_dir}",
            f"--agent-udpv4-endpoint={self.host}:{self.port}",
            f"--max-var-binds={self.max_var_binds}",
            "--log-level=error",
        ]
        if self.v3 is not None:
            args += [
                f"--v3-user={self.v3.user}",
                f"--v3-auth-key={self.v3.auth_key}",
                f"--v3-auth-proto={self.v3.auth_protocol}",
                f"--v3-priv-key={self.v3.priv_key}",
                f"--v3-priv-proto={self.v3.priv_protocol}",
            ]
        env = dict(os.environ, SNMPSIM_ALLOW_ROOT="true")
        with self._log.open("wb") as log:
            self.process = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SnmpsimError(f"snmpsim exited at start: {self._log_tail()}")
            if _answers(self.host, self.port, probe, 0.5):
                return self
        self.stop()
        raise SnmpsimError(f"snmpsim did not answer within {self.startup_timeout:.0f} s")

    def _log_tail(self) -> str:
        if self._log is None or not self._log.is_file():
            return ""
        return " | ".join(self._log.read_text(errors="replace").strip().splitlines()[-3:])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._log is not None:
            self._log.unlink(missing_ok=True)
        if self._own_cache and self.cache_dir is not None:
            shutil.rmtree(self.cache_dir, ignore_errors=True)

    def __enter__(self) -> Snmpsim:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
