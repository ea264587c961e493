"""The school leader's register pages: the overview, their periods, their activities and certificate files.

Every page needs "register.keep" (a school leader at the active board). Periods and activities are found
only through the selectors, which filter on the actor's own person: anyone else's is "not found" (404).
A refused write comes back on its form with everything typed kept (a chosen file excepted: browsers do
not keep one).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.dossier.uploads import ALLOWED_TYPES, detect_content_type, file_head
from bekwaam.lib.forms import apply_validation_error
from bekwaam.register import points as rules
from bekwaam.register.forms import ACTIVITY_FORMS, PeriodForm
from bekwaam.register.models import ActivityKind, LeadershipPractice, LearningLevel, RegistrationPeriod
from bekwaam.register.selectors import (
    activity_get_for,
    period_get_for,
    period_proposed_start,
    period_summary_for,
    periods_overview_for,
    theme_choices_for_period,
)
from bekwaam.register.services import activity_create, activity_delete, period_create, period_update
from bekwaam.tenancy.policy import ActorRequest, actor_view

FILE_BLOCK = 64 * 1024
# A downloaded certificate may run nothing and load nothing else (as the dossier's evidence files).
FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def certificate_url(certificate_id: Any) -> str | None:
    """The Bekwaam certificate's page (credentials app), when that page exists."""
    try:
        return reverse("credentials:certificate", kwargs={"certificate_id": certificate_id})
    except NoReverseMatch:
        return None


# --- the overview ------------------------------------------------------------------------------------------


@require_safe
@actor_view("register.keep")
def overview(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    today = timezone.localdate()
    current, others = periods_overview_for(actor=actor, today=today)
    summary = period_summary_for(actor=actor, period=current.period, today=today) if current else None
    context = {
        "summary": summary,
        "others": others,
        "today": today,
        "points_rule_from": rules.POINTS_RULE_FROM,
        "themes_minimum": rules.THEMES_RULE_MINIMUM,
        "min_level": rules.PointsRules.from_settings().min_level,
        "reminder_months": sorted(settings.REGISTER_REMINDER_MONTHS, reverse=True),
    }
    return render(request, "register/overview.html", context)


# --- periods -----------------------------------------------------------------------------------------------


def _period_data(form: PeriodForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "start_date": data["start_date"],
        "length_years": data["length_years"],
        "registration_number": data["registration_number"],
    }


@require_http_methods(["GET", "POST"])
@actor_view("register.keep")
def period_create_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    proposed = period_proposed_start(actor=actor)
    form = PeriodForm(request.POST or None, initial={"start_date": proposed} if proposed else None)
    if request.method == "POST" and form.is_valid():
        try:
            period = period_create(actor=actor, **_period_data(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Your registration period has been added: %(period)s.") % {"period": str(period)},
            )
            return redirect("register:overview")
    status = 400 if form.is_bound else 200
    return render(request, "register/period_form.html", {"form": form, "period": None}, status=status)


@require_http_methods(["GET", "POST"])
@actor_view("register.keep")
def period_edit(request: ActorRequest, period_id: UUID) -> HttpResponse:
    actor = request.actor
    period = period_get_for(actor=actor, period_id=period_id)
    initial = {
        "start_date": period.start_date,
        "length_years": period.length_years,
        "registration_number": period.registration_number,
    }
    form = PeriodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            period_update(actor=actor, period=period, **_period_data(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("register:overview")
    status = 400 if form.is_bound else 200
    return render(request, "register/period_form.html", {"form": form, "period": period}, status=status)


# --- activities --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view("register.keep")
def activity_create_view(request: ActorRequest, period_id: UUID) -> HttpResponse:
    actor = request.actor
    period: RegistrationPeriod = period_get_for(actor=actor, period_id=period_id)
    kind = request.GET.get("kind", "")
    if kind not in ActivityKind.values:
        if request.method == "POST":
            return redirect("register:activity-create", period_id=period.pk)
        context = {"period": period, "min_level": rules.PointsRules.from_settings().min_level}
        return render(request, "register/activity_kind.html", context)
    form_class = ACTIVITY_FORMS[kind]
    form = form_class(request.POST or None, request.FILES or None, themes=theme_choices_for_period(period=period))
    if request.method == "POST" and form.is_valid():
        try:
            activity = activity_create(actor=actor, period=period, **form.service_data())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” has been added with %(points)s points.")
                % {"title": activity.title, "points": activity.points},
            )
            return redirect("register:activity-detail", activity_id=activity.pk)
    status = 400 if form.is_bound else 200
    context = {
        "period": period,
        "form": form,
        "kind": kind,
        "kind_label": ActivityKind(kind).label,
        "max_size": filesizeformat(settings.EVIDENCE_MAX_BYTES),
        "levels": LearningLevel.choices,
        "min_level": rules.PointsRules.from_settings().min_level,
    }
    return render(request, "register/activity_form.html", context, status=status)


@require_safe
@actor_view("register.keep")
def activity_detail(request: ActorRequest, activity_id: UUID) -> HttpResponse:
    activity = activity_get_for(actor=request.actor, activity_id=activity_id)
    context = {
        "activity": activity,
        "period": activity.period,
        "themes": list(activity.themes.all()),
        "practices": [
            LeadershipPractice(code).label
            for code in activity.leadership_practices
            if code in LeadershipPractice.values
        ],
        "certificate_url": certificate_url(activity.certificate_id) if activity.certificate_id else None,
    }
    return render(request, "register/activity_detail.html", context)


@require_POST
@actor_view("register.keep")
def activity_delete_view(request: ActorRequest, activity_id: UUID) -> HttpResponse:
    activity = activity_get_for(actor=request.actor, activity_id=activity_id)
    try:
        activity_delete(actor=request.actor, activity=activity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("register:activity-detail", activity_id=activity.pk)
    messages.success(request, _("“%(title)s” has been deleted.") % {"title": activity.title})
    return redirect("register:overview")


def _file_chunks(storage: Storage, name: str) -> Iterator[bytes]:
    """The stored file in blocks; opened only once the body is sent, and closed when it ends or is dropped."""
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(FILE_BLOCK):
            yield chunk


@require_safe
@actor_view("register.keep")
def activity_certificate(request: ActorRequest, activity_id: UUID) -> HttpResponseBase:
    """The uploaded certificate, as a download; for a certificate issued in Bekwaam, its own page."""
    activity = activity_get_for(actor=request.actor, activity_id=activity_id)
    if not activity.certificate_file:
        url = certificate_url(activity.certificate_id) if activity.certificate_id else None
        if url is None:
            raise Http404
        return redirect(url)
    storage, name = activity.certificate_file.storage, activity.certificate_file.name or ""
    try:
        size = storage.size(name)
        with storage.open(name, "rb") as handle:
            head = file_head(handle)
    except OSError as error:  # the row is there but its file is not: nothing to send
        raise Http404 from error
    # Sent as the type its content shows (checked on upload as well), never as HTML or SVG.
    content_type = detect_content_type(head) or "application/octet-stream"
    extension = ALLOWED_TYPES.get(content_type, "bin")
    filename = activity.certificate_file_name or f"certificate.{extension}"
    response = FileResponse(_file_chunks(storage, name), content_type=content_type)
    response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    patch_cache_control(response, private=True, no_store=True)
    return response
