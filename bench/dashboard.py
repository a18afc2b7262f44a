"""Benchmark of the supervisor dashboard's data path at 200 raters x 100 sessions x 30 items.

Seeds 600,000 item ratings into a fresh SQLite file (bulk inserts through the store's models and
engine), then times, as medians over several rounds:

- ``floor_s``: reading the same rows raw (``sqlite3`` and ``fetchall``), the least any path pays;
- ``cold_s``: the dashboard's whole data path on an empty cache: the marker, the one query, the
  engine's report for every item, section score and the total, the deviations, and everything
  the page draws on opening (figures, the default raters' comparisons, Bland-Altman, drift);
- ``warm_s``: the same again with the cache warm (what a second view of unchanged data costs).

Targets: cold <= 3 x floor, warm <= 0.2 x floor. ``--json`` prints only the JSON.

    python bench/dashboard.py [--json] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from ipt_fidelity.content.library import Library, default_library
from ipt_fidelity.content.models import ItemRating, ReferenceRating, Rubric
from ipt_fidelity.content.models import Session as Transcript
from ipt_fidelity.store import get_engine, make_engine, open_session, upgrade
from ipt_fidelity.store.models import Cohort, ItemScore, Membership, Rating, User
from ipt_fidelity.training.dashboard import Scope, clear_memo, cohort_view
from ipt_fidelity.ui.dashboard_charts import first_view

RATERS, SESSIONS, ITEMS = 200, 100, 30
RUBRIC_ID = "ipt_adherence"
FLOOR_SQL = """
SELECT r.session_id, u.username, u.display_name, u.role, s.item_id, s.score, r.submitted_at
FROM ratings r JOIN item_scores s ON s.rating_id = r.id JOIN users u ON u.id = r.rater_id
WHERE r.status = 'submitted' AND r.rubric_id = ?
"""


def bench_content(rubric: Rubric, expert: np.ndarray, items: list[str]) -> Library:
    """The shipped rubric and 100 synthetic sessions carrying the expert's reference rating."""
    sessions = {}
    for s in range(SESSIONS):
        scores = {
            item: ItemRating.model_construct(score=int(expert[s, i]), not_applicable=False)
            for i, item in enumerate(items)
        }
        reference = ReferenceRating.model_construct(
            rubric=rubric.id, rubric_version=rubric.version, items=scores
        )
        sid = f"bench-s{s:03d}"
        sessions[sid] = Transcript.model_construct(id=sid, reference_rating=reference)
    return Library(rubrics={rubric.id: rubric}, sessions=sessions)


def seed(path: Path, rubric: Rubric, seed_value: int = 0) -> tuple[Library, int, int]:
    """Fill a fresh database with the cohort's ratings; returns the content, supervisor, cohort."""
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    rng = np.random.default_rng(seed_value)
    items = [item.id for item in rubric.items][:ITEMS]
    expert = rng.integers(0, 5, size=(SESSIONS, ITEMS))
    bias = rng.normal(0.0, 0.4, size=RATERS)
    score = np.rint(
        expert[None] + bias[:, None, None] + rng.normal(0, 0.8, (RATERS, SESSIONS, ITEMS))
    )
    score = np.clip(score, 0, 4).astype(int)
    not_applicable = rng.random(score.shape) < 0.03
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with engine.begin() as connection:
        people = [{"id": 1, "username": "bench-supervisor", "role": "supervisor"}]
        people += [
            {"id": r + 2, "username": f"rater{r:03d}", "role": "trainee"} for r in range(RATERS)
        ]
        connection.execute(
            insert(User),
            [
                {
                    **p,
                    "display_name": p["username"].title(),
                    "password_hash": "-",
                    "created_at": start,
                }
                for p in people
            ],
        )
        connection.execute(insert(Cohort), [{"id": 1, "name": "Bench", "created_at": start}])
        connection.execute(
            insert(Membership),
            [{"cohort_id": 1, "user_id": p["id"], "added_at": start} for p in people],
        )
        ratings, scores = [], []
        for r in range(RATERS):
            for s in range(SESSIONS):
                rating_id = r * SESSIONS + s + 1
                when = start + timedelta(hours=s * 24 + r % 24)
                ratings.append(
                    {
                        "id": rating_id,
                        "rater_id": r + 2,
                        "session_id": f"bench-s{s:03d}",
                        "rubric_id": rubric.id,
                        "rubric_version": rubric.version,
                        "status": "submitted",
                        "created_at": when,
                        "updated_at": when,
                        "submitted_at": when,
                    }
                )
                for i, item in enumerate(items):
                    na = bool(not_applicable[r, s, i])
                    scores.append(
                        {
                            "rating_id": rating_id,
                            "item_id": item,
                            "score": None if na else int(score[r, s, i]),
                            "not_applicable": na,
                            "evidence": [],
                            "comment": "",
                            "updated_at": when,
                        }
                    )
        connection.execute(insert(Rating), ratings)
        connection.execute(insert(ItemScore), scores)
    engine.dispose()
    return bench_content(rubric, expert, items), 1, 1


def floor(path: Path) -> int:
    """Read the long table's rows raw; returns how many."""
    connection = sqlite3.connect(path)
    try:
        return len(connection.execute(FLOOR_SQL, (RUBRIC_ID,)).fetchall())
    finally:
        connection.close()


def data_path(url: str, library: Library, supervisor_id: int, cohort_id: int) -> int:
    """The dashboard's opening: the cached view and everything the page draws first."""
    rubric = library.rubrics[RUBRIC_ID]
    with open_session(get_engine(url), read_only=True) as db:
        actor = db.get(User, supervisor_id)
        view = cohort_view(db, actor, Scope(cohort_id, RUBRIC_ID), rubric, library)
    first_view(view)
    return len(view.ratings)


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print only the JSON")
    parser.add_argument("--rounds", type=int, default=5, help="repeats (medians are reported)")
    args = parser.parse_args()
    rubric = default_library().rubrics[RUBRIC_ID]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        seconds, (library, supervisor, cohort) = timed(lambda: seed(path, rubric))
        if not args.json:
            print(f"seeded {RATERS * SESSIONS * ITEMS} item ratings in {seconds:.1f} s")
        url = f"sqlite:///{path}"
        floors, colds, warms = [], [], []
        for _ in range(args.rounds):
            spent, rows = timed(lambda: floor(path))
            floors.append(spent)
            clear_memo()
            spent, ratings = timed(lambda: data_path(url, library, supervisor, cohort))
            colds.append(spent)
            warms.append(timed(lambda: data_path(url, library, supervisor, cohort))[0])
        assert rows == ratings == RATERS * SESSIONS * ITEMS, (rows, ratings)
    result = {
        "ratings": ratings,
        "floor_s": round(statistics.median(floors), 4),
        "cold_s": round(statistics.median(colds), 4),
        "warm_s": round(statistics.median(warms), 4),
    }
    if not args.json:
        cold, warm = result["cold_s"] / result["floor_s"], result["warm_s"] / result["floor_s"]
        print(f"cold = {cold:.2f} x floor (target <= 3), warm = {warm:.3f} x floor (target <= 0.2)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
