"""Writes for sharing: the owner shares an item or a whole section, and withdraws a share.

A share takes effect, and a withdrawal ends it, on the very next request: visibility is read from the
Share rows on every request (bekwaam.dossier.selectors), nothing is cached. The dossier keeps its own
history of shares (created_at, withdrawn_at) instead of the board's change log, whose readers may not
read a person's dossier (see bekwaam/dossier/models.py).
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.accounts.models import Person
from bekwaam.dossier.models import Section, Share, ShareAudience
from bekwaam.dossier.selectors import ITEM_FIELDS
from bekwaam.dossier.selectors.sharing import DossierItem, managers_for, works_at_board
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize


def _lock_owner(person: Person) -> None:
    """Serialise one owner's sharing (on PostgreSQL), so two tabs sharing the same thing make one share."""
    get_user_model().objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True).first()


def share_create(
    *,
    actor: Actor,
    section: str,
    audience: str,
    grantee: Person | None = None,
    item: DossierItem | None = None,
) -> Share:
    """Share one of the actor's own items, or a whole section of their dossier, with their leidinggevende
    or a named colleague at the same board. An identical active share is returned, never duplicated.

    Raises PermissionDenied for an item that is not the actor's, ValidationError for a grantee who is
    the actor or does not work at the board, and for "my manager" when the actor has none.
    """
    authorize(actor, "dossier.view_own")
    if section not in Section.values:
        raise ValidationError({"section": _("Choose a part of your dossier.")})
    item_field = None
    if item is not None:
        authorize(actor, "dossier.change_item", item)  # only the owner shares an item
        item_section, item_field = ITEM_FIELDS[type(item)]
        if section != item_section:
            raise ValidationError({"section": _("This item does not belong to that part of your dossier.")})
    if audience == ShareAudience.MANAGER:
        grantee = None
        if not managers_for(actor=actor).exists():
            raise ValidationError(
                _("You have no manager at this board, so there is nobody to share with as your manager.")
            )
    elif audience == ShareAudience.PERSON:
        if grantee is None:
            raise ValidationError({"grantee": _("Choose the colleague to share with.")})
        if grantee.pk == actor.person.pk:
            raise ValidationError({"grantee": _("You cannot share with yourself.")})
        if not works_at_board(actor=actor, person=grantee):
            raise ValidationError({"grantee": _("%(name)s does not work at this board.") % {"name": grantee.full_name}})
    else:
        raise ValidationError({"audience": _("Choose whom to share with.")})

    item_ids: dict[str, UUID | None] = {"assessment": None, "plan": None, "evidence": None, "reflection": None}
    if item is not None and item_field is not None:
        item_ids[item_field] = item.pk
    with transaction.atomic():
        _lock_owner(actor.person)
        existing = Share.objects.filter(
            board_id=actor.board_pk,
            owner=actor.person,
            audience=audience,
            grantee=grantee,
            section=section,
            withdrawn_at__isnull=True,
            **{f"{name}_id": value for name, value in item_ids.items()},
        ).first()
        if existing is not None:
            return existing
        share = Share(
            board_id=actor.board_pk,
            owner=actor.person,
            audience=audience,
            grantee=grantee,
            section=section,
            **{f"{name}_id": value for name, value in item_ids.items()},
        )
        share.full_clean()
        share.save()
    return share


def share_withdraw(*, actor: Actor, share: Share) -> Share:
    """End one of the actor's shares now; nobody it reached sees its items from the next request on.

    Withdrawing twice changes nothing (the first date stays). PermissionDenied for anybody else's share.
    """
    if share.owner_id != actor.person.pk or share.board_id != actor.board_id:
        raise PermissionDenied
    with transaction.atomic():
        locked = Share.objects.select_for_update().get(pk=share.pk)
        if locked.withdrawn_at is None:
            locked.withdrawn_at = timezone.now()
            locked.save(update_fields=["withdrawn_at"])
    return locked
