"""The audit journey in real Chromium: a supervisor imports a VTT with identifiers, reviews and
redacts it, saves it, and rates the redacted session on the rating page."""

import re
from pathlib import Path

import pytest

from tests.fixtures_browser import open_page, sign_in, wait_idle
from tests.fixtures_db import PASSWORD

pytestmark = pytest.mark.e2e
VTT = Path(__file__).parent / "data" / "audit" / "identifiers.vtt"
IDENTIFIERS = ("555-867-5309", "james.carter@example.com", "Maple Avenue", "Rosa", "James")


def choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by its label and the option's text."""
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option).click()
    wait_idle(page)


def test_supervisor_imports_redacts_saves_and_rates_a_session(app_server, page):
    sign_in(page, app_server.url, "sup_a", PASSWORD)
    open_page(page, "Import a session")
    page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(VTT)
    wait_idle(page)

    page.get_by_role("heading", name="1. Speakers").wait_for()
    choose(page, re.compile("Role of James Carter"), "client")
    choose(page, re.compile("Role of Dr. Maria Lopez"), "therapist")
    page.get_by_text("7 finding(s).").wait_for()
    page.get_by_role("textbox", name="Other names to find (comma-separated)").fill("Rosa")
    page.get_by_role("button", name="Add and re-scan").click()
    wait_idle(page)
    page.get_by_text("7 finding(s).").wait_for()

    preview = page.locator("table.ipt-turns")
    preview.get_by_text("[PHONE 1]", exact=False).first.wait_for()
    shown = preview.inner_text()
    assert "[NAME 1]" in shown and "[EMAIL 1]" in shown and "[ADDRESS 1]" in shown
    assert not any(i in shown for i in IDENTIFIERS)
    assert '<script>alert("x")</script>' in shown  # the literal text, never run

    page.get_by_role("textbox", name="Therapist (pseudonymous id)").fill("T-042")
    page.get_by_role("textbox", name="Title").fill("Audit week 3")
    page.get_by_role("spinbutton", name="Session number").fill("3")
    rubric = page.get_by_role("combobox", name="Rubric")
    rubric.click()
    rubric.press_sequentially("adult individual")
    rubric.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Save the session").click()
    wait_idle(page)
    page.get_by_text(re.compile(r"Saved as upload-")).wait_for()

    open_page(page, "Rate a session")
    choose(page, "Transcript", "Audit week 3 · therapist T-042 · session 3")
    transcript = page.locator("table.ipt-turns")
    transcript.get_by_text("[PHONE 1]", exact=False).first.wait_for()
    shown = transcript.inner_text()
    assert "[NAME 1]" in shown and "[DATE 1]" in shown
    assert not any(i in shown for i in IDENTIFIERS)

    progress = page.get_by_test_id("stProgress")
    total = int(re.search(r"of (\d+) items", progress.inner_text()).group(1))
    page.get_by_role("radiogroup", name="Score").first.get_by_text("2", exact=True).click()
    wait_idle(page)
    page.get_by_text(f"1 of {total} items done").wait_for()
