"""Services and selectors of the evaluations part: the scale, self-evaluations, nu-metingen, inspections,
school visits and flags. Bad input from issue 5 is refused with a message and nothing is written."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bekwaam.lib.states import TransitionRefusedError
from bekwaam.observations.models import ObservationKind, ObservationState
from bekwaam.observations.tests.factories import instrument_build, observation_build
from bekwaam.quality.models import (
    EvaluationKind,
    EvaluationState,
    InspectionFramework,
    InspectionStandardJudgement,
    InspectionVisit,
    JudgementLevel,
    Level,
    QualityDocument,
    RepairOrder,
    SchoolFlag,
    SchoolVisit,
    SelfEvaluation,
    Standard,
    StandardAssessment,
)
from bekwaam.quality.selectors.evaluations import latest_inspection_judgements, latest_self_judgements
from bekwaam.quality.services import evaluations as evaluations_service
from bekwaam.quality.services import inspections as inspections_service
from bekwaam.quality.services import scale as scale_service
from bekwaam.quality.services import school_visits as visits_service
from bekwaam.quality.services.evaluations import AssessmentInput, DocumentUpload
from bekwaam.quality.services.inspections import JudgementInput, RepairOrderInput
from bekwaam.quality.tests.factories import (
    evaluation_build,
    flag_build,
    inspection_build,
    kader_load,
    scale_build,
    standard,
    standards_of,
)
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Employment, Role
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory, RoleGrantFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def codes(error: ValidationError) -> set[str | None]:
    """The codes of a ValidationError, wherever they are (field errors or not): tests do not read its language."""
    return (
        {item.code for item in error.error_list}
        if not hasattr(error, "error_dict")
        else {item.code for items in error.error_dict.values() for item in items}
    )


def actor_of(person: Any) -> Any:
    return actor_for(person, None)


def today() -> datetime.date:
    return timezone.localdate()


def pdf(name: str = "schoolplan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def quality_officer_of_board_b(world: Any) -> Any:
    person = PersonFactory(email="kwaliteit@beta.nl")
    RoleGrantFactory(person=person, board=world.board_b, role=Role.QUALITY_OFFICER)
    return person


def draft_of(world: Any, school: Any = None, **kwargs: Any) -> SelfEvaluation:
    return evaluation_build(
        board=world.board_a, school=world.school_a if school is None else school, state="draft", **kwargs
    )


def ids_by_code(evaluation: SelfEvaluation) -> dict[str, int]:
    return dict(StandardAssessment.objects.filter(evaluation=evaluation).values_list("standard__code", "standard_id"))


# --- the scale ----------------------------------------------------------------------------------------------


def test_it_gives_a_board_the_default_scale_once(world: Any) -> None:
    scale_service.judgement_scale_ensure(board_id=world.board_a.pk)
    scale_service.judgement_scale_ensure(board_id=world.board_a.pk)
    levels = list(JudgementLevel.objects.filter(board=world.board_a).order_by("value"))
    assert [(level.value, level.label) for level in levels] == [(1, "Onvoldoende"), (2, "Voldoende"), (3, "Goed")]
    assert "ambitie" in levels[2].description
    assert not JudgementLevel.objects.filter(board=world.board_b).exists()


def test_it_never_overwrites_a_scale_the_board_changed(world: Any) -> None:
    officer = actor_of(world.quality_officer)
    scale_service.judgement_scale_ensure(board_id=world.board_a.pk)
    good = JudgementLevel.objects.get(board=world.board_a, value=3)
    scale_service.judgement_level_update(actor=officer, level=good, label="Ambitie gehaald", description="")
    scale_service.judgement_scale_ensure(board_id=world.board_a.pk)
    assert JudgementLevel.objects.filter(board=world.board_a).count() == 3
    assert JudgementLevel.objects.get(pk=good.pk).label == "Ambitie gehaald"


def test_it_is_safe_when_the_scale_appears_between_check_and_insert(world: Any) -> None:
    """The race: another request made the scale after this one looked. The insert skips the conflicts."""
    scale_service.judgement_scale_ensure(board_id=world.board_a.pk)  # "the other request"
    with mock.patch.object(JudgementLevel.objects, "filter") as filtered:
        filtered.return_value.exists.return_value = False  # both looks saw no scale yet
        scale_service.judgement_scale_ensure(board_id=world.board_a.pk)
    assert filtered.called
    assert JudgementLevel.objects.filter(board=world.board_a).count() == 3


def test_it_adds_renames_moves_and_archives_levels(world: Any) -> None:
    officer = actor_of(world.quality_officer)
    levels = scale_build(world.board_a)
    added = scale_service.judgement_level_create(actor=officer, label="Excellent")
    assert added.value == 4
    scale_service.judgement_level_move(actor=officer, level=added, direction=scale_service.DOWN)
    order = list(JudgementLevel.objects.filter(board=world.board_a).order_by("value").values_list("label", flat=True))
    assert order == ["Onvoldoende", "Voldoende", "Excellent", "Goed"]
    with pytest.raises(ValidationError):
        scale_service.judgement_level_create(actor=officer, label="voldoende")  # the same name
    scale_service.judgement_level_archive(actor=officer, level=levels["goed"])
    assert JudgementLevel.objects.get(pk=levels["goed"].pk).archived


def test_it_archives_but_never_deletes_a_level_in_use(world: Any) -> None:
    officer = actor_of(world.quality_officer)
    evaluation_build(board=world.board_a, school=world.school_a, judgements={"OP1": "goed"})
    good = JudgementLevel.objects.get(board=world.board_a, label="Goed")
    with pytest.raises(ValidationError) as refused:
        scale_service.judgement_level_delete(actor=officer, level=good)
    assert "in_use" in codes(refused.value)
    scale_service.judgement_level_archive(actor=officer, level=good)
    assert StandardAssessment.objects.filter(level=good).count() == 1


def test_it_keeps_two_levels_in_use(world: Any) -> None:
    officer = actor_of(world.quality_officer)
    levels = scale_build(world.board_a)
    scale_service.judgement_level_archive(actor=officer, level=levels["goed"])
    with pytest.raises(ValidationError) as refused:
        scale_service.judgement_level_archive(actor=officer, level=levels["voldoende"])
    assert "min_levels" in codes(refused.value)
    with pytest.raises(ValidationError) as refused:
        scale_service.judgement_level_delete(actor=officer, level=levels["voldoende"])
    assert "min_levels" in codes(refused.value)


def test_only_the_quality_officer_changes_the_scale(world: Any) -> None:
    levels = scale_build(world.board_a)
    for person in (world.board_member, world.manager):
        with pytest.raises(PermissionDenied):
            scale_service.judgement_level_create(actor=actor_of(person), label="Extra")
    with pytest.raises(ValidationError):
        scale_service.judgement_level_archive(actor=actor_of(quality_officer_of_board_b(world)), level=levels["goed"])


# --- self-evaluations ---------------------------------------------------------------------------------------


def test_it_starts_a_self_evaluation_with_the_school_standards(world: Any) -> None:
    framework = kader_load("2024")
    evaluation = evaluations_service.evaluation_create(
        actor=actor_of(world.manager), school=world.school_a, framework=framework, title="ZE 2025", date=today()
    )
    codes = set(ids_by_code(evaluation))
    assert codes == {s.code for s in standards_of(framework)}
    assert "OP0" in codes and "BKA1" not in codes
    assert evaluation.state == EvaluationState.DRAFT
    assert JudgementLevel.objects.filter(board=world.board_a).count() == 3  # the scale on first use


def test_the_board_evaluates_itself_against_bka(world: Any) -> None:
    framework = kader_load("2024")
    evaluation = evaluations_service.evaluation_create(
        actor=actor_of(world.board_member), school=None, framework=framework, title="Bestuur", date=today()
    )
    assert set(ids_by_code(evaluation)) == {"BKA1", "BKA2", "BKA3"}


def test_who_may_start_an_evaluation(world: Any) -> None:
    framework = kader_load()
    with pytest.raises(PermissionDenied):  # a schoolleider for a school they do not lead
        evaluations_service.evaluation_create(
            actor=actor_of(world.manager), school=world.school_a2, framework=framework, title="x", date=today()
        )
    with pytest.raises(PermissionDenied):  # the bestuurder records only the board's own
        evaluations_service.evaluation_create(
            actor=actor_of(world.board_member), school=world.school_a, framework=framework, title="x", date=today()
        )
    with pytest.raises(PermissionDenied):  # the board's own is not a schoolleider's
        evaluations_service.evaluation_create(
            actor=actor_of(world.manager), school=None, framework=framework, title="x", date=today()
        )
    with pytest.raises(ValidationError):  # a school of another board
        evaluations_service.evaluation_create(
            actor=actor_of(world.quality_officer), school=world.school_b, framework=framework, title="x", date=today()
        )
    assert not SelfEvaluation.objects.exists()


def test_a_nu_meting_brings_its_levels_and_refuses_another_boards_level(world: Any) -> None:
    framework = kader_load()
    ours, theirs = scale_build(world.board_a), scale_build(world.board_b)
    op1 = standard(framework, "OP1")
    officer = actor_of(world.quality_officer)
    with pytest.raises(ValidationError) as refused:
        evaluations_service.evaluation_create(
            actor=officer,
            school=world.school_a,
            framework=framework,
            kind=EvaluationKind.SNAPSHOT,
            title="Nu-meting",
            date=today(),
            levels={op1.pk: theirs["goed"].pk},
        )
    assert "unknown_level" in codes(refused.value)
    with pytest.raises(ValidationError) as refused:
        evaluations_service.evaluation_create(
            actor=officer,
            school=world.school_a,
            framework=framework,
            kind=EvaluationKind.SNAPSHOT,
            title="Nu-meting",
            date=today(),
            levels={standard(kader_load("2017"), "SK1").pk: ours["goed"].pk},  # not in this version
        )
    assert "unknown" in codes(refused.value)
    assert not SelfEvaluation.objects.exists()
    snapshot = evaluations_service.evaluation_create(
        actor=officer,
        school=world.school_a,
        framework=framework,
        kind=EvaluationKind.SNAPSHOT,
        title="Nu-meting",
        date=today(),
        levels={op1.pk: ours["goed"].pk},
    )
    assert StandardAssessment.objects.get(evaluation=snapshot, standard=op1).level == ours["goed"]


def test_it_refuses_an_evaluation_dated_in_the_future(world: Any) -> None:
    with pytest.raises(ValidationError):
        evaluations_service.evaluation_create(
            actor=actor_of(world.quality_officer),
            school=world.school_a,
            framework=kader_load(),
            title="x",
            date=today() + datetime.timedelta(days=1),
        )


def _save(actor: Any, evaluation: SelfEvaluation, assessments: dict[int, AssessmentInput]) -> SelfEvaluation:
    return evaluations_service.evaluation_save(
        actor=actor, evaluation=evaluation, title="ZE", date=today(), summary="Samenvatting", assessments=assessments
    )


def test_it_saves_levels_substantiation_and_a_document(world: Any) -> None:
    evaluation = draft_of(world)
    ids = ids_by_code(evaluation)
    levels = scale_build(world.board_a)
    _save(
        actor_of(world.manager),
        evaluation,
        {
            ids["OP2"]: AssessmentInput(
                level_id=levels["voldoende"].pk,
                substantiation="Toetsen laten groei zien.",
                keep_document_ids=[],
                uploads=[DocumentUpload(title="Trendanalyse", file=pdf())],
            )
        },
    )
    row = StandardAssessment.objects.get(evaluation=evaluation, standard_id=ids["OP2"])
    assert (row.level_id, row.substantiation) == (levels["voldoende"].pk, "Toetsen laten groei zien.")
    document = row.documents.get()
    assert (document.title, document.content_type, document.school_id) == (
        "Trendanalyse",
        "application/pdf",
        world.school_a.pk,
    )
    assert "schoolplan" not in document.file.name  # stored under a random name
    assert SelfEvaluation.objects.get(pk=evaluation.pk).summary == "Samenvatting"


def test_a_refused_file_writes_nothing(world: Any) -> None:
    evaluation = draft_of(world)
    ids = ids_by_code(evaluation)
    levels = scale_build(world.board_a)
    html = SimpleUploadedFile("rapport.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        _save(
            actor_of(world.manager),
            evaluation,
            {
                ids["OP2"]: AssessmentInput(level_id=levels["goed"].pk, substantiation="Getypt", uploads=[]),
                ids["OP3"]: AssessmentInput(level_id=None, uploads=[DocumentUpload(title="", file=html)]),
            },
        )
    assert "file" in codes(refused.value)
    assert StandardAssessment.objects.get(evaluation=evaluation, standard_id=ids["OP2"]).level_id is None
    assert not QualityDocument.objects.exists()


def test_it_refuses_unknown_standards_and_other_boards_levels(world: Any) -> None:
    evaluation = draft_of(world)
    ids = ids_by_code(evaluation)
    theirs = scale_build(world.board_b)
    bka1 = standard(kader_load(), "BKA1")  # a board standard: not part of a school's evaluation
    with pytest.raises(ValidationError) as refused:
        _save(actor_of(world.quality_officer), evaluation, {bka1.pk: AssessmentInput(level_id=None)})
    assert "unknown" in codes(refused.value)
    with pytest.raises(ValidationError) as refused:
        _save(actor_of(world.quality_officer), evaluation, {ids["OP1"]: AssessmentInput(level_id=theirs["goed"].pk)})
    assert "unknown_level" in codes(refused.value)
    assert not StandardAssessment.objects.filter(evaluation=evaluation, level__isnull=False).exists()


def test_an_archived_level_is_kept_but_not_chosen_again(world: Any) -> None:
    officer = actor_of(world.quality_officer)
    evaluation = draft_of(world, judgements={"OP1": "goed"})
    ids = ids_by_code(evaluation)
    levels = scale_build(world.board_a)
    scale_service.judgement_level_archive(actor=officer, level=levels["goed"])
    _save(officer, evaluation, {ids["OP1"]: AssessmentInput(level_id=levels["goed"].pk, substantiation="blijft")})
    with pytest.raises(ValidationError) as refused:
        _save(officer, evaluation, {ids["OP2"]: AssessmentInput(level_id=levels["goed"].pk)})
    assert "archived_level" in codes(refused.value)


def _visits(world: Any) -> dict[str, Any]:
    instrument = instrument_build(board=world.board_a)
    return {
        "forward": observation_build(
            teacher=world.teacher, observer=world.manager, instrument=instrument, state=ObservationState.SUBMITTED
        ),
        "planned": observation_build(teacher=world.teacher, observer=world.manager, instrument=instrument),
        "peer": observation_build(
            teacher=world.teacher,
            observer=world.colleague,
            instrument=instrument,
            kind=ObservationKind.PEER,
            state=ObservationState.SUBMITTED,
        ),
    }


def test_it_links_only_lesson_visits_the_actor_may_link(world: Any) -> None:
    visits = _visits(world)
    evaluation = draft_of(world)
    op3 = ids_by_code(evaluation)["OP3"]
    manager = actor_of(world.manager)
    _save(manager, evaluation, {op3: AssessmentInput(level_id=None, observation_ids=[visits["forward"].pk])})
    row = StandardAssessment.objects.get(evaluation=evaluation, standard_id=op3)
    assert list(row.observations.all()) == [visits["forward"]]
    for not_linkable in ("planned", "peer"):
        with pytest.raises(ValidationError) as refused:
            _save(manager, evaluation, {op3: AssessmentInput(level_id=None, observation_ids=[visits[not_linkable].pk])})
        assert "not_linkable" in codes(refused.value)
    # At school_a2 there is no such visit: a visit of school_a is not evidence there.
    other = draft_of(world, school=world.school_a2)
    with pytest.raises(ValidationError):
        _save(
            actor_of(world.quality_officer),
            other,
            {ids_by_code(other)["OP3"]: AssessmentInput(level_id=None, observation_ids=[visits["forward"].pk])},
        )


def test_links_the_saver_cannot_see_are_kept(world: Any) -> None:
    visits = _visits(world)
    evaluation = draft_of(world)
    op3 = ids_by_code(evaluation)["OP3"]
    _save(
        actor_of(world.manager),
        evaluation,
        {op3: AssessmentInput(level_id=None, observation_ids=[visits["forward"].pk])},
    )
    # The teacher has left: a second school leader of school_a no longer sees their visit (its observer still does).
    Employment.objects.filter(person=world.teacher).update(end_date=today() - datetime.timedelta(days=1))
    deputy = PersonFactory()
    EmploymentFactory(person=deputy, school=world.school_a)
    RoleGrantFactory(person=deputy, board=world.board_a, school=world.school_a, role=Role.MANAGER)
    _save(actor_of(deputy), evaluation, {op3: AssessmentInput(level_id=None, observation_ids=[])})
    row = StandardAssessment.objects.get(evaluation=evaluation, standard_id=op3)
    assert list(row.observations.all()) == [visits["forward"]]


def test_a_final_evaluation_is_read_only_until_reopened(world: Any) -> None:
    officer = actor_of(world.quality_officer)
    evaluation = draft_of(world)
    ids = ids_by_code(evaluation)
    levels = scale_build(world.board_a)
    with pytest.raises(ValidationError) as refused:
        evaluations_service.evaluation_move(actor=officer, evaluation=evaluation, action="finalise")
    assert "nothing_judged" in codes(refused.value)
    _save(officer, evaluation, {ids["OP1"]: AssessmentInput(level_id=levels["voldoende"].pk)})
    final = evaluations_service.evaluation_move(actor=officer, evaluation=evaluation, action="finalise")
    assert final.state == EvaluationState.FINAL and final.finalised_at is not None
    with pytest.raises(ValidationError) as refused:
        _save(officer, evaluation, {ids["OP1"]: AssessmentInput(level_id=levels["goed"].pk)})
    assert "final" in codes(refused.value)
    with pytest.raises(TransitionRefusedError):
        evaluations_service.evaluation_move(actor=officer, evaluation=evaluation, action="finalise")
    evaluations_service.evaluation_move(actor=officer, evaluation=evaluation, action="reopen")
    _save(officer, evaluation, {ids["OP1"]: AssessmentInput(level_id=levels["goed"].pk)})
    assert StandardAssessment.objects.get(evaluation=evaluation, standard_id=ids["OP1"]).level == levels["goed"]


def test_the_bestuurder_cannot_change_a_schools_evaluation(world: Any) -> None:
    evaluation = draft_of(world)
    with pytest.raises(PermissionDenied):
        _save(actor_of(world.board_member), evaluation, {})
    with pytest.raises(PermissionDenied):
        evaluations_service.evaluation_move(
            actor=actor_of(world.board_member), evaluation=evaluation, action="finalise"
        )


# --- inspections --------------------------------------------------------------------------------------------


def test_it_refuses_an_inspection_of_another_boards_school(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        inspections_service.inspection_create(
            actor=actor_of(world.quality_officer), school=world.school_b, date=today(), kind="four_yearly"
        )
    assert "other_board" in codes(refused.value)
    assert not InspectionVisit.objects.exists()


def test_it_records_an_inspection_with_judgements_and_herstelopdrachten(world: Any) -> None:
    framework = kader_load("2024")
    op2, op3 = standard(framework, "OP2"), standard(framework, "OP3")
    visit = inspections_service.inspection_create(
        actor=actor_of(world.manager),
        school=world.school_a,
        date=today(),
        kind="four_yearly",
        overall_judgement="insufficient",
        judgements={op2.pk: JudgementInput("insufficient", "Geen analyse"), op3.pk: JudgementInput("")},
        repair_orders=[RepairOrderInput("Zorg voor een analyse", op2.pk, today() + datetime.timedelta(days=60))],
    )
    assert visit.framework == framework  # the version in force on the date
    assert list(InspectionStandardJudgement.objects.filter(visit=visit).values_list("standard__code", "judgement")) == [
        ("OP2", "insufficient")
    ]
    assert RepairOrder.objects.get(visit=visit).standard == op2


def test_it_refuses_a_deadline_before_the_visit(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        inspections_service.inspection_create(
            actor=actor_of(world.quality_officer),
            school=world.school_a,
            date=today(),
            kind="four_yearly",
            repair_orders=[RepairOrderInput("Herstel", None, today() - datetime.timedelta(days=1))],
        )
    assert "deadline_before_visit" in codes(refused.value)
    assert not InspectionVisit.objects.exists()


def test_an_upcoming_inspection_has_no_judgements_yet(world: Any) -> None:
    op2 = standard(kader_load(), "OP2")
    officer = actor_of(world.quality_officer)
    upcoming = today() + datetime.timedelta(days=30)
    with pytest.raises(ValidationError) as refused:
        inspections_service.inspection_create(
            actor=officer,
            school=world.school_a,
            date=upcoming,
            kind="four_yearly",
            judgements={op2.pk: JudgementInput("sufficient")},
        )
    assert "upcoming" in codes(refused.value)
    visit = inspections_service.inspection_create(actor=officer, school=world.school_a, date=upcoming, kind="thematic")
    assert not visit.judgements.exists()


def test_it_refuses_unknown_standards_and_judgements_off_the_scale(world: Any) -> None:
    officer = actor_of(world.quality_officer)
    framework = kader_load()
    bka1, op2 = standard(framework, "BKA1"), standard(framework, "OP2")
    for judgements in ({bka1.pk: JudgementInput("sufficient")}, {op2.pk: JudgementInput("good")}):
        with pytest.raises(ValidationError):
            inspections_service.inspection_create(
                actor=officer, school=world.school_a, date=today(), kind="four_yearly", judgements=judgements
            )
    assert not InspectionVisit.objects.exists()


def test_it_updates_judgements_and_replaces_the_herstelopdrachten(world: Any) -> None:
    framework = kader_load()
    visit = inspection_build(
        board=world.board_a,
        school=world.school_a,
        framework=framework,
        judgements={"OP2": "insufficient", "OP3": "sufficient"},
        repair_orders=[("OP2", "Eerste", None), (None, "Tweede", None)],
    )
    first, second = RepairOrder.objects.filter(visit=visit).order_by("pk")
    op2, op3 = standard(framework, "OP2"), standard(framework, "OP3")
    inspections_service.inspection_update(
        actor=actor_of(world.quality_officer),
        visit=visit,
        date=visit.date,
        kind=visit.kind,
        overall_judgement="sufficient",
        summary="",
        report_url="",
        judgements={op2.pk: JudgementInput("sufficient"), op3.pk: JudgementInput("")},
        repair_orders=[RepairOrderInput("Eerste, aangepast", op2.pk, None, id=first.pk)],
    )
    assert list(InspectionStandardJudgement.objects.filter(visit=visit).values_list("standard__code", "judgement")) == [
        ("OP2", "sufficient")
    ]
    assert list(RepairOrder.objects.filter(visit=visit).values_list("pk", "description")) == [
        (first.pk, "Eerste, aangepast")
    ]
    assert not RepairOrder.objects.filter(pk=second.pk).exists()


def test_board_inspections_are_the_bestuurders_and_judge_bka(world: Any) -> None:
    bka2 = standard(kader_load(), "BKA2")
    visit = inspections_service.inspection_create(
        actor=actor_of(world.board_member),
        school=None,
        date=today(),
        kind="four_yearly",
        judgements={bka2.pk: JudgementInput("sufficient")},
    )
    assert visit.school is None
    with pytest.raises(PermissionDenied):
        inspections_service.inspection_create(actor=actor_of(world.manager), school=None, date=today(), kind="other")
    with pytest.raises(PermissionDenied):  # the bestuurder records no school's inspection
        inspections_service.inspection_create(
            actor=actor_of(world.board_member), school=world.school_a, date=today(), kind="other"
        )


# --- school visits and flags --------------------------------------------------------------------------------


def test_the_quality_officer_records_a_school_visit(world: Any) -> None:
    framework = kader_load()
    officer = actor_of(world.quality_officer)
    visit = visits_service.school_visit_create(
        actor=officer,
        school=world.school_a2,
        date=today(),
        purpose="Rondgang",
        findings="Rustige sfeer.",
        framework=framework,
        standard_ids=[standard(framework, "VS2").pk],
    )
    assert list(visit.standards.values_list("code", flat=True)) == ["VS2"]
    with pytest.raises(ValidationError):
        visits_service.school_visit_create(
            actor=officer,
            school=world.school_a,
            date=today() + datetime.timedelta(days=2),
            purpose="",
            findings="Later",
            framework=framework,
        )
    with pytest.raises(ValidationError):  # a board standard is no finding about a school
        visits_service.school_visit_create(
            actor=officer,
            school=world.school_a,
            date=today(),
            purpose="",
            findings="x",
            framework=framework,
            standard_ids=[standard(framework, "BKA1").pk],
        )
    with pytest.raises(PermissionDenied):
        visits_service.school_visit_create(
            actor=actor_of(world.manager),
            school=world.school_a,
            date=today(),
            purpose="",
            findings="x",
            framework=framework,
        )
    assert SchoolVisit.objects.count() == 1


def test_a_school_has_one_open_flag(world: Any) -> None:
    officer = actor_of(world.quality_officer)
    flag = visits_service.flag_create(actor=officer, school=world.school_a, reason="Dalende resultaten")
    with pytest.raises(ValidationError) as refused:
        visits_service.flag_create(actor=officer, school=world.school_a, reason="Nog een reden")
    assert "open_flag" in codes(refused.value)
    with pytest.raises(ValidationError):
        visits_service.flag_create(actor=officer, school=world.school_a2, reason="   ")
    visits_service.flag_clear(actor=officer, flag=flag)
    with pytest.raises(ValidationError):
        visits_service.flag_clear(actor=officer, flag=flag)
    visits_service.flag_create(actor=officer, school=world.school_a, reason="Opnieuw")
    assert SchoolFlag.objects.filter(school=world.school_a).count() == 2


def test_the_database_refuses_a_second_open_flag_in_a_race(world: Any) -> None:
    """Both requests passed the check: the partial unique constraint decides, the person sees a message."""
    flag_build(school=world.school_a)
    officer = actor_of(world.quality_officer)
    with mock.patch.object(SchoolFlag.objects, "filter") as filtered, pytest.raises(ValidationError) as refused:
        filtered.return_value.first.return_value = None  # the check saw no open flag
        visits_service.flag_create(actor=officer, school=world.school_a, reason="Tegelijk")
    assert "open_flag" in codes(refused.value)
    assert SchoolFlag.objects.filter(school=world.school_a).count() == 1


def test_only_the_quality_officer_flags(world: Any) -> None:
    for person in (world.board_member, world.manager):
        with pytest.raises(PermissionDenied):
            visits_service.flag_create(actor=actor_of(person), school=world.school_a, reason="x")
    with pytest.raises(ValidationError):
        visits_service.flag_create(actor=actor_of(world.quality_officer), school=world.school_b, reason="x")


# --- latest judgements ----------------------------------------------------------------------------------------


def test_the_latest_final_judgement_counts_across_versions_by_code_and_name(world: Any) -> None:
    current = kader_load("2024")
    old = InspectionFramework.objects.get(code="2021")
    oldest = InspectionFramework.objects.get(code="2017")
    school = world.school_a
    board = world.board_a
    evaluation_build(board=board, school=school, framework=old, judgements={"OP2": "onvoldoende"}, date=today())
    evaluation_build(
        board=board,
        school=school,
        framework=current,
        judgements={"OP2": "goed"},
        date=today() - datetime.timedelta(days=30),
    )
    draft_of(world, judgements={"OP2": "voldoende"})  # a draft never counts
    # 2017's OP4 "(Extra) ondersteuning" is not 2024's OP4 "Onderwijstijd".
    evaluation_build(board=board, school=school, framework=oldest, judgements={"OP4": "goed"})
    found = latest_self_judgements(
        board_id=board.pk, school_ids=[school.pk], standards=standards_of(current, level=Level.SCHOOL)
    )
    op2, op4 = standard(current, "OP2"), standard(current, "OP4")
    assert found[(school.pk, op2.pk)].label == "Onvoldoende"  # the 2021 evaluation is the latest by date
    assert (school.pk, op4.pk) not in found


def test_the_latest_inspection_judgement_ignores_other_schools_and_the_board(world: Any) -> None:
    current = kader_load()
    inspection_build(board=world.board_a, school=world.school_a, judgements={"OP3": "very_weak"})
    inspection_build(
        board=world.board_a,
        school=world.school_a,
        judgements={"OP3": "sufficient"},
        date=today() - datetime.timedelta(days=400),
    )
    inspection_build(board=world.board_a, school=world.school_a2, judgements={"OP3": "sufficient"})
    found = latest_inspection_judgements(
        board_id=world.board_a.pk, school_ids=[world.school_a.pk], standards=standards_of(current)
    )
    assert [(key[0], latest.value) for key, latest in found.items()] == [(world.school_a.pk, "very_weak")]
    assert not latest_inspection_judgements(board_id=world.board_a.pk, school_ids=None, standards=standards_of(current))


def test_standard_ids_are_of_one_version(world: Any) -> None:
    """A guard for the tests above: the 2021 and 2024 OP2 are different rows with the same code and name."""
    a, b = standard(kader_load("2021"), "OP2"), standard(kader_load("2024"), "OP2")
    assert a.pk != b.pk and (a.code, a.name) == (b.code, b.name)
    assert Standard.objects.filter(code="OP4", name="Onderwijstijd").count() == 3
