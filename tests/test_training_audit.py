"""Floor-2 audit logic: speaker roles, review and redaction, saving, timeline maths, agreement."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ipt_fidelity.agreement import agreement_report
from ipt_fidelity.content.importers import RoleMappingError, import_bytes, import_file
from ipt_fidelity.content.library import load_library
from ipt_fidelity.store import InvalidInput, list_audit, read_original
from ipt_fidelity.store.targets import uploaded_target
from ipt_fidelity.training.scoring import fidelity_totals
from ipt_fidelity.training.session_agreement import session_agreement
from ipt_fidelity.training.therapist_timeline import (
    proscribed_flags,
    therapist_agreement,
    therapist_ids,
    timeline,
    trend,
)
from ipt_fidelity.training.upload_review import (
    Review,
    apply_roles,
    findings_table,
    save_review,
    suggested_roles,
    upload_rubric,
)

DATA = Path(__file__).parent / "data"
VTT = DATA / "audit" / "identifiers.vtt"
MINI = load_library(root=DATA / "content")
RUBRIC = MINI.rubrics["mini"]  # 0-2 scale; grief_mourning (middle, grief), pro_cbt proscribed


def mapped_vtt():
    transcript = import_file(VTT)
    return apply_roles(transcript, suggested_roles(transcript))


# ---------------------------------------------------------------- roles


def test_role_labels_prefill_and_the_first_named_speaker_is_the_therapist():
    assert suggested_roles(import_file(DATA / "transcripts" / "roles.txt")) == {
        "Therapist": "therapist",
        "Client": "client",
    }
    assert suggested_roles(import_file(VTT)) == {
        "Dr. Maria Lopez": "therapist",
        "James Carter": "client",
    }


def test_roles_need_a_therapist_and_may_have_two():
    transcript = import_file(VTT)
    with pytest.raises(RoleMappingError, match="at least one speaker to the therapist"):
        apply_roles(transcript, {"Dr. Maria Lopez": "client", "James Carter": "client"})
    both = apply_roles(transcript, {"Dr. Maria Lopez": "therapist", "James Carter": "therapist"})
    assert {t.role for t in both.turns} == {"therapist"}  # co-therapy keeps both


def test_unlabelled_turns_are_left_out_and_unlabelled_transcripts_refused():
    whisperx = import_file(DATA / "transcripts" / "whisperx.json")
    mapped = apply_roles(whisperx, {"SPEAKER_00": "therapist", "SPEAKER_01": "client"})
    turns = Review.of(mapped).turns()
    assert [t.speaker for t in turns] == ["therapist", "client", "therapist"]
    assert "And then it got worse." not in " ".join(t.text for t in turns)
    with pytest.raises(RoleMappingError, match="no speaker labels"):
        apply_roles(import_file(DATA / "transcripts" / "whisper.json"), {})


def test_other_speakers_are_left_out():
    data = b"Therapist: Hello.\nInterpreter: She says hello.\nClient: Hello.\nTherapist: Go on.\n"
    transcript = import_bytes(data, "call.txt")
    roles = {"Therapist": "therapist", "Interpreter": "other", "Client": "client"}
    turns = Review.of(apply_roles(transcript, roles)).turns()
    assert [(t.n, t.speaker) for t in turns] == [(1, "therapist"), (2, "client"), (3, "therapist")]


# ---------------------------------------------------------------- review


def test_every_finding_is_redacted_unless_the_reviewer_keeps_it():
    review = Review.of(mapped_vtt())
    table = findings_table(review)
    assert list(table["category"]) == ["NAME", "PHONE", "EMAIL", "NAME", "DATE", "ADDRESS", "NAME"]
    assert table.loc[table["category"] == "PHONE", "context"].item().startswith("…g, James.")
    kept = review.keeping({"date-2-74-83"})
    text = " ".join(t.text for t in kept.turns())
    assert "[PHONE 1]" in text and "[EMAIL 1]" in text and "[ADDRESS 1]" in text
    assert "March 3rd" in text and "555-867-5309" not in text
    assert kept.summary() == {
        "format": "vtt",
        "redacted": {"ADDRESS": 1, "EMAIL": 1, "NAME": 3, "PHONE": 1},
        "kept": 1,
        "names_added": 0,
        "removed": 1,
        "added": 0,
    }


def test_added_names_are_scanned_and_can_be_kept():
    review = Review.of(mapped_vtt(), ("Rosa",))
    rosa = [f for f in review.findings if f.text == "Rosa"]
    assert [f.turn for f in rosa] == [2, 5]
    text = " ".join(t.text for t in review.turns())
    assert "Rosa" not in text and text.count("[NAME ") == 3
    one_kept = review.keeping({rosa[1].id})
    assert " ".join(t.text for t in one_kept.turns()).count("Rosa") == 1


def test_the_summary_holds_counts_only():
    review = Review.of(mapped_vtt(), ("Rosa",))
    summary = str(review.summary())
    assert all(s not in summary for s in ("Rosa", "James", "555", "example.com", "Maple"))


# ---------------------------------------------------------------- save


def test_save_review_stores_the_redacted_session_and_audits_counts(db, people):
    review = Review.of(mapped_vtt(), ("Rosa",))
    saved = save_review(
        db,
        people.sup_a,
        MINI,
        review,
        title="",
        therapist_id=" T-7 ",
        phase="middle",
        session_number=4,
        rubric_id="mini",
        problem_areas=("grief",),
    )
    assert (saved.title, saved.therapist_id, saved.problem_areas) == ("Session 4", "T-7", ["grief"])
    assert saved.original is None and saved.redaction_summary["redacted"]["NAME"] == 3
    entries = {e.action: e.details for e in list_audit(db, people.admin)}
    assert entries["upload.redact"] == {"session_id": saved.id, **review.summary()}
    target = uploaded_target(MINI, saved)
    assert target.areas == {"grief"}
    assert "grief_mourning" in [i.id for i in target.items(RUBRIC)]


def test_save_review_keeps_the_original_only_when_asked(db, people):
    saved = save_review(
        db,
        people.sup_a,
        MINI,
        Review.of(mapped_vtt()),
        title="Week 1",
        therapist_id="T-7",
        phase="initial",
        session_number=1,
        case_id="mini-case",
        original=("call.vtt", VTT.read_bytes()),
    )
    assert read_original(db, people.sup_a, saved.id) == (VTT.read_bytes(), "call.vtt")
    assert uploaded_target(MINI, saved).areas == MINI.cases["mini-case"].key.areas


@pytest.mark.parametrize(
    "change, message",
    [
        ({"therapist_id": ""}, "pseudonymous id"),
        ({"case_id": "no-such-case"}, "No case 'no-such-case'"),
        ({"problem_areas": ("grief", "anger")}, "Unknown problem area"),
        ({"phase": "late"}, "Phase must be one of"),
        ({"rubric_id": None}, "Choose the rubric"),
        ({"rubric_id": "ipt_formulation"}, "No session rubric 'ipt_formulation'"),
        ({"case_id": "mini-case", "rubric_id": "other"}, "rated with rubric 'mini'"),
    ],
)
def test_save_review_refuses_bad_attachments(db, people, change, message):
    fields = {
        "title": "t",
        "therapist_id": "T-7",
        "phase": "middle",
        "session_number": 2,
        "rubric_id": "mini",
    }
    with pytest.raises(InvalidInput, match=message):
        save_review(db, people.sup_a, MINI, Review.of(mapped_vtt()), **(fields | change))


def test_trainees_cannot_save(db, people):
    with pytest.raises(Exception, match="supervisor or an administrator"):
        save_review(
            db,
            people.trainee,
            MINI,
            Review.of(mapped_vtt()),
            title="t",
            therapist_id="T-7",
            phase="middle",
            session_number=2,
        )


# ---------------------------------------------------------------- timeline maths


def scores_frame(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit", "rater", "item", "score"])


SCORES = scores_frame(
    [
        ("s1", "ann", "grief_mourning", 1),
        ("s1", "ann", "pro_cbt", 2),  # proscribed: counts 2 - 2 = 0
        ("s1", "ann", "dispute_stage", np.nan),  # not applicable: left out
        ("s1", "bob", "grief_mourning", 2),
        ("s1", "bob", "pro_cbt", 0),
        ("s2", "ann", "grief_mourning", 2),
        ("s2", "ann", "pro_cbt", 1),
    ]
)


def test_fidelity_total_follows_the_rubric_scoring_rule():
    totals = fidelity_totals(SCORES, RUBRIC).set_index(["unit", "rater"])["score"]
    assert totals.to_dict() == {("s1", "ann"): 0.5, ("s1", "bob"): 2.0, ("s2", "ann"): 1.5}


def test_proscribed_flags_name_the_item_and_the_highest_score():
    flags = proscribed_flags(SCORES, RUBRIC)
    assert flags.to_dict("records") == [
        {
            "unit": "s1",
            "item": "pro_cbt",
            "text": "Cognitive restructuring",
            "highest": 2.0,
            "raters": 1,
        }
    ]
    assert len(proscribed_flags(SCORES, RUBRIC, at_least=1)) == 2


class Upload:
    """A stand-in for a stored upload (the fields the timeline reads)."""

    def __init__(self, id: str, number: int, phase: str, therapist: str = "T-1"):
        self.id, self.session_number, self.phase = id, number, phase
        self.therapist_id, self.title, self.created_at = therapist, f"Week {number}", number


def test_timeline_orders_sessions_and_averages_raters():
    uploads = [Upload("s2", 2, "middle"), Upload("s1", 1, "initial"), Upload("s3", 3, "middle")]
    frame = timeline(uploads, SCORES, RUBRIC, threshold=1.5)
    assert list(frame["session_id"]) == ["s1", "s2", "s3"]
    assert list(frame["raters"]) == [2, 1, 0]
    assert frame["fidelity"].tolist()[:2] == [1.25, 1.5] and np.isnan(frame["fidelity"][2])
    assert list(frame["below_threshold"]) == [True, False, False]
    assert list(frame["proscribed"]) == ["Cognitive restructuring (up to 2)", "", ""]
    assert therapist_ids([*uploads, Upload("x", 1, "initial", "A-2")]) == ["A-2", "T-1"]


def test_trend_is_the_least_squares_slope_against_the_threshold():
    frame = pd.DataFrame({"order": [1, 2, 3, 4], "fidelity": [1.0, np.nan, 2.0, 3.0]})
    result = trend(frame, threshold=2.5)
    assert result.slope == pytest.approx(np.polyfit([1, 3, 4], [1.0, 2.0, 3.0], 1)[0])
    assert (result.rated, result.latest, result.below) == (3, 3.0, 2)
    assert "at or above the threshold of 2.5; 2 of 3" in result.sentence()
    assert "rising" in result.sentence()
    assert trend(frame.iloc[:1], 2.5).slope is None
    assert "No session" in trend(frame.iloc[1:2], 2.5).sentence()


# ---------------------------------------------------------------- agreement


def test_session_agreement_uses_the_items_as_units():
    one = SCORES[SCORES["unit"] == "s1"]
    view = session_agreement(one, RUBRIC)
    assert list(view.scores.index) == ["grief_mourning", "dispute_stage", "pro_cbt"]
    assert view.totals.to_dict() == {"ann": 0.5, "bob": 2.0}
    long = pd.DataFrame({"unit": one["item"], "rater": one["rater"], "score": one["score"]})
    expected = agreement_report(long, "interval", categories=[0, 1, 2], n_boot=500)
    assert view.report == expected["items"]["all"]
    assert view.report["coefficients"]["percent_agreement"]["estimate"] == 0.0
    assert session_agreement(one[one["rater"] == "ann"], RUBRIC).report is None


def test_therapist_agreement_per_item_and_on_the_total():
    scores = scores_frame(
        [
            (unit, rater, item, score)
            for unit, a, b in (("s1", 2, 2), ("s2", 1, 2), ("s3", 0, 0))
            for rater, score in (("ann", a), ("bob", b))
            for item in ("grief_mourning",)
        ]
    )
    table = therapist_agreement(scores, RUBRIC).set_index("item")
    assert list(table.index) == ["Facilitates mourning", "Fidelity total"]
    expected = agreement_report(scores, "interval", categories=[0, 1, 2], n_boot=0)
    icc = expected["items"]["grief_mourning"]["coefficients"]["ICC2"]["estimate"]
    assert table.at["Facilitates mourning", "ICC(A,1)"] == f"{icc:.2f}"
    assert table.at["Fidelity total", "sessions"] == 3
    # three sessions: shown with its counts, marked as too few to judge
    assert table.at["Fidelity total", "note"] == "rests on 3 sessions; needs 5"
    assert table.at["Facilitates mourning", "ratings"] == 6
    assert therapist_agreement(scores[scores["rater"] == "ann"], RUBRIC) is None


def test_an_upload_is_rated_with_its_case_rubric_else_the_chosen_one():
    assert upload_rubric(MINI, "mini-case", None) == "mini"
    assert upload_rubric(MINI, None, "mini") == "mini"


def test_added_spans_are_redacted_and_counted():
    review = Review.of(mapped_vtt()).adding("nephew", "NAME").keeping({"date-2-74-83"})
    text = " ".join(t.text for t in review.turns())
    assert "nephew" not in text and "March 3rd" in text
    assert (review.summary()["removed"], review.summary()["added"]) == (1, 1)
    with pytest.raises(ValueError, match="'niece' does not occur"):
        review.adding("niece", "NAME")
