"""Item drills: rate one item on a short excerpt, see the expert's score at once, repeat.

Ten drills make a round (about five minutes). The next drill goes where you drift most from the
expert. Drills come only from practice sessions and from sessions you have already rated in full.
"""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import streamlit as st

from ...store import list_ratings
from ...store.drills import drill_open, list_drill_sets, record_drill_answer
from ...store.targets import shipped_title
from ...training.drill_history import trainee_history
from ...training.drills import (
    CONTEXT,
    SESSION_LENGTH,
    WIDE_CONTEXT,
    Drill,
    drill_catalogue,
    excerpt,
    next_drill,
    open_to,
)
from ..learn_links import learn_markdown
from ..state import current_user, database, library, require_role
from ..widgets import anchors_list, item_caption, transcript_view

ROUND = "drills-round"  # the answers of this round
CURRENT = "drills-current"  # the drill on screen and when it was shown
ANSWER = "drills-answer"  # the stored answer of the drill on screen, once checked


def render() -> None:
    user = require_role("trainee")
    lib = library()
    st.title("Item drills")
    st.caption(
        "Rate one rubric item on a short excerpt and see the expert's score at once. The next "
        "drill goes where you drift most from the expert. Drills come from practice sessions "
        "and from sessions you have already rated in full; they do not count toward "
        "certification."
    )
    with database(read_only=True) as db:
        rated = {
            r.session_id
            for r in list_ratings(db, user, rater_id=user.id, status="submitted")
            if drill_open(db, user, lib, r.session_id)
        }
        sets = list_drill_sets(db, user)
    available = open_to(drill_catalogue(lib), rated)
    names = {0: "Where I drift most (all my drills)"} | {s.id: f"Set: {s.title}" for s in sets}
    chosen_set = st.selectbox("Drills", list(names), format_func=names.get, key="drills-set")
    if chosen_set:
        drill_set = next(s for s in sets if s.id == chosen_set)
        available = [
            d
            for d in available
            if d.item_id in drill_set.items and d.session_id in drill_set.sessions
        ]
    if not available:
        st.info(
            "No drills are open to you yet: rate a transcript in full (Rate a transcript), and "
            "its items become drills."
        )
        return
    answers = st.session_state.setdefault(ROUND, [])
    st.progress(
        min(len(answers), SESSION_LENGTH) / SESSION_LENGTH,
        text=f"{len(answers)} of {SESSION_LENGTH} drills this round",
    )
    if len(answers) >= SESSION_LENGTH and CURRENT not in st.session_state:
        _round_summary(answers)
        return
    drill = _current(user, lib, available)
    _show(drill, lib, chosen_set or None)


def _current(user, lib, available: list[Drill]) -> Drill:
    """The drill on screen, or the next one chosen where the trainee is weakest."""
    if CURRENT in st.session_state:
        key, _shown = st.session_state[CURRENT]
        found = next((d for d in available if d.key == key), None)
        if found is not None:
            return found
    with database(read_only=True) as db:
        history = trainee_history(db, user, user.id, lib)
    done = [f"{s}:{i}" for s, i in zip(history["session"], history["item"], strict=True)]
    rng = np.random.default_rng()
    drill = next_drill(available, history, done, rng)
    st.session_state[CURRENT] = (drill.key, datetime.now(timezone.utc))
    st.session_state.pop(ANSWER, None)
    return drill


def _show(drill: Drill, lib, drill_set_id: int | None) -> None:
    rubric = lib.rubrics[drill.rubric_id]
    item = rubric.item(drill.item_id)
    session = lib.sessions[drill.session_id]
    answer = st.session_state.get(ANSWER)
    left, right = st.columns([11, 9], gap="medium")
    with left:
        st.markdown(f"**{shipped_title(lib, drill.session_id)}**")
        wide = st.toggle("Show more of the session around the excerpt", key="drills-wide")
        turns = excerpt(session.turns, drill.evidence, WIDE_CONTEXT if wide else CONTEXT)
        evidence = drill.evidence if answer else ()
        transcript_view(turns, key="drills-excerpt", evidence=evidence, height=520)
    with right:
        st.markdown(f"**{item.text}**")
        st.caption(item_caption(rubric, item))
        st.markdown(anchors_list(rubric, item))
        if answer is None:
            _ask(drill, rubric, drill_set_id)
        else:
            _feedback(drill, rubric, answer)


def _ask(drill: Drill, rubric, drill_set_id: int | None) -> None:
    score = st.radio(
        f"Your score for “{rubric.item(drill.item_id).text}”",
        rubric.scale.points,
        index=None,
        horizontal=True,
        key=f"drills-score-{len(st.session_state[ROUND])}",
    )
    if st.button("Check", type="primary", disabled=score is None, key="drills-check"):
        _key, shown = st.session_state[CURRENT]
        with database() as db:
            attempt = record_drill_answer(
                db,
                current_user(),
                library(),
                drill.session_id,
                drill.item_id,
                int(score),
                shown_at=shown,
                drill_set_id=drill_set_id,
            )
        st.session_state[ANSWER] = (attempt.score, attempt.expert_score)
        st.session_state[ROUND].append((drill.item_id, attempt.score, attempt.expert_score))
        st.rerun()


def _feedback(drill: Drill, rubric, answer: tuple[int, int]) -> None:
    yours, expert = answer
    gap = yours - expert
    if gap == 0:
        st.success(
            f"You scored {yours}; the expert scored {expert}. Same point.", icon=":material/check:"
        )
    else:
        direction = "higher (more lenient)" if gap > 0 else "lower (more severe)"
        st.warning(
            f"You scored {yours}; the expert scored {expert}: {abs(gap)} point(s) {direction}.",
            icon=":material/compare_arrows:",
        )
    item = rubric.item(drill.item_id)
    st.markdown(f"**The anchor that decides it ({expert}):** {item.anchors.get(expert, '')}")
    st.markdown(f"**The expert's reason:** {drill.rationale}")
    st.markdown(learn_markdown(library().learn.for_item(drill.item_id)))
    st.caption("The expert's evidence turns are highlighted in the excerpt.")
    if st.button("Next drill", type="primary", key="drills-next"):
        st.session_state.pop(CURRENT, None)
        st.session_state.pop(ANSWER, None)
        st.rerun()


def _round_summary(answers: list[tuple[str, int, int]]) -> None:
    gaps = [yours - expert for _item, yours, expert in answers]
    exact = sum(g == 0 for g in gaps)
    st.success(
        f"Round done: {exact} of {len(gaps)} on the expert's point; mean difference "
        f"{np.mean(gaps):+.2f} points. Your progress page shows each item's calibration."
    )
    if st.button("Start another round", type="primary", key="drills-again"):
        st.session_state[ROUND] = []
        st.rerun()
