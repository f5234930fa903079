"""A synthetic ticket corpus over the sample and a synthetic street, each ticket with its
expected routing (helpers only, no tests here).

Tickets are drawn with a fixed seed: a building, a way of writing its address (the address, the
name, an alias, the address typed with Chinese numerals and spaces, with a district before it,
or only inside the 诉求内容 after a few words), a category (the rule's name, another name the
rule lists, none — the content's words decide — or one no rule lists), and a day between
2023-01-01 and 2026-12-31 (the 路长 rotas change every quarter in the sample and every month in
the synthetic street). Their expected routing comes from :class:`tests.route.oracle.World`. Then
tickets that must not be routed: other districts and streets, another street's 居委会, numbers
that do not exist, no number, a homophone typo (a guess), two buildings in one ticket.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from shanzhi.graph.queries.finder import normalize
from tests.route.oracle import Expected, World

__all__ = ["ISSUES", "Ticket", "corpus", "typed"]

ISSUES = {
    "楼道堆物": "楼道内堆物",
    "占道经营": "门口有人占道经营",
    "物业维修": "屋顶漏水需要维修",
    "其他": "夜间施工噪音扰民",
}
#: Other category names each rule lists in routing.yaml, and one no rule lists.
OTHER_NAMES = {
    "楼道堆物": "楼道杂物",
    "占道经营": "无证设摊",
    "物业维修": "房屋维修",
    "其他": "噪音扰民",
}
_CN = "〇一二三四五六七八九"
FIRST, LAST = date(2023, 1, 1), date(2026, 12, 31)


@dataclass(frozen=True)
class Ticket:
    """One row of the corpus and what routing it must give."""

    id: str
    address: str
    content: str
    category: str
    day: date
    expected: Expected
    form: str
    match: str = ""


def _cn(n: int) -> str:
    tens, ones = divmod(n, 10)
    if n >= 100:
        return "".join(_CN[int(d)] for d in str(n))
    head = "" if tens == 0 else ("十" if tens == 1 else _CN[tens] + "十")
    return head + (_CN[ones] if ones or not tens else "")


def typed(address: str) -> str:
    """共和新路2288弄12号 → 共和新路 二二八八弄 十二号 (full-width where digits are left)."""
    m = re.match(r"^(.*?)(\d+)弄(\d+)号$", address)
    if not m:
        return address.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    lane = "".join(_CN[int(d)] for d in m.group(2))
    return f"{m.group(1)} {lane}弄 {_cn(int(m.group(3)))}号"


def _counts(world: World) -> dict[str, int]:
    """How many buildings each normalised id, name, alias or address names."""
    seen: dict[str, set[str]] = {}
    for uid in world.buildings():
        n = world.nodes[uid]
        for key in (n.id, uid, n.name, n.props.get("address"), *(n.props.get("aliases") or [])):
            if key:
                seen.setdefault(normalize(str(key)), set()).add(uid)
    return {k: len(v) for k, v in seen.items()}


def _district(uid: str) -> str:
    return "上海市静安区" if uid.startswith("gonghexinlu:") else "测试一区"


def _forms(world: World, uid: str) -> list[tuple[str, str, str, str]]:
    """(form, address cell, text before the issue, the match kind) for one building."""
    n = world.nodes[uid]
    address, aliases = n.props.get("address"), n.props.get("aliases") or []
    out = [("name", n.name, "", "name"), ("text-name", "", n.name, "name")]
    if aliases:
        out.append(("alias", aliases[0], "", "alias"))
    if address:
        out += [
            ("address", address, "", "address"),
            ("typed", typed(address), "", "address"),
            ("district", _district(uid) + address, "", "address"),  # the district is ours
            ("text-address", "", "居民反映" + address, "address"),
        ]
    return out


def _category(rng: random.Random, rule: str) -> str:
    return rng.choice([rule, rule, OTHER_NAMES[rule], ""])


def _routed(world: World, rng: random.Random, n: int) -> list[Ticket]:
    counts = _counts(world)
    buildings = world.buildings()
    span = (LAST - FIRST).days
    out = []
    for i in range(n):
        uid = rng.choice(buildings)
        form, cell, before, kind = rng.choice(_forms(world, uid))
        rule = rng.choice(list(ISSUES))
        day = FIRST + timedelta(days=rng.randrange(span + 1))
        if uid == "gonghexinlu:P-JLMZ-B08" or i % 40 == 0:
            day = rng.choice([date(2025, 6, 30), date(2025, 7, 1)])  # the 楼组长 handover
        said = cell or before
        key = (
            world.nodes[uid].props.get("address") if form in ("district", "text-address") else said
        )
        unique = counts.get(normalize(str(key)), 0) == 1
        expected = world.expected(uid, rule, day) if unique else Expected("ambiguous")
        category = _category(rng, rule)
        if rule == "其他" and category == OTHER_NAMES["其他"]:
            category = "噪音扰民"
        out.append(Ticket(f"R{i:04d}", cell, before + ISSUES[rule], category, day, expected, form,
                          kind if unique else ""))  # fmt: skip
    return out


#: (address cell, content, expected status, region) of tickets that must not be routed.
UNROUTED: list[tuple[str, str, str, str]] = [
    ("上海市徐汇区天钥桥路408号", "楼道内堆物", "not-ours", "徐汇区"),
    ("上海市宝山区沪太路2388号", "门口有人占道经营", "not-ours", "宝山区"),
    ("上海市普陀区中山北路3000号", "夜间施工噪音扰民", "not-ours", "普陀区"),
    ("徐汇区共和新路2288弄12号", "楼道内堆物", "not-ours", "徐汇区"),
    ("上海普陀中山北路3553号", "门口有人占道经营", "not-ours", "普陀区"),
    ("北京市朝阳区建国路88号", "夜间施工噪音扰民", "not-ours", "北京"),
    ("上海市静安区大宁路街道共和新路2288弄12号", "楼道内堆物", "not-ours", "大宁路街道"),
    ("", "地址：上海市长宁区金钟路658弄5号楼，楼道内堆物", "not-ours", "长宁区"),
    ("", "云南中路居委会辖区共和新路2288弄12号楼道内堆物", "not-ours", "310101002（黄浦区）"),
    ("测试二区示例一街道测试路1弄1号", "楼道内堆物", "not-ours", "测试二区"),
    ("上海奉贤南桥镇望园南路1号", "夜间施工噪音扰民", "not-ours", "奉贤区"),
    ("嘉利明珠城99号楼", "楼道内堆物", "not-found", ""),
    ("共和新路9999弄1号", "门口有人占道经营", "not-found", ""),
    ("示例·晴川新苑9号楼", "屋顶漏水需要维修", "not-found", ""),
    ("上海市闸北区共和新路3088弄5号楼205室", "夜间施工噪音扰民", "not-found", ""),
    ("", "楼道里堆满杂物，无人清理", "not-found", ""),
    ("", "嘉利明珠城门口有人占道经营", "not-found", ""),
    ("", "", "not-found", ""),
    ("嘉利明城12号楼", "楼道内堆物", "ambiguous", ""),  # a character left out: a guess
    ("嘉利明珠城", "楼道内堆物", "ambiguous", ""),
    ("", "嘉利明珠城12号楼和13号楼之间楼道内堆物", "ambiguous", ""),
    ("共和新路2288弄12号；洛川中路1100弄3号", "夜间施工噪音扰民", "ambiguous", ""),
    ("", "12号楼楼道内堆物", "ambiguous", ""),
    ("洛川中路1100弄", "屋顶漏水需要维修", "ambiguous", ""),
]


def corpus(world: World, routed: int = 400, seed: int = 15) -> list[Ticket]:
    """``routed`` drawn tickets (most routed, some ambiguous when an address is shared) and
    the fixed unrouted ones, each twice: on a quarter's first and last day."""
    rng = random.Random(seed)
    out = _routed(world, rng, routed)
    for j, (cell, content, status, region) in enumerate(UNROUTED):
        for k, day in enumerate((date(2024, 1, 1), date(2026, 3, 31))):
            out.append(Ticket(f"U{j:02d}{k}", cell, content, "", day,
                              Expected(status, region=region), "unrouted"))  # fmt: skip
    return out
