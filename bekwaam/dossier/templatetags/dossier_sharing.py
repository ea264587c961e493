"""`{% item_privacy item %}`: on the owner's item page, who can see the item, sharing, and who opened it.

Shown to the item's owner only; for anyone else (a leidinggevende reading a shared item) it renders
nothing. Four queries: the shares covering the item, the owner's leidinggevende(n), their colleagues
(the form's choices) and the latest views of the item.
"""

from __future__ import annotations

from typing import Any

from django import template

from bekwaam.dossier.forms.sharing import ShareForm
from bekwaam.dossier.models import ShareAudience
from bekwaam.dossier.selectors.sharing import (
    RECENT_ACCESSES,
    colleagues_for,
    item_access_list_for,
    item_kind_of,
    item_shares_for,
    item_url,
    managers_for,
)
from bekwaam.tenancy.context import Actor

register = template.Library()


@register.inclusion_tag("dossier/_item_privacy.html", takes_context=True)
def item_privacy(context: template.Context, item: Any) -> dict[str, Any]:
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if not isinstance(actor, Actor) or item is None or actor.board_id is None:
        return {"show": False}
    if item.person_id != actor.person.pk or item.board_id != actor.board_id:
        return {"show": False}
    managers = list(managers_for(actor=actor))
    colleagues = list(colleagues_for(actor=actor))
    kind = item_kind_of(item)
    form = ShareForm(
        managers=managers,
        colleagues=colleagues,
        initial={"item_kind": kind, "item_id": item.pk},
        auto_id=f"id_item_{item.pk}_%s",
    )
    shares = list(item_shares_for(actor=actor, item=item))
    accesses = list(item_access_list_for(actor=actor, item=item)[: RECENT_ACCESSES + 1])
    return {
        "show": True,
        "request": request,
        "item": item,
        "item_kind": kind,
        "shares": shares,
        "manager_shares": [share for share in shares if share.audience == ShareAudience.MANAGER],
        "person_shares": [share for share in shares if share.audience == ShareAudience.PERSON],
        "managers": managers,
        "form": form,
        "accesses": accesses[:RECENT_ACCESSES],
        "more_accesses": len(accesses) > RECENT_ACCESSES,
    }


@register.filter(name="item_url")
def item_url_filter(item: Any) -> str:
    """The owner's detail page of a dossier item, or "" while that page does not exist."""
    return (item_url(item) or "") if item is not None else ""
