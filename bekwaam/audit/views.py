"""The board's change log and access log, as pages and as CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from itertools import chain

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from bekwaam.audit import selectors
from bekwaam.tenancy.policy import ActorRequest, actor_view

PAGE_SIZE = 50


class _Echo:
    def write(self, value: str) -> str:
        return value


def spreadsheet_safe(value: object) -> str:
    """A cell that starts like a formula (=, +, -, @, tab, CR) is prefixed with ', so Excel shows it as text.

    Names and change values come from people; a value like =HYPERLINK(...) must not run when a
    beheerder opens the export (OWASP: CSV injection).
    """
    text = str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def _csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    # A BOM so Excel (the tool most boards open CSV with) reads UTF-8 correctly.
    lines = (writer.writerow([spreadsheet_safe(cell) for cell in row]) for row in chain([header], rows))
    response = StreamingHttpResponse(("\ufeff", *lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@actor_view("audit.view_board_log")
def change_list(request: ActorRequest) -> HttpResponse:
    page = Paginator(selectors.change_list_for(actor=request.actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/change_list.html", {"page": page})


@require_safe
@actor_view("audit.view_board_log")
def change_export(request: ActorRequest) -> StreamingHttpResponse:
    links = selectors.change_list_for(actor=request.actor).iterator(chunk_size=500)
    rows = (
        [
            timezone.localtime(e.timestamp).isoformat(timespec="seconds"),
            e.actor.email if e.actor else "",
            e.content_type.model,
            e.object_repr,
            e.get_action_display(),
            json.dumps(e.changes_dict, ensure_ascii=False),
        ]
        for e in (link.entry for link in links)
    )
    header = ["timestamp", "actor", "type", "object", "action", "changes"]
    return _csv_response("bekwaam-changes.csv", header, rows)


@require_safe
@actor_view("audit.view_board_log")
def access_list(request: ActorRequest) -> HttpResponse:
    page = Paginator(selectors.access_list_for(actor=request.actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/access_list.html", {"page": page})


@require_safe
@actor_view("audit.view_board_log")
def access_export(request: ActorRequest) -> StreamingHttpResponse:
    entries = selectors.access_list_for(actor=request.actor).iterator(chunk_size=500)
    rows = (
        [
            timezone.localtime(e.viewed_at).isoformat(timespec="seconds"),
            e.actor.email if e.actor else "",
            e.subject.email,
            e.what,
            e.right,
            e.path,
        ]
        for e in entries
    )
    return _csv_response("bekwaam-access.csv", ["timestamp", "actor", "subject", "what", "right", "path"], rows)
