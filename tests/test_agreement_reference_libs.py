"""Property tests against the reference libraries on random data with missing ratings.

Each test compares with an independent implementation where the definitions agree, to 1e-9:
irrCAC (Gwet's family with his variance), krippendorff (alpha), pingouin (ICC), scikit-learn
(Cohen's and weighted kappa) and statsmodels (Fleiss' kappa, Cohen's kappa with the
Fleiss-Cohen-Everitt standard error).
"""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pingouin
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from irrCAC.raw import CAC
from irrCAC.table import CAC as TableCAC
from scipy.stats import norm
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from ipt_fidelity.agreement import icc, icc_forms, krippendorff_alpha, prepare
from ipt_fidelity.agreement.gwet import (
    brennan_prediger,
    conger_kappa,
    fleiss_kappa,
    gwet_ac,
    percent_agreement,
)
from ipt_fidelity.agreement.kappa import cohen_kappa, paired_table, scott_pi

TOL = 1e-9
SETTINGS = settings(max_examples=40, deadline=None, database=None)


def assert_se_close(ours: float, theirs: float) -> None:
    """Standard errors agree to 1e-9, or both variances are zero up to rounding.

    At perfect (or maximal) agreement the variance is a difference of nearly equal terms, so a
    variance of 1e-15 (rounding) becomes an SE near 3e-8 after the square root, and a variance of
    -1e-16 becomes NaN in a library that does not clip it at zero (we do; docs/agreement.md).
    """
    if np.isnan(theirs):
        assert ours**2 <= 1e-12, "a NaN reference SE comes only from a rounding-negative variance"
        return
    assert abs(ours - theirs) <= TOL or abs(ours**2 - theirs**2) <= 1e-12


def random_wide(seed: int, n: int, k: int, q: int, missing: float) -> np.ndarray:
    """Units x raters matrix on the scale 1..q with correlated raters and NaN holes."""
    rng = np.random.default_rng(seed)
    true = rng.integers(1, q + 1, size=(n, 1))
    noise = rng.integers(-1, 2, size=(n, k)) * (rng.random((n, k)) < 0.4)
    wide = np.clip(true + noise, 1, q).astype(float)
    wide[rng.random((n, k)) < missing] = np.nan
    return wide


def to_long(wide: np.ndarray) -> pd.DataFrame:
    n, k = wide.shape
    return pd.DataFrame(
        {
            "unit": np.repeat(np.arange(n), k),
            "rater": np.tile(np.arange(k), n),
            "score": wide.ravel(),
        }
    )


def usable(wide: np.ndarray) -> bool:
    """Two units with two ratings, every rater rating, and two values on pairable units."""
    rated = ~np.isnan(wide)
    pairable = rated.sum(axis=1) >= 2
    values = np.unique(wide[pairable][rated[pairable]])
    return bool(pairable.sum() >= 2 and rated.any(axis=0).all() and values.size >= 2)


shapes = st.tuples(
    st.integers(0, 2**32 - 1),
    st.integers(4, 40),
    st.integers(2, 6),
    st.integers(2, 6),
    st.sampled_from([0.0, 0.15, 0.35]),
)


@SETTINGS
@given(shapes, st.sampled_from(["identity", "linear", "quadratic"]))
def test_gwet_family_matches_irrcac(shape: tuple, weights: str) -> None:
    wide = random_wide(*shape)
    assume(usable(wide))
    q = shape[3]
    categories = [float(c) for c in range(1, q + 1)]
    ratings = prepare(to_long(wide), "ordinal", categories)
    frame = pd.DataFrame(wide)
    reference = CAC(frame, weights=weights, categories=categories, digits=15)
    pairs = [
        (fleiss_kappa, reference.fleiss),
        (gwet_ac, reference.gwet),
        (brennan_prediger, reference.bp),
        (conger_kappa, reference.conger),
    ]
    for ours_fn, theirs_fn in pairs:
        ours = ours_fn(ratings, weights)
        theirs = theirs_fn()["est"]
        if ours["estimate"] is None:
            assert abs(1 - theirs["pe"]) < 1e-9
            continue
        assert ours["estimate"] == pytest.approx(theirs["coefficient_value"], abs=TOL)
        assert_se_close(ours["se"], theirs["se"])
        assert ours["pa"] == pytest.approx(theirs["pa"], abs=TOL)


@SETTINGS
@given(shapes, st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_alpha_matches_krippendorff(shape: tuple, level: str) -> None:
    wide = random_wide(*shape)
    assume(usable(wide))
    categories = list(range(1, shape[3] + 1))
    ours = krippendorff_alpha(to_long(wide), level, categories)
    theirs = krippendorff.alpha(
        wide.T, level_of_measurement=level, value_domain=np.asarray(categories, float)
    )
    assert ours == pytest.approx(float(theirs), abs=TOL)


def pingouin_icc(data: pd.DataFrame) -> pd.DataFrame:
    """pingouin's ICC table with its CI95 column left unrounded."""
    saved = pingouin.options.get("round.column.CI95")
    pingouin.options["round.column.CI95"] = None
    try:
        return pingouin.intraclass_corr(
            data, targets="unit", raters="rater", ratings="score", nan_policy="omit"
        ).set_index("Type")
    finally:
        pingouin.options["round.column.CI95"] = saved


@SETTINGS
@given(
    st.integers(0, 2**32 - 1),
    st.integers(3, 30),
    st.integers(2, 8),
    st.sampled_from([0.0, 0.1]),
)
@example(seed=362, n=3, k=2, missing=0.0)  # pingouin's interval has a NaN bound here
def test_icc_matches_pingouin(seed: int, n: int, k: int, missing: float) -> None:
    rng = np.random.default_rng(seed)
    wide = rng.normal(size=(n, 1)) + rng.normal(0, 0.5, size=(1, k)) + rng.normal(size=(n, k))
    wide[rng.random((n, k)) < missing] = np.nan
    data = to_long(wide)
    complete = ~np.isnan(wide).any(axis=1)
    assume(complete.sum() >= 3)
    # the ANOVA path with listwise deletion (what pingouin does); icc() itself switches to
    # REML when a cell is missing (checked against lme4 in test_agreement_reml.py)
    ours = icc_forms(prepare(data, "interval"), method="anova")
    assert ours["n_units_complete"] == int(complete.sum())
    assert icc(data, n_boot=0)["method"] == ("anova" if complete.all() else "reml")
    theirs = pingouin_icc(data.dropna())
    names = {"ICC1": "ICC(1,1)", "ICC2": "ICC(A,1)", "ICC3": "ICC(C,1)"}
    names |= {"ICC1k": "ICC(1,k)", "ICC2k": "ICC(A,k)", "ICC3k": "ICC(C,k)"}
    for key, name in names.items():
        mine, row = ours["forms"][key], theirs.loc[name]
        assert mine["name"] == name
        assert mine["estimate"] == pytest.approx(row["ICC"], abs=TOL)
        assert mine["F"] == pytest.approx(row["F"], rel=TOL)
        assert mine["p_value"] == pytest.approx(row["pval"], abs=TOL)
        assert (mine["df1"], mine["df2"]) == (row["df1"], row["df2"])
        if np.isnan(row["CI95"]).any():  # pingouin's NaN bound is our undefined interval
            assert mine["ci95"] is None and "undefined" in mine["ci_note"]
        else:
            assert mine["ci95"] == pytest.approx(list(row["CI95"]), abs=TOL)


def two_raters(shape: tuple) -> tuple[np.ndarray, pd.DataFrame]:
    seed, n, _, q, missing = shape
    wide = random_wide(seed, n, 2, q, missing)
    return wide, to_long(wide)


@SETTINGS
@given(shapes, st.sampled_from([None, "linear", "quadratic"]))
@example((30, 4, 2, 2, 0.35), None)  # one rater uses one point: statsmodels' SE is NaN
def test_cohen_kappa_matches_sklearn_and_statsmodels(shape: tuple, weights: str | None) -> None:
    wide, data = two_raters(shape)
    both = ~np.isnan(wide).any(axis=1)
    assume(both.sum() >= 2 and np.unique(wide[both]).size >= 2)
    q = shape[3]
    ratings = prepare(data, "ordinal", list(range(1, q + 1)))
    ours = cohen_kappa(ratings, weights or "identity")
    a, b = wide[both, 0], wide[both, 1]
    assume(len(np.unique(a)) > 1 or len(np.unique(b)) > 1)
    expected = cohen_kappa_score(a, b, labels=list(range(1, q + 1)), weights=weights)
    assert ours["estimate"] == pytest.approx(expected, abs=TOL)
    table = paired_table(ratings)
    sm = cohens_kappa(table, wt=weights) if weights else cohens_kappa(table)
    assert ours["estimate"] == pytest.approx(sm.kappa, abs=TOL)
    # statsmodels takes the square root of its variance as it is; when one rater uses a single
    # scale point the variance is zero up to rounding (-3e-16 seen) and its SE becomes NaN. We
    # clip the variance at zero (documented), so compare on that convention.
    assert sm.var_kappa > -1e-12
    sm_se = float(np.sqrt(max(sm.var_kappa, 0.0)))
    assert_se_close(ours["se"], sm_se)
    z = norm.ppf(0.975)
    # 1e-6: the interval inherits the SE's rounding at perfect agreement (assert_se_close)
    assert ours["ci95"][0] == pytest.approx(max(-1.0, sm.kappa - z * sm_se), abs=1e-6)
    assert ours["ci95"][1] == pytest.approx(min(1.0, sm.kappa + z * sm_se), abs=1e-6)


@SETTINGS
@given(shapes, st.sampled_from(["identity", "linear", "quadratic"]))
@example((337, 5, 2, 3, 0.15), "linear")  # maximal disagreement: irrCAC's SE is NaN
def test_scott_pi_matches_irrcac_table(shape: tuple, weights: str) -> None:
    wide, data = two_raters(shape)
    both = ~np.isnan(wide).any(axis=1)
    assume(both.sum() >= 2 and np.unique(wide[both]).size >= 2)
    q = shape[3]
    ratings = prepare(data, "ordinal", list(range(1, q + 1)))
    table = pd.DataFrame(paired_table(ratings))
    theirs = TableCAC(table, weights=weights, digits=15).scott()["est"]
    ours = scott_pi(ratings, weights)
    assert ours["estimate"] == pytest.approx(theirs["coefficient_value"], abs=TOL)
    assert_se_close(ours["se"], theirs["se"])


@SETTINGS
@given(shapes)
def test_fleiss_kappa_matches_statsmodels_on_complete_data(shape: tuple) -> None:
    seed, n, k, q, _ = shape
    wide = random_wide(seed, n, k, q, 0.0)
    assume(np.unique(wide).size >= 2)
    ours = fleiss_kappa(prepare(to_long(wide), "nominal"))
    counts, _ = aggregate_raters(wide.astype(int))
    assert ours["estimate"] == pytest.approx(sm_fleiss_kappa(counts, method="fleiss"), abs=TOL)


@SETTINGS
@given(shapes)
def test_scott_pi_equals_fleiss_kappa_for_two_complete_raters(shape: tuple) -> None:
    seed, n, _, q, _ = shape
    wide = random_wide(seed, n, 2, q, 0.0)
    assume(np.unique(wide).size >= 2)
    ratings = prepare(to_long(wide), "nominal")
    assert scott_pi(ratings)["estimate"] == pytest.approx(
        fleiss_kappa(ratings)["estimate"], abs=TOL
    )


@SETTINGS
@given(shapes)
def test_percent_agreement_matches_irrcac(shape: tuple) -> None:
    wide = random_wide(*shape)
    assume(usable(wide))
    ratings = prepare(to_long(wide), "nominal")
    theirs = CAC(pd.DataFrame(wide), digits=15).bp()["est"]["pa"]
    assert percent_agreement(ratings)["estimate"] == pytest.approx(theirs, abs=TOL)
