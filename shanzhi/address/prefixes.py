"""The words around an address: chatter, postcodes, landmarks, and the places named before it.

Each function takes a compact string (folded, no spaces, Chinese numerals as digits) and returns
what is left with what it took off.

>>> strip_chatter("请问那个嘉利明珠城12号楼是谁管的吧")
'嘉利明珠城12号楼'
>>> take_hints("上海市静安区共和新路街道嘉利居委会嘉利明珠城12号楼")
('嘉利明珠城12号楼', (Hint(level='city', core='上海'), Hint(level='district', core='静安'), \
Hint(level='subdistrict', core='共和新路'), Hint(level='community', core='嘉利')))
>>> take_landmark("共和新路2288弄7号(近平型关路)"), take_landmark("嘉利明珠城(12号楼)")
(('共和新路2288弄7号', '近平型关路'), ('嘉利明珠城12号楼', None))
>>> take_postcode("共和新路2288弄12号200072"), take_postcode("200072共和新路2288弄12号")
(('共和新路2288弄12号', '200072'), ('共和新路2288弄12号', '200072'))
"""

from __future__ import annotations

import re

from shanzhi.address.model import Hint, HintLevel

__all__ = [
    "DISTRICTS",
    "FORMER_DISTRICTS",
    "strip_chatter",
    "take_hints",
    "take_landmark",
    "take_postcode",
    "take_relative",
]

#: Shanghai's 16 districts, and the former ones people still write with the district that took
#: them over (闸北 joined 静安 in 2015; 卢湾 and 南市 joined 黄浦; 南汇 joined 浦东新区).
DISTRICTS = ("黄浦", "徐汇", "长宁", "静安", "普陀", "虹口", "杨浦", "闵行", "宝山", "嘉定",
             "浦东新", "浦东", "金山", "松江", "青浦", "奉贤", "崇明")  # fmt: skip
FORMER_DISTRICTS = {"闸北": "静安", "卢湾": "黄浦", "南市": "黄浦", "南汇": "浦东新"}

_LEADING = re.compile(
    "^(?:请问一下|请问|问一下|问下|你好|您好|麻烦问一下|麻烦你|麻烦|帮我查一下|帮我查查|帮我查|帮我找|"
    "帮忙查一下|查一下|查查|查询|我想问一下|我想问|我想知道|想问一下|想问|我要找|我想找|我找|找一下|"
    "那个|这个|就是|嗯|呃|哦|喂|住在|我住在|我家在|我住|在)"
)
_TRAILING = re.compile(
    "(?:是谁管的|是谁管|归谁管|谁管的|谁管|由谁负责|谁负责|归哪个居委管|归哪里管|的负责人是谁|负责人是谁|"
    "的负责人|负责人|楼组长是谁|的楼组长|楼组长|是哪个居委的|是哪个居委|属于哪个居委|哪个居委|"
    "怎么走|在哪里|在哪儿|在哪|这栋楼|那栋楼|这幢楼|那幢楼|这栋|那栋|这里|那里|那个|这个|"
    "谢谢|多谢|吧|呢|啊|吗|呀|嘛|哈|哦|啦|的|\\?|!|。|\\.)$"
)
_MIDDLE = re.compile("那个|这个|就是|的(?=\\d)")
_RELATIVE = re.compile("(斜对面|对面|隔壁|附近|旁边|边上|后面|前面|对过)$")

_DISTRICT = "|".join([*DISTRICTS, *FORMER_DISTRICTS])
_HINTS: tuple[tuple[HintLevel, re.Pattern[str]], ...] = (
    ("city", re.compile(
        r"^(?:中国)?(上海)(?:市|(?=(?:" + _DISTRICT + r")(?:新区|区|县))|(?=\D{2,12}?(?:路|街)\d))"
    )),
    ("district", re.compile(r"^(" + _DISTRICT + r")(?:新区|区|县)")),
    ("district", re.compile(r"^(\D{1,5}?)(?<![小街园社校厂景城营])(?:区|县)(?=\D)")),
    ("subdistrict", re.compile(r"^([^\d]{2,8}?)(?:街道办事处|街道|镇)")),
    ("community", re.compile(r"^(.{2,16}?)(?:居民委员会|居委会|居民区|居委|社区|村委会)")),
)  # fmt: skip
_GENERIC_DISTRICT = _HINTS[2][1]
_TAIL_COMMUNITY = re.compile(
    r"(?:(?<=\d号楼)|(?<=\d[号幢栋座])(?!楼))(\D{2,16}?)(?:居民委员会|居委会|居民区|居委|社区)$"
)
_LANDMARK = re.compile(r"\((近|靠近|临近|邻近|近于|临|邻)?([^()]*)\)?")
_POSTCODE = re.compile(
    r"^(?:邮编|邮政编码)?:?(20\d{4})(?=\D)|(?<=\D)(?:邮编|邮政编码)?:?(20\d{4})$"
)


def strip_chatter(text: str) -> str:
    """``text`` without the polite words, fillers and questions around it."""
    prev = None
    while prev != text:
        prev = text
        text = _LEADING.sub("", text)
        text = _TRAILING.sub("", text)
    return _MIDDLE.sub("", text)


def take_relative(text: str) -> tuple[str, str | None]:
    """A trailing 对面/隔壁/附近… (the building meant is near the one named, not it)."""
    m = _RELATIVE.search(text)
    return (text[: m.start()], m.group(1)) if m and m.start() > 0 else (text, None)


def _hint(level: HintLevel, core: str) -> Hint:
    if level == "district":
        core = FORMER_DISTRICTS.get(core, core).removesuffix("新")
    return Hint(level, core)


def take_hints(text: str) -> tuple[str, tuple[Hint, ...]]:
    """Leading 上海市 / 区 / 街道 / 居委会 prefixes (in that order, each optional) and a trailing
    居委会, as hints; the address proper is what is left."""
    hints: list[Hint] = []
    for level, pattern in _HINTS:
        if pattern is _GENERIC_DISTRICT and not (hints and hints[-1].level == "city"):
            continue  # a district not of Shanghai's list only right after 上海市
        m = pattern.match(text)
        if m and len(text) > m.end():
            hints.append(_hint(level, m.group(1)))
            text = text[m.end() :]
    m = _TAIL_COMMUNITY.search(text)
    if m:
        hints.append(Hint("community", m.group(1)))
        text = text[: m.start()]
    return text, tuple(hints)


def take_landmark(text: str) -> tuple[str, str | None]:
    """A bracketed landmark ``(近平型关路)`` taken out; other brackets' contents kept in line."""
    landmark = None

    def one(m: re.Match[str]) -> str:
        nonlocal landmark
        near, inside = m.group(1), m.group(2)
        if near or re.search("路口|交叉口|对面|旁|附近|地铁站?$", inside):
            landmark = (near or "") + inside
            return ""
        return inside

    return _LANDMARK.sub(one, text).replace(")", ""), landmark


def take_postcode(text: str) -> tuple[str, str | None]:
    """A six-digit Shanghai postcode (20xxxx) at the start or the end, with or without 邮编."""
    m = _POSTCODE.search(text)
    if m is None:
        return text, None
    return (text[: m.start()] + text[m.end() :]), m.group(1) or m.group(2)
