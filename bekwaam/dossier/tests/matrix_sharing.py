"""Authorization matrix cases for sharing, the privacy page and what others shared with me.

The world's teacher shares their portfolio with their leidinggevende (the world's manager); only the
manager finds the teacher's shared dossier, everyone else gets 404. The pages of your own dossier
are for employees; the others get 403 from the page rule (no object is involved yet).
"""

from __future__ import annotations

from typing import Any

from bekwaam.dossier.models import Evidence, EvidenceKind, Section, Share, ShareAudience
from bekwaam.tenancy.tests.matrix import (
    EMPLOYEES,
    INVALID,
    NOT_ALLOWED,
    NOT_FOUND,
    Case,
    World,
    at,
    expect,
    same_for_everyone,
)

OWN_DOSSIER_PAGE = expect(ok=EMPLOYEES)


def teacher_share(world: World) -> Any:
    """The teacher's whole portfolio, shared with their manager (made once, before the requests)."""
    share, _ = Share.objects.get_or_create(
        board=world.board_a,
        owner=world.teacher,
        audience=ShareAudience.MANAGER,
        section=Section.PORTFOLIO,
        withdrawn_at__isnull=True,
    )
    return share.pk


def teacher_evidence(world: World) -> Any:
    evidence, _ = Evidence.objects.get_or_create(
        board=world.board_a,
        person=world.teacher,
        title="Matrix evidence",
        defaults={"kind": EvidenceKind.LINK, "url": "https://example.org/matrix"},
    )
    return evidence.pk


def teacher_shared_dossier(world: World) -> Any:
    teacher_share(world)
    return world.teacher.pk


def shares_snapshot(world: World) -> object:
    return sorted(
        (str(s.owner_id), s.audience, str(s.grantee_id), s.section, str(s.evidence_id), s.withdrawn_at is None)
        for s in Share.objects.all()
    )


def item_share_data(world: World) -> dict[str, Any]:
    return {"item_kind": "evidence", "item_id": str(teacher_evidence(world)), "with_whom": "manager"}


MATRIX: dict[str, list[Case]] = {
    "dossier:sharing": [Case(at("dossier:sharing"), OWN_DOSSIER_PAGE)],
    "dossier:privacy": [Case(at("dossier:privacy"), OWN_DOSSIER_PAGE)],
    "dossier:shared-with-me": [Case(at("dossier:shared-with-me"), OWN_DOSSIER_PAGE)],
    "dossier:share-create": [
        Case(at("dossier:share-create"), same_for_everyone(NOT_ALLOWED), label="GET"),
        # Their whole POP with their manager: the teacher and the colleague have one; the manager and
        # the outsider have none, so the choice is not offered (400, nothing shared).
        Case(
            at("dossier:share-create"),
            expect(ok=("teacher", "colleague")) | {"manager": INVALID, "outsider": INVALID},
            method="post",
            data=lambda w: {"section": Section.PLANS, "with_whom": "manager"},
            state=shares_snapshot,
            changes=("teacher", "colleague"),
            label="a section",
        ),
        # One of the teacher's items: nobody else finds it.
        Case(
            at("dossier:share-create"),
            expect(ok=("teacher",), not_found=("colleague", "manager", "outsider")),
            method="post",
            data=item_share_data,
            state=shares_snapshot,
            changes=("teacher",),
            label="an item",
        ),
    ],
    "dossier:share-withdraw": [
        Case(
            at("dossier:share-withdraw", share_id=teacher_share),
            expect(ok=("teacher",), not_found=("colleague", "manager", "outsider")),
            method="post",
            state=shares_snapshot,
            changes=("teacher",),
        ),
        Case(
            at("dossier:share-withdraw", share_id=teacher_share),
            same_for_everyone(NOT_ALLOWED),
            label="GET",
        ),
    ],
    "dossier:person-dossier": [
        Case(
            at("dossier:person-dossier", person_id=teacher_shared_dossier),
            expect(ok=("manager",), others=NOT_FOUND),
            label="shared with the manager",
        ),
        Case(
            at("dossier:person-dossier", person_id=lambda w: w.colleague.pk),
            expect(others=NOT_FOUND),
            label="nothing shared",
        ),
    ],
}
