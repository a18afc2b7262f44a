"""What people typed renders as plain text on every page: no image, link or HTML from a name.

The demo cohort is seeded and then every user-supplied text in it (display names, cohort names,
upload titles, therapist ids, rating comments, decision notes, drill-set titles) is replaced by a
hostile string. Every page each role can open is run, and every element Streamlit renders as
Markdown (bodies, labels, tab and expander labels, radio and pill options, help) is checked: the
Markdown that would load or link something never appears unescaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select, update

from ipt_fidelity.content.library import load_library
from ipt_fidelity.demo import seed_demo
from ipt_fidelity.store import open_session, record_decision
from ipt_fidelity.store.drills import create_drill_set
from ipt_fidelity.store.engine import make_engine
from ipt_fidelity.store.models import Cohort, ImportedSession, ItemScore, Membership, User
from ipt_fidelity.ui.navigation import specs_for
from ipt_fidelity.ui.widgets import plain
from tests.apptest import app_test, page_test

EVIL = "evil.example"
HOSTILE = (
    f"![x](http://{EVIL}/x.png)",
    f"[click me](https://{EVIL}/)",
    f"<img src=http://{EVIL}/i.png>",
    ":red[alarm] **loud** `code`",
    "\u202etxet desrever\u200b zero\u200dwidth",
    "L" * 80 + f" ![long](http://{EVIL}/l.png)",
    f"<a href='http://{EVIL}/'>a link</a> www.{EVIL}",
    "$x^2$ | a | table |",
)
# what would load or link if it reached the Markdown renderer unescaped
# (the app's own links go to its pages, `](/learn?...)` or `](#anchor)`: those stay allowed)
UNSAFE = re.compile(
    r"(?<!\\)!(?<!\\)\[|(?<!\\)\]\((?![/#])|(?<!\\)<(img|a)\b|:red\[|https?://|www\.",
    re.IGNORECASE,
)
PAGES = {  # every page each role has in its navigation
    role: tuple(
        dict.fromkeys(spec.render.__module__.rsplit(".", 1)[-1] for spec in specs_for(role))
    )
    for role in ("admin", "supervisor", "trainee")
}
MARKDOWN_BODIES = {
    "markdown",
    "caption",
    "title",
    "header",
    "subheader",
    "info",
    "warning",
    "success",
    "error",
    "toast",
    "exception",
}


def rendered_markdown(node) -> Iterator[tuple[str, str]]:
    """(element type, text) for every string the app's front end renders as Markdown."""
    proto = getattr(node, "proto", None)
    kind = getattr(node, "type", "")
    if proto is not None:
        fields = {f.name for f, _ in proto.ListFields()} if hasattr(proto, "ListFields") else set()
        if kind in MARKDOWN_BODIES and "body" in fields:
            yield kind, proto.body
        for name in ("label", "help"):
            if name in fields and isinstance(getattr(proto, name), str):
                yield f"{kind}.{name}", getattr(proto, name)
        if kind == "radio":
            yield from ((f"{kind}.option", o) for o in proto.options)
        if kind == "button_group":
            yield from ((f"{kind}.option", o.content) for o in proto.options)
    for child in getattr(node, "children", {}).values():
        yield from rendered_markdown(child)


def unsafe_markdown(at) -> list[tuple[str, str]]:
    found = []
    for kind, text in rendered_markdown(at._tree):
        if kind == "markdown" and text.lstrip().startswith("<style>"):
            text = re.sub(r"<[^>]+>", " ", text)  # the app's own escaped HTML: check its text
        if UNSAFE.search(text):
            found.append((kind, text[:200]))
    return found


def seed_hostile(databases) -> dict:
    """A database with the people of the tests, the demo cohort and hostile text everywhere;
    returns its URL, the ids of an admin, the demo supervisor and a demo trainee, and the demo
    supervisor's password."""
    from ipt_fidelity.config import REPO_ROOT
    from tests.fixtures_db import default_backend, make_people

    url = databases.fresh(default_backend())
    engine = make_engine(url)
    library = load_library(root=REPO_ROOT)
    with open_session(engine) as db:
        people = make_people(db)
        demo = seed_demo(db, library, people.admin, seed=7)
        supervisor = db.scalar(select(User).where(User.username == "demo-supervisor"))
        demo_users = list(db.scalars(select(User).where(User.username.like("demo-%"))))
        for k, user in enumerate(demo_users):
            db.execute(update(User).where(User.id == user.id).values(display_name=HOSTILE[k % 8]))
        for k, cohort in enumerate(db.scalars(select(Cohort)).all()):
            db.execute(
                update(Cohort).where(Cohort.id == cohort.id).values(name=f"{k} {HOSTILE[k % 8]}")
            )
        for k, upload in enumerate(db.scalars(select(ImportedSession)).all()):
            db.execute(
                update(ImportedSession)
                .where(ImportedSession.id == upload.id)
                .values(title=HOSTILE[k % 8][:200], therapist_id=HOSTILE[0])
            )
        db.execute(update(ItemScore).values(comment=HOSTILE[1]))
        db.commit()
        trainee = next(u for u in demo_users if u.role == "trainee")
        record_decision(db, supervisor, trainee.id, "certified", note=HOSTILE[0])
        session_ids = sorted(library.sessions)[:2]
        items = [i.id for i in library.rubrics["ipt_adherence"].items][:2]
        drill_cohort = db.scalar(
            select(Membership.cohort_id).where(Membership.user_id == trainee.id)
        )
        create_drill_set(db, supervisor, library, drill_cohort, HOSTILE[0], items, session_ids)
        ids = {"admin": people.admin.id, "supervisor": supervisor.id, "trainee": trainee.id}
    engine.dispose()
    password = next(a.password for a in demo.accounts if a.username == "demo-supervisor")
    return {"url": url, "password": password, **ids}


@pytest.fixture(scope="module")
def hostile_db(databases) -> dict:
    return seed_hostile(databases)


@pytest.fixture
def hostile_app(monkeypatch, hostile_db) -> dict[str, int]:
    from ipt_fidelity.config import REPO_ROOT

    monkeypatch.setenv("DATABASE_URL", hostile_db["url"])
    monkeypatch.setenv("IPT_FIDELITY_CONTENT", str(REPO_ROOT))
    return hostile_db


def test_plain_escapes_what_would_load_or_link() -> None:
    for text in HOSTILE:
        assert not UNSAFE.search(plain(text)), plain(text)
    assert plain("Dr Demo (supervisor)") == "Dr Demo (supervisor)"
    assert plain("ana@evil.example") == "ana\u2060@evil.example"
    assert "\u202e" not in plain(HOSTILE[4])  # no right-to-left override turns the line round


@pytest.mark.parametrize(
    ("role", "module"), [(role, module) for role, pages in PAGES.items() for module in pages]
)
def test_no_page_renders_typed_markdown(hostile_app, role: str, module: str) -> None:
    at = page_test(module, hostile_app[role], timeout=180).run()
    assert not at.exception, [e.value for e in at.exception]
    assert unsafe_markdown(at) == []


@pytest.mark.parametrize("role", ["admin", "supervisor", "trainee"])
def test_the_sidebar_names_the_user_as_plain_text(hostile_app, role: str) -> None:
    at = app_test(hostile_app[role], timeout=180).run()
    assert not at.exception, [e.value for e in at.exception]
    assert unsafe_markdown(at) == []
