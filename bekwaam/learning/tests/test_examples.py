"""The two example modules Bekwaam ships: loaded once however often they are loaded, published version 1, linked to
the right competences (names as in the shipped frameworks), three lessons each with a list or table and sources,
a quiz of four or five questions with an open one, pass mark 75, and passing the publish checks; the command."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bekwaam.learning import markdown
from bekwaam.learning.models import Choice, Course, CourseVersion, Lesson, Question, QuestionKind, VersionStatus
from bekwaam.learning.selectors import courses_for_competence
from bekwaam.learning.services.editor import publish_problems, video_url_clean
from bekwaam.learning.services.examples import examples_data, examples_load
from bekwaam.tenancy.context import actor_for

pytestmark = pytest.mark.django_db

EXPECTED_LINKS = {
    "feedback-geven": {("icalt-kijkwijzer", "K3.3"), ("teacher-competences", "2.3.3")},
    "veilig-leerklimaat": {
        ("icalt-kijkwijzer", "K1.2"),
        ("icalt-kijkwijzer", "K1.4"),
        ("teacher-competences", "2.4.1"),
    },
}


def test_loading_twice_is_loading_once(world: Any) -> None:
    first = examples_load(board=world.board_a)
    second = examples_load(board=world.board_a)
    assert [course.pk for course in first] == [course.pk for course in second]
    assert Course.objects.filter(board=world.board_a).count() == 2
    assert CourseVersion.objects.filter(course__board=world.board_a).count() == 2
    assert {course.shipped_as for course in first} == set(EXPECTED_LINKS)


def test_each_board_gets_its_own_examples(world: Any) -> None:
    a = examples_load(board=world.board_a)
    b = examples_load(board=world.board_b)
    assert not {c.pk for c in a} & {c.pk for c in b}
    assert {c.board_id for c in b} == {world.board_b.pk}


def test_a_board_that_changed_an_example_keeps_its_version(world: Any) -> None:
    course = examples_load(board=world.board_a)[0]
    CourseVersion.objects.filter(course=course).update(title="Onze eigen titel")
    examples_load(board=world.board_a)
    assert CourseVersion.objects.get(course=course).title == "Onze eigen titel"


def test_the_examples_are_published_complete_and_pass_the_publish_checks(world: Any) -> None:
    for course in examples_load(board=world.board_a):
        version = CourseVersion.objects.get(course=course)
        assert (version.number, version.status, version.pass_mark) == (1, VersionStatus.PUBLISHED, 75)
        assert version.published_at is not None
        assert publish_problems(version) == []
        lessons = list(Lesson.objects.filter(version=version).order_by("position"))
        assert len(lessons) == 3
        rendered = [str(markdown.render(lesson.body)) for lesson in lessons]
        assert any("<table>" in html or "<ul>" in html or "<ol>" in html for html in rendered)
        assert "Bronnen" in rendered[-1]
        assert all("&lt;" not in html for html in rendered)  # no raw HTML in the shipped texts
        for lesson in lessons:
            assert video_url_clean(lesson.video_url) == lesson.video_url
        questions = list(Question.objects.filter(version=version).order_by("position"))
        assert 4 <= len(questions) <= 5
        assert any(question.kind == QuestionKind.OPEN and question.accepted_answers for question in questions)
        for question in questions:
            assert question.explanation
            if question.kind == QuestionKind.MULTIPLE_CHOICE:
                # One right answer each: the quiz page offers one choice per question.
                assert Choice.objects.filter(question=question, is_correct=True).count() == 1
                assert Choice.objects.filter(question=question).count() >= 2


def test_the_examples_are_linked_to_the_competences_of_the_frameworks(world: Any) -> None:
    courses = examples_load(board=world.board_a)
    for course in courses:
        version = CourseVersion.objects.get(course=course)
        links = {(c.framework_slug, c.code) for c in version.competences.all()}
        assert links == EXPECTED_LINKS[course.shipped_as]
        names = {c.code: c.name for c in version.competences.all()}
        if course.shipped_as == "feedback-geven":
            assert names["K3.3"] == "Geeft de leerlingen feedback"
            assert names["2.3.3"] == "Onderwijs uitvoeren en afstemmen"
        else:
            assert names["2.4.1"] == "Veilig en ondersteunend leerklimaat"
    # A low score on K3.3 proposes the feedback module (the loop reads courses_for_competence).
    proposed = courses_for_competence(
        actor=actor_for(world.teacher, None), framework_slug="icalt-kijkwijzer", code="K3.3"
    )
    assert [v.title for v in proposed] == ["Feedback die het leren verder helpt"]


def test_the_shipped_file_is_dutch_and_names_its_sources(world: Any) -> None:
    titles = [example["title"] for example in examples_data()]
    assert titles == ["Feedback die het leren verder helpt", "Een veilig en ondersteunend leerklimaat"]
    for example in examples_data():
        last = example["lessons"][-1]["body"]
        assert "Van de Grift" in last
        assert "Stb. 2017, 148" in last


def test_the_command_loads_one_board_or_every_board(world: Any) -> None:
    out = StringIO()
    call_command("learning_examples_load", "--board", str(world.board_b.pk), stdout=out)
    assert Course.objects.filter(board=world.board_b).count() == 2
    assert not Course.objects.filter(board=world.board_a).exists()
    call_command("learning_examples_load", stdout=out)
    call_command("learning_examples_load", stdout=out)
    assert Course.objects.filter(board=world.board_a).count() == 2
    assert Course.objects.filter(board=world.board_b).count() == 2
    assert "Stichting Alfa: 2" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("learning_examples_load", "--board", "999999", stdout=out)
