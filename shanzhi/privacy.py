"""Personal data: phone numbers are masked unless the user asks to see them.

A phone is masked by what it is, not only by the name of the property that holds it: everything
that leaves the program (exports, pictures, JSON answers) goes through :func:`mask_values`, which
masks a phone-named property whole (``phone``, ``手机``, ``联系方式`` …) and every phone number
found inside any other text (a ``note`` saying ``已搬离，新号码 138-0000-0001``). Numbers are
recognised by ``phonenumbers`` (mobiles, landlines with their area code, other countries) and by
an 11-digit mobile pattern, in half- or full-width digits. Ids, uids and fingerprints are keys,
not text, and are left as they are.

>>> mask_phone("13800005678"), mask_phone("１３８００００５６７８"), mask_phone("021-5555")
('138****5678', '138****5678', '****')
>>> mask_text("已搬离，新号码 138-0000-0001；座机 (021)6123 4567；2023-03-31 起")
'已搬离，新号码 138****0001；座机 021****4567；2023-03-31 起'
>>> mask_values({"手机号码": "13800000002", "note": "call １３８００００５６７８", "n": 3})
{'手机号码': '138****0002', 'note': 'call 138****5678', 'n': 3}
>>> mask_values({"code": "310106018001", "id": "13800000001", "tel": 13800000003})
{'code': '310106018001', 'id': '13800000001', 'tel': '138****0003'}
>>> mask_values({"phone": "138****0003", "note": "138****0004"})  # masked stays masked
{'phone': '138****0003', 'note': '138****0004'}

Control characters leave no file either (:func:`clean_text`): XML 1.0 cannot hold them, so a NUL
in a name would make an export or a picture invalid.

>>> clean_text("甲\\x00乙\\x1b丙\\t丁")
'甲乙丙\\t丁'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

__all__ = ["PHONE_KEYS", "clean_text", "is_phone_key", "mask_phone", "mask_text", "mask_values"]

#: Property names that hold a phone whatever their value looks like (lower-cased, exact).
PHONE_KEYS = frozenset(
    {
        "phone", "phone_number", "mobile", "tel", "telephone", "contact", "cell",
        "电话", "联系电话", "电话号码", "手机", "手机号", "手机号码", "联系方式", "联系手机",
    }
)  # fmt: skip
#: Parts of a property name that make it a phone's (``home_phone``, ``办公电话``).
_PHONE_PARTS = ("phone", "mobile", "电话", "手机")
#: Keys that identify a record: never rewritten, so references and fingerprints stay intact.
_KEYS = frozenset({"uid", "id", "fingerprint", "dataset", "source_file"})

#: Full-width digits and separators, one character for one, so positions stay the same.
_HALF = str.maketrans("０１２３４５６７８９（）－＋　", "0123456789()-+ ")
#: Cheap first test: seven digits, possibly split by spaces, dashes or brackets.
_DIGIT_RUN = re.compile(r"\d(?:[\s\-()]*\d){6}")
_MOBILE_RUN = re.compile(r"(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)")
#: Characters XML 1.0 cannot hold (C0 controls but tab, newline and return), DEL and the C1
#: controls, lone surrogates and the two non-characters U+FFFE/U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: What :func:`mask_phone` gives: masking it again changes nothing.
_MASKED = re.compile(r"(?:\d{3})?\*{4}(?:\d{4})?")


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits of a mobile number; hide anything shorter entirely."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", phone))
    if len(digits) < 11:
        return "****"
    return f"{digits[:3]}****{digits[-4:]}"


def clean_text(text: str) -> str:
    """``text`` without the control characters no XML file (and no CSV import) can hold."""
    return _CONTROL.sub("", text)


def is_phone_key(key: object) -> bool:
    """True for a property name that holds a phone (``phone``, ``mobile``, ``手机号码`` …)."""
    if not isinstance(key, str):
        return False
    low = key.strip().lower()
    return low in PHONE_KEYS or any(part in low for part in _PHONE_PARTS)


def _spans(text: str) -> list[tuple[int, int]]:
    import phonenumbers  # only when a text has a digit run: most texts never need it

    found = [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(text, "CN")]
    found += [m.span() for m in _MOBILE_RUN.finditer(text)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@lru_cache(maxsize=65536)
def mask_text(text: str) -> str:
    """``text`` with every phone number in it masked as :func:`mask_phone` does."""
    half = text.translate(_HALF)
    if not _DIGIT_RUN.search(half) or _DATE.fullmatch(half):
        return text
    for start, end in reversed(_spans(half)):
        text = text[:start] + mask_phone(text[start:end]) + text[end:]
    return text


def _mask_whole(value: Any) -> Any:
    if value in (None, ""):
        return value
    if isinstance(value, list | tuple):
        return [_mask_whole(v) for v in value]
    text = str(value)
    return text if _MASKED.fullmatch(text) else mask_phone(text)


def mask_values(value: Any, key: object = None) -> Any:
    """The same data with every phone masked: mappings, lists and tuples are walked.

    Under a phone-named key the value is masked whole; elsewhere phones inside texts are
    masked, and an integer that is a mobile number becomes its masked text.
    """
    if key is not None and is_phone_key(key):
        return _mask_whole(value)
    if isinstance(value, Mapping):
        return {k: v if k in _KEYS else mask_values(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_values(v) for v in value]
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, int) and not isinstance(value, bool) and 10**10 <= value < 2 * 10**10:
        text = str(value)
        return mask_phone(text) if _MOBILE_RUN.fullmatch(text) else value
    return value
