"""The four-eyes decision and revocation in the browser.

1. Two assessors judge a trajectory differently (level 5 on both themes, level 4 on one): the aanbieder's
   trajectory page and the judgement page say the judgements differ; a third assessor's judgement that
   matches the first decides (certified, 30 points), and the decision names those two. The candidate's coach
   is refused the judgement page.
2. An assessor revokes a certificate with a reason: the public verification page (no sign-in) shows it as
   revoked, without the reason; the holder sees it revoked, with the reason, on their certificate page.

Texts on the page are translated (Dutch by default); the tests find things by URL, names, data attributes
and the words typed in them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import BrowserContext, Page, expect

from bekwaam.credentials.models import Certificate
from bekwaam.credentials.tests.factories import world_certificate
from bekwaam.trajectories.models import Decision, DecisionOutcome, Judgement, Trajectory, TrajectoryState
from bekwaam.trajectories.services.decision import coach_refused_message
from bekwaam.trajectories.tests.factories import assessor_build, template_build, trajectory_build
from tests.browser.conftest import BrowserErrors, submit
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def judgement_url(trajectory: Trajectory) -> str:
    return reverse("trajectories:judgement", kwargs={"trajectory_id": trajectory.pk})


def work_url(trajectory: Trajectory) -> str:
    return reverse("trajectories:work", kwargs={"trajectory_id": trajectory.pk})


def record_judgement(page: Page, trajectory: Trajectory, *, level: int, theme_ids: list[int], text: str) -> None:
    """On the judgement page: tick the themes shown, choose the level, substantiate every criterion, record."""
    page.goto(judgement_url(trajectory))
    form = page.locator("[data-testid=judgement-form]")
    expect(form).to_be_visible()
    for box in form.locator("input[name=themes]").all():
        if int(box.get_attribute("value") or 0) in theme_ids:
            box.check()
        else:
            box.uncheck()
    form.locator(f"input[name=learning_level][value='{level}']").check()
    criteria = form.locator("textarea[name^=criterion_]")
    assert criteria.count() >= 1
    for index in range(criteria.count()):
        criteria.nth(index).fill(f"{text} ({index + 1})")
    submit(page)
    expect(page).to_have_url(re.compile(rf"{judgement_url(trajectory)}#decision$"))


def test_a_third_assessor_resolves_a_disagreement_and_the_coach_is_kept_out(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors
) -> None:
    findings: list[str] = []
    trajectory = trajectory_build(
        candidate=world.manager,
        template=template_build(provider=world.provider),
        state=TrajectoryState.DECIDING,
        coach=world.coach,
    )
    theme_ids = sorted(trajectory.themes.values_list("pk", flat=True))
    assert len(theme_ids) == 2
    second = assessor_build(provider=world.provider, email="tweede@academie.nl")
    third = assessor_build(provider=world.provider, email="derde@academie.nl")

    # The coach of this candidate can never judge: the judgement page refuses them, with the reason.
    coach_page = sign_in_as(world.coach)
    browser_errors.expect(r"status of 403")
    response = coach_page.goto(judgement_url(trajectory))
    assert response is not None and response.status == 403
    with translation.override("nl"):
        reason = coach_refused_message()
    expect(coach_page.locator("[data-testid=refused]")).to_have_text(reason)
    expect(coach_page.locator("[data-testid=judgement-form]")).to_have_count(0)

    # Assessor A: level 5 on both themes. They wait for a second judgement.
    first_page = sign_in_as(world.assessor)
    first_page.goto(judgement_url(trajectory))
    expect(first_page.locator("[data-testid=trajectory-facts]")).to_have_attribute("data-state", "deciding")
    check_page(first_page, "judgement form", findings)
    record_judgement(first_page, trajectory, level=5, theme_ids=theme_ids, text="Overtuigend aangetoond")
    expect(first_page.locator("[data-testid=waiting]")).to_be_visible()
    expect(first_page.locator("#decision")).to_have_attribute("data-recorded", "1")

    # Assessor B: level 4 on one theme. The judgements differ; both now see each other's.
    second_page = sign_in_as(second)
    record_judgement(second_page, trajectory, level=4, theme_ids=theme_ids[:1], text="Nog niet op niveau vijf")
    panel = second_page.locator("#decision")
    expect(panel).to_have_attribute("data-recorded", "2")
    expect(panel.locator("[data-testid=disagreement]")).to_be_visible()
    expect(panel.locator("[data-testid=agreement] li")).to_have_attribute("data-agree", "no")
    expect(panel.locator("table[data-testid=judgements] td[data-level]")).to_have_count(2)
    expect(panel.locator("table[data-testid=judgements]")).to_contain_text("Overtuigend aangetoond")
    assert not Decision.objects.filter(trajectory=trajectory).exists()
    check_page(second_page, "judgement page, judgements differ", findings)

    # The aanbieder's trajectory page (the hub) says so too.
    first_page.goto(work_url(trajectory))
    expect(first_page.locator("[data-testid=state]")).to_have_attribute("data-state", "deciding")
    expect(first_page.locator("#decision [data-testid=disagreement]")).to_be_visible()
    expect(first_page.locator("#decision [data-testid=agreement] li")).to_have_attribute("data-agree", "no")
    check_page(first_page, "trajectory work page, judgements differ", findings)

    # Assessor C, the third: offered to record as third assessor; their judgement matches A's.
    third_page = sign_in_as(third)
    third_page.goto(work_url(trajectory))
    expect(third_page.locator("#decision [data-testid=disagreement]")).to_be_visible()
    third_page.locator("#decision a[data-testid=judge-link]").click()
    expect(third_page).to_have_url(re.compile(rf"{judgement_url(trajectory)}#judgement-form$"))
    # Blind: C does not see A's or B's words before recording.
    expect(third_page.locator("main")).not_to_contain_text("Overtuigend aangetoond")
    record_judgement(third_page, trajectory, level=5, theme_ids=theme_ids, text="Eens met de eerste assessor")

    decided = third_page.locator("#decision [data-testid=decision]")
    expect(decided).to_have_attribute("data-outcome", "certified")
    expect(decided).to_have_attribute("data-points", "30")
    expect(decided).to_have_attribute("data-level", "5")
    expect(decided).to_contain_text(world.assessor.full_name)
    expect(decided).to_contain_text(third.full_name)
    expect(decided).not_to_contain_text(second.full_name)
    expect(third_page.locator("#decision")).to_have_attribute("data-decision-state", "certified")
    expect(third_page.locator("[data-testid=disagreement]")).to_have_count(0)
    expect(third_page.locator("#decision [data-testid=certificate-link]")).to_be_visible()
    check_page(third_page, "judgement page, decided", findings)

    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.CERTIFIED
    decision = Decision.objects.get(trajectory=trajectory)
    assert decision.outcome == DecisionOutcome.CERTIFIED
    assert decision.points == 30
    assert {decision.first_assessor_id, decision.second_assessor_id} == {world.assessor.pk, third.pk}
    assert Judgement.objects.filter(trajectory=trajectory).count() == 3
    assert Certificate.objects.filter(trajectory=trajectory, holder=world.manager).count() == 1

    # The hub shows the decision, with the certificate, and no disagreement any more.
    first_page.goto(work_url(trajectory))
    expect(first_page.locator("[data-testid=state]")).to_have_attribute("data-state", "certified")
    expect(first_page.locator("#decision [data-testid=decision]")).to_have_attribute("data-outcome", "certified")
    expect(first_page.locator("#decision [data-testid=disagreement]")).to_have_count(0)


def test_a_revoked_certificate_shows_as_revoked_to_everyone(
    world: Any,
    sign_in_as: Callable[[Any], Page],
    new_context: Callable[..., BrowserContext],
    browser_errors: BrowserErrors,
) -> None:
    findings: list[str] = []
    certificate = world_certificate(world)
    certificate_url = reverse("credentials:certificate", kwargs={"certificate_id": certificate.pk})
    verify_url = reverse("credentials:verify-certificate", kwargs={"certificate_id": certificate.pk})
    reason = "Het portfolio bleek werk van een collega te bevatten."

    # Before: the public page says valid.
    public = new_context().new_page()
    public.goto(verify_url)
    expect(public.locator("[data-testid=verification]")).to_have_attribute("data-status", "valid")

    # The assessor opens the certificate and revokes it; without a reason the form refuses.
    page = sign_in_as(world.assessor)
    page.goto(certificate_url)
    expect(page.locator("[data-testid=status]")).to_have_attribute("data-status", "valid")
    check_page(page, "certificate (assessor)", findings)
    page.locator("[data-testid=revoke-link]").click()
    expect(page).to_have_url(reverse("credentials:revoke", kwargs={"certificate_id": certificate.pk}))
    check_page(page, "revoke", findings)
    browser_errors.expect(r"status of 400")
    submit(page)
    expect(page.locator("main [name=reason]")).to_have_attribute("aria-invalid", "true")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    page.locator("main [name=reason]").fill(reason)
    submit(page)
    expect(page).to_have_url(re.compile(rf"{certificate_url}(#main)?$"))
    expect(page.locator("[data-testid=status]")).to_have_attribute("data-status", "revoked")
    expect(page.locator("[data-testid=revocation-reason]")).to_have_text(reason)
    expect(page.locator("[data-testid=revoke-link]")).to_have_count(0)
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revocation_reason == reason
    assert certificate.revoked_by_id == world.assessor.pk

    # Anyone, not signed in: the public verification page shows it revoked (signature still valid), no reason.
    public.reload()
    result = public.locator("[data-testid=verification]")
    expect(result).to_have_attribute("data-status", "revoked")
    expect(result).to_have_attribute("data-revoked", "yes")
    expect(result).to_have_attribute("data-signature", "valid")
    expect(result.locator("[data-testid=holder]")).to_have_text(certificate.holder_name)
    expect(public.locator("main")).not_to_contain_text(reason)
    check_page(public, "public verification, revoked", findings)

    # The holder sees it revoked on their certificate page, with the reason, and cannot revoke.
    holder = sign_in_as(world.manager)
    holder.goto(certificate_url)
    expect(holder.locator("[data-testid=status]")).to_have_attribute("data-status", "revoked")
    expect(holder.locator("[data-testid=revocation-reason]")).to_have_text(reason)
    expect(holder.locator("[data-testid=revoke-link]")).to_have_count(0)
    check_page(holder, "certificate (holder), revoked", findings)
