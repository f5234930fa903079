"""Which of the candidate rows a parsed address names — or that it names none, or several.

The rules (a wrong building is the worst answer; "not found" and "several" are honest):

- a **road** matches only exactly, by a declared alias (the building's road parent and its
  aliases), or by identical toneless pinyin (kind ``homophone``) — never by looking alike, so
  中山北一路, 中山南路 and 中山北路 stay three roads, as do 沪太支路 and 沪太路;
- the **lane and the building number** always match exactly; 号 typed for 弄
  (共和新路2288号12号楼) reads as lane 2288 when a building 12 stands in it (``lane-for-号``);
- an **estate** matches exactly, by an alias, by pinyin (``homophone``; ``pinyin`` and
  ``initials`` for Latin queries); else by a typo or an abbreviation (``guess``), and only when
  no other estate among the candidates is as close — a guess is a question, not an answer;
- a query naming only a lane, a bare number or a subdistrict is at best a ``guess``;
- **hints** (区, 街道, 居委会) that contradict the building remove it; a query that names several
  buildings (12号楼和13号楼) or a building's neighbour (对面, 隔壁) never gets one building.

Tiers: exact (``id``, ``exact``, ``alias``) beat ``lane-for-号``/``homophone``/``pinyin``/
``initials``/``community``, which beat ``guess``; the best tier present decides.

>>> estate = {"name": "嘉利明珠城", "kind": "estate"}
>>> rows = [{"uid": f"d:J{n}", "id": f"J{n}", "name": f"嘉利明珠城{n}号楼",
...          "address": f"共和新路2288弄{n}号", "parents": [estate]} for n in (1, 2, 12)]
>>> from shanzhi.address.parse import parse
>>> [(m["outcome"], m["kind"], [r["id"] for r in m["rows"]]) for m in (
...     match(parse("佳丽名珠城12号"), rows), match(parse("共和新路2288号12号楼"), rows),
...     match(parse("中山北路2288弄12号"), rows), match(parse("嘉利明珠城1号楼2"), rows))]
[('one', 'homophone', ['J12']), ('one', 'lane-for-号', ['J12']), ('none', None, []), \
('one', 'exact', ['J1'])]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, TypedDict

from shanzhi.address.facts import Facts, Triple, canon, facts
from shanzhi.address.model import Address, Hint
from shanzhi.address.normalize import initials, name_key, pinyin

__all__ = ["HINTS_DIFFER", "KIND_LABELS", "TIERS", "Match", "MatchKind", "match"]

MatchKind = Literal[
    "id", "exact", "alias", "lane-for-号", "homophone", "pinyin", "initials", "community",
    "guess",
]  # fmt: skip
#: The tier of each kind: lower is surer; the best tier among the candidates decides.
TIERS: dict[str, int] = {
    "id": 0, "exact": 0, "alias": 0, "lane-for-号": 1, "homophone": 1, "pinyin": 1,
    "initials": 1, "community": 1, "guess": 2,
}  # fmt: skip
#: How each kind reads to a person, (Chinese, English): the who-covers tree and messages.
KIND_LABELS: dict[str, tuple[str, str]] = {
    "id": ("按编号", "by id"),
    "exact": ("完全相符", "exact"),
    "alias": ("按别名", "by an alias"),
    "lane-for-号": ("“号”读作“弄”", "号 read as 弄"),
    "homophone": ("同音字", "a homophone"),
    "pinyin": ("按拼音", "by pinyin"),
    "initials": ("按拼音首字母", "by pinyin initials"),
    "community": ("按居委和楼号", "by community and number"),
    "guess": ("猜测", "a guess"),
}
#: The ``why`` of a "none" because the query's 区, 街道 or 居委 contradicts every building found.
HINTS_DIFFER = "地址里的区、街道或居委与楼栋不符 (hints differ)."
#: A typo or abbreviation counts from this similarity (0-100); estates within MARGIN of the
#: best one are as close, and two of them make the answer "several".
GUESS_AT = 75.0
MARGIN = 5.0


class Match(TypedDict):
    """The answer: one building (``rows`` of one), several (a list), or none, and how."""

    outcome: Literal["one", "several", "none"]
    kind: MatchKind | None
    rows: list[Mapping[str, Any]]
    why: str
    #: More rows had the keys than were read (:func:`shanzhi.address.lookup.resolve`).
    more: bool


def _source_kind(t: Triple) -> MatchKind:
    return "exact" if t.source in ("name", "address", "estate") else "alias"


def _road_kind(q: str, a: Address, t: Triple, f: Facts, exact: bool) -> MatchKind | None:
    if a.latin:
        return "pinyin" if q == pinyin(t.text) else None
    q = canon(q)
    if q == t.text:
        return _source_kind(t)
    if any(q in names and t.text in names for names in f.road_aliases):
        return "alias"
    if exact:
        return None
    return "homophone" if pinyin(q) == pinyin(t.text) else None


def _similar(q: str, text: str) -> float:
    if len(q) >= 2 and (q in text or text in q):
        return 90.0
    from rapidfuzz import fuzz  # only names neither equal nor homophones are scored (26 ms)

    return max(fuzz.ratio(q, text), fuzz.ratio(pinyin(q), pinyin(text)) - 2.0)


def _place_kind(q: str, a: Address, t: Triple, exact: bool) -> tuple[MatchKind | None, float]:
    if a.latin:
        if q == pinyin(t.text):
            return "pinyin", 100.0
        return ("initials", 100.0) if q == initials(t.text) else (None, 0.0)
    q = canon(q)
    if q == t.text:
        return _source_kind(t), 100.0
    if exact:
        return None, 0.0
    if pinyin(q) == pinyin(t.text):
        return "homophone", 100.0
    score = _similar(q, t.text)
    return ("guess", score) if score >= GUESS_AT else (None, 0.0)


def _numbers_fit(a: Address, t: Triple, lane: str | None) -> bool:
    want = a.numbers or ((a.loose,) if a.loose else ())
    if t.lane != lane:
        return False
    return t.number in want if want else True


def _road_part(a: Address, f: Facts, exact: bool) -> MatchKind | None:
    assert a.road is not None
    best: MatchKind | None = None
    for t in f.triples:
        if not t.road:
            continue
        kind = _road_kind(a.road, a, t, f, exact)
        if kind is None:
            continue
        if a.house and not a.lane:
            if a.numbers and _numbers_fit(a, t, a.house):
                kind = "lane-for-号" if TIERS[kind] == 0 else kind
            elif not a.numbers and t.lane is None and t.number == a.house:
                pass  # the door number itself
            elif not a.numbers and t.lane == a.house:
                kind = "lane-for-号" if TIERS[kind] == 0 else kind
            else:
                continue
        elif not _numbers_fit(a, t, a.lane):
            continue
        if best is None or TIERS[kind] < TIERS[best]:
            best = kind
    return best


def _place_part(a: Address, f: Facts, exact: bool) -> tuple[MatchKind | None, float, str]:
    assert a.place is not None
    best: tuple[MatchKind | None, float, str] = (None, 0.0, "")
    want = None if a.road else a.lane
    road_lanes = {t.lane for t in f.triples if t.road}
    for t in f.triples:
        if t.road or not t.text:
            continue
        lane_ok = t.lane == want or (want is not None and t.lane is None and want in road_lanes)
        if not lane_ok or not _numbers_fit(a, t, t.lane):
            continue
        kind, score = _place_kind(a.place, a, t, exact)
        if kind is None:
            continue
        if best[0] is None or (TIERS[kind], -score) < (TIERS[best[0]], -best[1]):
            best = (kind, score, t.text)
    return best


def _bare_part(a: Address, f: Facts) -> MatchKind | None:
    """A lane and number, or a bare number, with no road or place: a guess at most."""
    for t in f.triples:
        if (a.lane is None or t.lane == a.lane) and _numbers_fit(a, t, t.lane):
            if a.numbers and any(h.level == "community" for h in a.hints):
                return "community"
            return "guess"
    return None


def _agrees(h: Hint, cores: tuple[str, ...], latin: bool, exact: bool) -> bool:
    hint = h.core if latin else name_key(h.core)
    for c in cores:
        c2 = pinyin(c) if latin else c
        if hint == c2 or c2.endswith(hint) or hint.endswith(c2):
            return True
        if not exact and pinyin(hint) == pinyin(c2):
            return True
    return False


def _contradicted(a: Address, f: Facts, exact: bool) -> bool:
    for h in a.hints:
        levels = [anc for anc in f.ancestors if anc.level == h.level]
        if levels and not any(_agrees(h, anc.cores, a.latin, exact) for anc in levels):
            return True
    return False


def _whole(key: str, row: Mapping[str, Any]) -> MatchKind:
    """How a query that is a building's whole id, name, address or alias names it."""
    if key in {name_key(str(row.get(k) or "")) for k in ("id", "uid")}:
        return "id"
    return (
        "exact"
        if key in {name_key(str(row.get(k) or "")) for k in ("name", "address")}
        else "alias"
    )


def _judge(a: Address, f: Facts, exact: bool) -> tuple[MatchKind | None, float, str]:
    """How one building matches the query: its kind, a closeness score, the estate text."""
    if a.key in f.exact:
        return _whole(a.key, f.row), 100.0, ""
    kinds: list[MatchKind] = []
    score, text = 100.0, ""
    if a.road:
        road = _road_part(a, f, exact)
        if road is None:
            return None, 0.0, ""
        kinds.append(road)
    if a.place:
        place, score, text = _place_part(a, f, exact)
        if place is None:
            return None, 0.0, ""
        kinds.append(place)
    if not a.road and not a.place:
        bare = _bare_part(a, f)
        if bare is None:
            return None, 0.0, ""
        kinds.append(bare)
    kind: MatchKind = max(kinds, key=lambda k: TIERS[k])
    if a.loose and not a.numbers:
        kind = "guess"  # 12楼: a floor, or building 12 said loosely
    return kind, score, text


def _several(rows: list[Mapping[str, Any]], kind: MatchKind, why: str) -> Match:
    return {"outcome": "several", "kind": kind, "rows": rows, "why": why, "more": False}


def _none(why: str) -> Match:
    return {"outcome": "none", "kind": None, "rows": [], "why": why, "more": False}


def match(a: Address, rows: Iterable[Mapping[str, Any]], *, exact: bool = False) -> Match:
    """The building(s) among ``rows`` that ``a`` names (see the module docstring). With
    ``exact``, texts match only character for character (no pinyin, no typo), and a row whose
    hints might agree only by sound counts as contradicted: an answer then is certain only at
    the exact tier (:func:`shanzhi.address.lookup.resolve` asks again without ``exact``)."""
    if a.relative:
        return _none(f"查询说的是“{a.relative}”的楼，不是这栋楼 (the query names a neighbour).")
    judged: list[tuple[MatchKind, float, str, Facts]] = []
    contradicted = 0
    for row in _unique(rows):
        f = facts(row)
        k, score, text = _judge(a, f, exact)
        if k is None:
            continue
        if _contradicted(a, f, exact):
            contradicted += 1
            continue
        judged.append((k, score, text, f))
    if not judged or (exact and contradicted):
        if contradicted:
            return _none(HINTS_DIFFER)
        return _none("没有与之相符的楼栋 (no building matches).")
    tier = min(TIERS[k] for k, *_ in judged)
    best = [j for j in judged if TIERS[j[0]] == tier]
    if tier == TIERS["guess"]:
        top = max(s for _, s, _, _ in best)
        best = [j for j in best if j[1] >= top - MARGIN]
    kind: MatchKind = min((j[0] for j in best), key=lambda k: TIERS[k])
    found = _sorted([j[3].row for j in best])
    if a.several or len(a.numbers) > 1:
        return _several(found, kind, "查询里有不止一栋楼 (the query names several buildings).")
    if len(found) > 1:
        return _several(found, kind, f"有 {len(found)} 栋楼相符 ({len(found)} buildings match).")
    return {"outcome": "one", "kind": kind, "rows": found, "why": "", "more": False}


def _unique(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    seen: dict[str, Mapping[str, Any]] = {}
    for r in rows:
        seen.setdefault(str(r["uid"]), r)
    return list(seen.values())


def _sorted(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    import re

    def natural(r: Mapping[str, Any]) -> tuple[Any, ...]:
        parts = re.split(r"(\d+)", str(r.get("name") or ""))
        return (tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts), str(r["uid"]))

    return sorted(rows, key=natural)
