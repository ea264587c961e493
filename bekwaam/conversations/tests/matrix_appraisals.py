"""Authorization matrix cases for the beoordeling (merged by matrix_cases.py), and the builders its tests share.

The conversation is the teacher's appraisal conversation with their leidinggevende (manager) at board A.
Conversation pages: the manager and the teacher reach it, each for their own steps (403 for the other
party's step); anyone else does not find it (404), the beheerder included. A draft is hidden from the
teacher: its lookups answer 404 as if there were none. The board's settings, list and objection pages
are the beheerder's (rule "conversations.manage"); the other board's beheerder does not find board A's
criteria, levels or appraisals.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from bekwaam.conversations.models import (
    Appraisal,
    AppraisalCriterion,
    AppraisalLevel,
    AppraisalRating,
    AppraisalState,
    Conversation,
    ConversationEvent,
    ConversationKind,
    ConversationState,
    Signature,
    SignedPart,
    SignerRole,
    Verdict,
)
from bekwaam.conversations.services.appraisals import appraisal_defaults_install
from bekwaam.tenancy.models import Employment
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory
from bekwaam.tenancy.tests.matrix import (
    A_ONLY,
    ADMINISTRATORS,
    DENIED,
    NOT_ALLOWED,
    NOT_FOUND,
    Case,
    World,
    at,
    expect,
    same_for_everyone,
)

ARGUMENT = "Duidelijke uitleg en een rustige groep."
OVERALL = "Een goede leerkracht die groeit."
# The order in which APPRAISAL_MACHINE's states are reached; the builders fill in what each one has.
REACHED = (AppraisalState.DRAFT, AppraisalState.PUT_FORWARD, AppraisalState.WITH_MANAGER, AppraisalState.FINAL)


def conversation_of(
    world: World,
    label: str,
    *,
    employee: Any = None,
    manager: Any = None,
    board: Any = None,
    school: Any = None,
    state: str = ConversationState.PLANNED,
) -> Conversation:
    """An appraisal conversation (kind appraisal) named by `label` (its place), made once per test."""
    found = Conversation.objects.filter(location=label).first()
    if found is not None:
        return found
    employee = employee or world.teacher
    employment = Employment.objects.filter(person=employee).first()
    if employment is None:
        employment = EmploymentFactory(person=employee, school=school or world.school_a, manager=manager)
    return Conversation.objects.create(
        board=board or world.board_a,
        school=employment.school,
        employment=employment,
        employee=employee,
        manager=manager or world.manager,
        kind=ConversationKind.APPRAISAL,
        school_year=2025,
        scheduled_at=timezone.now() - datetime.timedelta(days=1),
        location=label,
        state=state,
    )


def board_b_conversation(world: World, label: str = "board B") -> Conversation:
    """The outsider's appraisal conversation at board B, with a leidinggevende of their own there."""
    found = Conversation.objects.filter(location=label).first()
    if found is not None:
        return found
    boss = PersonFactory(email=f"directeur-{label.replace(' ', '-')}@beta.nl")
    EmploymentFactory(person=boss, school=world.school_b, function="director")
    Employment.objects.filter(person=world.outsider).update(manager=boss)
    return conversation_of(world, label, employee=world.outsider, manager=boss, board=world.board_b)


def criteria_of(board_id: int) -> list[AppraisalCriterion]:
    appraisal_defaults_install(board_id=board_id)
    return list(AppraisalCriterion.objects.filter(board_id=board_id, archived_at__isnull=True).order_by("position"))


def level_of(board_id: int, value: int) -> AppraisalLevel:
    appraisal_defaults_install(board_id=board_id)
    return AppraisalLevel.objects.get(board_id=board_id, value=value)


def appraisal_in(conversation: Conversation, state: str, *, complete: bool = True) -> Appraisal:
    """An appraisal of the conversation in `state`, as the services would have left it: rated in full (or, with
    complete=False, a draft with the first criterion unrated), copied labels and signatures as far as reached."""
    found = Appraisal.objects.filter(conversation=conversation).first()
    if found is not None:
        return found
    board_id = conversation.board_id
    criteria = criteria_of(board_id)
    good, fine = level_of(board_id, 4), level_of(board_id, 3)
    put_forward = state != AppraisalState.DRAFT
    final = state in (AppraisalState.FINAL, AppraisalState.OBJECTED)
    now = timezone.now()
    appraisal = Appraisal.objects.create(
        board_id=board_id,
        conversation=conversation,
        state=state,
        overall_level=good,
        overall_level_label=good.label if put_forward else "",
        overall_text=OVERALL,
        put_forward_at=now if put_forward else None,
        final_at=now if final else None,
    )
    for index, criterion in enumerate(criteria):
        if not complete and index == 0:
            continue
        level = good if index % 2 == 0 else fine
        AppraisalRating.objects.create(
            board_id=board_id,
            appraisal=appraisal,
            criterion=criterion,
            level=level,
            argument=ARGUMENT,
            criterion_name=criterion.name if put_forward else "",
            level_label=level.label if put_forward else "",
        )
    signers = []
    if state in (AppraisalState.WITH_MANAGER, AppraisalState.FINAL, AppraisalState.OBJECTED):
        signers.append((SignerRole.EMPLOYEE, Verdict.AGREED, conversation.employee))
    if final:
        signers.append((SignerRole.MANAGER, Verdict.SIGNED, conversation.manager))
    for role, verdict, person in signers:
        Signature.objects.create(
            board_id=board_id,
            conversation=conversation,
            part=SignedPart.APPRAISAL,
            appraisal=appraisal,
            role=role,
            verdict=verdict,
            signer=person,
            signer_name=person.full_name,
            signed_at=now,
        )
    if state == AppraisalState.OBJECTED:
        appraisal.objection_received_on = timezone.localdate()
        appraisal.objection_recorded_at = now
        appraisal.save(update_fields=["objection_received_on", "objection_recorded_at"])
    return appraisal


def appraisal_snapshot(appraisal: Appraisal) -> object:
    """Everything an appraisal service could write, to prove a refused call changed nothing."""
    row = Appraisal.objects.filter(pk=appraisal.pk).values().first()
    ratings = sorted(
        AppraisalRating.objects.filter(appraisal_id=appraisal.pk).values_list(
            "criterion_id", "level_id", "argument", "criterion_name", "level_label"
        )
    )
    evidence = sorted(
        str(pk)
        for pk in Appraisal.evidence.through.objects.filter(appraisal_id=appraisal.pk).values_list(
            "evidence_id", flat=True
        )
    )
    signatures = sorted(Signature.objects.filter(appraisal_id=appraisal.pk).values_list("role", "verdict"))
    events = ConversationEvent.objects.filter(conversation_id=appraisal.conversation_id).count()
    return (row, ratings, evidence, signatures, events)


# --- the matrix ------------------------------------------------------------------------------------

PARTIES_ONLY = expect(ok=("manager", "teacher"), others=NOT_FOUND)
MANAGER_STEP = expect(ok=("manager",), not_found=(), others=NOT_FOUND)
MANAGER_STEP.update({"teacher": DENIED})
EMPLOYEE_STEP = expect(ok=("teacher",), others=NOT_FOUND)
EMPLOYEE_STEP.update({"manager": DENIED})
# A draft is hidden from the teacher: the same 404 as for a conversation without an appraisal.
MANAGER_ONLY_DRAFT = expect(ok=("manager",), others=NOT_FOUND)
BOTH_POST = expect(ok=("manager", "teacher"), others=NOT_FOUND)
ADMIN_PAGE = expect(ok=ADMINISTRATORS)


def _conversation_at(state: str) -> Any:
    def conversation_id(world: World) -> Any:
        conversation = conversation_of(world, f"matrix {state}")
        appraisal_in(conversation, state)
        return conversation.pk

    return conversation_id


def _bare_conversation(world: World) -> Any:
    return conversation_of(world, "matrix none").pk


def _state_of(state: str) -> Any:
    def snapshot(world: World) -> object:
        conversation = Conversation.objects.get(location=f"matrix {state}")
        return appraisal_snapshot(Appraisal.objects.get(conversation=conversation))

    return snapshot


def _all_appraisals(world: World) -> object:
    return sorted(
        (str(a.pk), a.state, a.overall_text, a.employee_reaction, a.objection_received_on)
        for a in Appraisal.objects.all()
    )


def _draft_data(world: World) -> dict[str, Any]:
    criteria = criteria_of(world.board_a.pk)
    level = level_of(world.board_a.pk, 3)
    data: dict[str, Any] = {"overall_level": level.pk, "overall_text": "Nieuw oordeel", "intent": "save"}
    for criterion in criteria:
        data[f"level_{criterion.pk}"] = level.pk
        data[f"argument_{criterion.pk}"] = "Nieuw argument"
    return data


def _final_appraisal_id(world: World) -> Any:
    return Appraisal.objects.get(conversation_id=_conversation_at(AppraisalState.FINAL)(world)).pk


def _board_b_final_appraisal_id(world: World) -> Any:
    return appraisal_in(board_b_conversation(world), AppraisalState.FINAL).pk


def _criterion_a(world: World) -> Any:
    return criteria_of(world.board_a.pk)[-1].pk


def _criterion_b(world: World) -> Any:
    return criteria_of(world.board_b.pk)[-1].pk


def _level_a(world: World) -> Any:
    return level_of(world.board_a.pk, 5).pk


def _level_b(world: World) -> Any:
    return level_of(world.board_b.pk, 5).pk


def _settings_state(world: World) -> object:
    return (
        sorted(AppraisalCriterion.objects.values_list("board_id", "name", "description", "position", "archived_at")),
        sorted(AppraisalLevel.objects.values_list("board_id", "value", "label", "archived_at")),
    )


def _archived_criterion(board: str) -> Any:
    """An archived criterion no appraisal uses (appraisals rate active criteria only): restorable and deletable."""

    def criterion_id(world: World) -> Any:
        board_id = world.board_a.pk if board == "a" else world.board_b.pk
        appraisal_defaults_install(board_id=board_id)  # first: a board with any criterion gets no defaults
        criterion, _created = AppraisalCriterion.objects.get_or_create(
            board_id=board_id, name="Gearchiveerd", defaults={"archived_at": timezone.now(), "position": 99}
        )
        return criterion.pk

    return criterion_id


def _spare_level(board: str) -> Any:
    """An archived level 9 no appraisal uses: restorable and deletable."""

    def level_id(world: World) -> Any:
        board_id = world.board_a.pk if board == "a" else world.board_b.pk
        appraisal_defaults_install(board_id=board_id)
        level, _created = AppraisalLevel.objects.get_or_create(
            board_id=board_id, value=9, defaults={"label": "Reserve", "archived_at": timezone.now()}
        )
        return level.pk

    return level_id


def _settings_posts(name: str, key: str, own: Any, other: Any, data: dict[str, str] | None = None) -> list[Case]:
    """The POST as the beheerder of board A on board A's item and as board B's on board B's: each changes their
    own; the other board's beheerder does not find it; everyone else is refused the page."""
    return [
        Case(
            at(name, **{key: own}),
            ADMIN_PAGE | {"outsider_admin": NOT_FOUND},
            method="post",
            data=lambda w, d=data: dict(d or {}),
            state=_settings_state,
            changes=("administrator",),
            label="board A",
        ),
        Case(
            at(name, **{key: other}),
            ADMIN_PAGE | {"administrator": NOT_FOUND},
            method="post",
            data=lambda w, d=data: dict(d or {}),
            state=_settings_state,
            changes=("outsider_admin",),
            label="board B",
        ),
    ]


def _get_refused(name: str, **kwargs: Any) -> Case:
    return Case(at(name, **kwargs), same_for_everyone(NOT_ALLOWED), label="GET")


DRAFT, PUT_FORWARD, WITH_MANAGER, FINAL = (
    AppraisalState.DRAFT,
    AppraisalState.PUT_FORWARD,
    AppraisalState.WITH_MANAGER,
    AppraisalState.FINAL,
)

MATRIX: dict[str, list[Case]] = {
    # --- one conversation's appraisal ---
    "conversations:appraisal-view": [
        Case(at("conversations:appraisal-view", conversation_id=_bare_conversation), PARTIES_ONLY, label="none yet"),
        Case(at("conversations:appraisal-view", conversation_id=_conversation_at(DRAFT)), PARTIES_ONLY, label="draft"),
        Case(at("conversations:appraisal-view", conversation_id=_conversation_at(FINAL)), PARTIES_ONLY, label="final"),
        Case(
            at("conversations:appraisal-view", conversation_id=lambda w: board_b_conversation(w).pk),
            expect(ok=("outsider",), others=NOT_FOUND),
            label="board B: only its own employee",
        ),
    ],
    "conversations:appraisal-edit": [
        Case(at("conversations:appraisal-edit", conversation_id=_bare_conversation), MANAGER_STEP, label="none yet"),
        Case(at("conversations:appraisal-edit", conversation_id=_conversation_at(DRAFT)), MANAGER_STEP, label="draft"),
        Case(
            at("conversations:appraisal-edit", conversation_id=_conversation_at(DRAFT)),
            MANAGER_STEP,
            method="post",
            data=_draft_data,
            state=_state_of(DRAFT),
            changes=("manager",),
            label="draft",
        ),
        Case(
            at("conversations:appraisal-edit", conversation_id=_conversation_at(FINAL)),
            MANAGER_STEP,
            method="post",
            data=_draft_data,
            state=_state_of(FINAL),
            label="final: refused",
        ),
    ],
    "conversations:appraisal-put-forward": [
        _get_refused("conversations:appraisal-put-forward", conversation_id=_conversation_at(DRAFT)),
        Case(
            at("conversations:appraisal-put-forward", conversation_id=_conversation_at(DRAFT)),
            MANAGER_STEP,
            method="post",
            state=_state_of(DRAFT),
            changes=("manager",),
        ),
    ],
    "conversations:appraisal-withdraw": [
        _get_refused("conversations:appraisal-withdraw", conversation_id=_conversation_at(PUT_FORWARD)),
        Case(
            at("conversations:appraisal-withdraw", conversation_id=_conversation_at(PUT_FORWARD)),
            MANAGER_STEP,
            method="post",
            state=_state_of(PUT_FORWARD),
            changes=("manager",),
        ),
    ],
    "conversations:appraisal-reaction": [
        Case(
            at("conversations:appraisal-reaction", conversation_id=_conversation_at(PUT_FORWARD)),
            EMPLOYEE_STEP,
            label="put forward",
        ),
        Case(
            at("conversations:appraisal-reaction", conversation_id=_conversation_at(DRAFT)),
            expect(others=NOT_FOUND) | {"manager": DENIED},
            label="draft: hidden from the teacher",
        ),
        Case(
            at("conversations:appraisal-reaction", conversation_id=_conversation_at(PUT_FORWARD)),
            EMPLOYEE_STEP,
            method="post",
            data=lambda w: {"reaction": "Ik herken me hierin."},
            state=_state_of(PUT_FORWARD),
            changes=("teacher",),
        ),
    ],
    "conversations:appraisal-sign": [
        _get_refused("conversations:appraisal-sign", conversation_id=_conversation_at(PUT_FORWARD)),
        Case(
            at("conversations:appraisal-sign", conversation_id=_conversation_at(PUT_FORWARD)),
            BOTH_POST,
            method="post",
            data=lambda w: {"verdict": Verdict.SEEN},
            state=_state_of(PUT_FORWARD),
            changes=("teacher",),
            label="put forward: the teacher signs, the manager is refused",
        ),
        Case(
            at("conversations:appraisal-sign", conversation_id=_conversation_at(WITH_MANAGER)),
            BOTH_POST,
            method="post",
            data=lambda w: {"verdict": Verdict.AGREED},
            state=_state_of(WITH_MANAGER),
            changes=("manager",),
            label="with manager: the manager signs, the teacher is refused",
        ),
        Case(
            at("conversations:appraisal-sign", conversation_id=_conversation_at(DRAFT)),
            MANAGER_ONLY_DRAFT,
            method="post",
            data=lambda w: {"verdict": Verdict.AGREED},
            state=_state_of(DRAFT),
            label="draft: hidden from the teacher, refused to the manager",
        ),
    ],
    # --- the board's appraisals ---
    "conversations:appraisal-list": [Case(at("conversations:appraisal-list"), ADMIN_PAGE)],
    "conversations:appraisal-objection": [
        Case(at("conversations:appraisal-objection", appraisal_id=_final_appraisal_id), A_ONLY, label="board A"),
        Case(
            at("conversations:appraisal-objection", appraisal_id=_board_b_final_appraisal_id),
            ADMIN_PAGE | {"administrator": NOT_FOUND},
            label="board B",
        ),
        Case(
            at("conversations:appraisal-objection", appraisal_id=_final_appraisal_id),
            A_ONLY,
            method="post",
            data=lambda w: {"received_on": timezone.localdate().isoformat(), "note": "Per brief"},
            state=_all_appraisals,
            changes=("administrator",),
            label="board A",
        ),
    ],
    # --- the board's criteria and scale ---
    "conversations:appraisal-settings": [Case(at("conversations:appraisal-settings"), ADMIN_PAGE)],
    "conversations:appraisal-criterion-create": [
        Case(at("conversations:appraisal-criterion-create"), ADMIN_PAGE),
        Case(
            at("conversations:appraisal-criterion-create"),
            ADMIN_PAGE,
            method="post",
            data=lambda w: {"name": "Leiderschap", "description": ""},
            state=_settings_state,
            changes=ADMINISTRATORS,
        ),
    ],
    "conversations:appraisal-criterion-edit": [
        Case(at("conversations:appraisal-criterion-edit", criterion_id=_criterion_a), A_ONLY),
        *_settings_posts(
            "conversations:appraisal-criterion-edit",
            "criterion_id",
            _criterion_a,
            _criterion_b,
            {"name": "Anders", "description": "", "position": "3"},
        ),
    ],
    "conversations:appraisal-criterion-archive": [
        _get_refused("conversations:appraisal-criterion-archive", criterion_id=_criterion_a),
        *_settings_posts("conversations:appraisal-criterion-archive", "criterion_id", _criterion_a, _criterion_b),
    ],
    "conversations:appraisal-criterion-restore": [
        _get_refused("conversations:appraisal-criterion-restore", criterion_id=_archived_criterion("a")),
        *_settings_posts(
            "conversations:appraisal-criterion-restore",
            "criterion_id",
            _archived_criterion("a"),
            _archived_criterion("b"),
        ),
    ],
    "conversations:appraisal-criterion-delete": [
        _get_refused("conversations:appraisal-criterion-delete", criterion_id=_archived_criterion("a")),
        *_settings_posts(
            "conversations:appraisal-criterion-delete",
            "criterion_id",
            _archived_criterion("a"),
            _archived_criterion("b"),
        ),
    ],
    "conversations:appraisal-level-create": [
        Case(at("conversations:appraisal-level-create"), ADMIN_PAGE),
        Case(
            at("conversations:appraisal-level-create"),
            ADMIN_PAGE,
            method="post",
            data=lambda w: {"value": "6", "label": "Excellent"},
            state=_settings_state,
            changes=ADMINISTRATORS,
        ),
    ],
    "conversations:appraisal-level-edit": [
        Case(at("conversations:appraisal-level-edit", level_id=_level_a), A_ONLY),
        *_settings_posts("conversations:appraisal-level-edit", "level_id", _level_a, _level_b, {"label": "Top"}),
    ],
    "conversations:appraisal-level-archive": [
        _get_refused("conversations:appraisal-level-archive", level_id=_level_a),
        *_settings_posts("conversations:appraisal-level-archive", "level_id", _level_a, _level_b),
    ],
    "conversations:appraisal-level-restore": [
        _get_refused("conversations:appraisal-level-restore", level_id=_spare_level("a")),
        *_settings_posts("conversations:appraisal-level-restore", "level_id", _spare_level("a"), _spare_level("b")),
    ],
    "conversations:appraisal-level-delete": [
        _get_refused("conversations:appraisal-level-delete", level_id=_spare_level("a")),
        *_settings_posts("conversations:appraisal-level-delete", "level_id", _spare_level("a"), _spare_level("b")),
    ],
}
