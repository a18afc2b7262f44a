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
                store.save_item_score(db, user, library, rating.id, "focus", ScoreEntry(3))
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
    assert _counts(any_url) == (1, 1, 1)


def _env(url: str, content_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "IPT_FIDELITY_CONTENT": str(content_dir),
        "PYTHONPATH": str(REPO),
    }


@pytest.mark.slow
def test_forty_concurrent_import_processes(any_url: str, content_dir: Path, tmp_path: Path) -> None:
    """40 raters' files and 5 repeats, imported by 45 `ratings import` processes at once:
    40 whole ratings land, each exactly once, and every repeat is refused without a traceback."""
    repeats = 5
    users = _trainees(any_url, PEOPLE)
    files = []
    for i in range(PEOPLE + repeats):
        user = users[i % PEOPLE]
        path = tmp_path / f"ratings_{i}.csv"
        path.write_text(
            "rater,session,rubric,item,score\n"
            f"{user.username},mini-session,mini,focus,{1 + i % 3}\n"
            f"{user.username},mini-session,mini,grief_work,na\n"
        )
        files.append(path)
    env = _env(any_url, content_dir)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "ipt_fidelity", "ratings", "import", str(path)],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files
    ]
    outcomes = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in processes]  # type: ignore[union-attr]
    assert all("Traceback" not in err for _, _, err in outcomes), outcomes
    assert sorted(code for code, _, _ in outcomes) == [0] * PEOPLE + [1] * repeats
    for code, _, err in outcomes:
        if code:
            assert err.startswith("error: ") and ("already submitted" in err or "meanwhile" in err)
    assert _counts(any_url) == (PEOPLE, PEOPLE, PEOPLE * 2)


KILLED = (
    "import sys, time\n"
    "from sqlalchemy.orm import Session\n"
    "from ipt_fidelity import store\n"
    "from ipt_fidelity.store.models import User\n"
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
