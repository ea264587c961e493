"""The bounce webhook: off without a token, a wrong token refused, bad input answered 400, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bekwaam.notifications.models import Bounce

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-token-for-tests"
URL = "/notifications/bounces/"


def post(client: Client, body: Any, token: str | None = TOKEN, raw: bool = False) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    data = body if raw else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", headers=headers)


def test_it_is_off_without_a_token(client: Client) -> None:
    assert post(client, {"email": "a@b.nl"}).status_code == 404
    assert client.get(URL).status_code == 404
    assert not Bounce.objects.exists()


@override_settings(BOUNCE_WEBHOOK_TOKEN=TOKEN)
def test_it_records_a_bounce(client: Client) -> None:
    response = post(client, {"email": " Weg@Nergens.NL ", "reason": "550  5.1.1\n user unknown"})
    assert response.status_code == 200
    assert response.json() == {"recorded": "weg@nergens.nl"}
    bounce = Bounce.objects.get()
    assert (bounce.email, bounce.reason) == ("weg@nergens.nl", "550 5.1.1 user unknown")
    # No reason is fine; a long one is cut to fit.
    assert post(client, {"email": "twee@nergens.nl"}).status_code == 200
    assert post(client, {"email": "drie@nergens.nl", "reason": "x" * 1000}).status_code == 200
    assert len(Bounce.objects.get(email="drie@nergens.nl").reason) == 300


@override_settings(BOUNCE_WEBHOOK_TOKEN=TOKEN)
@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"}],
)
def test_it_refuses_a_missing_or_wrong_token(client: Client, headers: dict[str, str]) -> None:
    response = client.post(URL, data='{"email": "a@b.nl"}', content_type="application/json", headers=headers)
    assert response.status_code == 403
    assert not Bounce.objects.exists()


@override_settings(BOUNCE_WEBHOOK_TOKEN=TOKEN)
def test_it_only_takes_a_post(client: Client) -> None:
    assert client.get(URL, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 405


@override_settings(BOUNCE_WEBHOOK_TOKEN=TOKEN)
@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[1, 2]",
        '"a@b.nl"',
        "{}",
        '{"email": 5}',
        '{"email": "geen adres"}',
        '{"email": "a@b.nl", "reason": 12}',
        b"\xff\xfe",
    ],
)
def test_it_answers_bad_input_with_400(client: Client, body: Any) -> None:
    response = post(client, body, raw=True)
    assert response.status_code == 400
    assert "error" in response.json()
    assert not Bounce.objects.exists()


@override_settings(BOUNCE_WEBHOOK_TOKEN=TOKEN)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.one_of(
        st.binary(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=40),
            lambda children: (
                st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
            ),
            max_leaves=8,
        ).map(json.dumps),
        st.fixed_dictionaries({"email": st.text(max_size=60), "reason": st.text(max_size=60)}).map(json.dumps),
    )
)
def test_it_never_fails_with_a_server_error(client: Client, body: Any) -> None:
    if isinstance(body, str):
        body = body.replace("\\u0000", "")  # PostgreSQL refuses NUL in text
    response = post(client, body, raw=True)
    assert response.status_code in (200, 400)
