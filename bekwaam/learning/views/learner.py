"""The learner's pages: the catalogue (with suggestions, running and completed modules), a module and
starting it, one enrolment, its lessons, the quiz and an attempt's result, lesson material, and setting
a suggestion aside.

Every page needs "learning.learn" (an active employment in the active board). A module is reached
through published_version_get_for (404 outside the board's offer), an enrolment through enrolment_get_for
(404 for anyone else's), a lesson only within its enrolment's version. Services check again; a refused
step comes back as a message.
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import Storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.dossier.uploads import ALLOWED_TYPES
from bekwaam.learning.forms.learner import CatalogueFilterForm, QuizForm
from bekwaam.learning.markdown import render as markdown_render
from bekwaam.learning.models import Enrolment
from bekwaam.learning.selectors import enrolment_get_for, published_version_get_for
from bekwaam.learning.selectors.learner import (
    attempt_get_for,
    attempt_rows,
    attempts_of,
    catalogue_choices_for,
    catalogue_list_for,
    catalogue_rows,
    completion_of,
    completions_for,
    continue_url,
    course_page_for,
    lesson_get_for,
    lesson_url,
    material_get_for,
    materials_of,
    newer_version_of,
    progress_of,
    questions_of,
    running_for,
    suggestion_get_for,
    suggestions_for,
)
from bekwaam.learning.services import learner as services
from bekwaam.learning.video import video_embed
from bekwaam.lib.forms import apply_validation_error
from bekwaam.tenancy.policy import ActorRequest, actor_view

LEARN = "learning.learn"
AUTHOR = "learning.author"
PAGE_SIZE = 25
FILE_BLOCK = 64 * 1024
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
# An image shown inline runs in a sandbox that loads nothing but itself.
IMAGE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
DOWNLOAD_CSP = "sandbox; default-src 'none'"


def _enrolment_url(enrolment: Enrolment) -> str:
    return reverse("learning:enrolment", kwargs={"enrolment_id": enrolment.pk})


# --- the catalogue ----------------------------------------------------------------------------------


@require_safe
@actor_view(LEARN)
def catalogue(request: ActorRequest) -> HttpResponse:
    """Suggestions, running and completed modules, then the board's offer, filtered and paginated."""
    actor = request.actor
    form = CatalogueFilterForm(request.GET or None, choices=catalogue_choices_for(actor=actor))
    filters = {}
    if form.is_bound:
        form.is_valid()
        for name in form.errors:
            label = form.fields[name].label if name in form.fields else name
            messages.warning(
                request,
                _("The filter “%(filter)s” had a value that is not on offer; it has been left out.")
                % {"filter": label},
            )
        filters = form.filters()
    page = Paginator(catalogue_list_for(actor=actor, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": catalogue_rows(actor=actor, versions=list(page.object_list)),
        "filtered": any(filters.values()),
        "suggestions": suggestions_for(actor=actor),
        "running": running_for(actor=actor),
        "completions": list(completions_for(actor=actor)),
    }
    return render(request, "learning/learner/catalogue.html", context)


@require_POST
@actor_view(LEARN)
def suggestion_dismiss(request: ActorRequest, suggestion_id: UUID) -> HttpResponse:
    suggestion = suggestion_get_for(actor=request.actor, suggestion_id=suggestion_id)
    services.suggestion_dismiss(actor=request.actor, suggestion=suggestion)
    messages.success(request, _("The suggestion has been set aside. You can still find the module in the catalogue."))
    return redirect("learning:catalogue")


# --- one module -------------------------------------------------------------------------------------


@require_safe
@actor_view(LEARN)
def course(request: ActorRequest, course_id: UUID) -> HttpResponse:
    actor = request.actor
    version = published_version_get_for(actor=actor, course_id=course_id)
    page = course_page_for(actor=actor, version=version)
    running_progress = progress_of(page.running) if page.running is not None else None
    running_url = continue_url(page.running, running_progress) if page.running and running_progress else ""
    context = {"page": page, "version": version, "running_progress": running_progress, "running_url": running_url}
    return render(request, "learning/learner/course.html", context)


@require_POST
@actor_view(LEARN)
def start(request: ActorRequest, course_id: UUID) -> HttpResponse:
    """Start the published version (or go on with the enrolment already there)."""
    actor = request.actor
    version = published_version_get_for(actor=actor, course_id=course_id)
    try:
        enrolment, created = services.enrolment_start(actor=actor, version=version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("learning:course", course_id=course_id)
    if created:
        messages.success(request, _("You have started “%(title)s”. Your progress is kept.") % {"title": version.title})
    elif enrolment.completed_at is not None:
        messages.info(request, _("You have already completed this module."))
        return redirect(_enrolment_url(enrolment))
    else:
        messages.info(request, _("You are already working on this module: you continue where you left off."))
    return redirect(continue_url(enrolment, progress_of(enrolment)))


# --- one enrolment ----------------------------------------------------------------------------------


@require_safe
@actor_view(LEARN)
def enrolment(request: ActorRequest, enrolment_id: UUID) -> HttpResponse:
    """The person's module as they started it: lessons with their progress, the quiz, the attempts."""
    found = enrolment_get_for(actor=request.actor, enrolment_id=enrolment_id)
    progress = progress_of(found)
    context = {
        "enrolment": found,
        "version": found.version,
        "progress": progress,
        "continue_url": continue_url(found, progress),
        "attempts": attempts_of(found),
        "completion": completion_of(found),
        "newer": newer_version_of(found),
    }
    return render(request, "learning/learner/enrolment.html", context)


@require_safe
@actor_view(LEARN)
def lesson(request: ActorRequest, enrolment_id: UUID, lesson_id: UUID) -> HttpResponse:
    found = enrolment_get_for(actor=request.actor, enrolment_id=enrolment_id)
    current = lesson_get_for(enrolment=found, lesson_id=lesson_id)
    progress = progress_of(found)
    previous, following = progress.neighbours(current)
    context = {
        "enrolment": found,
        "version": found.version,
        "lesson": current,
        "body": markdown_render(current.body),
        "video": video_embed(current.video_url),
        "materials": materials_of(current),
        "progress": progress,
        "number": progress.number_of(current),
        "done": progress.is_done(current),
        "previous": previous,
        "following": following,
        "newer": newer_version_of(found) if found.completed_at is None else None,
    }
    return render(request, "learning/learner/lesson.html", context)


@require_POST
@actor_view(LEARN)
def lesson_done(request: ActorRequest, enrolment_id: UUID, lesson_id: UUID) -> HttpResponse:
    """Mark the lesson done and go on: the next lesson not done yet, else the quiz."""
    found = enrolment_get_for(actor=request.actor, enrolment_id=enrolment_id)
    current = lesson_get_for(enrolment=found, lesson_id=lesson_id)
    services.lesson_mark_done(actor=request.actor, enrolment=found, lesson=current)
    progress = progress_of(found)
    following = progress.next_undone(current.pk)
    if following is not None:
        return redirect(lesson_url(found, following))
    if found.completed_at is not None:
        return redirect(_enrolment_url(found))
    messages.success(request, _("You have done every lesson. Now show what you learned in the quiz."))
    return redirect("learning:quiz", enrolment_id=found.pk)


# --- the quiz ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view(LEARN)
def quiz(request: ActorRequest, enrolment_id: UUID) -> HttpResponse:
    """All questions of the enrolment's version; answers are judged by the service, on the server."""
    actor = request.actor
    found = enrolment_get_for(actor=actor, enrolment_id=enrolment_id)
    if request.method == "POST" and found.completed_at is not None:
        messages.error(request, services.already_completed_message())
        return redirect(_enrolment_url(found))
    questions = questions_of(found.version)
    # Bound on every POST, even an empty one: no answers at all is a form with errors, not a fresh form.
    form = QuizForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.quiz_submit(actor=actor, enrolment=found, answers=form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # about the module, not an answer: completed, lessons left
                for message in error.messages:
                    messages.error(request, message)
                return redirect(_enrolment_url(found))
            apply_validation_error(form, error)
        else:
            return redirect("learning:attempt", enrolment_id=found.pk, number=attempt.number)
    progress = progress_of(found)
    context = {
        "enrolment": found,
        "version": found.version,
        "form": form,
        "questions": questions,
        "progress": progress,
        "first_undone": progress.next_undone(None),
    }
    return render(request, "learning/learner/quiz.html", context, status=400 if form.is_bound else 200)


@require_safe
@actor_view(LEARN)
def attempt(request: ActorRequest, enrolment_id: UUID, number: int) -> HttpResponse:
    """The result of one attempt: the score, the pass mark, and per question right or wrong."""
    found = enrolment_get_for(actor=request.actor, enrolment_id=enrolment_id)
    result = attempt_get_for(enrolment=found, number=number)
    context = {
        "enrolment": found,
        "version": found.version,
        "attempt": result,
        "rows": attempt_rows(result, questions_of(found.version)),
        "completion": completion_of(found) if result.passed else None,
        "may_retry": found.completed_at is None,
    }
    return render(request, "learning/learner/attempt.html", context)


# --- lesson material --------------------------------------------------------------------------------


def _file_chunks(storage: Storage, name: str) -> Iterator[bytes]:
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(FILE_BLOCK):
            yield chunk


@require_safe
@actor_view()
def material(request: ActorRequest, material_id: UUID) -> FileResponse:
    """A lesson's file, as a download under its original name; an image with ?inline=1 is shown (for a
    Markdown image in the lesson text). Only for people who may see that version (material_get_for)."""
    actor = request.actor
    if not (rules.test_rule(LEARN, actor) or rules.test_rule(AUTHOR, actor)):
        raise PermissionDenied
    found = material_get_for(actor=actor, material_id=material_id)
    storage, name = found.file.storage, found.file.name or ""
    try:
        size = storage.size(name)
    except OSError as error:  # the row is there but its file is not: nothing to send
        raise Http404 from error
    # Sent as the type detected from its content at upload; never as HTML or SVG.
    content_type = found.content_type if found.content_type in ALLOWED_TYPES else "application/octet-stream"
    inline = request.GET.get("inline") == "1" and content_type in IMAGE_TYPES
    filename = found.original_name or f"material.{ALLOWED_TYPES.get(content_type, 'bin')}"
    response = FileResponse(_file_chunks(storage, name), content_type=content_type)
    response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = IMAGE_CSP if inline else DOWNLOAD_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    patch_cache_control(response, private=True, no_store=True)
    return response
