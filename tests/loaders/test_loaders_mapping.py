"""Declarative ledger mappings: the format (mapping.py, docs/mappings.md) and how ledgers load."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from shanzhi.graph.model import Label, RelType
from shanzhi.loaders import load_dataset, read_dataset
from shanzhi.loaders.mapping import MappingError, parse_mapping
from shanzhi.loaders.templates import Template

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "tests" / "data"
BASE = DATA / "good" / "utf8_bom"


def _problems(text: str) -> list[str]:
    with pytest.raises(MappingError) as err:
        parse_mapping(text, "mappings/m.yaml")
    return [str(p) for p in err.value.problems]


def test_the_ledger_example_loads_with_its_own_provenance() -> None:
    ds = load_dataset(DATA / "good" / "ledger")
    person = ds.node("H-L-示例小区-1")
    assert (person.label, person.name) == (Label.PERSON, "丙示例")
    assert person.props == {"origin": "ledger", "phone": "13800000011", "party_member": True}
    assert (person.provenance.file, person.provenance.line) == ("ledgers/楼组长名单.csv", 2)
    holds = [r for r in ds.relations if r.source_id == person.id]
    assert [(r.type, r.target_id, r.role) for r in holds] == [(RelType.HOLDS, "G-U", "楼组长")]
    # row 3 (2号) has no 楼组长: `when` makes no record of it
    assert not [n for n in ds.nodes if n.id.startswith("H-L-示例小区-2")]


def test_docs_example_is_a_valid_mapping() -> None:
    text = (ROOT / "docs" / "mappings.md").read_text("utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert example is not None
    m = parse_mapping(example.group(1), "mappings/楼组长名单.yaml")
    assert [r.table for r in m.records] == ["people", "relations"]
    assert set(m.uses) == {"小区", "楼号", "楼组长", "联系电话", "是否党员"}


def test_module_docstring_example_is_a_valid_mapping() -> None:
    import shanzhi.loaders.mapping as mod

    doc = mod.__doc__ or ""
    block = doc.split("format (docs/mappings.md)::\n\n", 1)[1].split("\n\nA field is", 1)[0]
    text = "\n".join(line[4:] for line in block.splitlines())
    assert len(parse_mapping(text, "mappings/楼组长名单.yaml").records) == 2


def test_templates() -> None:
    t = Template.parse("P-{小区}-{楼号|digits}")
    assert t.columns == ("小区", "楼号")
    assert t.render({"小区": "示例苑", "楼号": "１２号楼"}) == "P-示例苑-12"
    assert t.render({"小区": "示例苑", "楼号": "号楼"}) is None  # no digits: empty
    assert t.render({"小区": "", "楼号": "3"}) is None
    assert Template.parse("{{literal}}").render({}) == "{literal}"
    with pytest.raises(ValueError, match="unknown filter 'upper'"):
        Template.parse("{a|upper}")
    with pytest.raises(ValueError, match="no : or !"):
        Template.parse("{a:>3}")


def test_yaml_syntax_error_has_its_line() -> None:
    assert _problems("records:\n  - table: people\n    fields: {id: [\n") == [
        "mappings/m.yaml:4: not valid YAML (expected the node content, but found '<stream end>')"
    ]


def test_every_record_is_checked_and_each_problem_has_its_line() -> None:
    text = """description: x
header_row: 0
records:
  - table: people
    fields:
      编号: "H-{工号}"
      name: "{姓名}"
      party_member: 也许
  - table: projects
    fields: {id: "J-{编号}", name: "{项目}", level: 国家级, start: 2023-02-30}
  - table: relations
    fields:
      source_id: "H-{工号}"
      type: PARTNERS
      target_id: {find: Block, name: "{街区}"}
"""
    assert _problems(text) == [
        "mappings/m.yaml:2: header_row: Input should be greater than or equal to 1",
    ]
    assert _problems(text.replace("header_row: 0\n", "")) == [
        "mappings/m.yaml:7: records[0].fields.party_member: '也许' is not yes or no "
        "(expected 是/否, true/false or 1/0)",
        "mappings/m.yaml:9: records[1].fields.level: unknown level '国家级' "
        "(expected one of city, district, grassroots, micro)",
        "mappings/m.yaml:9: records[1].fields.start: '2023-02-30' is not a date "
        "(expected YYYY-MM-DD, YYYY/M/D or YYYY年M月D日)",
        "mappings/m.yaml:14: records[2].fields.target_id.find: unknown label 'Block' "
        "(expected one of Grid, Place, Org, Person, Project)",
    ]


def test_required_fields_and_reserved_names() -> None:
    text = "records:\n  - table: grids\n    fields:\n      id: G\n      uid: x\n"
    assert _problems(text) == [
        "mappings/m.yaml:3: records[0].fields: grids records need name, level",
        "mappings/m.yaml:5: records[0].fields.uid: 'uid' is not a grids column and is reserved",
    ]


def _dataset_with_ledger(tmp_path: Path, mapping: str, ledger: dict[str, str]) -> Path:
    d = tmp_path / "street"
    shutil.copytree(BASE, d)
    (d / "mappings").mkdir()
    (d / "mappings" / "名单.yaml").write_text(mapping, "utf-8")
    for name, text in ledger.items():
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_text(text, "utf-8")
    return d


def test_xlsx_ledger_with_a_title_row_and_a_named_sheet(tmp_path: Path) -> None:
    d = _dataset_with_ledger(
        tmp_path,
        "ledger: 台账/总台账.xlsx\nsheet: 志愿者\nheader_row: 2\nrecords:\n"
        "  - table: people\n    fields: {id: 'V-{序号}', name: '{姓名}', phone: '{电话}'}\n"
        "  - table: relations\n    fields:\n      source_id: 'V-{序号}'\n      type: 成员\n"
        "      target_id: {find: 组织, name: '{所在组织}'}\n",
        {},
    )
    (d / "台账").mkdir()
    wb = openpyxl.Workbook()
    wb.active.title = "封面"
    ws = wb.create_sheet("志愿者")
    ws.append(["示例街道志愿者名单（2023年）"])
    ws.append(["序号", "姓名", "电话", "所在组织"])
    ws.append([1, "甲志愿", 13800000021, "示例楼管小组"])
    ws.append([2, "乙志愿", None, "示例楼管小组"])
    wb.save(d / "台账" / "总台账.xlsx")
    ds = load_dataset(d)
    v1 = ds.node("V-1")
    assert v1.props == {"phone": "13800000021"}
    assert (v1.provenance.file, v1.provenance.line) == ("台账/总台账.xlsx[志愿者]", 3)
    members = sorted(r.source_id for r in ds.relations if r.type is RelType.MEMBER_OF)
    assert members == ["H-2", "V-1", "V-2"]


def test_lookup_problems_name_the_ledger_columns(tmp_path: Path) -> None:
    d = _dataset_with_ledger(
        tmp_path,
        "records:\n  - table: relations\n    fields:\n      source_id: '{人员编号}'\n"
        "      type: 服务\n      target_id: {find: Place, name: '{楼栋}', via: COVERS}\n",
        {
            "ledgers/名单.csv": "人员编号,楼栋\nH-1,示例小区1号楼\nH-2,示例小区2号楼\n"
            "H-2,示例路\nH-9,无名楼\n"
        },
    )
    with (d / "places.csv").open("a", encoding="utf-8") as f:
        f.write("P-B2,示例小区2号楼,building,P-E,,\n")  # no grid covers it
        f.write("P-B9,示例路,building,P-E,,\n")  # a second place named 示例路
    _, problems = read_dataset(d)
    assert [str(p) for p in problems] == [
        "ledgers/名单.csv:3: 楼栋: no record COVERS 示例小区2号楼 (P-B2)",
        "ledgers/名单.csv:4: 楼栋: 2 Places are named 示例路 (P-ROAD, P-B9)",
        "ledgers/名单.csv:5: 楼栋: no Place is named 无名楼",
    ]


def test_a_ledger_column_used_twice_is_ambiguous(tmp_path: Path) -> None:
    d = _dataset_with_ledger(
        tmp_path,
        "records:\n  - table: people\n    fields: {id: 'V-{序号}', name: '{姓名}'}\n",
        {"ledgers/名单.csv": "序号,姓名,姓名\n1,甲,乙\n"},
    )
    _, problems = read_dataset(d)
    assert [str(p) for p in problems] == [
        "ledgers/名单.csv:1: 姓名: the column appears twice; the mapping cannot tell which to read"
    ]


def test_ledger_outside_the_folder_or_missing_sheet(tmp_path: Path) -> None:
    d = _dataset_with_ledger(
        tmp_path,
        "ledger: ../elsewhere.csv\nrecords:\n  - {table: people, fields: {id: a, name: b}}\n",
        {},
    )
    (tmp_path / "elsewhere.csv").write_text("a\n1\n", "utf-8")
    _, problems = read_dataset(d)
    assert [str(p) for p in problems] == [
        "mappings/名单.yaml:1: ledger: no ledger file ../elsewhere.csv in the dataset folder"
    ]
    d2 = _dataset_with_ledger(
        tmp_path / "2",
        "ledger: ledgers/a.xlsx\nsheet: 名单\n"
        "records:\n  - {table: people, fields: {id: a, name: b}}\n",
        {},
    )
    (d2 / "ledgers").mkdir()
    openpyxl.Workbook().save(d2 / "ledgers" / "a.xlsx")
    _, problems = read_dataset(d2)
    assert [str(p) for p in problems] == [
        "mappings/名单.yaml:2: sheet: no sheet 名单 in ledgers/a.xlsx (it has Sheet)"
    ]
