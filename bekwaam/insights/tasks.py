"""Background work of insights: refreshing the released school, team and board figures.

`insights_refresh_all` runs daily (`manage.py insights_refresh` from cron does the same without the worker);
`insights_refresh` for one board when a board viewer asks for it ("refresh now"). Both are safe to repeat:
a refresh without new records adds and releases nothing (insights.services.release).
"""

from __future__ import annotations

from django_scopes import scopes_disabled
from django_tasks import task

from bekwaam.insights.services.release import refresh
from bekwaam.tenancy.models import Board


@task()
def insights_refresh(board_id: int) -> dict[str, int]:
    """Refresh one board's figures (a board that no longer exists: nothing to do)."""
    with scopes_disabled():
        board = Board.objects.filter(pk=board_id).first()
    if board is None:
        return {"added": 0, "released": 0}
    run = refresh(board=board)
    return {"added": run.added, "released": run.released}


@task()
def insights_refresh_all() -> dict[str, int]:
    """Refresh every board's figures, one after the other."""
    added = released = 0
    with scopes_disabled():
        boards = list(Board.objects.order_by("pk"))
    for board in boards:
        run = refresh(board=board)
        added += run.added
        released += run.released
    return {"boards": len(boards), "added": added, "released": released}
