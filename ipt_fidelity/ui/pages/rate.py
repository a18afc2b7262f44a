"""Rate a transcript against its rubric, item by item, with evidence; every change is saved.

Opening a transcript starts nothing: the draft is created with the first score. The chosen
transcript is kept in the address (`?session=<id>`: ids never carry an answer), so a reload or a
bookmark comes back to it.
"""

from __future__ import annotations

import streamlit as st

from ...content.models import Item, Rubric
from ...store import (
    ScoreEntry,
    find_own_rating,
    get_or_create_draft,
    get_scores,
    resolve_target,
    save_item_score,
    submit_rating,
)
from ...store.errors import StoreError
from ...store.exposures import record_exposure
from ...store.targets import RateTarget
from ...training.worklist import rating_worklist
from ..learn_links import learn_markdown
from ..rating_feedback import comparison_view
from ..selection import remembered_choice
from ..state import current_user, database, library, require_role
from ..widgets import (
    anchors_list,
    item_caption,
    plain,
    rules_markdown,
    transcript_view,
    turn_from_address,
)

NA = "N/A"


def render() -> None:
    user = require_role("trainee", "supervisor", "admin")
    lib = library()
    st.title("Rate a transcript" if user.role == "trainee" else "Rate a session")
    with database(read_only=True) as db:
        work = {w.target_id: w for w in rating_worklist(db, user, lib)}
    if not work:
        st.info("There is nothing to rate yet.")
        return
    target_id = remembered_choice(
        "Transcript", list(work), lambda t: work[t].label, key="rate-target", param="session"
    )
    with database(read_only=True) as db:
        target = resolve_target(db, user, lib, target_id)
        rating = find_own_rating(db, user, target.id)
        scores = get_scores(db, user, rating.id) if rating else {}
    rubric = target.rubric(lib)
    if rubric is None:
        st.error(f"The rubric '{target.rubric_id}' of this session is not installed.")
        return
    if rating is not None and rating.status == "submitted":
        comparison_view(user, target, rubric, rating, scores)
        return
    _note_exposure(user, target, lib)
    _rating_form(target, rubric, scores)


def _note_exposure(user, target: RateTarget, lib) -> None:
    """A trainee who opens a case's transcript could learn its problem area from the items."""
    if user.role != "trainee" or target.id not in lib.sessions:
        return
    flag = f"rate-exposed-{target.id}"
    if st.session_state.get(flag):
        return
    with database() as db:
        record_exposure(db, user, lib.sessions[target.id].case, "rating page")
    st.session_state[flag] = True


def _answered(score) -> bool:
    return score.score is not None or score.not_applicable


def _answered_in(scores: dict, item_id: str) -> bool:
    return item_id in scores and _answered(scores[item_id])


def _rating_form(target: RateTarget, rubric: Rubric, scores: dict) -> None:
    items = target.items(rubric)
    done = sum(1 for i in items if i.id in scores and _answered(scores[i.id]))
    st.progress(done / max(len(items), 1), text=f"{done} of {len(items)} items done")
    if error := st.session_state.pop("rate-error", None):
        st.error(plain(error))
    st.caption(
        "Every change is saved as you go; the draft starts with your first score and you can "
        "leave and come back to it."
    )
    if rubric.rules:
        with st.expander(f"Scoring rules of {rubric.title}"):
            st.markdown(rules_markdown(rubric))
    focus = st.session_state.get(f"rate-{target.id}-focus")
    evidence = list(scores[focus].evidence) if focus in scores else []
    left, right = st.columns([3, 2], gap="medium")
    with left:
        if focus in scores and evidence:
            st.caption(f"Highlighted: your evidence for “{rubric.item(focus).text}”.")
        transcript_view(
            target.turns,
            key=f"rate-{target.id}",
            evidence=evidence,
            height=900,
            start_turn=turn_from_address(),
        )
    with right:
        sections = [s for s in rubric.sections if any(i in items for i in s.items)]
        to_do = {
            s.id: sum(1 for i in s.items if i in items and not _answered_in(scores, i.id))
            for s in sections
        }
        titles = {
            s.id: f"{s.title} ({to_do[s.id]} to do)" if to_do[s.id] else f"{s.title} (done)"
            for s in sections
        }
        chosen = st.pills(
            "Section of the rubric",
            list(titles),
            format_func=titles.get,
            default=next((s for s in titles if to_do[s]), next(iter(titles))),
            key=f"rate-{target.id}-section",
            wrap=True,
        ) or next(iter(titles))
        turn_numbers = [t.n for t in target.turns]
        section = next(s for s in sections if s.id == chosen)
        with st.container(height=800, border=False):
            for item in section.items:
                if item in items:
                    _item_widget(rubric, item, target, scores.get(item.id), turn_numbers)
    _submit(target, items, done)


def _item_widget(rubric: Rubric, item: Item, target: RateTarget, stored, turns: list[int]) -> None:
    """One item: scale with anchors, N/A where allowed, evidence turns and a comment."""
    key = f"rate-{target.id}-{item.id}"
    options: list = list(rubric.scale.points) + ([NA] if rubric.na_allowed(item) else [])
    current = None
    if stored is not None:
        current = NA if stored.not_applicable else stored.score
    with st.container(border=True):
        st.markdown(f"**{item.text}**")
        st.caption(item_caption(rubric, item))
        st.markdown(learn_markdown(library().learn.for_item(item.id)))
        st.markdown(anchors_list(rubric, item))
        args = (target.id, item.id, key)
        st.radio(
            f"Score for “{item.text}”",
            options,
            index=options.index(current) if current in options else None,
            horizontal=True,
            key=f"{key}-score",
            on_change=_save,
            args=args,
            label_visibility="collapsed",
        )
        evidence_col, comment_col = st.columns([1, 1])
        evidence_col.multiselect(
            f"Evidence turns for “{item.text}”",
            turns,
            default=[n for n in (stored.evidence if stored else []) if n in turns],
            key=f"{key}-evidence",
            on_change=_save,
            args=args,
            placeholder="Evidence turns",
            label_visibility="collapsed",
        )
        comment_col.text_input(
            f"Comment on “{item.text}”",
            value=stored.comment if stored else "",
            key=f"{key}-comment",
            on_change=_save,
            args=args,
            placeholder="Comment",
            label_visibility="collapsed",
        )


def _save(session_id: str, item_id: str, key: str) -> None:
    """Save one item as soon as any of its widgets changes; the first change starts the draft."""
    choice = st.session_state.get(f"{key}-score")
    evidence = tuple(st.session_state.get(f"{key}-evidence", []))
    comment = st.session_state.get(f"{key}-comment", "")
    if choice is None and not evidence and not comment:
        return
    entry = ScoreEntry(
        score=None if choice in (None, NA) else int(choice),
        not_applicable=choice == NA,
        evidence=evidence,
        comment=comment,
    )
    user, lib = current_user(), library()
    try:
        with database() as db:
            rating = get_or_create_draft(db, user, lib, session_id)
            save_item_score(db, user, lib, rating.id, item_id, entry)
    except StoreError as error:  # a callback runs outside the page: keep its message for it
        st.session_state["rate-error"] = f"Not saved: {error}"
        return
    st.session_state[f"rate-{session_id}-focus"] = item_id


def _submit(target: RateTarget, items: list[Item], done: int) -> None:
    """Submit with an explicit confirmation: a submitted rating is final."""
    st.divider()
    missing = len(items) - done
    if missing:
        st.info(f"{missing} item(s) still need a score or N/A before you can submit.")
    confirming = st.session_state.get("rate-confirming") == target.id
    if not confirming:
        if st.button("Submit rating…", type="primary", disabled=bool(missing), key="rate-submit"):
            st.session_state["rate-confirming"] = target.id
            st.rerun()
        return
    st.warning(
        f"Submit your rating of **{plain(target.title)}**? A submitted rating is final: only a "
        "supervisor can reopen it. You will then see the expert's rating beside yours."
    )
    yes, no = st.columns([1, 5])
    if no.button("Keep editing", key="rate-cancel"):
        st.session_state.pop("rate-confirming", None)
        st.rerun()
    if yes.button("Submit", type="primary", key="rate-confirm"):
        st.session_state.pop("rate-confirming", None)
        user, lib = current_user(), library()
        with database() as db:
            rating = find_own_rating(db, user, target.id)
            if rating is not None:
                submit_rating(db, user, lib, rating.id)
        st.rerun()
