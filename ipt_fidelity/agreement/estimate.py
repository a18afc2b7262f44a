"""The JSON-ready record every coefficient returns, defined or undefined."""

from __future__ import annotations

import math
from typing import Any

from scipy import stats

from ipt_fidelity.agreement.interpret import FAMILY_SOURCE, interpret


def plain(x: Any) -> Any:
    """Numpy scalars to plain Python numbers; non-finite floats to None."""
    if hasattr(x, "item"):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def estimate(
    value: float,
    family: str,
    *,
    se: float | None = None,
    ci95: tuple[float, float] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Record of a defined estimate.

    Parameters
    ----------
    value : float
        The point estimate.
    family : {"icc", "kappa", "alpha", "percent"}
        Picks the interpretation band and its source.
    se : float, optional
        Standard error.
    ci95 : (float, float), optional
        95% confidence interval.
    **extra
        Further JSON-ready fields (e.g. ``method``, ``F``, ``within_one``).

    Returns
    -------
    dict
        ``estimate``, ``ci95``, ``se``, ``interpretation`` (the reading by
        :data:`~ipt_fidelity.agreement.interpret.READING_RULE`), ``band`` (the point
        estimate's band), ``reading_basis`` (``"95% CI"`` or ``"point estimate"``), ``source``
        and ``extra``.
    """
    value = float(value)
    interval = [float(ci95[0]), float(ci95[1])] if ci95 is not None else None
    record: dict[str, Any] = {
        "estimate": value,
        "ci95": interval,
        "se": plain(float(se)) if se is not None else None,
        "interpretation": interpret(value, family, interval),
        "band": interpret(value, family),
        "reading_basis": "95% CI" if interval is not None else "point estimate",
        "source": FAMILY_SOURCE[family],
    }
    record.update({k: plain(v) for k, v in extra.items()})
    return record


def undefined(reason: str, family: str, **extra: Any) -> dict[str, Any]:
    """Record of a coefficient that the data cannot define, with the reason in plain words."""
    record: dict[str, Any] = {
        "estimate": None,
        "ci95": None,
        "se": None,
        "interpretation": "undefined",
        "band": "undefined",
        "reading_basis": None,
        "source": FAMILY_SOURCE[family],
        "undefined_reason": reason,
    }
    record.update({k: plain(v) for k, v in extra.items()})
    return record


def t_interval(value: float, se: float, df: int, low: float = -1.0) -> tuple[float, float]:
    """Two-sided 95% interval ``value +- t(0.975, df) * se``, clipped to ``[low, 1]``."""
    half = float(stats.t.ppf(0.975, df)) * se
    return max(low, value - half), min(1.0, value + half)


def z_interval(value: float, se: float, low: float = -1.0) -> tuple[float, float]:
    """Two-sided 95% normal interval ``value +- 1.959964 * se``, clipped to ``[low, 1]``."""
    half = float(stats.norm.ppf(0.975)) * se
    return max(low, value - half), min(1.0, value + half)
