"""The public answer page behind a personal link: no account needed, the link is the right (a bearer token).

Security (docs/feedback.md, "The personal links"):
- The token is 256 random bits; only its SHA-256 is stored. An unknown or tampered token gets a plain
  "link not valid" page with status 404, the same for every visitor, so nothing can be learnt from it.
- The lookup by token is the one unscoped query (selectors.invitation_by_token); the rest of the request
  runs in the scope of that invitation's board and reads only that round and that invitation's answer.
  A signed-in visitor of another board is served the same way: the link, not the account, decides.
- The page shows the round's title, message and questions and the owner's name: nothing else of theirs.
- Not indexed (X-Robots-Tag), not cached, and no Referer to other sites: the token is in the URL.
  The policy is "same-origin", pinned on this page whatever the site's default: "no-referrer" would
  also make browsers send "Origin: null" with the page's own form, which CSRF protection (kept on
  purpose) must refuse. The page loads nothing from elsewhere and links nowhere else (CSP "self").
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_scopes import scope

from bekwaam.feedback.forms import CANNOT_JUDGE, AnswerForm
from bekwaam.feedback.models import FeedbackInvitation, QuestionKind, Relation
from bekwaam.feedback.selectors import invitation_by_token
from bekwaam.feedback.selectors.answers import question_sheet_for, saved_answer_for
from bekwaam.feedback.services.answers import (
    ANSWERED,
    CLOSED,
    EXPIRED,
    AnswerRefusedError,
    refusal_for,
    response_save,
)
from bekwaam.lib.forms import apply_validation_error

REFUSAL_STATUS = {CLOSED: 410, EXPIRED: 410}


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    add_never_cache_headers(response)
    return response


def _initial(invitation: FeedbackInvitation) -> dict[str, object]:
    response, answers = saved_answer_for(invitation=invitation)
    initial: dict[str, object] = {
        "relation": response.relation if response is not None else invitation.relation,
        "named": bool(response and response.named),
    }
    for question_id, answer in answers.items():
        if answer.text:
            initial[f"q{question_id}"] = answer.text
        else:
            initial[f"q{question_id}"] = CANNOT_JUDGE if answer.value is None else str(answer.value)
    return initial


def _answer(request: HttpRequest, invitation: FeedbackInvitation) -> HttpResponse:
    round_ = invitation.round
    refusal = refusal_for(invitation, round_)
    context: dict[str, object] = {
        "round": round_,
        "invitation": invitation,
        "owner_name": round_.owner.full_name,
        "threshold": settings.FEEDBACK_MIN_GROUP_SIZE,
        "hide_navigation": True,
    }
    if refusal == ANSWERED:
        return render(request, "feedback/answer_done.html", context)
    if request.method == "GET" and refusal is not None:
        template = "feedback/answer_closed.html" if refusal == CLOSED else "feedback/answer_expired.html"
        return render(request, template, context, status=REFUSAL_STATUS[refusal])

    sheet = question_sheet_for(round_=round_)
    if request.method == "POST":
        form = AnswerForm(request.POST, questions=sheet.questions, scale=sheet.scale)
    else:
        form = AnswerForm(questions=sheet.questions, scale=sheet.scale, initial=_initial(invitation))
    refused_message = ""
    status = 200
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        if refusal is not None:
            # The round closed (or the link expired) while the page was open: keep what was typed on the
            # page, so it is not lost, and save nothing.
            refused_message = str(AnswerRefusedError.__doc__)
            status = REFUSAL_STATUS[refusal]
        elif form.is_valid():
            try:
                response_save(invitation=invitation, data=form.answer_input(), submit=submit)
            except AnswerRefusedError as error:
                if error.code == ANSWERED:
                    return render(request, "feedback/answer_done.html", context)
                refusal, status = error.code, REFUSAL_STATUS.get(str(error.code), 409)
            except ValidationError as error:
                apply_validation_error(form, error)
                status = 400
            else:
                if not submit:
                    messages.success(
                        request,
                        _("Your answers have been saved. Come back through the same link to finish them."),
                    )
                return redirect("feedback:answer", token=request.resolver_match.kwargs["token"])  # type: ignore[union-attr]
        else:
            status = 400
        if refusal == CLOSED:
            refused_message = _(
                "This feedback round has closed, so your answers could not be saved. They are still below, "
                "so you can copy them if you like."
            )
        elif refusal == EXPIRED:
            refused_message = _(
                "This link has expired, so your answers could not be saved. They are still below, "
                "so you can copy them if you like."
            )
    context.update(
        {
            "form": form,
            "sheet": sheet,
            "refused_message": refused_message,
            "manager_relation": Relation.MANAGER,
            "competence_kind": QuestionKind.COMPETENCE,
        }
    )
    return render(request, "feedback/answer.html", context, status=status)


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token)
    if invitation is None:
        return _private(render(request, "feedback/answer_invalid.html", {"hide_navigation": True}, status=404))
    # The scope of the invitation's own board, whoever the visitor is (anonymous visitors have an empty
    # one, a signed-in visitor their own board's): the link decides what this request may read.
    with scope(board=[invitation.board_id]):
        return _private(_answer(request, invitation))


urlpatterns: list[URLPattern] = [
    path("answer/<str:token>/", answer, name="answer"),
]
