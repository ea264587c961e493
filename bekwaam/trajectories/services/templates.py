"""The aanbieder's templates: create (empty, or from an example for each kind), edit, steps and assignments
(add, change, remove, move), publish, unpublish, archive.

Every write locks the template row, so two assessors editing at once never give two steps one position.
Editing never reaches running trajectories: they copied the assignments at enrolment. The criteria are the
exception the template keeps (Trajectory does not copy them), so they are fixed once a trajectory of the
template has reached the interview. A published template needs at least one step and one assignment; an
archived template is read-only and no longer offered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.register.models import Theme
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize
from bekwaam.trajectories.models import (
    StepKind,
    TemplateAssignment,
    TemplateKind,
    TemplateStep,
    TrajectoryTemplate,
)
from bekwaam.trajectories.selectors.provider import template_trajectory_counts

MANAGE = "trajectories.manage_templates"
UP, DOWN = "up", "down"
NAME_MAX = 200
TEXT_MAX = 10_000
CRITERION_MAX = 500
CRITERIA_MAX = 20
PRICE_MAX = Decimal("999999.99")
MIN_ITEMS_MAX = 20


@dataclass(frozen=True)
class TemplateData:
    """The template's own fields as typed on its form."""

    name: str
    kind: str
    description: str = ""
    coaching_offered: bool = False
    coaching_price: Decimal = Decimal("0")
    reflection_instrument: str = ""
    price: Decimal = Decimal("0")
    criteria: Sequence[str] = ()


@dataclass(frozen=True)
class AssignmentData:
    title: str
    instructions: str = ""
    theme: Theme | None = None
    min_evidence: int = 1
    min_reflections: int = 1


# --- examples -------------------------------------------------------------------------------------------


def example_steps(kind: str, *, coaching: bool) -> list[tuple[str, str, str]]:
    """The steps an example of `kind` starts with: (kind, title, description)."""
    if kind == TemplateKind.PROGRAMME:
        programme: list[tuple[str, str, str]] = [
            (
                StepKind.INTAKE,
                _("Intake conversation"),
                _("We get to know each other and agree on the themes, the planning and what you expect."),
            ),
            (
                StepKind.BASELINE,
                _("Digital baseline and development plan"),
                _("You fill in the digital baseline (nulmeting) and write your development plan (POP) from it."),
            ),
            (
                StepKind.COLLECTING,
                _("Collecting evidence"),
                _("You work on your goals and collect evidence and reflections per assignment."),
            ),
            (
                StepKind.COACHING,
                _("Coaching sessions"),
                _("Your coach meets you during the collecting phase; each session is recorded with its date."),
            ),
            (
                StepKind.PORTFOLIO_CHECK,
                _("Portfolio check"),
                _("An assessor checks that the portfolio is complete, or asks for additions."),
            ),
            (
                StepKind.INTERVIEW,
                _("Criterion-based interview"),
                _("Two assessors talk with you about your portfolio along the criteria."),
            ),
            (
                StepKind.DECISION,
                _("Four-eyes decision"),
                _("Both assessors judge independently; the decision stands when they agree."),
            ),
            (StepKind.CERTIFICATE, _("Certificate"), _("A verifiable certificate with the themes, level and points.")),
        ]
        return programme
    steps: list[tuple[str, str, str]] = [
        (
            StepKind.COLLECTING,
            _("Collecting evidence"),
            _("You show your informal learning: evidence and reflections per assignment."),
        ),
    ]
    if coaching:
        steps.append(
            (StepKind.COACHING, _("Coaching sessions"), _("If you chose coaching, your coach meets you meanwhile."))
        )
    steps += [
        (
            StepKind.PORTFOLIO_CHECK,
            _("Portfolio check"),
            _("An assessor checks that the portfolio is complete, or asks for additions."),
        ),
        (
            StepKind.INTERVIEW,
            _("Criterion-based interview"),
            _("Two assessors talk with you about your portfolio along the criteria."),
        ),
        (
            StepKind.DECISION,
            _("Four-eyes decision"),
            _("Both assessors judge independently; the decision stands when they agree."),
        ),
        (StepKind.CERTIFICATE, _("Certificate"), _("A verifiable certificate with the themes, level and points.")),
    ]
    return steps


def example_assignments(kind: str) -> list[AssignmentData]:
    """The assignments (for every theme) an example of `kind` starts with; the aanbieder edits them."""
    if kind == TemplateKind.PROGRAMME:
        return [
            AssignmentData(
                _("Baseline and development plan"),
                _("Add the result of your digital baseline and your development plan, and reflect on your goals."),
                None,
                1,
                1,
            ),
            AssignmentData(
                _("Evidence from your practice"),
                _("Show with evidence what you did in your school for each theme, and what it brought."),
                None,
                2,
                1,
            ),
            AssignmentData(
                _("Final reflection"),
                _("Look back on the programme: what did you learn, and what does it change in your leadership?"),
                None,
                0,
                1,
            ),
        ]
    return [
        AssignmentData(
            _("A situation from your practice"),
            _("Describe a situation in which you developed on the theme, with evidence of what you did."),
            None,
            2,
            1,
        ),
        AssignmentData(
            _("Reflection on your development"),
            _("Reflect on what you learned and how it shows in your leadership practice."),
            None,
            0,
            1,
        ),
    ]


# --- helpers --------------------------------------------------------------------------------------------


def _locked(actor: Actor, template: TrajectoryTemplate, *, editable: bool = True) -> TrajectoryTemplate:
    """The template's row locked; refused when archived (read-only) and `editable` is asked."""
    locked = TrajectoryTemplate.objects.select_for_update().get(pk=template.pk, provider_id=actor.provider_pk)
    if editable and locked.archived_at is not None:
        raise ValidationError(_("This template has been archived and can no longer be changed."))
    return locked


def _refresh(target: TrajectoryTemplate, source: TrajectoryTemplate) -> None:
    for name in (
        "name",
        "kind",
        "description",
        "coaching_offered",
        "coaching_price",
        "reflection_instrument",
        "price",
        "criteria",
        "published_at",
        "archived_at",
    ):
        setattr(target, name, getattr(source, name))


def _criteria(texts: Sequence[str], existing: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """Criteria as stored ({code, text}); a text that stays keeps its code, so judgements keep their keys."""
    cleaned = [" ".join(text.split()) for text in texts]
    cleaned = [text for text in cleaned if text]
    if not cleaned:
        raise ValidationError({"criteria": _("Name at least one criterion the assessors judge.")})
    if len(cleaned) > CRITERIA_MAX:
        raise ValidationError({"criteria": _("Name at most %(max)d criteria.") % {"max": CRITERIA_MAX}})
    if any(len(text) > CRITERION_MAX for text in cleaned):
        raise ValidationError({"criteria": _("Keep each criterion under %(max)d characters.") % {"max": CRITERION_MAX}})
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError({"criteria": _("Each criterion once, please: two lines are the same.")})
    codes = {item.get("text", ""): item.get("code", "") for item in existing}
    used = {code for code in codes.values() if code}
    result = []
    number = 1
    for text in cleaned:
        code = codes.get(text, "")
        if not code:
            while f"c{number}" in used:
                number += 1
            code = f"c{number}"
            used.add(code)
        result.append({"code": code, "text": text})
    return result


def _clean(data: TemplateData) -> TemplateData:
    errors: dict[str, str] = {}
    name = " ".join(data.name.split())
    if not name:
        errors["name"] = _("Give the template a name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Keep the name under %(max)d characters.") % {"max": NAME_MAX}
    if data.kind not in TemplateKind.values:
        errors["kind"] = _("Choose the kind of trajectory.")
    if len(data.description) > TEXT_MAX:
        errors["description"] = _("The description is too long.")
    if len(data.reflection_instrument.strip()) > 300:
        errors["reflection_instrument"] = _("Keep this under 300 characters.")
    for field, value in (("price", data.price), ("coaching_price", data.coaching_price)):
        if value < 0 or value > PRICE_MAX:
            errors[field] = _("Enter a price from 0 to 999999.99 euro.")
    if errors:
        raise ValidationError(errors)
    return TemplateData(
        name=name,
        kind=data.kind,
        description=data.description.strip(),
        coaching_offered=data.coaching_offered,
        coaching_price=data.coaching_price if data.coaching_offered else Decimal("0"),
        reflection_instrument=data.reflection_instrument.strip(),
        price=data.price,
        criteria=data.criteria,
    )


def _name_taken(actor: Actor, name: str, exclude: Any = None) -> None:
    taken = TrajectoryTemplate.objects.filter(provider_id=actor.provider_pk, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"name": _("Your organisation has a template with this name already.")})


def _next_position(rows: Any) -> int:
    return int(rows.aggregate(top=Max("position"))["top"] or 0) + 1


def _swap(model: Any, rows: list[Any], row: Any, direction: str) -> None:
    """Swap a row's position with its neighbour's, through a free position: (template, position) stays unique."""
    if direction not in (UP, DOWN):
        raise ValidationError(_("Choose up or down."))
    order = [r.pk for r in rows]
    at = order.index(row.pk)
    to = at - 1 if direction == UP else at + 1
    if not 0 <= to < len(rows):
        return
    mine, theirs = rows[at].position, rows[to].position
    model.objects.filter(pk=rows[at].pk).update(position=0)
    model.objects.filter(pk=rows[to].pk).update(position=mine)
    model.objects.filter(pk=rows[at].pk).update(position=theirs)


# --- the template ---------------------------------------------------------------------------------------


def template_create(*, actor: Actor, data: TemplateData, example: bool = False) -> TrajectoryTemplate:
    """A new draft template of the active aanbieder; `example` fills in the steps and assignments of its kind."""
    authorize(actor, MANAGE)
    data = _clean(data)
    criteria = _criteria(data.criteria, [])
    with transaction.atomic():
        _name_taken(actor, data.name)
        reflection = data.reflection_instrument
        if example and data.kind == TemplateKind.PROGRAMME and not reflection:
            reflection = _("Digital baseline in Bekwaam (the school leader's professional standard)")
        template = TrajectoryTemplate(
            provider_id=actor.provider_pk,
            name=data.name,
            kind=data.kind,
            description=data.description,
            coaching_offered=data.coaching_offered or (example and data.kind == TemplateKind.PROGRAMME),
            coaching_price=data.coaching_price,
            reflection_instrument=reflection,
            price=data.price,
            criteria=criteria,
        )
        template.full_clean()
        template.save()
        if example:
            for position, (kind, title, description) in enumerate(
                example_steps(data.kind, coaching=template.coaching_offered), start=1
            ):
                TemplateStep.objects.create(
                    template=template, position=position, kind=kind, title=title, description=description
                )
            for position, assignment in enumerate(example_assignments(data.kind), start=1):
                TemplateAssignment.objects.create(
                    template=template,
                    position=position,
                    title=assignment.title,
                    instructions=assignment.instructions,
                    min_evidence=assignment.min_evidence,
                    min_reflections=assignment.min_reflections,
                )
    return template


def template_update(*, actor: Actor, template: TrajectoryTemplate, data: TemplateData) -> TrajectoryTemplate:
    """Change the template's own fields. Running trajectories keep what they copied; the criteria cannot change
    once a trajectory of this template reached the interview."""
    authorize(actor, MANAGE)
    data = _clean(data)
    with transaction.atomic():
        locked = _locked(actor, template)
        criteria = _criteria(data.criteria, locked.criteria or [])
        if criteria != locked.criteria and template_trajectory_counts(template=locked)["judged"]:
            raise ValidationError(
                {
                    "criteria": _(
                        "The criteria can no longer change: trajectories of this template have been (or are being) "
                        "judged against them. Make a new template for new criteria."
                    )
                }
            )
        _name_taken(actor, data.name, exclude=locked.pk)
        locked.name, locked.kind, locked.description = data.name, data.kind, data.description
        locked.coaching_offered, locked.coaching_price = data.coaching_offered, data.coaching_price
        locked.reflection_instrument, locked.price, locked.criteria = data.reflection_instrument, data.price, criteria
        locked.full_clean()
        locked.save()
    _refresh(template, locked)
    return template


def template_publish(*, actor: Actor, template: TrajectoryTemplate) -> TrajectoryTemplate:
    """Offer the template to candidates: it needs at least one step and one assignment."""
    authorize(actor, MANAGE)
    with transaction.atomic():
        locked = _locked(actor, template)
        missing = []
        if not TemplateStep.objects.filter(template=locked).exists():
            missing.append(_("Add at least one step before publishing."))
        if not TemplateAssignment.objects.filter(template=locked).exists():
            missing.append(_("Add at least one assignment before publishing."))
        if not locked.criteria:
            missing.append(_("Name at least one criterion before publishing."))
        if missing:
            raise ValidationError(missing)
        if locked.published_at is None:
            locked.published_at = timezone.now()
            locked.save(update_fields=["published_at"])
    _refresh(template, locked)
    return template


def template_unpublish(*, actor: Actor, template: TrajectoryTemplate) -> TrajectoryTemplate:
    """No longer offer the template to new candidates; running trajectories go on."""
    authorize(actor, MANAGE)
    with transaction.atomic():
        locked = _locked(actor, template)
        if locked.published_at is not None:
            locked.published_at = None
            locked.save(update_fields=["published_at"])
    _refresh(template, locked)
    return template


def template_archive(*, actor: Actor, template: TrajectoryTemplate) -> TrajectoryTemplate:
    """Put the template away: not offered, read-only; running trajectories go on."""
    authorize(actor, MANAGE)
    with transaction.atomic():
        locked = _locked(actor, template, editable=False)
        if locked.archived_at is None:
            locked.archived_at, locked.published_at = timezone.now(), None
            locked.save(update_fields=["archived_at", "published_at"])
    _refresh(template, locked)
    return template


# --- steps ----------------------------------------------------------------------------------------------


def template_step_add(
    *, actor: Actor, template: TrajectoryTemplate, kind: str, title: str = "", description: str = ""
) -> TemplateStep:
    """Add a step at the end; an empty title takes the kind's name."""
    authorize(actor, MANAGE)
    if kind not in StepKind.values:
        raise ValidationError({"kind": _("Choose the kind of step.")})
    title = " ".join(title.split()) or str(StepKind(kind).label)
    if len(title) > NAME_MAX:
        raise ValidationError({"title": _("Keep the title under %(max)d characters.") % {"max": NAME_MAX}})
    if len(description) > TEXT_MAX:
        raise ValidationError({"description": _("The description is too long.")})
    with transaction.atomic():
        locked = _locked(actor, template)
        return TemplateStep.objects.create(
            template=locked,
            position=_next_position(TemplateStep.objects.filter(template=locked)),
            kind=kind,
            title=title,
            description=description.strip(),
        )


def template_step_delete(*, actor: Actor, step: TemplateStep) -> None:
    """Remove a step; a published template keeps at least one."""
    authorize(actor, MANAGE)
    with transaction.atomic():
        locked = _locked(actor, step.template)
        steps = TemplateStep.objects.filter(template=locked)
        if locked.published_at is not None and steps.count() <= 1:
            raise ValidationError(
                _("A published template needs at least one step. Add another first, or unpublish the template.")
            )
        steps.filter(pk=step.pk).delete()


def template_step_move(*, actor: Actor, step: TemplateStep, direction: str) -> None:
    """Move a step one place up or down."""
    authorize(actor, MANAGE)
    with transaction.atomic():
        locked = _locked(actor, step.template)
        rows = list(TemplateStep.objects.filter(template=locked).order_by("position"))
        _swap(TemplateStep, rows, step, direction)


# --- assignments ----------------------------------------------------------------------------------------


def _clean_assignment(data: AssignmentData) -> AssignmentData:
    errors: dict[str, str] = {}
    title = " ".join(data.title.split())
    if not title:
        errors["title"] = _("Give the assignment a title.")
    elif len(title) > NAME_MAX:
        errors["title"] = _("Keep the title under %(max)d characters.") % {"max": NAME_MAX}
    if len(data.instructions) > TEXT_MAX:
        errors["instructions"] = _("The instructions are too long.")
    for field, value in (("min_evidence", data.min_evidence), ("min_reflections", data.min_reflections)):
        if not 0 <= value <= MIN_ITEMS_MAX:
            errors[field] = _("Enter a number from 0 to %(max)d.") % {"max": MIN_ITEMS_MAX}
    if not errors and data.min_evidence + data.min_reflections == 0:
        errors["min_evidence"] = _("Ask for at least one piece of evidence or one reflection.")
    if data.theme is not None:
        year = timezone.localdate().year
        if data.theme.first_year > year or (data.theme.last_year is not None and data.theme.last_year < year):
            errors["theme"] = _("Choose a theme that is valid this year.")
    if errors:
        raise ValidationError(errors)
    return AssignmentData(title, data.instructions.strip(), data.theme, data.min_evidence, data.min_reflections)


def template_assignment_add(*, actor: Actor, template: TrajectoryTemplate, data: AssignmentData) -> TemplateAssignment:
    """Add an assignment (for one theme, or every theme) at the end; new enrolments copy it."""
    authorize(actor, MANAGE)
    data = _clean_assignment(data)
    with transaction.atomic():
        locked = _locked(actor, template)
        return TemplateAssignment.objects.create(
            template=locked,
            position=_next_position(TemplateAssignment.objects.filter(template=locked)),
            theme=data.theme,
            title=data.title,
            instructions=data.instructions,
            min_evidence=data.min_evidence,
            min_reflections=data.min_reflections,
        )


def template_assignment_update(*, actor: Actor, assignment: TemplateAssignment, data: AssignmentData) -> None:
    """Change an assignment; trajectories enrolled earlier keep the copy they have."""
    authorize(actor, MANAGE)
    data = _clean_assignment(data)
    with transaction.atomic():
        _locked(actor, assignment.template)
        TemplateAssignment.objects.filter(pk=assignment.pk).update(
            theme=data.theme,
            title=data.title,
            instructions=data.instructions,
            min_evidence=data.min_evidence,
            min_reflections=data.min_reflections,
        )


def template_assignment_delete(*, actor: Actor, assignment: TemplateAssignment) -> None:
    """Remove an assignment; a published template keeps at least one."""
    authorize(actor, MANAGE)
    with transaction.atomic():
        locked = _locked(actor, assignment.template)
        assignments = TemplateAssignment.objects.filter(template=locked)
        if locked.published_at is not None and assignments.count() <= 1:
            raise ValidationError(
                _("A published template needs at least one assignment. Add another first, or unpublish the template.")
            )
        assignments.filter(pk=assignment.pk).delete()


def template_assignment_move(*, actor: Actor, assignment: TemplateAssignment, direction: str) -> None:
    """Move an assignment one place up or down."""
    authorize(actor, MANAGE)
    with transaction.atomic():
        locked = _locked(actor, assignment.template)
        rows = list(TemplateAssignment.objects.filter(template=locked).order_by("position"))
        _swap(TemplateAssignment, rows, assignment, direction)
