"""URLs of the sample app."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("documents/new", views.document_create, name="document-create"),
    path("documents/<int:pk>", views.document_detail, name="document-detail"),
    path("jobs/new", views.job_create, name="job-create"),
    path("jobs/<int:pk>", views.job_detail, name="job-detail"),
]
