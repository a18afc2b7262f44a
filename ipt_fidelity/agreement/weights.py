"""Agreement weight matrices over the scale points (1 on the diagonal, 0 for full disagreement).

Convention: weights are computed from the numeric values of the scale points when the scale
is numeric (Cicchetti & Allison 1971 linear weights, Fleiss & Cohen 1973 quadratic weights,
as in Gwet 2014 and irrCAC), and from their positions otherwise. For an equally spaced scale
such as a 0-6 rubric this equals the index-based weights of scikit-learn's
``cohen_kappa_score``; for unequally spaced numeric scales the two differ.
"""

from __future__ import annotations

import numpy as np

WEIGHTINGS = ("identity", "linear", "quadratic", "within_one")


def agreement_weights(category_values: np.ndarray, kind: str | np.ndarray) -> np.ndarray:
    """Agreement weights between scale points.

    Parameters
    ----------
    category_values : ndarray
        Numeric value (or position) of each scale point, in scale order.
    kind : {"identity", "linear", "quadratic", "within_one"} or ndarray
        ``linear``: ``1 - |x_k - x_l| / (max - min)``; ``quadratic``:
        ``1 - (x_k - x_l)**2 / (max - min)**2``; ``within_one``: 1 when the two points are
        at most one point apart, else 0 (for percent agreement within one point). A q x q
        array is taken as custom agreement weights (e.g. ``1 - v / v.max()`` for Cohen's
        1968 disagreement weights ``v``).

    Returns
    -------
    ndarray, shape (q, q)
    """
    x = np.asarray(category_values, dtype=np.float64)
    if not isinstance(kind, str):
        custom = np.asarray(kind, dtype=np.float64)
        if custom.shape != (x.size, x.size):
            raise ValueError(f"custom weights must be {x.size} x {x.size}, got {custom.shape}")
        return custom
    diff = np.abs(x[:, None] - x[None, :])
    span = float(x.max() - x.min()) if x.size else 0.0
    if kind == "identity" or (span == 0.0 and kind in ("linear", "quadratic")):
        return np.eye(x.size)
    if kind == "linear":
        return 1.0 - diff / span
    if kind == "quadratic":
        return 1.0 - (diff / span) ** 2
    if kind == "within_one":
        return (diff <= 1.0 + 1e-12).astype(np.float64)
    raise ValueError(f"weights must be one of {', '.join(WEIGHTINGS)}, got {kind!r}")
