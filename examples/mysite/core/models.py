"""Models: an uploaded document and a background job."""

from __future__ import annotations

from django.db import models
from django.urls import reverse


class Document(models.Model):
    """A file uploaded through the site, kept in the default (media) storage."""

    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="documents/%Y/%m/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("document-detail", args=[self.pk])


class Job(models.Model):
    """Text sent to the Celery worker, which counts its words."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    text = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    word_count = models.PositiveIntegerField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True, help_text="hostname of the worker that ran the job")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Job {self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("job-detail", args=[self.pk])
