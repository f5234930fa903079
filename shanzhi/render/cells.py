"""Text measured in terminal cells, and wrapped to a width the way rich wraps it.

A terminal shows an East Asian wide or full-width character (``unicodedata.east_asian_width``
``W`` or ``F``: 汉字, 全角标点 such as （ ） ：) in two cells, control characters and combining
marks in none, every other character in one. :func:`wrap` breaks a line as rich's
``Text.wrap`` does (``overflow="fold"``): at the spaces between words when it can, and a word
wider than the line (a Chinese line has no spaces: it is one word) folded at the last
character that fits; each piece keeps the spaces that follow it unless they would pass the
width.

>>> cell_len("楼组长：张测试（138****0001）")
29
>>> wrap("路长：赵测试辉（138****5238）、白测试红", 20)
['路长：赵测试辉（138*', '***5238）、白测试红']
>>> wrap("示例小区（党小组） · 引领", 18), wrap("示例小区（党小组） · 引领", 16)
(['示例小区（党小组）', '· 引领'], ['示例小区（党小组', '） · 引领'])

Where this differs from rich: rich measures a grapheme (an emoji joined by ZWJ, a character
with a variation selector) as one; here every character counts alone. Names and addresses are
Chinese, Latin letters, digits and punctuation, where the two agree (tests/render).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

__all__ = ["cell_len", "chop", "wrap", "wrap_offsets", "wrap_ranges"]

_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")


@lru_cache(maxsize=4096)
def _char_cells(ch: str) -> int:
    code = ord(ch)
    if code < 32 or 0x7F <= code < 0xA0:
        return 0
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cell_len(text: str) -> int:
    """How many terminal cells ``text`` takes."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(map(_char_cells, text))


def chop(text: str, width: int) -> list[str]:
    """``text`` cut into pieces of at most ``width`` cells (a wide character never split)."""
    pieces: list[str] = []
    size = start = 0
    for i, ch in enumerate(text):
        cells = _char_cells(ch)
        if size + cells > width:
            pieces.append(text[start:i])
            start, size = i, 0
        size += cells
    if size:
        pieces.append(text[start:])
    return pieces


def _cut(text: str, width: int) -> tuple[int, str]:
    """How many characters of ``text`` fit in ``width`` cells, and the space that pads them
    when a wide character would cross the edge."""
    if cell_len(text) <= width:
        return len(text), ""
    size = 0
    for i, ch in enumerate(text):
        cells = _char_cells(ch)
        if size + cells > width:
            return i, " " if size < width else ""
        size += cells
    return len(text), ""


def wrap_offsets(text: str, width: int) -> list[int]:
    """Where one line of ``text`` breaks to fit ``width`` cells (character offsets)."""
    breaks: list[int] = []
    used = 0
    for m in _WORD.finditer(text):
        start, word = m.start(), m.group()
        length = cell_len(word.rstrip())
        if width - used >= length:
            used += cell_len(word)
        elif length > width:  # wider than any line: folded
            pieces = chop(word, width)
            for n, piece in enumerate(pieces, 1):
                if start:
                    breaks.append(start)
                if n == len(pieces):
                    used = cell_len(piece)
                else:
                    start += len(piece)
        elif used and start:
            breaks.append(start)
            used = cell_len(word)
    return breaks


def _kept(piece: str, width: int) -> tuple[int, str]:
    """How much of a wrapped piece shows: the spaces past the width dropped (counted in
    characters, as rich counts them), then cut to the width (:func:`_cut`)."""
    if len(piece) > width and (spaces := _TRAILING_SPACE.search(piece)):
        piece = piece[: len(piece) - min(len(spaces.group()), len(piece) - width)]
    return _cut(piece, width)


def wrap_ranges(text: str, width: int) -> list[tuple[int, int, str]]:
    """The lines ``text`` takes at ``width`` cells (its own line breaks kept): each as the
    offsets of the characters it shows and a space to add after them (a wide character across
    the edge becomes a space, :func:`_cut`)."""
    ranges: list[tuple[int, int, str]] = []
    at = 0
    for line in text.split("\n"):
        cuts = [0, *wrap_offsets(line, width), len(line)]
        for a, b in pairwise(cuts):
            kept, pad = _kept(line[a:b], width)
            ranges.append((at + a, at + a + kept, pad))
        at += len(line) + 1
    return ranges


def wrap(text: str, width: int) -> list[str]:
    """``text`` as the lines it takes at ``width`` cells (its own line breaks kept)."""
    return [text[a:b] + pad for a, b, pad in wrap_ranges(text, width)]
