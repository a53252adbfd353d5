from django.urls import path, re_path

from . import views

app_name = "users"
urlpatterns = [
    re_path(r"^me/$", views.me),
]
urlpatterns.append(path("ping/", views.ping))
