"""A waarderingstraject in the browser, from enrolment to a certificate anyone can verify.

1. The school leader opens the catalogue, opens the aanbieder's offer and enrols for two themes with coaching.
2. The assessor finds the enrolment on the worklist and accepts it, choosing the coach.
3. The candidate fills the first assignment only; the request for assessment is refused with what is still
   missing (what they added stays); they complete the portfolio and request the assessment.
4. The assessor starts the review and asks for additions; the candidate reads what is asked, adds an item and
   requests again; the assessor starts the review again and plans the interview (the portfolio freezes).
5. The assessor records that the interview was held (before the planned date) and records a judgement; the
   judgements are blind: the second assessor sees none before recording their own. The second agrees and
   the trajectory is certified.
6. The candidate opens the certificate, downloads the credential (JSON) and the PDF, and sees the points in
   their register overview.
7. Anyone, not signed in, verifies the certificate by its public page and by uploading the credential file;
   a tampered copy of the file is refused.

Texts on the page are translated (Dutch by default); the test finds things by URL, names, data attributes and
the words it typed itself.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import BrowserContext, Locator, Page, expect

from bekwaam.credentials.models import Certificate
from bekwaam.register.tests.factories import period_build
from bekwaam.trajectories.models import Trajectory, TrajectoryState
from bekwaam.trajectories.tests.factories import assessor_build, template_build, themes
from tests.browser.conftest import BrowserErrors, submit
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDITIONS = "Bij opdracht 1 ontbreekt het verslag van de teamvergadering over het nieuwe rooster."
ADDED_TITLE = "Verslag teamvergadering rooster"
LOCATION = "Utrecht, Oudegracht 12"
FIRST_SUBSTANTIATION = "Eerste assessor: het verslag laat de ontwikkeling overtuigend zien."
SECOND_SUBSTANTIATION = "Tweede assessor: in het interview bevestigd."
POINTS = "30"  # two themes at learning level 5: 2 x 10, plus 10 for level 5


def state_of(page: Page) -> Locator:
    return page.locator("main [data-testid=state]")


def add_item(
    page: Page,
    trajectory: Trajectory,
    assignment_id: int,
    *,
    reflection: bool,
    title: str,
    findings: list[str] | None = None,
) -> None:
    """From the trajectory page, add evidence or a reflection to one assignment through its form (and check
    the form's page when findings are given)."""
    page.goto(reverse("trajectories:detail", kwargs={"trajectory_id": trajectory.pk}))
    new = f"/trajectories/{trajectory.pk}/assignments/{assignment_id}/items/new/"
    href = f"{new}?kind=reflection" if reflection else new
    page.locator(f"main #assignment-{assignment_id} a[href='{href}']").click()
    expect(page).to_have_url(re.compile(re.escape(new)))
    if findings is not None:
        check_page(page, "add to the portfolio", findings)
    form = page.locator("main form[data-testid=item-form]")
    kind = "reflection" if reflection else "evidence"
    expect(form.locator(f"input[name=kind][value={kind}]")).to_be_checked()
    form.locator("input[name=title]").fill(title)
    form.locator("textarea[name=body]").fill(f"{title}: wat ik deed en wat ik ervan leerde.")
    for box in form.locator("input[name=themes]").all():
        expect(box).to_be_checked()  # every theme of the trajectory is proposed
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/trajectories/{trajectory.pk}/(#assignment-{assignment_id})?$"))
    expect(page.locator(f"main #assignment-{assignment_id} [data-item]").filter(has_text=title)).to_have_count(1)


def judge(page: Page, *, substantiation: str) -> None:
    """Fill the judgement form: every theme shown, learning level 5, every criterion substantiated."""
    form = page.locator("main form[data-testid=judgement-form]")
    theme_boxes = form.locator("input[name=themes]")
    expect(theme_boxes).to_have_count(2)
    for box in theme_boxes.all():
        box.check()
    form.locator("input[name=learning_level][value='5']").check()
    criteria = form.locator("textarea[name^=criterion_]")
    assert criteria.count() >= 1
    for criterion in criteria.all():
        criterion.fill(substantiation)
    form.locator("button[type=submit]").click()


def test_a_trajectory_from_enrolment_to_a_verified_certificate(
    world: Any,
    sign_in_as: Callable[[Any], Page],
    new_context: Callable[..., BrowserContext],
    browser_errors: BrowserErrors,
    tmp_path: Path,
) -> None:
    findings: list[str] = []  # moderate and minor axe findings; serious ones fail check_page
    template = template_build(provider=world.provider, name="Achteraf waarderen: leiderschap")
    theme_a, theme_b = themes(2)
    today = timezone.localdate()
    period_build(person=world.manager, start=today - datetime.timedelta(days=400))
    second_assessor = assessor_build(provider=world.provider, email="assessor2@academie.nl")

    # 1. The candidate finds the offer and enrols for two themes, with coaching.
    candidate = sign_in_as(world.manager)
    candidate.goto(reverse("trajectories:catalogue"))
    check_page(candidate, "catalogue", findings)
    candidate.locator(f"main [data-template='{template.pk}'] a[href='/trajectories/catalogue/{template.pk}/']").click()
    expect(candidate).to_have_url(re.compile(rf"/trajectories/catalogue/{template.pk}/$"))
    check_page(candidate, "offer", findings)
    enrol = candidate.locator("main form[data-testid=enrol-form]")
    enrol.locator(f"input[name=themes][value='{theme_a.pk}']").check()
    enrol.locator(f"input[name=themes][value='{theme_b.pk}']").check()
    enrol.locator("input[name=with_coaching][value=yes]").check()
    enrol.locator("button[type=submit]").click()
    trajectory = Trajectory.objects.get()
    detail_url = reverse("trajectories:detail", kwargs={"trajectory_id": trajectory.pk})
    work_url = reverse("trajectories:work", kwargs={"trajectory_id": trajectory.pk})
    expect(candidate).to_have_url(re.compile(rf"{re.escape(detail_url)}(#.*)?$"))
    expect(state_of(candidate)).to_have_attribute("data-state", TrajectoryState.ENROLLED)
    expect(candidate.locator("main [data-testid=themes]")).to_contain_text(theme_a.name)
    expect(candidate.locator("main [data-testid=themes]")).to_contain_text(theme_b.name)
    assert trajectory.with_coaching and trajectory.coach is None
    assert set(trajectory.themes.values_list("pk", flat=True)) == {theme_a.pk, theme_b.pk}

    # 2. The assessor finds it on the worklist and accepts it, naming the coach.
    assessor = sign_in_as(world.assessor)
    assessor.goto(reverse("trajectories:worklist"))
    row = assessor.locator(f"main tr[data-trajectory='{trajectory.pk}']")
    expect(row).to_have_attribute("data-state", TrajectoryState.ENROLLED)
    check_page(assessor, "worklist", findings)
    row.locator(f"a[href='{work_url}']").click()
    expect(assessor).to_have_url(re.compile(rf"{re.escape(work_url)}$"))
    expect(assessor.locator("main [data-testid=portfolio-hidden]")).to_be_visible()
    check_page(assessor, "staff trajectory page (enrolled)", findings)
    accept = assessor.locator("main form[data-testid=accept-form]")
    accept.locator("select[name=coach]").select_option(str(world.coach.pk))
    accept.locator("button[type=submit]").click()
    expect(state_of(assessor)).to_have_attribute("data-state", TrajectoryState.COLLECTING)
    expect(assessor.locator("main [data-testid=coach]")).to_contain_text(world.coach.full_name)
    trajectory.refresh_from_db()
    assert trajectory.coach == world.coach

    # 3. The first assignment only; the request is refused with what is missing, and nothing is lost.
    first, *others = list(trajectory.assignments.order_by("position").values_list("pk", flat=True))
    assert others, "the template has more than one assignment"
    add_item(candidate, trajectory, first, reflection=False, title="Studiedag over eigenaarschap", findings=findings)
    check_page(candidate, "trajectory page (collecting)", findings)
    add_item(candidate, trajectory, first, reflection=True, title="Terugblik op de studiedag")
    assert trajectory.items.count() == 2
    expect(candidate.locator(f"main #assignment-{first}")).to_have_attribute("data-complete", "yes")
    candidate.locator("main button[data-testid=request-assessment]").click()
    expect(candidate.locator(".messages .message--error").first).to_be_visible()
    expect(candidate.locator(".messages")).to_contain_text("Opdracht 2")
    expect(state_of(candidate)).to_have_attribute("data-state", TrajectoryState.COLLECTING)
    missing = candidate.locator("main [data-testid=missing]")
    expect(missing).to_contain_text("Opdracht 2")
    expect(missing).not_to_contain_text("Opdracht 1")
    typed = candidate.locator(f"main #assignment-{first} [data-item]")
    expect(typed).to_have_count(2)
    expect(typed.filter(has_text="Studiedag over eigenaarschap")).to_have_count(1)
    expect(typed.filter(has_text="Terugblik op de studiedag")).to_have_count(1)
    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.COLLECTING and trajectory.requested_at is None

    for number, assignment in enumerate(others, start=2):
        add_item(candidate, trajectory, assignment, reflection=False, title=f"Bewijs bij opdracht {number}")
        add_item(candidate, trajectory, assignment, reflection=True, title=f"Reflectie bij opdracht {number}")
    expect(candidate.locator("main [data-testid=missing]")).to_have_count(0)
    candidate.locator("main button[data-testid=request-assessment]").click()
    expect(state_of(candidate)).to_have_attribute("data-state", TrajectoryState.ASSESSMENT_REQUESTED)
    expect(candidate.locator("main button[data-testid=request-assessment]")).to_have_count(0)

    # 4. The review: additions asked for, added, requested again; then the interview is planned.
    assessor.goto(work_url)
    expect(state_of(assessor)).to_have_attribute("data-state", TrajectoryState.ASSESSMENT_REQUESTED)
    assessor.locator(f"main form[action='{work_url}review/'] button[type=submit]").click()
    expect(state_of(assessor)).to_have_attribute("data-state", TrajectoryState.UNDER_REVIEW)
    expect(assessor.locator("main [data-testid=portfolio] [data-item]")).to_have_count(2 + 2 * len(others))
    check_page(assessor, "staff trajectory page (under review)", findings)
    additions = assessor.locator("main form[data-testid=additions-form]")
    additions.locator("textarea[name=missing]").fill(ADDITIONS)
    additions.locator("button[type=submit]").click()
    expect(state_of(assessor)).to_have_attribute("data-state", TrajectoryState.ADDITIONS_REQUESTED)
    expect(assessor.locator("main [data-testid=additions-requested]")).to_contain_text(ADDITIONS)

    candidate.goto(detail_url)
    expect(state_of(candidate)).to_have_attribute("data-state", TrajectoryState.ADDITIONS_REQUESTED)
    expect(candidate.locator("main [data-testid=additions]")).to_contain_text(ADDITIONS)
    check_page(candidate, "trajectory page (additions requested)", findings)
    add_item(candidate, trajectory, first, reflection=False, title=ADDED_TITLE)
    candidate.locator("main button[data-testid=request-assessment]").click()
    expect(state_of(candidate)).to_have_attribute("data-state", TrajectoryState.ASSESSMENT_REQUESTED)

    assessor.goto(work_url)
    assessor.locator(f"main form[action='{work_url}review/'] button[type=submit]").click()
    expect(state_of(assessor)).to_have_attribute("data-state", TrajectoryState.UNDER_REVIEW)
    expect(assessor.locator("main [data-testid=portfolio] [data-item]").filter(has_text=ADDED_TITLE)).to_have_count(1)
    expect(assessor.locator("main [data-review]")).to_have_count(1)  # the first review: additions asked for
    assessor.locator(f"main a[href='{work_url}interview/']").click()
    expect(assessor).to_have_url(re.compile(rf"{re.escape(work_url)}interview/$"))
    check_page(assessor, "plan the interview", findings)
    interview_day = today + datetime.timedelta(days=7)
    assessor.locator("main input[name=date]").fill(interview_day.isoformat())
    assessor.locator("main input[name=time]").fill("10:00")
    assessor.locator("main input[name=location]").fill(LOCATION)
    submit(assessor)
    expect(state_of(assessor)).to_have_attribute("data-state", TrajectoryState.INTERVIEW_PLANNED)
    expect(assessor.locator("main [data-testid=interview]")).to_contain_text(LOCATION)
    expect(assessor.locator("main [data-testid=snapshot-hash]")).to_be_visible()
    trajectory.refresh_from_db()
    assert trajectory.frozen_at is not None and trajectory.snapshot_hash
    assert timezone.localtime(trajectory.interview_at).date() == interview_day

    candidate.goto(detail_url)
    expect(state_of(candidate)).to_have_attribute("data-state", TrajectoryState.INTERVIEW_PLANNED)
    expect(candidate.locator("main [data-testid=interview]")).to_contain_text(LOCATION)
    expect(candidate.locator("main [data-testid=frozen]")).to_be_visible()
    expect(candidate.locator("main a[href$='/items/new/']")).to_have_count(0)  # no more changes

    # 5. The interview was held (before the planned day); two assessors judge, blind to each other.
    assessor.goto(work_url)
    held = assessor.locator("main form[data-testid=interview-held-form]")
    early = held.locator("input[name=held_early]")
    if early.count():
        early.check()
    held.locator("button[type=submit]").click()
    judgement_url = reverse("trajectories:judgement", kwargs={"trajectory_id": trajectory.pk})
    expect(assessor).to_have_url(re.compile(rf"{re.escape(judgement_url)}$"))
    expect(assessor.locator("main #decision")).to_have_attribute("data-decision-state", TrajectoryState.DECIDING)
    expect(assessor.locator("main #decision")).to_have_attribute("data-recorded", "0")
    check_page(assessor, "judgement form", findings)
    judge(assessor, substantiation=FIRST_SUBSTANTIATION)
    panel = assessor.locator("main #decision")
    expect(panel).to_have_attribute("data-recorded", "1")
    expect(panel).to_have_attribute("data-visible", "1")  # only their own
    expect(panel.locator("[data-testid=waiting]")).to_be_visible()
    expect(panel.locator("table[data-testid=judgements] th[data-assessor]")).to_have_count(1)
    expect(panel.locator(f"th[data-assessor='{world.assessor.pk}']")).to_have_count(1)
    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.DECIDING

    second = sign_in_as(second_assessor)
    second.goto(work_url)
    panel = second.locator("main #decision")
    expect(panel).to_have_attribute("data-recorded", "1")
    expect(panel).to_have_attribute("data-visible", "0")  # blind: nothing of the first judgement
    expect(panel.locator("[data-testid=blind]")).to_be_visible()
    expect(panel.locator("table[data-testid=judgements]")).to_have_count(0)
    expect(second.locator("main")).not_to_contain_text(FIRST_SUBSTANTIATION)
    panel.locator("[data-testid=judge-link]").click()
    expect(second).to_have_url(re.compile(rf"{re.escape(judgement_url)}#judgement-form$"))
    expect(second.locator("main")).not_to_contain_text(FIRST_SUBSTANTIATION)
    judge(second, substantiation=SECOND_SUBSTANTIATION)
    decision = second.locator("main [data-testid=decision]")
    expect(decision).to_have_attribute("data-outcome", "certified")
    expect(decision).to_have_attribute("data-points", POINTS)
    expect(decision).to_have_attribute("data-level", "5")
    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.CERTIFIED

    # Once decided, both see both judgements side by side.
    assessor.goto(judgement_url)
    panel = assessor.locator("main #decision")
    expect(panel).to_have_attribute("data-visible", "2")
    expect(panel.locator("table[data-testid=judgements] th[data-assessor]")).to_have_count(2)
    expect(panel).to_contain_text(SECOND_SUBSTANTIATION)
    expect(panel.locator("[data-testid=agreement] [data-agree=yes]")).to_have_count(1)
    check_page(assessor, "judgement page (decided)", findings)

    # 6. The candidate: the certificate, its downloads, and the points in the register.
    certificate = Certificate.objects.get()
    certificate_url = reverse("credentials:certificate", kwargs={"certificate_id": certificate.pk})
    candidate.goto(detail_url)
    expect(state_of(candidate)).to_have_attribute("data-state", TrajectoryState.CERTIFIED)
    expect(candidate.locator("main [data-testid=decision]")).to_have_attribute("data-outcome", "certified")
    expect(candidate.locator("main [data-testid=decision] [data-testid=points]")).to_have_text(POINTS)
    check_page(candidate, "trajectory page (certified)", findings)
    candidate.locator(f"main a[data-testid=certificate-link][href='{certificate_url}']").click()
    expect(candidate).to_have_url(re.compile(rf"{re.escape(certificate_url)}$"))
    expect(candidate.locator("main [data-testid=status]")).to_have_attribute("data-status", "valid")
    expect(candidate.locator("main [data-testid=points]")).to_have_text(POINTS)
    expect(candidate.locator("main [data-testid=holder]")).to_contain_text(world.manager.full_name)
    check_page(candidate, "certificate", findings)

    with candidate.expect_download() as credential_download:
        candidate.locator("main a[data-testid=credential-link]").click()
    credential_path = tmp_path / "certificaat.json"
    credential_download.value.save_as(credential_path)
    assert credential_download.value.suggested_filename.endswith(".json")
    credential = json.loads(credential_path.read_text(encoding="utf-8"))
    assert credential["type"] == "EnvelopedVerifiableCredential"
    prefix, token = credential["id"].split(",", 1)
    assert prefix == "data:application/vc+jwt"
    assert token.count(".") == 2

    with candidate.expect_download() as pdf_download:
        candidate.locator("main a[data-testid=pdf-link]").click()
    pdf_path = tmp_path / "certificaat.pdf"
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    candidate.goto(reverse("register:overview"))
    expect(candidate.locator("main [data-testid=points]")).to_have_attribute("data-points", POINTS)
    expect(candidate.locator("main [data-testid=points-total]")).to_have_text(POINTS)
    expect(candidate.locator("main table[data-testid=activities] tr[data-activity]")).to_have_count(1)
    check_page(candidate, "register overview", findings)

    # 7. Anyone verifies it: the public page, the uploaded file, and a tampered copy.
    public = new_context().new_page()
    public.goto(reverse("credentials:verify-certificate", kwargs={"certificate_id": certificate.pk}))
    result = public.locator("main [data-testid=verification]")
    expect(result).to_have_attribute("data-status", "valid")
    expect(result).to_have_attribute("data-signature", "valid")
    expect(result).to_have_attribute("data-revoked", "no")
    expect(result.locator("[data-testid=holder]")).to_contain_text(world.manager.full_name)
    expect(result.locator("[data-testid=issuer]")).to_contain_text(world.provider.name)
    expect(result.locator("[data-testid=points]")).to_have_text(POINTS)
    check_page(public, "public verification of a certificate", findings)

    public.goto(reverse("credentials:verify"))
    check_page(public, "verify a credential file", findings)
    public.locator("main input[name=file]").set_input_files(credential_path)
    submit(public)
    result = public.locator("main [data-testid=verification]")
    expect(result).to_have_attribute("data-status", "valid")
    expect(result).to_have_attribute("data-signature", "valid")
    expect(result).to_have_attribute("data-revoked", "no")
    expect(result.locator("[data-testid=points]")).to_have_text(POINTS)

    header, payload, signature = token.split(".")
    position = len(payload) // 2
    changed = "B" if payload[position] == "A" else "A"
    tampered_token = f"{header}.{payload[:position]}{changed}{payload[position + 1 :]}.{signature}"
    tampered = {**credential, "id": f"{prefix},{tampered_token}"}
    public.locator("main input[name=file]").set_input_files(
        {"name": "certificaat.json", "mimeType": "application/json", "buffer": json.dumps(tampered).encode()}
    )
    submit(public)
    result = public.locator("main [data-testid=verification]")
    expect(result).to_have_attribute("data-status", "invalid")
    expect(result).to_have_attribute("data-signature", "invalid")
    expect(result.locator("[data-testid=holder]")).to_have_count(0)  # nothing of an unsigned claim is shown
    check_page(public, "verification of a tampered credential", findings)

    if findings:
        print("\naxe moderate/minor findings:\n" + "\n".join(findings))
