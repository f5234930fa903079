"""Routing rules as data: which level and roles take a ticket of each 诉求类别 (routing.yaml).

The format (docs/routing.md; the default is ``data/gonghexinlu/routing.yaml``)::

    rules:
      - name: 楼道堆物                      # shown in the output's 派单规则 column
        categories: [楼道堆物, 楼道杂物]      # 诉求类别 values this rule takes (NFKC, trimmed)
        keywords: [堆物, 杂物]               # when 诉求类别 is empty: words of 诉求内容
        targets:                           # tried in order; the first with a person wins
          - {level: building, roles: [楼组长], orgs: [building_management_group]}
          - {level: nearest, roles: [网格长]}
    default:                               # every other category
      name: 其他
      targets: [{level: nearest, roles: [网格长]}]

A target names a ``level`` of the who-covers chain (building, branch, community, block, street,
or ``nearest``: the first level from the building up where someone holds one of the roles),
the ``roles`` whose holders get the ticket (路长 is the one on duty on the ticket's date) and the
organisation kinds (``orgs``, English or Chinese: 楼管小组, residents_committee …) that take it
with them; without ``orgs`` the organisations that lead that level's grid are named. Every
problem of a rules file is reported at its own line and key.

>>> rules = parse_rules("rules: [{name: 物业维修, categories: [物业维修],"
...                     " targets: [{level: community, roles: [居委主任], orgs: [居委会]}]}]",
...                     "routing.yaml")
>>> rules.rule_for("物业维修", "").targets[0].orgs, rules.rule_for("噪音扰民", "").name
(('residents_committee',), '其他')
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shanzhi.errors import DataError, Problem
from shanzhi.graph.model import OrgKind
from shanzhi.sample import sample_path

__all__ = ["LEVELS", "Rule", "Rules", "Target", "default_rules_path", "load_rules", "parse_rules"]

LEVELS = ("building", "branch", "community", "block", "street", "nearest")
_DEFAULT_TARGETS = [{"level": "nearest", "roles": ["网格长"]}]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _TargetSpec(_Strict):
    level: Literal["building", "branch", "community", "block", "street", "nearest"]
    roles: list[str] = Field(default_factory=list)
    orgs: list[str] = Field(default_factory=list)

    @field_validator("orgs")
    @classmethod
    def _kinds(cls, v: list[str]) -> list[str]:
        return [OrgKind.parse(k).value for k in v]

    @field_validator("roles")
    @classmethod
    def _roles(cls, v: list[str]) -> list[str]:
        if any(not str(r).strip() for r in v):
            raise ValueError("a role is empty")
        return [str(r).strip() for r in v]


class _RuleSpec(_Strict):
    name: str = Field(min_length=1)
    categories: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    targets: list[_TargetSpec] = Field(min_length=1)


class _DefaultSpec(_Strict):
    name: str = "其他"
    targets: list[_TargetSpec] = Field(
        default_factory=lambda: list(map(_TargetSpec.model_validate, _DEFAULT_TARGETS))
    )


class _RulesSpec(_Strict):
    description: str | None = None
    rules: list[_RuleSpec] = Field(default_factory=list)
    default: _DefaultSpec = Field(default_factory=_DefaultSpec)


@dataclass(frozen=True)
class Target:
    """One level and the roles and organisation kinds that take a ticket there."""

    level: str
    roles: tuple[str, ...]
    orgs: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """A category's routing: its name and the targets tried in order."""

    name: str
    targets: tuple[Target, ...]
    categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@dataclass(frozen=True)
class Rules:
    """The rules of one file: lookup by category, by keyword when the category is empty."""

    file: str
    rules: tuple[Rule, ...]
    default: Rule

    def rule_for(self, category: str, content: str) -> Rule:
        """The rule of a ticket: its category's, else (no category) the first whose keyword is in
        the content, else the default."""
        key = _key(category)
        if key:
            for rule in self.rules:
                if key in (_key(c) for c in (rule.name, *rule.categories)):
                    return rule
            return self.default
        text = _key(content)
        for rule in self.rules:
            if any(_key(k) and _key(k) in text for k in rule.keywords):
                return rule
        return self.default


class _Loader(yaml.SafeLoader):
    """YAML where yes/no and dates stay text (a category is never a boolean)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if not tag.endswith((":timestamp", ":bool"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _line_of(root: yaml.Node | None, loc: tuple[int | str, ...]) -> int:
    node, line = root, root.start_mark.line + 1 if root is not None else 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == part), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _rule(spec: _RuleSpec | _DefaultSpec) -> Rule:
    targets = tuple(Target(t.level, tuple(t.roles), tuple(t.orgs)) for t in spec.targets)
    if isinstance(spec, _DefaultSpec):
        return Rule(spec.name, targets)
    return Rule(spec.name, targets, tuple(spec.categories), tuple(spec.keywords))


def parse_rules(text: str, file: str) -> Rules:
    """The rules in ``text`` (the contents of ``file``); DataError lists every problem."""
    try:
        root = yaml.compose(text, Loader=_Loader)
        doc: Any = yaml.load(text, Loader=_Loader) if root is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise DataError(
            [Problem(file, line, "", f"not valid YAML ({exc})")],
            f"{file} is not valid YAML; nothing was routed",
        ) from exc
    try:
        spec = _RulesSpec.model_validate(doc if doc is not None else {})
    except ValidationError as exc:
        problems = [
            Problem(file, _line_of(root, e["loc"]), _where(e["loc"]), e["msg"])
            for e in exc.errors()
        ]
        raise DataError(
            problems, f"{file} has {len(problems)} problem(s); nothing was routed"
        ) from None
    problems = []
    seen: dict[str, int] = {}
    for i, r in enumerate(spec.rules):
        for j, c in enumerate((r.name, *r.categories)):
            k = _key(c)
            if k in seen and seen[k] != i:
                loc: tuple[int | str, ...] = (
                    ("rules", i, "categories", j - 1) if j else ("rules", i, "name")
                )
                problems.append(
                    Problem(
                        file,
                        _line_of(root, loc),
                        _where(loc),
                        f"category {c!r} is also in rules[{seen[k]}]",
                    )
                )
            seen.setdefault(k, i)
        for j, t in enumerate(r.targets):
            if not t.roles:
                loc = ("rules", i, "targets", j)
                problems.append(
                    Problem(
                        file,
                        _line_of(root, loc),
                        _where(loc),
                        "a target needs roles: whose job the ticket is",
                    )
                )
    if problems:
        raise DataError(problems, f"{file} has {len(problems)} problem(s); nothing was routed")
    return Rules(file, tuple(_rule(r) for r in spec.rules), _rule(spec.default))


def default_rules_path() -> Path:
    """The documented default: ``routing.yaml`` of the bundled sample."""
    return sample_path() / "routing.yaml"


def load_rules(path: Path | str | None = None) -> Rules:
    """The rules of a file (default :func:`default_rules_path`)."""
    p = Path(path) if path is not None else default_rules_path()
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(
            [Problem(str(p), 0, "", f"cannot read the rules ({exc})")],
            f"cannot read the routing rules {p}; nothing was routed",
        ) from exc
    return parse_rules(text, p.name if path is None else str(p))
