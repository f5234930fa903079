"""Every link is a relationship: ``orgs.place_id``, ``projects.grid_id`` and ``places.road_id``
each give a ``LOCATED_IN`` relation (docs/records.md), on both stores, beside the column.

The expected relations are read from the sample's CSV files with the ``csv`` module alone (not
the loaders), so the loader, the sync and each store are checked against the files themselves:
every link is there once, with its uid, provenance and fingerprint, and nothing else is.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from shanzhi.graph.model import Provenance, Relation, RelType
from shanzhi.graph.model.dataset import StoredRelation
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.interface import GraphStore
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path

DATASET = "gonghexinlu"
LOCATED_IN = RelType.LOCATED_IN.value
#: table → (its column that names where the record is, the label the column points to)
COLUMNS = {
    "orgs": ("place_id", "Place"),
    "projects": ("grid_id", "Grid"),
    "places": ("road_id", "Place"),
}


def _links() -> dict[tuple[str, str], tuple[str, int]]:
    """(source id, target id) → (file, line) of every filled column of COLUMNS in the sample."""
    found: dict[tuple[str, str], tuple[str, int]] = {}
    for table, (column, _) in COLUMNS.items():
        path = sample_path() / f"{table}.csv"
        with path.open(encoding="utf-8-sig", newline="") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                if row[column]:
                    found[(row["id"], row[column])] = (path.name, line)
    return found


LINKS = _links()


def test_the_sample_has_a_link_in_every_column() -> None:
    by_file: dict[str, int] = {}
    for file, _ in LINKS.values():
        by_file[file] = by_file.get(file, 0) + 1
    # every organisation and project names where it is; 53 places face a road
    assert by_file == {"orgs.csv": 191, "projects.csv": 181, "places.csv": 53}


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path_factory.mktemp("located") / "home")
    load(store, load_dataset(sample_path()))
    yield store
    store.close()


@pytest.fixture(params=["embedded", "neo4j"])
def store(request: pytest.FixtureRequest) -> GraphStore:
    """The sample loaded in each store (Neo4j: ``sample_store`` of tests/neo4j_fixtures.py)."""
    name = "embedded" if request.param == "embedded" else "sample_store"
    found: GraphStore = request.getfixturevalue(name)
    return found


def _located(store: GraphStore) -> dict[tuple[str, str], StoredRelation]:
    prefix = f"{DATASET}:"
    out: dict[tuple[str, str], StoredRelation] = {}
    for rel in store.snapshot(DATASET).relations.values():
        if rel.type == LOCATED_IN:
            key = (rel.source.removeprefix(prefix), rel.target.removeprefix(prefix))
            assert key not in out, f"two LOCATED_IN for {key}"
            out[key] = rel
    return out


def test_every_link_is_a_located_in_relationship(store: GraphStore) -> None:
    located = _located(store)
    assert set(located) == set(LINKS)
    snap = store.snapshot(DATASET)
    for (source, target), (file, line) in LINKS.items():
        rel = located[(source, target)]
        assert rel.uid == f"{DATASET}:{source}|{LOCATED_IN}|{target}||"
        assert (rel.props["source_file"], rel.props["source_line"]) == (file, line)
        # the fingerprint is the validated record's: a reload of the same files writes nothing
        made = Relation(
            source_id=source,
            type=RelType.LOCATED_IN,
            target_id=target,
            provenance=Provenance(file=file, line=line),
        )
        assert rel.props["fingerprint"] == made.fingerprint
        table = file.removesuffix(".csv")
        column, label = COLUMNS[table]
        assert snap.nodes[rel.target].label == label
        # the column stays beside the relationship (who-covers reads road_id)
        assert snap.nodes[rel.source].props[column] == target


def test_the_stats_count_them(store: GraphStore) -> None:
    counts = store.stats_counts(DATASET)
    assert counts["relations_by_type"][LOCATED_IN] == len(LINKS)


def test_cypher_finds_where_every_organisation_sits(sample_store: Neo4jStore) -> None:
    rows = sample_store.query(
        "MATCH (o:Org)-[r:LOCATED_IN]->(p:Place) WHERE o.dataset = $dataset "
        "RETURN o.id AS org, p.id AS place, r.source_file AS file, r.source_line AS line",
        {"dataset": DATASET},
    )
    expected = {k: v for k, v in LINKS.items() if v[0] == "orgs.csv"}
    assert {(r["org"], r["place"]): (r["file"], r["line"]) for r in rows} == expected
    assert len(rows) == len(expected) == 191


def test_cypher_finds_where_projects_land_and_what_road_a_place_faces(
    sample_store: Neo4jStore,
) -> None:
    rows = sample_store.query(
        "MATCH (a)-[:LOCATED_IN]->(b) WHERE a.dataset = $dataset AND (a:Project OR a:Place) "
        "RETURN a.id AS source, b.id AS target, b:Grid AS grid, b.kind AS kind",
        {"dataset": DATASET},
    )
    expected = {k for k, v in LINKS.items() if v[0] != "orgs.csv"}
    assert {(r["source"], r["target"]) for r in rows} == expected
    places = {r["source"] for r in rows if not r["grid"]}
    assert all(r["kind"] == "road" for r in rows if r["source"] in places)


def test_a_reload_of_the_same_files_changes_nothing(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "home")
    try:
        load(store, load_dataset(sample_path()))
        dataset = load_dataset(sample_path())
        again = load(store, dataset)
        assert not again.changed and again.relations.unchanged == len(dataset.relations)
    finally:
        store.close()


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "neo4j-admin-csv"])
def test_the_exports_carry_them(embedded: EmbeddedStore, fmt: str, tmp_path: Path) -> None:
    import networkx as nx

    from shanzhi.graph.export import export

    out = tmp_path / ("csv" if fmt == "neo4j-admin-csv" else f"sample.{fmt}")
    report = export(embedded.snapshot(DATASET), fmt, out)
    prefix = f"{DATASET}:"
    if fmt == "neo4j-admin-csv":
        with (out / f"relationships_{LOCATED_IN}.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))[1:]
        pairs = {(r[0], r[1]) for r in rows if r[2] == LOCATED_IN}
        assert len(rows) == len(pairs)
    else:
        g = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
        kind = "type" if fmt == "graphml" else "relation"
        edges = [(s, t) for s, t, d in g.edges(data=True) if d[kind] == LOCATED_IN]
        pairs = set(edges)
        assert len(edges) == len(pairs)
    assert {(s.removeprefix(prefix), t.removeprefix(prefix)) for s, t in pairs} == set(LINKS)
    assert report["relations"] == len(embedded.snapshot(DATASET).relations)


def test_the_pictures_draw_them_as_weiyu(embedded: EmbeddedStore) -> None:
    from shanzhi.viz.views import ego

    pic = ego(embedded, "O-PWC")
    drawn = {(e.source, e.target): e for e in pic.edges if e.type == LOCATED_IN}
    # orgs.csv: the 街道党工委 sits at 共和新路街道
    mine = drawn[(f"{DATASET}:O-PWC", f"{DATASET}:P-STREET")]
    assert mine.title == "位于" and not mine.hidden
