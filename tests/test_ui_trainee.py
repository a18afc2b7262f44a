"""Trainee pages in AppTest: empty, draft and submitted states, and nothing revealed early."""

from __future__ import annotations

import pytest

from ipt_fidelity.agreement import HEADLINE_LABEL, MIN_UNITS
from ipt_fidelity.store import get_scores, list_attempts, list_ratings
from tests.apptest import app_test, assert_people_facing, open_store, page_test, page_text


@pytest.fixture
def env(mini_app):
    return mini_app


def test_practice_form_then_feedback(env, db_url):
    at = page_test("practice", env.trainee.id).run()
    assert not at.exception
    assert "Expert" not in page_text(at) and "Why the expert" not in page_text(at)
    at.radio(key="practice-mini-case-primary").set_value("role_transition")
    at.text_area(key="practice-mini-case-text").input("Since Tom died she feels alone.")
    at.button(key="practice-mini-case-submit").click().run()
    assert not at.exception
    assert any("differs from the expert's" in e.value for e in at.error)
    page = page_text(at)
    assert "you chose *role transition*; the expert: *grief*" in page
    assert "Your depression began after Tom died." in page  # the model formulation
    with open_store(db_url) as db:
        attempts = list_attempts(db, env.trainee, user_id=env.trainee.id)
    assert [(a.case_id, a.primary_area) for a in attempts] == [("mini-case", "role_transition")]
    assert attempts[0].feedback["correct"] is False


def test_practice_needs_a_primary_area(env, db_url):
    at = page_test("practice", env.trainee.id).run()
    at.button(key="practice-mini-case-submit").click().run()
    assert any("Choose a primary problem area" in e.value for e in at.error)
    with open_store(db_url) as db:
        assert list_attempts(db, env.trainee, user_id=env.trainee.id) == []


def test_library_hides_keys_from_trainees_and_shows_them_to_supervisors(env):
    trainee = page_test("library", env.trainee.id).run()
    assert not trainee.exception
    assert not any(e.label == "Expert key" for e in trainee.expander)
    supervisor = page_test("library", env.sup_a.id).run()
    assert any(e.label == "Expert key" for e in supervisor.expander)


def on_section(at, section: str):
    """The rating page showing one section of the rubric (the pills above the items)."""
    pills = at.button_group(key="rate-mini-case-s06-section")
    if pills.value != section:
        pills.set_value(section).run()
    return at


def rating_of(db_url, user):
    with open_store(db_url) as db:
        ratings = list_ratings(db, user, rater_id=user.id)
        return ratings[0], get_scores(db, user, ratings[0].id)


def test_opening_a_transcript_starts_no_draft(env, db_url):
    at = page_test("rate", env.trainee.id).run()
    assert not at.exception
    with open_store(db_url) as db:
        assert list_ratings(db, env.trainee, rater_id=env.trainee.id) == []
    at.multiselect(key="rate-mini-case-s06-grief_mourning-evidence").set_value([]).run()
    with open_store(db_url) as db:
        assert list_ratings(db, env.trainee, rater_id=env.trainee.id) == []


def test_rating_draft_is_saved_on_change_and_survives_a_refresh(env, db_url):
    at = page_test("rate", env.trainee.id).run()
    assert not at.exception
    key = "rate-mini-case-s06-grief_mourning"
    on_section(at, "area").radio(key=f"{key}-score").set_value(2).run()
    draft, _ = rating_of(db_url, env.trainee)
    assert draft.status == "draft"
    on_section(at, "area").multiselect(key=f"{key}-evidence").set_value([2, 3]).run()
    assert not at.exception
    _, scores = rating_of(db_url, env.trainee)
    assert (scores["grief_mourning"].score, scores["grief_mourning"].evidence) == (2, [2, 3])

    refreshed = page_test("rate", env.trainee.id).run()  # a new tab: no session state
    assert on_section(refreshed, "area").radio(key=f"{key}-score").value == 2
    assert on_section(refreshed, "area").multiselect(key=f"{key}-evidence").value == [2, 3]
    assert "1 of 2 items done" in refreshed.get("progress")[0].proto.text


def test_submitted_rating_shows_the_comparison_and_is_read_only(env, db_url):
    at = page_test("rate", env.trainee.id).run()
    on_section(at, "area").radio(key="rate-mini-case-s06-grief_mourning-score").set_value(1).run()
    on_section(at, "proscribed").radio(key="rate-mini-case-s06-pro_cbt-score").set_value(0).run()
    assert "expert" not in page_text(at).lower() or "Expert's" not in page_text(at)
    at.button(key="rate-submit").click().run()
    at.button(key="rate-confirm").click().run()
    assert not at.exception
    submitted, _ = rating_of(db_url, env.trainee)
    assert submitted.status == "submitted"
    page = page_text(at)
    assert "This rating is read-only" in "\n".join(s.value for s in at.success)
    assert "Explores the visit to the grave." in page  # the expert's rationale
    assert [m.label for m in at.metric][:2] == ["Bias (you − expert)", "Mean |difference|"]
    assert at.metric[0].value == "-0.50"  # (1 - 2 + 0 - 0) / 2
    assert at.metric[4].label == f"{HEADLINE_LABEL} with the expert"
    # two items scored by both: shown with what it rests on, not judged yet
    assert "over 2 items, 2 raters, 4 ratings scored by both" in page
    assert f"rests on 2 items; needs {MIN_UNITS}" in page
    for frame in at.dataframe:
        assert_people_facing(frame.value)
    assert not any(r.key and r.key.startswith("rate-mini-case-s06-") for r in at.radio)


def test_signed_out_visitors_only_get_the_sign_in_page(env):
    at = app_test().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in"]


def test_trainee_navigation_has_no_supervisor_pages(env):
    from ipt_fidelity.ui.navigation import specs_for

    paths = {spec.url_path for spec in specs_for(env.trainee.role)}
    assert {"practice", "rate", "progress"} <= paths
    assert not paths & {"dashboard", "cohorts", "certification", "exports", "import", "users"}


def test_progress_page_empty_then_with_an_attempt(env, db_url):
    at = page_test("progress", env.trainee.id).run()
    assert not at.exception
    assert any("No formulations yet" in i.value for i in at.info)
    practice = page_test("practice", env.trainee.id).run()
    practice.radio(key="practice-mini-case-primary").set_value("grief")
    practice.button(key="practice-mini-case-submit").click().run()
    at = page_test("progress", env.trainee.id).run()
    assert not at.exception
    table = at.dataframe[1].value
    assert table.to_dict("records") == [
        {"expert's area": "grief", "first attempts": 1, "accuracy": 1.0}
    ]
    assert len(at.get("plotly_chart")) == 1


def test_trainee_home_lists_assignments_and_drafts(env, db_url):
    from ipt_fidelity.store import create_assignment

    with open_store(db_url) as db:
        create_assignment(
            db, env.sup_a, kind="formulate", target_id="mini-case", cohort_id=env.cohort_a
        )
    rate = page_test("rate", env.trainee.id).run()
    on_section(rate, "area").radio(key="rate-mini-case-s06-grief_mourning-score").set_value(2).run()
    at = app_test(env.trainee.id).run()
    assert not at.exception
    links = [(e.proto.label, e.proto.page) for e in at.get("page_link")]
    labels = [label for label, _ in links]
    assert "Formulate A small case — assigned" in labels
    assert any(
        label.startswith("Continue: rate Ann · session 6 (middle), last saved") for label in labels
    )


def test_half_written_formulation_survives_a_refresh_and_goes_on_submit(env, db_url):
    from ipt_fidelity.store.formulation_drafts import get_formulation_draft

    at = page_test("practice", env.trainee.id).run()
    at.radio(key="practice-mini-case-primary").set_value("grief").run()
    at.text_area(key="practice-mini-case-text").input("Since Tom died in April").run()
    assert not at.exception
    refreshed = page_test("practice", env.trainee.id).run()  # a new tab: no session state
    assert not refreshed.exception
    assert refreshed.radio(key="practice-mini-case-primary").value == "grief"
    assert refreshed.text_area(key="practice-mini-case-text").value == "Since Tom died in April"
    refreshed.button(key="practice-mini-case-submit").click().run()
    assert any("matches the expert's" in s.value for s in refreshed.success)
    with open_store(db_url) as db:
        assert get_formulation_draft(db, env.trainee, "mini-case") is None


def test_drills_open_only_after_a_full_rating_then_give_the_expert_score(env, db_url):
    at = page_test("drills", env.trainee.id).run()
    assert not at.exception
    assert any("No drills are open to you yet" in i.value for i in at.info)
    rate = page_test("rate", env.trainee.id).run()
    on_section(rate, "area").radio(key="rate-mini-case-s06-grief_mourning-score").set_value(1).run()
    on_section(rate, "proscribed").radio(key="rate-mini-case-s06-pro_cbt-score").set_value(0).run()
    rate.button(key="rate-submit").click().run()
    rate.button(key="rate-confirm").click().run()
    at = page_test("drills", env.trainee.id).run()
    assert not at.exception
    text = page_text(at)
    assert "the expert scored" not in text  # nothing revealed before the answer
    [score] = [r for r in at.radio if r.key and r.key.startswith("drills-score-")]
    score.set_value(score.options[0]).run()
    at.button(key="drills-check").click().run()
    assert not at.exception
    feedback = "\n".join(w.value for w in [*at.success, *at.warning])
    assert "the expert scored" in feedback
    assert "The anchor that decides it" in page_text(at)
    at.button(key="drills-next").click().run()
    assert "1 of 10 drills this round" in at.get("progress")[0].proto.text
