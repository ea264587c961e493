"""Issuing and revoking certificates: what is copied, the status-list index, the rules, the audit, the e-mail."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import translation
from django.utils.translation import gettext
from django_scopes import scopes_disabled

from bekwaam.credentials.models import Certificate, SigningKey
from bekwaam.credentials.services import ISSUED, REVOKED, certificate_issue, certificate_revoke
from bekwaam.credentials.tests.factories import (
    certificate_build,
    certified_trajectory_build,
    decision_build,
    second_assessor_of,
    world_certificate,
)
from bekwaam.credentials.vc import verify
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Role
from bekwaam.tenancy.tests.factories import ProviderFactory, ProviderRoleGrantFactory
from bekwaam.trajectories.models import DecisionOutcome, TrajectoryEvent
from bekwaam.trajectories.tests.factories import assessor_build

pytestmark = pytest.mark.django_db


def provider_actor(person: Any, provider: Any) -> Any:
    return actor_for(person, f"provider:{provider.pk}")


# --- issuing ---------------------------------------------------------------------------------------------------


def test_it_issues_a_certificate_copying_what_was_decided(world: Any) -> None:
    trajectory = certified_trajectory_build(provider=world.provider, candidate=world.manager)
    second = second_assessor_of(world.provider)
    decision = decision_build(trajectory=trajectory, first=world.assessor, second=second, level=6)
    certificate = certificate_issue(trajectory=trajectory, decision=decision)
    certificate.refresh_from_db()
    assert certificate.holder == world.manager
    assert certificate.holder_name == world.manager.full_name
    assert certificate.issuer_name == world.provider.name
    assert certificate.title == trajectory.template.name
    assert certificate.theme_names == sorted(t.name for t in trajectory.themes.all())
    assert (certificate.learning_level, certificate.points) == (6, decision.points)
    assert certificate.assessor_names == [world.assessor.full_name, second.full_name]
    assert certificate.snapshot_hash == trajectory.snapshot_hash
    assert certificate.key == SigningKey.objects.get(provider=world.provider)  # made on first issue
    assert certificate.status_index == 0
    assert verify(certificate.credential).valid
    assert TrajectoryEvent.objects.filter(trajectory=trajectory, action=ISSUED, note=str(certificate.pk)).exists()


def test_it_gives_each_certificate_the_next_status_index_per_aanbieder(world: Any) -> None:
    indices = [
        certificate_build(provider=world.provider, candidate=world.manager, assessor=world.assessor).status_index
        for _ in range(3)
    ]
    assert indices == [0, 1, 2]
    other = ProviderFactory()
    other_assessor = ProviderRoleGrantFactory(provider=other, role=Role.ASSESSOR).person
    assert certificate_build(provider=other, candidate=world.manager, assessor=other_assessor).status_index == 0


def test_it_issues_once_per_trajectory(world: Any) -> None:
    certificate = world_certificate(world)
    decision = certificate.trajectory.decision
    with translation.override("en"), pytest.raises(ValidationError, match="issued for this trajectory already"):
        certificate_issue(trajectory=certificate.trajectory, decision=decision)
    assert Certificate.objects.count() == 1


def test_it_issues_nothing_for_development_advice_or_another_trajectory(world: Any) -> None:
    trajectory = certified_trajectory_build(provider=world.provider, candidate=world.manager)
    decision = decision_build(trajectory=trajectory, first=world.assessor, second=second_assessor_of(world.provider))
    decision.outcome = DecisionOutcome.DEVELOPMENT_ADVICE
    with pytest.raises(ValueError, match="positive"):
        certificate_issue(trajectory=trajectory, decision=decision)
    other = certified_trajectory_build(provider=world.provider, candidate=world.manager)
    decision.outcome = DecisionOutcome.CERTIFIED
    with pytest.raises(ValueError, match="another trajectory"):
        certificate_issue(trajectory=other, decision=decision)
    assert not Certificate.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_certificates_issued_at_the_same_moment_get_different_indices(world: Any) -> None:
    """Two decisions at once (real threads, PostgreSQL row locks): the aanbieder's lock orders them."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers anyway)")
    second = second_assessor_of(world.provider)
    pairs = []
    for _ in range(2):
        trajectory = certified_trajectory_build(provider=world.provider, candidate=world.manager)
        pairs.append((trajectory, decision_build(trajectory=trajectory, first=world.assessor, second=second)))
    world_certificate(world)  # the key exists, and index 0 is taken
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def issue(trajectory: Any, decision: Any) -> None:
        with scopes_disabled():
            try:
                barrier.wait()
                certificate_issue(trajectory=trajectory, decision=decision)
                outcomes.append("issued")
            except Exception as error:
                outcomes.append(repr(error))
            finally:
                connections.close_all()

    threads = [threading.Thread(target=issue, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["issued", "issued"]
    assert sorted(Certificate.objects.values_list("status_index", flat=True)) == [0, 1, 2]


# --- revoking --------------------------------------------------------------------------------------------------


def test_an_assessor_of_the_aanbieder_revokes_with_a_reason_and_the_holder_is_told(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    certificate = world_certificate(world)
    with django_capture_on_commit_callbacks(execute=True):
        revoked = certificate_revoke(
            actor=provider_actor(world.assessor, world.provider), certificate=certificate, reason="  Fraude  "
        )
    revoked.refresh_from_db()
    assert revoked.revoked_at is not None
    assert revoked.revocation_reason == "Fraude"
    assert revoked.revoked_by == world.assessor
    event = TrajectoryEvent.objects.get(trajectory=certificate.trajectory, action=REVOKED)
    assert (event.actor, event.note) == (world.assessor, "Fraude")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.manager.email]
    assert "Fraude" in message.body
    assert certificate.title in message.subject


def test_it_refuses_a_second_revocation(world: Any) -> None:
    certificate = world_certificate(world)
    actor = provider_actor(world.assessor, world.provider)
    certificate_revoke(actor=actor, certificate=certificate, reason="Eerste keer")
    with translation.override("en"), pytest.raises(ValidationError, match="revoked already"):
        certificate_revoke(actor=actor, certificate=certificate, reason="Tweede keer")
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Eerste keer"
    assert TrajectoryEvent.objects.filter(action=REVOKED).count() == 1


def test_it_refuses_a_revocation_without_a_reason(world: Any) -> None:
    certificate = world_certificate(world)
    with pytest.raises(ValidationError) as caught:
        certificate_revoke(actor=provider_actor(world.assessor, world.provider), certificate=certificate, reason="  ")
    with translation.override("nl"):
        assert caught.value.message_dict["reason"] == [gettext("Give the reason for revoking: the holder reads it.")]
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


@pytest.mark.parametrize("who", ["holder", "coach", "other_assessor", "board"])
def test_only_an_assessor_of_the_issuing_aanbieder_may_revoke(world: Any, who: str) -> None:
    certificate = world_certificate(world)
    if who == "holder":
        actor = actor_for(world.manager, f"board:{world.board_a.pk}")
    elif who == "coach":
        actor = provider_actor(world.coach, world.provider)
    elif who == "other_assessor":
        other = ProviderFactory()
        actor = provider_actor(assessor_build(provider=other, email="ander@elders.nl"), other)
    else:
        actor = actor_for(world.administrator, f"board:{world.board_a.pk}")
    with pytest.raises(PermissionDenied):
        certificate_revoke(actor=actor, certificate=certificate, reason="Mag niet")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
