"""Roles expand to permission strings: templates read them, rules predicates decide with them."""

from __future__ import annotations

from bekwaam.tenancy.models import Role

EMPLOYEE = "employee"  # not granted: follows from an active employment
SCHOOL_LEADER = "school_leader"  # not granted: follows from an active employment as schoolleider or directeur

VIEW_BOARD = "tenancy.view_board"
VIEW_PEOPLE = "tenancy.view_people"
MANAGE_PEOPLE = "tenancy.manage_people"
IMPORT_STAFF = "tenancy.import_staff"
MANAGE_ROLES = "tenancy.manage_roles"
VIEW_TEAM = "tenancy.view_team"
VIEW_PROVIDER = "tenancy.view_provider"
VIEW_DOSSIER = "dossier.view_own"
VIEW_AUDIT = "audit.view_board_log"
MANAGE_FRAMEWORKS = "frameworks.manage"
MANAGE_CONVERSATIONS = "conversations.manage"
OBSERVE_LESSONS = "observations.observe"  # plans and scores lesson visits of others
VIEW_QUALITY = "quality.view"  # every school's quality records and the board's grid
MANAGE_QUALITY = "quality.manage"  # records judgements, inspections, visits and plans at every school
SCHOOL_QUALITY = "quality.school"  # a schoolleider: the quality records of the schools they manage (grant)
KEEP_REGISTER = "register.keep"  # a school leader: their Schoolleidersregister periods and waarderingstrajecten
ASSESS = "trajectories.assess"  # an aanbieder's assessor: templates, reviews, interviews, judgements, certificates
COACH_TRAJECTORIES = "trajectories.coach"  # an aanbieder's coach: the trajectories they coach
AUTHOR_COURSES = "learning.author"  # writes and publishes e-learning modules (beheerder; an aanbieder's assessors)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(
        {
            VIEW_BOARD,
            VIEW_PEOPLE,
            MANAGE_PEOPLE,
            IMPORT_STAFF,
            MANAGE_ROLES,
            VIEW_AUDIT,
            MANAGE_FRAMEWORKS,
            MANAGE_CONVERSATIONS,
            AUTHOR_COURSES,
        }
    ),
    Role.BOARD_MEMBER: frozenset({VIEW_BOARD, VIEW_QUALITY}),
    Role.QUALITY_OFFICER: frozenset({VIEW_BOARD, VIEW_QUALITY, MANAGE_QUALITY, OBSERVE_LESSONS}),
    Role.MANAGER: frozenset({VIEW_TEAM, OBSERVE_LESSONS, SCHOOL_QUALITY}),
    Role.COACH: frozenset({VIEW_PROVIDER, COACH_TRAJECTORIES}),
    Role.ASSESSOR: frozenset({VIEW_PROVIDER, ASSESS, AUTHOR_COURSES}),
    EMPLOYEE: frozenset({VIEW_DOSSIER}),
    SCHOOL_LEADER: frozenset({KEEP_REGISTER}),
}

# Roles that see other people's personal data must use a second factor (issue 2).
ROLES_REQUIRING_MFA: frozenset[str] = frozenset(
    {Role.ADMINISTRATOR, Role.BOARD_MEMBER, Role.QUALITY_OFFICER, Role.MANAGER, Role.COACH, Role.ASSESSOR}
)


def permissions_for(roles: frozenset[str]) -> frozenset[str]:
    """The union of the permission sets of the given roles."""
    result: set[str] = set()
    for role in roles:
        result |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(result)
