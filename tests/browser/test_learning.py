"""E-learning in the browser: a module completed end to end and found in the portfolio.

A teacher opens the catalogue and the module, starts it, reads the first lesson (its Markdown image is
shown, a script in the text stays text, the worksheet downloads), marks it done, continues in a new session
where they left off, finishes the lessons, answers the quiz with one answer missing (refused, what was typed
stays), fails once (the result says which answer was wrong), tries again and passes, and finds the
completion in their portfolio with the module's competence, and under "completed" in the catalogue.

Texts on the page are translated (Dutch by default); the test finds things by URL, names, data attributes
and the words it typed itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from playwright.sync_api import Page, expect

from bekwaam.dossier.tests.test_uploads import pdf_bytes, png_bytes
from bekwaam.frameworks.services import framework_adopt_for_board
from bekwaam.learning.models import Completion, Enrolment, Lesson, LessonMaterial, QuestionKind, QuizAttempt
from bekwaam.learning.tests.factories import course_build
from tests.browser.conftest import BrowserErrors, submit
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "Een compliment geven"
IMAGE_LOADED = """() => {
  const image = document.querySelector("main [data-testid=lesson-body] img");
  return Boolean(image && image.complete && image.naturalWidth > 0);
}"""


def material_build(lesson: Lesson, *, content: bytes, name: str, content_type: str) -> LessonMaterial:
    title = name.split(".")[0].title()
    material = LessonMaterial(
        lesson=lesson, title=title, original_name=name, content_type=content_type, size=len(content)
    )
    material.file.save("random", ContentFile(content), save=False)
    material.save()
    return material


def learning_url(name: str, **kwargs: Any) -> str:
    return reverse(f"learning:{name}", kwargs=kwargs)


def at(url: str) -> re.Pattern[str]:
    """The page's address, with or without the #main the skip link (check_page) leaves behind."""
    return re.compile(rf"{re.escape(url)}(#main)?$")


def test_a_teacher_completes_a_module_and_finds_it_in_the_portfolio(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors
) -> None:
    findings: list[str] = []  # moderate and minor axe findings; serious ones fail check_page
    framework_adopt_for_board(board=world.board_a, slug="teacher-competences")
    version = course_build(board=world.board_a, title="Feedback geven", lessons=2, pass_mark=100)
    first, second = version.lessons.order_by("position")
    image = material_build(first, content=png_bytes(), name="schema.png", content_type="image/png")
    material_build(first, content=pdf_bytes(), name="werkblad.pdf", content_type="application/pdf")
    image_url = learning_url("material", material_id=image.pk)
    Lesson.objects.filter(pk=first.pk).update(
        body=(
            "# Waarom feedback\n\nGoede feedback helpt het leren **verder**.\n\n"
            f"![Schema van feedback]({image_url}?inline=1)\n\n<script>alert('les')</script>\n"
        )
    )
    choice_question = version.questions.get(kind=QuestionKind.MULTIPLE_CHOICE)
    open_question = version.questions.get(kind=QuestionKind.OPEN)
    right_choice = choice_question.choices.get(is_correct=True)
    choice_field = f"main input[name=question_{choice_question.pk}]"
    open_field = f"main input[name=question_{open_question.pk}]"
    page = sign_in_as(world.teacher)

    # The catalogue and the module's page; starting it opens the first lesson.
    page.goto(learning_url("catalogue"))
    card = page.locator(f"main [data-course='{version.course_id}']")
    expect(card).to_contain_text("Feedback geven")
    expect(card).to_contain_text("2.3.3")
    check_page(page, "catalogue", findings)
    card.locator("h3 a").click()
    expect(page).to_have_url(at(learning_url("course", course_id=version.course_id)))
    expect(page.locator("main .learning-lessons li")).to_have_count(2)
    check_page(page, "module", findings)
    page.locator("main [data-testid=start]").click()
    enrolment = Enrolment.objects.get()
    expect(page).to_have_url(at(learning_url("lesson", enrolment_id=enrolment.pk, lesson_id=first.pk)))

    # The lesson: Markdown as HTML, the image from the lesson's material shown, the script only as text.
    body = page.locator("main [data-testid=lesson-body]")
    expect(body.locator("h2")).to_have_text("Waarom feedback")
    expect(body.locator("strong")).to_have_text("verder")
    expect(body).to_contain_text("<script>alert('les')</script>")
    expect(body.locator("img")).to_have_attribute("alt", "Schema van feedback")
    page.wait_for_function(IMAGE_LOADED)
    check_page(page, "lesson", findings)
    with page.expect_download() as download:
        page.locator("main .learning-materials a", has_text="Werkblad").click()
    assert download.value.suggested_filename == "werkblad.pdf"
    page.locator("main [data-testid=done]").click()
    expect(page).to_have_url(at(learning_url("lesson", enrolment_id=enrolment.pk, lesson_id=second.pk)))
    expect(page.locator("main .learning-next progress")).to_have_attribute("value", "1")

    # Progress is kept: in a new session, "continue" on the catalogue opens the second lesson.
    later = sign_in_as(world.teacher)
    later.goto(learning_url("catalogue"))
    later.locator(f"main [data-testid=running] [data-enrolment='{enrolment.pk}'] [data-testid=continue]").click()
    expect(later).to_have_url(at(learning_url("lesson", enrolment_id=enrolment.pk, lesson_id=second.pk)))
    later.locator("main [data-testid=done]").click()
    quiz_url = learning_url("quiz", enrolment_id=enrolment.pk)
    expect(later).to_have_url(at(quiz_url))
    later.context.close()

    # The quiz: a missing answer is refused and what was typed stays.
    page.goto(quiz_url)
    check_page(page, "quiz", findings)
    page.locator(open_field).fill(TYPED)
    browser_errors.expect(r"status of 400")
    submit(page)
    expect(page.locator("main #error-summary")).to_be_visible()
    expect(page.locator(choice_field).first).to_have_attribute("aria-invalid", "true")
    expect(page.locator(open_field)).to_have_value(TYPED)
    assert not QuizAttempt.objects.exists()

    # A wrong open answer: not passed, and the result says which answer was wrong.
    page.locator(f"{choice_field}[value='{right_choice.pk}']").check()
    submit(page)
    expect(page).to_have_url(at(learning_url("attempt", enrolment_id=enrolment.pk, number=1)))
    expect(page.locator("main [data-testid=result]")).to_have_attribute("data-passed", "no")
    answers = page.locator("main .learning-answer")
    expect(answers.nth(0)).to_have_attribute("data-correct", "yes")
    expect(answers.nth(1)).to_have_attribute("data-correct", "no")
    expect(answers.nth(1)).to_contain_text(TYPED)
    check_page(page, "result, not passed", findings)
    assert not Completion.objects.exists()

    # Try again and pass: the completion goes into the portfolio.
    page.locator("main [data-testid=retry]").click()
    expect(page).to_have_url(at(quiz_url))
    page.locator(f"{choice_field}[value='{right_choice.pk}']").check()
    page.locator(open_field).fill("  Feedback ")
    submit(page)
    expect(page).to_have_url(at(learning_url("attempt", enrolment_id=enrolment.pk, number=2)))
    expect(page.locator("main [data-testid=result]")).to_have_attribute("data-passed", "yes")
    expect(page.locator("main [data-testid=retry]")).to_have_count(0)
    check_page(page, "result, passed", findings)
    completion = Completion.objects.get()
    assert (completion.version_number, completion.score_percent) == (1, 100)

    page.locator("main [data-testid=evidence]").click()
    expect(page).to_have_url(re.compile(rf"/dossier/portfolio/{completion.evidence_id}/(#main)?$"))
    expect(page.locator("main h1")).to_have_text("E-learning: Feedback geven")
    expect(page.locator("main")).to_contain_text("2.3.3")
    expect(page.locator("main")).to_contain_text("Stichting Alfa")
    check_page(page, "portfolio item", findings)
    page.goto(reverse("dossier:evidence-list"))
    row = page.locator("main table.portfolio-table tbody tr", has_text="E-learning: Feedback geven")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("2.3.3")

    # The catalogue lists it under "completed" and no longer under "in progress".
    page.goto(learning_url("catalogue"))
    expect(page.locator(f"main [data-testid=completed] [data-completion='{completion.pk}']")).to_contain_text(
        "Feedback geven"
    )
    expect(page.locator("main [data-testid=running]")).to_have_count(0)
    check_page(page, "catalogue with a completion", findings)
    if findings:
        print("\n".join(findings))
