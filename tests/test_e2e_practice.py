"""Trainee pages in real Chromium: no key in the DOM before submission, no lost click, no empty
draft, a wide transcript, and five item drills with their feedback."""

from __future__ import annotations

import re

import pytest

from ipt_fidelity.config import REPO_ROOT
from ipt_fidelity.content.library import load_library
from ipt_fidelity.content.vocab import ANSWER_WORDS, DIFFICULTIES, label
from tests.fixtures_browser import open_page, sign_in, wait_idle
from tests.fixtures_db import PASSWORD

pytestmark = pytest.mark.e2e
LIB = load_library(root=REPO_ROOT)
ORDERED = sorted(LIB.cases.values(), key=lambda c: (DIFFICULTIES.index(c.difficulty), c.title))
ATTRIBUTES = """() => Array.from(document.querySelectorAll('*')).flatMap(
    e => Array.from(e.attributes).map(a => a.value))"""


def test_the_practice_page_carries_no_key_before_submission(app_server, page):
    sign_in(page, app_server.url, "outsider", PASSWORD)
    open_page(page, "Formulation practice")
    case = ORDERED[0]
    page.get_by_role("heading", name="Formulation practice").wait_for()
    attributes = " ".join(page.evaluate(ATTRIBUTES)).lower()
    named = {w for w in ANSWER_WORDS if re.search(rf"\b{w}\b", attributes)}
    assert named == set(), f"class names, ids or links carry {named}"
    assert not any(w in page.url.lower() for w in ANSWER_WORDS)
    html = page.content()
    for secret in (
        case.key.rationale[:60],
        case.key.model_formulation[:60],
        case.key.teaching_points[0][:60],
        *[cue.why[:50] for cue in case.key.cues],
    ):
        assert secret not in html
    assert case.key.primary_problem_area not in attributes  # the vocabulary id of the answer


def test_a_click_after_submitting_a_later_case_is_not_lost(app_server, page):
    sign_in(page, app_server.url, "peer", PASSWORD)
    open_page(page, "Formulation practice")
    second = ORDERED[1]
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=re.compile(re.escape(second.title))).click()
    wait_idle(page)
    page.get_by_role("radiogroup", name="Primary problem area").get_by_text(
        label(second.key.primary_problem_area), exact=True
    ).click()
    wait_idle(page)
    if second.key.dispute_stage:
        page.get_by_text(label(second.key.dispute_stage), exact=True).click()
        wait_idle(page)
    page.get_by_role("button", name="Submit formulation").click()
    wait_idle(page)
    page.get_by_role("heading", name="Model formulation").wait_for()
    wait_idle(page)  # the submission's follow-up run has finished too: a person clicks after it
    assert page.url.endswith(f"case={second.id}")  # the picker stayed on the case
    page.get_by_role("button", name="Formulate this case again (practice)").click()  # one click
    wait_idle(page)
    page.get_by_text("This is a practice attempt").wait_for()
    assert page.url.endswith(f"case={second.id}")


def test_opening_a_transcript_leaves_no_draft_and_the_transcript_is_wide(app_server, page):
    sign_in(page, app_server.url, "sup_b", PASSWORD)  # staff: no exposure, same layout
    open_page(page, "Rate a session")
    table = page.locator("table.ipt-turns").first
    table.wait_for()
    content = page.get_by_role("heading", name="Rate a session").bounding_box()["width"]
    assert table.bounding_box()["width"] >= 0.5 * content  # at least half the page's width
    wait_idle(page)
    page.get_by_test_id("stButtonGroup").first.wait_for()
    sections = page.get_by_test_id("stButtonGroup").locator("button")
    labels = [sections.nth(k).inner_text() for k in range(sections.count())]
    assert len(labels) >= 4 and all(re.search(r"\((\d+ to do|done)\)", x) for x in labels)
    assert all(sections.nth(k).is_visible() for k in range(sections.count()))  # none hidden
    assert page.get_by_role("radiogroup", name=re.compile("^Score for")).count() >= 1
    open_page(page, "Home")
    page.get_by_text("Nothing is waiting").or_(
        page.get_by_text("Needs your attention")
    ).first.wait_for()


def test_five_item_drills_with_feedback(app_server, page):
    sign_in(page, app_server.url, "trainee", PASSWORD)
    open_page(page, "Item drills")
    for n in range(1, 6):
        group = page.get_by_role("radiogroup", name=re.compile("^Your score for"))
        group.get_by_text("2", exact=True).click()
        wait_idle(page)
        page.get_by_role("button", name="Check").click()
        wait_idle(page)
        page.get_by_text(re.compile("the expert scored")).first.wait_for()
        page.get_by_text("The anchor that decides it").wait_for()
        assert page.locator("tr.evidence").count() >= 1
        page.get_by_role("button", name="Next drill").click()
        wait_idle(page)
        page.get_by_text(f"{n} of 10 drills this round").wait_for()
