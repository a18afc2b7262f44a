"""Benchmark of the agreement engine against the reference libraries, on the same data.

- ICC, six forms with F tests and CIs: ``ipt_fidelity.agreement.icc`` against
  ``pingouin.intraclass_corr`` at 20,000 ratings (1,000 sessions x 20 raters).
- Krippendorff's alpha from long records: ``krippendorff_alpha`` against a pandas pivot plus
  ``krippendorff.alpha`` at 1,000,000 ratings (50,000 sessions x 20 raters, 10% missing).
- A full ``agreement_report`` (interval level, 1,000 bootstrap replicates) for 30 items x
  20,000 ratings each (10% missing, so the ICCs are REML with parametric-bootstrap intervals).
- REML ICCs of incomplete designs: point estimates of 30 items x 20,000 ratings (1,000
  sessions x 20 raters, 10% missing; both the crossed and the one-way fit) against the ANOVA
  path on the same-sized complete items, and one item's REML fit against
  ``statsmodels`` ``MixedLM`` (crossed variance components, REML) on 1,800 ratings (100
  sessions x 20 raters; MixedLM's dense design makes 20,000 ratings impractical). Also one
  item's 1,000-replicate parametric bootstrap.

Prints JSON with median seconds over several repeats and the speed-up ratios (reference time
divided by ours). ``--json`` prints only the JSON.

    python bench/agreement.py [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import krippendorff
import numpy as np
import pandas as pd
import pingouin
import statsmodels.formula.api as smf

from ipt_fidelity.agreement import agreement_report, icc, krippendorff_alpha, prepare
from ipt_fidelity.agreement.reml import reml_iccs

SCALE = list(range(7))  # a 0-6 rubric
FORM_KEYS = ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]


def ratings(n_units: int, n_raters: int, missing: float, seed: int) -> pd.DataFrame:
    """Long ratings on the 0-6 scale: session effect + rater bias + noise, some missing."""
    rng = np.random.default_rng(seed)
    true = rng.normal(3.0, 1.2, size=(n_units, 1))
    bias = rng.normal(0.0, 0.4, size=(1, n_raters))
    score = np.clip(np.rint(true + bias + rng.normal(0.0, 0.8, (n_units, n_raters))), 0, 6)
    score[rng.random(score.shape) < missing] = np.nan
    return pd.DataFrame(
        {
            "unit": np.repeat(np.arange(n_units), n_raters),
            "rater": np.tile(np.arange(n_raters), n_units),
            "score": score.ravel(),
        }
    )


def median_time(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def bench_icc() -> dict:
    data = ratings(1_000, 20, 0.0, seed=1)
    ours_s, ours = median_time(lambda: icc(data), 15)
    ref_s, ref = median_time(
        lambda: pingouin.intraclass_corr(data, targets="unit", raters="rater", ratings="score"), 5
    )
    diff = max(
        abs(ours["forms"][key]["estimate"] - value)
        for key, value in zip(FORM_KEYS, ref["ICC"], strict=True)
    )
    return {
        "n_ratings": len(data),
        "ours_median_s": ours_s,
        "pingouin_median_s": ref_s,
        "ratio": ref_s / ours_s,
        "target_ratio": 200,
        "meets_target": ref_s / ours_s >= 200,
        "max_abs_diff": diff,
    }


def bench_alpha(level: str) -> dict:
    data = ratings(50_000, 20, 0.1, seed=2)

    def reference() -> float:
        wide = data.pivot(index="unit", columns="rater", values="score")
        return float(krippendorff.alpha(wide.to_numpy().T, level_of_measurement=level))

    ours_s, ours = median_time(lambda: krippendorff_alpha(data, level), 5)
    ref_s, ref = median_time(reference, 3)
    return {
        "level": level,
        "n_ratings": len(data),
        "ours_median_s": ours_s,
        "pivot_krippendorff_median_s": ref_s,
        "ratio": ref_s / ours_s,
        "target_ratio": 3,
        "meets_target": ref_s / ours_s >= 3,
        "abs_diff": abs(ours - ref),
    }


def bench_report() -> dict:
    items = [ratings(1_000, 20, 0.1, seed=10 + i).assign(item=f"item{i:02d}") for i in range(30)]
    data = pd.concat(items, ignore_index=True)
    seconds, _ = median_time(lambda: agreement_report(data, "interval", SCALE), 3)
    return {
        "n_items": 30,
        "n_ratings": len(data),
        "ratings_per_item": len(items[0]),
        "bootstrap_replicates": 1000,
        "median_s": seconds,
    }


def _coded(data: pd.DataFrame) -> tuple:
    kept = prepare(data.dropna(subset=["score"]), "interval")
    return kept.unit, kept.rater, kept.value


def bench_reml() -> dict:
    items = [_coded(ratings(1_000, 20, 0.1, seed=10 + i)) for i in range(30)]
    complete = [ratings(1_000, 20, 0.0, seed=10 + i) for i in range(30)]

    def fit_all() -> None:
        for unit, rater, value in items:
            reml_iccs(unit, rater, value, n_boot=0)

    reml_s, _ = median_time(fit_all, 5)
    anova_s, _ = median_time(lambda: [icc(c) for c in complete], 5)
    small = ratings(100, 20, 0.1, seed=40).dropna()
    unit, rater, value = _coded(small)
    ours_s, ours = median_time(lambda: reml_iccs(unit, rater, value, n_boot=0), 9)

    def mixedlm():
        return smf.mixedlm(
            "score ~ 1",
            small.assign(g=1),
            groups="g",
            vc_formula={"unit": "0 + C(unit)", "rater": "0 + C(rater)"},
        ).fit(reml=True)

    sm_s, sm = median_time(mixedlm, 3)
    names = list(sm.model.exog_vc.names)
    sm_unit, sm_rater = sm.vcomp[names.index("unit")], sm.vcomp[names.index("rater")]
    boot_s, _ = median_time(lambda: reml_iccs(*items[0], n_boot=1000, seed=0), 3)
    components = ours["components"]
    return {
        "n_items": 30,
        "ratings_per_item": int(items[0][0].size),
        "point_estimates_median_s": reml_s,
        "target_s": 1.0,
        "meets_target": reml_s < 1.0,
        "anova_complete_median_s": anova_s,
        "ratio_reml_to_anova": reml_s / anova_s,
        "one_item_ratings": int(unit.size),
        "one_item_ours_median_s": ours_s,
        "one_item_statsmodels_mixedlm_median_s": sm_s,
        "ratio_statsmodels_to_ours": sm_s / ours_s,
        "max_abs_diff_variance_components": max(
            abs(components["s2_unit"] - sm_unit),
            abs(components["s2_rater"] - sm_rater),
            abs(components["s2_resid"] - sm.scale),
        ),
        "bootstrap_1000_one_item_median_s": boot_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print only the JSON")
    args = parser.parse_args()
    result = {
        "icc": bench_icc(),
        "krippendorff_alpha": bench_alpha("interval"),
        "krippendorff_alpha_ordinal": bench_alpha("ordinal"),
        "agreement_report": bench_report(),
        "reml": bench_reml(),
    }
    if not args.json:
        print("Agreement engine benchmark (median seconds; ratio = reference / ours)")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
