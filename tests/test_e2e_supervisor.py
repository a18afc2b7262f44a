"""The supervisor journey in real Chromium over the demo cohort: a cohort, an assignment, the
dashboard, downloads and the printable report; a trainee cannot open a supervisor page by URL."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.fixtures_browser import AppServer, open_page, sign_in, start_app, stop_app, wait_idle
from tests.fixtures_db import PASSWORD, default_backend

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory, databases) -> Iterator[tuple[AppServer, str]]:
    """The app over `make_people` and the seeded demo cohort; yields it and the supervisor's
    password (demo passwords are random and shown once)."""
    from ipt_fidelity.content.library import load_library
    from ipt_fidelity.demo import seed_demo
    from ipt_fidelity.store import make_engine, open_session
    from tests.fixtures_db import make_people

    url = databases.fresh(default_backend())
    engine = make_engine(url)
    with open_session(engine) as db:
        people = make_people(db)
        result = seed_demo(db, load_library(), people.admin, seed=11)
    engine.dispose()
    password = next(a.password for a in result.accounts if a.username == "demo-supervisor")
    process, server = start_app(tmp_path_factory.mktemp("supervisor-app"), {"DATABASE_URL": url})
    yield server, password
    stop_app(process)


def choose(page, label: str, option: str) -> None:
    """Pick an option of a selectbox or multiselect by its label."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option).first.click()
    wait_idle(page)


def test_supervisor_journey_over_the_demo_cohort(demo_app, page):
    server, password = demo_app
    sign_in(page, server.url, "demo-supervisor", password)

    open_page(page, "Cohorts and assignments")
    choose(page, "Cohort", "+ New cohort")
    page.get_by_role("textbox", name="Name").fill("Autumn intake")
    page.get_by_role("button", name="Create cohort").click()
    wait_idle(page)
    expect(page.get_by_role("combobox", name="Cohort", exact=True)).to_have_value("Autumn intake")
    page.get_by_role("tab", name="Assign work").click()
    wait_idle(page)
    choose(page, "Sessions", "declan-s01 (initial)")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Assign", exact=True).click()
    wait_idle(page)
    page.get_by_text("1 assignment(s) created.").wait_for()

    open_page(page, "Agreement dashboard")
    choose(page, "Cohort", "Demo cohort")
    page.get_by_text("ICC form: ICC(A,1).").wait_for()
    assert page.get_by_test_id("stDataFrame").count() >= 1  # the per-item coefficients
    page.get_by_text("per item, with 95% CI").first.wait_for()  # the plotly chart drew
    page.get_by_role("tab", name="Raters").click()
    wait_idle(page)
    page.get_by_text("Mean signed deviation from the expert").first.wait_for()
    assert page.locator(".js-plotly-plot").count() >= 3

    open_page(page, "Exports and reports")
    choose(page, "Cohort", "Demo cohort")
    with page.expect_download() as download:
        page.get_by_role("button", name="Ratings (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    assert rows and {"rater", "session", "item", "score"} <= set(rows[0])
    assert {r["rater"] for r in rows} >= {"demo-lenient", "demo-severe"}
    with page.expect_download() as download:
        page.get_by_role("button", name="Ratings (Excel)").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert [c.value for c in sheet[1]][:5] == ["rater", "session", "rubric", "item", "score"]
    assert sheet.max_row == len(rows) + 1
    with page.expect_download() as download:
        page.get_by_role("button", name="Agreement report (CSV)").click()
    assert "krippendorff_alpha" in download.value.path().read_text()
    page.get_by_role("button", name="Prepare the printable report").click()
    wait_idle(page, timeout=60_000)
    report = page.frame_locator("iframe").first
    report.get_by_role("heading", name="Rater agreement report: Demo cohort").wait_for()
    report.get_by_text("Items, worst agreement first").wait_for()


def test_a_trainee_cannot_open_a_supervisor_page_by_url(demo_app, page):
    server, _ = demo_app
    sign_in(page, server.url, "trainee", PASSWORD)
    nav = page.get_by_test_id("stSidebarNav")
    assert nav.get_by_role("link", name="Agreement dashboard").count() == 0
    for path in ("dashboard", "cohorts", "certification", "exports", "users"):
        page.goto(f"{server.url}/{path}")
        wait_idle(page)
        assert page.get_by_role("heading", name="Agreement dashboard").count() == 0
        assert page.get_by_role("heading", name="Cohorts and assignments").count() == 0
        assert "ICC form" not in page.content() and "Ratings (CSV)" not in page.content()
