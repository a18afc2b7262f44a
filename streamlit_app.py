"""ipt_fidelity: the Streamlit entry point (page config, sign-in gate, navigation by role)."""

import streamlit as st

from ipt_fidelity.ui.pages import library

st.set_page_config(page_title="IPT fidelity", page_icon="🧭", layout="wide")

pages = [st.Page(library.render, title="Content library", url_path="library", default=True)]
st.navigation(pages).run()
