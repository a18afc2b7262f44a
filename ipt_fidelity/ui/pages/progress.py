"""My progress: formulation accuracy by area, calibration against the expert, certification."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ...content.vocab import label
from ...training.certification import formulation_accuracy
from ...training.progress import trainee_standing
from ...training.settings import default_settings
from ..charts import calibration_over_time, formulation_accuracy_over_time
from ..state import database, library, require_role


def render() -> None:
    user = require_role("trainee")
    lib = library()
    rule = default_settings().certification
    with database(read_only=True) as db:
        status, calibration, attempts = trainee_standing(db, user, user.id, lib, rule)
    st.title("My progress")
    _certification(status)
    st.header("Formulation practice")
    if attempts.empty:
        st.info("No formulations yet: start with Formulation practice.")
    else:
        table = formulation_accuracy(attempts)
        table["expert_area"] = table["expert_area"].map(label)
        st.dataframe(
            table.rename(columns={"expert_area": "expert's area"}),
            hide_index=True,
            column_config={"accuracy": st.column_config.ProgressColumn(format="percent")},
        )
        st.plotly_chart(formulation_accuracy_over_time(attempts), width="stretch")
    st.header("Rating calibration against the expert")
    if calibration is None or calibration.n_sessions == 0:
        st.info("No submitted ratings of expert-rated transcripts yet.")
        return
    overall = calibration.overall
    icc = overall["icc_a1"]
    cols = st.columns(4)
    cols[0].metric("Sessions", calibration.n_sessions)
    cols[1].metric("Bias (you − expert)", f"{overall['bias']:+.2f}")
    cols[2].metric("Mean |difference|", f"{overall['mean_abs_diff']:.2f}")
    cols[3].metric("ICC(A,1)", "—" if icc.get("estimate") is None else f"{icc['estimate']:.2f}")
    if icc.get("ci95"):
        lo, hi = icc["ci95"]
        st.caption(f"ICC(A,1) 95% CI {lo:.2f} to {hi:.2f}: {icc.get('interpretation', '')}.")
    st.plotly_chart(
        calibration_over_time(calibration.per_session, rule.max_abs_bias),
        width="stretch",
    )


def _certification(status) -> None:
    st.header("Certification")
    if status.ready:
        st.success("You meet every criterion of the programme's rule; ask your supervisor.")
    else:
        st.info("Not yet: the criteria still open are marked below.")
    st.dataframe(
        pd.DataFrame(
            [
                {"criterion": c.name, "required": c.required, "you": c.observed, "met": c.met}
                for c in status.criteria
            ]
        ),
        hide_index=True,
        width="stretch",
    )
