"""Pictures without a browser: what each view of the sample holds, the page's embedded data and
its escaping, the SVG, and the `viz` commands (tests/test_viz_browser.py opens them in Chromium)."""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from shanzhi.cli import main
from shanzhi.errors import NotFoundError, UsageError
from shanzhi.graph.analytics.circle import circles
from shanzhi.graph.queries.who_covers import who_covers
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path
from shanzhi.viz import (
    check_format,
    circle,
    coverage,
    demo_pictures,
    ego,
    grid,
    picture_of,
    write_demo_pictures,
    write_picture,
)
from shanzhi.viz.html import render_html
from shanzhi.viz.layout import force_layout, node_height, node_width, tree_layout
from shanzhi.viz.picture import Picture, VEdge, VNode
from shanzhi.viz.svg import render_svg
from shanzhi.viz.views import COLLAPSE_OVER, MAX_EGO_NODES

BUILDING = "嘉利明珠城12号楼"
BLOCK = "G-BLK-SHANYE"
PHONE = re.compile(r"(?<![\d.])1[3-9]\d{9}(?!\d)")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("viz-home")
    load(EmbeddedStore(path), load_dataset(sample_path()))
    return path


@pytest.fixture()
def store(home: Path) -> EmbeddedStore:
    return EmbeddedStore(home)


class _GraphData(HTMLParser):
    """The text of <script id="graph-data">, as a browser would split the page."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.text, self.scripts = False, "", 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
            self.inside = ("id", "graph-data") in attrs

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text += data


def page_data(page: str) -> tuple[dict, int]:
    parser = _GraphData()
    parser.feed(page)
    return json.loads(parser.text), parser.scripts


# -- the generic builder -----------------------------------------------------------------------
def tiny_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("d:G", label="Grid", id="G", name="示例街区网格", level="block", dataset="d")
    g.add_node("d:P", label="Person", id="P", name="王示例华", phone="13800001234", dataset="d")
    g.add_node("d:M", label="Org", id="M", name="</script><script>window.pwned=1</script>",
               kind="merchant", dataset="d")  # fmt: skip
    g.add_edge("d:P", "d:G", key="d:P|HOLDS|G", type="HOLDS", role="街区长")
    g.add_edge("d:M", "d:G", key="d:M|PARTNERS|G", type="PARTNERS")
    return g


def test_picture_of_labels_kinds_and_roles() -> None:
    pic = picture_of(tiny_graph(), ["d:G", "d:P", "d:M"], "示例")
    assert [(n.id, n.group) for n in pic.nodes] == [
        ("d:G", "grid_block"),
        ("d:P", "person"),
        ("d:M", "partner_org"),
    ]
    holds = next(e for e in pic.edges if e.type == "HOLDS")
    assert (holds.source, holds.target, holds.label, holds.title) == (
        "d:P",
        "d:G",
        "街区长",
        "任职：街区长",
    )
    assert [e["zh"] for e in pic.legend()] == ["街区网格", "商户·两新组织·驻区单位", "人员"]


def test_phones_are_masked_everywhere() -> None:
    pic = picture_of(tiny_graph(), ["d:G", "d:P", "d:M"], "示例")
    assert "电话：138****1234" in pic.node("d:P").title
    for text in (pic.to_json(), render_html(pic), render_svg(pic)):
        assert "13800001234" not in text


def _odd_graph() -> nx.MultiDiGraph:
    """Records no loader would take: phones under other names and in notes, control characters."""
    g = nx.MultiDiGraph()
    g.add_node("d:P", label="Person", id="P", name="张\x00三\x1b", 手机="13800000091",
               note="新号码 138-0000-0092", mobile=13800000093)  # fmt: skip
    g.add_node("d:G", label="Grid", id="G", name="一号\x07网格", level="building",
               联系方式="(021)6123 4567")  # fmt: skip
    g.add_edge("d:P", "d:G", key="d:h", type="HOLDS", role="楼组长 电话１３８００００００９４\x0c")
    return g


def test_phones_under_any_name_are_masked_and_control_characters_leave_no_picture() -> None:
    pic = picture_of(_odd_graph(), ["d:G", "d:P"], "示例\x01")
    svg, page = render_svg(pic), render_html(pic)
    root = ET.fromstring(svg)  # well-formed XML although the names held control characters
    texts = "".join(root.itertext())
    assert "张三" in texts and "一号网格" in texts
    data, _ = page_data(page)
    assert data["title"] == "示例" and [n["label"] for n in data["nodes"]] == ["一号网格", "张三"]
    for text in (svg, page, json.dumps(data, ensure_ascii=False)):
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
        for hidden in ("13800000091", "138-0000-0092", "13800000093", "6123 4567", "１３８００"):
            assert hidden not in text, hidden
    person = next(n for n in data["nodes"] if n["id"] == "d:P")
    assert "手机：138****0091" in person["title"] and "138****0092" in person["title"]
    assert "mobile：138****0093" in person["title"]
    assert data["edges"][0]["label"] == "楼组长 电话138****0094"


def test_a_name_with_script_end_cannot_break_the_page() -> None:
    pic = picture_of(tiny_graph(), ["d:G", "d:P", "d:M"], "标题</script><b>")
    page = render_html(pic)
    data, scripts = page_data(page)
    assert scripts == 3  # graph-data, vis-network, the viewer: no script was injected
    assert [n["label"] for n in data["nodes"]][2] == "</script><script>window.pwned=1</script>"
    assert "<title>标题&lt;/script&gt;&lt;b&gt;</title>" in page


def test_the_page_names_no_network_resource() -> None:
    page = render_html(picture_of(tiny_graph(), ["d:G"], "示例"))
    tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", page)
    assert tags and not any(re.search(r"\b(?:src|href)=", t) for t in tags)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "sourceMappingURL" not in page


def test_tree_layout_puts_children_right_of_parents_without_overlap() -> None:
    nodes = [VNode("r", "根网格", "Grid/street", "grid_street")]
    nodes += [
        VNode(f"k{i}", f"子网格{i}", "Grid/block", "grid_block", parent="r") for i in range(5)
    ]
    nodes += [VNode(f"p{i}", f"人员{i}", "Person", "person", parent="k0") for i in range(3)]
    pic = Picture("t", "tree", nodes)
    tree_layout(pic)
    by = {n.id: n for n in pic.nodes}
    assert [by[f"k{i}"].level for i in range(5)] == [1] * 5 and by["p0"].level == 2
    assert by["r"].x < by["k0"].x < by["p0"].x
    column = sorted((n.y, node_height(n)) for n in pic.nodes if n.level == 1)
    assert all(b[0] - a[0] >= (a[1] + b[1]) / 2 for a, b in itertools.pairwise(column))


def star(n: int) -> Picture:
    nodes = [VNode(f"n{i}", f"示例成员单位{i}", "Org/merchant", "partner_org") for i in range(n)]
    edges = [VEdge(f"e{i}", "n0", f"n{i}", "PARTNERS") for i in range(1, n)]
    return Picture("star", "force", nodes, edges)


def test_force_layout_is_deterministic_and_labels_do_not_overlap() -> None:
    pic, again = star(26), star(26)
    force_layout(pic)
    force_layout(again)
    assert [(n.x, n.y) for n in pic.nodes] == [(n.x, n.y) for n in again.nodes]
    boxes = [(n.x or 0, n.y or 0, node_width(n), node_height(n)) for n in pic.nodes]
    for i, (ax, ay, aw, ah) in enumerate(boxes):
        for bx, by, bw, bh in boxes[i + 1 :]:
            assert abs(ax - bx) >= (aw + bw) / 2 - 1 or abs(ay - by) >= (ah + bh) / 2 - 1


# -- the views on the sample -------------------------------------------------------------------
def test_coverage_is_the_who_covers_chain_as_a_tree(store: EmbeddedStore) -> None:
    pic = coverage(store, BUILDING, "2026-11-27")
    answer = who_covers(store, BUILDING, "2026-11-27")
    ds = answer["building"]["dataset"]
    grids = [f"{ds}:{s['grid']['id']}" for s in answer["chain"]]
    actors = {f"{ds}:{x['id']}" for s in answer["chain"] for x in s["orgs"] + s["people"]}
    assert {n.id for n in pic.nodes} == {answer["building"]["uid"], *grids, *actors}
    assert len(pic.nodes) == 1 + len(grids) + len(actors)
    by = {n.id: n for n in pic.nodes}
    parents = [by[g].parent for g in grids]
    assert parents == [answer["building"]["uid"], *grids[:-1]]  # nearest first, one under another
    assert [by[g].level for g in grids] == [1, 2, 3, 4, 5]
    holder = next(p for s in answer["chain"][:1] for p in s["people"] if p["role"] == "楼组长")
    assert by[f"{ds}:{holder['id']}"].label == f"{holder['name']} · 楼组长"
    assert all(n.x is not None and n.y is not None for n in pic.nodes)
    assert not PHONE.search(pic.to_json())


def test_circle_has_the_block_and_its_members_sized_by_betweenness(store: EmbeddedStore) -> None:
    pic = circle(store, BLOCK)
    (c,) = circles(store, BLOCK)
    assert {n.id for n in pic.nodes} == {c.block.uid, *c.members}
    ties = [e for e in pic.edges if e.type == "TIE"]
    assert len(ties) == len(c.ties)
    members = [n for n in pic.nodes if n.id in c.members]
    biggest = max(members, key=lambda n: n.size)
    assert "中介中心性" in biggest.title and biggest.size > min(n.size for n in members)
    assert pic.layout == "force"


def test_grid_is_the_whole_hierarchy_with_building_grids_collapsed(store: EmbeddedStore) -> None:
    pic = grid(store)
    g = store.snapshot().to_networkx()
    grids = [u for u, d in g.nodes(data=True) if d["label"] == "Grid"]
    assert len(grids) > COLLAPSE_OVER
    assert {n.id for n in pic.nodes} == set(grids)
    assert len(pic.edges) == len(grids) - 1  # a tree
    hidden = {n.id for n in pic.nodes if n.hidden}
    assert hidden == {u for u in grids if g.nodes[u]["level"] == "building"}
    street = next(n for n in pic.nodes if n.parent is None)
    assert street.kind == "Grid/street" and street.level == 0


def test_grid_below_one_grid_shows_everything(store: EmbeddedStore) -> None:
    pic = grid(store, "善居街区网格")
    assert not any(n.hidden for n in pic.nodes)
    assert {n.kind for n in pic.nodes} == {
        "Grid/block", "Grid/community", "Grid/branch", "Grid/building",
    }  # fmt: skip
    assert max(n.level or 0 for n in pic.nodes) == 3


def test_ego_shows_one_step_and_hides_the_next(store: EmbeddedStore) -> None:
    pic = ego(store, BLOCK, 1)
    g = store.snapshot().to_networkx()
    centre = next(u for u, d in g.nodes(data=True) if d.get("id") == BLOCK)
    near = {centre} | set(g.successors(centre)) | set(g.predecessors(centre))
    shown = {n.id for n in pic.nodes if not n.hidden}
    assert shown == near and len(shown) <= MAX_EGO_NODES
    hidden = {n.id for n in pic.nodes if n.hidden}
    assert hidden and not hidden & near
    assert all(any(v in near for v in nx.all_neighbors(g, u)) for u in hidden)


def test_unknown_names_and_formats_are_clear_errors(store: EmbeddedStore) -> None:
    with pytest.raises(NotFoundError):
        ego(store, "没有这个节点")
    with pytest.raises(UsageError):
        ego(store, BLOCK, 0)
    with pytest.raises(UsageError, match=r"\.html, \.svg or \.png"):
        check_format("picture.pdf")


def test_svg_is_well_formed_with_cjk_text(store: EmbeddedStore, tmp_path: Path) -> None:
    path = write_picture(coverage(store, BUILDING), tmp_path / "c.svg")
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Noto Sans CJK SC" in root.attrib["font-family"]
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any(BUILDING in t for t in texts) and "图例" in texts


def test_demo_pictures_are_written(store: EmbeddedStore, tmp_path: Path) -> None:
    written = write_demo_pictures(store, tmp_path, png=False)
    assert [p.name for p in written] == [
        f"{v}.{ext}" for ext in ("html", "svg") for v in ("coverage", "circle", "grid", "ego")
    ]
    assert all(p.stat().st_size > 1000 for p in written)
    assert set(demo_pictures(store)) == {"coverage", "circle", "grid", "ego"}


# -- the commands --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["coverage", BUILDING],
        ["circle", BLOCK],
        ["grid"],
        ["grid", "善居街区网格"],
        ["ego", "强碧薇", "--depth", "2"],
    ],
)
def test_viz_commands_write_html_and_svg(home: Path, tmp_path: Path, args: list[str]) -> None:
    for suffix in (".html", ".svg"):
        out = tmp_path / f"pic{suffix}"
        result = CliRunner().invoke(main, ["--home", str(home), "viz", *args, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"已写入 {out} — ")
        assert out.stat().st_size > 1000


def test_viz_command_errors(home: Path, tmp_path: Path) -> None:
    run = CliRunner().invoke
    bad = run(main, ["--home", str(home), "viz", "grid", "-o", str(tmp_path / "g.pdf")])
    assert bad.exit_code == 2
    assert "cannot write a picture as 'g.pdf': use a .html, .svg or .png file name." in bad.output
    missing = run(
        main, ["--home", str(home), "viz", "ego", "没有这个节点", "-o", str(tmp_path / "e.html")]
    )
    assert missing.exit_code == 1 and "no node '没有这个节点' in the graph" in missing.output
    assert not (tmp_path / "e.html").exists()
    no_depth = run(main, ["--home", str(home), "viz", "ego", BLOCK, "--depth", "0", "-o", "e.html"])
    assert no_depth.exit_code == 2


# -- Neo4j: the same pictures --------------------------------------------------------------------
def _shape(pic: Picture) -> dict[str, object]:
    """Everything a picture says except where its nodes sit."""
    nodes = sorted((n.id, n.label, n.group, n.title, n.parent, n.hidden, n.size) for n in pic.nodes)
    edges = sorted((e.source, e.target, e.type, e.title, e.hidden) for e in pic.edges)
    return {"title": pic.title, "subtitle": pic.subtitle, "nodes": nodes, "edges": edges}


@pytest.mark.neo4j
def test_neo4j_draws_the_same_pictures(store: EmbeddedStore, neo4j_store: Neo4jStore) -> None:
    load(neo4j_store, load_dataset(sample_path()))
    for build in (
        lambda s: coverage(s, BUILDING, "2026-11-27"),
        lambda s: circle(s, BLOCK),
        lambda s: grid(s),
        lambda s: ego(s, BLOCK, 1),
    ):
        assert _shape(build(neo4j_store)) == _shape(build(store))


def test_coverage_shows_missing_levels(tmp_path: Path) -> None:
    from shanzhi.synth import synth

    synth(tmp_path / "data", streets=1, seed=7)
    store = EmbeddedStore(tmp_path / "home")
    load(store, load_dataset(tmp_path / "data"))
    gaps = json.loads((tmp_path / "data" / "GAPS.json").read_text(encoding="utf-8"))
    building = gaps["uncovered_buildings"][0]["id"]
    missing = who_covers(store, building)["missing_levels"]
    pic = coverage(store, building)
    holes = [n for n in pic.nodes if n.kind == "Grid/missing"]
    assert missing and len(holes) == len(missing)
    assert all(n.group == "grid_missing" and n.label.startswith("（缺") for n in holes)
    dashed = {e.source for e in pic.edges if e.dashes}
    assert dashed == {n.id for n in holes}
    assert "缺失的网格" in [e["zh"] for e in pic.legend()]
