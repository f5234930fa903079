"""Declarative ledger mappings: a street office's own spreadsheet becomes records, with no code.

A dataset folder may hold ledgers (台账) as the office keeps them, under ``ledgers/``, and one
small YAML per ledger under ``mappings/``. ``load_dataset`` applies them automatically; every
problem in a ledger is reported at the ledger's own FILE:LINE under its own column names, and
every problem in a mapping at the YAML's FILE:LINE and key. The format (docs/mappings.md)::

    # mappings/楼组长名单.yaml — maps ledgers/楼组长名单.csv (found by the same stem)
    description: 楼组长名单 kept by each 居民区
    # ledger: ledgers/台账.xlsx   # another file (relative to the dataset folder)
    # sheet: 楼组长               # for a workbook; default its first sheet
    # sheets: all                 # or a list: one mapping for many sheets ({@sheet}: the name)
    # header_row: 2               # when a title row sits above the header
    # header_rows: 2              # when the header spans two rows (merged cells)
    # skip: [totals, titles]      # rows that are no records (or {column: 序号, matches: …})
    # hidden_rows: leave_out      # or load, refuse (also struck_rows)
    records:
      - table: people             # one of grids places orgs people projects relations
        when: 楼组长               # only rows where these columns are filled
        fields:                   # canonical column (or its Chinese alias) → value
          id: "P-{小区}-{楼号|digits}-楼组长"   # {column} is the ledger's cell; ids must be stable
          name: "{楼组长}"
          phone: "{联系电话}"
          party_member: {value: "{是否党员}", values: {党员: 是, 群众: 否}}
          origin: ledger          # a constant; unknown columns are kept as properties
      - table: relations
        when: 楼组长
        fields:
          source_id: "P-{小区}-{楼号|digits}-楼组长"
          type: HOLDS
          role: 楼组长
          # the id of the node found by name; via: the node that points to it by that relation
          target_id: {find: Place, name: "{小区}{楼号|digits}号楼", kind: building, via: COVERS}

A field is a text template (a constant when it names no column), ``{value, values}`` (a template
whose results are translated through a table; others pass unchanged), or ``{find, name, kind,
via}`` (the id of the one node of label ``find`` whose name or alias is ``name``; with ``via``,
the one node that points to it by that relation). ``{column|digits}`` keeps only the digits of a
cell. When a cell a template names is empty, the field is empty. ``find`` in a node record sees the
dataset's tables; in a relation record it sees every node and relation read. Dates and yes/no in
the YAML stay text (``2023-02-30`` is reported, not turned into a YAML error).

>>> spec = parse_mapping("records: [{table: 人员, fields: {id: 'P-{工号}', name: '{姓名}'}}]",
...                      "mappings/x.yaml")
>>> spec.records[0].table, spec.records[0].fields[0].template.columns
('people', ('工号',))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import ValidationError

from shanzhi.errors import Problem
from shanzhi.graph.model import (
    GridLevel,
    OrgKind,
    PlaceKind,
    ProjectLevel,
    RelType,
    kind_enum,
)
from shanzhi.loaders.headers import REQUIRED, resolve_header
from shanzhi.loaders.mapping_spec import (
    ColumnSkip,
    LookupSpec,
    MappingSpec,
    RecordSpec,
    ValuesSpec,
    YamlLoader,
    key_path,
    line_of,
)
from shanzhi.loaders.templates import Template
from shanzhi.loaders.values import clean, parse_bool, parse_date, parse_enum
from shanzhi.loaders.workbooks import RowRules

__all__ = [
    "CompiledField",
    "CompiledMapping",
    "CompiledRecord",
    "MappingError",
    "parse_mapping",
]

_ENUMS: dict[tuple[str, str], type[GridLevel | PlaceKind | OrgKind | ProjectLevel | RelType]] = {
    ("grids", "level"): GridLevel,
    ("places", "kind"): PlaceKind,
    ("orgs", "kind"): OrgKind,
    ("projects", "level"): ProjectLevel,
    ("relations", "type"): RelType,
}
_DATES = {
    ("projects", "start"),
    ("projects", "end"),
    ("relations", "valid_from"),
    ("relations", "valid_to"),
}


@dataclass(frozen=True)
class CompiledField:
    """One field of a record: its canonical column and how its value is made."""

    column: str
    template: Template
    values: dict[str, str] = field(default_factory=dict)
    lookup: LookupSpec | None = None
    #: how problems name it: the ledger columns it reads, or the column itself for a constant
    display: str = ""


@dataclass(frozen=True)
class CompiledRecord:
    """A checked record spec."""

    table: str
    when: tuple[str, ...]
    fields: tuple[CompiledField, ...]

    @property
    def columns(self) -> set[str]:
        """Every ledger column this record reads."""
        cols = set(self.when)
        for f in self.fields:
            cols.update(f.template.columns)
        return cols


@dataclass(frozen=True)
class CompiledMapping:
    """A checked mapping file (``file`` is its path in the dataset folder)."""

    file: str
    ledger: str | None
    sheet: str | None
    header_row: int
    records: tuple[CompiledRecord, ...]
    #: ledger column → (line, key) of its first use, to report a column the ledger lacks
    uses: dict[str, tuple[int, str]]
    #: top-level key → its line (to report a missing ledger or sheet)
    lines: dict[str, int] = field(default_factory=dict)
    #: ``"all"``, the sheets named, or None (the one ``sheet``, default the first)
    sheets: str | tuple[str, ...] | None = None
    header_rows: int = 1
    rules: RowRules = field(default_factory=RowRules)
    skip: tuple[str | ColumnSkip, ...] = ()


class MappingError(Exception):
    """A mapping file is wrong; ``problems`` say where (YAML file, line and key)."""

    def __init__(self, problems: list[Problem], mapping: CompiledMapping | None = None) -> None:
        self.problems = sorted(problems)
        super().__init__("; ".join(str(p) for p in self.problems))
        #: the records that passed, so the ledger's columns can still be checked
        self.mapping = mapping


def _check_constant(table: str, column: str, text: str) -> None:
    enum = _ENUMS.get((table, column))
    if enum is not None:
        parse_enum(enum, text)
    elif (table, column) in _DATES:
        parse_date(text)
    elif (table, column) == ("people", "party_member"):
        parse_bool(text)


class _Compiler:
    def __init__(self, file: str, root: yaml.Node | None) -> None:
        self.file = file
        self.root = root
        self.problems: list[Problem] = []
        self.uses: dict[str, tuple[int, str]] = {}

    def problem(self, loc: tuple[int | str, ...], message: str) -> None:
        self.problems.append(Problem(self.file, line_of(self.root, loc), key_path(loc), message))

    def errors(self, error: ValidationError, base: tuple[int | str, ...] = ()) -> None:
        for err in error.errors():
            msg = {"extra_forbidden": "unknown key", "missing": "required key is missing"}.get(
                err["type"], err["msg"].removeprefix("Value error, ")
            )
            self.problem((*base, *err["loc"]), msg)

    def record(self, i: int, rec: RecordSpec) -> CompiledRecord:
        base: tuple[int | str, ...] = ("records", i)
        header = resolve_header(rec.table, [clean(k) for k in rec.fields])
        keys = list(rec.fields)
        bad = {j for j, _, _ in header.problems}
        for j, _, message in header.problems:
            self.problem((*base, "fields", keys[j]), message)
        canonical = {j: c for c, j in header.index.items()} | dict(header.extras)
        fields = []
        for j, (key, spec) in enumerate(rec.fields.items()):
            if j not in bad:
                f = self.field((*base, "fields", key), rec.table, canonical[j], spec)
                if f is not None:
                    fields.append(f)
        for w in rec.when:
            self.uses.setdefault(clean(w), (line_of(self.root, (*base, "when")), "when"))
        have = set(canonical.values())
        missing = [c for c in REQUIRED[rec.table] if c not in have]
        if missing:
            self.problem((*base, "fields"), f"{rec.table} records need {', '.join(missing)}")
        by_col = {f.column: f for f in fields}
        kind = by_col.get("type")
        constant = kind.template.render({}) if kind and not kind.template.columns else None
        holds = constant is not None and parse_enum(RelType, constant) is RelType.HOLDS
        if holds and "role" not in by_col:
            self.problem((*base, "fields"), "HOLDS needs a role")
        return CompiledRecord(rec.table, tuple(clean(w) for w in rec.when), tuple(fields))

    def field(
        self, loc: tuple[int | str, ...], table: str, column: str, spec: Any
    ) -> CompiledField | None:
        text = spec.name if isinstance(spec, LookupSpec) else getattr(spec, "value", spec)
        try:
            template = Template.parse(text)
        except ValueError as e:
            self.problem(loc, str(e))
            return None
        for col in template.columns:
            self.uses.setdefault(col, (line_of(self.root, loc), key_path(loc)))
        values = (
            {clean(k): clean(v) for k, v in spec.values.items()}
            if isinstance(spec, ValuesSpec)
            else {}
        )
        lookup = spec if isinstance(spec, LookupSpec) else None
        try:
            if lookup is not None:
                lookup = self.lookup(lookup)
            elif not template.columns:
                _check_constant(table, column, template.render({}) or "")
            for v in values.values():
                _check_constant(table, column, v)
        except ValueError as e:
            self.problem(loc, str(e))
            return None
        display = "/".join(template.columns) or column
        return CompiledField(column, template, values, lookup, display)

    def lookup(self, spec: LookupSpec) -> LookupSpec:
        if spec.kind is None:
            return spec
        enum = kind_enum(spec.find)
        if enum is None:
            raise ValueError(f"{spec.find.value} records have no kind")
        return spec.model_copy(update={"kind": parse_enum(enum, spec.kind).value})


def _compose(text: str, file: str) -> tuple[yaml.Node | None, Any]:
    """The YAML's node tree (for lines) and its data; MappingError if it is no YAML."""
    try:
        return yaml.compose(text, Loader=YamlLoader), yaml.load(text, Loader=YamlLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(e, "problem", None) or str(e)
        raise MappingError([Problem(file, line, "", f"not valid YAML ({reason})")]) from None


def _records(compiler: _Compiler, spec: MappingSpec) -> list[CompiledRecord]:
    """Each record checked on its own, so that every record's problems are reported."""
    records = []
    for i, raw in enumerate(spec.records):
        try:
            records.append(compiler.record(i, RecordSpec.model_validate(raw)))
        except ValidationError as e:
            compiler.errors(e, ("records", i))
            # without its unknown keys the record may still compile: check the rest of it too
            extra = {err["loc"][0] for err in e.errors() if err["type"] == "extra_forbidden"}
            if extra and isinstance(raw, dict) and len(extra) == len(e.errors()):
                rest = {k: v for k, v in raw.items() if k not in extra}
                compiler.record(i, RecordSpec.model_validate(rest))
    return records


def _sheets_and_skips(compiler: _Compiler, spec: MappingSpec) -> None:
    """The top-level keys that only make sense together: sheet or sheets; skip rules."""
    if spec.sheet is not None and spec.sheets is not None:
        compiler.problem(("sheets",), "give sheet (one) or sheets (several), not both")
    for i, rule in enumerate(spec.skip):
        if isinstance(rule, ColumnSkip):
            where = (line_of(compiler.root, ("skip", i)), "skip")
            compiler.uses.setdefault(clean(rule.column), where)
            if (rule.matches is None) == (rule.equals is None):
                compiler.problem(("skip", i), "give matches (a pattern) or equals (a list)")


def parse_mapping(text: str, file: str) -> CompiledMapping:
    """Parse and check a mapping's YAML; MappingError lists every problem with its line."""
    root, data = _compose(text, file)
    compiler = _Compiler(file, root)
    try:
        spec = MappingSpec.model_validate(data if data is not None else {})
    except ValidationError as e:
        compiler.errors(e)
        raise MappingError(compiler.problems) from None
    records = _records(compiler, spec)
    _sheets_and_skips(compiler, spec)
    mapping = CompiledMapping(
        file,
        spec.ledger,
        spec.sheet,
        spec.header_row,
        tuple(records),
        dict(compiler.uses),
        {k: line_of(root, (k,)) for k in ("ledger", "sheet", "sheets", "skip")},
        spec.sheets if isinstance(spec.sheets, str | None) else tuple(spec.sheets),
        spec.header_rows,
        RowRules(spec.hidden_rows, spec.struck_rows),
        tuple(spec.skip),
    )
    if compiler.problems:
        raise MappingError(compiler.problems, mapping)
    return mapping
