"""The author's services: create, edit only the draft, lessons, materials (the dossier's upload checks), the quiz,
the publish checks, publishing (the previous version retired, enrolments never moved), a new version copying
everything (file bytes included, never a shared stored name), deleting a draft, archiving, offering to boards."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bekwaam.learning.models import (
    Choice,
    Completion,
    Course,
    CourseCompetence,
    CourseVersion,
    Enrolment,
    Lesson,
    LessonMaterial,
    Question,
    QuestionKind,
    VersionStatus,
)
from bekwaam.learning.selectors import published_versions_for
from bekwaam.learning.services import editor as services
from bekwaam.learning.services.editor import CompetencePick, LessonData, QuestionData, VersionData
from bekwaam.learning.tests.factories import course_build
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.tests.factories import BoardFactory

pytestmark = pytest.mark.django_db

# A 1x1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def actor(person: Any) -> Any:
    return actor_for(person, None)


def png(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def draft_of(course: Course) -> CourseVersion:
    return CourseVersion.objects.get(course=course, status=VersionStatus.DRAFT)


def new_course(world: Any, title: str = "Rekenen met breuken") -> Course:
    return services.course_create(actor=actor(world.administrator), data=VersionData(title=title, pass_mark=80))


def complete_draft(world: Any, course: Course) -> None:
    """One lesson and one correct multiple-choice question: enough to publish."""
    author = actor(world.administrator)
    services.lesson_create(actor=author, course=course, data=LessonData(title="Les 1", body="Tekst"))
    services.question_create(
        actor=author,
        course=course,
        data=QuestionData(
            kind=QuestionKind.MULTIPLE_CHOICE, text="Wat klopt?", options=[("Dit", True), ("Dat", False)]
        ),
    )


def message_of(error: ValidationError, field: str | None = None) -> str:
    if field is not None:
        return " ".join(error.message_dict[field])
    return " ".join(error.messages)


def enrol(world: Any, person: Any, version: CourseVersion) -> Enrolment:
    return Enrolment.objects.create(board=world.board_a, person=person, course=version.course, version=version)


# --- creating and editing -----------------------------------------------------------------------------


def test_it_creates_a_board_module_with_a_first_draft(world: Any) -> None:
    course = new_course(world)
    assert course.board_id == world.board_a.pk
    assert course.provider_id is None
    assert course.created_by == world.administrator
    version = draft_of(course)
    assert (version.number, version.title, version.pass_mark) == (1, "Rekenen met breuken", 80)


def test_it_creates_an_aanbieder_module_for_an_assessor(world: Any) -> None:
    course = services.course_create(actor=actor(world.assessor), data=VersionData(title="Academiemodule"))
    assert course.provider_id == world.provider.pk
    assert course.board_id is None


@pytest.mark.parametrize("persona", ["coach", "teacher", "manager", "board_member", "quality_officer"])
def test_it_refuses_people_who_do_not_write_modules(world: Any, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        services.course_create(actor=actor(world.persona(persona)), data=VersionData(title="Niet van mij"))


@pytest.mark.parametrize(("field", "data"), [("pass_mark", {"pass_mark": 0}), ("pass_mark", {"pass_mark": 101}),
                                            ("title", {"title": "   "}), ("duration_minutes", {"duration_minutes": 0}),
                                            ("level", {"level": "expert"})])  # fmt: skip
def test_it_refuses_bad_details(world: Any, field: str, data: dict[str, Any]) -> None:
    course = new_course(world)
    with pytest.raises(ValidationError) as caught:
        services.draft_update(
            actor=actor(world.administrator), course=course, data=VersionData(**{"title": "Titel", **data})
        )
    assert field in caught.value.message_dict
    assert draft_of(course).title == "Rekenen met breuken"


def test_it_saves_the_details_of_the_draft(world: Any) -> None:
    course = new_course(world)
    services.draft_update(
        actor=actor(world.administrator),
        course=course,
        data=VersionData(
            title="  Breuken   vergelijken ", summary="Kort", duration_minutes=45, level="deepening", pass_mark=100
        ),
    )
    version = draft_of(course)
    assert (version.title, version.summary, version.duration_minutes, version.level, version.pass_mark) == (
        "Breuken vergelijken",
        "Kort",
        45,
        "deepening",
        100,
    )


def test_another_boards_author_cannot_change_the_module(world: Any) -> None:
    course = new_course(world)
    for person in (world.outsider_admin, world.assessor):
        with pytest.raises(PermissionDenied):
            services.draft_update(actor=actor(person), course=course, data=VersionData(title="Overgenomen"))
        with pytest.raises(PermissionDenied):
            services.version_publish(actor=actor(person), course=course)
    assert draft_of(course).title == "Rekenen met breuken"


def test_the_aanbieders_module_is_not_the_boards(world: Any) -> None:
    course = services.course_create(actor=actor(world.assessor), data=VersionData(title="Academiemodule"))
    with pytest.raises(PermissionDenied):
        services.lesson_create(actor=actor(world.administrator), course=course, data=LessonData(title="Les"))


def test_it_links_competences_by_code(world: Any) -> None:
    course = new_course(world)
    picks = [
        CompetencePick("teacher-competences", "2.3.3", "Onderwijs uitvoeren en afstemmen"),
        CompetencePick("teacher-competences", "2.3.3", "Onderwijs uitvoeren en afstemmen"),
        CompetencePick("teacher-competences", "2.4.1", "Veilig en ondersteunend leerklimaat"),
    ]
    services.draft_competences_set(actor=actor(world.administrator), course=course, picks=picks)
    linked = set(CourseCompetence.objects.filter(version__course=course).values_list("framework_slug", "code"))
    assert linked == {("teacher-competences", "2.3.3"), ("teacher-competences", "2.4.1")}
    services.draft_competences_set(actor=actor(world.administrator), course=course, picks=picks[2:])
    assert CourseCompetence.objects.filter(version__course=course).count() == 1


# --- only a draft is edited -----------------------------------------------------------------------------


def test_a_published_version_cannot_be_changed(world: Any) -> None:
    version = course_build(board=world.board_a)
    course, author = version.course, actor(world.administrator)
    lesson = Lesson.objects.filter(version=version).first()
    question = Question.objects.filter(version=version).first()
    assert lesson is not None and question is not None
    attempts = [
        lambda: services.draft_update(actor=author, course=course, data=VersionData(title="Anders")),
        lambda: services.lesson_create(actor=author, course=course, data=LessonData(title="Nieuw")),
        lambda: services.lesson_update(actor=author, course=course, lesson=lesson, data=LessonData(title="Anders")),
        lambda: services.lesson_move(actor=author, course=course, lesson=lesson, direction="down"),
        lambda: services.lesson_delete(actor=author, course=course, lesson=lesson),
        lambda: services.material_add(actor=author, course=course, lesson=lesson, upload=png()),
        lambda: services.question_update(
            actor=author,
            course=course,
            question=question,
            data=QuestionData(kind="open", text="Anders", accepted_answers=["x"]),
        ),
        lambda: services.question_delete(actor=author, course=course, question=question),
        lambda: services.draft_competences_set(actor=author, course=course, picks=[]),
    ]
    for attempt in attempts:
        with translation.override("nl"), pytest.raises(ValidationError) as caught:
            attempt()
        assert message_of(caught.value) == services.read_only_message()
    assert Lesson.objects.get(pk=lesson.pk).title == lesson.title
    assert Lesson.objects.filter(version=version).count() == 2
    assert Question.objects.filter(version=version).count() == 2
    assert CourseCompetence.objects.filter(version=version).count() == 1


def test_a_lesson_of_the_published_version_is_not_changed_through_the_draft(world: Any) -> None:
    version = course_build(board=world.board_a)
    author = actor(world.administrator)
    services.version_new(actor=author, course=version.course)
    published_lesson = Lesson.objects.filter(version=version).first()
    assert published_lesson is not None
    with pytest.raises(ValidationError):
        services.lesson_update(
            actor=author, course=version.course, lesson=published_lesson, data=LessonData(title="Via het concept")
        )
    assert Lesson.objects.get(pk=published_lesson.pk).title == published_lesson.title


# --- lessons and the video link -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/film.mp4",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "www.youtube.com/watch?v=abc",
        "https://",
        "http://exa mple.com/",
    ],
)
def test_it_refuses_a_video_link_that_is_not_http(world: Any, url: str) -> None:
    course = new_course(world)
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        services.lesson_create(
            actor=actor(world.administrator), course=course, data=LessonData(title="Film", video_url=url)
        )
    assert "http://" in message_of(caught.value, "video_url")
    assert not Lesson.objects.filter(version__course=course).exists()


@pytest.mark.parametrize(
    "url", ["https://www.youtube.com/watch?v=dQw4w9WgXcQ", "http://example.com/film.mp4", "https://vimeo.com/76979871"]
)
def test_it_accepts_an_http_video_link(world: Any, url: str) -> None:
    course = new_course(world)
    lesson = services.lesson_create(
        actor=actor(world.administrator), course=course, data=LessonData(title="Film", video_url=f"  {url} ")
    )
    assert lesson.video_url == url


def test_lessons_are_added_moved_and_deleted_in_the_draft(world: Any) -> None:
    course, author = new_course(world), actor(world.administrator)
    first, second, third = (
        services.lesson_create(actor=author, course=course, data=LessonData(title=title))
        for title in ("Een", "Twee", "Drie")
    )

    def order() -> list[str]:
        return list(Lesson.objects.filter(version__course=course).order_by("position").values_list("title", flat=True))

    assert order() == ["Een", "Twee", "Drie"]
    services.lesson_move(actor=author, course=course, lesson=third, direction="up")
    assert order() == ["Een", "Drie", "Twee"]
    services.lesson_move(actor=author, course=course, lesson=first, direction="up")  # already first: stays
    assert order() == ["Een", "Drie", "Twee"]
    services.lesson_move(actor=author, course=course, lesson=first, direction="down")
    assert order() == ["Drie", "Een", "Twee"]
    with pytest.raises(ValidationError):
        services.lesson_move(actor=author, course=course, lesson=first, direction="sideways")
    services.lesson_update(
        actor=author, course=course, lesson=second, data=LessonData(title="Twee bis", body="## Kop\r\nTekst")
    )
    assert Lesson.objects.get(pk=second.pk).body == "## Kop\nTekst"
    services.lesson_delete(actor=author, course=course, lesson=second)
    assert order() == ["Drie", "Een"]


# --- materials ------------------------------------------------------------------------------------------


def test_a_material_is_checked_and_stored_under_a_random_name(world: Any) -> None:
    course, author = new_course(world), actor(world.administrator)
    lesson = services.lesson_create(actor=author, course=course, data=LessonData(title="Les"))
    material = services.material_add(actor=author, course=course, lesson=lesson, upload=png("schema.png"))
    assert (material.title, material.original_name, material.content_type, material.size) == (
        "schema.png",
        "schema.png",
        "image/png",
        len(PNG),
    )
    assert "schema" not in (material.file.name or "")
    with material.file.open("rb") as handle:
        assert handle.read() == PNG
    pdf = services.material_add(
        actor=author,
        course=course,
        lesson=lesson,
        upload=SimpleUploadedFile("handout.pdf", PDF, content_type="application/pdf"),
        title="Hand-out",
    )
    assert (pdf.title, pdf.content_type) == ("Hand-out", "application/pdf")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.html", b"<script>alert(1)</script>"),
        ("plaatje.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("foto.png", PDF),  # the name says PNG, the content is a PDF
        ("leeg.pdf", b""),
    ],
)
def test_it_refuses_a_material_that_is_not_allowed(world: Any, name: str, content: bytes) -> None:
    course, author = new_course(world), actor(world.administrator)
    lesson = services.lesson_create(actor=author, course=course, data=LessonData(title="Les"))
    with pytest.raises(ValidationError) as caught:
        services.material_add(actor=author, course=course, lesson=lesson, upload=SimpleUploadedFile(name, content))
    assert "file" in caught.value.message_dict
    assert not LessonMaterial.objects.exists()


def test_it_refuses_a_material_over_the_size_limit(world: Any) -> None:
    course, author = new_course(world), actor(world.administrator)
    lesson = services.lesson_create(actor=author, course=course, data=LessonData(title="Les"))
    with override_settings(LEARNING_MATERIAL_MAX_BYTES=len(PNG) - 1), pytest.raises(ValidationError) as caught:
        services.material_add(actor=author, course=course, lesson=lesson, upload=png())
    assert "file" in caught.value.message_dict
    with override_settings(LEARNING_MATERIAL_MAX_BYTES=len(PNG)):
        services.material_add(actor=author, course=course, lesson=lesson, upload=png())
    assert LessonMaterial.objects.count() == 1


def test_deleting_a_material_removes_its_file_once_committed(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    course, author = new_course(world), actor(world.administrator)
    lesson = services.lesson_create(actor=author, course=course, data=LessonData(title="Les"))
    material = services.material_add(actor=author, course=course, lesson=lesson, upload=png())
    storage, name = material.file.storage, material.file.name or ""
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.material_delete(actor=author, course=course, material=material)
    assert not LessonMaterial.objects.exists()
    assert not storage.exists(name)


# --- the quiz -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (QuestionData(kind="multiple_choice", text="Vraag", options=[("Alleen", True)]), "options"),
        (QuestionData(kind="multiple_choice", text="Vraag", options=[("A", False), ("B", False)]), "options"),
        (QuestionData(kind="multiple_choice", text="Vraag", options=[("A", True), (" a ", False)]), "options"),
        (QuestionData(kind="open", text="Vraag", accepted_answers=["", "  "]), "accepted_answers"),
        (QuestionData(kind="open", text="  ", accepted_answers=["ja"]), "text"),
        (QuestionData(kind="essay", text="Vraag"), "kind"),
    ],
)
def test_it_refuses_an_incomplete_question(world: Any, data: QuestionData, field: str) -> None:
    course = new_course(world)
    with pytest.raises(ValidationError) as caught:
        services.question_create(actor=actor(world.administrator), course=course, data=data)
    assert field in caught.value.message_dict
    assert not Question.objects.exists()


def test_questions_are_written_changed_moved_and_deleted(world: Any) -> None:
    course, author = new_course(world), actor(world.administrator)
    choice = services.question_create(
        actor=author,
        course=course,
        data=QuestionData(
            kind="multiple_choice",
            text="Welke?",
            options=[("Een", False), ("", True), ("Twee", True)],
            explanation="Omdat.",
        ),
    )
    assert list(Choice.objects.filter(question=choice).values_list("text", "is_correct", "position")) == [
        ("Een", False, 1),
        ("Twee", True, 2),
    ]
    open_question = services.question_create(
        actor=author,
        course=course,
        data=QuestionData(
            kind="open", text="Welk woord?", accepted_answers=["Feedback", "feedback", " feed  forward "]
        ),
    )
    assert open_question.accepted_answers == "Feedback\nfeed forward"
    services.question_update(
        actor=author,
        course=course,
        question=choice,
        data=QuestionData(
            kind="multiple_choice", text="Welke nu?", options=[("Drie", True), ("Vier", False), ("Vijf", False)]
        ),
    )
    assert list(Choice.objects.filter(question=choice).order_by("position").values_list("text", flat=True)) == [
        "Drie",
        "Vier",
        "Vijf",
    ]
    services.question_update(
        actor=author,
        course=course,
        question=choice,
        data=QuestionData(kind="open", text="Open", accepted_answers=["ja"]),
    )
    assert not Choice.objects.filter(question=choice).exists()
    services.question_move(actor=author, course=course, question=open_question, direction="up")
    assert list(Question.objects.filter(version__course=course).order_by("position").values_list("pk", flat=True)) == [
        open_question.pk,
        choice.pk,
    ]
    services.question_delete(actor=author, course=course, question=choice)
    assert list(Question.objects.values_list("pk", flat=True)) == [open_question.pk]


# --- publishing -----------------------------------------------------------------------------------------


def test_publishing_says_per_problem_what_is_missing(world: Any) -> None:
    course = new_course(world)
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        services.version_publish(actor=actor(world.administrator), course=course)
    with translation.override("nl"):
        assert caught.value.messages == [_("Add at least one lesson."), _("Add at least one quiz question.")]
    assert draft_of(course).status == VersionStatus.DRAFT


def test_publishing_refuses_a_multiple_choice_question_without_a_correct_option(world: Any) -> None:
    version = course_build(board=world.board_a, published=False)
    question = Question.objects.get(version=version, kind=QuestionKind.MULTIPLE_CHOICE)
    Choice.objects.filter(question=question).update(is_correct=False)
    Question.objects.filter(version=version, kind=QuestionKind.OPEN).update(accepted_answers="")
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        services.version_publish(actor=actor(world.administrator), course=version.course)
    messages = caught.value.messages
    assert len(messages) == 2
    assert "Welk antwoord is goed?" in messages[0]
    assert "Wat geef je om het leren verder te helpen?" in messages[1]
    assert CourseVersion.objects.get(pk=version.pk).status == VersionStatus.DRAFT


def test_publishing_refuses_a_lesson_pointing_at_a_file_of_another_version(world: Any) -> None:
    other = course_build(board=world.board_a, title="Ander")
    lesson = Lesson.objects.filter(version=other).first()
    assert lesson is not None
    material = LessonMaterial.objects.create(lesson=lesson, title="x", original_name="x.png", content_type="image/png")
    version = course_build(board=world.board_a, published=False)
    Lesson.objects.filter(version=version).update(body=f"![x]({services.material_path(material.pk)}?inline=1)")
    with pytest.raises(ValidationError) as caught:
        services.version_publish(actor=actor(world.administrator), course=version.course)
    assert str(material.pk) in caught.value.messages[0]


def test_publishing_replaces_the_published_version_and_keeps_every_enrolment(world: Any) -> None:
    first = course_build(board=world.board_a)
    course, author = first.course, actor(world.administrator)
    halfway = enrol(world, world.teacher, first)
    second = services.version_new(actor=author, course=course)
    services.draft_update(actor=author, course=course, data=VersionData(title="Feedback geven, herzien"))
    published = services.version_publish(actor=author, course=course)
    assert published.pk == second.pk
    statuses = dict(CourseVersion.objects.filter(course=course).values_list("number", "status"))
    assert statuses == {1: VersionStatus.RETIRED, 2: VersionStatus.PUBLISHED}
    published.refresh_from_db()
    assert published.published_by == world.administrator
    assert published.published_at is not None
    assert Enrolment.objects.get(pk=halfway.pk).version_id == first.pk  # never moved
    catalogue = published_versions_for(actor=actor(world.teacher))
    assert list(catalogue.values_list("pk", flat=True)) == [second.pk]
    with pytest.raises(ValidationError):
        services.version_publish(actor=author, course=course)  # nothing left to publish


def test_a_new_draft_is_published_as_the_first_version(world: Any) -> None:
    course = new_course(world)
    complete_draft(world, course)
    version = services.version_publish(actor=actor(world.administrator), course=course)
    assert (version.number, version.status) == (1, VersionStatus.PUBLISHED)


# --- a new version --------------------------------------------------------------------------------------


def test_a_new_version_copies_everything_with_its_own_files(world: Any) -> None:
    course, author = new_course(world), actor(world.administrator)
    services.draft_update(
        actor=author,
        course=course,
        data=VersionData(title="Breuken", summary="Samen", duration_minutes=40, level="advanced", pass_mark=90),
    )
    services.draft_competences_set(
        actor=author, course=course, picks=[CompetencePick("teacher-competences", "2.2.2", "Taal en rekenen")]
    )
    lesson = services.lesson_create(
        actor=author, course=course, data=LessonData(title="Les", video_url="https://vimeo.com/76979871")
    )
    material = services.material_add(actor=author, course=course, lesson=lesson, upload=png())
    path = services.material_path(material.pk)
    services.lesson_update(
        actor=author,
        course=course,
        lesson=lesson,
        data=LessonData(
            title="Les", body=f"Zie ![schema]({path}?inline=1) en [download]({path}).", video_url=lesson.video_url
        ),
    )
    services.question_create(
        actor=author,
        course=course,
        data=QuestionData(
            kind="multiple_choice", text="Welke?", options=[("A", True), ("B", False)], explanation="Uitleg"
        ),
    )
    services.question_create(
        actor=author, course=course, data=QuestionData(kind="open", text="Woord?", accepted_answers=["ja", "jawel"])
    )
    first = services.version_publish(actor=author, course=course)

    second = services.version_new(actor=author, course=course)
    assert (second.number, second.status, second.based_on_id) == (2, VersionStatus.DRAFT, first.pk)
    assert (second.title, second.summary, second.duration_minutes, second.level, second.pass_mark) == (
        "Breuken",
        "Samen",
        40,
        "advanced",
        90,
    )
    assert list(CourseCompetence.objects.filter(version=second).values_list("code", "name")) == [
        ("2.2.2", "Taal en rekenen")
    ]
    copied_lesson = Lesson.objects.get(version=second)
    copied_material = LessonMaterial.objects.get(lesson=copied_lesson)
    assert copied_lesson.pk != lesson.pk
    assert copied_lesson.video_url == "https://vimeo.com/76979871"
    assert copied_material.pk != material.pk
    assert copied_material.file.name != material.file.name  # never a shared stored name
    with copied_material.file.open("rb") as handle:
        assert handle.read() == PNG
    assert (copied_material.title, copied_material.original_name, copied_material.content_type) == (
        material.title,
        material.original_name,
        "image/png",
    )
    new_path = services.material_path(copied_material.pk)
    assert copied_lesson.body == f"Zie ![schema]({new_path}?inline=1) en [download]({new_path})."
    questions = list(Question.objects.filter(version=second).order_by("position"))
    assert [(q.kind, q.text, q.explanation, q.accepted_answers) for q in questions] == [
        ("multiple_choice", "Welke?", "Uitleg", ""),
        ("open", "Woord?", "", "ja\njawel"),
    ]
    assert list(Choice.objects.filter(question=questions[0]).values_list("text", "is_correct")) == [
        ("A", True),
        ("B", False),
    ]
    # The published version is untouched, and the copy passes the publish checks as it is.
    assert Lesson.objects.get(pk=lesson.pk).body.count(str(material.pk)) == 2
    assert services.publish_problems(second) == []


def test_a_new_version_is_refused_while_there_is_a_draft_or_nothing_published(world: Any) -> None:
    course = new_course(world)
    with pytest.raises(ValidationError):
        services.version_new(actor=actor(world.administrator), course=course)
    version = course_build(board=world.board_a)
    services.version_new(actor=actor(world.administrator), course=version.course)
    with pytest.raises(ValidationError):
        services.version_new(actor=actor(world.administrator), course=version.course)
    assert CourseVersion.objects.filter(course=version.course).count() == 2


# --- deleting, archiving, offering ----------------------------------------------------------------------


def test_deleting_the_draft_of_a_published_module_keeps_the_module(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    version = course_build(board=world.board_a)
    author = actor(world.administrator)
    lesson = Lesson.objects.filter(version=version).first()
    assert lesson is not None
    original = LessonMaterial(lesson=lesson, title="x", original_name="x.png", content_type="image/png")
    original.file.save("x.png", png(), save=True)
    draft = services.version_new(actor=author, course=version.course)
    copy = LessonMaterial.objects.get(lesson__version=draft)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.draft_delete(actor=author, course=version.course) is False
    assert list(CourseVersion.objects.filter(course=version.course).values_list("pk", flat=True)) == [version.pk]
    assert not copy.file.storage.exists(copy.file.name or "")
    assert original.file.storage.exists(original.file.name or "")  # the published version keeps its file


def test_deleting_the_draft_of_a_module_never_published_deletes_the_module(world: Any) -> None:
    course = new_course(world)
    assert services.draft_delete(actor=actor(world.administrator), course=course) is True
    assert not Course.objects.filter(pk=course.pk).exists()


def test_deleting_is_refused_without_a_draft(world: Any) -> None:
    version = course_build(board=world.board_a)
    with pytest.raises(ValidationError):
        services.draft_delete(actor=actor(world.administrator), course=version.course)
    assert CourseVersion.objects.filter(pk=version.pk).exists()


def test_an_archived_module_leaves_the_catalogue_and_its_completions_stay(world: Any) -> None:
    version = course_build(board=world.board_a)
    course, author = version.course, actor(world.administrator)
    enrolment = enrol(world, world.teacher, version)
    Completion.objects.create(
        board=world.board_a,
        person=world.teacher,
        enrolment=enrolment,
        course=course,
        version=version,
        title=version.title,
        version_number=1,
        offered_by=world.board_a.name,
        score_percent=80,
        completed_at=timezone.now(),
    )
    services.course_archive(actor=author, course=course)
    assert not published_versions_for(actor=actor(world.teacher)).exists()
    assert Completion.objects.filter(course=course).count() == 1
    services.course_unarchive(actor=author, course=course)
    assert published_versions_for(actor=actor(world.teacher)).count() == 1


def test_an_aanbieder_chooses_the_boards_a_module_is_offered_to(world: Any) -> None:
    version = course_build(provider=world.provider)
    course, author = version.course, actor(world.assessor)
    assert not published_versions_for(actor=actor(world.teacher)).exists()
    services.course_boards_set(actor=author, course=course, board_ids=[world.board_a.pk])
    assert published_versions_for(actor=actor(world.teacher)).count() == 1
    assert not published_versions_for(actor=actor(world.outsider)).exists()
    with pytest.raises(ValidationError):
        services.course_boards_set(actor=author, course=course, board_ids=[world.board_a.pk, 999_999])
    assert list(course.boards.all()) == [world.board_a]
    services.course_boards_set(actor=author, course=course, board_ids=[])
    assert not course.boards.exists()


def test_a_boards_own_module_is_offered_to_nobody_else(world: Any) -> None:
    version = course_build(board=world.board_a)
    with pytest.raises(ValidationError):
        services.course_boards_set(
            actor=actor(world.administrator), course=version.course, board_ids=[BoardFactory().pk]
        )
    assert not version.course.boards.exists()
