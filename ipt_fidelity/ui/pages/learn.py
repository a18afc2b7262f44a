"""Learn IPT: short pages on the model, its phases, problem areas and techniques, and on what
is not IPT, each with worked examples from our transcripts and its sources.

A worked example shows a transcript turn with a verdict on it, so trainees see it only for
practice sessions and sessions they have already rated (the drills' blind rule).
"""

from __future__ import annotations

import streamlit as st

from ...content.learn import Example, LearnPage, example_open
from ...store import list_ratings
from ...store.targets import shipped_title
from ..learn_links import learn_href
from ..links import link
from ..selection import remembered_choice
from ..state import current_user, database, library


def render() -> None:
    user = current_user()
    lib = library()
    learn = lib.learn
    st.title("Learn IPT")
    pages = learn.contents()
    if not pages:
        st.info("No Learn pages are installed (see the `learn/` folder and CONTENT.md).")
        return
    titles = {p.id: p.title for p in pages}
    page_id = remembered_choice("Page", list(titles), titles.get, key="learn-topic", param="topic")
    page = learn.pages[page_id]
    rated: set[str] = set()
    if user.role == "trainee":
        with database(read_only=True) as db:
            rated = {
                r.session_id for r in list_ratings(db, user, rater_id=user.id, status="submitted")
            }
    st.caption(page.summary)
    st.markdown(" · ".join(f"[{s.title}](#{s.anchor})" for s in page.sections))
    for section in page.sections:
        st.subheader(section.title, anchor=section.anchor)
        st.markdown(learn.section_markdown(page, section, learn_href))
        for example in section.examples:
            _example(example, lib, staff=user.role != "trainee", rated=rated)
    _sources(page)


def _example(example: Example, lib, *, staff: bool, rated: set[str]) -> None:
    """A worked example, or a locked notice that names nothing of it."""
    if not staff and not example_open(example, lib.sessions, rated):
        st.caption(
            ":material/lock: A worked example from a transcript you have not rated yet; rate it "
            "in full to see it here."
        )
        return
    kind = "A model of good practice" if example.shows == "model" else "A pitfall"
    with st.container(border=True):
        st.markdown(f"**{kind}** — {shipped_title(lib, example.session)}, turn {example.turn}")
        st.markdown(f"> {example.quote}")
        st.markdown(example.note)
        target = "rate" if not staff else "library"
        link(
            target,
            label=f"Open the transcript at turn {example.turn}",
            icon=":material/open_in_new:",
            query={"session": example.session, "turn": str(example.turn)},
        )


def _sources(page: LearnPage) -> None:
    with st.expander("Sources"):
        st.markdown("\n".join(f"{i}. {s.citation}" for i, s in enumerate(page.sources, 1)))
