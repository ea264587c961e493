"""manage.py frameworks_adopt --board <authority_number|all> [--slug …]: load shipped frameworks (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope, scopes_disabled

from bekwaam.frameworks import defaults
from bekwaam.frameworks.models import Framework
from bekwaam.frameworks.services import framework_adopt_for_board
from bekwaam.tenancy.models import Board


class Command(BaseCommand):
    help = (
        "Adopt the frameworks Bekwaam ships (frameworks/defaults/) for a board, or for every board. "
        "A board that has a framework already keeps it as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--board", required=True, help='The board\'s authority number (5 digits), or "all".')
        parser.add_argument(
            "--slug",
            action="append",
            dest="slugs",
            choices=defaults.shipped_slugs(),
            help="A shipped framework to adopt (repeatable); all shipped frameworks when left out.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slugs: list[str] = options["slugs"] or list(defaults.shipped_slugs())
        with scopes_disabled():
            if options["board"] == "all":
                boards = list(Board.objects.order_by("name"))
            else:
                boards = list(Board.objects.filter(authority_number=options["board"]))
                if not boards:
                    raise CommandError(f"No board with authority number {options['board']!r}.")
        failed = False
        for board in boards:
            for slug in slugs:
                with scope(board=[board.pk]):
                    had = Framework.objects.filter(board=board, shipped_as=slug).exists()
                try:
                    framework = framework_adopt_for_board(board=board, slug=slug)
                except ValidationError as error:
                    failed = True
                    self.stderr.write(f"{board.name}: {slug} not adopted: {' '.join(error.messages)}")
                    continue
                verb = "already adopted" if had else "adopted"
                self.stdout.write(f"{board.name}: {framework.name} {verb}")
        if failed:
            raise CommandError("Some frameworks could not be adopted (see above).")
