"""Make an aanbieder's signing key (docs/credentials.md): the first one, or a new one that replaces it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bekwaam.credentials.keys import signing_key_generate
from bekwaam.tenancy.models import Provider


class Command(BaseCommand):
    help = (
        "Generate an Ed25519 signing key for an aanbieder's certificates. --rotate retires the active key "
        "(it stays published, so what it signed stays verifiable). --from-environment stores no private key: "
        "the command prints it once, to set as an environment variable."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provider", type=int, required=True, help="The aanbieder's id.")
        parser.add_argument("--rotate", action="store_true", help="Retire the active key and make a new one.")
        parser.add_argument(
            "--from-environment",
            action="store_true",
            help="Keep the private key out of the database: set the printed variable in the environment.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        provider = Provider.objects.filter(pk=options["provider"]).first()
        if provider is None:
            raise CommandError(f"No aanbieder with id {options['provider']}.")
        try:
            generated = signing_key_generate(
                provider=provider, rotate=options["rotate"], from_environment=options["from_environment"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        key = generated.key
        self.stdout.write(f"{provider}: new signing key {key.kid}")
        if generated.environment_value:
            self.stdout.write(
                "The private key is not stored. Set this variable in the environment of every web and worker "
                "process (and keep it safe: it is shown only now):"
            )
            self.stdout.write(f"{generated.environment_variable}={generated.environment_value}")
        else:
            self.stdout.write(
                "The private key is stored encrypted with CREDENTIALS_KEY_ENCRYPTION_KEY; "
                f"{generated.environment_variable} in the environment would take its place."
            )
