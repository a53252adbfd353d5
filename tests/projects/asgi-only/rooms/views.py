from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def room(request: HttpRequest, name: str) -> HttpResponse:
    return render(request, "rooms/room.html", {"name": name})
