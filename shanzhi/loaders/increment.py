"""A reload of only what changed: the rows whose digest is not the row memo's, read and checked.

``read_increment(folder, name, memo)`` compares each file of the folder with the memo
(:mod:`.memo`): a file whose bytes are the same is not read; a changed file is read, and only its
rows whose (line, cells) digest differs are built — by the same table builders as a full read,
into a :class:`~shanzhi.loaders.checks.Registry` whose nodes and relation keys are those of the
rows read now over those of the memo. Everything a change could break elsewhere is checked again
through the memo's indexes, by the registry's own checks:

* an id or relation key a changed row gives that an unchanged row gives too (the views);
* every reference column and relation row, anywhere, that names a record a changed row gave or
  gives: its reference checked again (label, kind, level), its relation's ends looked up and the
  relation checked against the model;
* the parent links a changed row gives, walked up through every other link (a cycle);
* references to ids read later (as a full read does at its end).

Any problem, and anything this way of reading cannot say exactly — other files, sheets or
headers, ledgers, a table whose reading noted rows left out (hidden, struck through), a row that
registers outside its own line, more changed rows than :data:`MAX_SHARE` of the dataset — gives
None: the caller reads the whole folder, which also
reports the problems exactly as always.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shanzhi.graph.model import GridLevel, Label, Node, Relation, RelType
from shanzhi.loaders.checks import Expect, Registry
from shanzhi.loaders.construct import make_node, make_relation, provenance
from shanzhi.loaders.folder import TableSource, scan_folder
from shanzhi.loaders.journal import MemoRow, encode_row, file_digest, file_stamp, row_digest
from shanzhi.loaders.ledgers import find_ledgers
from shanzhi.loaders.memo import RowMemo
from shanzhi.loaders.readers import Source
from shanzhi.loaders.records import builder_of, table_of

__all__ = ["MAX_SHARE", "Increment", "read_increment"]

#: More changed rows than this share of the memo's rows (or than MAX_ROWS) are read in full:
#: looking each one up would cost more than reading everything.
MAX_SHARE = 0.05
MAX_ROWS = 5_000
_LABELS = {label.value: label for label in Label}
_TYPES = {t.value: t for t in RelType}


@dataclass
class Increment:
    """What changed in a dataset folder since the memo's load, checked."""

    dataset: str
    source: str
    #: the records the changed rows give now
    nodes: list[Node]
    relations: list[Relation]
    #: node ids and relation keys the changed rows gave before
    gone_nodes: set[str]
    gone_relations: set[str]
    #: fingerprints the store holds (as the memo says) of every id and key above
    held_nodes: dict[str, str]
    held_relations: dict[str, str]
    #: how many nodes and relations the store holds for the dataset (as the memo says)
    total_nodes: int
    total_relations: int
    #: the memo's rows that went, and those that replace them (to update the memo)
    removed_rows: list[MemoRow]
    added_rows: list[MemoRow]
    #: the digest of every file read now
    digests: dict[str, str]
    #: every place node and PART_OF link of the dataset now, when any may have changed (a
    #: building's lookup entry is made of them), else None
    places: list[Node] | None = None
    part_of: list[tuple[str, str]] = field(default_factory=list)


class _Nodes(MutableMapping[str, Node]):
    """The registry's nodes: those read now, over the memo's (but those of changed rows)."""

    def __init__(self, memo: RowMemo, gone: set[str]) -> None:
        self.new: dict[str, Node] = {}
        self._memo, self._gone = memo, gone
        self._seen: dict[str, Node | None] = {}
        self.held: dict[str, str] = {}

    def __getitem__(self, node_id: str) -> Node:
        if node_id in self.new:
            return self.new[node_id]
        if node_id in self._gone:
            raise KeyError(node_id)
        if node_id not in self._seen:
            got = self._memo.node(node_id)
            if got is None:
                self._seen[node_id] = None
            else:
                label, kind, file, line, _ = got
                prov = provenance(file, line)
                self._seen[node_id] = make_node(node_id, _LABELS[label], "", kind, {}, prov)
        made = self._seen[node_id]
        if made is None:
            raise KeyError(node_id)
        return made

    def __setitem__(self, node_id: str, node: Node) -> None:
        self.new[node_id] = node

    def __delitem__(self, node_id: str) -> None:
        del self.new[node_id]

    def __iter__(self) -> Iterator[str]:  # the nodes read now (the memo's are looked up)
        return iter(self.new)

    def __len__(self) -> int:
        return len(self.new)


class _Keys(MutableMapping[str, Relation]):
    """The registry's relation keys: those read now, over the memo's (but changed rows')."""

    def __init__(self, memo: RowMemo, gone: set[str]) -> None:
        self.new: dict[str, Relation] = {}
        self._memo, self._gone = memo, gone

    def __getitem__(self, key: str) -> Relation:
        if key in self.new:
            return self.new[key]
        got = None if key in self._gone else self._memo.relation(key)
        if got is None:
            raise KeyError(key)
        src, rtype, tgt = key.split("|", 3)[:3]  # what a clash's message names
        return make_relation(src, _TYPES[rtype], tgt, provenance(got[0], got[1]))

    def __setitem__(self, key: str, rel: Relation) -> None:
        self.new[key] = rel

    def __delitem__(self, key: str) -> None:
        del self.new[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.new)

    def __len__(self) -> int:
        return len(self.new)


@dataclass
class _Changed:
    """One changed file: its source being read, its changed rows and the lines that went."""

    src: TableSource
    #: the file as it was read (its header: the rows below are read with it)
    source: Source
    digest: str
    rows: list[tuple[int, list[str], str]]  # (line, cells, digest) of rows new or changed
    gone_lines: list[int]


def _sources(folder: Path, memo: RowMemo, stack: ExitStack) -> list[TableSource] | None:
    """The folder's tables in reading order, if they are the memo's (workbooks stay open on
    ``stack``)."""
    ledgers, used, problems = find_ledgers(folder)
    if ledgers or used or problems:
        return None
    sources, problems, notes = scan_folder(folder, stack, set())
    if problems or notes or any(s.path is None for s in sources):
        return None
    if {s.file: s.table for s in sources} != {f.file: f.table for f in memo.files.values()}:
        return None
    order = [s for s in sources if s.table != "relations"]
    return order + [s for s in sources if s.table == "relations"]


def _changed(src: TableSource, memo: RowMemo) -> _Changed | bool | None:
    """A table's changed rows; True if its file's bytes are the memo's (for a sheet: its
    workbook's); None if it cannot be compared."""
    assert src.path is not None
    stamp, digest = file_stamp(src.path), file_digest(src.path)
    known = memo.files[src.file]
    if digest == known.digest:
        return True
    source = src.open()
    if tuple(source.header) != known.header:
        return None
    old = memo.hashes(src.file)
    rows, lines = [], set()
    for line, cells in source.rows:
        h = row_digest(line, cells)
        lines.add(line)
        if old.get(line) != h:
            rows.append((line, cells, h))
    if source.problems or source.notes or not source.complete:
        return None
    if file_stamp(src.path) != stamp:  # written while it was read: its rows may not be its bytes'
        return None
    changed = {line for line, _, _ in rows}
    gone = sorted(n for n in old if n not in lines or n in changed)
    return _Changed(src, source, digest, rows, gone)


def read_increment(folder: Path, name: str, memo: RowMemo) -> Increment | None:
    """What changed in ``folder`` since the memo's load, checked; None to read it all."""
    folder = Path(folder).resolve()
    with ExitStack() as stack:
        return _read_changes(folder, name, memo, stack)


def _read_changes(folder: Path, name: str, memo: RowMemo, stack: ExitStack) -> Increment | None:
    sources = _sources(folder, memo, stack)
    if sources is None:
        return None
    changed: list[_Changed] = []
    digests: dict[str, str] = {}
    for src in sources:
        got = _changed(src, memo)
        if got is None:
            return None
        if isinstance(got, _Changed):
            changed.append(got)
            digests[src.file] = got.digest
    total_nodes, total_relations = memo.counts()
    size = sum(len(c.rows) + len(c.gone_lines) for c in changed)
    if size > min(MAX_ROWS, MAX_SHARE * (total_nodes + total_relations)):
        return None
    removed = memo.rows((c.src.file, n) for c in changed for n in c.gone_lines)
    return _check(folder, name, memo, changed, removed, digests, (total_nodes, total_relations))


def _gone(removed: list[MemoRow]) -> tuple[set[str], set[str]]:
    nodes = {op[1] for r in removed for op in r.ops if op[0] == "n"}
    rels = {op[4] for r in removed for op in r.ops if op[0] == "r"}
    return nodes, rels


def _check(
    folder: Path,
    name: str,
    memo: RowMemo,
    changed: list[_Changed],
    removed: list[MemoRow],
    digests: dict[str, str],
    totals: tuple[int, int],
) -> Increment | None:
    gone_nodes, gone_rels = _gone(removed)
    nodes, keys = _Nodes(memo, gone_nodes), _Keys(memo, gone_rels)
    reg = Registry(nodes, keys)
    added: list[MemoRow] = []
    for c in changed:
        if not _build(c, reg, added):
            return None
    if reg.problems:
        return None
    removed_at = {(r.file, r.line) for r in removed}
    _recheck(reg, memo, gone_nodes | nodes.new.keys(), removed_at)
    _cycles(reg, memo, added, removed, removed_at)
    reg.check_deferred()
    if reg.problems:
        return None
    held_nodes, held_rels = _held(memo, gone_nodes | nodes.new.keys(), gone_rels | keys.new.keys())
    inc = Increment(
        dataset=name,
        source=str(folder),
        nodes=list(nodes.new.values()),
        relations=reg.relations,
        gone_nodes=gone_nodes,
        gone_relations=gone_rels,
        held_nodes=held_nodes,
        held_relations=held_rels,
        total_nodes=totals[0],
        total_relations=totals[1],
        removed_rows=removed,
        added_rows=added,
        digests=digests,
    )
    if any(_touches_places(r, memo) for r in (*removed, *added)):
        _places(inc, memo, removed_at)
    return inc


def _build(c: _Changed, reg: Registry, added: list[MemoRow]) -> bool:
    """Build a changed file's changed rows into ``reg``; False if one cannot be kept."""
    t = table_of(c.src.table, c.source, reg)  # the header the rows were read with
    build, fit, scan = builder_of(t), t.fit, t.scan
    try:
        for line, cells, digest in c.rows:
            journal: list[tuple[Any, ...]] = []
            reg.journal = journal
            row = fit(line, list(cells))
            scan(line, row)
            build(line, row)
            reg.journal = None
            ops = encode_row(journal, c.src.file, line)
            if ops is None:
                return False
            added.append(MemoRow(c.src.file, line, digest, ops))
    finally:
        reg.journal = None
    return True


def _expect(op: list[Any]) -> Expect:
    _, _, label, kind, level, _ = op
    return Expect(_LABELS[label] if label else None, kind, GridLevel(level) if level else None)


def _recheck(reg: Registry, memo: RowMemo, ids: set[str], skip: set[tuple[str, int]]) -> None:
    """Check again every unchanged row that names one of ``ids``: its references, and its
    relation's ends when it is a relation row."""
    tables = {f.file: f.table for f in memo.files.values()}
    rows: set[tuple[str, int]] = set()
    for node_id in ids:
        rows.update(memo.naming(node_id))
    allowed: dict[tuple[RelType, Label, Label], str | None] = {}
    for row in memo.rows(sorted(rows - skip)):
        for op in row.ops:
            if op[0] == "f" and op[1] in ids:
                reg.recheck(op[1], _expect(op), row.file, row.line, op[5])
            elif op[0] == "r" and tables[row.file] == "relations" and ids & {op[1], op[3]}:
                _ends(reg, row, op, allowed)


def _ends(
    reg: Registry,
    row: MemoRow,
    op: list[Any],
    allowed: dict[tuple[RelType, Label, Label], str | None],
) -> None:
    """A relation row's ends: both must be records, of labels the relation may join."""
    src, rtype, tgt = op[1], _TYPES[op[2]], op[3]
    source, target = reg.nodes.get(src), reg.nodes.get(tgt)
    for end, node in ((src, source), (tgt, target)):
        if node is None:
            reg.unknown(end, row.file, row.line, "")
    if source is None or target is None:
        return
    key = (rtype, source.label, target.label)
    if key not in allowed:
        probe = make_relation(src, rtype, tgt, provenance(row.file, row.line))
        allowed[key] = probe.allowed_between(source.label, target.label)
    if why := allowed[key]:
        reg.problem(row.file, row.line, "", why)


def _links(rows: list[MemoRow]) -> list[tuple[str, str, str, int]]:
    return [(op[1], op[2], r.file, r.line) for r in rows for op in r.ops if op[0] in ("p", "o")]


def _cycles(
    reg: Registry,
    memo: RowMemo,
    added: list[MemoRow],
    removed: list[MemoRow],
    removed_at: set[tuple[str, int]],
) -> None:
    """A parent link a changed row gives must not lead back to its child."""
    new: dict[str, list[str]] = {}
    for child, parent, _, _ in _links(added):
        new.setdefault(child, []).append(parent)

    def parents(node: str) -> list[str]:
        kept = [p for p, f, n in memo.parents(node) if (f, n) not in removed_at]
        return kept + new.get(node, [])

    for child, parent, file, line in _links(added):
        seen, todo = set(), [parent]
        while todo:
            here = todo.pop()
            if here == child:
                reg.problem(file, line, "", f"cycle through {child} → {parent}")
                return
            if here not in seen:
                seen.add(here)
                todo.extend(parents(here))


def _held(memo: RowMemo, ids: set[str], keys: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The fingerprints the memo (so the store) holds of these node ids and relation keys."""
    nodes = {i: node[4] for i in ids if (node := memo.node(i)) is not None}
    rels = {k: rel[2] for k in keys if (rel := memo.relation(k)) is not None}
    return nodes, rels


def _touches_places(row: MemoRow, memo: RowMemo) -> bool:
    """True if a row is of a places table or gives a PART_OF row (a building's entry may
    change)."""
    return memo.files[row.file].table == "places" or any(op[0] == "o" for op in row.ops)


def _places(inc: Increment, memo: RowMemo, removed_at: set[tuple[str, int]]) -> None:
    """Every place node and PART_OF link of the dataset now (for the buildings' entries)."""
    rows: list[MemoRow] = []
    for f in memo.files.values():
        if f.table == "places":
            rows += [r for r in memo.rows_of(f.file) if (r.file, r.line) not in removed_at]
    rows += [r for r in inc.added_rows if memo.files[r.file].table == "places"]
    inc.places = [_node(op, r) for r in rows for op in r.ops if op[0] == "n" and len(op) > 5]
    links = memo.all_links()
    kept = [(c, p) for c, p, f, n in links if (f, n) not in removed_at]
    inc.part_of = kept + [(c, p) for c, p, _, _ in _links(inc.added_rows)]


def _node(op: list[Any], row: MemoRow) -> Node:
    _, node_id, label, kind, _, name, props = op
    return make_node(node_id, _LABELS[label], name, kind, props, provenance(row.file, row.line))
