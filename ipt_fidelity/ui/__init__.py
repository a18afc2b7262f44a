"""Streamlit pages and widgets: the only package besides streamlit_app.py that imports Streamlit."""
