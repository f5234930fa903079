"""Ledgers and their mappings inside a dataset folder: finding them and applying them.

``mappings/NAME.yaml`` maps ``ledgers/NAME.csv`` (or ``.xlsx`` / ``.jsonl``, or the file its
``ledger:`` key names). A ledger no mapping uses is a problem (its records would be lost), and
so is a mapping without its ledger. Rows are turned into canonical rows (mapping.py) and read by
the same table builders as the canonical files, so every check applies to them too; problems
name the ledger's file, line and columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from shanzhi.errors import Problem
from shanzhi.graph.model import Label, RelType
from shanzhi.loaders.checks import Registry
from shanzhi.loaders.mapping import (
    CompiledMapping,
    CompiledRecord,
    LookupSpec,
    MappingError,
    parse_mapping,
)
from shanzhi.loaders.readers import Source, Workbook, read_csv, read_jsonl
from shanzhi.loaders.records import read_table

__all__ = ["Finder", "Ledger", "apply_ledgers", "find_ledgers"]

_LEDGER_SUFFIXES = (".csv", ".xlsx", ".jsonl")


@dataclass
class Ledger:
    """A mapping and its ledger file; ``rows`` is filled when the ledger is first read."""

    mapping: CompiledMapping
    path: Path
    file: str
    rows: list[tuple[int, dict[str, str]]] | None = None
    broken: bool = False
    #: False when the mapping has problems: its ledger's columns are checked, nothing applied
    usable: bool = True
    problems: list[Problem] = field(default_factory=list)


def _rel(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix()


def _ledger_path(m: CompiledMapping, yaml_path: Path, folder: Path) -> Path | Problem:
    if m.ledger:
        path = (folder / m.ledger).resolve()
        if not path.is_relative_to(folder.resolve()) or not path.is_file():
            return Problem(
                m.file,
                m.lines.get("ledger", 1),
                "ledger",
                f"no ledger file {m.ledger} in the dataset folder",
            )
        return path
    found = [
        p for s in _LEDGER_SUFFIXES if (p := folder / "ledgers" / f"{yaml_path.stem}{s}").is_file()
    ]
    if len(found) == 1:
        return found[0].resolve()
    expected = f"ledgers/{yaml_path.stem}.csv, .xlsx or .jsonl"
    if not found:
        return Problem(
            m.file, 1, "", f"no ledger for this mapping (expected {expected}, or set ledger:)"
        )
    names = ", ".join(p.name for p in found)
    return Problem(m.file, 1, "", f"several ledgers fit this mapping ({names}); set ledger:")


def find_ledgers(folder: Path) -> tuple[list[Ledger], set[Path], list[Problem]]:
    """Every mapping of the folder with its ledger, the ledger files used, and the problems."""
    ledgers: list[Ledger] = []
    problems: list[Problem] = []
    claimed: set[Path] = set()  # ledgers of mappings too broken to name their ledger
    mdir = folder / "mappings"
    yamls = (
        sorted(p for p in mdir.glob("*") if p.suffix in (".yaml", ".yml")) if mdir.is_dir() else []
    )
    for yaml_path in yamls:
        file = _rel(yaml_path, folder)
        usable = True
        try:
            m = parse_mapping(yaml_path.read_text(encoding="utf-8-sig"), file)
        except MappingError as e:
            problems.extend(e.problems)
            if e.mapping is None:
                claimed.update(
                    p.resolve() for p in (folder / "ledgers").glob(f"{yaml_path.stem}.*")
                )
                continue
            m, usable = e.mapping, False
        except UnicodeDecodeError:
            problems.append(Problem(file, 1, "", "a mapping must be saved as UTF-8"))
            continue
        path = _ledger_path(m, yaml_path, folder)
        if isinstance(path, Problem):
            problems.append(path)
            continue
        ledgers.append(Ledger(m, path, _rel(path, folder.resolve()), usable=usable))
    used = {ledger.path for ledger in ledgers} | claimed
    ldir = folder / "ledgers"
    for p in sorted(ldir.iterdir()) if ldir.is_dir() else []:
        if p.name.startswith((".", "~$")) or p.suffix.lower() not in _LEDGER_SUFFIXES:
            continue
        if p.resolve() not in used:
            why = f"no mapping uses this ledger (add mappings/{p.stem}.yaml)"
            problems.append(Problem(_rel(p, folder), 0, "", why))
    return ledgers, used, problems


def _open(ledger: Ledger, stack: ExitStack) -> Source | Problem:
    m, path = ledger.mapping, ledger.path
    if path.suffix.lower() == ".csv":
        return read_csv(path, ledger.file, m.header_row)
    if path.suffix.lower() == ".jsonl":
        return read_jsonl(path, ledger.file)
    try:
        wb = stack.enter_context(Workbook(path, ledger.file))
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        return Problem(ledger.file, 0, "", f"not a readable .xlsx workbook ({e})")
    sheet = m.sheet or wb.sheets[0]
    if sheet not in wb.sheets:
        return Problem(
            m.file,
            m.lines.get("sheet", 1),
            "sheet",
            f"no sheet {sheet} in {ledger.file} (it has {', '.join(wb.sheets)})",
        )
    return wb.source(sheet, m.header_row)


def _read(ledger: Ledger, reg: Registry) -> None:
    """Read the ledger once, checking that it has every column its mapping reads."""
    with ExitStack() as stack:
        source = _open(ledger, stack)
        if isinstance(source, Problem):
            reg.problems.append(source)
            ledger.broken = True
            return
        rows = list(source.rows)
        reg.problems.extend(source.problems)
        if source.problems:
            ledger.broken = True
            return
    header = source.header
    ledger.file = source.file
    for column, (line, key) in ledger.mapping.uses.items():
        if column not in header:
            have = ", ".join(h for h in header if h)
            reg.problem(
                ledger.mapping.file,
                line,
                key,
                f"{source.file} has no column {column} (it has {have})",
            )
            ledger.broken = True
        elif header.count(column) > 1:
            reg.problem(
                source.file,
                source.header_line or 1,
                column,
                "the column appears twice; the mapping cannot tell which to read",
            )
            ledger.broken = True
    ledger.broken = ledger.broken or not ledger.usable
    ledger.rows = [(line, dict(zip(header, cells, strict=False))) for line, cells in rows]


class Finder:
    """Finds nodes by name or alias (for ``find``) and who points to them (for ``via``)."""

    def __init__(self, reg: Registry) -> None:
        self._reg = reg
        self._names: dict[tuple[Label, str], list[str]] = {}
        for node in reg.nodes.values():
            self._names.setdefault((node.label, node.name), []).append(node.id)
            aliases = node.props.get("aliases")
            if isinstance(aliases, list):
                for a in aliases:
                    if a != node.name:
                        self._names.setdefault((node.label, a), []).append(node.id)
        self._via: dict[tuple[RelType, str], list[str]] = {}
        self._seen = 0

    def _sources(self, rel_type: RelType, target: str) -> list[str]:
        rels = self._reg.relations
        for r in rels[self._seen :]:
            self._via.setdefault((r.type, r.target_id), []).append(r.source_id)
        self._seen = len(rels)
        return self._via.get((rel_type, target), [])

    def find(self, spec: LookupSpec, name: str) -> tuple[str | None, str]:
        """The id found, or None and why not."""
        label = spec.find.value
        ids = self._names.get((spec.find, name), [])
        if spec.kind is not None:
            ids = [i for i in ids if self._reg.nodes[i].kind == spec.kind]
        what = f"{spec.kind} {label}" if spec.kind else label
        if not ids:
            return None, f"no {what} is named {name}"
        if len(ids) > 1:
            return None, f"{len(ids)} {what}s are named {name} ({', '.join(ids[:5])})"
        if spec.via is None:
            return ids[0], ""
        via = spec.via.value
        sources = self._sources(spec.via, ids[0])
        if not sources:
            return None, f"no record {via} {name} ({ids[0]})"
        if len(sources) > 1:
            found = ", ".join(sources[:5])
            return None, f"{len(sources)} records {via} {name} ({ids[0]}): {found}; expected one"
        return sources[0], ""


def _rows(
    ledger: Ledger, rec: CompiledRecord, reg: Registry, finder: Finder | None
) -> Iterator[tuple[int, list[str]]]:
    for line, cells in ledger.rows or ():
        if not all(cells.get(w) for w in rec.when):
            continue
        out: list[str] = []
        for f in rec.fields:
            value = f.template.render(cells)
            if value is not None and f.values:
                value = f.values.get(value, value)
            if value is not None and f.lookup is not None and finder is not None:
                value, why = finder.find(f.lookup, value)
                if value is None:
                    reg.problem(ledger.file, line, f.display, why)
                    break
            out.append(value or "")
        else:
            yield line, out


def apply_ledgers(ledgers: list[Ledger], reg: Registry, relations: bool) -> int:
    """Apply the node records (``relations=False``) or relation records of every ledger."""
    wants_find = any(
        f.lookup
        for lg in ledgers
        for r in lg.mapping.records
        if (r.table == "relations") == relations
        for f in r.fields
    )
    # built once, before any ledger of this pass adds to the registry: finds see the same nodes
    finder = Finder(reg) if wants_find else None
    count = 0
    for ledger in ledgers:
        if ledger.rows is None and not ledger.broken:
            _read(ledger, reg)
        if ledger.broken:
            continue
        for rec in ledger.mapping.records:
            if (rec.table == "relations") != relations:
                continue
            header = [f.column for f in rec.fields]
            source = Source(ledger.file, header, None, _rows(ledger, rec, reg, finder))
            display = {f.column: f.display for f in rec.fields}
            count += read_table(rec.table, source, reg, display)
    return count
