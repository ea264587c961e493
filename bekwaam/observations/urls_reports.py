"""Team reports and calibration (under /observations/)."""

from django.urls import path

from bekwaam.observations.views import reports

urlpatterns = [
    path("reports/<int:school_id>/", reports.team_report, name="team-report"),
    path("calibration/", reports.calibration_overview, name="calibration-overview"),
]
