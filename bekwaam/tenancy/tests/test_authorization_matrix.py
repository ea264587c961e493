"""The authorization matrix: every URL of the project, with every persona (ARCHITECTURE.md, principle 3).

`MATRIX` is keyed by URL name (an unnamed pattern by its route). Each entry is a list of cases: how
to build the URL from the `world` fixture, the HTTP method, and the expected outcome for every
persona of conftest.PERSONAS plus "anonymous". A URL pattern of the project without an entry fails
`test_it_has_an_entry_for_every_url_pattern`, so a new page cannot ship without saying who may open it.

Outcomes:
    ok           200, or a redirect that is not to a sign-in page
    denied       403
    not_found    404 (objects of another board are not found, never forbidden)
    not_allowed  405 (wrong HTTP method)
    login        redirect to the sign-in page (/accounts/login/)
    admin_login  redirect to the admin's sign-in (/admin/login/)
    invalid      400 (a form with errors)
    mfa          redirect to the page that asks to set up a second factor
    any          allauth decides (public, or signed in only); anything but a server error

Each request runs in a savepoint that is rolled back, so one persona's POST never changes what the
next persona sees. A POST case names a `state` read before and after: it must stay the same for
every persona that is not in `changes`, and must change for those that are (so "ok" is not a page
that quietly did nothing).

Third-party groups are classified in bulk by a rule, but still enumerated name by name, so a new
allauth feature or a new model in the admin shows up here as a missing entry:
    allauth (`account_*`, `mfa_*`): public pages give anything but a 5xx to everyone; pages for
        signed-in people send anonymous visitors to sign in. A representative subset is exact.
    admin (`admin:*` and its unnamed routes): everyone but the operator is sent to the admin's
        sign-in; the operator gets the page (or 403 where a model admin is read-only). A model
        is only added to ADMIN_MODELS after checking it holds no dossier content: the operator's
        admin runs unscoped (TenantMiddleware), across all boards.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from bekwaam.accounts.models import Invitation, hash_token
from bekwaam.register.models import Theme
from bekwaam.tenancy import services
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Board, Employment, Provider, ProviderRoleGrant, Role, RoleGrant, School, StaffImport
from bekwaam.tenancy.tests.factories import PersonFactory, RoleGrantFactory
from bekwaam.tenancy.tests.matrix import (
    A_ONLY,
    ADMIN_LOGIN,
    ADMINISTRATORS,
    ANY,
    B_ONLY,
    BOARD_VIEWERS,
    DENIED,
    EVERYONE,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    PERSONAS,
    PROVIDER_STAFF,
    SAMPLE,
    SIGNED_IN,
    Case,
    World,
    at,
    expect,
    fixed,
    run_case,
    same_for_everyone,
)

pytestmark = pytest.mark.django_db


# --- objects of the world the URLs point at ------------------------------------------------------


def employment_of(persona: str) -> Callable[[World], Any]:
    def get(world: World) -> Any:
        return Employment.objects.get(person=world.persona(persona)).pk

    return get


def person_id(persona: str) -> Callable[[World], Any]:
    return lambda world: world.persona(persona).pk


def grant_of_quality_officer(world: World) -> Any:
    """A board A grant that is nobody's own administrator role."""
    return RoleGrant.objects.get(person=world.quality_officer).pk


def grant_at_board_b(world: World) -> Any:
    """A board B grant that is not outsider_admin's own administrator role (of someone who never signs in here)."""
    grant = RoleGrant.objects.filter(board=world.board_b, role=Role.QUALITY_OFFICER).first()
    if grant is None:
        grant = RoleGrantFactory(
            person=PersonFactory(email="kwaliteit@beta.nl"), board=world.board_b, role=Role.QUALITY_OFFICER
        )
    return grant.pk


def grants_snapshot(world: World) -> object:
    return sorted((str(g.person_id), g.role, g.board_id) for g in RoleGrant.objects.all())


def end_dates(world: World) -> object:
    return sorted((str(e.pk), e.end_date) for e in Employment.objects.all())


def people_snapshot(world: World) -> object:
    person = get_user_model()
    return (person.objects.count(), Employment.objects.count(), Invitation.objects.count())


def invitation_token(world: World) -> str:
    token = "matrix-invitation-token"
    token_hash = hash_token(token)
    if not Invitation.objects.filter(token_hash=token_hash).exists():
        invitee = PersonFactory(email="invited@alfa.nl")
        invitee.set_unusable_password()
        invitee.save()
        Invitation.objects.create(
            person=invitee,
            board=world.board_a,
            token_hash=token_hash,
            invited_by=world.administrator,
            expires_at=timezone.now() + datetime.timedelta(days=3),
        )
    return token


def invite_data(email: str) -> Callable[[World], dict[str, Any]]:
    def data(world: World) -> dict[str, Any]:
        return {
            "given_name": "Nina",
            "family_name": "Nieuw",
            "email": email,
            "school": world.school_a.pk,
            "function": "teacher",
            "personnel_number": "MATRIX-1",
            "start_date": "2024-08-01",
            "fte": "1",
        }

    return data


def invite_data_board_b(world: World) -> dict[str, Any]:
    return {**invite_data("nieuw@beta.nl")(world), "school": world.school_b.pk}


# --- the table -------------------------------------------------------------------------------------

MATRIX: dict[str, list[Case]] = {
    # --- the project's own pages ---
    "home": [Case(at("home"), expect(ok=SIGNED_IN))],
    "health": [Case(at("health"), same_for_everyone(OK))],
    "set_language": [
        Case(at("set_language"), same_for_everyone(NOT_ALLOWED)),
        Case(at("set_language"), same_for_everyone(OK), method="post", data=lambda w: {"language": "en"}),
    ],
    "accounts:invitation-accept": [
        Case(at("accounts:invitation-accept", token=invitation_token), same_for_everyone(OK), label="valid token"),
        Case(at("accounts:invitation-accept", token="no-such-token"), same_for_everyone(NOT_FOUND)),
        Case(
            at("accounts:invitation-accept", token="no-such-token"),
            same_for_everyone(NOT_FOUND),
            method="post",
            data=lambda w: {"password1": "Een-lang-wachtwoord-42", "password2": "Een-lang-wachtwoord-42"},
            state=people_snapshot,
        ),
    ],
    "accounts:mfa-required": [Case(at("accounts:mfa-required"), expect(ok=SIGNED_IN))],
    "tenancy:organisation-switch": [
        Case(at("tenancy:organisation-switch"), same_for_everyone(NOT_ALLOWED)),
        Case(
            at("tenancy:organisation-switch"),
            expect(ok=SIGNED_IN),
            method="post",
            data=lambda w: {"organisation": f"board:{w.board_b.pk}"},
        ),
    ],
    "tenancy:board-home": [Case(at("tenancy:board-home"), expect(ok=BOARD_VIEWERS))],
    "tenancy:school-detail": [
        Case(at("tenancy:school-detail", school_id=lambda w: w.school_a.pk), A_ONLY, label="school of board A"),
        Case(at("tenancy:school-detail", school_id=lambda w: w.school_a2.pk), A_ONLY, label="second school of A"),
        Case(at("tenancy:school-detail", school_id=lambda w: w.school_b.pk), B_ONLY, label="school of board B"),
    ],
    "tenancy:person-list": [Case(at("tenancy:person-list"), expect(ok=ADMINISTRATORS))],
    "tenancy:person-invite": [
        Case(at("tenancy:person-invite"), expect(ok=ADMINISTRATORS)),
        Case(
            at("tenancy:person-invite"),
            # outsider_admin gets the form back: a school of board A is not among their choices.
            expect(ok=ADMINISTRATORS),
            method="post",
            data=invite_data("nieuw@alfa.nl"),
            state=people_snapshot,
            changes=("administrator",),
            label="invite at a school of board A",
        ),
        Case(
            at("tenancy:person-invite"),
            expect(ok=ADMINISTRATORS),
            method="post",
            data=invite_data_board_b,
            state=people_snapshot,
            changes=("outsider_admin",),
            label="invite at a school of board B",
        ),
    ],
    "tenancy:person-detail": [
        Case(at("tenancy:person-detail", person_id=person_id("teacher")), A_ONLY, label="teacher of board A"),
        Case(at("tenancy:person-detail", person_id=person_id("quality_officer")), A_ONLY, label="grant-only of A"),
        Case(at("tenancy:person-detail", person_id=person_id("outsider")), B_ONLY, label="teacher of board B"),
        Case(
            at("tenancy:person-detail", person_id=person_id("assessor")),
            expect(not_found=ADMINISTRATORS),
            label="provider staff (no board)",
        ),
    ],
    "tenancy:role-grant": [
        Case(at("tenancy:role-grant", person_id=person_id("teacher")), same_for_everyone(NOT_ALLOWED)),
        Case(
            at("tenancy:role-grant", person_id=person_id("teacher")),
            A_ONLY,
            method="post",
            data=lambda w: {"role": Role.QUALITY_OFFICER},
            state=grants_snapshot,
            changes=("administrator",),
            label="grant to a teacher of board A",
        ),
        Case(
            at("tenancy:role-grant", person_id=person_id("outsider")),
            B_ONLY,
            method="post",
            data=lambda w: {"role": Role.QUALITY_OFFICER},
            state=grants_snapshot,
            changes=("outsider_admin",),
            label="grant to a teacher of board B",
        ),
    ],
    "tenancy:role-revoke": [
        Case(at("tenancy:role-revoke", grant_id=grant_of_quality_officer), same_for_everyone(NOT_ALLOWED)),
        Case(
            at("tenancy:role-revoke", grant_id=grant_of_quality_officer),
            A_ONLY,
            method="post",
            state=grants_snapshot,
            changes=("administrator",),
            label="a grant of board A",
        ),
        Case(
            at("tenancy:role-revoke", grant_id=grant_at_board_b),
            B_ONLY,
            method="post",
            state=grants_snapshot,
            changes=("outsider_admin",),
            label="a grant of board B",
        ),
    ],
    "tenancy:employment-end": [
        Case(at("tenancy:employment-end", employment_id=employment_of("teacher")), A_ONLY, label="board A"),
        Case(at("tenancy:employment-end", employment_id=employment_of("outsider")), B_ONLY, label="board B"),
        Case(
            at("tenancy:employment-end", employment_id=employment_of("teacher")),
            A_ONLY,
            method="post",
            data=lambda w: {"end_date": "2031-07-31"},
            state=end_dates,
            changes=("administrator",),
            label="end an employment of board A",
        ),
        Case(
            at("tenancy:employment-end", employment_id=employment_of("outsider")),
            B_ONLY,
            method="post",
            data=lambda w: {"end_date": "2031-07-31"},
            state=end_dates,
            changes=("outsider_admin",),
            label="end an employment of board B",
        ),
    ],
    "tenancy:team": [Case(at("tenancy:team"), expect(ok=("manager",)))],
    "tenancy:provider-home": [Case(at("tenancy:provider-home"), expect(ok=PROVIDER_STAFF))],
    "tenancy:operator-home": [Case(at("tenancy:operator-home"), expect(ok=("operator",)))],
    "audit:change-list": [Case(at("audit:change-list"), expect(ok=ADMINISTRATORS))],
    "audit:change-export": [Case(at("audit:change-export"), expect(ok=ADMINISTRATORS))],
    "audit:access-list": [Case(at("audit:access-list"), expect(ok=ADMINISTRATORS))],
    "audit:access-export": [Case(at("audit:access-export"), expect(ok=ADMINISTRATORS))],
}

# --- staff import: rule "tenancy.import_staff" ----------------------------------------------------
# Page-level import URLs: each board's administrator, nobody else. An upload belongs to one board:
# the other board's administrator does not find it.
IMPORT_PAGE = expect(ok=ADMINISTRATORS)


def schools_file(brin: str) -> bytes:
    return f"brin;naam;plaats\r\n{brin};Matrixschool {brin};Utrecht\r\n".encode()


def staff_import_of(administrator: str, brin: str) -> Callable[[World], Any]:
    """A checked (not yet applied) schools import of the administrator's board."""

    def get(world: World) -> Any:
        admin = world.persona(administrator)
        actor = actor_for(admin, None)
        existing = StaffImport.objects.filter(board_id=actor.board_pk, filename=f"{brin}.csv").first()
        if existing is None:
            existing = services.staff_import_check(
                actor=actor, kind="schools", filename=f"{brin}.csv", content=schools_file(brin), end_missing=False
            )
        return existing.pk

    return get


IMPORT_A = staff_import_of("administrator", "98ZY")
IMPORT_B = staff_import_of("outsider_admin", "97ZX")


def imports_snapshot(world: World) -> object:
    return (StaffImport.objects.count(), School.objects.count())


def upload_data(world: World) -> dict[str, Any]:
    return {"kind": "schools", "file": SimpleUploadedFile("scholen.csv", schools_file("96ZW"), "text/csv")}


MATRIX.update(
    {
        "tenancy:import-upload": [
            Case(at("tenancy:import-upload"), IMPORT_PAGE),
            Case(
                at("tenancy:import-upload"),
                IMPORT_PAGE,
                method="post",
                data=upload_data,
                state=imports_snapshot,
                changes=ADMINISTRATORS,
            ),
        ],
        "tenancy:import-template-csv": [Case(at("tenancy:import-template-csv"), IMPORT_PAGE)],
        "tenancy:import-template-xlsx": [Case(at("tenancy:import-template-xlsx"), IMPORT_PAGE)],
        "tenancy:import-detail": [
            Case(at("tenancy:import-detail", import_id=IMPORT_A), A_ONLY, label="import of board A"),
            Case(at("tenancy:import-detail", import_id=IMPORT_B), B_ONLY, label="import of board B"),
        ],
        "tenancy:import-apply": [
            Case(at("tenancy:import-apply", import_id=IMPORT_A), same_for_everyone(NOT_ALLOWED)),
            Case(
                at("tenancy:import-apply", import_id=IMPORT_A),
                A_ONLY,
                method="post",
                data=lambda w: {"send_invitations": "on"},
                state=imports_snapshot,
                changes=("administrator",),
                label="import of board A",
            ),
            Case(
                at("tenancy:import-apply", import_id=IMPORT_B),
                B_ONLY,
                method="post",
                state=imports_snapshot,
                changes=("outsider_admin",),
                label="import of board B",
            ),
        ],
        "tenancy:import-result": [
            Case(at("tenancy:import-result", import_id=IMPORT_A), A_ONLY, label="import of board A"),
            Case(at("tenancy:import-result", import_id=IMPORT_B), B_ONLY, label="import of board B"),
        ],
    }
)

# --- the platform operator's pages: rule "tenancy.operate_platform" --------------------------------
ONLY_OPERATOR_PAGE = expect(ok=("operator",))


def organisations_snapshot(world: World) -> object:
    return (
        Board.objects.count(),
        Provider.objects.count(),
        ProviderRoleGrant.objects.count(),
        get_user_model().objects.count(),
    )


MATRIX.update(
    {
        "tenancy:board-create": [
            Case(at("tenancy:board-create"), ONLY_OPERATOR_PAGE),
            Case(
                at("tenancy:board-create"),
                ONLY_OPERATOR_PAGE,
                method="post",
                data=lambda w: {
                    "name": "Stichting Gamma",
                    "authority_number": "54321",
                    "admin_given_name": "Gea",
                    "admin_family_name": "Gamma",
                    "admin_email": "beheer@gamma.nl",
                },
                state=organisations_snapshot,
                changes=("operator",),
            ),
        ],
        "tenancy:provider-create": [
            Case(at("tenancy:provider-create"), ONLY_OPERATOR_PAGE),
            Case(
                at("tenancy:provider-create"),
                ONLY_OPERATOR_PAGE,
                method="post",
                data=lambda w: {"name": "Academie Delta"},
                state=organisations_snapshot,
                changes=("operator",),
            ),
        ],
        "tenancy:provider-staff": [
            Case(at("tenancy:provider-staff", provider_id=lambda w: w.provider.pk), ONLY_OPERATOR_PAGE),
            Case(
                at("tenancy:provider-staff", provider_id=lambda w: w.provider.pk),
                ONLY_OPERATOR_PAGE,
                method="post",
                data=lambda w: {
                    "role": Role.COACH,
                    "given_name": "Cor",
                    "family_name": "Coach",
                    "email": "cor@academie.nl",
                },
                state=organisations_snapshot,
                changes=("operator",),
            ),
            Case(
                at("tenancy:provider-staff", provider_id=lambda w: 999_999),
                expect(not_found=("operator",)),
                label="no such provider",
            ),
        ],
    }
)

# --- allauth: enumerated by name, classified by rule (see the module docstring) -------------------
ALLAUTH_PUBLIC = (
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_login_code",
    "account_reset_password_from_key_done",
    "account_reset_password_done",
    "mfa_authenticate",
)
ALLAUTH_SIGNED_IN = (
    "account_reauthenticate",
    "account_set_password",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
)
for _name in ALLAUTH_PUBLIC:
    MATRIX[_name] = [Case(at(_name), same_for_everyone(ANY), personas=SAMPLE)]
for _name in ALLAUTH_SIGNED_IN:
    MATRIX[_name] = [Case(at(_name), expect(others=ANY, anonymous=LOGIN), personas=SAMPLE)]
# The representative subset, exact.
MATRIX["account_login"] = [Case(at("account_login"), expect(ok=SIGNED_IN, anonymous=OK))]
MATRIX["account_logout"] = [
    Case(at("account_logout"), expect(ok=SIGNED_IN, anonymous=OK)),
    Case(at("account_logout"), expect(ok=SIGNED_IN, anonymous=OK), method="post"),
]
# Sign-up is closed (people are invited): anonymous visitors get the "closed" page.
MATRIX["account_signup"] = [Case(at("account_signup"), expect(ok=SIGNED_IN, anonymous=OK))]
MATRIX["account_reset_password"] = [Case(at("account_reset_password"), same_for_everyone(OK))]
MATRIX["account_email"] = [Case(at("account_email"), expect(ok=SIGNED_IN))]
# allauth's e-mail page is shadowed by ours (addresses are managed by the board); adding one is refused.
MATRIX["account-email-managed"] = [
    Case(at("account-email-managed"), expect(ok=SIGNED_IN)),
    Case(at("account-email-managed"), same_for_everyone(NOT_ALLOWED), method="post"),
]
MATRIX["account_change_password"] = [Case(at("account_change_password"), expect(ok=SIGNED_IN))]
MATRIX["mfa_index"] = [Case(at("mfa_index"), expect(ok=SIGNED_IN))]
MATRIX["account_confirm_email"] = [Case(at("account_confirm_email", key="no-such-key"), same_for_everyone(ANY))]
MATRIX["account_reset_password_from_key"] = [
    Case(at("account_reset_password_from_key", uidb36="1", key="no-such-key"), same_for_everyone(OK))
]

# --- the operator's admin: enumerated by model, classified by rule --------------------------------
ONLY_OPERATOR = expect(ok=("operator",), others=ADMIN_LOGIN, anonymous=ADMIN_LOGIN)
OPERATOR_DENIED = expect(others=ADMIN_LOGIN, anonymous=ADMIN_LOGIN) | {"operator": DENIED}
OPERATOR_NOT_FOUND = expect(others=ADMIN_LOGIN, anonymous=ADMIN_LOGIN) | {"operator": NOT_FOUND}
NO_SUCH_OBJECT = "0"  # the admin answers a missing object with a redirect to its index


def _first(model: Any) -> Callable[[World], str]:
    return lambda world: str(model.objects.order_by("pk").values_list("pk", flat=True).first() or NO_SUCH_OBJECT)


# app_model → (how to find an object id, whether the operator may add rows, and delete them).
# Only organisations and accounts: other packages' models (the change log of all boards, task
# results, second factors, sign-in attempts) are kept out of the admin (bekwaam/accounts/admin.py).
ADMIN_MODELS: dict[str, tuple[Callable[[World], str], bool, bool]] = {
    "accounts_person": (lambda w: str(w.teacher.pk), True, True),
    "account_emailaddress": (fixed(NO_SUCH_OBJECT), True, True),
    "tenancy_board": (lambda w: str(w.board_a.pk), True, True),
    "tenancy_provider": (lambda w: str(w.provider.pk), True, True),
    "tenancy_rolegrant": (_first(RoleGrant), True, True),
    "tenancy_providerrolegrant": (_first(ProviderRoleGrant), True, True),
    "register_theme": (_first(Theme), True, True),
}


def _admin_object(name: str, view: str, object_id: Callable[[World], str]) -> Callable[[World], str]:
    return lambda world: reverse(name.replace("%s", view), args=[object_id(world)])


for _model, (_object_id, _may_add, _may_delete) in ADMIN_MODELS.items():
    _pattern = f"admin:{_model}_%s"
    MATRIX[f"admin:{_model}_changelist"] = [Case(at(f"admin:{_model}_changelist"), ONLY_OPERATOR, personas=SAMPLE)]
    MATRIX[f"admin:{_model}_add"] = [
        Case(at(f"admin:{_model}_add"), ONLY_OPERATOR if _may_add else OPERATOR_DENIED, personas=SAMPLE)
    ]
    MATRIX[f"admin:{_model}_history"] = [
        Case(_admin_object(_pattern, "history", _object_id), ONLY_OPERATOR, personas=SAMPLE)
    ]
    MATRIX[f"admin:{_model}_change"] = [
        Case(_admin_object(_pattern, "change", _object_id), ONLY_OPERATOR, personas=SAMPLE)
    ]
    MATRIX[f"admin:{_model}_delete"] = [
        Case(
            _admin_object(_pattern, "delete", _object_id),
            ONLY_OPERATOR if _may_delete else OPERATOR_DENIED,
            personas=SAMPLE,
        )
    ]

MATRIX.update(
    {
        "admin:index": [Case(at("admin:index"), ONLY_OPERATOR)],
        "admin:app_list": [
            Case(at("admin:app_list", app_label="tenancy"), ONLY_OPERATOR),
            Case(fixed("/admin/auditlog/"), OPERATOR_NOT_FOUND, label="an app that is not in the admin"),
        ],
        # The admin's login goes through allauth's sign-in (with MFA); a signed-in operator goes on to the admin.
        "admin:login": [Case(at("admin:login"), same_for_everyone(ANY) | {"operator": OK})],
        "admin:logout": [Case(at("admin:logout"), same_for_everyone(ANY))],
        "admin:password_change": [Case(at("admin:password_change"), ONLY_OPERATOR)],
        "admin:password_change_done": [Case(at("admin:password_change_done"), ONLY_OPERATOR)],
        "admin:jsi18n": [Case(at("admin:jsi18n"), ONLY_OPERATOR)],
        # Without its query parameters the autocomplete refuses even the operator.
        "admin:autocomplete": [Case(at("admin:autocomplete"), OPERATOR_DENIED)],
        # Person has no page on the site, so "view on site" finds nothing.
        "admin:view_on_site": [
            Case(
                lambda w: reverse(
                    "admin:view_on_site",
                    args=[ContentType.objects.get_for_model(get_user_model()).pk, w.teacher.pk],
                ),
                OPERATOR_NOT_FOUND,
            )
        ],
        "admin/(?P<url>.*)$": [Case(fixed("/admin/no-such-page/"), OPERATOR_NOT_FOUND)],
    }
)


# The unnamed /admin/<app>/<model>/<id>/ routes: the operator is redirected to the change page.
ADMIN_ROUTES = {model: "admin/{}/{}/<path:object_id>/".format(*model.split("_", 1)) for model in ADMIN_MODELS}
for _model, _route in ADMIN_ROUTES.items():
    _object_id = ADMIN_MODELS[_model][0]
    MATRIX[_route] = [
        Case(
            (lambda route, object_id: lambda w: "/" + route.replace("<path:object_id>", object_id(w)))(
                _route, _object_id
            ),
            ONLY_OPERATOR,
            personas=SAMPLE,
        )
    ]


# --- the machinery ---------------------------------------------------------------------------------


def url_keys() -> Iterator[tuple[str, str]]:
    """(key, route) for every URL pattern of the project: the URL name, or the route when unnamed."""

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if pattern.name:
                    yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route
                else:
                    yield route, route

    return walk(get_resolver().url_patterns, "", None)


def _app_matrices() -> None:
    """Merge the cases each app keeps in `<app>/tests/matrix_cases.py` (one owner per URL name)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("bekwaam."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.matrix_cases")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.matrix_cases":
                raise
            continue
        overlap = set(module.MATRIX) & set(MATRIX)
        assert not overlap, f"{config.name} redefines matrix entries {sorted(overlap)}"
        MATRIX.update(module.MATRIX)


_app_matrices()


def test_it_has_an_entry_for_every_url_pattern() -> None:
    keys = {key for key, _route in url_keys()}
    missing = sorted(keys - set(MATRIX))
    stale = sorted(set(MATRIX) - keys)
    assert not missing, f"URL patterns without an entry in MATRIX (say who may open them): {missing}"
    assert not stale, f"MATRIX entries for URL patterns that no longer exist: {stale}"


def test_it_names_every_persona_in_every_case() -> None:
    for key, cases in MATRIX.items():
        for case in cases:
            assert set(case.expect) == set(EVERYONE), key
            assert case.method in {"get", "post"}, key
            assert set(case.changes) <= set(PERSONAS), key
            assert set(case.personas) <= set(EVERYONE), key


def _groups(budget: int = 80) -> dict[str, list[str]]:
    """The entries in groups of about `budget` requests (one `world` each keeps the matrix fast), by area."""

    def area(key: str) -> str:
        if key.startswith("admin/"):
            return "admin"
        if ":" in key:
            return key.split(":", 1)[0]
        return "allauth" if key.startswith(("account_", "mfa_")) else "site"

    groups: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    counters: dict[str, int] = {}
    current: dict[str, str] = {}
    for key in sorted(MATRIX):
        name = area(key)
        requests = sum(len(case.personas) for case in MATRIX[key])
        if name not in current or sizes[current[name]] + requests > budget:
            counters[name] = counters.get(name, 0) + 1
            current[name] = f"{name}-{counters[name]}"
            groups[current[name]], sizes[current[name]] = [], 0
        groups[current[name]].append(key)
        sizes[current[name]] += requests
    return groups


GROUPS = _groups()


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_it_gives_each_persona_the_expected_outcome(world: World, group: str) -> None:
    problems = [problem for key in GROUPS[group] for case in MATRIX[key] for problem in run_case(world, case)]
    assert not problems, "\n".join(problems)
