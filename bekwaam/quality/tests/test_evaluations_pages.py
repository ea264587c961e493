"""The evaluations part's pages: who sees what, the forms keeping what was typed, bad input, query counts.

Assertions read the database, status codes, element ids and data attributes, never an English sentence
(the interface is Dutch).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bekwaam.observations.models import ObservationState
from bekwaam.observations.tests.factories import instrument_build, observation_build
from bekwaam.quality.models import (
    EvaluationKind,
    EvaluationState,
    InspectionVisit,
    JudgementLevel,
    QualityDocument,
    RepairOrder,
    SchoolFlag,
    SchoolVisit,
    SelfEvaluation,
    StandardAssessment,
)
from bekwaam.quality.tests.factories import (
    evaluation_build,
    flag_build,
    inspection_build,
    kader_load,
    scale_build,
    school_visit_build,
    standard,
    standards_of,
)
from bekwaam.tenancy.models import Role
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory, RoleGrantFactory, SchoolFactory, with_totp

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def today() -> datetime.date:
    return timezone.localdate()


def officer_of_board_b(world: Any) -> Any:
    person = with_totp(PersonFactory(email="kwaliteit@beta.nl"))
    RoleGrantFactory(person=person, board=world.board_b, role=Role.QUALITY_OFFICER)
    return person


def school_url(school: Any) -> str:
    return reverse("quality:school-detail", kwargs={"school_id": school.pk})


def edit_url(evaluation: SelfEvaluation) -> str:
    return reverse("quality:evaluation-edit", kwargs={"evaluation_id": evaluation.pk})


def edit_data(evaluation: SelfEvaluation, **per_code: dict[str, Any]) -> dict[str, Any]:
    """The edit form as the page posts it: the heading, and per standard its level ("" = not judged)."""
    data: dict[str, Any] = {"title": evaluation.title, "date": evaluation.date.isoformat(), "summary": ""}
    for code, standard_id in StandardAssessment.objects.filter(evaluation=evaluation).values_list(
        "standard__code", "standard_id"
    ):
        data[f"s{standard_id}-level"] = ""
        data[f"s{standard_id}-substantiation"] = ""
        for key, value in per_code.get(code, {}).items():
            data[f"s{standard_id}-{key}"] = value
    return data


# --- the quality home ---------------------------------------------------------------------------------------


def test_board_viewers_go_to_the_board_overview(world: Any, client_for: Any) -> None:
    for person in (world.board_member, world.quality_officer):
        response = client_for(person).get(reverse("quality:home"))
        assert response.status_code == 302 and response["Location"] == reverse("quality:board-overview")


def test_a_schoolleider_goes_to_their_school(world: Any, client_for: Any) -> None:
    response = client_for(world.manager).get(reverse("quality:home"))
    assert response["Location"] == school_url(world.school_a)


def test_a_schoolleider_of_two_schools_chooses(world: Any, client_for: Any) -> None:
    RoleGrantFactory(person=world.manager, board=world.board_a, school=world.school_a2, role=Role.MANAGER)
    response = client_for(world.manager).get(reverse("quality:home"))
    assert response.status_code == 200
    links = set(re.findall(r'href="(/[^"]+)"', response.content.decode()))
    assert {school_url(world.school_a), school_url(world.school_a2)} <= links


def test_a_leidinggevende_without_a_school_gets_an_explanation(world: Any, client_for: Any) -> None:
    leader = with_totp(PersonFactory())
    EmploymentFactory(person=leader, school=world.school_a)
    EmploymentFactory(person=PersonFactory(), school=world.school_a, manager=leader)
    response = client_for(leader).get(reverse("quality:home"))
    assert response.status_code == 200
    assert 'data-testid="no-schools"' in response.content.decode()


# --- the school page ----------------------------------------------------------------------------------------


def test_the_school_page_shows_own_and_inspection_judgements_side_by_side(world: Any, client_for: Any) -> None:
    evaluation_build(board=world.board_a, school=world.school_a, judgements={"OP2": "goed", "VS1": "voldoende"})
    inspection_build(board=world.board_a, school=world.school_a, judgements={"OP2": "insufficient"})
    upcoming = inspection_build(board=world.board_a, school=world.school_a, date=today() + datetime.timedelta(days=20))
    flag_build(school=world.school_a, reason="Zorgen over OP2")
    page = client_for(world.board_member).get(school_url(world.school_a)).content.decode()
    goed = JudgementLevel.objects.get(board=world.board_a, value=3).value
    op2 = re.search(r'<tr id="standard-OP2".*?</tr>', page, re.S)
    assert op2 is not None
    assert f'data-own="{goed}"' in op2.group(0) and 'data-inspection="insufficient"' in op2.group(0)
    assert 'id="standard-OP0"' in page and 'id="standard-VS1"' in page  # an anchor for every standard
    assert 'data-flagged="yes"' in page and "Zorgen over OP2" in page
    assert reverse("quality:inspection-detail", kwargs={"visit_id": upcoming.pk}) in page
    # The bestuurder records nothing at a school: no buttons to start one.
    assert reverse("quality:evaluation-create") not in page


def test_the_school_page_links_plans_and_the_team_report(world: Any, client_for: Any) -> None:
    evaluation = evaluation_build(board=world.board_a, school=world.school_a, judgements={"OP1": "voldoende"})
    page = client_for(world.manager).get(school_url(world.school_a)).content.decode()
    assert f"{reverse('quality:plan-create')}?school={world.school_a.pk}&amp;evaluation={evaluation.pk}" in page
    assert reverse("observations:team-report", kwargs={"school_id": world.school_a.pk}) in page


def test_board_b_finds_nothing_of_board_a(world: Any, client_for: Any) -> None:
    evaluation = evaluation_build(board=world.board_a, school=world.school_a, judgements={"OP1": "voldoende"})
    inspection = inspection_build(board=world.board_a, school=world.school_a)
    visit = school_visit_build(school=world.school_a, visitor=world.quality_officer)
    client = client_for(officer_of_board_b(world))
    for url in (
        school_url(world.school_a),
        reverse("quality:evaluation-detail", kwargs={"evaluation_id": evaluation.pk}),
        reverse("quality:inspection-detail", kwargs={"visit_id": inspection.pk}),
        reverse("quality:schoolvisit-detail", kwargs={"visit_id": visit.pk}),
        reverse("quality:flag-create", kwargs={"school_id": world.school_a.pk}),
    ):
        assert client.get(url).status_code == 404, url


def test_the_school_page_needs_a_bounded_number_of_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.quality_officer)

    def grow(n: int) -> None:
        for i in range(n):
            evaluation_build(
                board=world.board_a,
                school=world.school_a,
                judgements={"OP1": "voldoende", "OP2": "goed"},
                date=today() - datetime.timedelta(days=i),
            )
            inspection_build(
                board=world.board_a,
                school=world.school_a,
                judgements={"OP3": "sufficient"},
                repair_orders=[("OP3", "Herstel", None)],
                date=today() - datetime.timedelta(days=i),
            )
            school_visit_build(school=world.school_a, visitor=world.quality_officer)

    grow(2)
    with django_assert_max_num_queries(30) as small:
        client.get(school_url(world.school_a))
    grow(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(school_url(world.school_a))


def test_the_board_page_shows_its_own_bka_evaluation(world: Any, client_for: Any) -> None:
    evaluation_build(board=world.board_a, school=None, judgements={"BKA1": "voldoende"})
    page = client_for(world.board_member).get(reverse("quality:board-evaluations")).content.decode()
    assert 'id="standard-BKA1"' in page and 'id="standard-OP1"' not in page
    assert f"{reverse('quality:evaluation-create')}?scope=board" in page


# --- the scale ----------------------------------------------------------------------------------------------


def test_the_scale_page_makes_the_default_scale_and_archives_a_level_in_use(world: Any, client_for: Any) -> None:
    client = client_for(world.quality_officer)
    assert client.get(reverse("quality:scale-settings")).status_code == 200
    good = JudgementLevel.objects.get(board=world.board_a, value=3)
    evaluation_build(board=world.board_a, school=world.school_a, judgements={"OP1": "goed"})
    client.post(reverse("quality:scale-level-delete", kwargs={"level_id": good.pk}))
    assert JudgementLevel.objects.filter(pk=good.pk).exists()
    client.post(reverse("quality:scale-level-archive", kwargs={"level_id": good.pk}))
    assert JudgementLevel.objects.get(pk=good.pk).archived
    response = client.post(reverse("quality:scale-level-edit", kwargs={"level_id": good.pk}), {"label": ""})
    assert response.status_code == 400


# --- self-evaluations -------------------------------------------------------------------------------------------


def test_a_self_evaluation_is_started_then_filled_in(world: Any, client_for: Any) -> None:
    framework = kader_load("2024")
    client = client_for(world.manager)
    response = client.post(
        reverse("quality:evaluation-create"),
        {"school": world.school_a.pk, "title": "ZE 2025", "date": today().isoformat(), "framework": framework.pk},
    )
    evaluation = SelfEvaluation.objects.get()
    assert response["Location"] == edit_url(evaluation)
    assert (evaluation.school, evaluation.framework, evaluation.state) == (world.school_a, framework, "draft")
    levels = scale_build(world.board_a)
    data = edit_data(evaluation, OP2={"level": levels["voldoende"].pk, "substantiation": "Goede analyses"})
    data["s" + str(standard(framework, "OP2").pk) + "-upload"] = SimpleUploadedFile("analyse.pdf", PDF)
    data["s" + str(standard(framework, "OP2").pk) + "-upload_title"] = "Analyse"
    data["then"] = "final"
    response = client.post(edit_url(evaluation), data)
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.FINAL
    row = StandardAssessment.objects.get(evaluation=evaluation, standard__code="OP2")
    assert row.level == levels["voldoende"] and row.documents.get().title == "Analyse"
    # Final: the edit page sends back to the evaluation.
    assert client.get(edit_url(evaluation)).status_code == 302


def test_the_edit_page_keeps_what_was_typed_when_a_file_is_refused(world: Any, client_for: Any) -> None:
    evaluation = evaluation_build(board=world.board_a, school=world.school_a, state="draft")
    op3 = standard(evaluation.framework, "OP3")
    data = edit_data(evaluation, OP3={"substantiation": "Mijn zorgvuldig getypte onderbouwing"})
    data[f"s{op3.pk}-upload"] = SimpleUploadedFile("script.pdf", b"<svg onload=alert(1)>")
    response = client_for(world.quality_officer).post(edit_url(evaluation), data)
    assert response.status_code == 400
    assert "Mijn zorgvuldig getypte onderbouwing" in response.content.decode()
    assert 'data-testid="form-errors"' in response.content.decode()
    assert not StandardAssessment.objects.filter(evaluation=evaluation).exclude(substantiation="").exists()
    assert not QualityDocument.objects.exists()


def test_the_edit_page_refuses_unknown_standards_and_other_boards_levels(world: Any, client_for: Any) -> None:
    evaluation = evaluation_build(board=world.board_a, school=world.school_a, state="draft")
    client = client_for(world.quality_officer)
    data = edit_data(evaluation)
    data[f"s{standard(kader_load('2017'), 'SK1').pk}-level"] = scale_build(world.board_a)["goed"].pk
    assert client.post(edit_url(evaluation), data).status_code == 400
    data = edit_data(evaluation, OP1={"level": scale_build(world.board_b)["goed"].pk})
    assert client.post(edit_url(evaluation), data).status_code == 400
    assert not StandardAssessment.objects.filter(evaluation=evaluation, level__isnull=False).exists()


def test_the_edit_page_offers_lesson_visits_the_actor_may_see(world: Any, client_for: Any) -> None:
    instrument = instrument_build(board=world.board_a)
    forward = observation_build(
        teacher=world.teacher, observer=world.manager, instrument=instrument, state=ObservationState.SUBMITTED
    )
    planned = observation_build(teacher=world.teacher, observer=world.manager, instrument=instrument)
    evaluation = evaluation_build(board=world.board_a, school=world.school_a, state="draft")
    client = client_for(world.manager)
    page = client.get(edit_url(evaluation)).content.decode()
    assert str(forward.pk) in page and str(planned.pk) not in page
    op3 = standard(evaluation.framework, "OP3")
    client.post(edit_url(evaluation), edit_data(evaluation, OP3={"observations": [str(forward.pk)]}))
    assert list(StandardAssessment.objects.get(evaluation=evaluation, standard=op3).observations.all()) == [forward]
    # Posting a visit that is not offered is a form error, and nothing is linked.
    response = client.post(edit_url(evaluation), edit_data(evaluation, OP2={"observations": [str(planned.pk)]}))
    assert response.status_code == 400
    assert not StandardAssessment.objects.get(evaluation=evaluation, standard__code="OP2").observations.exists()


def test_a_nu_meting_is_one_page_of_levels(world: Any, client_for: Any) -> None:
    framework = kader_load()
    levels = scale_build(world.board_a)
    client = client_for(world.quality_officer)
    url = reverse("quality:evaluation-create") + "?kind=snapshot"
    page = client.get(url).content.decode()
    assert 'data-testid="level-grid"' in page and f'id="s-{standard(framework, "OP0").code}"' in page
    data: dict[str, Any] = {"school": world.school_a2.pk, "title": "Nu-meting", "date": today().isoformat()}
    for s in standards_of(framework):
        data[f"s{s.pk}-level"] = levels["voldoende"].pk
    data["then"] = "final"
    response = client.post(url, data)
    snapshot = SelfEvaluation.objects.get()
    assert response["Location"] == reverse("quality:evaluation-detail", kwargs={"evaluation_id": snapshot.pk})
    assert (snapshot.kind, snapshot.state, snapshot.school) == (EvaluationKind.SNAPSHOT, "final", world.school_a2)
    assert StandardAssessment.objects.filter(evaluation=snapshot, level=levels["voldoende"]).count() == len(
        standards_of(framework)
    )


def test_the_detail_page_hides_lesson_visits_the_viewer_may_not_open(world: Any, client_for: Any) -> None:
    instrument = instrument_build(board=world.board_a)
    visit = observation_build(
        teacher=world.teacher, observer=world.manager, instrument=instrument, state=ObservationState.SUBMITTED
    )
    evaluation = evaluation_build(board=world.board_a, school=world.school_a, judgements={"OP3": "voldoende"})
    StandardAssessment.objects.get(evaluation=evaluation, standard__code="OP3").observations.add(visit)
    url = reverse("quality:evaluation-detail", kwargs={"evaluation_id": evaluation.pk})
    assert f'data-visit="{visit.pk}"' in client_for(world.manager).get(url).content.decode()
    board_page = client_for(world.board_member).get(url).content.decode()
    assert f'data-visit="{visit.pk}"' not in board_page and str(visit.pk) not in board_page


def test_evaluation_pages_need_a_bounded_number_of_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    instrument = instrument_build(board=world.board_a)
    evaluation = evaluation_build(board=world.board_a, school=world.school_a, state="draft")
    client = client_for(world.manager)

    def grow(n: int) -> None:
        for _ in range(n):
            visit = observation_build(
                teacher=world.teacher, observer=world.manager, instrument=instrument, state=ObservationState.SUBMITTED
            )
            document = QualityDocument.objects.create(board=world.board_a, school=world.school_a, title="Doc")
            for row in StandardAssessment.objects.filter(evaluation=evaluation):
                row.observations.add(visit)
                row.documents.add(document)

    detail = reverse("quality:evaluation-detail", kwargs={"evaluation_id": evaluation.pk})
    grow(1)
    with django_assert_max_num_queries(40) as small_edit:
        client.get(edit_url(evaluation))
    with django_assert_max_num_queries(40) as small_detail:
        client.get(detail)
    grow(10)
    with django_assert_max_num_queries(len(small_edit.captured_queries)):
        client.get(edit_url(evaluation))
    with django_assert_max_num_queries(len(small_detail.captured_queries)):
        client.get(detail)


def test_a_document_downloads_only_for_who_may_see_it(world: Any, client_for: Any) -> None:
    document = QualityDocument(board=world.board_a, school=world.school_a2, title="Schoolplan", size=len(PDF))
    document.content_type = "application/pdf"
    document.file.save("x.pdf", SimpleUploadedFile("x.pdf", PDF), save=True)
    url = reverse("quality:document-file", kwargs={"document_id": document.pk})
    response = client_for(world.quality_officer).get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    assert client_for(world.manager).get(url).status_code == 404  # school_a2 is not theirs


# --- inspections ----------------------------------------------------------------------------------------------


def test_an_inspection_for_a_school_of_another_board_is_a_form_error(world: Any, client_for: Any) -> None:
    response = client_for(world.quality_officer).post(
        reverse("quality:inspection-create"),
        {"school": world.school_b.pk, "date": today().isoformat(), "kind": "four_yearly"},
    )
    assert response.status_code == 400
    assert not InspectionVisit.objects.exists()


def test_an_inspection_is_recorded_then_judged_with_a_herstelopdracht(world: Any, client_for: Any) -> None:
    framework = kader_load()
    client = client_for(world.manager)
    response = client.post(
        reverse("quality:inspection-create"),
        {"school": world.school_a.pk, "date": today().isoformat(), "kind": "four_yearly", "overall_judgement": ""},
    )
    visit = InspectionVisit.objects.get()
    edit = reverse("quality:inspection-edit", kwargs={"visit_id": visit.pk})
    assert response["Location"] == edit
    op2 = standard(framework, "OP2")
    data = {
        "date": today().isoformat(),
        "kind": "four_yearly",
        "overall_judgement": "insufficient",
        f"j{op2.pk}-judgement": "insufficient",
        f"j{op2.pk}-note": "Geen trendanalyses",
        "repair-TOTAL_FORMS": "2",
        "repair-INITIAL_FORMS": "0",
        "repair-MIN_NUM_FORMS": "0",
        "repair-MAX_NUM_FORMS": "50",
        "repair-0-description": "Maak trendanalyses",
        "repair-0-standard": str(op2.pk),
        "repair-0-deadline": (today() - datetime.timedelta(days=1)).isoformat(),  # before the visit
        "repair-1-description": "",
    }
    response = client.post(edit, data)
    assert response.status_code == 400
    assert "Maak trendanalyses" in response.content.decode()
    assert not RepairOrder.objects.exists() and not visit.judgements.exists()
    data["repair-0-deadline"] = (today() + datetime.timedelta(days=90)).isoformat()
    assert client.post(edit, data).status_code == 302
    assert RepairOrder.objects.get().standard == op2
    assert visit.judgements.get().judgement == "insufficient"


def test_an_upcoming_inspection_goes_to_its_page_and_shows_first(world: Any, client_for: Any) -> None:
    client = client_for(world.quality_officer)
    later = today() + datetime.timedelta(days=40)
    response = client.post(
        reverse("quality:inspection-create"),
        {"school": world.school_a.pk, "date": later.isoformat(), "kind": "four_yearly", "overall_judgement": ""},
    )
    visit = InspectionVisit.objects.get()
    assert response["Location"] == reverse("quality:inspection-detail", kwargs={"visit_id": visit.pk})
    page = client.get(reverse("quality:inspection-detail", kwargs={"visit_id": visit.pk})).content.decode()
    assert 'data-testid="upcoming"' in page
    response = client.post(
        reverse("quality:inspection-create"),
        {
            "school": world.school_a.pk,
            "date": later.isoformat(),
            "kind": "four_yearly",
            "overall_judgement": "sufficient",
        },
    )
    assert response.status_code == 400 and InspectionVisit.objects.count() == 1


def test_the_inspection_edit_page_refuses_unknown_standards(world: Any, client_for: Any) -> None:
    visit = inspection_build(board=world.board_a, school=world.school_a)
    old = standard(kader_load("2017"), "SK1")
    response = client_for(world.quality_officer).post(
        reverse("quality:inspection-edit", kwargs={"visit_id": visit.pk}),
        {
            "date": visit.date.isoformat(),
            "kind": "four_yearly",
            f"j{old.pk}-judgement": "sufficient",
            "repair-TOTAL_FORMS": "0",
            "repair-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400 and not visit.judgements.exists()


def test_a_board_inspection_is_recorded_by_the_bestuurder(world: Any, client_for: Any) -> None:
    client = client_for(world.board_member)
    response = client.post(
        reverse("quality:inspection-create"), {"school": "board", "date": today().isoformat(), "kind": "four_yearly"}
    )
    assert response.status_code == 302
    assert InspectionVisit.objects.get().school is None


# --- school visits and flags -----------------------------------------------------------------------------------


def test_the_quality_officer_records_a_school_visit(world: Any, client_for: Any) -> None:
    framework = kader_load()
    response = client_for(world.quality_officer).post(
        reverse("quality:schoolvisit-create"),
        {
            "school": world.school_a.pk,
            "date": today().isoformat(),
            "purpose": "Rondgang",
            "findings": "Rustig",
            "standards": [standard(framework, "VS1").pk],
        },
    )
    visit = SchoolVisit.objects.get()
    assert response["Location"] == reverse("quality:schoolvisit-detail", kwargs={"visit_id": visit.pk})
    assert list(visit.standards.values_list("code", flat=True)) == ["VS1"]


def test_a_second_flag_is_a_clear_message_not_an_error_page(world: Any, client_for: Any) -> None:
    client = client_for(world.quality_officer)
    url = reverse("quality:flag-create", kwargs={"school_id": world.school_a.pk})
    assert client.post(url, {"reason": "Resultaten dalen"}).status_code == 302
    response = client.post(url, {"reason": "Nog iets"})
    assert response.status_code == 400
    assert "Nog iets" in response.content.decode()
    assert SchoolFlag.objects.filter(school=world.school_a).count() == 1
    assert client.post(url, {"reason": ""}).status_code == 400
    flag = SchoolFlag.objects.get()
    client.post(reverse("quality:flag-clear", kwargs={"flag_id": flag.pk}))
    assert SchoolFlag.objects.get().cleared_at is not None


def test_a_schoolleider_sees_a_school_visit_at_their_school(world: Any, client_for: Any) -> None:
    visit = school_visit_build(school=world.school_a, visitor=world.quality_officer, findings="Bevinding X")
    other = school_visit_build(school=SchoolFactory(board=world.board_a), visitor=world.quality_officer)
    client = client_for(world.manager)
    assert client.get(reverse("quality:schoolvisit-detail", kwargs={"visit_id": visit.pk})).status_code == 200
    assert client.get(reverse("quality:schoolvisit-detail", kwargs={"visit_id": other.pk})).status_code == 404
