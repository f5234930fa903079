"""GEXF for Gephi: one file, dynamic, so Gephi's timeline plays posts and 路长 rotations.

In GEXF, ``id``, ``label``, ``type``, ``start``/``end`` … are GEXF's own, so nodes are labelled
by their name (as Gephi shows them) with the model label as ``entity``; edges carry their type as
``label`` and ``relation`` (GEXF's own edge ``type`` is its direction); a record's properties of
those names are kept as ``record_id``, ``record_start`` ….

The graph is ``mode="dynamic"`` with ``timeformat="date"`` whenever any record has a date: a
relation's spell is ``valid_from``…``valid_to`` (both inclusive, as in GEXF; an open end stays
open) and a project's is its ``start``…``end``. Records without dates are there all the time.

>>> from shanzhi.graph.model.dataset import StoredNode, StoredRelation
>>> from shanzhi.graph.stores.snapshot import Snapshot
>>> people = [StoredNode("d:P1", "Person", {"name": "张三"}), StoredNode("d:R", "Place", {})]
>>> post = StoredRelation("d:h", "HOLDS", "d:P1", "d:R", {"valid_from": "2025-01-01"})
>>> g, _ = graph_of(Snapshot.of(people, [post]), show_contact=False)
>>> edge = g.edges["d:P1", "d:R", "d:h"]
>>> g.graph["mode"], edge["start"], "end" in edge
('dynamic', '2025-01-01', False)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import networkx as nx

from shanzhi import messages
from shanzhi.graph.export.common import Progress, outgoing
from shanzhi.graph.export.graphml import flat
from shanzhi.graph.stores.snapshot import Snapshot

__all__ = ["SUFFIX", "graph_of", "write"]

SUFFIX = ".gexf"
_STEP = 2000

#: Keys networkx's GEXF writer takes for GEXF's own (node id and label, spells, edge id, key,
#: type, weight): a record's properties of those names are written under another name.
_RENAMED = {
    k: f"record_{k}" for k in ("id", "label", "pid", "start", "end", "viz", "key", "type", "weight")
}


def _day(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value or "").strip()
    return text[:10] if len(text) >= 10 and text[4] == "-" and text[7] == "-" else None


def _spell(start: Any, end: Any) -> dict[str, str]:
    spell = {"start": _day(start), "end": _day(end)}
    return {k: v for k, v in spell.items() if v is not None}


def _attrs(props: dict[str, Any]) -> dict[str, Any]:
    return {_RENAMED.get(k, k): v for k, v in flat(props).items()}


def graph_of(
    snap: Snapshot, show_contact: bool, progress: Progress | None = None
) -> tuple[nx.MultiDiGraph, int]:
    """The graph to write, and how many records went out masked."""
    g = nx.MultiDiGraph()
    masked = 0
    dated = False
    total = len(snap.nodes) + len(snap.relations)
    for i, n in enumerate(snap.nodes.values()):
        props, hid = outgoing(n.props, show_contact)
        masked += hid
        spell = _spell(props.get("start"), props.get("end")) if n.label == "Project" else {}
        dated |= bool(spell)
        name = str(props.get("name") or n.uid)
        g.add_nodes_from([(n.uid, {**_attrs(props), **spell, "label": name, "entity": n.label})])
        if progress and i % _STEP == 0:
            progress(messages.STAGE_NODES.both(), i, total)
    for i, r in enumerate(snap.relations.values(), start=len(snap.nodes)):
        props, hid = outgoing(r.props, show_contact)
        masked += hid
        spell = _spell(props.get("valid_from"), props.get("valid_to"))
        dated |= bool(spell)
        edge = {**_attrs(props), **spell, "id": r.uid, "label": r.type, "relation": r.type}
        g.add_edges_from([(r.source, r.target, r.uid, edge)])
        if progress and i % _STEP == 0:
            progress(messages.STAGE_RELATIONS.both(), i, total)
    g.graph["mode"] = "dynamic" if dated else "static"
    return g, masked


def write(snap: Snapshot, path: Path, show_contact: bool, progress: Progress | None) -> int:
    """Write ``snap`` as GEXF to ``path``; return how many records went out masked."""
    g, masked = graph_of(snap, show_contact, progress)
    nx.write_gexf(g, path)
    return masked
