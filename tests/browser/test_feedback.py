"""360° feedback in the browser: a teacher asks three colleagues and a parent, they answer through their
e-mailed links without signing in, the teacher closes the round and reads the report; then a report with
too few answers, where the group is withheld.

Texts on the page are translated (Dutch by default); the test finds things by their names, form actions
and data attributes, so it keeps working as the translations change.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from bekwaam.feedback.models import (
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackRound,
    QuestionKind,
    Relation,
    RoundState,
)
from bekwaam.feedback.tests.factories import questions_of, response_build, round_build, version_of
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory
from tests.browser.conftest import submit
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+/feedback/answer/[\w-]+/")
PARENT_EMAIL = "petra.ouder@example.nl"


def answer_through_link(
    new_context: Callable[..., BrowserContext], link: str, round_: FeedbackRound, *, level: str, text: str
) -> Page:
    """An invitee without a session opens their link, rates every competence and sends their answers."""
    page = new_context().new_page()
    page.goto(link)
    for question in FeedbackQuestion.objects.filter(round=round_, kind=QuestionKind.COMPETENCE):
        page.locator(f"main input[name=q{question.pk}][value='{level}']").check()
    for question in FeedbackQuestion.objects.filter(round=round_, kind=QuestionKind.OPEN):
        page.locator(f"main textarea[name=q{question.pk}]").fill(text)
    page.locator("main button[name=action][value=submit]").click()
    expect(page.locator("main form.feedback-answer")).to_have_count(0)  # the thank-you page
    return page


def test_it_runs_a_round_with_three_colleagues_and_a_parent_and_shows_the_report(
    world: Any,
    sign_in_as: Callable[[Any], Page],
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    settings: Any,
) -> None:
    settings.SITE_URL = live_server.url  # the links in the e-mails point at this test server
    version_of(world.board_a)
    colleagues = [world.colleague]
    for number, (given, family) in enumerate((("Anouk", "Aarts"), ("Bram", "Bakker"))):
        person = PersonFactory(email=f"collega{number}@alfa.nl", given_name=given, family_name=family)
        EmploymentFactory(person=person, school=world.school_a, manager=world.manager)
        colleagues.append(person)
    closes_on = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    page = sign_in_as(world.teacher)

    # A new round: title, date, two competences, an open question.
    page.goto("/feedback/")
    page.locator("main a[href='/feedback/new/']").first.click()
    page.locator("main [name=title]").fill("Feedback op mijn rekenlessen")
    page.locator("main [name=closes_on]").fill(closes_on)
    boxes = page.locator("main input[name=competences]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("main [name=open_questions]").fill("Wat moet ik vooral blijven doen?")
    submit(page)
    round_ = FeedbackRound.objects.get(owner=world.teacher)
    expect(page).to_have_url(re.compile(rf"/feedback/{round_.pk}/$"))
    assert len(questions_of(round_)) == 2 and len(questions_of(round_, QuestionKind.OPEN)) == 1

    # Three colleagues from the list, one parent by e-mail.
    invite = page.locator(f"main form[action^='/feedback/{round_.pk}/invite/']")
    for person in colleagues:
        invite.locator(f"input[name=people][value='{person.pk}']").check()
    invite.locator("button[type=submit]").click()
    external = page.locator(f"main form[action='/feedback/{round_.pk}/invite-external/']")
    external.locator("[name=name]").fill("Petra Ouder")
    external.locator("[name=email]").fill(PARENT_EMAIL)
    external.locator("[name=relation]").select_option(Relation.PARENT)
    external.locator("button[type=submit]").click()
    expect(page.locator("main tr[id^=invitation-]")).to_have_count(4)

    # The teacher's own rating, then the invitations go out.
    page.locator(f"main a[href='/feedback/{round_.pk}/self-rating/']").click()
    for question in questions_of(round_):
        page.locator(f"main input[name=q{question.pk}][value='4']").check()
    submit(page)
    expect(page).to_have_url(re.compile(rf"/feedback/{round_.pk}/$"))
    assert mail.outbox == []
    page.locator(f"main form[action='/feedback/{round_.pk}/open/'] button").click()
    expect(page.locator("main form[action$='/close/']")).to_have_count(1)
    links = {message.to[0]: LINK.search(message.body).group(0) for message in mail.outbox}  # type: ignore[union-attr]
    assert set(links) == {*(p.email for p in colleagues), PARENT_EMAIL}

    # The parent's answer page, checked for accessibility before they answer.
    parent_page = new_context().new_page()
    parent_page.goto(links[PARENT_EMAIL])
    expect(parent_page.locator("main input[name=relation][value=parent]")).to_be_checked()
    check_page(parent_page, "feedback answer page", [])
    parent_page.context.close()

    for number, person in enumerate(colleagues):
        answer_through_link(
            new_context, links[person.email], round_, level=str(2 + number % 2), text=f"Collega {number}"
        )
    answer_through_link(new_context, links[PARENT_EMAIL], round_, level="1", text="UNIEK-VAN-DE-OUDER")
    assert (
        FeedbackResponse.objects.filter(round=round_, submitted_at__isnull=False, invitation__isnull=False).count() == 4
    )

    # Closing shows the report: the colleagues as a group of three, the parent withheld with the reason.
    page.reload()
    page.locator(f"main form[action='/feedback/{round_.pk}/close/'] button").click()
    expect(page).to_have_url(re.compile(rf"/feedback/{round_.pk}/report/$"))
    rows = page.locator("main tr[data-group=colleague]")
    expect(rows).to_have_count(2)
    expect(rows.first.locator("td").nth(1)).to_have_text("3")
    expect(page.locator("main tr[data-group=self]")).to_have_count(2)
    expect(page.locator("main tr[data-group=parent]")).to_have_count(0)
    expect(page.locator("main [data-withheld]")).to_have_count(3)  # two competences and the open question
    expect(page.locator("main")).not_to_contain_text("UNIEK-VAN-DE-OUDER")
    expect(page.locator("main ul.feedback-comments[data-group=colleague] li")).to_have_count(3)
    check_page(page, "feedback report", [])


def test_it_withholds_a_group_of_two_in_the_report(world: Any, sign_in_as: Callable[[Any], Page]) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.CLOSED, competences=2)
    competences = questions_of(round_)
    (question,) = questions_of(round_, QuestionKind.OPEN)
    for value in (2, 4):
        response_build(
            round_,
            relation=Relation.COLLEAGUE,
            values=dict.fromkeys(competences, value),
            texts={question: f"Tekst {value}"},
        )
    page = sign_in_as(world.teacher)
    page.goto(f"/feedback/{round_.pk}/report/")
    expect(page.locator("main tr[data-group=colleague]")).to_have_count(0)
    expect(page.locator("main [data-withheld]")).to_have_count(3)
    expect(page.locator("main")).not_to_contain_text("Tekst 2")
    check_page(page, "feedback report with too few answers", [])
