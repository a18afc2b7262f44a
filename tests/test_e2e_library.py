"""Browser smoke test: sign in, open the content library and see a rubric item's anchors."""

import pytest

from tests.fixtures_browser import open_page, sign_in, wait_idle
from tests.fixtures_db import PASSWORD

pytestmark = pytest.mark.e2e


def test_library_shows_a_rubric_item(app_server, page):
    sign_in(page, app_server.url, "sup_a", PASSWORD)
    open_page(page, "Content library")
    page.get_by_role("heading", name="Content library").wait_for()
    expander = page.get_by_test_id("stExpander").first
    expander.click()
    wait_idle(page)
    assert "Scale:" in page.content()
    expander.get_by_role("table").wait_for()
    assert "score" in expander.inner_text()


def test_signed_out_visitor_cannot_open_a_page_by_url(app_server, page):
    page.goto(f"{app_server.url}/dashboard")
    wait_idle(page)
    page.get_by_role("heading", name="Sign in").wait_for()
    assert "Agreement dashboard" not in page.content()
