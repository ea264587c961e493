"""The notifications pages in the authorization matrix (bekwaam/tenancy/tests/test_authorization_matrix.py).

The preference page is everyone's own: every signed-in person opens it and saves their own choice (the
state is every preference row, and each persona's POST adds or changes only theirs). The bounce webhook
is off in the tests (no BOUNCE_WEBHOOK_TOKEN): it answers 404 to everyone, whatever the method;
notifications/tests/test_bounces.py covers it with a token.
"""

from __future__ import annotations

from bekwaam.notifications.models import NotificationPreference
from bekwaam.tenancy.tests.matrix import NOT_FOUND, SIGNED_IN, Case, World, at, expect, same_for_everyone


def preference_rows(world: World) -> object:
    return sorted(NotificationPreference.objects.values_list("person_id", "updates", "reminders"))


MATRIX: dict[str, list[Case]] = {
    "notifications:preferences": [
        Case(at("notifications:preferences"), expect(ok=SIGNED_IN)),
        Case(
            at("notifications:preferences"),
            expect(ok=SIGNED_IN),
            method="post",
            data=lambda w: {"reminders": "on"},
            state=preference_rows,
            changes=SIGNED_IN,
        ),
    ],
    "notifications:bounces": [
        Case(at("notifications:bounces"), same_for_everyone(NOT_FOUND)),
        Case(
            at("notifications:bounces"),
            same_for_everyone(NOT_FOUND),
            method="post",
            data=lambda w: {"email": "x@example.nl"},
        ),
    ],
}
