"""The bestuur's overview of all its schools, and the board grid and improvement actions as CSV or XLSX.

The overview and the grid export are "quality.view_board" (bestuurder, kwaliteitsmedewerker). The actions
export is the board's for them, and one school's (?school=<id>) for whoever may see that school's quality
records (a schoolleider for the schools they lead).
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bekwaam.quality import exports
from bekwaam.quality.selectors import school_get_for
from bekwaam.quality.selectors.board import board_grid_for, board_overview_for
from bekwaam.quality.selectors.plans import actions_for_export
from bekwaam.tenancy.policy import ActorRequest, actor_view


@require_safe
@actor_view("quality.view_board")
def board_overview(request: ActorRequest) -> HttpResponse:
    """The grid of schools and standards, schools under scrutiny, overdue actions and coming inspections."""
    overview = board_overview_for(actor=request.actor)
    context = {
        "overview": overview,
        "grid": overview.grid,
        "may_edit_board": rules.test_rule("quality.edit_board_level", request.actor),
    }
    return render(request, "quality/board_overview.html", context)


def _format(request: ActorRequest) -> str | None:
    fmt = request.GET.get("format", exports.CSV)
    return fmt if fmt in exports.FORMATS else None


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@actor_view("quality.view_board")
def board_grid_export(request: ActorRequest) -> HttpResponse:
    """The grid: one row per school and standard with the latest self-evaluation and inspection judgement."""
    fmt = _format(request)
    if fmt is None:
        return HttpResponseBadRequest(_("Choose csv or xlsx."))
    header, rows = exports.grid_table(board_grid_for(actor=request.actor))
    return _file(*exports.export_file(header, rows, fmt=fmt, name=_("quality grid")))


@require_safe
@actor_view("quality.home")
def actions_export(request: ActorRequest) -> HttpResponse:
    """The improvement actions of the board's plans (or, with ?school=<id>, of one school's plans)."""
    actor = request.actor
    fmt = _format(request)
    if fmt is None:
        return HttpResponseBadRequest(_("Choose csv or xlsx."))
    wanted = request.GET.get("school", "")
    school = None
    if wanted:
        if not wanted.isdigit():
            raise Http404
        school = school_get_for(actor=actor, school_id=int(wanted))
    elif not rules.test_rule("quality.view_board", actor):
        raise PermissionDenied
    header, rows = exports.actions_table(actions_for_export(actor=actor, school=school))
    name = _("improvement actions") if school is None else f"{_('improvement actions')} {school.name}"
    return _file(*exports.export_file(header, rows, fmt=fmt, name=name))
