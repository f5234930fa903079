"""Ledgers and their mappings inside a dataset folder: finding them and applying them.

``mappings/NAME.yaml`` maps ``ledgers/NAME.csv`` (or ``.xlsx`` / ``.xls`` / ``.jsonl``, or the
file its ``ledger:`` key names). A ledger no mapping uses is a problem (its records would be
lost), and so is a mapping without its ledger, and a ledger or mapping that links outside the
dataset folder. A workbook ledger gives one part per sheet read (``sheet``, ``sheets: all`` or a
list; ``{@sheet}`` is the sheet's name); rows the mapping skips (``skip``) and rows hidden or
struck through are left out and said in the notes. Rows are turned into canonical rows
(mapping.py) and read by the same table builders as the canonical files, so every check applies
to them too; problems name the ledger's file, line and columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from shanzhi.errors import Problem
from shanzhi.graph.model import Label, RelType
from shanzhi.loaders.checks import Registry
from shanzhi.loaders.folder import outside
from shanzhi.loaders.mapping import CompiledMapping, CompiledRecord, MappingError, parse_mapping
from shanzhi.loaders.mapping_spec import ColumnSkip, LookupSpec
from shanzhi.loaders.readers import Source, read_csv, read_jsonl
from shanzhi.loaders.records import read_table
from shanzhi.loaders.templates import SHEET_NAME
from shanzhi.loaders.workbooks import Workbook, WorkbookError

__all__ = ["Finder", "Ledger", "apply_ledgers", "find_ledgers"]

_LEDGER_SUFFIXES = (".csv", ".xlsx", ".xls", ".jsonl")
_WORKBOOKS = (".xlsx", ".xls")
#: A cell that starts a totals row: 合计, 小计, 总计, 共计 (spaces inside allowed), Total.
_TOTAL = re.compile(r"(?:合\s*计|小\s*计|总\s*计|共\s*计|(?i:sub\s*total|total))(?:$|[\s:：(（\d])")
_SKIPPED = {
    "totals": "合计行，按映射跳过 (totals row skipped by the mapping)",
    "titles": "标题行，按映射跳过 (section title skipped by the mapping)",
    "column": "按映射的 skip 规则跳过 (skipped by a skip rule of the mapping)",
}
_LOOKS_TOTAL = (
    "像是合计行：在映射里加上 skip: [totals] 把它跳过 "
    "(this looks like a totals row: add skip: [totals] to the mapping to leave it out)"
)

Row = tuple[int, dict[str, str]]


@dataclass
class Part:
    """The rows of one sheet (or the one file) of a ledger."""

    file: str
    rows: list[Row]


@dataclass
class Ledger:
    """A mapping and its ledger file; ``parts`` is filled when the ledger is first read."""

    mapping: CompiledMapping
    path: Path
    file: str
    parts: list[Part] | None = None
    broken: bool = False
    #: False when the mapping has problems: its ledger's columns are checked, nothing applied
    usable: bool = True
    problems: list[Problem] = field(default_factory=list)


def _rel(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix()


def _ledger_path(m: CompiledMapping, yaml_path: Path, folder: Path) -> Path | Problem:
    if m.ledger:
        path = folder / m.ledger
        if not path.resolve().is_relative_to(folder.resolve()) or not path.is_file():
            return Problem(
                m.file,
                m.lines.get("ledger", 1),
                "ledger",
                f"no ledger file {m.ledger} in the dataset folder",
            )
        return path.resolve()
    found = [
        p for s in _LEDGER_SUFFIXES if (p := folder / "ledgers" / f"{yaml_path.stem}{s}").exists()
    ]
    if len(found) == 1:
        why = outside(found[0], folder)
        if why:
            return Problem(_rel(found[0], folder), 0, "", why)
        return found[0].resolve()
    expected = f"ledgers/{yaml_path.stem}.csv, .xlsx, .xls or .jsonl"
    if not found:
        return Problem(
            m.file, 1, "", f"no ledger for this mapping (expected {expected}, or set ledger:)"
        )
    names = ", ".join(p.name for p in found)
    return Problem(m.file, 1, "", f"several ledgers fit this mapping ({names}); set ledger:")


def _parse(yaml_path: Path, folder: Path, problems: list[Problem]) -> CompiledMapping | None:
    """The mapping in a YAML file, or None (problems say why); may be unusable (MappingError)."""
    file = _rel(yaml_path, folder)
    why = outside(yaml_path, folder)
    if why:
        problems.append(Problem(file, 0, "", why))
        return None
    try:
        return parse_mapping(yaml_path.read_text(encoding="utf-8-sig"), file)
    except UnicodeDecodeError:
        problems.append(Problem(file, 1, "", "a mapping must be saved as UTF-8"))
        return None


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
        usable = True
        try:
            m = _parse(yaml_path, folder, problems)
        except MappingError as e:
            problems.extend(e.problems)
            if e.mapping is None:
                claimed.update(
                    p.resolve() for p in (folder / "ledgers").glob(f"{yaml_path.stem}.*")
                )
                continue
            m, usable = e.mapping, False
        if m is None:
            claimed.update(p.resolve() for p in (folder / "ledgers").glob(f"{yaml_path.stem}.*"))
            continue
        path = _ledger_path(m, yaml_path, folder)
        if isinstance(path, Problem):
            problems.append(path)
            claimed.update(p.resolve() for p in (folder / "ledgers").glob(f"{yaml_path.stem}.*"))
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


def _sheets(ledger: Ledger, wb: Workbook, notes: list[Problem]) -> list[str] | Problem:
    """The sheets the mapping reads; notes for the hidden, empty and other sheets left out."""
    m = ledger.mapping
    if m.sheets == "all":
        notes.extend(wb.hidden_note(s) for s in wb.hidden_sheets)
        chosen = [s for s in wb.sheets if not wb.is_empty(s)]
        notes.extend(
            Problem(wb.sheet_file(s), 0, "", "空工作表未读取 (empty sheet left out)")
            for s in wb.sheets
            if s not in chosen
        )
        return chosen
    named = list(m.sheets) if isinstance(m.sheets, tuple) else [m.sheet] if m.sheet else []
    for sheet in named:
        if sheet not in wb.all_sheets:
            key = "sheets" if m.sheets else "sheet"
            return Problem(
                m.file,
                m.lines.get(key, 1),
                key,
                f"no sheet {sheet} in {ledger.file} (it has {', '.join(wb.all_sheets)})",
            )
    chosen = named or wb.sheets[:1] or wb.all_sheets[:1]
    for s in wb.all_sheets:
        if s not in chosen and not wb.is_empty(s):
            notes.append(
                Problem(
                    wb.sheet_file(s),
                    0,
                    "",
                    "映射没有读这个工作表（要读就用 sheets: all 或列出它） "
                    "(the mapping does not read this sheet; use sheets: all or list it)",
                )
            )
    return chosen


def _sources(ledger: Ledger, reg: Registry, wb: Workbook | None) -> list[tuple[str, Source]]:
    """(sheet name or "", Source) for each part of the ledger; problems go to ``reg``."""
    m, path = ledger.mapping, ledger.path
    if wb is None:
        if SHEET_NAME in m.uses:
            line, key = m.uses[SHEET_NAME]
            reg.problem(
                m.file, line, key, f"{ledger.file} has no sheets: {{@sheet}} needs a workbook"
            )
            return []
        if path.suffix.lower() == ".jsonl":
            return [("", read_jsonl(path, ledger.file))]
        return [("", read_csv(path, ledger.file, m.header_row, m.header_rows))]
    sheets = _sheets(ledger, wb, reg.notes)
    if isinstance(sheets, Problem):
        reg.problems.append(sheets)
        return []
    return [(s, wb.source(s, m.header_row, m.header_rows, m.rules)) for s in sheets]


def _check_columns(ledger: Ledger, source: Source, reg: Registry) -> bool:
    """True if the source has every column its mapping reads, once."""
    ok, header = True, source.header
    for column, (line, key) in ledger.mapping.uses.items():
        if column == SHEET_NAME:
            continue
        if column not in header:
            have = ", ".join(h for h in header if h)
            reg.problem(
                ledger.mapping.file,
                line,
                key,
                f"{source.file} has no column {column} (it has {have})",
            )
            ok = False
        elif header.count(column) > 1:
            reg.problem(
                source.file,
                source.header_line or 1,
                column,
                "the column appears twice; the mapping cannot tell which to read",
            )
            ok = False
    return ok


def _values(cells: dict[str, str]) -> list[str]:
    """The row's cells (not the sheet's name the row carries)."""
    return [v for k, v in cells.items() if k != SHEET_NAME]


def _skip_reason(m: CompiledMapping, cells: dict[str, str]) -> str | None:
    for rule in m.skip:
        if isinstance(rule, ColumnSkip):
            value = cells.get(rule.column, "")
            if (rule.equals is not None and value in rule.equals) or (
                rule.matches is not None and re.search(rule.matches, value)
            ):
                return "column"
        elif rule == "totals" and any(_TOTAL.match(v) for v in _values(cells)):
            return "totals"
        elif rule == "titles" and sum(1 for v in _values(cells) if v) == 1:
            return "titles"
    return None


def _keep(ledger: Ledger, part: Part, reg: Registry) -> list[Row]:
    """The rows no skip rule leaves out; a totals row the mapping does not skip is a problem."""
    m, out = ledger.mapping, []
    wants = [r.when for r in m.records]
    for line, cells in part.rows:
        why = _skip_reason(m, cells)
        if why:
            reg.notes.append(Problem(part.file, line, "", _SKIPPED[why]))
            continue
        makes = any(all(cells.get(w) for w in when) for when in wants)
        if makes and "totals" not in m.skip and any(_TOTAL.match(v) for v in _values(cells)):
            reg.problem(part.file, line, "", _LOOKS_TOTAL)
            continue
        out.append((line, cells))
    return out


def _read(ledger: Ledger, reg: Registry) -> None:
    """Read the ledger once, checking that each part has every column its mapping reads."""
    ledger.parts = []
    try:
        wb = (
            Workbook(ledger.path, ledger.file) if ledger.path.suffix.lower() in _WORKBOOKS else None
        )
    except WorkbookError as e:
        reg.problem(ledger.file, 0, "", str(e))
        ledger.broken = True
        return
    try:
        sources = _sources(ledger, reg, wb)
        ledger.broken = not sources
        for sheet, source in sources:
            rows = list(source.rows)
            reg.problems.extend(source.problems)
            reg.notes.extend(source.notes)
            if source.problems or not _check_columns(ledger, source, reg):
                ledger.broken = True
                continue
            header = source.header
            dicts = [(line, dict(zip(header, cells, strict=False))) for line, cells in rows]
            if sheet:
                for _, cells in dicts:
                    cells[SHEET_NAME] = sheet
            part = Part(source.file, dicts)
            part.rows = _keep(ledger, part, reg)
            ledger.parts.append(part)
    finally:
        if wb is not None:
            wb.close()
    ledger.broken = ledger.broken or not ledger.usable


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
    part: Part, rec: CompiledRecord, reg: Registry, finder: Finder | None
) -> Iterator[tuple[int, list[str]]]:
    for line, cells in part.rows:
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
                    reg.problem(part.file, line, f.display, why)
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
        if ledger.parts is None and not ledger.broken:
            _read(ledger, reg)
        if ledger.broken:
            continue
        for rec in ledger.mapping.records:
            if (rec.table == "relations") != relations:
                continue
            header = [f.column for f in rec.fields]
            display = {f.column: f.display for f in rec.fields}
            for part in ledger.parts or ():
                source = Source(part.file, header, None, _rows(part, rec, reg, finder))
                count += read_table(rec.table, source, reg, display)
    return count
