"""The audit pages in AppTest: importing with review and redaction, bad files, the timeline."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from ipt_fidelity.content.importers import MAX_BYTES
from ipt_fidelity.content.library import load_library
from ipt_fidelity.store import (
    NotFound,
    ScoreEntry,
    add_imported_session,
    get_or_create_draft,
    list_assignments,
    list_audit,
    list_imported_sessions,
    list_ratings,
    read_original,
    save_item_score,
    submit_rating,
)
from ipt_fidelity.store.co_raters import assign_co_raters
from tests.apptest import MINI_CONTENT, assert_people_facing, open_store, page_test, page_text

library = load_library(root=MINI_CONTENT)

DATA = Path(__file__).parent / "data"
MINI = DATA / "content"
VTT = DATA / "audit" / "identifiers.vtt"
IDENTIFIERS = ("555-867-5309", "james.carter@example.com", "March 3rd", "Maple Avenue", "Rosa")


@pytest.fixture
def env(mini_app):
    return mini_app


def upload(at, name: str, data: bytes):
    """Put a file in the page's uploader and run."""
    at.file_uploader[0].set_value((name, data, "application/octet-stream"))
    return at.run()


def uploads(db_url, user):
    with open_store(db_url) as db:
        return list_imported_sessions(db, user)


def save(at, therapist: str = "T-014", number: int = 3, keep: bool = False):
    """Fill step 4 and save."""
    form = next(t for t in at.text_input if t.label.startswith("Therapist"))
    form.input(therapist)
    next(t for t in at.text_input if t.label == "Title").input("Week three")
    next(s for s in at.selectbox if s.label == "Phase").set_value("middle")
    next(n for n in at.number_input if n.label == "Session number").set_value(number)
    next(s for s in at.selectbox if s.label == "Rubric").set_value("mini")
    next(c for c in at.checkbox if c.label.startswith("Keep the original")).set_value(keep)
    next(b for b in at.button if b.label == "Save the session").click()
    return at.run()


# ---------------------------------------------------------------- import page


def test_import_page_empty_state(env):
    at = page_test("audit_import", env.sup_a.id).run()
    assert not at.exception
    assert len(at.file_uploader) == 1 and not at.error
    assert "Nothing is stored until you save" in page_text(at)


def test_import_page_refuses_trainees(env):
    at = page_test("audit_import", env.trainee.id).run()
    assert [e.value for e in at.error] == ["This page is not available to your account."]
    assert not at.file_uploader


def test_import_review_redact_and_save(env, db_url):
    at = upload(page_test("audit_import", env.sup_a.id).run(), "call.vtt", VTT.read_bytes())
    assert not at.exception and not at.error
    roles = {s.label: s.value for s in at.selectbox if s.label.startswith("Role of")}
    assert roles == {
        "Role of Dr. Maria Lopez (3 turns)": "therapist",
        "Role of James Carter (3 turns)": "client",
    }
    findings = at.dataframe[0].value
    assert sorted(findings["category"]) == [
        "ADDRESS",
        "DATE",
        "EMAIL",
        "NAME",
        "NAME",
        "NAME",
        "PHONE",
    ]
    assert all(findings["reason"])  # each finding says why it was flagged
    keep = at.multiselect[0]
    assert "DATE · turn 2 · March 3rd" in keep.options
    keep.select("date-2-74-83").run()  # finding ids are stable: category-turn-start-end
    next(t for t in at.text_input if t.label.startswith("Other names")).input("Rosa")
    next(b for b in at.button if b.label == "Add and re-scan").click()
    at.run()
    findings = at.dataframe[0].value
    assert list(findings["text"]).count("Rosa") == 2
    assert at.multiselect[0].value == ["date-2-74-83"]  # the decision survives the re-scan
    preview = "\n".join(m.value for m in at.markdown if "ipt-turns" in m.value)
    assert "[PHONE 1]" in preview and "[NAME 2]" in preview and "March 3rd" in preview
    assert "Rosa" not in preview and "555-867-5309" not in preview
    assert "&lt;script&gt;" in preview and "<script>" not in preview  # shown as text
    at = save(at)
    assert not at.exception and not at.error
    assert "Saved as upload-" in page_text(at)
    [saved] = uploads(db_url, env.sup_a)
    stored = " ".join(t["text"] for t in saved.turns)
    assert "March 3rd" in stored  # the reviewer kept it
    assert all(i not in stored for i in IDENTIFIERS if i != "March 3rd")
    assert {t["speaker"] for t in saved.turns} == {"therapist", "client"}
    assert (saved.therapist_id, saved.phase, saved.session_number) == ("T-014", "middle", 3)
    assert saved.redaction_summary["redacted"] == {
        "ADDRESS": 1,
        "EMAIL": 1,
        "NAME": 3,
        "PHONE": 1,
    }
    assert saved.original_filename is None
    with open_store(db_url) as db:
        log = [(e.action, str(e.details)) for e in list_audit(db, env.admin)]
        with pytest.raises(NotFound, match="not kept"):
            read_original(db, env.sup_a, saved.id)
    actions = [action for action, _ in log]
    assert "upload.add" in actions and "upload.redact" in actions
    details = " ".join(d for _, d in log)
    assert all(i not in details for i in (*IDENTIFIERS, "Maria", "James", "call.vtt"))
    assert not at.file_uploader[0].value  # the uploader starts afresh for the next session


def test_a_missed_identifier_is_added_and_counted_in_the_audit_entry(env, db_url):
    at = upload(page_test("audit_import", env.sup_a.id).run(), "call.vtt", VTT.read_bytes())
    next(t for t in at.text_input if t.label.startswith("A missed identifier")).input("nephew")
    next(s for s in at.selectbox if s.label == "Category").set_value("NAME")
    next(b for b in at.button if b.label == "Add to the redaction").click()
    at.run()
    assert not at.exception and not at.error
    findings = at.dataframe[0].value
    assert list(findings.loc[findings["text"] == "nephew", "reason"]) == ["added by the reviewer"]
    at.multiselect[0].select("date-2-74-83").run()
    preview = "\n".join(m.value for m in at.markdown if "ipt-turns" in m.value)
    assert "nephew" not in preview and "March 3rd" in preview
    at = save(at)
    [saved] = uploads(db_url, env.sup_a)
    assert (saved.redaction_summary["removed"], saved.redaction_summary["added"]) == (1, 1)


def test_plain_whisper_gets_speakers_corrected_turn_by_turn(env, db_url):
    data = (DATA / "transcripts" / "whisper.json").read_bytes()
    at = upload(page_test("audit_import", env.sup_a.id).run(), "call.json", data)
    assert not at.exception and not at.error
    assert "This transcript has no speaker labels" in page_text(at)
    roles = {s.label: s.value for s in at.selectbox if s.label.startswith("Role of")}
    assert roles == {
        "Role of Speaker 1 (2 turns)": "therapist",
        "Role of Speaker 2 (1 turns)": "client",
    }
    edits = {"edited_rows": {2: {"speaker": "Speaker 2"}}, "added_rows": [], "deleted_rows": []}
    at.session_state[at.data_editor[0].key] = edits
    at.run()
    assert not at.exception
    roles = {s.label for s in at.selectbox if s.label.startswith("Role of")}
    assert roles == {"Role of Speaker 1 (1 turns)", "Role of Speaker 2 (2 turns)"}


def test_keeping_the_original_is_explicit(env, db_url):
    at = upload(page_test("audit_import", env.sup_a.id).run(), "call.vtt", VTT.read_bytes())
    save(at, keep=True)
    [saved] = uploads(db_url, env.sup_a)
    with open_store(db_url) as db:
        assert read_original(db, env.sup_a, saved.id) == (VTT.read_bytes(), "call.vtt")


def test_saving_needs_a_therapist_id(env, db_url):
    at = upload(page_test("audit_import", env.sup_a.id).run(), "call.vtt", VTT.read_bytes())
    at = save(at, therapist="  ")
    assert [e.value for e in at.error] == ["Give the therapist's pseudonymous id."]
    assert uploads(db_url, env.sup_a) == []


def test_mapping_needs_a_therapist(env):
    at = upload(page_test("audit_import", env.sup_a.id).run(), "call.vtt", VTT.read_bytes())
    next(s for s in at.selectbox if s.label.startswith("Role of Dr.")).set_value("client")
    at.run()
    assert [e.value for e in at.error] == ["Map at least one speaker to the therapist."]
    assert not [b for b in at.button if b.label == "Save the session"]


def test_a_single_turn_cannot_be_saved(env):
    at = upload(page_test("audit_import", env.sup_a.id).run(), "call.txt", b"Therapist: Hello.\n")
    assert not at.exception
    [error] = at.error
    assert "cannot be saved as a session: turns: List should have at least 2 items" in error.value
    assert not [b for b in at.button if b.label == "Save the session"]


def test_a_new_upload_replaces_the_previous_review(env):
    at = upload(page_test("audit_import", env.sup_a.id).run(), "call.vtt", VTT.read_bytes())
    first = {k for k in at.session_state if str(k).startswith("import-upload-")}
    at = upload(at, "roles.txt", (DATA / "transcripts" / "roles.txt").read_bytes())
    assert not at.exception and not at.error
    now = {k for k in at.session_state if str(k).startswith("import-upload-")}
    assert first and now and not first & now
    assert next(s.label for s in at.selectbox if s.label.startswith("Role of")).startswith(
        "Role of Therapist"
    )


BAD_FILES = {
    "unsupported": ("notes.pdf", b"%PDF-1.7 binary", "unsupported file type '.pdf'"),
    "empty": ("call.vtt", b"", "the file is empty"),
    "blank": ("call.txt", b"  \n\n ", "the file is empty"),
    "binary": ("call.txt", bytes(range(256)) * 8, "binary data"),
    "too large": ("call.txt", b"T: hi\n" * (MAX_BYTES // 6 + 1), "the limit is 5 MB"),
    "corrupt docx": ("call.docx", b"PK\x03\x04 not really a zip", "call.docx"),
    "corrupt json": ("call.json", b'{"segments": [{"start": 0', "call.json"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_get_a_clear_message_and_store_nothing(env, db_url, case):
    name, data, message = BAD_FILES[case]
    at = upload(page_test("audit_import", env.sup_a.id).run(), name, data)
    assert not at.exception
    [error] = at.error
    assert message in error.value.replace("\\", "")  # Markdown escapes
    assert not at.selectbox and not at.button
    assert uploads(db_url, env.sup_a) == []


@pytest.mark.parametrize(
    "data",
    [
        "Therapist: Caf\u00e9 \u2013 tell me more.\nClient: It\u2019s na\u00efve.\n".encode(
            "cp1252"
        ),
        codecs.BOM_UTF16_LE
        + "Therapist: Caf\u00e9 \u2013 tell me more.\nClient: It\u2019s na\u00efve.\n".encode(
            "utf-16-le"
        ),
    ],
    ids=["cp1252", "utf-16"],
)
def test_other_encodings_read_right(env, data):
    at = upload(page_test("audit_import", env.sup_a.id).run(), "call.txt", data)
    assert not at.exception and not at.error
    preview = "\n".join(m.value for m in at.markdown if "ipt-turns" in m.value)
    assert "Caf\u00e9 \u2013 tell me more." in preview and "na\u00efve" in preview


def test_html_and_markdown_in_the_upload_stay_text(env):
    data = (
        b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n"
        b"Therapist: hello <img src=x onerror=alert(1)> **there**\n\n"
        b"2\n00:00:02.000 --> 00:00:03.000\nDr **Evil** X: fine ![i](http://x.example/p.png)\n"
    )
    at = upload(page_test("audit_import", env.sup_a.id).run(), "call.vtt", data)
    assert not at.exception and not at.error
    labels = [s.label for s in at.selectbox if s.label.startswith("Role of")]
    assert labels == ["Role of Therapist (1 turns)", "Role of Dr \\*\\*Evil\\*\\* X (1 turns)"]
    preview = "\n".join(m.value for m in at.markdown if "ipt-turns" in m.value)
    assert "hello &lt;img src=x onerror=alert(1)&gt;" in preview and "<img" not in preview


# ---------------------------------------------------------------- timeline page


def add_upload(db_url, actor, number: int, phase: str = "middle") -> str:
    turns = [
        {"n": 1, "speaker": "therapist", "text": "How was the week?"},
        {"n": 2, "speaker": "client", "text": "I missed him."},
    ]
    with open_store(db_url) as db:
        saved = add_imported_session(
            db,
            actor,
            problem_areas=["grief"],
            redaction_summary={"format": "text", "redacted": {}, "kept": 0, "names_added": 0},
            title=f"Week {number}",
            therapist_id="T-014",
            phase=phase,
            session_number=number,
            rubric_id="mini",
            turns=turns,
        )
        return saved.id


def rate(db_url, rater, session_id: str, scores: dict[str, int]) -> None:
    with open_store(db_url) as db:
        rating = get_or_create_draft(db, rater, library, session_id)
        for item, score in scores.items():
            save_item_score(db, rater, library, rating.id, item, ScoreEntry(score))
        submit_rating(db, rater, library, rating.id)


def test_timeline_refuses_trainees(env):
    at = page_test("timeline", env.trainee.id).run()
    assert [e.value for e in at.error] == ["This page is not available to your account."]


def test_timeline_empty_state(env):
    at = page_test("timeline", env.sup_a.id).run()
    assert not at.exception
    assert "No imported session yet" in page_text(at)


def test_timeline_with_ratings(env, db_url):
    first = add_upload(db_url, env.sup_a, 1)
    second = add_upload(db_url, env.sup_a, 2)
    with open_store(db_url) as db:
        assign_co_raters(db, env.sup_a, first, [env.trainee.id, env.peer.id], "mini")
        assign_co_raters(db, env.sup_a, second, [env.trainee.id], "mini")
    rate(db_url, env.trainee, first, {"grief_mourning": 1, "pro_cbt": 2})  # total (1 + 0) / 2
    rate(db_url, env.peer, first, {"grief_mourning": 2, "pro_cbt": 0})  # total (2 + 2) / 2
    rate(db_url, env.trainee, second, {"grief_mourning": 2, "pro_cbt": 0})  # total 2
    at = page_test("timeline", env.sup_a.id).run()
    assert not at.exception
    assert at.selectbox(key="timeline-therapist").value == "T-014"
    table = at.dataframe[0].value
    assert list(table["session_number"]) == [1, 2]
    assert list(table["raters"]) == [2, 1]
    assert list(table["fidelity"]) == [pytest.approx(1.25), pytest.approx(2.0)]
    assert table["proscribed"][0] == "Cognitive restructuring (up to 2)"
    assert table["proscribed"][1] == ""
    page = page_text(at)
    assert "in 1 session(s): #1" in page
    assert "Latest rated session: 2.00, below the threshold of 2.5" in page
    assert "Trend: rising (+0.75 per audited session)" in page
    assert len(at.get("plotly_chart")) == 1
    agreement = at.dataframe[1].value  # two raters on one session, one on the other
    assert {"sessions", "raters", "ratings", "ICC(A,1)", "note"} <= set(agreement.columns)
    assert set(agreement["note"]) <= {"rests on 2 sessions; needs 5", ""} or all(
        agreement["ICC(A,1)"] == "—"
    )
    assert_people_facing(agreement)


def test_timeline_assigns_co_raters_and_shows_their_agreement(env, db_url):
    session_id = add_upload(db_url, env.sup_a, 1)
    at = page_test("timeline", env.sup_a.id).run()
    assert "No submitted rating of this session yet." in page_text(at)
    chooser = next(m for m in at.multiselect if m.label.startswith("Assign co-raters"))
    assert {o.split(" (")[1].rstrip(")") for o in chooser.options} == {"trainee", "peer"}
    chooser.set_value([env.trainee.id, env.peer.id])
    next(b for b in at.button if b.label == "Assign").click()
    at.run()
    assert not at.exception
    assert "2 co-rater(s) assigned" in page_text(at)
    with open_store(db_url) as db:
        assigned = {a.user_id for a in list_assignments(db, env.sup_a) if a.target_id == session_id}
        assert assigned == {env.trainee.id, env.peer.id}
        assert [u.id for u in list_imported_sessions(db, env.trainee)] == [session_id]
    rate(db_url, env.trainee, session_id, {"grief_mourning": 2, "pro_cbt": 0})
    rate(db_url, env.peer, session_id, {"grief_mourning": 1, "pro_cbt": 0})
    at.run()
    assert not at.exception
    scores = at.dataframe[-2].value
    assert list(scores.columns) == ["peer", "trainee"]
    coefficients = at.dataframe[-1].value
    assert list(coefficients["coefficient"])[:2] == ["ICC(A,1)", "Krippendorff's alpha"]
    assert coefficients["estimate"][2] == "0.50"  # exact agreement on 1 of 2 items
    assert {"items", "raters", "ratings"} <= set(coefficients.columns)
    assert_people_facing(coefficients)


def test_a_co_rater_rates_the_upload_and_sees_only_their_own_until_submitting(env, db_url):
    session_id = add_upload(db_url, env.sup_a, 1)
    with open_store(db_url) as db:
        assign_co_raters(db, env.sup_a, session_id, [env.trainee.id, env.peer.id], "mini")
    rate(db_url, env.peer, session_id, {"grief_mourning": 2, "pro_cbt": 0})
    at = page_test("rate", env.trainee.id).run()
    assert at.selectbox(key="rate-target").value == session_id  # assigned work comes first
    assert not at.exception
    with open_store(db_url) as db:
        seen = {r.rater_id for r in list_ratings(db, env.trainee, session_id=session_id)}
    assert env.peer.id not in seen  # the peer's submitted rating stays hidden
    rate(db_url, env.trainee, session_id, {"grief_mourning": 1, "pro_cbt": 0})
    at.run()
    assert not at.exception
