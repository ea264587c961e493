"""The gesprekscyclus set-up pages in the authorization matrix (merged by matrix_cases.py).

Only the functioneel beheerder opens them ("conversations.manage"), for their own board: the other
board's beheerder does not find board A's cycles, forms or versions (404); everyone else is refused at
the door (403), the leidinggevende too. Every POST names the state it may change (every set-up row of
every board), so an "ok" that changed nothing fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bekwaam.conversations.models import (
    ConversationCycle,
    ConversationForm,
    ConversationKind,
    CycleStep,
    FormPrompt,
    FormPurpose,
    FormSection,
    FormVersion,
)
from bekwaam.conversations.services.setup import conversation_defaults_install
from bekwaam.tenancy.tests.matrix import (
    A_ONLY,
    ADMINISTRATORS,
    B_ONLY,
    NOT_ALLOWED,
    Case,
    World,
    at,
    expect,
    same_for_everyone,
)

PAGE = expect(ok=ADMINISTRATORS)
POST_ONLY = same_for_everyone(NOT_ALLOWED)
ADMIN_A = ("administrator",)


def _installed(board: Any) -> None:
    if not ConversationForm.objects.filter(board=board, shipped_as="ontwikkelgesprek-voorbereiding").exists():
        conversation_defaults_install(board_id=board.pk)


def published_a(world: World) -> Any:
    """Version 1 of board A's shipped preparation form for the development conversation."""
    _installed(world.board_a)
    return FormVersion.objects.get(board=world.board_a, form__shipped_as="ontwikkelgesprek-voorbereiding").pk


def _draft(board: Any) -> Any:
    version = FormVersion.objects.filter(board=board, form__slug="matrix-concept").first()
    if version is None:
        form = ConversationForm.objects.create(
            board=board,
            slug="matrix-concept",
            name="Matrixformulier",
            kind=ConversationKind.PERFORMANCE,
            purpose=FormPurpose.PREPARATION,
        )
        version = FormVersion.objects.create(board=board, form=form, number=1)
        section = FormSection.objects.create(board=board, version=version, title="Eerste deel", position=1)
        FormPrompt.objects.create(board=board, section=section, text="Hoe gaat het?", position=1)
        FormPrompt.objects.create(board=board, section=section, text="Wat wil je leren?", position=2)
    return version.pk


def draft_a(world: World) -> Any:
    return _draft(world.board_a)


def draft_b(world: World) -> Any:
    return _draft(world.board_b)


def form_of(version: Callable[[World], Any]) -> Callable[[World], Any]:
    return lambda world: FormVersion.objects.get(pk=version(world)).form_id


def first_section(version: Callable[[World], Any]) -> Callable[[World], Any]:
    return lambda world: FormSection.objects.filter(version_id=version(world)).order_by("position").first().pk  # type: ignore[union-attr]


def first_prompt(version: Callable[[World], Any]) -> Callable[[World], Any]:
    def get(world: World) -> Any:
        return FormPrompt.objects.filter(section__version_id=version(world)).order_by("position").first().pk  # type: ignore[union-attr]

    return get


def board_cycle_a(world: World) -> Any:
    _installed(world.board_a)
    return ConversationCycle.objects.get(board=world.board_a, school__isnull=True).pk


def board_cycle_b(world: World) -> Any:
    _installed(world.board_b)
    return ConversationCycle.objects.get(board=world.board_b, school__isnull=True).pk


def school_cycle_a(world: World) -> Any:
    """school_a2's own cycle: the development and performance conversations only."""
    cycle = ConversationCycle.objects.filter(board=world.board_a, school=world.school_a2).first()
    if cycle is None:
        cycle = ConversationCycle.objects.create(board=world.board_a, school=world.school_a2)
        for position, kind in enumerate((ConversationKind.DEVELOPMENT, ConversationKind.PERFORMANCE), start=1):
            CycleStep.objects.create(board=world.board_a, cycle=cycle, kind=kind, position=position)
    return cycle.pk


def step_of(cycle: Callable[[World], Any]) -> Callable[[World], Any]:
    return lambda world: CycleStep.objects.filter(cycle_id=cycle(world)).order_by("position").first().pk  # type: ignore[union-attr]


def setup_rows(world: World) -> object:
    """Every set-up row of every board: what any POST here may change."""
    return [
        list(model.objects.order_by("pk").values_list())
        for model in (ConversationForm, FormVersion, FormSection, FormPrompt, ConversationCycle, CycleStep)
    ]


def _missing_form_a(world: World) -> dict[str, Any]:
    """Board A lacks one shipped form (its marker is gone), board B has them all: installing adds one to A."""
    _installed(world.board_a)
    _installed(world.board_b)
    ConversationForm.objects.filter(board=world.board_a, shipped_as="beoordelingsgesprek-verslag").update(shipped_as="")
    return {}


def post(url: Callable[[World], str], outcome: dict[str, str], changes: tuple[str, ...], **data: Any) -> Case:
    """A POST whose data values may be callables of the world (ids of objects built for it)."""
    return Case(
        url,
        outcome,
        method="post",
        data=lambda w: {key: value(w) if callable(value) else value for key, value in data.items()},
        state=setup_rows,
        changes=changes,
    )


def v(name: str, version: Callable[[World], Any] = draft_a, **kwargs: Any) -> Callable[[World], str]:
    return at(f"conversations:{name}", version_id=version, **kwargs)


STEP_DATA = {"interval_years": "2", "due_month": "10", "in_first_year": "on"}

MATRIX: dict[str, list[Case]] = {
    "conversations:setup": [Case(at("conversations:setup"), PAGE)],
    "conversations:setup-install": [
        Case(at("conversations:setup-install"), POST_ONLY),
        Case(
            at("conversations:setup-install"),
            PAGE,
            method="post",
            data=_missing_form_a,
            state=setup_rows,
            changes=ADMIN_A,
            label="board A lacks a shipped form",
        ),
    ],
    "conversations:cycle-create": [
        Case(at("conversations:cycle-create"), POST_ONLY),
        post(at("conversations:cycle-create"), PAGE, ADMIN_A, school=lambda w: w.school_a.pk),
    ],
    "conversations:cycle-delete": [
        Case(at("conversations:cycle-delete", cycle_id=school_cycle_a), POST_ONLY),
        post(at("conversations:cycle-delete", cycle_id=school_cycle_a), A_ONLY, ADMIN_A),
    ],
    "conversations:step-create": [
        Case(at("conversations:step-create", cycle_id=school_cycle_a), A_ONLY),
        post(
            at("conversations:step-create", cycle_id=school_cycle_a),
            A_ONLY,
            ADMIN_A,
            kind="appraisal",
            **STEP_DATA,
        ),
        Case(at("conversations:step-create", cycle_id=board_cycle_b), B_ONLY, label="board B"),
    ],
    "conversations:step-update": [
        Case(at("conversations:step-update", step_id=step_of(board_cycle_a)), A_ONLY),
        post(
            at("conversations:step-update", step_id=step_of(board_cycle_a)),
            A_ONLY,
            ADMIN_A,
            kind="development",
            **STEP_DATA,
        ),
    ],
    "conversations:step-delete": [
        Case(at("conversations:step-delete", step_id=step_of(board_cycle_a)), POST_ONLY),
        post(at("conversations:step-delete", step_id=step_of(board_cycle_a)), A_ONLY, ADMIN_A),
        post(at("conversations:step-delete", step_id=step_of(board_cycle_b)), B_ONLY, ("outsider_admin",)),
    ],
    "conversations:form-create": [
        Case(at("conversations:form-create"), PAGE),
        post(
            at("conversations:form-create"),
            PAGE,
            ADMINISTRATORS,
            name="Nieuw formulier",
            kind="development",
            purpose="report",
        ),
    ],
    "conversations:form-detail": [
        Case(at("conversations:form-detail", form_id=form_of(published_a)), A_ONLY, label="board A"),
        Case(at("conversations:form-detail", form_id=form_of(draft_b)), B_ONLY, label="board B"),
    ],
    "conversations:form-update": [
        Case(at("conversations:form-update", form_id=form_of(published_a)), A_ONLY),
        post(at("conversations:form-update", form_id=form_of(published_a)), A_ONLY, ADMIN_A, name="Hernoemd"),
    ],
    "conversations:form-version-create": [
        Case(at("conversations:form-version-create", form_id=form_of(published_a)), POST_ONLY),
        post(at("conversations:form-version-create", form_id=form_of(published_a)), A_ONLY, ADMIN_A),
    ],
    "conversations:form-version-detail": [
        Case(v("form-version-detail"), A_ONLY, label="a draft of board A"),
        Case(v("form-version-detail", published_a), A_ONLY, label="published, board A"),
        Case(v("form-version-detail", draft_b), B_ONLY, label="a draft of board B"),
    ],
    "conversations:form-version-update": [
        Case(v("form-version-update"), A_ONLY),
        post(v("form-version-update"), A_ONLY, ADMIN_A, intro="Een nieuwe inleiding."),
    ],
    "conversations:form-version-publish": [
        Case(v("form-version-publish"), POST_ONLY),
        post(v("form-version-publish"), A_ONLY, ADMIN_A),
        post(v("form-version-publish", draft_b), B_ONLY, ("outsider_admin",)),
        # A published version: the beheerder is told it cannot change; nothing changes for anyone.
        post(v("form-version-publish", published_a), A_ONLY, ()),
    ],
    "conversations:form-version-delete": [
        Case(v("form-version-delete"), A_ONLY),
        post(v("form-version-delete"), A_ONLY, ADMIN_A),
        post(v("form-version-delete", published_a), A_ONLY, ()),
    ],
    "conversations:form-section-create": [
        Case(v("form-section-create"), A_ONLY),
        post(v("form-section-create"), A_ONLY, ADMIN_A, title="Tweede deel"),
        post(v("form-section-create", published_a), A_ONLY, (), title="Niet toegestaan"),
    ],
    "conversations:form-section-update": [
        Case(v("form-section-update", section_id=first_section(draft_a)), A_ONLY),
        post(v("form-section-update", section_id=first_section(draft_a)), A_ONLY, ADMIN_A, title="Anders"),
    ],
    "conversations:form-section-delete": [
        Case(v("form-section-delete", section_id=first_section(draft_a)), POST_ONLY),
        post(v("form-section-delete", section_id=first_section(draft_a)), A_ONLY, ADMIN_A),
        post(v("form-section-delete", published_a, section_id=first_section(published_a)), A_ONLY, ()),
    ],
    "conversations:form-section-move": [
        Case(v("form-section-move", section_id=first_section(published_a)), POST_ONLY),
        post(
            v("form-section-move", published_a, section_id=first_section(published_a)),
            A_ONLY,
            (),
            direction="down",
        ),
    ],
    "conversations:form-prompt-create": [
        Case(v("form-prompt-create", section_id=first_section(draft_a)), A_ONLY),
        post(
            v("form-prompt-create", section_id=first_section(draft_a)),
            A_ONLY,
            ADMIN_A,
            text="Nieuwe vraag",
            answer_type="text",
        ),
    ],
    "conversations:form-prompt-update": [
        Case(v("form-prompt-update", prompt_id=first_prompt(draft_a)), A_ONLY),
        post(
            v("form-prompt-update", prompt_id=first_prompt(draft_a)),
            A_ONLY,
            ADMIN_A,
            text="Andere vraag",
            answer_type="text",
            section=first_section(draft_a),
        ),
    ],
    "conversations:form-prompt-delete": [
        Case(v("form-prompt-delete", prompt_id=first_prompt(draft_a)), POST_ONLY),
        post(v("form-prompt-delete", prompt_id=first_prompt(draft_a)), A_ONLY, ADMIN_A),
        post(v("form-prompt-delete", published_a, prompt_id=first_prompt(published_a)), A_ONLY, ()),
    ],
    "conversations:form-prompt-move": [
        Case(v("form-prompt-move", prompt_id=first_prompt(draft_a)), POST_ONLY),
        post(v("form-prompt-move", prompt_id=first_prompt(draft_a)), A_ONLY, ADMIN_A, direction="down"),
    ],
}
