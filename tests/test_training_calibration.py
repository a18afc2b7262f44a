"""Calibration against the expert and the certification rule, on hand-made ratings."""

from pathlib import Path

import pandas as pd
import pytest

from ipt_fidelity.content.library import load_library
from ipt_fidelity.training.calibration import Calibration, calibrate, paired
from ipt_fidelity.training.certification import formulation_accuracy, standing
from ipt_fidelity.training.reference_rater import reference_scores
from ipt_fidelity.training.settings import CertificationRule, load_settings

MINI = load_library(root=Path(__file__).parent / "data" / "content")


def test_reference_scores_skip_not_applicable():
    refs = reference_scores(MINI)
    assert sorted(refs.itertuples(index=False, name=None)) == [
        ("mini-case-s06", "grief_mourning", 2.0),
        ("mini-case-s06", "pro_cbt", 0.0),
    ]


def test_pairs_drop_missing_scores_and_unknown_items():
    scores = pd.DataFrame(
        {
            "session": ["mini-case-s06"] * 3,
            "item": ["grief_mourning", "pro_cbt", "not_in_key"],
            "score": [1.0, None, 2.0],
        }
    )
    pairs = paired(scores, reference_scores(MINI))
    assert pairs[["item", "score", "reference"]].values.tolist() == [["grief_mourning", 1.0, 2.0]]


def test_calibration_summarises_bias_by_session():
    scores = pd.DataFrame(
        {
            "session": ["mini-case-s06", "mini-case-s06"],
            "item": ["grief_mourning", "pro_cbt"],
            "score": [1.0, 1.0],
            "submitted_at": pd.Timestamp("2026-01-05"),
        }
    )
    result = calibrate(scores, MINI, categories=[0, 1, 2])
    assert result.n_sessions == 1
    row = result.per_session.iloc[0]
    assert (row["bias"], row["mean_abs_diff"], row["exact"]) == (0.0, 1.0, 0.0)
    assert result.overall["n_units"] == 2
    assert result.overall["bias"] == pytest.approx(0.0)


def standing_with(icc: float | None, ci: list[float] | None, bias: float, sessions: int, rule=None):
    calibration = Calibration(
        overall={"icc_a1": {"estimate": icc, "ci95": ci}, "bias": bias},
        per_session=pd.DataFrame(),
        n_sessions=sessions,
    )

    attempts = pd.DataFrame(
        {
            "case": [f"c{i}" for i in range(8)],
            "expert_area": ["grief", "role_dispute", "role_transition", "interpersonal_deficits"]
            * 2,
            "correct": [True] * 7 + [False],
            "counts": True,
        }
    )
    return standing(rule or CertificationRule(), calibration, attempts)


def test_a_calibrated_trainee_is_ready():
    result = standing_with(0.82, [0.70, 0.90], 0.2, sessions=4)
    assert result.ready, [c for c in result.criteria if not c.met]


@pytest.mark.parametrize(
    ("icc", "ci", "bias", "sessions", "failing"),
    [
        (0.82, [0.7, 0.9], 0.2, 3, "calibration sessions"),
        (0.70, [0.6, 0.8], 0.2, 4, "agreement with the expert, ICC(A,1)"),
        (None, None, 0.2, 4, "agreement with the expert, ICC(A,1)"),
        (0.82, [0.7, 0.9], -0.6, 4, "bias against the expert"),
    ],
)
def test_each_rating_criterion_can_fail(icc, ci, bias, sessions, failing):
    result = standing_with(icc, ci, bias, sessions)
    assert [c.name for c in result.criteria if not c.met] == [failing]


def test_lower_bound_rule_judges_the_ci():
    rule = CertificationRule(icc_bound="lower")
    result = standing_with(0.82, [0.70, 0.90], 0.2, sessions=4, rule=rule)
    assert [c.name for c in result.criteria if not c.met] == ["agreement with the expert, ICC(A,1)"]


def test_formulation_criteria_need_cases_accuracy_and_areas():
    attempts = pd.DataFrame(
        {
            "case": ["a", "b", "b"],
            "expert_area": ["grief"] * 3,
            "correct": [True, False, True],
            "counts": [True, True, False],  # the repeat of "b" is practice
        }
    )
    result = standing(CertificationRule(), None, attempts)
    failing = {c.name: c.observed for c in result.criteria if not c.met}
    assert failing["formulated cases (first attempts)"] == "2"
    assert failing["formulation accuracy"] == "50%"
    assert failing["problem areas covered"].startswith("missing role dispute")
    table = formulation_accuracy(attempts)
    assert table.to_dict("records") == [{"expert_area": "grief", "attempts": 2, "accuracy": 0.5}]


def test_settings_file_errors_are_located(tmp_path: Path):
    path = tmp_path / "settings.yaml"
    path.write_text("certification:\n  min_icc: 2\n")
    with pytest.raises(Exception, match=r"settings.yaml:2:\d+: certification.min_icc"):
        load_settings(path)


def test_shipped_settings_hold_the_documented_default():
    rule = load_settings().certification
    assert (rule.min_calibration_sessions, rule.min_icc, rule.max_abs_bias) == (4, 0.75, 0.5)
    assert (rule.min_formulation_cases, rule.min_formulation_accuracy) == (8, 0.8)
