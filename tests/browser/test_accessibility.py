"""WCAG 2.1 AA: axe-core on every main page, at desktop and tablet width, plus the page structure axe skips.

axe-core (tests/browser/vendor/, a test asset only) runs inside the page. The app's CSP allows only its own
scripts, so axe is not added as a <script> tag (CSP would block it, as it should); `page.evaluate` runs it
through the DevTools protocol, which CSP does not govern. Each persona signs in once and visits its pages
in one browser context; each page is checked at 1280x800 and again after resizing to 768x1024 (and for
reflow at 320 px wide).

Serious and critical violations fail the test; moderate and minor ones are printed (run with -s to see).
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, ViewportSize, expect

from bekwaam.accounts.models import Invitation, hash_token
from bekwaam.tenancy.models import Employment, Role
from bekwaam.tenancy.tests.factories import PASSWORD, EmploymentFactory, PersonFactory, RoleGrantFactory
from tests.browser.conftest import BrowserErrors, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 800},
    "tablet": {"width": 768, "height": 1024},
}
# WCAG 1.4.10 reflow: at 320 CSS px (400 % zoom) the page scrolls only vertically; tables scroll in their box.
REFLOW: ViewportSize = {"width": 320, "height": 1024}
PAGE_OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((node) => node.target.join(' ')),
  }));
}"""

# The first element Tab reaches: the first focusable element in document order (none has a positive tabindex).
FIRST_FOCUSABLE = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])';
  const element = [...document.querySelectorAll(selector)].find((el) => !el.disabled && el.getClientRects().length);
  return element ? element.outerHTML.slice(0, 120) : null;
}"""


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  [{v['impact']}] {v['id']}: {v['help']}\n" + "".join(f"      {target}\n" for target in v["targets"])
        for v in violations
    )


def run_axe(page: Page) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)  # a script, not a function: Playwright runs it as it is
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, AXE_TAGS)
    return violations


def check_structure(page: Page, name: str) -> None:
    """One h1, one main landmark, html[lang], and a skip link that is Tab's first stop and moves focus to main."""
    assert page.locator("html").get_attribute("lang"), f"{name}: html[lang] is missing"
    assert page.locator("h1").count() == 1, f"{name}: {page.locator('h1').count()} h1 elements, want 1"
    assert page.locator("main, [role=main]").count() == 1, f"{name}: want exactly one main landmark"

    first = page.evaluate(FIRST_FOCUSABLE)
    assert first and 'class="skip-link"' in first, f"{name}: first focusable element is {first}, not the skip link"
    skip_link = page.locator("a.skip-link")
    skip_link.focus()
    expect(skip_link).to_be_in_viewport()  # it shows itself when focused
    skip_link.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main", f"{name}: the skip link did not focus main"


def check_page(page: Page, name: str, findings: list[str]) -> None:
    """Structure once; axe and no sideways scrolling at both widths, and no sideways scrolling at 320px.

    Serious and critical axe violations fail; moderate and minor ones go to findings.
    """
    page.wait_for_load_state()
    check_structure(page, name)
    failing: list[str] = []
    try:
        for width, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            overflow = page.evaluate(PAGE_OVERFLOW)
            assert overflow <= 0, f"{name}: the page is {overflow}px wider than the {width} viewport"
            violations = run_axe(page)
            serious = [v for v in violations if v["impact"] in FAILING_IMPACTS]
            other = [v for v in violations if v["impact"] not in FAILING_IMPACTS]
            if serious:
                failing.append(f"{name} ({width}, {page.url}):\n{describe(serious)}")
            if other:
                findings.append(f"{name} ({width}):\n{describe(other)}")
        page.set_viewport_size(REFLOW)
        overflow = page.evaluate(PAGE_OVERFLOW)
        assert overflow <= 0, f"{name}: at 320px the page is {overflow}px too wide (WCAG 1.4.10 reflow)"
    finally:
        page.set_viewport_size(VIEWPORTS["desktop"])
    assert not failing, "axe found serious or critical WCAG 2.1 AA violations:\n" + "\n".join(failing)


@pytest.fixture
def findings() -> Iterator[list[str]]:
    """Moderate and minor axe findings of one test, printed at its end."""
    collected: list[str] = []
    yield collected
    if collected:
        print("\naxe moderate/minor findings:\n" + "\n".join(collected))


def sign_in_with_password(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("main input[name=login]").fill(email)
    page.locator("main input[name=password]").fill(PASSWORD)
    submit(page)


def switch_language(page: Page, label: str) -> None:
    page.locator("header form.language").get_by_role("button", name=label).click()
    page.wait_for_load_state()


def test_it_meets_wcag_on_the_pages_before_sign_in(
    world: Any, new_context: Callable[..., BrowserContext], browser_errors: BrowserErrors, findings: list[str]
) -> None:
    browser_errors.expect(r"status of 429")  # the lockout page is served as 429 Too Many Requests
    token = secrets.token_urlsafe(32)
    invited = PersonFactory(email="nieuw@alfa.nl", given_name="Noor")
    EmploymentFactory(person=invited, school=world.school_a)
    Invitation.objects.create(
        person=invited,
        board=world.board_a,
        token_hash=hash_token(token),
        invited_by=world.administrator,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    page = new_context().new_page()

    page.goto("/accounts/login/")
    check_page(page, "login (nl)", findings)
    switch_language(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_page(page, "login (en)", findings)
    switch_language(page, "Nederlands")

    page.goto("/accounts/password/reset/")
    check_page(page, "password reset", findings)

    page.goto(f"/invitation/{token}/")
    check_page(page, "invitation accept", findings)

    for _attempt in range(5):
        page.goto("/accounts/login/")
        page.locator("main input[name=login]").fill(world.outsider.email)
        page.locator("main input[name=password]").fill("not-the-password")
        submit(page)
    expect(page.locator("h1")).to_have_text(re.compile("tijdelijk geblokkeerd", re.I))
    check_page(page, "lockout", findings)

    sign_in_with_password(page, world.quality_officer.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    check_page(page, "MFA code", findings)


def test_it_meets_wcag_on_the_authenticator_set_up(
    world: Any, new_context: Callable[..., BrowserContext], findings: list[str]
) -> None:
    newcomer = PersonFactory(email="beheer2@alfa.nl")
    RoleGrantFactory(person=newcomer, board=world.board_a, role=Role.ADMINISTRATOR)
    page = new_context().new_page()
    sign_in_with_password(page, newcomer.email)
    page.goto("/board/")

    expect(page).to_have_url(re.compile(r"/accounts/mfa-required/$"))
    check_page(page, "MFA required", findings)
    page.goto("/accounts/2fa/totp/activate/")
    expect(page.locator("#authenticator_secret")).to_be_visible()
    check_page(page, "TOTP activation", findings)


def upload_staff_file_with_an_error(page: Page, brin: str) -> None:
    header = "personeelsnummer;voornaam;tussenvoegsel;achternaam;e-mail;brin;functie;startdatum;fte"
    rows = [
        f"900001;Sara;van;Dijk;sara.vandijk@alfa.nl;{brin};leerkracht;01-08-2025;0,8",
        f"900002;Joris;;Bakker;joris.bakker@alfa.nl;{brin};leerkracht;31-02-2025;1",
    ]
    page.locator("main form [name=kind][value=staff]").check()
    page.locator("main form input[type=file]").set_input_files(
        {"name": "staff.csv", "mimeType": "text/csv", "buffer": "\r\n".join([header, *rows]).encode()}
    )
    submit(page)
    expect(page.locator("tr.row--error")).to_have_count(1)


def test_it_meets_wcag_on_the_administrator_pages(
    world: Any, sign_in_as: Callable[[Any], Page], findings: list[str]
) -> None:
    for given_name, family_name in [("Fatima", "El Amrani"), ("Jan", "de Vries"), ("Sanne", "Jansen")]:
        EmploymentFactory(person=PersonFactory(given_name=given_name, family_name=family_name), school=world.school_a2)
    employment = Employment.objects.get(person=world.teacher)
    page = sign_in_as(world.administrator)

    page.goto("/board/")
    check_page(page, "board home (nl)", findings)
    page.goto("/board/people/")
    expect(page.locator("main")).to_contain_text("El Amrani")
    check_page(page, "people", findings)
    page.locator("main [name=q]").fill("Amrani")  # htmx search: the live region announces the new count only
    expect(page.locator("#person-count[role=status]")).to_have_text(re.compile(r"^1 \w+$"))
    expect(page.locator("#person-rows tbody tr")).to_have_count(1)
    check_page(page, "people after a search", findings)
    page.goto(f"/board/people/{world.teacher.pk}/")
    check_page(page, "person detail", findings)

    page.goto("/board/people/invite/")
    check_page(page, "invite", findings)
    page.locator("main form [name=given_name]").fill("Noor")
    page.locator("main form [name=email]").fill("noor@")
    submit(page)
    expect(page.locator("#error-summary")).to_be_visible()
    check_page(page, "invite with errors", findings)

    page.goto("/board/import/")
    check_page(page, "import upload", findings)
    upload_staff_file_with_an_error(page, world.school_a.brin)
    check_page(page, "import dry run with an error", findings)

    page.goto(f"/board/employments/{employment.pk}/end/")
    check_page(page, "employment end", findings)
    page.goto("/audit/changes/")
    check_page(page, "audit changes", findings)
    page.goto("/audit/access/")
    check_page(page, "audit access", findings)

    page.goto("/board/")
    switch_language(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_page(page, "board home (en)", findings)


@pytest.mark.parametrize(
    ("persona", "pages"),
    [
        ("manager", ["/team/"]),
        ("teacher", ["/dossier/"]),
        ("assessor", ["/provider/"]),
        ("operator", ["/platform/", "/platform/boards/new/"]),
    ],
)
def test_it_meets_wcag_on_each_level_home(
    world: Any, sign_in_as: Callable[[Any], Page], findings: list[str], persona: str, pages: list[str]
) -> None:
    page = sign_in_as(world.persona(persona))
    for path in pages:
        page.goto(path)
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        check_page(page, f"{persona} {path}", findings)


@pytest.fixture
def lived_in_dossier(world: Any, settings: Any, tmp_path: Path) -> Any:
    """The demo's dossier for the teacher of board A: measurements, a POP, portfolio, shares with the manager."""
    from bekwaam.dossier.demo import seed_dossier_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    seed_dossier_demo(board=world.board_a, teacher=world.teacher)
    return world


def test_it_meets_wcag_on_the_dossier_pages(
    lived_in_dossier: Any, sign_in_as: Callable[[Any], Page], findings: list[str]
) -> None:
    from bekwaam.dossier.models import DevelopmentPlan, Evidence, Reflection, SelfAssessment

    world = lived_in_dossier
    baseline, later = SelfAssessment.objects.filter(person=world.teacher).order_by("started_at")
    plan = DevelopmentPlan.objects.get(person=world.teacher)
    goal = plan.goals.order_by("position").first()
    certificate = Evidence.objects.get(person=world.teacher, kind="certificate")
    reflection = Reflection.objects.get(person=world.teacher)
    page = sign_in_as(world.teacher)
    for path, name in [
        ("/dossier/", "dossier overview"),
        ("/dossier/measurements/", "measurements"),
        (f"/dossier/measurements/{baseline.pk}/", "measurement profile"),
        (f"/dossier/measurements/compare/?from={baseline.pk}&to={later.pk}", "measurement comparison"),
        ("/dossier/plans/", "plans"),
        (f"/dossier/plans/{plan.pk}/", "plan"),
        (f"/dossier/goals/{goal.pk}/edit/", "goal edit"),
        ("/dossier/portfolio/", "portfolio"),
        ("/dossier/portfolio/new/?kind=certificate", "evidence form"),
        (f"/dossier/portfolio/{certificate.pk}/", "evidence"),
        (f"/dossier/reflections/{reflection.pk}/", "reflection"),
        ("/dossier/coverage/", "coverage map"),
        ("/dossier/sharing/", "sharing"),
        ("/dossier/privacy/", "privacy"),
        ("/dossier/export/", "export and import"),
    ]:
        page.goto(path)
        check_page(page, name, findings)
    # A new measurement: the long form with radio buttons per indicator.
    page.goto("/dossier/measurements/")
    page.locator("main form[action$='/measurements/start/'] button[type=submit]").first.click()
    expect(page.locator("main fieldset").first).to_be_visible()
    check_page(page, "measurement form", findings)


def test_it_meets_wcag_on_what_the_manager_sees_of_a_dossier(
    lived_in_dossier: Any, sign_in_as: Callable[[Any], Page], findings: list[str]
) -> None:
    from bekwaam.dossier.models import DevelopmentPlan, Evidence

    world = lived_in_dossier
    plan = DevelopmentPlan.objects.get(person=world.teacher)
    certificate = Evidence.objects.get(person=world.teacher, kind="certificate")
    page = sign_in_as(world.manager)
    for path, name in [
        ("/team/", "team with shares"),
        (f"/dossier/people/{world.teacher.pk}/", "shared dossier"),
        (f"/dossier/people/{world.teacher.pk}/coverage/", "shared coverage map"),
        (f"/dossier/plans/{plan.pk}/", "shared plan with comment form"),
        (f"/dossier/portfolio/{certificate.pk}/", "shared evidence"),
        ("/dossier/shared-with-me/", "shared with me"),
    ]:
        page.goto(path)
        check_page(page, name, findings)


def test_it_meets_wcag_on_the_framework_pages(
    world: Any, sign_in_as: Callable[[Any], Page], findings: list[str]
) -> None:
    from bekwaam.frameworks.services import framework_adopt_for_board

    framework = framework_adopt_for_board(board=world.board_a, slug="teacher-competences")
    published = framework.versions.order_by("-number").first()
    page = sign_in_as(world.administrator)
    for path, name in [
        ("/frameworks/", "frameworks"),
        (f"/frameworks/{framework.pk}/", "framework"),
        (f"/frameworks/versions/{published.pk}/", "published version"),
        ("/frameworks/import/", "framework import"),
        ("/frameworks/new/", "framework create"),
    ]:
        page.goto(path)
        check_page(page, name, findings)
    page.goto(f"/frameworks/{framework.pk}/")
    page.locator("main form[action$='/versions/new/'] button[type=submit]").click()
    expect(page.locator("main form").first).to_be_visible()
    check_page(page, "draft version editor", findings)
