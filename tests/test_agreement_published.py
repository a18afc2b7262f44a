"""Published worked examples: every expected number below is printed in the cited source."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ipt_fidelity.agreement import (
    agreement_report,
    bias_matrix,
    bland_altman,
    icc,
    krippendorff_alpha,
    prepare,
    rater_vs_reference,
)
from ipt_fidelity.agreement.gwet import brennan_prediger, fleiss_kappa, gwet_ac
from ipt_fidelity.agreement.kappa import cohen_kappa, scott_pi


def long_from_wide(wide: np.ndarray) -> pd.DataFrame:
    """Units in rows, raters in columns (NaN = not rated) to long ratings."""
    n, k = wide.shape
    return pd.DataFrame(
        {
            "unit": np.repeat(np.arange(n), k),
            "rater": np.tile([f"r{j}" for j in range(k)], n),
            "score": wide.ravel(),
        }
    )


def long_from_table(table: np.ndarray) -> pd.DataFrame:
    """A two-rater contingency table (rows rater A, columns rater B, scale 1..q) to long."""
    rows = []
    unit = 0
    for i, j in np.ndindex(table.shape):
        for _ in range(int(table[i, j])):
            rows += [(unit, "A", i + 1), (unit, "B", j + 1)]
            unit += 1
    return pd.DataFrame(rows, columns=["unit", "rater", "score"])


# Shrout & Fleiss (1979), Table 2: six targets rated by four judges.
SHROUT_FLEISS = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
    dtype=float,
)


def test_shrout_fleiss_table_2_six_iccs() -> None:
    # Shrout & Fleiss (1979), Table 4: .17, .29, .71, .44, .62, .91.
    forms = icc(long_from_wide(SHROUT_FLEISS))["forms"]
    published = {
        "ICC1": 0.17,
        "ICC2": 0.29,
        "ICC3": 0.71,
        "ICC1k": 0.44,
        "ICC2k": 0.62,
        "ICC3k": 0.91,
    }
    for key, value in published.items():
        assert forms[key]["estimate"] == pytest.approx(value, abs=0.005), key
    # Table 3 of the paper: F = BMS / WMS = 1.79 and BMS / EMS = 11.03.
    assert forms["ICC1"]["F"] == pytest.approx(1.79, abs=0.005)
    assert forms["ICC3"]["F"] == pytest.approx(11.03, abs=0.005)
    assert (forms["ICC3"]["df1"], forms["ICC3"]["df2"]) == (5, 15)


# Fleiss (1971), Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses (as in R irr's
# `diagnoses`, rater order within a patient immaterial).
FLEISS_1971 = np.array(
    [
        [4, 4, 4, 4, 4, 4],
        [2, 2, 2, 5, 5, 5],
        [2, 3, 3, 3, 3, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4],
        [1, 1, 3, 3, 3, 3],
        [3, 3, 3, 3, 5, 5],
        [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4],
        [5, 5, 5, 5, 5, 5],
        [1, 4, 4, 4, 4, 4],
        [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3],
        [1, 4, 4, 4, 4, 4],
        [2, 2, 4, 4, 4, 5],
        [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5],
        [1, 1, 1, 1, 1, 2],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 4, 4, 4, 4, 4],
        [2, 2, 4, 5, 5, 5],
        [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5],
        [2, 2, 2, 2, 2, 4],
        [1, 1, 1, 1, 5, 5],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3],
        [5, 5, 5, 5, 5, 5],
    ],
    dtype=float,
)


def test_fleiss_1971_diagnoses_kappa() -> None:
    # Fleiss (1971), p. 381: kappa = .430.
    record = fleiss_kappa(prepare(long_from_wide(FLEISS_1971), "nominal"))
    assert record["estimate"] == pytest.approx(0.430, abs=0.0005)
    assert record["band"] == "moderate agreement"  # the point estimate's band
    assert record["interpretation"] == "fair to moderate agreement"  # read on the 95% CI


# Krippendorff (2011, "Computing Krippendorff's alpha-reliability"), section C: 4 observers,
# 12 units, missing values; the same data are Gwet's (2014) `cac.raw4raters`.
KRIPPENDORFF = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
        [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
    ]
)


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_worked_example(level: str, published: float) -> None:
    data = long_from_wide(KRIPPENDORFF.T)
    assert krippendorff_alpha(data, level) == pytest.approx(published, abs=0.0005)


def test_gwet_handbook_raw4raters() -> None:
    # Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., ch. 2-4, reproduced in the
    # irrCAC documentation: AC1 = 0.77544 (SE 0.14295, 95% CI 0.46081 to 1), Fleiss'
    # generalised kappa = 0.76117 (SE 0.15302), percent agreement 0.81818.
    ratings = prepare(long_from_wide(KRIPPENDORFF.T), "nominal", [1, 2, 3, 4, 5])
    ac1 = gwet_ac(ratings)
    assert ac1["estimate"] == pytest.approx(0.77544, abs=5e-6)
    assert ac1["se"] == pytest.approx(0.14295, abs=5e-6)
    assert ac1["ci95"][0] == pytest.approx(0.46081, abs=5e-6)
    assert ac1["ci95"][1] == 1.0
    assert ac1["pa"] == pytest.approx(0.81818, abs=5e-6)
    fleiss = fleiss_kappa(ratings)
    assert fleiss["estimate"] == pytest.approx(0.76117, abs=5e-6)
    assert fleiss["se"] == pytest.approx(0.15302, abs=5e-6)


# Gwet (2014), ch. 2, `cont3x3abstractors`: two abstractors, 100 pregnancies, 3 categories.
ABSTRACTORS = np.array([[13, 0, 0], [0, 20, 7], [0, 4, 56]])


def test_gwet_abstractors_cohen_and_scott() -> None:
    # Published in the irrCAC vignette: Cohen's kappa 0.7964094 (SE 0.05891072), Scott's pi
    # 0.7962397 (SE 0.05905473), Brennan-Prediger 0.835.
    ratings = prepare(long_from_table(ABSTRACTORS), "nominal")
    kappa = cohen_kappa(ratings)
    assert kappa["estimate"] == pytest.approx(0.7964094, abs=5e-8)
    assert kappa["se"] == pytest.approx(0.05891072, abs=5e-8)
    pi = scott_pi(ratings)
    assert pi["estimate"] == pytest.approx(0.7962397, abs=5e-8)
    assert pi["se"] == pytest.approx(0.05905473, abs=5e-8)
    assert brennan_prediger(ratings)["estimate"] == pytest.approx(0.835, abs=5e-4)


# Cohen (1968), Table 1: two judges, N = 200 cases, three diagnoses (rows Judge B, columns
# Judge A), with Cohen's ratio-scaled disagreement weights v.
COHEN_1968 = np.array([[88, 10, 2], [14, 40, 6], [18, 10, 12]])
COHEN_1968_V = np.array([[0, 1, 3], [1, 0, 6], [3, 6, 0]], dtype=float)


def test_cohen_1968_weighted_kappa() -> None:
    # Cohen (1968, p. 214-215): kappa = .492, weighted kappa = .348 (q'_o = .90, q'_c =
    # 1.38); the Fleiss-Cohen-Everitt (1969) SE of weighted kappa on these data is .0755
    # (Kelley, DMAR weighted-kappa vignette). Agreement weights are 1 - v / max(v).
    ratings = prepare(long_from_table(COHEN_1968), "nominal")
    assert cohen_kappa(ratings)["estimate"] == pytest.approx(0.492, abs=0.0005)
    weighted = cohen_kappa(ratings, 1.0 - COHEN_1968_V / COHEN_1968_V.max())
    assert weighted["estimate"] == pytest.approx(0.348, abs=0.0005)
    assert weighted["se"] == pytest.approx(0.0755, abs=0.00005)
    assert 1 - weighted["po"] == pytest.approx(0.90 / 6)
    assert 1 - weighted["pe"] == pytest.approx(1.38 / 6)


def test_fleiss_levin_paik_unweighted_kappa_example() -> None:
    # Fleiss (1981, Statistical Methods for Rates and Proportions, ch. 13) 3x3 example with
    # proportions .53 .05 .02 / .11 .14 .05 / .01 .06 .03: kappa = .429.
    table = np.array([[53, 5, 2], [11, 14, 5], [1, 6, 3]])
    record = cohen_kappa(prepare(long_from_table(table), "nominal"))
    assert record["estimate"] == pytest.approx(0.429, abs=0.0005)


def test_report_carries_published_numbers_through() -> None:
    report = agreement_report(long_from_wide(KRIPPENDORFF.T), "interval", [1, 2, 3, 4, 5])
    item = report["items"]["all"]
    coefficients = item["coefficients"]
    assert coefficients["krippendorff_alpha"]["estimate"] == pytest.approx(0.849, abs=5e-4)
    assert coefficients["gwet_ac1"]["estimate"] == pytest.approx(0.77544, abs=5e-6)
    assert item["n_units"] == 12
    assert item["n_ratings"] == 41  # 9 + 11 + 10 + 11 values
    assert coefficients["ICC1"]["n_units_complete"] == 8  # units 2-9 have all four values


def test_bland_altman_1986_peak_flow_example():
    """Bland & Altman (1986), Lancet i:307-310, Table 1: Wright vs mini Wright peak flow meter,
    17 subjects (first readings): mean difference -2.1 l/min, SD of differences 38.8."""
    wright = [494, 395, 516, 434, 476, 557, 413, 442, 650, 433, 417, 656, 267, 478, 178, 423, 427]
    mini = [512, 430, 520, 428, 500, 600, 364, 380, 658, 445, 432, 626, 260, 477, 259, 350, 451]
    result = bland_altman(wright, mini)
    assert result["n"] == 17
    assert round(result["bias"], 1) == -2.1
    assert round(result["sd"], 1) == 38.8
    assert result["low"] == pytest.approx(result["bias"] - 1.96 * result["sd"])
    assert result["high"] == pytest.approx(result["bias"] + 1.96 * result["sd"])


def test_bland_altman_needs_two_pairs():
    result = bland_altman([3, None], [2, 4])
    assert (result["n"], result["bias"], result["low"]) == (1, 1.0, None)
    assert "at least two" in result["undefined_reason"]


def test_bias_matrix_is_the_per_item_bias_of_rater_vs_reference():
    rng = np.random.default_rng(3)
    pairs = pd.DataFrame(
        {
            "rater": rng.choice(["a", "b", "c"], 300),
            "item": rng.choice(["x", "y"], 300),
            "score": rng.integers(0, 5, 300).astype(float),
            "reference": rng.integers(0, 5, 300).astype(float),
        }
    )
    pairs.loc[rng.choice(300, 30, replace=False), "score"] = np.nan
    matrix = bias_matrix(pairs)
    for (rater, item), group in pairs.groupby(["rater", "item"]):
        expected = rater_vs_reference(group["score"].to_numpy(), group["reference"].to_numpy())
        assert matrix.loc[rater, item] == pytest.approx(expected["bias"], abs=1e-12)
