"""Sharing: who sees which item, at once and only while a share is active; what the leidinggevende sees.

Items are built with the ORM (the pages that create them belong to other parts). Visibility is
checked through the core selectors (what every item page uses) and through this part's pages.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from bekwaam.accounts.testing import sign_in
from bekwaam.audit.models import AccessLog
from bekwaam.dossier.models import (
    DevelopmentPlan,
    Evidence,
    EvidenceKind,
    Reflection,
    Section,
    Share,
    ShareAudience,
)
from bekwaam.dossier.selectors import item_get_for, visible_items_of
from bekwaam.dossier.services.access import item_access_record
from bekwaam.dossier.services.sharing import share_create, share_withdraw
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Employment, Role
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory, RoleGrantFactory, with_totp

pytestmark = pytest.mark.django_db


# --- helpers ------------------------------------------------------------------------------------------


def actor_of(person: Any, board: Any = None) -> Any:
    return actor_for(person, f"board:{board.pk}" if board is not None else None)


def evidence_of(person: Any, board: Any, title: str = "Certificaat rekendidactiek") -> Evidence:
    return Evidence.objects.create(
        board=board, person=person, kind=EvidenceKind.LINK, url="https://example.org/bewijs", title=title
    )


def reflection_of(person: Any, board: Any, title: str = "Terugblik op het blok") -> Reflection:
    return Reflection.objects.create(
        board=board, person=person, title=title, body="Wat ging goed.", written_on=timezone.localdate()
    )


def share(world: Any, item: Any = None, *, section: str = Section.PORTFOLIO, grantee: Any = None) -> Share:
    """The teacher shares (an item or a section) with their manager, or with the grantee by name."""
    audience = ShareAudience.PERSON if grantee is not None else ShareAudience.MANAGER
    return share_create(
        actor=actor_of(world.teacher, world.board_a), section=section, audience=audience, grantee=grantee, item=item
    )


def can_open(person: Any, item: Any, board: Any = None) -> bool:
    try:
        item_get_for(actor=actor_of(person, board), model=type(item), item_id=item.pk)
    except Http404:
        return False
    return True


def client_of(person: Any) -> Client:
    return sign_in(Client(), person)


def leader_of_other_school(world: Any) -> Any:
    """The school leader of school_a2 (same board): leads colleagues there, not the teacher."""
    leader = with_totp(PersonFactory(email="leider2@alfa.nl", given_name="Lars", family_name="Tweede"))
    EmploymentFactory(person=leader, school=world.school_a2, function="school_leader")
    RoleGrantFactory(person=leader, board=world.board_a, school=world.school_a2, role=Role.MANAGER)
    EmploymentFactory(school=world.school_a2, manager=leader)  # somebody for "Mijn team"
    return leader


def detail_url(item: Any) -> str | None:
    """The item's detail page, once the part that owns it has built one."""
    names = {
        Evidence: ("dossier:evidence-detail", "evidence_id"),
        Reflection: ("dossier:reflection-detail", "reflection_id"),
    }
    name, kwarg = names[type(item)]
    try:
        return reverse(name, kwargs={kwarg: item.pk})
    except NoReverseMatch:
        return None


# --- who may open an item --------------------------------------------------------------------------


def test_it_shows_a_shared_item_to_the_manager_and_to_nobody_else(world: Any) -> None:
    item = evidence_of(world.teacher, world.board_a)
    share(world, item)
    other_leader = leader_of_other_school(world)

    assert can_open(world.teacher, item)
    assert can_open(world.manager, item)
    for person in (
        other_leader,  # the leidinggevende of another school
        world.colleague,  # a colleague without a share
        world.board_member,  # the bestuurder
        world.administrator,
        world.quality_officer,
        world.operator,  # the platform operator
        world.outsider,
        world.outsider_admin,
        world.coach,
        world.assessor,
    ):
        assert not can_open(person, item), person.email
    # The operator and board B's people do not find it at board A either (no employment there).
    assert not can_open(world.operator, item, world.board_a)
    assert not can_open(world.outsider_admin, item, world.board_a)


@pytest.mark.parametrize(
    "persona", ["colleague", "board_member", "administrator", "quality_officer", "operator", "outsider", "other_leader"]
)
def test_it_answers_404_on_the_shared_dossier_page_to_everyone_not_shared_with(world: Any, persona: str) -> None:
    item = evidence_of(world.teacher, world.board_a)
    share(world, item)
    person = leader_of_other_school(world) if persona == "other_leader" else world.persona(persona)
    client = client_of(person)

    assert client.get(reverse("dossier:person-dossier", kwargs={"person_id": world.teacher.pk})).status_code == 404
    url = detail_url(item)
    if url is not None:  # the portfolio's item page, once built
        assert client.get(url).status_code == 404
    assert not AccessLog.objects.filter(subject=world.teacher).exists()


def test_it_lets_the_manager_open_the_shared_item_from_the_shared_dossier(world: Any) -> None:
    item = evidence_of(world.teacher, world.board_a)
    evidence_of(world.teacher, world.board_a, title="Nog niet gedeeld")
    share(world, item)

    response = client_of(world.manager).get(reverse("dossier:person-dossier", kwargs={"person_id": world.teacher.pk}))

    assert response.status_code == 200
    content = response.content.decode()
    assert item.title in content
    assert "Nog niet gedeeld" not in content
    url = detail_url(item)
    if url is not None:
        assert f'href="{url}"' in content


def test_it_answers_404_to_the_owner_and_when_nothing_is_shared(world: Any) -> None:
    evidence_of(world.teacher, world.board_a)
    url = reverse("dossier:person-dossier", kwargs={"person_id": world.teacher.pk})

    assert client_of(world.manager).get(url).status_code == 404  # nothing shared yet
    share(world)
    assert client_of(world.teacher).get(url).status_code == 404  # your own dossier is at "My dossier"


# --- withdrawing --------------------------------------------------------------------------------------


def test_it_ends_access_at_once_when_a_share_is_withdrawn(world: Any) -> None:
    item = evidence_of(world.teacher, world.board_a)
    made = share(world, item)
    manager = client_of(world.manager)
    page = reverse("dossier:person-dossier", kwargs={"person_id": world.teacher.pk})
    assert manager.get(page).status_code == 200

    response = client_of(world.teacher).post(reverse("dossier:share-withdraw", kwargs={"share_id": made.pk}))

    assert response.status_code == 302
    made.refresh_from_db()
    assert made.withdrawn_at is not None
    assert manager.get(page).status_code == 404  # the very next request
    assert not can_open(world.manager, item)
    url = detail_url(item)
    if url is not None:
        assert manager.get(url).status_code == 404


def test_it_keeps_the_first_withdrawal_date(world: Any) -> None:
    made = share(world)
    teacher = actor_of(world.teacher, world.board_a)
    first = share_withdraw(actor=teacher, share=made).withdrawn_at
    assert share_withdraw(actor=teacher, share=made).withdrawn_at == first


def test_it_refuses_to_withdraw_someone_elses_share(world: Any) -> None:
    made = share(world)
    with pytest.raises(PermissionDenied):
        share_withdraw(actor=actor_of(world.manager, world.board_a), share=made)
    response = client_of(world.colleague).post(reverse("dossier:share-withdraw", kwargs={"share_id": made.pk}))
    assert response.status_code == 404
    made.refresh_from_db()
    assert made.withdrawn_at is None


# --- what a share covers ------------------------------------------------------------------------------


def test_it_covers_items_added_later_with_a_section_share(world: Any) -> None:
    share(world, section=Section.PORTFOLIO)
    later = evidence_of(world.teacher, world.board_a, title="Later toegevoegd")
    reflection = reflection_of(world.teacher, world.board_a)
    plan = DevelopmentPlan.objects.create(
        board=world.board_a, person=world.teacher, title="POP 2025", starts_on=datetime.date(2025, 8, 1)
    )

    assert can_open(world.manager, later)
    assert can_open(world.manager, reflection)
    assert not can_open(world.manager, plan)  # another section


def test_it_covers_only_that_item_with_an_item_share(world: Any) -> None:
    shared = evidence_of(world.teacher, world.board_a, title="Gedeeld")
    other = evidence_of(world.teacher, world.board_a, title="Niet gedeeld")
    share(world, shared, grantee=world.colleague)

    assert can_open(world.colleague, shared)
    assert not can_open(world.colleague, other)
    assert not can_open(world.manager, shared)  # shared with the colleague by name, not with the manager
    visible = visible_items_of(actor=actor_of(world.colleague), model=Evidence, owner_id=world.teacher.pk)
    assert list(visible) == [shared]


def test_it_follows_a_change_of_leidinggevende_with_a_manager_share(world: Any) -> None:
    item = evidence_of(world.teacher, world.board_a)
    share(world, item)
    new_leader = leader_of_other_school(world)
    assert can_open(world.manager, item)
    assert not can_open(new_leader, item)

    # The teacher moves to school_a2, led by the new leader.
    old = Employment.objects.get(person=world.teacher)
    old.end_date = timezone.localdate() - datetime.timedelta(days=1)
    old.save()
    EmploymentFactory(person=world.teacher, school=world.school_a2, manager=new_leader)

    assert not can_open(world.manager, item)
    assert can_open(new_leader, item)


def test_it_no_longer_reaches_a_colleague_who_left_the_board(world: Any) -> None:
    """Decision (docs/privacy.md): a named share reaches the colleague only while they work at the board,
    even when they keep a board role there; it is dormant, not withdrawn, and shown so to the owner."""
    item = evidence_of(world.teacher, world.board_a)
    share(world, item, grantee=world.colleague)
    RoleGrantFactory(person=world.colleague, board=world.board_a, role=Role.QUALITY_OFFICER)
    assert can_open(world.colleague, item, world.board_a)

    employment = Employment.objects.get(person=world.colleague)
    employment.end_date = timezone.localdate() - datetime.timedelta(days=1)
    employment.save()

    assert not can_open(world.colleague, item, world.board_a)
    page = client_of(world.teacher).get(reverse("dossier:sharing")).content.decode()
    with translation.override("nl"):
        assert gettext("no longer works at this board, so cannot see it") in page


def test_it_no_longer_reaches_a_manager_who_left_the_board(world: Any) -> None:
    item = evidence_of(world.teacher, world.board_a)
    share(world, item)
    RoleGrantFactory(person=world.manager, board=world.board_a, role=Role.QUALITY_OFFICER)
    employment = Employment.objects.get(person=world.manager)
    employment.end_date = timezone.localdate() - datetime.timedelta(days=1)
    employment.save()

    # Still named on the teacher's employment, but no longer working here: leads nobody.
    assert not can_open(world.manager, item, world.board_a)


# --- share_create ------------------------------------------------------------------------------------


def test_it_refuses_to_share_someone_elses_item(world: Any) -> None:
    item = evidence_of(world.colleague, world.board_a)
    with pytest.raises(PermissionDenied):
        share(world, item)
    assert not Share.objects.exists()


def test_it_refuses_a_grantee_from_another_board(world: Any) -> None:
    with pytest.raises(ValidationError) as error:
        share(world, grantee=world.outsider)
    assert "grantee" in error.value.error_dict
    assert not Share.objects.exists()


def test_it_refuses_to_share_with_yourself_or_someone_without_an_employment(world: Any) -> None:
    for grantee in (world.teacher, world.board_member):
        with pytest.raises(ValidationError):
            share(world, grantee=grantee)
    assert not Share.objects.exists()


def test_it_says_so_when_there_is_no_manager_to_share_with(world: Any) -> None:
    with pytest.raises(ValidationError, match="no manager"):
        share_create(actor=actor_of(world.outsider), section=Section.PORTFOLIO, audience=ShareAudience.MANAGER)


def test_it_refuses_an_item_outside_the_section(world: Any) -> None:
    item = evidence_of(world.teacher, world.board_a)
    with pytest.raises(ValidationError):
        share(world, item, section=Section.PLANS)


def test_it_does_not_duplicate_an_identical_active_share(world: Any) -> None:
    item = evidence_of(world.teacher, world.board_a)
    first = share(world, item)
    assert share(world, item) == first
    share_withdraw(actor=actor_of(world.teacher, world.board_a), share=first)
    again = share(world, item)

    assert again != first
    assert Share.objects.filter(withdrawn_at__isnull=True).count() == 1
    assert share(world) != again  # the whole section is another share


# --- the pages -------------------------------------------------------------------------------------


def test_it_shares_a_section_from_the_sharing_page(world: Any) -> None:
    client = client_of(world.teacher)
    response = client.post(reverse("dossier:share-create"), {"section": Section.PLANS, "with_whom": "manager"})

    assert response.status_code == 302
    assert response["Location"] == reverse("dossier:sharing")
    made = Share.objects.get()
    assert (made.section, made.audience, made.item) == (Section.PLANS, ShareAudience.MANAGER, None)
    page = client.get(reverse("dossier:sharing")).content.decode()
    assert world.manager.full_name in page


def test_it_shares_an_item_with_a_colleague_and_returns_to_the_item(world: Any) -> None:
    item = evidence_of(world.teacher, world.board_a)
    response = client_of(world.teacher).post(
        reverse("dossier:share-create"),
        {"item_kind": "evidence", "item_id": str(item.pk), "with_whom": str(world.colleague.pk), "next": "/dossier/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/dossier/"
    made = Share.objects.get()
    assert (made.evidence, made.grantee, made.section) == (item, world.colleague, Section.PORTFOLIO)


def test_it_answers_404_for_sharing_someone_elses_item_by_its_id(world: Any) -> None:
    item = evidence_of(world.colleague, world.board_a)
    response = client_of(world.teacher).post(
        reverse("dossier:share-create"),
        {"item_kind": "evidence", "item_id": str(item.pk), "with_whom": "manager"},
    )
    assert response.status_code == 404
    assert not Share.objects.exists()


def test_it_keeps_the_section_and_says_what_is_wrong_on_bad_input(world: Any) -> None:
    response = client_of(world.teacher).post(
        reverse("dossier:share-create"), {"section": Section.PORTFOLIO, "with_whom": str(world.outsider.pk)}
    )

    assert response.status_code == 400
    assert response.context["sections"][2][1].data["section"] == Section.PORTFOLIO
    assert response.context["sections"][2][1].errors
    assert 'id="error-summary"' in response.content.decode()
    assert not Share.objects.exists()


def test_it_goes_back_to_the_item_with_a_message_on_bad_input_from_the_panel(world: Any) -> None:
    item = evidence_of(world.teacher, world.board_a)
    client = client_of(world.teacher)
    response = client.post(
        reverse("dossier:share-create"),
        {"item_kind": "evidence", "item_id": str(item.pk), "with_whom": "nobody", "next": "/dossier/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/dossier/"
    assert not Share.objects.exists()


def test_it_does_not_follow_a_next_url_to_another_site(world: Any) -> None:
    made = share(world)
    response = client_of(world.teacher).post(
        reverse("dossier:share-withdraw", kwargs={"share_id": made.pk}), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("dossier:sharing")


def test_it_lists_who_shares_with_me(world: Any) -> None:
    share(world, section=Section.PORTFOLIO)
    share_create(
        actor=actor_of(world.colleague),
        section=Section.PLANS,
        audience=ShareAudience.PERSON,
        grantee=world.manager,
    )

    content = client_of(world.manager).get(reverse("dossier:shared-with-me")).content.decode()

    assert world.teacher.family_name in content
    assert world.colleague.family_name in content
    assert reverse("dossier:person-dossier", kwargs={"person_id": world.teacher.pk}) in content
    nothing = client_of(world.teacher).get(reverse("dossier:shared-with-me")).content.decode()
    assert world.colleague.full_name not in nothing


# --- access log ------------------------------------------------------------------------------------


def test_it_logs_the_managers_view_of_the_shared_dossier(world: Any) -> None:
    share(world)
    url = reverse("dossier:person-dossier", kwargs={"person_id": world.teacher.pk})

    client_of(world.manager).get(url)

    entry = AccessLog.objects.get()
    assert (entry.actor, entry.subject, entry.board, entry.path) == (world.manager, world.teacher, world.board_a, url)
    assert entry.right


def test_it_logs_every_view_of_another_persons_item(world: Any) -> None:
    item = evidence_of(world.teacher, world.board_a)
    share(world, item, grantee=world.colleague)

    # Through the core, as every item page does it (item_get_for, then item_access_record).
    colleague = actor_of(world.colleague)
    found, right = item_get_for(actor=colleague, model=Evidence, item_id=item.pk)
    item_access_record(actor=colleague, item=found, right=right, path="/x/")
    owner = actor_of(world.teacher)
    found, right = item_get_for(actor=owner, model=Evidence, item_id=item.pk)
    item_access_record(actor=owner, item=found, right=right, path="/x/")

    entry = AccessLog.objects.get()  # the owner's own view is not logged
    assert (entry.actor, entry.subject, entry.object_type, entry.object_id) == (
        world.colleague,
        world.teacher,
        "dossier.evidence",
        str(item.pk),
    )
    url = detail_url(item)
    if url is not None:  # and through the portfolio's item page, once built
        client_of(world.colleague).get(url)
        assert AccessLog.objects.filter(object_id=str(item.pk), path=url).count() == 1


# --- the item privacy panel ----------------------------------------------------------------------------


def panel_request(person: Any, board: Any) -> Any:
    request = RequestFactory().get("/dossier/portfolio/x/")
    request.user = person
    request.actor = actor_of(person, board)  # type: ignore[attr-defined]
    return request


def render_panel(request: Any, item: Any) -> str:
    return Template("{% load dossier_sharing %}{% item_privacy item %}").render(RequestContext(request, {"item": item}))


def test_it_shows_the_owner_who_can_see_the_item(world: Any, django_assert_max_num_queries: Any) -> None:
    item = evidence_of(world.teacher, world.board_a)
    item_share = share(world, item, grantee=world.colleague)
    share(world, section=Section.PORTFOLIO)  # the whole portfolio, with the manager
    share(world, evidence_of(world.teacher, world.board_a, "Ander stuk"), grantee=world.manager)  # another item
    AccessLog.objects.create(
        board=world.board_a,
        actor=world.colleague,
        subject=world.teacher,
        what="evidence",
        right="A colleague",
        object_type="dossier.evidence",
        object_id=str(item.pk),
    )

    request = panel_request(world.teacher, world.board_a)
    with django_assert_max_num_queries(4):
        html = render_panel(request, item)

    assert world.colleague.full_name in html
    assert world.manager.full_name in html  # "my manager" resolved to the person leading the teacher now
    assert reverse("dossier:share-withdraw", kwargs={"share_id": item_share.pk}) in html
    assert f"{reverse('dossier:sharing')}#section-portfolio" in html  # the section share is changed there
    assert "A colleague" in html  # the access log entry's right
    assert reverse("dossier:share-create") in html


def test_it_shows_the_panel_to_the_owner_only(world: Any) -> None:
    item = evidence_of(world.teacher, world.board_a)
    share(world, item)
    assert render_panel(panel_request(world.manager, world.board_a), item).strip() == ""


# --- "Mijn team" ------------------------------------------------------------------------------------


def team_member(world: Any, number: int) -> Any:
    person = PersonFactory(email=f"team{number}@alfa.nl", given_name="Lid", family_name=f"Teamlid{number:03d}")
    EmploymentFactory(person=person, school=world.school_a, manager=world.manager)
    return person


def share_as(person: Any, board: Any, **kwargs: Any) -> Share:
    return share_create(actor=actor_of(person, board), **kwargs)


def test_it_counts_on_my_team_what_each_person_shares_with_me(world: Any) -> None:
    # Teacher: the whole portfolio (2 evidence + 1 reflection) with the manager role; one plan by name.
    evidence_of(world.teacher, world.board_a)
    evidence_of(world.teacher, world.board_a, "Tweede")
    reflection_of(world.teacher, world.board_a)
    share(world, section=Section.PORTFOLIO)
    plan = DevelopmentPlan.objects.create(
        board=world.board_a, person=world.teacher, title="POP", starts_on=datetime.date(2025, 8, 1)
    )
    DevelopmentPlan.objects.create(
        board=world.board_a, person=world.teacher, title="Oud POP", starts_on=datetime.date(2024, 8, 1)
    )
    share_as(
        world.teacher,
        world.board_a,
        section=Section.PLANS,
        audience=ShareAudience.PERSON,
        grantee=world.manager,
        item=plan,
    )
    # Colleague: shared with the teacher only, and a withdrawn share with the manager.
    item = evidence_of(world.colleague, world.board_a)
    share_as(
        world.colleague,
        world.board_a,
        section=Section.PORTFOLIO,
        audience=ShareAudience.PERSON,
        grantee=world.teacher,
        item=item,
    )
    withdrawn = share_as(world.colleague, world.board_a, section=Section.PORTFOLIO, audience=ShareAudience.MANAGER)
    share_withdraw(actor=actor_of(world.colleague), share=withdrawn)

    response = client_of(world.manager).get(reverse("tenancy:team"))

    rows = {e.person_id: e for e in response.context["page"]}
    teacher, colleague = rows[world.teacher.pk], rows[world.colleague.pk]
    assert (teacher.shared_assessments, teacher.shared_plans, teacher.shared_evidence, teacher.shared_reflections) == (
        0,
        1,
        2,
        1,
    )
    assert teacher.shares_anything
    assert (colleague.shared_plans, colleague.shared_evidence, colleague.shares_anything) == (0, 0, False)
    content = response.content.decode()
    assert reverse("dossier:person-dossier", kwargs={"person_id": world.teacher.pk}) in content
    assert reverse("dossier:person-dossier", kwargs={"person_id": world.colleague.pk}) not in content


def _team_with_shares(world: Any, start: int, count: int) -> None:
    for number in range(start, start + count):
        person = team_member(world, number)
        evidence_of(person, world.board_a)
        reflection_of(person, world.board_a)
        share_as(person, world.board_a, section=Section.PORTFOLIO, audience=ShareAudience.MANAGER)
        share_as(person, world.board_a, section=Section.PLANS, audience=ShareAudience.PERSON, grantee=world.manager)


def test_it_shows_my_team_of_40_in_a_fixed_number_of_queries(world: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_of(world.manager)
    url = reverse("tenancy:team")
    client.get(url)  # warm-up (session, content types)
    _team_with_shares(world, 0, 5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _team_with_shares(world, 5, 35)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"]) == 42  # 40, the teacher and the colleague
    assert "Teamlid039" in response.content.decode()
    assert len(few) == len(many)
    # Session and actor, then the page and its count: the share counts are subqueries. + 1: the conversation
    # cycle's steps (this board has none, so nothing more; with a cycle + 3, tenancy/tests/test_queries.py).
    assert len(many) <= 11


@pytest.mark.parametrize(
    "data",
    [
        {"section": "nonsense", "with_whom": "manager"},
        {"item_kind": "evidence", "item_id": "not-a-uuid", "with_whom": "manager"},
        {"item_kind": "bogus", "item_id": "00000000-0000-0000-0000-000000000000", "with_whom": "manager"},
        {"item_kind": "evidence", "with_whom": "manager"},
        {"section": "portfolio", "with_whom": ""},
        {},
    ],
)
def test_it_never_crashes_on_bad_input_and_says_what_is_wrong(world: Any, data: dict[str, str]) -> None:
    response = client_of(world.teacher).post(reverse("dossier:share-create"), data)

    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert not Share.objects.exists()


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Services raise messages in the active language (Dutch by default); these tests read the msgids."""
    with translation.override("en"):
        yield
