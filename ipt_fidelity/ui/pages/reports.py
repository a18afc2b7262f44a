"""Placeholder page: being built."""

import streamlit as st


def render() -> None:
    st.title("Coming soon")
