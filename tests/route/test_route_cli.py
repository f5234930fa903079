"""``shanzhi route`` through click's CliRunner: the exit codes, the messages a user sees, the
files written (the library is tested in test_route_files.py and test_route_corpus.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from shanzhi.cli import main


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("route-cli")
    from shanzhi.sample import sample_path

    result = CliRunner().invoke(main, ["--home", str(folder), "load", str(sample_path())])
    assert result.exit_code == 0, result.output
    return folder


def run(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--home", str(home), "route", *args])
    return result.exit_code, result.stdout, result.stderr


def test_text_routed_ambiguous_not_found_not_ours(home: Path) -> None:
    code, out, _ = run(home, "--text", "共和新路2288弄12号楼道内堆物", "--on", "2025-07-01")
    assert code == 0 and "已派单 routed" in out and "魏样本宁（楼组长，138****0140）" in out
    code, out, _ = run(home, "--text", "嘉利明城12号楼漏水")
    assert code == 2 and "P-JLMZ-B12" in out
    code, out, _ = run(home, "--text", "嘉利明珠城99号楼漏水")
    assert code == 1 and "未找到 not-found" in out
    code, out, _ = run(home, "--text", "上海市徐汇区天钥桥路408号门口占道经营", "--json")
    assert code == 1 and json.loads(out)["region"] == "徐汇区"


def test_file_with_chart_and_a_bad_row(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "工单.csv"
    src.write_text(
        "工单编号,诉求地址,诉求内容,诉求类别,受理时间\n"
        "T1,嘉利明珠城8号楼,门口占道经营,占道经营,2025-06-30\n"
        "T2,嘉利明珠城9号楼,楼道内堆物,楼道堆物,昨天\n",
        encoding="gb18030",
    )
    out_file, chart = tmp_path / "派单结果.csv", tmp_path / "汇总.svg"
    code, out, err = run(home, str(src), "-o", str(out_file), "--chart", str(chart))
    assert code == 1
    lines = [line for line in err.splitlines() if line.strip()]  # (the progress bar's are blank)
    assert lines[0] == (
        "工单.csv:3: 受理时间: '昨天' is not a date (expected YYYY-MM-DD, YYYY/M/D or "
        "YYYY年M月D日); the row is left out"
    )
    assert lines[-1] == (
        "有 1 行无法读取，已略去，见上 "
        "(1 row could not be read and was left out; each is listed above)."
    )
    assert "派单汇总 · routing summary（1 件）" in out and f"wrote {out_file} — 1 行 rows" in out
    text = out_file.read_text(encoding="utf-8-sig")
    assert "王样本军（路长，138****0286）" in text and "T2" not in text
    assert chart.read_text(encoding="utf-8").startswith("<svg")


def test_usage_errors(home: Path, tmp_path: Path) -> None:
    code, _, err = run(home)
    assert code == 2 and "give either a FILE of tickets or --text" in err
    src = tmp_path / "t.csv"
    src.write_text("诉求地址\n嘉利明珠城8号楼\n", encoding="utf-8")
    code, _, err = run(home, str(src))
    assert code == 2 and "give -o OUT.xlsx, .csv or .jsonl" in err
    code, _, err = run(home, str(src), "-o", str(tmp_path / "o.pdf"), "--on", "2025-07-01")
    assert code == 2 and err.strip() == (
        "错误 error: cannot write o.pdf: the output is .csv, .xlsx or .jsonl."
    )
    code, _, err = run(home, "--text", "嘉利明珠城8号楼", "--on", "2025-13-40")
    assert code == 2 and "is not a day" in err


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["route", "--help"])
    assert result.exit_code == 0 and "shanzhi route 工单.xlsx -o 派单结果.xlsx" in result.output
