"""A tree drawn as text: the shape of the who-covers answer, without rich.

A :class:`Tree` is a label (pieces of text, each plain, ``bold``, ``yellow`` or ``red``) and its
children. :meth:`Tree.lines` draws it at a width in terminal cells with the guides ``├── ``,
``│   ``, ``└── `` and ``    ``; a label too long for its line wraps as rich wraps it
(:mod:`shanzhi.render.cells`), its next lines indented under its text. For a stream that is not
a terminal, the lines are those rich's ``Tree`` prints for the same labels (tests/render prove
it on real answers); on a terminal the styles are ANSI SGR codes, unless ``NO_COLOR`` is set.
:func:`print_tree` writes a tree to a stream at the width rich would choose (``COLUMNS``, else
the terminal's, else 80). A tree is also a rich renderable, so a rich report can hold one.

>>> root = Tree(("示例1号楼", "bold"), "（B1）")
>>> grid = root.add(("楼组网格", "bold"), "：示例网格（G5）")
>>> _ = grid.add("楼管小组成员：白测试红（138****8685）、顾测试强（138****7970）")
>>> _ = root.add(("街道总网格", "bold"), "：", ("缺失", "red"))
>>> print("\\n".join(root.lines(40)))
示例1号楼（B1）
├── 楼组网格：示例网格（G5）
│   └── 楼管小组成员：白测试红（138****8
│       685）、顾测试强（138****7970）
└── 街道总网格：缺失
>>> root.lines(40, color=True)[-1]
'└── \\x1b[1m街道总网格\\x1b[0m：\\x1b[31m缺失\\x1b[0m'
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from typing import IO, TYPE_CHECKING, Literal

from shanzhi.render.cells import cell_len, wrap_ranges

if TYPE_CHECKING:  # rich draws a tree only inside a rich report
    from rich.console import Console, ConsoleOptions, RenderResult

__all__ = ["Piece", "Style", "Tree", "print_tree", "terminal_width", "wants_color"]

Style = Literal["bold", "yellow", "red"]
#: A run of a label's text, and its style (None: plain).
Piece = tuple[str, Style | None]

_SGR: dict[str, str] = {"bold": "1", "yellow": "33", "red": "31"}
#: Control characters a terminal would act on; rich drops BEL, BS, VT, FF and CR, and the
#: others take no cell, so dropping them all changes no line's width.
_CONTROLS = {c: None for c in (*range(32), *range(0x7F, 0xA0)) if c not in (9, 10)}
FORK, LAST, THROUGH, SPACE = "├── ", "└── ", "│   ", "    "
TAB = 8


def _clean(pieces: tuple[Piece, ...]) -> tuple[Piece, ...]:
    """Control characters dropped, tabs as spaces to the next multiple of 8 cells (as rich)."""
    out: list[Piece] = []
    column = 0
    for text, style in pieces:
        parts = text.translate(_CONTROLS).split("\t")
        for n, part in enumerate(parts[:-1]):
            column = _column(column, part)
            gap = 1 + (-(column + 1) % TAB)
            parts[n] = part + " " * gap
            column += gap
        column = _column(column, parts[-1])
        out.append(("".join(parts), style))
    return tuple(out)


def _column(column: int, text: str) -> int:
    """The cell a line is at after ``text`` (a new line starts at 0)."""
    if "\n" in text:
        return cell_len(text.rsplit("\n", 1)[1])
    return column + cell_len(text)


class Tree:
    """A label and the trees under it."""

    def __init__(self, *label: str | Piece) -> None:
        self.label: tuple[Piece, ...] = _clean(
            tuple((p, None) if isinstance(p, str) else p for p in label)
        )
        self.children: list[Tree] = []

    def add(self, *label: str | Piece) -> Tree:
        """A new child with this label (returned, to add under it)."""
        child = Tree(*label)
        self.children.append(child)
        return child

    @property
    def text(self) -> str:
        """The label as plain text."""
        return "".join(text for text, _ in self.label)

    def label_lines(self, width: int) -> list[list[Piece]]:
        """The label wrapped to ``width`` cells, each line as its pieces."""
        plain = self.text
        spans: list[tuple[int, int, Style | None]] = []
        at = 0
        for text, style in self.label:
            spans.append((at, at + len(text), style))
            at += len(text)
        lines: list[list[Piece]] = []
        for a, b, pad in wrap_ranges(plain, max(width, 1)):
            line = [(plain[max(a, s) : min(b, e)], st) for s, e, st in spans if s < b and e > a]
            lines.append([p for p in line if p[0]] + ([(pad, None)] if pad else []))
        return lines

    def rows(self, width: int) -> Iterator[tuple[str, list[Piece]]]:
        """Each line drawn: its guides, then its pieces."""
        yield from self._rows(width, "", "", "")

    def _rows(
        self, width: int, lead: str, first: str, then: str
    ) -> Iterator[tuple[str, list[Piece]]]:
        for n, line in enumerate(self.label_lines(width - len(lead) - len(first))):
            yield lead + (then if n else first), line
        for i, child in enumerate(self.children):
            last = i == len(self.children) - 1
            yield from child._rows(
                width, lead + then, LAST if last else FORK, SPACE if last else THROUGH
            )

    def lines(self, width: int, color: bool = False) -> list[str]:
        """The tree drawn at ``width`` cells, one string per line (styles as SGR with
        ``color``)."""
        return [guides + _styled(pieces, color) for guides, pieces in self.rows(width)]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        for guides, pieces in self.rows(options.max_width):
            yield Segment(guides)
            for text, style in pieces:
                yield Segment(text, console.get_style(style) if style else None)
            yield Segment.line()


def _styled(pieces: list[Piece], color: bool) -> str:
    if not color:
        return "".join(text for text, _ in pieces)
    return "".join(f"\x1b[{_SGR[s]}m{t}\x1b[0m" if s else t for t, s in pieces)


def _is_terminal(stream: IO[str], environ: Mapping[str, str]) -> bool:
    """Whether ``stream`` is a terminal, as rich decides (TTY_COMPATIBLE, FORCE_COLOR)."""
    if environ.get("TTY_COMPATIBLE") in ("0", "1"):
        return environ["TTY_COMPATIBLE"] == "1"
    if environ.get("FORCE_COLOR") is not None:
        return environ["FORCE_COLOR"] != ""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or closed
        return False


def _dumb(stream: IO[str], environ: Mapping[str, str]) -> bool:
    return environ.get("TERM", "").lower() in ("dumb", "unknown") and _is_terminal(stream, environ)


def wants_color(stream: IO[str], environ: Mapping[str, str] | None = None) -> bool:
    """Styles as SGR codes: on a terminal that is not dumb, unless ``NO_COLOR`` is set."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR", ""):
        return False
    return _is_terminal(stream, env) and not _dumb(stream, env)


def terminal_width(stream: IO[str], environ: Mapping[str, str] | None = None) -> int:
    """The width rich would draw at: ``COLUMNS``, 80 on a dumb terminal, else the size of
    the first of stdin, stdout and stderr that is a terminal, else 80."""
    env = os.environ if environ is None else environ
    columns = env.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if _dumb(stream, env):
        return 80
    for fd in (0, 1, 2):
        try:
            return os.get_terminal_size(fd).columns or 80
        except (AttributeError, ValueError, OSError):  # not a terminal
            continue
    return 80


def print_tree(tree: Tree, stream: IO[str] | None = None) -> None:
    """Write ``tree`` to ``stream`` (default: stdout now), at the terminal's width."""
    out = sys.stdout if stream is None else stream
    lines = tree.lines(terminal_width(out), color=wants_color(out))
    out.write("".join(line + "\n" for line in lines))
    out.flush()
