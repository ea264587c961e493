"""The gesprekscyclus set-up: shipped defaults, cycles of board and schools, the form builder and its
versions (a published version never changes), and `forms_for`, which planning uses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext, ngettext

from bekwaam.conversations.models import (
    AnswerType,
    AppraisalCriterion,
    ConversationCycle,
    ConversationForm,
    ConversationKind,
    CycleStep,
    FormPrompt,
    FormPurpose,
    FormSection,
    FormStatus,
    FormVersion,
)
from bekwaam.conversations.selectors.setup import forms_for
from bekwaam.conversations.services import setup as services
from bekwaam.frameworks.models import Competence
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.tenancy import services as tenancy_services
from bekwaam.tenancy.context import actor_for

pytestmark = pytest.mark.django_db

SHIPPED_SLUGS = {
    "ontwikkelgesprek-voorbereiding",
    "ontwikkelgesprek-verslag",
    "functioneringsgesprek-voorbereiding",
    "functioneringsgesprek-verslag",
    "beoordelingsgesprek-voorbereiding",
    "beoordelingsgesprek-verslag",
}


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    with translation.override("en"):
        yield


def admin(world: Any) -> Any:
    return actor_for(world.administrator, None)


def setup_rows() -> object:
    return [
        list(model.objects.order_by("pk").values_list())
        for model in (ConversationForm, FormVersion, FormSection, FormPrompt, ConversationCycle, CycleStep)
    ]


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def dutch(msgid: str) -> str:
    """What a page shows (the test client's requests are in Dutch) for an English msgid."""
    with translation.override("nl"):
        return gettext(msgid)


def draft_with_prompt(world: Any, *, kind: str = ConversationKind.PERFORMANCE) -> FormVersion:
    actor = admin(world)
    form = services.form_create(actor=actor, kind=kind, purpose=FormPurpose.PREPARATION, name="Eigen formulier")
    draft = form.versions.get()
    section = services.section_create(actor=actor, version=draft, title="Werk")
    services.prompt_create(actor=actor, section=section, text="Hoe gaat het?")
    return draft


# --- shipped defaults ---------------------------------------------------------------------------------


def test_it_ships_a_preparation_and_a_report_form_for_each_kind() -> None:
    shipped = services.shipped_defaults()
    assert {(f.kind, f.purpose) for f in shipped.forms} == {
        (kind, purpose) for kind in ConversationKind.values for purpose in FormPurpose.values
    }
    assert {f.slug for f in shipped.forms} == SHIPPED_SLUGS
    assert shipped.source
    assert all(p.text for f in shipped.forms for s in f.sections for p in s.prompts)


def test_it_ships_the_development_forms_along_the_appreciative_phases() -> None:
    for form in services.shipped_defaults().forms:
        if form.kind != ConversationKind.DEVELOPMENT:
            continue
        titles = [s.title.split(":")[0] for s in form.sections]
        assert titles == ["Ontdekken", "Dromen", "Ontwerpen", "Waarmaken"]
        assert all(2 <= len(s.prompts) <= 3 for s in form.sections)


def test_it_installs_the_shipped_forms_published_and_the_cycle(world: Any) -> None:
    services.conversation_defaults_install(board_id=world.board_a.pk)
    forms = ConversationForm.objects.filter(board=world.board_a)
    assert {f.shipped_as for f in forms} == SHIPPED_SLUGS
    versions = FormVersion.objects.filter(board=world.board_a)
    assert {(v.number, v.status) for v in versions} == {(1, FormStatus.PUBLISHED)}
    cycle = ConversationCycle.objects.get(board=world.board_a, school__isnull=True)
    steps = {s.kind: s for s in cycle.steps.select_related("preparation_form", "report_form")}
    assert steps[ConversationKind.DEVELOPMENT].interval_years == 1
    assert steps[ConversationKind.DEVELOPMENT].due_month == 11
    assert steps[ConversationKind.PERFORMANCE].due_month == 3
    appraisal = steps[ConversationKind.APPRAISAL]
    assert (appraisal.interval_years, appraisal.in_first_year, appraisal.due_month) == (3, True, 6)
    assert appraisal.report_form is not None and appraisal.report_form.shipped_as == "beoordelingsgesprek-verslag"
    assert AppraisalCriterion.objects.filter(board=world.board_a).exists()
    assert not ConversationForm.objects.filter(board=world.board_b).exists()


def test_it_installs_idempotently_and_keeps_the_boards_own_changes(world: Any) -> None:
    services.conversation_defaults_install(board_id=world.board_a.pk)
    CycleStep.objects.filter(board=world.board_a, kind=ConversationKind.PERFORMANCE).delete()
    before = setup_rows()
    services.conversation_defaults_install(board_id=world.board_a.pk)
    assert setup_rows() == before


def test_it_adds_only_the_missing_shipped_forms(world: Any) -> None:
    services.conversation_defaults_install(board_id=world.board_a.pk)
    ConversationForm.objects.filter(board=world.board_a, shipped_as="beoordelingsgesprek-verslag").update(shipped_as="")
    services.conversation_defaults_install(board_id=world.board_a.pk)
    assert ConversationForm.objects.filter(board=world.board_a).count() == len(SHIPPED_SLUGS) + 1
    assert ConversationForm.objects.filter(board=world.board_a, slug="beoordelingsgesprek-verslag-2").exists()


def test_it_gives_a_new_board_the_defaults(
    world: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    operator = actor_for(world.operator, None)
    with django_capture_on_commit_callbacks(execute=True):
        board = tenancy_services.board_create(
            actor=operator,
            name="Stichting Nieuw",
            authority_number="55555",
            admin_email="beheer@nieuw.nl",
            admin_given_name="Nina",
            admin_name_prefix="",
            admin_family_name="Nieuw",
        )
    assert {f.shipped_as for f in ConversationForm.objects.filter(board=board)} == SHIPPED_SLUGS
    assert ConversationCycle.objects.filter(board=board, school__isnull=True).exists()
    assert AppraisalCriterion.objects.filter(board=board).exists()


def test_it_lets_only_the_beheerder_install_from_the_page(world: Any, client_for: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.conversation_defaults_adopt(actor=actor_for(world.manager, None))
    client = client_for(world.administrator)
    page = client.get("/conversations/setup/")
    assert dutch("Install the shipped forms and cycle") in page.content.decode()
    response = client.post("/conversations/setup/install/", follow=True)
    assert response.status_code == 200
    assert ConversationForm.objects.filter(board=world.board_a).count() == len(SHIPPED_SLUGS)
    content = response.content.decode()
    assert "Voorbereiding ontwikkelgesprek (waarderend)" in content
    assert dutch("Install the shipped forms and cycle") not in content


# --- cycles -------------------------------------------------------------------------------------------


def test_it_copies_the_boards_cycle_for_a_school_and_removes_it_again(world: Any, client_for: Any) -> None:
    services.conversation_defaults_install(board_id=world.board_a.pk)
    client = client_for(world.administrator)
    response = client.post("/conversations/setup/cycles/new/", {"school": world.school_a2.pk}, follow=True)
    assert response.status_code == 200
    cycle = ConversationCycle.objects.get(board=world.board_a, school=world.school_a2)
    board_steps = CycleStep.objects.filter(board=world.board_a, cycle__school__isnull=True)
    assert sorted(cycle.steps.values_list("kind", "interval_years", "report_form_id")) == sorted(
        board_steps.values_list("kind", "interval_years", "report_form_id")
    )
    assert world.school_a2.name in response.content.decode()

    again = client.post("/conversations/setup/cycles/new/", {"school": world.school_a2.pk}, follow=True)
    assert ConversationCycle.objects.filter(school=world.school_a2).count() == 1
    assert messages_of(again)[-1] == dutch("Choose a school of your board without its own cycle.")

    client.post(f"/conversations/setup/cycles/{cycle.pk}/delete/")
    assert not ConversationCycle.objects.filter(school=world.school_a2).exists()
    assert board_steps.count() == 3


def test_it_refuses_to_remove_the_boards_cycle_or_take_a_school_of_another_board(world: Any) -> None:
    services.conversation_defaults_install(board_id=world.board_a.pk)
    cycle = ConversationCycle.objects.get(board=world.board_a, school__isnull=True)
    with pytest.raises(ValidationError, match="cannot be removed"):
        services.cycle_delete(actor=admin(world), cycle=cycle)
    with pytest.raises(ValidationError) as error:
        services.cycle_create(actor=admin(world), school=world.school_b)
    assert "school" in error.value.message_dict
    with pytest.raises(ValidationError, match="has a cycle already"):
        services.cycle_create(actor=admin(world), school=None)


def test_it_adds_edits_and_removes_a_step(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    client.post("/conversations/setup/cycles/new/", {})
    cycle = ConversationCycle.objects.get(board=world.board_a, school__isnull=True)
    assert not cycle.steps.exists()
    form = services.form_create(
        actor=admin(world), kind=ConversationKind.PERFORMANCE, purpose=FormPurpose.REPORT, name="Verslag"
    )
    data = {"kind": "performance", "interval_years": "1", "due_month": "3", "report_form": str(form.pk)}
    response = client.post(f"/conversations/setup/cycles/{cycle.pk}/steps/new/", data)
    assert response.status_code == 302
    step = cycle.steps.get()
    assert (step.kind, step.due_month, step.report_form_id, step.in_first_year) == ("performance", 3, form.pk, False)

    twice = client.post(f"/conversations/setup/cycles/{cycle.pk}/steps/new/", data)
    assert twice.status_code == 400
    assert twice.context["form"].errors["kind"] == [dutch("This cycle has this conversation already.")]

    wrong_kind = {**data, "kind": "development"}
    refused = client.post(f"/conversations/setup/steps/{step.pk}/", wrong_kind)
    assert refused.status_code == 400
    assert "report_form" in refused.context["form"].errors
    assert refused.context["form"]["kind"].value() == "development"  # what was typed stays

    client.post(f"/conversations/setup/steps/{step.pk}/", {**data, "interval_years": "2", "in_first_year": "on"})
    step.refresh_from_db()
    assert (step.interval_years, step.in_first_year) == (2, True)

    page = client.get("/conversations/setup/").content.decode()
    with translation.override("nl"):
        how_often = ngettext("every school year", "every %(count)s school years", 2) % {"count": 2}
        assert (
            gettext("%(how_often)s, and in the first school year of a new employment") % {"how_often": how_often}
            in page
        )
        assert "maart" in page

    client.post(f"/conversations/setup/steps/{step.pk}/delete/")
    assert not cycle.steps.exists()


def test_it_refuses_a_step_form_of_another_board_or_purpose(world: Any) -> None:
    cycle = services.cycle_create(actor=admin(world))
    own_prep = services.form_create(
        actor=admin(world), kind=ConversationKind.DEVELOPMENT, purpose=FormPurpose.PREPARATION, name="Voorbereiding"
    )
    other = ConversationForm.objects.create(
        board=world.board_b, slug="x", name="X", kind=ConversationKind.DEVELOPMENT, purpose=FormPurpose.REPORT
    )
    common = {"kind": ConversationKind.DEVELOPMENT, "interval_years": 1, "in_first_year": False, "due_month": 11}
    with pytest.raises(ValidationError) as error:
        services.step_create(actor=admin(world), cycle=cycle, report_form=other, **common)
    assert error.value.message_dict == {"report_form": ["Choose a form of your board."]}
    with pytest.raises(ValidationError) as error:
        services.step_create(actor=admin(world), cycle=cycle, report_form=own_prep, **common)
    assert list(error.value.message_dict) == ["report_form"]
    assert not cycle.steps.exists()


# --- the form builder ---------------------------------------------------------------------------------


def test_it_builds_a_form_and_publishes_it_through_the_pages(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    response = client.post(
        "/conversations/setup/forms/new/", {"name": "Startgesprek", "kind": "development", "purpose": "preparation"}
    )
    form = ConversationForm.objects.get(board=world.board_a, name="Startgesprek")
    draft = form.versions.get()
    url = f"/conversations/setup/form-versions/{draft.pk}/"
    assert response["Location"] == url
    assert (draft.number, draft.status, form.slug) == (1, FormStatus.DRAFT, "startgesprek")

    refused = client.post(url + "publish/", follow=True)
    assert messages_of(refused)[-1] == dutch("Add at least one section with a question.")

    client.post(url + "sections/new/", {"title": "Terugblik", "intro": "Kijk terug."})
    section = FormSection.objects.get(version=draft)
    empty = client.post(url + "publish/", follow=True)
    assert messages_of(empty)[-1] == dutch("Section “%(title)s” has no questions.") % {"title": "Terugblik"}

    client.post(
        url + f"sections/{section.pk}/questions/new/",
        {"text": "Wat ging goed?", "help_text": "Een voorbeeld.", "answer_type": "text", "required": "on"},
    )
    prompt = FormPrompt.objects.get(section=section)
    assert (prompt.text, prompt.help_text, prompt.required, prompt.competence_id) == (
        "Wat ging goed?",
        "Een voorbeeld.",
        True,
        None,
    )
    page = client.get(url).content.decode()
    assert "Wat ging goed?" in page
    complete = "This version is complete. Once published it can no longer be changed; conversations planned from "
    assert dutch(complete + "then on use it.") in page

    published = client.post(url + "publish/", follow=True)
    assert published.status_code == 200
    draft.refresh_from_db()
    assert draft.status == FormStatus.PUBLISHED and draft.published_at is not None


def test_it_keeps_what_was_typed_when_a_question_is_refused(world: Any, client_for: Any) -> None:
    draft = draft_with_prompt(world)
    section = draft.sections.get()
    response = client_for(world.administrator).post(
        f"/conversations/setup/form-versions/{draft.pk}/sections/{section.pk}/questions/new/",
        {"text": "Hoe beoordeel je jezelf?", "answer_type": "rating"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["competence"] == [dutch("Choose the competence to rate.")]
    assert response.context["form"]["text"].value() == "Hoe beoordeel je jezelf?"


def test_it_refuses_every_change_to_a_published_version_and_changes_nothing(world: Any) -> None:
    services.conversation_defaults_install(board_id=world.board_a.pk)
    actor = admin(world)
    version = FormVersion.objects.get(board=world.board_a, form__shipped_as="functioneringsgesprek-verslag")
    section = version.sections.order_by("position").first()
    assert section is not None
    prompt = section.prompts.order_by("position").first()
    assert prompt is not None
    framework = framework_version_build(board=world.board_a)
    competence = Competence.objects.filter(version=framework).first()
    attempts: list[Callable[[], Any]] = [
        lambda: services.form_version_publish(actor=actor, version=version),
        lambda: services.form_version_update(actor=actor, version=version, intro="x", framework_version=None),
        lambda: services.form_version_delete(actor=actor, version=version),
        lambda: services.section_create(actor=actor, version=version, title="Nieuw"),
        lambda: services.section_update(actor=actor, section=section, title="Anders"),
        lambda: services.section_delete(actor=actor, section=section),
        lambda: services.section_move(actor=actor, section=section, direction="down"),
        lambda: services.prompt_create(actor=actor, section=section, text="Nieuw"),
        lambda: services.prompt_create(
            actor=actor, section=section, text="Nieuw", answer_type=AnswerType.RATING, competence=competence
        ),
        lambda: services.prompt_update(actor=actor, prompt=prompt, text="Anders"),
        lambda: services.prompt_delete(actor=actor, prompt=prompt),
        lambda: services.prompt_move(actor=actor, prompt=prompt, direction="down"),
    ]
    before = setup_rows()
    for attempt in attempts:
        with pytest.raises(ValidationError, match="has been published and can no longer be changed"):
            attempt()
    assert setup_rows() == before


def test_it_refuses_the_form_builder_to_anyone_but_the_beheerder(world: Any) -> None:
    draft = draft_with_prompt(world)
    before = setup_rows()
    for person in (world.manager, world.teacher, world.board_member):
        actor = actor_for(person, None)
        with pytest.raises(PermissionDenied):
            services.section_create(actor=actor, version=draft, title="Nee")
        with pytest.raises(PermissionDenied):
            services.form_version_publish(actor=actor, version=draft)
    outsider = actor_for(world.outsider_admin, None)
    with pytest.raises(ValidationError, match="another board"):
        services.section_create(actor=outsider, version=draft, title="Nee")
    assert setup_rows() == before


def test_it_starts_a_new_version_as_a_copy_and_keeps_one_draft(world: Any, client_for: Any) -> None:
    services.conversation_defaults_install(board_id=world.board_a.pk)
    form = ConversationForm.objects.get(board=world.board_a, shipped_as="ontwikkelgesprek-verslag")
    published = form.versions.get()
    client = client_for(world.administrator)
    response = client.post(f"/conversations/setup/forms/{form.pk}/versions/new/")
    draft = form.versions.get(number=2)
    assert response["Location"] == f"/conversations/setup/form-versions/{draft.pk}/"
    assert draft.status == FormStatus.DRAFT and draft.intro == published.intro

    def shape(version: FormVersion) -> list[Any]:
        return [
            (s.title, s.intro, s.position, [(p.text, p.help_text, p.required, p.position) for p in s.prompts.all()])
            for s in version.sections.order_by("position")
        ]

    assert shape(draft) == shape(published)
    second = client.post(f"/conversations/setup/forms/{form.pk}/versions/new/", follow=True)
    assert messages_of(second)[-1] == dutch("This form already has a draft: continue with that one.")
    assert form.versions.count() == 2

    # Editing the copy leaves the published version as it was.
    prompt = FormPrompt.objects.filter(section__version=draft).order_by("section__position", "position").first()
    assert prompt is not None
    services.prompt_update(actor=admin(world), prompt=prompt, text="Nieuwe vraag")
    assert "Nieuwe vraag" not in str(shape(published))


def test_it_deletes_a_draft_and_a_form_whose_only_version_it_was(world: Any, client_for: Any) -> None:
    draft = draft_with_prompt(world)
    client = client_for(world.administrator)
    confirm = client.get(f"/conversations/setup/form-versions/{draft.pk}/delete/")
    assert dutch("This is the form's only version: the form is deleted as well.") in confirm.content.decode()
    client.post(f"/conversations/setup/form-versions/{draft.pk}/delete/")
    assert not ConversationForm.objects.filter(pk=draft.form_id).exists()
    assert not FormSection.objects.filter(version_id=draft.pk).exists()


def test_it_keeps_a_form_that_a_cycle_uses(world: Any) -> None:
    draft = draft_with_prompt(world, kind=ConversationKind.DEVELOPMENT)
    cycle = services.cycle_create(actor=admin(world))
    services.step_create(
        actor=admin(world),
        cycle=cycle,
        kind=ConversationKind.DEVELOPMENT,
        interval_years=1,
        in_first_year=False,
        due_month=11,
        preparation_form=draft.form,
    )
    with pytest.raises(ValidationError, match="a cycle uses the form"):
        services.form_version_delete(actor=admin(world), version=draft)
    assert FormVersion.objects.filter(pk=draft.pk).exists()


def test_it_moves_sections_and_questions(world: Any, client_for: Any) -> None:
    draft = draft_with_prompt(world)
    actor = admin(world)
    first = draft.sections.get()
    second = services.section_create(actor=actor, version=draft, title="Tweede")
    services.prompt_create(actor=actor, section=first, text="Tweede vraag")
    client = client_for(world.administrator)
    url = f"/conversations/setup/form-versions/{draft.pk}/"
    client.post(url + f"sections/{second.pk}/move/", {"direction": "up"})
    assert list(draft.sections.order_by("position").values_list("title", flat=True)) == ["Tweede", "Werk"]
    question = first.prompts.get(text="Hoe gaat het?")
    client.post(url + f"questions/{question.pk}/move/", {"direction": "down"})
    assert list(first.prompts.order_by("position").values_list("text", flat=True)) == ["Tweede vraag", "Hoe gaat het?"]
    client.post(url + f"questions/{question.pk}/", {"text": "Verplaatst", "answer_type": "text", "section": second.pk})
    question.refresh_from_db()
    assert (question.section_id, question.text) == (second.pk, "Verplaatst")
    nowhere = client.post(url + f"sections/{first.pk}/move/", {"direction": "sideways"}, follow=True)
    assert messages_of(nowhere)[-1] == dutch("Choose up or down.")


def test_it_rates_a_competence_of_one_published_framework_version_of_the_board(world: Any) -> None:
    actor = admin(world)
    draft = draft_with_prompt(world)
    section = draft.sections.get()
    first = framework_version_build(board=world.board_a, slug="kader-een")
    second = framework_version_build(board=world.board_a, slug="kader-twee")
    unpublished = framework_version_build(board=world.board_a, slug="kader-concept", published=False)
    foreign = framework_version_build(board=world.board_b, slug="kader-b")

    def competence(version: Any) -> Competence:
        found = Competence.objects.filter(version=version).order_by("code").first()
        assert found is not None
        return found

    for refused in (unpublished, foreign):
        with pytest.raises(ValidationError) as error:
            services.prompt_create(
                actor=actor, section=section, text="Hoe sta je ervoor?", answer_type=AnswerType.RATING,
                competence=competence(refused),
            )  # fmt: skip
        assert list(error.value.message_dict) == ["competence"]
    rating = services.prompt_create(
        actor=actor, section=section, text="Hoe sta je ervoor?", answer_type=AnswerType.RATING,
        competence=competence(first),
    )  # fmt: skip
    draft.refresh_from_db()
    assert draft.framework_version_id == first.pk
    with pytest.raises(ValidationError) as error:
        services.prompt_create(
            actor=actor, section=section, text="En hier?", answer_type=AnswerType.RATING, competence=competence(second)
        )
    assert list(error.value.message_dict) == ["competence"]
    with pytest.raises(ValidationError) as error:
        services.form_version_update(actor=actor, version=draft, intro="", framework_version=second)
    assert list(error.value.message_dict) == ["framework_version"]
    # The only rating question may move to the other framework: the version follows it.
    services.prompt_update(
        actor=actor, prompt=rating, text="Hoe sta je ervoor?", answer_type=AnswerType.RATING,
        competence=competence(second),
    )  # fmt: skip
    draft.refresh_from_db()
    assert draft.framework_version_id == second.pk
    text = services.prompt_create(
        actor=actor, section=section, text="Vrij", answer_type=AnswerType.TEXT, competence=competence(second)
    )
    assert text.competence_id is None


# --- forms_for ----------------------------------------------------------------------------------------


def test_it_picks_the_forms_of_the_applicable_cycle_step(world: Any) -> None:
    services.conversation_defaults_install(board_id=world.board_a.pk)
    actor = admin(world)
    prep, report = forms_for(board_id=world.board_a.pk, school_id=world.school_a.pk, kind=ConversationKind.DEVELOPMENT)
    assert prep is not None and prep.form.shipped_as == "ontwikkelgesprek-voorbereiding"
    assert report is not None and report.form.shipped_as == "ontwikkelgesprek-verslag"

    # A school cycle naming its own form: the latest published version of that form, for that school only.
    own = draft_with_prompt(world, kind=ConversationKind.DEVELOPMENT)
    services.form_version_publish(actor=actor, version=own)
    school_cycle = services.cycle_create(actor=actor, school=world.school_a2)
    step = school_cycle.steps.get(kind=ConversationKind.DEVELOPMENT)
    services.step_update(
        actor=actor, step=step, kind=step.kind, interval_years=1, in_first_year=False, due_month=10,
        preparation_form=own.form, report_form=step.report_form,
    )  # fmt: skip
    newer = services.form_version_create_draft(actor=actor, form=own.form)
    prep, _report = forms_for(board_id=world.board_a.pk, school_id=world.school_a2.pk, kind="development")
    assert prep == own  # the draft is not used
    services.form_version_publish(actor=actor, version=newer)
    prep, _report = forms_for(board_id=world.board_a.pk, school_id=world.school_a2.pk, kind="development")
    assert prep == newer
    prep, _report = forms_for(board_id=world.board_a.pk, school_id=world.school_a.pk, kind="development")
    assert prep is not None and prep.form.shipped_as == "ontwikkelgesprek-voorbereiding"


def test_it_falls_back_to_the_boards_latest_published_form(world: Any) -> None:
    assert forms_for(board_id=world.board_a.pk, school_id=world.school_a.pk, kind="performance") == (None, None)
    services.conversation_defaults_install(board_id=world.board_a.pk)
    actor = admin(world)
    # A school cycle without the performance conversation, and a board step without forms.
    school_cycle = services.cycle_create(actor=actor, school=world.school_a2)
    school_cycle.steps.filter(kind=ConversationKind.PERFORMANCE).delete()
    CycleStep.objects.filter(board=world.board_a, cycle__school__isnull=True).update(
        preparation_form=None, report_form=None
    )
    for school in (world.school_a, world.school_a2):
        prep, report = forms_for(board_id=world.board_a.pk, school_id=school.pk, kind="performance")
        assert prep is not None and prep.form.shipped_as == "functioneringsgesprek-voorbereiding"
        assert report is not None and report.form.shipped_as == "functioneringsgesprek-verslag"
    assert forms_for(board_id=world.board_b.pk, school_id=world.school_b.pk, kind="performance") == (None, None)


# --- queries ------------------------------------------------------------------------------------------


def test_it_reads_the_setup_pages_in_a_fixed_number_of_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    services.conversation_defaults_install(board_id=world.board_a.pk)
    actor = admin(world)
    client = client_for(world.administrator)
    version = FormVersion.objects.get(board=world.board_a, form__shipped_as="ontwikkelgesprek-voorbereiding")
    pages = ["/conversations/setup/", f"/conversations/setup/form-versions/{version.pk}/"]
    counts = []
    for _round in range(2):
        row = []
        for url in pages:
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            row.append(len(queries))
        counts.append(row)
        # More of everything: school cycles, forms, sections and questions.
        # (school_a keeps following the board: the page then offers the same choice both times.)
        if not ConversationCycle.objects.filter(school=world.school_a2).exists():
            services.cycle_create(actor=actor, school=world.school_a2)
        for n in range(3):
            draft_with_prompt(world)
            FormSection.objects.create(board=world.board_a, version=version, title=f"Extra {n}", position=10 + n)
        for section in version.sections.all():
            FormPrompt.objects.create(board=world.board_a, section=section, text="Extra", position=10)
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(20):
        client.get(pages[0])
