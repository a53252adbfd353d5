from django.urls import path
from django.http import HttpResponse
urlpatterns = [path("healthz", lambda r: HttpResponse("ok"))]
