"""Addresses inside a ticket's free text: "共和新路2288弄12号楼道内堆物" → "共和新路2288弄12号楼".

A ticket's 诉求内容 is a sentence; the address in it ends with a building number (号, 号楼, 幢,
栋, 座, after an optional lane 弄). :func:`address_spans` cuts the text into clauses at
punctuation, normalises each the finder's way (full-width folded, spaces gone, Chinese numerals
before a unit made digits) and returns, for every building number, the clause's text up to and
including it, without the words that lead into a complaint's address (居民反映…, 来电称…,
位于…).

Typing habits handled here, before the finder sees the text: 号 typed for 弄 (共和新路2288号12号楼
is 2288弄12号楼), a room after a dash (2288弄12-601 is 2288弄12号601室), and 号楼 followed by
楼道/楼梯/楼下 (12号楼道 is building 12 and its stairwell).

>>> address_spans("共和新路2288弄12号楼道内堆物")
['共和新路2288弄12号']
>>> address_spans("居民反映：嘉利明珠城 十二号楼 楼道堆物，请处理")
['嘉利明珠城12号楼']
>>> address_spans("居民反映嘉利明珠城12号楼道堆物"), address_spans("来电称共和新路2288弄12号漏水")
(['嘉利明珠城12号'], ['共和新路2288弄12号'])
>>> address_spans("共和新路2288号12号楼门口占道经营")
['共和新路2288弄12号楼']
>>> address_spans("嘉利明珠城12号楼和13号楼之间堆物"), address_spans("共和新路2288弄12号、13号")
(['嘉利明珠城12号楼', '嘉利明珠城13号楼'], ['共和新路2288弄12号', '共和新路2288弄13号'])
>>> address_spans("楼道里堆满杂物")
[]
"""

from __future__ import annotations

import re
import unicodedata

from shanzhi.graph.queries.finder import normalize

__all__ = ["address_spans", "addresses_in"]

_CLAUSE_BREAK = re.compile(r"[，。；;,!?！？：:（）()【】\[\]《》\"'“”‘’\n\r\t]+")
_DASH_ROOM = re.compile(r"(弄\s*\d+)\s*[-－—–]\s*(\d{3,4})(?!\d)")
#: A building number: lane optional, 号 before 楼道/楼梯/… read as 号 (the 楼 is the stairwell's).
_NUMBER = re.compile(r"(?:\d+弄)?\d+[a-z]?(?:号楼(?![道梯下上顶内外里前后口])|号|幢|栋|座)")
_LANE_AS_NUMBER = re.compile(r"(?<![弄\d])(\d+)号(?=\d+[a-z]?(?:号楼|号|幢|栋|座))")
#: Words that join two numbers of one place: 12号楼和13号楼 names 13号楼 of the same estate.
_JOINERS = re.compile(r"^(?:和|与|及|或|至|到|跟|以及|还有)?$")
#: Words after which a complaint's address starts (居民反映…, 来电称…, 位于…): what stands before
#: the last of them in a span is not part of the address.
_LEAD_IN = re.compile(r"^.*(?:反映|投诉|举报|来电称|声称|称|位于|地址为|地址是|地址|报修)")
#: More spans than this in one text are not an address but a list; the text is then ambiguous.
MAX_SPANS = 8


def _clauses(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text)
    folded = _DASH_ROOM.sub(r"\1号\2室", folded)
    return [c for c in (normalize(part) for part in _CLAUSE_BREAK.split(folded)) if c]


def address_spans(text: str) -> list[str]:
    """Every address-like span of ``text`` (normalised), in order; [] when none."""
    spans: list[str] = []
    for clause in _clauses(text):
        clause = _LANE_AS_NUMBER.sub(r"\1弄", clause)
        start, place, lane = 0, None, ""
        for m in _NUMBER.finditer(clause):
            head, number = clause[start : m.start()], m.group()
            own_lane = re.match(r"\d+弄", number)
            if place is not None and _JOINERS.match(head):
                spans.append(place + ("" if own_lane else lane) + number)  # …12号楼和13号楼
            else:
                head = _LEAD_IN.sub("", head)
                spans.append(head + number)
                place, lane = head, own_lane.group() if own_lane else ""
            start = m.end()
    return spans[: MAX_SPANS + 1]


def addresses_in(cell: str) -> list[str]:
    """The addresses an address cell holds: its spans, or the whole cell when it has none
    (an id, an estate name, a building name without a number: the finder judges those).

    >>> addresses_in("P-JLMZ-B12"), addresses_in("共和新路2288弄12号；2288弄13号")
    (['P-JLMZ-B12'], ['共和新路2288弄12号', '2288弄13号'])
    """
    spans = address_spans(cell)
    if spans:
        return spans
    whole = unicodedata.normalize("NFKC", cell).strip()
    return [whole] if whole else []
