"""Staff and school import: dry run, apply, bad input, encodings, scale (docs/import.md)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import time
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from bekwaam.accounts.models import Invitation
from bekwaam.audit.models import ChangeBoard, ChangeEntry
from bekwaam.tenancy import imports, services
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Employment, Function, School, StaffImport, Team
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "personeelsnummer", "voornaam", "tussenvoegsel", "achternaam", "e-mail", "brin",
    "functie", "startdatum", "einddatum", "fte", "team", "leidinggevende",
]  # fmt: skip


def staff_row(number: str, brin: str, **values: str) -> dict[str, str]:
    row = {
        "personeelsnummer": number,
        "voornaam": "Anna",
        "tussenvoegsel": "de",
        "achternaam": f"Vries {number}",
        "e-mail": f"anna.{number}@voorbeeld.nl".lower(),
        "brin": brin,
        "functie": "leerkracht",
        "startdatum": "01-08-2024",
        "einddatum": "",
        "fte": "0,8",
        "team": "",
        "leidinggevende": "",
    }
    row.update(values)
    return row


def to_csv(rows: list[dict[str, str]], *, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([row.get(column, "") for column in HEADER])
    return out.getvalue().encode(encoding)


def actor_of(world):
    return actor_for(world.administrator, f"board:{world.board_a.pk}")


def check(world, content: bytes, *, kind: str = "staff", end_missing: bool = False) -> StaffImport:
    return services.staff_import_check(
        actor=actor_of(world), kind=kind, filename="personeel.csv", content=content, end_missing=end_missing
    )


def apply(world, staff_import: StaffImport, *, send_invitations: bool = False) -> StaffImport:
    return services.staff_import_apply(
        actor=actor_of(world), staff_import=staff_import, send_invitations=send_invitations
    )


def counts() -> tuple[int, int, int, int, int]:
    return (
        Employment.objects.count(),
        get_user_model().objects.count(),
        Team.objects.count(),
        School.objects.count(),
        Invitation.objects.count(),
    )


def errors_of(staff_import: StaffImport) -> list[tuple[int | None, str, str]]:
    return [
        (row["row"], error["column"], imports.render_message(error))
        for row in staff_import.summary["rows"]
        for error in row["errors"]
    ]


def upload(client, content: bytes, *, kind: str = "staff", name: str = "personeel.csv", end_missing: bool = False):
    data = {"kind": kind, "file": SimpleUploadedFile(name, content)}
    if end_missing:
        data["end_missing"] = "on"
    return client.post("/board/import/", data)


# --- the happy path ------------------------------------------------------------------------------


def test_it_creates_people_employments_and_teams_from_a_valid_csv(world, client_for):
    manager_number = Employment.objects.get(person=world.manager).personnel_number
    brin = world.school_a.brin
    content = to_csv(
        [
            staff_row("N1", brin, team="Bovenbouw", leidinggevende=manager_number),
            staff_row("N2", brin, functie="IB'er", fte="1", startdatum="2023-08-01", leidinggevende="N1"),
        ]
    )
    client = client_for(world.administrator)

    response = upload(client, content)
    assert response.status_code == 302
    staff_import = StaffImport.objects.get()
    assert response["Location"] == f"/board/import/{staff_import.pk}/"
    assert staff_import.summary["counts"]["create"] == 2
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"Bovenbouw" in page.content
    assert f'action="/board/import/{staff_import.pk}/apply/"'.encode() in page.content

    response = client.post(f"/board/import/{staff_import.pk}/apply/", {"send_invitations": "on"})
    assert response.status_code == 302
    assert response["Location"] == f"/board/import/{staff_import.pk}/result/"
    assert client.get(response["Location"]).status_code == 200

    first = Employment.objects.select_related("person", "team").get(personnel_number="N1")
    second = Employment.objects.select_related("person").get(personnel_number="N2")
    assert first.person.full_name == "Anna de Vries N1"
    assert first.person.email == "anna.n1@voorbeeld.nl"
    assert not first.person.has_usable_password()
    assert (first.school, first.team.name, first.fte) == (world.school_a, "Bovenbouw", Decimal("0.800"))
    assert first.start_date == datetime.date(2024, 8, 1)
    assert first.manager == world.manager
    assert second.function == Function.INTERNAL_SUPERVISOR
    assert second.start_date == datetime.date(2023, 8, 1)
    assert second.manager == first.person
    assert Invitation.objects.filter(person__in=[first.person, second.person]).count() == 2
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.APPLIED
    assert staff_import.summary["applied"]["people_created"] == 2


def test_it_updates_on_reimport_instead_of_duplicating(world):
    brin = world.school_a.brin
    apply(world, check(world, to_csv([staff_row("N1", brin), staff_row("N2", brin)])))
    before = counts()

    again = check(world, to_csv([staff_row("N1", brin), staff_row("N2", brin)]))
    assert again.summary["counts"]["unchanged"] == 2

    changed = check(world, to_csv([staff_row("N1", brin, fte="0,6", functie="directeur"), staff_row("N2", brin)]))
    assert changed.summary["counts"]["update"] == 1
    (row,) = [r for r in changed.summary["rows"] if r["action"] == "update"]
    assert {c["field"] for c in row["changes"]} == {"fte", "function"}
    apply(world, changed)

    assert counts() == before
    employment = Employment.objects.get(personnel_number="N1")
    assert (employment.fte, employment.function) == (Decimal("0.600"), Function.DIRECTOR)
    entry = ChangeEntry.objects.get(object_pk=str(employment.pk), action=ChangeEntry.Action.UPDATE)
    assert entry.changes == {"fte": ["0,8", "0,6"], "function": ["teacher", "director"]}
    assert entry.actor == world.administrator
    assert ChangeBoard.objects.filter(entry=entry, board=world.board_a).exists()
    # The creations are summed up in one entry on the import.
    assert ChangeEntry.objects.filter(object_pk__in=[str(i.pk) for i in StaffImport.objects.all()]).count() == 2


def test_it_changes_an_existing_persons_email_when_it_is_free(world):
    teacher = Employment.objects.get(person=world.teacher)
    row = staff_row(
        teacher.personnel_number, world.school_a.brin, voornaam="Tom", tussenvoegsel="", achternaam="Leraar"
    )
    row["e-mail"] = "tom.nieuw@alfa.nl"
    staff_import = check(world, to_csv([row]))
    (result,) = staff_import.summary["rows"]
    assert result["action"] == "update"
    assert {"field": "email", "old": "leerkracht@alfa.nl", "new": "tom.nieuw@alfa.nl"} in result["changes"]
    apply(world, staff_import)
    world.teacher.refresh_from_db()
    assert world.teacher.email == "tom.nieuw@alfa.nl"


def test_it_reuses_an_account_from_another_board_by_email(world):
    row = staff_row("N1", world.school_a.brin, voornaam="Olga", tussenvoegsel="", achternaam="Anders")
    row["e-mail"] = "LEERKRACHT@beta.nl"
    before = get_user_model().objects.count()
    apply(world, check(world, to_csv([row])), send_invitations=True)
    employment = Employment.objects.get(personnel_number="N1")
    assert employment.person == world.outsider
    assert get_user_model().objects.count() == before
    world.outsider.refresh_from_db()
    assert world.outsider.family_name == "Buiten"  # their name stays theirs
    assert not Invitation.objects.filter(person=world.outsider).exists()


def test_it_gives_one_person_two_employments_with_the_same_email(world):
    first = staff_row("N1", world.school_a.brin)
    second = {**first, "personeelsnummer": "N2", "brin": world.school_a2.brin}
    apply(world, check(world, to_csv([first, second])))
    people = {e.person_id for e in Employment.objects.filter(personnel_number__in=["N1", "N2"])}
    assert len(people) == 1


def test_it_sends_invitations_to_new_people_on_commit(world, django_capture_on_commit_callbacks):
    content = to_csv([staff_row("N1", world.school_a.brin)])
    with django_capture_on_commit_callbacks(execute=True):
        apply(world, check(world, content), send_invitations=True)
    assert Invitation.objects.filter(person__email="anna.n1@voorbeeld.nl").count() == 1
    assert [m.to for m in mail.outbox] == [["anna.n1@voorbeeld.nl"]]


def test_it_does_not_invite_when_asked_not_to(world, client_for):
    upload(client_for(world.administrator), to_csv([staff_row("N1", world.school_a.brin)]))
    staff_import = StaffImport.objects.get()
    client_for(world.administrator).post(f"/board/import/{staff_import.pk}/apply/", {})
    assert Employment.objects.filter(personnel_number="N1").exists()
    assert not Invitation.objects.filter(person__email="anna.n1@voorbeeld.nl").exists()


def test_it_ends_a_row_with_an_end_date_up_to_today(world):
    teacher = Employment.objects.get(person=world.teacher)
    today = timezone.localdate()
    row = staff_row(
        teacher.personnel_number,
        world.school_a.brin,
        voornaam="Tom",
        tussenvoegsel="",
        achternaam="Leraar",
        startdatum=teacher.start_date.strftime("%d-%m-%Y"),
        einddatum=today.strftime("%d-%m-%Y"),
        fte="0,8",
        leidinggevende="directeur@alfa.nl",
    )
    row["e-mail"] = "leerkracht@alfa.nl"
    staff_import = check(world, to_csv([row]))
    assert staff_import.summary["counts"]["end"] == 1
    apply(world, staff_import)
    teacher.refresh_from_db()
    assert teacher.end_date == today


def test_it_ends_employments_missing_from_the_file_when_asked(world, client_for):
    client = client_for(world.administrator)
    response = upload(client, to_csv([staff_row("N1", world.school_a.brin)]), end_missing=True)
    staff_import = StaffImport.objects.get()
    assert response.status_code == 302
    assert staff_import.end_missing
    # manager, teacher and colleague of board A; the outsider of board B is not touched.
    assert staff_import.summary["counts"] == {"error": 0, "create": 1, "update": 0, "end": 3, "unchanged": 0}
    client.post(f"/board/import/{staff_import.pk}/apply/", {})
    today = timezone.localdate()
    assert set(Employment.objects.filter(end_date=today).values_list("person__email", flat=True)) == {
        "directeur@alfa.nl",
        "leerkracht@alfa.nl",
        "collega@alfa.nl",
    }
    assert Employment.objects.get(person=world.outsider).end_date is None


def test_it_imports_schools_and_updates_them_by_brin(world):
    content = b"brin;naam;plaats\n12 zz;De Regenboog;Utrecht\n" + f"{world.school_a.brin};Nieuwe naam;Zeist\n".encode()
    staff_import = check(world, content, kind="schools")
    assert staff_import.summary["counts"]["create"] == 1
    assert staff_import.summary["counts"]["update"] == 1
    apply(world, staff_import)
    assert School.objects.get(brin="12ZZ").board == world.board_a
    world.school_a.refresh_from_db()
    assert (world.school_a.name, world.school_a.place) == ("Nieuwe naam", "Zeist")


def test_it_refuses_a_brin_of_another_boards_school(world):
    content = f"brin;naam\n{world.school_b.brin};Overname\n".encode()
    staff_import = check(world, content, kind="schools")
    assert errors_of(staff_import)[0][:2] == (2, "brin")


# --- bad rows: a clear row error, and nothing written -------------------------------------------


def _bad_rows(world) -> dict[str, tuple[list[dict[str, str]], str]]:
    brin = world.school_a.brin
    taken = staff_row("N1", brin, voornaam="Iemand", achternaam="Anders")
    taken["e-mail"] = "leerkracht@alfa.nl"
    return {
        "invalid brin": ([staff_row("N1", "1234")], "brin"),
        "unknown school": ([staff_row("N1", "99ZZ")], "brin"),
        "duplicate personnel number": ([staff_row("N1", brin), staff_row("N1", brin)], "personeelsnummer"),
        "end before start": ([staff_row("N1", brin, startdatum="01-08-2024", einddatum="31-07-2024")], "einddatum"),
        "email of someone else at the board": ([taken], "e-mail"),
        "invalid email": ([staff_row("N1", brin, **{"e-mail": "anna@"})], "e-mail"),
        "missing first name": ([staff_row("N1", brin, voornaam="")], "voornaam"),
        "unknown function": ([staff_row("N1", brin, functie="conciërge")], "functie"),
        "not a date": ([staff_row("N1", brin, startdatum="31-02-2024")], "startdatum"),
        "fte out of range": ([staff_row("N1", brin, fte="1,5")], "fte"),
        "unknown manager": ([staff_row("N1", brin, leidinggevende="X999")], "leidinggevende"),
        "own manager": ([staff_row("N1", brin, leidinggevende="N1")], "leidinggevende"),
    }  # fmt: skip


@pytest.mark.parametrize(
    "case",
    [
        "invalid brin",
        "unknown school",
        "duplicate personnel number",
        "end before start",
        "email of someone else at the board",
        "invalid email",
        "missing first name",
        "unknown function",
        "not a date",
        "fte out of range",
        "unknown manager",
        "own manager",
    ],
)
def test_it_reports_a_row_error_and_writes_nothing(world, case):
    rows, column = _bad_rows(world)[case]
    good = staff_row("OK1", world.school_a.brin)
    before = counts()

    staff_import = check(world, to_csv([good, *rows]))

    errors = errors_of(staff_import)
    assert errors, case
    assert all(row_number >= 3 for row_number, _, _ in errors)  # header is row 1, the good row is row 2
    assert column in {c for _, c, _ in errors}
    assert all(message for _, _, message in errors)
    assert staff_import.summary["rows"][0]["action"] == "error"  # rows with errors come first
    with pytest.raises(ValidationError):
        apply(world, staff_import)
    assert counts() == before
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.CHECKED


def test_it_reports_duplicates_on_every_duplicate_row(world):
    brin = world.school_a.brin
    staff_import = check(world, to_csv([staff_row("N1", brin), staff_row("N2", brin), staff_row("N1", brin)]))
    assert {(row, column) for row, column, _ in errors_of(staff_import)} == {
        (2, "personeelsnummer"),
        (4, "personeelsnummer"),
    }


def test_it_refuses_an_email_used_by_two_different_people_in_the_file(world):
    brin = world.school_a.brin
    first = staff_row("N1", brin)
    second = staff_row("N2", brin, **{"e-mail": first["e-mail"], "voornaam": "Bert"})
    staff_import = check(world, to_csv([first, second]))
    assert {(row, column) for row, column, _ in errors_of(staff_import)} == {(2, "e-mail"), (3, "e-mail")}


def test_it_refuses_to_move_an_email_to_another_employment(world):
    teacher = Employment.objects.get(person=world.teacher)
    row = staff_row(
        teacher.personnel_number, world.school_a.brin, voornaam="Tom", tussenvoegsel="", achternaam="Leraar"
    )
    row["e-mail"] = "collega@alfa.nl"
    staff_import = check(world, to_csv([row]))
    ((_, column, message),) = errors_of(staff_import)
    assert column == "e-mail"
    assert "collega@alfa.nl" in message


def test_the_dry_run_page_shows_errors_and_no_import_button(world, client_for):
    client = client_for(world.administrator)
    upload(client, to_csv([staff_row("N1", "99ZZ")]))
    staff_import = StaffImport.objects.get()
    response = client.get(f"/board/import/{staff_import.pk}/")
    assert response.status_code == 200
    assert b"99ZZ" in response.content
    assert b'class="row--error"' in response.content
    assert f"/board/import/{staff_import.pk}/apply/".encode() not in response.content
    assert client.get(f"/board/import/{staff_import.pk}/?action=error").status_code == 200


def test_it_rechecks_at_apply_and_writes_nothing_when_the_board_changed(world):
    staff_import = check(world, to_csv([staff_row("N1", world.school_a.brin)]))
    assert staff_import.summary["error_count"] == 0
    # Meanwhile someone else at the board gets that e-mail address.
    EmploymentFactory(
        person=PersonFactory(email="anna.n1@voorbeeld.nl", given_name="Ander", family_name="Mens"),
        school=world.school_a,
    )
    before = counts()
    with pytest.raises(ValidationError):
        apply(world, staff_import)
    assert counts() == before
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.CHECKED
    assert staff_import.summary["error_count"] == 1


def test_it_applies_an_import_only_once(world, client_for):
    client = client_for(world.administrator)
    upload(client, to_csv([staff_row("N1", world.school_a.brin)]))
    staff_import = StaffImport.objects.get()
    client.post(f"/board/import/{staff_import.pk}/apply/", {})
    before = counts()
    response = client.post(f"/board/import/{staff_import.pk}/apply/", {}, follow=True)
    assert response.status_code == 200
    assert counts() == before
    with pytest.raises(ValidationError):
        apply(world, staff_import)


# --- bad files: one clear message, nothing stored ----------------------------------------------


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "leeg.csv"),
        (b" \r\n\r\n", "leeg.csv"),
        (b"\xef\xbb\xbf", "bom.csv"),
        (";".join(HEADER).encode() + b"\r\n", "alleen-kop.csv"),
        (b"naam;e-mail\nAnna;anna@voorbeeld.nl\n", "kolommen.csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "foto.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "oud.xls"),
        (b"PK\x03\x04this is not really a zip", "kapot.xlsx"),
        (b"%PDF-1.7\n\x81\x8d\x8f binary", "brief.pdf"),
    ],
)
def test_it_refuses_an_unusable_file_with_a_message(world, client_for, content, name):
    before = counts()
    response = upload(client_for(world.administrator), content, name=name)
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not StaffImport.objects.exists()
    assert counts() == before


def test_it_names_the_missing_columns(world):
    with pytest.raises(ValidationError) as error:
        check(world, b"personeelsnummer;voornaam;achternaam\n1;Anna;Vries\n")
    message = error.value.message_dict["file"][0]
    assert "e-mail" in message
    assert "brin" in message


def test_it_refuses_an_oversized_file(world, client_for, settings):
    settings.IMPORT_MAX_BYTES = 1000
    content = to_csv([staff_row(f"N{n}", world.school_a.brin) for n in range(30)])
    assert len(content) > 1000
    response = upload(client_for(world.administrator), content)
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    with pytest.raises(ValidationError):
        check(world, content)
    assert not StaffImport.objects.exists()


# --- encodings and formats -----------------------------------------------------------------------


def test_it_reads_a_windows_1252_export_from_excel(world):
    content = to_csv([staff_row("N1", world.school_a.brin, voornaam="Zoë", achternaam="Gérard")], encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    apply(world, check(world, content))
    person = Employment.objects.get(personnel_number="N1").person
    assert (person.given_name, person.family_name) == ("Zoë", "Gérard")


@pytest.mark.parametrize("delimiter", [";", ","])
def test_it_reads_utf8_with_a_bom(world, delimiter):
    content = b"\xef\xbb\xbf" + to_csv(
        [staff_row("N1", world.school_a.brin, voornaam="José", achternaam="Eëlen")], delimiter=delimiter
    )
    staff_import = check(world, content)
    assert staff_import.summary["counts"]["create"] == 1
    assert staff_import.rows[0]["given_name"] == "José"
    assert "Ã" not in str(staff_import.rows)


def test_it_tolerates_header_case_and_spaces(world):
    content = (
        to_csv([staff_row("N1", world.school_a.brin)])
        .replace(b"e-mail", b" E-Mail ")
        .replace(b"personeelsnummer", b"Personeels nummer")
    )
    assert check(world, content).summary["counts"]["create"] == 1


def test_it_reads_an_xlsx_with_real_dates_and_numbers(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    excel_date = datetime.datetime(2024, 8, 1)  # noqa: DTZ001  (Excel dates carry no time zone)
    sheet.append(
        [1001, "Anna", "", "Jansen", "anna.jansen@voorbeeld.nl", world.school_a.brin, "Leerkracht",
         excel_date, None, 0.8, "Onderbouw", None]
    )  # fmt: skip
    out = io.BytesIO()
    workbook.save(out)
    apply(world, check(world, out.getvalue()))
    employment = Employment.objects.get(personnel_number="1001")
    assert employment.start_date == datetime.date(2024, 8, 1)
    assert employment.fte == Decimal("0.800")
    assert employment.team.name == "Onderbouw"


@pytest.mark.parametrize("kind", ["staff", "schools"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_offers_templates_that_read_back(world, client_for, kind, fmt):
    response = client_for(world.administrator).get(f"/board/import/template.{fmt}?kind={kind}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = imports.read_rows(response.content, kind=kind, max_bytes=10**6)
    assert len(rows) == 1
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [c.value for c in sheet[1]] == [c.header for c in imports.columns_for(kind)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("leerkracht", Function.TEACHER),
        ("Leerkracht ", Function.TEACHER),
        ("teacher", Function.TEACHER),
        ("intern begeleider", Function.INTERNAL_SUPERVISOR),
        ("IB'er", Function.INTERNAL_SUPERVISOR),
        ("onderwijsassistent", Function.TEACHING_ASSISTANT),
        ("schoolleider", Function.SCHOOL_LEADER),
        ("Directeur", Function.DIRECTOR),
        ("ondersteunend personeel", Function.SUPPORT_STAFF),
        ("overig", Function.OTHER),
        ("support_staff", Function.SUPPORT_STAFF),
        ("kok", None),
    ],
)
def test_it_understands_function_names(text, expected):
    assert imports.parse_function(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01-08-2024", datetime.date(2024, 8, 1)),
        ("1-8-2024", datetime.date(2024, 8, 1)),
        ("01/08/2024", datetime.date(2024, 8, 1)),
        ("2024-08-01", datetime.date(2024, 8, 1)),
        ("2024-08-01 00:00:00", datetime.date(2024, 8, 1)),
        ("31-02-2024", None),
        ("08-01-24", None),
        ("morgen", None),
    ],
)
def test_it_understands_dates(text, expected):
    assert imports.parse_date(text) == expected


# --- who may import ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["teacher", "board_member", "quality_officer", "manager"])
def test_it_forbids_import_to_others_than_the_administrator(world, client_for, persona):
    client = client_for(world.persona(persona))
    assert client.get("/board/import/").status_code == 403
    assert upload(client, to_csv([staff_row("N1", world.school_a.brin)])).status_code == 403
    assert client.get("/board/import/template.csv").status_code == 403
    assert not StaffImport.objects.exists()


def test_it_shows_another_boards_import_as_not_found(world, client_for):
    staff_import = check(world, to_csv([staff_row("N1", world.school_a.brin)]))
    client = client_for(world.outsider_admin)
    assert client.get(f"/board/import/{staff_import.pk}/").status_code == 404
    assert client.get(f"/board/import/{staff_import.pk}/result/").status_code == 404
    assert client.post(f"/board/import/{staff_import.pk}/apply/", {}).status_code == 404
    assert not Employment.objects.filter(personnel_number="N1").exists()


def test_the_upload_page_has_a_busy_indicator_without_inline_script(world, client_for):
    response = client_for(world.administrator).get("/board/import/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<progress" in content
    assert 'src="/static/bekwaam/import.js" defer' in content
    assert "style=" not in content
    assert "onsubmit" not in content


# --- scale ---------------------------------------------------------------------------------------


def _generated(world, n: int, prefix: str = "G") -> bytes:
    brins = [world.school_a.brin, world.school_a2.brin]
    rows = []
    for i in range(n):
        leader = i % 50 == 0
        rows.append(
            staff_row(
                f"{prefix}{i:05d}",
                brins[i % 2],
                functie="directeur" if leader else "leerkracht",
                team="" if leader else f"Team {prefix}{i % 7}",
                leidinggevende="" if leader else f"{prefix}{(i // 50) * 50:05d}",
                fte=("0,4", "0,6", "0,8", "1")[i % 4],
            )
        )
    return to_csv(rows)


def test_it_imports_a_generated_file_of_5000_rows(world):
    content = _generated(world, 5000)
    employments_before = Employment.objects.count()

    started = time.perf_counter()
    staff_import = check(world, content)
    assert staff_import.summary["counts"]["create"] == 5000
    apply(world, staff_import)
    elapsed = time.perf_counter() - started

    assert Employment.objects.count() == employments_before + 5000
    assert Team.objects.filter(school__in=[world.school_a, world.school_a2]).count() == 14
    assert Employment.objects.filter(personnel_number="G00051").values_list("manager__email", flat=True).get() == (
        "anna.g00050@voorbeeld.nl"
    )
    assert elapsed < 60  # a loose guard against accidental per-row queries; bench/imports.py times it

    again = check(world, content)
    assert again.summary["counts"]["unchanged"] == 5000


def _queries(world, n: int, prefix: str) -> tuple[int, int]:
    content = _generated(world, n, prefix)
    with CaptureQueriesContext(connection) as checked:
        staff_import = check(world, content)
    with CaptureQueriesContext(connection) as applied:
        apply(world, staff_import)
    return len(checked), len(applied)


def test_its_queries_do_not_grow_with_the_rows(world):
    check_50, apply_50 = _queries(world, 50, "A")
    check_500, apply_500 = _queries(world, 500, "B")

    assert check_500 == check_50
    # Writes go in bulk: only the number of insert batches grows (SQLite takes 999 parameters per query,
    # so about 110 people or 80 employments per batch): at most 12 more for 450 more rows.
    assert apply_50 <= 25
    assert apply_500 <= apply_50 + 12


def test_it_never_lets_another_board_change_a_shared_persons_email_or_name(world):
    # Board A links board B's teacher (by e-mail) to a school of its own, then re-imports with a new
    # address: that would hand board A the sign-in of someone who also works at board B.
    row = staff_row("S1", world.school_a.brin, voornaam="Olga", tussenvoegsel="", achternaam="Buiten")
    row["e-mail"] = world.outsider.email
    apply(world, check(world, to_csv([row])))
    assert Employment.objects.get(personnel_number="S1").person == world.outsider

    takeover = {**row, "e-mail": "attacker@example.nl", "achternaam": "Overgenomen"}
    staff_import = check(world, to_csv([takeover]))
    notes = [note["msg"] for row in staff_import.summary["rows"] for note in row["notes"]]
    assert any("also works for another organisation" in note for note in notes)
    apply(world, staff_import)
    world.outsider.refresh_from_db()
    assert world.outsider.email == "leerkracht@beta.nl"
    assert world.outsider.family_name == "Buiten"


def test_it_does_not_show_the_name_of_an_account_at_another_board(world):
    row = staff_row("S2", world.school_a.brin, voornaam="X", tussenvoegsel="", achternaam="Y")
    row["e-mail"] = world.outsider.email
    staff_import = check(world, to_csv([row]))
    assert "Buiten" not in json.dumps(staff_import.summary)
    assert "Olga" not in json.dumps(staff_import.summary)
