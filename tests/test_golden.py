"""Golden answers: every store gives exactly the answers recorded in tests/golden/.

The goldens (who-covers for every building on four days, audit, circles, stats, finder answers,
the first load's changes) were recorded from main 7cda1a8, before the stores moved behind one
read interface (``python -m tests.golden.record``). The embedded store is checked in the fast
loop; Neo4j in the Neo4j lane, against the same files, so the two stores are compared through
them on every run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.golden import access
from tests.golden.record import CASES, answers

GOLDEN = Path(__file__).parent / "golden"


def _expected(case: str) -> dict[str, Any]:
    return {p.stem: json.loads(p.read_text()) for p in sorted((GOLDEN / case).glob("*.json"))}


def _compare(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert sorted(got) == sorted(want)
    for name in sorted(want):
        if got[name] != want[name]:
            g, w = got[name], want[name]
            if isinstance(w, dict) and isinstance(g, dict):
                bad = sorted(k for k in w.keys() | g.keys() if g.get(k) != w.get(k))
                pytest.fail(
                    f"{name}: {len(bad)} keys differ, first {bad[0]!r}:\n"
                    f"got  {g.get(bad[0])!r}\nwant {w.get(bad[0])!r}"
                )
            pytest.fail(f"{name} differs:\ngot  {g!r}\nwant {w!r}")


@pytest.fixture(scope="module", params=sorted(CASES))
def embedded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Any]]:
    case = str(request.param)
    yield case, access.loaded(case, tmp_path_factory.mktemp(case))


def test_embedded_store_gives_the_golden_answers(embedded: tuple[str, Any]) -> None:
    case, store = embedded
    _compare(answers(store, CASES[case]), _expected(case))


@pytest.mark.neo4j
@pytest.mark.parametrize("case", sorted(CASES))
def test_neo4j_gives_the_golden_answers(case: str, neo4j_store: Any, tmp_path: Path) -> None:
    from shanzhi.graph.stores import load

    load(neo4j_store, access.dataset(case, tmp_path))
    _compare(answers(neo4j_store, CASES[case]), _expected(case))
