"""The coverage map: per competence how much evidence and reflection is linked, counted over what the viewer may see."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bekwaam.audit.models import AccessLog
from bekwaam.dossier.models import Evidence, EvidenceKind, Reflection, Share, ShareAudience
from bekwaam.dossier.selectors.portfolio import coverage_for
from bekwaam.frameworks.models import Competence, Domain
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.tenancy.context import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client_for: Any, settings: Any) -> Any:
    """Signed-in clients that read English pages: the assertions use the English msgids."""

    def signed_in(person: Any) -> Client:
        client: Client = client_for(person)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return signed_in


def actor_of(person: Any, board: Any) -> Any:
    return actor_for(person, f"board:{board.pk}")


@pytest.fixture
def version(world: Any) -> Any:
    return framework_version_build(board=world.board_a)  # D1.C1, D1.C2, D2.C1, D2.C2


def competences_of(version: Any) -> dict[str, Competence]:
    return {competence.code: competence for competence in Competence.objects.filter(version=version)}


def evidence(world: Any, *codes: Competence, title: str = "Bewijs", person: Any = None) -> Evidence:
    item = Evidence.objects.create(
        board=world.board_a,
        person=person or world.teacher,
        kind=EvidenceKind.LINK,
        url="https://example.org/",
        title=title,
    )
    item.competences.set(codes)
    return item


def reflection(world: Any, *codes: Competence, title: str = "Reflectie") -> Reflection:
    item = Reflection.objects.create(
        board=world.board_a, person=world.teacher, title=title, body="Tekst", written_on=timezone.localdate()
    )
    item.competences.set(codes)
    return item


def counts(coverage: Any) -> dict[str, tuple[int, int]]:
    return {
        row.competence.code: (row.evidence_count, row.reflection_count)
        for domain in coverage.domains
        for row in domain.competences
    }


def test_it_counts_evidence_and_reflections_per_competence_and_domain(world: Any, version: Any) -> None:
    c = competences_of(version)
    evidence(world, c["D1.C1"], c["D1.C2"])  # one item for two competences of one domain
    evidence(world, c["D1.C1"])
    reflection(world, c["D1.C2"], c["D2.C1"])
    evidence(world, c["D1.C1"], person=world.colleague)  # someone else's: not on this map
    other = framework_version_build(board=world.board_a)  # the next version: not on this map
    evidence(world, Competence.objects.filter(version=other).first())  # type: ignore[arg-type]

    coverage = coverage_for(actor=actor_of(world.teacher, world.board_a), owner_id=world.teacher.pk, version=version)

    assert counts(coverage) == {"D1.C1": (2, 0), "D1.C2": (1, 1), "D2.C1": (0, 1), "D2.C2": (0, 0)}
    d1, d2 = coverage.domains
    assert (d1.evidence_count, d1.reflection_count) == (2, 1)  # distinct items, not links
    assert (d2.evidence_count, d2.reflection_count) == (0, 1)
    assert [row.competence.code for row in d2.competences if row.is_empty] == ["D2.C2"]
    assert (coverage.evidence_total, coverage.reflection_total) == (2, 1)
    assert (coverage.empty_count, coverage.competence_count) == (1, 4)


def test_it_counts_in_a_fixed_number_of_queries(world: Any, version: Any, django_assert_max_num_queries: Any) -> None:
    actor = actor_of(world.teacher, world.board_a)
    c = list(competences_of(version).values())
    evidence(world, c[0])
    with django_assert_max_num_queries(4):
        coverage_for(actor=actor, owner_id=world.teacher.pk, version=version)
    for i in range(60):
        evidence(world, c[i % 4], c[(i + 1) % 4], title=f"Bewijs {i}")
        reflection(world, c[i % 3], title=f"Reflectie {i}")
    with django_assert_max_num_queries(4):
        coverage = coverage_for(actor=actor, owner_id=world.teacher.pk, version=version)
    assert coverage.evidence_total == 61 and coverage.reflection_total == 60


def test_a_viewer_sees_only_what_is_shared_with_them(world: Any, version: Any) -> None:
    c = competences_of(version)
    shared = evidence(world, c["D1.C1"], title="Gedeeld")
    evidence(world, c["D1.C2"], title="Privé")
    reflection(world, c["D2.C1"])
    Share.objects.create(
        board=world.board_a, owner=world.teacher, audience=ShareAudience.MANAGER, section="portfolio", evidence=shared
    )
    coverage = coverage_for(actor=actor_of(world.manager, world.board_a), owner_id=world.teacher.pk, version=version)
    assert counts(coverage) == {"D1.C1": (1, 0), "D1.C2": (0, 0), "D2.C1": (0, 0), "D2.C2": (0, 0)}
    # A share of the whole section shows the whole map.
    Share.objects.create(board=world.board_a, owner=world.teacher, audience=ShareAudience.MANAGER, section="portfolio")
    coverage = coverage_for(actor=actor_of(world.manager, world.board_a), owner_id=world.teacher.pk, version=version)
    assert counts(coverage) == {"D1.C1": (1, 0), "D1.C2": (1, 0), "D2.C1": (0, 1), "D2.C2": (0, 0)}
    # Someone without a share counts nothing.
    coverage = coverage_for(actor=actor_of(world.colleague, world.board_a), owner_id=world.teacher.pk, version=version)
    assert set(counts(coverage).values()) == {(0, 0)}


def test_the_owners_page_shows_a_chart_and_a_table_with_the_empty_competences_marked(
    world: Any, client_for: Any, version: Any
) -> None:
    c = competences_of(version)
    evidence(world, c["D1.C1"])
    response = client_for(world.teacher).get(reverse("dossier:coverage"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<svg class="coverage-chart"') == Domain.objects.filter(version=version).count()
    assert page.count("Empty: nothing linked yet") == 3  # in the chart, in words
    assert page.count('class="coverage-status coverage-status--empty"') == 3  # in the table, in words
    assert "3 of 4 competences are still empty." in page
    assert f"?competence={c['D1.C1'].pk}" in page  # the owner goes from the map to the items


def test_the_chart_uses_dots_in_numbers_whatever_the_language(world: Any, client_for: Any, version: Any) -> None:
    c = competences_of(version)
    for i in range(3):
        evidence(world, c["D1.C1"], title=f"Bewijs {i}")
    evidence(world, c["D1.C2"])
    client = client_for(world.teacher)
    client.cookies.pop("django_language", None)
    page = client.get(reverse("dossier:coverage"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'width="19.3%"' in page  # 58% * 1/3, not "19,3%" as Dutch writes it


def test_it_says_so_when_the_board_has_no_framework(world: Any, client_for: Any) -> None:
    response = client_for(world.teacher).get(reverse("dossier:coverage"))
    assert response.status_code == 200
    assert "has not adopted a competence framework yet" in response.content.decode()


def test_it_draws_another_published_version_when_asked(world: Any, client_for: Any, version: Any) -> None:
    newer = framework_version_build(board=world.board_a, domains=1, competences=1)
    client = client_for(world.teacher)
    assert client.get(reverse("dossier:coverage")).context["coverage"].version == newer  # the default: newest
    response = client.get(reverse("dossier:coverage"), {"version": version.pk})
    assert response.context["coverage"].version == version
    other_board = framework_version_build(board=world.board_b)
    assert client.get(reverse("dossier:coverage"), {"version": other_board.pk}).context["coverage"].version == newer


def person_coverage_url(person: Any) -> str:
    return reverse("dossier:person-coverage", kwargs={"person_id": person.pk})


def test_a_viewer_opens_the_map_only_when_something_is_shared_and_is_logged(
    world: Any, client_for: Any, version: Any
) -> None:
    c = competences_of(version)
    shared = evidence(world, c["D1.C1"], title="Gedeeld")
    client = client_for(world.manager)
    assert client.get(person_coverage_url(world.teacher)).status_code == 404
    share = Share.objects.create(
        board=world.board_a, owner=world.teacher, audience=ShareAudience.MANAGER, section="portfolio", evidence=shared
    )
    response = client.get(person_coverage_url(world.teacher))
    assert response.status_code == 200
    assert counts(response.context["coverage"])["D1.C1"] == (1, 0)
    assert "You only see what Tom Leraar shared with you." in response.content.decode()
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.subject, entry.what) == (world.manager, world.teacher, "coverage map")
    # The map is drawn against the owner's framework, not the viewer's (a director, of school leaders).
    framework_version_build(board=world.board_a, slug="leiders", name="Schoolleiders", audience="school_leaders")
    assert client.get(person_coverage_url(world.teacher)).context["coverage"].version == version
    Share.objects.filter(pk=share.pk).update(withdrawn_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(person_coverage_url(world.teacher)).status_code == 404


def test_a_share_of_another_section_does_not_open_the_map(world: Any, client_for: Any, version: Any) -> None:
    Share.objects.create(board=world.board_a, owner=world.teacher, audience=ShareAudience.MANAGER, section="plans")
    assert client_for(world.manager).get(person_coverage_url(world.teacher)).status_code == 404


@pytest.mark.parametrize("persona", ["colleague", "administrator", "board_member", "operator", "outsider", "teacher"])
def test_nobody_else_opens_someones_map(world: Any, client_for: Any, version: Any, persona: str) -> None:
    Share.objects.create(board=world.board_a, owner=world.teacher, audience=ShareAudience.MANAGER, section="portfolio")
    assert client_for(world.persona(persona)).get(person_coverage_url(world.teacher)).status_code == 404
    assert not AccessLog.objects.exists()
