"""ipt_fidelity: the Streamlit entry point (page config, sign-in gate, navigation by role)."""

import streamlit as st

from ipt_fidelity.ui.navigation import pages_for, restricted
from ipt_fidelity.ui.state import current_user, keep_cookie
from ipt_fidelity.ui.widgets import plain

st.set_page_config(page_title="IPT fidelity", page_icon=":material/psychology:", layout="wide")

user = current_user()
keep_cookie()
if user is not None:
    st.sidebar.caption(f"{plain(user.display_name)} · {user.role}")
st.navigation(pages_for(user), position="hidden" if restricted(user) else "sidebar").run()
