"""mysite's views, forms, tasks and admin, on the local settings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Document, Job
from core.tasks import purge_finished_jobs

pytestmark = pytest.mark.django_db


def test_health_check_answers_without_touching_the_database(client: Client, django_assert_num_queries: object) -> None:
    with django_assert_num_queries(0):  # type: ignore[operator]
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_health_check_is_get_only(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


def test_home_page_lists_documents_and_jobs(client: Client) -> None:
    Job.objects.create(text="one two")
    response = client.get("/")
    assert response.status_code == 200
    assert b"Upload a document" in response.content
    assert b"Job 1 (pending)" in response.content


def test_upload_saves_the_file_to_media_storage(client: Client, media_root: Path) -> None:
    upload = SimpleUploadedFile("notes.txt", b"hello media", content_type="text/plain")
    response = client.post(reverse("document-create"), {"title": "Notes", "file": upload})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert (media_root / document.file.name).read_bytes() == b"hello media"
    detail = client.get(response["Location"])
    assert document.file.url.encode() in detail.content


def test_upload_without_a_file_is_rejected(client: Client) -> None:
    response = client.post(reverse("document-create"), {"title": "Nothing"})
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_upload_over_the_size_limit_is_rejected(client: Client, settings: LazySettings) -> None:
    settings.MAX_UPLOAD_SIZE = 10
    upload = SimpleUploadedFile("big.txt", b"x" * 11)
    response = client.post(reverse("document-create"), {"title": "Big", "file": upload})
    assert response.status_code == 400
    assert b"larger than" in response.content


def test_job_is_counted_by_the_task(client: Client) -> None:
    # Locally CELERY_TASK_ALWAYS_EAGER runs the task in-process.
    response = client.post(reverse("job-create"), {"text": "the quick brown fox"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert job.status == Job.Status.DONE and job.word_count == 4 and job.worker
    page = client.get(response["Location"]).content
    assert b'<strong id="word-count">4</strong>' in page


def test_empty_job_is_rejected(client: Client) -> None:
    assert client.post(reverse("job-create"), {"text": ""}).status_code == 400


def test_purge_keeps_pending_and_recent_jobs() -> None:
    old = timezone.now() - timedelta(days=8)
    Job.objects.create(text="old", status=Job.Status.DONE, finished_at=old)
    Job.objects.create(text="old failed", status=Job.Status.FAILED, finished_at=old)
    recent = Job.objects.create(text="recent", status=Job.Status.DONE, finished_at=timezone.now())
    pending = Job.objects.create(text="pending")
    assert purge_finished_jobs() == 2
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}


def test_beat_schedule_names_registered_tasks() -> None:
    from mysite.celery import app

    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    assert schedule, "no periodic task"
    for entry in schedule.values():
        assert entry["task"] in app.tasks


@pytest.mark.parametrize("model", ["document", "job"])
def test_admin_pages(admin_client: Client, model: str) -> None:
    Job.objects.create(text="a b")
    assert admin_client.get(reverse(f"admin:core_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:core_{model}_add")).status_code == 200


def test_local_settings_are_untouched_by_the_helper() -> None:
    # The module itself: the test runner forces the live DEBUG to False.
    from mysite import settings as module

    assert module.DEBUG is True
    assert module.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert module.CELERY_TASK_ALWAYS_EAGER is True
    assert "LOGGING" not in vars(module)
