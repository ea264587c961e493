"""Verbeterplannen with PDCA actions, the board overview and grid, exports (under /quality/)."""

from django.urls import path

from bekwaam.quality.views import plans

urlpatterns = [
    path("board/", plans.board_overview, name="board-overview"),
    path("plans/new/", plans.plan_create, name="plan-create"),
    path("plans/<uuid:plan_id>/", plans.plan_detail, name="plan-detail"),
]
