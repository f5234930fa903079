"""A ledger mapping file as written: the YAML read with dates and yes/no kept as text, and its
keys checked by pydantic models (unknown keys refused). :mod:`.mapping` compiles what passes;
:func:`line_of` and :func:`key_path` say where in the YAML a problem is.

>>> MappingSpec.model_validate(yaml.load("records: [{table: 人员, fields: {name: x}}]",
...                            Loader=YamlLoader)).header_row
1
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
)

from shanzhi.graph.model import Label, RelType
from shanzhi.loaders.headers import table_name

__all__ = [
    "ColumnSkip",
    "FieldSpec",
    "LookupSpec",
    "MappingSpec",
    "RecordSpec",
    "RowRule",
    "SkipSpec",
    "ValuesSpec",
    "YamlLoader",
    "key_path",
    "line_of",
]


class YamlLoader(yaml.SafeLoader):
    """Safe YAML where dates and yes/no stay text: the loaders parse them as cells are parsed."""


YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if not tag.endswith((":timestamp", ":bool"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _text(value: Any) -> Any:
    """YAML scalars (numbers, yes/no, dates) as the text a ledger cell would hold."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | date):
        return value.isoformat() if isinstance(value, date) else str(value)
    return value


Text = Annotated[str, BeforeValidator(_text)]


def _vocab(enum: type[Label] | type[RelType]) -> BeforeValidator:
    return BeforeValidator(lambda v: enum.parse(v) if isinstance(v, str) else v)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LookupSpec(_Strict):
    """``{find: Place, name: "{小区}{楼号}号楼", kind: building, via: COVERS}``."""

    find: Annotated[Label, _vocab(Label)]
    name: Text
    kind: Text | None = None
    via: Annotated[RelType | None, _vocab(RelType)] = None


class ValuesSpec(_Strict):
    """``{value: "{是否党员}", values: {党员: 是, 群众: 否}}``."""

    value: Text
    values: dict[Text, Text] = Field(default_factory=dict)


def _which(value: Any) -> str:
    if isinstance(value, dict):
        return "<find>" if "find" in value else "<values>"
    return "<text>"


FieldSpec = Annotated[
    Annotated[Text, Tag("<text>")]
    | Annotated[LookupSpec, Tag("<find>")]
    | Annotated[ValuesSpec, Tag("<values>")],
    Discriminator(_which),
]


class RecordSpec(_Strict):
    """One kind of record made from every ledger row."""

    table: str
    when: list[Text] = Field(default_factory=list)
    fields: dict[Text, FieldSpec] = Field(min_length=1)

    @field_validator("table")
    @classmethod
    def _table(cls, v: str) -> str:
        name = table_name(v)
        if name is None:
            raise ValueError(
                f"unknown table {v!r} (expected grids, places, orgs, people, projects or relations)"
            )
        return name

    @field_validator("when", mode="before")
    @classmethod
    def _when(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class ColumnSkip(_Strict):
    """``{column: 序号, matches: "^[一二三]、"}`` or ``{column: 居民区, equals: [说明]}``."""

    column: Text
    matches: str | None = None
    equals: list[Text] | None = None

    @field_validator("matches")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as e:
                raise ValueError(f"bad regular expression {v!r} ({e})") from None
        return v


SkipSpec = Annotated[
    Annotated[Literal["totals", "titles"], Tag("<word>")] | Annotated[ColumnSkip, Tag("<column>")],
    Discriminator(lambda v: "<column>" if isinstance(v, dict | ColumnSkip) else "<word>"),
]
RowRule = Literal["leave_out", "load", "refuse"]


def _sheets(value: Any) -> Any:
    """``all`` or a non-empty list of sheet names (as text)."""
    if value is None or value == "all":
        return value
    if isinstance(value, list) and value and all(isinstance(v, str | int) for v in value):
        return [str(v) for v in value]
    raise ValueError("expected all or a list of sheet names, e.g. [第一居民区, 第二居民区]")


class MappingSpec(_Strict):
    """A mapping file as written."""

    description: str | None = None
    ledger: str | None = None
    sheet: Text | None = None
    #: several sheets read with this one mapping: ``all`` (every visible one) or a list
    sheets: Annotated[str | list[str] | None, BeforeValidator(_sheets)] = None
    header_row: int = Field(default=1, ge=1)
    #: how many rows the header spans (merged cells over two rows: 2)
    header_rows: int = Field(default=1, ge=1, le=5)
    hidden_rows: RowRule = "leave_out"
    struck_rows: RowRule = "leave_out"
    skip: list[SkipSpec] = Field(default_factory=list)
    #: each checked as a RecordSpec on its own, so that every record's problems are reported
    records: list[Any] = Field(min_length=1)


def key_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part.startswith("<"):
            out += f".{part}" if out else part
    return out


def line_of(root: yaml.Node | None, loc: tuple[int | str, ...]) -> int:
    """The line of the key (or list item) ``loc`` leads to, or of the deepest one that exists."""
    node, line = root, root.start_mark.line + 1 if root is not None else 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == part), None)
            if pair is not None:
                line, node = pair[0].start_mark.line + 1, pair[1]
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
            line = node.start_mark.line + 1
    return line
