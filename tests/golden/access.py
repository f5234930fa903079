"""The library calls the golden answers are taken from (one place to follow the code's moves)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from shanzhi.errors import AmbiguousError, GuessError, NotFoundError
from shanzhi.graph.analytics.circle import circles as _circles
from shanzhi.graph.queries.audit import audit as _audit
from shanzhi.graph.queries.changes import changes as _changes
from shanzhi.graph.queries.finder import find_building
from shanzhi.graph.queries.stats import stats as _stats
from shanzhi.graph.queries.who_covers import who_covers as _who_covers
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore


def dataset(case: str, tmp: Path) -> Any:
    """The dataset of a golden case: ``sample`` (bundled) or ``synth`` (one street, seed 3)."""
    from shanzhi.loaders import load_dataset
    from shanzhi.sample import sample_path
    from shanzhi.synth import synth

    if case == "sample":
        return load_dataset(sample_path())
    synth(tmp / "synth", streets=1, seed=3)
    return load_dataset(tmp / "synth", name="synth")


def loaded(case: str, home: Path) -> Any:
    """A new embedded store in ``home`` holding the dataset of a golden case."""
    store = EmbeddedStore(home / "home")
    load(store, dataset(case, home))
    return store


def building_rows(store: Any) -> list[dict[str, Any]]:
    """Every building (the queries and the buildings the goldens are taken for)."""
    return list(store.building_rows())


def stats(store: Any) -> dict[str, Any]:
    return {k: v for k, v in _stats(store).items() if k != "store"}


def who_covers(store: Any, building: str, day: str) -> dict[str, Any]:
    """The chain for a building id; its ``match`` (always ``id`` here) is the finder goldens'."""
    answer = _who_covers(store, building, on=day)
    assert answer.pop("match") == "id", building
    return answer


def audit(store: Any, day: str) -> dict[str, Any]:
    return _audit(store, on=day)


def circles(store: Any, include_own: bool) -> list[dict[str, Any]]:
    return [c.as_dict() for c in _circles(store, include_own=include_own)]


def find(store: Any, query: str) -> dict[str, Any]:
    try:
        return {"found": find_building(store, query).uid}
    except GuessError as exc:  # asked, not answered
        return {"guess": str(exc.candidates[0]["uid"])}
    except AmbiguousError as exc:
        return {"ambiguous": sorted(str(c.get("uid") or c.get("id")) for c in exc.candidates)}
    except NotFoundError:
        return {"not_found": True}


def changes(store: Any) -> dict[str, Any]:
    """The first load's summary, its first 50 change rows and a digest of them all."""
    result = _changes(store).as_dict()
    for key in ("at", "source"):  # when and from which folder: not part of the answer
        (result["load"] or {}).pop(key, None)
    rows = result.pop("changes")
    text = json.dumps(rows, ensure_ascii=False, sort_keys=True)
    result.update(rows=len(rows), first=rows[:50], digest=hashlib.sha256(text.encode()).hexdigest())
    return result
