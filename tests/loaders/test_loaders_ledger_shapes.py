# ruff: noqa: E501  (exact messages: each Chinese character counts as two columns)
"""The ledger corpus: shapes of 楼组长名单 as street offices keep them, in CSV, XLSX and XLS.

Each shape loads to exactly the records expected (every person, phone, post and start date,
and the notes on what was left out), or is refused with exactly the FILE:LINE problems
expected. None loads wrong data. Workbooks are written here, by openpyxl or xlwt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import xlwt

from shanzhi.loaders import read_report
from tests.loaders.shapes import (
    HEADER,
    ROWS,
    ledger_csv,
    mapping,
    people,
    posts,
    save,
    set_dimension,
    street,
    strike,
    workbook,
)

F = "ledgers/楼组长名单"
ALL = {
    "H-示例苑1": ("甲示例", "13800000001"),
    "H-示例苑2": ("乙示例", "13800000002"),
    "H-示例园1": ("丙示例", "13800000003"),
    "H-示例园2": ("丁示例", "13800000004"),
}
GRID = {"H-示例苑1": "G-U1", "H-示例苑2": "G-U2", "H-示例园1": "G-U3", "H-示例园2": "G-U4"}


@dataclass
class Expect:
    """What a shape must give: records (and notes), or exactly these problems."""

    people: dict[str, tuple[str, object]] = field(default_factory=dict)
    since: dict[str, str | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _loads(ids: list[str], notes: list[str] | None = None, since: str | None = None) -> Expect:
    return Expect({i: ALL[i] for i in ids}, {i: since for i in ids}, notes or [])


SHAPES: dict[str, Callable[[Path], Expect]] = {}


def shape(fn: Callable[[Path], Expect]) -> Callable[[Path], Expect]:
    SHAPES[fn.__name__] = fn
    return fn


@shape
def csv_plain(d: Path) -> Expect:
    ledger_csv(d, [HEADER, *ROWS])
    mapping(d)
    return _loads(list(ALL))


@shape
def csv_gb18030_phones_as_typed(d: Path) -> Expect:
    typed = ["+86 138 0000 0001", "138-0000-0002", "１３８０００００００３", "'13800000004"]
    ledger_csv(d, [HEADER, *[[*r[:4], p] for r, p in zip(ROWS, typed, strict=True)]], enc="gb18030")
    mapping(d)
    return _loads(list(ALL))


@shape
def csv_phone_ruined_by_excel(d: Path) -> Expect:
    ledger_csv(d, [HEADER, ROWS[0], [*ROWS[1][:4], "1.38E+10"]])
    mapping(d)
    return Expect(
        problems=[
            f"{F}.csv:3: 联系电话: 已被 Excel 改成科学计数法 1.38E+10，后几位已丢失：在 Excel 中把该列"
            "设为“文本”后重新输入号码 (Excel turned this phone into 1.38E+10 and its last digits "
            "are lost: set the column to Text in Excel and type the numbers again)"
        ]
    )


@shape
def csv_phone_short_and_landline(d: Path) -> Expect:
    ledger_csv(d, [HEADER, [*ROWS[0][:4], "(021)6123 4567"], [*ROWS[1][:4], "1380000002"]])
    mapping(d)
    return Expect(
        problems=[
            f"{F}.csv:3: 联系电话: 不是电话号码：10 位数字，手机号应为 11 位 "
            "(not a phone number: 10 digits, a mobile number has 11)"
        ]
    )


@shape
def csv_totals_row_skipped(d: Path) -> Expect:
    ledger_csv(
        d, [HEADER, *ROWS[:2], ["小计", "", "", "2人", ""], *ROWS[2:], ["合计", "", "", "4人"]]
    )
    mapping(d, head="skip: [totals]\n")
    return _loads(
        list(ALL),
        [
            f"{F}.csv:4: 合计行，按映射跳过 (totals row skipped by the mapping)",
            f"{F}.csv:7: 合计行，按映射跳过 (totals row skipped by the mapping)",
        ],
    )


@shape
def csv_totals_row_not_skipped(d: Path) -> Expect:
    ledger_csv(d, [HEADER, *ROWS, ["合计", "", "", "4人", ""]])
    mapping(d)
    return Expect(
        problems=[
            f"{F}.csv:6: 像是合计行：在映射里加上 skip: [totals] 把它跳过 "
            "(this looks like a totals row: add skip: [totals] to the mapping to leave it out)"
        ]
    )


@shape
def csv_section_rows_by_rule(d: Path) -> Expect:
    head = ["序号", *HEADER]
    rows = [["一、第一居民区", "", "", "", "负责人：甲示例", ""]]
    rows += [[str(i), *r] for i, r in enumerate(ROWS[:2], 1)]
    rows += [["二、第二居民区", "", "", "", "负责人：丙示例", ""]]
    rows += [[str(i), *r] for i, r in enumerate(ROWS[2:], 3)]
    ledger_csv(d, [head, *rows])
    mapping(d, head='skip:\n  - {column: 序号, matches: "^[一二三四五六七八九十]+、"}\n')
    note = "按映射的 skip 规则跳过 (skipped by a skip rule of the mapping)"
    return _loads(list(ALL), [f"{F}.csv:2: {note}", f"{F}.csv:5: {note}"])


@shape
def csv_title_rows_above_a_two_row_header(d: Path) -> Expect:
    rows = [
        ["共和新路街道楼组长名单（2025年）"],
        ["居民区", "小区", "楼号", "楼组长", "", ""],
        ["", "", "", "姓名", "电话", "任职日期"],
        *[[*r[:3], r[3], r[4], "2025.7.1"] for r in ROWS],
    ]
    ledger_csv(d, rows)
    mapping(
        d,
        head="header_row: 2\nheader_rows: 2\n",
        name="楼组长.姓名",
        phone="楼组长.电话",
        since="楼组长.任职日期",
    )
    return _loads(list(ALL), since="2025-07-01")


@shape
def xlsx_two_row_header_merged(d: Path) -> Expect:
    wb = workbook(
        {
            "名单": [
                ["居民区", "小区", "楼号", "楼组长", None, None],
                [None, None, None, "姓名", "电话", "任职日期"],
                *[[*r, "2025年7月1日"] for r in ROWS],
            ]
        }
    )
    ws = wb["名单"]
    for ref in ("A1:A2", "B1:B2", "C1:C2", "D1:F1"):
        ws.merge_cells(ref)
    save(wb, d)
    mapping(
        d, head="header_rows: 2\n", name="楼组长.姓名", phone="楼组长.电话", since="楼组长.任职日期"
    )
    return _loads(list(ALL), since="2025-07-01")


@shape
def csv_excel_serial_dates(d: Path) -> Expect:
    ledger_csv(d, [[*HEADER, "任职日期"], *[[*r, "45839"] for r in ROWS]])
    mapping(d, since="任职日期")
    return _loads(list(ALL), since="2025-07-01")


@shape
def csv_dates_as_typed(d: Path) -> Expect:
    dates = ["2025.7.1", "2025年7月1日", "2025/7/1", "20250701"]
    ledger_csv(d, [[*HEADER, "任职日期"], *[[*r, t] for r, t in zip(ROWS, dates, strict=True)]])
    mapping(d, since="任职日期")
    return _loads(list(ALL), since="2025-07-01")


@shape
def csv_date_that_is_only_a_year(d: Path) -> Expect:
    ledger_csv(d, [[*HEADER, "任职日期"], [*ROWS[0], "2025"], [*ROWS[1], "99999"]])
    mapping(d, since="任职日期")
    return Expect(
        problems=[
            f"{F}.csv:2: 任职日期: '2025' is not a date (expected YYYY-MM-DD, YYYY/M/D or YYYY年M月D日)",
            f"{F}.csv:3: 任职日期: '99999' 像是 Excel 的日期序号，但不在 1950–2100 年之间 "
            "('99999' looks like an Excel date number but is not between 1950 and 2100)",
        ]
    )


_SHEET_MAPPING_EXTRA = '      居民区: "{@sheet}"\n'


@shape
def xlsx_one_sheet_per_community(d: Path) -> Expect:
    short = [h for h in HEADER if h != "居民区"]
    wb = workbook(
        {
            "第一居民区": [short, *[r[1:] for r in ROWS[:2]]],
            "第二居民区": [short, *[r[1:] for r in ROWS[2:]]],
            "旧名单": [short, ["示例苑", "1号", "戊示例", "13800000009"]],
            "Sheet3": [],
        }
    )
    wb["旧名单"].sheet_state = "hidden"
    save(wb, d)
    mapping(d, head="sheets: all\n", extra=_SHEET_MAPPING_EXTRA)
    return _loads(
        list(ALL),
        [
            f"{F}.xlsx[Sheet3]: 空工作表未读取 (empty sheet left out)",
            f"{F}.xlsx[旧名单]: 隐藏的工作表未读取 (hidden sheet left out)",
        ],
    )


@shape
def xlsx_sheets_listed(d: Path) -> Expect:
    short = [h for h in HEADER if h != "居民区"]
    wb = workbook(
        {
            "说明": [["本表由各居民区填报"]],
            "第一居民区": [short, *[r[1:] for r in ROWS[:2]]],
            "第二居民区": [short, *[r[1:] for r in ROWS[2:]]],
        }
    )
    save(wb, d)
    mapping(d, head="sheets: [第一居民区, 第二居民区]\n", extra=_SHEET_MAPPING_EXTRA)
    return _loads(
        list(ALL),
        [
            f"{F}.xlsx[说明]: 映射没有读这个工作表（要读就用 sheets: all 或列出它） "
            "(the mapping does not read this sheet; use sheets: all or list it)"
        ],
    )


@shape
def xlsx_hidden_and_struck_rows_left_out(d: Path) -> Expect:
    wb = workbook({"名单": [HEADER, *ROWS]})
    wb["名单"].row_dimensions[3].hidden = True
    strike(wb["名单"], 5)
    save(wb, d)
    mapping(d)
    return _loads(
        ["H-示例苑1", "H-示例园1"],
        [
            f"{F}.xlsx[名单]:3: 隐藏行未读取 (hidden row left out)",
            f"{F}.xlsx[名单]:5: 有删除线的行未读取 (struck-through row left out)",
        ],
    )


@shape
def xlsx_hidden_rows_refused(d: Path) -> Expect:
    wb = workbook({"名单": [HEADER, *ROWS]})
    wb["名单"].row_dimensions[3].hidden = True
    save(wb, d)
    mapping(d, head="hidden_rows: refuse\n")
    return Expect(
        problems=[
            f"{F}.xlsx[名单]:3: 这一行被隐藏了：取消隐藏或删去它 (a hidden row: unhide it or delete it)"
        ]
    )


@shape
def xlsx_hidden_and_struck_rows_loaded(d: Path) -> Expect:
    wb = workbook({"名单": [HEADER, *ROWS]})
    wb["名单"].row_dimensions[3].hidden = True
    strike(wb["名单"], 4)
    save(wb, d)
    mapping(d, head="hidden_rows: load\nstruck_rows: load\n")
    return _loads(list(ALL))


@shape
def xlsx_row_struck_in_part(d: Path) -> Expect:
    wb = workbook({"名单": [HEADER, *ROWS]})
    strike(wb["名单"], 2, columns=[5])  # an old phone struck, the row kept: which is current?
    save(wb, d)
    mapping(d)
    return Expect(
        problems=[
            f"{F}.xlsx[名单]:2: 只有部分单元格有删除线（联系电话）：整行划掉或都不划 "
            "(only some cells are struck through (联系电话): strike the whole row or none)"
        ]
    )


@shape
def xlsx_community_merged_down_and_titles(d: Path) -> Expect:
    rows: list[list[object]] = [HEADER, ["一、示例苑"], *ROWS[:2], ["二、示例园"], *ROWS[2:]]
    wb = workbook({"名单": rows})
    ws = wb["名单"]
    ws.merge_cells("A2:E2")
    ws.merge_cells("A5:E5")
    for r in (4, 7):  # the 居民区 cell is merged over its buildings' rows, kept only on top
        ws.cell(r, 1).value = None
    ws.merge_cells("A3:A4")
    ws.merge_cells("A6:A7")
    save(wb, d)
    mapping(d, head="skip: [titles]\n", extra='      居民区: "{居民区}"\n')
    note = "标题行，按映射跳过 (section title skipped by the mapping)"
    return _loads(list(ALL), [f"{F}.xlsx[名单]:2: {note}", f"{F}.xlsx[名单]:5: {note}"])


@shape
def xlsx_dimension_lies(d: Path) -> Expect:
    path = save(workbook({"名单": [HEADER, *ROWS]}), d)
    set_dimension(path, "A1:D2")
    mapping(d)
    return _loads(list(ALL))


@shape
def xlsx_formula_without_cached_value(d: Path) -> Expect:
    wb = workbook({"名单": [HEADER, *ROWS]})
    wb["名单"]["E3"] = "=E2+1"  # openpyxl, like some exporters, saves no cached value
    save(wb, d)
    mapping(d)
    return Expect(
        problems=[
            f"{F}.xlsx[名单]:3: 联系电话: 公式没有保存计算结果：在 Excel 中打开并保存，或复制后“粘贴为数值” "
            "(a formula saved without its value: open and save the file in Excel, or paste it "
            "as values)"
        ]
    )


@shape
def xlsx_phone_stored_as_number_and_text(d: Path) -> Expect:
    rows = [[*r[:4], int(r[4]) if i % 2 else r[4]] for i, r in enumerate(ROWS)]
    save(workbook({"名单": [HEADER, *rows]}), d)
    mapping(d)
    return _loads(list(ALL))


@shape
def xls_old_workbook(d: Path) -> Expect:
    book = xlwt.Workbook()
    ws = book.add_sheet("名单")
    struck = xlwt.easyxf("font: struck_out on")
    for i, row in enumerate([HEADER, *ROWS]):
        for j, value in enumerate(row):
            ws.write(i, j, value, struck if i == 4 else xlwt.Style.default_style)
    ws.row(2).hidden = True
    (d / "ledgers").mkdir(parents=True, exist_ok=True)
    book.save(str(d / "ledgers" / "楼组长名单.xls"))
    mapping(d)
    return _loads(
        ["H-示例苑1", "H-示例园1"],
        [
            f"{F}.xls[名单]:3: 隐藏行未读取 (hidden row left out)",
            f"{F}.xls[名单]:5: 有删除线的行未读取 (struck-through row left out)",
        ],
    )


@shape
def csv_unmapped_phone_column_in_a_property(d: Path) -> Expect:
    ledger_csv(d, [[*HEADER, "备用电话"], [*ROWS[0], "13900001111"], [*ROWS[1], ""]])
    mapping(d, extra='      备用: "{备用电话}"\n')
    return Expect(
        problems=[
            f"{F}.csv:2: 备用电话: 这一列不是电话列，却含有电话号码：移到人员表的电话列（phone / 联系电话）或删去 "
            "(this column is no phone column but holds a phone number: move it to the people's "
            "phone column or delete it)"
        ]
    )


@pytest.mark.parametrize("name", list(SHAPES))
def test_ledger_shape_loads_right_or_is_refused(name: str, tmp_path: Path) -> None:
    d = street(tmp_path / "street")
    expect = SHAPES[name](d)
    report = read_report(d)
    problems = [str(p) for p in report["problems"]]
    assert problems == expect.problems
    notes = [str(n) for n in report["notes"]]
    if expect.problems:
        assert report["dataset"] is None
        return
    ds = report["dataset"]
    assert ds is not None
    assert notes == expect.notes
    assert people(ds) == expect.people
    assert posts(ds) == {i: (GRID[i], expect.since[i]) for i in expect.people}


def test_the_corpus_has_at_least_fifteen_shapes_in_each_kind_of_file() -> None:
    assert len(SHAPES) >= 15
    assert sum(n.startswith("csv") for n in SHAPES) >= 5
    assert sum(n.startswith("xlsx") for n in SHAPES) >= 5
    assert any(n.startswith("xls_") for n in SHAPES)


def test_the_sheet_name_is_a_value_of_each_row(tmp_path: Path) -> None:
    d = street(tmp_path / "street")
    xlsx_one_sheet_per_community(d)
    ds = read_report(d)["dataset"]
    assert ds is not None
    homes = {n.id: n.props["居民区"] for n in ds.nodes if n.id in ALL}
    assert homes == {
        "H-示例苑1": "第一居民区",
        "H-示例苑2": "第一居民区",
        "H-示例园1": "第二居民区",
        "H-示例园2": "第二居民区",
    }
    assert ds.node("H-示例苑1").provenance.file == f"{F}.xlsx[第一居民区]"


def test_a_merged_community_names_every_row_it_spans(tmp_path: Path) -> None:
    d = street(tmp_path / "street")
    xlsx_community_merged_down_and_titles(d)
    ds = read_report(d)["dataset"]
    assert ds is not None
    assert {n.id: n.props["居民区"] for n in ds.nodes if n.id in ALL} == {
        "H-示例苑1": "第一居民区",
        "H-示例苑2": "第一居民区",
        "H-示例园1": "第二居民区",
        "H-示例园2": "第二居民区",
    }


def test_the_shape_keys_are_checked_at_their_line() -> None:
    from shanzhi.loaders.mapping import MappingError, parse_mapping

    text = (
        "sheet: 名单\nsheets: []\nheader_rows: 9\nhidden_rows: hide\n"
        "skip: [totalz]\nrecords: [{table: people, fields: {id: x, name: y}}]\n"
    )
    with pytest.raises(MappingError) as err:
        parse_mapping(text, "mappings/m.yaml")
    assert [str(p) for p in err.value.problems] == [
        "mappings/m.yaml:2: sheets: expected all or a list of sheet names, e.g. [第一居民区, 第二居民区]",
        "mappings/m.yaml:3: header_rows: Input should be less than or equal to 5",
        "mappings/m.yaml:4: hidden_rows: Input should be 'leave_out', 'load' or 'refuse'",
        "mappings/m.yaml:5: skip[0]: Input should be 'totals' or 'titles'",
    ]
    text = "sheet: a\nsheets: all\nskip: [{column: 序号}]\nrecords: [{table: people, fields: {id: x, name: y}}]\n"
    with pytest.raises(MappingError) as err:
        parse_mapping(text, "mappings/m.yaml")
    assert [str(p) for p in err.value.problems] == [
        "mappings/m.yaml:2: sheets: give sheet (one) or sheets (several), not both",
        "mappings/m.yaml:3: skip[0]: give matches (a pattern) or equals (a list)",
    ]
