"""Record the golden answers of the sample (run from the repository root; writes tests/golden/).

    .venv/bin/python -m tests.golden.record

The goldens were first recorded from main 7cda1a8 (the networkx embedded store) before the stores
moved behind one read interface; ``tests/test_golden.py`` checks that every store still gives
exactly these answers. Re-record only when the sample data or an answer's contract changes on
purpose, and say so in the commit.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: Days the answers are taken on: before, inside and after 路长 rotations and post changes.
DAYS = ("2023-03-31", "2025-06-30", "2025-07-01", "2026-11-27")


def queries(store: Any) -> list[str]:
    """The ways a building is named in the sample: id, name, address and each alias."""
    from tests.golden.access import building_rows

    out: list[str] = []
    for row in sorted(building_rows(store), key=lambda r: str(r["id"])):
        out.append(str(row["id"]))
        out.append(str(row["name"]))
        if row.get("address"):
            out.append(str(row["address"]))
        aliases = row.get("aliases") or []
        out.extend(str(a) for a in (aliases if isinstance(aliases, list) else [aliases]))
    return sorted(set(out))


def answers(store: Any, every: int = 1) -> dict[str, Any]:
    """Every golden answer of the store (who-covers for every ``every``-th building), as JSON."""
    from tests.golden import access

    building_ids = sorted(str(r["id"]) for r in access.building_rows(store))[::every]
    out: dict[str, Any] = {"stats": access.stats(store)}
    for day in DAYS:
        out[f"who_covers@{day}"] = {b: access.who_covers(store, b, day) for b in building_ids}
        out[f"audit@{day}"] = access.audit(store, day)
    out["circles"] = access.circles(store, include_own=False)
    out["circles+own"] = access.circles(store, include_own=True)
    out["finder"] = {q: access.find(store, q) for q in queries(store)[::every]}
    out["changes"] = access.changes(store)
    return out


#: The datasets with goldens: the bundled sample (every building) and one synthetic street with
#: planted gaps (every 25th building; its audit is not empty).
CASES = {"sample": 1, "synth": 25}


def main() -> None:
    from tests.golden import access

    for case, every in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            store = access.loaded(case, Path(tmp))
            data = answers(store, every)
        (HERE / case).mkdir(exist_ok=True)
        for name, value in data.items():
            path = HERE / case / f"{name}.json"
            text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
            path.write_text(text + "\n")
            print(path)


if __name__ == "__main__":
    sys.exit(main())
