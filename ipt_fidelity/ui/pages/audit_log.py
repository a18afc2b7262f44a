"""Audit log (admins): who changed what and when, newest first, with filters."""

from __future__ import annotations

import json

import streamlit as st

from ...store import list_audit, list_users
from ..state import database, require_role

LIMITS = (200, 1000, 5000)


def render() -> None:
    admin = require_role("admin")
    st.title("Audit log")
    left, middle, right = st.columns(3)
    limit = left.selectbox("Newest entries", LIMITS, key="audit-limit")
    with database(read_only=True) as db:
        entries = list_audit(db, admin, limit=limit)
        names = {u.id: u.username for u in list_users(db, admin)}
    actions = sorted({e.action for e in entries})
    chosen = middle.multiselect("Actions", actions, key="audit-actions")
    actor = right.text_input("Actor username contains", key="audit-actor").strip().lower()
    rows = [
        {
            "at": e.at,
            "actor": names.get(e.actor_id, "command line" if e.actor_id is None else e.actor_id),
            "action": e.action,
            "details": json.dumps(e.details, ensure_ascii=False, sort_keys=True),
        }
        for e in entries
        if (not chosen or e.action in chosen)
        and (not actor or actor in str(names.get(e.actor_id, "")))
    ]
    st.caption(f"{len(rows)} of the newest {len(entries)} entries.")
    st.dataframe(rows, hide_index=True, width="stretch")
