"""The supervisor's store additions and downloads: cohorts a supervisor opens or edits, exports."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from ipt_fidelity import store
from ipt_fidelity.agreement import agreement_report
from ipt_fidelity.store.errors import Conflict, PermissionDenied
from ipt_fidelity.store.supervision import edit_cohort
from ipt_fidelity.training.dashboard import Scope, build_view
from ipt_fidelity.training.exports import ratings_file, report_table
from ipt_fidelity.training.problem_areas import area_agreement, area_confusion
from tests.test_dashboard import RUBRIC, expert_of, long_ratings


def test_a_supervisor_creates_a_cohort_and_supervises_it(db, people):
    cohort = store.create_cohort(db, people.sup_b, "Night school")
    assert store.is_cohort_supervisor(db, people.sup_b, cohort.id)
    assert not store.is_cohort_supervisor(db, people.sup_a, cohort.id)
    actions = [e.action for e in store.list_audit(db, people.admin)]
    assert "cohort.create" in actions
    with pytest.raises(Conflict):
        store.create_cohort(db, people.sup_a, "Night school")
    with pytest.raises(PermissionDenied):
        store.create_cohort(db, people.trainee, "Trainee's own")


def test_an_admin_creates_a_cohort_without_joining_it(db, people):
    cohort = store.create_cohort(db, people.admin, "Admin's cohort")
    assert store.cohort_members(db, people.admin, cohort.id) == []


def test_only_the_cohorts_supervisors_edit_it(db, people):
    edited = edit_cohort(db, people.sup_a, people.cohort_a, "Cohort A (2026)", "Spring")
    assert (edited.name, edited.description) == ("Cohort A (2026)", "Spring")
    with pytest.raises(PermissionDenied):
        edit_cohort(db, people.sup_b, people.cohort_a, "Taken over", "")
    with pytest.raises(Conflict):
        edit_cohort(db, people.sup_a, people.cohort_a, "Cohort B", "")
    assert "cohort.edit" in [e.action for e in store.list_audit(db, people.admin)]


def test_ratings_files_neutralise_formulas():
    rows = [
        {
            "rater": "ann",
            "session": "s1",
            "rubric": "r",
            "item": "a1",
            "score": "3",
            "comment": '=HYPERLINK("http://evil","x")',
            "evidence": "",
            "rater_role": "trainee",
            "rubric_version": "1.0",
            "submitted_at": "2026-01-01T00:00:00+00:00",
        }
    ]
    text = ratings_file(rows, "csv").decode()
    assert "'=HYPERLINK" in text
    sheet = load_workbook(io.BytesIO(ratings_file(rows, "xlsx"))).active
    assert sheet["F2"].value.startswith("'=") and sheet["E2"].value == 3


def test_the_agreement_report_csv_is_the_engines_report():
    ratings = long_ratings()
    view = build_view(ratings, RUBRIC, expert_of(ratings), Scope(1, "r"))
    table = report_table(view).set_index(["key", "coefficient"])
    engine = agreement_report(
        ratings[["unit", "rater", "item", "score"]], "interval", [0, 1, 2, 3, 4]
    )
    record = engine["items"]["a2"]["coefficients"]["gwet_ac2_quadratic"]
    assert table.loc[("a2", "gwet_ac2_quadratic"), "estimate"] == record["estimate"]
    assert table.loc[("a2", "gwet_ac2_quadratic"), "source"] == record["source"]
    assert ("total", "ICC2") in table.index


def test_problem_area_agreement_and_confusion():
    choices = pd.DataFrame(
        {
            "unit": ["c1", "c1", "c2", "c2"],
            "rater": ["ann", "bob", "ann", "bob"],
            "score": ["grief", "grief", "role_dispute", "role_transition"],
            "expert": ["grief", "grief", "role_dispute", "role_dispute"],
        }
    )
    report = area_agreement(choices)
    assert report["n_units"] == 2 and report["n_raters"] == 2
    assert report["coefficients"]["percent_agreement"]["estimate"] == 0.5
    assert area_agreement(choices, with_expert=True)["n_raters"] == 3
    confusion = area_confusion(choices)
    grief, dispute, transition = 0, 1, 2
    assert confusion["counts"][grief][grief] == 2
    assert confusion["counts"][transition][dispute] == 1  # chosen transition, expert dispute
