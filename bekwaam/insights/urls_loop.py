"""URLs of the loop part of insights: low scores become POP goals (docs/insights-loop.md)."""

from django.urls import URLPattern, URLResolver, path

from bekwaam.insights.views import loop

urlpatterns: list[URLPattern | URLResolver] = [
    path("scores/", loop.low_scores, name="low_scores"),
    path("scores/goal/", loop.goal_from_score, name="goal_from_score"),
    path("goals/<uuid:goal_id>/", loop.goal_next, name="goal_next"),
    path("goals/<uuid:goal_id>/follow-up/", loop.follow_up, name="follow_up"),
]
