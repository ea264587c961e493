"""credentials pages: a certificate for its holder and the aanbieder, and the public verification."""

from __future__ import annotations

from django.urls import URLPattern, path

from bekwaam.credentials import views

app_name = "credentials"

urlpatterns: list[URLPattern] = [
    path("certificates/", views.certificate_list, name="certificate-list"),
    path("certificates/<uuid:certificate_id>/", views.certificate_detail, name="certificate"),
    path("certificates/<uuid:certificate_id>/certificate.pdf", views.certificate_pdf, name="certificate-pdf"),
    path(
        "certificates/<uuid:certificate_id>/credential.json",
        views.certificate_credential,
        name="certificate-credential",
    ),
    path("certificates/<uuid:certificate_id>/portfolio.json", views.certificate_snapshot, name="snapshot"),
    path("certificates/<uuid:certificate_id>/revoke/", views.certificate_revoke, name="revoke"),
    # Public: no sign-in.
    path("verify/", views.verify_page, name="verify"),
    path("verify/<uuid:certificate_id>/", views.verify_certificate, name="verify-certificate"),
    path("issuers/<int:provider_id>/did.json", views.issuer_did, name="issuer-did"),
    path("issuers/<int:provider_id>/jwks.json", views.issuer_jwks, name="issuer-jwks"),
    path("issuers/<int:provider_id>/status/1", views.status_list, name="status-list"),
]
