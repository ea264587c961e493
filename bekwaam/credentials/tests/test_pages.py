"""The certificate pages: for the holder and the aanbieder, the PDF and the downloads, revocation, the list,
and the public verification (by file, by URL) with the issuer's published keys."""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from bekwaam.credentials import views as credential_views
from bekwaam.credentials.keys import b64url_decode, b64url_encode, signing_key_generate
from bekwaam.credentials.models import Certificate
from bekwaam.credentials.services import certificate_revoke
from bekwaam.credentials.tests.factories import certificate_build, world_certificate
from bekwaam.credentials.vc import credential_envelope, credential_file, verify, verify_url
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Role
from bekwaam.tenancy.tests.factories import ProviderFactory, ProviderRoleGrantFactory

pytestmark = pytest.mark.django_db


def page(certificate: Certificate, name: str = "credentials:certificate") -> str:
    return reverse(name, args=[certificate.pk])


def revoke(world: Any, certificate: Certificate, reason: str = "Onterecht uitgereikt") -> Certificate:
    actor = actor_for(world.assessor, f"provider:{world.provider.pk}")
    return certificate_revoke(actor=actor, certificate=certificate, reason=reason)


def pdf_text(content: bytes) -> bytes:
    """Every stream of the PDF, inflated: link targets live in compressed object streams."""
    found = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            found.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(found)


def tampered_file(certificate: Certificate) -> bytes:
    header, payload, signature = certificate.credential.split(".")
    claims = json.loads(b64url_decode(payload))
    claims["credentialSubject"]["result"][1]["value"] = "100"
    forged = ".".join([header, b64url_encode(json.dumps(claims).encode()), signature])
    return json.dumps(credential_envelope(forged)).encode()


def upload(content: bytes, name: str = "certificaat.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/json")


# --- the certificate page -----------------------------------------------------------------------------------------


def test_the_holder_sees_the_certificate_with_its_downloads_and_no_revoke_button(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    certificate = world_certificate(world)
    client = client_for(world.manager)
    with django_assert_max_num_queries(10):
        response = client.get(page(certificate))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="valid"' in html
    assert world.manager.full_name in html
    for name in ("credentials:certificate-pdf", "credentials:certificate-credential", "credentials:snapshot"):
        assert page(certificate, name) in html
    assert verify_url(certificate.pk) in html
    assert 'data-testid="revoke-link"' not in html


def test_the_assessor_sees_the_revoke_button_until_it_is_revoked(world: Any, client_for: Any) -> None:
    certificate = world_certificate(world)
    client = client_for(world.assessor)
    assert 'data-testid="revoke-link"' in client.get(page(certificate)).content.decode()
    revoke(world, certificate, reason="Bewijs bleek niet eigen werk")
    html = client.get(page(certificate)).content.decode()
    assert 'data-testid="revoke-link"' not in html
    assert 'data-status="revoked"' in html
    assert "Bewijs bleek niet eigen werk" in html


def test_the_holder_reads_the_reason_of_a_revocation(world: Any, client_for: Any) -> None:
    certificate = revoke(world, world_certificate(world), reason="Bewijs bleek niet eigen werk")
    html = client_for(world.manager).get(page(certificate)).content.decode()
    assert 'data-status="revoked"' in html and "Bewijs bleek niet eigen werk" in html


# Signing in costs 8 queries on every page (session, person, memberships, organisations, second factor).
@pytest.mark.parametrize(
    ("name", "most"),
    [
        ("credentials:certificate", 10),
        ("credentials:certificate-pdf", 10),
        ("credentials:certificate-credential", 10),
        ("credentials:snapshot", 11),
        ("credentials:revoke", 10),
    ],
)
def test_each_page_of_a_certificate_reads_in_few_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any, monkeypatch: Any, name: str, most: int
) -> None:
    certificate = world_certificate(world)
    monkeypatch.setattr(credential_views, "pdf_render", lambda html: b"%PDF-fake")
    client = client_for(world.assessor)
    with django_assert_max_num_queries(most):
        assert client.get(page(certificate, name)).status_code == 200


@pytest.mark.parametrize(
    ("name", "most"),
    [
        ("credentials:verify", 0),
        ("credentials:verify-certificate", 3),
        ("credentials:issuer-did", 1),
        ("credentials:issuer-jwks", 1),
        ("credentials:status-list", 2),
    ],
)
def test_the_public_pages_read_in_few_queries(
    world: Any, django_assert_max_num_queries: Any, name: str, most: int
) -> None:
    certificate = world_certificate(world)
    args = {
        "credentials:verify": [],
        "credentials:verify-certificate": [certificate.pk],
    }.get(name, [world.provider.pk])
    with django_assert_max_num_queries(most):
        assert Client().get(reverse(name, args=args)).status_code == 200


# --- the PDF and the downloads ---------------------------------------------------------------------------------------


def test_the_pdf_names_everything_with_the_verification_url_and_its_qr_code(
    world: Any, client_for: Any, monkeypatch: Any
) -> None:
    certificate = world_certificate(world)
    rendered: list[str] = []
    real = credential_views.pdf_render

    def spy(html: str) -> bytes:
        rendered.append(html)
        return real(html)

    monkeypatch.setattr(credential_views, "pdf_render", spy)
    response = client_for(world.manager).get(page(certificate, "credentials:certificate-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    assert verify_url(certificate.pk).encode() in pdf_text(response.content)
    html = rendered[0]
    for text in (certificate.holder_name, certificate.issuer_name, certificate.title, str(certificate.pk)):
        assert text in html
    for text in [*certificate.theme_names, *certificate.assessor_names]:
        assert text in html
    assert "<svg" in html and 'class="qr"' in html
    assert 'data-testid="revoked"' not in html


def test_a_revoked_certificate_prints_as_revoked(world: Any, client_for: Any, monkeypatch: Any) -> None:
    certificate = revoke(world, world_certificate(world))
    rendered: list[str] = []
    monkeypatch.setattr(credential_views, "pdf_render", lambda html: rendered.append(html) or b"%PDF-fake")
    with translation.override("nl"):
        response = client_for(world.assessor).get(page(certificate, "credentials:certificate-pdf"))
        banner = gettext("REVOKED")
    assert response.status_code == 200
    assert 'data-testid="revoked"' in rendered[0] and banner in rendered[0]


def test_the_credential_download_is_the_file_that_verifies(world: Any, client_for: Any) -> None:
    certificate = world_certificate(world)
    response = client_for(world.manager).get(page(certificate, "credentials:certificate-credential"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["id"] == "data:application/vc+jwt," + certificate.credential
    assert verify(response.content).valid


def test_the_snapshot_download_hashes_to_the_credentials_evidence_digest(world: Any, client_for: Any) -> None:
    certificate = world_certificate(world)
    response = client_for(world.manager).get(page(certificate, "credentials:snapshot"))
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == certificate.snapshot_hash
    assert json.loads(response.content) == certificate.trajectory.snapshot
    assert response["Repr-Digest"].startswith("sha-256=:")


# --- revoking --------------------------------------------------------------------------------------------------------


def test_revoking_asks_a_reason_and_keeps_nothing_lost(world: Any, client_for: Any) -> None:
    certificate = world_certificate(world)
    client = client_for(world.assessor)
    url = page(certificate, "credentials:revoke")
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 400
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    response = client.post(url, {"reason": "Fraude vastgesteld"})
    assert response.status_code == 302 and response["Location"] == page(certificate)
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.revocation_reason == "Fraude vastgesteld"
    # Once revoked, the form sends back to the certificate, and a second POST changes nothing.
    response = client.post(url, {"reason": "Nog eens"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Fraude vastgesteld"


def test_the_holder_may_not_revoke(world: Any, client_for: Any) -> None:
    certificate = world_certificate(world)
    response = client_for(world.manager).post(page(certificate, "credentials:revoke"), {"reason": "Zelf"})
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


# --- the aanbieder's list --------------------------------------------------------------------------------------------


def test_the_list_shows_the_aanbieders_certificates_in_flat_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    other = ProviderFactory()
    other_assessor = ProviderRoleGrantFactory(provider=other, role=Role.ASSESSOR).person
    foreign = certificate_build(provider=other, candidate=world.manager, assessor=other_assessor)
    ours = [world_certificate(world)]
    client = client_for(world.assessor)
    url = reverse("credentials:certificate-list")
    with django_assert_max_num_queries(11) as few:
        response = client.get(url)
    html = response.content.decode()
    assert f'data-certificate="{ours[0].pk}"' in html and str(foreign.pk) not in html
    ours += [
        certificate_build(provider=world.provider, candidate=world.manager, assessor=world.assessor) for _ in range(3)
    ]
    revoke(world, ours[1])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    html = response.content.decode()
    assert all(f'data-certificate="{c.pk}"' in html for c in ours)
    assert html.count('data-status="revoked"') == 1


# --- public verification ---------------------------------------------------------------------------------------------


def test_anyone_verifies_a_certificate_by_its_url(world: Any, django_assert_max_num_queries: Any) -> None:
    certificate = world_certificate(world)
    with django_assert_max_num_queries(4):
        response = Client().get(page(certificate, "credentials:verify-certificate"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="valid"' in html and 'data-signature="valid"' in html and 'data-revoked="no"' in html
    for text in (certificate.holder_name, certificate.issuer_name, *certificate.theme_names):
        assert text in html


def test_the_public_page_says_revoked_with_the_date_but_not_the_reason(world: Any) -> None:
    certificate = revoke(world, world_certificate(world), reason="Vertrouwelijke reden")
    html = Client().get(page(certificate, "credentials:verify-certificate")).content.decode()
    assert 'data-status="revoked"' in html and 'data-revoked="yes"' in html and 'data-signature="valid"' in html
    assert "Vertrouwelijke reden" not in html
    assert f"{certificate.revoked_at:%Y}" in html


def test_the_public_page_of_an_unknown_certificate_is_not_found(world: Any) -> None:
    response = Client().get(reverse("credentials:verify-certificate", args=["00000000-0000-0000-0000-000000000000"]))
    assert response.status_code == 404


def test_anyone_verifies_an_uploaded_credential_file(world: Any) -> None:
    certificate = world_certificate(world)
    client = Client()
    assert client.get(reverse("credentials:verify")).status_code == 200
    response = client.post(reverse("credentials:verify"), {"file": upload(credential_file(certificate))})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="valid"' in html and certificate.holder_name in html


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 geen json", "This file is not a credential file (not JSON)."),
        (
            None,
            "The signature is not valid: the credential was changed after signing, or signed with another key.",
        ),
    ],
)
def test_an_uploaded_file_that_fails_says_why(world: Any, content: bytes | None, message: str) -> None:
    certificate = world_certificate(world)
    with translation.override("nl"):
        response = Client().post(reverse("credentials:verify"), {"file": upload(content or tampered_file(certificate))})
        expected = gettext(message)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="invalid"' in html and 'data-signature="invalid"' in html
    assert expected.replace("'", "&#x27;") in html
    assert certificate.holder_name not in html


def test_a_file_that_is_too_large_is_refused_unread(world: Any, monkeypatch: Any) -> None:
    read: list[bool] = []
    real = credential_views.verify
    monkeypatch.setattr(credential_views, "verify", lambda data: read.append(True) or real(data))
    content = b"{" + b" " * settings.CREDENTIALS_MAX_UPLOAD_BYTES + b"}"
    response = Client().post(reverse("credentials:verify"), {"file": upload(content)})
    assert response.status_code == 400
    assert not read
    assert "error-summary" in response.content.decode()


def test_a_pasted_verification_url_leads_to_the_certificates_page(world: Any) -> None:
    certificate = world_certificate(world)
    client = Client()
    for text in (verify_url(certificate.pk), page(certificate, "credentials:verify-certificate"), str(certificate.pk)):
        response = client.post(reverse("credentials:verify"), {"url": text})
        assert response.status_code == 302, text
        assert response["Location"] == page(certificate, "credentials:verify-certificate")


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"url": "https://elders.example.org/credentials/verify/5b0c5d4e-0000-0000-0000-000000000000/"},
        {"url": "https://127.0.0.1:8000/health/"},
        {"url": "javascript:alert(1)"},
    ],
)
def test_the_verify_form_refuses_what_it_cannot_check(world: Any, data: dict[str, str]) -> None:
    response = Client().post(reverse("credentials:verify"), data)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


# --- the issuer's published documents ---------------------------------------------------------------------------------


def test_the_did_document_and_jwk_set_publish_every_key_retired_ones_too(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    certificate = world_certificate(world)
    newer = signing_key_generate(provider=world.provider, rotate=True).key
    client = Client()
    with django_assert_max_num_queries(1):
        did = client.get(reverse("credentials:issuer-did", args=[world.provider.pk]))
    assert did.status_code == 200
    assert did["Access-Control-Allow-Origin"] == "*"
    document = did.json()
    kids = [method["publicKeyJwk"]["kid"] for method in document["verificationMethod"]]
    assert kids == [certificate.key.kid, newer.kid]
    assert document["assertionMethod"] == [f"{document['id']}#{kid}" for kid in kids]
    jwks = client.get(reverse("credentials:issuer-jwks", args=[world.provider.pk])).json()
    assert [key["kid"] for key in jwks["keys"]] == kids
    assert all("d" not in key for key in jwks["keys"])  # never the private half


def test_an_aanbieder_without_keys_publishes_nothing(world: Any) -> None:
    client = Client()
    for name in ("credentials:issuer-did", "credentials:issuer-jwks", "credentials:status-list"):
        assert client.get(reverse(name, args=[world.provider.pk])).status_code == 404
