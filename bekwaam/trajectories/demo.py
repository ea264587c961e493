"""Demo data for the Schoolleidersregister and waarderingstrajecten (issue 6), made through the services.

- Academie Vakmanschap publishes two templates: "Achteraf waarderen" (informal learning) and a programme
  with intake, baseline, coaching and assessment.
- Marieke (schoolleider) has a registration period begun three years ago, with two certified courses and
  an assessment afterwards from elsewhere; a certified trajectory (the programme) whose certificate is in
  her register; and a running trajectory (achteraf waarderen, with Femke as coach) with part of the
  portfolio written, so she sees what is still missing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone, translation

from bekwaam.register.models import RegistrationPeriod, Theme
from bekwaam.tenancy.context import actor_for
from bekwaam.trajectories.models import (
    PortfolioItemKind,
    TemplateKind,
    Trajectory,
    TrajectoryTemplate,
    criteria_default,
)

# A tiny valid PDF, as the certified courses' certificate upload.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _themes(*codes: str) -> list[Theme]:
    found = list(Theme.objects.filter(code__in=codes))
    return found or list(Theme.objects.filter(last_year__isnull=True).order_by("name")[: len(codes)])


def _fill(candidate: Any, trajectory: Trajectory, *, complete: bool) -> None:
    from bekwaam.trajectories.services.portfolio import item_create

    themes = list(trajectory.themes.all())
    for assignment in trajectory.assignments.order_by("position"):
        evidence = assignment.min_evidence if complete else min(1, assignment.min_evidence)
        for n in range(evidence):
            item_create(
                actor=candidate,
                trajectory=trajectory,
                assignment=assignment,
                kind=PortfolioItemKind.EVIDENCE,
                title=("Verslag studiedag over kansengelijkheid", "Teamplan begrijpend lezen")[n % 2],
                body="Wat ik deed, met wie, en wat het in de school opleverde. Met de agenda en het verslag.",
                link="https://www.schoolleidersregisterpo.nl/",
                themes=themes,
            )
        if complete or assignment.position == 1:
            for _n in range(assignment.min_reflections):
                item_create(
                    actor=candidate,
                    trajectory=trajectory,
                    assignment=assignment,
                    kind=PortfolioItemKind.REFLECTION,
                    title="Wat ik leerde over mijn eigen leiderschap",
                    body=(
                        "Ik merkte dat ik te snel zelf oplossingen aandroeg. Door eerst vragen te stellen kwam het "
                        "team met betere ideeën. Dat neem ik mee in hoe ik het gesprek over onderwijs voer."
                    ),
                    themes=themes,
                )
        if not complete:
            break


def seed_trajectories_demo(*, board: Any, leader: Any, provider: Any, assessors: list[Any], coach: Any) -> None:
    from bekwaam.register.models import ActivityKind
    from bekwaam.register.services import activity_create, period_create
    from bekwaam.trajectories.services.decision import judgement_record, trajectory_start_deciding
    from bekwaam.trajectories.services.enrolment import trajectory_enrol
    from bekwaam.trajectories.services.portfolio import trajectory_request_assessment
    from bekwaam.trajectories.services.review import interview_plan, review_start, trajectory_accept
    from bekwaam.trajectories.services.templates import TemplateData, template_create, template_publish

    if TrajectoryTemplate.objects.filter(provider=provider).exists():
        return  # seeded before
    today = timezone.localdate()
    first, second = (actor_for(person, f"provider:{provider.pk}") for person in assessors[:2])
    coach_actor = actor_for(coach, f"provider:{provider.pk}")
    candidate = actor_for(leader, f"board:{board.pk}")

    criteria = [criterion["text"] for criterion in criteria_default()]
    with translation.override("nl"):
        retro = template_create(
            actor=first,
            data=TemplateData(
                name="Achteraf waarderen: informeel leren",
                kind=TemplateKind.RETRO_ASSESSMENT,
                description=(
                    "U laat zien wat u de afgelopen jaren in de praktijk leerde. Twee assessoren beoordelen "
                    "uw portfolio en voeren een criteriumgericht interview; de punten komen in uw register."
                ),
                coaching_offered=True,
                coaching_price=Decimal(350),
                price=Decimal(1150),
                reflection_instrument="Reflectie-instrument Beroepsstandaard schoolleiders (online)",
                criteria=criteria,
            ),
            example=True,
        )
        programme = template_create(
            actor=first,
            data=TemplateData(
                name="Traject Leidinggeven aan leren",
                kind=TemplateKind.PROGRAMME,
                description="Startgesprek, digitale nulmeting, begeleidingsmomenten, portfoliocheck en CGI.",
                price=Decimal(2450),
                criteria=criteria,
            ),
            example=True,
        )
        for template in (retro, programme):
            template_publish(actor=first, template=template)

        # The register: a period begun three years ago, two certified courses and an assessment elsewhere.
        start = today.replace(year=today.year - 3, month=1, day=1)
        period = RegistrationPeriod.objects.filter(person=leader).first() or period_create(
            actor=candidate, start_date=start, length_years=5, registration_number="SR-2023-04417"
        )
        activity_create(
            actor=candidate,
            period=period,
            kind=ActivityKind.PRE_ACCREDITED,
            title="Leergang Onderwijskundig leiderschap",
            provider_name="AVS Academie",
            completed_on=start + datetime.timedelta(days=160),
            points=35,
            themes=_themes("regie-en-strategie", "leidinggeven-aan-verandering"),
            leadership_practices=["LP1", "LP3"],
            certificate_file=ContentFile(DEMO_PDF, name="certificaat-leergang.pdf"),
        )
        activity_create(
            actor=candidate,
            period=period,
            kind=ActivityKind.PRE_ACCREDITED,
            title="Datagedreven werken aan onderwijskwaliteit",
            provider_name="NSO-CNA",
            completed_on=start + datetime.timedelta(days=420),
            points=15,
            themes=_themes("kennis-en-kwaliteitsontwikkeling"),
            leadership_practices=["LP4"],
            certificate_file=ContentFile(DEMO_PDF, name="certificaat-data.pdf"),
        )

        # A certified programme: through every step, judged by two assessors who agree.
        done = trajectory_enrol(
            actor=candidate,
            template=programme,
            themes=_themes("pedagogisch-leiderschap", "leidinggeven-aan-leren"),
            with_coaching=True,
        )
        trajectory_accept(actor=first, trajectory=done, coach=coach)
        _fill(candidate, done, complete=True)
        trajectory_request_assessment(actor=candidate, trajectory=done)
        review_start(actor=first, trajectory=done)
        interview_plan(
            actor=first,
            trajectory=done,
            at=timezone.now() + datetime.timedelta(days=1),
            location="Academie Vakmanschap, Utrecht",
        )
        trajectory_start_deciding(actor=first, trajectory=done, held_early=True)
        for assessor in (first, second):
            judgement_record(
                actor=assessor,
                trajectory=done,
                themes=list(done.themes.all()),
                learning_level=5,
                criteria={
                    c["code"]: "Overtuigend onderbouwd in portfolio en interview." for c in done.template.criteria
                },
                advice="Blijf het gesprek over goed onderwijs met het team voeren; deel uw aanpak met collega's.",
            )

        # A running trajectory with a coach: the first assignment half done.
        running = trajectory_enrol(
            actor=candidate,
            template=retro,
            themes=_themes("kansenongelijkheid", "persoonlijk-leiderschap"),
            with_coaching=True,
        )
        trajectory_accept(actor=first, trajectory=running, coach=coach)
        # Enrolled a month ago (the demo is made today): the coaching session below lies after the enrolment.
        Trajectory.objects.filter(pk=running.pk).update(enrolled_at=timezone.now() - datetime.timedelta(days=30))
        running.refresh_from_db()
        _fill(candidate, running, complete=False)
        from bekwaam.trajectories.services.coaching import coaching_session_create, comment_create

        coaching_session_create(
            actor=coach_actor,
            trajectory=running,
            held_on=today - datetime.timedelta(days=5),
            summary="Besproken welke situaties uit het afgelopen jaar het beste laten zien wat Marieke leerde.",
        )
        comment_create(
            actor=coach_actor,
            trajectory=running,
            body="Goed begin. Laat bij opdracht 1 ook zien wat het team ervan merkte.",
        )
