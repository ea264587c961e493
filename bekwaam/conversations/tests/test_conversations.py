"""The conversation workflow through its services: every (state, action) pair of both machines, who may
take each step, a signed report that never changes, two tabs signing at once, preparations that stay
private until shared, the report hidden until put forward, agreements to the POP, and bad input."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from bekwaam.conversations.models import (
    ADDENDUM_MACHINE,
    CONVERSATION_MACHINE,
    Addendum,
    AddendumState,
    Agreement,
    Answer,
    Conversation,
    ConversationDocument,
    ConversationEvent,
    ConversationKind,
    ConversationState,
    DocumentRole,
    EventSubject,
    FormPrompt,
    FormPurpose,
    Signature,
    SignedPart,
    SignerRole,
    Verdict,
)
from bekwaam.conversations.selectors import EMPLOYEE, MANAGER, conversation_get_for, conversations_visible_to
from bekwaam.conversations.selectors.conversations import conversation_list_for, conversation_page_for, steps_for
from bekwaam.conversations.services import conversations as services
from bekwaam.conversations.services import signature_add
from bekwaam.conversations.services.conversations import AgreementInput, AnswerInput
from bekwaam.conversations.tests.factories_conversations import (
    addendum_build,
    conversation_build,
    form_version_build,
    forms_build,
)
from bekwaam.dossier.models import DevelopmentPlan, Goal
from bekwaam.frameworks.models import ScaleLevel
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.lib.states import TransitionRefusedError
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Employment
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Services raise messages in the active language (Dutch by default); these tests read the msgids."""
    with translation.override("en"):
        yield


def actor_of(person: Any, board: Any) -> Any:
    return actor_for(person, f"board:{board.pk}")


@pytest.fixture
def boss(world: Any) -> Any:
    return actor_of(world.manager, world.board_a)


@pytest.fixture
def worker(world: Any) -> Any:
    return actor_of(world.teacher, world.board_a)


def snapshot(conversation: Conversation) -> object:
    """Everything a write could change about a conversation, to compare before and after."""
    pk = conversation.pk
    return (
        Conversation.objects.filter(pk=pk).values().get(),
        sorted(ConversationDocument.objects.filter(conversation_id=pk).values_list("role", "shared_at", "updated_at")),
        sorted(Answer.objects.filter(document__conversation_id=pk).values_list("prompt_id", "text", "level_id")),
        sorted(Agreement.objects.filter(conversation_id=pk).values_list("pk", "text", "position", "goal_id")),
        sorted(Signature.objects.filter(conversation_id=pk).values_list("part", "role", "verdict", "addendum_id")),
        sorted(
            Addendum.objects.filter(conversation_id=pk).values_list("pk", "state", "employee_reaction", "signed_at")
        ),
        ConversationEvent.objects.filter(conversation_id=pk).count(),
        Goal.objects.count(),
        DevelopmentPlan.objects.count(),
    )


def later(days: int = 10) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


# --- every (state, action) pair ---------------------------------------------------------------------

# Who takes each action, and the service call that takes it.
Step = Callable[[Any, Conversation], Any]
CONVERSATION_STEPS: dict[str, tuple[str, Step]] = {
    "reschedule": (
        MANAGER,
        lambda a, c: services.conversation_reschedule(
            actor=a, conversation=c, scheduled_at=later(), duration_minutes=45, location="Aula", online_url=""
        ),
    ),
    "cancel": (MANAGER, lambda a, c: services.conversation_cancel(actor=a, conversation=c)),
    "report_start": (MANAGER, lambda a, c: services.report_start(actor=a, conversation=c)),
    "report_submit": (MANAGER, lambda a, c: services.report_submit(actor=a, conversation=c)),
    "report_reopen": (MANAGER, lambda a, c: services.report_reopen(actor=a, conversation=c)),
    "employee_sign": (
        EMPLOYEE,
        lambda a, c: services.report_employee_sign(actor=a, conversation=c, verdict=Verdict.SEEN, reaction="Oké."),
    ),
    "manager_sign": (MANAGER, lambda a, c: services.report_manager_sign(actor=a, conversation=c)),
}


def test_it_has_a_service_for_every_action_of_both_machines() -> None:
    assert set(CONVERSATION_STEPS) == set(CONVERSATION_MACHINE.actions)
    assert set(ADDENDUM_STEPS) == set(ADDENDUM_MACHINE.actions)


@pytest.mark.parametrize(
    ("state", "action"), list(itertools.product(CONVERSATION_MACHINE.states.values, CONVERSATION_MACHINE.actions))
)
def test_it_moves_a_conversation_exactly_along_the_declared_transitions(
    world: Any, boss: Any, worker: Any, state: str, action: str
) -> None:
    conversation = conversation_build(world, state)
    role, step = CONVERSATION_STEPS[action]
    actor = boss if role == MANAGER else worker
    if CONVERSATION_MACHINE.allows(state, action):
        step(actor, conversation)
        conversation.refresh_from_db()
        assert conversation.state == CONVERSATION_MACHINE.move(state, action)
        event = ConversationEvent.objects.filter(conversation=conversation).latest("at", "pk")
        assert (event.action, event.from_state, event.to_state) == (action, state, conversation.state)
        assert event.actor_name == actor.person.full_name
    else:
        before = snapshot(conversation)
        with pytest.raises(TransitionRefusedError):
            step(actor, conversation)
        assert snapshot(conversation) == before


@pytest.mark.parametrize("action", CONVERSATION_MACHINE.actions)
def test_it_refuses_each_step_to_the_other_side_and_to_a_colleague(world: Any, action: str) -> None:
    role, step = CONVERSATION_STEPS[action]
    state = next(s for s in CONVERSATION_MACHINE.states.values if CONVERSATION_MACHINE.allows(s, action))
    conversation = conversation_build(world, state)
    before = snapshot(conversation)
    other = world.teacher if role == MANAGER else world.manager
    for person in (other, world.colleague):
        with pytest.raises(PermissionDenied):
            step(actor_of(person, world.board_a), conversation)
    with pytest.raises(PermissionDenied):
        step(actor_of(world.outsider, world.board_b), conversation)
    assert snapshot(conversation) == before


ADDENDUM_STEPS: dict[str, tuple[str, Callable[[Any, Addendum], Any]]] = {
    "employee_sign": (
        EMPLOYEE,
        lambda a, d: services.addendum_employee_sign(actor=a, addendum=d, verdict=Verdict.AGREED, reaction="Klopt."),
    ),
    "manager_sign": (MANAGER, lambda a, d: services.addendum_manager_sign(actor=a, addendum=d)),
}


@pytest.mark.parametrize(
    ("state", "action"), list(itertools.product(ADDENDUM_MACHINE.states.values, ADDENDUM_MACHINE.actions))
)
def test_it_moves_an_addendum_exactly_along_the_declared_transitions(
    world: Any, boss: Any, worker: Any, state: str, action: str
) -> None:
    conversation = conversation_build(world, ConversationState.SIGNED)
    addendum = addendum_build(conversation, state)
    role, step = ADDENDUM_STEPS[action]
    actor = boss if role == MANAGER else worker
    if ADDENDUM_MACHINE.allows(state, action):
        step(actor, addendum)
        addendum.refresh_from_db()
        assert addendum.state == ADDENDUM_MACHINE.move(state, action)
        event = ConversationEvent.objects.filter(conversation=conversation).latest("at", "pk")
        assert (event.subject, event.action, event.from_state) == (EventSubject.ADDENDUM, action, state)
        assert Signature.objects.filter(addendum=addendum, role=role).count() == 1
    else:
        before = snapshot(conversation)
        with pytest.raises(TransitionRefusedError):
            step(actor, addendum)
        assert snapshot(conversation) == before


@pytest.mark.parametrize("action", ADDENDUM_MACHINE.actions)
def test_it_refuses_each_addendum_signature_to_the_other_side(world: Any, action: str) -> None:
    role, step = ADDENDUM_STEPS[action]
    state = next(s for s in ADDENDUM_MACHINE.states.values if ADDENDUM_MACHINE.allows(s, action))
    conversation = conversation_build(world, ConversationState.SIGNED)
    addendum = addendum_build(conversation, state)
    before = snapshot(conversation)
    other = world.teacher if role == MANAGER else world.manager
    for person in (other, world.colleague):
        with pytest.raises(PermissionDenied):
            step(actor_of(person, world.board_a), addendum)
    assert snapshot(conversation) == before


def test_it_walks_the_whole_flow_and_signs_with_names_and_times(world: Any, boss: Any, worker: Any) -> None:
    forms_build(world.board_a)
    employment = Employment.objects.get(person=world.teacher)
    conversation = services.conversation_plan(
        actor=boss,
        employment=employment,
        kind=ConversationKind.DEVELOPMENT,
        scheduled_at=later(3),
        location="Kamer 12",
    )
    services.report_start(actor=boss, conversation=conversation)
    services.report_save(
        actor=boss, conversation=conversation, answers={}, agreements=[AgreementInput(None, "Gaat coachen.")]
    )
    services.report_submit(actor=boss, conversation=conversation)
    services.report_employee_sign(
        actor=worker, conversation=conversation, verdict=Verdict.SEEN, reaction="  Niet alles klopt.  "
    )
    services.report_manager_sign(actor=boss, conversation=conversation)
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.SIGNED
    assert conversation.signed_at is not None
    assert conversation.employee_reaction == "Niet alles klopt."
    signatures = {s.role: s for s in Signature.objects.filter(conversation=conversation, part=SignedPart.REPORT)}
    assert signatures[SignerRole.EMPLOYEE].verdict == Verdict.SEEN
    assert signatures[SignerRole.EMPLOYEE].signer_name == world.teacher.full_name
    assert signatures[SignerRole.MANAGER].signer_name == world.manager.full_name
    assert signatures[SignerRole.EMPLOYEE].signed_at <= signatures[SignerRole.MANAGER].signed_at
    actions = list(ConversationEvent.objects.filter(conversation=conversation).values_list("action", flat=True))
    assert actions == ["plan", "report_start", "report_submit", "employee_sign", "manager_sign"]


# --- a signed report never changes ------------------------------------------------------------------


def _signed_with_content(world: Any) -> Conversation:
    conversation = conversation_build(world, ConversationState.SIGNED)
    report = ConversationDocument.objects.get(conversation=conversation, role=DocumentRole.REPORT)
    prompt = FormPrompt.objects.filter(section__version=report.form_version).first()
    Answer.objects.create(board=conversation.board, document=report, prompt=prompt, text="Het ging goed.")
    for role, author in (
        (DocumentRole.EMPLOYEE_PREPARATION, world.teacher),
        (DocumentRole.MANAGER_PREPARATION, world.manager),
    ):
        document = ConversationDocument.objects.create(
            board=conversation.board,
            conversation=conversation,
            role=role,
            form_version=conversation.preparation_form_version,
            author=author,
        )
        prep_prompt = FormPrompt.objects.filter(section__version=document.form_version).first()
        Answer.objects.create(board=conversation.board, document=document, prompt=prep_prompt, text="Voorbereid.")
    return conversation


def _writes(conversation: Conversation, prompt_id: int) -> dict[str, tuple[str, Step]]:
    agreement = Agreement.objects.filter(conversation=conversation).first()
    assert agreement is not None
    return {
        **CONVERSATION_STEPS,
        "preparation_save (employee)": (
            EMPLOYEE,
            lambda a, c: services.preparation_save(actor=a, conversation=c, answers={}),
        ),
        "preparation_save (manager)": (
            MANAGER,
            lambda a, c: services.preparation_save(actor=a, conversation=c, answers={}),
        ),
        "preparation_share": (EMPLOYEE, lambda a, c: services.preparation_share(actor=a, conversation=c)),
        "report_save": (
            MANAGER,
            lambda a, c: services.report_save(
                actor=a,
                conversation=c,
                answers={prompt_id: AnswerInput(text="Achteraf anders.")},
                agreements=[AgreementInput(agreement.pk, "Anders afgesproken."), AgreementInput(None, "Nieuw")],
            ),
        ),
        "reaction_save": (EMPLOYEE, lambda a, c: services.reaction_save(actor=a, conversation=c, reaction="Later.")),
    }


def test_it_refuses_every_write_to_a_signed_report_and_leaves_the_database_unchanged(
    world: Any, boss: Any, worker: Any
) -> None:
    conversation = _signed_with_content(world)
    prompt_id = FormPrompt.objects.filter(section__version=conversation.report_form_version).first().pk
    writes = _writes(conversation, prompt_id)
    before = snapshot(conversation)
    for name, (role, step) in writes.items():
        actor = boss if role == MANAGER else worker
        with pytest.raises(TransitionRefusedError):
            step(actor, conversation)
        assert snapshot(conversation) == before, f"{name} changed a signed report"


def test_it_says_clearly_why_a_signed_report_cannot_change(world: Any, boss: Any) -> None:
    conversation = _signed_with_content(world)
    with pytest.raises(TransitionRefusedError) as raised:
        services.report_save(actor=boss, conversation=conversation, answers={}, agreements=[])
    assert "signed and can no longer change" in raised.value.messages[0]
    assert "addendum" in raised.value.messages[0]


# --- two tabs ---------------------------------------------------------------------------------------


def test_it_refuses_a_second_signature_from_another_tab_with_a_clear_message(
    world: Any, boss: Any, worker: Any
) -> None:
    conversation = conversation_build(world, ConversationState.WITH_EMPLOYEE)
    stale = Conversation.objects.select_related("employee", "manager").get(pk=conversation.pk)  # the second tab
    services.report_employee_sign(actor=worker, conversation=conversation, verdict=Verdict.AGREED)
    before = snapshot(conversation)
    with pytest.raises(TransitionRefusedError) as raised:
        services.report_employee_sign(actor=worker, conversation=stale, verdict=Verdict.SEEN, reaction="Toch niet")
    assert raised.value.messages == ["You have signed this already (perhaps in another tab)."]
    assert snapshot(conversation) == before
    assert Signature.objects.get(conversation=conversation, role=SignerRole.EMPLOYEE).verdict == Verdict.AGREED

    services.report_manager_sign(actor=boss, conversation=conversation)
    with pytest.raises(TransitionRefusedError) as raised:
        services.report_manager_sign(actor=boss, conversation=stale)
    assert raised.value.messages == ["You have signed this already (perhaps in another tab)."]
    assert Signature.objects.filter(conversation=conversation, part=SignedPart.REPORT).count() == 2


def test_it_refuses_a_second_signature_even_past_the_state_check(world: Any, worker: Any) -> None:
    """The unique constraint is the last guard: a signature row that slipped past the lock is refused."""
    conversation = conversation_build(world, ConversationState.WITH_MANAGER)
    with pytest.raises(TransitionRefusedError) as raised:
        signature_add(
            actor=worker,
            conversation=conversation,
            part=SignedPart.REPORT,
            role=SignerRole.EMPLOYEE,
            verdict=Verdict.AGREED,
        )
    assert "another tab" in raised.value.messages[0]
    assert Signature.objects.filter(conversation=conversation, role=SignerRole.EMPLOYEE).count() == 1


def test_it_refuses_a_second_addendum_signature_from_another_tab(world: Any, worker: Any) -> None:
    conversation = conversation_build(world, ConversationState.SIGNED)
    addendum = addendum_build(conversation)
    stale = Addendum.objects.get(pk=addendum.pk)
    stale.conversation = conversation
    services.addendum_employee_sign(actor=worker, addendum=addendum, verdict=Verdict.AGREED)
    with pytest.raises(TransitionRefusedError) as raised:
        services.addendum_employee_sign(actor=worker, addendum=stale, verdict=Verdict.SEEN)
    assert "another tab" in raised.value.messages[0]
    assert Signature.objects.filter(addendum=addendum).count() == 1


def test_it_refuses_a_verdict_that_is_not_agreed_or_seen(world: Any, worker: Any) -> None:
    conversation = conversation_build(world, ConversationState.WITH_EMPLOYEE)
    before = snapshot(conversation)
    for verdict in ("signed", "", "yes"):
        with pytest.raises(ValidationError) as raised:
            services.report_employee_sign(actor=worker, conversation=conversation, verdict=verdict)
        assert "verdict" in raised.value.error_dict
    assert snapshot(conversation) == before


# --- planning -----------------------------------------------------------------------------------------


def test_it_plans_with_the_pinned_forms_and_the_school_year(world: Any, boss: Any) -> None:
    preparation, report = forms_build(world.board_a, kind=ConversationKind.PERFORMANCE)
    employment = Employment.objects.get(person=world.teacher)
    when = datetime.datetime(2031, 3, 4, 10, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    conversation = services.conversation_plan(
        actor=boss,
        employment=employment,
        kind=ConversationKind.PERFORMANCE,
        scheduled_at=when,
        duration_minutes=45,
        location="  ",
        online_url="https://meet.example.org/abc",
    )
    conversation.refresh_from_db()
    assert (conversation.preparation_form_version, conversation.report_form_version) == (preparation, report)
    assert conversation.school_year == 2030
    assert (conversation.employee, conversation.manager, conversation.school) == (
        world.teacher,
        world.manager,
        world.school_a,
    )
    assert (conversation.location, conversation.online_url) == ("", "https://meet.example.org/abc")
    assert conversation.calendar_sequence == 0
    assert ConversationEvent.objects.get(conversation=conversation).action == "plan"


def test_it_plans_without_forms_when_the_board_has_none(world: Any, boss: Any) -> None:
    employment = Employment.objects.get(person=world.teacher)
    conversation = services.conversation_plan(
        actor=boss, employment=employment, kind=ConversationKind.APPRAISAL, scheduled_at=later(), location="Kamer"
    )
    assert conversation.preparation_form_version is None
    assert conversation.report_form_version is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"scheduled_at": timezone.now() - datetime.timedelta(minutes=5)}, "scheduled_at", "in the future"),
        ({"location": "", "online_url": ""}, "location", "place, an online link, or both"),
        ({"location": "   ", "online_url": ""}, "location", "place, an online link, or both"),
        ({"duration_minutes": 5}, "duration_minutes", "between 10 minutes"),
        ({"kind": "interrogation"}, "kind", "kind of conversation"),
    ],
)
def test_it_refuses_bad_plans_and_saves_nothing(
    world: Any, boss: Any, change: dict[str, Any], field: str, message: str
) -> None:
    data: dict[str, Any] = {
        "employment": Employment.objects.get(person=world.teacher),
        "kind": ConversationKind.DEVELOPMENT,
        "scheduled_at": later(),
        "duration_minutes": 60,
        "location": "Kamer 12",
        "online_url": "",
        **change,
    }
    with pytest.raises(ValidationError) as raised:
        services.conversation_plan(actor=boss, **data)
    assert message in " ".join(raised.value.message_dict[field])
    assert not Conversation.objects.exists()


def test_it_plans_only_with_someone_the_manager_leads(world: Any, boss: Any) -> None:
    stranger = EmploymentFactory(school=world.school_a2)
    outsider = Employment.objects.get(person=world.outsider)
    for employment in (stranger, outsider, Employment.objects.get(person=world.manager)):
        with pytest.raises(ValidationError) as raised:
            services.conversation_plan(
                actor=boss, employment=employment, kind=ConversationKind.DEVELOPMENT, scheduled_at=later(), location="x"
            )
        assert "employment" in raised.value.error_dict
    with pytest.raises(PermissionDenied):
        services.conversation_plan(
            actor=actor_of(world.teacher, world.board_a),
            employment=Employment.objects.get(person=world.colleague),
            kind=ConversationKind.DEVELOPMENT,
            scheduled_at=later(),
            location="x",
        )
    assert not Conversation.objects.exists()


def test_it_moves_a_conversation_with_a_higher_sequence_and_refuses_the_past(world: Any, boss: Any) -> None:
    conversation = conversation_build(world)
    with pytest.raises(ValidationError) as raised:
        services.conversation_reschedule(
            actor=boss,
            conversation=conversation,
            scheduled_at=timezone.now() - datetime.timedelta(days=1),
            duration_minutes=60,
            location="Kamer",
            online_url="",
        )
    assert "scheduled_at" in raised.value.error_dict
    services.conversation_reschedule(
        actor=boss,
        conversation=conversation,
        scheduled_at=later(20),
        duration_minutes=30,
        location="",
        online_url="https://x.nl",
    )
    conversation.refresh_from_db()
    assert conversation.calendar_sequence == 1
    assert (conversation.location, conversation.online_url, conversation.duration_minutes) == ("", "https://x.nl", 30)
    services.conversation_cancel(actor=boss, conversation=conversation)
    conversation.refresh_from_db()
    assert (conversation.state, conversation.calendar_sequence) == (ConversationState.CANCELLED, 2)


# --- preparations -----------------------------------------------------------------------------------


def test_it_keeps_a_preparation_private_until_its_author_shares_it(world: Any, boss: Any, worker: Any) -> None:
    conversation = conversation_build(world)
    prompt = FormPrompt.objects.filter(section__version=conversation.preparation_form_version).first()
    services.preparation_save(
        actor=worker, conversation=conversation, answers={prompt.pk: AnswerInput(text="Mijn geheime plan")}
    )
    services.preparation_save(
        actor=boss, conversation=conversation, answers={prompt.pk: AnswerInput(text="Notities van de leider")}
    )

    manager_page = conversation_page_for(actor=boss, conversation=conversation, role=MANAGER)
    assert manager_page.other_preparation.form is None
    assert manager_page.own_preparation.form.prompts[0].answer.text == "Notities van de leider"
    employee_page = conversation_page_for(actor=worker, conversation=conversation, role=EMPLOYEE)
    assert employee_page.other_preparation.form is None
    assert employee_page.own_preparation.form.prompts[0].answer.text == "Mijn geheime plan"

    services.preparation_share(actor=worker, conversation=conversation)
    services.preparation_share(actor=worker, conversation=conversation)  # twice: nothing changes
    manager_page = conversation_page_for(actor=boss, conversation=conversation, role=MANAGER)
    assert manager_page.other_preparation.form.prompts[0].answer.text == "Mijn geheime plan"
    employee_page = conversation_page_for(actor=worker, conversation=conversation, role=EMPLOYEE)
    assert employee_page.other_preparation.form is None  # the manager has not shared theirs
    assert ConversationEvent.objects.filter(conversation=conversation, action="preparation_share").count() == 1


def test_it_saves_a_preparation_halfway_and_removes_emptied_answers(world: Any, worker: Any) -> None:
    conversation = conversation_build(world)
    first, second = FormPrompt.objects.filter(section__version=conversation.preparation_form_version)[:2]
    services.preparation_save(
        actor=worker,
        conversation=conversation,
        answers={first.pk: AnswerInput(text="Half af"), second.pk: AnswerInput(text="")},
    )
    assert list(Answer.objects.values_list("prompt_id", "text")) == [(first.pk, "Half af")]
    services.preparation_save(
        actor=worker,
        conversation=conversation,
        answers={first.pk: AnswerInput(text=""), second.pk: AnswerInput(text="Nu dit")},
    )
    assert list(Answer.objects.values_list("prompt_id", "text")) == [(second.pk, "Nu dit")]


def test_it_lets_preparations_change_until_the_report_is_put_forward(world: Any, boss: Any, worker: Any) -> None:
    conversation = conversation_build(world)
    prompt = FormPrompt.objects.filter(section__version=conversation.preparation_form_version).first()
    services.report_start(actor=boss, conversation=conversation)
    services.preparation_save(actor=worker, conversation=conversation, answers={prompt.pk: AnswerInput(text="Nog")})
    services.report_submit(actor=boss, conversation=conversation)
    with pytest.raises(TransitionRefusedError) as raised:
        services.preparation_save(
            actor=worker, conversation=conversation, answers={prompt.pk: AnswerInput(text="Te laat")}
        )
    assert "put forward" in raised.value.messages[0]
    assert Answer.objects.get().text == "Nog"


def test_it_asks_for_the_required_questions_before_sharing_or_putting_forward(
    world: Any, boss: Any, worker: Any
) -> None:
    forms = (
        form_version_build(world.board_a, purpose=FormPurpose.PREPARATION, required=True),
        form_version_build(world.board_a, purpose=FormPurpose.REPORT, required=True),
    )
    conversation = conversation_build(world, forms=forms)
    second = FormPrompt.objects.filter(section__version=forms[0], required=False).first()
    services.preparation_save(actor=worker, conversation=conversation, answers={second.pk: AnswerInput(text="x")})
    with pytest.raises(ValidationError) as raised:
        services.preparation_share(actor=worker, conversation=conversation)
    assert "Waar ben je trots op?" in raised.value.messages[0]
    assert ConversationDocument.objects.get(role=DocumentRole.EMPLOYEE_PREPARATION).shared_at is None

    services.report_start(actor=boss, conversation=conversation)
    with pytest.raises(ValidationError) as raised:
        services.report_submit(actor=boss, conversation=conversation)
    assert "required questions of the report" in raised.value.messages[0]
    required = FormPrompt.objects.get(section__version=forms[1], required=True)
    services.report_save(
        actor=boss, conversation=conversation, answers={required.pk: AnswerInput(text="Klaar")}, agreements=[]
    )
    services.report_submit(actor=boss, conversation=conversation)
    assert Conversation.objects.get().state == ConversationState.WITH_EMPLOYEE


def test_it_rates_on_the_competences_own_scale_only(world: Any, boss: Any) -> None:
    framework = framework_version_build(board=world.board_a)
    other = framework_version_build(board=world.board_a, slug="ander-kader")
    forms = forms_build(world.board_a, framework_version=framework)
    conversation = conversation_build(world, ConversationState.REPORTING, forms=forms)
    rating = FormPrompt.objects.get(section__version=forms[1], answer_type="rating")
    good = ScaleLevel.objects.filter(version=framework).order_by("value").last()
    foreign = ScaleLevel.objects.filter(version=other).first()
    text_prompt = FormPrompt.objects.filter(section__version=forms[1], answer_type="text").first()
    for prompt, level in ((rating, foreign), (text_prompt, good)):
        with pytest.raises(ValidationError) as raised:
            services.report_save(
                actor=boss,
                conversation=conversation,
                answers={prompt.pk: AnswerInput(level_id=level.pk)},
                agreements=[],
            )
        assert f"prompt_{prompt.pk}" in raised.value.error_dict
    services.report_save(
        actor=boss,
        conversation=conversation,
        answers={rating.pk: AnswerInput(text="Sterk in instructie", level_id=good.pk)},
        agreements=[],
    )
    answer = Answer.objects.get(prompt=rating)
    assert (answer.level, answer.text) == (good, "Sterk in instructie")


def test_it_refuses_answers_and_agreements_of_another_conversation(world: Any, boss: Any) -> None:
    conversation = conversation_build(world, ConversationState.REPORTING)
    other_form = form_version_build(world.board_a, purpose=FormPurpose.REPORT, slug="ander")
    foreign_prompt = FormPrompt.objects.filter(section__version=other_form).first()
    elsewhere = conversation_build(world, ConversationState.REPORTING, employee=world.colleague)
    foreign_agreement = Agreement.objects.get(conversation=elsewhere)
    before = snapshot(conversation), snapshot(elsewhere)
    with pytest.raises(ValidationError):
        services.report_save(
            actor=boss, conversation=conversation, answers={foreign_prompt.pk: AnswerInput(text="x")}, agreements=[]
        )
    with pytest.raises(ValidationError):
        services.report_save(
            actor=boss,
            conversation=conversation,
            answers={},
            agreements=[AgreementInput(foreign_agreement.pk, "Overgenomen")],
        )
    assert (snapshot(conversation), snapshot(elsewhere)) == before


def test_it_keeps_the_agreements_in_order_and_removes_emptied_ones(world: Any, boss: Any) -> None:
    conversation = conversation_build(world, ConversationState.REPORTING, agreements=("Eerste", "Tweede"))
    first, second = Agreement.objects.filter(conversation=conversation)
    services.report_save(
        actor=boss,
        conversation=conversation,
        answers={},
        agreements=[
            AgreementInput(first.pk, ""),
            AgreementInput(second.pk, "Tweede, aangepast"),
            AgreementInput(None, "Derde"),
        ],
    )
    assert list(Agreement.objects.filter(conversation=conversation).values_list("text", "position")) == [
        ("Tweede, aangepast", 1),
        ("Derde", 2),
    ]
    with pytest.raises(ValidationError):
        services.report_save(
            actor=boss, conversation=conversation, answers={}, agreements=[AgreementInput(None, "x" * 501)]
        )


# --- who reads the report ---------------------------------------------------------------------------


def test_it_shows_the_report_and_agreements_to_the_employee_only_once_put_forward(
    world: Any, boss: Any, worker: Any
) -> None:
    conversation = conversation_build(world, ConversationState.REPORTING, agreements=("Geheime afspraak",))
    page = conversation_page_for(actor=worker, conversation=conversation, role=EMPLOYEE)
    assert (page.report.form, page.agreements) == (None, [])
    services.report_submit(actor=boss, conversation=conversation)
    page = conversation_page_for(actor=worker, conversation=conversation, role=EMPLOYEE)
    assert page.report.form is not None
    assert [a.text for a in page.agreements] == ["Geheime afspraak"]
    services.report_reopen(actor=boss, conversation=conversation)
    page = conversation_page_for(actor=worker, conversation=conversation, role=EMPLOYEE)
    assert (page.report.form, page.agreements) == (None, [])


def test_it_shows_the_reaction_to_the_manager_once_the_employee_has_signed(world: Any, boss: Any, worker: Any) -> None:
    conversation = conversation_build(world, ConversationState.WITH_EMPLOYEE)
    services.reaction_save(actor=worker, conversation=conversation, reaction="Eerste gedachte")
    assert not conversation_page_for(actor=boss, conversation=conversation, role=MANAGER).reaction_visible
    services.report_employee_sign(actor=worker, conversation=conversation, verdict=Verdict.AGREED)
    conversation.refresh_from_db()
    assert conversation.employee_reaction == "Eerste gedachte"  # signing without a reaction keeps the saved one
    assert conversation_page_for(actor=boss, conversation=conversation, role=MANAGER).reaction_visible


@pytest.mark.parametrize(
    "persona", ["colleague", "administrator", "board_member", "quality_officer", "outsider", "outsider_admin"]
)
def test_it_shows_a_conversation_to_nobody_but_its_two_sides(world: Any, persona: str) -> None:
    conversation = conversation_build(world, ConversationState.SIGNED)
    person = world.persona(persona)
    board = world.board_b if persona.startswith("outsider") else world.board_a
    actor = actor_of(person, board)
    assert not conversations_visible_to(actor=actor).filter(pk=conversation.pk).exists()
    from django.http import Http404

    with pytest.raises(Http404):
        conversation_get_for(actor=actor, conversation_id=conversation.pk)


def test_it_lists_upcoming_conversations_first_then_the_rest_newest_first(world: Any, boss: Any) -> None:
    soon = conversation_build(world)
    later_one = conversation_build(world, employee=world.colleague)
    Conversation.objects.filter(pk=later_one.pk).update(scheduled_at=later(30))
    old = conversation_build(world, ConversationState.SIGNED)
    older = conversation_build(world, ConversationState.SIGNED, employee=world.colleague)
    Conversation.objects.filter(pk=older.pk).update(scheduled_at=timezone.now() - datetime.timedelta(days=90))
    mine = conversation_build(world, ConversationState.SIGNED, employee=world.manager, manager=world.teacher)
    Conversation.objects.filter(pk=mine.pk).update(scheduled_at=timezone.now() - datetime.timedelta(days=200))
    listed = list(conversation_list_for(actor=boss))
    assert listed == [soon, later_one, old, older, mine]
    assert list(conversation_list_for(actor=boss, who="own")) == [mine]
    assert list(conversation_list_for(actor=boss, who="team")) == [soon, later_one, old, older]
    assert list(conversation_list_for(actor=actor_of(world.teacher, world.board_a))) == [soon, old]


def test_it_draws_the_stepper_for_every_state() -> None:
    assert [s.status for s in steps_for(ConversationState.REPORTING)] == [
        "passed",
        "current",
        "upcoming",
        "upcoming",
        "upcoming",
    ]
    assert {s.status for s in steps_for(ConversationState.SIGNED)} == {"passed"}
    assert [s.state for s in steps_for(ConversationState.CANCELLED)] == [ConversationState.CANCELLED]


# --- addenda ------------------------------------------------------------------------------------------


def test_it_adds_an_addendum_only_to_a_signed_report_and_one_at_a_time(world: Any, boss: Any) -> None:
    waiting = conversation_build(world, ConversationState.WITH_MANAGER)
    with pytest.raises(TransitionRefusedError):
        services.addendum_create(actor=boss, conversation=waiting, body="Correctie")
    signed = conversation_build(world, ConversationState.SIGNED)
    with pytest.raises(ValidationError) as raised:
        services.addendum_create(actor=boss, conversation=signed, body="   ")
    assert "body" in raised.value.error_dict
    addendum = services.addendum_create(actor=boss, conversation=signed, body="De datum was 3 maart.")
    assert (addendum.state, addendum.author) == (AddendumState.WITH_EMPLOYEE, world.manager)
    with pytest.raises(TransitionRefusedError) as raised:
        services.addendum_create(actor=boss, conversation=signed, body="Nog een")
    assert "finish that one first" in raised.value.messages[0]
    with pytest.raises(PermissionDenied):
        services.addendum_create(actor=actor_of(world.teacher, world.board_a), conversation=signed, body="Zelf")
    assert Addendum.objects.count() == 1


# --- agreements to the POP ----------------------------------------------------------------------------


def test_it_turns_an_agreement_into_a_goal_in_a_new_plan_once(world: Any, worker: Any) -> None:
    conversation = conversation_build(world, ConversationState.SIGNED, agreements=("Volgt de cursus rekendidactiek.",))
    agreement = Agreement.objects.get(conversation=conversation)
    agreement.conversation = conversation
    goal = services.agreement_goal_create(actor=worker, agreement=agreement)
    assert goal.title == "Volgt de cursus rekendidactiek."
    assert "Volgt de cursus rekendidactiek." in goal.why
    assert goal.plan.person == world.teacher
    assert goal.plan.title.startswith("Agreements from conversations ")
    again = services.agreement_goal_create(actor=worker, agreement=agreement)
    assert again == goal
    assert (Goal.objects.count(), DevelopmentPlan.objects.count()) == (1, 1)
    assert Agreement.objects.get().goal == goal


def test_it_puts_the_goal_in_the_current_plan_when_there_is_one(world: Any, worker: Any) -> None:
    today = timezone.localdate()
    DevelopmentPlan.objects.create(
        board=world.board_a,
        person=world.teacher,
        title="Oud",
        starts_on=today.replace(year=today.year - 3),
        ends_on=today.replace(year=today.year - 2),
    )
    current = DevelopmentPlan.objects.create(
        board=world.board_a, person=world.teacher, title="Mijn POP", starts_on=today - datetime.timedelta(days=30)
    )
    conversation = conversation_build(world, ConversationState.WITH_EMPLOYEE)
    agreement = Agreement.objects.get(conversation=conversation)
    agreement.conversation = conversation
    goal = services.agreement_goal_create(actor=worker, agreement=agreement)
    assert goal.plan == current


@pytest.mark.parametrize("state", [ConversationState.PLANNED, ConversationState.REPORTING, ConversationState.CANCELLED])
def test_it_makes_no_goal_before_the_report_is_put_forward(world: Any, worker: Any, state: str) -> None:
    conversation = conversation_build(world, state)
    agreement = Agreement.objects.create(board=world.board_a, conversation=conversation, text="Te vroeg")
    agreement.conversation = conversation
    with pytest.raises(TransitionRefusedError):
        services.agreement_goal_create(actor=worker, agreement=agreement)
    assert not Goal.objects.exists()


def test_it_lets_only_the_employee_turn_agreements_into_goals(world: Any, boss: Any) -> None:
    conversation = conversation_build(world, ConversationState.SIGNED)
    agreement = Agreement.objects.get(conversation=conversation)
    agreement.conversation = conversation
    for actor in (boss, actor_of(world.colleague, world.board_a)):
        with pytest.raises(PermissionDenied):
            services.agreement_goal_create(actor=actor, agreement=agreement)
    assert not Goal.objects.exists()


def test_it_follows_the_person_to_their_new_manager(world: Any) -> None:
    """The file follows the person: whoever leads them now reaches their conversations, the old manager not."""
    conversation = conversation_build(world, ConversationState.WITH_MANAGER)
    new_boss = PersonFactory(email="nieuw@alfa.nl")
    EmploymentFactory(person=new_boss, school=world.school_a2, function="director")
    from bekwaam.tenancy.models import Role
    from bekwaam.tenancy.tests.factories import RoleGrantFactory

    RoleGrantFactory(person=new_boss, board=world.board_a, school=world.school_a2, role=Role.MANAGER)
    Employment.objects.filter(person=world.teacher).update(manager=new_boss, school=world.school_a2)
    Conversation.objects.filter(pk=conversation.pk).update(school=world.school_a2)
    new_actor = actor_of(new_boss, world.board_a)
    _conversation, role = conversation_get_for(actor=new_actor, conversation_id=conversation.pk)
    assert role == MANAGER
    services.report_manager_sign(actor=new_actor, conversation=conversation)
    from django.http import Http404

    with pytest.raises(Http404):
        conversation_get_for(actor=actor_of(world.manager, world.board_a), conversation_id=conversation.pk)


# --- the demo -----------------------------------------------------------------------------------------


def test_it_seeds_demo_conversations_in_several_states_once(world: Any) -> None:
    from bekwaam.conversations.demo import seed_conversations_demo

    people = [world.teacher, world.colleague]
    seed_conversations_demo(board=world.board_a, manager=world.manager, employees=people, today=timezone.localdate())
    upcoming = Conversation.objects.get(employee=world.colleague)
    assert upcoming.state == ConversationState.PLANNED
    assert upcoming.scheduled_at > timezone.now()
    assert ConversationDocument.objects.get(conversation=upcoming, role=DocumentRole.EMPLOYEE_PREPARATION).shared_at
    waiting = Conversation.objects.get(employee=world.teacher, state=ConversationState.WITH_EMPLOYEE)
    assert waiting.scheduled_at < timezone.now()
    signed = Conversation.objects.get(employee=world.teacher, state=ConversationState.SIGNED)
    assert Addendum.objects.get(conversation=signed).state == AddendumState.SIGNED
    assert Agreement.objects.filter(conversation=signed, goal__isnull=False).count() == 1
    assert Signature.objects.filter(conversation=signed).count() == 4
    seed_conversations_demo(board=world.board_a, manager=world.manager, employees=people, today=timezone.localdate())
    assert Conversation.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_it_lets_one_of_two_simultaneous_signatures_win(world: Any) -> None:
    """Two tabs signing at the same moment (real threads, PostgreSQL row locks): one signs, one is told."""
    import threading

    from django.db import connection, connections
    from django_scopes import scopes_disabled

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers anyway)")
    conversation = conversation_build(world, ConversationState.WITH_EMPLOYEE)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def sign(verdict: str) -> None:
        # A thread starts without the test's context: no disabled scope, no language override.
        with scopes_disabled(), translation.override("en"):
            try:
                tab = Conversation.objects.select_related("employee", "manager").get(pk=conversation.pk)
                worker = actor_of(world.teacher, world.board_a)
                barrier.wait()
                services.report_employee_sign(actor=worker, conversation=tab, verdict=verdict)
                outcomes.append("signed")
            except TransitionRefusedError as error:
                outcomes.append(error.messages[0])
            except Exception as error:
                outcomes.append(repr(error))
            finally:
                connections.close_all()

    threads = [threading.Thread(target=sign, args=(v,)) for v in (Verdict.AGREED, Verdict.SEEN)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["You have signed this already (perhaps in another tab).", "signed"]
    assert Signature.objects.filter(conversation=conversation).count() == 1
    assert Conversation.objects.get(pk=conversation.pk).state == ConversationState.WITH_MANAGER
