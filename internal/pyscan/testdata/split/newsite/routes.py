from django.urls import path

from newsite import views

urlpatterns = []
urlpatterns.extend([path("up", views.up)])
