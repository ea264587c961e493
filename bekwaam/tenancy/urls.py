from django.urls import path

from bekwaam.tenancy import views

app_name = "tenancy"

urlpatterns = [
    path("organisation/switch/", views.organisation_switch, name="organisation-switch"),
    path("board/", views.board_home, name="board-home"),
    path("board/schools/<int:school_id>/", views.school_detail, name="school-detail"),
    path("board/people/", views.person_list, name="person-list"),
    path("board/people/invite/", views.person_invite, name="person-invite"),
    path("board/people/<uuid:person_id>/", views.person_detail, name="person-detail"),
    path("board/people/<uuid:person_id>/roles/", views.role_grant, name="role-grant"),
    path("board/roles/<uuid:grant_id>/revoke/", views.role_revoke, name="role-revoke"),
    path("board/employments/<uuid:employment_id>/end/", views.employment_end, name="employment-end"),
    path("board/import/", views.import_upload, name="import-upload"),
    path("board/import/template.csv", views.import_template, {"fmt": "csv"}, name="import-template-csv"),
    path("board/import/template.xlsx", views.import_template, {"fmt": "xlsx"}, name="import-template-xlsx"),
    path("board/import/<uuid:import_id>/", views.import_detail, name="import-detail"),
    path("board/import/<uuid:import_id>/apply/", views.import_apply, name="import-apply"),
    path("board/import/<uuid:import_id>/result/", views.import_result, name="import-result"),
    path("team/", views.team, name="team"),
    path("provider/", views.provider_home, name="provider-home"),
    path("platform/", views.operator_home, name="operator-home"),
    path("platform/boards/new/", views.board_create, name="board-create"),
    path("platform/providers/new/", views.provider_create, name="provider-create"),
    path("platform/providers/<int:provider_id>/", views.provider_staff, name="provider-staff"),
]
