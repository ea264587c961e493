"""The 360° report, anonymous in the query itself: a figure for fewer than the threshold is never computed.

The rules (docs/feedback.md, "Anonymity"), with T = settings.FEEDBACK_MIN_GROUP_SIZE:

1. Answers are first COUNTED per (question, relation) in SQL. Counts are not sensitive: they say how
   many answered, not what.
2. From the counts, per question, every relation becomes a display group: its own when at least T of
   that relation answered the question; the relations below T are pooled into "others" when together
   they reach T; otherwise they are withheld, and the report says why.
3. ONE aggregate query maps each (question, relation) to its display group with Case/When and groups by
   it, with HAVING COUNT >= T: a below-threshold average is never computed, even if step 2 were wrong.
   Comments are read the same way, with a window count per group filtered on >= T.
4. A leidinggevende who chose to be named is shown by name on their own, and is in no group or pool.
5. There is no average over all raters: with the groups beside it, it would let a withheld group be
   computed by difference. The report exists only for a closed round, so two states of it cannot be
   compared either (a round cannot reopen).

Open comments are shown per display group sorted by their text, never in the order they came in: the
order would otherwise hint at who wrote what.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Avg, Case, CharField, Count, F, QuerySet, Value, When, Window
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bekwaam.feedback.models import (
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackRound,
    QuestionKind,
    Relation,
)
from bekwaam.frameworks.models import Competence, ScaleLevel

# The relations that form anonymous groups, in the report's order (self and named managers stand apart).
GROUP_RELATIONS: tuple[str, ...] = (
    Relation.MANAGER,
    Relation.COLLEAGUE,
    Relation.PARENT,
    Relation.INTERN,
    Relation.OTHER,
)
OTHERS = "others"
NAMED_PREFIX = "named:"
SELF = "self"

GROUP_LABELS: dict[str, str | Promise] = {
    Relation.MANAGER: _("Managers"),
    Relation.COLLEAGUE: _("Colleagues"),
    Relation.PARENT: _("Parents"),
    Relation.INTERN: _("Interns"),
    Relation.OTHER: _("Other relationship"),
    OTHERS: _("Others"),
    SELF: _("Self-rating"),
}


def threshold() -> int:
    return int(settings.FEEDBACK_MIN_GROUP_SIZE)


def display_groups(counts: Mapping[str, int], minimum: int) -> tuple[dict[str, str], tuple[str, ...]]:
    """For one question: each relation's display group (itself or OTHERS), and the relations withheld.

    `counts` is the number of answers per relation (named managers not included).
    """
    groups = {relation: relation for relation in GROUP_RELATIONS if counts.get(relation, 0) >= minimum}
    small = tuple(relation for relation in GROUP_RELATIONS if 0 < counts.get(relation, 0) < minimum)
    if sum(counts[relation] for relation in small) >= minimum:
        groups.update(dict.fromkeys(small, OTHERS))
        return groups, ()
    return groups, small


def _group_case(mapping: Mapping[int, Mapping[str, str]]) -> Case:
    """CASE mapping each (question, relation) to its display group; anything else (withheld) to NULL."""
    whens = []
    for question_id, groups in sorted(mapping.items()):
        relations_of: dict[str, list[str]] = defaultdict(list)
        for relation, group in groups.items():
            relations_of[group].append(relation)
        for group, relations in sorted(relations_of.items()):
            whens.append(When(question_id=question_id, response__relation__in=sorted(relations), then=Value(group)))
    return Case(*whens, default=Value(None), output_field=CharField())


@dataclass(frozen=True)
class Figure:
    """One bar of a competence: the self-rating, a group's average, the pooled others, or a named manager."""

    key: str  # "self", a relation, "others", or "named:<response id>"
    label: str
    count: int
    average: float
    relations: tuple[str, ...] = ()  # the relations it covers (for "others": those pooled)
    percent: float = 0.0  # of the scale's top value, for the bar

    @property
    def kind(self) -> str:
        if self.key.startswith(NAMED_PREFIX):
            return "named"
        return self.key if self.key in (SELF, OTHERS) else "group"


@dataclass(frozen=True)
class Withheld:
    relations: tuple[str, ...]
    labels: str
    reason: str


@dataclass(frozen=True)
class CompetenceFigures:
    question_id: int
    competence: Competence
    figures: tuple[Figure, ...]  # self first (when rated), then groups, others, named managers
    withheld: Withheld | None


@dataclass(frozen=True)
class CommentGroup:
    key: str
    label: str
    count: int
    texts: tuple[str, ...]  # sorted by text: never in the order they came in
    relations: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpenQuestionReport:
    question: FeedbackQuestion
    groups: tuple[CommentGroup, ...]
    withheld: Withheld | None


@dataclass(frozen=True)
class Report:
    round: FeedbackRound
    threshold: int
    scale: tuple[tuple[int, str], ...]  # (value, label), lowest first
    max_value: int
    competences: tuple[CompetenceFigures, ...]
    open_questions: tuple[OpenQuestionReport, ...]
    answered: tuple[tuple[str, int], ...]  # (relation label, respondents) over the whole round
    invited: int


def _withheld(relations: tuple[str, ...], minimum: int) -> Withheld | None:
    if not relations:
        return None
    return Withheld(
        relations=relations,
        labels=", ".join(str(GROUP_LABELS[relation]) for relation in relations),
        reason=gettext("fewer than %(count)s answers") % {"count": minimum},
    )


def _group_label(key: str, pooled: tuple[str, ...]) -> str:
    if key == OTHERS:
        return gettext("Others (%(groups)s together)") % {
            "groups": ", ".join(str(GROUP_LABELS[relation]).lower() for relation in pooled)
        }
    return str(GROUP_LABELS[key])


def _anonymous_answers(round_: FeedbackRound, kind: str) -> QuerySet[FeedbackAnswer]:
    """Submitted answers of one kind of question that count towards groups: not self, not named managers."""
    answers = FeedbackAnswer.objects.filter(
        board_id=round_.board_id,
        question__round=round_,
        question__kind=kind,
        response__round=round_,
        response__submitted_at__isnull=False,
        response__named=False,
        response__relation__in=GROUP_RELATIONS,
    )
    if kind == QuestionKind.COMPETENCE:
        return answers.filter(value__isnull=False)
    return answers.exclude(text="")


def _counts(answers: QuerySet[FeedbackAnswer]) -> dict[int, dict[str, int]]:
    """Answers per (question, relation): the only per-relation number read before the threshold applies."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = answers.order_by().values("question_id", "response__relation").annotate(n=Count("pk"))
    for row in rows:
        counts[row["question_id"]][row["response__relation"]] = row["n"]
    return counts


def group_averages(
    round_: FeedbackRound, mapping: Mapping[int, Mapping[str, str]], minimum: int
) -> list[dict[str, Any]]:
    """(question, display group, respondents, average) for the groups of at least `minimum`: ONE query.

    The HAVING clause keeps the database from returning (or computing into the page) the average of any
    group below the threshold, whatever the mapping says.
    """
    if not any(mapping.values()):
        return []
    return list(
        _anonymous_answers(round_, QuestionKind.COMPETENCE)
        .annotate(display_group=_group_case(mapping))
        .filter(display_group__isnull=False)
        .values("question_id", "display_group")
        .annotate(respondents=Count("pk"), average=Avg("value"))
        .filter(respondents__gte=minimum)
        .order_by()
    )


def group_comments(
    round_: FeedbackRound, mapping: Mapping[int, Mapping[str, str]], minimum: int
) -> list[tuple[int, str, int, str]]:
    """(question, display group, group size, text) of the comments of groups of at least `minimum`: one query."""
    if not any(mapping.values()):
        return []
    group = _group_case(mapping)
    rows = (
        _anonymous_answers(round_, QuestionKind.OPEN)
        .annotate(display_group=group)
        .filter(display_group__isnull=False)
        .annotate(group_size=Window(Count("pk"), partition_by=[F("question_id"), F("display_group")]))
        .filter(group_size__gte=minimum)
        .order_by("question_id", "display_group", "text")
        .values_list("question_id", "display_group", "group_size", "text")
    )
    return list(rows)


def report_for(*, round_: FeedbackRound) -> Report:
    """The report of a closed round (the caller checks who may read it): about ten queries, whatever the size."""
    minimum = threshold()
    questions = list(
        FeedbackQuestion.objects.filter(board_id=round_.board_id, round=round_)
        .select_related("competence", "competence__domain")
        .order_by("position", "pk")
    )
    levels = list(
        ScaleLevel.objects.filter(board_id=round_.board_id, version_id=round_.framework_version_id)
        .order_by("value")
        .values_list("value", "label")
    )
    max_value = max((value for value, _label in levels), default=1) or 1

    self_values: dict[int, int] = {
        question_id: value
        for question_id, value in FeedbackAnswer.objects.filter(
            board_id=round_.board_id,
            response__round=round_,
            response__relation=Relation.SELF,
            question__kind=QuestionKind.COMPETENCE,
            value__isnull=False,
        ).values_list("question_id", "value")
        if value is not None
    }
    named_rows = list(
        FeedbackAnswer.objects.filter(
            board_id=round_.board_id,
            response__round=round_,
            response__submitted_at__isnull=False,
            response__named=True,
            response__relation=Relation.MANAGER,
        )
        .order_by("response__invitation__name", "response_id")
        .values_list("question_id", "response_id", "response__invitation__name", "value", "text")
    )

    # Competences: counts, display groups, then the one aggregate.
    competence_counts = _counts(_anonymous_answers(round_, QuestionKind.COMPETENCE))
    competence_mapping: dict[int, dict[str, str]] = {}
    competence_withheld: dict[int, tuple[str, ...]] = {}
    pooled: dict[int, tuple[str, ...]] = {}
    for question_id, counts in competence_counts.items():
        competence_mapping[question_id], competence_withheld[question_id] = display_groups(counts, minimum)
        pooled[question_id] = tuple(r for r, g in competence_mapping[question_id].items() if g == OTHERS)
    averages: dict[int, dict[str, tuple[int, float]]] = defaultdict(dict)
    for row in group_averages(round_, competence_mapping, minimum):
        averages[row["question_id"]][row["display_group"]] = (row["respondents"], float(row["average"]))

    # Open questions: counts, display groups, then the comments of the groups that reach the threshold.
    open_counts = _counts(_anonymous_answers(round_, QuestionKind.OPEN))
    open_mapping: dict[int, dict[str, str]] = {}
    open_withheld: dict[int, tuple[str, ...]] = {}
    for question_id, counts in open_counts.items():
        open_mapping[question_id], open_withheld[question_id] = display_groups(counts, minimum)
    comments: dict[int, dict[str, tuple[int, list[str]]]] = defaultdict(dict)
    for question_id, key, size, text in group_comments(round_, open_mapping, minimum):
        comments[question_id].setdefault(key, (size, []))[1].append(text)

    def percent(value: float) -> float:
        return round(100 * value / max_value, 1)

    competence_reports: list[CompetenceFigures] = []
    open_reports: list[OpenQuestionReport] = []
    for question in questions:
        if question.kind == QuestionKind.COMPETENCE and question.competence is not None:
            figures: list[Figure] = []
            if question.pk in self_values:
                value = float(self_values[question.pk])
                figures.append(Figure(SELF, str(GROUP_LABELS[SELF]), 1, value, (Relation.SELF,), percent(value)))
            shown = averages.get(question.pk, {})
            for key in (*GROUP_RELATIONS, OTHERS):
                if key in shown:
                    count, average = shown[key]
                    relations = pooled[question.pk] if key == OTHERS else (key,)
                    label = _group_label(key, pooled.get(question.pk, ()))
                    figures.append(Figure(key, label, count, average, relations, percent(average)))
            for question_id, response_id, name, value_, _text in named_rows:
                if question_id == question.pk and value_ is not None:
                    label = gettext("%(name)s (manager)") % {"name": name}
                    figures.append(
                        Figure(
                            f"{NAMED_PREFIX}{response_id}",
                            label,
                            1,
                            float(value_),
                            (Relation.MANAGER,),
                            percent(value_),
                        )
                    )
            competence_reports.append(
                CompetenceFigures(
                    question_id=question.pk,
                    competence=question.competence,
                    figures=tuple(figures),
                    withheld=_withheld(competence_withheld.get(question.pk, ()), minimum),
                )
            )
        elif question.kind == QuestionKind.OPEN:
            groups: list[CommentGroup] = []
            shown_comments = comments.get(question.pk, {})
            open_pooled = tuple(r for r, g in open_mapping.get(question.pk, {}).items() if g == OTHERS)
            for key in (*GROUP_RELATIONS, OTHERS):
                if key in shown_comments:
                    size, texts = shown_comments[key]
                    relations = open_pooled if key == OTHERS else (key,)
                    groups.append(CommentGroup(key, _group_label(key, open_pooled), size, tuple(texts), relations))
            for question_id, response_id, name, _value, text in named_rows:
                if question_id == question.pk and text:
                    label = gettext("%(name)s (manager)") % {"name": name}
                    groups.append(CommentGroup(f"{NAMED_PREFIX}{response_id}", label, 1, (text,), (Relation.MANAGER,)))
            open_reports.append(
                OpenQuestionReport(
                    question=question,
                    groups=tuple(groups),
                    withheld=_withheld(open_withheld.get(question.pk, ()), minimum),
                )
            )

    answered_rows = dict(
        FeedbackResponse.objects.filter(
            board_id=round_.board_id, round=round_, submitted_at__isnull=False, relation__in=GROUP_RELATIONS
        )
        .order_by()
        .values("relation")
        .annotate(n=Count("pk"))
        .values_list("relation", "n")
    )
    answered = tuple(
        (str(GROUP_LABELS[relation]), answered_rows[relation])
        for relation in GROUP_RELATIONS
        if relation in answered_rows
    )
    invited = FeedbackInvitation.objects.filter(board_id=round_.board_id, round=round_).count()
    return Report(
        round=round_,
        threshold=minimum,
        scale=tuple(levels),
        max_value=max_value,
        competences=tuple(competence_reports),
        open_questions=tuple(open_reports),
        answered=answered,
        invited=invited,
    )
