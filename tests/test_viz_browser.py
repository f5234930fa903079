"""Each picture of the sample as a person sees it: opened in headless Chromium, looked at, used.

For every view the page is opened offline (Chromium's resolver resolves nothing), left to settle,
and screenshotted; the test checks the screenshot is a real drawing (grey-level variance, colours,
ink), that the page's data holds the nodes the sample says it should, that the page threw no
error and that every URL it requested was a local one (file:, data:, blob:, about:). Then it is
used: a real mouse double click expands a collapsed grid, typing in the search box finds a
person, hovering shows masked details. The PNG writer's output is checked the same way.

Set SHANZHI_SCREENSHOTS=docs/screenshots to keep the screenshots (that is how the README's were
made). Without Chromium the module is skipped, or fails when CI=true.
"""

from __future__ import annotations

import io
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from PIL import Image, ImageStat

from shanzhi.graph.analytics.circle import circles
from shanzhi.graph.queries.who_covers import who_covers
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path
from shanzhi.viz import demo_pictures, picture_of, write_picture
from shanzhi.viz.browser import Browser, Page, find_chromium
from shanzhi.viz.picture import Picture

pytestmark = pytest.mark.browser

LOCAL = ("file:", "data:", "blob:", "about:")
SETTLED = "window.__shanzhi && (window.__shanzhi.settled || window.__shanzhi.error)"
WIDTH, HEIGHT = 1400, 900


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    missing = []
    if find_chromium() is None:
        missing.append("chromium")
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout
    if "Noto Sans CJK" not in fonts:
        missing.append("fonts-noto-cjk")
    if missing:
        message = f"needs {' and '.join(missing)} (apt-get install -y {' '.join(missing)})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with Browser() as b:
        yield b


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    home = tmp_path_factory.mktemp("viz-browser-home")
    load(EmbeddedStore(home), load_dataset(sample_path()))
    return EmbeddedStore(home)


@pytest.fixture(scope="module")
def pictures(store: EmbeddedStore) -> dict[str, Picture]:
    return demo_pictures(store)


def open_picture(browser: Browser, pic: Picture, path: Path) -> Page:
    write_picture(pic, path)
    page = browser.open(path.as_uri(), WIDTH, HEIGHT)
    page.wait_for(SETTLED, timeout=60)
    return page


def state(page: Page) -> dict[str, Any]:
    value: dict[str, Any] = page.evaluate(
        "(() => { const s = window.__shanzhi; return {settled: s.settled, error: s.error,"
        " library: s.library, nodes: s.nodes, edges: s.edges, visible: s.visible}; })()"
    )
    return value


def page_nodes(page: Page) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = page.evaluate(
        "JSON.parse(document.getElementById('graph-data').textContent).nodes"
    )
    return nodes


def assert_drawn(png: bytes, width: int, height: int) -> Image.Image:
    """A real drawing: right size, grey levels that vary, many colours, enough ink."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (width, height)
    grey = image.convert("L")
    assert ImageStat.Stat(grey).var[0] > 150
    small = image.resize((image.width // 4, image.height // 4))
    colours = small.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 100
    background = max(count for count, _ in colours)
    assert 1 - background / (small.width * small.height) > 0.03
    return image


def assert_offline(page: Page) -> None:
    assert page.requests and page.requests[0].startswith("file:")
    leaving = [u for u in page.requests if not u.startswith(LOCAL)]
    assert leaving == []
    assert page.errors == []


def keep(name: str, png: bytes) -> None:
    folder = os.environ.get("SHANZHI_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.png").write_bytes(png)


def centre_of(page: Page, uid: str) -> tuple[float, float]:
    """Where a node is on screen (CSS pixels of the page)."""
    x, y = page.evaluate(
        f"(() => {{ const n = window.__shanzhi.network; const id = {uid!r};"
        " const p = n.canvasToDOM(n.getPosition(id));"
        " const r = document.getElementById('graph').getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; })()"
    )
    return float(x), float(y)


def mouse(page: Page, kind: str, x: float, y: float, clicks: int = 0) -> None:
    params: dict[str, Any] = {"type": kind, "x": x, "y": y}
    if kind != "mouseMoved":
        params.update(button="left", clickCount=clicks)
    page.send("Input.dispatchMouseEvent", params)


def double_click(page: Page, x: float, y: float) -> None:
    mouse(page, "mouseMoved", x, y)
    for clicks in (1, 2):
        mouse(page, "mousePressed", x, y, clicks)
        mouse(page, "mouseReleased", x, y, clicks)
        time.sleep(0.05)


# -- every view: drawn, complete, offline -------------------------------------------------------
def expected_nodes(store: EmbeddedStore, view: str, pic: Picture) -> tuple[int, int]:
    """(nodes in the page's data, nodes shown at first), computed from the sample itself."""
    g = store.snapshot().to_networkx()
    if view == "coverage":
        building = next(n.id for n in pic.nodes if n.parent is None)
        answer = who_covers(store, building)
        ds = answer["building"]["dataset"]
        ids = {f"{ds}:{s['grid']['id']}" for s in answer["chain"]}
        ids |= {f"{ds}:{x['id']}" for s in answer["chain"] for x in s["orgs"] + s["people"]}
        return 1 + len(ids), 1 + len(ids)
    if view == "circle":
        (c,) = circles(store, pic.focus)
        return 1 + len(c.members), 1 + len(c.members)
    if view == "grid":
        levels = [d["level"] for _, d in g.nodes(data=True) if d["label"] == "Grid"]
        return len(levels), len([lv for lv in levels if lv != "building"])
    assert pic.focus is not None
    undirected = nx.Graph(g)
    one = set(nx.ego_graph(undirected, pic.focus, radius=1))
    two = set(nx.ego_graph(undirected, pic.focus, radius=2))
    return len(two), len(one)


@pytest.mark.parametrize("view", ["coverage", "circle", "grid", "ego"])
def test_each_view_opens_offline_and_draws_every_node(
    browser: Browser,
    store: EmbeddedStore,
    pictures: dict[str, Picture],
    tmp_path: Path,
    view: str,
) -> None:
    pic = pictures[view]
    page = open_picture(browser, pic, tmp_path / f"{view}.html")
    s = state(page)
    assert s["error"] is None and s["library"] is True and s["settled"] is True
    total, shown = expected_nodes(store, view, pic)
    assert (s["nodes"], s["visible"]) == (total, shown)
    assert len(page_nodes(page)) == total
    network = "window.__shanzhi.network"
    assert page.evaluate(f"{network}.body.data.nodes.length") == total
    assert page.evaluate(f"Object.keys({network}.getPositions()).length") == shown
    png = page.screenshot()
    assert_drawn(png, WIDTH, HEIGHT)
    assert_offline(page)
    title = page.evaluate("document.querySelector('h1').textContent")
    legend = page.evaluate("[...document.querySelectorAll('#legend div')].map(d => d.textContent)")
    assert title == pic.title and legend == [e["zh"] for e in pic.legend()]
    keep(view, png)
    page.close()


def test_the_recorder_would_see_a_request_leave(browser: Browser, tmp_path: Path) -> None:
    """The offline check is not vacuous: a page that asks the network is caught."""
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<img src="https://example.com/x.png"><script src="http://cdn.test/a.js">'
                     "</script>", encoding="utf-8")  # fmt: skip
    page = browser.open(leaky.as_uri(), 400, 300)
    page.evaluate("1")
    assert [u for u in page.requests if not u.startswith(LOCAL)] == [
        "https://example.com/x.png",
        "http://cdn.test/a.js",
    ]
    page.close()


# -- used as a person uses it -----------------------------------------------------------------
def test_double_click_expands_and_collapses_a_branch(
    browser: Browser, pictures: dict[str, Picture], tmp_path: Path
) -> None:
    pic = pictures["grid"]
    branch = next(n for n in pic.nodes if n.kind == "Grid/branch" and not n.hidden)
    below = [n.id for n in pic.nodes if n.parent == branch.id]
    page = open_picture(browser, pic, tmp_path / "grid.html")
    before = state(page)["visible"]
    page.send("Runtime.evaluate", {"expression": f"window.__shanzhi.network.focus({branch.id!r},"
              " {scale: 1.2})"})  # fmt: skip
    double_click(page, *centre_of(page, branch.id))
    page.wait_for(f"window.__shanzhi.visible === {before + len(below)}", timeout=5)
    hidden = page.evaluate(
        f"{below!r}.filter(id => window.__shanzhi.network.body.data.nodes.get(id).hidden).length"
    )
    assert hidden == 0
    label = page.evaluate(f"window.__shanzhi.network.body.data.nodes.get({branch.id!r}).label")
    assert label == branch.label  # the "＋7" is gone once expanded
    double_click(page, *centre_of(page, branch.id))
    page.wait_for(f"window.__shanzhi.visible === {before}", timeout=5)
    assert page.errors == []
    page.close()


def test_double_click_in_ego_shows_the_next_ring(
    browser: Browser, pictures: dict[str, Picture], tmp_path: Path
) -> None:
    pic = pictures["ego"]
    page = open_picture(browser, pic, tmp_path / "ego.html")
    before = state(page)["visible"]
    hidden = {n.id for n in pic.nodes if n.hidden}
    shown = [n for n in pic.nodes if not n.hidden and n.id != pic.focus]
    anchor = next(
        n for n in shown
        if any({e.source, e.target} & hidden and n.id in (e.source, e.target) for e in pic.edges)
    )  # fmt: skip
    page.send("Runtime.evaluate", {"expression": f"window.__shanzhi.network.focus({anchor.id!r},"
              " {scale: 1.5})"})  # fmt: skip
    double_click(page, *centre_of(page, anchor.id))
    page.wait_for(f"window.__shanzhi.visible > {before}", timeout=5)
    assert page.errors == []
    page.close()


def test_search_box_finds_and_focuses_a_person(
    browser: Browser, pictures: dict[str, Picture], tmp_path: Path
) -> None:
    pic = pictures["coverage"]
    person = next(n for n in pic.nodes if n.kind == "Person")
    name = person.label.split(" · ")[0]
    page = open_picture(browser, pic, tmp_path / "coverage.html")
    page.evaluate("document.getElementById('search').focus()")
    page.send("Input.insertText", {"text": name})
    for kind in ("keyDown", "keyUp"):
        page.send(
            "Input.dispatchKeyEvent",
            {"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13},
        )
    hits = page.evaluate("document.getElementById('hits').textContent")
    assert hits == "1 个匹配"
    assert page.evaluate("window.__shanzhi.network.getSelectedNodes()") == [person.id]
    details = page.evaluate("document.getElementById('details').textContent")
    assert details.startswith(name) and "138****" in details
    assert page.errors == []
    page.close()


def test_hover_shows_details_with_the_phone_masked(
    browser: Browser, pictures: dict[str, Picture], tmp_path: Path
) -> None:
    pic = pictures["coverage"]
    person = next(n for n in pic.nodes if n.kind == "Person" and "电话" in n.title)
    page = open_picture(browser, pic, tmp_path / "coverage.html")
    x, y = centre_of(page, person.id)
    mouse(page, "mouseMoved", x - 3, y - 3)
    mouse(page, "mouseMoved", x, y)
    page.wait_for(
        "[...document.querySelectorAll('div.vis-tooltip')].some(t => "
        "t.style.visibility === 'visible')",
        timeout=5,
    )
    tip = page.evaluate("document.querySelector('div.vis-tooltip').innerText")
    assert tip.splitlines()[0] == person.label.split(" · ")[0]
    assert "电话：138****" in tip
    assert not any(ch.isdigit() for ch in tip.split("电话：")[1].split("\n")[0][3:7])
    page.close()


def test_a_hostile_name_stays_text(browser: Browser, tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    evil = "</script><script>window.pwned=1</script><img src=x onerror=window.pwned=2>"
    g.add_node("d:a", label="Person", id="a", name=evil)
    g.add_node("d:b", label="Grid", id="b", name="示例网格", level="block")
    g.add_edge("d:a", "d:b", key="k", type="HOLDS", role="<b>网格长</b>")
    page = open_picture(browser, picture_of(g, ["d:a", "d:b"], evil), tmp_path / "evil.html")
    assert state(page)["nodes"] == 2
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.evaluate("document.title") == evil
    assert_offline(page)
    page.close()


# -- PNG output ----------------------------------------------------------------------------
@pytest.mark.parametrize("view", ["coverage", "circle", "grid", "ego"])
def test_png_output_is_a_drawing(
    browser: Browser, pictures: dict[str, Picture], tmp_path: Path, view: str
) -> None:
    from shanzhi.viz.png import svg_size
    from shanzhi.viz.svg import render_svg

    path = write_picture(pictures[view], tmp_path / f"{view}.png", browser)
    width, height = svg_size(render_svg(pictures[view]))
    image = assert_drawn(path.read_bytes(), 2 * width, 2 * height)
    assert image.getpixel((2, 2)) == (0xFB, 0xFB, 0xF8)  # the page's paper colour, not black


def test_viz_command_writes_a_png(store: EmbeddedStore, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from shanzhi.cli import main

    out = tmp_path / "circle.png"
    args = ["--home", str(store.home), "viz", "circle", "善业街区网格", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"已写入 {out} — 善业街区网格 善治朋友圈，")
    image = Image.open(out)
    assert image.format == "PNG" and ImageStat.Stat(image.convert("L")).var[0] > 150
