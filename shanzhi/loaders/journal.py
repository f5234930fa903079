"""What a read keeps of each row for the row memo (:mod:`.memo`), in the memo's terms.

A full read with ``keep`` (``read_report(keep=…)``) gives, for each table, a :class:`KeptFile`:
the file's stamp and digest taken before it was read, and each row's line, digest (line and
cleaned cells) and ``Registry.journal`` — the objects it registered. :func:`kept_memo` turns
them into the memo's rows, each registration a plain JSON list (:data:`Ops`), and
:mod:`.increment` digests and encodes the rows it reads again the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from shanzhi.graph.model import GridLevel, Label, Node, Relation, RelType

__all__ = [
    "Kept",
    "KeptFile",
    "MemoFile",
    "MemoRow",
    "Ops",
    "Unsayable",
    "encode_row",
    "file_digest",
    "file_stamp",
    "kept_memo",
    "row_digest",
]

_CHUNK = 1 << 20

#: A row's registrations as the memo keeps them (JSON lists): ``["n", id, label, kind, column]``
#: (a place's also ``name, props``: buildings' lookup entries are made of them),
#: ``["r", source, type, target, key, column]``, ``["f", id, label, kind, level, column]`` (a
#: reference to check), ``["p", child, parent, column]`` (a parent_id link) and
#: ``["o", child, parent, column]`` (a PART_OF row).
Ops = list[list[Any]]


#: What a read kept of each row for the row memo: (line, digest of line and cells, the row's
#: registrations).
Kept = list[tuple[int, str, list[tuple[Any, ...]]]]


@dataclass
class KeptFile:
    """What a full read kept of one table for the memo (``read_report(keep=…)``)."""

    table: str
    file: str
    #: the file (for a sheet, its workbook; None: no memo), its stamp and digest before it was read
    path: Path | None
    stamp: tuple[int, ...]
    digest: str
    header: tuple[str, ...]
    rows: Kept = field(default_factory=list)


@dataclass(frozen=True)
class MemoFile:
    """A file as the memo knows it: its table, header and bytes' digest."""

    file: str
    table: str
    header: tuple[str, ...]
    digest: str


@dataclass(frozen=True)
class MemoRow:
    """One row of a file: its line, digest and registrations."""

    file: str
    line: int
    hash: str
    ops: Ops


def file_digest(path: Path) -> str:
    """The digest of a file's bytes."""
    h = hashlib.blake2b(digest_size=16)
    with Path(path).open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def file_stamp(path: Path) -> tuple[int, ...]:
    """What changes whenever a file is written: inode, size, modification and change times (a
    file whose stamp is the same after it was read is the file whose bytes were read)."""
    st = Path(path).stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def row_digest(line: int, cells: Sequence[str]) -> str:
    """The digest of a row: its line and its cells (as read and cleaned)."""
    return hashlib.blake2b(orjson.dumps([line, list(cells)]), digest_size=12).hexdigest()


_VALUE: dict[Any, str | None] = {None: None}
_VALUE.update((m, m.value) for enum in (Label, RelType, GridLevel) for m in enum)
_PLACE = Label.PLACE.value


def encode_row(journal: Iterable[tuple[Any, ...]], file: str, line: int) -> Ops | None:
    """A row's ``Registry.journal`` as the memo keeps it, or None when the row registered
    anything outside its own file and line (it cannot be said row by row)."""
    out: Ops = []
    value = _VALUE
    for entry in journal:
        what = entry[0]
        if what == "node":
            n: Node = entry[1]
            prov = n.provenance
            if prov.line != line or prov.file != file:
                return None
            if n.label is Label.PLACE:  # a building's lookup entry is made of places' values
                out.append(["n", n.id, _PLACE, n.kind, entry[2], n.name, n.props])
            else:
                out.append(["n", n.id, value[n.label], n.kind, entry[2]])
        elif what == "relation":
            r: Relation = entry[1]
            prov = r.provenance
            if prov.line != line or prov.file != file:
                return None
            out.append(["r", r.source_id, value[r.type], r.target_id, entry[2], entry[3]])
        elif what == "ref":
            _, ref_id, e, ref_file, ref_line, column = entry
            if ref_line != line or ref_file != file:
                return None
            out.append(["f", ref_id, value[e.label], e.kind, value[e.level], column])
        elif what == "parent":
            out.append(["p", entry[1], entry[2], entry[3]])
        elif what == "part_of":
            _, child, parent, po_file, po_line, column = entry
            if po_file != file or po_line != line:
                return None
            out.append(["o", child, parent, column])
        else:
            return None
    return out


class Unsayable(Exception):
    """A row registered something outside its own file and line: no memo can say it."""


def kept_memo(kept: Sequence[KeptFile]) -> tuple[list[MemoFile], Iterator[MemoRow]] | None:
    """The memo of a full read's kept tables — its files, and its rows as they are encoded
    (:class:`Unsayable` if one cannot be) — or None if it cannot be one: ledgers, a file
    written while it was read."""
    if any(k.path is None or file_stamp(k.path) != k.stamp for k in kept):
        return None
    files = [MemoFile(k.file, k.table, k.header, k.digest) for k in kept]

    def rows() -> Iterator[MemoRow]:
        for k in kept:
            for line, digest, journal in k.rows:
                ops = encode_row(journal, k.file, line)
                if ops is None:
                    raise Unsayable(f"{k.file}:{line}")
                yield MemoRow(k.file, line, digest, ops)

    return files, rows()
