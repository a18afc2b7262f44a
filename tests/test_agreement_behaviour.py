"""Behaviour of the agreement engine on real-world data: missing, not applicable, degenerate."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipt_fidelity.agreement import (
    AgreementUndefined,
    agreement_report,
    alpha_estimate,
    icc,
    interpret,
    krippendorff_alpha,
    prepare,
    rater_vs_reference,
    raters_needed,
    raters_vs_reference,
    scale_confusion,
    spearman_brown,
)

TWO_RATER_KEYS = {"cohen_kappa", "scott_pi"}
WEIGHTED_KAPPA_KEYS = {"weighted_kappa_linear", "weighted_kappa_quadratic"}
NOMINAL_KEYS = {
    "percent_agreement",
    "fleiss_kappa",
    "conger_kappa",
    "brennan_prediger",
    "gwet_ac1",
    "krippendorff_alpha",
}
ORDINAL_EXTRA = {"percent_agreement_within_one", "gwet_ac2_linear", "gwet_ac2_quadratic"}
ICC_KEYS = {"ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"}


def frame(rows: list[tuple]) -> pd.DataFrame:
    columns = ["unit", "rater", "score", "item"][: len(rows[0])]
    return pd.DataFrame(rows, columns=columns)


def simulated(n_units: int = 40, n_raters: int = 3, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    true = rng.integers(0, 7, size=(n_units, 1))
    wide = np.clip(true + rng.integers(-1, 2, size=(n_units, n_raters)), 0, 6).astype(float)
    wide[rng.random(wide.shape) < 0.1] = np.nan
    return pd.DataFrame(
        {
            "unit": np.repeat([f"s{i}" for i in range(n_units)], n_raters),
            "rater": np.tile([f"rater{j}" for j in range(n_raters)], n_units),
            "score": wide.ravel(),
        }
    )


def assert_plain_json(value: object) -> None:
    """Only dict/list/str/int/float/bool/None, no NaN or infinity anywhere."""
    if isinstance(value, dict):
        for key, inner in value.items():
            assert isinstance(key, str)
            assert_plain_json(inner)
    elif isinstance(value, list):
        for inner in value:
            assert_plain_json(inner)
    elif isinstance(value, float):
        assert math.isfinite(value)
    else:
        assert value is None or type(value) in (str, int, bool)


@pytest.mark.parametrize(
    ("level", "n_raters", "expected"),
    [
        ("nominal", 3, NOMINAL_KEYS),
        ("nominal", 2, NOMINAL_KEYS | TWO_RATER_KEYS),
        ("ordinal", 3, NOMINAL_KEYS | ORDINAL_EXTRA),
        ("ordinal", 2, NOMINAL_KEYS | ORDINAL_EXTRA | TWO_RATER_KEYS | WEIGHTED_KAPPA_KEYS),
        ("interval", 3, NOMINAL_KEYS | ORDINAL_EXTRA | ICC_KEYS),
        (
            "ratio",
            2,
            NOMINAL_KEYS | ORDINAL_EXTRA | ICC_KEYS | TWO_RATER_KEYS | WEIGHTED_KAPPA_KEYS,
        ),
    ],
)
def test_coefficients_follow_level_and_raters(level: str, n_raters: int, expected: set) -> None:
    report = agreement_report(simulated(n_raters=n_raters), level, list(range(7)), n_boot=50)
    assert set(report["items"]) == {"all"}
    item = report["items"]["all"]
    assert set(item["coefficients"]) == expected
    assert item["n_raters"] == n_raters
    for record in item["coefficients"].values():
        assert {"estimate", "ci95", "interpretation", "source"} <= set(record)
        assert record["estimate"] is not None, record
        assert record["ci95"][0] <= record["estimate"] <= record["ci95"][1]
    assert_plain_json(report)
    json.dumps(report, allow_nan=False)


def test_items_are_reported_separately_and_counts_exclude_missing() -> None:
    rows = [
        (1, "a", 3, "empathy"),
        (1, "b", 3, "empathy"),
        (2, "a", 2, "empathy"),
        (2, "b", None, "empathy"),
        (3, "a", 4, "empathy"),
        (3, "b", "NA", "empathy"),
        (1, "a", 1, "focus"),
        (1, "b", 2, "focus"),
        (2, "a", 2, "focus"),
        (2, "b", 2, "focus"),
    ]
    report = agreement_report(frame(rows), "ordinal", [1, 2, 3, 4], n_boot=0)
    assert set(report["items"]) == {"empathy", "focus"}
    empathy = report["items"]["empathy"]
    assert (empathy["n_units"], empathy["n_raters"], empathy["n_ratings"]) == (3, 2, 4)
    assert report["categories"] == [1, 2, 3, 4]


def test_not_applicable_markers_are_not_values() -> None:
    rows = [(1, "a", "2"), (1, "b", "2"), (2, "a", "N/A"), (2, "b", "3"), (3, "a", " na ")]
    rows += [(3, "b", "1"), (4, "a", ""), (4, "b", "not applicable"), (5, "a", "1")]
    rows += [(5, "b", "1")]
    ratings = prepare(frame(rows), "ordinal")
    assert ratings.n_ratings == 6
    assert ratings.categories == (1, 2, 3)


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        ([(1, "a", 3), (2, "a", 4), (3, "a", 5)], "only one rater"),
        ([(1, "a", 3), (1, "b", 3), (2, "a", 3), (2, "b", 3)], "same"),
        ([(1, "a", 3), (1, "b", 4), (2, "a", 2)], "fewer than two units"),
        ([(1, "a", None), (1, "b", None)], "no ratings"),
    ],
)
def test_degenerate_data_are_undefined_with_a_reason(rows: list, reason: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = agreement_report(frame(rows), "interval", n_boot=100)
    coefficients = report["items"]["all"]["coefficients"]
    undefined = [r for r in coefficients.values() if r["estimate"] is None]
    assert undefined
    for record in undefined:
        assert record["interpretation"] == "undefined"
        assert record["ci95"] is None
        assert record["undefined_reason"]
    assert any(reason in r["undefined_reason"] for r in undefined)
    assert_plain_json(report)


def test_one_category_gives_undefined_kappa_but_defined_ac1() -> None:
    # Kappa's paradox: every rating on one point; AC1 and Brennan-Prediger stay defined
    # because their chance agreement uses the declared scale.
    rows = [(u, r, 2) for u in range(5) for r in ("a", "b", "c")]
    coefficients = agreement_report(frame(rows), "nominal", [1, 2, 3], n_boot=0)["items"]["all"][
        "coefficients"
    ]
    assert coefficients["fleiss_kappa"]["estimate"] is None
    assert "chance agreement is 1" in coefficients["fleiss_kappa"]["undefined_reason"]
    assert coefficients["gwet_ac1"]["estimate"] == 1.0
    assert coefficients["brennan_prediger"]["estimate"] == 1.0
    assert coefficients["krippendorff_alpha"]["estimate"] is None


def test_declared_categories_change_brennan_prediger() -> None:
    data = simulated()
    narrow = agreement_report(data, "nominal", list(range(7)), n_boot=0)
    wide = agreement_report(data, "nominal", list(range(11)), n_boot=0)
    bp = [r["items"]["all"]["coefficients"]["brennan_prediger"]["estimate"] for r in (narrow, wide)]
    pa = narrow["items"]["all"]["coefficients"]["percent_agreement"]["estimate"]
    assert bp[0] == pytest.approx((pa - 1 / 7) / (1 - 1 / 7))
    assert bp[1] == pytest.approx((pa - 1 / 11) / (1 - 1 / 11))


def test_bad_tables_raise_clear_errors() -> None:
    with pytest.raises(ValueError, match="lack column"):
        agreement_report(pd.DataFrame({"unit": [1], "score": [1]}), "nominal")
    with pytest.raises(ValueError, match="must be numbers"):
        agreement_report(frame([(1, "a", "good"), (1, "b", "bad")]), "interval")
    with pytest.raises(ValueError, match="not on the declared scale"):
        agreement_report(frame([(1, "a", 7), (1, "b", 1)]), "ordinal", [1, 2, 3])
    with pytest.raises(ValueError, match="more than once"):
        agreement_report(frame([(1, "a", 1), (1, "a", 2)]), "nominal")
    with pytest.raises(ValueError, match="level"):
        agreement_report(frame([(1, "a", 1)]), "cardinal")
    with pytest.raises(ValueError, match="declared categories"):
        agreement_report(frame([(1, "a", "low"), (1, "b", "high")]), "ordinal")
    with pytest.raises(ValueError, match="negative"):
        agreement_report(frame([(1, "a", -1), (1, "b", 2)]), "ratio")


def test_text_labels_in_declared_order() -> None:
    rows = [
        (u, r, s)
        for u, (x, y) in enumerate([("low", "low"), ("mid", "high")])
        for r, s in (("a", x), ("b", y))
    ]
    rows += [(5, "a", "high"), (5, "b", "high"), (6, "a", "mid"), (6, "b", "mid")]
    ratings = prepare(frame(rows), "ordinal", ["low", "mid", "high"])
    assert ratings.categories == ("low", "mid", "high")
    assert list(ratings.category_values) == [0.0, 1.0, 2.0]


def test_alpha_bootstrap_is_seeded_and_covers_estimate() -> None:
    ratings = prepare(simulated(60, 4), "interval")
    first = alpha_estimate(ratings, "interval", n_boot=500, seed=7)
    again = alpha_estimate(ratings, "interval", n_boot=500, seed=7)
    other = alpha_estimate(ratings, "interval", n_boot=500, seed=8)
    assert first["ci95"] == again["ci95"]
    assert first["ci95"] != other["ci95"]
    assert first["ci95"][0] < first["estimate"] < first["ci95"][1]


def test_alpha_undefined_raises_with_reason() -> None:
    with pytest.raises(AgreementUndefined, match="only one rater"):
        krippendorff_alpha(frame([(1, "a", 1), (2, "a", 2)]), "nominal")


def test_icc_reports_units_used() -> None:
    data = simulated(30, 3)
    result = icc(data)
    wide = data.pivot(index="unit", columns="rater", values="score")
    assert result["n_units_complete"] == int(wide.notna().all(axis=1).sum())
    assert result["n_units"] == 30
    assert set(result["forms"]) == ICC_KEYS


def test_icc_with_perfect_consistency_is_one_without_f() -> None:
    rows = [(u, r, u + bias) for u in range(5) for r, bias in (("a", 0), ("b", 1))]
    forms = icc(frame(rows))["forms"]
    assert forms["ICC3"]["estimate"] == pytest.approx(1.0)
    assert forms["ICC3"]["F"] is None
    assert forms["ICC2"]["estimate"] < 1.0


@pytest.mark.parametrize(
    ("value", "family", "band"),
    [
        (0.49, "icc", "poor reliability"),
        (0.50, "icc", "moderate reliability"),
        (0.75, "icc", "good reliability"),
        (0.90, "icc", "good reliability"),
        (0.91, "icc", "excellent reliability"),
        (-0.1, "kappa", "poor agreement (worse than chance)"),
        (0.20, "kappa", "slight agreement"),
        (0.21, "kappa", "fair agreement"),
        (0.55, "kappa", "moderate agreement"),
        (0.70, "kappa", "substantial agreement"),
        (0.81, "kappa", "almost perfect agreement"),
        (0.800, "alpha", "reliable"),
        (0.667, "alpha", "tentative conclusions only"),
        (0.666, "alpha", "unreliable"),
        (None, "alpha", "undefined"),
    ],
)
def test_interpretation_bands(value: float | None, family: str, band: str) -> None:
    assert interpret(value, family) == band


def test_spearman_brown_and_raters_needed() -> None:
    assert spearman_brown(0.5, 1) == pytest.approx(0.5)
    assert spearman_brown(0.5, 3) == pytest.approx(0.75)
    assert raters_needed(0.5, 0.75) == 3
    assert raters_needed(0.5, 0.76) == 4
    assert raters_needed(0.9, 0.8) == 1
    assert raters_needed(0.0, 0.8) is None
    with pytest.raises(ValueError):
        raters_needed(0.5, 1.0)
    with pytest.raises(ValueError):
        spearman_brown(0.5, 0)


@settings(max_examples=40, deadline=None, database=None)
@given(st.floats(0.01, 0.99), st.floats(0.05, 0.99))
def test_raters_needed_is_the_smallest_panel_reaching_target(r1: float, target: float) -> None:
    k = raters_needed(r1, target)
    assert spearman_brown(r1, k) >= target - 1e-9
    if k > 1:
        assert spearman_brown(r1, k - 1) < target


def test_rater_vs_reference() -> None:
    expert = pd.Series([3, 4, 2, 5, 1, 3, 4], index=list("abcdefg"))
    trainee = pd.Series([4, 4, 3, 5, 2, None, 4], index=list("abcdefg"))
    result = rater_vs_reference(trainee, expert, categories=[1, 2, 3, 4, 5])
    assert result["n_units"] == 6
    assert result["bias"] == pytest.approx(3 / 6)
    assert result["mean_abs_diff"] == pytest.approx(3 / 6)
    assert result["exact_agreement"] == pytest.approx(3 / 6)
    assert result["within_one"] == 1.0
    assert result["icc_a1"]["name"] == "ICC(A,1)"
    assert result["weighted_kappa_quadratic"]["ci95"] is not None
    assert_plain_json(result)


def test_raters_vs_reference_long() -> None:
    data = simulated(20, 3)
    result = raters_vs_reference(data, "rater0")
    assert set(result) == {"rater1", "rater2"}
    assert all(r["n_units"] > 0 for r in result.values())


def test_scale_confusion_pooled_and_pairwise() -> None:
    rows = [(1, "a", 1), (1, "b", 2), (1, "c", 2), (2, "a", 3), (2, "b", 3), (3, "a", 1)]
    pooled = scale_confusion(frame(rows), categories=[1, 2, 3])
    assert pooled["counts"] == [[0, 2, 0], [2, 2, 0], [0, 0, 2]]
    assert pooled["n_units"] == 2
    pair = scale_confusion(frame(rows), categories=[1, 2, 3], rater_a="a", rater_b="b")
    assert pair["counts"] == [[0, 1, 0], [0, 0, 0], [0, 0, 1]]
    assert_plain_json(pooled)


messy_rows = st.lists(
    st.tuples(
        st.integers(0, 6),
        st.sampled_from(["ana", "ben", "cai"]),
        st.one_of(st.integers(0, 3), st.none(), st.sampled_from(["NA", ""])),
        st.sampled_from(["empathy", "focus"]),
    ),
    min_size=1,
    max_size=40,
    unique_by=lambda row: (row[0], row[1], row[3]),
)


@settings(max_examples=40, deadline=None, database=None)
@given(messy_rows, st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_messy_data_never_crash_warn_or_nan(rows: list, level: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = agreement_report(frame(rows), level, [0, 1, 2, 3], n_boot=20)
    assert_plain_json(report)
    for item in report["items"].values():
        for record in item["coefficients"].values():
            assert (record["estimate"] is None) == ("undefined_reason" in record)
