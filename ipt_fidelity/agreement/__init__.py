"""Inter-rater agreement engine: pure numpy/scipy/pandas, no Streamlit, no database.

Long ratings (columns ``unit``, ``rater``, ``score``, optional ``item``) go in; JSON-ready
records come out. See ``docs/agreement.md`` for the coefficients, their conventions and the
interpretation bands.
"""

from ipt_fidelity.agreement.alpha import AgreementUndefined, alpha_estimate, krippendorff_alpha
from ipt_fidelity.agreement.coefficient import (
    HEADLINE,
    HEADLINE_LABEL,
    LABELS,
    MIN_UNITS,
    Coefficient,
    coefficient_views,
    too_few_units,
    why_they_differ,
)
from ipt_fidelity.agreement.confusion import scale_confusion
from ipt_fidelity.agreement.dstudy import raters_needed, spearman_brown
from ipt_fidelity.agreement.icc import icc, icc_forms
from ipt_fidelity.agreement.interpret import READING_RULE, interpret
from ipt_fidelity.agreement.ratings import LEVELS, Ratings, prepare
from ipt_fidelity.agreement.reference import (
    bias_matrix,
    bland_altman,
    rater_vs_reference,
    raters_vs_reference,
)
from ipt_fidelity.agreement.reml import fit_crossed, fit_one_way, reml_iccs
from ipt_fidelity.agreement.report import agreement_report, coefficients, item_report, usage

__all__ = [
    "HEADLINE",
    "HEADLINE_LABEL",
    "LABELS",
    "LEVELS",
    "MIN_UNITS",
    "READING_RULE",
    "AgreementUndefined",
    "Coefficient",
    "Ratings",
    "agreement_report",
    "alpha_estimate",
    "bias_matrix",
    "bland_altman",
    "coefficient_views",
    "coefficients",
    "fit_crossed",
    "fit_one_way",
    "icc",
    "icc_forms",
    "interpret",
    "item_report",
    "krippendorff_alpha",
    "prepare",
    "rater_vs_reference",
    "raters_needed",
    "raters_vs_reference",
    "reml_iccs",
    "scale_confusion",
    "spearman_brown",
    "too_few_units",
    "usage",
    "why_they_differ",
]
