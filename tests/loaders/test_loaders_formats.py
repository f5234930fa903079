"""Formats a street office really sends: GB18030 and BOM CSVs, XLSX workbooks, JSON Lines,
Chinese headers and names, full-width characters, CRLF, quoted cells over several lines."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from shanzhi.errors import DataError, NotFoundError, Problem
from shanzhi.graph.model import Label, Relation, RelType
from shanzhi.graph.model.dataset import Dataset
from shanzhi.loaders import load_dataset, read_dataset
from shanzhi.loaders.readers import detect_encoding, read_csv

DATA = Path(__file__).resolve().parent.parent / "data"


def _rel(dataset: Dataset, source: str, rel_type: RelType, target: str) -> Relation:
    found = [
        r
        for r in dataset.relations
        if (r.source_id, r.type, r.target_id) == (source, rel_type, target)
    ]
    assert len(found) == 1, (source, rel_type, target)
    return found[0]


def test_gb18030_chinese_file_names_headers_and_vocabulary() -> None:
    ds = load_dataset(DATA / "good" / "gb18030")
    street = ds.node("G-S")
    assert (street.label, street.name, street.kind) == (Label.GRID, "示例街道总网格", "street")
    assert street.props == {"code": "310106018000"}
    assert street.provenance.file == "网格.csv" and street.provenance.line == 2
    assert [ds.node(g).kind for g in ("G-B", "G-C", "G-R", "G-U")] == [
        "block",
        "community",
        "branch",
        "building",
    ]
    estate = ds.node("P-E")
    assert estate.kind == "estate" and estate.props["aliases"] == ["示例苑", "示例小区一期"]
    building = ds.node("P-B1")
    assert building.props == {
        "address": "示例路1弄1号",
        "aliases": ["1号楼", "一号楼"],
        "road_id": "P-ROAD",
    }
    holds = _rel(ds, "H-1", RelType.HOLDS, "G-U")
    assert (holds.role, holds.valid_from, holds.props) == (
        "楼组长",
        date(2023, 1, 1),
        {"note": "示例"},
    )
    assert holds.provenance.file == "关系.csv" and holds.provenance.line == 2
    assert ds.node("H-1").props == {"party_member": True, "phone": "13800000001"}


def test_utf8_bom_and_derived_relations_keep_the_node_row_as_provenance() -> None:
    ds = load_dataset(DATA / "good" / "utf8_bom")
    assert ds.node("G-S").kind == "street"  # the BOM is not part of the first header
    expected = {
        ("G-B", RelType.PART_OF, "G-S"): ("grids.csv", 3),
        ("G-U", RelType.COVERS, "P-B1"): ("places.csv", 4),
        ("P-B1", RelType.PART_OF, "P-E"): ("places.csv", 4),
        ("O-PWC", RelType.LEADS, "G-S"): ("orgs.csv", 2),
        ("O-PB", RelType.PART_OF, "O-PWC"): ("orgs.csv", 3),
        ("O-PB", RelType.LEADS, "J-1"): ("projects.csv", 2),
    }
    for (s, t, o), (file, line) in expected.items():
        prov = _rel(ds, s, t, o).provenance
        assert (prov.file, prov.line) == (file, line)
    project = ds.node("J-1")
    assert project.props == {"grid_id": "G-C", "start": "2023-03-01", "end": "2023-12-31"}
    assert ds.node("O-BMG").props == {"place_id": "P-B1"}
    assert ds.node("P-B1").props == {"road_id": "P-ROAD"}


def test_full_width_headers_ids_levels_and_phones_are_normalised() -> None:
    ds = load_dataset(DATA / "good" / "fullwidth")
    assert ds.node("G-U").kind == "building"  # "Ｇ－Ｕ" at level "５"
    assert ds.node("H-1").props == {"party_member": True, "phone": "13800000001"}
    assert ds.node("H-1").name == "甲示例"


def test_jsonl_values_become_cells() -> None:
    ds = load_dataset(DATA / "good" / "jsonl")
    assert ds.node("G-S").props == {"code": "310106018000"}  # a JSON number, kept as text
    assert ds.node("G-B").kind == "block"  # level 2
    assert ds.node("G-U").props == {"origin": "synthetic"}
    assert ds.node("H-2").props == {"party_member": False}  # null phone is missing
    assert ds.node("H-2").provenance.line == 3  # the blank line 2 still counts
    assert _rel(ds, "H-1", RelType.HOLDS, "G-U").provenance.file == "relations.jsonl"


def test_extra_columns_are_properties_and_crlf_leaves_no_carriage_return() -> None:
    ds = load_dataset(DATA / "good" / "extras_and_crlf")
    for g in ("G-S", "G-B", "G-C", "G-R", "G-U"):
        assert ds.node(g).props == {"origin": "synthetic"}


def test_a_header_only_table_is_fine_next_to_other_records() -> None:
    ds = load_dataset(DATA / "good" / "header_only_table")
    assert ds.count(Label.PROJECT) == 0 and ds.count(Label.GRID) == 5


def _workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "网格"
    ws.append(["编号", "名称", "层级", "上级编号", "网格编码"])
    ws.append(["G-S", "示例街道总网格", 1, None, 310106018000])
    ws.append(["G-B", "示例街区网格", 2.0, "G-S", "31010601800001"])
    ws.append([])  # a blank row: skipped, but still counted in line numbers
    ws.append(["G-C", " 示例居民区网格 ", "居民区网格", "G-B", None])
    ws = wb.create_sheet("people")
    ws.append(["id", "name", "party_member", "phone"])
    ws.append(["H-1", "甲示例", True, 13800000001])
    ws = wb.create_sheet("关系")
    ws.append(["起点编号", "关系", "终点编号", "职务", "开始日期", "结束日期"])
    ws.append(["H-1", "任职", "G-C", "网格长", datetime(2023, 1, 1), "2023年12月31日"])
    wb.create_sheet("说明")  # empty sheets of any name are ignored
    wb.save(path)


def test_xlsx_workbook_numbers_dates_and_line_numbers(tmp_path: Path) -> None:
    d = tmp_path / "street"
    d.mkdir()
    _workbook(d / "台账.xlsx")
    ds = load_dataset(d)
    assert ds.node("G-S").props == {"code": "310106018000"}  # a number cell, as text, no .0
    assert ds.node("G-B").kind == "block"  # 2.0
    community = ds.node("G-C")
    assert community.name == "示例居民区网格"
    assert (community.provenance.file, community.provenance.line) == ("台账.xlsx[网格]", 5)
    assert ds.node("H-1").props == {"party_member": True, "phone": "13800000001"}
    holds = _rel(ds, "H-1", RelType.HOLDS, "G-C")
    assert (holds.valid_from, holds.valid_to) == (date(2023, 1, 1), date(2023, 12, 31))


def test_xlsx_problems_name_the_sheet(tmp_path: Path) -> None:
    d = tmp_path / "street"
    d.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "grids"
    ws.append(["id", "name", "level", "parent_id"])
    ws.append(["G-S", "示例街道总网格", "street", None])
    ws.append(["G-C", "示例居民区网格", 3, "G-S"])
    wb.save(d / "book.xlsx")
    (d / "grids.csv").write_text("id,name,level\nG-X,示例,street\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_dataset(d)
    assert [str(p) for p in err.value.problems] == [
        "book.xlsx[grids]:3: parent_id: grid G-S is at level street, expected block (one level up)",
        "grids.csv: grids is also given by book.xlsx[grids]; keep only one",
    ]


def test_damaged_utf8_is_reported_not_read_as_gb18030(tmp_path: Path) -> None:
    lines = ["id,name,party_member"] + [f"H-{i},示例人员{i}号楼,党员" for i in range(1, 30)]
    data = ("\n".join(lines) + "\n").encode("utf-8") + b"H-30," + b"\x81\x40" + b",\n"
    assert data.decode("gb18030").startswith("id,name,party_member\nH-1,绀轰緥")  # mojibake
    (tmp_path / "people.csv").write_bytes(data)
    assert detect_encoding(tmp_path / "people.csv", "people.csv") == Problem(
        "people.csv", 31, "", "undecodable bytes 81 (not UTF-8 or GB18030)"
    )


def test_short_gbk_text_is_read_as_gb18030(tmp_path: Path) -> None:
    p = tmp_path / "people.csv"
    p.write_bytes("编号,姓名\r\nH-1,张示例\r\n".encode("gbk"))
    assert detect_encoding(p, "people.csv") == "gb18030"
    assert list(read_csv(p, "people.csv").rows) == [(2, ["H-1", "张示例"])]


def test_quoted_cells_over_several_lines_keep_physical_line_numbers(tmp_path: Path) -> None:
    p = tmp_path / "places.csv"
    p.write_text(
        'id,name,address\r\nP-1,"甲\r\n示例",x\r\nP-2,乙,"a\nb\nc"\r\nP-3,丙,\r\n', "utf-8"
    )
    rows = list(read_csv(p, "places.csv").rows)
    assert [line for line, _ in rows] == [2, 4, 7]
    assert rows[0][1][1] == "甲\r\n示例" and rows[1][1][2] == "a\nb\nc"


def test_english_headers_are_matched_loosely_and_order_is_free(tmp_path: Path) -> None:
    (tmp_path / "grids.csv").write_text(
        "Parent ID,Level,Name,ID\nG-S,block,示例街区网格,G-B\n,street,示例街道总网格,G-S\n", "utf-8"
    )
    ds = load_dataset(tmp_path)
    assert ds.node("G-B").kind == "block"  # the child comes before its parent: fine
    assert [r.key for r in ds.relations] == ["G-B|PART_OF|G-S||"]


def test_json_files_and_a_damaged_xls_are_named_not_ignored(tmp_path: Path) -> None:
    shutil.copytree(DATA / "good" / "utf8_bom", tmp_path / "d")
    (tmp_path / "d" / "台账.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "d" / "orgs.json").write_text("[]", "utf-8")
    (tmp_path / "d" / "notes.txt").write_text("ignored", "utf-8")
    _, problems = read_dataset(tmp_path / "d")
    assert [str(p) for p in problems] == [
        "orgs.json: .json files are not read; use JSON Lines (orgs.jsonl)",
        "台账.xls: 不是 Excel 工作簿（也许是网页或文本改了扩展名）：在 Excel 中另存为 .xlsx "
        "(not an Excel workbook, perhaps a web page or text renamed: save it as .xlsx in Excel)",
    ]


def test_a_damaged_workbook_is_one_problem(tmp_path: Path) -> None:
    (tmp_path / "book.xlsx").write_bytes(b"not a zip")
    _, problems = read_dataset(tmp_path)
    assert len(problems) == 2
    assert str(problems[0]).startswith("book.xlsx: 不是 Excel 工作簿")


def test_an_unclosed_quote_does_not_swallow_the_rest(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text('id,name\nH-1,a\nH-2,"b\nH-3,c\nH-4,d\n', "utf-8")
    _, problems = read_dataset(tmp_path)
    assert [str(p) for p in problems] == [
        "people.csv:3: a quote opened in this row is never closed"
    ]
    (tmp_path / "people.csv").write_text('id,name\nH-1,"示例"小区\n', "utf-8")
    _, problems = read_dataset(tmp_path)
    assert [str(p) for p in problems] == [
        'people.csv:2: text after a closing quote (write "" for a quote inside quotes)'
    ]


def test_missing_folder_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        load_dataset(tmp_path / "nope")


def test_an_empty_file_has_no_header(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_bytes(b"")
    _, problems = read_dataset(tmp_path)
    assert [str(p) for p in problems] == ["people.csv:1: the file is empty (no header row)"]
