"""The report of a closed round: the page and its PDF (one selector, so the same figures and the same
threshold), and what the owner does with it: share it, withdraw a share, make a POP goal of a competence.

The page and the PDF have no page rule: the owner reads them, and whoever an active share reaches now
(feedback.selectors.report_round_get_for answers 404 to everyone else). A reader other than the owner is
written in the access log, as for a shared dossier item.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bekwaam.audit.services import access_record
from bekwaam.dossier.selectors.sharing import colleagues_for, managers_for
from bekwaam.feedback.forms import ShareForm
from bekwaam.feedback.models import FeedbackQuestion, FeedbackRound, QuestionKind, RoundState, ShareAudience
from bekwaam.feedback.selectors import (
    OWNER,
    own_round_get_for,
    own_share_get_for,
    report_round_get_for,
    share_list_for,
)
from bekwaam.feedback.selectors.report import Report, report_for
from bekwaam.feedback.services import sharing as services
from bekwaam.lib.forms import apply_validation_error
from bekwaam.lib.pdf import pdf_render
from bekwaam.tenancy.policy import ActorRequest, actor_view


def _readable(request: ActorRequest, round_id: UUID) -> tuple[FeedbackRound, str] | HttpResponse:
    """The round and the reader's right, or (for the owner of a round that is not closed yet) a redirect."""
    round_, right = report_round_get_for(actor=request.actor, round_id=round_id)
    if round_.state != RoundState.CLOSED:
        # Only the owner gets here (a share reaches a closed round only): no report before the close.
        messages.info(request, _("The report appears once the round is closed."))
        return redirect("feedback:round-detail", round_id=round_.pk)
    if right != OWNER:
        access_record(
            actor=request.actor,
            subject=round_.owner,
            what=str(FeedbackRound._meta.verbose_name),
            right=str(ShareAudience(right).label),
            path=request.path,
            object_type=FeedbackRound._meta.label_lower,
            object_id=str(round_.pk),
        )
    return round_, right


def _report_page(
    request: ActorRequest, round_: FeedbackRound, right: str, *, share_form: ShareForm | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor
    report = report_for(round_=round_)
    is_owner = right == OWNER
    context: dict[str, object] = {"report": report, "round": round_, "is_owner": is_owner}
    if is_owner:
        managers = list(managers_for(actor=actor))
        context.update(
            {
                "managers": managers,
                "shares": list(share_list_for(actor=actor, round_=round_)),
                "share_form": share_form
                or ShareForm(managers=managers, colleagues=list(colleagues_for(actor=actor)), auto_id="id_share_%s"),
            }
        )
    return render(request, "feedback/report.html", context, status=status)


@require_safe
@actor_view()
def report(request: ActorRequest, round_id: UUID) -> HttpResponse:
    found = _readable(request, round_id)
    if isinstance(found, HttpResponse):
        return found
    round_, right = found
    return _report_page(request, round_, right)


def report_pdf_render(*, report: Report) -> bytes:
    """The report as a PDF: the same Report (so the same threshold) as the page, through lib.pdf."""
    html = render_to_string(
        "feedback/report_pdf.html",
        {
            "report": report,
            "round": report.round,
            "owner_name": report.round.owner.full_name,
            "today": timezone.localdate(),
        },
    )
    return pdf_render(html)


@require_safe
@actor_view()
def report_pdf(request: ActorRequest, round_id: UUID) -> HttpResponse:
    found = _readable(request, round_id)
    if isinstance(found, HttpResponse):
        return found
    round_, _right = found
    pdf = report_pdf_render(report=report_for(round_=round_))
    response = HttpResponse(pdf, content_type="application/pdf")
    closed = timezone.localdate(round_.closed_at) if round_.closed_at else timezone.localdate()
    response["Content-Disposition"] = f'attachment; filename="360-feedback-{closed:%Y-%m-%d}.pdf"'
    return response


@require_POST
@actor_view("feedback.start")
def share_create(request: ActorRequest, round_id: UUID) -> HttpResponse:
    actor = request.actor
    round_ = own_round_get_for(actor=actor, round_id=round_id)
    if round_.state != RoundState.CLOSED:
        raise Http404
    form = ShareForm(
        request.POST,
        managers=list(managers_for(actor=actor)),
        colleagues=list(colleagues_for(actor=actor)),
        auto_id="id_share_%s",
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.share_create(actor=actor, round_=round_, audience=data["audience"], grantee=data["grantee"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if data["grantee"] is None:
                messages.success(request, _("Shared with your manager."))
            else:
                messages.success(request, _("Shared with %(name)s.") % {"name": data["grantee"].full_name})
            return redirect(reverse("feedback:report", kwargs={"round_id": round_.pk}) + "#sharing")
    return _report_page(request, round_, OWNER, share_form=form, status=400)


@require_POST
@actor_view("feedback.start")
def share_withdraw(request: ActorRequest, round_id: UUID) -> HttpResponse:
    actor = request.actor
    round_ = own_round_get_for(actor=actor, round_id=round_id)
    try:
        share_id = int(request.POST.get("share", ""))
    except ValueError as error:
        raise Http404 from error
    share = own_share_get_for(actor=actor, round_=round_, share_id=share_id)
    services.share_withdraw(actor=actor, share=share)
    messages.success(request, _("The report is no longer shared there."))
    return redirect(reverse("feedback:report", kwargs={"round_id": round_.pk}) + "#sharing")


@require_POST
@actor_view("feedback.start")
def goal_create(request: ActorRequest, round_id: UUID) -> HttpResponse:
    """ "Make it a POP goal": a goal for one competence of the report, in the owner's current plan."""
    actor = request.actor
    round_ = own_round_get_for(actor=actor, round_id=round_id)
    try:
        question_id = int(request.POST.get("question", ""))
    except ValueError as error:
        raise Http404 from error
    question = get_object_or_404(
        FeedbackQuestion.objects.select_related("competence"),
        pk=question_id,
        board_id=actor.board_pk,
        round=round_,
        kind=QuestionKind.COMPETENCE,
    )
    if question.competence is None:
        raise Http404
    try:
        made = services.goal_from_report(actor=actor, round_=round_, competence=question.competence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("feedback:report", round_id=round_.pk)
    if made.plan_created:
        messages.success(request, _("A new development plan has been started with this goal."))
    else:
        messages.success(
            request, _("The goal has been added to your plan “%(plan)s”.") % {"plan": made.goal.plan.title}
        )
    if not made.linked:
        messages.warning(
            request,
            _(
                "The goal is not linked to the competence: your board has published a newer version of the "
                "framework since this round, and a POP links competences of the current version only."
            ),
        )
    return redirect(reverse("dossier:goal-edit", kwargs={"goal_id": made.goal.pk}))


urlpatterns: list[URLPattern] = [
    path("<uuid:round_id>/report/", report, name="report"),
    path("<uuid:round_id>/report.pdf", report_pdf, name="report-pdf"),
    path("<uuid:round_id>/report/share/", share_create, name="share-create"),
    path("<uuid:round_id>/report/withdraw/", share_withdraw, name="share-withdraw"),
    path("<uuid:round_id>/report/goal/", goal_create, name="goal-create"),
]
