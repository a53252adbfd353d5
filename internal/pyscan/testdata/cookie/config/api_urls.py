from django.urls import include, path

from acme.health.views import HealthView

user_patterns = [
    path("<int:pk>/", HealthView.as_view(), name="detail"),
]

urlpatterns = [
    path("health/", HealthView.as_view()),
    path("users/", include((user_patterns, "users"), namespace="users")),
    path("v1/", include("acme.users.urls")),
]
