"""Measurements: a nulmeting saved halfway, resumed, finished once and fixed, shown as a profile, compared."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from bekwaam.audit.models import AccessLog
from bekwaam.dossier.models import (
    AssessmentKind,
    AssessmentStatus,
    Evidence,
    Rating,
    SelfAssessment,
    Share,
    ShareAudience,
)
from bekwaam.dossier.selectors.assessments import (
    assessment_comparison_for,
    assessment_overview_for,
    assessment_profile_for,
)
from bekwaam.dossier.services.assessments import (
    AssessmentIncompleteError,
    RatingInput,
    assessment_finish,
    assessment_save,
    assessment_start,
)
from bekwaam.frameworks.models import FrameworkVersion, Indicator, ScaleLevel
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.tenancy.context import actor_for

pytestmark = pytest.mark.django_db


def dutch(msgid: str) -> str:
    with translation.override("nl"):
        return gettext(msgid)


def actor_of(person: Any) -> Any:
    return actor_for(person, None)


def indicators_of(version: FrameworkVersion) -> list[Indicator]:
    return list(
        Indicator.objects.filter(competence__version=version).order_by(
            "competence__domain__position", "competence__position", "position"
        )
    )


def level(version: FrameworkVersion, value: int) -> ScaleLevel:
    return ScaleLevel.objects.get(version=version, value=value)


def started(person: Any, version: FrameworkVersion) -> SelfAssessment:
    assessment, _ = assessment_start(actor=actor_of(person), framework_version=version)
    return assessment


def rate(
    person: Any, assessment: SelfAssessment, values: dict[Indicator, int], *, finish: bool = False
) -> SelfAssessment:
    version = assessment.framework_version
    ratings = {indicator.pk: RatingInput(level_id=level(version, value).pk) for indicator, value in values.items()}
    if finish:
        return assessment_finish(actor=actor_of(person), assessment=assessment, ratings=ratings)
    return assessment_save(actor=actor_of(person), assessment=assessment, ratings=ratings)


def finished(person: Any, version: FrameworkVersion, value: int = 3) -> SelfAssessment:
    assessment = started(person, version)
    return rate(person, assessment, dict.fromkeys(indicators_of(version), value), finish=True)


def form_data(*entries: tuple[Indicator, Any], **extra: Any) -> dict[str, Any]:
    """POST data naming each indicator, with a level (a ScaleLevel, a raw value or None)."""
    data: dict[str, Any] = {"indicator": [str(i.pk) for i, _ in entries], **extra}
    for indicator, value in entries:
        if value is not None:
            data[f"level-{indicator.pk}"] = str(value.pk) if isinstance(value, ScaleLevel) else str(value)
    return data


def evidence_of(person: Any, board: Any, title: str) -> Evidence:
    return Evidence.objects.create(board=board, person=person, title=title, kind="document")


@pytest.fixture
def version(world: Any) -> FrameworkVersion:
    return framework_version_build(board=world.board_a)  # 2 domains x 2 competences x 2 indicators, scale 1..4


# --- starting ---------------------------------------------------------------------------------------


def test_it_starts_a_baseline_and_resumes_the_draft_when_started_again(world: Any, version: Any) -> None:
    actor = actor_of(world.teacher)
    first, created = assessment_start(actor=actor, framework_version=version)
    again, created_again = assessment_start(actor=actor, framework_version=version)
    assert created and not created_again
    assert again.pk == first.pk
    assert first.kind == AssessmentKind.BASELINE and first.status == AssessmentStatus.DRAFT
    assert SelfAssessment.objects.filter(person=world.teacher).count() == 1


def test_it_makes_the_measurement_after_the_baseline_a_follow_up(world: Any, version: Any) -> None:
    baseline = finished(world.teacher, version)
    later = started(world.teacher, version)
    assert baseline.kind == AssessmentKind.BASELINE
    assert later.kind == AssessmentKind.FOLLOW_UP


def test_it_starts_from_the_page_and_resumes_the_draft(world: Any, version: Any, client_for: Any) -> None:
    client = client_for(world.teacher)
    response = client.post("/dossier/measurements/start/", {"framework_version": str(version.pk)})
    assessment = SelfAssessment.objects.get(person=world.teacher)
    assert response.status_code == 302
    assert response["Location"] == f"/dossier/measurements/{assessment.pk}/"
    response = client.post("/dossier/measurements/start/", {"framework_version": str(version.pk)})
    assert response["Location"] == f"/dossier/measurements/{assessment.pk}/"
    assert SelfAssessment.objects.filter(person=world.teacher).count() == 1


def test_it_refuses_to_start_against_a_framework_of_another_board(world: Any, client_for: Any) -> None:
    other = framework_version_build(board=world.board_b)
    response = client_for(world.teacher).post("/dossier/measurements/start/", {"framework_version": str(other.pk)})
    assert response.status_code == 400
    assert not SelfAssessment.objects.exists()
    with pytest.raises(ValidationError):
        assessment_start(actor=actor_of(world.teacher), framework_version=other)


def test_it_refuses_to_start_against_a_draft_version(world: Any) -> None:
    draft = framework_version_build(board=world.board_a, published=False)
    with pytest.raises(ValidationError):
        assessment_start(actor=actor_of(world.teacher), framework_version=draft)
    assert not SelfAssessment.objects.exists()


def test_it_explains_that_the_administrator_must_adopt_a_framework_first(world: Any, client_for: Any) -> None:
    response = client_for(world.teacher).get("/dossier/measurements/")
    assert response.status_code == 200
    assert (
        "must adopt one first" in response.content.decode()
        or dutch(
            "Your board has not adopted a competence framework yet, so there is nothing to measure against. "
            "The functional administrator of your board must adopt one first."
        )
        in response.content.decode()
    )
    overview = client_for(world.teacher).get("/dossier/")
    assert overview.status_code == 200
    assert overview.context["assessment_default_version"] is None


# --- saving halfway and resuming --------------------------------------------------------------------


def test_it_saves_halfway_and_shows_the_answers_on_return(world: Any, version: Any, client_for: Any) -> None:
    assessment = started(world.teacher, version)
    first, second, *rest = indicators_of(version)
    portfolio = evidence_of(world.teacher, world.board_a, "Lesobservatie rekenen")
    client = client_for(world.teacher)
    data = form_data(
        (first, level(version, 2)),
        (second, None),
        anchor="domain-x",
        **{f"explanation-{second.pk}": "Nog niet geoefend", f"evidence-{first.pk}": [str(portfolio.pk)]},
    )
    response = client.post(f"/dossier/measurements/{assessment.pk}/save/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/dossier/measurements/{assessment.pk}/#domain-x"

    ratings = {r.indicator_id: r for r in Rating.objects.filter(assessment=assessment)}
    assert ratings[first.pk].level == level(version, 2)
    assert list(ratings[first.pk].evidence.all()) == [portfolio]
    assert ratings[second.pk].level is None and ratings[second.pk].explanation == "Nog niet geoefend"

    page = client.get(f"/dossier/measurements/{assessment.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert page.templates[0].name == "dossier/assessment_fill.html"
    assert f'name="level-{first.pk}" value="{level(version, 2).pk}" checked' in html
    assert "Nog niet geoefend" in html
    assert f'<option value="{portfolio.pk}" selected>' in html
    assert page.context["rated"] == 1 and page.context["total"] == len(rest) + 2


def test_it_changes_only_the_indicators_in_the_post(world: Any, version: Any) -> None:
    assessment = started(world.teacher, version)
    first, second, *_ = indicators_of(version)
    rate(world.teacher, assessment, {first: 1, second: 2})
    rate(world.teacher, assessment, {second: 4})
    levels = dict(Rating.objects.filter(assessment=assessment).values_list("indicator_id", "level__value"))
    assert levels == {first.pk: 1, second.pk: 4}


def test_it_answers_an_autosave_with_the_progress(world: Any, version: Any, client_for: Any) -> None:
    assessment = started(world.teacher, version)
    first, *_ = indicators_of(version)
    response = client_for(world.teacher).post(
        f"/dossier/measurements/{assessment.pk}/save/", form_data((first, level(version, 3))), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.templates[0].name == "dossier/_assessment_status.html"
    assert response.context["rated"] == 1
    assert Rating.objects.get(assessment=assessment, indicator=first).level == level(version, 3)


# --- bad input ---------------------------------------------------------------------------------------


def test_it_refuses_a_level_of_another_scale_and_saves_nothing(world: Any, version: Any, client_for: Any) -> None:
    other = framework_version_build(board=world.board_a, slug="ander-kader")
    assessment = started(world.teacher, version)
    first, second, *_ = indicators_of(version)
    with pytest.raises(ValidationError):
        assessment_save(
            actor=actor_of(world.teacher),
            assessment=assessment,
            ratings={first.pk: RatingInput(level_id=level(version, 2).pk), second.pk: RatingInput(level(other, 2).pk)},
        )
    assert not Rating.objects.filter(assessment=assessment).exists()

    response = client_for(world.teacher).post(
        f"/dossier/measurements/{assessment.pk}/save/",
        form_data((first, level(version, 2)), (second, level(other, 2)), **{f"explanation-{first.pk}": "Wat ik typte"}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert escape(dutch("Choose one of the levels of this framework's scale.")) in html
    assert "Wat ik typte" in html  # kept on screen
    assert not Rating.objects.filter(assessment=assessment).exists()


@pytest.mark.parametrize("bogus", ["abc", "-1", "999999", ""])
def test_it_never_crashes_on_a_bogus_level(world: Any, version: Any, client_for: Any, bogus: str) -> None:
    assessment = started(world.teacher, version)
    first, *_ = indicators_of(version)
    response = client_for(world.teacher).post(
        f"/dossier/measurements/{assessment.pk}/save/", {"indicator": [str(first.pk)], f"level-{first.pk}": bogus}
    )
    assert response.status_code in (302, 400)
    assert not Rating.objects.filter(assessment=assessment, level__isnull=False).exists()


def test_it_refuses_an_indicator_of_another_framework(world: Any, version: Any, client_for: Any) -> None:
    other = framework_version_build(board=world.board_a, slug="ander-kader")
    assessment = started(world.teacher, version)
    foreign = indicators_of(other)[0]
    response = client_for(world.teacher).post(
        f"/dossier/measurements/{assessment.pk}/save/", form_data((foreign, level(other, 1)))
    )
    assert response.status_code == 400
    with pytest.raises(ValidationError):
        assessment_save(
            actor=actor_of(world.teacher),
            assessment=assessment,
            ratings={foreign.pk: RatingInput(level_id=level(version, 1).pk)},
        )
    assert not Rating.objects.exists()


def test_it_refuses_evidence_from_someone_elses_portfolio(world: Any, version: Any) -> None:
    assessment = started(world.teacher, version)
    first, *_ = indicators_of(version)
    not_mine = evidence_of(world.colleague, world.board_a, "Van een collega")
    with pytest.raises(ValidationError):
        assessment_save(
            actor=actor_of(world.teacher),
            assessment=assessment,
            ratings={first.pk: RatingInput(level_id=level(version, 1).pk, evidence_ids=frozenset({not_mine.pk}))},
        )
    assert not Rating.objects.exists()


# --- finishing ---------------------------------------------------------------------------------------


def test_it_refuses_to_finish_with_missing_ratings_and_lists_them(world: Any, version: Any, client_for: Any) -> None:
    assessment = started(world.teacher, version)
    indicators = indicators_of(version)
    with pytest.raises(AssessmentIncompleteError) as refused:
        rate(world.teacher, assessment, {indicators[0]: 2}, finish=True)
    assert [i.pk for i in refused.value.missing] == [i.pk for i in indicators[1:]]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT and assessment.finished_at is None

    # On the page: what was typed is kept (and saved), the missing indicators are named.
    response = client_for(world.teacher).post(
        f"/dossier/measurements/{assessment.pk}/finish/",
        form_data((indicators[0], level(version, 2)), (indicators[1], level(version, 4))),
    )
    assert response.status_code == 400
    html = response.content.decode()
    for indicator in indicators[2:]:
        assert f'href="#indicator-{indicator.pk}"' in html
        assert indicator.code in html
    assert f'href="#indicator-{indicators[1].pk}"' not in html
    assert f'name="level-{indicators[1].pk}" value="{level(version, 4).pk}" checked' in html
    assert Rating.objects.get(assessment=assessment, indicator=indicators[1]).level == level(version, 4)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_it_finishes_and_then_refuses_every_change(world: Any, version: Any) -> None:
    assessment = finished(world.teacher, version, value=3)
    assert assessment.status == AssessmentStatus.FINISHED and assessment.finished_at is not None
    before = list(Rating.objects.filter(assessment=assessment).values_list("indicator_id", "level_id", "explanation"))
    first, *_ = indicators_of(version)
    with pytest.raises(ValidationError) as refused:
        assessment_save(
            actor=actor_of(world.teacher),
            assessment=assessment,
            ratings={first.pk: RatingInput(level_id=level(version, 1).pk, explanation="Later veranderd")},
        )
    assert refused.value.error_list[0].code == "finished"
    after = list(Rating.objects.filter(assessment=assessment).values_list("indicator_id", "level_id", "explanation"))
    assert after == before


def test_it_lets_only_the_first_of_two_finishes_win(world: Any, version: Any) -> None:
    assessment = started(world.teacher, version)
    indicators = indicators_of(version)
    rate(world.teacher, assessment, dict.fromkeys(indicators, 2))
    tab_one = SelfAssessment.objects.get(pk=assessment.pk)
    tab_two = SelfAssessment.objects.get(pk=assessment.pk)  # both tabs loaded the draft

    assessment_finish(actor=actor_of(world.teacher), assessment=tab_one)
    finished_at = SelfAssessment.objects.get(pk=assessment.pk).finished_at
    with pytest.raises(ValidationError) as refused:
        assessment_finish(
            actor=actor_of(world.teacher),
            assessment=tab_two,
            ratings={indicators[0].pk: RatingInput(level_id=level(version, 4).pk)},
        )
    assert refused.value.error_list[0].code == "finished"
    stored = SelfAssessment.objects.get(pk=assessment.pk)
    assert stored.finished_at == finished_at
    assert Rating.objects.get(assessment=assessment, indicator=indicators[0]).level == level(version, 2)


def test_it_keeps_the_typed_input_when_the_measurement_was_finished_in_another_tab(
    world: Any, version: Any, client_for: Any
) -> None:
    assessment = started(world.teacher, version)
    indicators = indicators_of(version)
    rate(world.teacher, assessment, dict.fromkeys(indicators, 2), finish=True)
    client = client_for(world.teacher)
    data = form_data((indicators[0], level(version, 4)), **{f"explanation-{indicators[0].pk}": "Mijn late uitleg"})
    for action in ("save", "finish"):
        response = client.post(f"/dossier/measurements/{assessment.pk}/{action}/", data)
        html = response.content.decode()
        assert response.status_code == 400
        assert "Mijn late uitleg" in html
        assert f'name="level-{indicators[0].pk}" value="{level(version, 4).pk}" checked' in html
        assert response.context["closed"]
        assert f'action="/dossier/measurements/{assessment.pk}/finish/"' not in html
    assert Rating.objects.get(assessment=assessment, indicator=indicators[0]).level == level(version, 2)
    autosave = client.post(f"/dossier/measurements/{assessment.pk}/save/", data, HTTP_HX_REQUEST="true")
    assert autosave.status_code == 200 and autosave.context["error"]


def test_it_finishes_from_the_page_and_shows_the_profile(world: Any, version: Any, client_for: Any) -> None:
    assessment = started(world.teacher, version)
    indicators = indicators_of(version)
    client = client_for(world.teacher)
    response = client.post(
        f"/dossier/measurements/{assessment.pk}/finish/", form_data(*((i, level(version, 3)) for i in indicators))
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_finished
    page = client.get(response["Location"])
    assert page.templates[0].name == "dossier/assessment_profile.html"
    assert page.context["is_owner"]


# --- the profile --------------------------------------------------------------------------------------


def test_it_computes_the_profile_per_domain(world: Any, client_for: Any) -> None:
    version = framework_version_build(board=world.board_a, domains=2, competences=2, indicators=2)
    assessment = started(world.teacher, version)
    i = {indicator.code: indicator for indicator in indicators_of(version)}
    values = {
        "D1.C1.I1": 1,
        "D1.C1.I2": 2,  # D1.C1 average 1.5
        "D1.C2.I1": 4,
        "D1.C2.I2": 4,  # D1.C2 average 4.0; D1 average (1+2+4+4)/4 = 2.75
        "D2.C1.I1": 3,
        "D2.C1.I2": 3,
        "D2.C2.I1": 2,
        "D2.C2.I2": 4,  # D2 average 3.0
    }
    rate(world.teacher, assessment, {i[code]: value for code, value in values.items()}, finish=True)
    profile = assessment_profile_for(actor=actor_of(world.teacher), assessment=assessment)
    d1, d2 = profile.domains
    assert (d1.code, d1.average, d1.rated, d1.total) == ("D1", 2.75, 4, 4)
    assert [(c.code, c.average) for c in d1.competences] == [("D1.C1", 1.5), ("D1.C2", 4.0)]
    assert [(x.level.value, x.count) for x in d1.distribution] == [(1, 1), (2, 1), (3, 0), (4, 2)]
    assert d1.competences[0].percent == 37.5
    assert d2.average == 3.0
    assert [(x.level.value, x.count) for x in d2.distribution] == [(1, 0), (2, 1), (3, 2), (4, 1)]
    assert (profile.rated, profile.total) == (8, 8)

    html = client_for(world.teacher).get(f"/dossier/measurements/{assessment.pk}/").content.decode()
    assert 'width="37.5%"' in html  # the bar of D1.C1, unlocalised in the SVG
    assert "<caption>" in html and 'scope="row"' in html


# --- comparison -------------------------------------------------------------------------------------


def test_it_compares_two_versions_by_competence_code(world: Any, client_for: Any) -> None:
    v1 = framework_version_build(board=world.board_a, slug="kader", domains=2, competences=2, indicators=1)
    earlier = finished(world.teacher, v1, value=2)
    # Version 2: D1 has a third competence; D2 is gone and D3 is new.
    v2 = framework_version_build(board=world.board_a, slug="kader", domains=1, competences=3, indicators=1)
    assert v2.framework_id == v1.framework_id and v2.number == 2
    later = started(world.teacher, v2)
    assert later.kind == AssessmentKind.FOLLOW_UP
    codes = {indicator.code: indicator for indicator in indicators_of(v2)}
    rate(world.teacher, later, {codes["D1.C1.I1"]: 3, codes["D1.C2.I1"]: 1, codes["D1.C3.I1"]: 4}, finish=True)

    comparison = assessment_comparison_for(actor=actor_of(world.teacher), before=earlier, after=later)
    rows = {(d.row.code, c.code): (c.before, c.after, c.difference) for d in comparison.domains for c in d.competences}
    assert rows[("D1", "D1.C1")] == (2.0, 3.0, 1.0)
    assert rows[("D1", "D1.C2")] == (2.0, 1.0, -1.0)
    assert rows[("D1", "D1.C3")] == (None, 4.0, None)
    assert rows[("D2", "D2.C1")] == (2.0, None, None)
    domains = {d.row.code: (d.row.before, d.row.after, d.row.difference) for d in comparison.domains}
    assert domains == {"D1": (2.0, 8 / 3, round(8 / 3 - 2, 2)), "D2": (2.0, None, None)}

    # Picked in either order, the page shows earlier → later.
    response = client_for(world.teacher).get(f"/dossier/measurements/compare/?from={later.pk}&to={earlier.pk}")
    assert response.status_code == 200
    assert response.context["before"] == earlier and response.context["after"] == later
    assert "+1" in response.content.decode()


def test_it_refuses_to_compare_a_draft(world: Any, version: Any, client_for: Any) -> None:
    done = finished(world.teacher, version)
    draft = started(world.teacher, version)
    response = client_for(world.teacher).get(f"/dossier/measurements/compare/?from={done.pk}&to={draft.pk}")
    assert response.status_code == 400
    assert response.context["comparison"] is None


def test_it_answers_a_bad_comparison_request_without_crashing(world: Any, client_for: Any) -> None:
    client = client_for(world.teacher)
    assert client.get("/dossier/measurements/compare/?from=nonsense&to=").status_code == 400
    assert client.get("/dossier/measurements/compare/").status_code == 200


# --- who may see what -------------------------------------------------------------------------------


def test_it_lets_only_the_owner_open_an_unshared_measurement(world: Any, version: Any, client_for: Any) -> None:
    assessment = finished(world.teacher, version)
    url = f"/dossier/measurements/{assessment.pk}/"
    assert client_for(world.teacher).get(url).status_code == 200
    for persona in ("colleague", "manager", "outsider", "administrator", "board_member", "operator", "coach"):
        assert client_for(world.persona(persona)).get(url).status_code == 404, persona
    assert not AccessLog.objects.exists()


def test_it_shows_a_measurement_shared_with_the_manager_read_only_and_logs_it(
    world: Any, version: Any, client_for: Any
) -> None:
    assessment = finished(world.teacher, version)
    Share.objects.create(
        board=world.board_a,
        owner=world.teacher,
        audience=ShareAudience.MANAGER,
        section="assessments",
        assessment=assessment,
    )
    client = client_for(world.manager)
    response = client.get(f"/dossier/measurements/{assessment.pk}/")
    assert response.status_code == 200
    assert response.templates[0].name == "dossier/assessment_profile.html"
    assert not response.context["is_owner"]
    assert "/save/" not in response.content.decode()
    log = AccessLog.objects.get()
    assert (log.actor, log.subject, log.object_id) == (world.manager, world.teacher, str(assessment.pk))

    first, *_ = indicators_of(version)
    # Shared is read-only: the manager cannot save or finish it, and the colleague still sees nothing.
    for action in ("save", "finish"):
        refused = client.post(f"/dossier/measurements/{assessment.pk}/{action}/", form_data((first, None)))
        assert refused.status_code == 404
    assert client_for(world.colleague).get(f"/dossier/measurements/{assessment.pk}/").status_code == 404


def test_it_shows_the_manager_only_the_evidence_shared_with_them(world: Any, version: Any, client_for: Any) -> None:
    assessment = started(world.teacher, version)
    indicators = indicators_of(version)
    private = evidence_of(world.teacher, world.board_a, "Privé verslag")
    open_item = evidence_of(world.teacher, world.board_a, "Gedeeld certificaat")
    ratings = {i.pk: RatingInput(level_id=level(version, 3).pk) for i in indicators}
    ratings[indicators[0].pk] = RatingInput(
        level_id=level(version, 3).pk, evidence_ids=frozenset({private.pk, open_item.pk})
    )
    assessment_finish(actor=actor_of(world.teacher), assessment=assessment, ratings=ratings)
    for item in (assessment, open_item):
        Share.objects.create(
            board=world.board_a,
            owner=world.teacher,
            audience=ShareAudience.MANAGER,
            section="assessments" if item is assessment else "portfolio",
            **{"assessment" if item is assessment else "evidence": item},
        )
    html = client_for(world.manager).get(f"/dossier/measurements/{assessment.pk}/").content.decode()
    assert "Gedeeld certificaat" in html
    assert "Privé verslag" not in html
    assert "Privé verslag" in client_for(world.teacher).get(f"/dossier/measurements/{assessment.pk}/").content.decode()


def test_it_lets_no_one_but_the_owner_save_or_finish(world: Any, version: Any, client_for: Any) -> None:
    assessment = started(world.teacher, version)
    first, *_ = indicators_of(version)
    data = form_data((first, level(version, 1)))
    for persona in ("colleague", "manager", "outsider"):
        for action in ("save", "finish"):
            response = client_for(world.persona(persona)).post(f"/dossier/measurements/{assessment.pk}/{action}/", data)
            assert response.status_code == 404, (persona, action)
    assert not Rating.objects.exists()


def test_it_compares_shared_measurements_for_the_manager_and_logs_both(
    world: Any, version: Any, client_for: Any
) -> None:
    earlier = finished(world.teacher, version, value=2)
    later = finished(world.teacher, version, value=3)
    url = f"/dossier/measurements/compare/?from={earlier.pk}&to={later.pk}"
    assert client_for(world.manager).get(url).status_code == 404
    Share.objects.create(
        board=world.board_a, owner=world.teacher, audience=ShareAudience.MANAGER, section="assessments"
    )
    assert client_for(world.manager).get(url).status_code == 200
    assert sorted(AccessLog.objects.values_list("object_id", flat=True)) == sorted([str(earlier.pk), str(later.pk)])
    assert client_for(world.colleague).get(url).status_code == 404


# --- the overview card -------------------------------------------------------------------------------


def test_it_fills_the_overview_card(world: Any, version: Any, client_for: Any) -> None:
    actor = actor_of(world.teacher)
    assert assessment_overview_for(actor=actor)["assessment_default_version"] == version
    earlier = finished(world.teacher, version)
    later = finished(world.teacher, version)
    draft = started(world.teacher, version)
    context = assessment_overview_for(actor=actor)
    assert context["assessment_draft"] == draft
    assert context["assessment_latest"] == later
    assert context["assessment_compare_pair"] == (earlier, later)
    html = client_for(world.teacher).get("/dossier/").content.decode()
    assert f"/dossier/measurements/{draft.pk}/" in html
    assert f"/dossier/measurements/compare/?from={earlier.pk}&amp;to={later.pk}" in html


# --- bounded reads ----------------------------------------------------------------------------------


def _count_queries(client: Any, url: str) -> int:
    client.get(url)  # warm-up (session, caches)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _measurement_of_size(world: Any, slug: str, size: int, *, finish: bool) -> SelfAssessment:
    version = framework_version_build(
        board=world.board_a, slug=slug, domains=size, competences=size - 1, indicators=size - 1
    )
    portfolio = [evidence_of(world.teacher, world.board_a, f"{slug} bewijs {n}") for n in range(size)]
    assessment = started(world.teacher, version)
    ratings = {
        indicator.pk: RatingInput(
            level_id=level(version, 1 + n % 4).pk,
            explanation=f"Uitleg {n}",
            evidence_ids=frozenset(e.pk for e in portfolio[: 1 + n % 3]),
        )
        for n, indicator in enumerate(indicators_of(version))
    }
    if finish:
        return assessment_finish(actor=actor_of(world.teacher), assessment=assessment, ratings=ratings)
    return assessment_save(actor=actor_of(world.teacher), assessment=assessment, ratings=ratings)


@pytest.mark.parametrize("finish", [False, True], ids=["fill form", "profile"])
def test_it_reads_a_measurement_page_in_a_bounded_number_of_queries(world: Any, client_for: Any, finish: bool) -> None:
    client = client_for(world.teacher)
    small = _measurement_of_size(world, "klein", 5, finish=finish)  # 5 domains x 4 competences x 4 indicators
    large = _measurement_of_size(world, "groot", 7, finish=finish)  # 7 x 6 x 6
    assert Indicator.objects.filter(competence__version=small.framework_version).count() == 80
    small_count = _count_queries(client, f"/dossier/measurements/{small.pk}/")
    large_count = _count_queries(client, f"/dossier/measurements/{large.pk}/")
    assert small_count == large_count
    assert large_count <= 22  # measured 20: session, actor, the page's reads and the privacy card


def test_it_reads_the_shared_profile_in_a_bounded_number_of_queries(world: Any, client_for: Any) -> None:
    counts = []
    for slug, size in (("klein", 5), ("groot", 7)):
        assessment = _measurement_of_size(world, slug, size, finish=True)
        Share.objects.create(
            board=world.board_a,
            owner=world.teacher,
            audience=ShareAudience.MANAGER,
            section="assessments",
            assessment=assessment,
        )
        counts.append(_count_queries(client_for(world.manager), f"/dossier/measurements/{assessment.pk}/"))
    assert counts[0] == counts[1]
    assert counts[1] <= 24  # measured 22: the owner's page plus the share checks and the access log write
