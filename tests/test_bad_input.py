"""Bad input gives one clear line and changes nothing: odd digits, non-finite scores, endless or
huge files, folders, missing, empty and binary files, over-long names (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ipt_fidelity import auth, store
from ipt_fidelity.cli import main
from ipt_fidelity.content.inputfiles import RATINGS_CSV_BYTES, digits_problem
from ipt_fidelity.content.yamlsource import MAX_BYTES as YAML_BYTES
from ipt_fidelity.store.drills import create_drill_set
from ipt_fidelity.store.limits import MAX_TEXT
from ipt_fidelity.store.models import Cohort, ImportedSession, Rating, User
from tests.apptest import page_test
from tests.fixtures_db import PASSWORD, make_people, mini_library

HEADER = "rater,session,rubric,item,score,comment,evidence\n"
ODD_DIGITS = ("٣", "①", "²", "1;٣", "３")


def cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the real entry point in-process; a clean failure is exit 1 and one line on stderr."""
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def one_line(err: str) -> str:
    lines = [line for line in err.strip().splitlines() if line]
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def cli_db(monkeypatch: pytest.MonkeyPatch, db_url: str, content_dir: Path, people):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("IPT_FIDELITY_CONTENT", str(content_dir))
    engine = store.make_engine(db_url)
    yield engine
    engine.dispose()


def count(engine, model) -> int:
    with store.open_session(engine) as db:
        return db.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- digits


@pytest.mark.parametrize("evidence", ODD_DIGITS)
def test_ratings_import_names_a_non_ascii_digit_in_evidence(cli_db, tmp_path, capsys, evidence):
    rows = (
        f"trainee,mini-session,mini,focus,3,,{evidence}\n"
        "trainee,mini-session,mini,grief_work,na,,\n"
    )
    path = tmp_path / "ratings.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    code, _, err = cli(["ratings", "import", str(path)], capsys)
    assert code == 1
    odd = next(c for c in evidence if not "0" <= c <= "9" and c not in ";")
    assert f"row 2: evidence {evidence!r}" in err and unicodedata.name(odd) in err
    assert count(cli_db, Rating) == 0


def test_ratings_import_names_a_non_ascii_digit_in_a_score(cli_db, tmp_path, capsys):
    path = tmp_path / "ratings.csv"
    path.write_text(HEADER + "trainee,mini-session,mini,focus,٣,,\n", encoding="utf-8")
    code, _, err = cli(["ratings", "import", str(path)], capsys)
    assert code == 1 and "ARABIC-INDIC DIGIT THREE" in err
    assert count(cli_db, Rating) == 0


def test_digits_problem_only_flags_what_int_would_wrongly_take() -> None:
    assert digits_problem("12 3;4") is None
    assert digits_problem("abc") is None
    assert "SUPERSCRIPT TWO" in digits_problem("²")
    assert "CIRCLED DIGIT ONE" in digits_problem("①")


@pytest.mark.parametrize("turn", ["²", "٣"])
def test_set_speaker_names_a_non_ascii_digit(tmp_path, capsys, turn):
    vtt = tmp_path / "t.vtt"
    vtt.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Therapist>Hello.\n\n"
        "00:00:03.000 --> 00:00:04.000\n<v Client>Hi.\n\n"
        "00:00:05.000 --> 00:00:06.000\n<v Client>Yes.\n",
        encoding="utf-8",
    )
    code, _, err = cli(["import-transcript", str(vtt), "--set-speaker", f"{turn}=X"], capsys)
    assert code == 2
    assert "is not one of the digits 0-9" in one_line(err)


def test_a_turn_address_with_a_superscript_opens_the_first_turn(mini_app) -> None:
    at = page_test("rate", mini_app.trainee.id)
    at.query_params["turn"] = "²"
    at.run()
    assert not at.exception


# ---------------------------------------------------------------- agreement scores

AGREEMENT = "unit,rater,score\n1,a,2\n1,b,{}\n2,a,3\n2,b,1\n3,a,2\n3,b,2\n"


@pytest.mark.parametrize(
    ("score", "says"),
    [
        ("1e308", "out of range"),
        ("-1e308", "out of range"),
        ("1000001", "out of range"),
        ("inf", "not a finite number"),
        ("-inf", "not a finite number"),
        ("nan", "not a finite number"),
        ("NaN", "not a finite number"),
        ("1e999", "not a finite number"),
        ("٣", "ARABIC-INDIC DIGIT THREE"),
    ],
)
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_agreement_refuses_a_score_it_cannot_count_with_its_row(
    tmp_path, capsys, score, says, level
):
    path = tmp_path / "scores.csv"
    path.write_text(AGREEMENT.format(score), encoding="utf-8")
    code, out, err = cli(["agreement", str(path), "--level", level], capsys)
    assert code == 1 and out == ""
    line = one_line(err)
    assert line.startswith(f"error: row 3: score {score!r}") and says in line


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--categories", ",,"], "lists no scale points"),
        (["--categories", "1,inf"], "not a finite number"),
        (["--categories", "1,1e308"], "out of range"),
        (["--n-boot", "100000000000"], "--n-boot may be at most"),
        (["--seed", "-1"], "--seed must be 0 or more"),
    ],
)
def test_agreement_refuses_options_it_cannot_use(tmp_path, capsys, extra, says):
    path = tmp_path / "scores.csv"
    path.write_text(AGREEMENT.format("1"), encoding="utf-8")
    code, _, err = cli(["agreement", str(path), "--level", "nominal", *extra], capsys)
    assert code == 1 and says in one_line(err)


def test_agreement_still_reads_ordinary_scores(tmp_path, capsys):
    path = tmp_path / "scores.csv"
    path.write_text(AGREEMENT.format("NA"), encoding="utf-8")
    code, out, _ = cli(["agreement", str(path), "--level", "ordinal"], capsys)
    assert code == 0 and "krippendorff_alpha" in out


# ---------------------------------------------------------------- files


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "binary.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (tmp_path / "latin1.csv").write_bytes("rater,caf\xe9\n".encode("latin-1"))
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:  # sparse: a gigabyte that takes no disk
        handle.truncate(2**30)
    return {
        "folder": tmp_path / "folder.csv",
        "missing": tmp_path / "missing.csv",
        "empty": tmp_path / "empty.csv",
        "binary": tmp_path / "binary.csv",
        "latin1": tmp_path / "latin1.csv",
        "huge": huge,
    }


BAD = ("folder", "missing", "empty", "binary", "latin1", "huge")


@pytest.mark.parametrize("kind", BAD)
def test_ratings_import_of_a_bad_file_is_one_line(cli_db, tmp_path, capsys, kind):
    path = _bad_files(tmp_path)[kind]
    code, _, err = cli(["ratings", "import", str(path)], capsys)
    assert code == 1
    assert "Nothing was imported" in err or "nothing was imported" in err
    assert count(cli_db, Rating) == 0
    if kind == "huge":
        assert f"larger than the limit of {RATINGS_CSV_BYTES // 2**20} MB" in one_line(err)


@pytest.mark.parametrize("kind", BAD)
def test_agreement_of_a_bad_file_is_one_line(tmp_path, capsys, kind):
    path = _bad_files(tmp_path)[kind]
    code, _, err = cli(["agreement", str(path), "--level", "nominal"], capsys)
    assert code == 1
    assert one_line(err).startswith("error: ")


@pytest.mark.parametrize("kind", BAD)
def test_validate_of_a_bad_file_is_one_located_line(tmp_path, capsys, kind):
    path = _bad_files(tmp_path)[kind]
    if kind == "folder":  # a folder named like a content file, inside the folder validated
        (path / "inside.yaml").mkdir()
    code, out, _ = cli(["validate", str(path)], capsys)
    assert code == 1
    line = one_line(out)
    assert ":1:1: " in line, line
    if kind == "folder":
        assert line.endswith("inside.yaml:1:1: a folder, not a file")
    if kind == "huge":
        assert f"the limit is {YAML_BYTES:,}" in line


def test_users_add_reads_a_bounded_password_line(cli_db, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("x" * 10_000_000))
    code, _, err = cli(["users", "add", "newbie", "--role", "trainee", "--password-stdin"], capsys)
    assert code == 1 and "at most 1024 characters" in one_line(err)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["validate", "/dev/zero"], f"larger than the limit of {YAML_BYTES:,} bytes"),
        (["ratings", "import", "/dev/zero"], "larger than the limit of 5 MB"),
        (["agreement", "/dev/zero", "--level", "nominal"], "larger than the limit of 50 MB"),
    ],
)
def test_an_endless_file_is_refused_without_reading_it_all(tmp_path, argv, says):
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "ipt_fidelity", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert says in done.stdout + done.stderr


def test_a_huge_comment_is_refused_by_row(cli_db, tmp_path, capsys):
    path = tmp_path / "ratings.csv"
    comment = "x" * (MAX_TEXT + 1)
    path.write_text(
        HEADER
        + f"trainee,mini-session,mini,focus,3,{comment},\n"
        + "trainee,mini-session,mini,grief_work,na,,\n",
        encoding="utf-8",
    )
    code, _, err = cli(["ratings", "import", str(path)], capsys)
    assert code == 1 and f"row 2: comment has {MAX_TEXT + 1:,} characters" in err
    assert count(cli_db, Rating) == 0


# ---------------------------------------------------------------- lengths, on both databases


@pytest.fixture
def both(any_url: str):
    """A fresh database (SQLite, then PostgreSQL) with the test cast, and its engine."""
    engine = store.make_engine(any_url)
    with store.open_session(engine) as db:
        people = make_people(db)
    yield engine, people
    engine.dispose()


def _refused(engine, call, says: str) -> None:
    with store.open_session(engine) as db, pytest.raises(store.InvalidInput) as refused:
        call(db)
    assert says in str(refused.value)
    assert "could not be reached" not in str(refused.value)


def test_over_long_names_are_refused_before_the_database(both) -> None:
    engine, people = both
    users, cohorts = count(engine, User), count(engine, Cohort)
    _refused(
        engine,
        lambda db: auth.create_user(
            db, people.admin, "longname", "trainee", PASSWORD, display_name="n" * 121
        ),
        "A display name may have at most 120 characters (this one has 121).",
    )
    _refused(
        engine,
        lambda db: store.create_cohort(db, people.admin, "c" * 121),
        "A cohort name may have at most 120 characters (this one has 121).",
    )
    _refused(
        engine,
        lambda db: store.create_cohort(db, people.admin, "fine", description="d" * (MAX_TEXT + 1)),
        f"A cohort description may have at most {MAX_TEXT:,} characters",
    )
    assert (count(engine, User), count(engine, Cohort)) == (users, cohorts)


def test_over_long_upload_fields_are_refused_before_the_database(both) -> None:
    engine, people = both
    upload = {
        "title": "fine",
        "therapist_id": "T-1",
        "phase": "middle",
        "session_number": 3,
        "rubric_id": "mini",
        "turns": [{"n": 1, "speaker": "therapist", "text": "Hello."}],
    }
    for field, limit, label in (
        ("title", 200, "An upload title"),
        ("therapist_id", 80, "A therapist id"),
        ("original_filename", 255, "A file name"),
    ):
        values = {**upload, field: "t" * (limit + 1)}
        _refused(
            engine,
            lambda db, values=values: store.add_imported_session(db, people.sup_a, **values),
            f"{label} may have at most {limit} characters",
        )
    assert count(engine, ImportedSession) == 0


def test_over_long_drill_set_titles_and_notes_are_refused(both) -> None:
    engine, people = both
    lib = mini_library()
    _refused(
        engine,
        lambda db: create_drill_set(
            db, people.sup_a, lib, people.cohort_a, "t" * 121, ["focus"], ["mini-session"]
        ),
        "at most 120 characters",
    )
    _refused(
        engine,
        lambda db: store.record_decision(
            db, people.sup_a, people.trainee.id, "not_yet", note="n" * (MAX_TEXT + 1)
        ),
        f"A decision note may have at most {MAX_TEXT:,} characters",
    )


def test_signing_in_with_an_over_long_username_is_a_plain_failure(both) -> None:
    engine, _ = both
    with (
        store.open_session(engine) as db,
        pytest.raises(auth.SignInFailed, match="Wrong username or password"),
    ):
        auth.authenticate(db, "u" * 500, PASSWORD)


@pytest.mark.parametrize("field", ["display-name", "username"])
def test_users_add_with_an_over_long_name_is_one_line(cli_db, monkeypatch, capsys, field):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    name = "n" * 300
    who, extra = ("newbie", ["--display-name", name]) if field == "display-name" else (name, [])
    argv = ["users", "add", who, "--role", "trainee", "--password-stdin", *extra]
    code, _, err = cli(argv, capsys)
    assert code == 1
    assert "at most 120 characters" in one_line(err) or "2-64 characters" in one_line(err)
    assert count(cli_db, User) == 6


# ---------------------------------------------------------------- page forms


def _submit(at, button: str):
    next(b for b in at.button if b.label == button).click()
    return at.run()


def test_the_cohorts_page_refuses_an_over_long_cohort_name_in_one_line(mini_app, db_url) -> None:
    at = page_test("cohorts", mini_app.admin.id).run()
    at.selectbox(key="cohorts-cohort").select(at.selectbox(key="cohorts-cohort").options[-1])
    at.run()
    at.text_input[0].input("c" * 200)
    at = _submit(at, "Create cohort")
    assert not at.exception
    assert [e.value for e in at.error] == [
        "A cohort name may have at most 120 characters (this one has 200)."
    ]
    assert count(store.make_engine(db_url), Cohort) == 2


def test_the_cohorts_page_refuses_an_over_long_display_name_in_one_line(mini_app, db_url):
    at = page_test("cohorts", mini_app.admin.id).run()
    inputs = {t.label: t for t in at.text_input}
    inputs["Username (lower-case letters, digits, . _ - @)"].input("newbie")
    inputs["Display name"].input("n" * 500)
    at = _submit(at, "Create account")
    assert not at.exception
    assert [e.value for e in at.error] == [
        "A display name may have at most 120 characters (this one has 500)."
    ]
    assert count(store.make_engine(db_url), User) == 6


def test_an_old_over_long_value_does_not_block_an_unrelated_change(db, people) -> None:
    """SQLite stored anything before the check existed: such a row can still be changed."""
    from sqlalchemy import update

    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("only SQLite ever stored an over-long value")

    db.execute(update(User).where(User.id == people.peer.id).values(display_name="n" * 300))
    db.commit()
    auth.set_active(db, people.admin, people.peer.id, False)
    assert db.get(User, people.peer.id).active is False
    with pytest.raises(store.InvalidInput, match="A display name may have at most 120"):
        user = db.get(User, people.peer.id)
        user.display_name = "m" * 301
        db.flush()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_names_the_output(tmp_path, capsys):
    vtt = tmp_path / "t.vtt"
    vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Therapist>Hello.\n")
    code, _, err = cli(["redact", str(vtt), "-o", "/dev/full"], capsys)
    assert code == 2 and one_line(err) == "error: /dev/full: No space left on device"


def test_an_export_into_a_folder_is_one_line(cli_db, tmp_path, capsys):
    code, _, err = cli(["ratings", "export", "-o", str(tmp_path)], capsys)
    assert code == 1 and one_line(err) == f"error: {tmp_path}: Is a directory"
