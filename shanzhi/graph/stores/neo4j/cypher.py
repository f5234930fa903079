"""Every Cypher statement the Neo4j store sends, as named constants.

Labels and relationship types are spliced in from the model's enums only (``Label``, ``RelType``);
every value travels as a parameter. Each node carries ``:Entity`` (the label the uid constraint and
the dataset index hang on) plus exactly one model label.

>>> print(UPSERT_NODES[Label.GRID])
UNWIND $rows AS row
MERGE (n:Entity {uid: row.uid})
SET n = row.props, n:Grid
REMOVE n:Place:Org:Person:Project
RETURN count(n) AS written
>>> print(UPSERT_RELATIONS[RelType.COVERS])
UNWIND $rows AS row
MATCH (a:Entity {uid: row.source})
MATCH (b:Entity {uid: row.target})
MERGE (a)-[r:COVERS {uid: row.uid}]->(b)
SET r = row.props
RETURN count(r) AS written
"""

from __future__ import annotations

from shanzhi.graph.model import Label, RelType
from shanzhi.graph.stores.stamps import LOAD_LABEL, SEQ

__all__ = [
    "AWAIT_INDEXES",
    "BUILDING_CANDIDATES",
    "CENTRALITY_SCHEMA",
    "CLEAR_NODES_BATCH",
    "CLEAR_RELATIONS_BATCH",
    "DATASETS",
    "DESCRIBE_NODES",
    "DESCRIBE_RELATIONS",
    "ENSURE_LOCK",
    "ENTITY",
    "FINGERPRINTS",
    "LAST_LOAD",
    "LOADS",
    "LOCK_LABEL",
    "LOCK_SCHEMA",
    "LOOKUP_DIGESTS",
    "LOOKUP_INDEX",
    "LOOKUP_LABEL",
    "PING",
    "REMOVE_LOOKUP",
    "REMOVE_NODES",
    "REMOVE_RELATIONS",
    "RUN_LABEL",
    "SCHEMA",
    "SCORED",
    "SNAPSHOT_NODES",
    "SNAPSHOT_NODES_OF",
    "SNAPSHOT_RELATIONS",
    "SNAPSHOT_RELATIONS_OF",
    "TAKE_LOCK",
    "UPSERT_LOOKUP",
    "UPSERT_NODES",
    "UPSERT_RELATIONS",
    "WRITE_LOAD",
    "WRITE_RUN",
]

#: The label every stored node carries besides its model label.
ENTITY = "Entity"
#: The label of a building's lookup entry (never ``Entity``: loads, stats and exports skip it).
LOOKUP_LABEL = "LookupEntry"
#: The full-text index of the entries' keys.
LOOKUP_INDEX = "lookup_keys"


def _others(label: Label) -> str:
    return "".join(f":{other.value}" for other in Label if other is not label)


def _schema() -> tuple[str, ...]:
    statements = [
        f"CREATE CONSTRAINT entity_uid IF NOT EXISTS FOR (n:{ENTITY}) REQUIRE n.uid IS UNIQUE"
    ]
    statements += [
        f"CREATE CONSTRAINT {rel.value.lower()}_uid IF NOT EXISTS "
        f"FOR ()-[r:{rel.value}]-() REQUIRE r.uid IS UNIQUE"
        for rel in RelType
    ]
    statements.append(
        f"CREATE CONSTRAINT load_uid IF NOT EXISTS FOR (l:{LOAD_LABEL}) REQUIRE l.uid IS UNIQUE"
    )
    statements.append(f"CREATE INDEX entity_dataset IF NOT EXISTS FOR (n:{ENTITY}) ON (n.dataset)")
    # changes.cypher finds what one load wrote by its stamp: nodes and each type of relation.
    statements.append(
        f"CREATE INDEX entity_load IF NOT EXISTS FOR (n:{ENTITY}) ON (n.dataset, n.{SEQ})"
    )
    statements += [
        f"CREATE INDEX {rel.value.lower()}_load IF NOT EXISTS "
        f"FOR ()-[r:{rel.value}]-() ON (r.dataset, r.{SEQ})"
        for rel in RelType
    ]
    # Only what the query library and the finder look up: every index slows every write a little.
    # Relations are reached from their (indexed) end nodes, so they need no dataset index.
    per_label = {
        Label.GRID: ("id", "name", "level"),
        Label.PLACE: ("id", "name", "kind"),
        Label.ORG: ("id", "name", "kind"),
        Label.PERSON: ("id", "name"),  # shortest_path.cypher finds people by id or name
        Label.PROJECT: ("id", "level"),
    }
    statements += [
        f"CREATE INDEX {label.value.lower()}_{prop} IF NOT EXISTS "
        f"FOR (n:{label.value}) ON (n.{prop})"
        for label, props in per_label.items()
        for prop in props
    ]
    # posts_ending.cypher finds posts by their end date; audit_vacant_posts.cypher finds the
    # posts not valid on a day by either date.
    holds = RelType.HOLDS.value
    statements += [
        f"CREATE INDEX {holds.lower()}_{prop} IF NOT EXISTS FOR ()-[r:{holds}]-() ON (r.{prop})"
        for prop in ("valid_to", "valid_from")
    ]
    # The finder's index (shanzhi.graph.stores.lookup): one entry per building, its keys in a
    # full-text index with the keyword analyzer, so each key is one exact term.
    statements += [
        f"CREATE CONSTRAINT lookup_uid IF NOT EXISTS "
        f"FOR (e:{LOOKUP_LABEL}) REQUIRE e.uid IS UNIQUE",
        f"CREATE INDEX lookup_dataset IF NOT EXISTS FOR (e:{LOOKUP_LABEL}) ON (e.dataset)",
        f"CREATE FULLTEXT INDEX {LOOKUP_INDEX} IF NOT EXISTS FOR (e:{LOOKUP_LABEL}) "
        "ON EACH [e.keys] OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}",
    ]
    return tuple(statements)


#: Constraints first, then indexes; all idempotent (``IF NOT EXISTS``).
SCHEMA: tuple[str, ...] = _schema()

#: Wait until every index is online (constraints are online when created; indexes populate later).
AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"

#: Checks that the server answers, the credentials hold and the database exists.
PING = "RETURN 1 AS ok"

#: Create or replace one batch of nodes of one label (rows: ``{uid, props}``). A node whose label
#: changed loses its old model label.
UPSERT_NODES: dict[Label, str] = {
    label: (
        "UNWIND $rows AS row\n"
        f"MERGE (n:{ENTITY} {{uid: row.uid}})\n"
        f"SET n = row.props, n:{label.value}\n"
        f"REMOVE n{_others(label)}\n"
        "RETURN count(n) AS written"
    )
    for label in Label
}

#: Create or replace one batch of relations of one type (rows: ``{uid, source, target, props}``).
#: A relation's uid names its endpoints and type, so MERGE on the pattern never moves one.
UPSERT_RELATIONS: dict[RelType, str] = {
    rel: (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{ENTITY} {{uid: row.source}})\n"
        f"MATCH (b:{ENTITY} {{uid: row.target}})\n"
        f"MERGE (a)-[r:{rel.value} {{uid: row.uid}}]->(b)\n"
        "SET r = row.props\n"
        "RETURN count(r) AS written"
    )
    for rel in RelType
}

#: Delete relations by uid, one statement per type so each is an index seek (``$uids``).
REMOVE_RELATIONS: dict[RelType, str] = {
    rel: (
        "UNWIND $uids AS uid\n"
        f"MATCH ()-[r:{rel.value} {{uid: uid}}]->()\n"
        "DELETE r\n"
        "RETURN count(r) AS removed"
    )
    for rel in RelType
}

#: Delete nodes (and whatever relations still touch them) by uid (``$uids``).
REMOVE_NODES = (
    "UNWIND $uids AS uid\n"
    f"MATCH (n:{ENTITY} {{uid: uid}})\n"
    "DETACH DELETE n\n"
    "RETURN count(n) AS removed"
)

#: uids and fingerprints of the nodes and of the relations of ``$dataset``, in one query: two
#: records (``what`` = node, relation) of ``[uid, fingerprint]`` pairs. Collected lists cost the
#: driver a fraction of one record per row (measured 60x less client CPU on 55,000 rows).
FINGERPRINTS = (
    f"MATCH (n:{ENTITY} {{dataset: $dataset}})\n"
    "RETURN 'node' AS what, collect([n.uid, n.fingerprint]) AS pairs\n"
    "UNION ALL\n"
    f"MATCH (:{ENTITY} {{dataset: $dataset}})-[r]->()\n"
    "WHERE r.dataset = $dataset\n"
    "RETURN 'relation' AS what, collect([r.uid, r.fingerprint]) AS pairs"
)

#: The lookup entries a dataset holds: building uid → digest.
LOOKUP_DIGESTS = (
    f"MATCH (e:{LOOKUP_LABEL} {{dataset: $dataset}})\nRETURN collect([e.uid, e.digest]) AS pairs"
)

#: Create or replace lookup entries (rows: ``{uid, dataset, digest, keys, row}``; row is JSON).
UPSERT_LOOKUP = (
    "UNWIND $rows AS row\n"
    f"MERGE (e:{LOOKUP_LABEL} {{uid: row.uid}})\n"
    "SET e.dataset = row.dataset, e.digest = row.digest, e.keys = row.keys, e.row = row.row\n"
    "RETURN count(e) AS n"
)

#: Remove the lookup entries of buildings that left a dataset.
REMOVE_LOOKUP = (
    f"UNWIND $uids AS uid\nMATCH (e:{LOOKUP_LABEL} {{uid: uid}})\nDELETE e\nRETURN count(*) AS n"
)

#: The rows of the buildings having any of the keys (``$query``: the keys as quoted Lucene terms).
BUILDING_CANDIDATES = (
    f"CALL db.index.fulltext.queryNodes('{LOOKUP_INDEX}', $query) YIELD node\n"
    "WITH node ORDER BY node.uid LIMIT $limit\n"
    "RETURN node.row AS row"
)

#: Keep a load record (``$load``: :meth:`LoadRecord.as_props`; its time becomes a datetime).
WRITE_LOAD = (
    f"MERGE (l:{LOAD_LABEL} {{uid: $load.uid}})\n"
    "SET l = $load, l.at = datetime($load.at)\n"
    "RETURN count(l) AS written"
)

#: The load records of ``$dataset``, oldest first.
LOADS = (
    f"MATCH (l:{LOAD_LABEL} {{dataset: $dataset}})\nRETURN properties(l) AS props ORDER BY l.seq"
)

#: What held nodes are, by uid (``$uids``), before a load removes them.
DESCRIBE_NODES = (
    "UNWIND $uids AS uid\n"
    f"MATCH (n:{ENTITY} {{uid: uid}})\n"
    "RETURN n.uid AS uid, labels(n) AS labels, n.name AS name, n.source_file AS source_file, "
    "n.source_line AS source_line"
)

#: What held relations are, by uid (``$uids``), one statement per type (index seeks).
DESCRIBE_RELATIONS: dict[RelType, str] = {
    rel: (
        "UNWIND $uids AS uid\n"
        f"MATCH (a)-[r:{rel.value} {{uid: uid}}]->(b)\n"
        "RETURN r.uid AS uid, a.name AS source, b.name AS target, r.source_file AS source_file, "
        "r.source_line AS source_line"
    )
    for rel in RelType
}

#: Every node held: uid, labels and properties.
SNAPSHOT_NODES = (
    f"MATCH (n:{ENTITY})\nRETURN n.uid AS uid, labels(n) AS labels, properties(n) AS props"
)

#: The nodes of ``$dataset``.
SNAPSHOT_NODES_OF = (
    f"MATCH (n:{ENTITY} {{dataset: $dataset}})\n"
    "RETURN n.uid AS uid, labels(n) AS labels, properties(n) AS props"
)

#: Every relation held between stored nodes.
SNAPSHOT_RELATIONS = (
    f"MATCH (a:{ENTITY})-[r]->(b:{ENTITY})\n"
    "RETURN r.uid AS uid, type(r) AS type, a.uid AS source, b.uid AS target, "
    "properties(r) AS props"
)

#: The relations of ``$dataset``.
SNAPSHOT_RELATIONS_OF = (
    f"MATCH (a:{ENTITY} {{dataset: $dataset}})-[r]->(b:{ENTITY})\n"
    "WHERE r.dataset = $dataset\n"
    "RETURN r.uid AS uid, type(r) AS type, a.uid AS source, b.uid AS target, "
    "properties(r) AS props"
)

#: The names of the datasets held.
DATASETS = f"MATCH (n:{ENTITY}) RETURN DISTINCT n.dataset AS dataset ORDER BY dataset"

#: Delete up to ``$limit`` relations of any kind (tests and benchmarks empty a database with it,
#: relations first so that no single batch has to detach a hub node's thousands of relations).
CLEAR_RELATIONS_BATCH = "MATCH ()-[r]->() WITH r LIMIT $limit\nDELETE r\nRETURN count(*) AS removed"

#: Delete up to ``$limit`` nodes of any kind.
CLEAR_NODES_BATCH = "MATCH (n) WITH n LIMIT $limit\nDETACH DELETE n\nRETURN count(*) AS removed"


# -- centrality write-back (shanzhi.graph.analytics.writeback) ------------------------------
#: Label of a stored run (never ``Entity``: the loader's sync must not see it).
RUN_LABEL = "CentralityRun"
#: Relationship type from a run to each member it scored.
SCORED = "SCORED"
CENTRALITY_SCHEMA = (
    f"CREATE CONSTRAINT centrality_run_uid IF NOT EXISTS "
    f"FOR (r:{RUN_LABEL}) REQUIRE r.uid IS UNIQUE",
    f"CREATE INDEX centrality_run_block IF NOT EXISTS FOR (r:{RUN_LABEL}) ON (r.block_uid)",
)

#: One block's run: the run node, then one SCORED relationship per member still in the graph.
WRITE_RUN = (
    f"CREATE (r:{RUN_LABEL})\n"
    "SET r = $run, r.ran_at = datetime($ran_at)\n"
    "WITH r\n"
    "UNWIND $rows AS row\n"
    f"MATCH (m:{ENTITY} {{uid: row.uid}})\n"
    f"CREATE (r)-[s:{SCORED}]->(m)\n"
    "SET s = row.scores\n"
    "RETURN count(s) AS written"
)


# -- one load of a dataset at a time (shanzhi.graph.stores.neo4j.lock) ----------------------
#: Label of a dataset's lock node (never ``Entity``: loads, stats and exports never see it).
LOCK_LABEL = "DatasetLock"
LOCK_SCHEMA = (
    f"CREATE CONSTRAINT dataset_lock IF NOT EXISTS "
    f"FOR (k:{LOCK_LABEL}) REQUIRE k.dataset IS UNIQUE",
)
#: Make sure the lock node of ``$dataset`` exists (committed before anyone takes it).
ENSURE_LOCK = f"MERGE (k:{LOCK_LABEL} {{dataset: $dataset}})"
#: Take the node's write lock (waits while another transaction holds it); ``$holder`` says who.
TAKE_LOCK = (
    f"MATCH (k:{LOCK_LABEL} {{dataset: $dataset}})\n"
    "SET k.holder = $holder, k.since = datetime()\n"
    "RETURN count(k) AS locked"
)
#: The number of the last load that changed ``$dataset`` (null: none yet).
LAST_LOAD = f"MATCH (l:{LOAD_LABEL} {{dataset: $dataset}})\nRETURN max(l.seq) AS last"
