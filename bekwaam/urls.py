"""URL map: one include per app, English paths (docs/decisions/0001-layout.md)."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from bekwaam.accounts import views as account_views
from bekwaam.accounts.admin import unregister_foreign_models
from bekwaam.tenancy import views as tenancy_views

# The admin's own login form knows no second factor: send it through allauth's sign-in (with MFA).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Bekwaam – platform"
unregister_foreign_models()


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", tenancy_views.home, name="home"),
    path("health/", health, name="health"),
    path("i18n/setlang/", account_views.language_switch, name="set_language"),
    # Before allauth's URLs: its e-mail management page is replaced (see the view's docstring).
    path("accounts/email/", account_views.email_managed_by_board, name="account-email-managed"),
    path("accounts/", include("allauth.urls")),
    path("", include("bekwaam.accounts.urls")),
    path("", include("bekwaam.tenancy.urls")),
    path("dossier/", include("bekwaam.dossier.urls")),
    path("frameworks/", include("bekwaam.frameworks.urls")),
    path("conversations/", include("bekwaam.conversations.urls")),
    path("feedback/", include("bekwaam.feedback.urls")),
    path("notifications/", include("bekwaam.notifications.urls")),
    path("observations/", include("bekwaam.observations.urls")),
    path("quality/", include("bekwaam.quality.urls")),
    path("register/", include("bekwaam.register.urls")),
    path("trajectories/", include("bekwaam.trajectories.urls")),
    path("credentials/", include("bekwaam.credentials.urls")),
    path("learning/", include("bekwaam.learning.urls")),
    path("insights/", include("bekwaam.insights.urls")),
    path("dialogue/", include("bekwaam.dialogue.urls")),
    path("api/v1/", include("bekwaam.api.urls")),
    path("audit/", include("bekwaam.audit.urls")),
    path("admin/", admin.site.urls),
]
