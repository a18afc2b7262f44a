"""The trainee journeys in real Chromium: formulate a case and read the feedback; rate a whole
transcript with a reload halfway, submit and see the comparison with the expert."""

import re

import pytest

from ipt_fidelity.config import REPO_ROOT
from ipt_fidelity.content.library import load_library
from ipt_fidelity.content.vocab import DIFFICULTIES, label
from tests.fixtures_browser import open_page, sign_in, wait_idle
from tests.fixtures_db import PASSWORD

pytestmark = pytest.mark.e2e
LIB = load_library(root=REPO_ROOT)


def first_case():
    """The case a new trainee's picker opens on: easiest first, then by title."""
    return min(LIB.cases.values(), key=lambda c: (DIFFICULTIES.index(c.difficulty), c.title))


def test_trainee_formulates_a_case_and_reads_the_feedback(app_server, page):
    sign_in(page, app_server.url, "trainee", PASSWORD)
    open_page(page, "Formulation practice")
    case = first_case()  # the page opens on the first case of the work list
    assert "Expert key" not in page.content()
    page.get_by_role("radiogroup", name="Primary problem area").get_by_text(
        label(case.key.primary_problem_area), exact=True
    ).click()
    wait_idle(page)
    if case.key.dispute_stage:
        page.get_by_text(label(case.key.dispute_stage), exact=True).click()
        wait_idle(page)
    page.get_by_role("textbox", name=re.compile("Your interpersonal formulation")).fill(
        "Your low mood began after these changes; we will meet for 12 weekly sessions. "
        "Does that fit?"
    )
    page.get_by_role("button", name="Submit formulation").click()
    wait_idle(page)
    page.get_by_text("Your reading of the case matches the expert's.").wait_for()
    page.get_by_role("heading", name="Model formulation").wait_for()
    assert page.locator(".ipt-cue, .ipt-cue-missed").count() >= 1  # cues highlighted


def score_visible_items(page, limit: int | None = None) -> int:
    """Click a score on each unscored item of the open tab (up to `limit`); return how many."""
    done = 0
    sections = page.get_by_test_id("stButtonGroup").locator("button")
    sections.first.wait_for()  # the rubric column has drawn (the page may still be re-running)
    items = page.get_by_role("radiogroup", name=re.compile("^Score for"))
    for k in range(sections.count()):
        sections.nth(k).click()
        wait_idle(page)
        items.first.wait_for()
        for group in items.all():
            if group.locator("input:checked").count():
                continue
            group.get_by_text("2", exact=True).click()
            wait_idle(page)
            done += 1
            if limit is not None and done >= limit:
                return done
    return done


def test_trainee_rates_a_transcript_reloads_submits_and_compares(app_server, page):
    sign_in(page, app_server.url, "peer", PASSWORD)
    open_page(page, "Rate a transcript")
    progress = page.get_by_test_id("stProgress")
    total = int(re.search(r"of (\d+) items", progress.inner_text()).group(1))
    first = score_visible_items(page, limit=3)
    assert first == 3
    page.get_by_text(f"3 of {total} items done").wait_for()

    page.reload()  # a refresh keeps the sign-in (its cookie) and the page; the draft is saved
    wait_idle(page)
    page.get_by_text(f"3 of {total} items done").wait_for()

    score_visible_items(page)
    page.get_by_text(f"{total} of {total} items done").wait_for()
    page.get_by_role("button", name="Submit rating…").click()
    wait_idle(page)
    page.get_by_role("button", name="Submit", exact=True).click()
    wait_idle(page)
    page.get_by_text("This rating is read-only").wait_for()
    page.get_by_text("Bias (you − expert)").wait_for()
    page.get_by_role("heading", name="The expert's reasons").wait_for()
    page.locator("tr.evidence").first.wait_for()  # expert evidence turns highlighted
