"""Reads of the gesprekscyclus set-up: cycles, forms and their versions, scoped to the actor's board (404
outside it), and `forms_for`, which says which form versions a new conversation uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from bekwaam.conversations.models import (
    ConversationCycle,
    ConversationForm,
    CycleStep,
    FormPrompt,
    FormPurpose,
    FormSection,
    FormStatus,
    FormVersion,
)
from bekwaam.frameworks.models import Competence, FrameworkKind, VersionStatus
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import School


def _steps() -> QuerySet[CycleStep]:
    return CycleStep.objects.select_related("preparation_form", "report_form").order_by("position", "id")


@dataclass
class SetupOverview:
    """The board's cycle, the schools' own cycles, the schools without one, and whether the board has forms."""

    board_cycle: ConversationCycle | None
    school_cycles: list[ConversationCycle]
    schools_without_cycle: QuerySet[School]
    form_count: int
    # Neither a cycle nor a form: the page offers to install the shipped defaults.
    nothing_there: bool = field(init=False)

    def __post_init__(self) -> None:
        self.nothing_there = self.board_cycle is None and self.form_count == 0


def setup_overview_for(*, actor: Actor) -> SetupOverview:
    """Every cycle of the actor's board with its steps and their forms, in a fixed number of queries."""
    board_id = actor.board_pk
    cycles = list(
        ConversationCycle.objects.filter(board_id=board_id)
        .select_related("school")
        .prefetch_related(Prefetch("steps", queryset=_steps()))
        .order_by("school__name")
    )
    return SetupOverview(
        board_cycle=next((c for c in cycles if c.school_id is None), None),
        school_cycles=[c for c in cycles if c.school_id is not None],
        schools_without_cycle=schools_without_cycle_for(actor=actor),
        form_count=ConversationForm.objects.filter(board_id=board_id).count(),
    )


def schools_without_cycle_for(*, actor: Actor) -> QuerySet[School]:
    """The board's schools that follow the board's cycle (no cycle of their own), by name."""
    own = ConversationCycle.objects.filter(board_id=actor.board_pk, school__isnull=False).values("school_id")
    return School.objects.filter(board_id=actor.board_pk).exclude(pk__in=own).order_by("name")


def cycle_get_for(*, actor: Actor, cycle_id: int) -> ConversationCycle:
    """One cycle of the actor's board (with its school); 404 for any other."""
    return get_object_or_404(ConversationCycle.objects.select_related("school"), pk=cycle_id, board_id=actor.board_pk)


def step_get_for(*, actor: Actor, step_id: int) -> CycleStep:
    """One step of a cycle of the actor's board; 404 for any other."""
    return get_object_or_404(
        CycleStep.objects.select_related("cycle", "cycle__school"), pk=step_id, board_id=actor.board_pk
    )


def school_get_for(*, actor: Actor, school_id: int) -> School:
    """A school of the actor's board; 404 for any other."""
    return get_object_or_404(School, pk=school_id, board_id=actor.board_pk)


def form_choices_for(*, actor: Actor, purpose: str) -> QuerySet[ConversationForm]:
    """The board's forms of one purpose (a step's form field narrows them further by kind when saved)."""
    return ConversationForm.objects.filter(board_id=actor.board_pk, purpose=purpose).order_by("kind", "name")


def form_list_for(*, actor: Actor) -> QuerySet[ConversationForm]:
    """The board's forms, each with its number of versions, latest published version and draft (one query)."""
    versions = FormVersion.objects.filter(form=OuterRef("pk"))
    return (
        ConversationForm.objects.filter(board_id=actor.board_pk)
        .annotate(
            version_count=Count("versions", distinct=True),
            latest_number=Subquery(
                versions.filter(status=FormStatus.PUBLISHED).order_by("-number").values("number")[:1]
            ),
            draft_id=Subquery(versions.filter(status=FormStatus.DRAFT).values("id")[:1]),
            draft_number=Subquery(versions.filter(status=FormStatus.DRAFT).values("number")[:1]),
        )
        .order_by("kind", "purpose", "name")
    )


def form_get_for(*, actor: Actor, form_id: UUID) -> ConversationForm:
    """One form of the actor's board; 404 for any other."""
    return get_object_or_404(ConversationForm, pk=form_id, board_id=actor.board_pk)


def form_version_list_for(*, actor: Actor, form: ConversationForm) -> QuerySet[FormVersion]:
    """A form's versions, newest first, with their number of sections and questions."""
    return (
        FormVersion.objects.filter(form=form, board_id=actor.board_pk)
        .annotate(
            section_count=Count("sections", distinct=True),
            prompt_count=Count("sections__prompts", distinct=True),
        )
        .order_by("-number")
    )


def form_version_get_for(*, actor: Actor, version_id: UUID) -> FormVersion:
    """One form version of the actor's board (with its form and framework version); 404 for any other."""
    return get_object_or_404(
        FormVersion.objects.select_related("form", "framework_version", "framework_version__framework"),
        pk=version_id,
        board_id=actor.board_pk,
    )


def section_get_for(*, actor: Actor, version: FormVersion, section_id: int) -> FormSection:
    """A section of the version; 404 for any other."""
    return get_object_or_404(FormSection, pk=section_id, version=version, board_id=actor.board_pk)


def prompt_get_for(*, actor: Actor, version: FormVersion, prompt_id: int) -> FormPrompt:
    """A question of the version (with its section); 404 for any other."""
    return get_object_or_404(
        FormPrompt.objects.select_related("section"),
        pk=prompt_id,
        section__version=version,
        board_id=actor.board_pk,
    )


def form_version_sections(*, version: FormVersion) -> list[FormSection]:
    """A version's sections in order, each with `prompts.all()` prefetched (with their competence): 2 queries."""
    prompts = (
        FormPrompt.objects.filter(board_id=version.board_id).select_related("competence").order_by("position", "id")
    )
    return list(
        FormSection.objects.filter(version=version, board_id=version.board_id)
        .prefetch_related(Prefetch("prompts", queryset=prompts))
        .order_by("position", "id")
    )


def competence_choices_for(*, actor: Actor) -> QuerySet[Competence]:
    """The competences a rating question may use: those of the board's published framework versions."""
    return (
        Competence.objects.filter(
            board_id=actor.board_pk,
            version__status=VersionStatus.PUBLISHED,
            version__framework__kind=FrameworkKind.COMPETENCES,
        )
        .select_related("version", "version__framework")
        .order_by("version__framework__name", "-version__number", "domain__position", "position", "code")
    )


def _latest_published(form_id: Any) -> FormVersion | None:
    return (
        FormVersion.objects.filter(form_id=form_id, status=FormStatus.PUBLISHED)
        .select_related("form")
        .order_by("-number")
        .first()
    )


def forms_for(*, board_id: int, school_id: int, kind: str) -> tuple[FormVersion | None, FormVersion | None]:
    """The (preparation, report) form versions a new conversation of this kind at this school uses.

    Each is the latest published version of the form the applicable cycle step names (the school's own
    cycle when it has one, else the board's). When the step names none, or its form has no published
    version, it is the board's most recently published version of a form of that kind and purpose; None
    when the board has none at all.
    """
    cycles: dict[int | None, int] = dict(
        ConversationCycle.objects.filter(board_id=board_id)
        .filter(Q(school_id=school_id) | Q(school__isnull=True))
        .values_list("school_id", "id")
    )
    # A school's own cycle replaces the board's whole cycle: a kind it leaves out has no cycle form.
    cycle_id = cycles.get(school_id, cycles.get(None))
    chosen = (
        CycleStep.objects.filter(board_id=board_id, cycle_id=cycle_id, kind=kind)
        .values_list("preparation_form_id", "report_form_id")
        .first()
        if cycle_id is not None
        else None
    )
    result: list[FormVersion | None] = []
    for index, purpose in ((0, FormPurpose.PREPARATION), (1, FormPurpose.REPORT)):
        version = _latest_published(chosen[index]) if chosen is not None and chosen[index] else None
        if version is None:
            version = (
                FormVersion.objects.filter(
                    board_id=board_id, status=FormStatus.PUBLISHED, form__kind=kind, form__purpose=purpose
                )
                .select_related("form")
                .order_by("-published_at", "-number")
                .first()
            )
        result.append(version)
    return result[0], result[1]
