"""Every write of certificates: issuing one after a positive four-eyes decision, and revoking one.

Issuing runs inside the caller's transaction (trajectories' decision service): it locks the aanbieder's
row, so two certificates issued at the same moment never get the same status-list index, copies what the
certificate says (later renames never change it), signs the credential and stores the token as issued.
Revoking locks the certificate, refuses a second revocation, writes the trajectory's history and tells the
holder by e-mail once the transaction commits. The status list follows from `revoked_at` (credentials.vc).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from bekwaam.credentials import tasks
from bekwaam.credentials.keys import signing_key_active
from bekwaam.credentials.models import Certificate
from bekwaam.credentials.vc import credential_payload, token_sign
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Provider
from bekwaam.tenancy.policy import authorize
from bekwaam.trajectories.models import Decision, DecisionOutcome, Trajectory, TrajectoryEvent

REVOKE = "credentials.revoke"
REASON_MAX = 2_000
ISSUED, REVOKED = "certificate_issued", "certificate_revoked"  # TrajectoryEvent.action


def certificate_issue(*, trajectory: Trajectory, decision: Decision) -> Certificate:
    """Issue the certificate of a positive decision: signed, with the next free status-list index; once only."""
    if decision.trajectory_id != trajectory.pk:
        raise ValueError("the decision belongs to another trajectory")
    if decision.outcome != DecisionOutcome.CERTIFIED:
        raise ValueError("only a positive decision issues a certificate")
    if not trajectory.snapshot_hash:
        raise ValueError("the trajectory has no frozen portfolio snapshot to point the evidence at")
    with transaction.atomic(), scopes_disabled():
        # The lock serialises issuing per aanbieder: the next index is read and used under it.
        provider = Provider.objects.select_for_update().get(pk=trajectory.provider_id)
        if Certificate.objects.filter(trajectory_id=trajectory.pk).exists():
            raise ValidationError(_("A certificate has been issued for this trajectory already."))
        key = signing_key_active(provider)
        last = Certificate.objects.filter(provider=provider).aggregate(last=Max("status_index"))["last"]
        candidate = trajectory.candidate
        certificate = Certificate(
            provider=provider,
            trajectory=trajectory,
            holder=candidate,
            holder_name=candidate.full_name,
            issuer_name=provider.name,
            title=trajectory.template.name,
            theme_names=list(decision.themes.order_by("name").values_list("name", flat=True)),
            learning_level=decision.learning_level,
            points=decision.points,
            assessor_names=[decision.first_assessor.full_name, decision.second_assessor.full_name],
            issued_at=timezone.now(),
            snapshot_hash=trajectory.snapshot_hash,
            key=key,
            status_index=0 if last is None else last + 1,
        )
        certificate.credential = token_sign(payload=credential_payload(certificate), key=key)
        certificate.save(force_insert=True)
        TrajectoryEvent.objects.create(trajectory=trajectory, actor=None, action=ISSUED, note=str(certificate.pk))
    return certificate


def certificate_revoke(*, actor: Actor, certificate: Certificate, reason: str) -> Certificate:
    """Revoke the certificate (an assessor of its aanbieder, with a reason); a second revocation is refused."""
    authorize(actor, REVOKE, certificate)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking: the holder reads it.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason under %(max)s characters.") % {"max": REASON_MAX}})
    with transaction.atomic(), scopes_disabled():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk, provider_id=certificate.provider_id)
        if locked.revoked_at is not None:
            raise ValidationError(
                _("This certificate has been revoked already (on %(date)s).")
                % {"date": f"{timezone.localdate(locked.revoked_at):%d-%m-%Y}"}
            )
        locked.revoked_at = timezone.now()
        locked.revocation_reason = reason
        locked.revoked_by = actor.person
        locked.save(update_fields=["revoked_at", "revocation_reason", "revoked_by"])
        TrajectoryEvent.objects.create(
            trajectory_id=locked.trajectory_id, actor=actor.person, action=REVOKED, note=reason
        )
        certificate_id = str(locked.pk)
        transaction.on_commit(lambda: tasks.certificate_revoked_notice_send.enqueue(certificate_id=certificate_id))
    return locked
