"""A typed, people-facing view of one coefficient record, and the headline coefficient.

Pages and training code read coefficients through :class:`Coefficient` instead of indexing the
engine's JSON records: it carries the label people read ("ICC(A,1)"), the estimate and its
interval as text (two decimals, ``"[0.12, 0.88]"``), the reading (by
:data:`~ipt_fidelity.agreement.interpret.READING_RULE`), the counts it rests on and, when
there are fewer than :data:`MIN_UNITS` units, why it should not be ranked.

Examples
--------
>>> record = {"estimate": 0.8, "ci95": [0.1, 0.99], "interpretation": "poor to excellent "
...     "reliability", "band": "good reliability", "source": "Koo & Li (2016)",
...     "n_units": 2, "n_raters": 2, "n_ratings": 4, "method": "anova"}
>>> c = Coefficient.from_record(HEADLINE, record)
>>> (c.label, c.estimate_text, c.ci_text, c.too_few_units())
('ICC(A,1)', '0.80', '[0.10, 0.99]', True)
>>> c.shortfall("sessions")
'rests on 2 sessions; needs 5'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

HEADLINE = "ICC2"
HEADLINE_LABEL = "ICC(A,1)"
MIN_UNITS = 5

LABELS = {
    "percent_agreement": "Exact agreement",
    "percent_agreement_within_one": "Agreement within one point",
    "cohen_kappa": "Cohen's kappa",
    "weighted_kappa_linear": "Weighted kappa (linear)",
    "weighted_kappa_quadratic": "Weighted kappa (quadratic)",
    "scott_pi": "Scott's pi",
    "fleiss_kappa": "Fleiss' kappa",
    "conger_kappa": "Conger's kappa",
    "brennan_prediger": "Brennan-Prediger",
    "gwet_ac1": "Gwet's AC1",
    "gwet_ac2_linear": "Gwet's AC2 (linear)",
    "gwet_ac2_quadratic": "Gwet's AC2 (quadratic)",
    "krippendorff_alpha": "Krippendorff's alpha",
    "ICC1": "ICC(1,1)",
    "ICC2": HEADLINE_LABEL,
    "ICC3": "ICC(C,1)",
    "ICC1k": "ICC(1,k)",
    "ICC2k": "ICC(A,k)",
    "ICC3k": "ICC(C,k)",
}


def number(value: float | None) -> str:
    """A coefficient as people read it: two decimals, an em dash when undefined."""
    return "—" if value is None else f"{value:.2f}"


def interval(ci95: tuple[float, float] | list | None) -> str:
    """A 95% interval as ``"[0.12, 0.88]"``; empty when there is none."""
    return "" if not ci95 else f"[{ci95[0]:.2f}, {ci95[1]:.2f}]"


@dataclass(frozen=True)
class Coefficient:
    """One coefficient as pages show it, built from an engine record with :meth:`from_record`."""

    key: str
    label: str
    estimate: float | None
    ci95: tuple[float, float] | None
    reading: str
    band: str
    source: str
    n_units: int
    n_raters: int
    n_ratings: int
    method: str = ""
    undefined_reason: str = ""

    @classmethod
    def from_record(
        cls, key: str, record: dict[str, Any] | None, counts: dict[str, Any] | None = None
    ) -> Coefficient:
        """The view of ``record`` (an engine coefficient record; None gives an empty one).

        ``counts`` (an item report's ``n_units``/``n_raters``/``n_ratings``) fill counts the
        record lacks.
        """
        record = record or {}
        counts = counts or {}

        def count(name: str) -> int:
            return int(record.get(name, counts.get(name, 0)) or 0)

        ci = record.get("ci95")
        return cls(
            key=key,
            label=LABELS.get(key, key),
            estimate=record.get("estimate"),
            ci95=(float(ci[0]), float(ci[1])) if ci else None,
            reading=record.get("interpretation", "undefined"),
            band=record.get("band", record.get("interpretation", "undefined")),
            source=record.get("source", ""),
            n_units=count("n_units"),
            n_raters=count("n_raters"),
            n_ratings=count("n_ratings"),
            method=record.get("method", ""),
            undefined_reason=record.get("undefined_reason", "")
            or ("" if record else "not computed for these ratings"),
        )

    @property
    def estimate_text(self) -> str:
        return number(self.estimate)

    @property
    def ci_text(self) -> str:
        return interval(self.ci95)

    def support(self, unit_word: str = "units") -> str:
        """The counts in words: ``"5 sessions, 3 raters, 12 ratings"``."""
        return f"{self.n_units} {unit_word}, {self.n_raters} raters, {self.n_ratings} ratings"

    def too_few_units(self, min_units: int = MIN_UNITS) -> bool:
        """True when the estimate rests on fewer than ``min_units`` units (or is undefined)."""
        return too_few_units(self, min_units)

    def shortfall(self, unit_word: str = "units", min_units: int = MIN_UNITS) -> str:
        """Why the coefficient should not be ranked, in words; empty when it may be."""
        if self.estimate is None:
            return self.undefined_reason or "undefined"
        if self.n_units < min_units:
            return f"rests on {self.n_units} {unit_word}; needs {min_units}"
        return ""


def too_few_units(coefficient: Coefficient | dict[str, Any], min_units: int = MIN_UNITS) -> bool:
    """True when a coefficient (view or record) is undefined or rests on < ``min_units`` units.

    References
    ----------
    Koo, T. K., & Li, M. Y. (2016). A guideline of selecting and reporting intraclass correlation
    coefficients for reliability research. *Journal of Chiropractic Medicine*, 15, 155-163
    (at least 30 heterogeneous samples for a reliability study; the default minimum here is
    only the floor below which an estimate is not ranked at all).

    Examples
    --------
    >>> too_few_units({"estimate": 0.8, "n_units": 2})
    True
    >>> too_few_units({"estimate": 0.8, "n_units": 6})
    False
    >>> too_few_units({"estimate": None, "n_units": 40})
    True
    """
    if isinstance(coefficient, dict):
        estimate, units = coefficient.get("estimate"), coefficient.get("n_units") or 0
    else:
        estimate, units = coefficient.estimate, coefficient.n_units
    return estimate is None or units < min_units


def coefficient_views(item: dict[str, Any]) -> dict[str, Coefficient]:
    """Every coefficient of an item report (``n_units``..., ``coefficients``) as a view.

    References
    ----------
    Koo, T. K., & Li, M. Y. (2016). A guideline of selecting and reporting intraclass correlation
    coefficients for reliability research. *Journal of Chiropractic Medicine*, 15, 155-163.

    Examples
    --------
    >>> from ipt_fidelity.agreement.examples import shrout_fleiss_1979
    >>> long = shrout_fleiss_1979()
    >>> from ipt_fidelity.agreement import item_report
    >>> view = coefficient_views(item_report(long, "interval", n_boot=0))["ICC2"]
    >>> view.label, round(view.estimate, 2), view.n_units
    ('ICC(A,1)', 0.29, 6)
    """
    return {
        key: Coefficient.from_record(key, record, item)
        for key, record in item.get("coefficients", {}).items()
    }


GAP = 0.10
ICC_RANK = {"poor": 0, "moderate": 1, "good": 2, "excellent": 2}
ALPHA_RANK = {"unreliable": 0, "tentative": 1, "reliable": 2}


def _rank(band: str, ranks: dict[str, int]) -> int | None:
    return next((rank for word, rank in ranks.items() if band.startswith(word)), None)


def why_they_differ(
    item: dict[str, Any], span: float | None = None, unit_word: str = "sessions"
) -> str:
    """Why the headline ICC and Krippendorff's alpha read a band or more apart; empty if not.

    Bands are compared on one ladder (ICC poor / moderate / good-or-excellent against alpha
    unreliable / tentative / reliable, by the point estimates), and the two estimates must also
    be at least :data:`GAP` apart, so equal numbers either side of the ladders' different cut
    points (.50 and .667) do not count as a disagreement. Reasons, all that apply:

    - **missing data**: the ICC rests on fewer units or ratings than alpha;
    - **rater bias**: raters differ in their mean scores: the rater share of the variance,
      ``1 - ICC(A,1) / ICC(C,1)``, is at least .10;
    - **restricted range**: the units hardly differ: the unit standard deviation is under a
      tenth of the scale's span ``span`` (when given), so any disagreement weighs heavily;
    - otherwise **few units**: both estimates are uncertain with so few units.

    References
    ----------
    Koo, T. K., & Li, M. Y. (2016). A guideline of selecting and reporting intraclass correlation
    coefficients for reliability research. *Journal of Chiropractic Medicine*, 15, 155-163.
    Krippendorff, K. (2004). *Content analysis* (2nd ed.). Sage, p. 241.

    Examples
    --------
    >>> from ipt_fidelity.agreement.examples import shrout_fleiss_1979
    >>> long = shrout_fleiss_1979()
    >>> from ipt_fidelity.agreement import item_report
    >>> why_they_differ(item_report(long, "interval", n_boot=0))  # both read poor: no gap
    ''
    """
    coefficients = item.get("coefficients", {})
    icc, alpha = coefficients.get(HEADLINE) or {}, coefficients.get("krippendorff_alpha") or {}
    if icc.get("estimate") is None or alpha.get("estimate") is None:
        return ""
    a = _rank(icc.get("band", icc.get("interpretation", "")), ICC_RANK)
    b = _rank(alpha.get("band", alpha.get("interpretation", "")), ALPHA_RANK)
    if a is None or b is None or a == b or abs(icc["estimate"] - alpha["estimate"]) < GAP:
        return ""
    reasons = []
    alpha_units = alpha.get("n_units", item.get("n_units", 0))
    if icc.get("n_units", 0) < alpha_units or icc.get("n_ratings", 0) < alpha.get("n_ratings", 0):
        reasons.append(
            f"missing data: the ICC rests on {icc.get('n_units', 0)} {unit_word}, alpha on "
            f"{alpha_units}"
        )
    consistency = (coefficients.get("ICC3") or {}).get("estimate")
    if consistency and consistency > 0:
        share = 1.0 - icc["estimate"] / consistency
        if share >= 0.10:
            reasons.append(
                f"rater bias: raters differ in their average scores ({share:.0%} of the variance "
                "is between raters)"
            )
    s2_unit = (icc.get("variance_components") or {}).get("s2_unit")
    if span and s2_unit is not None and max(s2_unit, 0.0) ** 0.5 < 0.1 * span:
        reasons.append(
            f"restricted range: the {unit_word} hardly differ, so small disagreements weigh heavily"
        )
    if not reasons:
        reasons.append(
            f"few {unit_word}: with {icc.get('n_units', 0)} {unit_word} both estimates are "
            "uncertain"
        )
    return "; ".join(reasons)
