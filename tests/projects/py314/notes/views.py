from django.http import Http404
from django.shortcuts import render

from .models import Note


async def note_list(request):
    notes = [note async for note in Note.objects.all()[:50]]
    return render(request, "notes/list.html", {"notes": notes, "total": await Note.objects.acount()})


async def note_detail(request, pk):
    try:
        note = await Note.objects.aget(pk=pk)
    except Note.DoesNotExist:
        raise Http404("No such note")
    return render(request, "notes/detail.html", {"note": note})
