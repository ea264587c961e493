"""The beheerder's gesprekscyclus pages: the cycles of the board and its schools, and the form builder.

Resolve → validate → one service → page or redirect, as the frameworks pages do. Every page works
without JavaScript: a draft version's page shows its sections and questions with a link to edit each
and buttons to move or delete it; each form has its own page too, where errors are shown with what was
typed (status 400).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.conversations.forms import setup as forms
from bekwaam.conversations.models import CycleStep, FormVersion
from bekwaam.conversations.selectors import setup as selectors
from bekwaam.conversations.services import setup as services
from bekwaam.lib.forms import apply_validation_error
from bekwaam.tenancy.policy import ActorRequest, actor_view

MANAGE = "conversations.manage"


def _data(request: ActorRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _version_url(version: FormVersion, anchor: str = "") -> str:
    url = reverse("conversations:form-version-detail", kwargs={"version_id": version.pk})
    return f"{url}#{anchor}" if anchor else url


def _setup_url(anchor: str = "") -> str:
    url = reverse("conversations:setup")
    return f"{url}#{anchor}" if anchor else url


def _refuse(request: ActorRequest, error: ValidationError, url: str) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(url)


@dataclass(frozen=True)
class StepRow:
    """A step as the setup page shows it: how often and by when, in words."""

    step: CycleStep
    how_often: str
    due_by: str


def _step_row(step: CycleStep) -> StepRow:
    how_often = ngettext("every school year", "every %(count)s school years", step.interval_years) % {
        "count": step.interval_years
    }
    if step.in_first_year:
        how_often = _("%(how_often)s, and in the first school year of a new employment") % {"how_often": how_often}
    return StepRow(step=step, how_often=how_often, due_by=str(MONTHS[step.due_month]))


def _form_page(
    request: ActorRequest,
    *,
    form: django_forms.Form,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    title: str,
    submit: str,
    success: str,
    back: str,
    crumbs: list[tuple[str, str]],
    intro: str = "",
) -> HttpResponse:
    """GET: the form on its own page; POST: save through the service and go to `done(saved)`."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = save(form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, success)
                return redirect(done(saved))
        status = 400
    context = {"form": form, "title": title, "submit": submit, "back": back, "crumbs": crumbs, "intro": intro}
    return render(request, "conversations/setup/item_form.html", context, status=status)


def _setup_crumbs() -> list[tuple[str, str]]:
    return [(_("Conversation cycle"), reverse("conversations:setup"))]


# --- the overview and the cycles --------------------------------------------------------------------


@require_safe
@actor_view(MANAGE)
def setup(request: ActorRequest) -> HttpResponse:
    """The board's cycle, each school's own cycle, and the board's forms."""
    actor = request.actor
    overview = selectors.setup_overview_for(actor=actor)
    board_cycle = overview.board_cycle
    context = {
        "overview": overview,
        "board_rows": [_step_row(s) for s in board_cycle.steps.all()] if board_cycle else [],
        "school_cycles": [(c, [_step_row(s) for s in c.steps.all()]) for c in overview.school_cycles],
        "forms": list(selectors.form_list_for(actor=actor)),
        "school_form": forms.CycleCreateForm(schools=overview.schools_without_cycle),
        "shipped_source": services.shipped_defaults().source,
    }
    return render(request, "conversations/setup/setup.html", context)


@require_POST
@actor_view(MANAGE)
def setup_install(request: ActorRequest) -> HttpResponse:
    services.conversation_defaults_adopt(actor=request.actor)
    messages.success(request, _("The shipped forms and cycle have been installed where they were missing."))
    return redirect("conversations:setup")


@require_POST
@actor_view(MANAGE)
def cycle_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = forms.CycleCreateForm(request.POST, schools=selectors.schools_without_cycle_for(actor=actor))
    if not form.is_valid():
        return _refuse(
            request, ValidationError(_("Choose a school of your board without its own cycle.")), _setup_url()
        )
    school = form.cleaned_data["school"]
    try:
        cycle = services.cycle_create(actor=actor, school=school)
    except ValidationError as error:
        return _refuse(request, error, _setup_url())
    if school is None:
        messages.success(request, _("Your board's cycle has been created: add the conversations it holds."))
    else:
        messages.success(
            request,
            _("%(school)s now has its own cycle, a copy of the board's: change it as the school needs.")
            % {"school": school.name},
        )
    return redirect(_setup_url(f"cycle-{cycle.pk}"))


@require_POST
@actor_view(MANAGE)
def cycle_delete(request: ActorRequest, cycle_id: int) -> HttpResponse:
    cycle = selectors.cycle_get_for(actor=request.actor, cycle_id=cycle_id)
    try:
        services.cycle_delete(actor=request.actor, cycle=cycle)
    except ValidationError as error:
        return _refuse(request, error, _setup_url(f"cycle-{cycle.pk}"))
    messages.success(
        request,
        _("%(school)s follows the board's cycle again.") % {"school": cycle.school.name if cycle.school else ""},
    )
    return redirect("conversations:setup")


def _cycle_name(cycle: Any) -> str:
    if cycle.school_id is None:
        return _("the board's cycle")
    return _("the cycle of %(school)s") % {"school": cycle.school.name}


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def step_create(request: ActorRequest, cycle_id: int) -> HttpResponse:
    actor = request.actor
    cycle = selectors.cycle_get_for(actor=actor, cycle_id=cycle_id)
    return _form_page(
        request,
        form=forms.StepForm(_data(request), board_id=actor.board_pk),
        save=lambda data: services.step_create(actor=actor, cycle=cycle, **data),
        done=lambda step: _setup_url(f"cycle-{cycle.pk}"),
        title=_("Add a conversation to %(cycle)s") % {"cycle": _cycle_name(cycle)},
        submit=_("Add conversation"),
        success=_("The conversation has been added to the cycle."),
        back=_setup_url(f"cycle-{cycle.pk}"),
        crumbs=_setup_crumbs(),
    )


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def step_update(request: ActorRequest, step_id: int) -> HttpResponse:
    actor = request.actor
    step = selectors.step_get_for(actor=actor, step_id=step_id)
    initial = {
        "kind": step.kind,
        "interval_years": step.interval_years,
        "in_first_year": step.in_first_year,
        "due_month": step.due_month,
        "preparation_form": step.preparation_form_id,
        "report_form": step.report_form_id,
    }
    return _form_page(
        request,
        form=forms.StepForm(_data(request), board_id=actor.board_pk, initial=initial),
        save=lambda data: services.step_update(actor=actor, step=step, **data),
        done=lambda saved: _setup_url(f"cycle-{saved.cycle_id}"),
        title=_("%(conversation)s in %(cycle)s")
        % {"conversation": step.get_kind_display(), "cycle": _cycle_name(step.cycle)},
        submit=_("Save"),
        success=_("The conversation in the cycle has been saved."),
        back=_setup_url(f"cycle-{step.cycle_id}"),
        crumbs=_setup_crumbs(),
    )


@require_POST
@actor_view(MANAGE)
def step_delete(request: ActorRequest, step_id: int) -> HttpResponse:
    step = selectors.step_get_for(actor=request.actor, step_id=step_id)
    try:
        services.step_delete(actor=request.actor, step=step)
    except ValidationError as error:
        return _refuse(request, error, _setup_url(f"cycle-{step.cycle_id}"))
    messages.success(
        request, _("%(conversation)s has been taken out of the cycle.") % {"conversation": step.get_kind_display()}
    )
    return redirect(_setup_url(f"cycle-{step.cycle_id}"))


# --- forms and versions -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def form_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor

    def done(form: Any) -> str:
        return _version_url(form.versions.get())

    return _form_page(
        request,
        form=forms.FormCreateForm(_data(request)),
        save=lambda data: services.form_create(actor=actor, **data),
        done=done,
        title=_("New form"),
        submit=_("Create form"),
        success=_("The form has been created. Add its sections and questions, then publish it."),
        back=_setup_url("forms"),
        crumbs=_setup_crumbs(),
    )


@require_safe
@actor_view(MANAGE)
def form_detail(request: ActorRequest, form_id: UUID) -> HttpResponse:
    form = selectors.form_get_for(actor=request.actor, form_id=form_id)
    versions = list(selectors.form_version_list_for(actor=request.actor, form=form))
    context = {
        "form": form,
        "versions": versions,
        "has_draft": any(not v.is_published for v in versions),
        "has_published": any(v.is_published for v in versions),
    }
    return render(request, "conversations/setup/form_detail.html", context)


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def form_update(request: ActorRequest, form_id: UUID) -> HttpResponse:
    actor = request.actor
    form = selectors.form_get_for(actor=actor, form_id=form_id)
    url = reverse("conversations:form-detail", kwargs={"form_id": form.pk})
    return _form_page(
        request,
        form=forms.FormRenameForm(_data(request), initial={"name": form.name}),
        save=lambda data: services.form_update(actor=actor, form=form, **data),
        done=lambda _saved: url,
        title=_("Rename %(name)s") % {"name": form.name},
        submit=_("Save"),
        success=_("The form has been renamed."),
        back=url,
        crumbs=[*_setup_crumbs(), (form.name, url)],
    )


@require_POST
@actor_view(MANAGE)
def form_version_create(request: ActorRequest, form_id: UUID) -> HttpResponse:
    form = selectors.form_get_for(actor=request.actor, form_id=form_id)
    try:
        draft = services.form_version_create_draft(actor=request.actor, form=form)
    except ValidationError as error:
        return _refuse(request, error, reverse("conversations:form-detail", kwargs={"form_id": form.pk}))
    messages.success(request, _("Version %(number)s has been started as a draft.") % {"number": draft.number})
    return redirect(_version_url(draft))


def _version_crumbs(version: FormVersion) -> list[tuple[str, str]]:
    return [
        *_setup_crumbs(),
        (version.form.name, reverse("conversations:form-detail", kwargs={"form_id": version.form_id})),
        (_("Version %(number)s") % {"number": version.number}, _version_url(version)),
    ]


@require_safe
@actor_view(MANAGE)
def form_version_detail(request: ActorRequest, version_id: UUID) -> HttpResponse:
    version = selectors.form_version_get_for(actor=request.actor, version_id=version_id)
    draft = not version.is_published
    context: dict[str, Any] = {
        "version": version,
        "form": version.form,
        "draft": draft,
        "sections": selectors.form_version_sections(version=version),
    }
    if draft:
        context["problems"] = services.form_version_problems(version)
        context["section_form"] = forms.SectionForm(auto_id="id_section_%s")
    return render(request, "conversations/setup/version_detail.html", context)


def _draft_form_page(request: ActorRequest, version: FormVersion, **kwargs: Any) -> HttpResponse:
    if version.is_published:
        return _refuse(
            request,
            ValidationError(_("This version has been published and can no longer be changed.")),
            _version_url(version),
        )
    return _form_page(request, back=_version_url(version), crumbs=_version_crumbs(version), **kwargs)


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def form_version_update(request: ActorRequest, version_id: UUID) -> HttpResponse:
    actor = request.actor
    version = selectors.form_version_get_for(actor=actor, version_id=version_id)
    initial = {"intro": version.intro, "framework_version": version.framework_version_id}
    return _draft_form_page(
        request,
        version,
        form=forms.VersionForm(_data(request), board_id=actor.board_pk, initial=initial),
        save=lambda data: services.form_version_update(actor=actor, version=version, **data),
        done=lambda saved: _version_url(saved),
        title=_("Introduction and framework"),
        submit=_("Save"),
        success=_("The version has been saved."),
    )


@require_POST
@actor_view(MANAGE)
def form_version_publish(request: ActorRequest, version_id: UUID) -> HttpResponse:
    version = selectors.form_version_get_for(actor=request.actor, version_id=version_id)
    try:
        services.form_version_publish(actor=request.actor, version=version)
    except ValidationError as error:
        return _refuse(request, error, _version_url(version))
    messages.success(
        request,
        _("Version %(number)s has been published: conversations planned from now on use it.")
        % {"number": version.number},
    )
    return redirect(_version_url(version))


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def form_version_delete(request: ActorRequest, version_id: UUID) -> HttpResponse:
    version = selectors.form_version_get_for(actor=request.actor, version_id=version_id)
    if version.is_published:
        return _refuse(
            request,
            ValidationError(_("A published version cannot be deleted: conversations use it.")),
            _version_url(version),
        )
    if request.method == "POST":
        try:
            form_removed = services.form_version_delete(actor=request.actor, version=version)
        except ValidationError as error:
            return _refuse(request, error, _version_url(version))
        messages.success(request, _("The draft has been deleted."))
        if form_removed:
            return redirect(_setup_url("forms"))
        return redirect("conversations:form-detail", form_id=version.form_id)
    only_version = not version.form.versions.exclude(pk=version.pk).exists()
    context = {"version": version, "only_version": only_version, "crumbs": _version_crumbs(version)}
    return render(request, "conversations/setup/version_delete.html", context)


# --- sections and questions of a draft --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def section_create(request: ActorRequest, version_id: UUID) -> HttpResponse:
    actor = request.actor
    version = selectors.form_version_get_for(actor=actor, version_id=version_id)
    return _draft_form_page(
        request,
        version,
        form=forms.SectionForm(_data(request)),
        save=lambda data: services.section_create(actor=actor, version=version, **data),
        done=lambda section: _version_url(version, f"section-{section.pk}"),
        title=_("Add a section"),
        submit=_("Add section"),
        success=_("The section has been added."),
    )


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def section_update(request: ActorRequest, version_id: UUID, section_id: int) -> HttpResponse:
    actor = request.actor
    version = selectors.form_version_get_for(actor=actor, version_id=version_id)
    section = selectors.section_get_for(actor=actor, version=version, section_id=section_id)
    return _draft_form_page(
        request,
        version,
        form=forms.SectionForm(_data(request), initial={"title": section.title, "intro": section.intro}),
        save=lambda data: services.section_update(actor=actor, section=section, **data),
        done=lambda saved: _version_url(version, f"section-{saved.pk}"),
        title=_("Section “%(title)s”") % {"title": section.title},
        submit=_("Save"),
        success=_("The section has been saved."),
    )


def _prompt_title(section: Any) -> str:
    return _("Add a question to “%(title)s”") % {"title": section.title}


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def prompt_create(request: ActorRequest, version_id: UUID, section_id: int) -> HttpResponse:
    actor = request.actor
    version = selectors.form_version_get_for(actor=actor, version_id=version_id)
    section = selectors.section_get_for(actor=actor, version=version, section_id=section_id)
    return _draft_form_page(
        request,
        version,
        form=forms.PromptForm(_data(request), competences=selectors.competence_choices_for(actor=actor)),
        save=lambda data: services.prompt_create(actor=actor, section=section, **data),
        done=lambda prompt: _version_url(version, f"prompt-{prompt.pk}"),
        title=_prompt_title(section),
        submit=_("Add question"),
        success=_("The question has been added."),
    )


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def prompt_update(request: ActorRequest, version_id: UUID, prompt_id: int) -> HttpResponse:
    actor = request.actor
    version = selectors.form_version_get_for(actor=actor, version_id=version_id)
    prompt = selectors.prompt_get_for(actor=actor, version=version, prompt_id=prompt_id)
    initial = {
        "text": prompt.text,
        "help_text": prompt.help_text,
        "answer_type": prompt.answer_type,
        "competence": prompt.competence_id,
        "required": prompt.required,
        "section": prompt.section_id,
    }
    return _draft_form_page(
        request,
        version,
        form=forms.PromptEditForm(
            _data(request),
            version=version,
            competences=selectors.competence_choices_for(actor=actor),
            initial=initial,
        ),
        save=lambda data: services.prompt_update(actor=actor, prompt=prompt, **data),
        done=lambda saved: _version_url(version, f"prompt-{saved.pk}"),
        title=_("Question"),
        submit=_("Save"),
        success=_("The question has been saved."),
    )


# --- delete and move (buttons on the version page) --------------------------------------------------


def _part_action(
    request: ActorRequest, version: FormVersion, action: Callable[[], None], success: str, anchor: str
) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        return _refuse(request, error, _version_url(version, anchor))
    if success:
        messages.success(request, success)
    return redirect(_version_url(version, anchor))


def _direction(request: ActorRequest) -> str:
    form = forms.MoveForm(request.POST)
    return str(form.cleaned_data["direction"]) if form.is_valid() else ""


@require_POST
@actor_view(MANAGE)
def section_delete(request: ActorRequest, version_id: UUID, section_id: int) -> HttpResponse:
    version = selectors.form_version_get_for(actor=request.actor, version_id=version_id)
    section = selectors.section_get_for(actor=request.actor, version=version, section_id=section_id)
    return _part_action(
        request,
        version,
        lambda: services.section_delete(actor=request.actor, section=section),
        _("Section “%(title)s” has been deleted.") % {"title": section.title},
        "sections",
    )


@require_POST
@actor_view(MANAGE)
def section_move(request: ActorRequest, version_id: UUID, section_id: int) -> HttpResponse:
    version = selectors.form_version_get_for(actor=request.actor, version_id=version_id)
    section = selectors.section_get_for(actor=request.actor, version=version, section_id=section_id)
    direction = _direction(request)
    return _part_action(
        request,
        version,
        lambda: services.section_move(actor=request.actor, section=section, direction=direction),
        "",
        f"section-{section.pk}",
    )


@require_POST
@actor_view(MANAGE)
def prompt_delete(request: ActorRequest, version_id: UUID, prompt_id: int) -> HttpResponse:
    version = selectors.form_version_get_for(actor=request.actor, version_id=version_id)
    prompt = selectors.prompt_get_for(actor=request.actor, version=version, prompt_id=prompt_id)
    return _part_action(
        request,
        version,
        lambda: services.prompt_delete(actor=request.actor, prompt=prompt),
        _("The question has been deleted."),
        f"section-{prompt.section_id}",
    )


@require_POST
@actor_view(MANAGE)
def prompt_move(request: ActorRequest, version_id: UUID, prompt_id: int) -> HttpResponse:
    version = selectors.form_version_get_for(actor=request.actor, version_id=version_id)
    prompt = selectors.prompt_get_for(actor=request.actor, version=version, prompt_id=prompt_id)
    direction = _direction(request)
    return _part_action(
        request,
        version,
        lambda: services.prompt_move(actor=request.actor, prompt=prompt, direction=direction),
        "",
        f"prompt-{prompt.pk}",
    )
