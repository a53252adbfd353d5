from django.contrib import admin
from django.urls import path
from health_check.views import HealthCheckView
from pages import views

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    # Uptime monitoring: the database and the cache must answer.
    path(
        "health/",
        HealthCheckView.as_view(
            checks=[
                "health_check.Cache",
                "health_check.Database",
            ],
        ),
    ),
]
