"""The graph a picture is drawn from: the store's snapshot as networkx, and a node in it found
by uid, id or name the way the CLI's arguments name one.

>>> natural("G-10") > natural("G-9")
True
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx
from rapidfuzz import process

from shanzhi.errors import AmbiguousError, NotFoundError, UsageError
from shanzhi.graph.stores.interface import GraphStore

__all__ = ["dataset_uid", "find_node", "graph_of", "natural"]


def graph_of(store: GraphStore) -> nx.MultiDiGraph:
    """The store's graph as networkx (from its snapshot), for the pictures' layouts."""
    return store.snapshot().to_networkx()


def find_node(g: nx.MultiDiGraph, text: str, what: str, labels: set[str] | None = None) -> str:
    """The uid of the node whose uid, id or name is ``text`` (of one of ``labels``)."""
    wanted = text.strip()
    if not wanted:
        raise UsageError(f"give the id or name of a {what}.")
    pool = [(u, d) for u, d in g.nodes(data=True) if labels is None or d.get("label") in labels]
    for attr in ("uid", "id", "name"):
        hits = sorted(u for u, d in pool if (u if attr == "uid" else d.get(attr)) == wanted)
        if len(hits) == 1:
            return hits[0]
        if hits:
            raise AmbiguousError(
                f"{len(hits)} {what}s are called {wanted!r}; give the uid.",
                [{"id": u, "name": str(g.nodes[u].get("name", ""))} for u in hits],
            )
    names = {u: str(d.get("name", "")) for u, d in pool}
    close = process.extract(wanted, names, limit=5, score_cutoff=40)
    raise NotFoundError(
        f"no {what} {wanted!r} in the graph; check the id or name (`shanzhi stats` shows what "
        "is loaded).",
        [f"{g.nodes[u].get('id', u)} {name}" for name, _score, u in close],
    )


def dataset_uid(dataset: str, node_id: str) -> str:
    """The store uid of a dataset's node id."""
    return f"{dataset}:{node_id}"


def natural(text: str) -> tuple[Any, ...]:
    """A sort key that orders the numbers in ids by value (``G-9`` before ``G-10``)."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))
