"""The author's pages: who reaches what (other boards' and aanbieders' modules are not found, the coach is refused),
forms that keep what was typed and say what is wrong (pass mark, a video link that is not http(s), an incomplete
question), the Markdown preview rendered harmless, read-only published versions, the publish checks as messages,
materials with the path to use in the text, the competence picker, the example button, and bounded queries.

Messages are compared through gettext inside translation.override("nl"), the site's default language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from bekwaam.frameworks.services import framework_adopt_for_board
from bekwaam.learning.models import (
    Choice,
    Course,
    CourseVersion,
    Enrolment,
    Lesson,
    LessonMaterial,
    Question,
    VersionStatus,
)
from bekwaam.learning.services import editor as services
from bekwaam.learning.tests.factories import course_build
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def course_url(version: CourseVersion, name: str = "editor-course", **extra: Any) -> str:
    return reverse(f"learning:{name}", kwargs={"course_id": version.course_id, **extra})


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# --- who reaches what -----------------------------------------------------------------------------------


def test_board_a_cannot_reach_board_b_or_the_aanbieder(world: Any, client_for: Any) -> None:
    own = course_build(board=world.board_a, title="Eigen module")
    others = [
        course_build(board=world.board_b, title="Module van Beta"),
        course_build(provider=world.provider, offered_to=(world.board_a,), title="Module van de academie"),
    ]
    client = client_for(world.administrator)
    listed = client.get(reverse("learning:editor"))
    assert listed.status_code == 200
    assert [str(row.pk) for row in listed.context["page"].object_list] == [str(own.course_id)]
    for version in others:
        for name in ("editor-course", "editor-figures", "editor-competences", "editor-lesson-create"):
            assert client.get(course_url(version, name)).status_code == 404
        assert client.post(course_url(version, "editor-publish")).status_code == 404
        lesson = Lesson.objects.filter(version=version).first()
        assert lesson is not None
        assert client.get(course_url(own, "editor-lesson", lesson_id=lesson.pk)).status_code == 404


def test_the_aanbieders_assessor_cannot_reach_a_boards_module(world: Any, client_for: Any) -> None:
    board_module = course_build(board=world.board_a)
    own = course_build(provider=world.provider, title="Van de academie")
    client = client_for(world.assessor)
    assert client.get(course_url(board_module)).status_code == 404
    assert client.get(course_url(own)).status_code == 200
    assert client.get(course_url(own, "editor-boards")).status_code == 200


@pytest.mark.parametrize("persona", ["coach", "teacher", "manager", "board_member"])
def test_people_who_do_not_write_modules_are_refused(world: Any, client_for: Any, persona: str) -> None:
    version = course_build(board=world.board_a)
    client = client_for(world.persona(persona))
    assert client.get(reverse("learning:editor")).status_code == 403
    assert client.get(course_url(version)).status_code == 403
    assert client.post(reverse("learning:editor-create"), {"title": "x"}).status_code == 403


# --- forms that keep what was typed ---------------------------------------------------------------------


@pytest.mark.parametrize("pass_mark", ["0", "101", "zeventig"])
def test_a_bad_pass_mark_is_refused_and_the_form_kept(world: Any, client_for: Any, pass_mark: str) -> None:
    client = client_for(world.administrator)
    data = {"title": "Mijn module", "duration_minutes": "25", "level": "introduction", "pass_mark": pass_mark}
    response = client.post(reverse("learning:editor-create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["pass_mark"]
    assert 'value="Mijn module"' in response.text
    assert not Course.objects.exists()


def test_a_module_is_made_and_its_details_saved(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    data = {"title": "Mijn module", "duration_minutes": "25", "level": "introduction", "pass_mark": "75"}
    response = client.post(reverse("learning:editor-create"), data)
    course = Course.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:editor-course", kwargs={"course_id": course.pk})
    response = client.post(response["Location"], {**data, "title": "Mijn betere module", "pass_mark": "101"})
    assert response.status_code == 400
    assert 'value="Mijn betere module"' in response.text
    response = client.post(
        reverse("learning:editor-course", kwargs={"course_id": course.pk}), {**data, "pass_mark": "90"}
    )
    assert response.status_code == 302
    assert CourseVersion.objects.get(course=course).pass_mark == 90


@pytest.mark.parametrize("url", ["ftp://example.com/film.mp4", "javascript:alert(1)"])
def test_a_video_link_that_is_not_http_is_refused_and_kept_as_typed(world: Any, client_for: Any, url: str) -> None:
    version = course_build(board=world.board_a, published=False)
    client = client_for(world.administrator)
    with translation.override("nl"):
        response = client.post(
            course_url(version, "editor-lesson-create"), {"title": "Film", "body": "Kijk maar", "video_url": url}
        )
        expected = _(
            "Enter a web address that starts with http:// or https:// (for example a YouTube or Vimeo page). "
            "Other kinds of links cannot be shown as a video."
        )
    assert response.status_code == 400
    assert response.context["form"].errors["video_url"] == [expected]
    assert response.context["form"]["video_url"].value() == url
    assert Lesson.objects.filter(version=version).count() == 2


def test_the_preview_renders_unsafe_markdown_harmless_and_saves_nothing(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a, published=False)
    lesson = Lesson.objects.filter(version=version).first()
    assert lesson is not None
    body = (
        "## Kop\n\n<script>alert('xss')</script>\n\n[klik](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n"
        "![plaatje](https://tracker.example/p.png) **vet**"
    )
    client = client_for(world.administrator)
    response = client.post(
        course_url(version, "editor-lesson", lesson_id=lesson.pk), {"title": "Les", "body": body, "preview": "1"}
    )
    assert response.status_code == 200
    preview = str(response.context["preview"])
    assert "<h2>Kop</h2>" in preview
    assert "<strong>vet</strong>" in preview
    assert "<script" not in preview and "&lt;script&gt;" in preview
    assert 'href="javascript' not in preview
    assert "<img src=x" not in preview and "&lt;img src=x onerror=alert(1)&gt;" in preview
    assert 'src="https://tracker' not in preview  # images only from this site
    page = response.text
    assert "<script>alert('xss')</script>" not in page
    assert Lesson.objects.get(pk=lesson.pk).body == lesson.body  # nothing saved
    assert "## Kop" in response.context["form"]["body"].value()


def test_an_incomplete_question_is_refused_with_what_was_typed(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a, published=False)
    client = client_for(world.administrator)
    data = {
        "kind": "multiple_choice",
        "text": "Welke kleur?",
        "option_1": "Rood",
        "correct_1": "on",
        "explanation": "Uitleg",
    }
    with translation.override("nl"):
        response = client.post(course_url(version, "editor-question-create"), data)
        expected = _("Give at least two answer options.")
    assert response.status_code == 400
    assert response.context["form"].errors["option_1"] == [expected]
    assert 'value="Rood"' in response.text
    assert "Welke kleur?" in response.text
    assert Question.objects.filter(version=version).count() == 2
    response = client.post(course_url(version, "editor-question-create"), {**data, "option_2": "Blauw"})
    assert response.status_code == 302
    question = Question.objects.get(version=version, text="Welke kleur?")
    assert list(Choice.objects.filter(question=question).values_list("text", "is_correct")) == [
        ("Rood", True),
        ("Blauw", False),
    ]


# --- read-only published versions and publishing --------------------------------------------------------


def test_a_published_version_is_shown_read_only(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a)
    lesson = Lesson.objects.filter(version=version).first()
    question = Question.objects.filter(version=version).first()
    assert lesson is not None and question is not None
    client = client_for(world.administrator)
    page = client.get(course_url(version))
    assert page.status_code == 200
    assert page.context["editable"] is False
    assert 'data-testid="read-only"' in page.text
    assert 'data-testid="new-version"' in page.text
    lesson_page = client.get(course_url(version, "editor-lesson", lesson_id=lesson.pk))
    assert lesson_page.context["form"] is None
    assert "<strong>les 1</strong>" in lesson_page.text
    with translation.override("nl"):
        refused = client.post(
            course_url(version, "editor-lesson", lesson_id=lesson.pk), {"title": "Anders", "body": ""}, follow=True
        )
        assert services.read_only_message() in messages_of(refused)
    assert Lesson.objects.get(pk=lesson.pk).title == lesson.title
    question_page = client.get(course_url(version, "editor-question", question_id=question.pk))
    assert "<fieldset disabled>" in question_page.text


def test_publishing_says_per_problem_what_is_missing(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    course = services.course_create(actor=_actor(world.administrator), data=services.VersionData(title="Leeg"))
    url = reverse("learning:editor-publish", kwargs={"course_id": course.pk})
    with translation.override("nl"):
        response = client.post(url, follow=True)
        expected = [_("Add at least one lesson."), _("Add at least one quiz question.")]
    assert messages_of(response) == expected
    assert response.context["problems"] == expected
    assert CourseVersion.objects.get(course=course).status == VersionStatus.DRAFT


def test_publish_then_a_new_version_through_the_pages(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a, published=False)
    client = client_for(world.administrator)
    enrolled_person = PersonFactory()
    assert client.post(course_url(version, "editor-publish")).status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    Enrolment.objects.create(board=world.board_a, person=enrolled_person, course=version.course, version=version)
    assert client.post(course_url(version, "editor-new-version")).status_code == 302
    draft = CourseVersion.objects.get(course=version.course, status=VersionStatus.DRAFT)
    assert draft.number == 2
    page = client.get(course_url(version))
    assert page.context["version"] == draft
    assert page.context["editable"] is True
    assert client.post(course_url(version, "editor-publish")).status_code == 302
    assert CourseVersion.objects.get(pk=version.pk).status == VersionStatus.RETIRED
    assert Enrolment.objects.get(person=enrolled_person).version_id == version.pk
    old = client.get(course_url(version, "editor-version", version_id=version.pk))
    assert old.status_code == 200
    assert old.context["editable"] is False


def test_deleting_a_never_published_draft_goes_back_to_the_list(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a, published=False)
    response = client_for(world.administrator).post(course_url(version, "editor-draft-delete"))
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:editor")
    assert not Course.objects.exists()


# --- materials ------------------------------------------------------------------------------------------


def test_a_material_is_uploaded_and_its_path_shown_for_the_text(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a, published=False)
    lesson = Lesson.objects.filter(version=version).first()
    assert lesson is not None
    client = client_for(world.administrator)
    url = course_url(version, "editor-material-add", lesson_id=lesson.pk)
    refused = client.post(url, {"file": SimpleUploadedFile("virus.html", b"<script>alert(1)</script>"), "title": ""})
    assert refused.status_code == 400
    assert refused.context["material_form"].errors["file"]
    response = client.post(url, {"file": SimpleUploadedFile("schema.png", PNG), "title": "Het schema"})
    assert response.status_code == 302
    material = LessonMaterial.objects.get()
    page = client.get(course_url(version, "editor-lesson", lesson_id=lesson.pk))
    path = reverse("learning:material", kwargs={"material_id": material.pk})
    assert f"![Het schema]({path}?inline=1)" in page.text
    # The path works for the author (the learner part serves it), and shows in the preview.
    assert client.get(f"{path}?inline=1").status_code == 200
    preview = client.post(
        course_url(version, "editor-lesson", lesson_id=lesson.pk),
        {"title": "Les", "body": f"![Het schema]({path}?inline=1)", "preview": "1"},
    )
    assert f'<img src="{path}?inline=1" alt="Het schema">' in str(preview.context["preview"])


# --- the competence picker ------------------------------------------------------------------------------


def test_a_board_author_picks_from_the_newest_published_version_of_the_boards_frameworks(
    world: Any, client_for: Any
) -> None:
    framework_adopt_for_board(board=world.board_a, slug="teacher-competences")
    framework_adopt_for_board(board=world.board_a, slug="icalt-kijkwijzer")
    version = course_build(board=world.board_a, published=False, competences=())
    client = client_for(world.administrator)
    page = client.get(course_url(version, "editor-competences"))
    values = {value for _group, options in page.context["form"].fields["competences"].choices for value, _l in options}
    assert "teacher-competences|2.3.3" in values
    assert "teacher-competences|2.4.1" in values
    assert not any(value.startswith("icalt-kijkwijzer|") for value in values)  # a kijkwijzer is not a competence set
    response = client.post(course_url(version, "editor-competences"), {"competences": ["teacher-competences|2.3.3"]})
    assert response.status_code == 302
    assert list(version.competences.values_list("code", "name")) == [("2.3.3", "Onderwijs uitvoeren en afstemmen")]
    refused = client.post(course_url(version, "editor-competences"), {"competences": ["teacher-competences|9.9.9"]})
    assert refused.status_code == 400


def test_a_link_made_earlier_is_kept_as_a_choice(world: Any, client_for: Any) -> None:
    version = course_build(
        board=world.board_a,
        published=False,
        competences=(("icalt-kijkwijzer", "K3.3", "Geeft de leerlingen feedback"),),
    )
    page = client_for(world.administrator).get(course_url(version, "editor-competences"))
    form = page.context["form"]
    assert form.initial["competences"] == ["icalt-kijkwijzer|K3.3"]
    assert [v for _g, options in form.fields["competences"].choices for v, _l in options] == ["icalt-kijkwijzer|K3.3"]


def test_an_aanbieder_picks_from_the_frameworks_bekwaam_ships(world: Any, client_for: Any) -> None:
    version = course_build(provider=world.provider, published=False, competences=())
    page = client_for(world.assessor).get(course_url(version, "editor-competences"))
    values = {value for _group, options in page.context["form"].fields["competences"].choices for value, _l in options}
    assert "teacher-competences|2.3.3" in values
    assert any(value.startswith("school-leader-standard|") for value in values)
    assert not any(value.startswith("icalt-kijkwijzer|") for value in values)


# --- the example modules --------------------------------------------------------------------------------


def test_a_board_author_adds_the_example_modules_once(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    assert 'data-testid="load-examples"' in client.get(reverse("learning:editor")).text
    assert client.post(reverse("learning:editor-examples")).status_code == 302
    assert Course.objects.filter(board=world.board_a).exclude(shipped_as="").count() == 2
    assert 'data-testid="load-examples"' not in client.get(reverse("learning:editor")).text
    client.post(reverse("learning:editor-examples"))
    assert Course.objects.filter(board=world.board_a).count() == 2
    assert 'data-testid="load-examples"' not in client_for(world.assessor).get(reverse("learning:editor")).text


# --- bounded queries ------------------------------------------------------------------------------------


def test_the_list_has_a_flat_query_count(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    course_build(board=world.board_a, title="Eerste")
    few = count_queries(client, reverse("learning:editor"))
    for number in range(12):
        version = course_build(board=world.board_a, title=f"Module {number}")
        if number % 2:
            services.version_new(actor=_actor(world.administrator), course=version.course)
        Enrolment.objects.create(board=world.board_a, person=PersonFactory(), course=version.course, version=version)
    many = count_queries(client, reverse("learning:editor"))
    assert many == few
    page = client.get(reverse("learning:editor"))
    row = next(r for r in page.context["page"].object_list if r.published_title == "Module 1")
    assert (row.published_number, row.draft_number, row.enrolment_count, row.completion_count) == (1, 2, 1, 0)


def test_the_module_page_has_a_flat_query_count(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    small = course_build(board=world.board_a, published=False, lessons=1)
    large = course_build(board=world.board_a, published=False, lessons=12, title="Groot")
    for lesson in Lesson.objects.filter(version=large):
        LessonMaterial.objects.create(lesson=lesson, title="x", original_name="x.png", content_type="image/png")
    for number in range(10):
        question = Question.objects.create(version=large, position=10 + number, text=f"Vraag {number}")
        Choice.objects.create(question=question, position=1, text="Ja", is_correct=True)
        Choice.objects.create(question=question, position=2, text="Nee")
    assert count_queries(client, course_url(large)) == count_queries(client, course_url(small))


def _actor(person: Any) -> Any:
    return actor_for(person, None)


def test_the_lesson_page_has_a_flat_query_count(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    version = course_build(board=world.board_a, published=False)
    first, second = Lesson.objects.filter(version=version).order_by("position")
    LessonMaterial.objects.create(lesson=first, title="x", original_name="x.png", content_type="image/png")
    for number in range(15):
        LessonMaterial.objects.create(
            lesson=second, title=f"x{number}", original_name="x.pdf", content_type="application/pdf"
        )
    one = count_queries(client, course_url(version, "editor-lesson", lesson_id=first.pk))
    many = count_queries(client, course_url(version, "editor-lesson", lesson_id=second.pk))
    assert many == one
