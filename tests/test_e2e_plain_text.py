"""In real Chromium, names people typed never load or link anything: with hostile display names,
cohort names, upload titles and comments in the database, the cohorts and dashboard pages hold
no `<img>` or `<a>` pointing outside the app, and the browser never asks the outside server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fixtures_browser import AppServer, open_page, sign_in, start_app, stop_app, wait_idle
from tests.test_ui_plain_text import EVIL, seed_hostile

pytestmark = pytest.mark.e2e

OUTSIDE_LINKS = """() => [...document.querySelectorAll('img, a, image, iframe, source')].map(
    e => e.getAttribute('src') || e.getAttribute('href') || e.getAttribute('xlink:href') || ''
).filter(u => u.includes('evil.example') || /^(https?:)?\\/\\//.test(u))"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, databases) -> Iterator[tuple[AppServer, str]]:
    seeded = seed_hostile(databases)
    process, server = start_app(
        tmp_path_factory.mktemp("hostile-app"), {"DATABASE_URL": seeded["url"]}
    )
    yield server, seeded["password"]
    stop_app(process)


def outside(page) -> list[str]:
    """Every image or link in the page (SVG charts included) that points off the app."""
    base = page.url.split("/", 3)[:3]
    own = "/".join(base) + "/"
    return [u for u in page.evaluate(OUTSIDE_LINKS) if not u.startswith(own)]


def test_hostile_names_load_and_link_nothing(hostile_server, page):
    server, password = hostile_server
    asked: list[str] = []
    page.route(f"**/*{EVIL}*", lambda route: (asked.append(route.request.url), route.abort()))
    sign_in(page, server.url, "demo-supervisor", password)
    assert outside(page) == []

    open_page(page, "Cohorts and assignments")
    for tab in ("Members", "Assign work", "Completion", "Cohort details"):
        tabs = page.get_by_role("tab", name=tab)
        if tabs.count():
            tabs.first.click()
            wait_idle(page)
        assert outside(page) == [], tab
    assert page.get_by_text(EVIL).count() >= 1  # the names are there, as text

    open_page(page, "Agreement dashboard")
    for tab in ("Items", "Sections and total", "Raters", "Decision study"):
        tabs = page.get_by_role("tab", name=tab)
        if tabs.count():
            tabs.first.click()
            wait_idle(page)
        assert outside(page) == [], tab
    page.wait_for_timeout(500)
    assert asked == []
