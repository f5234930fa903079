"""The Neo4j store: the embedded store's records, written in batches with the official driver.

The questions of the street office (:mod:`.reads`) go over the store's own Bolt reader
(:mod:`.bolt`), so a command that only asks never imports the driver; the driver is opened the
first time the store writes, snapshots or runs an analyst's statement.

Every node carries ``:Entity`` (uid uniqueness, dataset index) plus its model label; every
relation has its model type. Writes are ``UNWIND $rows`` batches — MERGE on the uid, then SET the
whole property map — one managed transaction per batch (``execute_write``, so the driver may retry
a batch after a deadlock or a leader switch), ``database=`` always given. The statements live in
:mod:`shanzhi.graph.stores.neo4j.cypher`.

A plan is applied adding before removing (nodes, relations, then removed relations, removed
nodes), so a reader during a load sees at worst old and new side by side, never a hole; a load
killed half-way leaves committed batches behind, and loading again converges because the plan is
recomputed from the fingerprints actually held. Two loads of one dataset never mix: a load holds
the dataset's lock (:mod:`.lock`) while it applies, and refuses a plan another load made stale.

Dates the model declares go in as Neo4j ``Date`` and answers come back as plain data
(:mod:`.values`). Every session shares the store's bookmark manager, and the reader sends its
bookmarks, so a read after a load sees the load even on a cluster (read your own writes);
:meth:`Neo4jStore.bookmarks` hands them to another store object
(``Neo4jStore.connect(settings, bookmarks=…)``).

>>> from shanzhi.config import Settings
>>> store = Neo4jStore.connect(Settings(neo4j_uri="bolt://127.0.0.1:1"))
Traceback (most recent call last):
...
shanzhi.errors.StoreUnavailableError: cannot reach Neo4j at bolt://127.0.0.1:1 \
(connection refused); start it or set NEO4J_URI.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from shanzhi.config import Settings, redact_uri, split_uri_credentials
from shanzhi.errors import ShanzhiError, StoreUnavailableError
from shanzhi.graph.model import Label, RelType
from shanzhi.graph.model.dataset import StoredNode, StoredRelation
from shanzhi.graph.stores.neo4j import cypher as q
from shanzhi.graph.stores.neo4j.batches import Batch, chunks, count, plan_batches, run_batch
from shanzhi.graph.stores.neo4j.bolt import BoltReader
from shanzhi.graph.stores.neo4j.failures import unavailable
from shanzhi.graph.stores.neo4j.reads import Neo4jReads
from shanzhi.graph.stores.neo4j.values import plain, plain_rows

if TYPE_CHECKING:
    import neo4j

    from shanzhi.graph.stores.loads import Change, LoadRecord, Removed
    from shanzhi.graph.stores.snapshot import Snapshot
    from shanzhi.graph.stores.sync import Fingerprints, ProgressFn, SyncPlan

__all__ = ["SCHEMES", "Batch", "Neo4jStore", "plan_batches"]

#: URI schemes the store accepts: direct (bolt) and routing (neo4j), plain, TLS (+s) or TLS with a
#: self-signed certificate (+ssc).
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_AGENT = "shanzhi"
_MODEL_LABELS = frozenset(label.value for label in Label)


def _check_address(uri: str, shown: str, database: str) -> None:
    scheme = urlsplit(uri).scheme.lower()
    if scheme not in SCHEMES:
        raise StoreUnavailableError(
            f"NEO4J_URI {shown!r} is not a Neo4j address; "
            f"use one starting with {', '.join(s + '://' for s in SCHEMES)}."
        )
    try:
        urlsplit(uri).port  # noqa: B018  (raises on a port that is no number)
    except ValueError as exc:
        raise StoreUnavailableError(
            f"NEO4J_URI {shown!r} cannot be used ({exc}); fix NEO4J_URI."
        ) from exc
    if database.strip().lower() == "system":
        raise StoreUnavailableError(
            "NEO4J_DATABASE=system 是 Neo4j 自己的管理库，不存放图谱 (NEO4J_DATABASE=system is "
            "Neo4j's own administration database and holds no graph); set NEO4J_DATABASE to "
            "neo4j or another database of the server."
        )


class Neo4jStore(Neo4jReads):
    """A dataset store in one Neo4j database. Build it with :meth:`connect`."""

    kind: ClassVar[str] = "neo4j"

    def __init__(
        self,
        uri: str,
        *,
        user: str,
        password: str,
        database: str = "neo4j",
        batch_size: int = 5000,
        bookmarks: Iterable[str] = (),
    ) -> None:
        self._uri = uri
        self._password = password
        self.uri = redact_uri(uri)
        self.user = user
        self.database = database
        self.batch_size = batch_size
        self._schema_ready = False
        self._given_bookmarks = sorted(bookmarks)
        self._opened: tuple[neo4j.Driver, neo4j.BookmarkManager] | None = None
        self.reader = BoltReader(uri, user, password, database=database, agent=_AGENT)

    # -- connecting ----------------------------------------------------------------------------
    @classmethod
    def connect(cls, settings: Settings, bookmarks: Iterable[str] = ()) -> Neo4jStore:
        """Open the database the settings name, checking server, credentials and database at once.

        ``bookmarks`` (another store object's :meth:`bookmarks`) make this one's reads wait for
        what that one wrote. Raises :class:`StoreUnavailableError` with one sentence saying what
        failed, where, and what to do; no message ever holds the password, even one given in
        the URI.
        """
        uri, uri_user, uri_password = split_uri_credentials(settings.neo4j_uri)
        _check_address(uri, redact_uri(uri), settings.neo4j_database)
        store = cls(
            uri,
            user=settings.neo4j_user if uri_user is None else uri_user,
            password=settings.neo4j_password if uri_password is None else uri_password,
            database=settings.neo4j_database,
            batch_size=settings.batch_size,
            bookmarks=bookmarks,
        )
        try:
            with store._guard():
                store.reader.read(q.PING, {}, store.bookmarks())
        except BaseException:
            store.close()
            raise
        return store

    def _open_driver(self) -> tuple[neo4j.Driver, neo4j.BookmarkManager]:
        """The official driver and its bookmark manager, opened on first use."""
        if self._opened is None:
            import logging

            from shanzhi.graph.stores.neo4j.driver import neo4j

            # The driver logs connection failures as warnings; without a handler Python would
            # print them after our one sentence. Applications that configure logging still
            # receive them.
            logging.getLogger("neo4j").addHandler(logging.NullHandler())
            try:
                driver = neo4j.GraphDatabase.driver(
                    self._uri,
                    auth=(self.user, self._password) if self.user else None,
                    connection_timeout=15.0,
                    user_agent=_AGENT,
                    # Warnings such as "label Entity does not exist" on an empty database are
                    # noise on a user's terminal; the statements are fixed and tested.
                    notifications_min_severity="OFF",
                )
            except (neo4j.exceptions.ConfigurationError, ValueError) as exc:
                reason = str(exc).replace(self._password, "***") if self._password else str(exc)
                raise StoreUnavailableError(
                    f"NEO4J_URI {self.uri!r} cannot be used ({reason}); fix NEO4J_URI."
                ) from exc
            manager = neo4j.GraphDatabase.bookmark_manager(
                initial_bookmarks=neo4j.Bookmarks.from_raw_values(self._given_bookmarks)
            )
            self._opened = (driver, manager)
        return self._opened

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn either client's failures into one sentence a user can act on."""
        try:
            yield
        except Exception as exc:
            sentence = unavailable(
                exc, where=f"Neo4j at {self.uri}", user=self.user, database=self.database
            )
            if sentence is None:
                raise
            raise sentence from exc

    def _session(self) -> neo4j.Session:
        driver, manager = self._open_driver()
        return driver.session(database=self.database, bookmark_manager=manager)

    def _read(self, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """One read statement over the Bolt reader, waiting for this store's bookmarks."""
        with self._guard():
            return self.reader.rows(text, params, self.bookmarks())

    def bookmarks(self) -> list[str]:
        """The bookmarks of everything this store object has written and read so far.

        Given to another store object (``Neo4jStore.connect(settings, bookmarks=…)``), they make
        its reads wait until the server they reach has those writes (causal consistency: on a
        cluster, a secondary that lags behind the leader waits for the load).
        """
        if self._opened is None:
            return list(self._given_bookmarks)
        return sorted(self._opened[1].get_bookmarks())

    def ensure_schema(self) -> None:
        """Create the uniqueness constraints and indexes if missing; wait until they are online."""
        if self._schema_ready:
            return
        with self._guard(), self._session() as session:
            for statement in q.SCHEMA:
                session.run(statement).consume()
            session.run(q.AWAIT_INDEXES, seconds=300).consume()
        self._schema_ready = True

    # -- reading -------------------------------------------------------------------------------
    def fingerprints(self, dataset: str) -> Fingerprints:
        from shanzhi.graph.stores.sync import Fingerprints  # a question needs none of a load

        """uid → fingerprint of the dataset's nodes and relations, from one query."""
        fp = Fingerprints()
        with self._guard(), self._session() as session:
            for what, pairs in session.run(q.FINGERPRINTS, dataset=dataset):
                (fp.nodes if what == "node" else fp.relations).update(pairs)
            for (pairs,) in session.run(q.LOOKUP_DIGESTS, dataset=dataset):
                fp.lookup.update(pairs)
        return fp

    def snapshot(self, dataset: str | None = None) -> Snapshot:
        """Everything held (or one dataset's part), labelled with the model label, not Entity."""
        from shanzhi.graph.stores.snapshot import Snapshot, content

        nodes_q, rels_q = (
            (q.SNAPSHOT_NODES, q.SNAPSHOT_RELATIONS)
            if dataset is None
            else (q.SNAPSHOT_NODES_OF, q.SNAPSHOT_RELATIONS_OF)
        )
        params = {} if dataset is None else {"dataset": dataset}
        with self._guard(), self._session() as session:
            nodes = [
                StoredNode(
                    uid=uid, label=self._model_label(uid, labels), props=content(plain(props))
                )
                for uid, labels, props in session.run(nodes_q, params)
            ]
            rels = [
                StoredRelation(uid=uid, type=typ, source=s, target=t, props=content(plain(props)))
                for uid, typ, s, t, props in session.run(rels_q, params)
            ]
        return Snapshot.of(nodes, rels)

    @staticmethod
    def _model_label(uid: str, labels: list[str]) -> str:
        found = [label for label in labels if label in _MODEL_LABELS]
        if len(found) != 1:
            raise ShanzhiError(
                f"node {uid} has labels {sorted(labels)}, not one model label; "
                "load its dataset again."
            )
        return found[0]

    def datasets(self) -> list[str]:
        """Names of the datasets held."""
        with self._guard(), self._session() as session:
            return [str(d) for (d,) in session.run(q.DATASETS) if d is not None]

    def loads(self, dataset: str) -> list[LoadRecord]:
        from shanzhi.graph.stores.loads import LoadRecord

        """The records of the loads that changed a dataset, oldest first."""
        with self._guard(), self._session() as session:
            return [LoadRecord.from_props(p) for (p,) in session.run(q.LOADS, dataset=dataset)]

    def describe(self, node_uids: Sequence[str], relation_uids: Sequence[str]) -> list[Removed]:
        from shanzhi.graph.stores.loads import Removed, link_name

        """What these held nodes and relations are (index seeks by uid)."""
        out: list[Removed] = []
        with self._guard(), self._session() as session:
            for uids in chunks(node_uids, self.batch_size):
                out += [
                    Removed("node", self._model_label(uid, labels), uid, name, file, line)
                    for uid, labels, name, file, line in session.run(
                        q.DESCRIBE_NODES, uids=list(uids)
                    )
                ]
            for uids in chunks(relation_uids, self.batch_size):
                for rel in RelType:
                    out += [
                        Removed("relation", rel.value, uid, link_name(a, b), file, line)
                        for uid, a, b, file, line in session.run(
                            q.DESCRIBE_RELATIONS[rel], uids=list(uids)
                        )
                    ]
        return out

    def changed_records(self, record: LoadRecord) -> list[Change]:
        from shanzhi.graph.stores.loads import CHANGE_COLUMNS, Change

        """What the library's ``changes`` query lists for this load."""
        from shanzhi.cypher import query

        rows = self.query_collected(
            query("changes").text,
            {"dataset": record.dataset, "load": record.seq},
            CHANGE_COLUMNS,
        )
        return [Change(*row) for row in rows]

    def query_collected(
        self, text: str, params: dict[str, Any], columns: Sequence[str]
    ) -> list[list[Any]]:
        """Run one read statement and fetch ``columns`` of its rows as one collected list.

        For large answers: the driver builds one record per row (~40 µs each), while one list of
        rows costs a fraction of that (201,430 rows of changes.cypher: 9–11 s → 3.8 s). The order
        of the statement's rows is not promised. ``columns`` are names the statement returns,
        from our own code, never user text.
        """
        wrapped = f"CALL () {{\n{text}\n}}\nRETURN collect([{', '.join(columns)}]) AS rows"
        (row,) = self.query(wrapped, params, raw=True)
        return plain_rows(row["rows"])

    def query(
        self,
        text: str,
        params: dict[str, Any] | None = None,
        *,
        write: bool = False,
        raw: bool = False,
    ) -> list[dict[str, Any]]:
        """Run one statement in a managed READ transaction (WRITE if ``write``); rows as dicts.

        Values go only as ``params``; the statement text comes from the query library or the
        model's own enums, never from user text. The rows are plain data (:func:`.values.plain`:
        nodes with their labels and element ids, relationships with their type, dates as ISO
        text) unless ``raw`` asks for the driver's own values. A READ transaction is routed to a
        secondary on a cluster, and the server refuses any write in it.
        """

        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            result = tx.run(text, params or {})
            keys = result.keys()
            values = [record.values() for record in result]
            rows = values if raw else plain_rows(values)
            return [dict(zip(keys, row, strict=True)) for row in rows]

        with self._guard(), self._session() as session:
            return session.execute_write(work) if write else session.execute_read(work)

    def query_type(self, text: str, params: dict[str, Any] | None = None) -> str:
        """What the server says a statement does, asked with EXPLAIN (nothing runs).

        One of ``r`` (read only), ``rw``, ``w`` (writes) or ``s`` (schema).
        """
        with self._guard(), self._session() as session:
            summary = session.run("EXPLAIN " + text, params or {}).consume()
        return str(summary.query_type)

    # -- writing -------------------------------------------------------------------------------
    def apply(
        self, plan: SyncPlan, record: LoadRecord | None, progress: ProgressFn | None = None
    ) -> None:
        """Carry out a plan in batches of ``batch_size``, one transaction each, then write its
        load record (a ``(:Load)`` node) — last, so a load killed half-way leaves none and the
        re-run gets the same number.

        ``progress(stage, done, total)`` is called after every committed batch; ``done`` counts
        all writes so far (stages: nodes, relations, removed relations, removed nodes). The
        dataset's lock is held throughout; a plan another load made stale is refused
        (:class:`~shanzhi.errors.StoreBusyError`) before anything is written.
        """
        total = (
            len(plan.upsert_nodes)
            + len(plan.upsert_relations)
            + len(plan.remove_relations)
            + len(plan.remove_nodes)
        )
        if not plan.writes:
            return
        self._check_labels(plan)
        self.ensure_schema()
        from shanzhi.graph.stores.neo4j import lock
        from shanzhi.graph.stores.neo4j.driver import neo4j
        from shanzhi.graph.stores.neo4j.lookup import write_lookup

        done = 0
        with (
            self._guard(),
            self._session() as held,
            lock.hold(held, plan.dataset) as locked,
            self._session() as session,
        ):
            if record is not None:
                locked.check_base(record.seq)
            # Tagged, so that an administrator's SHOW TRANSACTIONS says what each one is.
            tagged = neo4j.unit_of_work(metadata=lock.metadata("load batch", plan.dataset))(
                run_batch
            )
            seq = None if record is None else record.seq
            for batch in plan_batches(plan, self.batch_size):
                locked.keep(seq)
                written = session.execute_write(tagged, batch)
                if batch.stage == "relations" and written != batch.size:
                    raise ShanzhiError(
                        f"{batch.size - written} relations of dataset {plan.dataset!r} lost an "
                        "end node while loading (another load of it is running?); load it again."
                    )
                done += batch.size
                if progress:
                    progress(batch.stage, done, total)
            locked.keep(seq)
            write_lookup(session, plan, self.batch_size)
            if record is not None:
                session.execute_write(count, q.WRITE_LOAD, {"load": record.as_props()})

    def _check_labels(self, plan: SyncPlan) -> None:
        unknown = {n.label for n in plan.upsert_nodes} - _MODEL_LABELS
        unknown |= {r.type for r in plan.upsert_relations} - {t.value for t in RelType}
        if unknown:
            raise ShanzhiError(
                f"the plan for {plan.dataset!r} names labels or types outside the model: "
                f"{sorted(unknown)}; nothing was written."
            )

    def clear(self) -> int:
        """Delete every node and relation in the database, in batches; constraints stay.

        Meant for tests and benchmarks on a database of their own. Returns the nodes deleted.
        """
        deleted = 0
        with self._guard(), self._session() as session:
            for statement in (q.CLEAR_RELATIONS_BATCH, q.CLEAR_NODES_BATCH):
                while True:
                    n = session.execute_write(count, statement, {"limit": 10000})
                    if statement is q.CLEAR_NODES_BATCH:
                        deleted += n
                    if n == 0:
                        break
        return deleted

    def close(self) -> None:
        """Close the reader's connections, and the driver's if it was opened."""
        self.reader.close()
        if self._opened is not None:
            self._opened[0].close()
            self._opened = None

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
