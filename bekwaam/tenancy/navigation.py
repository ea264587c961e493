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
    (roles.VIEW_DOSSIER, NavItem(_("Conversations"), "conversations:list")),
    (roles.VIEW_TEAM, NavItem(_("Conversations"), "conversations:list")),
    (roles.VIEW_DOSSIER, NavItem(_("360° feedback"), "feedback:round-list")),
    (roles.VIEW_DOSSIER, NavItem(_("Lesson visits"), "observations:visit-list")),
    (roles.VIEW_DOSSIER, NavItem(_("E-learning"), "learning:catalogue")),
    (roles.VIEW_DOSSIER, NavItem(_("My development"), "insights:mine")),
    (roles.VIEW_DOSSIER, NavItem(_("Team dialogue"), "dialogue:sessions")),
    (roles.VIEW_TEAM, NavItem(_("Suggest e-learning"), "learning:suggest")),
    (roles.VIEW_TEAM, NavItem(_("Team figures"), "insights:team")),
    (roles.OBSERVE_LESSONS, NavItem(_("Lesson visits"), "observations:visit-list")),
    (roles.VIEW_BOARD, NavItem(_("Schools"), "tenancy:board-home")),
    (roles.VIEW_QUALITY, NavItem(_("Quality"), "quality:home")),
    (roles.SCHOOL_QUALITY, NavItem(_("Quality"), "quality:home")),
    (roles.VIEW_QUALITY, NavItem(_("Figures"), "insights:board")),
    (roles.MANAGE_QUALITY, NavItem(_("Calibration"), "observations:calibration-overview")),
    (roles.VIEW_PEOPLE, NavItem(_("People"), "tenancy:person-list")),
    (roles.IMPORT_STAFF, NavItem(_("Import"), "tenancy:import-upload")),
    (roles.MANAGE_FRAMEWORKS, NavItem(_("Frameworks"), "frameworks:framework-list")),
    (roles.MANAGE_CONVERSATIONS, NavItem(_("Conversation cycle"), "conversations:setup")),
    (roles.AUTHOR_COURSES, NavItem(_("E-learning modules"), "learning:editor")),
    (roles.VIEW_AUDIT, NavItem(_("Audit log"), "audit:change-list")),
    (roles.KEEP_REGISTER, NavItem(_("School leaders register"), "register:overview")),
    (roles.KEEP_REGISTER, NavItem(_("Assessment trajectories"), "trajectories:mine")),
    (roles.ASSESS, NavItem(_("Worklist"), "trajectories:worklist")),
    (roles.COACH_TRAJECTORIES, NavItem(_("Worklist"), "trajectories:worklist")),
    (roles.ASSESS, NavItem(_("Trajectory templates"), "trajectories:template-list")),
    (roles.ASSESS, NavItem(_("Certificates"), "credentials:certificate-list")),
    (roles.VIEW_PROVIDER, NavItem(_("Coaches and assessors"), "tenancy:provider-home")),
)


def navigation_for(actor: Actor) -> list[NavItem]:
    items: list[NavItem] = []
    for permission, item in _ITEMS:
        # An item may be reached through more than one permission (conversations: own, or as leidinggevende).
        if actor.has_permission(permission) and item not in items:
            items.append(item)
    if actor.is_operator:
        items.append(NavItem(_("Platform"), "tenancy:operator-home"))
    return items
