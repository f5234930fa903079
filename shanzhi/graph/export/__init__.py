"""Exports for other tools: GraphML and GEXF (Gephi, networkx), and neo4j-admin import CSV.

All three are written from a :class:`~shanzhi.graph.stores.snapshot.Snapshot`, so they come out the
same from either store. Phones are masked unless ``show_contact``.

GraphML holds the networkx shape of the snapshot (``label``: the model label, then the record's
properties; edges ``type``). In GEXF, ``id``, ``label``, ``type``, ``start``/``end`` … are GEXF's
own, so there nodes are labelled by their name (as Gephi shows them) with the model label as
``entity``, edges carry their type as ``label`` and ``relation``, and a record's properties of
those names are kept as ``record_id``, ``record_start`` ….

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

from shanzhi.errors import UsageError
from shanzhi.graph.stores.snapshot import Snapshot
from shanzhi.privacy import mask_phone

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


#: Keys networkx's GEXF writer takes for GEXF's own (node id and label, spells, edge id, key,
#: type, weight): a record's properties of those names are written under another name.
_GEXF_RENAMED = {
    k: f"record_{k}" for k in ("id", "label", "pid", "start", "end", "viz", "key", "type", "weight")
}


def _gexf_graph(snap: Snapshot, show_contact: bool) -> nx.MultiDiGraph:
    """The GEXF shape: the uid as id, the name as label (what Gephi shows), the model label as
    ``entity`` and the relation type as ``relation`` (GEXF's own edge ``type`` is its direction).
    """
    g = nx.MultiDiGraph()
    for n in snap.nodes.values():
        props = _flat(_masked(n.props, show_contact))
        attrs = {_GEXF_RENAMED.get(k, k): v for k, v in props.items()}
        name = str(n.props.get("name") or n.uid)
        g.add_nodes_from([(n.uid, {**attrs, "label": name, "entity": n.label})])
    for r in snap.relations.values():
        attrs = {_GEXF_RENAMED.get(k, k): v for k, v in _flat(dict(r.props)).items()}
        edge = {**attrs, "id": r.uid, "label": r.type, "relation": r.type}
        g.add_edges_from([(r.source, r.target, r.uid, edge)])
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
        if props.get("phone") != n.props.get("phone"):
            # A masked node must not carry its source's fingerprint: after an import the next
            # `shanzhi load` would take it for up to date and never put the phone back.
            props.pop("fingerprint", None)
        by_label[n.label].append(([n.uid, f"Entity;{n.label}"], props))
    by_type: dict[str, list[tuple[list[object], dict[str, object]]]] = defaultdict(list)
    for r in sorted(snap.relations.values(), key=lambda r: r.uid):
        by_type[r.type].append(([r.source, r.target, r.type], dict(r.props)))
    written: list[Path] = []
    args = [f"--array-delimiter={ARRAY_DELIMITER}"]
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
    # Extra arguments go before the files: --nodes/--relationships take every word after them,
    # so a database name at the end would be read as one more file (the default is neo4j).
    script.write_text(
        "#!/bin/sh\n# Load these files into an empty, stopped database; shanzhi creates its\n"
        "# constraints on the first `shanzhi --store neo4j load`. Arguments are passed on, e.g.\n"
        "#   ./import.sh --overwrite-destination=true mydb\n"
        'cd "$(dirname "$0")" && exec neo4j-admin database import full "$@" '
        + " ".join(shlex.quote(a) for a in args)
        + "\n",
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
    if fmt == "graphml":
        nx.write_graphml(_simple_graph(snap, show_contact), out)
    else:
        nx.write_gexf(_gexf_graph(snap, show_contact), out)
    return [out]
