"""The change log and the access log: what is recorded, who sees which board's entries, and the CSV exports."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from bekwaam.accounts.testing import sign_in
from bekwaam.audit.models import AccessLog, ChangeBoard, ChangeEntry
from bekwaam.tenancy.models import Employment, RoleGrant
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def end_employment(client: Client, employment: Employment, date: str = "2031-07-31") -> None:
    response = client.post(f"/board/employments/{employment.pk}/end/", {"end_date": date})
    assert response.status_code == 302, response.content


def entries_for(obj: Any) -> Any:
    return ChangeEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_pk=str(obj.pk)
    ).order_by("timestamp")


def listed_entries(client: Client) -> list[Any]:
    response = client.get("/audit/changes/")
    assert response.status_code == 200
    return [link.entry for link in response.context["page"]]


def read_csv(response: Any) -> tuple[str, list[list[str]]]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    return text, list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def fresh_client(person: Any) -> Client:
    client = Client()
    sign_in(client, person)
    return client


# --- change log -----------------------------------------------------------------------------------


def test_it_records_who_changed_an_employment_for_its_board(world: Any) -> None:
    employment = Employment.objects.get(person=world.teacher)
    end_employment(fresh_client(world.administrator), employment)
    entry = entries_for(employment).last()
    assert entry.action == ChangeEntry.Action.UPDATE
    assert entry.actor == world.administrator
    assert entry.changes_dict["end_date"] == ["None", "2031-07-31"]
    assert entry.additional_data["board_ids"] == [world.board_a.pk]
    assert list(entry.board_links.values_list("board_id", flat=True)) == [world.board_a.pk]


def test_it_records_a_new_role_for_the_board(world: Any) -> None:
    client = fresh_client(world.administrator)
    client.post(f"/board/people/{world.teacher.pk}/roles/", {"role": "quality_officer"})
    grant = RoleGrant.objects.get(person=world.teacher)
    (entry,) = entries_for(grant)
    assert entry.action == ChangeEntry.Action.CREATE
    assert entry.additional_data["board_ids"] == [world.board_a.pk]


def test_it_links_a_change_to_a_person_to_every_board_they_work_at(world: Any) -> None:
    EmploymentFactory(person=world.outsider, school=world.school_a)
    world.outsider.family_name = "Veranderd"
    world.outsider.save()
    entry = entries_for(world.outsider).last()
    assert sorted(entry.board_links.values_list("board_id", flat=True)) == sorted([world.board_a.pk, world.board_b.pk])
    assert entry in listed_entries(fresh_client(world.administrator))
    assert entry in listed_entries(fresh_client(world.outsider_admin))


def test_it_shows_a_board_only_its_own_changes(world: Any) -> None:
    end_employment(fresh_client(world.administrator), Employment.objects.get(person=world.teacher))
    end_employment(fresh_client(world.outsider_admin), Employment.objects.get(person=world.outsider))
    entry_a = entries_for(Employment.objects.get(person=world.teacher)).last()
    entry_b = entries_for(Employment.objects.get(person=world.outsider)).last()

    seen_by_a = listed_entries(fresh_client(world.administrator))
    seen_by_b = listed_entries(fresh_client(world.outsider_admin))
    assert entry_a in seen_by_a
    assert entry_b not in seen_by_a
    assert entry_b in seen_by_b
    assert entry_a not in seen_by_b


def test_it_exports_the_changes_as_csv_with_a_bom(world: Any) -> None:
    end_employment(fresh_client(world.administrator), Employment.objects.get(person=world.teacher))
    end_employment(fresh_client(world.outsider_admin), Employment.objects.get(person=world.outsider))
    response = fresh_client(world.administrator).get("/audit/changes.csv")
    assert response.status_code == 200
    assert 'filename="bekwaam-changes.csv"' in response["Content-Disposition"]
    text, rows = read_csv(response)
    assert text.startswith("\ufeff")
    assert rows[0] == ["timestamp", "actor", "type", "object", "action", "changes"]
    ended = [row for row in rows[1:] if row[2] == "employment" and "2031-07-31" in row[5]]
    assert len(ended) == 1
    assert ended[0][1] == world.administrator.email
    assert "Buiten" not in text  # board B's teacher, whose employment board B ended
    assert world.outsider_admin.email not in text


def test_it_keeps_a_formula_in_a_name_from_running_in_the_export(world: Any) -> None:
    person = PersonFactory(email="formule@alfa.nl", given_name='=HYPERLINK("http://x")', family_name="Kwaad")
    EmploymentFactory(person=person, school=world.school_a)
    person.family_name = "@SUM(1+1)"
    person.save()
    _text, rows = read_csv(fresh_client(world.administrator).get("/audit/changes.csv"))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells, rows
    assert not any(cell[:1] in {"=", "+", "-", "@"} for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)


# --- access log -----------------------------------------------------------------------------------


def test_it_records_opening_someone_elses_details(world: Any) -> None:
    fresh_client(world.administrator).get(f"/board/people/{world.teacher.pk}/")
    (entry,) = AccessLog.objects.all()
    assert (entry.board_id, entry.actor, entry.subject) == (world.board_a.pk, world.administrator, world.teacher)
    assert entry.path == f"/board/people/{world.teacher.pk}/"


def test_it_does_not_record_opening_your_own_details(world: Any) -> None:
    response = fresh_client(world.administrator).get(f"/board/people/{world.administrator.pk}/")
    assert response.status_code == 200
    assert not AccessLog.objects.exists()


def test_it_does_not_record_a_refused_or_missing_person(world: Any) -> None:
    assert fresh_client(world.outsider_admin).get(f"/board/people/{world.teacher.pk}/").status_code == 404
    assert fresh_client(world.board_member).get(f"/board/people/{world.teacher.pk}/").status_code == 403
    assert not AccessLog.objects.exists()


def test_it_shows_a_board_only_its_own_access_log(world: Any) -> None:
    fresh_client(world.administrator).get(f"/board/people/{world.teacher.pk}/")
    fresh_client(world.outsider_admin).get(f"/board/people/{world.outsider.pk}/")
    seen_by_a = list(fresh_client(world.administrator).get("/audit/access/").context["page"])
    seen_by_b = list(fresh_client(world.outsider_admin).get("/audit/access/").context["page"])
    assert [e.subject for e in seen_by_a] == [world.teacher]
    assert [e.subject for e in seen_by_b] == [world.outsider]


def test_it_exports_the_access_log_as_csv_with_a_bom(world: Any) -> None:
    fresh_client(world.administrator).get(f"/board/people/{world.teacher.pk}/")
    fresh_client(world.outsider_admin).get(f"/board/people/{world.outsider.pk}/")
    response = fresh_client(world.administrator).get("/audit/access.csv")
    assert response.status_code == 200
    text, rows = read_csv(response)
    assert text.startswith("\ufeff")
    assert rows[0] == ["timestamp", "actor", "subject", "what", "right", "path"]
    assert [(row[1], row[2]) for row in rows[1:]] == [(world.administrator.email, world.teacher.email)]
    assert world.outsider.email not in text


def test_it_links_every_change_of_a_tenant_row_to_a_board(world: Any) -> None:
    """Every change to a tenant row gets a board link: none is left unreadable by every board."""
    end_employment(fresh_client(world.administrator), Employment.objects.get(person=world.teacher))
    tenant_types = ContentType.objects.get_for_models(Employment, RoleGrant).values()
    entries = ChangeEntry.objects.filter(content_type__in=tenant_types)
    assert entries.exists()
    assert not entries.filter(board_links__isnull=True).exists()
    assert ChangeBoard.objects.filter(entry__in=entries).count() >= entries.count()
