"""Writing an e-learning module in the browser, and suggesting it.

1. The functioneel beheerder makes a module, writes a lesson whose Markdown holds a <script> (the preview shows
   it as text, nothing runs), adds a multiple-choice question, publishes the module and makes a new version.
2. A leidinggevende suggests the module to a teacher they lead; the teacher finds the suggestion in the
   catalogue.

Texts on the page are translated (Dutch by default); the test finds things by URL, names, data attributes and
the words typed in them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from bekwaam.learning.models import Course, CourseVersion, Lesson, Question, Suggestion, VersionStatus
from tests.browser.conftest import BrowserErrors, submit
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNSAFE = "Welkom bij **feedback**.\n\n<script>window.__pwned = true</script>\n\n[klik](javascript:alert(1))"


def test_a_beheerder_writes_publishes_and_versions_a_module_and_a_manager_suggests_it(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors
) -> None:
    findings: list[str] = []
    page = sign_in_as(world.administrator)

    # A new module: a draft, version 1.
    page.goto(reverse("learning:editor"))
    check_page(page, "editor list", findings)
    page.locator(f"main a[href='{reverse('learning:editor-create')}']").click()
    page.locator("main [name=title]").fill("Feedback in de klas")
    page.locator("main [name=summary]").fill("Korte module over feedback.")
    page.locator("main [name=duration_minutes]").fill("20")
    page.locator("main [name=pass_mark]").fill("75")
    submit(page)
    course = Course.objects.get()
    expect(page).to_have_url(re.compile(rf"/learning/editor/{course.pk}/$"))
    expect(page.locator("[data-testid=version-status]")).to_have_attribute("data-status", "draft")
    expect(page.locator("[data-testid=publish-problems] li")).to_have_count(2)
    check_page(page, "module draft", findings)

    # A lesson: the preview shows the <script> as text and runs nothing; a javascript: link is no link.
    page.locator("[data-testid=add-lesson]").click()
    page.locator("main [name=title]").fill("Wat is feedback?")
    page.locator("main [name=body]").fill(UNSAFE)
    page.locator("[data-testid=preview-button]").click()
    preview = page.locator("[data-testid=preview]")
    expect(preview).to_contain_text("<script>window.__pwned = true</script>")
    expect(preview.locator("strong")).to_have_text("feedback")
    expect(preview.locator("script")).to_have_count(0)
    expect(preview.locator("a[href^='javascript']")).to_have_count(0)
    assert page.evaluate("window.__pwned === undefined")
    expect(page.locator("main [name=body]")).to_have_value(UNSAFE)  # what was typed stays
    assert not Lesson.objects.exists()  # a preview saves nothing
    check_page(page, "lesson preview", findings)
    page.locator("main form.editor-lesson button[name=save]").click()
    lesson = Lesson.objects.get()
    assert lesson.body == UNSAFE
    expect(page).to_have_url(re.compile(rf"/lessons/{lesson.pk}/(#materials)?$"))

    # A multiple-choice question.
    page.goto(reverse("learning:editor-course", kwargs={"course_id": course.pk}))
    page.locator("[data-testid=add-choice-question]").click()
    page.locator("main [name=text]").fill("Waar helpt feedback een leerling bij?")
    page.locator("main [name=option_1]").fill("De volgende stap zetten")
    page.locator("main [name=correct_1]").check()
    page.locator("main [name=option_2]").fill("Een hoger cijfer halen")
    check_page(page, "question", findings)
    submit(page)
    assert Question.objects.get().choices.count() == 2
    expect(page.locator("[data-testid=publish-ready]")).to_be_visible()

    # Publish, then a new version (a draft copy of everything).
    page.locator("[data-testid=publish]").click()
    expect(page.locator("[data-testid=version-status]")).to_have_attribute("data-status", "published")
    page.locator("[data-testid=new-version]").click()
    status = page.locator("[data-testid=version-status]")
    expect(status).to_have_attribute("data-status", "draft")
    expect(status).to_have_attribute("data-number", "2")
    expect(page.locator("[data-testid=lessons] li")).to_have_count(1)
    expect(page.locator("[data-testid=questions] li[data-question]")).to_have_count(1)
    assert dict(CourseVersion.objects.filter(course=course).values_list("number", "status")) == {
        1: VersionStatus.PUBLISHED,
        2: VersionStatus.DRAFT,
    }
    check_page(page, "module new version", findings)

    # The leidinggevende suggests the published module to a teacher they lead.
    manager = sign_in_as(world.manager)
    manager.goto(reverse("learning:suggest"))
    manager.locator("main [name=person]").select_option(str(world.teacher.pk))
    manager.locator("main [name=course]").select_option(str(course.pk))
    manager.locator("main [name=message]").fill("Mooi voor je POP-doel over feedback.")
    submit(manager)
    suggestion = Suggestion.objects.get()
    row = manager.locator(f"[data-testid=suggestions] tr[data-suggestion='{suggestion.pk}']")
    expect(row).to_have_attribute("data-state", "open")
    expect(row).to_contain_text("Feedback in de klas")
    check_page(manager, "suggest", findings)

    # The teacher finds it in the catalogue (and nothing was started for them).
    teacher = sign_in_as(world.teacher)
    teacher.goto(reverse("learning:catalogue"))
    suggested = teacher.locator(f"[data-testid=suggestions] [data-suggestion='{suggestion.pk}']")
    expect(suggested).to_contain_text("Feedback in de klas")
    expect(suggested).to_contain_text("Mooi voor je POP-doel over feedback.")
    assert not world.teacher.enrolments.exists()
    browser_errors.assert_none()
