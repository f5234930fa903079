"""The rows of relations.csv: each one relation, its type, dates, role and ends checked.

The hottest loop of a load (a city has millions of rows): the type of each distinct text and
whether the model allows a type between two labels are worked out once (memos), and the checks
that only fail do their work off the path a good row takes. A ``LOCATED_IN`` row is refused
(``DERIVED_ONLY``: the records' own columns give it), and so is a record PART_OF itself.
"""

from __future__ import annotations

from datetime import date

from shanzhi.graph.model import DERIVED_ONLY, Label, Node, RelType, Scalar
from shanzhi.loaders.construct import make_relation, provenance, relation_key
from shanzhi.loaders.headers import COLUMNS
from shanzhi.loaders.table import Builder, Table

__all__ = ["relations"]

_SELF_PART = "一个记录不能是它自己的一部分 (a record cannot be PART_OF itself)"


def _type(t: Table, line: int, text: str, memo: dict[str, RelType]) -> RelType | None:
    """The type a row's text names (kept in ``memo``), or None and a problem."""
    value = t.enum(line, "type", RelType, text)
    if value is None:
        return None
    rel_type = memo[text] = RelType(value)
    return rel_type


def _derived_only(rel_type: RelType) -> str:
    cols = DERIVED_ONLY[rel_type]
    return (
        f"{rel_type.value} 只由记录自己的列给出（{cols}），不写在关系表里 "
        f"({rel_type.value} is given by the records' own columns {cols}, not by a relations row)"
    )


def _dates(t: Table, line: int, start: str, end: str) -> tuple[bool, date | None, date | None]:
    """The row's valid_from and valid_to: (all fine, the dates), each problem reported."""
    ok_from, valid_from = t.date(line, "valid_from", start)
    ok_to, valid_to = t.date(line, "valid_to", end)
    if valid_from and valid_to and valid_to < valid_from:
        t.problem(line, "valid_to", f"{valid_to} is before valid_from {valid_from}")
        return False, valid_from, valid_to
    return ok_from and ok_to, valid_from, valid_to


def _ends(
    t: Table, line: int, src: str, tgt: str, source: Node | None, target: Node | None
) -> None:
    """Report an end of the row that is missing or names no record."""
    if not src:
        t.missing(line, "source_id")
    elif source is None:
        t.reg.unknown(src, t.file, line, t.column("source_id"))
    if not tgt:
        t.missing(line, "target_id")
    elif target is None:
        t.reg.unknown(tgt, t.file, line, t.column("target_id"))


def relations(t: Table) -> Builder:
    """The builder of a relations table: one relation a row, every problem reported."""
    i_src, i_type, i_tgt, i_role, i_from, i_to, i_note = t.at(*COLUMNS["relations"])
    reg, file, extras = t.reg, t.file, t.header.extras
    nodes, col_tgt = reg.nodes, t.column("target_id")
    types: dict[str, RelType] = {}
    allowed: dict[tuple[RelType, Label, Label], str | None] = {}

    def build(line: int, cells: list[str]) -> None:
        src, tgt, role, text = cells[i_src], cells[i_tgt], cells[i_role] or None, cells[i_type]
        rel_type = types.get(text) or _type(t, line, text, types)
        ok = rel_type is not None
        valid_from = valid_to = None
        if cells[i_from] or cells[i_to]:
            fine, valid_from, valid_to = _dates(t, line, cells[i_from], cells[i_to])
            ok = ok and fine
        if rel_type is RelType.HOLDS and not role:
            t.problem(line, "role", "missing: HOLDS needs a role (e.g. 楼组长)")
            ok = False
        elif rel_type in DERIVED_ONLY:
            t.problem(line, "type", _derived_only(rel_type))
            ok = False
        source, target = nodes.get(src), nodes.get(tgt)
        if source is None or target is None:
            _ends(t, line, src, tgt, source, target)
        if not ok or source is None or target is None or rel_type is None:
            return
        props: dict[str, Scalar] = {n: cells[i] for i, n in extras if cells[i]} if extras else {}
        if note := cells[i_note]:
            props["note"] = note
        rel = make_relation(
            src, rel_type, tgt, provenance(file, line), role, valid_from, valid_to, props
        )
        if rel_type is RelType.PART_OF:
            if src == tgt:
                t.problem(line, "target_id", _SELF_PART)
                return
            reg.add_part_of(src, tgt, file, line, col_tgt)
        key = (rel_type, source.label, target.label)
        why = (
            allowed[key]
            if key in allowed
            else allowed.setdefault(key, rel.allowed_between(source.label, target.label))
        )
        if why:
            t.problem(line, "type", why)
        else:
            reg.add_relation(rel, relation_key(src, rel_type, tgt, role, valid_from))

    return build
