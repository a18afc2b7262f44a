"""Browser smoke test: the content library opens in real Chromium and shows a rubric item."""

import pytest

from tests.fixtures_browser import wait_idle

pytestmark = pytest.mark.e2e


def test_library_shows_a_rubric_item(app_server, page):
    page.goto(f"{app_server.url}/library")
    wait_idle(page)
    page.get_by_role("heading", name="Content library").wait_for()
    expander = page.locator("[data-testid=stExpander]").first
    expander.wait_for()
    expander.click()
    page.get_by_text("score").first.wait_for()
    assert "Scale:" in page.content()
