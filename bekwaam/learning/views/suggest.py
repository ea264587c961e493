"""A leidinggevende suggests a module to one of their people, and sees what became of their suggestions.

Needs "learning.suggest" (a leidinggevende at the active board); everyone else gets 403. The people to choose
from are the ones the actor leads now (tenancy.selectors.team_members_for); the modules, the published ones the
board's people may take. Suggesting writes only the suggestion: the person decides.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bekwaam.learning.forms.editor import SuggestionForm
from bekwaam.learning.selectors import published_versions_for
from bekwaam.learning.selectors.figures import suggestion_rows_for
from bekwaam.learning.services.suggest import suggestion_create
from bekwaam.lib.forms import apply_validation_error
from bekwaam.tenancy.policy import ActorRequest, actor_view
from bekwaam.tenancy.selectors import team_members_for

PAGE_SIZE = 50


def _people(request: ActorRequest) -> list[Any]:
    """The people the actor leads, once each (someone may work at two of the actor's schools)."""
    seen: set[Any] = set()
    people = []
    for employment in team_members_for(actor=request.actor):
        if employment.person_id not in seen:
            seen.add(employment.person_id)
            people.append(employment)
    return people


def _initial(request: HttpRequest) -> dict[str, str]:
    return {key: request.GET[key] for key in ("person", "course") if key in request.GET}


@require_http_methods(["GET", "POST"])
@actor_view("learning.suggest")
def suggest(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    versions = list(published_versions_for(actor=actor).order_by("title"))
    people = _people(request)
    data = request.POST if request.method == "POST" else None
    form = SuggestionForm(data, initial=_initial(request), people=people, versions=versions)
    if request.method == "POST" and form.is_valid():
        try:
            suggestion = suggestion_create(
                actor=actor,
                person_id=form.cleaned_data["person"],
                course_id=form.cleaned_data["course"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Your suggestion has been sent to %(name)s. They decide whether to take the module.")
                % {"name": suggestion.person.full_name},
            )
            return redirect("learning:suggest")
    page = Paginator(suggestion_rows_for(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "has_people": bool(people), "has_modules": bool(versions)}
    return render(request, "learning/editor/suggest.html", context, status=400 if request.method == "POST" else 200)
