"""The beoordeling in the browser: the leidinggevende fills in and puts forward an appraisal, the medewerker
reacts and signs, the leidinggevende signs and the page shows it final with its date; the beheerder
records an objection. The conversation is made in the fixture (planning it is another part's flow).

Texts on the page are translated (Dutch by default); the test finds things by names, data attributes
and the people's own words, so it keeps working as the translations change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from bekwaam.conversations.models import Appraisal, AppraisalState, Signature
from bekwaam.conversations.tests.matrix_appraisals import conversation_of, criteria_of, level_of
from bekwaam.dossier.models import Evidence, EvidenceKind, Section, Share, ShareAudience
from tests.browser.conftest import BrowserErrors
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REACTION = "Ik had graag meer aandacht gezien voor mijn werk met de leerlingenraad."


@pytest.fixture
def conversation(world: Any) -> Any:
    criteria_of(world.board_a.pk)  # the board's defaults, installed when the board was set up
    evidence = Evidence.objects.create(
        board=world.board_a,
        person=world.teacher,
        kind=EvidenceKind.LINK,
        url="https://example.org/les",
        title="Lesvoorbereiding rekenen",
    )
    Share.objects.create(
        board=world.board_a,
        owner=world.teacher,
        audience=ShareAudience.MANAGER,
        section=Section.PORTFOLIO,
        evidence=evidence,
    )
    return conversation_of(world, "Kamer 12")


def appraisal_part(page: Page) -> Any:
    return page.locator("section#appraisal")


def test_it_takes_an_appraisal_from_draft_to_final_and_records_an_objection(
    world: Any, conversation: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors
) -> None:
    # The conversation page, whose appraisal part is this part's (templates/conversations/_appraisal_section.html).
    view = reverse("conversations:detail", kwargs={"conversation_id": conversation.pk})
    edit = reverse("conversations:appraisal-edit", kwargs={"conversation_id": conversation.pk})
    criteria = criteria_of(world.board_a.pk)
    good, fine = level_of(world.board_a.pk, 4), level_of(world.board_a.pk, 3)

    # The medewerker sees only that it is in preparation.
    teacher = sign_in_as(world.teacher)
    teacher.goto(view)
    expect(appraisal_part(teacher)).to_have_attribute("data-appraisal-state", "not_started")
    expect(teacher.locator("[data-testid=appraisal-in-preparation]")).to_be_visible()

    # The leidinggevende starts the appraisal from its part of the page and fills it in.
    manager = sign_in_as(world.manager)
    manager.goto(view)
    manager.locator(f"section#appraisal a[href='{edit}']").click()
    expect(manager).to_have_url(re.compile(re.escape(edit) + "$"))
    check_page(manager, "appraisal draft form", [])
    form = manager.locator("main form.appraisal-form")
    # Putting forward half-done is refused, naming what is missing; what was typed stays.
    form.locator(f"[name=level_{criteria[0].pk}]").select_option(str(good.pk))
    form.locator(f"[name=argument_{criteria[0].pk}]").fill("Zorgt voor een veilige groep.")
    browser_errors.expect(r"status of 400")
    form.locator("button[name=intent][value=put_forward]").click()
    expect(manager.locator("#error-summary")).to_contain_text(criteria[1].name)
    expect(manager.locator(f"main [name=argument_{criteria[0].pk}]")).to_have_value("Zorgt voor een veilige groep.")
    form = manager.locator("main form.appraisal-form")
    for index, criterion in enumerate(criteria[1:], start=1):
        form.locator(f"[name=level_{criterion.pk}]").select_option(str(fine.pk if index % 2 else good.pk))
        form.locator(f"[name=argument_{criterion.pk}]").fill(f"Onderbouwing bij {criterion.name}.")
    form.locator("[name=overall_level]").select_option(str(good.pk))
    form.locator("[name=overall_text]").fill("Een sterke leerkracht die het team verder helpt.")
    form.get_by_label("Lesvoorbereiding rekenen", exact=False).check()
    form.locator("button[name=intent][value=put_forward]").click()
    expect(appraisal_part(manager)).to_have_attribute("data-appraisal-state", "put_forward")
    expect(appraisal_part(manager)).to_contain_text("Lesvoorbereiding rekenen")

    # The medewerker reads it, reacts and signs "seen, not agreed".
    teacher.goto(view)
    part = appraisal_part(teacher)
    expect(part).to_have_attribute("data-appraisal-state", "put_forward")
    expect(part.locator("table.appraisal-ratings")).to_contain_text("Zorgt voor een veilige groep.")
    check_page(teacher, "conversation page with the appraisal put forward, as the employee", [])
    part.locator("form.appraisal-form--reaction [name=reaction]").fill(REACTION)
    part.locator("form.appraisal-form--reaction button[type=submit]").click()
    part = appraisal_part(teacher)
    expect(part.locator("form.appraisal-form--reaction [name=reaction]")).to_have_value(REACTION)
    part.locator("form.appraisal-form--sign input[name=verdict][value=seen]").check()
    part.locator("form.appraisal-form--sign button[type=submit]").click()
    expect(appraisal_part(teacher)).to_have_attribute("data-appraisal-state", "with_manager")
    expect(appraisal_part(teacher).locator("[data-role=employee][data-verdict=seen]")).to_be_visible()

    # The leidinggevende reads the reaction and signs: final, with today's date.
    manager.goto(view)
    part = appraisal_part(manager)
    expect(part.locator("[data-testid=appraisal-reaction]")).to_have_text(REACTION)
    part.locator("form[action$='/appraisal/sign/'] button[type=submit]").click()
    part = appraisal_part(manager)
    expect(part).to_have_attribute("data-appraisal-state", "final")
    today = timezone.localdate().strftime("%d-%m-%Y")
    expect(part.locator("[data-testid=appraisal-final-at]")).to_contain_text(today)
    expect(part.locator("[data-testid=appraisal-status]")).to_have_text(re.compile(r"Definitief|Final"))
    expect(part.locator("[data-testid=appraisal-final]")).to_be_visible()  # with the right to object
    appraisal = Appraisal.objects.get(conversation=conversation)
    assert appraisal.state == AppraisalState.FINAL and appraisal.final_at is not None
    assert Signature.objects.filter(appraisal=appraisal).count() == 2

    teacher.goto(view)
    expect(appraisal_part(teacher)).to_have_attribute("data-appraisal-state", "final")
    expect(appraisal_part(teacher).locator("form")).to_have_count(0)  # nothing left to change
    check_page(teacher, "conversation page with the final appraisal, as the employee", [])

    # The beheerder sees the status only, and records the objection the board received.
    admin = sign_in_as(world.administrator)
    admin.goto(reverse("conversations:appraisal-list"))
    row = admin.locator(f"tr[data-appraisal='{appraisal.pk}']")
    expect(row).to_have_attribute("data-state", "final")
    expect(admin.locator("main")).not_to_contain_text("Zorgt voor een veilige groep.")
    check_page(admin, "appraisals at the board", [])
    row.locator("a[href$='/objection/']").click()
    check_page(admin, "recording an objection", [])
    admin.locator("main [name=received_on]").fill(timezone.localdate().isoformat())
    admin.locator("main [name=note]").fill("Per brief ontvangen.")
    admin.locator("main form button[type=submit]").click()
    expect(admin.locator(f"tr[data-appraisal='{appraisal.pk}']")).to_have_attribute("data-state", "objected")

    teacher.goto(view)
    expect(appraisal_part(teacher).locator("[data-testid=appraisal-objection]")).to_contain_text(today)


def test_it_lets_the_beheerder_change_the_criteria_and_scale(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors
) -> None:
    criteria_of(world.board_a.pk)
    admin = sign_in_as(world.administrator)
    admin.goto(reverse("conversations:appraisal-settings"))
    check_page(admin, "appraisal criteria and scale", [])
    admin.locator(f"main a[href='{reverse('conversations:appraisal-criterion-create')}']").click()
    admin.locator("main [name=name]").fill("Leiderschap in de klas")
    admin.locator("main [name=description]").fill("Neemt de leiding en geeft ruimte.")
    admin.locator("main form button[type=submit]").click()
    row = admin.locator("table.appraisal-criteria tr", has_text="Leiderschap in de klas")
    expect(row).to_have_attribute("data-archived", "no")
    row.locator("form[action$='/archive/'] button").click()
    expect(admin.locator("table.appraisal-criteria tr", has_text="Leiderschap in de klas")).to_have_attribute(
        "data-archived", "yes"
    )
    level = admin.locator("table.appraisal-levels tr[data-level='2']")
    level.locator("a[href$='/edit/']").click()
    admin.locator("main [name=label]").fill("Zwak")
    admin.locator("main form button[type=submit]").click()
    expect(admin.locator("table.appraisal-levels tr[data-level='2'] th")).to_have_text("Zwak")
