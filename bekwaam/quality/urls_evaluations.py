"""Standards, self-evaluations, nu-metingen, inspection visits, school visits, flags (under /quality/)."""

from django.urls import path

from bekwaam.quality.views import evaluations

urlpatterns = [
    path("", evaluations.quality_home, name="home"),
    path("schools/<int:school_id>/", evaluations.school_detail, name="school-detail"),
]
