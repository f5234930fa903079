"""Exports for other tools: GraphML and GEXF (Gephi, networkx), and neo4j-admin import CSV.

All three are written from a :class:`~shanzhi.graph.snapshot.Snapshot`, so they come out the
same from either store. Phones are masked unless ``show_contact``.

neo4j-admin CSV follows the ``neo4j-admin database import full`` header format: one node file per
label (``uid:ID(Entity)``, ``:LABEL``, typed properties such as ``source_line:long``,
``party_member:boolean``, ``aliases:string[]``) and one relationship file per type
(``:START_ID(Entity)``, ``:END_ID(Entity)``, ``:TYPE``, properties), plus ``import.sh`` with the
command that loads them.
"""

from __future__ import annotations

import csv
import shlex
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

import networkx as nx

from shanzhi.graph.errors import UsageError
from shanzhi.graph.privacy import mask_phone
from shanzhi.graph.snapshot import Snapshot

__all__ = ["FORMATS", "export"]

FORMATS = ("graphml", "gexf", "neo4j-admin-csv")
ARRAY_DELIMITER = ";"


def _masked(props: Mapping[str, object], show_contact: bool) -> dict[str, object]:
    if show_contact or not props.get("phone"):
        return dict(props)
    return {**props, "phone": mask_phone(str(props["phone"]))}


def _flat(props: dict[str, object]) -> dict[str, object]:
    """GraphML/GEXF take scalars only: lists are joined with '|', missing values dropped."""
    return {
        k: ("|".join(map(str, v)) if isinstance(v, list) else v)
        for k, v in props.items()
        if v is not None
    }


def _simple_graph(snap: Snapshot, show_contact: bool) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for n in snap.nodes.values():
        g.add_nodes_from([(n.uid, _flat({"label": n.label, **_masked(n.props, show_contact)}))])
    for r in snap.relations.values():
        g.add_edges_from([(r.source, r.target, r.uid, _flat({"type": r.type, **r.props}))])
    return g


def _neo4j_type(values: Iterable[object]) -> str:
    kinds = {type(v) for v in values if v is not None}
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "long"
    if kinds and kinds <= {int, float}:
        return "double"
    if kinds == {list}:
        return "string[]"
    return "string"


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(map(str, value))
    return value


def _write_table(
    path: Path, fixed: list[str], rows: list[tuple[list[object], dict[str, object]]]
) -> None:
    keys = sorted({k for _, props in rows for k in props})
    types = {k: _neo4j_type(props.get(k) for _, props in rows) for k in keys}
    header = fixed + [k if types[k] == "string" else f"{k}:{types[k]}" for k in keys]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for head, props in rows:
            w.writerow([*head, *(_cell(props.get(k)) for k in keys)])


def _neo4j_admin_csv(snap: Snapshot, out: Path, show_contact: bool) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    by_label: dict[str, list[tuple[list[object], dict[str, object]]]] = defaultdict(list)
    for n in sorted(snap.nodes.values(), key=lambda n: n.uid):
        props = {k: v for k, v in _masked(n.props, show_contact).items() if k != "uid"}
        by_label[n.label].append(([n.uid, f"Entity;{n.label}"], props))
    by_type: dict[str, list[tuple[list[object], dict[str, object]]]] = defaultdict(list)
    for r in sorted(snap.relations.values(), key=lambda r: r.uid):
        by_type[r.type].append(([r.source, r.target, r.type], dict(r.props)))
    written: list[Path] = []
    args = ["neo4j-admin", "database", "import", "full", f"--array-delimiter={ARRAY_DELIMITER}"]
    for label, rows in sorted(by_label.items()):
        path = out / f"nodes_{label}.csv"
        _write_table(path, ["uid:ID(Entity)", ":LABEL"], rows)
        written.append(path)
        args.append(f"--nodes={path.name}")
    for rtype, rows in sorted(by_type.items()):
        path = out / f"relationships_{rtype}.csv"
        _write_table(path, [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"], rows)
        written.append(path)
        args.append(f"--relationships={path.name}")
    script = out / "import.sh"
    script.write_text(
        "#!/bin/sh\n# Load these files into an empty, stopped database; shanzhi creates its\n"
        "# constraints on the first `shanzhi --store neo4j load`.\n"
        'cd "$(dirname "$0")" && exec ' + " ".join(shlex.quote(a) for a in args) + ' "$@" neo4j\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return [*written, script]


def export(snap: Snapshot, fmt: str, out: Path, show_contact: bool = False) -> list[Path]:
    """Write ``snap`` in format ``fmt`` to ``out`` (a file for graphml/gexf, a folder for CSV)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    if fmt == "neo4j-admin-csv":
        return _neo4j_admin_csv(snap, out, show_contact)
    out.parent.mkdir(parents=True, exist_ok=True)
    g = _simple_graph(snap, show_contact)
    if fmt == "graphml":
        nx.write_graphml(g, out)
    else:
        nx.write_gexf(g, out)
    return [out]
