"""Centrality of each block's 善治朋友圈: who is central, who brokers, which communities form.

The circle (members, weighted ties) is defined in
:mod:`shanzhi.graph.analytics.circle`. On its weighted,
undirected graph every member gets:

``degree``
    normalised degree: members it is tied to / (members − 1); 0 in a circle of one.
``weighted_degree``
    the sum of its ties' weights (how many links it has in all).
``betweenness``
    normalised shortest-path betweenness, ties counted as one hop each (weights are strengths,
    not distances). Exact up to :data:`EXACT_MAX` members; beyond that estimated in each
    connected piece larger than ``k`` from ``k`` sources sampled in that piece with a fixed seed
    (exact in smaller pieces), and the block says ``"sampled": true`` and ``"k"``.
``closeness``
    Wasserman–Faust closeness (networkx's default for circles that fall apart in pieces): the
    inverse mean hop distance to the members it can reach, scaled by the share it can reach.
    When the block is sampled, it is estimated in each piece larger than ``k`` from ``k``
    sampled sources of that piece (exact in smaller pieces).
``pagerank``
    weighted PageRank (damping 0.85).
``eigenvector``
    weighted eigenvector centrality computed in each connected piece separately (on a circle
    in pieces the whole-graph eigenvector is zero outside the piece with the largest eigenvalue
    and power iteration may not converge) with a symmetric eigen-solver started from a fixed
    vector (deterministic, unlike a random start), each piece's unit vector scaled by
    √(piece size / members), so a connected circle gets exactly networkx's values and larger
    pieces weigh more. Members without ties score 0.
``community``
    Louvain communities (weighted, fixed seed), numbered 0, 1, … largest first.
``broker``
    true when the member is a cut vertex (removing it splits its piece of the circle: reason
    ``cut_vertex``), or it ties communities together: its ties reach at least two communities
    besides its own (``links_communities``), or it is the only member of its community tied to
    some other community (``sole_link``). ``broker_reasons`` lists which.

Members are listed by betweenness, highest first, ties broken by id; floats are rounded to
:data:`DIGITS` places so both stores give identical JSON.

>>> from shanzhi.graph.analytics.circle import Circle, CircleNode
>>> c = Circle(CircleNode("d:K", "K", "示例街区", "Grid", "block"))
>>> for x in "abc":
...     c.add_member(CircleNode(f"d:{x}", x, x, "Org", "merchant"))
>>> c.add_link("d:a", "d:b", "partners"); c.add_link("d:b", "d:c", "partners")
>>> block = analyse(c)
>>> [(m["id"], m["betweenness"], m["broker"]) for m in block["members"]]
[('b', 1.0, True), ('a', 0.0, False), ('c', 0.0, False)]
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse.linalg

from shanzhi.errors import UsageError
from shanzhi.graph.analytics.circle import Circle, circles

__all__ = [
    "ALGORITHM",
    "DIGITS",
    "EXACT_MAX",
    "SAMPLE_K",
    "SEED",
    "Params",
    "analyse",
    "betweenness",
    "brokers",
    "centrality",
    "centrality_of",
    "closeness",
    "communities",
    "eigenvector",
    "truncate",
]

#: Circles of up to this many members get exact betweenness and closeness.
EXACT_MAX = 2000
#: Sources sampled per piece for betweenness and closeness in larger circles: on 10^4 members
#: 16x faster than exact with top-20 overlap 0.90; 1,000 is no more accurate and under 10x
#: (bench/centrality.py has the figures).
SAMPLE_K = 500
#: Seed of every randomised step (sampling, Louvain): the date of the source report.
SEED = 20230331
#: Decimal places of every float in the output.
DIGITS = 6
#: Pieces up to this size get a dense eigen-solver; larger ones sparse Lanczos.
_DENSE_MAX = 64
#: Name and version of the metric suite, written with every stored run.
ALGORITHM = f"shanzhi.centrality/1 networkx/{nx.__version__}"


@dataclass(frozen=True)
class Params:
    """Knobs of one run: exact-betweenness size limit, sample size, seed."""

    exact_max: int = EXACT_MAX
    k: int = SAMPLE_K
    seed: int = SEED

    def as_dict(self) -> dict[str, int]:
        """Plain data for the output and stored runs."""
        return asdict(self)


def _r(x: float) -> float:
    return round(float(x), DIGITS) + 0.0  # + 0.0 turns -0.0 into 0.0


def _pieces(g: nx.Graph) -> list[list[Any]]:
    """Connected pieces as sorted node lists, in the order of their first node."""
    return sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: c[0])


def betweenness(g: nx.Graph, params: Params = Params()) -> tuple[dict[Any, float], int | None]:
    """Normalised betweenness, and the ``k`` sources sampled per piece (None if nothing was).

    Sampling is stratified by connected piece: a piece of more than ``k`` members is estimated
    from ``k`` of its own members, a smaller piece is computed exactly. Sampling from the whole
    circle instead wastes sources on small pieces and scales their few paths up by n/k, which
    pushes small-piece hubs into the top ranks (bench/centrality.py measures the difference).
    """
    n = g.number_of_nodes()
    if n <= params.exact_max:
        return nx.betweenness_centrality(g, normalized=True), None
    scale = 2 / ((n - 1) * (n - 2))  # unordered pairs of the whole circle
    out: dict[Any, float] = dict.fromkeys(g, 0.0)
    sampled = False
    for piece in _pieces(g):
        if len(piece) < 3:
            continue
        sub = g.subgraph(piece).copy()  # a copy: subgraph views are slow to traverse
        k = params.k if len(piece) > params.k else None
        sampled = sampled or k is not None
        raw = nx.betweenness_centrality(sub, k=k, normalized=False, seed=params.seed)
        for v, x in raw.items():
            out[v] = x * scale
    return out, params.k if sampled else None


def closeness(g: nx.Graph, k: int | None = None, seed: int = SEED) -> dict[Any, float]:
    """Wasserman–Faust closeness; with ``k``, estimated from ``k`` sources per larger piece.

    With ``k`` None (or ``k`` ≥ every piece) this is ``nx.closeness_centrality(g)``.
    """
    if k is None:
        return nx.closeness_centrality(g)
    n = g.number_of_nodes()
    out: dict[Any, float] = {}
    rng = random.Random(seed)
    for piece in _pieces(g):
        r = len(piece)
        sources = piece if r <= k else rng.sample(piece, k)
        total: dict[Any, float] = defaultdict(float)
        for s in sources:
            for v, d in nx.single_source_shortest_path_length(g, s).items():
                total[v] += d
        for v in piece:
            far = total[v] * r / len(sources)
            out[v] = (r - 1) / far * (r - 1) / (n - 1) if far > 0 and n > 1 else 0.0
    return out


def _perron(piece: nx.Graph) -> list[float]:
    """The unit-length principal eigenvector of a connected piece's weighted adjacency matrix.

    Symmetric solvers from a fixed start (dense for small pieces, Lanczos with a vector of ones
    otherwise), so the result is the same on every run, unlike networkx's random-start ARPACK.
    """
    a = nx.to_scipy_sparse_array(piece, nodelist=list(piece), weight="weight", dtype=float)
    if a.shape[0] <= _DENSE_MAX:
        x = np.linalg.eigh(a.toarray())[1][:, -1]
    else:
        x = scipy.sparse.linalg.eigsh(a, k=1, which="LA", v0=np.ones(a.shape[0]))[1][:, 0]
    x = np.abs(x)
    return list(x / np.linalg.norm(x))


def eigenvector(g: nx.Graph) -> dict[Any, float]:
    """Weighted eigenvector centrality per connected piece, scaled by √(piece size / members)."""
    n = g.number_of_nodes()
    out: dict[Any, float] = dict.fromkeys(g, 0.0)
    for piece in nx.connected_components(g):
        if len(piece) < 2:
            continue
        sub = g.subgraph(sorted(piece))
        scale = math.sqrt(len(piece) / n)
        for v, x in zip(sub, _perron(sub), strict=True):
            out[v] = float(x) * scale
    return out


def communities(g: nx.Graph, seed: int = SEED) -> dict[Any, int]:
    """Louvain community of each member (weighted, fixed seed), 0 = the largest, then by id."""
    found = nx.community.louvain_communities(g, weight="weight", seed=seed)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    return {v: i for i, c in enumerate(ordered) for v in c}


def brokers(g: nx.Graph, community: dict[Any, int]) -> dict[Any, list[str]]:
    """Why each broker is one: ``cut_vertex``, ``links_communities``, ``sole_link`` (see module)."""
    reasons: dict[Any, list[str]] = defaultdict(list)
    for v in sorted(nx.articulation_points(g)):
        reasons[v].append("cut_vertex")
    links: dict[tuple[int, int], set[Any]] = defaultdict(set)  # (own, other) → members
    for v in g:
        others = {community[u] for u in g[v]} - {community[v]}
        if len(others) >= 2:
            reasons[v].append("links_communities")
        for c in others:
            links[(community[v], c)].add(v)
    for (_own, _other), members in sorted(links.items()):
        if len(members) == 1:
            (v,) = members
            if "sole_link" not in reasons[v]:
                reasons[v].append("sole_link")
    return dict(reasons)


def analyse(circle: Circle, top: int | None = None, params: Params = Params()) -> dict[str, Any]:
    """The centrality of one circle, as one entry of ``blocks`` in the JSON of docs/cli.md."""
    g = circle.graph()
    between, k = betweenness(g, params)
    close = closeness(g, k, params.seed)
    rank = nx.pagerank(g, weight="weight", tol=1e-10, max_iter=1000) if len(g) else {}
    eigen = eigenvector(g)
    comm = communities(g, params.seed)
    why = brokers(g, comm)
    n = g.number_of_nodes()
    members: list[dict[str, Any]] = []
    for uid in g:
        m = circle.members[uid]
        members.append(
            {
                "id": m.id,
                "uid": m.uid,
                "name": m.name,
                "label": m.label,
                "kind": m.kind or m.label.lower(),
                "ties": g.degree(uid),
                "degree": _r(g.degree(uid) / (n - 1)) if n > 1 else 0.0,
                "weighted_degree": int(g.degree(uid, weight="weight")),
                "betweenness": _r(between[uid]),
                "closeness": _r(close[uid]),
                "pagerank": _r(rank[uid]),
                "eigenvector": _r(eigen[uid]),
                "community": comm[uid],
                "broker": uid in why,
                "broker_reasons": why.get(uid, []),
            }
        )
    members.sort(key=lambda row: (-row["betweenness"], row["id"], row["uid"]))
    for i, row in enumerate(members, 1):
        row["rank"] = i
    return {
        "block": {"id": circle.block.id, "name": circle.block.name, "uid": circle.block.uid},
        "size": n,
        "ties": g.number_of_edges(),
        "communities": len(set(comm.values())),
        "sampled": k is not None,
        "k": k,
        "members": members[:top] if top is not None else members,
    }


def centrality_of(
    found: Iterable[Circle],
    top: int | None = None,
    params: Params = Params(),
    include_own: bool = False,
) -> dict[str, Any]:
    """The JSON of docs/cli.md for these circles (``include_own`` is only recorded)."""
    return {
        "algorithm": ALGORITHM,
        "params": {**params.as_dict(), "include_own": include_own},
        "blocks": [analyse(c, top, params) for c in found],
    }


def truncate(result: dict[str, Any], top: int | None) -> dict[str, Any]:
    """The same result with only the first ``top`` members of each block."""
    if top is None:
        return result
    blocks = [{**b, "members": b["members"][:top]} for b in result["blocks"]]
    return {**result, "blocks": blocks}


def centrality(
    store: Any,
    block: str | None = None,
    top: int | None = None,
    include_own: bool = False,
    params: Params = Params(),
) -> dict[str, Any]:
    """Centrality of every block's 善治朋友圈 (or of the one ``block`` names), per docs/cli.md.

    ``block`` is a block grid's id, uid or name; ``top`` keeps the first N members of each block
    (metrics are always computed on the whole circle); ``include_own`` keeps the block's own party
    organisations and workstation. Raises NotFoundError / AmbiguousError for a bad ``block``.
    """
    if top is not None and top < 1:
        raise UsageError(f"--top must be at least 1, not {top}.")
    return centrality_of(circles(store, block, include_own), top, params, include_own)
