"""Masking phones in anything the page shows that the library did not mask itself (a record's
properties, Cypher rows): a phone-like key, or any text holding a mobile number, is masked.

>>> mask_values({"phone": "13800000001", "note": "call 13800000002 or ６６", "n": 3})
{'phone': '138****0001', 'note': 'call 138****0002 or ６６', 'n': 3}
>>> mask_values([["１３８００００５６７８"]])
[['138****5678']]
"""

from __future__ import annotations

import re
from typing import Any

from shanzhi.privacy import mask_phone

__all__ = ["PHONE_KEYS", "mask_values"]

PHONE_KEYS = ("phone", "mobile", "tel", "电话", "手机", "联系方式")
_D = "0-9０-９"
_MOBILE = re.compile(rf"(?<![{_D}])[1１][3-9３-９][{_D}]{{9}}(?![{_D}])")


def _phone_key(key: object) -> bool:
    return isinstance(key, str) and any(k in key.lower() for k in PHONE_KEYS)


def _text(value: str) -> str:
    return _MOBILE.sub(lambda m: mask_phone(m.group()), value)


def mask_values(value: Any) -> Any:
    """The same data with every phone masked (dicts, lists and tuples walked)."""
    if isinstance(value, dict):
        return {
            k: mask_phone(str(v)) if _phone_key(k) and v not in (None, "") else mask_values(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_values(v) for v in value]
    if isinstance(value, str):
        return _text(value)
    return value
