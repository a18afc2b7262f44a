"""Plain-word interpretation bands for agreement coefficients, each with its published source.

Bands
-----
- ICC: Koo & Li (2016): below .50 poor, .50 to .75 moderate, .75 to .90 good, above .90
  excellent.
- Kappa and kappa-like chance-corrected coefficients (Cohen, weighted kappa, Scott, Fleiss,
  Conger, Brennan-Prediger, Gwet): Landis & Koch (1977): below 0 poor, 0 to .20 slight,
  .21 to .40 fair, .41 to .60 moderate, .61 to .80 substantial, .81 to 1 almost perfect.
- Krippendorff's alpha: Krippendorff (2004, p. 241): at least .800 reliable, at least .667
  enough for tentative conclusions, below .667 unreliable.
- Percent agreement has no chance correction and no published band: it is described, not
  graded.

Reading rule
------------
:data:`READING_RULE`: a coefficient is read by its 95% confidence interval, as Koo & Li (2016)
advise: the reading is the band that holds the whole interval, or "<lowest band> to <highest
band>" when the interval spans bands ("moderate to good reliability"). Without an interval the
reading is the point estimate's band, marked "(point estimate)". ``band`` in every record is the
point estimate's band, for sorting and for charts.

A value exactly on a boundary belongs to the band above it for Koo & Li and Krippendorff
(their bounds are stated as "at least"), and to the band below it for Landis & Koch (whose
bands are stated as closed ranges .00-.20, .21-.40, ...).
"""

from __future__ import annotations

KOO_LI = "Koo & Li (2016)"
LANDIS_KOCH = "Landis & Koch (1977)"
KRIPPENDORFF = "Krippendorff (2004)"
DESCRIPTIVE = "descriptive (no chance correction)"

READING_RULE = (
    "Readings are judged on the 95% confidence interval (Koo & Li 2016): the band that holds "
    "the whole interval, or 'lower band to upper band' when the interval spans bands; a "
    "coefficient without an interval is read on its estimate and marked (point estimate)."
)

FAMILY_SOURCE = {
    "icc": KOO_LI,
    "kappa": LANDIS_KOCH,
    "alpha": KRIPPENDORFF,
    "percent": DESCRIPTIVE,
}


def _koo_li(value: float) -> str:
    if value < 0.50:
        return "poor reliability"
    if value < 0.75:
        return "moderate reliability"
    if value <= 0.90:
        return "good reliability"
    return "excellent reliability"


def _landis_koch(value: float) -> str:
    if value < 0:
        return "poor agreement (worse than chance)"
    bands = ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"))
    for upper, word in bands:
        if value <= upper:
            return f"{word} agreement"
    return "almost perfect agreement"


def _krippendorff(value: float) -> str:
    if value >= 0.800:
        return "reliable"
    if value >= 0.667:
        return "tentative conclusions only"
    return "unreliable"


def _band(value: float, family: str) -> str:
    if family == "icc":
        return _koo_li(value)
    if family == "kappa":
        return _landis_koch(value)
    if family == "alpha":
        return _krippendorff(value)
    return f"raters agreed on {value:.0%} of rater pairs (not corrected for chance)"


def _span(low: str, high: str, family: str) -> str:
    """``"moderate to good reliability"`` from the bands of the two ends of an interval."""
    if family == "alpha":
        return f"{low} to {high}"
    noun = " ".join(low.split()[-1:]) if family == "icc" else "agreement"
    first = low.removesuffix(f" {noun}").removesuffix(" (worse than chance)")
    if family == "kappa" and low.startswith("poor"):
        first = "poor (worse than chance)"
    return f"{first} to {high}"


def interpret(
    value: float | None, family: str, ci95: tuple[float, float] | list | None = None
) -> str:
    """Reading of a coefficient in plain words, by :data:`READING_RULE`.

    Parameters
    ----------
    value : float or None
        The estimate; None means the coefficient is undefined.
    family : {"icc", "kappa", "alpha", "percent"}
        Which published bands apply (see the module docstring for their sources).
    ci95 : (float, float), optional
        The 95% interval. Given, the reading is the band holding the whole interval, or the
        span of bands it crosses; omitted, the band of ``value`` (the historical reading).

    Returns
    -------
    str
        For example ``"substantial agreement"`` or ``"moderate to good reliability"``;
        ``"undefined"`` when ``value`` is None. Percent agreement is described, not graded.

    Examples
    --------
    >>> interpret(0.80, "icc")
    'good reliability'
    >>> interpret(0.80, "icc", (0.62, 0.93))
    'moderate to excellent reliability'

    References
    ----------
    Koo, T. K., & Li, M. Y. (2016). A guideline of selecting and reporting intraclass correlation
    coefficients for reliability research. *Journal of Chiropractic Medicine*, 15, 155-163.
    Landis, J. R., & Koch, G. G. (1977). The measurement of observer agreement for categorical
    data. *Biometrics*, 33, 159-174.
    """
    if family not in FAMILY_SOURCE:
        raise ValueError(f"unknown family {family!r}")
    if value is None:
        return "undefined"
    if family == "percent" or ci95 is None:
        return _band(value, family)
    low, high = _band(float(ci95[0]), family), _band(float(ci95[1]), family)
    return low if low == high else _span(low, high, family)
