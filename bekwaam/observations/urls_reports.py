"""Team reports and calibration (under /observations/)."""

from django.urls import path

from bekwaam.observations.views import reports

urlpatterns = [
    path("reports/<int:school_id>/", reports.team_report, name="team-report"),
    path("reports/<int:school_id>/pdf/", reports.team_report_pdf, name="team-report-pdf"),
    path("calibration/", reports.calibration_overview, name="calibration-overview"),
    path("calibration/<uuid:observation_id>/", reports.calibration_detail, name="calibration-detail"),
    path("calibration/<uuid:observation_id>/add/", reports.calibration_add, name="calibration-add"),
]
