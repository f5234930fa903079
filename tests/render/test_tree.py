"""The tree drawer of shanzhi.render.tree: its wrapping equals rich's (rich is the oracle here,
and only here), for random text and for every who-covers answer of the goldens; its guides,
width and colours on their own terms."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text
from rich.tree import Tree as RichTree

from shanzhi.address.match import KIND_LABELS
from shanzhi.graph.queries.who_covers import who_covers
from shanzhi.render.answers import who_covers_tree
from shanzhi.render.cells import cell_len, wrap
from shanzhi.render.tree import Piece, Style, Tree, print_tree, terminal_width, wants_color
from tests.render.rich_oracle import printed
from tests.test_who_covers_support import embedded_holding, small_street

GOLDEN = Path(__file__).parents[1] / "golden"
WIDTHS = (24, 40, 57, 80, 100, 200)
#: Chinese and full-width punctuation (two cells), the ideographic space, ambiguous-width
#: marks (· —: one cell), Latin letters, digits, brackets, spaces, a tab and a line break.
ALPHABET = [*"示例小区党组长测试（）：、，·—　 ", *"abcXYZ0129*-_.[]", " ", "  ", "\t", "\n", "\r"]
STYLES: list[Style | None] = [None, "bold", "yellow", "red"]


def _rich_lines(text: str, width: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    return [line.plain for line in Text(text).wrap(console, width)]


def test_wrap_equals_rich_on_random_text() -> None:
    rnd = random.Random(1)
    for _ in range(3000):
        text = "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 70)))
        text = text.replace("\t", "").replace("\r", "")
        width = rnd.randint(1, 40)
        assert wrap(text, width) == _rich_lines(text, width), (text, width)


def test_cells_count_wide_characters_twice() -> None:
    assert [cell_len(t) for t in ("abc", "楼组长", "（１２）", "·—", "a\u0301", "\x1b")] == [
        3, 6, 8, 2, 1, 0,
    ]  # fmt: skip


def _random_label(rnd: random.Random) -> list[Piece]:
    return [
        ("".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 25))), rnd.choice(STYLES))
        for _ in range(rnd.randint(1, 4))
    ]


def _both(rnd: random.Random) -> tuple[RichTree, Tree]:
    def rich_label(pieces: list[Piece]) -> Text:
        text = Text()
        for t, s in pieces:
            text.append(t, s)
        return text

    label = _random_label(rnd)
    nodes = [(RichTree(rich_label(label)), Tree(*label), 0)]
    for _ in range(rnd.randint(0, 9)):
        theirs, ours, depth = rnd.choice(nodes)
        if depth < 4:
            label = _random_label(rnd)
            nodes.append((theirs.add(rich_label(label)), ours.add(*label), depth + 1))
    return nodes[0][0], nodes[0][1]


def test_random_trees_are_drawn_as_rich_draws_them() -> None:
    rnd = random.Random(2)
    for _ in range(700):
        theirs, ours = _both(rnd)
        width = rnd.randint(18, 120)
        file = io.StringIO()
        Console(file=file, width=width, color_system=None).print(theirs)
        assert "".join(f"{line}\n" for line in ours.lines(width)) == file.getvalue(), width


def _answers(tmp: Path) -> list[dict[str, Any]]:
    """Every who-covers answer of the goldens (sample and synth, four days), and those of the
    small street's three buildings (a climb to the estate's grid, a building nothing covers),
    each given one of the ways of matching in turn."""
    answers = [
        answer
        for path in sorted(GOLDEN.glob("*/who_covers@*.json"))
        for answer in json.loads(path.read_text(encoding="utf-8")).values()
    ]
    store = embedded_holding(tmp, small_street())
    for day in ("2024-06-30", "2025-01-01"):
        for bid in ("B1", "B2", "B4"):
            answers.append(who_covers(store, bid, on=day, show_contact=True))
    store.close()
    kinds = [None, *KIND_LABELS]
    return [{**a, "match": kinds[n % len(kinds)]} for n, a in enumerate(answers)]


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    return _answers(tmp_path_factory.mktemp("small-street"))


def test_the_answers_hold_every_shape_the_tree_draws(answers: list[dict[str, Any]]) -> None:
    """Guesses, climbs, missing levels, the 路长 of the day."""
    assert len(answers) > 200
    assert any(a["match"] == "guess" for a in answers)
    assert any((a.get("covered_via") or {}).get("depth") for a in answers)
    assert any(a["missing_levels"] for a in answers)
    assert any(a.get("road") for a in answers)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_answer_is_drawn_as_rich_drew_it(answers: list[dict[str, Any]], width: int) -> None:
    for answer in answers:
        ours = "".join(f"{line}\n" for line in who_covers_tree(answer).lines(width))
        assert ours == printed(answer, width), (answer["building"]["id"], width)


def test_the_tree_inside_a_rich_report_is_the_same_drawing(answers: list[dict[str, Any]]) -> None:
    """The demo's tour prints the tree among rich renderables: the same lines."""
    file = io.StringIO()
    Console(file=file, width=70, color_system=None).print(who_covers_tree(answers[0]))
    assert file.getvalue() == printed(answers[0], 70)


def test_continuation_lines_stay_under_their_text() -> None:
    root = Tree("根")
    first = root.add("第一级：" + "、".join(f"张测试{i}（138****000{i}）" for i in range(4)))
    first.add("下一级")
    root.add("最后：" + "甲" * 30)
    assert root.lines(40) == [
        "根",
        "├── 第一级：张测试0（138****0000）、张测",
        "│   试1（138****0001）、张测试2（138****",
        "│   0002）、张测试3（138****0003）",
        "│   └── 下一级",
        "└── 最后：甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲",
        "    甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲",
    ]
    assert max(cell_len(line) for line in root.lines(40)) == 40


def test_colours_are_sgr_codes_only_when_asked() -> None:
    tree = Tree(("楼", "bold"), "（B1）")
    tree.add(("猜测", "yellow"))
    tree.add("网格：", ("缺失", "red"))
    assert tree.lines(80) == ["楼（B1）", "├── 猜测", "└── 网格：缺失"]
    assert tree.lines(80, color=True) == [
        "\x1b[1m楼\x1b[0m（B1）",
        "├── \x1b[33m猜测\x1b[0m",
        "└── 网格：\x1b[31m缺失\x1b[0m",
    ]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "env", "color"),
    [
        (_Terminal(), {}, True),
        (_Terminal(), {"NO_COLOR": "1"}, False),
        (_Terminal(), {"TERM": "dumb"}, False),
        (io.StringIO(), {}, False),
        (io.StringIO(), {"FORCE_COLOR": "1"}, True),
        (_Terminal(), {"TTY_COMPATIBLE": "0"}, False),
    ],
)
def test_colour_on_a_terminal_unless_no_color(
    stream: io.StringIO, env: dict[str, str], color: bool
) -> None:
    assert wants_color(stream, env) is color


def test_the_width_is_columns_else_the_terminal_else_80(monkeypatch: pytest.MonkeyPatch) -> None:
    assert terminal_width(io.StringIO(), {"COLUMNS": "57"}) == 57

    def no_terminal(fd: int) -> Any:
        raise OSError(fd)

    monkeypatch.setattr("os.get_terminal_size", no_terminal)
    assert terminal_width(io.StringIO(), {"COLUMNS": "wide"}) == 80
    assert terminal_width(_Terminal(), {"TERM": "dumb"}) == 80
    monkeypatch.setattr("os.get_terminal_size", lambda fd: __import__("os").terminal_size((133, 9)))
    assert terminal_width(io.StringIO(), {}) == 133


def test_print_tree_writes_lines_at_the_width_of_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "30")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    file = io.StringIO()
    print_tree(Tree("示例" * 20), file)
    assert file.getvalue() == "".join(
        f"{line}\n" for line in ["示例" * 7 + "示", "例示" * 7 + "例", "示例" * 5]
    )


def test_control_characters_never_reach_the_terminal() -> None:
    """An escape in a name is dropped (rich let it through; it takes no cell either way)."""
    assert Tree("张\x1b[31m测试\x07").lines(80) == ["张[31m测试"]
