"""The beheerder's framework pages: resolve → validate → one service → page or redirect.

Every page works without JavaScript: a draft version's page shows its tree with a link to edit each
part and buttons to move or delete it; each form has its own page too, where errors are shown with
what was typed (status 400).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.frameworks import forms, schema, selectors, services
from bekwaam.frameworks.models import Framework, FrameworkKind, FrameworkVersion
from bekwaam.lib.forms import apply_validation_error
from bekwaam.tenancy.policy import ActorRequest, actor_view

MANAGE = "frameworks.manage"

# The editor's words per kind: a kijkwijzer has observation domains, items and look-fors where a
# competence framework has domains, competences and indicators (decision 0007).
_WORDS: dict[str, dict[str, Promise]] = {
    FrameworkKind.COMPETENCES: {
        "domain_add": gettext_lazy("Add a domain"),
        "domain_add_submit": gettext_lazy("Add domain"),
        "domain_added": gettext_lazy("The domain has been added."),
        "domain_title": gettext_lazy("Domain %(code)s"),
        "domain_saved": gettext_lazy("The domain has been saved."),
        "domain_deleted": gettext_lazy("Domain %(code)s has been deleted."),
        "competence_add": gettext_lazy("Add a competence to %(code)s %(name)s"),
        "competence_add_submit": gettext_lazy("Add competence"),
        "competence_added": gettext_lazy("The competence has been added."),
        "competence_title": gettext_lazy("Competence %(code)s"),
        "competence_saved": gettext_lazy("The competence has been saved."),
        "competence_deleted": gettext_lazy("Competence %(code)s has been deleted."),
        "indicator_add": gettext_lazy("Add an indicator to %(code)s %(name)s"),
        "indicator_add_submit": gettext_lazy("Add indicator"),
        "indicator_added": gettext_lazy("The indicator has been added."),
        "indicator_title": gettext_lazy("Indicator %(code)s"),
        "indicator_saved": gettext_lazy("The indicator has been saved."),
        "indicator_deleted": gettext_lazy("Indicator %(code)s has been deleted."),
    },
    FrameworkKind.OBSERVATION: {
        "domain_add": gettext_lazy("Add an observation domain"),
        "domain_add_submit": gettext_lazy("Add observation domain"),
        "domain_added": gettext_lazy("The observation domain has been added."),
        "domain_title": gettext_lazy("Observation domain %(code)s"),
        "domain_saved": gettext_lazy("The observation domain has been saved."),
        "domain_deleted": gettext_lazy("Observation domain %(code)s has been deleted."),
        "competence_add": gettext_lazy("Add an item to %(code)s %(name)s"),
        "competence_add_submit": gettext_lazy("Add item"),
        "competence_added": gettext_lazy("The item has been added."),
        "competence_title": gettext_lazy("Item %(code)s"),
        "competence_saved": gettext_lazy("The item has been saved."),
        "competence_deleted": gettext_lazy("Item %(code)s has been deleted."),
        "indicator_add": gettext_lazy("Add a look-for to %(code)s %(name)s"),
        "indicator_add_submit": gettext_lazy("Add look-for"),
        "indicator_added": gettext_lazy("The look-for has been added."),
        "indicator_title": gettext_lazy("Look-for %(code)s"),
        "indicator_saved": gettext_lazy("The look-for has been saved."),
        "indicator_deleted": gettext_lazy("Look-for %(code)s has been deleted."),
    },
}


def _word(framework: Framework, key: str, **params: Any) -> str:
    """An editor message in the words of the framework's kind, with its parameters filled in."""
    text = str(_WORDS.get(framework.kind, _WORDS[FrameworkKind.COMPETENCES])[key])
    return text % params if params else text


def _is_kijkwijzer(framework: Framework) -> bool:
    return framework.kind == FrameworkKind.OBSERVATION


def _version_url(version: FrameworkVersion, anchor: str = "") -> str:
    url = reverse("frameworks:version-detail", kwargs={"version_id": version.pk})
    return f"{url}#{anchor}" if anchor else url


def _download(data: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(schema.dumps(data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _refuse(request: ActorRequest, error: ValidationError, version: FrameworkVersion, anchor: str = "") -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(_version_url(version, anchor))


# --- frameworks -------------------------------------------------------------------------------------


@require_safe
@actor_view(MANAGE)
def framework_list(request: ActorRequest) -> HttpResponse:
    frameworks = list(selectors.framework_list_for(actor=request.actor))
    return render(
        request,
        "frameworks/framework_list.html",
        {
            "competence_frameworks": [f for f in frameworks if not _is_kijkwijzer(f)],
            "kijkwijzers": [f for f in frameworks if _is_kijkwijzer(f)],
            "shipped": selectors.shipped_not_adopted_for(actor=request.actor),
        },
    )


@require_POST
@actor_view(MANAGE)
def framework_adopt(request: ActorRequest) -> HttpResponse:
    try:
        framework = services.framework_adopt(actor=request.actor, slug=request.POST.get("slug", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("frameworks:framework-list")
    messages.success(request, _("%(name)s has been adopted.") % {"name": framework.name})
    return redirect("frameworks:framework-detail", framework_id=framework.pk)


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def framework_create(request: ActorRequest) -> HttpResponse:
    # "New kijkwijzer" on the list page opens this form with the kind chosen (?kind=observation).
    kind = request.GET.get("kind")
    initial = {"kind": kind} if kind in FrameworkKind.values else None
    form = forms.FrameworkCreateForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                framework = services.framework_create(actor=request.actor, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("The kijkwijzer has been created. Fill in its first version.")
                    if _is_kijkwijzer(framework)
                    else _("The framework has been created. Fill in its first version."),
                )
                draft = framework.versions.get()
                return redirect(_version_url(draft))
        status = 400
    context = {
        "form": form,
        "title": _("New framework"),
        "submit": _("Create framework"),
        "back": reverse("frameworks:framework-list"),
    }
    return render(request, "frameworks/item_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def framework_import(request: ActorRequest) -> HttpResponse:
    frameworks = selectors.framework_list_for(actor=request.actor)
    if request.method != "POST":
        form = forms.ImportForm(frameworks=frameworks)
        return render(request, "frameworks/framework_import.html", {"form": form})
    form = forms.ImportForm(request.POST, request.FILES, frameworks=frameworks)
    if form.is_valid():
        try:
            result = services.framework_import(
                actor=request.actor, content=form.cleaned_data["file"].read(), target=form.cleaned_data["target"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if result.kind == "mahara":
                messages.success(
                    request,
                    _(
                        "The Mahara matrix has been imported as a draft of %(name)s. Check the codes and the "
                        "rating scale, then publish it."
                    )
                    % {"name": result.framework.name},
                )
                return redirect(_version_url(result.versions[0]))
            messages.success(
                request,
                _("%(name)s: %(count)s published version(s) imported.")
                % {"name": result.framework.name, "count": len(result.versions)},
            )
            return redirect("frameworks:framework-detail", framework_id=result.framework.pk)
    return render(request, "frameworks/framework_import.html", {"form": form}, status=400)


@require_safe
@actor_view(MANAGE)
def framework_detail(request: ActorRequest, framework_id: UUID) -> HttpResponse:
    framework = selectors.framework_get_for(actor=request.actor, framework_id=framework_id)
    versions = list(selectors.version_list_for(actor=request.actor, framework=framework))
    context = {
        "framework": framework,
        "kijkwijzer": _is_kijkwijzer(framework),
        "versions": versions,
        "has_draft": any(not v.is_published for v in versions),
        "has_published": any(v.is_published for v in versions),
    }
    return render(request, "frameworks/framework_detail.html", context)


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def framework_update(request: ActorRequest, framework_id: UUID) -> HttpResponse:
    framework = selectors.framework_get_for(actor=request.actor, framework_id=framework_id)
    initial = {"name": framework.name, "audience": framework.audience, "source": framework.source}
    form = forms.FrameworkForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.framework_update(actor=request.actor, framework=framework, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The framework has been saved."))
                return redirect("frameworks:framework-detail", framework_id=framework.pk)
        status = 400
    back = reverse("frameworks:framework-detail", kwargs={"framework_id": framework.pk})
    context = {
        "form": form,
        "title": framework.name,
        "submit": _("Save"),
        "back": back,
        "framework": framework,
        "kijkwijzer": _is_kijkwijzer(framework),
    }
    return render(request, "frameworks/item_form.html", context, status=status)


@require_safe
@actor_view(MANAGE)
def framework_export(request: ActorRequest, framework_id: UUID) -> HttpResponse:
    framework = selectors.framework_get_for(actor=request.actor, framework_id=framework_id)
    if not selectors.framework_has_published(framework=framework):
        raise Http404
    return _download(selectors.framework_export_for(actor=request.actor, framework=framework), f"{framework.slug}.json")


@require_POST
@actor_view(MANAGE)
def version_create_draft(request: ActorRequest, framework_id: UUID) -> HttpResponse:
    framework = selectors.framework_get_for(actor=request.actor, framework_id=framework_id)
    try:
        draft = services.version_create_draft(actor=request.actor, framework=framework)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("frameworks:framework-detail", framework_id=framework.pk)
    messages.success(request, _("Version %(number)s has been started as a draft.") % {"number": draft.number})
    return redirect(_version_url(draft))


# --- versions ---------------------------------------------------------------------------------------


@require_safe
@actor_view(MANAGE)
def version_detail(request: ActorRequest, version_id: UUID) -> HttpResponse:
    version = selectors.version_get_for(actor=request.actor, version_id=version_id)
    context: dict[str, Any] = {
        "version": version,
        "framework": version.framework,
        "kijkwijzer": _is_kijkwijzer(version.framework),
        "draft": not version.is_published,
    }
    context["tree"] = selectors.version_tree(version=version)
    if not version.is_published:
        context.update(
            {
                "problems": services.version_problems(version),
                "scale_form": forms.ScaleLevelForm(
                    initial={"value": max((s.value for s in context["tree"].scale_levels), default=0) + 1},
                    auto_id="id_scale_%s",
                ),
                "domain_form": forms.DomainForm(new=True, auto_id="id_domain_%s"),
            }
        )
    return render(request, "frameworks/version_detail.html", context)


@require_safe
@actor_view(MANAGE)
def version_export(request: ActorRequest, version_id: UUID) -> HttpResponse:
    version = selectors.version_get_for(actor=request.actor, version_id=version_id)
    data = selectors.version_export_for(actor=request.actor, version=version)
    return _download(data, f"{version.framework.slug}-v{version.number}.json")


@require_POST
@actor_view(MANAGE)
def version_publish(request: ActorRequest, version_id: UUID) -> HttpResponse:
    version = selectors.version_get_for(actor=request.actor, version_id=version_id)
    try:
        services.version_publish(actor=request.actor, version=version)
    except ValidationError as error:
        return _refuse(request, error, version)
    messages.success(request, _("Version %(number)s has been published.") % {"number": version.number})
    return redirect(_version_url(version))


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def version_delete(request: ActorRequest, version_id: UUID) -> HttpResponse:
    version = selectors.version_get_for(actor=request.actor, version_id=version_id)
    if version.is_published:
        return _refuse(
            request, ValidationError(_("A published version cannot be deleted: measurements use it.")), version
        )
    if request.method == "POST":
        try:
            framework_removed = services.version_delete(actor=request.actor, version=version)
        except ValidationError as error:
            return _refuse(request, error, version)
        messages.success(request, _("The draft has been deleted."))
        if framework_removed:
            return redirect("frameworks:framework-list")
        return redirect("frameworks:framework-detail", framework_id=version.framework_id)
    only_version = not version.framework.versions.exclude(pk=version.pk).exists()
    context = {"version": version, "only_version": only_version, "kijkwijzer": _is_kijkwijzer(version.framework)}
    return render(request, "frameworks/version_delete.html", context)


# --- one form per part of a draft -------------------------------------------------------------------


def _part_form(
    request: ActorRequest,
    *,
    version: FrameworkVersion,
    form: django_forms.Form,
    save: Callable[[dict[str, Any]], Any],
    anchor: Callable[[Any], str],
    title: str,
    submit: str,
    success: str,
) -> HttpResponse:
    """GET: the form on its own page; POST: save through the service and go back to the version."""
    if version.is_published:
        return _refuse(
            request,
            ValidationError(_("This version has been published and can no longer be changed.")),
            version,
        )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = save(form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, success)
                return redirect(_version_url(version, anchor(saved)))
        status = 400
    context = {
        "form": form,
        "title": title,
        "submit": submit,
        "back": _version_url(version),
        "version": version,
        "framework": version.framework,
        "kijkwijzer": _is_kijkwijzer(version.framework),
    }
    return render(request, "frameworks/item_form.html", context, status=status)


def _data(request: ActorRequest) -> Any:
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def version_update(request: ActorRequest, version_id: UUID) -> HttpResponse:
    actor = request.actor
    version = selectors.version_get_for(actor=actor, version_id=version_id)
    initial = {"label": version.label, "scale_name": version.scale_name, "notes": version.notes}
    return _part_form(
        request,
        version=version,
        form=forms.VersionForm(_data(request), initial=initial),
        save=lambda data: services.version_update(actor=actor, version=version, **data),
        anchor=lambda _saved: "",
        title=_("Version details"),
        submit=_("Save"),
        success=_("The version details have been saved."),
    )


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def scale_level_create(request: ActorRequest, version_id: UUID) -> HttpResponse:
    actor = request.actor
    version = selectors.version_get_for(actor=actor, version_id=version_id)
    return _part_form(
        request,
        version=version,
        form=forms.ScaleLevelForm(_data(request)),
        save=lambda data: services.scale_level_create(actor=actor, version=version, **data),
        anchor=lambda _saved: "scale",
        title=_("Add a level to the rating scale"),
        submit=_("Add level"),
        success=_("The level has been added."),
    )


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def scale_level_update(request: ActorRequest, version_id: UUID, level_id: int) -> HttpResponse:
    actor = request.actor
    version = selectors.version_get_for(actor=actor, version_id=version_id)
    level = selectors.scale_level_get_for(actor=actor, version=version, level_id=level_id)
    initial = {"value": level.value, "label": level.label, "description": level.description}
    return _part_form(
        request,
        version=version,
        form=forms.ScaleLevelForm(_data(request), initial=initial),
        save=lambda data: services.scale_level_update(actor=actor, level=level, **data),
        anchor=lambda _saved: "scale",
        title=_("Level %(value)s: %(label)s") % {"value": level.value, "label": level.label},
        submit=_("Save"),
        success=_("The level has been saved."),
    )


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def domain_create(request: ActorRequest, version_id: UUID) -> HttpResponse:
    actor = request.actor
    version = selectors.version_get_for(actor=actor, version_id=version_id)
    return _part_form(
        request,
        version=version,
        form=forms.DomainForm(_data(request), new=True),
        save=lambda data: services.domain_create(actor=actor, version=version, **data),
        anchor=lambda domain: f"domain-{domain.pk}",
        title=_word(version.framework, "domain_add"),
        submit=_word(version.framework, "domain_add_submit"),
        success=_word(version.framework, "domain_added"),
    )


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def domain_update(request: ActorRequest, version_id: UUID, domain_id: int) -> HttpResponse:
    actor = request.actor
    version = selectors.version_get_for(actor=actor, version_id=version_id)
    domain = selectors.domain_get_for(actor=actor, version=version, domain_id=domain_id)
    initial = {"code": domain.code, "name": domain.name, "description": domain.description}
    return _part_form(
        request,
        version=version,
        form=forms.DomainForm(_data(request), initial=initial),
        save=lambda data: services.domain_update(actor=actor, domain=domain, **data),
        anchor=lambda saved: f"domain-{saved.pk}",
        title=_word(version.framework, "domain_title", code=domain.code),
        submit=_("Save"),
        success=_word(version.framework, "domain_saved"),
    )


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def competence_create(request: ActorRequest, version_id: UUID, domain_id: int) -> HttpResponse:
    actor = request.actor
    version = selectors.version_get_for(actor=actor, version_id=version_id)
    domain = selectors.domain_get_for(actor=actor, version=version, domain_id=domain_id)
    return _part_form(
        request,
        version=version,
        form=forms.CompetenceForm(_data(request), new=True, observation=_is_kijkwijzer(version.framework)),
        save=lambda data: services.competence_create(actor=actor, domain=domain, **data),
        anchor=lambda competence: f"competence-{competence.pk}",
        title=_word(version.framework, "competence_add", code=domain.code, name=domain.name),
        submit=_word(version.framework, "competence_add_submit"),
        success=_word(version.framework, "competence_added"),
    )


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def competence_update(request: ActorRequest, version_id: UUID, competence_id: int) -> HttpResponse:
    actor = request.actor
    version = selectors.version_get_for(actor=actor, version_id=version_id)
    competence = selectors.competence_get_for(actor=actor, version=version, competence_id=competence_id)
    initial = {
        "code": competence.code,
        "name": competence.name,
        "description": competence.description,
        "domain": competence.domain_id,
    }
    return _part_form(
        request,
        version=version,
        form=forms.CompetenceEditForm(
            _data(request), initial=initial, version=version, observation=_is_kijkwijzer(version.framework)
        ),
        save=lambda data: services.competence_update(actor=actor, competence=competence, **data),
        anchor=lambda saved: f"competence-{saved.pk}",
        title=_word(version.framework, "competence_title", code=competence.code),
        submit=_("Save"),
        success=_word(version.framework, "competence_saved"),
    )


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def indicator_create(request: ActorRequest, version_id: UUID, competence_id: int) -> HttpResponse:
    actor = request.actor
    version = selectors.version_get_for(actor=actor, version_id=version_id)
    competence = selectors.competence_get_for(actor=actor, version=version, competence_id=competence_id)
    return _part_form(
        request,
        version=version,
        form=forms.IndicatorForm(_data(request), new=True, observation=_is_kijkwijzer(version.framework)),
        save=lambda data: services.indicator_create(actor=actor, competence=competence, **data),
        anchor=lambda indicator: f"indicator-{indicator.pk}",
        title=_word(version.framework, "indicator_add", code=competence.code, name=competence.name),
        submit=_word(version.framework, "indicator_add_submit"),
        success=_word(version.framework, "indicator_added"),
    )


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def indicator_update(request: ActorRequest, version_id: UUID, indicator_id: int) -> HttpResponse:
    actor = request.actor
    version = selectors.version_get_for(actor=actor, version_id=version_id)
    indicator = selectors.indicator_get_for(actor=actor, version=version, indicator_id=indicator_id)
    return _part_form(
        request,
        version=version,
        form=forms.IndicatorForm(
            _data(request),
            initial={"code": indicator.code, "text": indicator.text},
            observation=_is_kijkwijzer(version.framework),
        ),
        save=lambda data: services.indicator_update(actor=actor, indicator=indicator, **data),
        anchor=lambda saved: f"indicator-{saved.pk}",
        title=_word(version.framework, "indicator_title", code=indicator.code),
        submit=_("Save"),
        success=_word(version.framework, "indicator_saved"),
    )


# --- delete and move (buttons on the version page) --------------------------------------------------


def _part_action(
    request: ActorRequest, version: FrameworkVersion, action: Callable[[], None], success: str, anchor: str
) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        return _refuse(request, error, version, anchor)
    if success:
        messages.success(request, success)
    return redirect(_version_url(version, anchor))


def _direction(request: ActorRequest) -> str:
    form = forms.MoveForm(request.POST)
    return str(form.cleaned_data["direction"]) if form.is_valid() else ""


@require_POST
@actor_view(MANAGE)
def scale_level_delete(request: ActorRequest, version_id: UUID, level_id: int) -> HttpResponse:
    version = selectors.version_get_for(actor=request.actor, version_id=version_id)
    level = selectors.scale_level_get_for(actor=request.actor, version=version, level_id=level_id)
    return _part_action(
        request,
        version,
        lambda: services.scale_level_delete(actor=request.actor, level=level),
        _("The level has been deleted."),
        "scale",
    )


@require_POST
@actor_view(MANAGE)
def scale_level_move(request: ActorRequest, version_id: UUID, level_id: int) -> HttpResponse:
    version = selectors.version_get_for(actor=request.actor, version_id=version_id)
    level = selectors.scale_level_get_for(actor=request.actor, version=version, level_id=level_id)
    direction = _direction(request)
    return _part_action(
        request,
        version,
        lambda: services.scale_level_move(actor=request.actor, level=level, direction=direction),
        "",
        "scale",
    )


@require_POST
@actor_view(MANAGE)
def domain_delete(request: ActorRequest, version_id: UUID, domain_id: int) -> HttpResponse:
    version = selectors.version_get_for(actor=request.actor, version_id=version_id)
    domain = selectors.domain_get_for(actor=request.actor, version=version, domain_id=domain_id)
    return _part_action(
        request,
        version,
        lambda: services.domain_delete(actor=request.actor, domain=domain),
        _word(version.framework, "domain_deleted", code=domain.code),
        "domains",
    )


@require_POST
@actor_view(MANAGE)
def domain_move(request: ActorRequest, version_id: UUID, domain_id: int) -> HttpResponse:
    version = selectors.version_get_for(actor=request.actor, version_id=version_id)
    domain = selectors.domain_get_for(actor=request.actor, version=version, domain_id=domain_id)
    direction = _direction(request)
    return _part_action(
        request,
        version,
        lambda: services.domain_move(actor=request.actor, domain=domain, direction=direction),
        "",
        f"domain-{domain.pk}",
    )


@require_POST
@actor_view(MANAGE)
def competence_delete(request: ActorRequest, version_id: UUID, competence_id: int) -> HttpResponse:
    version = selectors.version_get_for(actor=request.actor, version_id=version_id)
    competence = selectors.competence_get_for(actor=request.actor, version=version, competence_id=competence_id)
    return _part_action(
        request,
        version,
        lambda: services.competence_delete(actor=request.actor, competence=competence),
        _word(version.framework, "competence_deleted", code=competence.code),
        f"domain-{competence.domain_id}",
    )


@require_POST
@actor_view(MANAGE)
def competence_move(request: ActorRequest, version_id: UUID, competence_id: int) -> HttpResponse:
    version = selectors.version_get_for(actor=request.actor, version_id=version_id)
    competence = selectors.competence_get_for(actor=request.actor, version=version, competence_id=competence_id)
    direction = _direction(request)
    return _part_action(
        request,
        version,
        lambda: services.competence_move(actor=request.actor, competence=competence, direction=direction),
        "",
        f"competence-{competence.pk}",
    )


@require_POST
@actor_view(MANAGE)
def indicator_delete(request: ActorRequest, version_id: UUID, indicator_id: int) -> HttpResponse:
    version = selectors.version_get_for(actor=request.actor, version_id=version_id)
    indicator = selectors.indicator_get_for(actor=request.actor, version=version, indicator_id=indicator_id)
    return _part_action(
        request,
        version,
        lambda: services.indicator_delete(actor=request.actor, indicator=indicator),
        _word(version.framework, "indicator_deleted", code=indicator.code),
        f"competence-{indicator.competence_id}",
    )


@require_POST
@actor_view(MANAGE)
def indicator_move(request: ActorRequest, version_id: UUID, indicator_id: int) -> HttpResponse:
    version = selectors.version_get_for(actor=request.actor, version_id=version_id)
    indicator = selectors.indicator_get_for(actor=request.actor, version=version, indicator_id=indicator_id)
    direction = _direction(request)
    return _part_action(
        request,
        version,
        lambda: services.indicator_move(actor=request.actor, indicator=indicator, direction=direction),
        "",
        f"indicator-{indicator.pk}",
    )
