"""Admin registrations."""

from django.contrib import admin

from .models import Document, Job


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Uploaded documents."""

    list_display = ("title", "file", "uploaded_at")
    search_fields = ("title",)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Background jobs and their results."""

    list_display = ("id", "status", "word_count", "worker", "created_at", "finished_at")
    list_filter = ("status",)
    readonly_fields = ("status", "word_count", "worker", "created_at", "finished_at")
