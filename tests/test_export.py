"""`shanzhi export` from either store: GraphML and GEXF open in networkx with the store's counts,
neo4j-admin CSV follows the ``neo4j-admin database import full`` header format, and the two stores
export the same thing. The CSV is also imported for real with Neo4j's own import tool (the one
``scripts/neo4j-local`` builds with the server) and served: the graph comes back unchanged.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from shanzhi.cli import main
from shanzhi.config import Settings
from shanzhi.graph.export import export
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.graph.stores.snapshot import Snapshot
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path

REPO = Path(__file__).resolve().parents[1]
LOCAL = REPO / "scripts" / "neo4j-local"
IMPORT_LIB = REPO / "tools" / "neo4j-launcher" / "target" / "lib"

#: Property types of the neo4j-admin header format that a shanzhi export may use.
HEADER_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(:(long|double|boolean|string\[\]))?$")


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return load_dataset(sample_path())


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, sample: Dataset) -> Path:
    """An embedded store's home holding the sample."""
    path = tmp_path_factory.mktemp("embedded")
    load(EmbeddedStore(path), sample)
    return path


@pytest.fixture(scope="module")
def neo4j_sample(neo4j_settings: Settings, sample: Dataset) -> Iterator[Neo4jStore]:
    """The sample in an emptied Neo4j, for the whole module."""
    store = Neo4jStore.connect(neo4j_settings)
    try:
        store.clear()
        load(store, sample)
        yield store
        store.clear()
    finally:
        store.close()


def _env(settings: Settings, home: Path) -> dict[str, str]:
    return {
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "SHANZHI_HOME": str(home),
        "SHANZHI_STORE": "",
    }


def exported(store: str, fmt: str, out: Path, env: dict[str, str], *extra: str) -> Path:
    """Run `shanzhi --store STORE export --format FMT -o OUT` and return OUT."""
    args = ["--store", store, "export", "--format", fmt, "-o", str(out), *extra]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    return out


def _read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


# -- GraphML and GEXF ------------------------------------------------------------------------


@pytest.mark.neo4j
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("store", ["embedded", "neo4j"])
def test_opens_in_networkx_with_the_store_counts(
    fmt: str,
    store: str,
    home: Path,
    neo4j_sample: Neo4jStore,
    neo4j_settings: Settings,
    tmp_path: Path,
) -> None:
    out = exported(store, fmt, tmp_path / f"sample.{fmt}", _env(neo4j_settings, home))
    snap = neo4j_sample.snapshot()
    g = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert g.is_directed() and g.is_multigraph()
    assert g.number_of_nodes() == len(snap.nodes) == 844
    assert g.number_of_edges() == len(snap.relations) == 1533
    assert set(g.nodes) == set(snap.nodes)
    b12 = g.nodes["gonghexinlu:P-JLMZ-B12"]
    model, kind = ("label", "type") if fmt == "graphml" else ("entity", "relation")
    assert (b12[model], b12["name"], b12["aliases"]) == (
        "Place", "嘉利明珠城12号楼", "嘉利明珠城12号|嘉利12号楼",
    )  # fmt: skip
    assert g.nodes["gonghexinlu:H-0001"]["phone"] == "138****0001"
    holds = [
        d for _, _, d in g.in_edges("gonghexinlu:P-ROAD-GHXL", data=True) if d[kind] == "HOLDS"
    ]
    assert len(holds) == 16 and {d["role"] for d in holds} == {"路长"}
    if fmt == "gexf":  # Gephi shows the label: the name, and the type on edges
        assert b12["label"] == "嘉利明珠城12号楼" and b12["record_id"] == "P-JLMZ-B12"
        assert {d["label"] for d in holds} == {"HOLDS"}
        assert 'mode="static"' in out.read_text(encoding="utf-8")
        assert g.nodes["gonghexinlu:J-CITY-1"]["record_start"] == "2023-03-31"
    types = {d[kind] for _, _, d in g.edges(data=True)}
    assert types == {r.type for r in snap.relations.values()}


@pytest.mark.neo4j
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_both_stores_export_the_same_graph(
    fmt: str, home: Path, neo4j_sample: Neo4jStore, neo4j_settings: Settings, tmp_path: Path
) -> None:
    env = _env(neo4j_settings, home)
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    a = read(exported("embedded", fmt, tmp_path / f"e.{fmt}", env))
    b = read(exported("neo4j", fmt, tmp_path / f"n.{fmt}", env))
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))

    def edges(g: nx.MultiDiGraph) -> list[tuple[str, str, str, list[tuple[str, object]]]]:
        return sorted((u, v, k, sorted(d.items())) for u, v, k, d in g.edges(keys=True, data=True))

    assert edges(a) == edges(b)


def test_show_contact_keeps_phones(home: Path, tmp_path: Path) -> None:
    out = exported(
        "embedded", "graphml", tmp_path / "c.graphml", {"SHANZHI_HOME": str(home)}, "--show-contact"
    )
    assert nx.read_graphml(out).nodes["gonghexinlu:H-0001"]["phone"] == "13800000001"


# -- neo4j-admin CSV ---------------------------------------------------------------------------


def _check_admin_csv(folder: Path, snap: Snapshot) -> None:
    node_files = sorted(folder.glob("nodes_*.csv"))
    rel_files = sorted(folder.glob("relationships_*.csv"))
    assert [p.stem for p in node_files] == [
        f"nodes_{lab}" for lab in sorted({n.label for n in snap.nodes.values()})
    ]
    ids: set[str] = set()
    typed: dict[str, str] = {}
    for path in node_files:
        header, rows = _read_table(path)
        assert header[:2] == ["uid:ID(Entity)", ":LABEL"], path.name
        label = path.stem.removeprefix("nodes_")
        assert {row[1] for row in rows} == {f"Entity;{label}"}
        ids |= {row[0] for row in rows}
        typed |= _check_fields(path, header, 2, rows)
    assert ids == set(snap.nodes)
    rels = 0
    for path in rel_files:
        header, rows = _read_table(path)
        assert header[:3] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"], path.name
        rtype = path.stem.removeprefix("relationships_")
        assert {row[2] for row in rows} == {rtype}
        assert all(row[0] in ids and row[1] in ids for row in rows)
        typed |= _check_fields(path, header, 3, rows)
        rels += len(rows)
    assert rels == len(snap.relations)
    assert typed["source_line"] == "long"
    assert typed["party_member"] == "boolean"
    assert typed["aliases"] == "string[]"
    assert typed["valid_from"] == typed["phone"] == typed["name"] == "string"
    script = (folder / "import.sh").read_text(encoding="utf-8")
    assert "neo4j-admin database import full \"$@\" '--array-delimiter=;'" in script
    assert script.count("--nodes=") == len(node_files)
    assert script.count("--relationships=") == len(rel_files)


def _check_fields(
    path: Path, header: list[str], fixed: int, rows: list[list[str]]
) -> dict[str, str]:
    """Every property column is `name` or `name:type`, and its cells parse as that type."""
    found: dict[str, str] = {}
    for i, field in enumerate(header[fixed:], start=fixed):
        assert HEADER_FIELD.match(field), (path.name, field)
        name, _, kind = field.partition(":")
        cells = [row[i] for row in rows if row[i]]
        if kind == "long":
            assert all(re.fullmatch(r"-?\d+", c) for c in cells), (path.name, field)
        elif kind == "boolean":
            assert set(cells) <= {"true", "false"}, (path.name, field)
        found[name] = kind or "string"
    return found


@pytest.mark.neo4j
@pytest.mark.parametrize("store", ["embedded", "neo4j"])
def test_neo4j_admin_csv_follows_the_import_format(
    store: str, home: Path, neo4j_sample: Neo4jStore, neo4j_settings: Settings, tmp_path: Path
) -> None:
    folder = exported(store, "neo4j-admin-csv", tmp_path / "import", _env(neo4j_settings, home))
    _check_admin_csv(folder, neo4j_sample.snapshot())


@pytest.mark.neo4j
def test_both_stores_write_the_same_csv_files(
    home: Path, neo4j_sample: Neo4jStore, neo4j_settings: Settings, tmp_path: Path
) -> None:
    env = _env(neo4j_settings, home)
    a = exported("embedded", "neo4j-admin-csv", tmp_path / "a", env)
    b = exported("neo4j", "neo4j-admin-csv", tmp_path / "b", env)
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_a_masked_node_loses_its_fingerprint(home: Path, tmp_path: Path) -> None:
    """Else, once imported, the next `shanzhi load` would take the masked node for up to date."""
    snap = EmbeddedStore(home).snapshot()
    export(snap, "neo4j-admin-csv", tmp_path / "masked")
    export(snap, "neo4j-admin-csv", tmp_path / "shown", show_contact=True)
    for folder, fingerprinted in (("masked", False), ("shown", True)):
        header, rows = _read_table(tmp_path / folder / "nodes_Person.csv")
        row = next(r for r in rows if r[0] == "gonghexinlu:H-0001")
        assert bool(row[header.index("fingerprint")]) is fingerprinted


# -- a real import ---------------------------------------------------------------------------


def _local(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SHANZHI_NEO4J_DIR": str(data_dir), "SHANZHI_NEO4J_HEAP": "1g"}
    env |= {"SHANZHI_NEO4J_PAGECACHE": "128m", "SHANZHI_NEO4J_TIMEOUT": "300"}
    return subprocess.run(
        [str(LOCAL), *args], capture_output=True, text=True, env=env, timeout=600, check=False
    )


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_admin_imports_the_csv_and_serves_the_same_graph(
    neo4j_sample: Neo4jStore, tmp_path: Path
) -> None:
    if not IMPORT_LIB.is_dir():  # scripts/neo4j-local builds it with the server
        pytest.fail(f"{IMPORT_LIB} is missing: run scripts/neo4j-local build", pytrace=False)
    before = neo4j_sample.snapshot()
    folder = tmp_path / "import"
    export(before, "neo4j-admin-csv", folder, show_contact=True)
    data_dir = tmp_path / "neo4j"
    (data_dir / "conf").mkdir(parents=True)
    (data_dir / "conf" / "neo4j.conf").write_text("", encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    admin = bin_dir / "neo4j-admin"
    admin.write_text(
        "#!/bin/sh\n"
        f'export NEO4J_HOME="{data_dir}" NEO4J_CONF="{data_dir}/conf"\n'
        f'exec java -Xmx1g -cp "{IMPORT_LIB}/*" org.neo4j.cli.AdminTool "$@"\n',
        encoding="utf-8",
    )
    admin.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    done = subprocess.run(
        [str(folder / "import.sh")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "844 nodes" in done.stdout and "1533 relationships" in done.stdout
    started = _local(data_dir, "start")
    try:
        assert started.returncode == 0, started.stderr[-2000:]
        uri = started.stdout.strip().splitlines()[-1]
        settings = Settings(store="neo4j", neo4j_uri=uri, neo4j_password="shanzhi-test")
        with Neo4jStore.connect(settings) as imported:
            after = imported.snapshot()
    finally:
        _local(data_dir, "stop")
    assert after.nodes == before.nodes
    assert after.relations == before.relations
