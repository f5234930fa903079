"""Every SQL statement the embedded store sends, in one place; values only as ``?`` parameters.

The tables (one file, ``HOME/shanzhi.db``):

* ``nodes`` — one row per node: ``uid``, ``dataset``, ``label``, ``kind`` and ``level`` (the
  properties of those names, for the indexes), ``name``, ``fingerprint``, ``load_seq`` and
  ``props``: every stored property as JSON, exactly what a load was given (uid, dataset, id, name,
  fingerprint, the load stamps, source_file, source_line, …);
* ``relations`` — one row per relation: ``uid``, ``dataset``, ``type``, ``source``, ``target``,
  ``valid_from``, ``valid_to`` (ISO days or NULL, for the day filter), ``fingerprint``,
  ``load_seq`` and ``props`` (JSON, as for nodes);
* ``loads`` — the load records (:mod:`shanzhi.graph.stores.loads`) by dataset and number, as JSON;
* ``lookup_entries`` — the finder's index (:mod:`shanzhi.graph.stores.lookup`): each building's
  row (JSON) and digest, and ``lookup`` — its lookup keys, key → building uid;
* ``meta`` — key/value facts about the file (what converted it, when).

A statement that takes a list of uids takes it as one JSON array (``json_each(?)``), so the
statement text never depends on the values. Labels and relation types in the reads come from the
model's enums as parameters too.
"""

from __future__ import annotations

__all__ = [
    "APPLICATION_ID",
    "SCHEMA",
    "SCHEMA_VERSION",
]

#: ``PRAGMA application_id`` of a shanzhi store file ('szhi'), so a foreign SQLite file is known.
APPLICATION_ID = 0x737A6869
#: ``PRAGMA user_version``: the layout of the tables below.
SCHEMA_VERSION = 1

SCHEMA = (
    """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE nodes (
        uid TEXT PRIMARY KEY,
        dataset TEXT NOT NULL,
        label TEXT NOT NULL,
        kind TEXT,
        level TEXT,
        name TEXT,
        fingerprint TEXT NOT NULL,
        load_seq INTEGER,
        props TEXT NOT NULL
    )""",
    """CREATE INDEX nodes_by_dataset ON nodes (dataset, load_seq)""",
    """CREATE INDEX nodes_by_kind ON nodes (label, kind)""",
    """CREATE INDEX nodes_by_level ON nodes (label, level)""",
    """CREATE TABLE relations (
        uid TEXT PRIMARY KEY,
        dataset TEXT NOT NULL,
        type TEXT NOT NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        valid_from TEXT,
        valid_to TEXT,
        fingerprint TEXT NOT NULL,
        load_seq INTEGER,
        props TEXT NOT NULL
    )""",
    """CREATE INDEX relations_into ON relations (target, type)""",
    """CREATE INDEX relations_out_of ON relations (source, type)""",
    """CREATE INDEX relations_by_dataset ON relations (dataset, load_seq)""",
    """CREATE TABLE loads (
        dataset TEXT NOT NULL,
        seq INTEGER NOT NULL,
        props TEXT NOT NULL,
        PRIMARY KEY (dataset, seq)
    )""",
    """CREATE TABLE lookup_entries (
        uid TEXT PRIMARY KEY,
        dataset TEXT NOT NULL,
        digest TEXT NOT NULL,
        row TEXT NOT NULL
    )""",
    """CREATE INDEX lookup_entries_by_dataset ON lookup_entries (dataset)""",
    """CREATE TABLE lookup (
        key TEXT NOT NULL,
        uid TEXT NOT NULL,
        PRIMARY KEY (key, uid)
    ) WITHOUT ROWID""",
    """CREATE INDEX lookup_by_uid ON lookup (uid)""",
)

# -- the file ------------------------------------------------------------------------------------
TABLES = "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"
SET_META = """
INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value
"""
GET_META = "SELECT value FROM meta WHERE key = ?"
HOLDS_ANYTHING = """
SELECT EXISTS (SELECT 1 FROM nodes) OR EXISTS (SELECT 1 FROM loads)
    OR EXISTS (SELECT 1 FROM lookup_entries)
"""

# -- writing a load ------------------------------------------------------------------------------
UPSERT_NODE = """
INSERT INTO nodes (uid, dataset, label, kind, level, name, fingerprint, load_seq, props)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (uid) DO UPDATE SET
    dataset = excluded.dataset, label = excluded.label, kind = excluded.kind,
    level = excluded.level, name = excluded.name, fingerprint = excluded.fingerprint,
    load_seq = excluded.load_seq, props = excluded.props
"""
UPSERT_RELATION = """
INSERT INTO relations (uid, dataset, type, source, target, valid_from, valid_to, fingerprint,
                       load_seq, props)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (uid) DO UPDATE SET
    dataset = excluded.dataset, type = excluded.type, source = excluded.source,
    target = excluded.target, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
    fingerprint = excluded.fingerprint, load_seq = excluded.load_seq, props = excluded.props
"""
DELETE_RELATION = "DELETE FROM relations WHERE uid = ?"
DELETE_NODE = "DELETE FROM nodes WHERE uid = ?"
#: A removed node takes its relations with it (as a graph does), from both ends.
DELETE_RELATIONS_OUT_OF = "DELETE FROM relations WHERE source = ?"
DELETE_RELATIONS_INTO = "DELETE FROM relations WHERE target = ?"
UPSERT_LOOKUP_ENTRY = """
INSERT INTO lookup_entries (uid, dataset, digest, row) VALUES (?, ?, ?, ?)
ON CONFLICT (uid) DO UPDATE SET
    dataset = excluded.dataset, digest = excluded.digest, row = excluded.row
"""
DELETE_LOOKUP_ENTRY = "DELETE FROM lookup_entries WHERE uid = ?"
DELETE_LOOKUP_KEYS = "DELETE FROM lookup WHERE uid = ?"
INSERT_LOOKUP_KEY = "INSERT OR IGNORE INTO lookup (key, uid) VALUES (?, ?)"
INSERT_LOAD = "INSERT INTO loads (dataset, seq, props) VALUES (?, ?, ?)"
LAST_SEQ = "SELECT coalesce(max(seq), 0) FROM loads WHERE dataset = ?"

# -- sync and load records -----------------------------------------------------------------------
NODE_FINGERPRINTS = "SELECT uid, fingerprint FROM nodes WHERE dataset = ?"
RELATION_FINGERPRINTS = "SELECT uid, fingerprint FROM relations WHERE dataset = ?"
LOOKUP_DIGESTS = "SELECT uid, digest FROM lookup_entries WHERE dataset = ?"
#: The distinct datasets by one index seek each (a skip-scan), not a scan of every node.
DATASETS = """
WITH RECURSIVE d (name) AS (
    SELECT min(dataset) FROM nodes
    UNION ALL
    SELECT (SELECT min(dataset) FROM nodes WHERE dataset > d.name) FROM d WHERE d.name IS NOT NULL
)
SELECT name FROM d WHERE name IS NOT NULL
"""
LOADS = "SELECT props FROM loads WHERE dataset = ? ORDER BY seq"
#: A relation with the names of its ends (a change row names it "a → b").
_RELATION_NAMED = """
SELECT r.uid, r.type, r.props, s.name, t.name
FROM relations r LEFT JOIN nodes s ON s.uid = r.source LEFT JOIN nodes t ON t.uid = r.target
"""
NODES_NAMED = "SELECT uid, label, props FROM nodes WHERE uid IN (SELECT value FROM json_each(?))"
RELATIONS_NAMED = _RELATION_NAMED + "WHERE r.uid IN (SELECT value FROM json_each(?))"
NODES_STAMPED = "SELECT uid, label, props FROM nodes WHERE dataset = ? AND load_seq = ?"
RELATIONS_STAMPED = _RELATION_NAMED + "WHERE r.dataset = ? AND r.load_seq = ?"

# -- whole snapshots (export) --------------------------------------------------------------------
ALL_NODES = "SELECT uid, label, props FROM nodes"
ALL_RELATIONS = "SELECT uid, type, source, target, props FROM relations"
DATASET_NODES = ALL_NODES + " WHERE dataset = ?"
DATASET_RELATIONS = ALL_RELATIONS + " WHERE dataset = ?"

# -- reads: the finder's rows --------------------------------------------------------------------
NODE = "SELECT label, props FROM nodes WHERE uid = ?"
NODES_OF_KIND = "SELECT uid, props FROM nodes WHERE label = ? AND kind = ?"
NODES_OF_LEVEL = "SELECT uid, props FROM nodes WHERE label = ? AND level = ?"
#: The places each building (label, kind) is PART_OF.
BUILDING_PARENTS = """
SELECT r.source, p.props
FROM nodes b
JOIN relations r ON r.source = b.uid AND r.type = :part_of
JOIN nodes p ON p.uid = r.target AND p.label = :place
WHERE b.label = :place AND b.kind = :building
"""

#: The rows of the buildings having any of the keys (a JSON array), by uid, at most :limit.
BUILDING_CANDIDATES = """
SELECT e.row FROM lookup_entries e
WHERE e.uid IN (SELECT l.uid FROM lookup l WHERE l.key IN (SELECT value FROM json_each(:keys)))
ORDER BY e.uid
LIMIT :limit
"""

# -- reads: who covers (a walk over a few nodes, each step one index seek) -----------------------
#: ``valid_from <= :on <= valid_to``, open ends allowed (rules.valid_on).
_VALID = (
    "(r.valid_from IS NULL OR r.valid_from <= :on) AND (r.valid_to IS NULL OR :on <= r.valid_to)"
)
#: A node's in-edges valid on a day, but the PART_OF ones (children are never asked for), with
#: the label and properties of their sources.
INTO = f"""
SELECT r.type, r.source, r.props, s.label, s.props
FROM relations r JOIN nodes s ON s.uid = r.source
WHERE r.target = :target AND r.type != :part_of AND {_VALID}
"""
#: The targets of a node's out-edges of one type valid on a day, with their label.
OUT_OF = f"""
SELECT r.target, t.label, t.props
FROM relations r JOIN nodes t ON t.uid = r.target
WHERE r.source = :source AND r.type = :type AND {_VALID}
"""
#: :data:`INTO` of every day, with each edge's validity, in index order (type, then rowid): what
#: :class:`~shanzhi.graph.stores.embedded.facts.Neighbourhood` keeps for walks on many days.
#: Nor LOCATED_IN: who-covers never asks what lies in a place (a road: every building on it).
INTO_ANY_DAY = """
SELECT r.type, r.source, r.props, r.valid_from, r.valid_to, s.label, s.props
FROM relations r JOIN nodes s ON s.uid = r.source
WHERE r.target = :target AND r.type NOT IN (:part_of, :located_in)
ORDER BY r.type, r.rowid
"""
#: :data:`INTO_ANY_DAY` of many nodes (a JSON array of uids) at once, by target.
INTO_ANY_DAY_MANY = """
SELECT r.target, r.type, r.source, r.props, r.valid_from, r.valid_to, s.label, s.props
FROM relations r JOIN nodes s ON s.uid = r.source
WHERE r.target IN (SELECT value FROM json_each(:targets))
  AND r.type NOT IN (:part_of, :located_in)
ORDER BY r.target, r.type, r.rowid
"""
#: :data:`OUT_OF` of every day, with each edge's validity, in index order (rowid).
OUT_OF_ANY_DAY = """
SELECT r.target, r.valid_from, r.valid_to, t.label, t.props
FROM relations r JOIN nodes t ON t.uid = r.target
WHERE r.source = :source AND r.type = :type
ORDER BY r.rowid
"""
#: :data:`OUT_OF_ANY_DAY` of many nodes (a JSON array of uids) at once, by source.
OUT_OF_ANY_DAY_MANY = """
SELECT r.source, r.target, r.valid_from, r.valid_to, t.label, t.props
FROM relations r JOIN nodes t ON t.uid = r.target
WHERE r.source IN (SELECT value FROM json_each(:sources)) AND r.type = :type
ORDER BY r.source, r.rowid
"""

# -- reads: audit (whole-graph questions; each one query) ----------------------------------------
_KIND = "coalesce({0}.level, {0}.kind)"
AUDIT_UNCOVERED_BUILDINGS = f"""
SELECT b.props FROM nodes b
WHERE b.label = :place AND {_KIND.format("b")} = :building
  AND NOT EXISTS (
    SELECT 1 FROM relations r JOIN nodes g ON g.uid = r.source
    WHERE r.target = b.uid AND r.type = :covers AND g.label = :grid AND {_VALID})
"""
AUDIT_UNLED_GRIDS = f"""
SELECT g.props FROM nodes g
WHERE g.label = :grid
  AND NOT EXISTS (
    SELECT 1 FROM relations r JOIN nodes o ON o.uid = r.source
    WHERE r.target = g.uid AND r.type = :leads AND o.label = :org
      AND o.kind IN (SELECT value FROM json_each(:party_kinds)) AND {_VALID})
"""
#: Every 楼管小组 with each member valid that day (none: one row of NULLs) and whether the
#: member is a party member (``party_member`` is JSON true).
AUDIT_GROUP_MEMBERS = f"""
SELECT g.uid, g.props, p.uid, json_type(p.props, '$.party_member') = 'true'
FROM nodes g
LEFT JOIN relations r ON r.target = g.uid AND r.type = :member_of AND {_VALID}
LEFT JOIN nodes p ON p.uid = r.source AND p.label = :person
WHERE g.label = :org AND {_KIND.format("g")} = :group
"""
AUDIT_BRANCHES_WITHOUT_LIAISON = f"""
SELECT b.props FROM nodes b
WHERE b.label = :org AND {_KIND.format("b")} = :branch
  AND NOT EXISTS (
    SELECT 1 FROM relations r JOIN nodes g ON g.uid = r.target
    WHERE r.source = b.uid AND r.type = :leads AND g.label = :grid
      AND (g.level IS NULL OR g.level != :branch_level) AND {_VALID})
  AND NOT EXISTS (
    SELECT 1 FROM relations r JOIN nodes p ON p.uid = r.source
    WHERE r.target = b.uid AND r.type = :liaises AND p.label = :person AND {_VALID})
"""
#: Every post a person holds (any day), with what it is held on.
AUDIT_POSTS = """
SELECT r.target, t.label, t.props, r.source, json_extract(r.props, '$.role'),
       r.valid_from, r.valid_to
FROM relations r
JOIN nodes p ON p.uid = r.source AND p.label = :person
JOIN nodes t ON t.uid = r.target
WHERE r.type = :holds
"""
#: The nodes of one label and level-or-kind (those that need a post).
NODES_OF_LEVEL_OR_KIND = f"""
SELECT uid, label, props FROM nodes n WHERE n.label = :label AND {_KIND.format("n")} = :kind
"""

# -- reads: the 善治朋友圈 (dates are not considered) --------------------------------------------
#: The grid :block and every grid PART_OF it, any depth.
GRIDS_UNDER = """
WITH RECURSIVE under (uid) AS (
    SELECT :block
    UNION
    SELECT r.source FROM under u
    JOIN relations r ON r.target = u.uid AND r.type = :part_of
    JOIN nodes s ON s.uid = r.source AND s.label = :grid
)
SELECT uid FROM under
"""
#: Sources of one type of in-edge into a node, with their label and properties.
SOURCES_INTO = """
SELECT r.source, s.label, s.props
FROM relations r JOIN nodes s ON s.uid = r.source
WHERE r.target = :target AND r.type = :type
"""
#: Whether :org, or an Org it is PART_OF (any depth), LEADS or SERVES one of the grids :under.
GOVERNS_ANY = """
WITH RECURSIVE up (uid) AS (
    SELECT :org
    UNION
    SELECT r.target FROM up
    JOIN relations r ON r.source = up.uid AND r.type = :part_of
    JOIN nodes t ON t.uid = r.target AND t.label = :org_label
)
SELECT EXISTS (
    SELECT 1 FROM up JOIN relations r ON r.source = up.uid
    WHERE r.type IN (SELECT value FROM json_each(:govern))
      AND r.target IN (SELECT value FROM json_each(:under))
)
"""
#: Out-edges of the members (a JSON array of uids) of the given types, with their targets.
OUT_OF_MANY = """
SELECT r.source, r.type, r.target, t.label, t.props
FROM relations r JOIN nodes t ON t.uid = r.target
WHERE r.source IN (SELECT value FROM json_each(:sources))
  AND r.type IN (SELECT value FROM json_each(:types))
"""
#: In-edges into the members of the given types from sources of one label.
INTO_MANY = """
SELECT r.target, r.source, s.props
FROM relations r JOIN nodes s ON s.uid = r.source AND s.label = :label
WHERE r.target IN (SELECT value FROM json_each(:targets))
  AND r.type IN (SELECT value FROM json_each(:types))
"""

# -- reads: stats --------------------------------------------------------------------------------
_NODE_COUNTS = "SELECT label, coalesce(level, kind), count(*) FROM nodes"
_RELATION_COUNTS = """
SELECT r.type, t.label, coalesce(t.level, t.kind), count(*)
FROM relations r JOIN nodes t ON t.uid = r.target
"""
NODE_COUNTS = _NODE_COUNTS + " GROUP BY 1, 2"
NODE_COUNTS_OF = _NODE_COUNTS + " WHERE dataset = ? GROUP BY 1, 2"
RELATION_COUNTS = _RELATION_COUNTS + " GROUP BY 1, 2, 3"
RELATION_COUNTS_OF = _RELATION_COUNTS + " WHERE r.dataset = ? GROUP BY 1, 2, 3"
HOLDS_DATASET = "SELECT EXISTS (SELECT 1 FROM nodes WHERE dataset = ?)"
