"""The store's own Bolt client: PackStream by itself, and the reader against the real Neo4j.

The library's answers through the reader are compared with the official driver's for every
query of the library (``test_cypher_library.py::test_the_fast_fetch_gives_what_the_driver_gives``)
and with the embedded store's in the goldens; here: the format's edges, the conversation's
failures, and that a question asked in a new process never imports the driver.
"""

from __future__ import annotations

import math
import socket
import subprocess
import sys
import threading
from datetime import date
from typing import Any

import pytest

from shanzhi.config import Settings
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.graph.stores.neo4j.bolt import BoltFailure, BoltReader, BoltUnreachable
from shanzhi.graph.stores.neo4j.packstream import PackStreamError, pack, unpack

_EDGES: list[Any] = [
    0, 1, -1, -16, -17, 127, 128, -128, -129, 32767, 32768, -32768, -32769,
    2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63 - 1, -(2**63),
    0.0, -1.5, 1e300, math.inf, "", "a" * 15, "b" * 16, "楼" * 85, "c" * 256, "d" * 65536,
    b"", b"\x00" * 300, [], list(range(16)), list(range(300)), {}, {f"k{i}": i for i in range(20)},
    None, True, False, {"楼组长": [{"名": "孟示例健", "号": None}]},
]  # fmt: skip


@pytest.mark.parametrize("value", _EDGES, ids=lambda v: type(v).__name__)
def test_every_size_and_kind_of_plain_value_comes_back_as_it_went(value: Any) -> None:
    assert unpack(pack(value)) == value


def test_a_date_goes_as_a_neo4j_date_and_comes_back_as_iso_text() -> None:
    assert pack(date(1970, 1, 2)) == b"\xb1\x44\x01"
    assert unpack(pack([date(2025, 7, 1), date(1900, 1, 1)])) == ["2025-07-01", "1900-01-01"]


@pytest.mark.parametrize(
    ("value", "message"),
    [(2**64, "does not fit in 64 bits"), (object(), "cannot be sent"), ({1.5}, "cannot be sent")],
)
def test_what_cannot_be_sent_is_refused_before_anything_is_sent(value: Any, message: str) -> None:
    with pytest.raises(PackStreamError, match=message):
        pack(value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x01\x02", "1 bytes after"),
        (b"\xc4", "no PackStream marker"),
        (bytes([0xB4, 0x52, 1, 2, 3, 0x80]), r"0x52 \(R\) is not a plain value"),
    ],
)
def test_bytes_that_are_no_plain_value_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(PackStreamError, match=message):
        unpack(data)


# -- against the real server -----------------------------------------------------------------
def _reader(settings: Settings, **change: str) -> BoltReader:
    values = {
        "uri": settings.neo4j_uri,
        "user": settings.neo4j_user,
        "password": settings.neo4j_password,
        "database": settings.neo4j_database,
    } | change
    return BoltReader(
        values["uri"],
        values["user"],
        values["password"],
        database=values["database"],
        agent="shanzhi-test",
    )


def test_answers_and_parameters_larger_than_one_chunk(neo4j_settings: Settings) -> None:
    reader = _reader(neo4j_settings)
    try:
        big = ["楼" * 10 + str(i) for i in range(20_000)]  # ~700 kB each way, many 64 KiB chunks
        answer = reader.read("RETURN $big AS big, size($big) AS n", {"big": big})
        assert answer.keys == ["big", "n"]
        assert answer.rows == [[big, 20_000]]
        rows = reader.rows("UNWIND range(1, 3000) AS i RETURN i, date('2025-07-01') AS d", {})
        assert len(rows) == 3000
        assert rows[-1] == {"i": 3000, "d": "2025-07-01"}
    finally:
        reader.close()


def test_a_read_may_not_write_and_a_failure_leaves_the_reader_usable(
    neo4j_settings: Settings,
) -> None:
    reader = _reader(neo4j_settings)
    try:
        with pytest.raises(BoltFailure) as info:
            reader.read("CREATE (n:BoltProbe) RETURN n", {})
        assert info.value.code == "Neo.ClientError.Statement.AccessMode"
        with pytest.raises(BoltFailure, match="ArithmeticError"):
            reader.read("UNWIND [1, 0] AS d RETURN 1 / d AS x", {})  # fails mid-stream
        assert reader.rows("RETURN 2 AS two", {}) == [{"two": 2}]
        assert reader.rows("MATCH (n:BoltProbe) RETURN count(n) AS n", {}) == [{"n": 0}]
    finally:
        reader.close()


def test_a_connection_the_server_dropped_is_replaced_once(neo4j_settings: Settings) -> None:
    reader = _reader(neo4j_settings)
    try:
        assert reader.rows("RETURN 1 AS one", {}) == [{"one": 1}]
        (kept,) = reader._idle
        kept._sock.shutdown(socket.SHUT_RDWR)  # as when the server restarts or times it out
        assert reader.rows("RETURN 1 AS one", {}) == [{"one": 1}]
        assert kept not in reader._idle
    finally:
        reader.close()


def test_refusals_carry_the_servers_codes(neo4j_settings: Settings) -> None:
    for change, code in [
        ({"password": "not-the-password"}, "Neo.ClientError.Security.Unauthorized"),
        ({"database": "nosuchdb"}, "Neo.ClientError.Database.DatabaseNotFound"),
    ]:
        reader = _reader(neo4j_settings, **change)
        with pytest.raises(BoltFailure) as info:
            reader.read("RETURN 1 AS one", {})
        assert info.value.code == code
        reader.close()


def test_an_http_port_is_not_bolt(neo4j_settings: Settings) -> None:
    with socket.socket() as s:  # a port that answers, with HTTP
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        reader = _reader(neo4j_settings, uri=f"bolt://127.0.0.1:{port}")

        def answer() -> None:
            conn, _ = s.accept()
            conn.recv(20)
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
            conn.close()

        server = threading.Thread(target=answer)
        server.start()
        with pytest.raises(BoltUnreachable, match="answers HTTP, not Bolt"):
            reader.read("RETURN 1", {})
        server.join(5)


def test_the_routing_scheme_reads_from_a_server_of_the_routing_table(
    neo4j_settings: Settings,
) -> None:
    host_port = neo4j_settings.neo4j_uri.split("://", 1)[1]
    reader = _reader(neo4j_settings, uri=f"neo4j://{host_port}")
    try:
        assert reader.rows("RETURN 1 AS one", {}) == [{"one": 1}]
        assert reader._reader is not None  # the table's reader, asked with ROUTE
        assert reader._reader[1] == int(host_port.rsplit(":", 1)[1])
    finally:
        reader.close()


_ASK = """
import sys
from shanzhi.cli import main
sys.argv = ["shanzhi", "--store", "neo4j", "who-covers", "P-JLMZ-B02", "--json"]
try:
    main()
except SystemExit as exit:
    print("EXIT", exit.code)
print("DRIVER", "neo4j" in sys.modules)
"""


def test_a_question_in_a_new_process_never_imports_the_driver(
    sample_store: Neo4jStore, neo4j_settings: Settings
) -> None:
    env = {
        "NEO4J_URI": neo4j_settings.neo4j_uri,
        "NEO4J_USERNAME": neo4j_settings.neo4j_user,
        "NEO4J_PASSWORD": neo4j_settings.neo4j_password,
        "NEO4J_DATABASE": neo4j_settings.neo4j_database,
        "PATH": "/usr/bin:/bin",
        "COLUMNS": "200",
    }
    done = subprocess.run(
        [sys.executable, "-c", _ASK], capture_output=True, text=True, env=env, timeout=60
    )
    assert '"P-JLMZ-B02"' in done.stdout, done.stderr
    assert done.stdout.rstrip().endswith("EXIT 0\nDRIVER False"), done.stdout[-300:]
