from django.urls import path

from . import views

app_name = "books"

urlpatterns = [
    path("", views.accounts, name="accounts"),
    path("transfers/", views.transfer, name="transfer"),
]
