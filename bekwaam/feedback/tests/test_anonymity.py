"""Anonymity of the report, proved on random answer sets (hypothesis) and on the SQL it runs.

T is settings.FEEDBACK_MIN_GROUP_SIZE (3). For random sets of respondents (relation, named or not,
submitted or not, a level, "cannot judge" or no answer per competence, a comment or none):
1. every figure shown covers at least T respondents, or is the self-rating or a named manager;
2. the groups shown for one competence are disjoint;
3. changing an answer whose group is withheld leaves the report identical;
4. permuting answers among the respondents of one shown group leaves the report identical;
5. the report's numbers equal a brute-force computation from the raw answers.
And the threshold is applied by the database: a group below it is never aggregated (HAVING).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bekwaam.feedback.models import FeedbackAnswer, FeedbackResponse, QuestionKind, Relation, RoundState
from bekwaam.feedback.selectors.report import (
    GROUP_RELATIONS,
    NAMED_PREFIX,
    OTHERS,
    SELF,
    Report,
    group_averages,
    group_comments,
    report_for,
)
from bekwaam.feedback.tests.factories import questions_of, response_build, round_build

pytestmark = pytest.mark.django_db

MISSING = "missing"  # no answer to the question at all (a draft, or left open)
COMPETENCES = 2
TEXTS = ("Goed", "Meer structuur graag", "Duidelijke uitleg", "Rustig", "")


@dataclass
class Respondent:
    relation: str
    named: bool
    submitted: bool
    values: list[Any]  # per competence: 1..4, None (cannot judge) or MISSING
    text: str


respondents = st.builds(
    Respondent,
    # Colleagues and parents most often, so groups of three or more occur as well as small ones.
    relation=st.sampled_from(
        [Relation.COLLEAGUE] * 3 + [Relation.PARENT] * 2 + [Relation.MANAGER, Relation.INTERN, Relation.OTHER]
    ),
    named=st.booleans(),
    submitted=st.sampled_from([True, True, True, True, False]),
    values=st.lists(
        st.one_of(st.integers(min_value=1, max_value=4), st.none(), st.just(MISSING)),
        min_size=COMPETENCES,
        max_size=COMPETENCES,
    ),
    text=st.sampled_from(TEXTS),
)
answer_sets = st.lists(respondents, max_size=14)
self_ratings = st.lists(
    st.one_of(st.integers(min_value=1, max_value=4), st.none()), min_size=COMPETENCES, max_size=COMPETENCES
)
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def build(world: Any, people: list[Respondent], self_values: list[int | None]) -> tuple[Any, list[FeedbackResponse]]:
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.CLOSED, competences=COMPETENCES)
    competences = questions_of(round_)
    (open_question,) = questions_of(round_, QuestionKind.OPEN)
    response_build(
        round_,
        relation=Relation.SELF,
        values={q: v for q, v in zip(competences, self_values, strict=True)},
    )
    responses = []
    for number, person in enumerate(people):
        responses.append(
            response_build(
                round_,
                relation=person.relation,
                named=person.named and person.relation == Relation.MANAGER,
                submitted=person.submitted,
                values={q: v for q, v in zip(competences, person.values, strict=True) if v != MISSING},
                texts={open_question: person.text} if person.text else {},
                name=f"Persoon {number}",
            )
        )
    return round_, responses


def digest(report: Report) -> Any:
    """Everything the report shows, as plain values (averages to 9 decimals: SQL may sum in any order)."""
    return (
        tuple(
            (
                item.question_id,
                tuple((f.key, f.label, f.count, round(f.average, 9), f.relations) for f in item.figures),
                item.withheld,
            )
            for item in report.competences
        ),
        tuple(
            (item.question.pk, tuple((g.key, g.label, g.count, g.texts) for g in item.groups), item.withheld)
            for item in report.open_questions
        ),
        report.answered,
        report.invited,
    )


def brute_force(
    round_: Any, threshold: int
) -> tuple[dict[int, dict[str, tuple[int, float]]], dict[int, tuple[str, ...]], dict[int, dict[str, tuple[str, ...]]]]:
    """Figures per competence question, withheld relations per question, comments per open question:
    straight from the raw rows, without the selector's code."""
    figures: dict[int, dict[str, tuple[int, float]]] = defaultdict(dict)
    withheld: dict[int, tuple[str, ...]] = {}
    comments: dict[int, dict[str, tuple[str, ...]]] = defaultdict(dict)
    answers = list(FeedbackAnswer.objects.filter(response__round=round_).select_related("response", "question"))

    def grouped(rows: list[tuple[str, Any]]) -> tuple[dict[str, list[Any]], tuple[str, ...]]:
        by_relation: dict[str, list[Any]] = defaultdict(list)
        for relation, item in rows:
            by_relation[relation].append(item)
        shown = {r: items for r, items in by_relation.items() if len(items) >= threshold}
        small = [r for r in GROUP_RELATIONS if 0 < len(by_relation.get(r, [])) < threshold]
        pooled = [item for r in small for item in by_relation[r]]
        if len(pooled) >= threshold:
            shown[OTHERS] = pooled
            return shown, ()
        return shown, tuple(small)

    for question in {a.question for a in answers}:
        rows = [a for a in answers if a.question_id == question.pk]
        if question.kind == QuestionKind.COMPETENCE:
            for a in rows:
                if a.response.relation == Relation.SELF and a.value is not None:
                    figures[question.pk][SELF] = (1, float(a.value))
                elif a.response.named and a.response.submitted_at and a.value is not None:
                    figures[question.pk][f"{NAMED_PREFIX}{a.response_id}"] = (1, float(a.value))
            anonymous = [
                (a.response.relation, a.value)
                for a in rows
                if a.response.relation != Relation.SELF
                and not a.response.named
                and a.response.submitted_at
                and a.value is not None
            ]
            shown, withheld[question.pk] = grouped(anonymous)
            for key, values in shown.items():
                figures[question.pk][key] = (len(values), fmean(values))
        else:
            anonymous = [
                (a.response.relation, a.text)
                for a in rows
                if a.response.relation != Relation.SELF and not a.response.named and a.response.submitted_at and a.text
            ]
            shown, withheld[question.pk] = grouped(anonymous)
            for key, texts in shown.items():
                comments[question.pk][key] = tuple(sorted(texts))
            for a in rows:
                if a.response.named and a.response.submitted_at and a.text:
                    comments[question.pk][f"{NAMED_PREFIX}{a.response_id}"] = (a.text,)
    return figures, withheld, comments


@PROPERTY_SETTINGS
@given(people=answer_sets, self_values=self_ratings)
def test_it_shows_only_groups_of_at_least_the_threshold_and_the_right_numbers(
    world: Any, people: list[Respondent], self_values: list[int | None]
) -> None:
    threshold = django_settings.FEEDBACK_MIN_GROUP_SIZE
    with transaction.atomic():
        round_, _responses = build(world, people, self_values)
        report = report_for(round_=round_)
        expected, expected_withheld, expected_comments = brute_force(round_, threshold)
        transaction.set_rollback(True)
    for item in report.competences:
        relations_seen: set[str] = set()
        for figure in item.figures:
            # (1) at least the threshold, unless it is the self-rating or a manager who chose a name
            assert figure.count >= threshold or figure.kind in ("self", "named")
            # (2) disjoint: no relation in two groups of the same competence
            if figure.kind in ("group", "others"):
                assert not relations_seen & set(figure.relations)
                relations_seen |= set(figure.relations)
        # (5) the numbers are the brute force's
        shown = {f.key: (f.count, round(f.average, 9)) for f in item.figures}
        assert shown == {k: (n, round(avg, 9)) for k, (n, avg) in expected.get(item.question_id, {}).items()}
        assert (item.withheld.relations if item.withheld else ()) == expected_withheld.get(item.question_id, ())
        assert not (set(item.withheld.relations) & relations_seen if item.withheld else set())
    for open_item in report.open_questions:
        for group in open_item.groups:
            assert group.count >= threshold or group.key.startswith(NAMED_PREFIX)
            assert group.count == len(group.texts)
        assert {g.key: g.texts for g in open_item.groups} == expected_comments.get(open_item.question.pk, {})


@PROPERTY_SETTINGS
@given(people=answer_sets, self_values=self_ratings, seed=st.integers(min_value=0, max_value=10_000))
def test_it_shows_the_same_report_when_a_withheld_answer_changes(
    world: Any, people: list[Respondent], self_values: list[int | None], seed: int
) -> None:
    rng = random.Random(seed)
    with transaction.atomic():
        round_, _responses = build(world, people, self_values)
        before = report_for(round_=round_)
        withheld_answers = [
            answer
            for item in before.competences
            if item.withheld
            for answer in FeedbackAnswer.objects.filter(
                question_id=item.question_id,
                value__isnull=False,
                response__submitted_at__isnull=False,
                response__named=False,
                response__relation__in=item.withheld.relations,
            )
        ] + [
            answer
            for item in before.open_questions
            if item.withheld
            for answer in FeedbackAnswer.objects.filter(
                question=item.question,
                response__submitted_at__isnull=False,
                response__named=False,
                response__relation__in=item.withheld.relations,
            ).exclude(text="")
        ]
        for answer in withheld_answers:
            # (3) another level (still answered), another comment (still written)
            if answer.value is not None:
                answer.value = rng.choice([v for v in (1, 2, 3, 4) if v != answer.value])
            else:
                answer.text = answer.text + " – en nog iets anders"
            answer.save()
        after = report_for(round_=round_)
        transaction.set_rollback(True)
    assert digest(after) == digest(before)


@PROPERTY_SETTINGS
@given(people=answer_sets, self_values=self_ratings, seed=st.integers(min_value=0, max_value=10_000))
def test_it_shows_the_same_report_when_answers_move_between_people_of_one_group(
    world: Any, people: list[Respondent], self_values: list[int | None], seed: int
) -> None:
    rng = random.Random(seed)
    with transaction.atomic():
        round_, _responses = build(world, people, self_values)
        before = report_for(round_=round_)
        for item in before.competences:
            for figure in item.figures:
                if figure.kind not in ("group", "others"):
                    continue
                answers = list(
                    FeedbackAnswer.objects.filter(
                        question_id=item.question_id,
                        value__isnull=False,
                        response__submitted_at__isnull=False,
                        response__named=False,
                        response__relation__in=figure.relations,
                    ).order_by("pk")
                )
                # (4) the same answers, given by other people of the group
                values = [a.value for a in answers]
                rng.shuffle(values)
                for answer, value in zip(answers, values, strict=True):
                    answer.value = value
                    answer.save(update_fields=["value"])
        for open_item in before.open_questions:
            for group in open_item.groups:
                if group.key.startswith(NAMED_PREFIX):
                    continue
                relations = group.relations
                answers = list(
                    FeedbackAnswer.objects.filter(
                        question=open_item.question,
                        response__submitted_at__isnull=False,
                        response__named=False,
                        response__relation__in=relations,
                    )
                    .exclude(text="")
                    .order_by("pk")
                )
                texts = [a.text for a in answers]
                rng.shuffle(texts)
                for answer, text in zip(answers, texts, strict=True):
                    answer.text = text
                    answer.save(update_fields=["text"])
        after = report_for(round_=round_)
        transaction.set_rollback(True)
    assert digest(after) == digest(before)


# --- the threshold is applied by the database ---------------------------------------------------------------


@pytest.fixture
def small_groups(world: Any) -> Any:
    """A closed round: 3 colleagues (shown), 1 parent and 1 intern (pooled: 2, withheld), 1 named manager."""
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.CLOSED, competences=1)
    (competence,) = questions_of(round_)
    (question,) = questions_of(round_, QuestionKind.OPEN)
    for value in (2, 3, 4):
        response_build(
            round_, relation=Relation.COLLEAGUE, values={competence: value}, texts={question: f"Collega {value}"}
        )
    response_build(round_, relation=Relation.PARENT, values={competence: 1}, texts={question: "Ouder zegt"})
    response_build(round_, relation=Relation.INTERN, values={competence: 4}, texts={question: "Stagiair zegt"})
    response_build(
        round_,
        relation=Relation.MANAGER,
        named=True,
        values={competence: 3},
        texts={question: "Mira zegt"},
        name="Mira",
    )
    return round_


def test_it_never_aggregates_a_small_group_even_when_asked_to(small_groups: Any) -> None:
    (competence,) = questions_of(small_groups)
    (question,) = questions_of(small_groups, QuestionKind.OPEN)
    wrong = {competence.pk: {Relation.PARENT: "parent", Relation.INTERN: OTHERS, Relation.COLLEAGUE: "colleague"}}
    rows = group_averages(small_groups, wrong, 3)
    assert [(r["display_group"], r["respondents"]) for r in rows] == [("colleague", 3)]
    texts = group_comments(small_groups, {question.pk: {Relation.PARENT: "parent", Relation.COLLEAGUE: "colleague"}}, 3)
    assert {key for _q, key, _size, _text in texts} == {"colleague"}
    assert all(size >= 3 for _q, _key, size, _text in texts)


def test_it_thresholds_in_sql_and_reads_no_single_answer_of_a_group(small_groups: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        report = report_for(round_=small_groups)
    aggregate = [q["sql"] for q in queries.captured_queries if "AVG(" in q["sql"].upper()]
    assert len(aggregate) == 1
    assert "HAVING" in aggregate[0] and "COUNT(" in aggregate[0].upper() and "CASE WHEN" in aggregate[0].upper()
    for query in queries.captured_queries:
        sql = query["sql"]
        selected = sql.split(" FROM ", 1)[0]
        if '"feedback_feedbackanswer"."value"' in selected or '"feedback_feedbackanswer"."text"' in selected:
            # Single answers are read only for the self-rating, named managers, or comments of groups
            # that passed the window count (>= T); everything else only as an aggregate.
            assert (
                "GROUP BY" in sql or "'self'" in sql or '"named"' in sql.split(" WHERE ", 1)[1] or "OVER" in sql.upper()
            ), sql
    (item,) = report.competences
    assert [(f.key, f.count) for f in item.figures] == [
        ("colleague", 3),
        (f"{NAMED_PREFIX}{FeedbackResponse.objects.get(named=True).pk}", 1),
    ]
    assert item.withheld is not None and item.withheld.relations == (Relation.PARENT, Relation.INTERN)
    (open_item,) = report.open_questions
    assert [g.texts for g in open_item.groups] == [("Collega 2", "Collega 3", "Collega 4"), ("Mira zegt",)]
    assert open_item.withheld is not None
