"""The finder's corpus: typed queries with the outcome each must get, by category, and a score.

An expectation is a building id (the one answer), ``list:ID`` (several, ID among them: the
query cannot name one) or ``none``. Cases come from ``cases.csv`` (hand-written: the issue's
examples and traps) and from :func:`sample_cases` / :func:`synth_cases`, which retype every
building of the sample and of a synthetic street the ways people type. Every expectation of a
generated case is computed from the raw places.csv fields (names, addresses, parents), never
from the parser, and a retyped query that names another building exactly expects that one.

Scoring (:func:`score`): **right** — the expected building answered (not as a guess), or for
``list``/``none`` the expected list/none; **honest** — a list holding the expected building, a
guess of it, or a list or a guess where none was expected (a guess is a question);
**missed** — nothing or a list without it; **wrong** — any other building answered or
guessed, or one building where several or none were expected.
"""

from __future__ import annotations

import csv
import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import opencc
from pypinyin import Style, lazy_pinyin

from shanzhi.address import find
from shanzhi.address.lookup import Candidates
from shanzhi.address.match import Match
from shanzhi.synth.names import cn_number

HERE = Path(__file__).parent
OUTCOMES = ("right", "honest", "missed", "wrong")
_S2T = opencc.OpenCC("s2t")
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
_DIGIT = "零一二三四五六七八九"
#: Roads one suffix away from a real one: a different road, never the same (DOMAIN.md).
ROAD_TWINS = {
    "共和新路": ("共和路", "共和新支路", "共和新北路"),
    "中山北路": ("中山北一路", "中山北二路", "中山南路", "中山西路"),
    "沪太路": ("沪太支路", "老沪太路", "沪太东路"),
    "延长中路": ("延安中路", "延长西路", "延长路"),
    "洛川中路": ("洛川东路", "洛川西路", "洛川路"),
}


@dataclass(frozen=True)
class Case:
    """One query and what it must get."""

    category: str
    query: str
    expect: str
    corpus: str = "sample"


def _cn(n: int, positional: bool = False) -> str:
    return "".join(_DIGIT[int(d)] for d in str(n)) if positional or n >= 100 else cn_number(n)


def read_cases(path: Path = HERE / "cases.csv") -> list[Case]:
    """The hand-written cases (category, query, expect)."""
    with path.open(encoding="utf-8") as fh:
        return [
            Case(r["category"], r["query"], r["expect"], "sample")
            for r in csv.DictReader(fh)
            if not r["category"].startswith("#")
        ]


def _split(name: str) -> tuple[str, int] | None:
    m = re.fullmatch(r"(.+?)(\d+)(号楼|号|幢|栋|座)", name)
    return (m.group(1), int(m.group(2))) if m else None


def _split_address(address: str) -> tuple[str, int, int] | None:
    m = re.fullmatch(r"(.+?)(\d+)弄(\d+)号", address or "")
    return (m.group(1), int(m.group(2)), int(m.group(3))) if m else None


class _Truth:
    """Which building a name or an address exactly names, from the raw fields."""

    def __init__(self, rows: Sequence[Mapping[str, Any]]) -> None:
        self.by_address: dict[tuple[str, int, int], str] = {}
        self.by_estate: dict[tuple[str, int], set[str]] = {}
        for r in rows:
            a = _split_address(r.get("address") or "")
            if a:
                self.by_address[a] = r["id"]
            parsed = _split(r["name"])
            if parsed:
                est, n = parsed
                self.by_estate.setdefault((est.replace("·", ""), n), set()).add(r["id"])
        self.roads = {a[0] for a in self.by_address}

    def address(self, road: str, lane: int, n: int) -> str:
        return self.by_address.get((road, lane, n), "none")

    def estate(self, estate: str, n: int) -> str:
        ids = sorted(self.by_estate.get((estate.replace("·", ""), n), ()))
        return ids[0] if len(ids) == 1 else ("none" if not ids else f"list:{ids[0]}")


def _english(estate: str) -> str:
    words = lazy_pinyin(estate.rsplit("·", 1)[-1])
    if words and words[-1] == "cheng":
        return " ".join(w.capitalize() for w in words[:-1]) + " City"
    return " ".join(w.capitalize() for w in words)


def _district(row: Mapping[str, Any]) -> str:
    """上海市 and the building's district as its rows name it (静安区 for the sample)."""
    for p in row.get("parents") or ():
        if p["kind"] == "other" and str(p["name"]).endswith("区"):
            return f"上海市{p['name']}"
    return "上海市静安区"


def _variants(row: Mapping[str, Any], truth: _Truth, rng: random.Random) -> Iterable[Case]:
    """Every way of typing one building, each with its expected outcome."""
    bid, name = row["id"], row["name"]
    split = _split(name)
    addr = _split_address(row.get("address") or "")
    if split:
        est, n = split
        plain = est.replace("·", "")
        yield Case("exact", name, bid)
        yield Case("numerals", f"{est}{_cn(n)}号楼", bid)
        yield Case("numerals", f"{est}{n:02d}号".translate(_FULL), bid)
        if n >= 20:
            yield Case(
                "numerals", f"{est}{'廿' if n < 30 else '卅'}{_cn(n % 10) if n % 10 else ''}号", bid
            )
        for suffix in ("号", "幢", "栋", "座", "#"):
            yield Case("suffixes", f"{plain}{n}{suffix}", bid)
        yield Case("suffixes", f"{plain}第{_cn(n)}栋", bid)
        yield Case("rooms", f"{plain}{n}号{rng.randint(1, 18)}0{rng.randint(1, 4)}", bid)
        yield Case("rooms", f"{plain}{n}-{rng.randint(1, 18)}0{rng.randint(1, 4)}", bid)
        yield Case("rooms", f"{plain}{n}号楼{rng.randint(2, 18)}楼", bid)
        yield Case(
            "rooms",
            f"{plain}{n}号楼{_cn(rng.randint(1, 4))}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}室",
            bid,
        )
        yield Case("rooms", f"{plain}{n}号楼{rng.randint(1, 4)}号门", bid)
        yield Case("one-then-two", f"{plain}{n}号楼{rng.randint(2, 9)}", bid)
        yield Case("chatter", f"请问{plain}{n}号楼是谁管的", bid)
        yield Case("chatter", f"那个{plain}{_cn(n)}号楼吧", bid)
        yield Case("traditional", _S2T.convert(f"{plain}{_cn(n)}号楼"), bid)
        yield Case("postcode", f"{plain}{n}号楼 200072", bid)
        yield Case("pinyin", "".join(lazy_pinyin(plain)) + f"{n}hao", bid)
        if not re.search(r"\d", plain):  # initials of 洛川中路1100弄 are nobody's habit
            initials = "".join(lazy_pinyin(plain, style=Style.FIRST_LETTER))
            yield Case("pinyin", f"{initials}{n}", bid)
        yield Case("english", f"Building {n}, {_english(est)}", bid)
        others = truth.estate(est, n + 100)
        yield Case("absent-number", f"{plain}{n + 100}号楼", others)
        yield Case("several", f"{plain}{n}号楼和{n + 1}号楼", f"list:{bid}")
        yield Case("several", f"{plain}{n}、{n + 1}号楼", f"list:{bid}")
        yield Case("relative", f"{plain}{n}号楼对面", "none")
    if addr:
        road, lane, n = addr
        yield Case("address", f"{road}{lane}弄{n}号", bid)
        yield Case("address", f"{road}{_cn(lane, True)}弄{_cn(n)}号", bid)
        yield Case("prefixes", f"{_district(row)}{road}{lane}弄{n}号", bid)
        other = "上海市长宁区" if _district(row) == "上海市静安区" else "上海市静安区"
        # a district hint can contradict only a building whose rows name its district
        known = any(p["kind"] == "other" for p in row.get("parents") or ())
        yield Case("hint-contradicts", f"{other}{road}{lane}弄{n}号", "none" if known else bid)
        yield Case("landmark", f"{road}{lane}弄{n}号（近{rng.choice(sorted(truth.roads))}）", bid)
        yield Case("lane-for-号", f"{road}{lane}号{n}号楼", bid)
        yield Case(
            "lane-for-号",
            f"{road}{lane}号{_cn(n)}幢{rng.randint(1, 18)}0{rng.randint(1, 4)}室",
            bid,
        )
        yield Case("traditional", _S2T.convert(f"{road}{lane}弄{n}号"), bid)
        for twin in ROAD_TWINS.get(road, ()):
            yield Case("other-road", f"{twin}{lane}弄{n}号", truth.address(twin, lane, n))
        yield Case("other-lane", f"{road}{lane + 1}弄{n}号", truth.address(road, lane + 1, n))


def sample_cases(rows: Sequence[Mapping[str, Any]], seed: int = 12) -> list[Case]:
    """The generated cases over the sample's buildings."""
    truth, rng = _Truth(rows), random.Random(seed)
    return [c for r in sorted(rows, key=lambda r: r["id"]) for c in _variants(r, truth, rng)]


def synth_cases(rows: Sequence[Mapping[str, Any]], seed: int = 12, per: int = 60) -> list[Case]:
    """Generated cases over ``per`` buildings of a synthetic street, and its near-twin roads
    and estates (测试颐和西路 → 测试颐和路; 示例和乐花园 → 示例和乐家园), never to be confused."""
    truth, rng = _Truth(rows), random.Random(seed)
    picked = rng.sample(sorted(rows, key=lambda r: r["id"]), min(per, len(rows)))
    out: list[Case] = []
    for r in picked:
        for c in _variants(r, truth, rng):
            out.append(Case(f"synth-{c.category}", c.query, c.expect, "synth"))
        addr, split = _split_address(r["address"] or ""), _split(r["name"])
        if addr:
            road, lane, n = addr
            stem = re.sub(r"(东|西|南|北|支)?路$", "", road)
            for twin in {f"{stem}{s}路" for s in ("", "东", "西", "南", "北", "支")} - {road}:
                out.append(
                    Case(
                        "synth-other-road",
                        f"{twin}{lane}弄{n}号",
                        truth.address(twin, lane, n),
                        "synth",
                    )
                )
        if split:
            est, n = split
            stem = est[:-2] if est.endswith(("花园", "小区", "新村", "公寓", "家园")) else est[:-1]
            for suffix in ("苑", "新村", "花园", "小区", "公寓", "家园", "城", "里"):
                other = stem + suffix
                if other != est:
                    out.append(
                        Case(
                            "synth-other-estate", f"{other}{n}号楼", truth.estate(other, n), "synth"
                        )
                    )
    return out


def outcome_of(expect: str, m: Match) -> str:
    """right / honest / missed / wrong for one answer (see the module docstring)."""
    ids = [str(r["id"]) for r in m["rows"]]
    guess = m["kind"] == "guess"
    if expect == "none":
        if m["outcome"] == "none":
            return "right"
        return "honest" if m["outcome"] == "several" or guess else "wrong"
    want = expect.removeprefix("list:")
    if m["outcome"] == "none":
        return "missed"
    if m["outcome"] == "several":
        if expect.startswith("list:"):
            return "right" if want in ids else "missed"
        return "honest" if want in ids else "missed"
    if ids[0] != want or (expect.startswith("list:") and not guess):
        return "wrong"
    return "honest" if guess else "right"


def score(
    cases: Iterable[Case], candidates: Candidates
) -> tuple[dict[str, Counter[str]], list[tuple[Case, str, Match]]]:
    """The table by category, and every case with its outcome and the answer."""
    table: dict[str, Counter[str]] = {}
    detail = []
    for case in cases:
        m = find(case.query, candidates)
        got = outcome_of(case.expect, m)
        table.setdefault(case.category, Counter())[got] += 1
        detail.append((case, got, m))
    return table, detail


def render(table: Mapping[str, Counter[str]]) -> str:
    """The table as text: one line per category and a total."""
    lines = [f"{'category':<26}" + "".join(f"{o:>8}" for o in OUTCOMES) + f"{'total':>8}"]
    total: Counter[str] = Counter()
    for cat in sorted(table):
        c = table[cat]
        total.update(c)
        lines.append(
            f"{cat:<26}" + "".join(f"{c[o]:>8}" for o in OUTCOMES) + f"{sum(c.values()):>8}"
        )
    lines.append(
        f"{'total':<26}" + "".join(f"{total[o]:>8}" for o in OUTCOMES) + f"{sum(total.values()):>8}"
    )
    return "\n".join(lines)
