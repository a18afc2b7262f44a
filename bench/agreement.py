"""Benchmark of the agreement engine against the reference libraries, on the same data.

- ICC, six forms with F tests and CIs: ``ipt_fidelity.agreement.icc`` against
  ``pingouin.intraclass_corr`` at 20,000 ratings (1,000 sessions x 20 raters).
- Krippendorff's alpha from long records: ``krippendorff_alpha`` against a pandas pivot plus
  ``krippendorff.alpha`` at 1,000,000 ratings (50,000 sessions x 20 raters, 10% missing).
- A full ``agreement_report`` (interval level, 1,000 bootstrap replicates) for 30 items x
  20,000 ratings each.

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

from ipt_fidelity.agreement import agreement_report, icc, krippendorff_alpha

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print only the JSON")
    args = parser.parse_args()
    result = {
        "icc": bench_icc(),
        "krippendorff_alpha": bench_alpha("interval"),
        "krippendorff_alpha_ordinal": bench_alpha("ordinal"),
        "agreement_report": bench_report(),
    }
    if not args.json:
        print("Agreement engine benchmark (median seconds; ratio = reference / ours)")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
