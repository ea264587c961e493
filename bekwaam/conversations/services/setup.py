"""Writes of the gesprekscyclus set-up: the board's and schools' cycles, and the form builder.

Forms are versioned like frameworks (frameworks/services.py): a form has numbered versions; a draft can
be edited, published or deleted; a published version never changes again (every service here refuses it,
through `_draft_locked`) and is never deleted, because conversations point at it (PROTECT). "New version"
copies the latest published version into a draft numbered one higher; a form has at most one draft
(the form row is locked while a draft is made, so two clicks cannot make two).

`conversation_defaults_install` takes no actor: board creation and the demo call it; the beheerder's
button goes through `conversation_defaults_adopt`, which checks the policy first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_scopes import scope

from bekwaam.conversations.models import (
    AnswerType,
    ConversationCycle,
    ConversationForm,
    ConversationKind,
    CycleStep,
    FormPrompt,
    FormPurpose,
    FormSection,
    FormStatus,
    FormVersion,
)
from bekwaam.frameworks.models import Competence, FrameworkVersion, VersionStatus
from bekwaam.lib.db import unique_or
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Board, School
from bekwaam.tenancy.policy import authorize

MANAGE = "conversations.manage"
DEFAULTS_FILE = Path(__file__).resolve().parent.parent / "defaults" / "forms.json"
UP, DOWN = "up", "down"

Positioned = TypeVar("Positioned", FormSection, FormPrompt)


# --- the shipped defaults ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ShippedPrompt:
    text: str
    help: str
    required: bool


@dataclass(frozen=True)
class ShippedSection:
    title: str
    intro: str
    prompts: tuple[ShippedPrompt, ...]


@dataclass(frozen=True)
class ShippedForm:
    slug: str
    kind: str
    purpose: str
    name: str
    intro: str
    sections: tuple[ShippedSection, ...]


@dataclass(frozen=True)
class ShippedStep:
    kind: str
    interval_years: int
    in_first_year: bool
    due_month: int
    preparation_form: str
    report_form: str


@dataclass(frozen=True)
class ShippedDefaults:
    source: str
    forms: tuple[ShippedForm, ...]
    steps: tuple[ShippedStep, ...]


@cache
def shipped_defaults() -> ShippedDefaults:
    """defaults/forms.json, read and checked once per process; a broken file fails loudly (the tests read it)."""
    data: dict[str, Any] = json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    if data.get("schema") != "bekwaam.conversation-forms" or data.get("schema_version") != 1:
        raise ValueError(f"{DEFAULTS_FILE.name}: not a conversation-forms file of schema version 1")
    forms = tuple(
        ShippedForm(
            slug=f["slug"],
            kind=ConversationKind(f["kind"]).value,
            purpose=FormPurpose(f["purpose"]).value,
            name=f["name"],
            intro=f.get("intro", ""),
            sections=tuple(
                ShippedSection(
                    title=s["title"],
                    intro=s.get("intro", ""),
                    prompts=tuple(
                        ShippedPrompt(text=p["text"], help=p.get("help", ""), required=bool(p.get("required")))
                        for p in s["prompts"]
                    ),
                )
                for s in f["sections"]
            ),
        )
        for f in data["forms"]
    )
    slugs = {f.slug for f in forms}
    if len(slugs) != len(forms):
        raise ValueError(f"{DEFAULTS_FILE.name}: two forms share a slug")
    steps = tuple(
        ShippedStep(
            kind=ConversationKind(s["kind"]).value,
            interval_years=int(s["interval_years"]),
            in_first_year=bool(s["in_first_year"]),
            due_month=int(s["due_month"]),
            preparation_form=s["preparation_form"],
            report_form=s["report_form"],
        )
        for s in data["cycle"]["steps"]
    )
    for step in steps:
        if step.preparation_form not in slugs or step.report_form not in slugs:
            raise ValueError(f"{DEFAULTS_FILE.name}: the cycle names a form that is not in the file")
    return ShippedDefaults(source=data["source"], forms=forms, steps=steps)


def _free_form_slug(board_id: int, wanted: str) -> str:
    taken = set(ConversationForm.objects.filter(board_id=board_id).values_list("slug", flat=True))
    slug, n = wanted[:64], 2
    while slug in taken:
        suffix = f"-{n}"
        slug = wanted[: 64 - len(suffix)] + suffix
        n += 1
    return slug


def _shipped_form_write(*, board_id: int, shipped: ShippedForm) -> ConversationForm:
    """One shipped form as the board's form with a published version 1, in a fixed number of queries."""
    form = ConversationForm.objects.create(
        board_id=board_id,
        slug=_free_form_slug(board_id, shipped.slug),
        name=shipped.name,
        kind=shipped.kind,
        purpose=shipped.purpose,
        shipped_as=shipped.slug,
    )
    version = FormVersion.objects.create(
        board_id=board_id,
        form=form,
        number=1,
        status=FormStatus.PUBLISHED,
        published_at=timezone.now(),
        intro=shipped.intro,
    )
    sections = FormSection.objects.bulk_create(
        FormSection(board_id=board_id, version=version, title=s.title, intro=s.intro, position=n)
        for n, s in enumerate(shipped.sections, start=1)
    )
    FormPrompt.objects.bulk_create(
        FormPrompt(
            board_id=board_id,
            section=section,
            text=p.text,
            help_text=p.help,
            answer_type=AnswerType.TEXT,
            required=p.required,
            position=n,
        )
        for section, s in zip(sections, shipped.sections, strict=True)
        for n, p in enumerate(s.prompts, start=1)
    )
    return form


def conversation_defaults_install(*, board_id: int) -> None:
    """Give a board the shipped forms (published version 1), the shipped cycle when it has no cycle of its
    own, and the appraisal defaults. Idempotent: what the board has already is left as it is."""
    from bekwaam.conversations.services.appraisals import appraisal_defaults_install

    shipped = shipped_defaults()
    with scope(board=[board_id]), transaction.atomic():
        # Two installs at once (a double click, board creation racing the button) wait for each other here.
        Board.objects.select_for_update().get(pk=board_id)
        forms = {
            f.shipped_as: f
            for f in ConversationForm.objects.filter(board_id=board_id).exclude(shipped_as="").order_by("created_at")
        }
        for form in shipped.forms:
            if form.slug not in forms:
                forms[form.slug] = _shipped_form_write(board_id=board_id, shipped=form)
        if not ConversationCycle.objects.filter(board_id=board_id, school__isnull=True).exists():
            cycle = ConversationCycle.objects.create(board_id=board_id)
            CycleStep.objects.bulk_create(
                CycleStep(
                    board_id=board_id,
                    cycle=cycle,
                    kind=step.kind,
                    interval_years=step.interval_years,
                    in_first_year=step.in_first_year,
                    due_month=step.due_month,
                    preparation_form=forms[step.preparation_form],
                    report_form=forms[step.report_form],
                    position=n,
                )
                for n, step in enumerate(shipped.steps, start=1)
            )
        appraisal_defaults_install(board_id=board_id)


def conversation_defaults_adopt(*, actor: Actor) -> None:
    """The beheerder installs the shipped forms and cycle for their board (what exists stays as it is)."""
    authorize(actor, MANAGE)
    conversation_defaults_install(board_id=actor.board_pk)


# --- cycles -----------------------------------------------------------------------------------------


def _own(actor: Actor, obj: Any) -> None:
    """Policy check, and the object must belong to the actor's board (selectors already 404 otherwise)."""
    authorize(actor, MANAGE)
    if getattr(obj, "board_id", None) != actor.board_pk:
        raise ValidationError(_("This belongs to another board."))


def cycle_create(*, actor: Actor, school: School | None = None) -> ConversationCycle:
    """The board's cycle (empty), or a school's own cycle as a copy of the board's steps."""
    authorize(actor, MANAGE)
    board_id = actor.board_pk
    if school is not None and school.board_id != board_id:
        raise ValidationError({"school": _("Choose a school of your board.")})
    taken = ValidationError(
        {"school": _("This school has its own cycle already.")}
        if school is not None
        else _("Your board has a cycle already.")
    )
    with transaction.atomic():
        Board.objects.select_for_update().get(pk=board_id)
        if ConversationCycle.objects.filter(board_id=board_id, school=school).exists():
            raise taken
        with unique_or(taken):
            cycle = ConversationCycle.objects.create(board_id=board_id, school=school)
        if school is not None:
            board_steps = CycleStep.objects.filter(board_id=board_id, cycle__school__isnull=True).order_by(
                "position", "id"
            )
            CycleStep.objects.bulk_create(
                CycleStep(
                    board_id=board_id,
                    cycle=cycle,
                    kind=s.kind,
                    interval_years=s.interval_years,
                    in_first_year=s.in_first_year,
                    due_month=s.due_month,
                    preparation_form_id=s.preparation_form_id,
                    report_form_id=s.report_form_id,
                    position=s.position,
                )
                for s in board_steps
            )
    return cycle


def cycle_delete(*, actor: Actor, cycle: ConversationCycle) -> None:
    """Remove a school's own cycle: the school follows the board's cycle again. The board's cycle stays."""
    _own(actor, cycle)
    if cycle.school_id is None:
        raise ValidationError(_("The board's cycle cannot be removed; remove its conversations instead."))
    with transaction.atomic():
        ConversationCycle.objects.filter(pk=cycle.pk, board_id=actor.board_pk).delete()


def _step_check_forms(
    *, board_id: int, kind: str, preparation_form: ConversationForm | None, report_form: ConversationForm | None
) -> None:
    errors: dict[str, str] = {}
    for field, form, purpose in (
        ("preparation_form", preparation_form, FormPurpose.PREPARATION),
        ("report_form", report_form, FormPurpose.REPORT),
    ):
        if form is None:
            continue
        if form.board_id != board_id:
            errors[field] = _("Choose a form of your board.")
        elif form.kind != kind or form.purpose != purpose:
            errors[field] = _("Choose a %(purpose)s form for this kind of conversation.") % {
                "purpose": FormPurpose(purpose).label.lower()
            }
    if errors:
        raise ValidationError(errors)


def _step_fields(step: CycleStep, fields: dict[str, Any]) -> None:
    step.kind = fields["kind"]
    step.interval_years = fields["interval_years"]
    step.in_first_year = fields["in_first_year"]
    step.due_month = fields["due_month"]
    step.preparation_form = fields["preparation_form"]
    step.report_form = fields["report_form"]


def step_create(
    *,
    actor: Actor,
    cycle: ConversationCycle,
    kind: str,
    interval_years: int,
    in_first_year: bool,
    due_month: int,
    preparation_form: ConversationForm | None = None,
    report_form: ConversationForm | None = None,
) -> CycleStep:
    """Add a kind of conversation to a cycle; each kind once per cycle."""
    _own(actor, cycle)
    _step_check_forms(board_id=cycle.board_id, kind=kind, preparation_form=preparation_form, report_form=report_form)
    taken = ValidationError({"kind": _("This cycle has this conversation already.")})
    with transaction.atomic():
        locked = ConversationCycle.objects.select_for_update().get(pk=cycle.pk)
        steps = CycleStep.objects.filter(cycle=locked)
        if steps.filter(kind=kind).exists():
            raise taken
        step = CycleStep(board_id=locked.board_id, cycle=locked, position=_next_position(steps))
        _step_fields(
            step,
            {
                "kind": kind,
                "interval_years": interval_years,
                "in_first_year": in_first_year,
                "due_month": due_month,
                "preparation_form": preparation_form,
                "report_form": report_form,
            },
        )
        step.full_clean(exclude=["board", "cycle"], validate_constraints=False)
        with unique_or(taken):
            step.save()
    return step


def step_update(
    *,
    actor: Actor,
    step: CycleStep,
    kind: str,
    interval_years: int,
    in_first_year: bool,
    due_month: int,
    preparation_form: ConversationForm | None = None,
    report_form: ConversationForm | None = None,
) -> CycleStep:
    """Change a step of a cycle (the conversations planned with it keep the forms they were planned with)."""
    _own(actor, step)
    _step_check_forms(board_id=step.board_id, kind=kind, preparation_form=preparation_form, report_form=report_form)
    taken = ValidationError({"kind": _("This cycle has this conversation already.")})
    with transaction.atomic():
        row = CycleStep.objects.select_for_update().get(pk=step.pk)
        if CycleStep.objects.filter(cycle_id=row.cycle_id, kind=kind).exclude(pk=row.pk).exists():
            raise taken
        _step_fields(
            row,
            {
                "kind": kind,
                "interval_years": interval_years,
                "in_first_year": in_first_year,
                "due_month": due_month,
                "preparation_form": preparation_form,
                "report_form": report_form,
            },
        )
        row.full_clean(exclude=["board", "cycle"], validate_constraints=False)
        with unique_or(taken):
            row.save(
                update_fields=[
                    "kind",
                    "interval_years",
                    "in_first_year",
                    "due_month",
                    "preparation_form",
                    "report_form",
                ]
            )
    return row


def step_delete(*, actor: Actor, step: CycleStep) -> None:
    """Take a kind of conversation out of a cycle (conversations held with it stay)."""
    _own(actor, step)
    with transaction.atomic():
        CycleStep.objects.filter(pk=step.pk, board_id=actor.board_pk).delete()


# --- forms and versions -----------------------------------------------------------------------------


def form_create(*, actor: Actor, kind: str, purpose: str, name: str) -> ConversationForm:
    """A new form of the actor's board with an empty draft version 1."""
    authorize(actor, MANAGE)
    board_id = actor.board_pk
    name = name.strip()
    with transaction.atomic():
        form = ConversationForm(
            board_id=board_id,
            slug=_free_form_slug(board_id, slugify(name)[:64] or "formulier"),
            name=name,
            kind=kind,
            purpose=purpose,
        )
        form.full_clean(exclude=["board"], validate_constraints=False)
        with unique_or(ValidationError({"name": _("Try again: another form was created at the same moment.")})):
            form.save()
        FormVersion.objects.create(board_id=board_id, form=form, number=1)
    return form


def form_update(*, actor: Actor, form: ConversationForm, name: str) -> ConversationForm:
    """Rename a form (its kind, purpose and versions stay as they are)."""
    _own(actor, form)
    with transaction.atomic():
        row = ConversationForm.objects.select_for_update().get(pk=form.pk)
        row.name = name.strip()
        row.full_clean(exclude=["board"], validate_constraints=False)
        row.save(update_fields=["name"])
    return row


def _draft_locked(actor: Actor, version_id: Any) -> FormVersion:
    """The version row, locked, when the actor may change it and it is still a draft."""
    authorize(actor, MANAGE)
    version = FormVersion.objects.select_for_update().select_related("form").get(pk=version_id)
    if version.board_id != actor.board_pk:
        raise ValidationError(_("This belongs to another board."))
    if version.is_published:
        raise ValidationError(
            _("Version %(number)s has been published and can no longer be changed. Start a new version instead.")
            % {"number": version.number}
        )
    return version


def form_version_problems(version: FormVersion) -> list[str]:
    """What keeps a version from being published: at least one section, and a question in every section."""
    sections = list(FormSection.objects.filter(version=version).order_by("position", "id"))
    if not sections:
        return [_("Add at least one section with a question.")]
    filled = set(FormPrompt.objects.filter(section__version=version).values_list("section_id", flat=True))
    return [_("Section “%(title)s” has no questions.") % {"title": s.title} for s in sections if s.pk not in filled]


def form_version_publish(*, actor: Actor, version: FormVersion) -> FormVersion:
    """Publish a complete draft; from now on it never changes. ValidationError lists what is missing."""
    with transaction.atomic():
        locked = _draft_locked(actor, version.pk)
        problems = form_version_problems(locked)
        if problems:
            raise ValidationError(problems)
        locked.status = FormStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at"])
    return locked


def _published_framework_version(board_id: int, framework_version: FrameworkVersion | None) -> None:
    if framework_version is not None and (
        framework_version.board_id != board_id or framework_version.status != VersionStatus.PUBLISHED
    ):
        raise ValidationError({"framework_version": _("Choose a published framework version of your board.")})


def form_version_update(
    *, actor: Actor, version: FormVersion, intro: str, framework_version: FrameworkVersion | None
) -> FormVersion:
    """Change a draft's introduction and the framework version its rating questions use."""
    with transaction.atomic():
        locked = _draft_locked(actor, version.pk)
        _published_framework_version(locked.board_id, framework_version)
        new_id = framework_version.pk if framework_version is not None else None
        others = FormPrompt.objects.filter(section__version=locked, answer_type=AnswerType.RATING)
        if new_id is not None:
            others = others.exclude(competence__version_id=new_id)
        if others.exists():
            raise ValidationError(
                {
                    "framework_version": _(
                        "Rating questions of this version use another framework version: change or delete them first."
                    )
                }
            )
        locked.intro = intro.strip()
        locked.framework_version = framework_version
        locked.save(update_fields=["intro", "framework_version"])
    return locked


def form_version_create_draft(*, actor: Actor, form: ConversationForm) -> FormVersion:
    """A new draft numbered after the last version: a copy of the latest published version, or empty when
    nothing is published yet. A form has at most one draft."""
    _own(actor, form)
    with transaction.atomic():
        locked = ConversationForm.objects.select_for_update().get(pk=form.pk)
        versions = FormVersion.objects.filter(form=locked)
        if versions.filter(status=FormStatus.DRAFT).exists():
            raise ValidationError(_("This form already has a draft: continue with that one."))
        number = (versions.aggregate(last=Max("number"))["last"] or 0) + 1
        source = versions.filter(status=FormStatus.PUBLISHED).order_by("-number").first()
        draft = FormVersion.objects.create(
            board_id=locked.board_id,
            form=locked,
            number=number,
            intro=source.intro if source else "",
            framework_version_id=source.framework_version_id if source else None,
        )
        if source is not None:
            old_sections = list(FormSection.objects.filter(version=source).order_by("position", "id"))
            new_sections = FormSection.objects.bulk_create(
                FormSection(board_id=draft.board_id, version=draft, title=s.title, intro=s.intro, position=s.position)
                for s in old_sections
            )
            section_map = {old.pk: new for old, new in zip(old_sections, new_sections, strict=True)}
            FormPrompt.objects.bulk_create(
                FormPrompt(
                    board_id=draft.board_id,
                    section=section_map[p.section_id],
                    text=p.text,
                    help_text=p.help_text,
                    answer_type=p.answer_type,
                    competence_id=p.competence_id,
                    required=p.required,
                    position=p.position,
                )
                for p in FormPrompt.objects.filter(section__version=source).order_by("position", "id")
            )
    return draft


def form_version_delete(*, actor: Actor, version: FormVersion) -> bool:
    """Delete a draft (a published version is never deleted: conversations use it).

    A form whose only version was this draft goes with it, unless a cycle names it; returns True when the
    form was deleted.
    """
    with transaction.atomic():
        locked = _draft_locked(actor, version.pk)
        form = locked.form
        try:
            with transaction.atomic():
                locked.delete()
        except ProtectedError:
            raise ValidationError(_("This draft is in use and cannot be deleted.")) from None
        if not FormVersion.objects.filter(form=form).exists():
            try:
                with transaction.atomic():
                    form.delete()
            except ProtectedError:
                raise ValidationError(
                    _("This is the form's only version and a cycle uses the form: choose another form there first.")
                ) from None
            return True
    return False


# --- sections and prompts of a draft ----------------------------------------------------------------


def _next_position(rows: Any) -> int:
    return int(rows.aggregate(last=Max("position"))["last"] or 0) + 1


def _check_direction(direction: str) -> None:
    if direction not in (UP, DOWN):
        raise ValidationError(_("Choose up or down."))


def _reorder(siblings: list[Positioned], row: Positioned, direction: str) -> None:
    """Move a row one place up or down among its siblings, renumbering positions 1..n."""
    _check_direction(direction)
    order = [s.pk for s in siblings]
    at = order.index(row.pk)
    to = at - 1 if direction == UP else at + 1
    if not 0 <= to < len(siblings):
        return
    siblings[at], siblings[to] = siblings[to], siblings[at]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])


def section_create(*, actor: Actor, version: FormVersion, title: str, intro: str = "") -> FormSection:
    """Add a section at the end of a draft."""
    with transaction.atomic():
        locked = _draft_locked(actor, version.pk)
        sections = FormSection.objects.filter(version=locked)
        section = FormSection(
            board_id=locked.board_id,
            version=locked,
            title=title.strip(),
            intro=intro.strip(),
            position=_next_position(sections),
        )
        section.full_clean(exclude=["board", "version"])
        section.save()
    return section


def section_update(*, actor: Actor, section: FormSection, title: str, intro: str = "") -> FormSection:
    """Change a section's title and introduction."""
    with transaction.atomic():
        _draft_locked(actor, section.version_id)
        row = FormSection.objects.select_for_update().get(pk=section.pk)
        row.title, row.intro = title.strip(), intro.strip()
        row.full_clean(exclude=["board", "version"])
        row.save(update_fields=["title", "intro"])
    return row


def section_delete(*, actor: Actor, section: FormSection) -> None:
    """Delete a section of a draft with its questions."""
    with transaction.atomic():
        _draft_locked(actor, section.version_id)
        FormSection.objects.filter(pk=section.pk).delete()


def section_move(*, actor: Actor, section: FormSection, direction: str) -> None:
    """Move a section one place up or down."""
    _check_direction(direction)
    with transaction.atomic():
        _draft_locked(actor, section.version_id)
        siblings = list(FormSection.objects.filter(version_id=section.version_id).order_by("position", "id"))
        _reorder(siblings, section, direction)


def _prompt_check(
    *, version: FormVersion, answer_type: str, competence: Competence | None
) -> tuple[Competence | None, FrameworkVersion | None]:
    """The competence to store (None for free text) and, for the first rating question, the framework version
    the form's ratings now use."""
    if answer_type == AnswerType.TEXT:
        return None, None
    if answer_type != AnswerType.RATING:
        raise ValidationError({"answer_type": _("Choose how the question is answered.")})
    if competence is None:
        raise ValidationError({"competence": _("Choose the competence to rate.")})
    framework_version = FrameworkVersion.objects.filter(
        pk=competence.version_id, board_id=version.board_id, status=VersionStatus.PUBLISHED
    ).first()
    if framework_version is None:
        raise ValidationError({"competence": _("Choose a competence of a published framework version of your board.")})
    if version.framework_version_id is not None and version.framework_version_id != framework_version.pk:
        raise ValidationError(
            {
                "competence": _(
                    "The rating questions of this form use %(framework)s: choose a competence of that version."
                )
                % {"framework": version.framework_version}
            }
        )
    return competence, framework_version


def _use_framework_version(version: FormVersion, framework_version: FrameworkVersion | None) -> None:
    if framework_version is not None and version.framework_version_id is None:
        version.framework_version = framework_version
        version.save(update_fields=["framework_version"])


def prompt_create(
    *,
    actor: Actor,
    section: FormSection,
    text: str,
    help_text: str = "",
    answer_type: str = AnswerType.TEXT,
    competence: Competence | None = None,
    required: bool = False,
) -> FormPrompt:
    """Add a question at the end of a section of a draft; a rating question names a competence of a
    published framework version of the board (one framework version per form version)."""
    with transaction.atomic():
        locked = _draft_locked(actor, section.version_id)
        competence, framework_version = _prompt_check(version=locked, answer_type=answer_type, competence=competence)
        prompt = FormPrompt(
            board_id=locked.board_id,
            section=section,
            text=text.strip(),
            help_text=help_text.strip(),
            answer_type=answer_type,
            competence=competence,
            required=required,
            position=_next_position(FormPrompt.objects.filter(section=section)),
        )
        prompt.full_clean(exclude=["board", "section", "competence"], validate_constraints=False)
        prompt.save()
        _use_framework_version(locked, framework_version)
    return prompt


def prompt_update(
    *,
    actor: Actor,
    prompt: FormPrompt,
    text: str,
    help_text: str = "",
    answer_type: str = AnswerType.TEXT,
    competence: Competence | None = None,
    required: bool = False,
    section: FormSection | None = None,
) -> FormPrompt:
    """Change a question of a draft; a `section` of the same version moves it there (as the last one)."""
    with transaction.atomic():
        locked = _draft_locked(actor, prompt.section.version_id)
        row = FormPrompt.objects.select_for_update().get(pk=prompt.pk)
        fields = ["text", "help_text", "answer_type", "competence", "required"]
        if section is not None and section.pk != row.section_id:
            if section.version_id != locked.pk:
                raise ValidationError({"section": _("Choose a section of this version.")})
            row.section = section
            row.position = _next_position(FormPrompt.objects.filter(section=section))
            fields += ["section", "position"]
        if locked.framework_version_id is not None and answer_type == AnswerType.RATING:
            # The only rating question may move to another framework version: the form follows it.
            ratings = FormPrompt.objects.filter(section__version=locked, answer_type=AnswerType.RATING)
            if not ratings.exclude(pk=row.pk).exists():
                locked.framework_version = None
        competence, framework_version = _prompt_check(version=locked, answer_type=answer_type, competence=competence)
        row.text, row.help_text, row.answer_type = text.strip(), help_text.strip(), answer_type
        row.competence, row.required = competence, required
        row.full_clean(exclude=["board", "section", "competence"], validate_constraints=False)
        row.save(update_fields=fields)
        if locked.framework_version_id is None and framework_version is not None:
            locked.framework_version = framework_version
            locked.save(update_fields=["framework_version"])
    return row


def prompt_delete(*, actor: Actor, prompt: FormPrompt) -> None:
    """Delete a question of a draft."""
    with transaction.atomic():
        _draft_locked(actor, prompt.section.version_id)
        FormPrompt.objects.filter(pk=prompt.pk).delete()


def prompt_move(*, actor: Actor, prompt: FormPrompt, direction: str) -> None:
    """Move a question one place up or down within its section."""
    _check_direction(direction)
    with transaction.atomic():
        _draft_locked(actor, prompt.section.version_id)
        siblings = list(FormPrompt.objects.filter(section_id=prompt.section_id).order_by("position", "id"))
        _reorder(siblings, prompt, direction)
