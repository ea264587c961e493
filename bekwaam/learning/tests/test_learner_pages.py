"""The learner's pages: the catalogue (filters, bad filter values, suggestions, running, completed), a
module and starting it, lessons (Markdown made harmless, video, material), the quiz and its result, the
completion in the portfolio, who gets 403 or 404, and query counts that do not grow with rows. Pages
are read in English."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from bekwaam.dossier.models import Evidence
from bekwaam.dossier.tests.test_uploads import pdf_bytes, png_bytes
from bekwaam.frameworks.services import framework_adopt_for_board
from bekwaam.learning.models import (
    Completion,
    Course,
    CourseCompetence,
    CourseLevel,
    CourseVersion,
    Enrolment,
    Lesson,
    LessonMaterial,
    LessonProgress,
    QuestionKind,
    QuizAttempt,
    Suggestion,
    VersionStatus,
)
from bekwaam.learning.services import learner as services
from bekwaam.learning.services.learner import question_field
from bekwaam.learning.tests.factories import course_build
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Provider

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("learning:catalogue")


@pytest.fixture
def client_for(client_for: Any, settings: Any) -> Any:
    """Signed-in clients that read English pages: the assertions use the English msgids."""

    def signed_in(person: Any) -> Client:
        client: Client = client_for(person)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return signed_in


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"learning:{name}", kwargs=kwargs)


def text_of(response: Any) -> str:
    return response.content.decode()


def answers(version: CourseVersion, *, choice: str = "Goed", open_answer: str = "feedback") -> dict[str, str]:
    result: dict[str, str] = {}
    for question in version.questions.all():
        if question.kind == QuestionKind.OPEN:
            result[question_field(question)] = open_answer
        else:
            result[question_field(question)] = str(question.choices.get(text=choice).pk)
    return result


def enrol(person: Any, version: CourseVersion, *, lessons_done: bool = False) -> Enrolment:
    actor = actor_for(person, None)
    enrolment, _created = services.enrolment_start(actor=actor, version=version)
    if lessons_done:
        for lesson in version.lessons.all():
            services.lesson_mark_done(actor=actor, enrolment=enrolment, lesson=lesson)
    return enrolment


def complete(person: Any, version: CourseVersion) -> Completion:
    enrolment = enrol(person, version, lessons_done=True)
    services.quiz_submit(actor=actor_for(person, None), enrolment=enrolment, answers=answers(version))
    return Completion.objects.get(enrolment=enrolment)


def material_build(lesson: Lesson, *, content: bytes, name: str, content_type: str) -> LessonMaterial:
    material = LessonMaterial(
        lesson=lesson, title=f"Materiaal {name}", original_name=name, content_type=content_type, size=len(content)
    )
    material.file.save("random", ContentFile(content), save=False)
    material.save()
    return material


def modules_bulk_build(world: Any, provider: Provider, numbers: range) -> None:
    """Many published modules at once (rows written in bulk): two of three the board's, one of three an
    aanbieder's offered to the board, each with a competence."""
    courses = [Course(board=world.board_a) if number % 3 else Course(provider=provider) for number in numbers]
    Course.objects.bulk_create(courses)
    Course.boards.through.objects.bulk_create(
        Course.boards.through(course_id=course.pk, board_id=world.board_a.pk)
        for course in courses
        if course.provider_id is not None
    )
    versions = CourseVersion.objects.bulk_create(
        CourseVersion(
            course=course,
            number=1,
            status=VersionStatus.PUBLISHED,
            title=f"Module {number:03d}",
            published_at=timezone.now(),
        )
        for number, course in zip(numbers, courses, strict=True)
    )
    CourseCompetence.objects.bulk_create(
        CourseCompetence(version=version, framework_slug="teacher-competences", code=f"{n % 7}.1.1", name=f"C{n % 7}")
        for n, version in zip(numbers, versions, strict=True)
    )


def query_count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


# --- the catalogue ----------------------------------------------------------------------------------


def test_the_catalogue_shows_what_the_board_may_take(world: Any, client_for: Any) -> None:
    provider = Provider.objects.create(name="Academie Twee")
    course_build(board=world.board_a, title="Eigen module")
    course_build(provider=provider, offered_to=(world.board_a,), title="Aanbieder module")
    course_build(board=world.board_b, title="Module van Beta")
    course_build(provider=provider, offered_to=(world.board_b,), title="Alleen voor Beta")
    course_build(board=world.board_a, title="Nog een concept", published=False)
    archived = course_build(board=world.board_a, title="Gearchiveerd")
    archived.course.archived_at = timezone.now()
    archived.course.save()
    response = client_for(world.teacher).get(CATALOGUE)
    page = text_of(response)
    assert response.status_code == 200
    assert "Eigen module" in page and "Aanbieder module" in page
    for hidden in ("Module van Beta", "Alleen voor Beta", "Nog een concept", "Gearchiveerd"):
        assert hidden not in page
    assert "Academie Twee" in page and "Stichting Alfa" in page  # offered by
    assert "30 minutes" in page and "Introduction" in page and "2.3.3" in page


def test_the_catalogue_filters_by_text_competence_level_and_who_offers(world: Any, client_for: Any) -> None:
    provider = Provider.objects.create(name="Academie Twee")
    course_build(board=world.board_a, title="Feedback geven")
    deep = course_build(
        board=world.board_a, title="Klassenmanagement", competences=(("teacher-competences", "3.1.1", "Orde"),)
    )
    CourseVersion.objects.filter(pk=deep.pk).update(level=CourseLevel.DEEPENING)
    offered = course_build(provider=provider, offered_to=(world.board_a,), title="Differentiëren")
    client = client_for(world.teacher)

    def titles(query: str) -> set[str]:
        page = text_of(client.get(f"{CATALOGUE}?{query}"))
        return {title for title in ("Feedback geven", "Klassenmanagement", "Differentiëren") if title in page}

    assert titles("q=klassen") == {"Klassenmanagement"}
    assert titles("q=over+feedback") == {"Feedback geven"}  # the summary counts too
    assert titles("competence=teacher-competences%3A3.1.1") == {"Klassenmanagement"}
    assert titles("level=deepening") == {"Klassenmanagement"}
    assert titles("offered_by=board") == {"Feedback geven", "Klassenmanagement"}
    assert titles(f"offered_by=provider%3A{provider.pk}") == {"Differentiëren"}
    assert titles("q=niets+zoals+dit") == set()
    assert offered.course.provider_id == provider.pk


def test_bad_filter_values_are_left_out_with_a_message(world: Any, client_for: Any) -> None:
    course_build(board=world.board_a, title="Feedback geven")
    query = "level=expert&competence=%3Cscript%3E&offered_by=provider%3A999999&q=" + "x" * 500 + "&page=abc"
    response = client_for(world.teacher).get(f"{CATALOGUE}?{query}")
    page = text_of(response)
    assert response.status_code == 200
    assert "Feedback geven" in page  # the bad filters are ignored, not applied
    for label in ("Level", "Competence", "Offered by", "Search"):
        assert f"The filter “{label}” had a value that is not on offer; it has been left out." in page
    assert "<script>" not in page.split('id="offer-title"')[1]


def test_the_catalogue_paginates_by_25(world: Any, client_for: Any) -> None:
    for number in range(27):
        course_build(board=world.board_a, title=f"Module {number:02d}", lessons=0)
    client = client_for(world.teacher)
    first = text_of(client.get(CATALOGUE))
    second = text_of(client.get(f"{CATALOGUE}?level=introduction&page=2"))
    assert "Module 24" in first and "Module 25" not in first
    assert "Module 25" in second and "Module 26" in second and "Page 2 of 2" in second
    assert "level=introduction&amp;page=1" in second  # the filters stay in the page links


def test_suggestions_show_who_suggested_and_can_be_set_aside(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a, title="Feedback geven")
    suggestion = Suggestion.objects.create(
        board=world.board_a,
        person=world.teacher,
        course=version.course,
        suggested_by=world.manager,
        message="Past bij je <b>POP</b>-doel.",
    )
    hidden = course_build(board=world.board_b, title="Niet voor jou")
    Suggestion.objects.create(
        board=world.board_a, person=world.teacher, course=hidden.course, suggested_by=world.manager
    )
    client = client_for(world.teacher)
    page = text_of(client.get(CATALOGUE))
    section = page.split('data-testid="suggestions"')[1].split("</section>")[0]
    assert "Feedback geven" in section and "Mira Leider" in section
    assert "Past bij je &lt;b&gt;POP&lt;/b&gt;-doel." in section
    assert "Niet voor jou" not in page
    # Another person cannot set it aside; the person can, and nothing is started.
    assert client_for(world.colleague).post(url("suggestion-dismiss", suggestion_id=suggestion.pk)).status_code == 404
    response = client_for(world.teacher).post(url("suggestion-dismiss", suggestion_id=suggestion.pk))
    assert response.status_code == 302
    assert Suggestion.objects.get(pk=suggestion.pk).dismissed_at is not None
    assert 'data-testid="suggestions"' not in text_of(client_for(world.teacher).get(CATALOGUE))
    assert not Enrolment.objects.exists()


def test_running_and_completed_modules_are_above_the_list(world: Any, client_for: Any) -> None:
    running = course_build(board=world.board_a, title="Bezig ermee", lessons=3)
    enrolment = enrol(world.teacher, running)
    lessons = list(running.lessons.order_by("position"))
    services.lesson_mark_done(actor=actor_for(world.teacher, None), enrolment=enrolment, lesson=lessons[0])
    done = course_build(board=world.board_a, title="Al gedaan")
    completion = complete(world.teacher, done)
    page = text_of(client_for(world.teacher).get(CATALOGUE))
    section = page.split('data-testid="running"')[1].split("</section>")[0]
    assert "Bezig ermee" in section and "1 of 3 lessons done" in section
    assert url("lesson", enrolment_id=enrolment.pk, lesson_id=lessons[1].pk) in section  # continue
    completed = page.split('data-testid="completed"')[1].split("</section>")[0]
    assert "Al gedaan" in completed and "100%" in completed
    assert reverse("dossier:evidence-detail", kwargs={"evidence_id": completion.evidence_id}) in completed
    # The colleague sees none of it.
    other = text_of(client_for(world.colleague).get(CATALOGUE))
    assert 'data-testid="running"' not in other and 'data-testid="completed"' not in other


def test_the_catalogues_query_count_does_not_grow_with_modules(world: Any, client_for: Any) -> None:
    provider = Provider.objects.create(name="Academie Twee")
    course_build(board=world.board_a, title="Module 000", lessons=0)
    client = client_for(world.teacher)
    client.get(CATALOGUE)  # warm the session and the caches
    one = query_count(client, CATALOGUE)
    modules_bulk_build(world, provider, range(1, 200))
    assert query_count(client, CATALOGUE) == one
    page = text_of(client.get(CATALOGUE))
    assert "200 modules" in page and page.count('class="card learning-card"') == 25
    assert query_count(client, f"{CATALOGUE}?level=introduction&page=3") == one


def test_the_catalogues_query_count_does_not_grow_with_the_persons_modules(world: Any, client_for: Any) -> None:
    def add(number: int) -> None:
        running = course_build(board=world.board_a, title=f"Bezig {number}")
        enrol(world.teacher, running)
        complete(world.teacher, course_build(board=world.board_a, title=f"Klaar {number}"))
        suggested = course_build(board=world.board_a, title=f"Voorgesteld {number}")
        Suggestion.objects.create(
            board=world.board_a, person=world.teacher, course=suggested.course, suggested_by=world.manager
        )

    add(0)
    client = client_for(world.teacher)
    client.get(CATALOGUE)
    one = query_count(client, CATALOGUE)
    for number in range(1, 6):
        add(number)
    assert query_count(client, CATALOGUE) == one


def test_the_catalogue_is_for_medewerkers(world: Any, client_for: Any) -> None:
    for persona in ("administrator", "board_member", "assessor", "coach", "outsider_admin"):
        assert client_for(world.persona(persona)).get(CATALOGUE).status_code == 403, persona
    assert Client().get(CATALOGUE).status_code == 302


# --- one module -------------------------------------------------------------------------------------


def test_the_module_page_shows_the_published_version_and_starts_it(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a, lessons=3)
    client = client_for(world.teacher)
    page = text_of(client.get(url("course", course_id=version.course_id)))
    assert "Feedback geven" in page and "Les 1" in page and "Les 3" in page and "2.3.3" in page
    assert 'data-testid="start"' in page
    response = client.post(url("start", course_id=version.course_id))
    enrolment = Enrolment.objects.get()
    first = version.lessons.order_by("position").first()
    assert response.status_code == 302
    assert response["Location"] == url("lesson", enrolment_id=enrolment.pk, lesson_id=first.pk)
    # Starting again goes on with the same enrolment.
    again = client.post(url("start", course_id=version.course_id))
    assert again["Location"] == response["Location"] and Enrolment.objects.count() == 1
    assert 'data-testid="continue"' in text_of(client.get(url("course", course_id=version.course_id)))


def test_the_module_page_says_a_newer_version_exists_and_keeps_the_old_one(world: Any, client_for: Any) -> None:
    v1 = course_build(board=world.board_a, lessons=2)
    enrolment = enrol(world.teacher, v1)
    CourseVersion.objects.filter(pk=v1.pk).update(status=VersionStatus.RETIRED)
    v2 = course_build(course=v1.course, number=2, title="Feedback geven, herzien", lessons=4)
    client = client_for(world.teacher)
    page = text_of(client.get(url("course", course_id=v1.course_id)))
    assert "Feedback geven, herzien" in page
    assert "A newer version of this module has been published (version 2). You finish version 1" in page
    assert 'data-testid="start"' not in page
    client.post(url("start", course_id=v1.course_id))
    assert list(Enrolment.objects.values_list("pk", "version")) == [(enrolment.pk, v1.pk)]
    lesson_page = text_of(
        client.get(url("lesson", enrolment_id=enrolment.pk, lesson_id=v1.lessons.order_by("position")[0].pk))
    )
    assert "Lesson 1 of 2" in lesson_page and 'data-testid="older-version"' in lesson_page
    # A lesson of v2 is not part of the v1 enrolment.
    v2_lesson = v2.lessons.first()
    assert client.get(url("lesson", enrolment_id=enrolment.pk, lesson_id=v2_lesson.pk)).status_code == 404


@pytest.mark.parametrize("which", ["other_board", "archived", "draft_only", "unknown"])
def test_a_module_out_of_reach_is_not_found(world: Any, client_for: Any, which: str) -> None:
    if which == "other_board":
        course_id = course_build(board=world.board_b).course_id
    elif which == "draft_only":
        course_id = course_build(board=world.board_a, published=False).course_id
    elif which == "archived":
        version = course_build(board=world.board_a)
        version.course.archived_at = timezone.now()
        version.course.save()
        course_id = version.course_id
    else:
        course_id = "00000000-0000-0000-0000-000000000000"
    client = client_for(world.teacher)
    assert client.get(url("course", course_id=course_id)).status_code == 404
    assert client.post(url("start", course_id=course_id)).status_code == 404
    assert not Enrolment.objects.exists()


def test_the_module_pages_query_count_is_bounded(world: Any, client_for: Any) -> None:
    small = course_build(board=world.board_a, lessons=1)
    large = course_build(
        board=world.board_a,
        title="Groot",
        lessons=30,
        competences=tuple(("teacher-competences", f"{n}.1.1", f"C{n}") for n in range(10)),
    )
    enrol(world.teacher, small)
    enrol(world.teacher, large)
    client = client_for(world.teacher)
    client.get(CATALOGUE)
    assert query_count(client, url("course", course_id=small.course_id)) == query_count(
        client, url("course", course_id=large.course_id)
    )


# --- lessons ----------------------------------------------------------------------------------------

UNSAFE = """# Kop

<script>alert("script")</script>

[klik hier](javascript:alert(1)) en [ook hier](JaVaScRiPt:alert(2)) en [data](data:text/html;base64,PHNjcmlwdD4=)

<div onclick="alert(3)">rauwe HTML</div> <iframe src="https://evil.example"></iframe>

<img src=x onerror=alert(4)> ![plaatje](x" onerror="alert(5)) ![elders](https://evil.example/p.png)

<a href="javascript:alert(6)">link</a> [goed](https://example.org/les)
"""


def lesson_body(page: str) -> str:
    return page.split('data-testid="lesson-body">')[1].split("</div>")[0]


def test_an_unsafe_markdown_payload_is_rendered_harmless(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a, lessons=1)
    lesson = version.lessons.get()
    Lesson.objects.filter(pk=lesson.pk).update(body=UNSAFE)
    enrolment = enrol(world.teacher, version)
    response = client_for(world.teacher).get(url("lesson", enrolment_id=enrolment.pk, lesson_id=lesson.pk))
    body = lesson_body(text_of(response))
    assert "<h2>Kop</h2>" in body
    assert not re.search(r"<(script|iframe|div)\b", body, re.IGNORECASE)
    assert not re.search(r"<[^>]+\son\w+\s*=", body, re.IGNORECASE)  # no event handler attribute
    assert not re.search(r"<[^>]*\b(href|src)\s*=\s*\"?\s*(javascript|data):", body, re.IGNORECASE)
    assert "evil.example/p.png" not in re.findall(r'src="([^"]*)"', body)  # images only from this site
    assert "&lt;script&gt;" in body  # shown as text, not run
    assert 'href="https://example.org/les"' in body and 'rel="noopener noreferrer"' in body


def test_the_video_is_embedded_or_left_out(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a, lessons=1)
    lesson = version.lessons.get()
    enrolment = enrol(world.teacher, version)
    client = client_for(world.teacher)
    path = url("lesson", enrolment_id=enrolment.pk, lesson_id=lesson.pk)
    cases = {
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ": 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"',
        "https://vimeo.com/76979871": 'src="https://player.vimeo.com/video/76979871"',
        "https://cdn.example.org/les.mp4": '<source src="https://cdn.example.org/les.mp4" type="video/mp4">',
        "https://example.org/video-pagina": 'href="https://example.org/video-pagina"',
    }
    for link, expected in cases.items():
        Lesson.objects.filter(pk=lesson.pk).update(video_url=link)
        page = text_of(client.get(path))
        assert expected in page, link
    Lesson.objects.filter(pk=lesson.pk).update(video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    assert 'title="Video: Les 1"' in text_of(client.get(path))  # the frame is named
    for link in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://example.org/les.mp4"):
        Lesson.objects.filter(pk=lesson.pk).update(video_url=link)  # past the form's check: written directly
        page = text_of(client.get(path))
        assert "data-video=" not in page, link
        assert "alert(1)" not in page and "ftp://" not in page


def test_done_records_progress_and_goes_to_the_next_lesson_then_the_quiz(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a, lessons=2)
    enrolment = enrol(world.teacher, version)
    first, second = version.lessons.order_by("position")
    client = client_for(world.teacher)
    response = client.post(url("lesson-done", enrolment_id=enrolment.pk, lesson_id=first.pk))
    assert response["Location"] == url("lesson", enrolment_id=enrolment.pk, lesson_id=second.pk)
    page = text_of(client.get(response["Location"]))
    assert "Lesson 2 of 2" in page and "1 of 2 lessons done" in page
    response = client.post(url("lesson-done", enrolment_id=enrolment.pk, lesson_id=second.pk))
    assert response["Location"] == url("quiz", enrolment_id=enrolment.pk)
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 2
    assert Enrolment.objects.get(pk=enrolment.pk).last_lesson_id == second.pk
    # Kept between sessions: a new sign-in continues at the quiz.
    fresh = client_for(world.teacher)
    page = text_of(fresh.get(CATALOGUE))
    assert url("quiz", enrolment_id=enrolment.pk) in page.split('data-testid="running"')[1]


def test_someone_elses_enrolment_is_not_found(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a, lessons=1)
    enrolment = enrol(world.teacher, version, lessons_done=True)
    lesson = version.lessons.get()
    attempt = services.quiz_submit(
        actor=actor_for(world.teacher, None), enrolment=enrolment, answers=answers(version, open_answer="nee")
    )
    paths = [
        url("enrolment", enrolment_id=enrolment.pk),
        url("lesson", enrolment_id=enrolment.pk, lesson_id=lesson.pk),
        url("quiz", enrolment_id=enrolment.pk),
        url("attempt", enrolment_id=enrolment.pk, number=attempt.number),
    ]
    for persona in ("colleague", "manager", "outsider"):
        client = client_for(world.persona(persona))
        for path in paths:
            assert client.get(path).status_code == 404, (persona, path)
        assert client.post(url("lesson-done", enrolment_id=enrolment.pk, lesson_id=lesson.pk)).status_code == 404
        assert client.post(url("quiz", enrolment_id=enrolment.pk), answers(version)).status_code == 404
    assert QuizAttempt.objects.count() == 1


def test_the_lesson_pages_query_count_does_not_grow_with_lessons_or_material(world: Any, client_for: Any) -> None:
    small = course_build(board=world.board_a, lessons=1)
    large = course_build(board=world.board_a, title="Groot", lessons=40)
    small_enrolment = enrol(world.teacher, small, lessons_done=True)
    large_enrolment = enrol(world.teacher, large, lessons_done=True)
    large_lesson = large.lessons.order_by("position")[5]
    for number in range(8):
        material_build(large_lesson, content=pdf_bytes(), name=f"blad{number}.pdf", content_type="application/pdf")
    client = client_for(world.teacher)
    client.get(CATALOGUE)
    small_path = url("lesson", enrolment_id=small_enrolment.pk, lesson_id=small.lessons.get().pk)
    large_path = url("lesson", enrolment_id=large_enrolment.pk, lesson_id=large_lesson.pk)
    assert query_count(client, small_path) == query_count(client, large_path)
    assert query_count(client, url("enrolment", enrolment_id=small_enrolment.pk)) == query_count(
        client, url("enrolment", enrolment_id=large_enrolment.pk)
    )


# --- lesson material --------------------------------------------------------------------------------


def test_material_is_sent_as_an_attachment_and_an_image_inline_on_request(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a, lessons=1)
    lesson = version.lessons.get()
    sheet = material_build(lesson, content=pdf_bytes(), name="werkblad.pdf", content_type="application/pdf")
    image = material_build(lesson, content=png_bytes(), name="schema.png", content_type="image/png")
    enrolment = enrol(world.teacher, version)
    client = client_for(world.teacher)
    page = text_of(client.get(url("lesson", enrolment_id=enrolment.pk, lesson_id=lesson.pk)))
    assert url("material", material_id=sheet.pk) in page and "werkblad.pdf" in page
    response = client.get(url("material", material_id=sheet.pk))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and "werkblad.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf_bytes()
    inline = client.get(url("material", material_id=image.pk) + "?inline=1")
    assert inline["Content-Disposition"].startswith("inline") and inline["Content-Type"] == "image/png"
    assert inline["X-Content-Type-Options"] == "nosniff"
    # A PDF is never sent inline.
    assert client.get(url("material", material_id=sheet.pk) + "?inline=1")["Content-Disposition"].startswith(
        "attachment"
    )


def test_material_is_for_who_may_see_that_version(world: Any, client_for: Any) -> None:
    published = course_build(board=world.board_a, lessons=1)
    draft = course_build(board=world.board_a, title="Concept", lessons=1, published=False)
    on_published = material_build(published.lessons.get(), content=png_bytes(), name="a.png", content_type="image/png")
    on_draft = material_build(draft.lessons.get(), content=png_bytes(), name="b.png", content_type="image/png")

    def status(persona: str, material: LessonMaterial) -> int:
        return client_for(world.persona(persona)).get(url("material", material_id=material.pk)).status_code

    assert status("colleague", on_published) == 200  # the board may take it
    assert status("administrator", on_published) == 200  # an author of the board's modules
    assert status("administrator", on_draft) == 200
    assert status("colleague", on_draft) == 404  # a draft: authors only
    assert status("outsider", on_published) == 404
    assert status("outsider_admin", on_published) == 404
    assert status("assessor", on_published) == 404
    assert status("board_member", on_published) == 403
    # A retired version: only who has an enrolment on it.
    enrol(world.teacher, published)
    CourseVersion.objects.filter(pk=published.pk).update(status=VersionStatus.RETIRED)
    course_build(course=published.course, number=2, lessons=1)
    assert status("teacher", on_published) == 200
    assert status("colleague", on_published) == 404


# --- the quiz ---------------------------------------------------------------------------------------


def test_a_missing_answer_keeps_what_was_typed(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a, lessons=1)
    enrolment = enrol(world.teacher, version, lessons_done=True)
    posted = answers(version, open_answer="Mijn <eigen> antwoord")
    choice_question = version.questions.get(kind=QuestionKind.MULTIPLE_CHOICE)
    del posted[question_field(choice_question)]
    response = client_for(world.teacher).post(url("quiz", enrolment_id=enrolment.pk), posted)
    page = text_of(response)
    assert response.status_code == 400
    assert "Answer this question." in page
    assert 'value="Mijn &lt;eigen&gt; antwoord"' in page
    assert not QuizAttempt.objects.exists()


def test_the_quiz_waits_for_the_lessons(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a, lessons=2)
    enrolment = enrol(world.teacher, version)
    client = client_for(world.teacher)
    page = text_of(client.get(url("quiz", enrolment_id=enrolment.pk)))
    assert 'data-testid="lessons-left"' in page and 'data-testid="quiz-form"' not in page
    response = client.post(url("quiz", enrolment_id=enrolment.pk), answers(version), follow=True)
    assert "Finish every lesson before you take the quiz." in text_of(response)
    assert not QuizAttempt.objects.exists()


def test_failing_then_passing_ends_in_the_portfolio(world: Any, client_for: Any) -> None:
    framework_adopt_for_board(board=world.board_a, slug="teacher-competences")
    version = course_build(board=world.board_a, lessons=1, pass_mark=100)
    open_question = version.questions.get(kind=QuestionKind.OPEN)
    open_question.explanation = "Feedback helpt het leren verder."
    open_question.save()
    enrolment = enrol(world.teacher, version, lessons_done=True)
    client = client_for(world.teacher)
    quiz_page = text_of(client.get(url("quiz", enrolment_id=enrolment.pk)))
    assert "Welk antwoord is goed?" in quiz_page and 'type="radio"' in quiz_page

    response = client.post(url("quiz", enrolment_id=enrolment.pk), answers(version, open_answer="geen idee"))
    assert response["Location"] == url("attempt", enrolment_id=enrolment.pk, number=1)
    result = text_of(client.get(response["Location"]))
    assert "Your score: 50% (1 of 2 right)" in result and "Pass mark: 100%" in result
    assert 'data-passed="no"' in result and 'data-testid="retry"' in result
    assert "Feedback helpt het leren verder." in result and "geen idee" in result
    assert re.findall(r'data-correct="(yes|no)"', result) == ["yes", "no"]
    assert not Completion.objects.exists()

    response = client.post(url("quiz", enrolment_id=enrolment.pk), answers(version, open_answer=" Feedback "))
    assert response["Location"] == url("attempt", enrolment_id=enrolment.pk, number=2)
    result = text_of(client.get(response["Location"]))
    completion = Completion.objects.get()
    assert 'data-passed="yes"' in result and 'data-testid="retry"' not in result
    assert reverse("dossier:evidence-detail", kwargs={"evidence_id": completion.evidence_id}) in result

    # In the portfolio, with the board's competence; in "Completed" on the catalogue.
    portfolio = text_of(client.get(reverse("dossier:evidence-list")))
    assert "E-learning: Feedback geven" in portfolio and "2.3.3" in portfolio
    detail = text_of(client.get(reverse("dossier:evidence-detail", kwargs={"evidence_id": completion.evidence_id})))
    assert "Onderwijs uitvoeren en afstemmen" in detail or "2.3.3" in detail
    assert "Feedback geven" in text_of(client.get(CATALOGUE)).split('data-testid="completed"')[1]

    # Submitting again (say, from a second tab) is refused with a message; nothing new is written.
    again = client.post(url("quiz", enrolment_id=enrolment.pk), answers(version), follow=True)
    with translation.override("en"):
        expected = services.already_completed_message()
    assert expected in text_of(again)
    assert (QuizAttempt.objects.count(), Completion.objects.count(), Evidence.objects.count()) == (2, 1, 1)


def test_the_quiz_and_result_pages_query_counts_are_bounded(world: Any, client_for: Any) -> None:
    def with_questions(title: str, extra: int) -> CourseVersion:
        version = course_build(board=world.board_a, title=title, lessons=1)
        for number in range(extra):
            question = version.questions.create(position=10 + number, kind=QuestionKind.MULTIPLE_CHOICE, text="Nog?")
            question.choices.create(position=1, text="Goed", is_correct=True)
            question.choices.create(position=2, text="Fout")
        return version

    counts = []
    for title, extra in (("Klein", 0), ("Groot", 20)):
        version = with_questions(title, extra)
        enrolment = enrol(world.teacher, version, lessons_done=True)
        attempt = services.quiz_submit(
            actor=actor_for(world.teacher, None), enrolment=enrolment, answers=answers(version, open_answer="x")
        )
        client = client_for(world.teacher)
        client.get(CATALOGUE)
        counts.append(
            (
                query_count(client, url("quiz", enrolment_id=enrolment.pk)),
                query_count(client, url("attempt", enrolment_id=enrolment.pk, number=attempt.number)),
            )
        )
    assert counts[0] == counts[1]


def test_an_attempt_of_another_number_is_not_found(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a, lessons=1)
    enrolment = enrol(world.teacher, version, lessons_done=True)
    assert client_for(world.teacher).get(url("attempt", enrolment_id=enrolment.pk, number=1)).status_code == 404
