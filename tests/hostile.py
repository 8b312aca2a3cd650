"""Hostile peers on loopback for the hardening tests (issue 8): a TLS endpoint that completes
the handshake and then answers one byte every half second forever, and a TCP port that
answers random bytes where an SSH banner belongs."""

from __future__ import annotations

import os
import socket
import ssl
import threading
import time
from pathlib import Path
from types import TracebackType


class _Server:
    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = int(self.sock.getsockname()[1])
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stopped.set()
        self.sock.close()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        raise NotImplementedError


class DribblingTlsServer(_Server):
    """Completes TLS with a certificate signed by ``ca_file``, reads the request, then sends
    an HTTP response one byte every ``interval`` seconds and never finishes it: every socket
    read succeeds, so only a deadline from outside ends the call."""

    def __init__(self, cert_dir: Path, interval: float = 0.5) -> None:
        from xsfabric.lab.xapi_server import make_certificates

        super().__init__()
        certs = make_certificates(cert_dir, "dribble", ["127.0.0.1"])
        self.ca_file = certs.ca_file
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(certs.cert_file, certs.key_file)
        self.interval = interval
        self.connections = 0

    def _serve(self, conn: socket.socket) -> None:
        self.connections += 1
        try:
            with self.context.wrap_socket(conn, server_side=True) as tls:
                tls.recv(65536)
                for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nX-Pad: " + b"a" * 10**6:
                    if self.stopped.is_set():
                        return
                    tls.sendall(bytes([byte]))
                    time.sleep(self.interval)
        except OSError:
            return


class GarbageServer(_Server):
    """Answers random bytes (no SSH banner) and keeps the connection open a while."""

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                for _ in range(20):
                    conn.sendall(os.urandom(512) + b"\r\n")
                    time.sleep(0.05)
                time.sleep(2)
            except OSError:
                return
