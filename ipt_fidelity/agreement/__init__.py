"""Inter-rater agreement engine: pure numpy/scipy/pandas, no Streamlit, no database.

Long ratings (columns ``unit``, ``rater``, ``score``, optional ``item``) go in; JSON-ready
records come out. See ``docs/agreement.md`` for the coefficients, their conventions and the
interpretation bands.
"""

from ipt_fidelity.agreement.alpha import AgreementUndefined, alpha_estimate, krippendorff_alpha
from ipt_fidelity.agreement.confusion import scale_confusion
from ipt_fidelity.agreement.dstudy import raters_needed, spearman_brown
from ipt_fidelity.agreement.icc import icc, icc_forms
from ipt_fidelity.agreement.interpret import interpret
from ipt_fidelity.agreement.ratings import LEVELS, Ratings, prepare
from ipt_fidelity.agreement.reference import (
    bias_matrix,
    bland_altman,
    rater_vs_reference,
    raters_vs_reference,
)
from ipt_fidelity.agreement.report import agreement_report, coefficients, item_report

__all__ = [
    "LEVELS",
    "AgreementUndefined",
    "Ratings",
    "agreement_report",
    "alpha_estimate",
    "bias_matrix",
    "bland_altman",
    "coefficients",
    "icc",
    "icc_forms",
    "interpret",
    "item_report",
    "krippendorff_alpha",
    "prepare",
    "rater_vs_reference",
    "raters_needed",
    "raters_vs_reference",
    "scale_confusion",
    "spearman_brown",
]
