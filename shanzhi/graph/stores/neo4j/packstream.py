"""PackStream, the value format of Bolt: the plain values the library's queries send and return.

Enough of the format for :mod:`.bolt`: null, booleans, integers, floats, text, bytes, lists, maps
and the ``Date`` structure (read as ISO text, as :func:`.values.plain` shows dates), plus the
structures of the Bolt messages themselves. A graph value (node, relationship, path) or another
temporal type in an answer is refused with :class:`PackStreamError`: the library's queries
return plain values (``tests/test_cypher_library.py`` checks each header), and what analysts
run goes through the official driver.

>>> unpack(pack({"n": [1, -17, 300, 2**40], "s": "楼组长", "x": None, "ok": True, "f": 0.5}))
{'n': [1, -17, 300, 1099511627776], 's': '楼组长', 'x': None, 'ok': True, 'f': 0.5}
>>> unpack(pack(date(2025, 7, 1)))
'2025-07-01'
>>> unpack(bytes([0xB3, 0x4E, 1, 0x90, 0xA0]))
Traceback (most recent call last):
...
shanzhi.graph.stores.neo4j.packstream.PackStreamError: a PackStream structure 0x4E (N) is \
not a plain value
"""

from __future__ import annotations

from datetime import date
from struct import Struct
from typing import Any

__all__ = ["PackStreamError", "Structure", "pack", "unpack", "unpack_from"]

_EPOCH = date(1970, 1, 1).toordinal()
_DATE = 0x44
_U8, _U16, _U32 = Struct(">B"), Struct(">H"), Struct(">I")
_I8, _I16, _I32, _I64 = Struct(">b"), Struct(">h"), Struct(">i"), Struct(">q")
_F64 = Struct(">d")


class PackStreamError(ValueError):
    """Bytes that are not PackStream, or a value this client does not read or write."""


class Structure:
    """A PackStream structure: a tag byte and its fields (a Bolt message is one)."""

    __slots__ = ("fields", "tag")

    def __init__(self, tag: int, *fields: Any) -> None:
        self.tag = tag
        self.fields = list(fields)

    def __repr__(self) -> str:
        return f"Structure(0x{self.tag:02X}, {self.fields!r})"


def _size(out: bytearray, n: int, tiny: int, markers: tuple[int, int, int]) -> None:
    if n < 16 and tiny:
        out.append(tiny + n)
    elif n < 0x100:
        out.append(markers[0])
        out.append(n)
    elif n < 0x10000:
        out.append(markers[1])
        out += _U16.pack(n)
    else:
        out.append(markers[2])
        out += _U32.pack(n)


def _int(out: bytearray, v: int) -> None:
    if -16 <= v < 128:
        out += _I8.pack(v)
    elif -128 <= v < 128:
        out += b"\xc8" + _I8.pack(v)
    elif -0x8000 <= v < 0x8000:
        out += b"\xc9" + _I16.pack(v)
    elif -0x80000000 <= v < 0x80000000:
        out += b"\xca" + _I32.pack(v)
    elif -(2**63) <= v < 2**63:
        out += b"\xcb" + _I64.pack(v)
    else:
        raise PackStreamError(f"the integer {v} does not fit in 64 bits")


def _pack(out: bytearray, v: Any) -> None:
    if v is None:
        out.append(0xC0)
    elif v is True or v is False:
        out.append(0xC3 if v else 0xC2)
    elif isinstance(v, int):
        _int(out, v)
    elif isinstance(v, float):
        out += b"\xc1" + _F64.pack(v)
    elif isinstance(v, str):
        data = v.encode()
        _size(out, len(data), 0x80, (0xD0, 0xD1, 0xD2))
        out += data
    elif isinstance(v, bytes | bytearray):
        _size(out, len(v), 0, (0xCC, 0xCD, 0xCE))
        out += v
    elif isinstance(v, list | tuple):
        _size(out, len(v), 0x90, (0xD4, 0xD5, 0xD6))
        for item in v:
            _pack(out, item)
    elif isinstance(v, dict):
        _size(out, len(v), 0xA0, (0xD8, 0xD9, 0xDA))
        for key, item in v.items():
            _pack(out, str(key))
            _pack(out, item)
    elif isinstance(v, Structure):
        out += bytes((0xB0 + len(v.fields), v.tag))
        for item in v.fields:
            _pack(out, item)
    elif isinstance(v, date) and type(v) is date:
        out += bytes((0xB1, _DATE))
        _int(out, v.toordinal() - _EPOCH)
    else:
        raise PackStreamError(f"a {type(v).__name__} cannot be sent as a Bolt parameter")


def pack(value: Any) -> bytes:
    """The PackStream bytes of a plain value (or a :class:`Structure` of them)."""
    out = bytearray()
    _pack(out, value)
    return bytes(out)


def _structure(data: bytes, i: int, n: int) -> tuple[Any, int]:
    tag = data[i]
    i += 1
    fields = []
    for _ in range(n):
        value, i = unpack_from(data, i)
        fields.append(value)
    if tag == _DATE and n == 1:
        return date.fromordinal(_EPOCH + fields[0]).isoformat(), i
    if tag in (0x70, 0x71, 0x7E, 0x7F):  # the Bolt answers: SUCCESS, RECORD, IGNORED, FAILURE
        return Structure(tag, *fields), i
    raise PackStreamError(f"a PackStream structure 0x{tag:02X} ({chr(tag)}) is not a plain value")


def unpack_from(data: bytes, i: int = 0) -> tuple[Any, int]:
    """The value starting at ``data[i]`` and the index after it."""
    m = data[i]
    i += 1
    if m < 0x80:
        return m, i
    if m >= 0xF0:
        return m - 0x100, i
    hi = m & 0xF0
    if hi == 0x80:
        end = i + (m & 0x0F)
        return data[i:end].decode(), end
    if hi == 0x90:
        return _list(data, i, m & 0x0F)
    if hi == 0xA0:
        return _map(data, i, m & 0x0F)
    if hi == 0xB0:
        return _structure(data, i, m & 0x0F)
    return _marked(data, i, m)


def _list(data: bytes, i: int, n: int) -> tuple[list[Any], int]:
    out = []
    for _ in range(n):
        value, i = unpack_from(data, i)
        out.append(value)
    return out, i


def _map(data: bytes, i: int, n: int) -> tuple[dict[str, Any], int]:
    out = {}
    for _ in range(n):
        key, i = unpack_from(data, i)
        out[key], i = unpack_from(data, i)
    return out, i


#: marker → (its length field, what follows: "s" text, "b" bytes, "l" list, "m" map)
_SIZED = {
    0xD0: (_U8, "s"), 0xD1: (_U16, "s"), 0xD2: (_U32, "s"),
    0xCC: (_U8, "b"), 0xCD: (_U16, "b"), 0xCE: (_U32, "b"),
    0xD4: (_U8, "l"), 0xD5: (_U16, "l"), 0xD6: (_U32, "l"),
    0xD8: (_U8, "m"), 0xD9: (_U16, "m"), 0xDA: (_U32, "m"),
}  # fmt: skip
_NUMBERS = {0xC8: _I8, 0xC9: _I16, 0xCA: _I32, 0xCB: _I64, 0xC1: _F64}
_CONSTANTS = {0xC0: None, 0xC2: False, 0xC3: True}


def _marked(data: bytes, i: int, m: int) -> tuple[Any, int]:
    if m in _CONSTANTS:
        return _CONSTANTS[m], i
    number = _NUMBERS.get(m)
    if number is not None:
        return number.unpack_from(data, i)[0], i + number.size
    if m in _SIZED:
        length, what = _SIZED[m]
        n = length.unpack_from(data, i)[0]
        i += length.size
        if what == "s":
            return data[i : i + n].decode(), i + n
        if what == "b":
            return bytes(data[i : i + n]), i + n
        return (_list if what == "l" else _map)(data, i, n)
    if m in (0xDC, 0xDD):  # structures with 8- or 16-bit field counts (none in Bolt 5)
        raise PackStreamError(f"a large PackStream structure (0x{m:02X}) is not a plain value")
    raise PackStreamError(f"0x{m:02X} is no PackStream marker")


def unpack(data: bytes) -> Any:
    """The one value ``data`` holds."""
    value, end = unpack_from(data, 0)
    if end != len(data):
        raise PackStreamError(f"{len(data) - end} bytes after a PackStream value")
    return value
