"""Choices that survive every rerun, a reload and a bookmark: kept in the tab and the address.

The chosen value lives in session state and in a query parameter (ids only, and ids never carry
an answer). It is put back before the widget is drawn, so a picker whose labels change (a case
marked "done" after a submission) keeps its selection and no click is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st


def remembered_choice(
    label: str,
    options: Sequence[Any],
    format_func: Callable[[Any], str],
    *,
    key: str,
    param: str,
) -> Any:
    """A selectbox whose choice persists across reruns and reloads (`?param=value`)."""
    current = st.session_state.get(key)
    if current not in options:
        by_text = {str(option): option for option in options}
        current = by_text.get(st.query_params.get(param, ""), options[0])
    st.session_state[key] = current
    choice = st.selectbox(label, options, format_func=format_func, key=key)
    if st.query_params.get(param) != str(choice):
        st.query_params[param] = str(choice)
    return choice
