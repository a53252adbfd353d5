"""Views: home page, uploads, background jobs and the health check."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .forms import DocumentForm, JobForm
from .models import Document, Job
from .tasks import count_words


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer the load balancer's health check.

    Deliberately touches neither the database nor the cache: a database blip
    must not make the load balancer drain every task at once.
    """
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    """Recent documents and jobs, with the two forms."""
    return render(
        request,
        "core/home.html",
        {
            "documents": Document.objects.all()[:10],
            "jobs": Job.objects.all()[:10],
            "document_form": DocumentForm(),
            "job_form": JobForm(),
        },
    )


def document_create(request: HttpRequest) -> HttpResponse:
    """Upload a file to media storage."""
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = form.save()
        return redirect(document)
    return render(request, "core/document_form.html", {"form": form}, status=400 if form.errors else 200)


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A document and the URL its file is served from."""
    return render(request, "core/document_detail.html", {"document": get_object_or_404(Document, pk=pk)})


def job_create(request: HttpRequest) -> HttpResponse:
    """Save a job and hand it to the Celery worker."""
    form = JobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = form.save()
        count_words.delay(job.pk)
        return redirect(job)
    return render(request, "core/job_form.html", {"form": form}, status=400 if form.errors else 200)


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's status and, once the worker ran it, its result."""
    return render(request, "core/job_detail.html", {"job": get_object_or_404(Job, pk=pk)})
