"""A small Bolt 5 client for the store's reads: one auto-commit query at a time, plain values.

Why not the official driver here: importing it costs a new process about 0.25 CPU-s, more than
the rest of ``shanzhi who-covers`` together, and each of the street office's questions is one
query. This client speaks Bolt 5.1–5.4 over a socket — handshake, ``HELLO`` and ``LOGON``,
``RUN`` with the database, the READ access mode and the bookmarks, ``PULL`` — and reads the
answer with :mod:`.packstream`. On a ``neo4j://`` address it first asks the server for the
routing table (``ROUTE``) and reads from a server the table lists for reading, as the driver
would; ``+s`` and ``+ssc`` wrap the socket in TLS (``+ssc`` trusts any certificate). Loads,
analysts' Cypher and everything else keep the official driver (:mod:`.store`).

Failures raise :class:`BoltFailure` (the server's code and message) or :class:`BoltUnreachable`
(what the operating system said); :mod:`.store` turns both into one sentence for the user.
"""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from struct import Struct
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from shanzhi.graph.stores.neo4j.packstream import PackStreamError, Structure, pack, unpack

__all__ = ["Answer", "BoltFailure", "BoltReader", "BoltUnreachable"]

_MAGIC = b"\x60\x60\xb0\x17"
#: Bolt 5.4 down to 5.1 (range 3), then nothing: the versions with LOGON and notification filters.
_VERSIONS = b"\x00\x03\x04\x05" + b"\x00" * 12
_HELLO, _GOODBYE, _RESET, _RUN, _PULL, _ROUTE, _LOGON = 0x01, 0x02, 0x0F, 0x10, 0x3F, 0x66, 0x6A
_SUCCESS, _RECORD, _IGNORED, _FAILURE = 0x70, 0x71, 0x7E, 0x7F
_U16 = Struct(">H")
_MAX_CHUNK = 0xFFFF
_DEFAULT_PORT = 7687
_IDLE_KEPT = 8


class BoltFailure(Exception):
    """The server refused a message: its Neo4j status code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class BoltUnreachable(Exception):
    """No Bolt conversation with the server: ``reason`` says why (``connection refused``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Answer:
    """The rows of one query, their column names, and the bookmark of its transaction."""

    keys: list[str]
    rows: list[list[Any]]
    bookmark: str | None


def _reason(exc: OSError) -> str:
    ssl = sys.modules.get("ssl")  # not imported: no TLS was tried, so no TLS error
    if ssl is not None and isinstance(exc, ssl.SSLError):
        return "TLS handshake failed; does the server speak TLS?"
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    return (exc.strerror or str(exc) or "no answer").lower()


class _Connection:
    """One socket speaking Bolt, logged on; not shared between threads."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._file = sock.makefile("rb")
        self.broken = False

    @classmethod
    def open(cls, address: tuple[str, int], tls: str, timeout: float) -> _Connection:
        try:
            host, port = address  # an ASCII host as bytes: no IDNA codec to import (~2 ms)
            where = (host.encode() if host.isascii() else host, port)
            sock = socket.create_connection(where, timeout=timeout)  # type: ignore[arg-type]
            if tls:
                import ssl

                context = ssl.create_default_context()
                if tls == "ssc":
                    context.check_hostname = False
                    context.verify_mode = ssl.CERT_NONE
                sock = context.wrap_socket(sock, server_hostname=address[0])
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.sendall(_MAGIC + _VERSIONS)
            agreed = sock.recv(4)
        except OSError as exc:
            raise BoltUnreachable(_reason(exc)) from exc
        if len(agreed) != 4 or agreed == b"\x00\x00\x00\x00" or agreed[3] != 5:
            sock.close()
            if agreed[:4] == b"HTTP":
                raise BoltUnreachable("that port answers HTTP, not Bolt")
            raise BoltUnreachable("the server speaks no Bolt 5.1–5.4")
        sock.settimeout(None)  # a query may run long; the server ends it, as with the driver
        return cls(sock)

    # -- messages ------------------------------------------------------------------------------
    def send(self, *messages: Structure) -> None:
        out = bytearray()
        for message in messages:
            data = pack(message)
            for start in range(0, len(data), _MAX_CHUNK):
                chunk = data[start : start + _MAX_CHUNK]
                out += _U16.pack(len(chunk)) + chunk
            out += b"\x00\x00"
        try:
            self._sock.sendall(out)
        except OSError as exc:
            self.broken = True
            raise BoltUnreachable(_reason(exc)) from exc

    def _read_exact(self, n: int) -> bytes:
        data = self._file.read(n)
        if len(data) != n:
            self.broken = True
            raise BoltUnreachable("the server closed the connection")
        return data

    def receive(self) -> Structure:
        try:
            parts: list[bytes] = []
            while True:
                (size,) = _U16.unpack(self._read_exact(2))
                if size == 0:
                    if parts:
                        break
                    continue  # a NOOP chunk: the server keeping the connection alive
                parts.append(self._read_exact(size))
            message = unpack(b"".join(parts))
        except OSError as exc:
            self.broken = True
            raise BoltUnreachable(_reason(exc)) from exc
        except PackStreamError:
            self.broken = True
            raise
        if not isinstance(message, Structure):
            self.broken = True
            raise PackStreamError("the server sent a value where a Bolt message belongs")
        return message

    def summary(self) -> dict[str, Any]:
        """The next answer that ends a request: SUCCESS's metadata, or the FAILURE raised."""
        message = self.receive()
        if message.tag == _SUCCESS:
            return dict(message.fields[0]) if message.fields else {}
        if message.tag == _FAILURE:
            meta = message.fields[0] if message.fields else {}
            raise BoltFailure(str(meta.get("code", "")), str(meta.get("message", "")))
        if message.tag == _IGNORED:
            raise BoltFailure("", "ignored after an earlier failure")
        self.broken = True
        raise PackStreamError(f"unexpected Bolt message 0x{message.tag:02X}")

    def log_on(self, hello: dict[str, Any], auth: dict[str, Any]) -> None:
        self.send(Structure(_HELLO, hello), Structure(_LOGON, auth))
        failures = []
        for _ in (_HELLO, _LOGON):  # one answer each, even when the first failed
            try:
                self.summary()
            except BoltFailure as exc:
                failures.append(exc)
        if failures:
            raise failures[0]

    def query(self, text: str, params: dict[str, Any], extra: dict[str, Any]) -> Answer:
        self.send(Structure(_RUN, text, params, extra), Structure(_PULL, {"n": -1}))
        try:
            head = self.summary()
        except BoltFailure:
            self._skip_ignored()
            raise
        rows: list[list[Any]] = []
        while True:
            message = self.receive()
            if message.tag == _RECORD:
                rows.append(message.fields[0])
                continue
            if message.tag == _SUCCESS:
                meta = message.fields[0] if message.fields else {}
                return Answer(list(head.get("fields", [])), rows, meta.get("bookmark"))
            if message.tag == _FAILURE:
                meta = message.fields[0]
                self._recover()
                raise BoltFailure(str(meta.get("code", "")), str(meta.get("message", "")))
            self.broken = True
            raise PackStreamError(f"unexpected Bolt message 0x{message.tag:02X}")

    def _skip_ignored(self) -> None:
        """After a failed RUN: the PULL's IGNORED, then RESET so the connection can be reused."""
        try:
            self.receive()
        except (BoltUnreachable, PackStreamError):
            self.broken = True
            return
        self._recover()

    def _recover(self) -> None:
        """RESET after a failure, or mark the connection broken (it is then closed, not kept)."""
        try:
            self.send(Structure(_RESET))
            self.summary()
        except (BoltFailure, BoltUnreachable, PackStreamError):
            self.broken = True

    def route(self, context: dict[str, Any], bookmarks: list[str], db: str) -> dict[str, Any]:
        self.send(Structure(_ROUTE, context, bookmarks, {"db": db}))
        return dict(self.summary().get("rt", {}))

    def close(self) -> None:
        if not self.broken:
            with suppress(BoltUnreachable):
                self.send(Structure(_GOODBYE))
        self._file.close()
        self._sock.close()


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host:
        return text, _DEFAULT_PORT
    return host.strip("[]"), int(port)


class BoltReader:
    """Read queries against one database, over connections kept for the next query.

    ``uri`` is a ``bolt``/``neo4j`` address without credentials (``+s``/``+ssc`` for TLS);
    safe to share between threads (each query takes a connection of its own).
    """

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        *,
        database: str,
        agent: str,
        timeout: float = 15.0,
    ) -> None:
        parts = urlsplit(uri)
        scheme, _, tls = parts.scheme.lower().partition("+")
        self._seed = _address(parts.netloc or "localhost")
        self._tls = tls
        self._routing: dict[str, Any] | None = None
        if scheme == "neo4j":
            self._routing = dict(parse_qsl(parts.query)) | {"address": f"{parts.netloc}"}
        self._auth = (
            {"scheme": "basic", "principal": user, "credentials": password}
            if user
            else {"scheme": "none"}
        )
        self._hello: dict[str, Any] = {
            "user_agent": agent,
            "bolt_agent": {"product": agent},
            "notifications_minimum_severity": "OFF",
        }
        self.database = database
        self._timeout = timeout
        self._idle: list[_Connection] = []
        self._lock = threading.Lock()
        self._reader: tuple[str, int] | None = None

    def _connect(self, address: tuple[str, int]) -> _Connection:
        conn = _Connection.open(address, self._tls, self._timeout)
        hello = self._hello if self._routing is None else self._hello | {"routing": self._routing}
        try:
            conn.log_on(hello, self._auth)
        except BaseException:
            conn.broken = True
            conn.close()
            raise
        return conn

    def _reader_address(self, bookmarks: list[str]) -> tuple[str, int]:
        """The server to read from: the seed itself, or one the routing table names for reads."""
        if self._routing is None:
            return self._seed
        if self._reader is None:
            conn = self._connect(self._seed)
            try:
                table = conn.route(self._routing, bookmarks, self.database)
            finally:
                conn.close()
            servers = table.get("servers", [])
            readers = [a for s in servers if s.get("role") == "READ" for a in s["addresses"]]
            if not readers:
                raise BoltUnreachable(f"the routing table lists no server to read {self.database}")
            self._reader = _address(readers[0])
        return self._reader

    def _take(self, bookmarks: list[str]) -> _Connection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._connect(self._reader_address(bookmarks))

    def _give_back(self, conn: _Connection) -> None:
        with self._lock:
            if not conn.broken and len(self._idle) < _IDLE_KEPT:
                self._idle.append(conn)
                return
        conn.close()

    def read(self, text: str, params: dict[str, Any], bookmarks: Iterable[str] = ()) -> Answer:
        """Run ``text`` with ``params`` as one auto-commit READ transaction; all its rows.

        A kept connection the server has closed meanwhile is replaced once, transparently.
        """
        marks = sorted(bookmarks)
        extra: dict[str, Any] = {"db": self.database, "mode": "r"}
        if marks:
            extra["bookmarks"] = marks
        for attempt in (1, 2):
            conn = self._take(marks)
            try:
                answer = conn.query(text, params, extra)
            except BoltUnreachable:
                conn.close()
                if attempt == 2:
                    raise
                self._reader = None
                continue
            except BaseException:
                self._give_back(conn)
                raise
            self._give_back(conn)
            return answer
        raise AssertionError("unreachable")  # pragma: no cover

    def rows(
        self, text: str, params: dict[str, Any], bookmarks: Sequence[str] = ()
    ) -> list[dict[str, Any]]:
        """The rows of :meth:`read` as dicts of column → value."""
        answer = self.read(text, params, bookmarks)
        return [dict(zip(answer.keys, row, strict=True)) for row in answer.rows]

    def close(self) -> None:
        """Say goodbye on every kept connection and close it."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
