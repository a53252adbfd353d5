from django.urls import path

from . import views

urlpatterns = [
    path("rooms/<slug:name>/", views.room, name="room"),
]
