from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Note


@login_required
def note_list(request):
    notes = Note.objects.filter(author=request.user)
    return render(request, "notes/note_list.html", {"notes": notes})
