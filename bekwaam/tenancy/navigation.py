"""The main navigation, derived from the actor's permissions only."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_ITEMS: tuple[tuple[str, NavItem], ...] = (
    (roles.VIEW_DOSSIER, NavItem(_("My dossier"), "dossier:overview")),
    (roles.VIEW_TEAM, NavItem(_("My team"), "tenancy:team")),
    (roles.VIEW_BOARD, NavItem(_("Schools"), "tenancy:board-home")),
    (roles.VIEW_PEOPLE, NavItem(_("People"), "tenancy:person-list")),
    (roles.IMPORT_STAFF, NavItem(_("Import"), "tenancy:import-upload")),
    (roles.MANAGE_FRAMEWORKS, NavItem(_("Frameworks"), "frameworks:framework-list")),
    (roles.VIEW_AUDIT, NavItem(_("Audit log"), "audit:change-list")),
    (roles.VIEW_PROVIDER, NavItem(_("Coaches and assessors"), "tenancy:provider-home")),
)


def navigation_for(actor: Actor) -> list[NavItem]:
    items = [item for permission, item in _ITEMS if actor.has_permission(permission)]
    if actor.is_operator:
        items.append(NavItem(_("Platform"), "tenancy:operator-home"))
    return items
