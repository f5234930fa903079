"""The SQLite embedded store under stress: other processes reading, loading and dying meanwhile.

Every test here runs real processes on one home folder: a load killed (SIGKILL) inside its
transaction leaves the old graph; a reader asking who-covers again and again during a load gets
the old answer or the new one and nothing else; two loads of the same dataset at once never mix
(the second waits for the first, then refuses). A child load pauses inside its transaction at a
given batch for as long as a *hold* file exists, so the tests kill or release it at a known point.
Also here: the one-time conversion of a networkx store's ``graph.json``, what a load writes
(only what changed), and that the walk of who-covers reads by index, not the whole graph.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from shanzhi.errors import StoreUnavailableError
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.queries.changes import changes, history
from shanzhi.graph.queries.who_covers import who_covers
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore, sql
from shanzhi.graph.stores.loads import LoadRecord
from shanzhi.graph.stores.lookup import lookup_entries
from shanzhi.graph.stores.snapshot import Snapshot
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path
from shanzhi.synth.edits import edited

REPO = Path(__file__).resolve().parents[1]
NAME = "gonghexinlu"
BUILDING = "嘉利明珠城12号楼"
DAY = "2026-11-27"
#: Records the later version changes: people renamed, posts re-dated, partners dropped.
EDITS = 300
BATCH = 50

#: ``python -c CHILD home version pause_at hold batch``: load the sample (``earlier``) or its later
#: version (``later``); at the first progress report with done >= pause_at, wait while ``hold``
#: exists. Prints ``batch <done>`` after every batch and ``done <load>`` at the end; a library
#: error as one line on stderr and its exit code.
CHILD = f"""
import pathlib, sys, time
sys.path.insert(0, {str(REPO)!r})
from shanzhi.errors import ShanzhiError
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from tests.test_sqlite_store import version

home, which, pause_at, hold, batch = sys.argv[1:6]
paused = False

def progress(stage, done, total):
    global paused
    print("batch", done, flush=True)
    if not paused and done >= int(pause_at):
        paused = True
        print("paused", flush=True)
        while pathlib.Path(hold).exists():
            time.sleep(0.005)

store = EmbeddedStore(home, batch_size=int(batch))
try:
    report = load(store, version(which), progress)
except ShanzhiError as exc:  # as the CLI does: one sentence, its exit code
    print(f"error: {{exc}}", file=sys.stderr, flush=True)
    sys.exit(exc.exit_code)
print("done", report.load, flush=True)
"""

#: ``python -c READER home stop``: who-covers BUILDING again and again until ``stop`` exists;
#: prints the answer's digest whenever it differs from the last one, and ``tick`` every 10 calls.
READER = f"""
import pathlib, sys
sys.path.insert(0, {str(REPO)!r})
from shanzhi.graph.queries.who_covers import who_covers
from shanzhi.graph.stores.embedded import EmbeddedStore
from tests.test_sqlite_store import digest

store = EmbeddedStore(sys.argv[1])
stop = pathlib.Path(sys.argv[2])
last, calls = None, 0
while not stop.exists():
    answer = digest(who_covers(store, {BUILDING!r}, on={DAY!r}))
    calls += 1
    if answer != last:
        print(answer, flush=True)
        last = answer
    if calls % 10 == 0:
        print("tick", flush=True)
"""


#: The environment variable that names this module's frozen copy of the sample (children read
#: the same files as the test, whatever happens to the working tree's sample meanwhile).
FROZEN = "SHANZHI_TEST_FROZEN_SAMPLE"


def version(which: str) -> Dataset:
    """The sample as loaded first (``earlier``), its later version (``later``), or the sample as
    another dataset (``other``)."""
    folder = Path(os.environ.get(FROZEN) or sample_path())
    if which == "other":
        return load_dataset(folder, name="other")
    ds = load_dataset(folder, name=NAME)
    return ds if which == "earlier" else edited(ds, EDITS)[0]


def digest(answer: dict[str, Any]) -> str:
    """A who-covers answer in 16 hex digits."""
    text = json.dumps(answer, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def wanted(ds: Dataset) -> Snapshot:
    return Snapshot.of(ds.stored_nodes(), ds.stored_relations())


def _child(*args: str, code: str = CHILD) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_for(proc: subprocess.Popen[str], word: str, timeout: float = 120) -> list[str]:
    """Lines of ``proc``'s stdout up to the first that starts with ``word``."""
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            _, err = proc.communicate()
            pytest.fail(f"the child ended before {word!r} (exit {proc.returncode}): {err}")
        lines.append(line.strip())
        if line.startswith(word):
            return lines
    pytest.fail(f"no {word!r} within {timeout} s")


def _lines(proc: subprocess.Popen[str], n: int) -> list[str]:
    """The next ``n`` lines of ``proc``'s stdout."""
    assert proc.stdout is not None
    out = [proc.stdout.readline().strip() for _ in range(n)]
    assert all(out), f"the child ended early (exit {proc.poll()})"
    return out


@pytest.fixture(scope="module", autouse=True)
def frozen_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the sample that this module's tests and their children all load."""
    folder = tmp_path_factory.mktemp("frozen") / NAME
    shutil.copytree(sample_path(), folder)
    os.environ[FROZEN] = str(folder)
    yield folder
    del os.environ[FROZEN]


@pytest.fixture(scope="module")
def earlier() -> Dataset:
    return version("earlier")


@pytest.fixture(scope="module")
def later() -> Dataset:
    return version("later")


@pytest.fixture
def home(tmp_path: Path, earlier: Dataset) -> Path:
    """A home holding the earlier version (load 1)."""
    load(EmbeddedStore(tmp_path / "home"), earlier)
    return tmp_path / "home"


# -- a load killed inside its transaction ------------------------------------------------------
@pytest.mark.parametrize("pause_at", [1, 400])
def test_a_load_killed_inside_its_transaction_leaves_the_old_graph(
    home: Path, tmp_path: Path, earlier: Dataset, later: Dataset, pause_at: int
) -> None:
    hold = tmp_path / "hold"
    hold.touch()
    child = _child(str(home), "later", str(pause_at), str(hold), str(BATCH))
    try:
        lines = _wait_for(child, "paused")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert int(lines[-2].split()[1]) >= pause_at, "batches were written before the kill"
    store = EmbeddedStore(home)
    assert store.snapshot() == wanted(earlier)
    assert [r.seq for r in history(store)] == [1]
    again = load(store, later)
    assert again.load == 2 and store.snapshot() == wanted(later)


@pytest.mark.slow
def test_a_bigger_load_killed_at_a_random_moment_leaves_one_graph_or_the_other(
    tmp_path: Path,
) -> None:
    from shanzhi.synth import synth

    synth(tmp_path / "data", streets=2, seed=5)
    big = load_dataset(tmp_path / "data", name="big")
    code = CHILD.replace("version(which)", f"load_dataset({str(tmp_path / 'data')!r}, name='big')")
    code = code.replace(
        "from tests.test_sqlite_store import version", "from shanzhi.loaders import load_dataset"
    )
    batches = -(-len(big.nodes) // 2000) + -(-len(big.relations) // 2000)
    rng = random.Random(11)
    kept_old = 0
    for i in range(3):
        home = tmp_path / f"home{i}"
        child = _child(str(home), "big", "1", str(tmp_path / "no-hold"), "2000", code=code)
        try:
            _lines(child, rng.randrange(1, batches))  # it is writing: kill it somewhere after
            time.sleep(rng.uniform(0.0, 0.05))
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.kill()
            child.communicate(timeout=60)
        store = EmbeddedStore(home)
        held = store.snapshot()
        assert held in (Snapshot(), wanted(big)), "half a load is never seen"
        committed = held != Snapshot()
        kept_old += not committed
        assert [r.seq for r in store.loads("big")] == ([1] if committed else [])
        again = load(store, big)
        assert again.changed != committed and store.snapshot() == wanted(big)
    assert kept_old, "some kill fell inside the transaction"


# -- a reader during a load --------------------------------------------------------------------
def test_who_covers_during_a_load_answers_from_the_old_graph_or_the_new(
    home: Path, tmp_path: Path, later: Dataset
) -> None:
    old = digest(who_covers(EmbeddedStore(home), BUILDING, on=DAY))
    other = tmp_path / "other"
    load(EmbeddedStore(other), later)
    new = digest(who_covers(EmbeddedStore(other), BUILDING, on=DAY))
    assert old != new, "the later version must change this building's answer"
    hold, stop = tmp_path / "hold", tmp_path / "stop"
    hold.touch()
    loader = _child(str(home), "later", "200", str(hold), str(BATCH))
    reader = _child(str(home), str(stop), code=READER)
    try:
        _wait_for(loader, "paused")  # half the load is written, not committed
        during = [line for _ in range(3) for line in _wait_for(reader, "tick")]
        hold.unlink()
        _wait_for(loader, "done")
        after = _wait_for(reader, new, timeout=60)
        stop.touch()
        out, err = reader.communicate(timeout=60)
    finally:
        for p in (loader, reader):
            p.kill()
            p.communicate(timeout=60)
    answers = [line for line in during + after + out.split() if line != "tick"]
    assert reader.returncode == 0 and not err.strip(), err
    assert during.count("tick") == 3, "30 calls ran while the load was half written"
    assert [a for a in during if a != "tick"] == [old], "the paused load is not seen"
    assert answers == [old, new], "the old answer, then the new one, and nothing else"


# -- two loads at once -------------------------------------------------------------------------
def test_two_loads_of_one_dataset_never_mix(
    tmp_path: Path, earlier: Dataset, later: Dataset
) -> None:
    home, hold = tmp_path / "home", tmp_path / "hold"
    hold.touch()
    first = _child(str(home), "earlier", "1", str(hold), str(BATCH))
    _wait_for(first, "paused")  # it holds the write lock, inside its transaction
    second = _child(str(home), "later", "1", str(tmp_path / "no-hold"), str(BATCH))
    assert second.stderr is not None
    notice = second.stderr.readline()
    assert "another load is writing to" in notice and "waiting" in notice
    hold.unlink()
    out1, err1 = first.communicate(timeout=120)
    out2, err2 = second.communicate(timeout=120)
    assert first.returncode == 0 and "done 1" in out1, err1
    assert second.returncode == 3, (out2, err2)
    assert "another load changed dataset 'gonghexinlu'" in err2 and "nothing was written" in err2
    assert "Traceback" not in err2
    store = EmbeddedStore(home)
    assert store.snapshot() == wanted(earlier) and [r.seq for r in history(store)] == [1]
    assert load(store, later).load == 2 and store.snapshot() == wanted(later)


def test_loads_of_two_datasets_at_once_both_land(tmp_path: Path, earlier: Dataset) -> None:
    home, hold = tmp_path / "home", tmp_path / "hold"
    hold.touch()
    first = _child(str(home), "earlier", "1", str(hold), str(BATCH))
    _wait_for(first, "paused")
    second = _child(str(home), "other", "1", str(tmp_path / "no-hold"), str(BATCH))
    assert second.stderr is not None
    assert "waiting" in second.stderr.readline(), "one writer at a time"
    hold.unlink()
    out1, err1 = first.communicate(timeout=120)
    out2, err2 = second.communicate(timeout=120)
    assert (first.returncode, second.returncode) == (0, 0), (err1, err2)
    assert "done 1" in out1 and "done 1" in out2
    store = EmbeddedStore(home)
    assert store.datasets() == [NAME, "other"]
    assert store.snapshot(NAME) == wanted(earlier)
    assert store.snapshot("other") == wanted(version("other"))


# -- what a load writes ------------------------------------------------------------------------
def _traced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every statement the store's connections run from now on (executemany: once per row)."""
    from shanzhi.graph.stores.embedded import db

    statements: list[str] = []
    connect: Callable[[Path], sqlite3.Connection] = db.Database._connect

    def traced(path: Path) -> sqlite3.Connection:
        conn = connect(path)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(db.Database, "_connect", staticmethod(traced))
    return statements


def test_a_load_writes_only_what_changed_and_a_reload_writes_nothing(
    home: Path, earlier: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements = _traced(monkeypatch)
    assert not load(EmbeddedStore(home), earlier).changed
    assert not [
        s
        for s in statements
        if not s.lstrip().startswith(("SELECT", "BEGIN", "COMMIT", "PRAGMA", "WITH"))
    ]
    statements.clear()
    later, count = edited(earlier, 2)
    report = load(EmbeddedStore(home), later)
    assert report.load == 2
    writes = [s.split()[0] for s in statements if s.split()[0] in ("INSERT", "DELETE", "UPDATE")]
    assert len(writes) == count + 1, "one row per changed record, and the load record"
    assert len(changes(EmbeddedStore(home)).rows) == count


def test_the_stored_properties_are_exactly_the_loaded_ones(home: Path, earlier: Dataset) -> None:
    stamped = {
        n.uid: n.props | {"load_seq": 1, "load_change": "created"} for n in earlier.stored_nodes()
    }
    with sqlite3.connect(home / "shanzhi.db") as conn:
        held = {u: orjson.loads(p) for u, p in conn.execute("SELECT uid, props FROM nodes")}
        labels = dict(conn.execute("SELECT uid, label FROM nodes"))
    assert held == stamped
    assert labels == {n.uid: n.label for n in earlier.stored_nodes()}


# -- reads by index ----------------------------------------------------------------------------
@pytest.mark.parametrize("statement", ["NODE", "INTO", "OUT_OF", "NODE_FINGERPRINTS", "LOADS"])
def test_the_walk_of_who_covers_reads_by_index(home: Path, statement: str) -> None:
    text = getattr(sql, statement)
    with sqlite3.connect(home / "shanzhi.db") as conn:
        names = {k: "x" for k in ("target", "part_of", "on", "source", "type")}
        plan = conn.execute(f"EXPLAIN QUERY PLAN {text}", names if ":" in text else ("x",))
        steps = [row[3] for row in plan]
    assert steps and all(s.startswith(("SEARCH", "USE TEMP")) for s in steps), steps


def test_who_covers_reads_the_same_few_rows_whatever_else_the_store_holds(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shanzhi.synth import synth

    statements = _traced(monkeypatch)
    store = EmbeddedStore(home)
    uid = f"{NAME}:{who_covers(store, BUILDING, on=DAY)['building']['id']}"
    statements.clear()
    alone = store.who_covers_facts(uid, DAY)
    few = len(statements)
    synth(tmp_path / "street", streets=1, seed=2)
    load(store, load_dataset(tmp_path / "street", name="street"))
    statements.clear()
    assert store.who_covers_facts(uid, DAY) == alone
    assert len(statements) == few and few < 80, (few, statements[:5])


# -- a home of the networkx store --------------------------------------------------------------
def _legacy(home: Path, ds: Dataset, record: LoadRecord) -> None:
    """``graph.json`` as the networkx store wrote it after load 1 (stamps and record)."""
    stamp = {"load_seq": 1, "load_change": "created"}
    doc = {
        "format": "shanzhi-graph",
        "version": 1,
        "nodes": [[n.uid, {"label": n.label, **n.props, **stamp}] for n in ds.stored_nodes()],
        "edges": [
            [r.source, r.target, r.uid, {"type": r.type, **r.props, **stamp}]
            for r in ds.stored_relations()
        ],
        "loads": [record.as_props()],
    }
    home.mkdir(parents=True)
    (home / "graph.json").write_bytes(orjson.dumps(doc))


def test_a_graph_json_home_is_converted_once_with_one_line(
    home: Path, tmp_path: Path, earlier: Dataset, later: Dataset
) -> None:
    reference = EmbeddedStore(home)  # loaded from the sample (load 1)
    (record,) = history(reference)
    old = tmp_path / "old"
    _legacy(old, earlier, record)
    said: list[str] = []
    store = EmbeddedStore(old, notify=said.append)
    assert store.datasets() == [NAME]
    assert len(said) == 1 and "\n" not in said[0]
    counts = f"{len(earlier.nodes):,} nodes and {len(earlier.relations):,} relations"
    assert f"converted {counts}" in said[0]
    assert not (old / "graph.json").exists() and (old / "graph.json.converted").exists()
    assert store.snapshot() == reference.snapshot() == wanted(earlier)
    assert history(store) == [record]
    assert changes(store) == changes(reference)
    assert who_covers(store, BUILDING, on=DAY) == who_covers(reference, BUILDING, on=DAY)
    again: list[str] = []
    assert EmbeddedStore(old, notify=again.append).datasets() == [NAME] and again == []
    index = {u: e.digest for u, e in lookup_entries(earlier).items()}
    assert EmbeddedStore(old).fingerprints(NAME).lookup == index, "the finder's index too"
    report = load(EmbeddedStore(old), later)
    assert report.load == 2 and not report.nodes.created, "the stamps and records carried over"


def test_a_broken_graph_json_is_refused_and_nothing_is_converted(tmp_path: Path) -> None:
    (tmp_path / "graph.json").write_bytes(b"\x80\x04\x95pickle")
    with pytest.raises(StoreUnavailableError, match="cannot read the graph in"):
        EmbeddedStore(tmp_path, notify=lambda _: None).datasets()
    assert (tmp_path / "graph.json").exists(), "the old file is left as it was"
    with sqlite3.connect(tmp_path / "shanzhi.db") as conn:
        assert not conn.execute(sql.HOLDS_ANYTHING).fetchone()[0]
