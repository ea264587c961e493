"""Refresh the released school, team and board figures: run daily (cron, systemd timer). Safe to repeat."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scopes_disabled

from bekwaam.insights.services.release import refresh
from bekwaam.tenancy.models import Board


class Command(BaseCommand):
    help = (
        "Collect finished measurements, lesson visits and conversation milestones into the insights figures and "
        "release what the minimum group size allows. Safe to repeat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--board", type=int, help="Only this board (its id); every board by default.")
        parser.add_argument(
            "--full",
            action="store_true",
            help="Also look again at school years without new records (after AGGREGATE_MIN_GROUP_SIZE changed).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            boards = Board.objects.order_by("pk")
            if options["board"] is not None:
                boards = boards.filter(pk=options["board"])
                if not boards.exists():
                    raise CommandError(f"No board with id {options['board']}.")
            chosen = list(boards)
        for board in chosen:
            run = refresh(board=board, full=options["full"])
            self.stdout.write(f"{board.pk} {board.name}: {run.added} added, {run.released} released")
