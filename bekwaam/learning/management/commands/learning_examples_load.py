"""manage.py learning_examples_load [--board <id>]: add Bekwaam's example modules to a board, or to every board."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scopes_disabled

from bekwaam.learning.services.examples import examples_load
from bekwaam.tenancy.models import Board


class Command(BaseCommand):
    help = (
        "Add the example e-learning modules Bekwaam ships (learning/defaults/examples.json) to a board, published, "
        "or to every board when --board is left out. A board that has them already keeps them as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--board", type=int, help="The board's id; every board when left out.")

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            boards = Board.objects.order_by("name")
            if options["board"] is not None:
                boards = boards.filter(pk=options["board"])
                if not boards.exists():
                    raise CommandError(f"No board with id {options['board']}.")
            for board in boards:
                courses = examples_load(board=board)
                self.stdout.write(f"{board.name}: {len(courses)} example modules")
