"""`{% item_privacy item %}`: on the owner's item page, who can see the item, sharing, and who opened it."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("dossier/_item_privacy.html", takes_context=True)
def item_privacy(context: dict[str, Any], item: Any) -> dict[str, Any]:
    return {"item": item, "request": context.get("request")}
