"""The school leader's register in the browser.

From the empty overview the schoolleider adds their registration period, a pre-accredited course (points,
date, themes and the certificate uploaded), and an assessment afterwards: at level 3 it is refused and what
was typed stays; at level 5 with two themes it gives 30 points. The overview then shows the total, the split
by kind and what is still missing by the end of the period.

Texts on the page are translated (Dutch by default); the tests find things by URL, names, data attributes
and the words typed in them, and compare sentences through gettext in Dutch.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import ngettext
from playwright.sync_api import FilePayload, Page, expect

from bekwaam.dossier.tests.test_uploads import pdf_bytes
from bekwaam.register.models import Activity, ActivityKind, RegistrationPeriod
from bekwaam.register.services import _low_level_message
from bekwaam.register.tests.factories import themes_since_2014
from tests.browser.conftest import BrowserErrors, submit
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COURSE = "Leergang Strategisch leiderschap"
ASSESSMENT = "Schoolleiders waarderen schoolleiders"


def missing_sentence(points: int, end: datetime.date) -> str:
    """The overview's "still missing" sentence, in Dutch (the template's blocktranslate with a count)."""
    with translation.override("nl"):
        return ngettext(
            "Still missing: %(counter)s point, by %(date)s (the last day of this period).",
            "Still missing: %(counter)s points, by %(date)s (the last day of this period).",
            points,
        ) % {"counter": points, "date": date_format(end, "j F Y")}


def test_a_school_leader_keeps_their_register(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors
) -> None:
    findings: list[str] = []
    today = timezone.localdate()
    start = today - datetime.timedelta(days=400)
    first, second = themes_since_2014(2)
    page = sign_in_as(world.manager)

    # Empty: the overview explains the register and offers to add the period.
    page.goto(reverse("register:overview"))
    expect(page.locator("[data-testid=empty]")).to_be_visible()
    check_page(page, "register overview, empty", findings)
    page.locator("[data-testid=add-period]").click()
    expect(page).to_have_url(reverse("register:period-create"))
    page.locator("main [name=start_date]").fill(start.isoformat())
    page.locator("main [name=registration_number]").fill("SLR-20417")
    check_page(page, "period form", findings)
    submit(page)
    period = RegistrationPeriod.objects.get(person=world.manager)
    assert (period.start_date, period.length_years, period.registration_number) == (start, 5, "SLR-20417")
    expect(page).to_have_url(re.compile(rf"{reverse('register:overview')}(#main)?$"))
    expect(page.locator(f"main section[data-period='{period.pk}']")).to_be_visible()
    expect(page.locator("[data-testid=points]")).to_have_attribute("data-points", "0")
    expect(page.locator("[data-testid=points]")).to_have_attribute("data-required", "100")
    expect(page.locator("[data-testid=no-activities]")).to_be_visible()

    # A pre-accredited course with its certificate.
    page.locator("[data-testid=add-activity]").click()
    expect(page.locator("main li[data-kind=retro_assessed]")).to_be_visible()
    check_page(page, "activity kind", findings)
    page.locator("main li[data-kind=pre_accredited] a").click()
    expect(page).to_have_url(re.compile(r"\?kind=pre_accredited$"))
    page.locator("main [name=title]").fill(COURSE)
    page.locator("main [name=provider_name]").fill("AVS Academie")
    page.locator("main [name=completed_on]").fill((today - datetime.timedelta(days=60)).isoformat())
    page.locator("main [name=points]").fill("40")
    page.locator(f"main input[name=themes][value='{first.pk}']").check()
    page.locator(f"main input[name=themes][value='{second.pk}']").check()
    page.locator("main input[name=certificate_file]").set_input_files(
        FilePayload(name="certificaat-leergang.pdf", mimeType="application/pdf", buffer=pdf_bytes())
    )
    check_page(page, "activity form, pre-accredited", findings)
    submit(page)
    course = Activity.objects.get(title=COURSE)
    assert course.kind == ActivityKind.PRE_ACCREDITED
    assert course.points == 40
    assert set(course.themes.values_list("pk", flat=True)) == {first.pk, second.pk}
    expect(page).to_have_url(re.compile(rf"{reverse('register:activity-detail', args=[course.pk])}(#main)?$"))
    expect(page.locator("[data-testid=points]")).to_have_attribute("data-points", "40")
    download = page.locator("[data-testid=certificate-download]")
    expect(download).to_contain_text("certificaat-leergang.pdf")
    response = page.request.get(download.get_attribute("href") or "")
    assert response.status == 200 and response.body() == pdf_bytes()
    check_page(page, "activity detail", findings)

    # An assessment afterwards at level 3: refused, and everything typed is still there.
    page.goto(reverse("register:activity-create", args=[period.pk]) + "?kind=retro_assessed")
    page.locator("main [name=title]").fill(ASSESSMENT)
    page.locator("main [name=provider_name]").fill("Stichting Waarderen")
    assessed_on = (today - datetime.timedelta(days=20)).isoformat()
    page.locator("main [name=completed_on]").fill(assessed_on)
    page.locator(f"main input[name=themes][value='{first.pk}']").check()
    page.locator(f"main input[name=themes][value='{second.pk}']").check()
    page.locator("main input[name=learning_level][value='3']").check()
    page.locator("main [name=notes]").fill("Rapport van 12 pagina's.")
    browser_errors.expect(r"status of 400")
    submit(page)
    with translation.override("nl"):
        refusal = _low_level_message()
    expect(page.locator("main form")).to_contain_text(refusal)
    expect(page.locator("main [name=title]")).to_have_value(ASSESSMENT)
    expect(page.locator("main [name=provider_name]")).to_have_value("Stichting Waarderen")
    expect(page.locator("main [name=completed_on]")).to_have_value(assessed_on)
    expect(page.locator(f"main input[name=themes][value='{first.pk}']")).to_be_checked()
    expect(page.locator(f"main input[name=themes][value='{second.pk}']")).to_be_checked()
    expect(page.locator("main input[name=learning_level][value='3']")).to_be_checked()
    expect(page.locator("main [name=notes]")).to_have_value("Rapport van 12 pagina's.")
    assert not Activity.objects.filter(kind=ActivityKind.RETRO_ASSESSED).exists()
    check_page(page, "activity form, refused", findings)

    # At level 5 with the two themes: 10 per theme plus 10 at level 5.
    page.locator("main input[name=learning_level][value='5']").check()
    submit(page)
    assessment = Activity.objects.get(title=ASSESSMENT)
    assert (assessment.kind, assessment.learning_level, assessment.points) == (ActivityKind.RETRO_ASSESSED, 5, 30)
    expect(page.locator("[data-testid=points]")).to_have_attribute("data-points", "30")

    # The overview: 70 of 100, by kind and by theme, and the 30 still missing by the end of the period.
    page.goto(reverse("register:overview"))
    expect(page.locator("[data-testid=points]")).to_have_attribute("data-points", "70")
    expect(page.locator("[data-testid=points-total]")).to_have_text("70")
    split = page.locator("table[data-testid=split]")
    expect(split.locator("tr[data-kind=pre_accredited] td").last).to_have_text("40")
    expect(split.locator("tr[data-kind=retro_assessed] td").last).to_have_text("30")
    expect(page.locator("table[data-testid=activities] tbody tr")).to_have_count(2)
    expect(page.locator(f"table[data-testid=activities] tr[data-activity='{course.pk}']")).to_contain_text(COURSE)
    per_theme = page.locator("table[data-testid=per-theme]")
    for theme in (first, second):
        row = per_theme.locator(f"tr[data-theme='{theme.pk}']")
        expect(row.locator("th")).to_have_text(theme.name)
        expect(row.locator("td")).to_have_text(["2", "70"])
    expect(page.locator("[data-testid=missing]")).to_have_text(missing_sentence(30, period.end_date))
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "active")
    check_page(page, "register overview", findings)
