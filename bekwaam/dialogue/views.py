"""The team dialogue's pages: the sessions, starting one, the session page (capturing answers and statements,
marking it held, additions afterwards), adopting agreed views into the shared view, agreed actions into the
verbeterplan or one's own POP, and the school's shared view with its versions.

Resolve → validate → one service → page, fragment or redirect. Seeing is checked by the selectors (404
outside reach); acting by the rules (403 for a reader who may not act). Adding an answer or a statement works
with a plain form post (the page reloads at the question) and, where htmx runs, swaps only the question.
A form with errors comes back with what was typed: on the page with status 400, or (htmx) in the fragment
with status 200 so htmx shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import rules
from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.dialogue import selectors, services
from bekwaam.dialogue.forms import (
    NEW_GOAL,
    AdoptForm,
    AnswerForm,
    PlanActionForm,
    SessionChooseForm,
    SessionForm,
    StatementForm,
)
from bekwaam.dialogue.models import Pillar, SessionQuestion, Statement, StatementKind, TeamSession
from bekwaam.dialogue.questions import shipped_questions
from bekwaam.lib.forms import apply_validation_error
from bekwaam.quality.models import ImprovementGoal, ImprovementPlan, PlanState
from bekwaam.quality.selectors.plans import owner_choices_for, plan_list_for
from bekwaam.quality.services.plans import ActionInput
from bekwaam.tenancy.policy import ActorRequest, actor_view

PAGE_SIZE = 25
USE = "dialogue.use"


def _session_url(session: TeamSession, anchor: str = "") -> str:
    url = reverse("dialogue:session", kwargs={"session_id": session.pk})
    return f"{url}#{anchor}" if anchor else url


def _question_anchor(question: SessionQuestion | None) -> str:
    return f"question-{question.pk}" if question is not None else "statements"


def _htmx(request: ActorRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- the list --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRow:
    session: TeamSession
    status: str


@require_safe
@actor_view(USE)
def session_list(request: ActorRequest) -> HttpResponse:
    """The sessions of the schools the actor works at or leads (and those they take part in), and the shared
    views they may read; the board's quality viewers see the shared views of every school."""
    actor = request.actor
    page = Paginator(selectors.session_list_for(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    context = {
        "page": page,
        "rows": [SessionRow(session, selectors.session_status(session, now)) for session in page.object_list],
        "startable": selectors.startable_schools_for(actor=actor),
        "schools": selectors.school_view_schools_for(actor=actor),
    }
    return render(request, "dialogue/sessions/session_list.html", context)


# --- starting a session ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view(USE)
def session_create(request: ActorRequest) -> HttpResponse:
    """Step one (?school=&pillar= missing): where and on which pillar. Step two: title, date, participants and
    questions; the POST goes to the same address with the step-one choice in its query."""
    actor = request.actor
    schools = selectors.startable_schools_for(actor=actor)
    if not schools:
        raise PermissionDenied
    wanted, pillar = request.GET.get("school", ""), request.GET.get("pillar", "")
    school = None
    if wanted:
        school = next((s for s in schools if str(s.pk) == wanted), None)
        if school is None:
            raise Http404
    elif len(schools) == 1:
        school = schools[0]
    changing = bool(request.GET.get("change"))
    if school is None or pillar not in Pillar.values or changing:
        # Step one sent without a pillar (or school) says what is missing; the "change" link only fills it in.
        submitted = ("pillar" in request.GET or "school" in request.GET) and not changing
        initial = {"school": school.pk if school else None, "pillar": pillar if pillar in Pillar.values else None}
        choose = SessionChooseForm(request.GET if submitted else None, initial=initial, schools=schools)
        status = 400 if (submitted and not choose.is_valid()) or request.method == "POST" else 200
        return render(request, "dialogue/sessions/session_choose.html", {"form": choose}, status=status)
    questions = shipped_questions(pillar)
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        people=selectors.participant_choices_for(school=school),
        facilitator=actor.person,
        questions=questions,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = services.session_create(
                    actor=actor,
                    school=school,
                    pillar=pillar,
                    title=data["title"],
                    planned_on=data["planned_on"],
                    participant_ids=list(data["participants"]),
                    shipped_keys=list(data.get("shipped") or []),
                    own_questions=form.own_question_list(),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The session has been started."))
                return redirect(_session_url(session))
        status = 400
    context = {
        "form": form,
        "school": school,
        "pillar": Pillar(pillar),
        "several_schools": len(schools) > 1,
    }
    return render(request, "dialogue/sessions/session_form.html", context, status=status)


# --- the session page ----------------------------------------------------------------------------------------


def _auto_id(question: SessionQuestion, form: str) -> str:
    # Every question on the page has its own forms: the ids differ, the field names stay the same.
    return f"id_{form}_{question.pk.hex[:12]}_%s"


@dataclass(frozen=True)
class QuestionView:
    panel: selectors.QuestionPanel
    answer_form: django_forms.Form | None
    statement_form: django_forms.Form | None


def _question_view(
    panel: selectors.QuestionPanel,
    access: selectors.SessionAccess,
    bound: tuple[UUID, str, django_forms.Form] | None = None,
) -> QuestionView:
    if not access.write:
        return QuestionView(panel, None, None)
    question = panel.question
    mine = bound if bound is not None and bound[0] == question.pk else None
    answer_form = mine[2] if mine and mine[1] == "answer" else AnswerForm(auto_id=_auto_id(question, "answer"))
    statement_form = (
        mine[2] if mine and mine[1] == "statement" else StatementForm(auto_id=_auto_id(question, "statement"))
    )
    return QuestionView(panel, answer_form, statement_form)


def _session_page(
    request: ActorRequest,
    session: TeamSession,
    *,
    bound: tuple[UUID, str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.session_page_for(actor=request.actor, session=session)
    context = {
        "session": session,
        "page": page,
        "access": page.access,
        "questions": [_question_view(panel, page.access, bound) for panel in page.questions],
        "may_view_plans": bool(rules.test_rule("quality.view_school", request.actor, session.school)),
        "addition_days": settings.DIALOGUE_ADDITION_DAYS,
    }
    return render(request, "dialogue/sessions/session_detail.html", context, status=status)


@require_safe
@actor_view()
def session_detail(request: ActorRequest, session_id: UUID) -> HttpResponse:
    return _session_page(request, selectors.session_get_for(actor=request.actor, session_id=session_id))


def _may_write(request: ActorRequest, session: TeamSession) -> HttpResponse | None:
    """None when the actor may write now; a redirect with a message for a participant of a closed session
    (a page opened before additions closed); 403 for anyone else."""
    access = selectors.session_access(request.actor, session)
    if access.write:
        return None
    if access.participant and selectors.session_status(session) == selectors.SessionStatus.CLOSED:
        messages.error(request, _("Additions to this session have closed; it is read-only now."))
        return redirect(_session_url(session))
    raise PermissionDenied


def _fragment(
    request: ActorRequest, question: SessionQuestion, *, bound: tuple[UUID, str, django_forms.Form] | None = None
) -> HttpResponse:
    """The question's part of the page, for htmx (always 200: htmx swaps only successful answers)."""
    session = question.session
    access = selectors.session_access(request.actor, session)
    context = {
        "session": session,
        "access": access,
        "item": _question_view(selectors.question_panel_for(question=question), access, bound),
        "may_view_plans": bool(rules.test_rule("quality.view_school", request.actor, session.school)),
    }
    return render(request, "dialogue/sessions/_question.html", context)


def _add(request: ActorRequest, question_id: UUID, kind: str) -> HttpResponse:
    actor = request.actor
    question = selectors.question_get_for(actor=actor, question_id=question_id)
    session = question.session
    if (refused := _may_write(request, session)) is not None:
        return refused
    form: django_forms.Form
    if kind == "answer":
        form = AnswerForm(request.POST, auto_id=_auto_id(question, kind))
    else:
        form = StatementForm(request.POST, auto_id=_auto_id(question, kind))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if kind == "answer":
                services.answer_add(actor=actor, question=question, text=data["text"])
            else:
                services.statement_add(actor=actor, question=question, kind=data["kind"], text=data["text"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if _htmx(request):
                return _fragment(request, question)
            return redirect(_session_url(session, _question_anchor(question)))
    if _htmx(request):
        return _fragment(request, question, bound=(question.pk, kind, form))
    return _session_page(request, session, bound=(question.pk, kind, form), status=400)


@require_POST
@actor_view()
def answer_add(request: ActorRequest, question_id: UUID) -> HttpResponse:
    return _add(request, question_id, "answer")


@require_POST
@actor_view()
def statement_add(request: ActorRequest, question_id: UUID) -> HttpResponse:
    return _add(request, question_id, "statement")


def _capturing(request: ActorRequest, session: TeamSession) -> HttpResponse | None:
    """None while the facilitator may still change what was captured; else a message (held) or 403."""
    access = selectors.session_access(request.actor, session)
    if access.capture:
        return None
    if access.facilitator:
        messages.error(request, _("The session has been held: what was written down stays. Add to it instead."))
        return redirect(_session_url(session))
    raise PermissionDenied


@require_http_methods(["GET", "POST"])
@actor_view()
def answer_edit(request: ActorRequest, answer_id: UUID) -> HttpResponse:
    actor = request.actor
    answer = selectors.answer_get_for(actor=actor, answer_id=answer_id)
    question = answer.question
    if (refused := _capturing(request, question.session)) is not None:
        return refused
    form = AnswerForm(request.POST if request.method == "POST" else None, initial={"text": answer.text})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_update(actor=actor, answer=answer, text=form.cleaned_data["text"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The answer has been saved."))
                return redirect(_session_url(question.session, _question_anchor(question)))
        status = 400
    context = {"form": form, "session": question.session, "question": question, "what": "answer"}
    return render(request, "dialogue/sessions/item_form.html", context, status=status)


@require_POST
@actor_view()
def answer_delete(request: ActorRequest, answer_id: UUID) -> HttpResponse:
    actor = request.actor
    answer = selectors.answer_get_for(actor=actor, answer_id=answer_id)
    question = answer.question
    if (refused := _capturing(request, question.session)) is not None:
        return refused
    try:
        services.answer_delete(actor=actor, answer=answer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The answer has been removed."))
    return redirect(_session_url(question.session, _question_anchor(question)))


@require_http_methods(["GET", "POST"])
@actor_view()
def statement_edit(request: ActorRequest, statement_id: UUID) -> HttpResponse:
    actor = request.actor
    statement = selectors.statement_get_for(actor=actor, statement_id=statement_id)
    session = statement.session
    if (refused := _capturing(request, session)) is not None:
        return refused
    initial = {"kind": statement.kind, "text": statement.text}
    form = StatementForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.statement_update(actor=actor, statement=statement, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The statement has been saved."))
                return redirect(_session_url(session, _question_anchor(statement.question)))
        status = 400
    context = {"form": form, "session": session, "question": statement.question, "what": "statement"}
    return render(request, "dialogue/sessions/item_form.html", context, status=status)


@require_POST
@actor_view()
def statement_delete(request: ActorRequest, statement_id: UUID) -> HttpResponse:
    actor = request.actor
    statement = selectors.statement_get_for(actor=actor, statement_id=statement_id)
    session = statement.session
    if (refused := _capturing(request, session)) is not None:
        return refused
    try:
        services.statement_delete(actor=actor, statement=statement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The statement has been removed."))
    return redirect(_session_url(session, _question_anchor(statement.question)))


@require_POST
@actor_view()
def session_held(request: ActorRequest, session_id: UUID) -> HttpResponse:
    actor = request.actor
    session = selectors.session_get_for(actor=actor, session_id=session_id)
    if (refused := _capturing(request, session)) is not None:
        return refused
    try:
        held = services.session_mark_held(actor=actor, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        until = selectors.additions_until(held)
        messages.success(
            request,
            _("The session has been marked as held. Participants can add to it until %(date)s.")
            % {"date": date_format(timezone.localtime(until), "DATETIME_FORMAT") if until else ""},
        )
    return redirect(_session_url(session))


# --- the shared view -----------------------------------------------------------------------------------------


def _school_view_url(school_id: int) -> str:
    return reverse("dialogue:school_view", kwargs={"school_id": school_id})


@require_http_methods(["GET", "POST"])
@actor_view()
def session_adopt(request: ActorRequest, session_id: UUID) -> HttpResponse:
    """The session's agreed views into the school's shared view: a new version (kept + chosen new ones)."""
    actor = request.actor
    session = selectors.session_get_for(actor=actor, session_id=session_id)
    if not selectors.session_access(actor, session).adopt:
        raise PermissionDenied
    current = selectors.current_view_of(session.school)
    current_statements = list(current.statements.order_by("pillar", "position", "pk")) if current else []
    candidates = selectors.adoptable_statements_for(session=session)
    based_on = current.number if current is not None else 0
    form = AdoptForm(
        request.POST if request.method == "POST" else None,
        current=current_statements,
        candidates=candidates,
        based_on=based_on,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                view = services.shared_view_adopt(
                    actor=actor,
                    session=session,
                    based_on=data["based_on"],
                    keep_ids=list(data.get("keep") or []),
                    adopt_ids=list(data.get("adopt") or []),
                )
            except ValidationError as error:
                if error.code == "stale":
                    messages.error(request, " ".join(error.messages))
                    return redirect(reverse("dialogue:session_adopt", kwargs={"session_id": session.pk}))
                apply_validation_error(form, error)
            else:
                messages.success(
                    request, _("Version %(number)s of the shared view has been adopted.") % {"number": view.number}
                )
                return redirect(_school_view_url(session.school_id))
        status = 400
    context = {
        "session": session,
        "form": form,
        "current": current,
        "current_groups": selectors.by_pillar(current_statements),
        "candidates": candidates,
    }
    return render(request, "dialogue/sessions/adopt.html", context, status=status)


@require_safe
@actor_view()
def school_view(request: ActorRequest, school_id: int) -> HttpResponse:
    """The school's shared view: the current version, every earlier one with what changed, and the agreed
    actions of its sessions (statements are shared; the answers stay on the sessions)."""
    actor = request.actor
    school = selectors.school_get_for(actor=actor, school_id=school_id)
    member = school.pk in (selectors.led_school_ids(actor) | selectors.employed_school_ids(actor))
    context = {
        "school": school,
        "versions": selectors.shared_view_history_for(school=school),
        "actions": selectors.agreed_actions_for(school=school),
        "shown_max": selectors.AGREED_ACTIONS_SHOWN,
        "member": member,
        "may_plan": bool(rules.test_rule("quality.edit_school", actor, school)),
        "may_view_plans": bool(rules.test_rule("quality.view_school", actor, school)),
    }
    return render(request, "dialogue/sessions/school_view.html", context)


# --- agreed actions ------------------------------------------------------------------------------------------


def _back_url(request: ActorRequest, statement: Statement) -> str:
    if selectors.session_access(request.actor, statement.session).read:
        return _session_url(statement.session, "statements")
    return f"{_school_view_url(statement.session.school_id)}#actions"


def _plan_and_goal(choice: str, plans: list[ImprovementPlan]) -> tuple[ImprovementPlan | None, ImprovementGoal | None]:
    """The form's goal choice as (plan, goal): "new-<plan id>" is a new goal in that plan."""
    for plan in plans:
        if choice == f"{NEW_GOAL}{plan.pk}":
            return plan, None
        for goal in plan.goals.all():
            if choice == str(goal.pk):
                return plan, goal
    return None, None


@require_http_methods(["GET", "POST"])
@actor_view()
def statement_to_plan(request: ActorRequest, statement_id: UUID) -> HttpResponse:
    """An agreed action into an open verbeterplan of the school, as an action of one of its goals (or a new one)."""
    actor = request.actor
    statement = selectors.statement_get_for(actor=actor, statement_id=statement_id, statements_only=True)
    session = statement.session
    if statement.kind != StatementKind.ACTION:
        raise Http404
    if not selectors.session_access(actor, session).to_plan:
        raise PermissionDenied
    if statement.improvement_action_id is not None:
        messages.info(request, _("This agreed action is already in the verbeterplan."))
        return redirect(_back_url(request, statement))
    plans = list(plan_list_for(actor=actor, school=session.school, state=PlanState.OPEN).prefetch_related("goals"))
    owners = owner_choices_for(board_id=session.board_id, school=session.school)
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "title": statement.text[:300],
        "description": services.pop_goal_why(statement),
        "start_date": today,
        "owner": str(actor.person.pk) if any(p.pk == actor.person.pk for p in owners) else "",
    }
    form = PlanActionForm(
        request.POST if request.method == "POST" else None, plans=plans, owners=owners, initial=initial
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            plan, goal = _plan_and_goal(data["goal"], plans)
            if plan is None:
                form.add_error("goal", _("Choose a goal of an open plan of the school."))
            else:
                given = ActionInput(
                    title=data["title"],
                    description=data["description"],
                    owner_id=data["owner"],
                    start_date=data["start_date"],
                    deadline=data["deadline"],
                )
                try:
                    services.statement_to_plan(
                        actor=actor, statement=statement, plan=plan, goal=goal, new_goal=data["new_goal"], action=given
                    )
                except ValidationError as error:
                    apply_validation_error(form, error)
                else:
                    messages.success(request, _("The agreed action is now in the verbeterplan."))
                    return redirect(_back_url(request, statement))
        status = 400
    context = {"statement": statement, "session": session, "form": form, "plans": plans}
    return render(request, "dialogue/sessions/to_plan.html", context, status=status)


@require_POST
@actor_view()
def statement_to_pop(request: ActorRequest, statement_id: UUID) -> HttpResponse:
    """An agreed action into the actor's own POP; private: nothing about it shows on the session."""
    actor = request.actor
    statement = selectors.statement_get_for(actor=actor, statement_id=statement_id)
    if statement.kind != StatementKind.ACTION:
        raise Http404
    if not selectors.session_access(actor, statement.session).to_pop:
        raise PermissionDenied
    try:
        goal, created = services.statement_to_pop(actor=actor, statement=statement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_session_url(statement.session, "statements"))
    if created:
        messages.success(request, _("The agreed action is now a goal in your development plan."))
    else:
        messages.info(request, _("This agreed action was already a goal in your development plan."))
    return redirect(f"{reverse('dossier:plan-detail', kwargs={'plan_id': goal.plan_id})}#goal-{goal.pk}")
