"""The access log for dossier items: every view of another person's item is recorded (issue 3)."""

from __future__ import annotations

from bekwaam.audit.services import access_record
from bekwaam.dossier.models import DevelopmentPlan, Evidence, Reflection, SelfAssessment, ShareAudience
from bekwaam.dossier.selectors import OWNER
from bekwaam.tenancy.context import Actor


def item_access_record(
    *, actor: Actor, item: SelfAssessment | DevelopmentPlan | Evidence | Reflection, right: str, path: str = ""
) -> None:
    """Write who opened which item of whose dossier, with which right; the owner's own views are not logged."""
    if right == OWNER:
        return
    # Only the kind of item, not its title: the board's access log is read by the beheerder, who may
    # not read the dossier itself. The owner's privacy page shows the title through object_id.
    access_record(
        actor=actor,
        subject=item.person,
        what=str(item._meta.verbose_name),
        right=str(ShareAudience(right).label),
        path=path,
        object_type=item._meta.label_lower,
        object_id=str(item.pk),
    )
