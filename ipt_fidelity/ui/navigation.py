"""Which pages each role sees. A page absent from a role's navigation cannot be opened by URL.

A signed-out visitor, and a user who must first change a password set by someone else, get one
page (sign-in, or Account) under every page's address: a deep link or a bookmark shows that page
and, once signed in or changed, the page it names, with its query parameters.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from ..store.errors import DatabaseUnavailable, StoreError
from ..store.models import User
from ..store.transactions import UNAVAILABLE
from .links import remember_pages
from .pages import (
    account,
    admin_users,
    audit_import,
    audit_log,
    certification,
    cohorts,
    dashboard,
    drills,
    exports,
    home,
    learn,
    library,
    practice,
    progress,
    rate,
    signin,
    timeline,
)
from .state import current_user, show_store_error

EVERYONE = ("trainee", "supervisor", "admin")
STAFF = ("supervisor", "admin")


@dataclass(frozen=True)
class PageSpec:
    """A page, where it sits in the navigation, and the roles that may open it."""

    render: Callable[[], None]
    title: str
    url_path: str
    section: str
    roles: tuple[str, ...]


PAGES = (
    PageSpec(home.render, "Home", "home", "", EVERYONE),
    PageSpec(library.render, "Content library", "library", "", EVERYONE),
    PageSpec(learn.render, "Learn IPT", "learn", "Learn", EVERYONE),
    PageSpec(practice.render, "Formulation practice", "practice", "Practise", ("trainee",)),
    PageSpec(rate.render, "Rate a transcript", "rate", "Practise", ("trainee",)),
    PageSpec(drills.render, "Item drills", "drills", "Practise", ("trainee",)),
    PageSpec(progress.render, "My progress", "progress", "Practise", ("trainee",)),
    PageSpec(cohorts.render, "Cohorts and assignments", "cohorts", "Supervise", STAFF),
    PageSpec(dashboard.render, "Agreement dashboard", "dashboard", "Supervise", STAFF),
    PageSpec(
        certification.render, "Calibration and certification", "certification", "Supervise", STAFF
    ),
    PageSpec(exports.render, "Exports and reports", "exports", "Supervise", STAFF),
    PageSpec(audit_import.render, "Import a session", "import", "Audit", STAFF),
    PageSpec(rate.render, "Rate a session", "rate", "Audit", STAFF),
    PageSpec(timeline.render, "Therapist timeline", "timeline", "Audit", STAFF),
    PageSpec(admin_users.render, "Users", "users", "Administer", ("admin",)),
    PageSpec(audit_log.render, "Audit log", "audit-log", "Administer", ("admin",)),
    PageSpec(account.render, "Account", "account", "Account", EVERYONE),
)


def specs_for(role: str | None) -> list[PageSpec]:
    """The pages a role may open, in navigation order (signed out: only sign-in)."""
    if role is None:
        return [PageSpec(signin.render, "Sign in", "signin", "", ())]
    return [spec for spec in PAGES if role in spec.roles]


def _gate(render: Callable[[], None], title: str, url_path: str) -> dict[str, list[st.Page]]:
    """One page under its own address and under every other page's address (hidden)."""
    pages = [st.Page(guarded(render), title=title, url_path=url_path, default=True)]
    for path in dict.fromkeys(spec.url_path for spec in PAGES if spec.url_path != url_path):
        pages.append(st.Page(guarded(render), title=title, url_path=path))
    return {"": pages}


def restricted(user: User | None) -> bool:
    """Whether this visitor sees one page only (signed out, or a password to change first)."""
    return user is None or user.must_change_password


OPEN_TO_ALL = (signin.render, account.render)


def _must_change_first() -> bool:
    """Whether the signed-in user must change a password set by someone else before anything."""
    user = current_user()
    return user is not None and user.must_change_password


def guarded(render: Callable[[], None]) -> Callable[[], None]:
    """The one error boundary: a store failure or a database outage ends the page with one
    plain message (nothing half-saved: every store call is its own transaction)."""

    @functools.wraps(render)
    def run() -> None:
        try:
            if render not in OPEN_TO_ALL and _must_change_first():
                st.error("This page is not available to your account.")
                st.info("Choose your own password on the Account page first.")
                return
            render()
        except StoreError as error:
            show_store_error(error)
        except SQLAlchemyError:
            show_store_error(DatabaseUnavailable(UNAVAILABLE))

    return run


def pages_for(user: User | None) -> dict[str, list[st.Page]]:
    """The `st.navigation` sections for a signed-out visitor or a user with their role."""
    if user is None:
        return _gate(signin.render, "Sign in", "signin")
    if user.must_change_password:
        return _gate(account.render, "Choose your password", "account")
    sections: dict[str, list[st.Page]] = {}
    registry: dict[str, st.Page] = {}
    for i, spec in enumerate(specs_for(user.role)):
        page = st.Page(
            guarded(spec.render), title=spec.title, url_path=spec.url_path, default=i == 0
        )
        sections.setdefault(spec.section, []).append(page)
        registry[spec.url_path] = page
    remember_pages(registry)
    return sections
