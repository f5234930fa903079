"""Ticket lists in and out: encodings, workbooks, column mappings, unreadable rows reported at
FILE:LINE and left out, identical output for identical input, rules files checked at their lines,
the summary (unrouted first) and its chart."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import orjson
import pytest

from shanzhi.errors import DataError, UsageError
from shanzhi.graph.stores.embedded.store import EmbeddedStore
from shanzhi.route import route_file, route_text
from shanzhi.route.chart import chart_svg, write_chart
from shanzhi.route.output import COLUMNS
from shanzhi.route.rules import load_rules, parse_rules

HEADER = "工单编号,诉求地址,诉求内容,诉求类别,受理时间,备注"
ROWS = [
    "T1,共和新路2288弄12号,楼道内堆物,楼道堆物,2025-07-01 08:00,甲",
    "T2,,居民反映嘉利明珠城8号楼门口占道经营,占道经营,2025/6/30,乙",
    "T3,上海市徐汇区天钥桥路408号,噪音,,2025年7月1日,丙",
    "T4,嘉利明珠城99号楼,屋顶漏水,物业维修,2025-07-01,丁",
    "T5,嘉利明城12号楼,漏水,物业维修,2025-07-01,戊",
]


def _csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding_routes_the_same(
    store: EmbeddedStore, tmp_path: Path, encoding: str
) -> None:
    src = _csv(tmp_path / "工单.csv", [HEADER, *ROWS], encoding)
    report = route_file(store, src, tmp_path / "out.csv")
    rows = _rows(tmp_path / "out.csv")
    assert [r["派单状态"] for r in rows] == [
        "routed",
        "routed",
        "not-ours",
        "not-found",
        "ambiguous",
    ]
    assert list(rows[0])[:6] == HEADER.split(",") and list(rows[0])[6:] == list(COLUMNS)
    assert rows[1]["地址来源"] == "诉求内容" and rows[1]["责任人"].startswith("王样本军（路长")
    assert rows[2]["所属辖区"] == "徐汇区"
    assert "P-JLMZ-B12" in rows[4]["候选楼栋"]
    assert report["problems"] == []


def test_workbook_with_a_mapping_and_a_title_row(store: EmbeddedStore, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["这张表不是工单"])
    data = wb.create_sheet("工单明细")
    data.append(["2025年7月 12345 工单"])  # a title row above the header
    data.append(["单号", "事发地址", "问题描述", "问题分类", "派单时间"])
    data.append(["X1", "嘉利明珠城12号楼", "楼道内堆物", "楼道堆物", "2025-07-01"])
    data.append(["X2", "", "洛川中路1100弄3号楼屋顶漏水", "物业维修", "2025-07-01"])
    src = tmp_path / "工单.xlsx"
    wb.save(src)
    mapping = tmp_path / "工单.yaml"
    mapping.write_text(
        "sheet: 工单明细\nheader_row: 2\ncolumns:\n  工单编号: 单号\n  诉求地址: 事发地址\n"
        "  诉求内容: 问题描述\n  诉求类别: 问题分类\n  受理时间: 派单时间\n",
        encoding="utf-8",
    )
    report = route_file(store, src, tmp_path / "out.xlsx", mapping=mapping)
    book = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    assert book.sheetnames == ["派单结果", "派单汇总"]
    rows = list(book["派单结果"].iter_rows(values_only=True))
    assert rows[0][:5] == ("单号", "事发地址", "问题描述", "问题分类", "派单时间")
    assert [r[5] for r in rows[1:]] == ["routed", "routed"]
    orgs = rows[2][rows[0].index("责任组织")]
    assert orgs == "洛川中路一千一百弄居委会（residents_committee）"
    summary = list(book["派单汇总"].iter_rows(values_only=True))
    assert summary[0] == ("派单状态", "街区", "居民区", "诉求类别", "件数") and len(summary) == 3
    assert report["summary"]["by_status"]["routed"] == 2


def test_a_mapping_naming_a_missing_column_is_refused(store: EmbeddedStore, tmp_path: Path) -> None:
    src = _csv(tmp_path / "t.csv", [HEADER, ROWS[0]])
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  诉求地址: 事发地址\n  楼号: 楼\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        route_file(store, src, tmp_path / "o.csv", mapping=mapping)
    assert [p.column for p in e.value.problems] == ["columns.楼号"]
    mapping.write_text("columns:\n  诉求地址: 事发地址\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        route_file(store, src, tmp_path / "o.csv", mapping=mapping)
    assert (
        str(e.value.problems[0])
        == "t.csv:1: 事发地址: no such column (the mapping names it for 诉求地址)"
    )
    assert not (tmp_path / "o.csv").exists()


def test_unreadable_rows_are_reported_at_their_line_and_left_out(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    lines = [
        HEADER,
        ROWS[0],
        "T9,共和新路2288弄1号,堆物,楼道堆物,2025-13-01,x",
        ROWS[1],
        "T8,共和新路2288弄2号,堆物,楼道堆物,,y",
        "T7,共和新路2288弄3号,堆物,,2025-07-01,z,多余",
    ]
    src = _csv(tmp_path / "t.csv", lines)
    report = route_file(store, src, tmp_path / "o.csv")
    assert [str(p) for p in report["problems"]] == [
        "t.csv:3: 受理时间: '2025-13-01' is not a date (expected YYYY-MM-DD, YYYY/M/D or "
        "YYYY年M月D日); the row is left out",
        "t.csv:5: 受理时间: empty: the day decides who is on duty; the row is left out",
        "t.csv:6: a value in column 7 has no header; the row is left out",
    ]
    assert [r["工单编号"] for r in _rows(tmp_path / "o.csv")] == ["T1", "T2"]
    assert report["summary"]["problems"] == 3 and report["written"] == 2


def test_an_undecodable_file_writes_nothing(store: EmbeddedStore, tmp_path: Path) -> None:
    src = tmp_path / "t.csv"
    src.write_bytes(HEADER.encode() + b"\r\nT1,\xff\xfe\xfa,x,y,2025-07-01,z\r\n")
    with pytest.raises(DataError) as e:
        route_file(store, src, tmp_path / "o.csv")
    assert "undecodable bytes" in str(e.value.problems[0]) and not (tmp_path / "o.csv").exists()


def test_no_date_column_needs_on(store: EmbeddedStore, tmp_path: Path) -> None:
    src = _csv(tmp_path / "t.csv", ["诉求地址,诉求内容", "嘉利明珠城8号楼,楼道内堆物"])
    with pytest.raises(DataError, match="header has problems"):
        route_file(store, src, tmp_path / "o.csv")
    route_file(store, src, tmp_path / "o.csv", on="2025-06-30")
    assert _rows(tmp_path / "o.csv")[0]["责任人"].startswith("高样本敏（楼组长")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".jsonl"])
def test_identical_input_gives_identical_output(
    store: EmbeddedStore, tmp_path: Path, suffix: str
) -> None:
    src = _csv(tmp_path / "t.csv", [HEADER, *ROWS])
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    route_file(store, src, first)
    route_file(store, src, second)
    assert first.read_bytes() == second.read_bytes()
    if suffix == ".jsonl":
        rows = [orjson.loads(line) for line in first.read_bytes().splitlines()]
        assert rows[0]["备注"] == "甲" and rows[0]["派单状态"] == "routed"


def test_routing_a_routed_list_again_replaces_its_routing(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    src = _csv(tmp_path / "t.csv", [HEADER, *ROWS])
    route_file(store, src, tmp_path / "once.csv")
    route_file(store, tmp_path / "once.csv", tmp_path / "twice.csv")
    assert _rows(tmp_path / "once.csv") == _rows(tmp_path / "twice.csv")


def test_an_unknown_output_format_is_a_usage_error(store: EmbeddedStore, tmp_path: Path) -> None:
    src = _csv(tmp_path / "t.csv", [HEADER, ROWS[0]])
    with pytest.raises(UsageError, match=r"\.csv, \.xlsx or \.jsonl"):
        route_file(store, src, tmp_path / "o.txt")


def test_rules_problems_are_reported_at_their_line(tmp_path: Path) -> None:
    text = (
        "rules:\n"
        "  - name: 堆物\n"
        "    categories: [楼道堆物]\n"
        "    targets: [{level: flat, roles: [楼组长]}]\n"
        "  - name: 楼道堆物\n"
        "    targets:\n"
        "      - {level: building, roles: [楼组长], orgs: [食堂]}\n"
    )
    with pytest.raises(DataError) as e:
        parse_rules(text, "routing.yaml")
    where = [(p.line, p.column) for p in e.value.problems]
    assert where == [(4, "rules[0].targets[0].level"), (7, "rules[1].targets[0].orgs")]
    with pytest.raises(DataError) as e:
        parse_rules(
            "rules:\n  - name: A\n    categories: [楼道堆物]\n"
            "    targets: [{level: building, roles: [x]}]\n"
            "  - name: 楼道堆物\n    targets: [{level: building, roles: [y]}]\n",
            "r.yaml",
        )
    assert (
        str(e.value.problems[0])
        == "r.yaml:5: rules[1].name: category '楼道堆物' is also in rules[0]"
    )


def test_the_default_rules_say_what_the_docs_say() -> None:
    rules = load_rules()
    stairs = rules.rule_for("楼道堆物", "")
    assert stairs.targets[0].roles[0] == "楼组长"
    assert stairs.targets[0].orgs == ("building_management_group",)
    assert rules.rule_for("占道经营", "").targets[0].roles == ("路长",)
    assert rules.rule_for("物业维修", "").targets[0].orgs == ("residents_committee",)
    assert rules.rule_for("垃圾分类", "").name == "其他"
    assert rules.rule_for("", "三楼漏水").name == "物业维修"  # no category: the words decide


def test_summary_lists_unrouted_first_and_the_chart_draws_every_bar(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    src = _csv(tmp_path / "t.csv", [HEADER, *ROWS])
    report = route_file(store, src, tmp_path / "o.csv")
    statuses = [r["status"] for r in report["summary"]["rows"]]
    assert statuses == ["not-found", "not-ours", "ambiguous", "routed", "routed"]
    assert next(iter(report["summary"]["by_block"])) == ""  # no building: listed first
    svg = chart_svg(report["summary"])
    assert svg.count("<rect") >= 2 + 4 + 4  # background, bars, legend
    assert "善居街区网格" in svg and "占道经营" in svg and "未定位" in svg
    path = write_chart(report["summary"], tmp_path / "chart.svg")
    assert path.read_text(encoding="utf-8") == svg
    with pytest.raises(UsageError):
        write_chart(report["summary"], tmp_path / "chart.gif")


@pytest.mark.browser
def test_chart_as_png(store: EmbeddedStore, tmp_path: Path) -> None:
    from PIL import Image

    src = _csv(tmp_path / "t.csv", [HEADER, *ROWS])
    report = route_file(store, src, tmp_path / "o.csv")
    png = write_chart(report["summary"], tmp_path / "chart.png")
    with Image.open(png) as img:
        assert img.format == "PNG" and img.width > 800
        colours = {c for _, c in img.convert("RGB").getcolors(1 << 20) or []}
    assert (0x3A, 0x8F, 0x5C) in colours and (0xC9, 0x4C, 0x4C) in colours  # routed, not-found


def test_route_text_masks_phones_unless_asked(store: EmbeddedStore) -> None:
    masked = route_text(store, "共和新路2288弄12号楼道内堆物", on="2025-07-01")
    shown = route_text(store, "共和新路2288弄12号楼道内堆物", on="2025-07-01", show_contact=True)
    assert masked["people"][0]["phone"] == "138****0140"
    assert shown["people"][0]["phone"] == "13800000140"
