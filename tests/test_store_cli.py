"""The database commands: upgrade, users add, all-or-nothing ratings import, export, errors."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from ipt_fidelity import store
from ipt_fidelity.commands import db as db_commands
from ipt_fidelity.store import ScoreEntry
from ipt_fidelity.store.migrate import head_revision
from tests.fixtures_db import mini_library

library = mini_library()

if TYPE_CHECKING:
    from tests.fixtures_db import People

HEADER = "rater,session,rubric,item,score,comment,evidence\n"
GOOD_ROWS = (
    "trainee,mini-session,mini,focus,3,stays on Jon,1;3\n"
    "trainee,mini-session,mini,grief_work,na,,\n"
    "peer,mini-session,mini,focus,2,,2 3\n"
    "peer,mini-session,mini,grief_work,1,thin,\n"
)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    db_commands.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, db_url: str, content_dir: Path) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("IPT_FIDELITY_CONTENT", str(content_dir))
    return db_url


@pytest.fixture
def cli_db(cli_env: str, people: People, db: Session) -> Session:
    """The CLI's database, with the permission-test cast in it."""
    return db


def write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "ratings.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_upgrade_and_first_admin(cli_env: str, capsys, monkeypatch, engine) -> None:
    code, out, _ = run(["db", "upgrade"], capsys)
    assert code == 0 and f"revision {head_revision()}" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough secret\n"))
    code, _, err = run(["users", "add", "ana", "--role", "trainee", "--password-stdin"], capsys)
    assert code == 1 and "first account must be an admin" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough secret\n"))
    code, out, _ = run(["users", "add", "root", "--role", "admin", "--password-stdin"], capsys)
    assert code == 0 and "created admin 'root'" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    code, _, err = run(["users", "add", "ana", "--role", "trainee", "--password-stdin"], capsys)
    assert code == 1 and "at least 10 characters" in err
    answers = iter(["one password!!", "another one!!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, _, err = run(["users", "add", "ana", "--role", "trainee"], capsys)
    assert code == 1 and "differ" in err


def test_import_then_export_round_trip(cli_db: Session, tmp_path: Path, capsys) -> None:
    code, out, err = run(["ratings", "import", str(write(tmp_path, GOOD_ROWS))], capsys)
    assert (code, err) == (0, "") and "imported 2 rating(s) from 4 row(s)" in out
    code, out, _ = run(["ratings", "export", "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 4
    mine = {(r["rater"], r["item"]): r for r in rows}
    assert mine["trainee", "focus"]["evidence"] == "1 3"
    assert mine["trainee", "grief_work"]["score"] == "na"
    assert mine["peer", "grief_work"]["comment"] == "thin"
    assert {r["rubric_version"] for r in rows} == {"1.0"} and all(r["submitted_at"] for r in rows)
    xlsx = tmp_path / "out.xlsx"
    assert run(["ratings", "export", "--format", "xlsx", "-o", str(xlsx)], capsys)[0] == 0
    sheet = load_workbook(xlsx).active
    values = list(sheet.values)
    assert values[0][:5] == ("rater", "session", "rubric", "item", "score") and len(values) == 5


def test_reimport_is_refused(cli_db: Session, tmp_path: Path, capsys) -> None:
    path = write(tmp_path, GOOD_ROWS)
    assert run(["ratings", "import", str(path)], capsys)[0] == 0
    code, _, err = run(["ratings", "import", str(path)], capsys)
    assert code == 1 and "already submitted" in err and "Traceback" not in err


def test_import_replaces_a_draft(cli_db: Session, people: People, tmp_path: Path, capsys) -> None:
    draft = store.get_or_create_draft(cli_db, people.trainee, library, "mini-session")
    store.save_item_score(cli_db, people.trainee, library, draft.id, "focus", ScoreEntry(1))
    assert run(["ratings", "import", str(write(tmp_path, GOOD_ROWS))], capsys)[0] == 0
    [rating] = store.list_ratings(cli_db, people.trainee, rater_id=people.trainee.id)
    assert rating.status == "submitted" and rating.id != draft.id
    assert store.get_scores(cli_db, people.trainee, rating.id)["focus"].score == 3


BAD_ROWS = (
    "trainee,mini-session,mini,focus,3,,\n"  # row 2 fine
    "nobody,mini-session,mini,focus,3,,\n"  # row 3 unknown rater
    "trainee,no-such-session,mini,focus,3,,\n"  # row 4 unknown session
    "trainee,mini-session,mini,nothing,3,,\n"  # row 5 unknown item
    "peer,mini-session,mini,focus,9,,\n"  # row 6 off the scale
    "peer,mini-session,mini,dispute_work,2,,\n"  # row 7 does not apply
    "peer,mini-session,mini,grief_work,na,,7\n"  # row 8 no such turn
    "sup_a,mini-session,mini,focus,na,,\n"  # row 9 N/A not allowed
    "trainee,mini-session,mini,focus,2,,\n"  # row 10 twice
    "sup_a,mini-session,mini,grief_work,two,,\n"  # row 11 not a number
)


def test_any_problem_imports_nothing(cli_db: Session, people: People, tmp_path: Path, capsys):
    code, out, err = run(["ratings", "import", str(write(tmp_path, BAD_ROWS))], capsys)
    assert code == 1 and out == "" and "Traceback" not in err
    for expected in (
        "row 3: unknown rater 'nobody'",
        "row 4: unknown session 'no-such-session'",
        "row 5: 'nothing' is not an item of rubric 'mini'",
        "row 6: A score is a whole number from 1 to 3",
        "row 7: Item 'dispute_work' does not apply to this session",
        "row 8: Evidence turn(s) [7] are not in this transcript",
        "row 9: 'focus' may not be marked not applicable",
        "row 10: item 'focus' appears twice",
        "row 11: score 'two' is not a whole number",
    ):
        assert expected in err
    assert "row 2" not in err
    assert store.list_ratings(cli_db, people.admin) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("rater,session,score\n", "missing column(s): rubric, item"),
        (HEADER, "the file has no rows"),
    ],
)
def test_malformed_files(cli_db, tmp_path: Path, capsys, content: str, message: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(content)
    code, _, err = run(["ratings", "import", str(path)], capsys)
    assert code == 1 and message in err


def test_database_errors_are_one_plain_line(monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    code, _, err = run(["db", "upgrade"], capsys)
    assert code == 1 and err.startswith("error: the database failed") and "Traceback" not in err
    monkeypatch.setenv("DATABASE_URL", "not a url")
    code, _, err = run(["ratings", "export"], capsys)
    assert code == 1 and "not a valid database URL" in err
