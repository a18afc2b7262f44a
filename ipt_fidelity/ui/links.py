"""Links between pages: only to pages in the signed-in user's own navigation."""

from __future__ import annotations

import streamlit as st

from .widgets import plain

_REGISTRY = "_navigation_pages"


def remember_pages(pages: dict[str, st.Page]) -> None:
    """Keep this run's pages by URL path, so other pages can link to them."""
    st.session_state[_REGISTRY] = pages


def link(
    url_path: str, label: str, icon: str | None = None, query: dict[str, str] | None = None
) -> None:
    """A link to another page of this user's navigation (pages they may not open get none);
    the label is plain text (it may hold names and titles people typed)."""
    page = st.session_state.get(_REGISTRY, {}).get(url_path)
    if page is not None:
        st.page_link(page, label=plain(label), icon=icon, query_params=query)
