# ruff: noqa: E501  (exact messages: each Chinese character counts as two columns)
"""Hostile and clumsy input at the loader (issue 16 items 2, 4, 6, 8, 9, 10 and 11's stray
phone): one sentence at FILE:LINE, nothing lost, nothing revealed."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from shanzhi.cli import main
from shanzhi.errors import UsageError
from shanzhi.loaders import load_dataset, read_dataset, read_report
from shanzhi.loaders import workbooks as wbmod
from shanzhi.loaders.workbooks import Workbook, WorkbookError
from tests.loaders.shapes import set_dimension, workbook, write_csv

DATA = Path(__file__).resolve().parent.parent / "data"
BASE = DATA / "good" / "utf8_bom"  # five grids, places, orgs, two people, a project


def _copy(tmp_path: Path, name: str = "street") -> Path:
    d = tmp_path / name
    shutil.copytree(BASE, d)
    return d


def _problems(d: Path) -> list[str]:
    return [str(p) for p in read_report(d)["problems"]]


# -- 2: phones under other headers, and phones in columns that are not the phone column -------


@pytest.mark.parametrize(
    "header",
    ["手机", "电话", "手机号码", "联系方式", "mobile", "tel", "phone_number", "Phone Number"],
)
def test_a_phone_under_another_header_is_the_phone_field(tmp_path: Path, header: str) -> None:
    d = _copy(tmp_path)
    write_csv(d / "people.csv", [["id", "name", header], ["H-1", "甲示例", "138 0000 0001"]])
    (d / "relations.csv").unlink()
    ds = load_dataset(d)
    assert ds.node("H-1").props == {"phone": "13800000001"}


def test_phones_are_normalised_and_excel_apostrophe_accepted(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    rows = [["id", "name", "联系电话"]]
    typed = [
        "+86 138-0000-0001",
        "'13800000270",
        "１３８００００００２７",
        "(021)6123 4567",
        "021-61234567",
    ]
    rows += [[f"H-{i}", f"示例{i}", t] for i, t in enumerate(typed, 1)]
    write_csv(d / "people.csv", rows)
    (d / "relations.csv").unlink()
    ds = load_dataset(d)
    assert [ds.node(f"H-{i}").props["phone"] for i in range(1, 6)] == [
        "13800000001",
        "13800000270",
        "13800000027",
        "021-61234567",
        "021-61234567",
    ]


def test_what_is_not_a_phone_is_refused_with_file_line(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    rows = [["id", "name", "phone"], ["H-1", "甲", "1.38E+10"], ["H-2", "乙", "12345678"]]
    rows += [["H-3", "丙", "13800000001/13800000002"], ["H-4", "丁", "不详"]]
    write_csv(d / "people.csv", rows)
    (d / "relations.csv").unlink()
    assert _problems(d) == [
        "people.csv:2: phone: 已被 Excel 改成科学计数法 1.38E+10，后几位已丢失：在 Excel 中把该列设为"
        "“文本”后重新输入号码 (Excel turned this phone into 1.38E+10 and its last digits are lost: "
        "set the column to Text in Excel and type the numbers again)",
        "people.csv:3: phone: 不是电话号码：8 位数字，座机号缺少区号（如 021） (not a phone number: "
        "8 digits: a landline needs its area code (021))",
        "people.csv:4: phone: 不是电话号码：一格只能填一个号码 (not a phone number: one number per cell)",
        "people.csv:5: phone: 不是电话号码：没有数字 (not a phone number: no digits)",
    ]


def test_an_unknown_column_holding_phones_is_refused_and_never_echoed(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    write_csv(
        d / "orgs.csv",
        [
            ["id", "name", "kind", "parent_id", "grid_id", "place_id", "值班电话"],
            ["O-PWC", "示例党工委", "party_working_committee", "", "G-S", "", "021-61234567"],
            ["O-PB", "示例党支部", "party_branch", "O-PWC", "G-R", "", ""],
            ["O-BMG", "示例楼管小组", "building_management_group", "O-PB", "", "P-B1", ""],
        ],
    )
    people = (d / "people.csv").read_text("utf-8-sig").splitlines()
    people[0] += ",备注"
    people[1] += ",已搬离，新号码13800000099"
    (d / "people.csv").write_text("\n".join(people) + "\n", "utf-8")
    problems = _problems(d)
    stray = (
        "这一列不是电话列，却含有电话号码：移到人员表的电话列（phone / 联系电话）或删去 "
        "(this column is no phone column but holds a phone number: move it to the people's phone "
        "column or delete it)"
    )
    assert problems == [f"orgs.csv:2: 值班电话: {stray}", f"people.csv:2: 备注: {stray}"]
    assert not any("61234567" in p or "13800000099" in p for p in problems)


# -- 4: ':' in ids and dataset names; blank names or names with a line break -----------------


def test_an_id_with_the_store_separator_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path, "a")
    text = (d / "grids.csv").read_text("utf-8-sig").replace("G-U,", "b:G1,", 1)
    (d / "grids.csv").write_text(text, "utf-8")
    problems = _problems(d)
    assert problems[0] == (
        "grids.csv:6: id: 编号不能含有冒号 : 或换行 (an id may not hold ':' or a line break): 'b:G1'"
    )


def test_an_id_with_a_line_break_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    write_csv(d / "people.csv", [["id", "name"], ["H-1", "甲示例"], ["H-\n2", "乙示例"]])
    (d / "relations.csv").unlink()
    assert _problems(d) == [
        "people.csv:3: id: 编号不能含有冒号 : 或换行 (an id may not hold ':' or a line break): 'H-\\n2'"
    ]


@pytest.mark.parametrize("name", ["a:b", "", "  ", "a\nb", "a\x00b"])
def test_a_dataset_name_that_could_collide_or_hide_is_a_usage_error(
    tmp_path: Path, name: str
) -> None:
    d = _copy(tmp_path)
    with pytest.raises(UsageError):
        read_report(d, name)


def test_a_folder_whose_name_holds_a_colon_needs_a_name(tmp_path: Path) -> None:
    d = _copy(tmp_path, "a:b")
    with pytest.raises(UsageError, match="give --name"):
        read_dataset(d)
    assert load_dataset(d, name="a-b").name == "a-b"


# -- 6: workbooks that hang or lose rows -------------------------------------------------------


def _people_book(tmp_path: Path) -> tuple[Path, object]:
    d = _copy(tmp_path)
    (d / "people.csv").unlink()
    (d / "relations.csv").unlink()
    wb = workbook(
        {"people": [["id", "name", "phone"], *[[f"H-{i}", f"示例{i}", ""] for i in range(1, 6)]]}
    )
    return d, wb


@pytest.mark.timeout(60)
def test_a_cell_at_xfd1048576_does_not_hang_and_is_reported(tmp_path: Path) -> None:
    d, wb = _people_book(tmp_path)
    wb["people"]["XFD1048576"] = "x"  # type: ignore[attr-defined,index]
    wb.save(d / "book.xlsx")  # type: ignore[attr-defined]
    assert (d / "book.xlsx").stat().st_size < 10_000
    assert _problems(d) == [
        "book.xlsx[people]:1048576: 单元格 XFD1048576 在第 500 列之外，未读取：删去它或把它移到表格里 "
        "(cell XFD1048576 lies beyond column 500 and was not read: delete it or move it into the "
        "table)"
    ]


@pytest.mark.timeout(60)
def test_an_empty_styled_far_cell_is_nothing(tmp_path: Path) -> None:
    d, wb = _people_book(tmp_path)
    from openpyxl.styles import Font

    wb["people"]["XFD1048576"].font = Font(bold=True)  # type: ignore[index]
    wb.save(d / "book.xlsx")  # type: ignore[attr-defined]
    assert read_report(d)["dataset"] is not None


def test_a_lying_stored_dimension_loses_no_row(tmp_path: Path) -> None:
    d, wb = _people_book(tmp_path)
    wb.save(d / "book.xlsx")  # type: ignore[attr-defined]
    set_dimension(d / "book.xlsx", "A1:D2")
    ds = load_dataset(d)
    assert sorted(n.id for n in ds.nodes if n.id.startswith("H-")) == [
        f"H-{i}" for i in range(1, 6)
    ]


def test_merged_note_cells_note_every_row_they_span(tmp_path: Path) -> None:
    d, wb = _people_book(tmp_path)
    ws = wb["people"]  # type: ignore[index]
    ws["D1"] = "备注"
    ws["D2"] = "已搬离"
    ws.merge_cells("D2:D4")
    wb.save(d / "book.xlsx")  # type: ignore[attr-defined]
    ds = load_dataset(d)
    notes = {n.id: n.props.get("备注") for n in ds.nodes if n.id.startswith("H-")}
    assert notes == {"H-1": "已搬离", "H-2": "已搬离", "H-3": "已搬离", "H-4": None, "H-5": None}


def test_a_formula_without_a_cached_value_is_not_an_empty_phone(tmp_path: Path) -> None:
    d, wb = _people_book(tmp_path)
    wb["people"]["C3"] = '="1380000"&"0002"'  # type: ignore[index]
    wb.save(d / "book.xlsx")  # type: ignore[attr-defined]
    assert _problems(d) == [
        "book.xlsx[people]:3: phone: 公式没有保存计算结果：在 Excel 中打开并保存，或复制后“粘贴为数值” "
        "(a formula saved without its value: open and save the file in Excel, or paste it as "
        "values)"
    ]


def test_an_excel_error_value_is_refused(tmp_path: Path) -> None:
    d, wb = _people_book(tmp_path)
    wb.save(d / "book.xlsx")  # type: ignore[attr-defined]
    path = d / "book.xlsx"
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(
                    b"</row></sheetData>", b'<c r="C6" t="e"><v>#REF!</v></c></row></sheetData>'
                )
            dst.writestr(item, data)
    tmp.replace(path)
    assert _problems(d) == [
        "book.xlsx[people]:6: phone: 单元格是 Excel 错误值 #REF!，请改正 (the cell holds the Excel "
        "error #REF!: correct it)"
    ]


def test_a_hidden_sheet_is_left_out_and_said(tmp_path: Path) -> None:
    d, wb = _people_book(tmp_path)
    ws = wb.create_sheet("projects")  # type: ignore[attr-defined]
    ws.append(["id", "name", "level"])
    ws.append(["J-9", "旧项目", "micro"])
    ws.sheet_state = "hidden"
    wb.save(d / "book.xlsx")  # type: ignore[attr-defined]
    (d / "projects.csv").unlink()
    report = read_report(d)
    assert report["dataset"] is not None
    assert [str(n) for n in report["notes"]] == [
        "book.xlsx[projects]: 隐藏的工作表未读取 (hidden sheet left out)"
    ]
    assert "J-9" not in {n.id for n in report["dataset"].nodes}


def _bomb(path: Path, inflated: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<row>" + b" " * inflated + b"</row>")


def test_a_workbook_that_inflates_a_thousand_times_is_refused_before_it_is_read(
    tmp_path: Path,
) -> None:
    _bomb(tmp_path / "book.xlsx", 20 * 2**20)
    assert (tmp_path / "book.xlsx").stat().st_size < 100_000
    with pytest.raises(WorkbookError, match=r"inflates \d+ times"):
        Workbook(tmp_path / "book.xlsx", "book.xlsx")
    problems = _problems(tmp_path)
    assert problems[0].startswith("book.xlsx: xl/worksheets/sheet1.xml 解压后膨胀 ")


def test_total_unpacked_size_and_file_size_are_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bomb(tmp_path / "book.xlsx", 3 * 2**20)
    monkeypatch.setattr(wbmod, "MAX_INFLATED_BYTES", 2 * 2**20)
    with pytest.raises(WorkbookError, match="it unpacks to 3 MiB, over the 2 MiB read"):
        Workbook(tmp_path / "book.xlsx", "book.xlsx")
    monkeypatch.setattr(wbmod, "MAX_WORKBOOK_BYTES", 1000)
    with pytest.raises(WorkbookError, match="over the 0 MiB read"):
        Workbook(tmp_path / "book.xlsx", "book.xlsx")


def test_rows_past_the_bound_are_a_problem_not_a_silent_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d, wb = _people_book(tmp_path)
    wb.save(d / "book.xlsx")  # type: ignore[attr-defined]
    monkeypatch.setattr(wbmod, "MAX_SHEET_ROWS", 4)
    problems = _problems(d)
    assert problems == [
        "book.xlsx[people]:5: 工作表超过 4 行，从这一行起未读取：拆成几个工作表或存为 CSV "
        "(the sheet has more than 4 rows; from this one on nothing was read: split it or save it "
        "as CSV)"
    ]


def test_an_html_page_saved_as_xls_is_refused_with_a_sentence(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "people.xls").write_text("<html><table><tr><td>id</td></tr></table></html>", "utf-8")
    (d / "people.csv").unlink()
    assert _problems(d)[0] == (
        "people.xls: 不是 Excel 工作簿（也许是网页或文本改了扩展名）：在 Excel 中另存为 .xlsx "
        "(not an Excel workbook, perhaps a web page or text renamed: save it as .xlsx in Excel)"
    )


# -- 8: NUL and control characters; a BOM in the middle of a file -----------------------------


def test_nul_and_control_characters_are_refused_at_file_line(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    write_csv(d / "people.csv", [["id", "name"], ["H-1", "甲\x00示例"], ["H-2", "乙\x07示例"]])
    (d / "relations.csv").unlink()
    assert _problems(d) == [
        "people.csv:2: name: 含有不可见的控制字符 U+0000：删去它 (holds the invisible control "
        "character U+0000: delete it)",
        "people.csv:3: name: 含有不可见的控制字符 U+0007：删去它 (holds the invisible control "
        "character U+0007: delete it)",
    ]


def test_a_control_character_in_a_workbook_cell_is_refused(tmp_path: Path) -> None:
    d, wb = _people_book(tmp_path)
    wb["people"]["B2"] = "示例_x001B_1"  # type: ignore[index]  # how Excel keeps U+001B
    wb.save(d / "book.xlsx")  # type: ignore[attr-defined]
    assert _problems(d) == [
        "book.xlsx[people]:2: name: 含有不可见的控制字符 U+001B：删去它 (holds the invisible "
        "control character U+001B: delete it)"
    ]


def test_a_bom_in_the_middle_of_a_file_is_not_part_of_an_id(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "people.csv").write_bytes(
        "\ufeffid,name\nH-1,甲示例\n".encode() + "\ufeffH-2,乙示例\n".encode()
    )
    (d / "relations.csv").write_text(
        "source_id,type,target_id,role\nH-2,HOLDS,G-U,楼组长\n", "utf-8"
    )
    ds = load_dataset(d)
    assert ds.node("H-2").name == "乙示例"
    assert [r.source_id for r in ds.relations if r.role == "楼组长"] == ["H-2"]


# -- 9: record files linked outside the dataset folder -----------------------------------------


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text("id,name\nroot:x:0:0:root:/root:/bin/bash,13800000042\n", "utf-8")
    return secret


LINKED = (
    "链接到数据集文件夹之外的文件，未读取：把文件本身放进文件夹 (links to a file outside the "
    "dataset folder; not read: put the file itself in the folder)"
)


def test_a_table_linked_outside_the_folder_is_refused_unread(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "people.csv").unlink()
    os.symlink(_secret(tmp_path), d / "people.csv")
    problems = _problems(d)
    assert problems[0] == f"people.csv: {LINKED}"
    assert not any("root" in p or "bash" in p or "0042" in p for p in problems)


def test_a_ledger_or_mapping_linked_outside_the_folder_is_refused_unread(tmp_path: Path) -> None:
    d = tmp_path / "street"
    shutil.copytree(DATA / "good" / "ledger", d)
    secret = _secret(tmp_path)
    ledger = d / "ledgers" / "楼组长名单.csv"
    ledger.unlink()
    os.symlink(secret, ledger)
    assert _problems(d) == [f"ledgers/楼组长名单.csv: {LINKED}"]
    ledger.unlink()
    shutil.copy(DATA / "good" / "ledger" / "ledgers" / "楼组长名单.csv", ledger)
    mapping = d / "mappings" / "楼组长名单.yaml"
    mapping.unlink()
    os.symlink(secret, mapping)
    assert _problems(d) == [f"mappings/楼组长名单.yaml: {LINKED}"]


def test_a_table_that_is_no_regular_file_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "people.csv").unlink()
    os.mkfifo(d / "people.csv")
    problems = _problems(d)
    assert problems[0] == "people.csv: 不是普通文件，未读取 (not a regular file; not read)"


# -- 10: PART_OF to itself, and a cycle closed through relations.csv against parent_id --------


def test_part_of_a_node_to_itself_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    with (d / "relations.csv").open("a", encoding="utf-8") as f:
        f.write("P-E,PART_OF,P-E,,,\n")
    assert _problems(d) == [
        "relations.csv:5: target_id: 一个记录不能是它自己的一部分 (a record cannot be PART_OF itself)"
    ]


def test_a_cycle_through_relations_and_parent_id_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    with (d / "relations.csv").open("a", encoding="utf-8") as f:
        f.write("P-E,PART_OF,P-B1,,,\n")  # P-B1 is PART_OF P-E by its parent_id
    assert _problems(d) == ["places.csv:4: parent_id: cycle P-B1 → P-E → P-B1"]


def test_a_cycle_of_relations_alone_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    with (d / "relations.csv").open("a", encoding="utf-8") as f:
        f.write("O-BMG,PART_OF,O-PWC,,,\nO-PWC,PART_OF,O-BMG,,,\n")  # O-BMG→O-PB→O-PWC by parent_id
    assert _problems(d) == ["orgs.csv:3: parent_id: cycle O-PB → O-PWC → O-BMG → O-PB"]


# -- 11: validate does not echo a stray phone cell ---------------------------------------------


def test_validate_masks_a_stray_phone_cell(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    lines = (d / "people.csv").read_text("utf-8-sig").splitlines()
    lines[1] += ",13800000077"
    (d / "people.csv").write_text("\n".join(lines) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["validate", str(d)])
    assert result.exit_code == 1
    assert "13800000077" not in result.output
    assert "people.csv:2: column E: value '138****0077' has no header" in result.output


def test_the_segment_shortcut_agrees_with_phonenumbers() -> None:
    import phonenumbers

    from shanzhi.loaders.phones import parse_phone

    for prefix in range(100, 200):
        for middle in ("0000", "4567", "9999"):
            number = f"{prefix}{middle}1234"
            valid = phonenumbers.is_valid_number(phonenumbers.parse(number, "CN"))
            try:
                parse_phone(number)
                accepted = True
            except ValueError:
                accepted = False
            assert accepted == valid, number


def test_an_xls_ledger_no_mapping_reads_is_a_problem_not_ignored(tmp_path: Path) -> None:
    import xlwt

    d = _copy(tmp_path)
    (d / "ledgers").mkdir()
    book = xlwt.Workbook()
    book.add_sheet("名单").write(0, 0, "姓名")
    book.save(str(d / "ledgers" / "志愿者.xls"))
    assert _problems(d) == [
        "ledgers/志愿者.xls: no mapping uses this ledger (add mappings/志愿者.yaml)"
    ]


def test_xml_noncharacters_are_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    write_csv(d / "people.csv", [["id", "name"], ["H-1", "甲\ufffe示例"]])
    (d / "relations.csv").unlink()
    assert _problems(d) == [
        "people.csv:2: name: 含有不可见的控制字符 U+FFFE：删去它 (holds the invisible control "
        "character U+FFFE: delete it)"
    ]
