"""Demo dossiers: the demo board adopts the shipped frameworks; Lotte de Leerkracht has a real dossier.

Written through the same services the pages use, so the demo shows what a user would have made:
a finished nulmeting and one in progress, a POP with goals in different PDCA phases, portfolio items
(a certificate that expires soon, a diploma, a link, a reflection), and her portfolio and POP shared
with her leidinggevende. Idempotent: a person who already has a measurement is left alone.
"""

from __future__ import annotations

import datetime
import io

from django.core.files.base import ContentFile
from django.utils import timezone

from bekwaam.accounts.models import Person
from bekwaam.dossier.models import EvidenceKind, Section, SelfAssessment, ShareAudience
from bekwaam.dossier.selectors import framework_version_for
from bekwaam.dossier.services import assessments, plans, portfolio, sharing
from bekwaam.frameworks.defaults import shipped_slugs
from bekwaam.frameworks.models import Competence, Indicator, ScaleLevel
from bekwaam.frameworks.services import framework_adopt_for_board
from bekwaam.tenancy.context import Actor, actor_for
from bekwaam.tenancy.models import Board


def _pdf(title: str) -> bytes:
    """A one-page PDF with the title on it (WeasyPrint is imported here: only the demo needs it)."""
    import weasyprint

    html = f"<h1 style='font-family: sans-serif'>{title}</h1><p>Demobestand van Bekwaam.</p>"
    buffer = io.BytesIO()
    weasyprint.HTML(string=html).write_pdf(buffer)
    return buffer.getvalue()


def _measurement(actor: Actor, *, high: bool) -> SelfAssessment:
    version = framework_version_for(actor=actor)
    if version is None:
        raise RuntimeError("the demo board has adopted no framework")
    assessment, _ = assessments.assessment_start(actor=actor, framework_version=version)
    levels = list(ScaleLevel.objects.filter(version=version).order_by("value"))
    indicators = Indicator.objects.filter(competence__version=version).order_by("pk")
    ratings = {
        indicator.pk: assessments.RatingInput(
            level_id=levels[min(len(levels) - 1, (n % 3) + (1 if high else 0))].pk,
            explanation="Zie mijn lesvoorbereidingen en de feedback van mijn collega." if n % 5 == 0 else "",
        )
        for n, indicator in enumerate(indicators)
    }
    return assessments.assessment_finish(actor=actor, assessment=assessment, ratings=ratings)


def seed_dossier_demo(*, board: Board, teacher: Person) -> None:
    """Adopt the shipped frameworks for the board and give the demo teacher a lived-in dossier."""
    for slug in shipped_slugs():
        framework_adopt_for_board(board=board, slug=slug)
    if SelfAssessment.objects.filter(person=teacher, board=board).exists():
        return
    actor = actor_for(teacher, f"board:{board.pk}")
    baseline = _measurement(actor, high=False)
    _measurement(actor, high=True)  # a later measurement: the comparison has something to show

    today = timezone.localdate()
    # The demo's POP works on the first two competences of the framework (its first domain).
    focus = list(
        Competence.objects.filter(version=baseline.framework_version).order_by("domain__position", "position")[:2]
    )
    plan = plans.plan_create(
        actor=actor,
        title=f"POP {today.year}-{today.year + 1}",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=300),
        source_assessment=baseline,
        goal_competences=focus,
    )
    goals = list(plan.goals.order_by("position"))
    first = goals[0]
    plans.goal_update(
        actor=actor,
        goal=first,
        title="Beter differentiëren in de rekeninstructie",
        why="Een derde van mijn groep haakt af bij de verlengde instructie.",
        success_criteria="Bij twee lesbezoeken werken drie niveaugroepen zelfstandig door.",
        due_date=today + datetime.timedelta(days=120),
        competences=focus[:1],
    )
    plans.action_create(
        actor=actor,
        goal=first,
        description="Collegiale consultatie bij groep 6",
        due_date=today + datetime.timedelta(days=30),
    )
    plans.goal_move(actor=actor, goal=first, to_phase="do", reflection="Plan besproken met mijn bouwcoördinator.")

    certificate = portfolio.evidence_create(
        actor=actor,
        kind=EvidenceKind.CERTIFICATE,
        title="Certificaat Rekenspecialist",
        file=ContentFile(_pdf("Certificaat Rekenspecialist"), name="certificaat-rekenspecialist.pdf"),
        issuer="Hogeschool Noord",
        issued_on=today - datetime.timedelta(days=3 * 365),
        expires_on=today + datetime.timedelta(days=45),
        competences=focus[:1],
        goals=[first],
    )
    portfolio.evidence_create(
        actor=actor,
        kind=EvidenceKind.DIPLOMA,
        title="Diploma pabo",
        file=ContentFile(_pdf("Getuigschrift pabo"), name="diploma-pabo.pdf"),
        issuer="Pabo Amsterdam",
        issued_on=datetime.date(2015, 7, 1),
    )
    portfolio.evidence_create(
        actor=actor,
        kind=EvidenceKind.LINK,
        title="Lesvideo: instructie in drie niveaus",
        url="https://example.org/lesvideo",
        competences=focus,
    )
    portfolio.reflection_create(
        actor=actor,
        title="Wat ik leerde van de collegiale consultatie",
        body="Mijn collega liet de snelle rekenaars eerst zelf beginnen. Dat probeer ik volgende week.",
        written_on=today,
        evidence=[certificate],
        competences=focus[:1],
        goals=[first],
    )
    for section in (Section.PORTFOLIO, Section.PLANS):
        sharing.share_create(actor=actor, section=section, audience=ShareAudience.MANAGER)
