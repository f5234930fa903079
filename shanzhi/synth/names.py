"""Invented Chinese names for synthetic datasets: every one of them looks made up on purpose.

Places carry 示例/测试/样本 in their names, people are called like 张测试华, phones come from the
fake range 1380000xxxx, so nobody can mistake synthetic records for real ones.

>>> import random
>>> rng = random.Random(1)
>>> person_name(rng)[1:3]
'测试'
>>> cn_number(12), cn_number(20), cn_number(7)
('十二', '二十', '七')
>>> fake_phone(random.Random(0)).startswith("1380000")
True
"""

from __future__ import annotations

import random

__all__ = [
    "BLOCK_THEMES",
    "cn_number",
    "community_name",
    "estate_names",
    "fake_phone",
    "person_name",
    "random_word",
    "road_names",
]

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
)
_GIVEN = "华明丽强芳军敏静燕伟勇娟磊霞平刚艳杰涛超秀兰英红梅玲斌桂珍琴云峰辉健"
_WORDS = (
    "松涛",
    "云栖",
    "春晖",
    "锦绣",
    "晨曦",
    "瑞祥",
    "和乐",
    "安平",
    "康宁",
    "嘉禾",
    "翠竹",
    "青枫",
    "丹桂",
    "玉兰",
    "金穗",
    "银杏",
    "海棠",
    "紫薇",
    "芳草",
    "明月",
    "星河",
    "朝阳",
    "长乐",
    "永安",
    "福泽",
    "润园",
    "清溪",
    "雅乐",
    "馨苑",
    "宜居",
    "静谧",
    "书香",
    "德馨",
    "颐和",
    "盛景",
    "华庭",
    "蓝湾",
    "绿洲",
    "梧桐",
    "香樟",
)
_ESTATE_SUFFIXES = ("苑", "新村", "花园", "小区", "公寓", "家园", "城", "里")
_ROAD_SUFFIXES = ("路", "东路", "西路", "南路", "北路", "支路")
_DIGITS = "零一二三四五六七八九"

#: The four themes of the 善治街区, as later reports name them (DOMAIN.md).
BLOCK_THEMES = ("善业", "善学", "善居", "善养")


def cn_number(n: int) -> str:
    """A number below 100 in Chinese numerals."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def person_name(rng: random.Random) -> str:
    """An obviously invented personal name, e.g. 张测试华."""
    return rng.choice(_SURNAMES) + "测试" + rng.choice(_GIVEN)


def fake_phone(rng: random.Random) -> str:
    """A phone number from the fake range 1380000xxxx."""
    return f"1380000{rng.randrange(10_000):04d}"


def _distinct(rng: random.Random, count: int, suffixes: tuple[str, ...]) -> list[str]:
    pool = [w + s for s in suffixes for w in _WORDS]
    picked = rng.sample(pool, min(count, len(pool)))
    # Beyond the pool, repeat it with a numeral so that names stay distinct within a street.
    k = 2
    while len(picked) < count:
        picked.extend(f"{name}{cn_number(k)}" for name in pool[: count - len(picked)])
        k += 1
    return picked


def estate_names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct invented estate names, each starting with 示例, e.g. 示例松涛苑."""
    return ["示例" + name for name in _distinct(rng, count, _ESTATE_SUFFIXES)]


def road_names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct invented road names, each starting with 测试, e.g. 测试云栖路."""
    return ["测试" + name for name in _distinct(rng, count, _ROAD_SUFFIXES)]


def community_name(index: int) -> str:
    """The invented name of a street's index-th residential area, e.g. 样本十四居民区."""
    return f"样本{cn_number(index)}居民区"


def random_word(rng: random.Random) -> str:
    """A two-character word to build invented organisation names from."""
    return rng.choice(_WORDS)
