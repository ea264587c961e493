"""URLs of the groups part of insights: the team, school and board figures, their exports and the refresh."""

from django.urls import URLPattern, URLResolver, path

from bekwaam.insights.views import exports, groups

urlpatterns: list[URLPattern | URLResolver] = [
    path("team/", groups.team, name="team"),
    path("team/csv/", exports.team_csv, name="team_csv"),
    path("board/", groups.board, name="board"),
    path("board/csv/", exports.board_csv, name="board_csv"),
    path("board/pdf/", exports.board_pdf, name="board_pdf"),
    path("board/refresh/", groups.board_refresh, name="board_refresh"),
    path("schools/<int:school_id>/", groups.school, name="school"),
    path("schools/<int:school_id>/csv/", exports.school_csv, name="school_csv"),
]
