"""Forty people pressing submit at once, forty import processes, and a process killed mid-submit.

Each test runs on SQLite and on PostgreSQL (the latter skips when no server is reachable).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ipt_fidelity import store
from ipt_fidelity.store import Conflict, ScoreEntry
from ipt_fidelity.store.exchange import ImportRejected, import_ratings
from ipt_fidelity.store.models import ItemScore, Rating, User
from tests.fixtures_db import mini_library

library = mini_library()

PEOPLE = 40
ITEMS = ("focus", "grief_work")
REPO = Path(__file__).resolve().parent.parent


def _trainees(url: str, count: int) -> list[User]:
    engine = store.make_engine(url)
    with store.open_session(engine) as db:
        users = [
            User(username=f"t{i:02d}", display_name=f"T {i}", role="trainee", password_hash="x")
            for i in range(count)
        ]
        db.add_all(users)
        db.commit()
    engine.dispose()
    return users


def _counts(url: str) -> tuple[int, int, int]:
    """(submitted ratings, all ratings, item scores) in the database."""
    engine = store.make_engine(url)
    with store.open_session(engine) as db:
        submitted = db.scalar(select(func.count()).where(Rating.status == "submitted"))
        ratings = db.scalar(select(func.count()).select_from(Rating))
        scores = db.scalar(select(func.count()).select_from(ItemScore))
    engine.dispose()
    return submitted or 0, ratings or 0, scores or 0


@pytest.mark.slow
def test_forty_simultaneous_submitters(any_url: str) -> None:
    users = _trainees(any_url, PEOPLE)
    engine = (
        store.make_engine(any_url, pool_size=PEOPLE, max_overflow=0)
        if "postgres" in any_url
        else store.make_engine(any_url)
    )
    start = threading.Barrier(PEOPLE)
    failures: list[BaseException] = []

    def submit(user: User) -> None:
        try:
            start.wait()
            with store.open_session(engine) as db:
                rating = store.get_or_create_draft(db, user, library, "mini-session")
                for item in ITEMS:
                    store.save_item_score(
                        db, user, library, rating.id, item, ScoreEntry(2, evidence=[1])
                    )
                store.submit_rating(db, user, library, rating.id)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=submit, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert failures == []
    assert _counts(any_url) == (PEOPLE, PEOPLE, PEOPLE * len(ITEMS))


def test_two_tabs_of_one_rater_make_one_rating(any_url: str) -> None:
    [user] = _trainees(any_url, 1)
    engine = store.make_engine(any_url)
    tabs = 8
    start = threading.Barrier(tabs)
    results: list[object] = []

    def tab() -> None:
        start.wait()
        with store.open_session(engine) as db:
            rating = store.get_or_create_draft(db, user, library, "mini-session")
            try:
                store.save_item_scores(
                    db,
                    user,
                    library,
                    rating.id,
                    {"focus": ScoreEntry(3), "grief_work": ScoreEntry(not_applicable=True)},
                )
                results.append(store.submit_rating(db, user, library, rating.id).id)
            except Conflict as exc:
                results.append(exc)

    threads = [threading.Thread(target=tab) for _ in range(tabs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    submitted = [r for r in results if isinstance(r, int)]
    assert len(submitted) == 1 and len(results) == tabs
    assert all("can no longer be changed" in str(r) for r in results if not isinstance(r, int))
    assert _counts(any_url) == (1, 1, 2)  # one rating, submitted, with its two items


def _env(url: str, content_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "IPT_FIDELITY_CONTENT": str(content_dir),
        "PYTHONPATH": str(REPO),
    }


def _rating_rows(username: str, score: int) -> list[dict[str, str]]:
    return [
        {"rater": username, "session": "mini-session", "rubric": "mini", "item": "focus",
         "score": str(score)},
        {"rater": username, "session": "mini-session", "rubric": "mini", "item": "grief_work",
         "score": "na"},
    ]  # fmt: skip


def test_forty_concurrent_imports(any_url: str) -> None:
    """40 raters' files and 5 repeats, imported by 45 threads at once (what 45 `ratings import`
    processes do, each with its own engine): 40 whole ratings land, each exactly once, and every
    repeat is refused with the import's plain message."""
    repeats = 5
    users = _trainees(any_url, PEOPLE)
    outcomes: list[object] = []
    barrier = threading.Barrier(PEOPLE + repeats)

    def importer(i: int) -> None:
        user = users[i % PEOPLE]
        engine = store.make_engine(any_url)
        barrier.wait()
        try:
            with store.open_session(engine) as db:
                outcomes.append(import_ratings(db, _rating_rows(user.username, 1 + i % 3), library))
        except ImportRejected as exc:
            outcomes.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=importer, args=(i,)) for i in range(PEOPLE + repeats)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [o for o in outcomes if isinstance(o, ImportRejected)]
    assert sorted(o for o in outcomes if isinstance(o, int)) == [1] * PEOPLE
    assert len(refused) == repeats
    assert all("already submitted" in str(o) or "meanwhile" in str(o) for o in refused)
    assert _counts(any_url) == (PEOPLE, PEOPLE, PEOPLE * 2)


@pytest.mark.slow
def test_a_repeated_import_process_fails_with_one_line(
    any_url: str, content_dir: Path, tmp_path: Path
) -> None:
    """The process boundary itself: two `ratings import` processes of one file at once."""
    [user] = _trainees(any_url, 1)
    path = tmp_path / "ratings.csv"
    rows = _rating_rows(user.username, 2)
    path.write_text(
        "rater,session,rubric,item,score\n" + "".join(",".join(r.values()) + "\n" for r in rows)
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "ipt_fidelity", "ratings", "import", str(path)],
            env=_env(any_url, content_dir),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outcomes = [(p.wait(timeout=300), p.stderr.read()) for p in processes]  # type: ignore[union-attr]
    assert sorted(code for code, _ in outcomes) == [0, 1]
    [(_, err)] = [o for o in outcomes if o[0] == 1]
    assert "Traceback" not in err and err.startswith("error: ")
    assert "already submitted" in err or "meanwhile" in err
    assert _counts(any_url) == (1, 1, 2)


KILLED = (
    "import os, sys, time\n"
    "from pathlib import Path\n"
    "from sqlalchemy.orm import Session\n"
    "from ipt_fidelity import store\n"
    "from ipt_fidelity.content.library import load_library\n"
    "from ipt_fidelity.store import ScoreEntry\n"
    "from ipt_fidelity.store.models import User\n"
    "library = load_library(root=Path(os.environ['IPT_FIDELITY_CONTENT']))\n"
    "engine = store.make_engine()\n"
    "with store.open_session(engine) as db:\n"
    "    user = db.get(User, 1)\n"
    "    rating = store.get_or_create_draft(db, user, library, 'mini-session')\n"
    "    store.save_item_score(db, user, library, rating.id, 'focus', ScoreEntry(2))\n"
    "    def hang(self):\n"
    "        print('READY', flush=True)\n"
    "        time.sleep(120)\n"
    "    Session.commit = hang\n"
    "    store.save_item_score(db, user, library, rating.id, 'grief_work', ScoreEntry(3))\n"
    "    store.submit_rating(db, user, library, rating.id)\n"
)


@pytest.mark.slow
def test_a_process_killed_mid_submit_leaves_no_partial_rating(
    any_url: str, content_dir: Path
) -> None:
    [user] = _trainees(any_url, 1)
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED],
        env=_env(any_url, content_dir),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "READY"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    engine = store.make_engine(any_url)
    with store.open_session(engine) as db:
        [rating] = store.list_ratings(db, user)
        assert rating.status == "draft"
        assert set(store.get_scores(db, user, rating.id)) == {"focus"}  # the committed change only
        store.save_item_score(
            db, user, library, rating.id, "grief_work", ScoreEntry(3)
        )  # the database is not stuck
        assert store.submit_rating(db, user, library, rating.id).status == "submitted"
    engine.dispose()
