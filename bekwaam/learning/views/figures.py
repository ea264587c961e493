"""A module's completion figures for its authors (selectors.figures decides what each author sees)."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bekwaam.learning.selectors import author_course_get_for
from bekwaam.learning.selectors import editor as editor_selectors
from bekwaam.learning.selectors.figures import course_figures_for
from bekwaam.tenancy.policy import ActorRequest, actor_view


@require_safe
@actor_view("learning.author")
def editor_figures(request: ActorRequest, course_id: UUID) -> HttpResponse:
    """Started, running, completed and the average score per version and in total; per board (an aanbieder,
    counts only, small boards withheld) or the board's own people by name (a board)."""
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    versions = editor_selectors.course_versions(course=course)
    figures = course_figures_for(actor=request.actor, course=course, page=request.GET.get("page", 1))
    context = {"course": course, "title": editor_selectors.shown_version(versions).title, "figures": figures}
    return render(request, "learning/editor/figures.html", context)
