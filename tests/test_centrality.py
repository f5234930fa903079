"""Centrality metrics on small named graphs with known answers (path, star, cliques and brokers)."""

from __future__ import annotations

import math
from itertools import combinations

import networkx as nx
import pytest

from shanzhi.graph.analytics.centrality import (
    Params,
    analyse,
    betweenness,
    brokers,
    closeness,
    communities,
    eigenvector,
    truncate,
)
from shanzhi.graph.analytics.circle import Circle, CircleNode


def circle_of(edges: list[tuple[str, str]], isolated: tuple[str, ...] = ()) -> Circle:
    """A circle whose members are the named nodes, tied (weight 1: partners) along ``edges``."""
    c = Circle(CircleNode("t:K", "K", "测试街区", "Grid", "block"))
    for name in sorted({v for e in edges for v in e} | set(isolated)):
        c.add_member(CircleNode(f"t:{name}", name, f"成员{name}", "Org", "merchant"))
    for a, b in edges:
        c.add_link(f"t:{a}", f"t:{b}", "partners")
    return c


def by_id(block: dict) -> dict[str, dict]:
    return {m["id"]: m for m in block["members"]}


def cliques(*sizes: int) -> list[tuple[str, str]]:
    """Disjoint cliques named a0.., b0.., c0.."""
    return [
        (f"{p}{i}", f"{p}{j}")
        for p, n in zip("abc", sizes, strict=False)
        for i, j in combinations(range(n), 2)
    ]


PATH = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")]
STAR = [("h", leaf) for leaf in "pqrs"]
BARBELL = [*cliques(4, 4), ("x", "a0"), ("x", "b0")]  # two K4 joined through one broker x


def test_path_of_five() -> None:
    m = by_id(analyse(circle_of(PATH)))
    assert [m[v]["betweenness"] for v in "abcde"] == pytest.approx([0, 0.5, 2 / 3, 0.5, 0])
    assert [m[v]["closeness"] for v in "abcde"] == pytest.approx([0.4, 4 / 7, 2 / 3, 4 / 7, 0.4])
    assert [m[v]["degree"] for v in "abcde"] == pytest.approx([0.25, 0.5, 0.5, 0.5, 0.25])
    root3 = math.sqrt(3)
    expected = [0.5 / root3, 0.5, 1 / root3, 0.5, 0.5 / root3]  # sin(kπ/6) / √3
    assert [m[v]["eigenvector"] for v in "abcde"] == pytest.approx(expected, abs=1e-5)
    assert {v for v in m if m[v]["broker"]} == {"b", "c", "d"}
    assert all("cut_vertex" in m[v]["broker_reasons"] for v in "bcd")


def test_star_centre_is_everything() -> None:
    block = analyse(circle_of(STAR))
    assert block["members"][0]["id"] == "h"
    m = by_id(block)
    assert m["h"]["betweenness"] == 1.0 and m["p"]["betweenness"] == 0.0
    assert m["h"]["closeness"] == 1.0 and m["p"]["closeness"] == pytest.approx(4 / 7, abs=1e-6)
    assert m["h"]["degree"] == 1.0 and m["h"]["weighted_degree"] == 4
    # PageRank by hand: c = .03 + .85·4l, l = .03 + .85·c/4
    assert m["h"]["pagerank"] == pytest.approx(0.132 / 0.2775, abs=1e-6)
    assert m["p"]["pagerank"] == pytest.approx(0.03 + 0.2125 * 0.132 / 0.2775, abs=1e-6)
    assert m["h"]["eigenvector"] == pytest.approx(1 / math.sqrt(2), abs=1e-5)
    assert m["q"]["eigenvector"] == pytest.approx(1 / math.sqrt(8), abs=1e-5)
    assert [v for v in m if m[v]["broker"]] == ["h"]
    assert block["communities"] == 1


def test_two_cliques_joined_by_one_broker() -> None:
    block = analyse(circle_of(BARBELL))
    m = by_id(block)
    assert [x["id"] for x in block["members"]][:3] == ["x", "a0", "b0"]
    assert m["x"]["betweenness"] == pytest.approx(16 / 28, abs=1e-6)  # every a–b pair
    assert m["a0"]["betweenness"] == pytest.approx(15 / 28, abs=1e-6)  # a1..a3 × x, b0..b3
    assert m["a1"]["betweenness"] == 0.0
    assert {v for v in m if m[v]["broker"]} == {"a0", "x", "b0"}
    assert block["communities"] == 2
    groups = (
        {m[v]["community"] for v in ("a0", "a1", "a2", "a3")},
        {m[v]["community"] for v in ("b0", "b1", "b2", "b3")},
    )
    assert len(groups[0]) == len(groups[1]) == 1 and groups[0] != groups[1]


def test_a_hub_between_two_groups_is_the_only_broker() -> None:
    edges = [*cliques(4, 4), *[("x", v) for v in ("a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3")]]
    m = by_id(analyse(circle_of(edges)))
    assert {v for v in m if m[v]["broker"]} == {"x"}
    assert m["x"]["broker_reasons"] == ["cut_vertex", "sole_link"]


def test_a_member_linking_three_communities_is_a_broker_without_being_a_cut_vertex() -> None:
    edges = [*cliques(5, 5, 5), ("h", "a0"), ("h", "b0"), ("h", "c0"), ("a1", "b1"), ("b2", "c1")]
    edges += [("a2", "c2")]
    g = circle_of(edges).graph()
    comm = communities(g)
    assert len(set(comm.values())) == 3
    why = brokers(g, comm)
    assert "links_communities" in why["t:h"] and "cut_vertex" not in why["t:h"]


def test_eigenvector_on_a_circle_in_pieces() -> None:
    # a triangle, a pair and an isolated member: each piece scored on its own, scaled by √(r/n)
    g = circle_of([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e")], isolated=("f",)).graph()
    ev = eigenvector(g)
    assert ev["t:a"] == pytest.approx(math.sqrt(1 / 3) * math.sqrt(3 / 6), abs=1e-6)
    assert ev["t:d"] == pytest.approx(math.sqrt(1 / 2) * math.sqrt(2 / 6), abs=1e-6)
    assert ev["t:f"] == 0.0


@pytest.mark.parametrize(
    "g",
    [
        pytest.param(circle_of(BARBELL).graph(), id="barbell (dense solver)"),
        pytest.param(nx.les_miserables_graph(), id="les misérables, weighted (sparse solver)"),
    ],
)
def test_connected_eigenvector_is_networkx(g: nx.Graph) -> None:
    reference = nx.eigenvector_centrality(g, weight="weight", max_iter=10000, tol=1e-12)
    assert eigenvector(g) == pytest.approx(reference, abs=1e-6)
    assert eigenvector(g) == eigenvector(g)  # the same to the last bit, run after run


@pytest.mark.parametrize(
    "members",
    [
        pytest.param([], id="empty"),
        pytest.param(["a"], id="one"),
        pytest.param(["a", "b"], id="two apart"),
    ],
)
def test_tiny_circles_do_not_crash(members: list[str]) -> None:
    block = analyse(circle_of([], isolated=tuple(members)))
    assert block["size"] == len(members) and block["ties"] == 0
    for m in block["members"]:
        assert (m["degree"], m["betweenness"], m["eigenvector"], m["broker"]) == (0, 0, 0, False)
    assert [m["id"] for m in block["members"]] == sorted(members)


def test_a_pair_is_tied_both_ways() -> None:
    m = by_id(analyse(circle_of([("a", "b")])))
    assert m["a"]["degree"] == m["b"]["degree"] == 1.0
    assert m["a"]["pagerank"] == m["b"]["pagerank"] == 0.5


def test_weights_count_links() -> None:
    c = circle_of([("a", "b"), ("b", "c")])
    c.add_link("t:a", "t:b", "project", "t:J1")
    c.add_link("t:a", "t:b", "holder", "t:P1")
    m = by_id(analyse(c))
    assert (m["a"]["weighted_degree"], m["b"]["weighted_degree"]) == (3, 4)
    assert m["a"]["pagerank"] > m["c"]["pagerank"]


def test_large_circles_are_sampled_and_say_so() -> None:
    c = circle_of([*cliques(6, 6), ("x", "a0"), ("x", "b0")])
    exact = analyse(c)
    sampled = analyse(c, params=Params(exact_max=5, k=8, seed=1))
    assert (exact["sampled"], exact["k"]) == (False, None)
    assert (sampled["sampled"], sampled["k"]) == (True, 8)
    assert {m["id"] for m in sampled["members"][:3]} == {"x", "a0", "b0"}
    assert analyse(c, params=Params(exact_max=5, k=8, seed=1)) == sampled  # fixed seed


def test_sampling_is_per_piece_and_exact_in_small_pieces() -> None:
    g = circle_of([*BARBELL, ("p", "q"), ("q", "r"), ("s", "t")], isolated=("z",)).graph()
    exact = nx.betweenness_centrality(g)
    everything, k = betweenness(g, Params(exact_max=3, k=len(g)))
    assert k is None and everything == pytest.approx(exact, abs=1e-12)  # no piece was sampled
    sampled, k = betweenness(g, Params(exact_max=3, k=5))  # only the barbell (9) is sampled
    assert k == 5
    assert sampled["t:q"] == pytest.approx(exact["t:q"], abs=1e-12)
    assert sampled["t:x"] > 0 and sampled["t:a1"] == 0.0


def test_sampled_closeness_with_every_source_is_exact() -> None:
    g = circle_of([*PATH, ("f", "g")], isolated=("z",)).graph()
    assert closeness(g, k=len(g)) == pytest.approx(nx.closeness_centrality(g))
    estimate = closeness(nx.path_graph(40), k=20, seed=3)
    assert estimate[20] == pytest.approx(nx.closeness_centrality(nx.path_graph(40))[20], rel=0.3)


def test_members_sorted_by_betweenness_then_id_and_top() -> None:
    block = analyse(circle_of(PATH), top=2)
    assert [m["id"] for m in block["members"]] == ["c", "b"]
    assert [m["rank"] for m in block["members"]] == [1, 2]
    full = {"blocks": [analyse(circle_of(PATH))]}
    assert [m["id"] for m in truncate(full, 3)["blocks"][0]["members"]] == ["c", "b", "d"]
