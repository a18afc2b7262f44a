"""Rate a transcript against a rubric, item by item, with evidence; every change is saved."""

from __future__ import annotations

import streamlit as st

from ...content.models import Item, Rubric
from ...store import (
    get_or_create_draft,
    get_scores,
    list_assignments,
    list_imported_sessions,
    list_ratings,
    save_item_score,
    submit_rating,
)
from ...store.errors import StoreError
from ...training.targets import RateTarget, shipped_target, uploaded_target
from ..rating_feedback import comparison_view
from ..state import current_user, db, library, require_role, show_store_error
from ..widgets import item_caption, rules_markdown, transcript_view

NA = "N/A"


def render() -> None:
    user = require_role("trainee", "supervisor", "admin")
    st.title("Rate a transcript")
    targets = _targets(user)
    if not targets:
        st.info("There is nothing to rate yet.")
        return
    target_id = st.selectbox(
        "Transcript", list(targets), format_func=lambda t: targets[t].title, key="rate-target"
    )
    target = targets[target_id]
    rubric = _rubric(target)
    if rubric is None:
        st.error("No session rubric is installed.")
        return
    try:
        rating, scores = _rating(user, target, rubric)
    except StoreError as error:
        show_store_error(error)
        return
    if rating.status == "submitted":
        comparison_view(user, target, rubric, rating, scores)
        return
    _rating_form(target, rubric, rating.id, scores)


def _rating(user, target: RateTarget, rubric: Rubric):
    """The user's rating of this transcript and its scores; a draft is created on first visit.

    Page reruns (every click) only read: the write session is opened once, for the new draft.
    """
    with db(read_only=True) as session:
        found = list_ratings(
            session, user, session_id=target.id, rubric_id=rubric.id, rater_id=user.id
        )
        if found:
            return found[0], get_scores(session, user, found[0].id)
    with db() as session:
        rating = get_or_create_draft(session, user, target.id, rubric.id, rubric.version)
    return rating, {}


def _targets(user) -> dict[str, RateTarget]:
    """Assigned transcripts first, then the rest of the shipped ones, then uploads."""
    lib = library()
    with db(read_only=True) as session:
        assigned = [a.target_id for a in list_assignments(session, user) if a.kind == "rate"]
        uploads = list_imported_sessions(session, user)
    targets: dict[str, RateTarget] = {}
    upload_by_id = {u.id: u for u in uploads}
    for target_id in [*assigned, *lib.sessions, *upload_by_id]:
        if target_id in targets:
            continue
        if target_id in lib.sessions:
            targets[target_id] = shipped_target(lib, target_id)
        elif target_id in upload_by_id:
            targets[target_id] = uploaded_target(lib, upload_by_id[target_id])
    return targets


def _rubric(target: RateTarget) -> Rubric | None:
    """The rubric the transcript's case names; without a case, the first session rubric."""
    lib = library()
    if target.rubric_id in lib.rubrics:
        return lib.rubrics[target.rubric_id]
    return next((r for r in lib.rubrics.values() if r.target == "session"), None)


def _rating_form(target: RateTarget, rubric: Rubric, rating_id: int, scores: dict) -> None:
    items = target.items(rubric)
    done = sum(1 for i in items if i.id in scores and _answered(scores[i.id]))
    st.progress(done / max(len(items), 1), text=f"{done} of {len(items)} items done")
    if error := st.session_state.pop("rate-error", None):
        st.error(error)
    st.caption("Every change is saved as you go; you can leave and come back to this draft.")
    if rubric.rules:
        with st.expander(f"Scoring rules of {rubric.title}"):
            st.markdown(rules_markdown(rubric))
    left, right = st.columns([1, 1], gap="large")
    with left:
        transcript_view(target.turns, key=f"rate-{rating_id}", height=900)
    with right:
        sections = [s for s in rubric.sections if any(i in items for i in s.items)]
        tabs = st.tabs([s.title for s in sections])
        turn_numbers = [t.n for t in target.turns]
        for tab, section in zip(tabs, sections, strict=True):
            with tab:
                for item in section.items:
                    if item in items:
                        _item_widget(rubric, item, rating_id, scores.get(item.id), turn_numbers)
    _submit(target, rating_id, items, done)


def _answered(score) -> bool:
    return score.score is not None or score.not_applicable


def _item_widget(rubric: Rubric, item: Item, rating_id: int, stored, turns: list[int]) -> None:
    """One item: scale with anchors, N/A where allowed, evidence turns and a comment."""
    key = f"rate-{rating_id}-{item.id}"
    options: list = list(rubric.scale.points) + ([NA] if rubric.na_allowed(item) else [])
    current = None
    if stored is not None:
        current = NA if stored.not_applicable else stored.score
    with st.container(border=True):
        st.markdown(f"**{item.text}**")
        st.caption(item_caption(rubric, item))
        anchors = "\n".join(
            f"- **{p}** {item.anchors[p]}" for p in rubric.scale.points if p in item.anchors
        )
        st.markdown(anchors)
        st.radio(
            "Score",
            options,
            index=options.index(current) if current in options else None,
            horizontal=True,
            key=f"{key}-score",
            on_change=_save,
            args=(rating_id, item.id, key),
        )
        evidence_col, comment_col = st.columns([1, 1])
        evidence_col.multiselect(
            "Evidence turns",
            turns,
            default=[n for n in (stored.evidence if stored else []) if n in turns],
            key=f"{key}-evidence",
            on_change=_save,
            args=(rating_id, item.id, key),
        )
        comment_col.text_input(
            "Comment",
            value=stored.comment if stored else "",
            key=f"{key}-comment",
            on_change=_save,
            args=(rating_id, item.id, key),
        )


def _save(rating_id: int, item_id: str, key: str) -> None:
    """Save one item as soon as any of its widgets changes."""
    choice = st.session_state.get(f"{key}-score")
    try:
        with db() as session:
            save_item_score(
                session,
                current_user(),
                rating_id,
                item_id,
                None if choice in (None, NA) else int(choice),
                not_applicable=choice == NA,
                evidence=st.session_state.get(f"{key}-evidence", []),
                comment=st.session_state.get(f"{key}-comment", ""),
            )
    except StoreError as error:
        st.session_state["rate-error"] = f"Not saved: {error}"


def _submit(target: RateTarget, rating_id: int, items: list[Item], done: int) -> None:
    """Submit with an explicit confirmation: a submitted rating is final."""
    st.divider()
    missing = len(items) - done
    if missing:
        st.info(f"{missing} item(s) still need a score or N/A before you can submit.")
    confirming = st.session_state.get("rate-confirming") == rating_id
    if not confirming:
        if st.button("Submit rating…", type="primary", disabled=bool(missing), key="rate-submit"):
            st.session_state["rate-confirming"] = rating_id
            st.rerun()
        return
    st.warning(
        f"Submit your rating of **{target.title}**? A submitted rating is final: only a "
        "supervisor can reopen it. You will then see the expert's rating beside yours."
    )
    yes, no = st.columns([1, 5])
    if no.button("Keep editing", key="rate-cancel"):
        st.session_state.pop("rate-confirming", None)
        st.rerun()
    if yes.button("Submit", type="primary", key="rate-confirm"):
        st.session_state.pop("rate-confirming", None)
        try:
            with db() as session:
                submit_rating(
                    session, current_user(), rating_id, required_items=[i.id for i in items]
                )
        except StoreError as error:
            show_store_error(error)
            return
        st.rerun()
