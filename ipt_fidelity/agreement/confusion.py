"""Which scale points raters confuse: pair counts over the scale, for a dashboard heat map."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ipt_fidelity.agreement.ratings import prepare


def scale_confusion(
    ratings: pd.DataFrame,
    categories: Sequence | None = None,
    rater_a: object = None,
    rater_b: object = None,
) -> dict[str, Any]:
    """Counts of scale points given to the same unit by two raters, for one item.

    Parameters
    ----------
    ratings : DataFrame
        Long ratings of one item (columns ``unit``, ``rater``, ``score``).
    categories : sequence, optional
        Declared scale points, in order (unused points get rows of zeros).
    rater_a, rater_b : optional
        Two rater labels. Given both, ``counts[i][j]`` is the number of units ``rater_a``
        put on point ``i`` and ``rater_b`` on point ``j``. Otherwise every ordered pair of
        distinct raters on a unit is counted, so the matrix is symmetric, each unordered
        pair appears twice and the diagonal counts agreeing pairs twice as well.

    Returns
    -------
    dict
        ``categories`` (labels), ``counts`` (list of lists of int), ``n_units`` (units that
        contribute at least one pair) and ``pairs`` (``"ordered"`` or ``"rater_a x
        rater_b"``).

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and
    Psychological Measurement*, 20, 37-46 (the agreement table the counts generalise).

    Examples
    --------
    Two raters, three units: they agree on the first two and split 1/2 on the third.

    >>> import pandas as pd
    >>> long = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3], "rater": list("ababab"),
    ...                      "score": [1, 1, 2, 2, 1, 2]})
    >>> scale_confusion(long, [1, 2], "a", "b")["counts"]
    [[1, 1], [0, 1]]
    """
    if (rater_a is None) != (rater_b is None):
        raise ValueError("give both rater_a and rater_b, or neither")
    if rater_a is not None:
        ratings = ratings[ratings["rater"].isin([rater_a, rater_b])]
    r = prepare(ratings, "nominal", categories)
    q = r.n_categories
    if rater_a is not None:
        cm = r.category_matrix
        labels = list(r.rater_labels)
        if rater_a not in labels or rater_b not in labels or rater_a == rater_b:
            counts = np.zeros((q, q), dtype=np.int64)
            n_units = 0
        else:
            a, b = cm[:, labels.index(rater_a)], cm[:, labels.index(rater_b)]
            both = (a >= 0) & (b >= 0)
            counts = np.bincount(a[both] * q + b[both], minlength=q * q).reshape(q, q)
            n_units = int(both.sum())
        pairs = "rater_a x rater_b"
    else:
        n = r.counts[r.counts.sum(axis=1) >= 2]
        counts = (n.T @ n - np.diag(n.sum(axis=0))).round().astype(np.int64)
        n_units = int(n.shape[0])
        pairs = "ordered"
    return {
        "categories": list(r.categories),
        "counts": counts.tolist(),
        "n_units": n_units,
        "pairs": pairs,
    }
