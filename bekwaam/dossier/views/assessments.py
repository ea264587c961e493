"""Measurements (nulmeting and later ones): list and start, fill in and save, finish, profile, compare.

The owner fills in their draft; once finished it is shown as a profile per domain, to the owner and to
anyone it is shared with (read-only, and every view by someone else is written to the access log).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bekwaam.dossier.forms.assessments import AssessmentCompareForm, AssessmentRatingsForm, AssessmentStartForm
from bekwaam.dossier.models import AssessmentStatus, SelfAssessment
from bekwaam.dossier.selectors import OWNER, framework_version_for, item_get_for, own_item_get_for
from bekwaam.dossier.selectors.assessments import (
    FrameworkShape,
    assessment_comparison_for,
    assessment_list_for,
    assessment_profile_for,
    finished_assessments_for,
    framework_shape_for,
    own_evidence_for,
    ratings_for,
    startable_versions_for,
)
from bekwaam.dossier.services import assessments as services
from bekwaam.dossier.services.access import item_access_record
from bekwaam.lib.forms import apply_validation_error
from bekwaam.tenancy.policy import ActorRequest, actor_view

# --- list and start ---------------------------------------------------------------------------------


def _list_page(request: ActorRequest, start_form: AssessmentStartForm, status: int = 200) -> HttpResponse:
    actor = request.actor
    assessments = list(assessment_list_for(actor=actor))
    default = framework_version_for(actor=actor)
    versions = startable_versions_for(actor=actor, default=default)
    drafts = {a.framework_version.framework_id: a for a in reversed(assessments) if not a.is_finished}
    measured = {a.framework_version.framework_id for a in assessments}
    frameworks = [
        {
            "version": version,
            "is_default": default is not None and version.pk == default.pk,
            "draft": drafts.get(version.framework_id),
            "first": version.framework_id not in measured,
        }
        for version in versions
    ]
    finished = [a for a in assessments if a.is_finished]
    context = {
        "assessments": assessments,
        "frameworks": frameworks,
        "start_form": start_form,
        "finished": finished,
    }
    return render(request, "dossier/assessment_list.html", context, status=status)


@require_safe
@actor_view("dossier.view_own")
def assessment_list(request: ActorRequest) -> HttpResponse:
    return _list_page(request, AssessmentStartForm(actor=request.actor))


@require_POST
@actor_view("dossier.view_own")
def assessment_start(request: ActorRequest) -> HttpResponse:
    form = AssessmentStartForm(request.POST, actor=request.actor)
    if form.is_valid():
        try:
            assessment, created = services.assessment_start(
                actor=request.actor, framework_version=form.cleaned_data["framework_version"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if created:
                messages.success(request, _("Your measurement has started. You can save halfway and return later."))
            else:
                messages.info(request, _("You are continuing the measurement you started earlier."))
            return redirect("dossier:assessment-detail", assessment_id=assessment.pk)
    return _list_page(request, form, status=400)


# --- the fill form (the owner's draft) --------------------------------------------------------------


def _fill_page(
    request: ActorRequest,
    assessment: SelfAssessment,
    shape: FrameworkShape,
    form: AssessmentRatingsForm,
    *,
    status: int = 200,
    closed: bool = False,
) -> HttpResponse:
    entries = form.entries()
    context = {
        "assessment": assessment,
        "shape": shape,
        "form": form,
        "entries": entries,
        "rated": sum(d.rated for d in entries),
        "total": sum(d.total for d in entries),
        "closed": closed,
        "has_evidence": bool(form.evidence),
    }
    return render(request, "dossier/assessment_fill.html", context, status=status)


def _bound_form(request: ActorRequest, assessment: SelfAssessment) -> tuple[FrameworkShape, AssessmentRatingsForm]:
    shape = framework_shape_for(version_id=assessment.framework_version_id, board_id=assessment.board_id)
    form = AssessmentRatingsForm(
        request.POST,
        shape=shape,
        evidence=own_evidence_for(actor=request.actor),
        ratings=ratings_for(assessment=assessment),
    )
    return shape, form


def _is_finished_error(error: ValidationError) -> bool:
    return (
        any(getattr(item, "code", None) == "finished" for item in error.error_list)
        if hasattr(error, "error_list")
        else False
    )


def _status_fragment(
    request: ActorRequest, form: AssessmentRatingsForm, *, saved: bool, error: str = ""
) -> HttpResponse:
    """The fill form's status line for an autosave (htmx): progress, and saved or what went wrong.

    Answered with 200 so htmx shows it; the message says whether anything was saved.
    """
    entries = form.entries()
    context = {
        "rated": sum(d.rated for d in entries),
        "total": sum(d.total for d in entries),
        "saved_at": timezone.localtime() if saved else None,
        "error": error,
    }
    return render(request, "dossier/_assessment_status.html", context)


@require_POST
@actor_view("dossier.view_own")
def assessment_save(request: ActorRequest, assessment_id: UUID) -> HttpResponse:
    actor = request.actor
    assessment = own_item_get_for(actor=actor, model=SelfAssessment, item_id=assessment_id)
    shape, form = _bound_form(request, assessment)
    closed = False
    if form.is_valid():
        try:
            services.assessment_save(actor=actor, assessment=assessment, ratings=form.cleaned_data["ratings"])
        except ValidationError as error:
            closed = _is_finished_error(error)
            apply_validation_error(form, error)
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return _status_fragment(request, form, saved=True)
            messages.success(request, _("Your answers have been saved."))
            url = reverse("dossier:assessment-detail", kwargs={"assessment_id": assessment.pk})
            anchor = form.cleaned_data.get("anchor")
            return redirect(f"{url}#{anchor}" if anchor else url)
    if request.htmx:  # type: ignore[attr-defined]
        return _status_fragment(
            request,
            form,
            saved=False,
            error=" ".join(str(e) for e in form.non_field_errors()) or _("Not saved: please check your answers."),
        )
    return _fill_page(request, assessment, shape, form, status=400, closed=closed)


@require_POST
@actor_view("dossier.view_own")
def assessment_finish(request: ActorRequest, assessment_id: UUID) -> HttpResponse:
    actor = request.actor
    assessment = own_item_get_for(actor=actor, model=SelfAssessment, item_id=assessment_id)
    shape, form = _bound_form(request, assessment)
    closed = False
    if form.is_valid():
        try:
            services.assessment_finish(actor=actor, assessment=assessment, ratings=form.cleaned_data["ratings"])
        except services.AssessmentIncompleteError as error:
            # What was entered is saved; the page marks each indicator that still needs a level.
            form.missing = {indicator.pk for indicator in error.missing}
            form.add_error(None, error)
        except ValidationError as error:
            closed = _is_finished_error(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your measurement is finished. This is your profile."))
            return redirect("dossier:assessment-detail", assessment_id=assessment.pk)
    return _fill_page(request, assessment, shape, form, status=400, closed=closed)


# --- the profile (finished, or shared with the viewer) ----------------------------------------------


@require_safe
@actor_view()
def assessment_detail(request: ActorRequest, assessment_id: UUID) -> HttpResponse:
    actor = request.actor
    assessment, right = item_get_for(actor=actor, model=SelfAssessment, item_id=assessment_id)
    is_owner = right == OWNER
    if is_owner and assessment.status == AssessmentStatus.DRAFT:
        shape = framework_shape_for(version_id=assessment.framework_version_id, board_id=assessment.board_id)
        form = AssessmentRatingsForm(
            shape=shape, evidence=own_evidence_for(actor=actor), ratings=ratings_for(assessment=assessment)
        )
        return _fill_page(request, assessment, shape, form)
    item_access_record(actor=actor, item=assessment, right=right, path=request.path)
    profile = assessment_profile_for(actor=actor, assessment=assessment)
    context: dict[str, Any] = {
        "assessment": assessment,
        "profile": profile,
        "is_owner": is_owner,
        "compare_with": (
            [a for a in finished_assessments_for(actor=actor) if a.pk != assessment.pk]
            if is_owner and assessment.is_finished
            else []
        ),
    }
    return render(request, "dossier/assessment_profile.html", context)


# --- comparison -------------------------------------------------------------------------------------


@require_safe
@actor_view()
def assessment_compare(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = AssessmentCompareForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "comparison": None}
    if form.is_valid():
        before, before_right = item_get_for(actor=actor, model=SelfAssessment, item_id=form.cleaned_data["from"])
        after, after_right = item_get_for(actor=actor, model=SelfAssessment, item_id=form.cleaned_data["to"])
        if before.person_id != after.person_id:
            raise Http404  # no such comparison: measurements of two different people
        if not (before.is_finished and after.is_finished):
            form.add_error(None, _("Only finished measurements can be compared."))
        else:
            if before.finished_at and after.finished_at and before.finished_at > after.finished_at:
                # Always earlier → later, whichever order they were picked in.
                (before, before_right), (after, after_right) = (after, after_right), (before, before_right)
            for item, right in ((before, before_right), (after, after_right)):
                item_access_record(actor=actor, item=item, right=right, path=request.get_full_path())
            context["comparison"] = assessment_comparison_for(actor=actor, before=before, after=after)
            context["before"], context["after"] = before, after
            context["is_owner"] = before_right == OWNER
    if context["comparison"] is None:
        context["choices"] = list(finished_assessments_for(actor=actor)) if actor.board_id is not None else []
    status = 400 if form.is_bound and context["comparison"] is None else 200
    return render(request, "dossier/assessment_compare.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("measurements/", assessment_list, name="assessment-list"),
    path("measurements/start/", assessment_start, name="assessment-start"),
    path("measurements/compare/", assessment_compare, name="assessment-compare"),
    path("measurements/<uuid:assessment_id>/", assessment_detail, name="assessment-detail"),
    path("measurements/<uuid:assessment_id>/save/", assessment_save, name="assessment-save"),
    path("measurements/<uuid:assessment_id>/finish/", assessment_finish, name="assessment-finish"),
]
