from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from acme.health import views

urlpatterns = [
    path("health/", views.health, name="health"),
    path("ht/", include("health_check.urls")),
    path("-/", include("django_alive.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/", include("config.api_urls")),
]

if settings.DEBUG:
    urlpatterns += [path("__debug__/", include("debug_toolbar.urls"))]
