"""My progress: certification standing, formulation accuracy, calibration, item drills."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ...content.vocab import label
from ...training.certification import formulation_accuracy
from ...training.comparison import headline, headline_sentence
from ...training.drill_history import item_calibration, trainee_history
from ...training.progress import trainee_standing
from ...training.settings import default_settings
from ..charts import calibration_over_time, drill_bias_over_time, formulation_accuracy_over_time
from ..state import database, library, require_role

NUMBER = st.column_config.NumberColumn(format="%.2f")
PERCENT = st.column_config.NumberColumn(format="percent")


def render() -> None:
    user = require_role("trainee")
    lib = library()
    rule = default_settings().certification
    with database(read_only=True) as db:
        status, calibration, attempts = trainee_standing(db, user, user.id, lib, rule)
        history = trainee_history(db, user, user.id, lib)
    st.title("My progress")
    _certification(status)
    _formulations(attempts)
    _calibration(calibration, rule)
    _drills(history, lib)


def _certification(status) -> None:
    st.header("Certification")
    if status.ready:
        st.success("You meet every criterion of the programme's rule; ask your supervisor.")
    else:
        st.info("Not yet: the criteria still open are marked below.")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "criterion": c.name,
                    "required": c.required,
                    "you": c.observed,
                    "met": "met" if c.met else "not yet",
                }
                for c in status.criteria
            ]
        ),
        hide_index=True,
        width="stretch",
    )


def _formulations(attempts: pd.DataFrame) -> None:
    st.header("Formulation practice")
    if attempts.empty:
        st.info("No formulations yet: start with Formulation practice.")
        return
    st.caption(
        "Only your first attempt of a case counts toward certification, and only if you made "
        "it before opening that case's transcripts; later attempts are practice."
    )
    table = formulation_accuracy(attempts)
    if not table.empty:
        table["expert_area"] = table["expert_area"].map(label)
        st.dataframe(
            table.rename(columns={"expert_area": "expert's area", "attempts": "first attempts"}),
            hide_index=True,
            column_config={"accuracy": st.column_config.ProgressColumn(format="percent")},
        )
        counted = attempts[attempts["counts"]]
        st.plotly_chart(formulation_accuracy_over_time(counted), width="stretch")
    shown = attempts.assign(
        case=attempts["case"].map(lambda c: library().cases[c].title),
        expert_area=attempts["expert_area"].map(label),
        chosen_area=attempts["chosen_area"].map(label),
        correct=attempts["correct"].map({True: "matches", False: "differs"}),
    )
    with st.expander(f"Every attempt ({len(attempts)})"):
        st.dataframe(
            shown[["submitted_at", "case", "chosen_area", "expert_area", "correct", "status"]],
            hide_index=True,
            width="stretch",
            column_config={
                "submitted_at": st.column_config.DatetimeColumn("submitted", format="D MMM YYYY"),
                "chosen_area": "your area",
                "expert_area": "expert's area",
                "correct": "reading",
                "status": "counts?",
            },
        )


def _calibration(calibration, rule) -> None:
    st.header("Rating calibration against the expert")
    if calibration is None or calibration.n_sessions == 0:
        st.info("No submitted ratings of expert-rated calibration transcripts yet.")
        return
    overall = calibration.overall
    icc = overall["icc_a1"]
    cols = st.columns(4)
    cols[0].metric("Sessions", calibration.n_sessions)
    cols[1].metric("Bias (you − expert)", f"{overall['bias']:+.2f}")
    cols[2].metric("Mean |difference|", f"{overall['mean_abs_diff']:.2f}")
    view = headline(overall)
    cols[3].metric(view.label, view.estimate_text)
    if icc:
        st.caption(headline_sentence(overall, "session items"))
    st.plotly_chart(
        calibration_over_time(calibration.per_session, rule.max_abs_bias), width="stretch"
    )


def _drills(history: pd.DataFrame, lib) -> None:
    st.header("Item by item: drills beside full ratings")
    if history.empty:
        st.info("No drills or rated transcripts yet.")
        return
    texts = {i.id: i.text for r in lib.rubrics.values() for i in r.items}
    table = item_calibration(history)
    wide = table.pivot(index="item", columns="source", values=["answers", "bias", "mean_abs_diff"])
    wide.columns = [
        f"{source}: {stat.replace('mean_abs_diff', 'mean |diff|')}" for stat, source in wide.columns
    ]
    wide.index = [texts.get(i, i) for i in wide.index]
    st.dataframe(
        wide.reset_index(names="item"),
        hide_index=True,
        width="stretch",
        column_config={c: NUMBER for c in wide.columns if "answers" not in c},
    )
    drills = history[history["source"] == "drill"]
    if not drills.empty:
        st.plotly_chart(drill_bias_over_time(drills, texts), width="stretch")
