"""The agreement dashboard's data path: composites, traceability to the engine, the cache."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ipt_fidelity import store
from ipt_fidelity.agreement import agreement_report, rater_vs_reference, raters_needed
from ipt_fidelity.content.models import Rubric
from ipt_fidelity.store import ScoreEntry, make_engine, open_session
from ipt_fidelity.store.analytics import LONG_COLUMNS, cohort_item_ratings
from ipt_fidelity.training import dashboard
from ipt_fidelity.training.dashboard import Scope, build_view, cohort_view
from ipt_fidelity.training.raters import bland_altman, rater_agreement, rater_drift
from ipt_fidelity.training.reference_rater import EXPERT
from ipt_fidelity.training.scoring import TOTAL, composite_scores
from tests.fixtures_db import make_people, mini_library

library = mini_library()

ITEMS = (("a1", "adherence", "unique_essential"), ("a2", "adherence", "compatible"))
PROSCRIBED = ("p1", "adherence", "proscribed")
QUALITY = ("q1", "quality", "essential_not_unique")


def _item(item_id: str, dimension: str, kind: str) -> dict:
    return {
        "id": item_id,
        "text": f"{item_id} text",
        "description": "d",
        "kind": kind,
        "dimension": dimension,
        "anchors": {p: f"anchor {p}" for p in range(5)},
    }


RUBRIC = Rubric.model_validate(
    {
        "id": "r",
        "version": "1.0",
        "title": "R",
        "manual": "M",
        "scale": {"min": 0, "max": 4, "labels": {p: str(p) for p in range(5)}},
        "sections": [
            {"id": "core", "title": "Core", "items": [_item(*i) for i in ITEMS]},
            {"id": "pro", "title": "Proscribed", "items": [_item(*PROSCRIBED)]},
            {"id": "qual", "title": "Quality", "items": [_item(*QUALITY)]},
        ],
        "sources": [{"id": "s", "citation": "S."}],
    }
)


def long_ratings(n_units: int = 6, raters: tuple[str, ...] = ("ann", "bob", "cy")) -> pd.DataFrame:
    """Crossed ratings of every item of RUBRIC: a true score per (unit, item), rater shifts."""
    rng = np.random.default_rng(3)
    items = [i[0] for i in (*ITEMS, PROSCRIBED, QUALITY)]
    rows = []
    for u in range(n_units):
        for item in items:
            true = rng.integers(0, 5)
            for k, rater in enumerate(raters):
                score = float(np.clip(true + (k - 1) * rng.integers(0, 2), 0, 4))
                stamp = pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(days=u + k)
                rows.append((f"s{u}", rater, rater.title(), "trainee", item, score, stamp))
    return pd.DataFrame(rows, columns=LONG_COLUMNS)


def expert_of(ratings: pd.DataFrame) -> pd.DataFrame:
    first = ratings[ratings["rater"] == "bob"]
    return first.rename(columns={"score": "reference"})[["unit", "item", "reference"]]


def test_composites_reverse_proscribed_items_and_split_quality():
    ratings = pd.DataFrame(
        {
            "unit": ["s"] * 4,
            "rater": ["ann"] * 4,
            "item": ["a1", "a2", "p1", "q1"],
            "score": [4.0, np.nan, 1.0, 2.0],
        }
    )
    out = composite_scores(ratings, RUBRIC).set_index("item")["score"]
    assert out["section:core"] == 4.0  # the not-applicable a2 is left out
    assert out["section:pro"] == 3.0  # 4 + 0 - 1
    assert out[TOTAL] == pytest.approx((4.0 + 3.0) / 2)
    assert out["quality"] == 2.0


def test_every_number_traces_to_the_engine():
    ratings = long_ratings()
    view = build_view(ratings, RUBRIC, expert_of(ratings), Scope(1, "r"))
    report = agreement_report(
        ratings[["unit", "rater", "item", "score"]], "interval", [0, 1, 2, 3, 4]
    )
    row = view.summary.set_index("key").loc["a1"]
    icc = report["items"]["a1"]["coefficients"]["ICC2"]
    assert row["icc"] == icc["estimate"] and [row["icc_low"], row["icc_high"]] == icc["ci95"]
    assert row["icc_reading"] == icc["interpretation"]
    composites = composite_scores(ratings, RUBRIC).astype({"item": str})
    total = agreement_report(composites, "interval")["items"][TOTAL]["coefficients"]
    assert (
        view.summary.set_index("key").loc[TOTAL, "alpha"] == total["krippendorff_alpha"]["estimate"]
    )
    k = view.dstudy.set_index("key").loc[TOTAL]
    assert k["k_0.80"] == raters_needed(total["ICC2"]["estimate"], 0.80)
    ann = ratings[(ratings["rater"] == "ann") & (ratings["item"] == "a1")].set_index("unit")
    bob = ratings[(ratings["rater"] == "bob") & (ratings["item"] == "a1")].set_index("unit")
    engine_bias = rater_vs_reference(ann["score"], bob["score"])["bias"]
    assert view.deviation.loc["ann", "a1"] == pytest.approx(engine_bias)


def test_items_are_sorted_worst_first_and_icc_form_explained():
    view = build_view(
        long_ratings(), RUBRIC, pd.DataFrame(columns=["unit", "item", "reference"]), Scope(1, "r")
    )
    ranked = view.summary[view.summary["ranked"]]
    assert list(ranked.index) == list(range(len(ranked)))  # ranked rows come first
    headline = ranked["headline"].tolist()
    assert headline == sorted(headline) and len(headline) > 0
    assert (ranked["icc_method"] == "anova").all()  # complete design: the ANOVA estimates
    assert view.basis == "consensus"  # no expert reference for these sessions


def test_items_on_too_few_sessions_are_listed_last_and_never_called_poor():
    ratings = long_ratings(n_units=4)
    view = build_view(ratings, RUBRIC, expert_of(ratings), Scope(1, "r"))
    assert not view.summary["ranked"].any()
    assert set(view.summary["shortfall"]) <= {"rests on 4 sessions; needs 5"} | set(
        view.summary["why_undefined"]
    )
    assert view.summary["headline"].isna().all()
    assert dashboard.poorly_agreed_items(view) == []


def test_the_expert_can_count_as_a_rater():
    ratings = long_ratings()
    view = build_view(ratings, RUBRIC, expert_of(ratings), Scope(1, "r", with_expert=True))
    assert EXPERT in set(view.ratings["rater"])
    assert EXPERT not in view.raters and EXPERT not in view.deviation.index
    assert view.report["items"]["a1"]["n_raters"] == 4


def test_an_incomplete_design_ranks_by_the_reml_icc_on_every_session():
    ratings = long_ratings()
    ratings = ratings.drop(ratings[(ratings["rater"] == "cy") & (ratings["unit"] == "s0")].index)
    view = build_view(ratings, RUBRIC, expert_of(ratings), Scope(1, "r"))
    items = view.summary[view.summary["group"] == "item"]
    assert (items["icc_method"] == "reml").all()
    assert (items["icc_units"] == 6).all()  # not the 5 every rater rated
    row = items.iloc[0]
    assert row["icc_ratings"] == row["ratings"]


def test_an_empty_cohort_gives_an_empty_view():
    empty = pd.DataFrame(columns=LONG_COLUMNS)
    view = build_view(empty, RUBRIC, expert_of(long_ratings()), Scope(1, "r"))
    assert view.summary.empty and view.deviation.empty and view.raters == []


def test_rater_views_use_the_engine():
    ratings = long_ratings()
    view = build_view(ratings, RUBRIC, expert_of(ratings), Scope(1, "r"), key=("v1",))
    table = rater_agreement(view, ["ann", "cy"]).set_index("rater")
    assert table.loc["ann", "bias"] < 0 < table.loc["cy", "bias"]
    points, limits = bland_altman(view, "cy")
    assert limits["n"] == 6 and limits["low"] < limits["bias"] < limits["high"]
    assert limits["bias"] == pytest.approx(points["difference"].mean())
    drift = rater_drift(view, "ann")
    assert list(drift["unit"]) == [f"s{u}" for u in range(6)]
    assert rater_drift(view, "ann") is drift  # remembered under the view's data version
    halves = rater_drift(view, "ann", blocks=2)
    assert list(halves["unit"]) == ["s0, s1, s2", "s3, s4, s5"] and halves["items"].sum() == 24


def test_consensus_basis_is_the_rounded_median():
    ratings = long_ratings()
    view = build_view(ratings, RUBRIC, expert_of(ratings), Scope(1, "r", basis="consensus"))
    assert view.basis == "consensus"
    median = ratings.groupby(["unit", "item"])["score"].median()
    merged = view.reference.set_index(["unit", "item"])["reference"].reindex(median.index)
    assert (merged == np.clip(np.floor(median + 0.5), 0, 4)).all()


# ---------------------------------------------------------------- with a database


def rate(db, rater, session_id: str, scores: dict[str, int | None], rubric_id: str = "mini"):
    draft = store.get_or_create_draft(db, rater, library, session_id)
    for item, score in scores.items():
        store.save_item_score(
            db, rater, library, draft.id, item, ScoreEntry(score, not_applicable=score is None)
        )
    store.submit_rating(db, rater, library, draft.id)


def test_the_long_table_holds_exactly_the_readable_submitted_scores(any_url, library):
    engine = make_engine(any_url)
    with open_session(engine) as db:
        people = make_people(db)
        rate(db, people.trainee, "mini-session", {"focus": 3, "grief_work": None})
        rate(db, people.peer, "mini-session", {"focus": 2, "grief_work": 1})
        draft = store.get_or_create_draft(db, people.outsider, library, "mini-session")
        store.save_item_score(db, people.outsider, library, draft.id, "focus", ScoreEntry(1))
        table = cohort_item_ratings(db, people.sup_a, people.cohort_a, "mini")
        outsider = cohort_item_ratings(db, people.sup_b, people.cohort_a, "mini")
    engine.dispose()
    rows = sorted(
        (r.unit, r.rater, r.rater_role, r.item, None if pd.isna(r.score) else r.score)
        for r in table.itertuples()
    )
    assert rows == [
        ("mini-session", "peer", "trainee", "focus", 2.0),
        ("mini-session", "peer", "trainee", "grief_work", 1.0),
        ("mini-session", "trainee", "trainee", "focus", 3.0),
        ("mini-session", "trainee", "trainee", "grief_work", None),
    ]
    assert list(table.columns) == LONG_COLUMNS
    assert str(table["submitted_at"].dt.tz) == "UTC"
    assert outsider.empty


def test_the_view_is_cached_on_the_latest_submission(db, people, library):
    dashboard.clear_memo()
    rubric = library.rubrics["mini"]
    rate(db, people.trainee, "mini-session", {"focus": 3, "grief_work": 2})
    scope = Scope(people.cohort_a, "mini")
    first = cohort_view(db, people.sup_a, scope, rubric, library)
    assert cohort_view(db, people.sup_a, scope, rubric, library) is first
    rate(db, people.peer, "mini-session", {"focus": 2, "grief_work": 2})
    second = cohort_view(db, people.sup_a, scope, rubric, library)
    assert second is not first and len(second.raters) == 2
    assert second.basis == "expert"
    assert second.deviation.loc["peer", "focus"] == -1.0  # 2 against the expert's 3
