"""Verbeterplannen with PDCA actions, the board overview and grid, exports (under /quality/)."""

from django.urls import path

from bekwaam.quality.views import board, plans

urlpatterns = [
    # The bestuur's overview and the exports.
    path("board/", board.board_overview, name="board-overview"),
    path("board/export/", board.board_grid_export, name="board-grid-export"),
    path("actions/export/", board.actions_export, name="actions-export"),
    # Plans.
    path("plans/", plans.plan_list, name="plan-list"),
    path("plans/new/", plans.plan_create, name="plan-create"),
    path("plans/<uuid:plan_id>/", plans.plan_detail, name="plan-detail"),
    path("plans/<uuid:plan_id>/edit/", plans.plan_edit, name="plan-edit"),
    path("plans/<uuid:plan_id>/close/", plans.plan_close, name="plan-close"),
    path("plans/<uuid:plan_id>/reopen/", plans.plan_reopen, name="plan-reopen"),
    # Goals.
    path("plans/<uuid:plan_id>/goals/new/", plans.goal_create, name="goal-create"),
    path("goals/<int:goal_id>/edit/", plans.goal_edit, name="goal-edit"),
    path("goals/<int:goal_id>/delete/", plans.goal_delete, name="goal-delete"),
    # Actions and their PDCA steps.
    path("goals/<int:goal_id>/actions/new/", plans.action_create, name="action-create"),
    path("actions/<uuid:action_id>/edit/", plans.action_edit, name="action-edit"),
    path("actions/<uuid:action_id>/delete/", plans.action_delete, name="action-delete"),
    path("actions/<uuid:action_id>/move/", plans.action_move, name="action-move"),
    path("actions/<uuid:action_id>/checks/new/", plans.action_check_add, name="action-check-add"),
]
